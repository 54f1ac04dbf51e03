/**
 * The DANE rule: pure functions of what `--probe` observed
 * (src/check/probe-observe.ts): each SRV target's TLSA lookup and each of its
 * addresses' chains. One finding per SRV target, port and address whose
 * handshake completed (different addresses may be different machines); one
 * per target when the TLSA lookup itself could not tell.
 */
import type { DaneRuleId } from './catalogue.js';
import { matchTlsa, tlsaMnemonic, type DaneMatch, type TlsaData } from '../../probe/dane.js';
import type { AddressProbe, AnswerSecurity, ServiceProbe, TargetProbe, TlsaLookup, TlsOutcome } from '../../probe/types.js';
import type { Status } from '../types.js';
import { defineRule, type Finding, type FindingFacts, type Rule } from '../types.js';

const where = (a: AddressProbe, port: number): string => `${a.family === 6 ? `[${a.address}]` : a.address}:${port}`;

/** A record in presentation form, long data cut for a message. */
export function tlsaText(r: TlsaData, full = false): string {
  const data = r.data.toLowerCase();
  return `${r.usage} ${r.selector} ${r.matchingType} ${full || data.length <= 24 ? data : `${data.slice(0, 16)}…`}`;
}

/** The TLSA records of a lookup (none unless it answered). */
export function tlsaRecords(lookup: TlsaLookup): TlsaData[] {
  return lookup.outcome.kind === 'answer' ? lookup.outcome.records.flatMap((r) => (r.type === 'TLSA' ? [{ usage: r.usage, selector: r.selector, matchingType: r.matchingType, data: r.data }] : [])) : [];
}

/** DANE's inputs for one probed address: the chain as DER (absent for outcomes built without it). */
export function daneMatchOf(lookup: TlsaLookup, o: TlsOutcome): DaneMatch | undefined {
  if (o.der === undefined) return undefined;
  return matchTlsa(tlsaRecords(lookup), { sent: o.der.chain, path: o.der.path, pkixValid: o.trust.kind === 'trusted' });
}

/** What must be secure for the TLSA records to count (RFC 7673 §3), and the weakest of it. */
export function daneSecurity(service: ServiceProbe, lookup: TlsaLookup): { readonly srv: AnswerSecurity; readonly tlsa: AnswerSecurity; readonly addresses: AnswerSecurity; readonly insecure: readonly string[] } {
  const srv = service.srvSecurity;
  const parts: [string, AnswerSecurity][] = [
    [`the SRV answer (${service.owner})`, srv],
    [`the target's address answers`, lookup.addressSecurity],
    [`the TLSA answer`, lookup.security],
  ];
  return { srv, tlsa: lookup.security, addresses: lookup.addressSecurity, insecure: parts.filter(([, s]) => s !== 'secure').map(([what, s]) => `${what} is ${s}`) };
}

function baseFacts(service: ServiceProbe, target: TargetProbe, lookup: TlsaLookup): FindingFacts {
  return { service: service.service, owner: service.owner, target: target.target, port: target.port, tlsaOwner: lookup.owner };
}

