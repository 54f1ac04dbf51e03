/**
 * `--compare` against split-horizon DNS: two NSD instances serve two versions
 * of one zone (fixtures/zones/compare/inside and outside/split.test.zone),
 * asked directly (RD=0) and through an Unbound each. With --compare every
 * question goes to both, and resolver-consistency (warn) names each record
 * on which they disagree and what each said; the verdict follows the first
 * resolver that answered. The CLI runs as a process.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { runFedcheck } from '../support/cli.js';
import { after, before, describe, it } from 'node:test';
import type { DomainResult, ReportedFinding } from '../../src/check/check-domain.js';
import type { RunReport } from '../../src/report/report.js';
import { ensurePackages, startBlackhole, startNsd, startUnbound, type RunningServer } from '../support/real-servers.js';
import { repoRoot } from '../support/servers.js';

const ROOT = repoRoot();
const ZONES = join(ROOT, 'fixtures', 'zones', 'compare');
const DOMAINS = ['same.split.test', 'moved.split.test', 'addr.split.test', 'internal.split.test', 'nodata.split.test'];


const fedcheck = runFedcheck;

async function report(args: readonly string[]): Promise<RunReport> {
  const run = await fedcheck(['--format', 'json', '--timeout', '1500', '--retries', '1', ...args]);
  assert.equal(run.stderr, '', run.stderr);
  return JSON.parse(run.stdout) as RunReport;
}

function domain(r: RunReport, name: string): DomainResult {
  const d = r.domains.find((x) => x.domain === name);
  assert.ok(d !== undefined, `${name} missing`);
  return d;
}

function consistency(d: DomainResult): ReportedFinding[] {
  return d.findings.filter((f) => f.rule === 'resolver-consistency');
}

const started: RunningServer[] = [];
let inside: RunningServer;
let outside: RunningServer;

before(async () => {
  ensurePackages(['nsd', 'unbound']);
  [inside, outside] = await Promise.all([
    startNsd({ zones: [{ name: 'split.test', file: join(ZONES, 'inside', 'split.test.zone') }] }),
    startNsd({ zones: [{ name: 'split.test', file: join(ZONES, 'outside', 'split.test.zone') }] }),
  ]);
  started.push(inside, outside);
});

after(async () => {
  await Promise.all(started.map((s) => s.stop()));
});

/** The disagreements the fixtures build in, whoever is asked first. */
function assertDisagreements(r: RunReport, first: string, second: string): void {
  // same: one pass finding for the domain, nothing else changes.
  const same = domain(r, 'same.split.test');
  assert.equal(same.status, 'pass');
  assert.deepEqual(consistency(same).map((f) => [f.status, f.name]), [['pass', 'same.split.test']]);
  assert.match(consistency(same)[0]!.message, /give the same answer for all 3 records/);

  // moved: the SRV itself, naming both resolvers and both targets.
  const moved = consistency(domain(r, 'moved.split.test')).filter((f) => f.status === 'warn');
  const srv = moved.find((f) => f.name === '_sipfederationtls._tcp.moved.split.test');
  assert.ok(srv !== undefined, JSON.stringify(moved));
  assert.ok(srv.message.includes(`${first} says `) && srv.message.includes(`${second} says `), srv.message);
  assert.match(srv.message, /100 1 5061 sip-old\.moved\.split\.test/);
  assert.match(srv.message, /100 1 5061 sip\.moved\.split\.test/);
  assert.ok(srv.status === 'warn' && srv.breaks.includes('moved.split.test'), 'breaks names the domain');
  // Each view's own target is followed in both views, whichever resolver the rules followed: the old
  // name resolves only inside, the new one only outside.
  for (const [target, address] of [['sip-old.moved.split.test', '192.0.2.31'], ['sip.moved.split.test', '198.51.100.31']] as const) {
    const finding = moved.find((f) => f.name === target);
    assert.ok(finding !== undefined, `${target} compared: ${JSON.stringify(moved.map((f) => f.name))}`);
    assert.ok(finding.message.includes(address) && finding.message.includes('NXDOMAIN'), finding.message);
  }

  // addr: only the target's address, with both values.
  const addr = consistency(domain(r, 'addr.split.test'));
  assert.deepEqual(addr.map((f) => [f.status, f.name]), [['warn', 'sip.addr.split.test']]);
  assert.match(addr[0]!.message, new RegExp(`${first.replace(/\./g, '\\.')} says (192\\.0\\.2\\.32|198\\.51\\.100\\.32); ${second.replace(/\./g, '\\.')} says (192\\.0\\.2\\.32|198\\.51\\.100\\.32)`));
  assert.match(addr[0]!.message, /192\.0\.2\.32/);
  assert.match(addr[0]!.message, /198\.51\.100\.32/);
  assert.equal(domain(r, 'addr.split.test').status, 'warn');

  // internal: published on one side only.
  const internal = consistency(domain(r, 'internal.split.test')).find((f) => f.name === '_sipfederationtls._tcp.internal.split.test');
  assert.ok(internal !== undefined && internal.status === 'warn');
  assert.match(internal.message, /NXDOMAIN/);

  // nodata: NODATA on one side, NXDOMAIN on the other: both "no such SRV", not a disagreement.
  const nodata = domain(r, 'nodata.split.test');
  assert.deepEqual(consistency(nodata).map((f) => f.status), ['pass']);
  assert.equal(nodata.status, 'pass');
}

