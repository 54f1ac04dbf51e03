/** Documents the DNSSEC rules cite. */
import type { Source } from '../types.js';

export const RFC7673_SRV: Source = {
  document: 'RFC 7673, "Using DNS-Based Authentication of Named Entities (DANE) TLSA Records with SRV Records"; RFC 4035 (DNSSEC protocol)',
  section: '§3 (the SRV answer must be secure before its target is trusted for DANE or for the certificate name); RFC 4035 §3.2.3 (the AD bit)',
  url: 'https://www.rfc-editor.org/rfc/rfc7673#section-3',
};
export const RFC4035_RRSIG: Source = {
  document: 'RFC 4035, "Protocol Modifications for the DNS Security Extensions"',
  section: '§3.1.1 (an authoritative server of a signed zone includes the RRSIGs of the answer RRsets when DO is set)',
  url: 'https://www.rfc-editor.org/rfc/rfc4035#section-3.1.1',
};
