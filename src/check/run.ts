import { DnsClient, sumClientStats } from '../dns/client.js';
import { sumEncryptedStats, type TlsSettings } from '../dns/encrypted.js';
import { SendPacer } from '../dns/rate-limit.js';
import { formatServer, type ServerAddress } from '../dns/server-address.js';
import { DEFAULT_RECENT_ENTRIES, LookupCache } from '../lookup/cache.js';
import { summarise, type RunHead, type RunResult } from './run-report.js';
import { VERSION } from '../version.js';
import { AuthoritativeChecker } from './authoritative.js';
import { DelegationFollower } from './follow.js';
import type { LookupOptions } from '../lookup/resolve.js';
import { checkDomains, type DomainResult, type DomainSpec } from './check-domain.js';
import { ResolverComparer } from './compare.js';
import { Prober, type ProberOptions } from '../probe/prober.js';
import { observeProbes } from './probe-observe.js';
import { servicesDnssec } from '../lookup/dnssec.js';
import type { DomainObservation } from '../rules/types.js';

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
  /** Zone files served in zone mode, for the report (the run is then in mode 'zone'). */
  readonly zones?: readonly string[];
  /** Called once, before any domain is checked, with the report's first fields. */
  readonly onStart?: (head: RunHead) => void;
  /** Called as each domain finishes, with its place in `domains`. */
  readonly onResult?: (result: DomainResult, index: number) => void;
  /** Keep every result in the report (default true; false for streaming huge lists). */
  readonly keep?: boolean;
  /**
   * `--authoritative`: find each name's zone through `servers`, then ask every
   * name server of the zone directly (RD=0) on `port` (default 53).
   */
  readonly authoritative?: { readonly port?: number };
  /** With `recursion: false` (not zone mode): the port of the servers that referrals lead to (default 53). */
  readonly followPort?: number;
  /** `--compare` (two or more servers): ask every server every question; resolver-consistency says where they disagree. */
  readonly compare?: boolean;
  /** `--probe`: connect to every SRV target address with TLS (the only connections besides DNS). */
  readonly probe?: ProberOptions;
  /** How tls:// and https:// servers are authenticated (`--ca`). */
  readonly tls?: TlsSettings;
  /** `--rate`: at most this many queries a second, across every server asked (src/dns/rate-limit.ts). */
  readonly rate?: number;
}

