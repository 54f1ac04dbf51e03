/**
 * The TLS probe's rules: pure functions of what `--probe` observed
 * (src/check/probe-observe.ts). One finding per rule, SRV target, port and
 * address: different addresses of one name may be different machines with
 * different certificates.
 */
import type { AddressProbe, CertificateSummary, ProbeFailure, ServiceProbe, TargetProbe, TlsOutcome, TrustVerdict } from '../../probe/types.js';
import { defineRule, type Status, type Finding, type FindingFacts, type Rule } from '../types.js';
import type { TlsRuleId } from './catalogue.js';
import { coveringName } from './names.js';
import { count } from '../messages.js';

const DAY_MS = 86_400_000;

const where = (a: AddressProbe, port: number): string => `${a.family === 6 ? `[${a.address}]` : a.address}:${port}`;

/** The facts every probe finding carries. */
function baseFacts(service: ServiceProbe, target: TargetProbe, a: AddressProbe): FindingFacts {
  return { service: service.service, owner: service.owner, target: target.target, address: a.address, port: target.port };
}

function finding<Id extends TlsRuleId>(rule: Id, status: Status, service: ServiceProbe, target: TargetProbe, a: AddressProbe, message: string, extra: FindingFacts = {}, reason?: string): Finding<Id> {
  return { rule, status, name: target.target, message, facts: { ...baseFacts(service, target, a), ...extra }, ...(reason !== undefined ? { reason } : {}) };
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

function failureFinding<Id extends TlsRuleId>(rule: Id, s: ServiceProbe, t: TargetProbe, a: AddressProbe, failure: ProbeFailure, what: string): Finding<Id> {
  const status = failureStatus(failure, t);
  const facts: FindingFacts = { outcome: failure.kind, ...(failure.condition !== undefined ? { condition: failure.condition } : {}) };
  const reason = status === 'unknown' || status === 'info' ? failure.reason : undefined;
  const message =
    failure.kind === 'no-route'
      ? `${t.target} at ${where(a, t.port)} was not probed: ${failure.reason} (not evidence either way).`
      : status === 'unknown'
        ? `Could not tell whether ${t.target} at ${where(a, t.port)} ${what}: ${failure.reason}.`
        : `${t.target} at ${where(a, t.port)} (${s.owner}): ${failure.reason}.`;
  return finding(rule, status, s, t, a, message, facts, reason);
}

// ---------------------------------------------------------------------------
// Connections

const sipTls = defineRule(['sipfed-tls'], (obs) => {
  const findings: Finding<'sipfed-tls'>[] = [];
  for (const [s, t, a] of addresses('sip', obs.probe?.services ?? [])) {
    const o = a.outcome;
    if (o.kind !== 'tls') findings.push(failureFinding('sipfed-tls', s, t, a, o, 'accepts TLS'));
    else if (o.endedAfterCertificate !== undefined) {
      findings.push(
        finding(
          'sipfed-tls',
          'pass',
          s,
          t,
          a,
          `${t.target} at ${where(a, t.port)} speaks TLS (${o.version}) and sent its certificate, then ended the handshake (${o.endedAfterCertificate}): it asks for a client certificate (mutual TLS between edges), which partners' edges present and this probe does not.`,
          { version: o.version, cipher: o.cipher, endedAfterCertificate: o.endedAfterCertificate },
        ),
      );
    } else findings.push(finding('sipfed-tls', 'pass', s, t, a, `${t.target} at ${where(a, t.port)} completes a TLS handshake (${o.version}, ${o.cipher}).`, { version: o.version, cipher: o.cipher }));
  }
  return findings;
});

const MODERN = new Set(['TLSv1.2', 'TLSv1.3']);

const sipTlsVersion = defineRule(['sipfed-tls-version'], (obs) => {
  const findings: Finding<'sipfed-tls-version'>[] = [];
  for (const [s, t, a, o] of handshakes('sip', obs.probe?.services ?? [])) {
    const facts = { version: o.version, legacyOnly: o.legacyOnly };
    if (MODERN.has(o.version)) {
      const note = o.legacyOnly ? ` only at OpenSSL security level 0 (weak keys or ciphers; the normal handshake failed: ${o.modernError ?? 'unknown'})` : '';
      findings.push(finding('sipfed-tls-version', 'pass', s, t, a, `${t.target} at ${where(a, t.port)} negotiates ${o.version}${note}.`, facts));
    } else {
      findings.push(
        finding('sipfed-tls-version', 'fail', s, t, a, `${t.target} at ${where(a, t.port)} offers only ${o.version}: a TLS 1.2 handshake failed (${o.modernError ?? 'refused'}), so Microsoft 365 and current partners cannot connect.`, facts),
      );
    }
  }
  return findings;
});

const xmppStarttls = defineRule(['xmpp-starttls'], (obs) => {
  const findings: Finding<'xmpp-starttls'>[] = [];
  for (const [s, t, a] of addresses('xmpp', obs.probe?.services ?? [])) {
    const o = a.outcome;
    const direct = s.mode === 'xmpps';
    if (o.kind !== 'tls') {
      findings.push(failureFinding('xmpp-starttls', s, t, a, o, direct ? 'accepts direct TLS' : 'offers STARTTLS'));
      continue;
    }
    const required = o.starttls?.required === true;
    const message = direct
      ? `${t.target} at ${where(a, t.port)} completes direct TLS (XEP-0368, ${o.version}${o.alpn !== undefined ? `, ALPN ${o.alpn}` : ', no ALPN protocol chosen'}).`
      : `${t.target} at ${where(a, t.port)} offers STARTTLS${required ? ' (required)' : ' (not required)'} and proceeds to ${o.version}.`;
    findings.push(finding('xmpp-starttls', 'pass', s, t, a, message, { version: o.version, cipher: o.cipher, ...(direct ? {} : { required }) }));
  }
  return findings;
});

// ---------------------------------------------------------------------------
// Certificates

function trustText(trust: Exclude<TrustVerdict, { kind: 'trusted' }>): string {
  switch (trust.kind) {
    case 'self-signed':
      return 'the certificate is self-signed';
    case 'missing-intermediate':
      return `the chain as sent ends at the leaf, whose issuer "${trust.issuer}" is neither sent nor a trusted root (a missing intermediate, or a private CA: add it with --ca)`;
    case 'unknown-ca':
      return `the chain as sent leads to "${trust.issuer}", which is not a trusted root (an unknown CA; add it with --ca if it is yours)`;
    case 'bad-signature':
      return `the signature on "${trust.subject}" does not verify with the certificate sent as its issuer`;
    case 'expired':
      return `"${trust.subject}" on the chain expired on ${trust.notAfter}`;
    case 'not-yet-valid':
      return `"${trust.subject}" on the chain is not valid before ${trust.notBefore}`;
  }
}

function trustRule<Id extends 'sipfed-cert-trust' | 'xmpp-cert-trust'>(id: Id, family: Family): Rule<Id> {
  return defineRule([id], (obs) => {
    const findings: Finding<Id>[] = [];
    for (const [s, t, a, o] of handshakes(family, obs.probe?.services ?? [])) {
      const facts: FindingFacts = { trust: o.trust.kind, chain: o.chain.map((c) => c.subject) };
      findings.push(
        o.trust.kind === 'trusted'
          ? finding(id, 'pass', s, t, a, `The certificate of ${t.target} at ${where(a, t.port)} chains to the trusted root "${o.trust.anchor}".`, facts)
          : finding(id, 'fail', s, t, a, `The certificate of ${t.target} at ${where(a, t.port)} is not trusted: ${trustText(o.trust)}.`, facts),
      );
    }
    return findings;
  });
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
      const which = soonest === leaf ? 'the certificate' : `"${soonest.subject}" on its chain`;
      const facts: FindingFacts = { notAfter: soonest.notAfter, days, subject: soonest.subject, leafNotAfter: leaf.notAfter, warnDays: probe.expiryWarnDays };
      const host = `${t.target} at ${where(a, t.port)}`;
      if (Date.parse(leaf.notBefore) > at) findings.push(finding(id, 'fail', s, t, a, `The certificate of ${host} is not valid before ${leaf.notBefore}.`, { ...facts, notBefore: leaf.notBefore }));
      else if (days < 0 || Date.parse(soonest.notAfter) <= at) findings.push(finding(id, 'fail', s, t, a, `For ${host}, ${which} expired on ${soonest.notAfter}.`, facts));
      else if (days < probe.expiryWarnDays) findings.push(finding(id, 'warn', s, t, a, `For ${host}, ${which} expires in ${count(days, 'day')} (${soonest.notAfter}; warning under ${probe.expiryWarnDays}).`, facts));
      else findings.push(finding(id, 'pass', s, t, a, `For ${host}, ${which} is valid for ${days} more days (until ${soonest.notAfter}).`, facts));
    }
    return findings;
  });
}

