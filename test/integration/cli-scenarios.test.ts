/**
 * The core's "done when": `fedcheck --format json d1 d2 …` gives the verdicts
 * and exit codes of fixtures/scenarios.json for every scenario, through a real
 * recursive resolver (Unbound) and straight at the real authoritative server
 * (NSD, RD=0). The CLI runs as a process: arguments in, exit code and
 * stdout/stderr out.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { runFedcheck } from '../support/cli.js';
import { before, describe, it } from 'node:test';
import type { RunReport } from '../../src/report/report.js';
import { loadScenarios, testServers, type Scenario, type TestServers } from '../support/servers.js';

const RANK = { pass: 0, info: 1, warn: 2, unknown: 3, fail: 4 } as const;


const fedcheck = runFedcheck;

function flags(s: Scenario): string[] {
  return [
    ...(s.expectations.mobility ? [] : ['--no-mobility']),
    ...(s.expectations.discovery ? [] : ['--no-discovery']),
    '--xmpp',
    s.expectations.xmpp,
  ];
}

/** Scenarios grouped by their expectations, so each group is one CLI run. */
function groups(scenarios: readonly Scenario[]): Scenario[][] {
  const byKey = new Map<string, Scenario[]>();
  for (const s of scenarios) {
    const key = flags(s).join(' ');
    byKey.set(key, [...(byKey.get(key) ?? []), s]);
  }
  return [...byKey.values()];
}

function expectedExit(statuses: readonly string[]): number {
  if (statuses.includes('fail')) return 2;
  if (statuses.includes('unknown')) return 3;
  if (statuses.includes('warn')) return 1;
  return 0;
}

function assertVerdicts(report: RunReport, scenarios: readonly Scenario[], via: string): void {
  assert.equal(report.schema, 'fedcheck/1');
  assert.equal(report.domains.length, scenarios.length);
  for (const s of scenarios) {
    const domain = report.domains.find((d) => d.domain === s.domain);
    assert.ok(domain, `${s.domain} missing from the report (${via})`);
    const context = `${s.domain} via ${via}: ${JSON.stringify(domain.findings.map((f) => `${f.rule}:${f.status}`))}`;
    assert.equal(domain.status, s.expected.status, context);
    for (const [rule, expected] of Object.entries(s.expected.rules)) {
      const found: readonly { readonly status: keyof typeof RANK }[] = domain.findings.filter((f) => f.rule === rule);
      if (expected === null) {
        assert.equal(found.length, 0, `${rule} should report nothing: ${context}`);
        continue;
      }
      let worst: keyof typeof RANK | undefined;
      for (const f of found) if (worst === undefined || RANK[f.status] > RANK[worst]) worst = f.status;
      assert.equal(worst, expected, `${rule}: ${context}`);
    }
    // Never a false alarm: a domain whose lookups failed is unknown, not fail.
    for (const f of domain.findings) {
      if (f.status === 'unknown') assert.ok(f.reason !== undefined && f.reason.length > 0, `unknown without a reason: ${context}`);
    }
  }
}

let servers: TestServers;
const file = loadScenarios();

before(async () => {
  servers = await testServers();
});

for (const [label, mode] of [
  ['through Unbound (recursive)', 'resolver'],
  ['straight at NSD (authoritative, RD=0)', 'auth'],
] as const) {
  describe(`every scenario ${label}`, () => {
    for (const group of groups(file.scenarios)) {
      const names = group.map((s) => s.domain);
      it(`${flags(group[0]!).join(' ')}: ${names.join(' ')}`, async () => {
        const server = mode === 'resolver' ? servers.resolver : servers.auth;
        const args = ['--format', 'json', '-r', server, '--timeout', '1500', '--retries', '1', ...flags(group[0]!), ...(mode === 'auth' ? ['--no-recursion'] : []), ...names];
        const result = await fedcheck(args);
        assert.equal(result.stderr, '', result.stderr);
        const report = JSON.parse(result.stdout) as RunReport;
        assertVerdicts(report, group, label);
        assert.equal(result.code, expectedExit(group.map((s) => s.expected.status)));
        assert.deepEqual(report.resolvers, [server]);
      });
    }
  });
}

