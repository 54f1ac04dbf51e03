import type { DomainResult } from './check-domain.js';
import type { ClientStats } from '../dns/client.js';
import type { EncryptedStats } from '../dns/encrypted.js';
import type { IgnoredCounters } from '../dns/exchange.js';
import { exitCode, type DomainStatus, type VerdictExit } from './verdict.js';

/** Counts of domains by status. */
export interface Summary {
  readonly domains: number;
  readonly pass: number;
  readonly warn: number;
  readonly fail: number;
  readonly unknown: number;
}

/** Query counters of a run. */
export interface QueryStats {
  /** Lookups asked (after the per-run cache). */
  readonly lookups: number;
  /** Lookups answered by the per-run cache. */
  readonly cacheHits: number;
  readonly udp: number;
  readonly tcp: number;
  /** DNS over TLS: messages, connections, handshakes (present when a tls:// resolver was asked). */
  readonly tls?: EncryptedStats;
  /** DNS over HTTPS: the same for https:// resolvers. */
  readonly https?: EncryptedStats;
  readonly truncated: number;
  readonly ednsFallbacks: number;
  /** UDP datagrams sent again after a retransmission timeout (counted in `udp` too). */
  readonly retransmits?: number;
  /** Waits before asking again a server that answered REFUSED. */
  readonly backoffs?: number;
  /** The most queries (UDP and TCP) sent within any one second of the run (compare with --rate). */
  readonly peakPerSecond?: number;
  /** Final outcome of each question, by result. */
  readonly outcomes: ClientStats['outcomes'];
  /** Datagrams and messages ignored as not answering a query in flight (RFC 5452). */
  readonly ignored: IgnoredCounters;
}

/**
 * What a run says of itself before it checks any domain: the report's first
 * fields, in their order (a streaming report writes them first).
 */
export interface RunHead {
  readonly schema: 'fedcheck/1';
  readonly tool: { readonly name: 'fedcheck'; readonly version: string };
  readonly startedAt: string;
  /** Servers asked, e.g. "127.0.0.1:53". */
  readonly resolvers: readonly string[];
  /** How the servers were chosen. */
  readonly mode: 'resolver' | 'zone' | 'authoritative';
  /** In zone mode: the zone files served (the resolvers are then the in-process server). */
  readonly zones?: readonly string[];
}

/**
 * The whole result of a run (src/report/report.ts adds what `--since` found):
 * its head, the domains, then what only the finished run knows.
 */
export interface RunResult extends RunHead {
  readonly domains: readonly DomainResult[];
  readonly seconds: number;
  readonly summary: Summary;
  readonly queries: QueryStats;
}

/** Count domains by status. */
export function summarise(statuses: Iterable<DomainStatus>): Summary {
  const counts = { domains: 0, pass: 0, warn: 0, fail: 0, unknown: 0 };
  for (const status of statuses) {
    counts.domains += 1;
    counts[status] += 1;
  }
  return counts;
}

/** The exit status of a run from its summary (so it is right when results were not kept). */
export function reportExitCode(report: Pick<RunResult, 'summary'>): VerdictExit {
  return exitCode((['pass', 'warn', 'fail', 'unknown'] as const).filter((s) => report.summary[s] > 0));
}
