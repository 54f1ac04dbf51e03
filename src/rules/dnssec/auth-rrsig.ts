/**
 * auth-rrsig (--authoritative): every authoritative server of a signed zone
 * must send the RRSIGs of the SRV RRsets to a DO=1 query (RFC 4035 §3.1.1).
 * A server that serves an unsigned copy of a signed zone (a secondary that
 * never got the signed zone, an old server left in the NS set) makes the
 * answer bogus for every validating resolver that happens to ask it.
 *
 * "Signed" is judged from the answers themselves: some server sent RRSIGs
 * for the RRset. A zone whose every server leaves them out is not reported
 * here (no DNSKEY is asked: dnssec-srv, through a validating resolver, is the
 * rule that sees it).
 */
import type { Comparison, ZoneObservation } from '../../lookup/authoritative.js';
import { defineRule, type Finding } from '../types.js';
import { rrsigUnknownReason, say, type RrsigFacts } from './messages.js';

/**
 * The finding for one SRV owner's comparison, or undefined when no server
 * signs it. A server that gave no authoritative answer (a timeout, an error
 * RCODE, or silence from `zone`'s SOA probe on) could not tell: with no
 * server found unsigned, the finding is unknown, naming it, rather than a
 * pass for the servers that did answer.
 */
export function rrsigFinding(comparison: Comparison, zone?: ZoneObservation): Finding<'auth-rrsig'> | undefined {
  if (comparison.what !== 'srv') return undefined;
  const signedAt: string[] = [];
  const unsignedAt: string[] = [];
  const silentAt: string[] = [];
  const nameservers: Record<string, string> = {};
  const silentDetails: Record<string, string> = {};
  for (const { server, answer } of comparison.answers) {
    if (answer.kind === 'data') (answer.signed === true ? signedAt : unsignedAt).push(server.address);
    else if (answer.kind === 'error') {
      silentAt.push(server.address);
      silentDetails[server.address] = answer.detail;
    } else continue;
    nameservers[server.address] = server.names.join('/');
  }
  // A server silent from the SOA probe on is never asked the SRV (only the servers that answered
  // the SOA are compared): it could not tell either. Unreachable (no route for the family) and
  // lame servers say nothing about signing and stay out.
  for (const { server, soa } of zone?.servers ?? []) {
    // Asked the SRV (it is among the answers): counted above.
    if (soa.kind !== 'silent' || nameservers[server.address] !== undefined) continue;
    silentAt.push(server.address);
    silentDetails[server.address] = `SOA ${zone!.zone}: ${soa.detail}`;
    nameservers[server.address] = server.names.join('/');
  }
  if (signedAt.length === 0) return undefined;
  const facts: RrsigFacts = { owner: comparison.name, zone: comparison.zone, signedAt, unsignedAt, silentAt, nameservers, silentDetails };
  if (unsignedAt.length > 0) return say('auth-rrsig', 'fail', comparison.name, 'rrsig-missing', facts);
  if (silentAt.length > 0) return say('auth-rrsig', 'unknown', comparison.name, 'rrsig-unknown', facts, rrsigUnknownReason(facts));
  return say('auth-rrsig', 'pass', comparison.name, 'rrsig-everywhere', facts);
}

export const authRrsig = defineRule(['auth-rrsig'], (obs) =>
  (obs.authoritative?.comparisons ?? []).flatMap((c) => {
    const finding = rrsigFinding(c, obs.authoritative?.zones.find((z) => z.zone === c.zone));
    return finding === undefined ? [] : [finding];
  }),
  'authoritative',
);
