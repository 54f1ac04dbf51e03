/** Documents the DANE rules cite. */
import type { Source } from '../types.js';

export const RFC7673_DANE_SRV: Source = {
  document: 'RFC 7673, "Using DNS-Based Authentication of Named Entities (DANE) TLSA Records with SRV Records"; RFC 7671 (DANE operations); RFC 6698 (TLSA)',
  section: 'RFC 7673 §3 (TLSA at _<port>._tcp.<SRV target>, used only when the SRV and address answers are secure); RFC 7671 §5 (usages), §7 (after a secure CNAME, the expanded name is the SNI and the name checked), §9 (only the strongest digest counts); RFC 6698 §2.1, §4.1 (matching, unusable records)',
  url: 'https://www.rfc-editor.org/rfc/rfc7673#section-3',
};
