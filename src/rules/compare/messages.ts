/** The --compare family's English: one template per message code, from the finding's facts alone. */
import { count, speaker } from '../messages.js';

/**
 * What one resolver answered, as the findings carry it: the CNAME chain
 * followed, the records of the type (canonical text, sorted), `absence` when
 * there were none, or `lookup` (why it could not tell) instead of all that.
 */
export type ResolverAnswer = {
  readonly resolver: string;
  readonly type: string;
  readonly chain: readonly string[];
  readonly records: readonly string[];
  readonly absence: 'nxdomain' | 'nodata' | null;
  readonly lookup: string | null;
};

/** What a resolver said, in words: `CNAME edge.contoso.example → 192.0.2.1`, `no SRV records (NODATA)`, `could not tell (timeout …)`. */
export function answerText(a: ResolverAnswer): string {
  if (a.lookup !== null) return `could not tell (${a.lookup})`;
  const data = a.records.length > 0 ? a.records.join(', ') : a.absence === 'nxdomain' ? 'NXDOMAIN (the name does not exist)' : `no ${a.type} records (NODATA)`;
  return a.chain.length > 0 ? `${a.chain.map((to) => `CNAME ${to}`).join(' → ')} → ${data}` : data;
}

/** --compare's templates, by message code (codes are unique across families: src/rules/catalogue.ts renderMessage). */
export const COMPARE_MESSAGES = {
  'resolvers-agree': (f: { readonly domain: string; readonly resolvers: readonly string[]; readonly records: number; readonly silent: readonly { readonly resolver: string; readonly count: number }[] }) => {
    const note = f.silent.map((s) => `${s.resolver} could not tell for ${s.count} of them`).join('; ');
    return `The ${f.resolvers.length} resolvers (${f.resolvers.join(', ')}) give the same answer for all ${count(f.records, 'record')} looked up for ${f.domain}${note === '' ? '' : ` (${note})`}.`;
  },
  'resolvers-disagree': (f: { readonly name: string; readonly type: string; readonly answers: readonly ResolverAnswer[] }) =>
    `Resolvers disagree on ${f.name} ${f.type}: ${f.answers.map((a) => `${a.resolver} says ${answerText(a)}`).join('; ')}. The verdict follows the first resolver that answered.`,
};

/** A finding of --compare's templates. */
export const say = speaker(COMPARE_MESSAGES);
