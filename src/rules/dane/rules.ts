/**
 * The DANE rule: pure functions of what `--probe` observed
 * (src/check/probe-observe.ts): each SRV target's TLSA lookup and each of its
 * addresses' chains. One finding per SRV target, port and address whose
 * handshake completed (different addresses may be different machines); one
 * per target when the TLSA lookup itself could not tell.
 */
import type { DaneRuleId } from './catalogue.js';
import { matchTlsa, type DaneMatch, type TlsaData } from '../../probe/dane.js';
import { nameKey } from '../../dns/name-text.js';
import type { AddressProbe, AnswerSecurity, ProbeOutcome, ServiceProbe, TargetProbe, TlsaLookup, TlsOutcome } from '../../probe/types.js';
import { lookupFailure } from '../messages.js';
import { defineRule, type Finding, type Rule } from '../types.js';
import { say, type AddressFacts, type TlsaFacts } from './messages.js';

/** A record in presentation form, `usage selector matching-type data` (data in full, lower case). */
function tlsaText(r: TlsaData): string {
  return `${r.usage} ${r.selector} ${r.matchingType} ${r.data.toLowerCase()}`;
}

/** The TLSA records of a lookup (none unless it answered). */
export function tlsaRecords(lookup: TlsaLookup): TlsaData[] {
  return lookup.outcome.kind === 'answer' ? lookup.outcome.records.flatMap((r) => (r.type === 'TLSA' ? [{ usage: r.usage, selector: r.selector, matchingType: r.matchingType, data: r.data }] : [])) : [];
}

/**
 * The reference identifiers a match of usage 0–2 needs the certificate to name, for the services
 * whose name check is by dNSName (SIP: the SRV target): the TLSA base domain first, the primary one
 * (RFC 7671 §7: the securely expanded name when the records were found there), then the SRV target
 * itself. Undefined for XMPP, whose identities (the domain as dNSName, SRV-ID or XmppAddr, RFC 6120
 * §13.7.2.1) are judged by xmpp-cert-name: a dNSName-only check here would be a false red.
 */
export function daneNames(service: ServiceProbe, target: TargetProbe, lookup: TlsaLookup): readonly string[] | undefined {
  if (service.mode !== 'tls') return undefined;
  const base = lookup.baseDomain.replace(/\.$/, '');
  const own = target.target.replace(/\.$/, '');
  return nameKey(base) === nameKey(own) ? [own] : [base, own];
}

/** The handshake DANE is judged on: the one with the TLSA base domain as SNI when it was made apart (RFC 7671 §7), else the address's own. */
export function daneOutcome(a: AddressProbe): { readonly serverName?: string; readonly outcome: ProbeOutcome } {
  return a.dane ?? { outcome: a.outcome };
}

/** DANE's inputs for one probed address: the chain as DER (absent for outcomes built without it). */
export function daneMatchOf(lookup: TlsaLookup, o: TlsOutcome, names?: readonly string[]): DaneMatch | undefined {
  if (o.der === undefined) return undefined;
  return matchTlsa(tlsaRecords(lookup), { sent: o.der.chain, path: o.der.path, pkixValid: o.trust.kind === 'trusted', ...(names !== undefined ? { names } : {}) });
}

/** What must be secure for the TLSA records to count (RFC 7673 §3): the SRV, TLSA and target address answers. */
export function daneSecurity(service: ServiceProbe, lookup: TlsaLookup): { readonly srv: AnswerSecurity; readonly tlsa: AnswerSecurity; readonly addresses: AnswerSecurity } {
  return { srv: service.srvSecurity, tlsa: lookup.security, addresses: lookup.addressSecurity };
}

function baseFacts(service: ServiceProbe, target: TargetProbe, lookup: TlsaLookup): TlsaFacts {
  return { service: service.service, owner: service.owner, target: target.target, port: target.port, tlsaOwner: lookup.owner, baseDomain: lookup.baseDomain };
}

