/**
 * What `--probe` might observe of contoso.example's TLSA records, one
 * scenario per outcome `dane-tlsa` tells apart (and the overrides of RFC 7671
 * §5.1), with the `rule:status` pairs expected of the tls and dane families.
 * The certificates are real (made with `openssl`, test/support/tls-pki.ts),
 * the TLSA data computed by `openssl` too; the chain is validated by the
 * probe's own verifyChain, as a probe would.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type { ResourceRecord } from '../../../src/dns/codec.js';
import type { LookupOutcome } from '../../../src/lookup/types.js';
import { certificatesOfPem, summarise, TrustStore, verifyChain } from '../../../src/probe/certificate.js';
import type { AnswerSecurity, ProbeObservation, ServiceProbe, TlsaLookup, TlsOutcome } from '../../../src/probe/types.js';
import type { DomainExpectations, DomainObservation } from '../../../src/rules/types.js';
import { ensurePackages } from '../../support/real-servers.js';
import { makePki, opensslTlsaData, type Issued, type Pki } from '../../support/tls-pki.js';
import { D, EDGE, GOOD_SIP, GOOD_XMPP, observe, XEDGE } from '../scenarios.js';

interface Certs {
  readonly pki: Pki;
  readonly good: Issued;
  readonly wrongName: Issued;
  readonly expired: Issued;
  readonly xmppTarget: Issued;
  /** Names only the expanded name of the secure alias (RFC 7671 §7 scenarios). */
  readonly expandedOnly: Issued;
}

let made: Certs | undefined;

/** The certificates, made once per process. */
function certs(): Certs {
  if (made === undefined) {
    ensurePackages(['openssl']);
    const pki = makePki();
    made = {
      pki,
      good: pki.issue('good', { san: [`DNS:${EDGE}`, `DNS:${D}`] }),
      wrongName: pki.issue('wrong', { san: ['DNS:other.example'] }),
      expired: pki.issue('expired', { san: [`DNS:${EDGE}`], startDays: -400, endDays: -3 }),
      xmppTarget: pki.issue('xtarget', { san: [`DNS:${XEDGE}`] }),
      expandedOnly: pki.issue('expanded', { san: [`DNS:${EXPANDED}`] }),
    };
  }
  return made;
}

/** A probe of a server sending `issued` and the intermediate, judged now against the test root. */
function probeOf(issued: Issued): TlsOutcome {
  const c = certs();
  const sent = [...certificatesOfPem(readFileSync(issued.cert, 'utf8')), new X509Certificate(readFileSync(c.pki.intermediate))];
  const { trust, path } = verifyChain(sent, new TrustStore(certificatesOfPem(readFileSync(c.pki.rootCa, 'utf8')), { systemRoots: false }), new Date());
  return {
    kind: 'tls',
    version: 'TLSv1.3',
    cipher: 'TLS_AES_128_GCM_SHA256',
    legacyOnly: false,
    chain: sent.map(summarise),
    path: path.map(summarise),
    trust,
    ...(issued === c.xmppTarget ? { starttls: { required: true } } : {}),
    der: { chain: sent.map((x) => x.raw), path: path.map((x) => x.raw) },
  };
}

type Rdata = readonly [number, number, number, string];

function tlsaLookup(owner: string, answer: readonly Rdata[] | 'nxdomain' | 'error' | 'bogus', security: { tlsa?: AnswerSecurity; addresses?: AnswerSecurity } = {}): TlsaLookup {
  const base = { name: owner, type: 'TLSA' as const, chain: [], server: '192.0.2.53:53', transport: 'udp' as const, authenticated: (security.tlsa ?? 'secure') === 'secure' };
  const outcome: LookupOutcome =
    answer === 'error'
      ? { kind: 'error', name: owner, type: 'TLSA', chain: [], reason: 'timeout', detail: 'timeout after 3 tries to 192.0.2.53:53' }
      : answer === 'bogus'
        ? { kind: 'error', name: owner, type: 'TLSA', chain: [], reason: 'bogus', detail: 'DNSSEC validation failed at 192.0.2.53:53 (the answer with CD=1 has records)', server: '192.0.2.53:53' }
        : answer === 'nxdomain'
        ? { ...base, kind: 'nxdomain' }
        : { ...base, kind: 'answer', records: answer.map(([usage, selector, matchingType, data]): ResourceRecord => ({ type: 'TLSA', name: owner, ttl: 300, usage, selector, matchingType, data })) };
  const baseDomain = owner.replace(/^_\d+\._tcp\./, '');
  return { owner, baseDomain, ...(baseDomain === EXPANDED ? { expandedName: EXPANDED } : {}), outcome, security: answer === 'error' ? 'unknown' : answer === 'bogus' ? 'bogus' : (security.tlsa ?? 'secure'), addressSecurity: security.addresses ?? 'secure' };
}

