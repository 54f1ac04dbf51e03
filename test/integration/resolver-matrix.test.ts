/**
 * The same scenario set through five real resolver implementations — Unbound,
 * BIND 9, PowerDNS Recursor, Knot Resolver and dnsmasq — all forwarding to
 * the same NSD: fedcheck must reach the verdicts of fixtures/scenarios.json
 * through every one of them (the dead zone: `unknown` everywhere, never
 * `fail`), although they differ in real ways (test/support/resolvers.ts):
 * truncation with and without partial records, SERVFAIL, REFUSED or silence
 * for what they cannot resolve. The CLI runs as a process, one run per
 * resolver and group of expectations, all at once.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { runFedcheck, type CliRun } from '../support/cli.js';
import { after, before, describe, it } from 'node:test';
import type { DomainResult } from '../../src/check/check-domain.js';
import { DnsClient, type QueryOutcome } from '../../src/dns/client.js';
import type { QueryType } from '../../src/dns/codec.js';
import { UdpTransport } from '../../src/dns/udp.js';
import type { RunReport } from '../../src/report/report.js';
import { startBlackhole, serverAddress, type Blackhole } from '../support/real-servers.js';
import { DEAD_ADDRESS, RESOLVER_KINDS, startResolvers, type MatrixResolver, type ResolverKind } from '../support/resolvers.js';
import { DEAD_ZONES, fixtureZones, loadScenarios, testServers, type Scenario } from '../support/servers.js';

/**
 * Per-attempt timeout and retries of every CLI run. BIND (10 s), Knot
 * Resolver (8 s) and dnsmasq (never) answer the dead zone later than this,
 * so through them it ends as fedcheck's own timeout: 2 × 1.5 s per lookup.
 */
const TIMING = ['--timeout', '1500', '--retries', '1'] as const;
const RANK = { pass: 0, info: 1, warn: 2, unknown: 3, fail: 4 } as const;
type FindingStatus = keyof typeof RANK;

const file = loadScenarios();


const fedcheck = runFedcheck;

/** The CLI flags that give a scenario its expectations. */
function flags(s: Scenario): string[] {
  return [...(s.expectations.mobility ? [] : ['--no-mobility']), ...(s.expectations.discovery ? [] : ['--no-discovery']), '--xmpp', s.expectations.xmpp];
}

/** Scenarios with the same expectations go in one run (a domain appears once per run). */
function groups(scenarios: readonly Scenario[]): Scenario[][] {
  const byFlags = new Map<string, Scenario[]>();
  for (const s of scenarios) byFlags.set(flags(s).join(' '), [...(byFlags.get(flags(s).join(' ')) ?? []), s]);
  return [...byFlags.values()];
}

const GROUPS = groups(file.scenarios);
const groupLabel = (group: readonly Scenario[]): string => flags(group[0]!).join(' ');

/** What one resolver made of one group: the report, or why there is none. */
interface GroupRun {
  readonly run: CliRun;
  readonly report: RunReport | undefined;
}

let dead: Blackhole | undefined;
let stopResolvers: (() => Promise<void>) | undefined;
let resolvers: readonly MatrixResolver[] = [];
const runs = new Map<string, GroupRun>();
let startMs = 0;
let runsMs = 0;

const runKey = (kind: ResolverKind, group: readonly Scenario[]): string => `${kind} ${groupLabel(group)}`;

before(async () => {
  const t0 = performance.now();
  const servers = await testServers();
  // The dead zone's servers sit on a second loopback address: Knot Resolver
  // would otherwise count their timeouts against the NSD on 127.0.0.1 too.
  dead = await startBlackhole({ address: DEAD_ADDRESS });
  const forwards = [
    ...fixtureZones().map((zone) => ({ zone: zone.name, server: servers.auth })),
    ...DEAD_ZONES.map((zone) => ({ zone, server: dead!.address })),
  ];
  // Unbound is the suite's shared one (same stubs; its dead zone is the shared blackhole on 127.0.0.1).
  const set = await startResolvers(forwards, { unbound: servers.resolver });
  resolvers = set.resolvers;
  stopResolvers = set.stop;
  const t1 = performance.now();
  startMs = Math.round(t1 - t0);
  // Every resolver × group at once: the dead-zone timeouts overlap instead of adding up.
  await Promise.all(
    resolvers.flatMap((resolver) =>
      GROUPS.map(async (group) => {
        const run = await fedcheck(['--format', 'json', '-r', resolver.address, ...TIMING, ...flags(group[0]!), ...group.map((s) => s.domain)]);
        let report: RunReport | undefined;
        try {
          report = JSON.parse(run.stdout) as RunReport;
        } catch {
          report = undefined;
        }
        runs.set(runKey(resolver.kind, group), { run, report });
      }),
    ),
  );
  runsMs = Math.round(performance.now() - t1);
});

