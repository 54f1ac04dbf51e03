import { DnsClient } from '../dns/client.js';
import { formatServer, type ServerAddress } from '../dns/server-address.js';
import { DEFAULT_RECENT_ENTRIES, LookupCache } from '../lookup/cache.js';
import { summarise, type RunReport } from '../report/report.js';
import { VERSION } from '../version.js';
import { AuthoritativeChecker } from './authoritative.js';
import { checkDomains, type DomainResult, type DomainSpec } from './check-domain.js';
import { ResolverComparer } from './compare.js';

/** Everything one run needs. */
export interface RunOptions {
  readonly domains: readonly DomainSpec[];
  readonly servers: readonly ServerAddress[];
  readonly timeoutMs: number;
  readonly retries: number;
  readonly forceTcp?: boolean;
  /** RD flag: false to ask authoritative servers directly. */
  readonly recursion?: boolean;
  readonly concurrency: number;
  readonly mode?: RunReport['mode'];
  /** Zone files served in zone mode, for the report. */
  readonly zones?: readonly string[];
  /** Called as each domain finishes. */
  readonly onResult?: (result: DomainResult) => void;
  /** Keep every result in the report (default true; false for streaming huge lists). */
  readonly keep?: boolean;
  /**
   * `--authoritative`: find each name's zone through `servers`, then ask every
   * name server of the zone directly (RD=0) on `port` (default 53).
   */
  readonly authoritative?: { readonly port?: number };
  /** `--compare` (two or more servers): ask every server every question; resolver-consistency says where they disagree. */
  readonly compare?: boolean;
}

/** Check every domain and build the report. The one library call behind the CLI. */
export async function run(options: RunOptions): Promise<RunReport> {
  const startedAt = new Date();
  const started = process.hrtime.bigint();
  const client = new DnsClient({
    servers: options.servers,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    forceTcp: options.forceTcp === true,
    recursionDesired: options.recursion !== false,
    // A rate-limiting server drops UDP answers but never TCP ones (src/dns/client.ts).
    tcpAfterUdpTimeout: true,
  });
  // Room for every lookup in flight (about four a domain) among the recent ones, so that
  // concurrent identical lookups are still shared at a high --concurrency.
  const cache = new LookupCache(client, { recentEntries: Math.max(DEFAULT_RECENT_ENTRIES, 8 * options.concurrency) });
  const authoritative = options.authoritative === undefined
    ? undefined
    : new AuthoritativeChecker(client, cache.lookup, { ...options.authoritative, timeoutMs: options.timeoutMs, retries: options.retries, forceTcp: options.forceTcp === true });
  const comparer = options.compare === true && authoritative === undefined && options.servers.length > 1
    ? new ResolverComparer(options.servers, { timeoutMs: options.timeoutMs, retries: options.retries, forceTcp: options.forceTcp === true, recursionDesired: options.recursion !== false, tcpAfterUdpTimeout: true })
    : undefined;
  const statuses: DomainResult['status'][] = [];
  let results: DomainResult[];
  try {
    results = await checkDomains(cache.lookup, options.domains, {
      concurrency: options.concurrency,
      keep: options.keep,
      ...(authoritative !== undefined ? { observe: authoritative.observe } : comparer !== undefined ? { observe: comparer.observe } : {}),
      onResult: (result) => {
        statuses.push(result.status);
        options.onResult?.(result);
      },
    });
  } finally {
    client.close();
    authoritative?.close();
    comparer?.close();
  }
  // In authoritative mode the counters cover the resolver and every authoritative server together; with --compare, every resolver.
  const auth = authoritative?.stats() ?? comparer?.stats();
  const sum = (a: number, b: number | undefined): number => a + (b ?? 0);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    schema: 'fedcheck/1',
    tool: { name: 'fedcheck', version: VERSION },
    startedAt: startedAt.toISOString(),
    seconds: Math.round(seconds * 1000) / 1000,
    resolvers: options.servers.map(formatServer),
    mode: options.mode ?? 'resolver',
    ...(options.zones !== undefined ? { zones: options.zones } : {}),
    domains: results,
    summary: summarise(statuses),
    queries: {
      lookups: sum(cache.misses, authoritative?.viewCache.misses ?? comparer?.lookups.misses),
      cacheHits: sum(cache.hits, authoritative?.viewCache.hits ?? comparer?.lookups.hits),
      udp: sum(client.stats.udpQueries, auth?.stats.udpQueries),
      tcp: sum(client.stats.tcpQueries, auth?.stats.tcpQueries),
      truncated: sum(client.stats.truncated, auth?.stats.truncated),
      ednsFallbacks: sum(client.stats.ednsFallbacks, auth?.stats.ednsFallbacks),
      outcomes: auth === undefined
        ? { ...client.stats.outcomes }
        : (Object.fromEntries(Object.entries(client.stats.outcomes).map(([k, v]) => [k, v + auth.stats.outcomes[k as keyof typeof auth.stats.outcomes]])) as typeof client.stats.outcomes),
      ignored: auth === undefined
        ? client.ignored
        : (Object.fromEntries(Object.entries(client.ignored).map(([k, v]) => [k, v + auth.ignored[k as keyof typeof auth.ignored]])) as typeof auth.ignored),
    },
  };
}