/** The finding of one address whose handshake completed. */
function addressFinding(service: ServiceProbe, target: TargetProbe, lookup: TlsaLookup, a: AddressProbe, o: TlsOutcome, serverName: string, sameLeaf: boolean): Finding<'dane-tlsa'> | undefined {
  const names = daneNames(service, target, lookup);
  const match = daneMatchOf(lookup, o, names);
  if (match === undefined) return undefined;
  const security = daneSecurity(service, lookup);
  const m = match.match;
  const facts: AddressFacts = {
    ...baseFacts(service, target, lookup),
    serverName,
    names: names ?? null,
    matchedName: m?.name ?? null,
    sameLeaf,
    address: a.address,
    srvSecurity: security.srv,
    addressSecurity: security.addresses,
    tlsaSecurity: security.tlsa,
    records: match.records.map((r) => ({ record: tlsaText(r), mnemonic: r.mnemonic, usable: r.usable, reason: r.reason ?? null, supersededBy: r.supersededBy ?? null })),
    usable: match.usable,
    matched: m !== undefined ? tlsaText(m) : null,
    usage: m !== undefined ? m.mnemonic.split(' ')[0]! : null,
    matchedDepth: m?.depth ?? null,
    matchedSubject: m?.subject ?? null,
    daneEe: match.daneEe,
  };
  const name = lookup.owner;
  if (security.tlsa === 'bogus') return say('dane-tlsa', 'fail', name, 'tlsa-bogus', facts);
  if (security.srv !== 'secure' || security.addresses !== 'secure' || security.tlsa !== 'secure') return say('dane-tlsa', 'warn', name, 'tlsa-not-secure', facts);
  if (match.usable === 0) return say('dane-tlsa', 'warn', name, 'tlsa-none-usable', facts);
  if (facts.matched !== null) return say('dane-tlsa', 'pass', name, 'tlsa-match', { ...facts, matched: facts.matched });
  return say('dane-tlsa', 'fail', name, 'tlsa-no-match', facts);
}

const daneTlsa = defineRule(['dane-tlsa'], (obs) => {
  const findings: Finding<'dane-tlsa'>[] = [];
  for (const service of obs.probe?.services ?? []) {
    for (const target of service.targets) {
      const lookup = target.tlsa;
      if (lookup === undefined) continue;
      const o = lookup.outcome;
      if (o.kind === 'error' && o.reason === 'bogus') {
        // RFC 6698 §4.1: a bogus TLSA answer makes DANE clients abort the connection.
        const facts = { ...baseFacts(service, target, lookup), outcome: 'bogus' as const, tlsaSecurity: 'bogus' as const, resolver: o.server ?? null, lookup: lookupFailure(o) };
        findings.push(say('dane-tlsa', 'fail', lookup.owner, 'tlsa-lookup-bogus', facts));
        continue;
      }
      if (o.kind === 'error' || o.kind === 'referral') {
        findings.push(say('dane-tlsa', 'unknown', lookup.owner, 'tlsa-lookup-unknown', { ...baseFacts(service, target, lookup), outcome: o.kind, lookup: lookupFailure(o) }, o.detail));
        continue;
      }
      // NODATA / NXDOMAIN: no DANE for this target, nothing to report.
      if (o.kind !== 'answer' || tlsaRecords(lookup).length === 0) continue;
      for (const a of target.addresses) {
        if (a.outcome.kind !== 'tls') continue;
        const judged = daneOutcome(a);
        const serverName = judged.serverName ?? target.serverName;
        if (judged.outcome.kind !== 'tls') {
          // The address completes a handshake with its own SNI, not with the TLSA base domain DANE partners send (RFC 7671 §7).
          const failure = judged.outcome;
          const facts = { ...baseFacts(service, target, lookup), address: a.address, serverName, failure: failure.kind, reason: failure.reason };
          findings.push(say('dane-tlsa', failure.kind === 'tls-error' ? 'fail' : 'unknown', lookup.owner, 'tlsa-sni-failed', facts, failure.reason));
          continue;
        }
        // The name and expiry findings judge the target's own handshake: a DANE-EE match overrides them only when it is the same certificate.
        const sameLeaf = judged.outcome === a.outcome || judged.outcome.chain[0]?.fingerprint256 === a.outcome.chain[0]?.fingerprint256;
        const f = addressFinding(service, target, lookup, a, judged.outcome, serverName, sameLeaf);
        if (f !== undefined) findings.push(f);
      }
    }
  }
  return findings;
}, 'probe');

/** The DANE rules, in report order; they find nothing without `--probe`. */
export const DANE_RULES: readonly Rule<DaneRuleId>[] = [daneTlsa];
