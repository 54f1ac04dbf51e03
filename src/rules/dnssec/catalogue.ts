/**
 * The DNSSEC rules: whether the SRV answers and their targets' addresses
 * came DNSSEC-secure through the resolver (dnssec-srv), and, with
 * --authoritative, whether every server of a signed zone sends the RRSIGs
 * of the SRV RRsets (auth-rrsig). Ids are public interface: never rename one.
 */
import type { CatalogueOf } from '../types.js';
import { AUTHORITATIVE_COLUMN } from '../operations/catalogue.js';
import { RFC4035_RRSIG, RFC7673_SRV } from './sources.js';

export const DNSSEC_RULE_IDS = ['dnssec-srv', 'auth-rrsig'] as const;

export type DnssecRuleId = (typeof DNSSEC_RULE_IDS)[number];

export const DNSSEC_CATALOGUE: CatalogueOf<DnssecRuleId> = {
  'dnssec-srv': {
    id: 'dnssec-srv',
    title: 'The SRV answers and their targets\' address answers are DNSSEC-secure (the resolver set AD)',
    record: 'every SRV owner checked (_sipfederationtls._tcp.D, _xmpp-server._tcp.D, the profile\'s) and its targets\' A/AAAA, through the resolver',
    severity: 'fail',
    softened:
      'info when not secure unless --require-dnssec (then fail; when a lookup could not tell, unknown, and without the flag nothing); bogus (validation failed at the resolver) is always fail, and never reported as a missing record; only through a resolver (not with --zone, --no-recursion or --authoritative)',
    breaks:
      "Partners whose resolvers validate get SERVFAIL for a bogus answer and cannot find D's servers at all; without secure answers, XMPP partners cannot trust the SRV target's name for the certificate or use DANE (RFC 7673), and a forged answer would go unnoticed.",
    source: RFC7673_SRV,
    // Shown in the table's own DNSSEC column, from each domain's DNSSEC state (src/report/table.ts).
    column: null,
  },
  'auth-rrsig': {
    id: 'auth-rrsig',
    title: 'Every authoritative server of a signed zone returns the RRSIGs of the SRV RRsets when asked with DO=1',
    record: '_sipfederationtls._tcp.D and _xmpp-server._tcp.D SRV, at each name server of the zone, RD=0, DO=1',
    severity: 'fail',
    softened: 'only with --authoritative, and only for a zone that some server signs (judged from the answers: another server sent RRSIGs; no DNSKEY is asked); unknown when a server gave no answer and none left the RRSIGs out',
    breaks:
      "A validating resolver that asks the server without RRSIGs cannot validate the SRV answer: it is bogus there, and partners behind that resolver get SERVFAIL for D's SRV records (now and then, depending on the server they ask).",
    source: RFC4035_RRSIG,
    column: AUTHORITATIVE_COLUMN,
  },
};
