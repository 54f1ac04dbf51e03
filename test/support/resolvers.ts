/**
 * Four more recursive resolvers for the integration suite, next to the
 * Unbound of real-servers.ts: BIND 9 (`named`), PowerDNS Recursor, Knot
 * Resolver (`kresd`) and dnsmasq, all from Debian packages, each started in
 * the foreground on a free loopback high port in its own temporary directory
 * (removed on stop), forwarding or stubbing only to the loopback servers
 * named in `forwards`, and killed on `stop()` or when this process exits
 * (real-servers.ts `launch`). Also an NSD with response rate limiting for
 * the load test.
 *
 * Nothing may leave loopback, and with no network a resolver that tried
 * would show up as slow timeouts, so every one of them answers a name
 * outside its forward zones at once, without asking anyone:
 *
 * | resolver        | outside the forward zones              | how                                      |
 * |-----------------|----------------------------------------|------------------------------------------|
 * | Unbound         | SERVFAIL                               | do-not-query-address (real-servers.ts)   |
 * | BIND 9.18       | SERVFAIL                               | `blackhole` ACL: every non-loopback address, root hints included |
 * | PowerDNS 4.8    | SERVFAIL                               | `hint-file=no`, `dont-query` every non-loopback block |
 * | Knot Resolver 5 | REFUSED                                | a last `policy.all(policy.REFUSE)`, no priming |
 * | dnsmasq 2.90    | REFUSED                                | `--no-resolv`: no server for the name    |
 *
 * How they differ (observed with the Debian 12 packages; see
 * test/integration/resolver-matrix.test.ts, which reports them as it runs):
 *
 * - An RRset larger than the client's EDNS buffer (big.fed.test, 40 SRV):
 *   all five answer TC=1 over UDP and the whole set over TCP, but what the
 *   TC=1 answer holds differs. Unbound, PowerDNS and Knot Resolver: no
 *   records, with or without EDNS. BIND: none with EDNS 1232, the first 8
 *   (a partial RRset) without EDNS (512 bytes). dnsmasq: the upstream's
 *   answer as it came while nothing is cached (NSD's TC=1 answer, no
 *   records, AA=1 relayed); once a TCP answer is cached, a partial RRset
 *   from its cache (21 records with EDNS 1232, 8 without), AA=0. A client
 *   that took a TC=1 answer's records would see a different SRV set per
 *   resolver; fedcheck never does (TC → TCP, src/dns/client.ts).
 * - A zone whose servers never answer (dead.test):
 *   Unbound: SERVFAIL after about 750 ms (FAST_GIVE_UP), then at once
 *   for every name in the zone while the server counts as down;
 *   BIND: silence for 10 s (`resolver-query-timeout` cannot go lower in
 *   9.18), then SERVFAIL, cached for `servfail-ttl` (1 s);
 *   PowerDNS: SERVFAIL after `network-timeout` (500 ms here), then at once
 *   (the server is throttled);
 *   Knot Resolver: SERVFAIL after about 8 s, then at once;
 *   dnsmasq: silence, always — it never turns an upstream timeout into an
 *   answer, so the client sees only its own timeouts.
 * - Knot Resolver 5 counts an upstream's timeouts per IP address, not per
 *   address and port (lib/selection.h: "consider the upstream IP dead"):
 *   after the dead zone's server at 127.0.0.1:X timed out, it answered
 *   SERVFAIL at once for every zone served from 127.0.0.1:Y, for about a
 *   second. On port 53 in real life that is one server either way; here it
 *   would turn good names unknown. So the dead zone's blackhole must live on
 *   another loopback address than the authoritative server
 *   ({@link DEAD_ADDRESS}).
 * - dnsmasq relays AA=1 from the authoritative server to its clients (when
 *   not answering from its cache); the recursive resolvers answer AA=0, RA=1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import {
  absolute,
  ensurePackages,
  launch,
  LOOPBACK4,
  namedOptionsHead,
  newDir,
  NOT_LOOPBACK_V4,
  PACKAGE_BINARIES,
  serverAddress,
  startWithRetry,
  startNsd,
  startUnbound,
  type LaunchSpec,
  type PackageSystem,
  type RunningServer,
  type ZoneSpec,
} from './real-servers.js';

// ---------------------------------------------------------------------------
// Packages

/** The binaries of the resolvers' Debian packages (named-checkconf comes with bind9, through bind9-utils). */
export const RESOLVER_PACKAGE_BINARIES: Readonly<Record<ResolverPackage, readonly string[]>> = {
  bind9: ['/usr/sbin/named', '/usr/bin/named-checkconf'],
  'pdns-recursor': ['/usr/sbin/pdns_recursor'],
  'knot-resolver': ['/usr/sbin/kresd'],
  'dnsmasq-base': ['/usr/sbin/dnsmasq'],
};

