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
import { serverLabel, type Comparison } from '../../lookup/authoritative.js';
import { defineRule, type Finding } from '../types.js';

/**
 * The finding for one SRV owner's comparison, or undefined when no server
 * signs it. A server that gave no authoritative answer (a timeout, an error
 * RCODE) could not tell: with no server found unsigned, the finding is
 * unknown, naming it, rather than a pass for the servers that did answer.
 */
export function rrsigFinding(comparison: Comparison): Finding<'auth-rrsig'> | undefined {
  if (comparison.what !== 'srv') return undefined;
  type Answer = Comparison['answers'][number];
  const signed: Answer[] = [];
  const unsigned: Answer[] = [];
  const silent: Answer[] = [];
  for (const a of comparison.answers) {
    if (a.answer.kind === 'data') (a.answer.signed === true ? signed : unsigned).push(a);
    else if (a.answer.kind === 'error') silent.push(a);
  }
  if (signed.length === 0) return undefined;
  const facts = {
    owner: comparison.name,
    zone: comparison.zone,
    signedAt: signed.map((a) => a.server.address),
    unsignedAt: unsigned.map((a) => a.server.address),
    silentAt: silent.map((a) => a.server.address),
  };
  if (unsigned.length === 0 && silent.length > 0) {
    const reason = silent.map((a) => `${serverLabel(a.server)}: ${a.answer.kind === 'error' ? a.answer.detail : ''}`).join('; ');
    return {
      rule: 'auth-rrsig',
      status: 'unknown',
      name: comparison.name,
      message: `Could not tell whether every server of ${comparison.zone} sends the RRSIGs of ${comparison.name} SRV: ${signed.map((a) => serverLabel(a.server)).join(', ')} did, and ${silent.map((a) => serverLabel(a.server)).join(', ')} gave no answer.`,
      reason,
      facts,
    };
  }
  if (unsigned.length === 0) {
    return {
      rule: 'auth-rrsig',
      status: 'pass',
      name: comparison.name,
      message: `Every server of ${comparison.zone} that answered ${comparison.name} SRV sent its RRSIGs (${signed.map((a) => serverLabel(a.server)).join(', ')}).`,
      facts,
    };
  }
  return {
    rule: 'auth-rrsig',
    status: 'fail',
    name: comparison.name,
    message: `${unsigned.map((a) => serverLabel(a.server)).join(', ')} answered ${comparison.name} SRV without RRSIGs though ${signed.map((a) => serverLabel(a.server)).join(', ')} signed it (zone ${comparison.zone}): validating resolvers that ask ${unsigned.length === 1 ? 'that server' : 'those servers'} find the answer bogus.`,
    facts,
  };
}

export const authRrsig = defineRule(['auth-rrsig'], (obs) =>
  (obs.authoritative?.comparisons ?? []).flatMap((c) => {
    const finding = rrsigFinding(c);
    return finding === undefined ? [] : [finding];
  }),
  'authoritative',
);