after(async () => {
  await stopResolvers?.();
  await dead?.stop();
});

function worstOf(findings: readonly { readonly status: FindingStatus }[]): FindingStatus | undefined {
  let worst: FindingStatus | undefined;
  for (const f of findings) if (worst === undefined || RANK[f.status] > RANK[worst]) worst = f.status;
  return worst;
}

function expectedExit(statuses: readonly string[]): number {
  return statuses.includes('fail') ? 2 : statuses.includes('unknown') ? 3 : statuses.includes('warn') ? 1 : 0;
}

function domainOf(kind: ResolverKind, group: readonly Scenario[], domain: string): DomainResult {
  const { run, report } = runs.get(runKey(kind, group))!;
  assert.ok(report !== undefined, `${kind}: no JSON report (exit ${String(run.code)}): ${run.stderr}${run.stdout.slice(0, 500)}`);
  const result = report.domains.find((d) => d.domain === domain);
  assert.ok(result !== undefined, `${kind}: ${domain} missing from the report`);
  return result;
}

/** A domain's findings as comparable facts: rule, status and the name each is about (messages and reasons may differ). */
function facts(result: DomainResult): string[] {
  return result.findings.map((f) => `${f.rule}:${f.status}:${f.name}`).sort();
}

describe('the resolver matrix starts', () => {
  it('all five resolvers answer on loopback', (t) => {
    t.diagnostic(`started in ${startMs} ms; ${resolvers.length * GROUPS.length} CLI runs took ${runsMs} ms together`);
    assert.deepEqual(resolvers.map((r) => r.kind), [...RESOLVER_KINDS]);
    for (const r of resolvers) assert.match(r.address, /^127\.0\.0\.1:\d+$/);
  });
});

for (const kind of RESOLVER_KINDS) {
  describe(`every scenario through ${kind}`, () => {
    for (const group of GROUPS) {
      it(`${groupLabel(group)}: ${group.map((s) => s.domain).join(' ')}`, (t) => {
        const { run, report } = runs.get(runKey(kind, group))!;
        assert.equal(run.stderr, '', run.stderr);
        assert.ok(report !== undefined, `no JSON report: ${run.stdout.slice(0, 500)}`);
        t.diagnostic(`${run.ms} ms, ${report.queries.udp} UDP / ${report.queries.tcp} TCP queries, ${report.queries.truncated} truncated`);
        for (const s of group) {
          const result = domainOf(kind, group, s.domain);
          const context = `${s.domain} via ${kind}: ${JSON.stringify(result.findings.map((f) => `${f.rule}:${f.status}${f.reason ? ` (${f.reason})` : ''}`))}`;
          assert.equal(result.status, s.expected.status, context);
          for (const [rule, expected] of Object.entries(s.expected.rules)) {
            const found = result.findings.filter((f) => f.rule === rule);
            if (expected === null) assert.equal(found.length, 0, `${rule} should report nothing: ${context}`);
            else assert.equal(worstOf(found), expected, `${rule}: ${context}`);
          }
          // Never a false alarm: what could not be looked up is unknown, with the reason.
          for (const f of result.findings) {
            if (f.status === 'unknown') assert.ok((f.reason ?? '').length > 0, `unknown without a reason: ${context}`);
          }
          const unknown = result.findings.filter((f) => f.status === 'unknown');
          if (unknown.length > 0) t.diagnostic(`${s.domain}: unknown because ${[...new Set(unknown.map((f) => f.reason))].join('; ')}`);
        }
        assert.equal(run.code, expectedExit(group.map((s) => s.expected.status)));
      });
    }
  });
}

