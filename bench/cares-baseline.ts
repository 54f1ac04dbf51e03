/**
 * The baseline fedcheck is measured against: what a user would write with
 * Node's own resolver (c-ares, `node:dns/promises` `Resolver`) doing only
 * the raw lookups of each domain: both SRV records, then A and AAAA of every
 * distinct target, with `concurrency` domains in flight. No rules, no report.
 *
 *   node dist/bench/cares-baseline.js --server 127.0.0.1:PORT --file domains.txt [--concurrency 64]
 *
 * The resolver is set with `setServers` to the loopback address given, and
 * nothing else: the machine's own resolver is never asked. Prints one JSON
 * line: lookups made, answers, absent (ENODATA/ENOTFOUND: an answer) and
 * lost (anything else: timeouts, SERVFAIL, refused) by error code.
 */
import { Resolver } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { isLoopback } from '../src/dns/server-address.js';

interface Args {
  server: string;
  file: string;
  concurrency: number;
  timeoutMs: number;
  tries: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Partial<Args> = { concurrency: 64, timeoutMs: 2000, tries: 3 };
  for (let i = 0; i < argv.length; i += 2) {
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${argv[i]} needs a value`);
    switch (argv[i]) {
      case '--server':
        args.server = value;
        break;
      case '--file':
        args.file = value;
        break;
      case '--concurrency':
        args.concurrency = Number(value);
        break;
      case '--timeout':
        args.timeoutMs = Number(value);
        break;
      case '--tries':
        args.tries = Number(value);
        break;
      default:
        throw new Error(`unknown option ${argv[i]}`);
    }
  }
  if (args.server === undefined || args.file === undefined) throw new Error('usage: cares-baseline --server 127.0.0.1:PORT --file FILE [--concurrency N]');
  return args as Args;
}

/** Only loopback: this script must never reach the machine's resolver or the network. */
function loopbackServer(text: string): string {
  const match = /^(?:\[([^\]]+)\]|([0-9.]+)):(\d+)$/.exec(text);
  const host = match?.[1] ?? match?.[2];
  const loopback = host !== undefined && isLoopback(host);
  if (!loopback) throw new Error(`--server must be a loopback address with a port (127.0.0.1:PORT), not ${JSON.stringify(text)}`);
  return text;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const resolver = new Resolver({ timeout: args.timeoutMs, tries: args.tries });
  resolver.setServers([loopbackServer(args.server)]);
  const domains = readFileSync(args.file, 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('#'));

  const counts = { domains: domains.length, lookups: 0, answers: 0, absent: 0, lost: 0 };
  const lostBy: Record<string, number> = {};
  /** Run one lookup; an absent record is an answer too, anything else is lost. */
  const ask = async <T>(run: () => Promise<T[]>): Promise<T[]> => {
    counts.lookups += 1;
    try {
      const records = await run();
      counts.answers += 1;
      return records;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'ERROR';
      if (code === 'ENODATA' || code === 'ENOTFOUND') counts.absent += 1;
      else {
        counts.lost += 1;
        lostBy[code] = (lostBy[code] ?? 0) + 1;
      }
      return [];
    }
  };
  const checkDomain = async (domain: string): Promise<void> => {
    const [sipfed, xmpp] = await Promise.all([
      ask(() => resolver.resolveSrv(`_sipfederationtls._tcp.${domain}`)),
      ask(() => resolver.resolveSrv(`_xmpp-server._tcp.${domain}`)),
    ]);
    const targets = [...new Set([...sipfed, ...xmpp].map((r) => r.name.toLowerCase()).filter((name) => name !== '' && name !== '.'))];
    await Promise.all(targets.flatMap((target) => [ask(() => resolver.resolve4(target)), ask(() => resolver.resolve6(target))]));
  };

  const started = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < domains.length) {
      const domain = domains[next]!;
      next += 1;
      await checkDomain(domain);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(args.concurrency, domains.length)) }, worker));
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ ...counts, lostBy, seconds })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`cares-baseline: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
