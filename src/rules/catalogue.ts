/**
 * The requirement catalogue: one entry per rule id. Rule ids are public
 * interface (users filter and suppress findings by them): never rename one.
 * English for findings is produced from these entries and the checks' facts;
 * the README's rule table is generated from this file.
 */

import { COMPARE_CATALOGUE, COMPARE_RULE_IDS } from './compare/catalogue.js';
import { OPERATIONS_CATALOGUE, OPERATIONS_RULE_IDS } from './operations/catalogue.js';
import { PROFILE_CATALOGUE, PROFILE_RULE_IDS } from './profiles/catalogue.js';
import { TLS_CATALOGUE, TLS_RULE_IDS } from './tls/catalogue.js';
import { ADVANCED_EDGE_DNS, PUSH_NOTE, RFC2782, SIP_TABLE, XMPP_TABLE } from './federation/sources.js';

/** Every finding's status; `info` counts as pass for a domain's verdict. */
export type Status = 'pass' | 'info' | 'warn' | 'fail' | 'unknown';

/** How bad each status is, least first: the one order every verdict, table and format uses. */
export const STATUS_SEVERITY: Readonly<Record<Status, number>> = { pass: 0, info: 1, warn: 2, unknown: 3, fail: 4 };

/** The worst of some statuses (`pass` for none). */
export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status = 'pass';
  for (const s of statuses) if (STATUS_SEVERITY[s] > STATUS_SEVERITY[worst]) worst = s;
  return worst;
}

/** A document a requirement comes from. */
export interface Source {
  readonly document: string;
  readonly section?: string;
  readonly url: string;
}

/** A source as one line of text: the document, then its section when there is one (no URL). */
export function citation(source: Source): string {
  return source.section ? `${source.document}, ${source.section}` : source.document;
}

/** One rule of the catalogue. */
export interface RuleInfo {
  readonly id: RuleId;
  /** Short title, e.g. "Federation SRV record published". */
  readonly title: string;
  /** The record the rule looks at, with `D` for the SIP domain. */
  readonly record: string;
  /** The status a violation gets by default (some rules soften it by expectation; see `softened`). */
  readonly severity: Exclude<Status, 'pass' | 'unknown'>;
  /** When the default is softened or the rule not reported. */
  readonly softened?: string;
  /** What breaks for users when the rule is violated. */
  readonly breaks: string;
  readonly source: Source;
}

/** Catalogue entries for the ids `K`, keyed by id; a missing entry is a compile error. */
export type CatalogueOf<K extends RuleId> = { readonly [Id in K]: RuleInfo & { readonly id: Id } };

/** Rules of the core federation / push / XMPP checks (Lync Server 2013 DNS summary). */
export const CORE_RULE_IDS = [
  'sipfed-srv',
  'push-srv',
  'sipfed-port',
  'sipfed-target-address',
  'sipfed-target-alias',
  'sipfed-target-domain',
  'xmpp-srv',
  'xmpp-port',
  'xmpp-target-address',
  'xmpp-target-alias',
] as const;

/** Every rule id: the core's, the deployment profiles', the authoritative-mode and expectation rules', --compare's, --probe's. */
export const RULE_IDS = [...CORE_RULE_IDS, ...PROFILE_RULE_IDS, ...OPERATIONS_RULE_IDS, ...COMPARE_RULE_IDS, ...TLS_RULE_IDS] as const;

/** The id of a rule of the catalogue. */
export type RuleId = (typeof RULE_IDS)[number];
export type CoreRuleId = (typeof CORE_RULE_IDS)[number];

