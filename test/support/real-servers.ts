/**
 * Real DNS servers for integration tests: NSD (authoritative) and Unbound
 * (recursive), from Debian packages, started on free loopback high ports in
 * a fresh temporary directory each, and killed on `stop()` or when this
 * process exits. Nothing here listens on or talks to anything but loopback.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, isIP, type Server, type Socket as TcpSocket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DnsClient } from '../../src/dns/client.js';
import type { QueryType } from '../../src/dns/codec.js';
import { parseServerAddress, type ServerAddress } from '../../src/dns/server-address.js';

// ---------------------------------------------------------------------------
// Packages

/** Binaries the harness runs, by Debian package. */
export const PACKAGE_BINARIES: Readonly<Record<string, readonly string[]>> = {
  nsd: ['/usr/sbin/nsd', '/usr/sbin/nsd-checkzone'],
  unbound: ['/usr/sbin/unbound', '/usr/sbin/unbound-checkconf'],
  // Knot DNS: the second authoritative implementation of the authoritative-mode tests (test/support/knot.ts).
  knot: ['/usr/sbin/knotd', '/usr/sbin/knotc'],
  // BIND's zone tools: the reference reader and writer of master files (test/zone/bind-interop.test.ts), and the signer of the DNSSEC test zones (test/support/signed-zone.ts).
  'bind9-utils': ['/usr/bin/named-checkzone', '/usr/bin/named-compilezone', '/usr/bin/dnssec-keygen', '/usr/bin/dnssec-signzone', '/usr/bin/dnssec-dsfromkey'],
  // The judges of the machine formats (test/support/report-checks.ts): promtool for Prometheus, xmllint for JUnit.
  prometheus: ['/usr/bin/promtool'],
  'libxml2-utils': ['/usr/bin/xmllint'],
  // groff lints the manual page (test/man-page.test.ts).
  'groff-base': ['/usr/bin/groff'],
  // Chromium: the real browser the HTML report is opened in (test/integration/html-browser.test.ts).
  chromium: ['/usr/bin/chromium'],
  // The TLS probe's servers (test/support/tls-servers.ts): XMPP s2s, and `openssl s_server` for SIP/TLS.
  prosody: ['/usr/bin/prosody'],
  // openssl: the test CA and server certificates of the DNS over TLS/HTTPS tests (test/support/test-pki.ts).
  openssl: ['/usr/bin/openssl'],
  // dnsdist: latency, loss and rate limits in front of a real resolver (test/support/dnsdist.ts, bench/).
  dnsdist: ['/usr/bin/dnsdist'],
  // dnsmasq: the forwarder of the resolver matrix (test/support/resolvers.ts) and of the DNSSEC forwarder tests (test/integration/dnssec-forwarder.test.ts).
  'dnsmasq-base': ['/usr/sbin/dnsmasq'],
};

/** How {@link ensurePackages} inspects and changes the machine; replaceable in tests. */
export interface PackageSystem {
  exists(path: string): boolean;
  isRoot(): boolean;
  /** Run a command with output shown to the user; resolve to its exit status (null if killed or not started). */
  run(command: string, args: readonly string[]): number | null;
}

