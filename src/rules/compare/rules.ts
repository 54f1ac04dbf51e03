import { nameKey, type ResourceRecord } from '../../dns/codec.js';
import { isUnknown, type LookupOutcome } from '../../lookup/types.js';
import { defineRule, type DomainObservation, type Finding, type ResolverComparison, type Rule } from '../types.js';
import type { CompareRuleId } from './catalogue.js';
import { say, type ResolverAnswer } from './messages.js';

/**
 * What one resolver said, as compared: the CNAME chain and the records of
 * the asked type (TTLs, order and case ignored). NXDOMAIN and NODATA both
 * say "no such records" and compare equal: fedcheck's verdict is the same
 * for both. An error (timeout, SERVFAIL …) says nothing about the records,
 * so it takes no part in the comparison; the finding mentions it.
 */
export type ResolverSays =
  | { readonly kind: 'records'; readonly key: string; readonly fact: ResolverAnswer }
  | { readonly kind: 'error'; readonly fact: ResolverAnswer };

function rdata(record: ResourceRecord): string {
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return record.address.toLowerCase();
    case 'CNAME':
    case 'NS':
    case 'DNAME':
      return nameKey(record.target);
    case 'SRV':
      return `${record.priority} ${record.weight} ${record.port} ${nameKey(record.target)}`;
    case 'SOA':
      return `${record.mname.toLowerCase()} ${record.rname.toLowerCase()} ${record.serial}`;
    case 'TXT':
      return record.text.map((t) => JSON.stringify(t)).join(' ');
    case 'TLSA':
      return `${record.usage} ${record.selector} ${record.matchingType} ${record.data}`;
    case 'OTHER':
      return record.rrtype;
  }
}

/** Reduce one resolver's outcome to what is compared and what the finding says of it. */
export function resolverSays(outcome: LookupOutcome, resolver = ''): ResolverSays {
  if (isUnknown(outcome)) return { kind: 'error', fact: { resolver, type: outcome.type, chain: [], records: [], absence: null, lookup: outcome.detail } };
  const chain = outcome.chain.map((hop) => nameKey(hop.to));
  const records = outcome.kind === 'answer' ? [...new Set(outcome.records.map(rdata))].sort() : [];
  const key = [...chain.map((to) => `CNAME ${to}`), ...records].join('|');
  const absence = records.length > 0 || outcome.kind === 'answer' ? null : outcome.kind;
  return { kind: 'records', key, fact: { resolver, type: outcome.type, chain, records, absence, lookup: null } };
}

/** The comparisons on which the resolvers that answered do not all say the same. */
export function disagreements(comparisons: readonly ResolverComparison[]): ResolverComparison[] {
  return comparisons.filter((c) => {
    const keys = new Set(c.answers.map((a) => resolverSays(a.outcome)).flatMap((s) => (s.kind === 'records' ? [s.key] : [])));
    return keys.size > 1;
  });
}

/**
 * resolver-consistency (only with --compare): one warn finding per question
 * on which the resolvers that answered disagree, naming what each said;
 * when they all agree, one pass finding for the domain.
 */
export function resolverConsistency(observation: DomainObservation): Finding<'resolver-consistency'>[] {
  const comparisons = observation.comparison;
  if (comparisons === undefined || comparisons.length === 0) return [];
  const resolvers = comparisons[0]!.answers.map((a) => a.resolver);
  const disagreeing = disagreements(comparisons);
  if (disagreeing.length === 0) {
    const silent = new Map<string, number>();
    for (const c of comparisons) {
      for (const a of c.answers) if (isUnknown(a.outcome)) silent.set(a.resolver, (silent.get(a.resolver) ?? 0) + 1);
    }
    const facts = { domain: observation.domain, resolvers, records: comparisons.length, silent: [...silent].map(([resolver, count]) => ({ resolver, count })) };
    return [say('resolver-consistency', 'pass', observation.domain, 'resolvers-agree', facts)];
  }
  return disagreeing.map((c) =>
    say('resolver-consistency', 'warn', c.name, 'resolvers-disagree', { name: c.name, type: c.type, answers: c.answers.map((a) => resolverSays(a.outcome, a.resolver).fact) }),
  );
}

/** --compare's rules: nothing without two or more resolvers. */
export const COMPARE_RULES: readonly Rule<CompareRuleId>[] = [defineRule(['resolver-consistency'], resolverConsistency, 'comparison')];
