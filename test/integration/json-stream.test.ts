/**
 * The JSON report written as the run goes (src/report/json.ts JsonWriter),
 * through the real launcher and a real Unbound: a domain whose questions a
 * resolver drops finishes last, so the domains after it finish first and
 * wait; the report still lists every domain in input order, to stdout and to
 * an `-o` file, and is one valid document.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { POLICY, startPolicyResolver } from '../support/policy-resolver.js';

const BIN = fileURLToPath(new URL('../../../bin/fedcheck.js', import.meta.url));

interface Report {
  readonly domains: readonly { readonly domain: string; readonly status: string; readonly findings: readonly { readonly reason?: string }[] }[];
  readonly summary: { readonly domains: number; readonly unknown: number; readonly fail: number };
}

test('json: a slow first domain holds back the others, and the report keeps input order (stdout and -o)', async (t) => {
  const unbound = await startPolicyResolver();
  t.after(() => unbound.stop());
  // lost.test: every question dropped, unknown after the timeout. answered.test: Unbound answers SRV at once with a
  // NODATA that carries no SOA, which is unknown too (RFC 2308 §2.2: no proof of absence), but not a timeout.
  const domains = [`slow.${POLICY.lost}`, ...Array.from({ length: 12 }, (_, i) => `d${i}.${POLICY.answered}`)];
  const dir = mkdtempSync(join(tmpdir(), 'fedcheck-json-stream-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const args = ['--format', 'json', '-r', unbound.address, '--timeout', '300', '--retries', '0', ...domains];
  const out = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 });
  const file = join(dir, 'report.json');
  const toFile = spawnSync(process.execPath, [BIN, ...args, '-o', file], { encoding: 'utf8', timeout: 30_000 });
  for (const [how, text, run] of [['stdout', out.stdout, out], ['-o', readFileSync(file, 'utf8'), toFile]] as const) {
    assert.equal(run.status, 3, `${how}: exit 3 (unknown is the worst): ${run.stderr}`);
    const report = JSON.parse(text) as Report;
    assert.deepEqual(report.domains.map((d) => d.domain), domains, `${how}: input order`);
    const timedOut = report.domains.map((d) => d.findings.some((f) => /no answer within|timeout/.test(f.reason ?? '')));
    assert.deepEqual(timedOut, domains.map((_, i) => i === 0), `${how}: only the first domain waited for its timeout`);
    assert.deepEqual([report.summary.domains, report.summary.unknown], [13, 13], how);
    assert.ok(text.endsWith('}\n'), `${how}: one whole document`);
  }
  assert.deepEqual(readdirSync(dir), ['report.json'], 'no temp file left beside the report');
});