export type ResolverPackage = 'bind9' | 'pdns-recursor' | 'knot-resolver' | 'dnsmasq-base';

/** Debian's hook that maintainer scripts ask before starting a service; exit 101 means "do not". */
const POLICY_RC_D = '/usr/sbin/policy-rc.d';

/**
 * Make sure NSD, Unbound, Knot and the four resolvers' packages are installed
 * (apt-get as root when missing; throws, never skips, when impossible).
 * ensurePackages knows packages by PACKAGE_BINARIES, a module constant of
 * real-servers.ts: the resolvers' entries are added to it here, once.
 *
 * On a fresh machine the bind9, pdns-recursor and knot-resolver packages
 * would start their system services on port 53 of 127.0.0.1 and ::1, where
 * other tests run authoritative servers: while installing, a policy-rc.d
 * that refuses every service start is put in place (unless one exists, as
 * in Docker images) and removed afterwards.
 */
export function ensureResolverPackages(system?: PackageSystem): void {
  // The record is declared Readonly for its readers; this module is its one writer.
  const known = PACKAGE_BINARIES as Record<string, readonly string[]>;
  for (const [pkg, binaries] of Object.entries(RESOLVER_PACKAGE_BINARIES)) known[pkg] ??= binaries;
  // knot: the second authoritative server of the authoritative-mode tests; its service must not start either.
  const packages = ['nsd', 'unbound', 'knot', ...(Object.keys(RESOLVER_PACKAGE_BINARIES) as ResolverPackage[])];
  const missing = packages.some((pkg) => (known[pkg] ?? []).some((binary) => !existsSync(binary)));
  const guard = system === undefined && missing && isRoot() && !existsSync(POLICY_RC_D);
  if (guard) writeFileSync(POLICY_RC_D, '#!/bin/sh\n# fedcheck tests (test/support/resolvers.ts): no service starts while installing\nexit 101\n', { mode: 0o755 });
  try {
    ensurePackages(packages, system);
  } finally {
    if (guard) rmSync(POLICY_RC_D, { force: true });
  }
}

// ---------------------------------------------------------------------------
// Shared pieces

/** The five implementations of the matrix. */
export const RESOLVER_KINDS = ['unbound', 'bind', 'pdns-recursor', 'knot-resolver', 'dnsmasq'] as const;
export type ResolverKind = (typeof RESOLVER_KINDS)[number];

/**
 * A second loopback address for servers that must not share an IP address
 * with the authoritative server (Knot Resolver's per-IP dead marking, above).
 * Linux routes all of 127.0.0.0/8 to the loopback interface.
 */
export const DEAD_ADDRESS = '127.0.0.2';

/** A zone and the one loopback server to send its queries to. */
export interface ForwardSpec {
  /** e.g. "fed.test". */
  readonly zone: string;
  /** "127.0.0.1:PORT" (IPv4 loopback only: the resolvers run without IPv6). */
  readonly server: string;
}

/** Options common to the resolvers. */
export interface ResolverOptions {
  readonly forwards: readonly ForwardSpec[];
  /** Port for UDP and TCP on 127.0.0.1; default: a free high port. */
  readonly port?: number;
}

/** A started resolver and what it is. */
export interface RunningResolver extends RunningServer {
  readonly kind: ResolverKind;
}

const relative = (name: string): string => name.replace(/\.$/, '');

