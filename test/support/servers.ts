/**
 * The test world shared by integration tests: one NSD authoritative for every
 * zone in `fixtures/zones/`, one Unbound resolving through stubs to it, and a
 * blackhole port standing in for the servers of `dead.test`, which never
 * answer. `test/run.mjs` starts them once for the whole suite and passes
 * their addresses in environment variables; a test file run on its own
 * starts its own set, stopped when its process exits.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { QueryType } from '../../src/dns/codec.js';
import type { CoreRuleId } from '../../src/rules/federation/catalogue.js';
import { ensurePackages, serverAddress, startBlackhole, startNsd, startUnbound, type ZoneSpec } from './real-servers.js';

/** Environment variables through which `test/run.mjs` hands the shared servers to test processes. */
export const ENV = {
  auth: 'FEDCHECK_TEST_AUTH',
  resolver: 'FEDCHECK_TEST_RESOLVER',
  dead: 'FEDCHECK_TEST_DEAD',
  auth6: 'FEDCHECK_TEST_AUTH6',
  resolver6: 'FEDCHECK_TEST_RESOLVER6',
} as const;

/** Zones whose (stub) servers never answer: Unbound gives SERVFAIL for them. */
export const DEAD_ZONES: readonly string[] = ['dead.test'];

/** Addresses of the test world's servers, each "127.0.0.1:PORT" (or "[::1]:PORT"). */
export interface TestServers {
  /** NSD, authoritative (AA) for every zone of {@link fixtureZones}; ask it with RD=0. */
  readonly auth: string;
  /** Unbound, recursive (RA), with a stub per fixture zone to `auth` and per {@link DEAD_ZONES} zone to `dead`. */
  readonly resolver: string;
  /** A port that takes UDP and TCP queries and never answers. */
  readonly dead: string;
  /** NSD on ::1, when IPv6 loopback is available. */
  readonly auth6?: string;
  /** Unbound on ::1, when IPv6 loopback is available. */
  readonly resolver6?: string;
  /** 'shared' when started by test/run.mjs for the suite, 'own' when started by this process. */
  readonly origin: 'shared' | 'own';
}

/** A started test world that can be stopped, with how long it took to start. */
export interface StartedTestServers extends TestServers {
  /** The environment variables that hand these servers to other processes. */
  readonly env: Readonly<Record<string, string>>;
  /** Milliseconds spent: checking packages, NSD until it answered, Unbound until it answered, in total. */
  readonly timings: { readonly packagesMs: number; readonly nsdMs: number; readonly unboundMs: number; readonly totalMs: number };
  stop(): Promise<void>;
}

/** The repository root: the nearest directory above this file with fixtures/zones. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'fixtures', 'zones')) && existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no fixtures/zones above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** Every fixture zone: `fixtures/zones/<origin>.zone`, sorted by origin. */
export function fixtureZones(): ZoneSpec[] {
  const dir = join(repoRoot(), 'fixtures', 'zones');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.zone'))
    .sort()
    .map((file) => ({ name: file.slice(0, -'.zone'.length), file: join(dir, file) }));
}

/**
 * The deployment-profile fixtures, `fixtures/zones/profiles/<origin>.zone`
 * (their verdicts are in that directory's verdicts.json, not scenarios.json),
 * sorted by origin. Served by the same NSD and Unbound as {@link fixtureZones}.
 */
export function profileFixtureZones(): ZoneSpec[] {
  const dir = join(repoRoot(), 'fixtures', 'zones', 'profiles');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.zone'))
    .sort()
    .map((file) => ({ name: file.slice(0, -'.zone'.length), file: join(dir, file) }));
}

/**
 * Start NSD, the blackhole and Unbound for the fixture zones (installing the
 * packages first when missing; throws when that is impossible). Every
 * server is also killed if this process exits without calling `stop()`.
 */
export async function startTestServers(): Promise<StartedTestServers> {
  const t0 = performance.now();
  ensurePackages(['nsd', 'unbound']);
  const t1 = performance.now();
  const zones = [...fixtureZones(), ...profileFixtureZones()];
  const [nsd, dead] = await Promise.all([startNsd({ zones, ipv6: true }), startBlackhole()]);
  const t2 = performance.now();
  let unbound;
  try {
    unbound = await startUnbound({
      ipv6: true,
      stubs: [
        ...zones.map((zone) => ({ zone: zone.name, server: nsd.address })),
        ...DEAD_ZONES.map((zone) => ({ zone, server: dead.address })),
      ],
    });
  } catch (err) {
    await Promise.all([nsd.stop(), dead.stop()]);
    throw err;
  }
  const t3 = performance.now();
  const env: Record<string, string> = { [ENV.auth]: nsd.address, [ENV.resolver]: unbound.address, [ENV.dead]: dead.address };
  if (nsd.address6 !== undefined) env[ENV.auth6] = nsd.address6;
  if (unbound.address6 !== undefined) env[ENV.resolver6] = unbound.address6;
  const running = unbound;
  return {
    auth: nsd.address,
    resolver: unbound.address,
    dead: dead.address,
    ...(nsd.address6 !== undefined ? { auth6: nsd.address6 } : {}),
    ...(unbound.address6 !== undefined ? { resolver6: unbound.address6 } : {}),
    origin: 'own',
    env,
    timings: { packagesMs: t1 - t0, nsdMs: t2 - t1, unboundMs: t3 - t2, totalMs: t3 - t0 },
    stop: async () => {
      await running.stop();
      await Promise.all([nsd.stop(), dead.stop()]);
    },
  };
}

