/**
 * fedcheck benchmark (issues 6 and 12): fedcheck against Node's own resolver
 * (c-ares) doing the bare lookups, and against dnsperf's ceiling, through a
 * warm Unbound on loopback; and the network scenarios through a real dnsdist
 * in front of it (latency, loss, a rate limit: bench/network.ts).
 *
 *   npm run bench -- [--n 1000,10000,100000] [--reps 5] [--concurrency 64]
 *                    [--scenarios loopback,30ms,100ms,rate] [--net-n 2000,10000] [--net-concurrency 64,256]
 *
 * Starts NSD (authoritative for a generated zone of N conformant SIP
 * domains) and Unbound (recursive, stub to NSD) on free loopback high ports,
 * warms Unbound's cache with dnsperf, then for each N runs, alternating the
 * order each repetition: (a) `fedcheck --format json --file domains.txt -r
 * UNBOUND --concurrency C`, (b) the c-ares baseline at the same concurrency,
 * (c) dnsperf replaying the baseline's queries (the ceiling), (d)
 * fedcheck with `--format ndjson` (peak RSS of streaming), and (e) the floor:
 * Node's bare UDP sockets sending fedcheck's questions (udp-floor.ts).
 * Prints the medians.
 * Every server and child is stopped at the end, on failure and on Ctrl-C.
 * Nothing leaves loopback.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePackages, startUnbound, systemPackages, type RunningServer } from '../test/support/real-servers.js';
import { BENCH_ZONE, writeBenchFiles, type BenchFiles } from './data.js';
import { startBenchNsd } from './nsd.js';
import { killCurrent, runDnsperf, runNode, type DnsperfResult, type ProcessRun } from './measure.js';
import { measureNetwork, networkTables, networkVerdicts, SCENARIOS, type NetRow, type NetRun, type Scenario } from './network.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const FEDCHECK = join(root, 'bin', 'fedcheck.js');
const BASELINE = join(here, 'cares-baseline.js');
const FLOOR = join(here, 'udp-floor.js');

/** Raw lookups per domain of the baseline and of dnsperf: 2 SRV + (A + AAAA) × 2 targets. */
const RAW_PER_DOMAIN = 6;

interface Options {
  readonly sizes: readonly number[];
  readonly reps: number;
  readonly concurrency: number;
  readonly unboundThreads: number;
  readonly keep: boolean;
  /** Where the zone, lists and reports go; default a RAM file system when there is one. */
  readonly workdir: string | undefined;
  /** Exit 1 when a performance target is missed (default: only when a domain does not pass). */
  readonly strict: boolean;
  /** Start and warm the servers, print where, and wait for Ctrl-C (for profiling by hand). */
  readonly serve: boolean;
  /** Run the loopback scenario (the table of issue 6). */
  readonly loopback: boolean;
  /** Network scenarios through dnsdist (issue 12). */
  readonly scenarios: readonly Scenario[];
  readonly netSizes: readonly number[];
  readonly netConcurrency: readonly number[];
  readonly netReps: number;
}

const USAGE = `usage: npm run bench -- [options]

  --n LIST             domain counts, comma-separated; 10k and 1e5 work too (default 1000,10000)
  --reps R             repetitions per N, order alternating (default 3)
  --concurrency C      domains in flight, fedcheck and c-ares alike (default 64)
  --unbound-threads T  Unbound num-threads, 1 or 2 (default 1: the other core runs the client)
  --keep               keep the work directory (zone, lists, outputs)
  --workdir DIR        put the work directory in DIR (default /dev/shm when it exists, else the
                       system temp directory: the reports are written to RAM, not to a disk)
  --strict             exit 1 when an issue 6 target is missed (default: exit 1 only when a
                       domain does not come out pass, 2 on an error)
  --serve              only start and warm the servers for the largest N, print their
                       addresses and the domain lists, and wait for Ctrl-C (for profiling)
  --html               instead: the HTML report's benchmark (bench/html.ts; --html --help)
  --scenarios LIST     which scenarios, comma-separated (default all): loopback (the table
                       above: Unbound on loopback, --n, --reps, --concurrency), and through
                       dnsdist: 30ms (30 ms, 1 % loss), 100ms (100 ms, 3 % loss), rate (30 ms,
                       1,000 queries a second per client, REFUSED past it)
  --net-n LIST         domain counts of the network scenarios (default 2000,10000)
  --net-concurrency L  concurrencies of the network scenarios (default 64,256)
  --net-reps R         repetitions of each network row, order alternating (default 1)
  -h, --help           this text

The full tables of docs/benchmark.md: npm run bench -- --n 10000,100000 --reps 3
A quick look at the network: npm run bench -- --scenarios 30ms --net-n 2000 --net-concurrency 64
`;

