/**
 * The TLS probe's rules (`--probe`): what a federation partner checks when
 * it connects to an SRV target. Reported only with `--probe`. Ids are public
 * interface: never rename one.
 */
import type { CatalogueOf, TableColumn } from '../types.js';
import { EDGE_CERTIFICATES, RFC5280_PATH, RFC6120_CERT, RFC6120_STARTTLS, TLS12_OFFICE365 } from './sources.js';

/** The table's columns of the probe, shown when a domain has findings in them. */
export const SIP_TLS_COLUMN: TableColumn = { title: 'SIP TLS (probe)', optional: true };
export const XMPP_TLS_COLUMN: TableColumn = { title: 'XMPP TLS (probe)', optional: true };

export const TLS_RULE_IDS = [
  'sipfed-tls',
  'sipfed-tls-version',
  'sipfed-cert-trust',
  'sipfed-cert-name',
  'sipfed-cert-expiry',
  'xmpp-starttls',
  'xmpp-cert-trust',
  'xmpp-cert-name',
  'xmpp-cert-expiry',
] as const;

export type TlsRuleId = (typeof TLS_RULE_IDS)[number];

const ONLY_PROBE = 'only with --probe';
const TIMEOUT_UNKNOWN = 'unknown when the connection times out (a filter between here and the edge proves nothing about partners); an address with no route from here is not evidence';

export const TLS_CATALOGUE: CatalogueOf<TlsRuleId> = {
  'sipfed-tls': {
    id: 'sipfed-tls',
    title: 'Every federation SRV target address accepts TLS on the SRV port',
    record: 'target of _sipfederationtls._tcp.D (and _sip._tls.D in the edge profiles), each address, TCP + TLS',
    severity: 'fail',
    softened: `${TIMEOUT_UNKNOWN}; ${ONLY_PROBE}`,
    breaks: "Partners and the push notification clearinghouse that pick this address cannot open a TLS connection to D's Access Edge: federation and push fail for them.",
    source: EDGE_CERTIFICATES,
    column: SIP_TLS_COLUMN,
  },
  'sipfed-tls-version': {
    id: 'sipfed-tls-version',
    title: 'The Access Edge offers TLS 1.2 or later',
    record: 'target of _sipfederationtls._tcp.D, each address, TLS',
    severity: 'fail',
    softened: ONLY_PROBE,
    breaks: 'Microsoft 365 (Teams, Skype for Business Online) and up-to-date partners no longer speak TLS 1.0 or 1.1: they cannot federate with D.',
    source: TLS12_OFFICE365,
    column: SIP_TLS_COLUMN,
  },
  'sipfed-cert-trust': {
    id: 'sipfed-cert-trust',
    title: 'The Access Edge certificate chain, as sent, validates to a trusted root',
    record: 'target of _sipfederationtls._tcp.D, each address, certificate chain',
    severity: 'fail',
    softened: ONLY_PROBE,
    breaks: "Partners reject D's Access Edge (a self-signed or private-CA certificate, an intermediate the edge does not send, an expired chain element): federation fails.",
    source: EDGE_CERTIFICATES,
    column: SIP_TLS_COLUMN,
  },
  'sipfed-cert-name': {
    id: 'sipfed-cert-name',
    title: "A subject alternative name of the Access Edge certificate covers the SRV target",
    record: 'target of _sipfederationtls._tcp.D, each address, certificate subjectAltName',
    severity: 'fail',
    softened: ONLY_PROBE,
    breaks: "Partners check the SRV target's name against the certificate's subject alternative names (the subject CN is ignored): a certificate without it is rejected and federation fails.",
    source: EDGE_CERTIFICATES,
    column: SIP_TLS_COLUMN,
  },
  'sipfed-cert-expiry': {
    id: 'sipfed-cert-expiry',
    title: 'The Access Edge certificate and its chain are within their validity',
    record: 'target of _sipfederationtls._tcp.D, each address, certificate validity',
    severity: 'fail',
    softened: `warn within --expiry-warn days (default 30) of the earliest expiry; ${ONLY_PROBE}`,
    breaks: "Once a certificate on the chain expires (or before the leaf's validity starts) partners reject the Access Edge: federation and push stop for D.",
    source: RFC5280_PATH,
    column: SIP_TLS_COLUMN,
  },
  'xmpp-starttls': {
    id: 'xmpp-starttls',
    title: 'The XMPP server stream offers STARTTLS and proceeds to TLS (direct TLS for _xmpps-server)',
    record: 'target of _xmpp-server._tcp.D (and _xmpps-server._tcp.D), each address, XMPP stream + TLS',
    severity: 'fail',
    softened: `${TIMEOUT_UNKNOWN}; ${ONLY_PROBE}`,
    breaks: "XMPP partners require TLS for server-to-server streams: without STARTTLS (or with <failure/> or a stream error) they cannot exchange IM and presence with D.",
    source: RFC6120_STARTTLS,
    column: XMPP_TLS_COLUMN,
  },
  'xmpp-cert-trust': {
    id: 'xmpp-cert-trust',
    title: 'The XMPP server certificate chain, as sent, validates to a trusted root',
    record: 'target of _xmpp-server._tcp.D, each address, certificate chain',
    severity: 'fail',
    softened: ONLY_PROBE,
    breaks: "XMPP partners that authenticate servers by certificate (most, since dialback without DNSSEC is being retired) refuse D's stream.",
    source: RFC6120_CERT,
    column: XMPP_TLS_COLUMN,
  },
  'xmpp-cert-name': {
    id: 'xmpp-cert-name',
    title: 'The XMPP server certificate covers the XMPP domain (dNSName, SRV-ID or XmppAddr)',
    record: 'target of _xmpp-server._tcp.D, each address, certificate subjectAltName',
    severity: 'fail',
    softened: ONLY_PROBE,
    breaks: 'XMPP partners check the certificate against the domain D itself, not the host the SRV record names (unless the SRV answer is DNSSEC-secure): they refuse the stream.',
    source: RFC6120_CERT,
    column: XMPP_TLS_COLUMN,
  },
  'xmpp-cert-expiry': {
    id: 'xmpp-cert-expiry',
    title: 'The XMPP server certificate and its chain are within their validity',
    record: 'target of _xmpp-server._tcp.D, each address, certificate validity',
    severity: 'fail',
    softened: `warn within --expiry-warn days (default 30) of the earliest expiry; ${ONLY_PROBE}`,
    breaks: "Once a certificate on the chain expires XMPP partners refuse D's server-to-server streams.",
    source: RFC5280_PATH,
    column: XMPP_TLS_COLUMN,
  },
};
