/**
 * Synthetic benchmark data: one zone with N conformant SIP domains, the
 * domain lists fedcheck and the c-ares baseline read, and the query files
 * dnsperf replays. Every domain `dK.fedbench.test` has
 *
 *   _sipfederationtls._tcp.dK  SRV 100 1 5061 sip.dK    (federation, push)
 *   _xmpp-server._tcp.dK       SRV  10 0 5269 xmpp.dK   (XMPP federation)
 *   sip.dK                     A   (TEST-NET / benchmarking ranges, never contacted)
 *   xmpp.dK                    A
 *
 * so each domain passes every rule, and the raw lookups a script would do
 * are six: two SRV, then A and AAAA of each of the two targets (AAAA is
 * NODATA). Long TTLs, and an SOA minimum as long, keep the answers (the
 * NODATA ones too, RFC 2308) in Unbound's cache for the whole run.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';

/** The zone every synthetic domain lives in (`.test`, RFC 6761: never delegated). */
export const BENCH_ZONE = 'fedbench.test';

/** Answers live a day: nothing expires during a run. */
const TTL = 86_400;

/** The i-th domain (1-based). */
export function domainName(i: number): string {
  return `d${i}.${BENCH_ZONE}`;
}

/** Files written for one benchmark work directory. */
export interface BenchFiles {
  readonly zone: string;
  /** Domain list of the first `n` domains, by n. */
  readonly domains: ReadonlyMap<number, string>;
  /** dnsperf input (`name TYPE` per line) of the first `n` domains' raw lookups, by n. */
  readonly queries: ReadonlyMap<number, string>;
}

/** Two addresses per domain from documentation / benchmarking ranges (RFC 5737, RFC 2544). */
function addresses(i: number): [string, string] {
  const low = i % 250;
  const high = Math.floor(i / 250) % 250;
  return [`198.18.${high}.${low + 1}`, `198.19.${high}.${low + 1}`];
}

/** The six raw lookups of one domain, in the order a script asks them. */
export function rawQueries(domain: string): readonly string[] {
  return [
    `_sipfederationtls._tcp.${domain} SRV`,
    `_xmpp-server._tcp.${domain} SRV`,
    `sip.${domain} A`,
    `sip.${domain} AAAA`,
    `xmpp.${domain} A`,
    `xmpp.${domain} AAAA`,
  ];
}

/** Write the produced text in chunks of about 64 kB, waiting for the stream to drain: never one huge string. */
async function writeChunks(path: string, parts: Iterable<string>): Promise<void> {
  const stream: WriteStream = createWriteStream(path);
  let pending = '';
  for (const part of parts) {
    pending += part;
    if (pending.length < 1 << 16) continue;
    if (!stream.write(pending)) await once(stream, 'drain');
    pending = '';
  }
  stream.end(pending);
  await once(stream, 'finish');
}

/**
 * Write the zone for `max` domains and, for each n in `sizes`, the list of the
 * first n domains and their dnsperf queries. One zone serves every size.
 */
export async function writeBenchFiles(dir: string, sizes: readonly number[]): Promise<BenchFiles> {
  const max = Math.max(...sizes);
  const zone = join(dir, `${BENCH_ZONE}.zone`);
  await writeChunks(zone, zoneLines(max));
  const domains = new Map<number, string>();
  const queries = new Map<number, string>();
  for (const n of [...new Set(sizes)].sort((a, b) => a - b)) {
    const list = join(dir, `domains-${n}.txt`);
    const replay = join(dir, `queries-${n}.txt`);
    await writeChunks(list, perDomain(n, (domain) => `${domain}\n`));
    await writeChunks(replay, perDomain(n, (domain) => `${rawQueries(domain).join('\n')}\n`));
    domains.set(n, list);
    queries.set(n, replay);
  }
  return { zone, domains, queries };
}

function* zoneLines(max: number): Generator<string> {
  yield `$ORIGIN ${BENCH_ZONE}.\n$TTL ${TTL}\n`;
  yield `@ IN SOA ns.${BENCH_ZONE}. hostmaster.${BENCH_ZONE}. 1 3600 600 864000 ${TTL}\n`;
  yield `@ IN NS ns.${BENCH_ZONE}.\nns IN A 127.0.0.1\n`;
  for (let i = 1; i <= max; i += 1) {
    const label = `d${i}`;
    const [sip, xmpp] = addresses(i);
    yield `_sipfederationtls._tcp.${label} IN SRV 100 1 5061 sip.${label}\n` +
      `_xmpp-server._tcp.${label} IN SRV 10 0 5269 xmpp.${label}\n` +
      `sip.${label} IN A ${sip}\n` +
      `xmpp.${label} IN A ${xmpp}\n`;
  }
}

function* perDomain(n: number, line: (domain: string) => string): Generator<string> {
  for (let i = 1; i <= n; i += 1) yield line(domainName(i));
}
