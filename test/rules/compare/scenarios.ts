/**
 * resolver-consistency scenarios, publint style like scenarios.ts: what two
 * resolvers said → the sorted `rule:status` pairs the rule emits. For
 * catalogue.test.ts ("every rule id is emitted by some scenario, both as
 * pass and as its catalogue severity"), which iterates every family's
 * scenarios; test/rules/resolver-consistency.test.ts covers the rule itself.
 */
import type { ResourceRecord } from '../../../src/dns/codec.js';
import type { LookupOutcome } from '../../../src/lookup/types.js';
import { resolverConsistency } from '../../../src/rules/compare/rules.js';
import type { DomainObservation, Finding, ResolverComparison } from '../../../src/rules/types.js';

const D = 'contoso.example';
const OWNER = `_sipfederationtls._tcp.${D}`;
const RESOLVERS = ['127.0.0.1:5301', '127.0.0.1:5302'] as const;
const via = { server: RESOLVERS[0], transport: 'udp' as const, authenticated: false };

const srv = (target: string): ResourceRecord => ({ type: 'SRV', name: OWNER, ttl: 300, priority: 100, weight: 1, port: 5061, target });
const srvAnswer = (target: string): LookupOutcome => ({ kind: 'answer', name: OWNER, type: 'SRV', records: [srv(target)], chain: [], ...via });

export interface CompareScenario {
  readonly title: string;
  /** What each resolver said to each question. */
  readonly comparison: readonly ResolverComparison[];
  /** The sorted `rule:status` pairs, space-separated. */
  readonly findings: string;
}

function question(...outcomes: readonly LookupOutcome[]): ResolverComparison {
  return { name: OWNER, type: 'SRV', answers: outcomes.map((outcome, i) => ({ resolver: RESOLVERS[i]!, outcome })) };
}

export const COMPARE_SCENARIOS: readonly CompareScenario[] = [
  { title: 'both resolvers give the same SRV', comparison: [question(srvAnswer(`sip.${D}`), srvAnswer(`sip.${D}`))], findings: 'resolver-consistency:pass' },
  { title: 'split horizon: another SRV target', comparison: [question(srvAnswer(`sip-old.${D}`), srvAnswer(`sip.${D}`))], findings: 'resolver-consistency:warn' },
];

/** The observation of a scenario: no federation SRV, and what the resolvers said. */
export function compareObservation(s: CompareScenario): DomainObservation {
  const nothing: LookupOutcome = { kind: 'nxdomain', name: OWNER, type: 'SRV', chain: [], ...via };
  return { domain: D, sipfed: { owner: OWNER, srv: nothing, targets: [] }, xmpp: undefined, comparison: s.comparison };
}

/** The findings of a scenario (only resolver-consistency judges comparisons). */
export function compareFindings(s: CompareScenario): Finding[] {
  return resolverConsistency(compareObservation(s));
}
