/**
 * The DNSSEC state DANE is judged by (RFC 7673 §3: TLSA records count only
 * when the SRV answer, the target's address answers and the TLSA answer are
 * all secure). One place, so the state can come from the DNSSEC layer's
 * per-answer verdicts instead of the AD bit alone.
 */
import type { LookupOutcome } from '../lookup/types.js';
import type { AnswerSecurity } from '../probe/types.js';

/** An answer's state: `secure` when the resolver vouched for it (AD), `insecure` when not, `bogus` when its validation failed, `unknown` when the lookup could not tell. */
export function answerSecurity(outcome: LookupOutcome | undefined): AnswerSecurity {
  if (outcome === undefined) return 'unknown';
  switch (outcome.kind) {
    case 'answer':
    case 'nodata':
    case 'nxdomain':
      return outcome.authenticated ? 'secure' : 'insecure';
    case 'error':
      // The validating resolver failed the data (SERVFAIL that CD=1 lifts, src/lookup/resolve.ts).
      return outcome.reason === 'bogus' ? 'bogus' : 'unknown';
    case 'referral':
      return 'unknown';
  }
}

const ORDER: Readonly<Record<AnswerSecurity, number>> = { secure: 0, insecure: 1, unknown: 2, bogus: 3 };

/** The weakest of several states: everything must be secure for the whole to be. */
export function weakestSecurity(states: Iterable<AnswerSecurity>): AnswerSecurity {
  let worst: AnswerSecurity = 'secure';
  for (const s of states) if (ORDER[s] > ORDER[worst]) worst = s;
  return worst;
}