function loopbackForwards(forwards: readonly ForwardSpec[]): { zone: string; host: string; port: number }[] {
  if (forwards.length === 0) throw new Error('a resolver needs at least one forward zone');
  return forwards.map((f) => {
    const server = serverAddress(f.server);
    if (isIP(server.host) !== 4 || !server.host.startsWith('127.')) throw new Error(`forward server for ${f.zone} must be on IPv4 loopback, not '${f.server}'`);
    if (!/^[a-z0-9.-]+$/i.test(f.zone)) throw new Error(`bad forward zone '${f.zone}'`);
    return { zone: relative(f.zone), host: server.host, port: server.port };
  });
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** Start on `port`, or on a free IPv4 loopback port, another one when it was taken meanwhile. */
function withPort(port: number | undefined, start: (port: number) => Promise<RunningServer>): Promise<RunningServer> {
  return startWithRetry((free) => start(free), port, LOOPBACK4, false);
}

/** Launch a resolver listening on 127.0.0.1:`port`, ready when it answers the first forward zone's SOA. */
function launchResolver(o: Omit<LaunchSpec, 'server' | 'address6' | 'probe'> & { readonly port: number; readonly forwards: readonly { zone: string }[] }): Promise<RunningServer> {
  const { port, forwards, ...spec } = o;
  return launch({
    ...spec,
    server: serverAddress(`${LOOPBACK4}:${port}`),
    address6: undefined,
    probe: { name: absolute(forwards[0]!.zone), type: 'SOA', recursionDesired: true },
  });
}

// ---------------------------------------------------------------------------
// BIND 9

/**
 * BIND 9 `named -g` (foreground, log to stderr), IPv4 only, recursion for
 * loopback clients, a `forward only` zone per forward. DNSSEC validation
 * off (the fixtures are unsigned, and validating a forwarded zone under the
 * built-in root anchor fails). The `blackhole` ACL lists every address but
 * loopback: named neither answers nor *queries* them, so the built-in root
 * hints are never tried and an undelegated name is SERVFAIL in milliseconds.
 * Queries leave from 127.0.0.1. No rndc.
 */
export async function startNamed(options: ResolverOptions): Promise<RunningResolver> {
  const forwards = loopbackForwards(options.forwards);
  const server = await withPort(options.port, async (port) => {
    const dir = newDir('named');
    const lines = [
      ...namedOptionsHead(dir, port),
      `  query-source address ${LOOPBACK4};`,
      '  blackhole { !127.0.0.0/8; !::1; any; };',
      '  recursion yes;',
      '  allow-query { 127.0.0.0/8; };',
      '  allow-recursion { 127.0.0.0/8; };',
      '  dnssec-validation no;',
      '  qname-minimization off;',
      '  minimal-responses yes;',
      '  notify no;',
      '  max-cache-size 32m;',
      '  version none;',
      '};',
      'controls { };',
      ...forwards.map((f) => `zone "${f.zone}" { type forward; forward only; forwarders { ${f.host} port ${f.port}; }; };`),
      '',
    ];
    const config = join(dir, 'named.conf');
    writeFileSync(config, lines.join('\n'));
    const check = spawnSync('/usr/bin/named-checkconf', [config], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`named-checkconf rejects ${config}: ${(check.stdout || check.stderr || check.error?.message || '').trim()}`);
    // -g: foreground, everything logged to stderr; -4: IPv4 only; -n 1: one worker.
    return launchResolver({ name: 'named', command: '/usr/sbin/named', args: ['-g', '-4', '-n', '1', '-c', config], dir, logFiles: [], port, forwards, readyTimeoutMs: 20_000 });
  });
  return { ...server, kind: 'bind' };
}

// ---------------------------------------------------------------------------
// PowerDNS Recursor

/**
 * PowerDNS Recursor 4.8 in the foreground with `recursor.conf` in its own
 * config-dir: `forward-zones` (which are exempt from `dont-query`), no root
 * hints (`hint-file=no`), `dont-query` every non-loopback address, queries
 * from 127.0.0.1, IPv4 only, DNSSEC off. `network-timeout=500` (default
 * 1500) makes the dead zone SERVFAIL well within a client's timeout.
 */
export async function startPdnsRecursor(options: ResolverOptions): Promise<RunningResolver> {
  const forwards = loopbackForwards(options.forwards);
  const server = await withPort(options.port, async (port) => {
    const dir = newDir('pdns-recursor');
    const lines = [
      `local-address=${LOOPBACK4}`,
      `local-port=${port}`,
      'allow-from=127.0.0.0/8',
      // Zones separated by commas, a zone's servers by semicolons.
      `forward-zones=${forwards.map((f) => `${f.zone}=${f.host}:${f.port}`).join(', ')}`,
      'hint-file=no',
      `dont-query=${[...NOT_LOOPBACK_V4, '::/0'].join(', ')}`,
      `query-local-address=${LOOPBACK4}`,
      'dnssec=off',
      'daemon=no',
      `socket-dir=${dir}`,
      'threads=1',
      'network-timeout=500',
      'disable-syslog=yes',
      'loglevel=4',
      'version-string=',
      '',
    ];
    writeFileSync(join(dir, 'recursor.conf'), lines.join('\n'));
    return launchResolver({ name: 'pdns_recursor', command: '/usr/sbin/pdns_recursor', args: [`--config-dir=${dir}`], dir, logFiles: [], port, forwards, readyTimeoutMs: 15_000 });
  });
  return { ...server, kind: 'pdns-recursor' };
}

// ---------------------------------------------------------------------------
// Knot Resolver

const luaString = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * Knot Resolver 5 (`kresd -n`, non-interactive) with a Lua configuration:
 * `policy.STUB` per forward (STUB, not FORWARD: the upstream is
 * authoritative, and STUB does not validate), then `policy.all(REFUSE)` so
 * that nothing else is ever iterated; the root trust anchor removed, the
 * priming and time-skew modules (which query the root) unloaded. Cache in its
 * directory. Mind {@link DEAD_ADDRESS}: it marks upstreams dead per IP.
 */
export async function startKresd(options: ResolverOptions): Promise<RunningResolver> {
  const forwards = loopbackForwards(options.forwards);
  const server = await withPort(options.port, async (port) => {
    const dir = newDir('kresd');
    const byServer = new Map<string, string[]>();
    for (const f of forwards) byServer.set(`${f.host}@${f.port}`, [...(byServer.get(`${f.host}@${f.port}`) ?? []), f.zone]);
    const lines = [
      '-- generated by test/support/resolvers.ts',
      'net.ipv6 = false',
      `net.listen(${luaString(LOOPBACK4)}, ${port}, { kind = 'dns' })`,
      `cache.open(16 * MB, ${luaString(`lmdb://${join(dir, 'cache')}`)})`,
      "trust_anchors.remove('.')",
      ...['priming', 'detect_time_skew', 'detect_time_jump', 'ta_signal_query', 'ta_sentinel'].map((m) => `modules.unload(${luaString(m)})`),
      ...[...byServer].map(([upstream, zones]) => `policy.add(policy.suffix(policy.STUB({${luaString(upstream)}}), policy.todnames({${zones.map(luaString).join(', ')}})))`),
      'policy.add(policy.all(policy.REFUSE))',
      '',
    ];
    const config = join(dir, 'kresd.conf');
    writeFileSync(config, lines.join('\n'));
    // The configuration path must be absolute: kresd reads it after changing into its rundir.
    return launchResolver({ name: 'kresd', command: '/usr/sbin/kresd', args: ['-n', '-c', config, dir], dir, logFiles: [], port, forwards, readyTimeoutMs: 15_000 });
  });
  return { ...server, kind: 'knot-resolver' };
}

// ---------------------------------------------------------------------------
// dnsmasq

/** Options of {@link startDnsmasq}. */
export interface DnsmasqOptions extends ResolverOptions {
  /** More command-line options, e.g. `--proxy-dnssec` (never a server outside loopback: give those in `forwards`). */
  readonly extra?: readonly string[];
}

/**
 * dnsmasq in the foreground (`-k`) as a forwarder only: no configuration
 * file, no /etc/hosts, no /etc/resolv.conf, one `--server=/zone/ip#port`
 * per forward, bound to 127.0.0.1 only. A name without a server is REFUSED.
 * As root it keeps its user (it would otherwise switch to `nobody` or
 * `dnsmasq`, which may not exist on a fresh machine).
 */
export async function startDnsmasq(options: DnsmasqOptions): Promise<RunningResolver> {
  const forwards = loopbackForwards(options.forwards);
  const extra = options.extra ?? [];
  // Upstreams come from `forwards` only, which are checked to be loopback.
  const upstream = extra.find((o) => /^(--server|--rev-server|--resolv-file|--local|-S|-r)(=|$)/.test(o));
  if (upstream !== undefined) throw new Error(`startDnsmasq: give upstream servers in forwards, not as '${upstream}'`);
  const server = await withPort(options.port, async (port) => {
    const dir = newDir('dnsmasq');
    const args = [
      '-k',
      '--conf-file=/dev/null',
      '--no-resolv',
      '--no-hosts',
      '--no-poll',
      `--listen-address=${LOOPBACK4}`,
      '--bind-interfaces',
      `--port=${port}`,
      ...forwards.map((f) => `--server=/${f.zone}/${f.host}#${f.port}`),
      `--pid-file=${join(dir, 'dnsmasq.pid')}`,
      `--log-facility=${join(dir, 'dnsmasq.log')}`,
      ...(isRoot() ? ['--user=root', '--group=root'] : []),
      ...extra,
    ];
    return launchResolver({ name: 'dnsmasq', command: '/usr/sbin/dnsmasq', args, dir, logFiles: [join(dir, 'dnsmasq.log')], port, forwards, readyTimeoutMs: 10_000 });
  });
  return { ...server, kind: 'dnsmasq' };
}

// ---------------------------------------------------------------------------
// All five

/** A resolver of the matrix: its kind and address ("127.0.0.1:PORT"). */
export interface MatrixResolver {
  readonly kind: ResolverKind;
  readonly address: string;
  /** The resolver's log (empty for a shared Unbound, whose log belongs to another process). */
  log(): string;
}

/**
 * Start the four resolvers with the same forwards (and Unbound too, unless
 * `unbound` gives the address of one already running with those stubs), in
 * parallel. If one cannot start, the others are stopped and the error names
 * the one that failed.
 */
export async function startResolvers(forwards: readonly ForwardSpec[], options: { readonly unbound?: string } = {}): Promise<{ resolvers: readonly MatrixResolver[]; stop(): Promise<void> }> {
  ensureResolverPackages();
  const starts: Promise<RunningResolver>[] = [
    startNamed({ forwards }),
    startPdnsRecursor({ forwards }),
    startKresd({ forwards }),
    startDnsmasq({ forwards }),
  ];
  if (options.unbound === undefined) {
    starts.unshift(startUnbound({ stubs: forwards.map((f) => ({ zone: f.zone, server: f.server })) }).then((s) => ({ ...s, kind: 'unbound' as const })));
  }
  const settled = await Promise.allSettled(starts);
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stop = async (): Promise<void> => {
    await Promise.all(started.map((s) => s.stop()));
  };
  const failed = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason instanceof Error ? s.reason.message : String(s.reason)] : []));
  if (failed.length > 0) {
    await stop();
    throw new Error(`cannot start the resolver matrix:\n${failed.join('\n\n')}`);
  }
  const resolvers: MatrixResolver[] = started.map((s) => ({ kind: s.kind, address: s.address, log: () => s.log() }));
  if (options.unbound !== undefined) resolvers.unshift({ kind: 'unbound', address: options.unbound, log: () => '' });
  resolvers.sort((a, b) => RESOLVER_KINDS.indexOf(a.kind) - RESOLVER_KINDS.indexOf(b.kind));
  return { resolvers, stop };
}

