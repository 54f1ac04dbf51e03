/**
 * NSD for the benchmark: the test harness's NSD with Response Rate Limiting
 * off. The harness keeps NSD's default RRL (200 answers a second per source
 * /24 and "bucket"), right for tests but not for a load test from 127.0.0.1:
 * every NODATA answer of a zone shares one bucket, so while Unbound's cache
 * is cold NSD drops most AAAA answers, Unbound gives SERVFAIL and caches it
 * for a few seconds. The harness stops it on exit and on signals.
 */
import { startNsd, type RunningServer } from '../test/support/real-servers.js';

/** Start NSD authoritative for `zone` from `file`, without response rate limiting. */
export function startBenchNsd(zone: string, file: string): Promise<RunningServer> {
  return startNsd({ zones: [{ name: zone, file }], extra: ['rrl-ratelimit: 0', 'rrl-whitelist-ratelimit: 0'] });
}