/** The name the SRV target securely aliases to in the RFC 7671 §7 scenarios. */
export const EXPANDED = 'edge.provider.example';

/** One scenario: which certificate the edge sends, the TLSA records, what is secure. */
export interface DaneScenario {
  readonly title: string;
  readonly service?: 'sipfed' | 'xmpp';
  readonly cert: (c: Certs) => Issued;
  readonly tlsa: (c: Certs) => readonly Rdata[] | 'nxdomain' | 'error' | 'bogus';
  readonly srvSecure?: boolean;
  readonly tlsaSecurity?: AnswerSecurity;
  readonly addressSecurity?: AnswerSecurity;
  /**
   * The SRV target is a secure alias of {@link EXPANDED} holding the TLSA records (RFC 7671 §7): the
   * certificate the server sends for that name as SNI, or a handshake that fails with it.
   */
  readonly expanded?: (c: Certs) => Issued | 'tls-error' | 'timeout';
  /** Sorted `rule:status` pairs of the certificate-name, expiry and DANE findings. */
  readonly expected: string;
}

const ee = (i: Issued): Rdata => [3, 1, 1, opensslTlsaData(i.cert, 1, 1)];

export const DANE_SCENARIOS: readonly DaneScenario[] = [
  { title: 'a secure matching DANE-EE record', cert: (c) => c.good, tlsa: (c) => [ee(c.good)], expected: 'dane-tlsa:pass sipfed-cert-expiry:pass sipfed-cert-name:pass' },
  { title: 'a secure matching DANE-EE record, a wrong name: overridden', cert: (c) => c.wrongName, tlsa: (c) => [ee(c.wrongName)], expected: 'dane-tlsa:pass sipfed-cert-expiry:pass sipfed-cert-name:info' },
  { title: 'a secure matching DANE-EE record, an expired certificate: overridden', cert: (c) => c.expired, tlsa: (c) => [ee(c.expired)], expected: 'dane-tlsa:pass sipfed-cert-expiry:info sipfed-cert-name:pass' },
  // RFC 7671 §7, §10.2: usages other than DANE-EE check the name too, so DANE partners refuse this one as well.
  { title: 'a secure DANE-TA record for the intermediate sent, a wrong name: no match, not overridden', cert: (c) => c.wrongName, tlsa: (c) => [[2, 1, 1, opensslTlsaData(c.pki.intermediate, 1, 1)]], expected: 'dane-tlsa:fail sipfed-cert-expiry:pass sipfed-cert-name:fail' },
  { title: 'a secure DANE-TA record for the intermediate sent, the right name', cert: (c) => c.good, tlsa: (c) => [[2, 1, 1, opensslTlsaData(c.pki.intermediate, 1, 1)]], expected: 'dane-tlsa:pass sipfed-cert-expiry:pass sipfed-cert-name:pass' },
  // RFC 7671 §9: the matching SHA2-256 record is ignored beside a SHA2-512 one of the same usage and selector.
  { title: 'a matching SHA2-256 record beside a wrong SHA2-512 one: agility ignores the weaker', cert: (c) => c.good, tlsa: (c) => [ee(c.good), [3, 1, 2, opensslTlsaData(c.wrongName.cert, 1, 2)]], expected: 'dane-tlsa:fail sipfed-cert-expiry:pass sipfed-cert-name:pass' },
  { title: 'a secure PKIX-EE record (full certificate, SHA-512)', cert: (c) => c.good, tlsa: (c) => [[1, 0, 2, opensslTlsaData(c.good.cert, 0, 2)]], expected: 'dane-tlsa:pass sipfed-cert-expiry:pass sipfed-cert-name:pass' },
  { title: 'a secure PKIX-TA record for the root not sent', cert: (c) => c.good, tlsa: (c) => [[0, 1, 1, opensslTlsaData(c.pki.rootCa, 1, 1)]], expected: 'dane-tlsa:pass sipfed-cert-expiry:pass sipfed-cert-name:pass' },
  { title: 'secure records that match nothing', cert: (c) => c.good, tlsa: (c) => [ee(c.wrongName), [2, 0, 1, opensslTlsaData(c.good.cert, 0, 1)]], expected: 'dane-tlsa:fail sipfed-cert-expiry:pass sipfed-cert-name:pass' },
  { title: 'a matching record over an insecure SRV answer', srvSecure: false, cert: (c) => c.wrongName, tlsa: (c) => [ee(c.wrongName)], expected: 'dane-tlsa:warn sipfed-cert-expiry:pass sipfed-cert-name:fail' },
  { title: 'a matching record in an unsigned zone', tlsaSecurity: 'insecure', cert: (c) => c.good, tlsa: (c) => [ee(c.good)], expected: 'dane-tlsa:warn sipfed-cert-expiry:pass sipfed-cert-name:pass' },
  { title: 'a matching record, the target address insecure', addressSecurity: 'insecure', cert: (c) => c.good, tlsa: (c) => [ee(c.good)], expected: 'dane-tlsa:warn sipfed-cert-expiry:pass sipfed-cert-name:pass' },
  { title: 'a bogus TLSA answer', tlsaSecurity: 'bogus', cert: (c) => c.good, tlsa: (c) => [ee(c.good)], expected: 'dane-tlsa:fail sipfed-cert-expiry:pass sipfed-cert-name:pass' },
  { title: 'secure records, none usable', cert: (c) => c.good, tlsa: (c) => [[4, 1, 1, opensslTlsaData(c.good.cert, 1, 1)], [3, 1, 1, 'abcd']], expected: 'dane-tlsa:warn sipfed-cert-expiry:pass sipfed-cert-name:pass' },
  { title: 'the TLSA lookup failed validation (SERVFAIL that CD=1 lifts): fail, never absent', cert: (c) => c.good, tlsa: () => 'bogus', expected: 'dane-tlsa:fail sipfed-cert-expiry:pass sipfed-cert-name:pass' },
  { title: 'the TLSA lookup timed out: unknown, never absent', cert: (c) => c.good, tlsa: () => 'error', expected: 'dane-tlsa:unknown sipfed-cert-expiry:pass sipfed-cert-name:pass' },
  { title: 'no TLSA records: nothing to say', cert: (c) => c.good, tlsa: () => 'nxdomain', expected: 'sipfed-cert-expiry:pass sipfed-cert-name:pass' },
  // RFC 7671 §7: the target is a secure alias with TLSA records at the expanded name, sent as SNI on a handshake of its own.
  {
    title: 'a secure alias: a DANE-TA record, the certificate for the expanded name (sent as SNI) names only it',
    cert: (c) => c.good,
    expanded: (c) => c.expandedOnly,
    tlsa: (c) => [[2, 1, 1, opensslTlsaData(c.pki.intermediate, 1, 1)]],
    expected: 'dane-tlsa:pass sipfed-cert-expiry:pass sipfed-cert-name:pass',
  },
  {
    title: 'a secure alias: the certificate for the expanded name names neither name',
    cert: (c) => c.good,
    expanded: (c) => c.wrongName,
    tlsa: (c) => [[2, 1, 1, opensslTlsaData(c.pki.intermediate, 1, 1)]],
    expected: 'dane-tlsa:fail sipfed-cert-expiry:pass sipfed-cert-name:pass',
  },
  // The server sends another certificate for the expanded name: its DANE-EE match says nothing about the one the target's SNI gets.
  { title: 'a secure alias: a DANE-EE match on the expanded name\'s certificate does not override the target\'s', cert: (c) => c.wrongName, expanded: (c) => c.expandedOnly, tlsa: (c) => [ee(c.expandedOnly)], expected: 'dane-tlsa:pass sipfed-cert-expiry:pass sipfed-cert-name:fail' },
  { title: 'a secure alias, the same certificate for both names: a DANE-EE match overrides', cert: (c) => c.wrongName, expanded: (c) => c.wrongName, tlsa: (c) => [ee(c.wrongName)], expected: 'dane-tlsa:pass sipfed-cert-expiry:pass sipfed-cert-name:info' },
  // A handshake that only timed out says nothing of the server: could not tell, never a failure.
  { title: 'a secure alias whose handshake with the expanded name as SNI times out: unknown', cert: (c) => c.good, expanded: () => 'timeout', tlsa: (c) => [ee(c.good)], expected: 'dane-tlsa:unknown sipfed-cert-expiry:pass sipfed-cert-name:pass' },
  { title: 'a secure alias whose server refuses the expanded name as SNI', cert: (c) => c.good, expanded: () => 'tls-error', tlsa: (c) => [ee(c.good)], expected: 'dane-tlsa:fail sipfed-cert-expiry:pass sipfed-cert-name:pass' },
  {
    title: 'XMPP: a secure DANE-EE record for a certificate naming only the SRV target: overridden',
    service: 'xmpp',
    cert: (c) => c.xmppTarget,
    tlsa: (c) => [ee(c.xmppTarget)],
    expected: 'dane-tlsa:pass xmpp-cert-expiry:pass xmpp-cert-name:info',
  },
];