// ---------------------------------------------------------------------------
// NSD with response rate limiting

/** Options of {@link startRateLimitedNsd}. */
export interface RateLimitedNsdOptions {
  readonly zones: readonly ZoneSpec[];
  /** `rrl-ratelimit`: answers per second per bucket (source /24 × answer class) before NSD drops them. */
  readonly ratelimit: number;
  /** `rrl-slip`: every n-th dropped answer goes out as TC=1 instead (0: none). */
  readonly slip: number;
  /** Log blocked subnets (NSD verbosity 2). Default true. */
  readonly logBlocks?: boolean;
}

/**
 * NSD 4 with RRL (the Debian build has --enable-ratelimit; it is even on by
 * default there, at 200 qps). NSD (rrl.c, rrl_classify) puts each UDP answer
 * in a bucket by source /24 and answer class: NXDOMAIN, NODATA and errors
 * share one bucket per *zone*, positive answers have one per query name,
 * wildcard answers one per wildcard. A bucket's rate is `rate/2 + count`
 * each second, so a burst keeps it blocked for a few seconds after the
 * traffic stops. Over `ratelimit`, each answer is dropped, or with chance
 * 1/`slip` sent as an empty TC=1 "slip" instead. TCP is never limited.
 */
export function startRateLimitedNsd(options: RateLimitedNsdOptions): Promise<RunningServer> {
  return startNsd({
    zones: options.zones,
    verbosity: options.logBlocks === false ? 1 : 2,
    // Room for every slip's TCP retry at once.
    tcpCount: 1000,
    extra: [`rrl-ratelimit: ${options.ratelimit}`, `rrl-slip: ${options.slip}`],
  });
}
