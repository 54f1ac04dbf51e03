/**
 * The TLS probe's rules: pure functions of what `--probe` observed
 * (src/check/probe-observe.ts). One finding per rule, SRV target, port and
 * address: different addresses of one name may be different machines with
 * different certificates.
 */
import type { AddressProbe, CertificateSummary, ProbeFailure, ServiceProbe, TargetProbe, TlsOutcome, TrustVerdict } from '../../probe/types.js';
import { defineRule, type Status, type Finding, type FindingFacts, type Rule } from '../types.js';
import { say, type ProbeFacts, type TLS_MESSAGES } from './messages.js';
import type { TlsRuleId } from './catalogue.js';
import { coveringName } from './names.js';
import type { FactsOf } from '../messages.js';

const DAY_MS = 86_400_000;

/** The facts every probe finding carries. */
function baseFacts(service: ServiceProbe, target: TargetProbe, a: AddressProbe): ProbeFacts {
  return { service: service.service, owner: service.owner, target: target.target, address: a.address, port: target.port };
}

type Code = keyof typeof TLS_MESSAGES;

/** A probe finding about one address: the base facts and the code's own. */
function finding<Id extends TlsRuleId, C extends Code>(
  rule: Id,
  status: Status,
  service: ServiceProbe,
  target: TargetProbe,
  a: AddressProbe,
  code: C,
  extra: Omit<FactsOf<typeof TLS_MESSAGES, C>, keyof ProbeFacts> & FindingFacts,
  reason?: string,
): Finding<Id> {
  const facts = { ...baseFacts(service, target, a), ...extra } as FactsOf<typeof TLS_MESSAGES, C> & FindingFacts;
  return say(rule, status, target.target, code, facts, reason);
}

type Family = 'sip' | 'xmpp';
const servicesOf = (family: Family, services: readonly ServiceProbe[]): ServiceProbe[] =>
  services.filter((s) => (family === 'sip' ? s.service === 'sipfed' || s.service === 'sip-tls' : s.service === 'xmpp' || s.service === 'xmpps' || s.service === 'xmpp-fallback'));

/** Each probed address of the family's services. */
function* addresses(family: Family, services: readonly ServiceProbe[]): Generator<[ServiceProbe, TargetProbe, AddressProbe]> {
  for (const service of servicesOf(family, services)) for (const target of service.targets) for (const a of target.addresses) yield [service, target, a];
}

/** Each address whose handshake completed. */
function* handshakes(family: Family, services: readonly ServiceProbe[]): Generator<[ServiceProbe, TargetProbe, AddressProbe, TlsOutcome]> {
  for (const [s, t, a] of addresses(family, services)) if (a.outcome.kind === 'tls') yield [s, t, a, a.outcome];
}

/**
 * The status of a probe that did not complete: a timeout is unknown (from
 * one vantage point a filter cannot be told from a dead edge); no route from
 * here is no evidence — info while another address of the target was tried,
 * unknown when none could be; anything the endpoint itself said is a fail.
 */
function failureStatus(failure: ProbeFailure, target: TargetProbe): Status {
  if (failure.kind === 'timeout') return 'unknown';
  if (failure.kind === 'no-route') return target.addresses.some((a) => a.outcome.kind !== 'no-route') ? 'info' : 'unknown';
  return 'fail';
}

function failureFinding<Id extends TlsRuleId>(rule: Id, s: ServiceProbe, t: TargetProbe, a: AddressProbe, failure: ProbeFailure, attempt: 'tls' | 'direct-tls' | 'starttls'): Finding<Id> {
  const status = failureStatus(failure, t);
  const facts = { outcome: failure.kind, ...(failure.condition !== undefined ? { condition: failure.condition } : {}), detail: failure.reason };
  const reason = status === 'unknown' || status === 'info' ? failure.reason : undefined;
  if (failure.kind === 'no-route') return finding(rule, status, s, t, a, 'probe-no-route', facts, reason);
  if (status === 'unknown') return finding(rule, status, s, t, a, 'probe-unknown', { ...facts, attempt }, reason);
  return finding(rule, status, s, t, a, 'probe-failed', facts, reason);
}

// ---------------------------------------------------------------------------
// Connections