/** Check every domain and build the report. The one library call behind the CLI. */
export async function run(options: RunOptions): Promise<RunResult> {
  const startedAt = new Date();
  const started = process.hrtime.bigint();
  // One pacer for every client of the run: --rate holds across all the servers asked.
  const pacer = new SendPacer(options.rate !== undefined ? { perSecond: options.rate } : {});
  const client = new DnsClient({
    pacer,
    servers: options.servers,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    forceTcp: options.forceTcp === true,
    recursionDesired: options.recursion !== false,
    // A rate-limiting server drops UDP answers but never TCP ones (src/dns/client.ts).
    tcpAfterUdpTimeout: true,
    ...(options.tls !== undefined ? { tls: options.tls } : {}),
  });
  const recursionDesired = options.recursion !== false;
  // RD=0 to a live server (--no-recursion): referrals lead on to the child zones' servers.
  // In zone mode they cannot (the child zone is either loaded, and then answered, or not).
  const follower = !recursionDesired && options.zones === undefined && options.authoritative === undefined
    ? new DelegationFollower(client, { ...(options.followPort !== undefined ? { port: options.followPort } : {}), timeoutMs: options.timeoutMs, retries: options.retries, forceTcp: options.forceTcp === true, pacer })
    : undefined;
  const lookupOptions: LookupOptions = options.zones !== undefined
    ? { recursionDesired: false, referralAdvice: 'load that zone with --zone to check it' }
    : { recursionDesired, ...(follower !== undefined ? { follow: follower } : {}) };
  // Room for every lookup in flight (about four a domain) among the recent ones, so that
  // concurrent identical lookups are still shared at a high --concurrency.
  const cache = new LookupCache(client, { recentEntries: Math.max(DEFAULT_RECENT_ENTRIES, 8 * options.concurrency), lookup: lookupOptions });
  const authoritative = options.authoritative === undefined
    ? undefined
    : new AuthoritativeChecker(client, cache.lookup, { ...options.authoritative, timeoutMs: options.timeoutMs, retries: options.retries, forceTcp: options.forceTcp === true, pacer });
  const comparer = options.compare === true && authoritative === undefined && options.servers.length > 1
    ? new ResolverComparer(options.servers, { timeoutMs: options.timeoutMs, retries: options.retries, forceTcp: options.forceTcp === true, recursionDesired: options.recursion !== false, tcpAfterUdpTimeout: true, pacer, ...(options.tls !== undefined ? { tls: options.tls } : {}) })
    : undefined;
  const prober = options.probe !== undefined ? new Prober(options.probe) : undefined;
  // Only answers through a resolver can carry AD (RFC 4035 §3.2.3): zone mode, --no-recursion and
  // --authoritative ask servers that never validate, so the DNSSEC state is not assessed there.
  const assessDnssec = recursionDesired && options.zones === undefined && authoritative === undefined;
  const withDnssec = (observation: DomainObservation): DomainObservation =>
    assessDnssec ? { ...observation, dnssec: servicesDnssec([observation.sipfed, observation.xmpp, observation.sipTls, observation.xmpps]) } : observation;
  const extend =
    prober !== undefined
      ? async (spec: DomainSpec, observation: DomainObservation): Promise<DomainObservation> => {
          const assessed = withDnssec(observation);
          return { ...assessed, probe: await observeProbes(prober, cache.lookup, assessed, spec.expectations) };
        }
      : assessDnssec
        ? async (_spec: DomainSpec, observation: DomainObservation): Promise<DomainObservation> => withDnssec(observation)
        : undefined;
  const head: RunHead = {
    schema: 'fedcheck/1',
    tool: { name: 'fedcheck', version: VERSION },
    startedAt: startedAt.toISOString(),
    resolvers: options.servers.map(formatServer),
    mode: options.zones !== undefined ? 'zone' : authoritative !== undefined ? 'authoritative' : 'resolver',
    ...(options.zones !== undefined ? { zones: options.zones } : {}),
  };
  options.onStart?.(head);
  const statuses: DomainResult['status'][] = [];
  let results: DomainResult[];
  try {
    results = await checkDomains(cache.lookup, options.domains, {
      concurrency: options.concurrency,
      keep: options.keep,
      // Latency, not queries, bounds a run without --rate: ask the likely SRV targets early.
      ...(options.rate === undefined ? { prefetch: cache.prefetch } : {}),
      ...(authoritative !== undefined ? { observe: authoritative.observe } : comparer !== undefined ? { observe: comparer.observe } : {}),
      ...(extend !== undefined ? { extend } : {}),
      onResult: (result, index) => {
        statuses.push(result.status);
        options.onResult?.(result, index);
      },
    });
  } finally {
    pacer.stop();
    client.close();
    follower?.close();
    authoritative?.close();
    comparer?.close();
  }
  // The counters cover every client: the resolver's, and every authoritative server's or compared resolver's.
  const { stats, ignored } = sumClientStats([client, ...(follower?.clients() ?? []), ...(authoritative?.clients() ?? []), ...(comparer?.clients() ?? [])]);
  const encrypted = sumEncryptedStats([client, ...(comparer?.clients() ?? [])]);
  const extra = authoritative?.viewCache ?? comparer?.lookups;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    ...head,
    domains: results,
    seconds: Math.round(seconds * 1000) / 1000,
    summary: summarise(statuses),
    queries: {
      lookups: cache.misses + (extra?.misses ?? 0),
      cacheHits: cache.hits + (extra?.hits ?? 0),
      udp: stats.udpQueries,
      tcp: stats.tcpQueries,
      // Present only when a tls:// or https:// resolver was asked.
      ...(encrypted.tls.connections > 0 ? { tls: encrypted.tls } : {}),
      ...(encrypted.https.connections > 0 ? { https: encrypted.https } : {}),
      truncated: stats.truncated,
      ednsFallbacks: stats.ednsFallbacks,
      retransmits: stats.retransmits,
      backoffs: stats.backoffs,
      peakPerSecond: pacer.peakPerSecond,
      outcomes: stats.outcomes,
      ignored,
    },
  };
}
