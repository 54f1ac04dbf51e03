/**
 * `--format html` through the real CLI process, for what a browser cannot
 * see: the exit status, standard output, `-o` with its temp file, the spool
 * files (none is ever left in the temp directory, not even after SIGTERM),
 * and a temp directory that cannot be used (exit 73 before any DNS work).
 * DNS stays on loopback: `--zone`, or a loopback port where nothing answers.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI, runFedcheck } from '../support/cli.js';
import { startBlackhole, type Blackhole } from '../support/real-servers.js';
import { repoRoot } from '../support/servers.js';

const ZONES = join(repoRoot(), 'fixtures', 'zones');
const scratch = mkdtempSync(join(tmpdir(), 'fedcheck-html-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const fresh = (): string => mkdtempSync(join(scratch, 'd-'));

describe('--format html through the CLI', () => {
  /** A loopback port that reads queries and never answers (no ICMP refusal either). */
  let hole: Blackhole;
  before(async () => {
    hole = await startBlackhole();
  });
  after(async () => {
    await hole.stop();
  });

  test('to standard output: one page, the exit status of the verdicts, nothing left in the temp directory', async () => {
    const temp = fresh();
    const r = await runFedcheck(['--zone', join(ZONES, 'contoso.com.zone'), '--zone', join(ZONES, 'fabrikam.com.zone'), '--format', 'html', 'contoso.com', 'fabrikam.com'], { env: { TMPDIR: temp } });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, '');
    assert.ok(r.stdout.startsWith('<!doctype html>\n'));
    assert.ok(r.stdout.endsWith('</body></html>\n'));
    assert.match(r.stdout, /data-count="fail">1</);
    assert.match(r.stdout, /<li><span class="dom n">contoso\.com<\/span>/);
    assert.match(r.stdout, /<details class="d" id="d-\d+" data-status="fail"[^>]*data-name="fabrikam\.com"/);
    assert.deepEqual(readdirSync(temp), []);
  });

  test('a temp directory that cannot be used: exit 73 with one line, before any DNS work, no output file', async () => {
    const dir = fresh();
    const out = join(dir, 'report.html');
    // The blackhole never answers: a run that got as far as DNS would wait out the timeout and exit 3.
    const r = await runFedcheck(['-r', hole.address, '--timeout', '5000', '--format', 'html', '-o', out, 'a.example'], { env: { TMPDIR: join(dir, 'missing') } });
    assert.equal(r.code, 73, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^fedcheck: cannot create a temporary file in ".*missing" for the HTML report: ENOENT\n$/);
    assert.equal(hole.received().udp + hole.received().tcp, 0, 'no query was sent');
    assert.ok(r.ms < 4000, `failed before asking DNS (${r.ms} ms)`);
    assert.deepEqual(readdirSync(dir), []);
  });

  test('stopped by SIGTERM: the old report stays, and neither the -o temp file nor a spool is left', async () => {
    const dir = fresh();
    const temp = fresh();
    const out = join(dir, 'report.html');
    writeFileSync(out, 'OLD\n');
    const domains = Array.from({ length: 20 }, (_, i) => `d${i}.example`);
    const child = spawn(process.execPath, [CLI, '-r', hole.address, '--timeout', '300', '--retries', '0', '--concurrency', '1', '--format', 'html', '-o', out, ...domains], {
      env: { ...process.env, TMPDIR: temp, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const done = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
    const tempFile = join(dir, `report.html.tmp.${child.pid}`);
    for (let i = 0; i < 500 && !existsSync(tempFile); i += 1) await sleep(10);
    assert.ok(existsSync(tempFile), 'the run got as far as opening its output');
    await sleep(700);
    child.kill('SIGTERM');
    assert.equal(await done, 'SIGTERM');
    assert.deepEqual(readdirSync(dir), ['report.html']);
    assert.equal(readFileSync(out, 'utf8'), 'OLD\n');
    assert.deepEqual(readdirSync(temp), [], 'spools are unlinked as soon as they are opened');
  });
});