const sipTls = defineRule(['sipfed-tls'], (obs) => {
  const findings: Finding<'sipfed-tls'>[] = [];
  for (const [s, t, a] of addresses('sip', obs.probe?.services ?? [])) {
    const o = a.outcome;
    if (o.kind !== 'tls') findings.push(failureFinding('sipfed-tls', s, t, a, o, 'tls'));
    else if (o.endedAfterCertificate !== undefined) {
      findings.push(finding('sipfed-tls', 'pass', s, t, a, 'tls-client-certificate', { version: o.version, cipher: o.cipher, endedAfterCertificate: o.endedAfterCertificate }));
    } else findings.push(finding('sipfed-tls', 'pass', s, t, a, 'tls-handshake', { version: o.version, cipher: o.cipher }));
  }
  return findings;
}, 'probe');

const MODERN = new Set(['TLSv1.2', 'TLSv1.3']);

const sipTlsVersion = defineRule(['sipfed-tls-version'], (obs) => {
  const findings: Finding<'sipfed-tls-version'>[] = [];
  for (const [s, t, a, o] of handshakes('sip', obs.probe?.services ?? [])) {
    const facts = { version: o.version, legacyOnly: o.legacyOnly, modernError: o.modernError ?? null };
    findings.push(MODERN.has(o.version) ? finding('sipfed-tls-version', 'pass', s, t, a, 'tls-version-modern', facts) : finding('sipfed-tls-version', 'fail', s, t, a, 'tls-version-legacy', facts));
  }
  return findings;
}, 'probe');

const xmppStarttls = defineRule(['xmpp-starttls'], (obs) => {
  const findings: Finding<'xmpp-starttls'>[] = [];
  for (const [s, t, a] of addresses('xmpp', obs.probe?.services ?? [])) {
    const o = a.outcome;
    const direct = s.mode === 'xmpps';
    if (o.kind !== 'tls') {
      findings.push(failureFinding('xmpp-starttls', s, t, a, o, direct ? 'direct-tls' : 'starttls'));
      continue;
    }
    findings.push(
      direct
        ? finding('xmpp-starttls', 'pass', s, t, a, 'direct-tls', { version: o.version, cipher: o.cipher, alpn: o.alpn ?? null })
        : finding('xmpp-starttls', 'pass', s, t, a, 'starttls', { version: o.version, cipher: o.cipher, required: o.starttls?.required === true }),
    );
  }
  return findings;
}, 'probe');

// ---------------------------------------------------------------------------
// Certificates

function trustRule<Id extends 'sipfed-cert-trust' | 'xmpp-cert-trust'>(id: Id, family: Family): Rule<Id> {
  return defineRule([id], (obs) => {
    const findings: Finding<Id>[] = [];
    for (const [s, t, a, o] of handshakes(family, obs.probe?.services ?? [])) {
      const chain = o.chain.map((c) => c.subject);
      const v = o.trust;
      findings.push(
        v.kind === 'trusted'
          ? finding(id, 'pass', s, t, a, 'cert-trusted', { trust: v.kind, chain, anchor: v.anchor })
          : finding(id, 'fail', s, t, a, 'cert-untrusted', {
              trust: v.kind,
              chain,
              issuer: 'issuer' in v ? v.issuer : null,
              subject: 'subject' in v ? v.subject : null,
              notAfter: 'notAfter' in v ? v.notAfter : null,
              notBefore: 'notBefore' in v ? v.notBefore : null,
            }),
      );
    }
    return findings;
  }, 'probe');
}

function expiryRule<Id extends 'sipfed-cert-expiry' | 'xmpp-cert-expiry'>(id: Id, family: Family): Rule<Id> {
  return defineRule([id], (obs) => {
    const probe = obs.probe;
    if (probe === undefined) return [];
    const at = Date.parse(probe.at);
    const findings: Finding<Id>[] = [];
    for (const [s, t, a, o] of handshakes(family, probe.services)) {
      const leaf = o.chain[0];
      if (leaf === undefined) continue;
      // The path as validated: an expired cross-signature the server also sends is not on it.
      const elements = o.path.length > 0 ? o.path : o.chain;
      const soonest = elements.reduce((x, c) => (Date.parse(c.notAfter) < Date.parse(x.notAfter) ? c : x), leaf);
      const days = Math.floor((Date.parse(soonest.notAfter) - at) / DAY_MS);
      const facts = { notAfter: soonest.notAfter, days, subject: soonest.subject, leafNotAfter: leaf.notAfter, warnDays: probe.expiryWarnDays, onChain: soonest !== leaf };
      if (Date.parse(leaf.notBefore) > at) findings.push(finding(id, 'fail', s, t, a, 'cert-not-yet-valid', { ...facts, notBefore: leaf.notBefore }));
      else if (days < 0 || Date.parse(soonest.notAfter) <= at) findings.push(finding(id, 'fail', s, t, a, 'cert-expired', facts));
      else if (days < probe.expiryWarnDays) findings.push(finding(id, 'warn', s, t, a, 'cert-expiring', facts));
      else findings.push(finding(id, 'pass', s, t, a, 'cert-valid', facts));
    }
    return findings;
  }, 'probe');
}

