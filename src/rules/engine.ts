/**
 * The rule engine: the rules of every family (src/rules/catalogue.ts lists
 * them), selected by the domain's deployment profile and applied to one
 * domain's observation. No rule lives here.
 */
import { FAMILIES, type RuleId } from './catalogue.js';
import { OBSERVATION_PARTS, type DomainExpectations, type DomainObservation, type Finding, type ObservationPart, type Rule } from './types.js';
import { autoFinding, effectiveExpectations, resolveProfile, type ProfileChoice } from './profiles/rules.js';
import { PROFILES, type ConcreteProfileName } from './profiles/profiles.js';
import { applyDaneOverrides } from './dane/override.js';

/** The rule ids a profile selects among (the families that say so); the others' rules always run. */
const PROFILE_GOVERNED: ReadonlySet<RuleId> = new Set<RuleId>(FAMILIES.flatMap((family): readonly RuleId[] => (family.selectedByProfile === true ? family.ids : [])));

/** Every rule, in report order: family by family. */
export const RULES: readonly Rule<RuleId>[] = FAMILIES.flatMap((family): readonly Rule<RuleId>[] => family.rules);

/** A rule a profile runs, with the ids to keep when the profile reports only some of those it can emit. */
export interface SelectedRule {
  readonly rule: Rule<RuleId>;
  /** Absent when the profile reports every id of the rule. */
  readonly only?: ReadonlySet<RuleId>;
}

/**
 * The rules to run for a profile that selects the ids `selected`, in report
 * order: every rule (core, operations, profile) that can emit a selected id
 * or one that profiles do not govern.
 */
export function selectRules(selected: readonly RuleId[]): SelectedRule[] {
  // Profiles choose among the core and profile rules only; other rules (e.g. authoritative mode) are not theirs to drop.
  const reported = (id: RuleId): boolean => selected.includes(id) || !PROFILE_GOVERNED.has(id);
  return RULES.flatMap((rule): SelectedRule[] => {
    const kept = rule.ids.filter(reported);
    if (kept.length === 0) return [];
    return kept.length === rule.ids.length ? [{ rule }] : [{ rule, only: new Set(kept) }];
  });
}

/** Each profile's rules, selected once rather than per domain. */
const RULES_OF_PROFILE: { readonly [P in ConcreteProfileName]: readonly SelectedRule[] } = {
  federation: selectRules(PROFILES.federation.rules),
  edge: selectRules(PROFILES.edge.rules),
  'sfb2019-edge': selectRules(PROFILES['sfb2019-edge'].rules),
  online: selectRules(PROFILES.online.rules),
};

/** One bit per {@link ObservationPart}. */
const PART_BIT = Object.fromEntries(OBSERVATION_PARTS.map((part, index) => [part, 1 << index])) as { readonly [P in ObservationPart]: number };

/** Which parts an observation has, as bits (each field read by name: this runs for every domain). */
function partsOf(observation: DomainObservation): number {
  return (
    (observation.probe !== undefined ? PART_BIT.probe : 0) |
    (observation.authoritative !== undefined ? PART_BIT.authoritative : 0) |
    (observation.comparison !== undefined ? PART_BIT.comparison : 0) |
    (observation.dnssec !== undefined ? PART_BIT.dnssec : 0)
  );
}

/** How many combinations of parts there are (see partsOf). */
const PART_SETS = 1 << OBSERVATION_PARTS.length;

/** Each profile's rules by the parts an observation has (index: partsOf): the rules that can say something of it. */
const RUNNABLE: { readonly [P in ConcreteProfileName]: readonly (readonly SelectedRule[])[] } = {
  federation: byParts(RULES_OF_PROFILE.federation),
  edge: byParts(RULES_OF_PROFILE.edge),
  'sfb2019-edge': byParts(RULES_OF_PROFILE['sfb2019-edge']),
  online: byParts(RULES_OF_PROFILE.online),
};

function byParts(rules: readonly SelectedRule[]): readonly (readonly SelectedRule[])[] {
  return Array.from({ length: PART_SETS }, (_, parts) => rules.filter(({ rule }) => rule.needs === undefined || (parts & PART_BIT[rule.needs]) !== 0));
}

/** The rules {@link evaluateProfile} runs for a domain checked as `profile`. */
export function rulesOfProfile(profile: ConcreteProfileName): readonly SelectedRule[] {
  return RULES_OF_PROFILE[profile];
}

/**
 * Apply to one domain's observation the rules its profile selects
 * (src/rules/profiles/profiles.ts), with the profile chosen; a rule that can emit
 * none of the profile's ids is not run. The default profile, federation,
 * selects exactly the core rules; `auto` is resolved here from the
 * observation, and says so in a `profile-auto` finding. A rule that `needs`
 * a part the observation lacks (the probe's, --authoritative's…) is not run.
 */
export function evaluateProfile(observation: DomainObservation, expectations: DomainExpectations): { readonly findings: readonly Finding<RuleId>[]; readonly choice: ProfileChoice } {
  const choice = resolveProfile(observation, expectations);
  const effective = effectiveExpectations(expectations, choice);
  const findings: Finding<RuleId>[] = choice.requested === 'auto' ? [autoFinding(observation, choice)] : [];
  // The rules of modes the run is not in (--probe, --authoritative, --compare) would find nothing.
  for (const { rule, only } of RUNNABLE[choice.profile][partsOf(observation)]!) {
    for (const finding of rule.run(observation, effective)) if (only === undefined || only.has(finding.rule)) findings.push(finding);
  }
  // RFC 7671 §5.1: a matching DANE-EE record marks the tls family's name and expiry findings as overridden.
  return { findings: applyDaneOverrides(findings), choice };
}

/** The findings of {@link evaluateProfile}. */
export function evaluate(observation: DomainObservation, expectations: DomainExpectations): readonly Finding<RuleId>[] {
  return evaluateProfile(observation, expectations).findings;
}

export type { DomainExpectations, DomainObservation, Finding, Rule } from './types.js';