/** The core rules' entries. */
const CORE_CATALOGUE: CatalogueOf<CoreRuleId> = {
  'sipfed-srv': {
    id: 'sipfed-srv',
    title: 'Federation SRV record published',
    record: '_sipfederationtls._tcp.D SRV',
    severity: 'fail',
    softened: 'info when federation discovery and mobility are both off for D',
    breaks: 'Federation partners cannot discover D (open federation), and the push notification clearinghouse cannot route to it.',
    source: SIP_TABLE,
  },
  'push-srv': {
    id: 'push-srv',
    title: 'Push notification SRV record for a SIP domain with mobile users',
    record: '_sipfederationtls._tcp.D SRV',
    severity: 'fail',
    softened: 'not reported when mobility is off for D',
    breaks: "Push notifications to D's Lync Mobile users (iOS, Windows Phone) silently fail: the push notification clearinghouse cannot reach D.",
    source: PUSH_NOTE,
  },
  'sipfed-port': {
    id: 'sipfed-port',
    title: 'Federation SRV uses port 5061',
    record: '_sipfederationtls._tcp.D SRV',
    severity: 'fail',
    breaks: 'Partners connect to the wrong port and federation (and push notification) connections fail.',
    source: SIP_TABLE,
  },
  'sipfed-target-address': {
    id: 'sipfed-target-address',
    title: 'Federation SRV target has an A record',
    record: 'target of _sipfederationtls._tcp.D A',
    severity: 'fail',
    softened: 'warn when the target has only AAAA records',
    breaks: 'Partners find the SRV but cannot reach the Access Edge: federation and push notifications fail (IPv4-only partners when the target has AAAA only).',
    source: SIP_TABLE,
  },
  'sipfed-target-alias': {
    id: 'sipfed-target-alias',
    title: 'Federation SRV target is not an alias (CNAME)',
    record: 'target of _sipfederationtls._tcp.D',
    severity: 'warn',
    breaks: 'RFC 2782 forbids alias targets; strict SRV clients may refuse them, and certificate name matching may fail.',
    source: RFC2782,
  },
  'sipfed-target-domain': {
    id: 'sipfed-target-domain',
    title: 'Federation SRV target lies in the SIP domain',
    record: 'target of _sipfederationtls._tcp.D',
    severity: 'warn',
    breaks: 'Partners that discover D may refuse a target outside D (strict DNS name matching), and the edge certificate must carry that name.',
    source: ADVANCED_EDGE_DNS,
  },
  'xmpp-srv': {
    id: 'xmpp-srv',
    title: 'XMPP server SRV record published',
    record: '_xmpp-server._tcp.D SRV',
    severity: 'fail',
    softened: 'info when XMPP is optional for D (the default); not reported when off',
    breaks: "XMPP partners cannot find D's XMPP proxy and cannot exchange IM and presence with D's users.",
    source: XMPP_TABLE,
  },
  'xmpp-port': {
    id: 'xmpp-port',
    title: 'XMPP SRV uses port 5269',
    record: '_xmpp-server._tcp.D SRV',
    severity: 'fail',
    breaks: "XMPP partners connect to the wrong port and cannot reach D's XMPP proxy.",
    source: XMPP_TABLE,
  },
  'xmpp-target-address': {
    id: 'xmpp-target-address',
    title: 'XMPP SRV target has an A record',
    record: 'target of _xmpp-server._tcp.D A',
    severity: 'fail',
    softened: 'warn when the target has only AAAA records',
    breaks: "XMPP partners find the SRV but cannot reach the XMPP proxy on the Access Edge (IPv4-only partners when the target has AAAA only).",
    source: XMPP_TABLE,
  },
  'xmpp-target-alias': {
    id: 'xmpp-target-alias',
    title: 'XMPP SRV target is not an alias (CNAME)',
    record: 'target of _xmpp-server._tcp.D',
    severity: 'warn',
    breaks: 'RFC 2782 and RFC 6120 §3.2 forbid alias targets; XMPP servers may refuse to connect.',
    source: RFC2782,
  },
};

/** The catalogue, keyed by id; a missing entry is a compile error. */
export const CATALOGUE: CatalogueOf<RuleId> = {
  ...CORE_CATALOGUE,
  ...PROFILE_CATALOGUE,
  ...OPERATIONS_CATALOGUE,
  ...COMPARE_CATALOGUE,
  ...TLS_CATALOGUE,
};

/** Look up a rule; undefined for an unknown id. */
export function ruleInfo(id: string): RuleInfo | undefined {
  return (RULE_IDS as readonly string[]).includes(id) ? CATALOGUE[id as RuleId] : undefined;
}