/** The finding of one address whose handshake completed. */
function addressFinding(service: ServiceProbe, target: TargetProbe, lookup: TlsaLookup, a: AddressProbe, o: TlsOutcome): Finding<'dane-tlsa'> | undefined {
  const match = daneMatchOf(lookup, o);
  if (match === undefined) return undefined;
  const security = daneSecurity(service, lookup);
  const host = `${target.target} at ${where(a, target.port)}`;
  const records = match.records.map((r) => tlsaText(r, true));
  const unusable = match.records.filter((r) => !r.usable).map((r) => `${tlsaText(r)}: ${r.reason ?? 'unusable'}`);
  const facts: FindingFacts = {
    ...baseFacts(service, target, lookup),
    address: a.address,
    srvSecurity: security.srv,
    addressSecurity: security.addresses,
    tlsaSecurity: security.tlsa,
    records,
    usable: match.usable,
    unusable,
    matched: match.match !== undefined ? tlsaText(match.match, true) : null,
    usage: match.match !== undefined ? tlsaMnemonic(match.match).split(' ')[0]! : null,
    daneEe: match.daneEe,
  };
  const unusableNote = unusable.length > 0 ? ` Set aside as unusable (RFC 6698 §4.1): ${unusable.join('; ')}.` : '';
  const status = (s: Status, message: string): Finding<'dane-tlsa'> => ({ rule: 'dane-tlsa', status: s, name: lookup.owner, message: `${message}${unusableNote}`, facts });
  const n = match.records.length;
  const rrs = `${n} TLSA record${n === 1 ? '' : 's'} at ${lookup.owner}`;
  if (security.tlsa === 'bogus') return status('fail', `The TLSA answer for ${lookup.owner} is bogus (DNSSEC validation failed): DANE partners must not connect to ${host}.`);
  if (security.insecure.length > 0) {
    const they = match.records.length === 1 ? 'it' : 'they';
    const would = match.match !== undefined ? `${they} would match (${tlsaText(match.match)}, ${tlsaMnemonic(match.match)})` : match.usable > 0 ? `${they} would not match its certificate either` : `none of ${match.records.length === 1 ? 'it' : 'them'} is usable anyway`;
    return status('warn', `${host} has ${rrs}, but ${security.insecure.join(', ')}: the records cannot be trusted and DANE partners ignore them (RFC 7673 §3); ${would}.`);
  }
  if (match.usable === 0) return status('warn', `${host} has ${rrs}, secure, but none is usable: partners treat it as having no TLSA records (RFC 6698 §4.1).`);
  const m = match.match;
  if (m !== undefined) {
    const anchor = m.usage === 0 ? 'from the trust store, not sent' : "the record's own certificate, not sent";
    const what = m.depth === 0 ? `the certificate of ${host}` : m.depth === -1 ? `the trust anchor "${m.subject ?? '?'}" (${anchor}) of the chain ${host} sends` : `"${m.subject ?? '?'}" in the chain ${host} sends`;
    const ee = m.usage === 3 ? ' (DANE-EE: names and validity dates do not matter to DANE partners, RFC 7671 §5.1)' : '';
    return status('pass', `The secure TLSA record ${tlsaText(m)} (${m.mnemonic}) at ${lookup.owner} matches ${what}${ee}.`);
  }
  const reasons = match.records.filter((r) => r.usable).map((r) => `${tlsaText(r)} (${r.mnemonic}): ${r.reason ?? 'no match'}`);
  return status('fail', `None of the ${match.usable} usable secure TLSA record${match.usable === 1 ? '' : 's'} at ${lookup.owner} matches what ${host} sends: ${reasons.join('; ')}. DANE partners refuse the connection.`);
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
        findings.push({
          rule: 'dane-tlsa',
          status: 'fail',
          name: lookup.owner,
          message: `The TLSA answer for ${lookup.owner} is bogus: ${o.detail}. DANE partners behind a validating resolver must not connect to ${target.target} (RFC 6698 §4.1).`,
          facts: { ...baseFacts(service, target, lookup), outcome: 'bogus', tlsaSecurity: 'bogus', ...(o.server !== undefined ? { resolver: o.server } : {}) },
        });
        continue;
      }
      if (o.kind === 'error' || o.kind === 'referral') {
        findings.push({
          rule: 'dane-tlsa',
          status: 'unknown',
          name: lookup.owner,
          message: `Could not tell whether ${target.target} publishes TLSA records: the lookup of ${lookup.owner} failed (${o.detail}).`,
          reason: o.detail,
          facts: { ...baseFacts(service, target, lookup), outcome: o.kind },
        });
        continue;
      }
      // NODATA / NXDOMAIN: no DANE for this target, nothing to report.
      if (o.kind !== 'answer' || tlsaRecords(lookup).length === 0) continue;
      for (const a of target.addresses) {
        if (a.outcome.kind !== 'tls') continue;
        const f = addressFinding(service, target, lookup, a, a.outcome);
        if (f !== undefined) findings.push(f);
      }
    }
  }
  return findings;
});

/** The DANE rules, in report order; they find nothing without `--probe`. */
export const DANE_RULES: readonly Rule<DaneRuleId>[] = [daneTlsa];
