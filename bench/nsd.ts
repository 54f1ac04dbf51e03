/**
 * NSD for the benchmark. The test harness's NSD keeps NSD's default Response
 * Rate Limiting (200 answers a second per source /24 and "bucket"), which
 * is right for tests but not for a load test from 127.0.0.1: every NODATA
 * answer of a zone shares one bucket, so while Unbound's cache is cold NSD
 * drops most AAAA answers, Unbound gives SERVFAIL and caches it for a few
 * seconds. Here RRL is off (`rrl-ratelimit: 0`, `rrl-whitelist-ratelimit: 0`)
 * and everything else is as in the harness: loopback high port, foreground,
 * a fresh temporary directory, no database, no remote control; killed by
 * {@link killBenchNsd} (the benchmark's exit and signal handlers call it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DnsClient } from '../src/dns/client.js';
import { freePort, LOOPBACK4 } from '../test/support/real-servers.js';

/** A running benchmark NSD. */
export interface BenchNsd {
  /** "127.0.0.1:PORT" */
  readonly address: string;
  readonly port: number;
  stop(): Promise<void>;
}

const children = new Set<{ child: ChildProcess; dir: string }>();

/** Kill every benchmark NSD at once and remove its directory (synchronous: usable in 'exit' handlers). */
export function killBenchNsd(): void {
  for (const entry of children) {
    entry.child.kill('SIGKILL');
    rmSync(entry.dir, { recursive: true, force: true });
  }
  children.clear();
}

/** Start NSD authoritative for `zone` from `file`; resolves once it answers the zone's SOA. */
export async function startBenchNsd(zone: string, file: string): Promise<BenchNsd> {
  const origin = zone.endsWith('.') ? zone : `${zone}.`;
  const check = spawnSync('/usr/sbin/nsd-checkzone', [origin, resolve(file)], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nsd-checkzone rejects the benchmark zone: ${(check.stderr || check.stdout || check.error?.message || '').trim()}`);
  let lastError: unknown;
  // Another process may take the port between the probe and NSD's bind: try another.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort(LOOPBACK4);
    try {
      return await launch(origin, resolve(file), port);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

async function launch(origin: string, file: string, port: number): Promise<BenchNsd> {
  const dir = mkdtempSync(join(tmpdir(), 'fedcheck-bench-nsd-'));
  const config = join(dir, 'nsd.conf');
  writeFileSync(
    config,
    [
      'server:',
      `  ip-address: ${LOOPBACK4}@${port}`,
      `  port: ${port}`,
      '  do-ip4: yes',
      '  do-ip6: no',
      '  reuseport: no',
      '  server-count: 1',
      '  tcp-count: 512',
      '  username: ""',
      '  chroot: ""',
      `  zonesdir: "${dir}"`,
      '  database: ""',
      `  zonelistfile: "${join(dir, 'zone.list')}"`,
      `  xfrdfile: "${join(dir, 'xfrd.state')}"`,
      `  xfrdir: "${dir}"`,
      `  pidfile: "${join(dir, 'nsd.pid')}"`,
      `  logfile: "${join(dir, 'nsd.log')}"`,
      '  verbosity: 1',
      '  hide-version: yes',
      // A load test from one address: no response rate limiting.
      '  rrl-ratelimit: 0',
      '  rrl-whitelist-ratelimit: 0',
      'remote-control:',
      '  control-enable: no',
      'zone:',
      `  name: "${origin}"`,
      `  zonefile: "${file}"`,
      '',
    ].join('\n'),
  );
  const out = openSync(join(dir, 'output.log'), 'a');
  let child: ChildProcess;
  try {
    child = spawn('/usr/sbin/nsd', ['-d', '-c', config], { cwd: dir, stdio: ['ignore', out, out] });
  } finally {
    closeSync(out);
  }
  child.unref();
  const entry = { child, dir };
  children.add(entry);
  let exited = false;
  const exit = new Promise<void>((done) => {
    child.once('exit', () => {
      exited = true;
      done();
    });
    child.once('error', () => {
      exited = true;
      done();
    });
  });
  const stop = async (): Promise<void> => {
    if (!children.has(entry)) return;
    children.delete(entry);
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exit;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const log = (): string => ['output.log', 'nsd.log'].map((f) => { try { return readFileSync(join(dir, f), 'utf8'); } catch { return ''; } }).join('').trim();
  const client = new DnsClient({ servers: [{ host: LOOPBACK4, port, family: 4 }], timeoutMs: 100, retries: 0, recursionDesired: false, udp: { sockets: 1 } });
  // A zone of 100,000 domains takes NSD a few seconds to read.
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      if (exited) throw new Error(`nsd exited before answering on ${LOOPBACK4}:${port}:\n${log()}`);
      const outcome = await client.query({ name: origin, type: 'SOA' });
      if (outcome.kind === 'response') break;
      if (Date.now() > deadline) throw new Error(`nsd did not answer ${origin} SOA on ${LOOPBACK4}:${port} within 60 s:\n${log()}`);
      await new Promise((done) => setTimeout(done, 50));
    }
  } catch (err) {
    await stop();
    throw err;
  } finally {
    client.close();
  }
  return { address: `${LOOPBACK4}:${port}`, port, stop };
}
