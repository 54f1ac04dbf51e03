/**
 * fedcheck through a real dnsdist in front of a real Unbound (and NSD), on
 * loopback, shaped like a network: dnsdist drops a share of the UDP
 * queries, delays answers, or limits the client's rate (MaxQPSIPRule,
 * REFUSED past it). Every domain must get its true verdict — pass, warn or
 * fail — or, under a rate limit without --rate, `unknown` at worst: a lost
 * or refused query never becomes a missing record. Small N: these check
 * behaviour, not speed (bench/ measures speed).
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { DomainStatus } from '../../src/check/verdict.js';
import type { RunReport } from '../../src/report/report.js';
import { startDnsdist } from '../support/dnsdist.js';
import { ensurePackages, startNsd, startUnbound, type RunningServer } from '../support/real-servers.js';
import { runFedcheck } from '../support/cli.js';

const ZONE = 'net.test';
const DOMAINS = 240;

const KINDS = [
  { kind: 'conformant with XMPP', status: 'pass' },
  { kind: 'conformant, no XMPP', status: 'pass' },
  { kind: 'no federation SRV (NXDOMAIN)', status: 'fail' },
  { kind: 'target has AAAA only (A is NODATA)', status: 'warn' },
] as const satisfies readonly { kind: string; status: DomainStatus }[];

const domainName = (i: number): string => `d${String(i).padStart(4, '0')}.${ZONE}`;
const truth = (i: number): (typeof KINDS)[number] => KINDS[i % KINDS.length]!;

function zoneText(): string {
  const lines = [`$ORIGIN ${ZONE}.`, '$TTL 3600', '@ SOA ns1 hostmaster 1 3600 600 86400 3600', '  NS ns1', 'ns1 A 192.0.2.53'];
  for (let i = 0; i < DOMAINS; i += 1) {
    const d = domainName(i).slice(0, -ZONE.length - 1);
    const address = `192.0.2.${(i % 250) + 1}`;
    switch (i % KINDS.length) {
      case 0:
        lines.push(`_sipfederationtls._tcp.${d} SRV 100 1 5061 sip.${d}`, `_xmpp-server._tcp.${d} SRV 10 0 5269 xmpp.${d}`, `sip.${d} A ${address}`, `xmpp.${d} A ${address}`);
        break;
      case 1:
        lines.push(`_sipfederationtls._tcp.${d} SRV 100 1 5061 sip.${d}`, `sip.${d} A ${address}`);
        break;
      case 2:
        lines.push(`${d} A ${address}`);
        break;
      default:
        lines.push(`_sipfederationtls._tcp.${d} SRV 100 1 5061 sip.${d}`, `sip.${d} AAAA 2001:db8::${(i % 65535).toString(16)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

interface CliRun {
  readonly code: number | null;
  readonly report: RunReport;
  readonly stderr: string;
}

/** fedcheck through the shared runner (loopback-only arguments; its JSON report judged against the schema). */
async function fedcheck(args: readonly string[], domainFile: string): Promise<CliRun> {
  const run = await runFedcheck(['--format', 'json', ...args, '-f', domainFile]);
  try {
    return { code: run.code, report: JSON.parse(run.stdout) as RunReport, stderr: run.stderr };
  } catch {
    throw new Error(`fedcheck ${args.join(' ')} printed no JSON report (exit ${String(run.code)}): ${run.stderr}${run.stdout.slice(0, 500)}`);
  }
}

/** Every domain against the truth: how many right, unknown (with their reasons), and the wrong ones. */
function tally(t: TestContext, label: string, run: CliRun, domains: number): { right: number; unknown: number; wrong: string[]; reasons: string[] } {
  assert.equal(run.stderr, '', run.stderr);
  assert.equal(run.report.domains.length, domains);
  let right = 0;
  let unknown = 0;
  const wrong: string[] = [];
  const reasons: string[] = [];
  for (const result of run.report.domains) {
    const expected = truth(Number(/^d(\d{4})\./.exec(result.domain)?.[1]));
    if (result.status === expected.status) right += 1;
    else if (result.status === 'unknown') {
      unknown += 1;
      for (const f of result.findings) if (f.status === 'unknown') reasons.push(f.reason ?? '');
    } else wrong.push(`${result.domain} (${expected.kind}): ${result.status}, expected ${expected.status}`);
  }
  const q = run.report.queries;
  t.diagnostic(`${label}: ${right} right, ${unknown} unknown, ${wrong.length} wrong; ${q.udp} UDP (${q.retransmits ?? 0} retransmitted) + ${q.tcp} TCP; refused ${q.outcomes.refused}, backoffs ${q.backoffs ?? 0}, peak ${q.peakPerSecond ?? '?'} q/s`);
  return { right, unknown, wrong, reasons };
}