/** The real machine: files, uid, and commands with inherited output (so apt-get is visible). */
export const systemPackages: PackageSystem = {
  exists: (path) => existsSync(path),
  isRoot: () => typeof process.getuid === 'function' && process.getuid() === 0,
  run: (command, args) => {
    const result = spawnSync(command, args, {
      // apt's output goes to stderr: stdout may be a protocol pipe (start-shared).
      stdio: ['ignore', 2, 2],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    return result.error !== undefined ? null : result.status;
  },
};

/**
 * Make sure the Debian packages are installed, by looking for their binaries
 * (see {@link PACKAGE_BINARIES}). When some are missing and we run as root:
 * `apt-get update`, then `apt-get install -y --no-install-recommends`. Throws
 * an error saying what is missing and how to fix it when that is impossible
 * or fails: integration tests must fail loudly, never skip.
 */
export function ensurePackages(packages: readonly string[], system: PackageSystem = systemPackages): void {
  const missingBinaries = (): string[] => packages.flatMap((p) => binariesOf(p).filter((b) => !system.exists(b)));
  const before = missingBinaries();
  if (before.length === 0) return;
  const wanted = packages.filter((p) => binariesOf(p).some((b) => !system.exists(b)));
  const what = `missing ${before.join(', ')} (Debian package${wanted.length === 1 ? '' : 's'} ${wanted.join(', ')})`;
  const advice = `install with \`apt-get install ${wanted.join(' ')}\` as root, or run only the unit tests: \`node test/run.mjs --unit\``;
  if (!system.isRoot()) {
    throw new Error(`integration tests need real DNS servers: ${what}; not running as root, so they cannot be installed automatically: ${advice}`);
  }
  if (!system.exists('/usr/bin/apt-get')) {
    throw new Error(`integration tests need real DNS servers: ${what}, and this machine has no apt-get: ${advice}`);
  }
  // Another test process may be installing too: wait for dpkg's lock rather than fail on it.
  const update = system.run('apt-get', [...APT_LOCK_WAIT, 'update']);
  if (update !== 0) throw new Error(`integration tests need real DNS servers: ${what}; \`apt-get update\` failed (exit status ${String(update)})`);
  const install = system.run('apt-get', [...APT_LOCK_WAIT, 'install', '-y', '--no-install-recommends', ...wanted]);
  if (install !== 0) {
    throw new Error(`integration tests need real DNS servers: ${what}; \`apt-get install ${wanted.join(' ')}\` failed (exit status ${String(install)})`);
  }
  const after = missingBinaries();
  if (after.length > 0) throw new Error(`integration tests need real DNS servers: still missing ${after.join(', ')} after apt-get install ${wanted.join(' ')}`);
}

const APT_LOCK_WAIT = ['-o', 'DPkg::Lock::Timeout=600'];

function binariesOf(pkg: string): readonly string[] {
  const binaries = PACKAGE_BINARIES[pkg];
  if (binaries === undefined) throw new Error(`ensurePackages: no binaries known for package '${pkg}' (add it to PACKAGE_BINARIES)`);
  return binaries;
}

// ---------------------------------------------------------------------------
// Ports and addresses

/** The IPv4 loopback address every server listens on. */
export const LOOPBACK4 = '127.0.0.1';
/** The IPv6 loopback address, used only when {@link ipv6Available}. */
export const LOOPBACK6 = '::1';

const handedOut = new Set<number>();

/**
 * A port that is free for both UDP and TCP on `host` (and on ::1 when
 * `alsoIpv6`), found by binding to it and letting go. Never the same port
 * twice in one process. Another process may still take it before the server
 * binds it; the start functions retry with a new port when that happens.
 */
export async function freePort(host: string = LOOPBACK4, alsoIpv6 = false): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const tcp = await bindTcp(host, 0);
    if (tcp === undefined) break;
    const address = tcp.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const held: (Server | UdpSocket)[] = [tcp];
    let ok = port > 0 && !handedOut.has(port);
    if (ok) {
      const udp = await bindUdp(host, port);
      if (udp === undefined) ok = false;
      else held.push(udp);
    }
    if (ok && alsoIpv6) {
      const tcp6 = await bindTcp(LOOPBACK6, port);
      const udp6 = tcp6 === undefined ? undefined : await bindUdp(LOOPBACK6, port);
      if (tcp6 !== undefined) held.push(tcp6);
      if (udp6 !== undefined) held.push(udp6);
      ok = tcp6 !== undefined && udp6 !== undefined;
    }
    await Promise.all(held.map(closeQuietly));
    if (ok) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free UDP+TCP port found on ${host}${alsoIpv6 ? ' and ::1' : ''}`);
}

let ipv6Probe: Promise<boolean> | undefined;

/** Whether ::1 can be bound here (containers often lack IPv6 loopback). */
export function ipv6Available(): Promise<boolean> {
  ipv6Probe ??= bindUdp(LOOPBACK6, 0).then(async (socket) => {
    if (socket === undefined) return false;
    await closeQuietly(socket);
    return true;
  });
  return ipv6Probe;
}

function bindTcp(host: string, port: number): Promise<Server | undefined> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(undefined));
    server.listen({ host, port, exclusive: true }, () => done(server));
  });
}

function bindUdp(host: string, port: number): Promise<UdpSocket | undefined> {
  return new Promise((done) => {
    const socket = createSocket({ type: isIP(host) === 6 ? 'udp6' : 'udp4' });
    socket.once('error', () => {
      socket.close();
      done(undefined);
    });
    socket.bind({ address: host, port, exclusive: true }, () => done(socket));
  });
}

function closeQuietly(handle: Server | UdpSocket): Promise<void> {
  return new Promise((done) => {
    try {
      handle.close(() => done());
    } catch {
      done();
    }
  });
}

/** Parse "127.0.0.1:PORT" / "[::1]:PORT" into a {@link ServerAddress}; throws on anything else. */
export function serverAddress(text: string): ServerAddress {
  const parsed = parseServerAddress(text);
  if (!parsed.ok) throw new Error(`bad server address: ${parsed.error}`);
  return parsed.value;
}

/** `host:port`, an IPv6 host in brackets. */
export function formatAddress(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The address in the `host@port` form NSD and Unbound configurations use. */
function atPort(server: ServerAddress): string {
  return `${server.host}@${server.port}`;
}

// ---------------------------------------------------------------------------
// Processes

/** A server started by this module. */
export interface RunningServer {
  /** Where it answers over UDP and TCP: "127.0.0.1:PORT". */
  readonly address: string;
  /** The same port on ::1, "[::1]:PORT", when IPv6 loopback was available and asked for. */
  readonly address6?: string;
  readonly port: number;
  /** Its temporary directory: configuration, pid file, state, log. Removed on stop. */
  readonly dir: string;
  /** The server's log (stdout, stderr and its own log file). */
  log(): string;
  /** Terminate it (SIGTERM, then SIGKILL after 3 s) and remove its directory. Idempotent. */
  stop(): Promise<void>;
}

interface Tracked {
  readonly child: ChildProcess;
  readonly dir: string;
}

const running = new Set<Tracked>();
let exitHooked = false;

/** Whether to leave server directories behind (for a post-mortem): FEDCHECK_KEEP_SERVER_DIRS set. */
function keepDirs(): boolean {
  return process.env.FEDCHECK_KEEP_SERVER_DIRS !== undefined;
}

/** Kill every server still running, at once (usable in an 'exit' handler: synchronous). */
function killAll(): void {
  for (const tracked of running) {
    tracked.child.kill('SIGKILL');
    if (!keepDirs()) rmSync(tracked.dir, { recursive: true, force: true });
  }
  running.clear();
}

/** Kill every server still running when this process ends, however it ends (short of SIGKILL). */
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      // Death by signal skips 'exit' handlers: clean up, then die of the same signal as without this handler.
      process.removeListener(signal, onSignal);
      killAll();
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/** A fresh temporary directory for one server's files. */
export function newDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `fedcheck-${prefix}-`));
}

/** How to start one server process and tell that it is ready; exported for other server kinds (test/support/knot.ts). */
export interface LaunchSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly dir: string;
  /** Extra log files the server writes itself. */
  readonly logFiles: readonly string[];
  readonly server: ServerAddress;
  readonly address6: string | undefined;
  /** The readiness question and whether to set RD. */
  readonly probe: { readonly name: string; readonly type: QueryType; readonly recursionDesired: boolean };
  readonly readyTimeoutMs: number;
  /** How long one readiness query waits (default 50 ms; more for a server that delays its answers on purpose). */
  readonly probeTimeoutMs?: number;
}

class StartError extends Error {
  constructor(
    message: string,
    readonly exitedEarly: boolean,
  ) {
    super(message);
  }
}

/** Start a server process and wait until it answers a real DNS query. */
export async function launch(spec: LaunchSpec): Promise<RunningServer> {
  hookExit();
  const outputFile = join(spec.dir, 'output.log');
  const fd = openSync(outputFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(spec.command, spec.args, { cwd: spec.dir, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  // Do not keep the event loop alive for the server: the exit hook kills it.
  child.unref();
  const tracked: Tracked = { child, dir: spec.dir };
  running.add(tracked);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<void>((done) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      running.delete(tracked);
      done();
    });
    child.once('error', (err) => {
      exited = { code: null, signal: null };
      running.delete(tracked);
      writeFileSync(outputFile, `spawn ${spec.command}: ${err.message}\n`, { flag: 'a' });
      done();
    });
  });
  const log = (): string =>
    [outputFile, ...spec.logFiles]
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f, 'utf8'))
      .join('')
      .trimEnd();

  let stopping: Promise<void> | undefined;
  const terminate = (removeDir: boolean): Promise<void> => {
    stopping ??= (async () => {
      if (exited === undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exitPromise;
        clearTimeout(timer);
      }
      running.delete(tracked);
      if (removeDir) rmSync(spec.dir, { recursive: true, force: true });
    })();
    return stopping;
  };
  const stop = (): Promise<void> => terminate(!keepDirs());

  const client = new DnsClient({ servers: [spec.server], timeoutMs: spec.probeTimeoutMs ?? 50, retries: 0, recursionDesired: spec.probe.recursionDesired, udp: { sockets: 1 } });
  const deadline = Date.now() + spec.readyTimeoutMs;
  try {
    for (;;) {
      if (exited !== undefined) {
        throw new StartError(`${spec.name} exited (${exited.signal ?? `status ${String(exited.code)}`}) before answering on ${formatAddress(spec.server.host, spec.server.port)}:\n${tail(log())}`, true);
      }
      const outcome = await client.query({ name: spec.probe.name, type: spec.probe.type });
      // Any DNS answer, even SERVFAIL or REFUSED, proves the server is up.
      if (outcome.kind === 'response' || (outcome.reason !== 'timeout' && outcome.reason !== 'network')) break;
      if (Date.now() > deadline) {
        throw new StartError(`${spec.name} did not answer ${spec.probe.name} ${spec.probe.type} on ${formatAddress(spec.server.host, spec.server.port)} within ${spec.readyTimeoutMs} ms:\n${tail(log())}`, false);
      }
      await sleep(outcome.reason === 'network' ? 20 : 0);
    }
  } catch (err) {
    await terminate(false); // keep configuration and logs for a post-mortem
    throw err instanceof StartError ? new StartError(`${err.message}\n(files kept in ${spec.dir})`, err.exitedEarly) : err;
  } finally {
    client.close();
  }
  const result: RunningServer = {
    address: formatAddress(spec.server.host, spec.server.port),
    port: spec.server.port,
    dir: spec.dir,
    log,
    stop,
    ...(spec.address6 !== undefined ? { address6: spec.address6 } : {}),
  };
  return result;
}

/**
 * Start with a harness-picked port, and pick another when the server could
 * not start (another process may have taken the port after the probe);
 * exported for the resolvers (test/support/resolvers.ts).
 */
export async function startWithRetry(start: (port: number, ipv6: boolean) => Promise<RunningServer>, port: number | undefined, host: string, wantIpv6: boolean): Promise<RunningServer> {
  const ipv6 = wantIpv6 && (await ipv6Available());
  if (port !== undefined) return start(port, ipv6);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      return await start(await freePort(host, ipv6), ipv6);
    } catch (err) {
      lastError = err;
      if (!(err instanceof StartError && err.exitedEarly && /in use|bind|could not listen/i.test(err.message))) throw err;
    }
  }
  throw lastError;
}

function tail(text: string, lines = 30): string {
  return text.split('\n').slice(-lines).join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** A DNS name as the configuration files want it: absolute, quoted by the caller. */
export function absolute(name: string): string {
  return name === '.' || name.endsWith('.') ? name : `${name}.`;
}

// ---------------------------------------------------------------------------
// NSD

/** One zone for NSD: its origin and its master file. */
export interface ZoneSpec {
  /** The zone's origin, e.g. "fed.test" or "." */
  readonly name: string;
  /** An RFC 1035 master file; relative paths are taken from the current directory. */
  readonly file: string;
}

/** Options of {@link startNsd}. */
export interface NsdOptions {
  readonly zones: readonly ZoneSpec[];
  /** IPv4 loopback address to listen on; default 127.0.0.1. */
  readonly address?: string;
  /** Port for UDP and TCP; default: a free high port. */
  readonly port?: number;
  /** Also listen on ::1 when available; default false. */
  readonly ipv6?: boolean;
  /** NSD verbosity 0-5; default 1. */
  readonly verbosity?: number;
  /** Simultaneous TCP connections NSD serves (`tcp-count`); default 512. */
  readonly tcpCount?: number;
  /** More `server:` lines, e.g. `rrl-ratelimit: 0` for a load test from one address. */
  readonly extra?: readonly string[];
}

/**
 * Start NSD in the foreground (`nsd -d`), authoritative for `zones`, with
 * everything in a fresh temporary directory: no database file, no remote
 * control, no chroot, no change of user (so it runs as root or not). Ready
 * when it answers the first zone's SOA query. Zone files are checked with
 * `nsd-checkzone` first, so a broken fixture names its line.
 */
export async function startNsd(options: NsdOptions): Promise<RunningServer> {
  if (options.zones.length === 0) throw new Error('startNsd: no zones');
  const host = options.address ?? LOOPBACK4;
  requireLoopback(host, 'startNsd address');
  for (const zone of options.zones) {
    const check = spawnSync('/usr/sbin/nsd-checkzone', [absolute(zone.name), resolve(zone.file)], { encoding: 'utf8' });
    if (check.status !== 0) {
      throw new Error(`nsd-checkzone rejects zone ${zone.name} (${zone.file}): ${(check.stderr || check.stdout || check.error?.message || '').trim()}`);
    }
  }
  const first = options.zones[0]!;
  return startWithRetry(
    async (port, ipv6) => {
      const dir = newDir('nsd');
      const server = serverAddress(formatAddress(host, port));
      const lines = [
        'server:',
        `  ip-address: ${host}@${port}`,
        ...(ipv6 ? [`  ip-address: ${LOOPBACK6}@${port}`] : []),
        `  port: ${port}`,
        `  do-ip4: yes`,
        `  do-ip6: ${ipv6 ? 'yes' : 'no'}`,
        '  reuseport: no',
        '  server-count: 1',
        `  tcp-count: ${options.tcpCount ?? 512}`,
        '  username: ""',
        '  chroot: ""',
        `  zonesdir: "${dir}"`,
        // NSD 4 reads zone files directly when the database is "" (faster start, no nsd.db).
        '  database: ""',
        `  zonelistfile: "${join(dir, 'zone.list')}"`,
        `  xfrdfile: "${join(dir, 'xfrd.state')}"`,
        `  xfrdir: "${dir}"`,
        `  pidfile: "${join(dir, 'nsd.pid')}"`,
        `  logfile: "${join(dir, 'nsd.log')}"`,
        `  verbosity: ${options.verbosity ?? 1}`,
        '  hide-version: yes',
        '  identity: "fedcheck-test-nsd"',
        ...(options.extra ?? []).map((line) => `  ${line}`),
        'remote-control:',
        '  control-enable: no',
        ...options.zones.flatMap((zone) => ['zone:', `  name: "${absolute(zone.name)}"`, `  zonefile: "${resolve(zone.file)}"`]),
        '',
      ];
      const config = join(dir, 'nsd.conf');
      writeFileSync(config, lines.join('\n'));
      return launch({
        name: 'nsd',
        command: '/usr/sbin/nsd',
        args: ['-d', '-c', config],
        dir,
        logFiles: [join(dir, 'nsd.log')],
        server,
        address6: ipv6 ? formatAddress(LOOPBACK6, port) : undefined,
        probe: { name: absolute(first.name), type: 'SOA', recursionDesired: false },
        readyTimeoutMs: 10_000,
      });
    },
    options.port,
    host,
    options.ipv6 === true,
  );
}

// ---------------------------------------------------------------------------
// Unbound

/** A stub zone: Unbound sends every query for `zone` to `server`, nowhere else. */
export interface StubSpec {
  /** e.g. "fed.test", or "." for the root. */
  readonly zone: string;
  /** A loopback server: "127.0.0.1:PORT" or "[::1]:PORT". */
  readonly server: string;
}

/** Options of {@link startUnbound}. */
export interface UnboundOptions {
  readonly stubs: readonly StubSpec[];
  /** IPv4 loopback address to listen on; default 127.0.0.1. */
  readonly address?: string;
  /** Port for UDP and TCP; default: a free high port. */
  readonly port?: number;
  /** Also listen on ::1 when available; default false. */
  readonly ipv6?: boolean;
  /** Unbound verbosity 0-5; default 1. */
  readonly verbosity?: number;
  /** Extra lines for the `server:` clause (indent not needed), e.g. `['cache-max-ttl: 0']`. */
  readonly extra?: readonly string[];
  /**
   * Validate DNSSEC (the validator module) with these trust anchors, each a
   * DS or DNSKEY record in presentation form (`trust-anchor:`); zones under
   * `insecure` are not validated (`domain-insecure:`). Default: no validation.
   */
  readonly validator?: { readonly trustAnchors: readonly string[]; readonly insecure?: readonly string[] };
}

/**
 * Unbound settings that make an unresponsive authoritative server cost under
 * a second instead of minutes: a server is declared down once its backed-off
 * retransmission timeout passes 500 ms (default 120 s); measured with Unbound
 * 1.17: two datagrams, SERVFAIL after about 750 ms, then SERVFAIL at once for
 * that server while its infra-cache entry lives (15 min). Keep probing a down
 * server, so a loopback server that stalled once under load comes back.
 */
export const FAST_GIVE_UP: readonly string[] = ['infra-cache-max-rtt: 500', 'infra-keep-probing: yes'];

/**
 * Options newer Unbound builds have (Debian backported them into 1.17.1 as
 * security fixes) that would otherwise change answers under test:
 * `discard-timeout` (default 1.9 s) silently drops the reply to a query that
 * took longer, so a client sees a timeout instead of SERVFAIL; `wait-limit`
 * (default 1000) drops queries beyond that many waiting per client address,
 * which a load test from 127.0.0.1 can reach. Both off when supported.
 */
const IF_SUPPORTED: readonly (readonly [option: string, line: string])[] = [
  ['discard-timeout', 'discard-timeout: 0'],
  ['wait-limit', 'wait-limit: 0'],
];

const supported = new Map<string, boolean>();

/** Whether this Unbound knows `option` (unbound-checkconf fails on unknown ones). */
function unboundSupports(option: string): boolean {
  let known = supported.get(option);
  if (known === undefined) {
    known = spawnSync('/usr/sbin/unbound-checkconf', ['-o', option, '/dev/null'], { stdio: 'ignore' }).status === 0;
    supported.set(option, known);
  }
  return known;
}

/**
 * IPv4 blocks covering everything except 127.0.0.0/8, for
 * `do-not-query-address`: Unbound may then only ever send to loopback,
 * whatever the root hints or a zone's NS records say.
 */
export const NOT_LOOPBACK_V4: readonly string[] = ['0.0.0.0/2', '64.0.0.0/3', '96.0.0.0/4', '112.0.0.0/5', '120.0.0.0/6', '124.0.0.0/7', '126.0.0.0/8', '128.0.0.0/1'];
/** The same for IPv6: everything but ::1, as 128 prefixes (bit i set, the bits before it clear). */
const NOT_LOOPBACK_V6: readonly string[] = [
  '::/128',
  ...Array.from({ length: 127 }, (_, bit) => {
    const groups = new Array<number>(8).fill(0);
    groups[Math.floor(bit / 16)] = 0x8000 >> bit % 16;
    return `${groups.map((g) => g.toString(16)).join(':')}/${bit + 1}`;
  }),
];

/**
 * Start Unbound in the foreground as a recursive resolver whose only
 * upstreams are the given stubs, everything in a fresh temporary directory.
 * No query can leave loopback: it sends only from 127.0.0.1 (and ::1), and
 * every other address, the built-in root hints' included, is on its
 * `do-not-query-address` list, so a name outside the stubs gets SERVFAIL in
 * a few milliseconds. A stub that never answers costs about a second, then
 * SERVFAIL (see {@link FAST_GIVE_UP}). DNSSEC validation is off (iterator
 * module only, no trust anchor) unless `validator` is given; `test.` is not a refused local zone; remote
 * control is off; no chroot, no change of user. Ready when it answers
 * `localhost. A` (a local zone, so no upstream is needed).
 */
export async function startUnbound(options: UnboundOptions): Promise<RunningServer> {
  const host = options.address ?? LOOPBACK4;
  requireLoopback(host, 'startUnbound address');
  const stubs = options.stubs.map((stub) => {
    const server = serverAddress(stub.server);
    requireLoopback(server.host, `stub server for ${stub.zone}`);
    return { zone: absolute(stub.zone), server };
  });
  return startWithRetry(
    async (port, ipv6) => {
      const dir = newDir('unbound');
      const server = serverAddress(formatAddress(host, port));
      const lines = [
        'server:',
        `  interface: ${host}@${port}`,
        ...(ipv6 ? [`  interface: ${LOOPBACK6}@${port}`] : []),
        `  port: ${port}`,
        '  interface-automatic: no',
        '  do-ip4: yes',
        `  do-ip6: ${ipv6 ? 'yes' : 'no'}`,
        '  do-udp: yes',
        '  do-tcp: yes',
        // Queries go out from loopback only, so they can only reach loopback.
        `  outgoing-interface: ${host}`,
        ...(ipv6 ? [`  outgoing-interface: ${LOOPBACK6}`] : []),
        '  access-control: 127.0.0.0/8 allow',
        '  access-control: ::1 allow',
        '  username: ""',
        '  chroot: ""',
        `  directory: "${dir}"`,
        `  pidfile: "${join(dir, 'unbound.pid')}"`,
        '  use-syslog: no',
        `  logfile: "${join(dir, 'unbound.log')}"`,
        '  log-servfail: yes',
        `  verbosity: ${options.verbosity ?? 1}`,
        '  do-daemonize: no',
        '  num-threads: 1',
        '  so-reuseport: no',
        // The stubs are on loopback, which Unbound refuses to query by default.
        '  do-not-query-localhost: no',
        ...NOT_LOOPBACK_V4.map((block) => `  do-not-query-address: ${block}`),
        ...(ipv6 ? NOT_LOOPBACK_V6.map((block) => `  do-not-query-address: ${block}`) : []),
        // No validator module and no trust anchor unless asked: fixture zones are unsigned.
        ...(options.validator === undefined
          ? ['  module-config: "iterator"']
          : [
              '  module-config: "validator iterator"',
              ...options.validator.trustAnchors.map((anchor) => `  trust-anchor: "${anchor}"`),
              ...(options.validator.insecure ?? []).map((zone) => `  domain-insecure: "${absolute(zone)}"`),
              // The reason a validation failed, in the log a failing test prints.
              '  val-log-level: 2',
            ]),
        '  trust-anchor-signaling: no',
        '  root-key-sentinel: no',
        // RFC 6761 special-use names are local zones by default; fixtures live under test.
        '  local-zone: "test." nodefault',
        // No prefetch or qname minimisation: only the queries the tests ask for.
        '  prefetch: no',
        '  qname-minimisation: no',
        '  harden-below-nxdomain: no',
        '  minimal-responses: yes',
        ...FAST_GIVE_UP.map((line) => `  ${line}`),
        ...IF_SUPPORTED.filter(([option]) => unboundSupports(option)).map(([, line]) => `  ${line}`),
        '  num-queries-per-thread: 2048',
        ...(options.extra ?? []).map((line) => `  ${line.trim()}`),
        'remote-control:',
        '  control-enable: no',
        ...stubs.flatMap((stub) => ['stub-zone:', `  name: "${stub.zone}"`, `  stub-addr: ${atPort(stub.server)}`, '  stub-prime: no', '  stub-first: no']),
        '',
      ];
      const config = join(dir, 'unbound.conf');
      writeFileSync(config, lines.join('\n'));
      const check = spawnSync('/usr/sbin/unbound-checkconf', [config], { encoding: 'utf8' });
      if (check.status !== 0) {
        throw new Error(`unbound-checkconf rejects the generated configuration ${config}: ${(check.stderr || check.stdout || check.error?.message || '').trim()}`);
      }
      return launch({
        name: 'unbound',
        command: '/usr/sbin/unbound',
        args: ['-d', '-c', config],
        dir,
        logFiles: [join(dir, 'unbound.log')],
        server,
        address6: ipv6 ? formatAddress(LOOPBACK6, port) : undefined,
        probe: { name: 'localhost.', type: 'A', recursionDesired: true },
        readyTimeoutMs: 10_000,
      });
    },
    options.port,
    host,
    options.ipv6 === true,
  );
}

/** Throws unless `host` is 127.0.0.0/8 or ::1; `what` names it in the message. */
export function requireLoopback(host: string, what: string): void {
  if (!(isIP(host) === 4 ? host.startsWith('127.') : host === LOOPBACK6)) {
    throw new Error(`${what} must be a loopback address (127.0.0.0/8 or ::1), not '${host}'`);
  }
}

// ---------------------------------------------------------------------------
// Blackhole

/** A loopback port that takes DNS queries and never answers. */
export interface Blackhole extends RunningServer {
  /** UDP datagrams and TCP connections received so far. */
  received(): { readonly udp: number; readonly tcp: number };
}

/**
 * Bind UDP and TCP on a loopback port and never answer: datagrams are read
 * and dropped (so the sender gets no ICMP port-unreachable either), TCP
 * connections are accepted and left silent. A stub pointing here models an
 * authoritative server that never answers (RFC 8906 calls that always wrong).
 */
export async function startBlackhole(options: { readonly address?: string; readonly port?: number } = {}): Promise<Blackhole> {
  const host = options.address ?? LOOPBACK4;
  requireLoopback(host, 'startBlackhole address');
  const port = options.port ?? (await freePort(host));
  const counts = { udp: 0, tcp: 0 };
  const connections = new Set<TcpSocket>();
  const udp = await bindUdp(host, port);
  if (udp === undefined) throw new Error(`blackhole: cannot bind UDP ${formatAddress(host, port)}`);
  udp.on('message', () => {
    counts.udp += 1;
  });
  const tcp = await bindTcp(host, port);
  if (tcp === undefined) {
    await closeQuietly(udp);
    throw new Error(`blackhole: cannot bind TCP ${formatAddress(host, port)}`);
  }
  tcp.on('connection', (socket) => {
    counts.tcp += 1;
    connections.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => connections.delete(socket));
    socket.resume(); // read and discard
  });
  udp.unref();
  tcp.unref();
  let stopping: Promise<void> | undefined;
  return {
    address: formatAddress(host, port),
    port,
    dir: '',
    log: () => `blackhole ${formatAddress(host, port)}: ${counts.udp} datagrams, ${counts.tcp} connections received, none answered`,
    received: () => ({ ...counts }),
    stop: () => {
      stopping ??= (async () => {
        for (const socket of connections) socket.destroy();
        await Promise.all([closeQuietly(udp), closeQuietly(tcp)]);
      })();
      return stopping;
    },
  };
}

/**
 * The first lines of a BIND `options` block every test named shares: its own
 * directory, pid, session key and managed keys, listening on loopback IPv4
 * `port` only.
 */
export function namedOptionsHead(dir: string, port: number): string[] {
  return [
    'options {',
    `  directory "${dir}";`,
    `  pid-file "${join(dir, 'named.pid')}";`,
    `  session-keyfile "${join(dir, 'session.key')}";`,
    `  managed-keys-directory "${dir}";`,
    `  listen-on port ${port} { ${LOOPBACK4}; };`,
    '  listen-on-v6 { none; };',
  ];
}
