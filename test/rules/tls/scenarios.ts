/**
 * What `--probe` might observe of contoso.example, one scenario per outcome
 * the TLS rules tell apart, with the `rule:status` pairs expected of them.
 * The probes themselves are tested against real servers (test/probe/); the
 * rules are pure functions of these observations.
 */
import type { AddressProbe, CertificateSummary, ProbeObservation, ProbeOutcome, ServiceProbe, TlsOutcome } from '../../../src/probe/types.js';
import type { DomainExpectations, DomainObservation } from '../../../src/rules/types.js';
import { D, EDGE, GOOD_SIP, GOOD_XMPP, observe, XEDGE } from '../scenarios.js';

export const AT = '2026-06-01T00:00:00.000Z';
const DAY = 86_400_000;
const days = (n: number): string => new Date(Date.parse(AT) + n * DAY).toISOString();

export function cert(over: Partial<CertificateSummary> = {}): CertificateSummary {
  return {
    subject: 'CN=leaf',
    issuer: 'CN=Intermediate',
    serialNumber: '01',
    notBefore: days(-10),
    notAfter: days(200),
    fingerprint256: 'AA',
    ca: false,
    dnsNames: [EDGE],
    srvNames: [],
    xmppAddrs: [],
    ...over,
  };
}
const INTER = cert({ subject: 'CN=Intermediate', issuer: 'CN=Root', ca: true, dnsNames: [], notAfter: days(2000) });
const ROOT = cert({ subject: 'CN=Root', issuer: 'CN=Root', ca: true, dnsNames: [], notAfter: days(4000) });

