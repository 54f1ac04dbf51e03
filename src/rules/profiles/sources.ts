/** Documents the deployment profiles cite. */
import type { Source } from '../types.js';

// Learn URLs are the published pages; where a value is no longer on
// the current page, the source pins the MicrosoftDocs commit whose text lists it.

export const LYNC2013_EDGE_DNS: Source = {
  document: 'Microsoft, "DNS summary - Single consolidated edge with public IP addresses in Lync Server 2013" (TechNet JJ205025)',
  section: 'DNS Records Required for Single Consolidated Edge with Public IP Addresses',
  url: 'https://learn.microsoft.com/en-us/lyncserver/lync-server-2013-dns-summary-single-consolidated-edge-with-public-ip-addresses',
};
export const SFB_EDGE_DNS: Source = {
  document: 'Microsoft, "Edge Server environmental requirements in Skype for Business Server"',
  section: 'DNS planning: DNS records for Single consolidated Edge Server scenarios',
  url: 'https://learn.microsoft.com/en-us/skypeforbusiness/plan-your-deployment/edge-server-deployments/edge-environmental-requirements',
};
export const SFB_DNS_PERIMETER: Source = {
  document: 'Microsoft, "DNS requirements for Skype for Business Server"',
  section: 'Summary tables: Perimeter network DNS mappings (sip CNAME, lyncdiscover A/AAAA/CNAME, meet, dial-in)',
  url: 'https://learn.microsoft.com/en-us/skypeforbusiness/plan-your-deployment/network-requirements/dns',
};
export const SFB2019_REMOVED: Source = {
  document: 'Microsoft, "What\'s deprecated or removed from Skype for Business Server 2019"',
  section: 'XMPP Gateways for Skype for Business Server',
  url: 'https://learn.microsoft.com/en-us/skypeforbusiness/deprecated-2019',
};
export const TEAMS_ONLY_DNS: Source = {
  document: 'Microsoft, "Update DNS entries to enable your organization to be all Teams Only" (Manage DNS entries when decommissioning your on-premises environment)',
  section: 'DNS records to be updated',
  url: 'https://learn.microsoft.com/en-us/skypeforbusiness/hybrid/decommission-manage-dns-entries',
};
export const M365_ADD_DNS_RECORDS: Source = {
  document: 'Microsoft, "Create DNS records at any DNS hosting provider" (now "Add DNS records to connect your domain"), monikers o365-worldwide and o365-21vianet',
  section: 'Add three CNAME records; Add two SRV records (o365-21vianet); the current page says to copy the values from the admin center',
  url: 'https://learn.microsoft.com/en-us/microsoft-365/admin/get-help-with-domains/create-dns-records-at-any-dns-hosting-provider?view=o365-21vianet',
};
export const GCC_HIGH_DNS: Source = {
  document: 'Microsoft, "DNS records for Office 365 GCC High" (the MicrosoftDocs revision that still lists the Skype for Business Online CNAME and SRV records)',
  section: 'Skype for Business Online: CNAME records, SRV records (current page: External DNS records required for Teams, _sipfederationtls only)',
  url: 'https://github.com/MicrosoftDocs/microsoft-365-docs/blob/940c6ea9b09dd3922b23b8656556d86b2e63824b/microsoft-365/enterprise/dns-records-for-office-365-gcc-high.md',
};
export const DOD_DNS: Source = {
  document: 'Microsoft, "DNS records for Office 365 DoD" (the MicrosoftDocs revision that still lists the Skype for Business Online CNAME and SRV records)',
  section: 'Skype for Business Online: CNAME records, SRV records (current page: External DNS records required for Teams, _sipfederationtls only)',
  url: 'https://github.com/MicrosoftDocs/microsoft-365-docs/blob/4cf59095f1885d8366ab1cc825b63b87c77287b2/microsoft-365/enterprise/dns-records-for-office-365-dod.md',
};
export const RFC6120_SRV: Source = {
  document: 'RFC 6120, "Extensible Messaging and Presence Protocol (XMPP): Core"',
  section: '3.2.1 Preferred Process: SRV Lookup; 3.2.2 Fallback Processes',
  url: 'https://www.rfc-editor.org/rfc/rfc6120#section-3.2',
};
export const XEP0368: Source = {
  document: 'XEP-0368, "SRV records for XMPP over TLS"',
  section: '3 Use Case (_xmpps-server._tcp, mixed with _xmpp-server._tcp by priority and weight)',
  url: 'https://xmpp.org/extensions/xep-0368.html',
};