function parseCount(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(k|e\d+)?$/i.exec(text.trim());
  if (match === null) throw new Error(`bad count ${JSON.stringify(text)}`);
  const base = Number(match[1]);
  const suffix = match[2]?.toLowerCase();
  const value = suffix === 'k' ? base * 1000 : suffix !== undefined ? base * 10 ** Number(suffix.slice(1)) : base;
  if (!Number.isInteger(value) || value < 1 || value > 1_000_000) throw new Error(`count must be 1 to 1,000,000, not ${text}`);
  return value;
}

function parseOptions(argv: readonly string[]): Options | undefined {
  let sizes = [1000, 10_000];
  let reps = 3;
  let concurrency = 64;
  let unboundThreads = 1;
  let keep = false;
  let serve = false;
  let strict = false;
  let workdir: string | undefined;
  let loopback = true;
  let scenarios: readonly Scenario[] = SCENARIOS;
  let netSizes = [2000, 10_000];
  let netConcurrency = [64, 256];
  let netReps = 1;
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[(i += 1)];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const whole = (min: number, max: number): number => {
      const v = Number(value());
      if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${flag} must be a whole number from ${min} to ${max}`);
      return v;
    };
    switch (flag) {
      case '--n':
        sizes = value().split(',').map(parseCount);
        break;
      case '--reps':
        reps = whole(1, 50);
        break;
      case '--concurrency':
        concurrency = whole(1, 4096);
        break;
      case '--unbound-threads':
        unboundThreads = whole(1, 2);
        break;
      case '--keep':
        keep = true;
        break;
      case '--serve':
        serve = true;
        break;
      case '--strict':
        strict = true;
        break;
      case '--workdir':
        workdir = value();
        break;
      case '--scenarios': {
        const names = value().split(',').map((name) => name.trim());
        for (const name of names) {
          if (name !== 'loopback' && !SCENARIOS.some((sc) => sc.name === name)) throw new Error(`unknown scenario ${JSON.stringify(name)}: loopback, ${SCENARIOS.map((sc) => sc.name).join(', ')}`);
        }
        loopback = names.includes('loopback');
        scenarios = SCENARIOS.filter((sc) => names.includes(sc.name));
        break;
      }
      case '--net-n':
        netSizes = value().split(',').map(parseCount);
        break;
      case '--net-concurrency':
        netConcurrency = value().split(',').map((text) => {
          const v = Number(text);
          if (!Number.isInteger(v) || v < 1 || v > 4096) throw new Error(`--net-concurrency must list whole numbers from 1 to 4096, not ${text}`);
          return v;
        });
        break;
      case '--net-reps':
        netReps = whole(1, 50);
        break;
      case '-h':
      case '--help':
        process.stdout.write(USAGE);
        return undefined;
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return { sizes, reps, concurrency, unboundThreads, keep, workdir, strict, serve, loopback, scenarios, netSizes, netConcurrency, netReps };
}

const log = (text: string): void => void process.stderr.write(`bench: ${text}\n`);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** dnsperf is not part of the test harness's packages: install it the same way (root + apt-get), or say how. */
function ensureDnsperf(): void {
  const found = (): boolean => spawnSync('dnsperf', ['-h'], { stdio: 'ignore' }).error === undefined;
  if (found()) return;
  if (!systemPackages.isRoot() || !systemPackages.exists('/usr/bin/apt-get')) {
    throw new Error('dnsperf is missing: install the Debian package with `apt-get install dnsperf` (as root)');
  }
  if (systemPackages.run('apt-get', ['update']) !== 0 || systemPackages.run('apt-get', ['install', '-y', '--no-install-recommends', 'dnsperf']) !== 0 || !found()) {
    throw new Error('dnsperf is missing and `apt-get install dnsperf` failed');
  }
}

/**
 * Unbound for the benchmark, on top of the harness's loopback-only
 * configuration (later lines win over the harness's): caches big enough for
 * 100,000 domains (six answers each, about 600,000 messages and 400,000
 * RRsets of a few hundred bytes: the defaults of 4 MB hold a few thousand),
 * so nothing is evicted between runs; socket buffers at Linux's usual 4 MB
 * limit (net.core.rmem_max), so a burst is not dropped by the kernel before
 * Unbound reads it. One thread by default: on two cores the other one runs
 * the client being measured.
 */
function unboundExtra(threads: number): string[] {
  return [`num-threads: ${threads}`, 'msg-cache-size: 256m', 'rrset-cache-size: 512m', 'so-rcvbuf: 4m', 'so-sndbuf: 4m'];
}

function machine(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  let online = String(cpus().length);
  const nproc = spawnSync('nproc', [], { encoding: 'utf8' });
  if (nproc.status === 0) online = nproc.stdout.trim();
  return `${online} CPUs (nproc), ${model}, Node ${process.version}, ${process.platform} ${process.arch}`;
}

/** The last 64 kB of a file of `size` bytes, as text. */
function tail(path: string, size: number): string {
  const length = Math.min(size, 1 << 16);
  const buf = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buf, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  return buf.toString('utf8');
}

/** The part of a JSON report after `domains` (summary and queries), without parsing the whole file. */
function jsonReportTail(path: string): { summary: Summary; queries: Queries } {
  const size = statSync(path).size;
  if (size < 1 << 24) return JSON.parse(readFileSync(path, 'utf8')) as { summary: Summary; queries: Queries };
  // A huge report: read its end; fedcheck writes `summary` and `queries` after `domains`.
  const text = tail(path, size);
  const at = text.lastIndexOf('"summary":');
  if (at < 0) throw new Error(`${path}: no "summary" near the end of the report`);
  return JSON.parse(`{${text.slice(at)}`) as { summary: Summary; queries: Queries };
}

/** The summary line of an ndjson report (its last line). */
function ndjsonSummary(path: string): { summary: Summary; queries: Queries } {
  const lines = tail(path, statSync(path).size).trimEnd().split('\n');
  const last = JSON.parse(lines[lines.length - 1] ?? '{}') as { type?: string; summary: Summary; queries: Queries };
  if (last.type !== 'summary') throw new Error(`${path}: the last line is not the summary line`);
  return last;
}

interface Summary {
  readonly domains: number;
  readonly pass: number;
  readonly warn: number;
  readonly fail: number;
  readonly unknown: number;
}
interface Queries {
  readonly lookups: number;
  readonly udp: number;
  readonly tcp: number;
  readonly retransmits?: number;
  readonly peakPerSecond?: number;
  readonly outcomes: Readonly<Record<string, number>>;
}

/** One fedcheck run, checked: every domain must pass. */
interface FedcheckRun {
  readonly seconds: number;
  readonly rssMb: number | undefined;
  /** Messages sent (UDP + TCP), retries included. */
  readonly queries: number;
  readonly lookups: number;
  readonly retries: number;
  readonly pass: number;
  readonly notPass: number;
}

async function runFedcheck(server: string, files: BenchFiles, dir: string, n: number, concurrency: number, format: 'json' | 'ndjson'): Promise<FedcheckRun> {
  const list = files.domains.get(n)!;
  const out = join(dir, `fedcheck-${n}.${format}`);
  const run = await runNode(FEDCHECK, ['--format', format, '--file', list, '-r', server, '--concurrency', String(concurrency)], {
    stdoutFile: out,
    limitMs: 60_000 + n * 10,
  });
  // 0 when every domain passes; 1-3 (warn, fail, unknown) still bring a report, whose summary counts them.
  if (run.status === null || run.status > 3) {
    throw new Error(`fedcheck --format ${format} on ${n} domains exited ${run.signal ?? `with status ${String(run.status)}`}:\n${run.stderr.slice(0, 2000)}`);
  }
  const report = format === 'json' ? jsonReportTail(out) : ndjsonSummary(out);
  rmSync(out, { force: true });
  const queries = report.queries.udp + report.queries.tcp;
  return {
    seconds: run.seconds,
    rssMb: run.rssMb,
    queries,
    lookups: report.queries.lookups,
    retries: queries - report.queries.lookups,
    pass: report.summary.pass,
    notPass: report.summary.domains - report.summary.pass,
  };
}

/** fedcheck through a network scenario's dnsdist: the report's counters, whatever the verdicts. */
async function runFedcheckNet(server: string, files: BenchFiles, dir: string, n: number, concurrency: number, rate?: number): Promise<NetRun> {
  const list = files.domains.get(n)!;
  const out = join(dir, `fedcheck-net-${n}.json`);
  const args = ['--format', 'json', '--file', list, '-r', server, '--concurrency', String(concurrency), ...(rate !== undefined ? ['--rate', String(rate)] : [])];
  const run = await runNode(FEDCHECK, args, { stdoutFile: out, limitMs: 120_000 + n * 30 });
  if (run.status === null || run.status > 3) {
    throw new Error(`fedcheck ${args.join(' ')} exited ${run.signal ?? `with status ${String(run.status)}`}:\n${run.stderr.slice(0, 2000)}`);
  }
  const report = jsonReportTail(out);
  rmSync(out, { force: true });
  const queries = report.queries.udp + report.queries.tcp;
  return {
    seconds: run.seconds,
    queries,
    retries: queries - report.queries.lookups,
    retransmits: report.queries.retransmits ?? 0,
    tcp: report.queries.tcp,
    peakPerSecond: report.queries.peakPerSecond,
    pass: report.summary.pass,
    unknown: report.summary.unknown,
    wrong: report.summary.warn + report.summary.fail,
    lost: 0,
  };
}

/** The c-ares baseline through a network scenario's dnsdist. */
async function runBaselineNet(server: string, files: BenchFiles, dir: string, n: number, concurrency: number): Promise<NetRun> {
  const out = join(dir, `cares-net-${n}.json`);
  const run = await runNode(BASELINE, ['--server', server, '--file', files.domains.get(n)!, '--concurrency', String(concurrency)], { stdoutFile: out, limitMs: 120_000 + n * 30 });
  if (run.status !== 0) throw new Error(`the c-ares baseline failed (${run.signal ?? `status ${String(run.status)}`}):\n${run.stderr.slice(0, 2000)}`);
  const result = JSON.parse(readFileSync(out, 'utf8')) as { lookups: number; lost: number };
  return { seconds: run.seconds, queries: result.lookups, retries: 0, retransmits: 0, tcp: 0, peakPerSecond: undefined, pass: 0, unknown: 0, wrong: 0, lost: result.lost };
}

/** The floor: Node's own sockets sending fedcheck's questions, nothing else (udp-floor.ts). */
async function runFloor(server: string, files: BenchFiles, dir: string, n: number, concurrency: number): Promise<number> {
  const out = join(dir, `floor-${n}.json`);
  // Two questions a domain are in flight at once in fedcheck (both SRV, then each target's A).
  const run = await runNode(FLOOR, ['--server', server, '--file', files.queries.get(n)!, '--window', String(2 * concurrency)], { stdoutFile: out, limitMs: 60_000 + n * 10 });
  if (run.status !== 0) throw new Error(`the UDP floor failed (${run.signal ?? `status ${String(run.status)}`}):\n${run.stderr.slice(0, 2000)}`);
  const result = JSON.parse(readFileSync(out, 'utf8')) as { questions: number; answered: number };
  if (result.answered !== result.questions) throw new Error(`the UDP floor answered ${result.answered} of ${result.questions}`);
  return run.seconds;
}

interface BaselineRun {
  readonly seconds: number;
  readonly rssMb: number | undefined;
  readonly lookups: number;
  readonly lost: number;
  readonly lostBy: Readonly<Record<string, number>>;
}

async function runBaseline(server: string, files: BenchFiles, dir: string, n: number, concurrency: number): Promise<BaselineRun> {
  const out = join(dir, `cares-${n}.json`);
  const run: ProcessRun = await runNode(BASELINE, ['--server', server, '--file', files.domains.get(n)!, '--concurrency', String(concurrency)], {
    stdoutFile: out,
    limitMs: 60_000 + n * 10,
  });
  if (run.status !== 0) throw new Error(`the c-ares baseline failed (${run.signal ?? `status ${String(run.status)}`}):\n${run.stderr.slice(0, 2000)}`);
  const result = JSON.parse(readFileSync(out, 'utf8')) as { lookups: number; lost: number; lostBy: Record<string, number> };
  return { seconds: run.seconds, rssMb: run.rssMb, lookups: result.lookups, lost: result.lost, lostBy: result.lostBy };
}

/** The ceiling: dnsperf replaying the baseline's queries, with enough in flight to keep Unbound busy. */
function ceiling(unbound: RunningServer, files: BenchFiles, n: number): Promise<DnsperfResult> {
  return runDnsperf({
    server: { host: '127.0.0.1', port: unbound.port },
    file: files.queries.get(n)!,
    clients: 4,
    threads: 1,
    outstanding: 256,
    // At least 300,000 queries, so that a run lasts long enough to measure.
    runs: Math.max(1, Math.ceil(300_000 / (n * RAW_PER_DOMAIN))),
    timeoutSeconds: 5,
  });
}

/** Fill Unbound's cache: dnsperf through every query, gently, until a pass loses nothing and sees only NOERROR. */
async function warm(unbound: RunningServer, files: BenchFiles, max: number): Promise<void> {
  for (let pass = 1; pass <= 5; pass += 1) {
    const result = await runDnsperf({
      server: { host: '127.0.0.1', port: unbound.port },
      file: files.queries.get(max)!,
      clients: 2,
      threads: 1,
      outstanding: pass === 1 ? 200 : 400,
      runs: 1,
      timeoutSeconds: 5,
    });
    const noerror = result.rcodes.NOERROR ?? 0;
    log(`warm pass ${pass}: ${result.completed} of ${result.sent} answered (${JSON.stringify(result.rcodes)}) at ${Math.round(result.qps)} q/s`);
    if (pass > 1 && result.lost === 0 && noerror === result.sent) return;
  }
  throw new Error('Unbound did not answer every query of the zone with NOERROR after 5 warm-up passes');
}

interface Row {
  readonly n: number;
  readonly fedcheck: number;
  readonly cares: number;
  readonly ratio: number;
  readonly qps: number;
  readonly caresQps: number;
  readonly ndjson: number;
  readonly floor: number;
  readonly ceiling: number;
  readonly rssJson: number | undefined;
  readonly rssNdjson: number | undefined;
  readonly caresRss: number | undefined;
  readonly queries: number;
  readonly retries: number;
  readonly caresLost: number;
  readonly notPass: number;
}

async function measure(options: Options, unbound: RunningServer, files: BenchFiles, dir: string, n: number): Promise<Row> {
  const fed: FedcheckRun[] = [];
  const nd: FedcheckRun[] = [];
  const base: BaselineRun[] = [];
  const perf: DnsperfResult[] = [];
  const floors: number[] = [];
  const server = unbound.address;
  const c = options.concurrency;
  for (let rep = 0; rep < options.reps; rep += 1) {
    // A/B alternating: fedcheck first on even repetitions, c-ares first on odd ones.
    const steps: (() => Promise<void>)[] = [
      async () => void fed.push(await runFedcheck(server, files, dir, n, c, 'json')),
      async () => void base.push(await runBaseline(server, files, dir, n, c)),
    ];
    if (rep % 2 === 1) steps.reverse();
    steps.push(async () => void perf.push(await ceiling(unbound, files, n)));
    steps.push(async () => void nd.push(await runFedcheck(server, files, dir, n, c, 'ndjson')));
    steps.push(async () => void floors.push(await runFloor(server, files, dir, n, c)));
    for (const step of steps) await step();
    const f = fed[fed.length - 1]!;
    const b = base[base.length - 1]!;
    const p = perf[perf.length - 1]!;
    log(
      `N=${n} rep ${rep + 1}/${options.reps}: fedcheck ${f.seconds.toFixed(3)} s (${f.queries} queries, ${f.retries} retries, ${f.pass}/${n} pass, ${mb(f.rssMb)}), ` +
        `c-ares ${b.seconds.toFixed(3)} s (${b.lookups} lookups, ${b.lost} lost, ${mb(b.rssMb)}), dnsperf ${Math.round(p.qps)} q/s (${p.lost} lost), ndjson ${nd[nd.length - 1]!.seconds.toFixed(3)} s ${mb(nd[nd.length - 1]!.rssMb)}, UDP floor ${floors[floors.length - 1]!.toFixed(3)} s`,
    );
  }
  const fedcheck = median(fed.map((r) => r.seconds));
  const cares = median(base.map((r) => r.seconds));
  const queries = median(fed.map((r) => r.queries));
  const rss = (runs: readonly { rssMb: number | undefined }[]): number | undefined => {
    const known = runs.map((r) => r.rssMb).filter((v): v is number => v !== undefined);
    return known.length === 0 ? undefined : Math.max(...known);
  };
  return {
    n,
    fedcheck,
    cares,
    ratio: fedcheck / cares,
    qps: queries / fedcheck,
    caresQps: median(base.map((r) => r.lookups)) / cares,
    ndjson: median(nd.map((r) => r.seconds)),
    floor: median(floors),
    ceiling: median(perf.map((p) => p.qps)),
    rssJson: rss(fed),
    rssNdjson: rss(nd),
    caresRss: rss(base),
    queries,
    retries: Math.max(...fed.map((r) => r.retries), ...nd.map((r) => r.retries)),
    caresLost: base.reduce((sum, r) => sum + r.lost, 0),
    notPass: Math.max(...fed.map((r) => r.notPass), ...nd.map((r) => r.notPass)),
  };
}

const mb = (value: number | undefined): string => (value === undefined ? '? MB' : `${Math.round(value)} MB`);

function table(rows: readonly Row[], options: Options): string {
  const header = ['N', 'fedcheck s', 'c-ares s', 'ratio', 'qps', '% of ceiling', 'RSS json', 'RSS ndjson', 'ndjson s', 'UDP floor s', 'fedcheck / floor', 'c-ares qps', 'c-ares RSS', 'dnsperf qps', 'not pass', 'retries', 'c-ares lost'];
  const lines = rows.map((r) => [
    r.n.toLocaleString('en-US'),
    r.fedcheck.toFixed(3),
    r.cares.toFixed(3),
    r.ratio.toFixed(2),
    Math.round(r.qps).toLocaleString('en-US'),
    `${Math.round((100 * r.qps) / r.ceiling)}%`,
    mb(r.rssJson),
    mb(r.rssNdjson),
    r.ndjson.toFixed(3),
    r.floor.toFixed(3),
    (r.fedcheck / r.floor).toFixed(2),
    Math.round(r.caresQps).toLocaleString('en-US'),
    mb(r.caresRss),
    Math.round(r.ceiling).toLocaleString('en-US'),
    String(r.notPass),
    String(r.retries),
    String(r.caresLost),
  ]);
  const out = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...lines.map((l) => `| ${l.join(' | ')} |`)];
  return [
    `fedcheck benchmark: medians of ${options.reps} alternating runs, concurrency ${options.concurrency}, Unbound num-threads ${options.unboundThreads}, warm cache`,
    `machine: ${machine()}`,
    '',
    ...out,
    '',
    'fedcheck s / c-ares s: median wall time of the whole process (start-up included); ratio = fedcheck / c-ares.',
    'qps: messages fedcheck sent (UDP + TCP, retries included) per second of its wall time; % of ceiling: of dnsperf\'s',
    'queries per second replaying the baseline\'s queries. RSS: the largest peak resident set size of the runs.',
    'fedcheck asks 4 questions a domain (2 SRV, A of each target; AAAA only where A is absent), c-ares 6 (A and AAAA).',
    'UDP floor: Node\'s own sockets sending fedcheck\'s questions (as many in flight), taking answers by ID, nothing else.',
    '',
  ].join('\n');
}

/** Loopback targets (issue 12: <= 1.0 x c-ares, linear to 100,000, ndjson RSS), checked against the rows measured. */
function verdicts(rows: readonly Row[]): string[] {
  const out: string[] = [];
  const byN = new Map(rows.map((r) => [r.n, r]));
  const ten = byN.get(10_000);
  const hundred = byN.get(100_000);
  const mark = (ok: boolean): string => (ok ? 'met   ' : 'MISSED');
  if (ten !== undefined) {
    out.push(`${mark(ten.ratio <= 1.0)} N=10,000: fedcheck/c-ares ${ten.ratio.toFixed(2)} (target <= 1.0)`);
    out.push(`note   N=10,000: ${Math.round((100 * ten.qps) / ten.ceiling)}% of the dnsperf ceiling; Node's bare UDP sockets alone take ${ten.floor.toFixed(3)} s for the same questions`);
  }
  if (ten !== undefined && hundred !== undefined) {
    out.push(`${mark(hundred.fedcheck <= 11 * ten.fedcheck)} N=100,000 takes ${(hundred.fedcheck / ten.fedcheck).toFixed(1)} x N=10,000 (target <= 11)`);
  }
  if (hundred !== undefined && hundred.rssNdjson !== undefined) {
    out.push(`${mark(hundred.rssNdjson <= 250)} N=100,000 --format ndjson peak RSS ${mb(hundred.rssNdjson)} (target <= 250 MB)`);
  }
  for (const r of rows) out.push(`${mark(r.notPass === 0)} N=${r.n.toLocaleString('en-US')}: every domain pass in every run (${r.notPass} not pass; ${r.retries} retries absorbed drops; c-ares lost ${r.caresLost})`);
  return out;
}

async function main(): Promise<number> {
  // `--html`: the HTML report's own benchmark (bench/html.ts), apart because it needs Chromium.
  if (process.argv.includes('--html')) return (await import('./html.js')).benchHtml(process.argv.slice(2).filter((a) => a !== '--html'));
  const options = parseOptions(process.argv.slice(2));
  if (options === undefined) return 0;
  if (!existsSync(FEDCHECK) || !existsSync(join(root, 'dist', 'src', 'cli.js'))) throw new Error('fedcheck is not built: run `npm run build` (npm run bench does)');
  log(`machine: ${machine()}`);
  ensurePackages(['nsd', 'unbound', ...(options.scenarios.length > 0 ? ['dnsdist'] : [])]);
  ensureDnsperf();

  const base = options.workdir ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
  const dir = mkdtempSync(join(base, 'fedcheck-bench-'));
  const servers: RunningServer[] = [];
  const cleanup = (): void => {
    killCurrent();
    if (!options.keep && process.env.FEDCHECK_KEEP_SERVER_DIRS === undefined) rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      // Stop the child and the work directory; the harness's own handler stops the servers and re-raises the signal.
      process.removeListener(signal, onSignal);
      cleanup();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
  try {
    const max = Math.max(...(options.loopback ? options.sizes : []), ...(options.scenarios.length > 0 ? options.netSizes : []));
    log(`writing a zone of ${max.toLocaleString('en-US')} domains in ${dir}`);
    const files = await writeBenchFiles(dir, [...(options.loopback ? options.sizes : []), ...(options.scenarios.length > 0 ? options.netSizes : [])]);
    const nsd = await startBenchNsd(BENCH_ZONE, files.zone);
    servers.push(nsd);
    const unbound = await startUnbound({ stubs: [{ zone: BENCH_ZONE, server: nsd.address }], extra: unboundExtra(options.unboundThreads) });
    servers.push(unbound);
    log(`NSD on ${nsd.address}, Unbound on ${unbound.address}; warming the cache`);
    await warm(unbound, files, max);
    if (options.serve) {
      process.stdout.write(`resolver ${unbound.address}\n${[...files.domains].map(([n, path]) => `domains ${n} ${path}`).join('\n')}\n`);
      log('serving until Ctrl-C');
      await new Promise<void>(() => setInterval(() => undefined, 1 << 30));
    }
    const rows: Row[] = [];
    if (options.loopback) for (const n of options.sizes) rows.push(await measure(options, unbound, files, dir, n));
    const netRows: NetRow[] = options.scenarios.length === 0 ? [] : await measureNetwork(unbound, options.scenarios, options.netSizes, options.netConcurrency, options.netReps, {
      fedcheck: (server, n, c, rate) => runFedcheckNet(server, files, dir, n, c, rate),
      cares: (server, n, c) => runBaselineNet(server, files, dir, n, c),
    }, servers);
    // The loopback table names the machine itself.
    if (rows.length > 0) process.stdout.write(table(rows, options));
    else process.stdout.write(`machine: ${machine()}\n\n`);
    if (netRows.length > 0) process.stdout.write(`\n${networkTables(netRows, options.netReps)}`);
    const lines = [...verdicts(rows), ...networkVerdicts(netRows)];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (rows.some((r) => r.notPass > 0) || netRows.some((r) => r.fedcheck.wrong > 0 || (r.rated !== undefined && r.rated.wrong > 0))) return 1;
    return options.strict && lines.some((line) => line.startsWith('MISSED')) ? 1 : 0;
  } finally {
    killCurrent();
    await Promise.all(servers.map((s) => s.stop()));
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