export function tls(over: Partial<TlsOutcome> = {}, leaf: Partial<CertificateSummary> = {}): TlsOutcome {
  const l = cert(leaf);
  return { kind: 'tls', version: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', legacyOnly: false, chain: [l, INTER], path: [l, INTER, ROOT], trust: { kind: 'trusted', anchor: 'CN=Root' }, ...over };
}

const at = (address: string, outcome: ProbeOutcome): AddressProbe => ({ address, family: address.includes(':') ? 6 : 4, outcome });

function service(kind: 'sipfed' | 'xmpp' | 'xmpps', addresses: readonly AddressProbe[], secure = false): ServiceProbe {
  const sip = kind === 'sipfed';
  return {
    service: kind,
    owner: sip ? `_sipfederationtls._tcp.${D}` : kind === 'xmpp' ? `_xmpp-server._tcp.${D}` : `_xmpps-server._tcp.${D}`,
    mode: sip ? 'tls' : kind === 'xmpp' ? 'xmpp-starttls' : 'xmpps',
    srvSecurity: secure ? 'secure' : 'insecure',
    targets: [{ target: sip ? EDGE : XEDGE, port: sip ? 5061 : kind === 'xmpp' ? 5269 : 5270, serverName: sip ? EDGE : D, addresses }],
  };
}

export interface TlsScenario {
  readonly title: string;
  readonly services: readonly ServiceProbe[];
  /** Sorted `rule:status` pairs of the TLS rules' findings. */
  readonly expected: string;
  readonly expiryWarnDays?: number;
}

const SIP_OK = 'sipfed-cert-expiry:pass sipfed-cert-name:pass sipfed-cert-trust:pass sipfed-tls-version:pass sipfed-tls:pass';
const XMPP_OK = 'xmpp-cert-expiry:pass xmpp-cert-name:pass xmpp-cert-trust:pass xmpp-starttls:pass';
const XLEAF: Partial<CertificateSummary> = { dnsNames: [D] };

export const TLS_SCENARIOS: readonly TlsScenario[] = [
  { title: 'a good SIP edge', services: [service('sipfed', [at('192.0.2.10', tls())])], expected: SIP_OK },
  { title: 'mutual TLS: the edge sent its certificate, then wanted ours', services: [service('sipfed', [at('192.0.2.10', tls({ version: 'TLSv1.2', endedAfterCertificate: 'sslv3 alert handshake failure (alert 40)' }))])], expected: SIP_OK },
  { title: 'SIP connection refused', services: [service('sipfed', [at('192.0.2.10', { kind: 'refused', reason: 'refused' })])], expected: 'sipfed-tls:fail' },
  { title: 'SIP connect timeout is unknown', services: [service('sipfed', [at('192.0.2.10', { kind: 'timeout', phase: 'connect', reason: 'no answer' })])], expected: 'sipfed-tls:unknown' },
  { title: 'SIP garbage instead of TLS', services: [service('sipfed', [at('192.0.2.10', { kind: 'tls-error', reason: 'wrong version number' })])], expected: 'sipfed-tls:fail' },
  {
    title: 'IPv6 without a route beside a working IPv4 address is no evidence',
    services: [service('sipfed', [at('192.0.2.10', tls()), at('2001:db8::10', { kind: 'no-route', reason: 'ENETUNREACH' })])],
    expected: SIP_OK.replace("sipfed-tls:pass", "sipfed-tls:info sipfed-tls:pass"),
  },
  { title: 'only IPv6, without a route: unknown', services: [service('sipfed', [at('2001:db8::10', { kind: 'no-route', reason: 'ENETUNREACH' })])], expected: 'sipfed-tls:unknown' },
  {
    title: 'TLS 1.0 only',
    services: [service('sipfed', [at('192.0.2.10', tls({ version: 'TLSv1', legacyOnly: true, modernError: 'protocol version' }))])],
    expected: SIP_OK.replace('sipfed-tls-version:pass', 'sipfed-tls-version:fail'),
  },
  ...(['self-signed', 'missing-intermediate', 'unknown-ca', 'expired', 'bad-signature'] as const).map((kind) => ({
    title: `untrusted chain: ${kind}`,
    services: [
      service('sipfed', [
        at(
          '192.0.2.10',
          tls({ trust: kind === 'self-signed' ? { kind } : kind === 'expired' ? { kind, subject: 'CN=Intermediate', notAfter: days(-1) } : kind === 'bad-signature' ? { kind, subject: 'CN=leaf' } : { kind, issuer: 'CN=Intermediate' } }),
        ),
      ]),
    ],
    expected: SIP_OK.replace('sipfed-cert-trust:pass', 'sipfed-cert-trust:fail'),
  })),
  { title: 'the name only in the CN', services: [service('sipfed', [at('192.0.2.10', tls({}, { dnsNames: [], commonName: EDGE }))])], expected: SIP_OK.replace('sipfed-cert-name:pass', 'sipfed-cert-name:fail') },
  { title: 'a wrong name', services: [service('sipfed', [at('192.0.2.10', tls({}, { dnsNames: ['other.example'] }))])], expected: SIP_OK.replace('sipfed-cert-name:pass', 'sipfed-cert-name:fail') },
  { title: 'a wildcard covers the target', services: [service('sipfed', [at('192.0.2.10', tls({}, { dnsNames: [`*.${D}`] }))])], expected: SIP_OK },
  { title: 'an expired leaf', services: [service('sipfed', [at('192.0.2.10', tls({ path: [cert({ notAfter: days(-3) })] }, { notAfter: days(-3) }))])], expected: SIP_OK.replace('sipfed-cert-expiry:pass', 'sipfed-cert-expiry:fail') },
  { title: 'a leaf not yet valid', services: [service('sipfed', [at('192.0.2.10', tls({ path: [cert({ notBefore: days(3) })] }, { notBefore: days(3) }))])], expected: SIP_OK.replace('sipfed-cert-expiry:pass', 'sipfed-cert-expiry:fail') },
  { title: 'expiring within 30 days', services: [service('sipfed', [at('192.0.2.10', tls({ path: [cert({ notAfter: days(12) })] }, { notAfter: days(12) }))])], expected: SIP_OK.replace('sipfed-cert-expiry:pass', 'sipfed-cert-expiry:warn') },
  { title: 'expiring within 30 days, --expiry-warn 7', expiryWarnDays: 7, services: [service('sipfed', [at('192.0.2.10', tls({ path: [cert({ notAfter: days(12) })] }, { notAfter: days(12) }))])], expected: SIP_OK },
  { title: 'a good XMPP server (dNSName of the domain)', services: [service('xmpp', [at('192.0.2.11', tls({ starttls: { required: true } }, XLEAF))])], expected: XMPP_OK },
  { title: 'XMPP SRV-ID only', services: [service('xmpp', [at('192.0.2.11', tls({ starttls: { required: false } }, { dnsNames: [], srvNames: [`_xmpp-server.${D}`] }))])], expected: XMPP_OK },
  { title: 'XMPP XmppAddr only', services: [service('xmpp', [at('192.0.2.11', tls({ starttls: { required: false } }, { dnsNames: [], xmppAddrs: [D] }))])], expected: XMPP_OK },
  { title: 'XMPP certificate for another name', services: [service('xmpp', [at('192.0.2.11', tls({ starttls: { required: false } }, { dnsNames: ['other.example'] }))])], expected: XMPP_OK.replace('xmpp-cert-name:pass', 'xmpp-cert-name:fail') },
  { title: 'XMPP certificate for the SRV target only', services: [service('xmpp', [at('192.0.2.11', tls({ starttls: { required: false } }, { dnsNames: [XEDGE] }))])], expected: XMPP_OK.replace('xmpp-cert-name:pass', 'xmpp-cert-name:fail') },
  ...(['no-starttls', 'starttls-failure', 'stream-error', 'protocol-error'] as const).map((kind) => ({
    title: `XMPP ${kind}`,
    services: [service('xmpp', [at('192.0.2.11', { kind, reason: kind, ...(kind === 'stream-error' ? { condition: 'host-unknown' } : {}) })])],
    expected: 'xmpp-starttls:fail',
  })),
  { title: 'XMPP stream stalls: unknown', services: [service('xmpp', [at('192.0.2.11', { kind: 'timeout', phase: 'stream', reason: 'stalled' })])], expected: 'xmpp-starttls:unknown' },
  {
    title: 'XMPP expired, self-signed',
    services: [service('xmpp', [at('192.0.2.11', tls({ trust: { kind: 'self-signed' }, path: [cert({ ...XLEAF, notAfter: days(-1) })] }, { ...XLEAF, notAfter: days(-1) }))])],
    expected: 'xmpp-cert-expiry:fail xmpp-cert-name:pass xmpp-cert-trust:fail xmpp-starttls:pass',
  },
  { title: 'XEP-0368 direct TLS', services: [service('xmpps', [at('192.0.2.11', tls({ alpn: 'xmpp-server' }, XLEAF))])], expected: XMPP_OK },
];

/** The scenario as an observation of D with good DNS records. */
export async function tlsObservation(s: TlsScenario): Promise<{ observation: DomainObservation; expectations: DomainExpectations }> {
  const { observation, expectations } = await observe([...GOOD_SIP, ...GOOD_XMPP]);
  const probe: ProbeObservation = { at: AT, expiryWarnDays: s.expiryWarnDays ?? 30, services: s.services };
  return { observation: { ...observation, probe }, expectations };
}