let dir: string;
let domainFile: string;
let fewFile: string;
let unbound: RunningServer;
const started: RunningServer[] = [];

before(async () => {
  ensurePackages(['nsd', 'unbound', 'dnsdist']);
  dir = mkdtempSync(join(tmpdir(), 'fedcheck-net-'));
  const zoneFile = join(dir, `${ZONE}.zone`);
  writeFileSync(zoneFile, zoneText());
  domainFile = join(dir, 'domains.txt');
  writeFileSync(domainFile, Array.from({ length: DOMAINS }, (_, i) => domainName(i)).join('\n') + '\n');
  fewFile = join(dir, 'few.txt');
  writeFileSync(fewFile, Array.from({ length: 80 }, (_, i) => domainName(i)).join('\n') + '\n');
  // No response rate limiting at NSD: the limits under test are dnsdist's.
  const nsd = await startNsd({ zones: [{ name: ZONE, file: zoneFile }], extra: ['rrl-ratelimit: 0'] });
  started.push(nsd);
  unbound = await startUnbound({ stubs: [{ zone: ZONE, server: nsd.address }] });
  started.push(unbound);
});

after(async () => {
  await Promise.all(started.map((s) => s.stop()));
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('through dnsdist dropping 20 % of UDP queries (5 ms latency)', { timeout: 120_000 }, () => {
  it('every domain gets its true verdict, and lost queries were sent again over UDP', async (t) => {
    const dnsdist = await startDnsdist({ backend: unbound.address, delayMs: 5, loss: 0.2 });
    started.push(dnsdist);
    const run = await fedcheck(['-r', dnsdist.address, '--concurrency', '32'], domainFile);
    const { right, wrong, unknown } = tally(t, 'loss 20 %', run, DOMAINS);
    assert.deepEqual(wrong, []);
    assert.equal(unknown, 0);
    assert.equal(right, DOMAINS);
    const q = run.report.queries;
    // About a fifth of the datagrams were lost: each was sent again within its attempt.
    assert.ok((q.retransmits ?? 0) >= q.lookups * 0.1, `${q.retransmits} retransmissions for ${q.lookups} lookups`);
    // Bounded: a retransmission for each loss and some late answers, not a storm.
    assert.ok((q.retransmits ?? 0) <= q.lookups, `${q.retransmits} retransmissions for ${q.lookups} lookups`);
    // Random loss is re-asked over UDP, not taken for a UDP block: no attempt timed out, so no TCP.
    assert.equal(q.outcomes.timeout, 0);
    await dnsdist.stop();
  });
});

describe('through dnsdist limiting the client to 100 queries a second (REFUSED past it)', { timeout: 120_000 }, () => {
  let dnsdist: RunningServer;
  before(async () => {
    dnsdist = await startDnsdist({ backend: unbound.address, delayMs: 2, maxQps: 100, limitAction: 'refused' });
    started.push(dnsdist);
  });

  it('with --rate 90: never more than 90 queries in a second, nothing refused, every verdict true', async (t) => {
    const run = await fedcheck(['-r', dnsdist.address, '--rate', '90', '--concurrency', '64'], fewFile);
    const { right, wrong } = tally(t, '--rate 90', run, 80);
    assert.deepEqual(wrong, []);
    assert.equal(right, 80);
    const q = run.report.queries;
    assert.ok(q.peakPerSecond !== undefined && q.peakPerSecond <= 90, `peak ${q.peakPerSecond} queries in one second`);
    assert.ok(q.peakPerSecond >= 45, `peak ${q.peakPerSecond}: the rate was used, not avoided`);
    assert.equal(q.outcomes.refused, 0);
    assert.equal(q.backoffs ?? 0, 0);
  });

  it('without --rate: REFUSED backs off and retries; unknown at worst, never a wrong verdict', async (t) => {
    // Let dnsdist's bucket refill after the run before.
    await new Promise((done) => setTimeout(done, 1100));
    const run = await fedcheck(['-r', dnsdist.address, '--concurrency', '64'], fewFile);
    const { wrong, reasons } = tally(t, 'no --rate', run, 80);
    assert.deepEqual(wrong, []);
    for (const reason of reasons) assert.match(reason, /REFUSED|timeout|no usable answer/, reason);
    const q = run.report.queries;
    // The limit was really hit, and answered by waiting, then asking again.
    assert.ok((q.backoffs ?? 0) > 0, 'fedcheck waited before asking again');
    assert.ok(q.peakPerSecond !== undefined && q.peakPerSecond > 100, `peak ${q.peakPerSecond}: over the limit`);
  });
});
