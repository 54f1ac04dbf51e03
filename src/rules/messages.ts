/**
 * Findings as data, text at the edge: a rule says what it found as a message
 * code and typed facts; its family's messages.ts holds one English template
 * per code, and {@link speaker} turns the two into a finding (the message is
 * rendered once, from the facts alone). The wording helpers every family's
 * templates share live here.
 */
import type { UnknownOutcome } from '../lookup/types.js';
import type { Finding, FindingFacts, Status, Templates } from './types.js';

export type { Templates } from './types.js';


/** The facts a template takes. */
export type FactsOf<T extends Templates, C extends keyof T> = Parameters<T[C]>[0];

/** Makes findings from a family's templates: the compiler holds each code to its facts. */
export type Speaker<T extends Templates> = <Id extends string, C extends keyof T & string>(
  rule: Id,
  status: Status,
  name: string,
  code: C,
  facts: FactsOf<T, C> & FindingFacts,
  reason?: string,
) => Finding<Id>;

/** The finding constructor of a family whose messages are `templates`. */
export function speaker<T extends Templates>(templates: T): Speaker<T> {
  return (rule, status, name, code, facts, reason) => {
    const message = (templates[code] as (facts: FindingFacts) => string)(facts);
    return reason === undefined ? { rule, status, name, message, code, facts } : { rule, status, name, message, reason, code, facts };
  };
}

/** Where a probe connected, as partners dial it: `192.0.2.10:5061`, `[2001:db8::10]:5061` (RFC 3986 §3.2.2 brackets). */
export function where(f: { readonly address: string; readonly port: number }): string {
  return `${f.address.includes(':') ? `[${f.address}]` : f.address}:${f.port}`;
}

/** A probed SRV target at one address: `sip.contoso.com at 192.0.2.10:5061`. */
export function host(f: { readonly target: string; readonly address: string; readonly port: number }): string {
  return `${f.target} at ${where(f)}`;
}

/** `1 record`, `2 records`, `3 addresses`: the one plural of the catalogue's messages. */
export function count(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

/** A noun (or verb) for `n` things without the number: `record`/`records`, `says`/`say`. */
export function inflect(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** How an absent name was absent (RFC 2308): the name does not exist, or it has no records of the type. */
export type Absence = 'nxdomain' | 'nodata';

/** The words for an absence, as lookup's outcomes say it. */
export function absenceText(absence: Absence, type: string): string {
  return absence === 'nxdomain' ? 'the name does not exist (NXDOMAIN)' : `the name exists but has no ${type} records (NODATA)`;
}

/**
 * Why a lookup could not tell, as the findings carry it: the failure's code
 * (timeout, servfail, refused, referral, lame …), the server that said so
 * when one did (a referral; null when the text names several or none), and
 * the text naming every server tried.
 */
export type LookupFact = { readonly failure: string; readonly server: string | null; readonly detail: string };

/** {@link LookupFact} of an outcome that could not tell. */
export function lookupFailure(outcome: UnknownOutcome): LookupFact {
  return { failure: outcome.reason, server: outcome.kind === 'referral' ? outcome.server : null, detail: outcome.detail };
}
