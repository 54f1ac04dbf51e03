/**
 * DNSSEC state, the one definition: what the AD bit (RFC 4035 §3.2.3, RFC
 * 6840 §5.7) and a validation failure (see `validationFailure` in
 * resolve.ts) say about a set of answers. fedcheck does not validate
 * signatures itself: `secure` means the resolver asked vouched for the data,
 * which is only as good as that resolver and the path to it.
 */
import type { ServiceResolution } from './service.js';
import { unreachable, type LookupOutcome } from './types.js';

/**
 * - `secure`: the resolver set AD (it validated the data, or the signed denial);
 * - `insecure`: answered without AD: an unsigned zone, or a resolver that does
 *   not validate (the AD bit cannot tell these apart);
 * - `bogus`: the resolver's validation failed (SERVFAIL that CD=1 lifts);
 * - `unknown`: no answer to judge (a timeout, a SERVFAIL, a referral…).
 */
export type DnssecState = 'secure' | 'insecure' | 'bogus' | 'unknown';

/** Every state, worst first: the order {@link combineDnssec} ranks them in. */
export const DNSSEC_STATES: readonly DnssecState[] = ['bogus', 'insecure', 'unknown', 'secure'];

/** Each state's place in {@link DNSSEC_STATES}. */
const RANK = Object.fromEntries(DNSSEC_STATES.map((state, index) => [state, index])) as Readonly<Record<DnssecState, number>>;

/** The state of one lookup's outcome. */
export function outcomeDnssec(outcome: LookupOutcome): DnssecState {
  switch (outcome.kind) {
    case 'answer':
    case 'nodata':
    case 'nxdomain':
      return outcome.authenticated ? 'secure' : 'insecure';
    case 'referral':
      return 'unknown';
    case 'error':
      return outcome.reason === 'bogus' ? 'bogus' : 'unknown';
    default:
      return unreachable(outcome);
  }
}

/**
 * The state of several answers together: secure only when every one is. A
 * bogus answer makes the whole bogus (validating partners cannot use it); an
 * insecure one makes it insecure even when another could not be told (the
 * chain is broken either way); otherwise an unknown one leaves it unknown.
 * No answers at all: unknown.
 */
export function combineDnssec(states: Iterable<DnssecState>): DnssecState {
  let worst: DnssecState | undefined;
  for (const state of states) if (worst === undefined || RANK[state] < RANK[worst]) worst = state;
  return worst ?? 'unknown';
}

/** One answer's state, for the report. */
export interface DnssecAnswer {
  readonly name: string;
  readonly type: LookupOutcome['type'];
  readonly state: DnssecState;
  /** The server that answered (secure: the one that set AD; bogus: the one whose validation failed); absent when none did. */
  readonly server?: string;
}

/** The DNSSEC state of a set of answers, and who vouched. */
export interface DnssecAssessment {
  readonly state: DnssecState;
  /** The servers that set AD on one of the answers (the resolvers that vouched), sorted. */
  readonly vouchedBy: readonly string[];
  /** Every answer, in the order asked. */
  readonly answers: readonly DnssecAnswer[];
}

/** Pure: the state of these outcomes (see {@link combineDnssec}) with each answer's, and the servers that vouched. */
export function assessDnssec(outcomes: readonly LookupOutcome[]): DnssecAssessment {
  const answers: DnssecAnswer[] = [];
  const vouched = new Set<string>();
  let worst: DnssecState | undefined;
  for (const outcome of outcomes) {
    const state = outcomeDnssec(outcome);
    const server = outcome.server;
    answers.push(server !== undefined ? { name: outcome.name, type: outcome.type, state, server } : { name: outcome.name, type: outcome.type, state });
    if (state === 'secure' && server !== undefined) vouched.add(server);
    if (worst === undefined || RANK[state] < RANK[worst]) worst = state;
  }
  return { state: worst ?? 'unknown', vouchedBy: vouched.size === 0 ? [] : [...vouched].sort(), answers };
}

/** The outcomes of a service that its DNSSEC state covers: the SRV lookup, then each target's A and (when asked) AAAA. */
export function serviceOutcomes(service: ServiceResolution): LookupOutcome[] {
  const outcomes: LookupOutcome[] = [service.srv];
  for (const target of service.targets) {
    outcomes.push(target.a);
    if (target.aaaa !== undefined) outcomes.push(target.aaaa);
  }
  return outcomes;
}

/** Pure: the DNSSEC state of the SRV answers of these services and of their targets' address answers. */
export function servicesDnssec(services: readonly (ServiceResolution | undefined)[]): DnssecAssessment {
  return assessDnssec(services.flatMap((s) => (s === undefined ? [] : serviceOutcomes(s))));
}

/** A domain's DNSSEC state as reported: the state, who vouched, and only the answers that were not secure. */
export interface DnssecReport {
  readonly state: DnssecState;
  readonly vouchedBy: readonly string[];
  readonly notSecure: readonly DnssecAnswer[];
}

/** The report of an assessment (the secure answers are implied by `vouchedBy`: a report of 100,000 domains need not list them). */
export function dnssecReport(assessment: DnssecAssessment): DnssecReport {
  return { state: assessment.state, vouchedBy: assessment.vouchedBy, notSecure: assessment.answers.filter((a) => a.state !== 'secure') };
}
