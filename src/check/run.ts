import { DnsClient } from '../dns/client.js';
import { formatServer, type ServerAddress } from '../dns/server-address.js';
import { LookupCache } from '../lookup/cache.js';
import { summarise, type RunReport } from '../report/report.js';
import { VERSION } from '../version.js';
import { checkDomains, type DomainResult, type DomainSpec } from './check-domain.js';

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
  });
  const cache = new LookupCache(client);
  const statuses: DomainResult['status'][] = [];
  let results: DomainResult[];
  try {
    results = await checkDomains(cache.lookup, options.domains, {
      concurrency: options.concurrency,
      keep: options.keep,
      onResult: (result) => {
        statuses.push(result.status);
        options.onResult?.(result);
      },
    });
  } finally {
    client.close();
  }
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
      lookups: cache.misses,
      cacheHits: cache.hits,
      udp: client.stats.udpQueries,
      tcp: client.stats.tcpQueries,
      truncated: client.stats.truncated,
      ednsFallbacks: client.stats.ednsFallbacks,
      outcomes: { ...client.stats.outcomes },
      ignored: client.ignored,
    },
  };
}
