/**
 * Running the measured programs: each is a child process whose wall time
 * (spawn to exit, start-up included, as a user would see it) and peak RSS
 * (from the peak-rss preload) are recorded; and dnsperf, whose summary is
 * parsed. Only one child runs at a time, and a signal that stops the
 * benchmark stops it too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The measured child running now, killed if the benchmark is stopped. */
let current: ChildProcess | undefined;

/** Kill the child that runs now, if any (from signal and exit handlers). */
export function killCurrent(): void {
  if (current !== undefined && current.exitCode === null && current.signalCode === null) current.kill('SIGKILL');
}

/** What one child process did. */
export interface ProcessRun {
  readonly seconds: number;
  /** Peak resident set size in MB (MiB), or undefined when the preload could not report it. */
  readonly rssMb: number | undefined;
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  /** File holding its standard output. */
  readonly stdoutFile: string;
  readonly stderr: string;
}

const peakRssPreload = pathToFileURL(join(fileURLToPath(new URL('.', import.meta.url)), 'peak-rss.js')).href;

/**
 * Run `node [nodeArgs] script args`, standard output to `stdoutFile` (a file,
 * as a cron job would write it), with a time limit after which it is killed.
 */
export async function runNode(script: string, args: readonly string[], options: { readonly stdoutFile: string; readonly limitMs: number; readonly nodeArgs?: readonly string[] }): Promise<ProcessRun> {
  const rssFile = `${options.stdoutFile}.rss`;
  rmSync(rssFile, { force: true });
  const out = openSync(options.stdoutFile, 'w');
  const errFile = `${options.stdoutFile}.err`;
  const err = openSync(errFile, 'w');
  let child: ChildProcess;
  const started = performance.now();
  try {
    child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', peakRssPreload, script, ...args], {
      stdio: ['ignore', out, err],
      env: { ...process.env, FEDCHECK_BENCH_RSS_FILE: rssFile, NODE_OPTIONS: '' },
    });
  } finally {
    closeSync(out);
    closeSync(err);
  }
  current = child;
  const timer = setTimeout(() => child.kill('SIGKILL'), options.limitMs);
  const [status, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => {
    child.once('exit', (code, sig) => done([code, sig]));
    child.once('error', () => done([null, null]));
  });
  const seconds = (performance.now() - started) / 1000;
  clearTimeout(timer);
  current = undefined;
  let rssMb: number | undefined;
  try {
    rssMb = Number(readFileSync(rssFile, 'utf8').trim()) / 1024;
  } catch {
    rssMb = undefined;
  }
  return { seconds, rssMb, status, signal, stdoutFile: options.stdoutFile, stderr: readFileSync(errFile, 'utf8') };
}

/** dnsperf's summary. */
export interface DnsperfResult {
  readonly sent: number;
  readonly completed: number;
  readonly lost: number;
  readonly qps: number;
  readonly seconds: number;
  /** Response codes and counts, e.g. { NOERROR: 60000 }. */
  readonly rcodes: Readonly<Record<string, number>>;
}

/** Options of one dnsperf run (see dnsperf(1)). */
export interface DnsperfOptions {
  readonly server: { readonly host: string; readonly port: number };
  readonly file: string;
  /** -c: clients (sockets). */
  readonly clients: number;
  /** -T: threads. */
  readonly threads: number;
  /** -q: queries outstanding at most. */
  readonly outstanding: number;
  /** -n: times through the file. */
  readonly runs: number;
  /** -t: per-query timeout in seconds. */
  readonly timeoutSeconds: number;
}

/** Run dnsperf once through `runs` passes of the file and parse its summary. */
export async function runDnsperf(options: DnsperfOptions): Promise<DnsperfResult> {
  const args = [
    '-s', options.server.host,
    '-p', String(options.server.port),
    '-d', options.file,
    '-c', String(options.clients),
    '-T', String(options.threads),
    '-q', String(options.outstanding),
    '-n', String(options.runs),
    '-t', String(options.timeoutSeconds),
    // A bound on the run, whatever happens.
    '-l', '600',
  ];
  const child = spawn('dnsperf', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  current = child;
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const status = await new Promise<number | null>((done) => {
    child.once('close', (code) => done(code));
    child.once('error', (err) => {
      text += err.message;
      done(null);
    });
  });
  current = undefined;
  if (status !== 0) throw new Error(`dnsperf ${args.join(' ')} failed (status ${String(status)}):\n${text.trim()}`);
  const number = (label: string): number => {
    const match = new RegExp(`${label}:\\s+([0-9.]+)`).exec(text);
    if (match === null) throw new Error(`dnsperf printed no "${label}":\n${text.trim()}`);
    return Number(match[1]);
  };
  const rcodes: Record<string, number> = {};
  const codes = /Response codes:\s+(.*)/.exec(text)?.[1] ?? '';
  for (const m of codes.matchAll(/([A-Z]+) (\d+)/g)) rcodes[m[1]!] = Number(m[2]);
  return {
    sent: number('Queries sent'),
    completed: number('Queries completed'),
    lost: number('Queries lost'),
    qps: number('Queries per second'),
    seconds: number('Run time \\(s\\)'),
    rcodes,
  };
}
