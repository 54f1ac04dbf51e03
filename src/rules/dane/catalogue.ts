/**
 * DANE for SRV targets (`--probe`): the TLSA records at
 * `_<port>._tcp.<target>` against the certificate chain each address sent.
 * Ids are public interface: never rename one.
 */
import type { CatalogueOf, TableColumn } from '../types.js';
import { RFC7673_DANE_SRV } from './sources.js';

/** The table format's column of the DANE verdicts. */
export const DANE_COLUMN: TableColumn = { title: 'DANE (probe)', optional: true };

export const DANE_RULE_IDS = ['dane-tlsa'] as const;

export type DaneRuleId = (typeof DANE_RULE_IDS)[number];

export const DANE_CATALOGUE: CatalogueOf<DaneRuleId> = {
  'dane-tlsa': {
    id: 'dane-tlsa',
    title: "The SRV target's TLSA records match the certificate chain it sends (DANE)",
    record: '_<port>._tcp.<target of each probed SRV record> TLSA, each address',
    severity: 'fail',
    softened:
      'warn when TLSA records exist but the TLSA, SRV or target address answers are not DNSSEC-secure (the records cannot be trusted, RFC 7673 §3), or when none of them is usable; unknown when the TLSA lookup could not tell; not reported when there are none; only with --probe',
    breaks:
      "Partners that authenticate by DANE (RFC 7673: XMPP servers behind a validating resolver) refuse D's server when its secure TLSA records match no certificate it sends, and cannot use TLSA records that are not DNSSEC-secure.",
    source: RFC7673_DANE_SRV,
    column: DANE_COLUMN,
  },
};
