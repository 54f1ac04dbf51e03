import { nameKey } from '../dns/name-text.js';
import { DnsClient, type DnsClientOptions } from '../dns/client.js';
import { formatServer, type ServerAddress } from '../dns/server-address.js';
import { LookupCache, type Lookup } from '../lookup/cache.js';
import { isRootTarget, resolveAddresses, srvRecords } from '../lookup/service.js';
import { isUnknown, type LookupOutcome } from '../lookup/types.js';
import type { DomainObservation, ResolverComparison } from '../rules/types.js';
import { observeDomain, type DomainSpec } from './check-domain.js';

/**
 * `--compare`: every question goes to every resolver, each with a client of
 * its own (retries stay on that resolver: moving on to the next one would mix
 * their answers). The rules see the first resolver's outcome that is not an
 * error, in --resolver order, so the verdict is what failing over would give;
 * the observation also carries every resolver's outcome of every question
 * the domain needed (profiles' extra names included), and of the addresses
 * of every SRV target any resolver named, for resolver-consistency.
 */
export class ResolverComparer {
  private readonly resolvers: { readonly label: string; readonly client: DnsClient; readonly cache: LookupCache }[];

  constructor(servers: readonly ServerAddress[], options: Omit<DnsClientOptions, 'servers'>) {
    if (servers.length < 2) throw new Error('ResolverComparer needs at least two resolvers');
    this.resolvers = servers.map((server) => {
      const client = new DnsClient({ ...options, servers: [server] });
      // --compare --no-recursion reads answers as an authoritative server's (referrals are not followed there).
      return { label: formatServer(server), client, cache: new LookupCache(client, { lookup: { recursionDesired: options.recursionDesired !== false } }) };
    });
  }

  /** Observe one domain through every resolver at once. */
  readonly observe = async (spec: DomainSpec): Promise<DomainObservation> => {
    const asked = new Map<string, ResolverComparison>();
    const lookup: Lookup = async (name, type) => {
      const outcomes = await Promise.all(this.resolvers.map((r) => r.cache.lookup(name, type)));
      const key = `${type} ${nameKey(name)}`;
      if (!asked.has(key)) asked.set(key, { name, type, answers: outcomes.map((outcome, i) => ({ resolver: this.resolvers[i]!.label, outcome })) });
      return primary(outcomes);
    };
    const observation = await observeDomain(lookup, spec.domain, spec.expectations);
    // The rules followed the first resolver's SRV targets. Where another resolver names other
    // targets, their addresses are asked too (of every resolver), so that the comparison shows
    // whether each view's targets resolve in each view, not only the first's.
    await Promise.all(unfollowedTargets(asked).map((target) => resolveAddresses(lookup, target)));
    return { ...observation, comparison: [...asked.values()] };
  };

  /** Lookups asked (after each resolver's cache) and answered from the caches, over all resolvers. */
  get lookups(): { readonly misses: number; readonly hits: number } {
    return { misses: this.resolvers.reduce((n, r) => n + r.cache.misses, 0), hits: this.resolvers.reduce((n, r) => n + r.cache.hits, 0) };
  }

  /** Every resolver's client, for the run's counters. */
  clients(): DnsClient[] {
    return this.resolvers.map((r) => r.client);
  }

  close(): void {
    for (const { client } of this.resolvers) client.close();
  }
}

/** SRV targets some resolver named whose addresses were not asked yet (A-keyed), each once. */
function unfollowedTargets(asked: ReadonlyMap<string, ResolverComparison>): string[] {
  const targets = new Map<string, string>();
  for (const comparison of asked.values()) {
    if (comparison.type !== 'SRV') continue;
    for (const { outcome } of comparison.answers) {
      for (const record of srvRecords(outcome)) {
        const key = nameKey(record.target);
        if (isRootTarget(record.target) || asked.has(`A ${key}`) || targets.has(key)) continue;
        targets.set(key, record.target);
      }
    }
  }
  return [...targets.values()];
}

/**
 * The outcome the rules judge: the first that is an answer (records, NODATA
 * or NXDOMAIN); when every resolver failed, the first failure, its detail
 * naming what each resolver said.
 */
function primary(outcomes: readonly LookupOutcome[]): LookupOutcome {
  const answered = outcomes.find((o) => !isUnknown(o));
  if (answered !== undefined) return answered;
  const first = outcomes[0]!;
  if (!isUnknown(first) || outcomes.length === 1) return first;
  return { ...first, detail: outcomes.map((o) => (isUnknown(o) ? o.detail : o.kind)).join('; ') };
}
