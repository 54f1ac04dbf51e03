/**
 * The DNSSEC state DANE is judged by (RFC 7673 §3: TLSA records count only
 * when the SRV answer, the target's address answers and the TLSA answer are
 * all secure): the DNSSEC layer's one definition (src/lookup/dnssec.ts).
 */
import { combineDnssec, outcomeDnssec } from '../lookup/dnssec.js';
import type { LookupOutcome } from '../lookup/types.js';
import type { AnswerSecurity } from '../probe/types.js';

/** An answer's state: `secure` when the resolver vouched for it (AD), `insecure` when not, `bogus` when its validation failed, `unknown` when the lookup could not tell. */
export function answerSecurity(outcome: LookupOutcome | undefined): AnswerSecurity {
  return outcome === undefined ? 'unknown' : outcomeDnssec(outcome);
}

/** The weakest of several states: everything must be secure for the whole to be. */
export function weakestSecurity(states: Iterable<AnswerSecurity>): AnswerSecurity {
  return combineDnssec(states);
}
