import type { CatalogueOf, TableColumn } from '../types.js';
import { SIP_TABLE, XMPP_TABLE } from '../federation/sources.js';
import { RFC1034_ZONE_MAINTENANCE, RFC1912_LAME } from './sources.js';

/** The table's columns of these rules, shown when a domain has findings in them. */
export const EXPECTED_COLUMN: TableColumn = { title: 'Expected values', optional: true };
export const AUTHORITATIVE_COLUMN: TableColumn = { title: 'Authoritative servers', optional: true };

/** Rules of the authoritative mode (auth-*) and operator expectations (*-expected). Ids are public interface: never rename one. */
export const OPERATIONS_RULE_IDS = ['auth-lame', 'auth-serial', 'auth-consistency', 'sipfed-target-expected', 'xmpp-target-expected'] as const;

export type OperationsRuleId = (typeof OPERATIONS_RULE_IDS)[number];

/** Their catalogue entries; a missing entry is a compile error. */
export const OPERATIONS_CATALOGUE: CatalogueOf<OperationsRuleId> = {
  'auth-lame': {
    id: 'auth-lame',
    title: 'Every listed name server answers authoritatively for the zone',
    record: 'NS of the zone holding _sipfederationtls._tcp.D, _xmpp-server._tcp.D and their targets',
    severity: 'fail',
    softened: 'unknown when a server does not answer at all (lame or unreachable from here); only with --authoritative',
    breaks: 'Resolvers that pick the lame server get REFUSED, a referral or nothing: federation partners and the push notification clearinghouse see D intermittently, after long timeouts.',
    source: RFC1912_LAME,
    column: AUTHORITATIVE_COLUMN,
  },
  'auth-serial': {
    id: 'auth-serial',
    title: 'Every authoritative server has the same SOA serial',
    record: 'SOA of the zone holding the federation records of D',
    severity: 'warn',
    softened: 'only with --authoritative',
    breaks: 'A change is not yet on every server: partners get the old or the new records depending on which server their resolver asks.',
    source: RFC1034_ZONE_MAINTENANCE,
    column: AUTHORITATIVE_COLUMN,
  },
  'auth-consistency': {
    id: 'auth-consistency',
    title: 'Every authoritative server gives the same SRV records and target addresses',
    record: '_sipfederationtls._tcp.D SRV, _xmpp-server._tcp.D SRV, A/AAAA of their targets',
    severity: 'warn',
    softened: 'only with --authoritative',
    breaks: 'Partners reach the Access Edge or not depending on which authoritative server their resolver asked, and caches keep the wrong answer for its TTL.',
    source: RFC1034_ZONE_MAINTENANCE,
    column: AUTHORITATIVE_COLUMN,
  },
  'sipfed-target-expected': {
    id: 'sipfed-target-expected',
    title: 'Federation SRV names the expected Access Edge and it resolves to the expected addresses',
    record: '_sipfederationtls._tcp.D SRV → target A/AAAA',
    severity: 'fail',
    softened: 'only when targets or addresses are expected for D (config "expect", --expect-target, --expect-address)',
    breaks: 'Federation and push notification traffic for D goes to a host other than the Access Edge the operator runs (a stale, mistyped or hijacked record).',
    source: SIP_TABLE,
    column: EXPECTED_COLUMN,
  },
  'xmpp-target-expected': {
    id: 'xmpp-target-expected',
    title: 'XMPP SRV names the expected XMPP proxy host and it resolves to the expected addresses',
    record: '_xmpp-server._tcp.D SRV → target A/AAAA',
    severity: 'fail',
    softened: 'only when XMPP targets or addresses are expected for D (config "expect.xmpp", --expect-xmpp-target, --expect-xmpp-address)',
    breaks: "XMPP partners send D's IM and presence to a host other than the XMPP proxy on the Access Edge.",
    source: XMPP_TABLE,
    column: EXPECTED_COLUMN,
  },
};
