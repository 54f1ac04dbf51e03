/**
 * The requirement catalogue, assembled from the rule families: one entry per
 * rule id. Rule ids are public interface (users filter and suppress findings
 * by them): never rename one. The rule table of docs/rules.md is generated
 * from this catalogue (src/rules/markdown.ts), the table format's columns
 * from the families' columns (src/report/table.ts).
 *
 * A new family is one folder, src/rules/<family>/, with a `family.ts`
 * ({@link defineFamily}), and one entry in {@link FAMILIES}.
 */
import { COMPARE_FAMILY } from './compare/family.js';
import { FEDERATION_FAMILY } from './federation/family.js';
import { OPERATIONS_FAMILY } from './operations/family.js';
import { PROFILES_FAMILY } from './profiles/family.js';
import { TLS_FAMILY } from './tls/family.js';
import { DNSSEC_FAMILY } from './dnssec/family.js';
import { DANE_FAMILY } from './dane/family.js';
import { overrideNote } from './dane/messages.js';
import type { CatalogueOf, FindingFacts, RuleInfo, TableColumn } from './types.js';

export { citation, STATUS_SEVERITY, worstStatus, type CatalogueOf, type RuleInfo, type Source, type Status } from './types.js';

/** Every rule family, in catalogue and report order. */
export const FAMILIES = [FEDERATION_FAMILY, PROFILES_FAMILY, OPERATIONS_FAMILY, COMPARE_FAMILY, TLS_FAMILY, DNSSEC_FAMILY, DANE_FAMILY] as const;

/** The id of a rule of the catalogue. */
export type RuleId = (typeof FAMILIES)[number]['ids'][number];

/** Every rule id, family by family. */
export const RULE_IDS: readonly RuleId[] = FAMILIES.flatMap((family): readonly RuleId[] => family.ids);

// Each family's slice is complete for its ids (CatalogueOf), so their union is complete for RuleId.
/** The catalogue, keyed by id. */
export const CATALOGUE: CatalogueOf<RuleId> = Object.assign({}, ...FAMILIES.map((family) => family.catalogue)) as CatalogueOf<RuleId>;

/** Look up a rule; undefined for an unknown id. */
export function ruleInfo(id: string): RuleInfo | undefined {
  return Object.hasOwn(CATALOGUE, id) ? CATALOGUE[id as RuleId] : undefined;
}

/** Every family's message templates, by code. */
const MESSAGES: Readonly<Record<string, (facts: FindingFacts) => string>> = Object.assign({}, ...FAMILIES.map((family) => family.messages ?? {}));

/** The message codes of every family. */
export const MESSAGE_CODES: readonly string[] = FAMILIES.flatMap((family) => Object.keys(family.messages ?? {}));

/**
 * A finding's message from its code and facts alone (what the rules do when
 * they make the finding): undefined for an unknown code. For a JSON consumer
 * that wants the English back, and for the test that the facts say all the
 * message says.
 */
export function renderMessage(code: string, facts: FindingFacts): string | undefined {
  if (!Object.hasOwn(MESSAGES, code)) return undefined;
  const message = MESSAGES[code]!(facts);
  const note = overrideNote(facts);
  return note === undefined ? message : `${message} ${note}`;
}

/** A column of the table format with the rules it shows. */
export interface ColumnOfRules extends TableColumn {
  readonly rules: readonly RuleId[];
}

/** The rules whose passing findings the report shows without facts (their families' {@link RuleFamily.passFactsInRecords}). */
export const PASS_FACTS_IN_RECORDS: ReadonlySet<RuleId> = new Set(FAMILIES.flatMap((family): readonly RuleId[] => (family.passFactsInRecords === true ? family.ids : [])));

/** The rules whose findings the report shows without facts when the domain has its `dnssec` section ({@link RuleFamily.factsInDnssec}). */
export const FACTS_IN_DNSSEC: ReadonlySet<RuleId> = new Set(FAMILIES.flatMap((family): readonly RuleId[] => family.factsInDnssec ?? []));

/** The table format's columns, in order: each family's, in family order, with the rules whose entry names them. */
export const TABLE_COLUMNS: readonly ColumnOfRules[] = FAMILIES.flatMap((family) => family.columns).map((column) => ({
  ...column,
  rules: RULE_IDS.filter((id) => CATALOGUE[id].column === column),
}));