describe('CLI behaviours against the real servers', () => {
  it('an SRV set too large for 1232 bytes is fetched over TCP and passes', async () => {
    const result = await fedcheck(['--format', 'json', '-r', servers.resolver, 'big.fed.test']);
    const report = JSON.parse(result.stdout) as RunReport;
    assert.equal(result.code, 0, result.stdout);
    assert.ok(report.queries.truncated >= 1, 'expected a truncated UDP answer');
    assert.ok(report.queries.tcp >= 1, 'expected a TCP query');
    assert.ok(report.domains[0]!.records.sipfederationtls.srv.length > 20);
  });

  it('--tcp asks everything over TCP and gives the same verdict', async () => {
    const result = await fedcheck(['--format', 'json', '--tcp', '-r', servers.resolver, 'good.fed.test']);
    const report = JSON.parse(result.stdout) as RunReport;
    assert.equal(result.code, 0);
    assert.equal(report.queries.udp, 0);
    assert.ok(report.queries.tcp >= 4);
  });

  it('says NXDOMAIN and NODATA apart', async () => {
    const result = await fedcheck(['--format', 'json', '-r', servers.resolver, 'nosrv.fed.test', 'wildcard.fed.test']);
    const report = JSON.parse(result.stdout) as RunReport;
    const message = (domain: string): string => report.domains.find((d) => d.domain === domain)!.findings.find((f) => f.rule === 'sipfed-srv')!.message;
    assert.match(message('nosrv.fed.test'), /NXDOMAIN/);
    assert.match(message('wildcard.fed.test'), /NODATA/);
  });

  it('a "." target fails in the words of RFC 2782', async () => {
    const result = await fedcheck(['--format', 'json', '-r', servers.resolver, 'nullsrv.fed.test']);
    const report = JSON.parse(result.stdout) as RunReport;
    const finding = report.domains[0]!.findings.find((f) => f.rule === 'sipfed-srv')!;
    assert.equal(finding.status, 'fail');
    assert.match(finding.message, /decidedly not available/);
  });

  it('a server that never answers is unknown with the reason, bounded by timeout × attempts', async () => {
    const result = await fedcheck(['--format', 'json', '-r', servers.dead, '--timeout', '300', '--retries', '1', 'good.fed.test']);
    const report = JSON.parse(result.stdout) as RunReport;
    assert.equal(result.code, 3);
    assert.equal(report.domains[0]!.status, 'unknown');
    const reasons = report.domains[0]!.findings.map((f) => f.reason ?? '');
    assert.ok(reasons.every((r) => /timeout after 2 tries to 127\.0\.0\.1:\d+/.test(r)), reasons.join('; '));
    // Two lookups in parallel, each 2 × 300 ms, plus process start-up.
    assert.ok(result.ms < 5000, `took ${result.ms} ms`);
  });

  it('a second resolver is asked when the first never answers', async () => {
    const result = await fedcheck(['--format', 'json', '-r', servers.dead, '-r', servers.resolver, '--timeout', '300', '--retries', '1', 'good.fed.test']);
    const report = JSON.parse(result.stdout) as RunReport;
    assert.equal(result.code, 0, result.stdout);
    assert.equal(report.domains[0]!.status, 'pass');
    assert.ok(report.queries.outcomes.response > 0);
  });

  it('the table names the failing record and what breaks', async () => {
    const result = await fedcheck(['-r', servers.resolver, 'good.fed.test', 'second.fed.test']);
    assert.equal(result.code, 2);
    assert.match(result.stdout, /second\.fed\.test/);
    assert.match(result.stdout, /push-srv: _sipfederationtls\._tcp\.second\.fed\.test SRV is absent/);
    assert.match(result.stdout, /push notification/i);
    assert.doesNotMatch(result.stdout, /\u001b\[/, 'no colour when stdout is not a terminal');
  });
});