/** The scenario as an observation of D with good DNS records. */
export async function daneObservation(s: DaneScenario): Promise<{ observation: DomainObservation; expectations: DomainExpectations }> {
  const c = certs();
  const { observation, expectations } = await observe([...GOOD_SIP, ...GOOD_XMPP]);
  const sip = (s.service ?? 'sipfed') === 'sipfed';
  const target = sip ? EDGE : XEDGE;
  const port = sip ? 5061 : 5269;
  const base = s.expanded !== undefined ? EXPANDED : target;
  const owner = `_${port}._tcp.${base}`;
  const daneCert = s.expanded?.(c);
  const dane =
    daneCert === undefined
      ? {}
      : {
          dane: {
            serverName: EXPANDED,
            outcome:
              daneCert === 'tls-error'
                ? ({ kind: 'tls-error', reason: 'TLS handshake failed: tlsv1 unrecognized name (alert 112)' } as const)
                : daneCert === 'timeout'
                  ? ({ kind: 'timeout', reason: 'no answer within 3000 ms (TLS handshake)' } as const)
                  : probeOf(daneCert),
          },
        };
  const service: ServiceProbe = {
    service: sip ? 'sipfed' : 'xmpp',
    owner: sip ? `_sipfederationtls._tcp.${D}` : `_xmpp-server._tcp.${D}`,
    mode: sip ? 'tls' : 'xmpp-starttls',
    srvSecurity: (s.srvSecure ?? true) ? 'secure' : 'insecure',
    targets: [
      {
        target,
        port,
        serverName: sip ? EDGE : D,
        addresses: [{ address: sip ? '192.0.2.10' : '192.0.2.11', family: 4, outcome: probeOf(s.cert(c)), ...dane }],
        tlsa: tlsaLookup(owner, s.tlsa(c), { ...(s.tlsaSecurity !== undefined ? { tlsa: s.tlsaSecurity } : {}), ...(s.addressSecurity !== undefined ? { addresses: s.addressSecurity } : {}) }),
      },
    ],
  };
  const probe: ProbeObservation = { at: new Date().toISOString(), expiryWarnDays: 30, services: [service] };
  return { observation: { ...observation, probe }, expectations };
}