function namesOf(leaf: CertificateSummary): string {
  const all = [...leaf.dnsNames.map((n) => `DNS:${n}`), ...leaf.srvNames.map((n) => `SRV:${n}`), ...leaf.xmppAddrs.map((n) => `XmppAddr:${n}`)];
  return all.length > 0 ? all.join(', ') : 'no subject alternative names';
}

const sipCertName = defineRule(['sipfed-cert-name'], (obs) => {
  const findings: Finding<'sipfed-cert-name'>[] = [];
  const sip = `sip.${obs.domain}`;
  for (const [s, t, a, o] of handshakes('sip', obs.probe?.services ?? [])) {
    const leaf = o.chain[0];
    if (leaf === undefined) continue;
    const host = `${t.target} at ${where(a, t.port)}`;
    const covering = coveringName(leaf.dnsNames, t.target);
    const facts: FindingFacts = { dnsNames: leaf.dnsNames, ...(leaf.commonName !== undefined ? { commonName: leaf.commonName } : {}), sipDomainCovered: coveringName(leaf.dnsNames, sip) !== undefined };
    if (covering !== undefined) {
      const sipNote = t.target.toLowerCase() === sip ? '' : coveringName(leaf.dnsNames, sip) !== undefined ? `; ${sip} is covered too` : `; ${sip} is not (Microsoft asks for sip.<domain> of every SIP domain)`;
      findings.push(finding('sipfed-cert-name', 'pass', s, t, a, `The certificate of ${host} names ${t.target} in its subject alternative names (${covering}${covering.startsWith('*') ? ', a wildcard, which the Access Edge should not use' : ''})${sipNote}.`, facts));
    } else if (leaf.commonName !== undefined && coveringName([leaf.commonName], t.target) !== undefined) {
      findings.push(finding('sipfed-cert-name', 'fail', s, t, a, `The certificate of ${host} names ${t.target} only in its subject CN, which TLS ignores; its subject alternative names are: ${namesOf(leaf)}.`, facts));
    } else {
      findings.push(finding('sipfed-cert-name', 'fail', s, t, a, `The certificate of ${host} does not cover ${t.target}: it names ${namesOf(leaf)}${leaf.commonName !== undefined ? ` (CN ${leaf.commonName})` : ''}.`, facts));
    }
  }
  return findings;
});

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
    const host = `${t.target} at ${where(a, t.port)}`;
    const facts: FindingFacts = { dnsNames: leaf.dnsNames, srvNames: leaf.srvNames, xmppAddrs: leaf.xmppAddrs, srvSecure: s.secure };
    const identity = xmppIdentity(leaf, obs.domain, s.mode === 'xmpps');
    if (identity !== undefined) {
      findings.push(finding('xmpp-cert-name', 'pass', s, t, a, `The certificate of ${host} covers the XMPP domain ${obs.domain} (${identity}).`, { ...facts, identity }));
    } else if (coveringName(leaf.dnsNames, t.target) !== undefined) {
      findings.push(
        finding(
          'xmpp-cert-name',
          'fail',
          s,
          t,
          a,
          `The certificate of ${host} covers only the SRV target ${t.target}, not the XMPP domain ${obs.domain}: partners accept that only when the SRV answer is DNSSEC-secure (RFC 7673), and this one was ${s.secure ? '' : 'not '}validated by the resolver.`,
          facts,
        ),
      );
    } else {
      findings.push(finding('xmpp-cert-name', 'fail', s, t, a, `The certificate of ${host} does not cover the XMPP domain ${obs.domain}: it names ${namesOf(leaf)}.`, facts));
    }
  }
  return findings;
});

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