describe('--compare, straight at two authoritative servers (RD=0)', () => {
  it('names every record on which inside and outside disagree, and what each said', async () => {
    const r = await report(['--compare', '--no-recursion', '-r', inside.address, '-r', outside.address, ...DOMAINS]);
    assert.deepEqual(r.resolvers, [inside.address, outside.address]);
    assertDisagreements(r, inside.address, outside.address);
    // The verdict follows the first resolver that answered: inside has the SRV.
    const internal = domain(r, 'internal.split.test');
    assert.equal(internal.findings.find((f) => f.rule === 'sipfed-srv')?.status, 'pass');
    assert.equal(internal.status, 'warn');
    // Every question went to both servers.
    assert.ok(r.queries.udp + r.queries.tcp >= 2 * r.domains.length * 2, JSON.stringify(r.queries));
  });

  it('the other way round: the verdict follows the outside view, the disagreements are the same', async () => {
    const r = await report(['--compare', '--no-recursion', '-r', outside.address, '-r', inside.address, ...DOMAINS]);
    assertDisagreements(r, outside.address, inside.address);
    const internal = domain(r, 'internal.split.test');
    assert.equal(internal.findings.find((f) => f.rule === 'sipfed-srv')?.status, 'fail');
    assert.equal(internal.status, 'fail');
  });

  it('without --compare the second server is only a fallback: no resolver-consistency finding', async () => {
    const r = await report(['--no-recursion', '-r', inside.address, '-r', outside.address, ...DOMAINS]);
    for (const d of r.domains) assert.deepEqual(consistency(d), [], d.domain);
  });

  it('a resolver that cannot answer is not a disagreement: the other one decides, the pass says who could not tell', async () => {
    const dead = await startBlackhole();
    started.push(dead);
    const r = await report(['--compare', '--no-recursion', '--timeout', '300', '--retries', '0', '-r', dead.address, '-r', inside.address, 'same.split.test']);
    const same = domain(r, 'same.split.test');
    assert.equal(same.status, 'pass');
    const [finding] = consistency(same);
    assert.equal(finding?.status, 'pass');
    assert.match(finding!.message, new RegExp(`${dead.address.replace(/\./g, '\\.')} could not tell for 3 of them`));
  });
});

describe('--compare through two resolvers (an Unbound stubbing to each view)', () => {
  it('sees the same disagreements as straight at the servers', async () => {
    const [left, right] = await Promise.all([
      startUnbound({ stubs: [{ zone: 'split.test', server: inside.address }] }),
      startUnbound({ stubs: [{ zone: 'split.test', server: outside.address }] }),
    ]);
    started.push(left, right);
    const r = await report(['--compare', '-r', left.address, '-r', right.address, ...DOMAINS]);
    assertDisagreements(r, left.address, right.address);
    assert.equal(domain(r, 'internal.split.test').status, 'warn');
  });
});

describe('--compare usage errors (exit 64, one line)', () => {
  for (const [title, args, pattern] of [
    ['one resolver', ['--compare', '-r', '127.0.0.1:9', 'same.split.test'], /--compare needs two or more resolvers/],
    ['with --zone', ['--compare', '--zone', join(ZONES, 'inside', 'split.test.zone'), 'same.split.test'], /--compare and --zone cannot be combined/],
    ['with --authoritative', ['--compare', '--authoritative', '-r', '127.0.0.1:9', '-r', '127.0.0.1:19', 'same.split.test'], /--compare and --authoritative cannot be combined/],
  ] as const) {
    it(title, async () => {
      const run = await fedcheck(args);
      assert.equal(run.code, 64);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, pattern);
      assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
    });
  }
});
