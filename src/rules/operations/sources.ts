/** Documents the authoritative-mode rules cite. */
import type { Source } from '../types.js';

export const RFC1912_LAME: Source = {
  document: 'RFC 1912, "Common DNS Operational and Configuration Errors"',
  section: '2.8 Lame delegations',
  url: 'https://www.rfc-editor.org/rfc/rfc1912',
};
export const RFC1034_ZONE_MAINTENANCE: Source = {
  document: 'RFC 1034, "Domain names - concepts and facilities"',
  section: '4.3.5 Zone maintenance and transfers',
  url: 'https://www.rfc-editor.org/rfc/rfc1034',
};
