/** Documents the TLS probe's rules cite. */
import type { Source } from '../types.js';

export const EDGE_CERTIFICATES: Source = {
  document: 'Microsoft, "Edge Server environmental requirements in Skype for Business Server" (and Lync Server 2013, "Certificate requirements for external user access")',
  section: 'Certificate planning: the Access Edge external certificate (public CA; subject alternative names hold the Access Edge FQDN and sip.<domain> for each SIP domain; TLS uses the SAN, not the subject name)',
  url: 'https://learn.microsoft.com/en-us/skypeforbusiness/plan-your-deployment/edge-server-deployments/edge-environmental-requirements',
};
export const TLS12_OFFICE365: Source = {
  document: 'Microsoft, "Preparing for TLS 1.2 in Office 365 and Office 365 GCC" (and "Disable TLS 1.0/1.1 in Skype for Business Server 2015")',
  section: 'TLS 1.0 and 1.1 deprecated for Office 365 from 15 October 2020',
  url: 'https://learn.microsoft.com/en-us/purview/prepare-tls-1.2-in-office-365',
};
export const RFC5280_PATH: Source = {
  document: 'RFC 5280, "Internet X.509 Public Key Infrastructure Certificate and CRL Profile"',
  section: '§6.1 Basic Path Validation (signatures, validity period, a trust anchor)',
  url: 'https://www.rfc-editor.org/rfc/rfc5280#section-6.1',
};
export const RFC6120_STARTTLS: Source = {
  document: 'RFC 6120, "Extensible Messaging and Presence Protocol (XMPP): Core"',
  section: '§5 STARTTLS Negotiation (and XEP-0368, "SRV records for XMPP over TLS", for _xmpps-server._tcp)',
  url: 'https://www.rfc-editor.org/rfc/rfc6120#section-5',
};
export const RFC6120_CERT: Source = {
  document: 'RFC 6120, "Extensible Messaging and Presence Protocol (XMPP): Core"; RFC 9525 (service identity); RFC 7673 (DANE for SRV)',
  section: '§13.7.2.1 Server certificates: the XMPP domain as dNSName, SRV-ID or XmppAddr; RFC 9525 §6.3 (no CN-ID); RFC 7673 §6 (the SRV target counts only over DNSSEC)',
  url: 'https://www.rfc-editor.org/rfc/rfc6120#section-13.7.2.1',
};