describe('identical verdicts', () => {
  it('every resolver gives every domain the same findings (rule, status, name) as Unbound', () => {
    for (const group of GROUPS) {
      for (const s of group) {
        const reference = facts(domainOf('unbound', group, s.domain));
        for (const kind of RESOLVER_KINDS) assert.deepEqual(facts(domainOf(kind, group, s.domain)), reference, `${s.domain} via ${kind}`);
      }
    }
  });

  it('the dead zone is unknown through all five, never fail', () => {
    for (const group of GROUPS) {
      for (const s of group.filter((x) => DEAD_ZONES.some((z) => x.domain === z || x.domain.endsWith(`.${z}`)))) {
        for (const kind of RESOLVER_KINDS) {
          const result = domainOf(kind, group, s.domain);
          assert.equal(result.status, 'unknown', `${s.domain} via ${kind}`);
          assert.ok(result.findings.every((f) => f.status !== 'fail'), `${s.domain} via ${kind}`);
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------
// How they differ, asked directly (one question each, no retries).

function describeOutcome(outcome: QueryOutcome, ms: number): string {
  if (outcome.kind === 'failure') return `${outcome.reason} (${outcome.detail}) after ${ms} ms`;
  const m = outcome.message;
  return `${m.rcode} ${[m.aa ? 'AA' : '', m.ra ? 'RA' : '', m.tc ? 'TC' : ''].filter(Boolean).join(' ')}, ${m.answers.length} answer records, over ${outcome.transport}, after ${ms} ms`;
}

async function ask(
  address: string,
  name: string,
  type: QueryType,
  options: { timeoutMs?: number; forceTcp?: boolean; edns?: boolean } = {},
): Promise<{ outcome: QueryOutcome; ms: number }> {
  const client = new DnsClient({ servers: [serverAddress(address)], timeoutMs: options.timeoutMs ?? 3000, retries: 0, forceTcp: options.forceTcp ?? false });
  const started = performance.now();
  try {
    const outcome = await client.query({ name, type });
    return { outcome, ms: Math.round(performance.now() - started) };
  } finally {
    client.close();
  }
}

describe('how the five differ (reported, and the part fedcheck relies on asserted)', () => {
  it('a name outside every forward zone fails at once, SERVFAIL or REFUSED: nothing is asked beyond loopback', async (t) => {
    const answers = await Promise.all(resolvers.map(async (r) => ({ r, ...(await ask(r.address, 'www.example.com', 'A')) })));
    for (const { r, outcome, ms } of answers) {
      t.diagnostic(`${r.kind}: www.example.com A → ${describeOutcome(outcome, ms)}`);
      assert.ok(outcome.kind === 'failure' && (outcome.reason === 'servfail' || outcome.reason === 'refused'), `${r.kind}: ${describeOutcome(outcome, ms)}`);
      assert.ok(ms < 1000, `${r.kind} took ${ms} ms: it may be trying to reach the internet`);
    }
  });

  it('an RRset over 1232 bytes: TC over UDP, whole over TCP, from all five', async (t) => {
    const name = '_sipfederationtls._tcp.big.fed.test';
    for (const r of resolvers) {
      // Raw UDP exchange, to see the truncated answer itself (the client would go on to TCP).
      const udp = new UdpTransport({ sockets: 1 });
      try {
        for (const edns of [true, false]) {
          const result = await udp.exchange(serverAddress(r.address), { name, type: 'SRV' }, { timeoutMs: 3000, edns, recursionDesired: true });
          assert.ok(result.kind === 'message', `${r.kind}: ${result.kind === 'message' ? '' : result.detail}`);
          const partial = result.message.answers.filter((a) => a.type === 'SRV').length;
          t.diagnostic(`${r.kind}: UDP ${edns ? 'EDNS 1232' : 'no EDNS (512)'} → TC=${String(result.message.tc)}, ${partial} of 40 records, AA=${String(result.message.aa)}`);
          assert.equal(result.message.tc, true, `${r.kind}: TC over UDP`);
          assert.ok(partial < 40);
        }
      } finally {
        udp.close();
      }
      const overTcp = await ask(r.address, name, 'SRV', { forceTcp: true });
      assert.ok(overTcp.outcome.kind === 'response', `${r.kind}: ${describeOutcome(overTcp.outcome, overTcp.ms)}`);
      assert.equal(overTcp.outcome.message.answers.filter((a) => a.type === 'SRV').length, 40, r.kind);
    }
  });

  it('the dead zone: SERVFAIL or silence, never an answer', async (t) => {
    // Names the CLI runs did not ask, so no resolver has a cached failure for them.
    const answers = await Promise.all(resolvers.map(async (r) => ({ r, ...(await ask(r.address, `_sip._tls.${r.kind}.dead.test`, 'SRV', { timeoutMs: 1500 })) })));
    for (const { r, outcome, ms } of answers) {
      t.diagnostic(`${r.kind}: first question into dead.test → ${describeOutcome(outcome, ms)}`);
      assert.ok(outcome.kind === 'failure' && ['servfail', 'timeout', 'refused'].includes(outcome.reason), `${r.kind}: ${describeOutcome(outcome, ms)}`);
    }
  });
});
