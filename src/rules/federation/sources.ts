/** Documents the core federation rules cite (the profiles, authoritative mode and --compare cite some too). */
import type { Source } from '../types.js';

const DNS_SUMMARY_URL = 'https://technet.microsoft.com/en-us/library/JJ618369(v=OCS.15)';
const DNS_SUMMARY = 'Microsoft, "DNS summary - SIP, XMPP federation, and public instant messaging in Lync Server 2013" (TechNet JJ618369)';

export const SIP_TABLE: Source = {
  document: DNS_SUMMARY,
  section: 'DNS Summary - SIP Federation including Public Instant Messaging Connectivity',
  url: DNS_SUMMARY_URL,
};
export const PUSH_NOTE: Source = {
  document: DNS_SUMMARY,
  section: 'DNS Summary - SIP Federation including Public Instant Messaging Connectivity (Important: mobility and the push notification clearing house)',
  url: DNS_SUMMARY_URL,
};
export const XMPP_TABLE: Source = {
  document: DNS_SUMMARY,
  section: 'DNS Summary - Extensible Messaging and Presence Protocol (XMPP)',
  url: DNS_SUMMARY_URL,
};
export const RFC2782: Source = {
  document: 'RFC 2782, "A DNS RR for specifying the location of services (DNS SRV)"',
  section: 'The format of the SRV RR: Target ("must not be an alias")',
  url: 'https://www.rfc-editor.org/rfc/rfc2782',
};
export const ADVANCED_EDGE_DNS: Source = {
  document: 'Microsoft, "Advanced Edge Server DNS planning for Skype for Business Server"',
  section: 'DNS record for federation: strict DNS name matching of the SRV target',
  url: 'https://learn.microsoft.com/en-us/skypeforbusiness/plan-your-deployment/network-requirements/advanced-edge-server-dns',
};
