import { nameKey, type ResourceRecord } from '../../dns/codec.js';
import { isUnknown, type LookupOutcome } from '../../lookup/types.js';
import { defineRule, type DomainObservation, type Finding, type ResolverComparison, type Rule } from '../types.js';
import type { CompareRuleId } from './catalogue.js';

/**
 * What one resolver said, as compared: the CNAME chain and the records of
 * the asked type (TTLs, order and case ignored). NXDOMAIN and NODATA both
 * say "no such records" and compare equal: fedcheck's verdict is the same
 * for both. An error (timeout, SERVFAIL …) says nothing about the records,
 * so it takes no part in the comparison; the finding mentions it.
 */
export type ResolverSays =
  | { readonly kind: 'records'; readonly key: string; readonly text: string }
  | { readonly kind: 'error'; readonly text: string };

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
    case 'OTHER':
      return record.rrtype;
  }
}

/** Reduce one resolver's outcome to what is compared and how it is shown. */
export function resolverSays(outcome: LookupOutcome): ResolverSays {
  if (isUnknown(outcome)) return { kind: 'error', text: `could not tell (${outcome.detail})` };
  const chain = outcome.chain.map((hop) => `CNAME ${nameKey(hop.to)}`);
  const records = outcome.kind === 'answer' ? [...new Set(outcome.records.map(rdata))].sort() : [];
  const key = [...chain, ...records].join('|');
  const data = records.length > 0 ? records.join(', ') : outcome.kind === 'nxdomain' ? 'NXDOMAIN (the name does not exist)' : `no ${outcome.type} records (NODATA)`;
  return { kind: 'records', key, text: chain.length > 0 ? `${chain.join(' → ')} → ${data}` : data };
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
    const note = [...silent].map(([resolver, count]) => `${resolver} could not tell for ${count} of them`).join('; ');
    const records = `${comparisons.length} record${comparisons.length === 1 ? '' : 's'}`;
    return [
      {
        rule: 'resolver-consistency',
        status: 'pass',
        name: observation.domain,
        message: `The ${resolvers.length} resolvers (${resolvers.join(', ')}) give the same answer for all ${records} looked up for ${observation.domain}${note === '' ? '' : ` (${note})`}.`,
      },
    ];
  }
  return disagreeing.map((c): Finding<'resolver-consistency'> => {
    const said = c.answers.map((a) => `${a.resolver} says ${resolverSays(a.outcome).text}`);
    return {
      rule: 'resolver-consistency',
      status: 'warn',
      name: c.name,
      message: `Resolvers disagree on ${c.name} ${c.type}: ${said.join('; ')}. The verdict follows the first resolver that answered.`,
    };
  });
}

/** --compare's rules: nothing without two or more resolvers. */
export const COMPARE_RULES: readonly Rule<CompareRuleId>[] = [defineRule(['resolver-consistency'], resolverConsistency)];