const sipCertName = defineRule(['sipfed-cert-name'], (obs) => {
  const findings: Finding<'sipfed-cert-name'>[] = [];
  const sip = `sip.${obs.domain}`;
  for (const [s, t, a, o] of handshakes('sip', obs.probe?.services ?? [])) {
    const leaf = o.chain[0];
    if (leaf === undefined) continue;
    const covering = coveringName(leaf.dnsNames, t.target);
    const facts = {
      dnsNames: leaf.dnsNames,
      srvNames: leaf.srvNames,
      xmppAddrs: leaf.xmppAddrs,
      commonName: leaf.commonName ?? null,
      sipDomain: sip,
      sipDomainCovered: coveringName(leaf.dnsNames, sip) !== undefined,
    };
    if (covering !== undefined) findings.push(finding('sipfed-cert-name', 'pass', s, t, a, 'cert-name-covered', { ...facts, covering }));
    else if (leaf.commonName !== undefined && coveringName([leaf.commonName], t.target) !== undefined) findings.push(finding('sipfed-cert-name', 'fail', s, t, a, 'cert-name-cn-only', facts));
    else findings.push(finding('sipfed-cert-name', 'fail', s, t, a, 'cert-name-missing', facts));
  }
  return findings;
}, 'probe');

/** How the certificate covers the XMPP domain (RFC 6120 §13.7.2.1), if it does. */
function xmppIdentity(leaf: CertificateSummary, domain: string, direct: boolean): string | undefined {
  const d = domain.toLowerCase();
  const dns = coveringName(leaf.dnsNames, d);
  if (dns !== undefined) return `dNSName ${dns}`;
  // RFC 6120 §13.7.1.2.1 SRV-ID; XEP-0368 servers may present the _xmpps-server form.
  const srv = leaf.srvNames.find((n) => n === `_xmpp-server.${d}` || (direct && n === `_xmpps-server.${d}`));
  if (srv !== undefined) return `SRV-ID ${srv}`;
  const addr = leaf.xmppAddrs.find((n) => n.toLowerCase() === d);
  if (addr !== undefined) return `XmppAddr ${addr}`;
  return undefined;
}

const xmppCertName = defineRule(['xmpp-cert-name'], (obs) => {
  const findings: Finding<'xmpp-cert-name'>[] = [];
  for (const [s, t, a, o] of handshakes('xmpp', obs.probe?.services ?? [])) {
    const leaf = o.chain[0];
    if (leaf === undefined) continue;
    const facts = { dnsNames: leaf.dnsNames, srvNames: leaf.srvNames, xmppAddrs: leaf.xmppAddrs, srvSecure: s.srvSecurity === 'secure', domain: obs.domain };
    const identity = xmppIdentity(leaf, obs.domain, s.mode === 'xmpps');
    if (identity !== undefined) findings.push(finding('xmpp-cert-name', 'pass', s, t, a, 'xmpp-name-covered', { ...facts, identity }));
    else if (coveringName(leaf.dnsNames, t.target) !== undefined) findings.push(finding('xmpp-cert-name', 'fail', s, t, a, 'xmpp-name-target-only', facts));
    else findings.push(finding('xmpp-cert-name', 'fail', s, t, a, 'xmpp-name-missing', facts));
  }
  return findings;
}, 'probe');

/** The TLS probe's rules, in report order; they find nothing without `--probe`. */
export const TLS_RULES: readonly Rule<TlsRuleId>[] = [
  sipTls,
  sipTlsVersion,
  trustRule('sipfed-cert-trust', 'sip'),
  sipCertName,
  expiryRule('sipfed-cert-expiry', 'sip'),
  xmppStarttls,
  trustRule('xmpp-cert-trust', 'xmpp'),
  xmppCertName,
  expiryRule('xmpp-cert-expiry', 'xmpp'),
];