/** The shared servers named by the environment, or undefined when none are. */
export function sharedServersFromEnv(env: NodeJS.ProcessEnv = process.env): TestServers | undefined {
  const auth = env[ENV.auth];
  const resolver = env[ENV.resolver];
  const dead = env[ENV.dead];
  if (auth === undefined && resolver === undefined && dead === undefined) return undefined;
  if (auth === undefined || resolver === undefined || dead === undefined) {
    throw new Error(`set all of ${ENV.auth}, ${ENV.resolver} and ${ENV.dead}, or none of them`);
  }
  for (const address of [auth, resolver, dead, env[ENV.auth6], env[ENV.resolver6]]) {
    if (address !== undefined) serverAddress(address); // throws on a malformed address
  }
  const auth6 = env[ENV.auth6];
  const resolver6 = env[ENV.resolver6];
  return {
    auth,
    resolver,
    dead,
    ...(auth6 !== undefined ? { auth6 } : {}),
    ...(resolver6 !== undefined ? { resolver6 } : {}),
    origin: 'shared',
  };
}

let own: Promise<TestServers> | undefined;

/**
 * The test world for this test process: the suite's shared servers when
 * test/run.mjs started them, else a set started on first call (and killed
 * when this process exits). Rejects, never skips, when the servers cannot run.
 */
export function testServers(): Promise<TestServers> {
  const shared = sharedServersFromEnv();
  if (shared !== undefined) return Promise.resolve(shared);
  own ??= startTestServers().then((started): TestServers => {
    const { env: _env, timings: _timings, stop: _stop, ...servers } = started;
    return servers;
  });
  return own;
}

// ---------------------------------------------------------------------------
// fixtures/scenarios.json

/** A rule's expected verdict; null when the rule has nothing to judge (it emits no finding). */
export type ExpectedRuleStatus = 'pass' | 'info' | 'warn' | 'fail' | 'unknown' | null;

/** A domain's overall status: the worst finding, fail > unknown > warn > pass, info counting as pass. */
export type ExpectedDomainStatus = 'pass' | 'warn' | 'fail' | 'unknown';

/** What one query through the test resolver must give. */
export interface DnsExpectation {
  readonly name: string;
  readonly type: QueryType;
  /** SERVFAIL also covers "no answer in time": both mean the resolver could not tell. */
  readonly rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL';
  /** Records of the asked type in the answer section (CNAMEs not counted). */
  readonly answers?: number;
  /** The answer starts with a CNAME. */
  readonly cname?: boolean;
  /** For SRV: the distinct targets, sorted, without trailing dot ("." for the root). */
  readonly targets?: readonly string[];
  /** The answer does not fit a 1232-byte UDP response: TC over UDP, complete over TCP. */
  readonly truncatedOverUdp?: boolean;
}

/** One SIP domain of the fixtures, with what fedcheck must conclude about it. */
export interface Scenario {
  readonly domain: string;
  /** Domains of one organisation share this label. */
  readonly organisation?: string;
  readonly demonstrates: string;
  /** fedcheck's per-domain expectations (its defaults unless the scenario is about them). */
  readonly expectations: { readonly mobility: boolean; readonly discovery: boolean; readonly xmpp: 'required' | 'optional' | 'off' };
  readonly expected: { readonly status: ExpectedDomainStatus; readonly rules: Readonly<Record<CoreRuleId, ExpectedRuleStatus>> };
  readonly dns: readonly DnsExpectation[];
}

/** The contents of fixtures/scenarios.json. */
export interface ScenarioFile {
  /** The core rule ids (src/rules/catalogue.ts CORE_RULE_IDS) every scenario gives a verdict for. */
  readonly rules: readonly CoreRuleId[];
  readonly zones: readonly string[];
  readonly deadZones: readonly string[];
  readonly scenarios: readonly Scenario[];
}

/** Read fixtures/scenarios.json (shape trusted; harness.test.ts checks it). */
export function loadScenarios(): ScenarioFile {
  return JSON.parse(readFileSync(join(repoRoot(), 'fixtures', 'scenarios.json'), 'utf8')) as ScenarioFile;
}
