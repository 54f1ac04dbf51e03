/**
 * The progress line: only on a TTY, only after a second, erased at the end,
 * never in piped output. Tested three ways: the ProgressLine class with a
 * fake terminal and short delays; `main(argv, io)` with an injected `isTTY`
 * stderr against a loopback server that answers slowly; and the built CLI in
 * a real pseudo-terminal (`script` from util-linux) against the same server.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { main } from '../../src/cli.js';
import { formatServer } from '../../src/dns/server-address.js';
import { ProgressLine, withProgress } from '../../src/report/progress.js';
import { a, answer, late, rcode, srv, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { assertJsonReport } from '../support/report-checks.js';

// dist/test/cli/ → the repository root.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'fedcheck.js');
const GUARD = join(ROOT, 'dist', 'test', 'support', 'loopback-guard.js');
const ERASE = '\r\u001b[K';
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** A terminal stand-in that records what is written. */
function terminal(isTTY: boolean, columns?: number): { stream: { write(text: string): boolean; isTTY: boolean; columns?: number }; text: () => string } {
  const chunks: string[] = [];
  return { stream: { write: (t: string) => chunks.push(t) > 0, isTTY, ...(columns !== undefined ? { columns } : {}) }, text: () => chunks.join('') };
}

describe('ProgressLine', () => {
  test('nothing before the delay; then a line redrawn in place; erased on stop', async () => {
    const tty = terminal(true);
    const line = new ProgressLine(tty.stream, { total: 3, delayMs: 60, intervalMs: 20 });
    line.start();
    await sleep(30);
    assert.equal(tty.text(), '', 'nothing within the delay');
    await sleep(80);
    line.advance('fail');
    await sleep(30);
    line.stop();
    const out = tty.text();
    assert.ok(out.startsWith(`${ERASE}fedcheck: 0/3 domains · 0 fail · 0 unknown · 0 warn · `), JSON.stringify(out));
    assert.ok(out.includes('fedcheck: 1/3 domains · 1 fail'), JSON.stringify(out));
    assert.ok(out.endsWith(ERASE), 'erased at the end');
    assert.doesNotMatch(out, /\n/, 'never a newline: the line is redrawn in place');
  });

  test('a run that ends within the delay writes nothing at all', async () => {
    const tty = terminal(true);
    const line = new ProgressLine(tty.stream, { total: 1, delayMs: 50 });
    line.start();
    line.advance('pass');
    line.stop();
    await sleep(80);
    assert.equal(tty.text(), '');
  });

  test('not a TTY: nothing, whatever the duration', async () => {
    const pipe = terminal(false);
    const line = new ProgressLine(pipe.stream, { total: 2, delayMs: 10, intervalMs: 10 });
    line.start();
    await sleep(60);
    line.advance('warn');
    line.stop();
    assert.equal(pipe.text(), '');
  });

  test('cut to the terminal width minus one, so it never wraps', async () => {
    const tty = terminal(true, 20);
    const line = new ProgressLine(tty.stream, { total: 5, delayMs: 0, intervalMs: 1000 });
    line.start();
    await sleep(20);
    line.stop();
    const drawn = tty.text().split(ERASE).filter((s) => s !== '');
    assert.ok(drawn.length >= 1);
    for (const s of drawn) assert.ok(s.length <= 19, JSON.stringify(s));
  });

  test('withProgress erases the line before a streaming format writes, and counts each result', async () => {
    const tty = terminal(true);
    const line = new ProgressLine(tty.stream, { total: 2, delayMs: 0, intervalMs: 1000 });
    const written: string[] = [];
    const onResult = withProgress(line, (r: { status: 'pass' }) => {
      written.push(`[${tty.text().endsWith(ERASE) ? 'clean' : 'dirty'}]`);
      return r;
    })!;
    line.start();
    await sleep(20);
    onResult({ status: 'pass' }, 0);
    line.stop();
    assert.deepEqual(written, ['[clean]']);
    assert.ok(tty.text().includes('1/2 domains'));
    assert.equal(withProgress(undefined, undefined), undefined);
  });
});

/** A resolver on loopback whose answers take 1.3 s: every run is longer than the one-second delay. */
let slow: FaultServer;
const D = 'slow.example';

before(async () => {
  slow = await startFaultServer({
    [`_sipfederationtls._tcp.${D} SRV`]: late(1300, answer([srv(`sip.${D}`, 5061)])),
    [`sip.${D} A`]: answer([a('192.0.2.10')]),
    '*': rcode('NXDOMAIN'),
  });
});

after(async () => {
  await slow?.close();
});

function args(...extra: string[]): string[] {
  return ['-r', formatServer(slow.address), '--xmpp', 'off', '--timeout', '3000', '--retries', '0', '--format', 'json', ...extra, D];
}

describe('main(argv, io) with an injected terminal', () => {
  test('stderr is a TTY: the line appears after a second and is erased before the end; stdout stays clean JSON', async () => {
    const err = terminal(true);
    const out = terminal(false);
    const status = await main(args(), { stdout: out.stream, stderr: err.stream, env: {} });
    assert.equal(status, 0);
    assert.ok(err.text().includes('fedcheck: 0/1 domains'), JSON.stringify(err.text()));
    assert.ok(err.text().endsWith(ERASE), 'erased at the end');
    assertJsonReport(out.text());
    assert.equal((JSON.parse(out.text()) as { summary: { pass: number } }).summary.pass, 1);
    assert.doesNotMatch(out.text(), /\r|\u001b/);
  });

  test('--no-progress: nothing on stderr', async () => {
    const err = terminal(true);
    const status = await main(args('--no-progress'), { stdout: terminal(false).stream, stderr: err.stream, env: {} });
    assert.equal(status, 0);
    assert.equal(err.text(), '');
  });

  test('stderr not a TTY: nothing on stderr', async () => {
    const err = terminal(false);
    const status = await main(args(), { stdout: terminal(false).stream, stderr: err.stream, env: {} });
    assert.equal(status, 0);
    assert.equal(err.text(), '');
  });
});

describe('the built CLI', () => {
  const preload = existsSync(GUARD) ? ['--import', pathToFileURL(GUARD).href] : [];

  test('in a real pseudo-terminal (script -qec): the progress line is drawn and erased', async () => {
    assert.ok(existsSync('/usr/bin/script'), 'script(1) from util-linux (Debian bsdutils, an essential package) is needed');
    const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
    const command = [process.execPath, ...preload, BIN, ...args('--no-color')].map(quote).join(' ');
    // script runs the command on a new pty; its own stdout carries everything the pty shows.
    const output = await new Promise<{ status: number | null; text: string }>((resolve, reject) => {
      const child = spawn('/usr/bin/script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', TERM: 'dumb' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (c: Buffer) => (text += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (text += c.toString('utf8')));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('error', reject);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, text });
      });
    });
    assert.equal(output.status, 0, output.text);
    assert.ok(output.text.includes('fedcheck: 0/1 domains'), JSON.stringify(output.text));
    assert.ok(output.text.includes(ERASE), 'the line is erased');
    // The JSON report follows the erased line.
    const json = output.text.slice(output.text.lastIndexOf(ERASE) + ERASE.length);
    assertJsonReport(json.replace(/\r\n/g, '\n'));
    assert.equal((JSON.parse(json.replace(/\r\n/g, '\n')) as { summary: { pass: number } }).summary.pass, 1);
  });

  test('with pipes (not a terminal): stderr stays empty', async () => {
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [...preload, BIN, ...args()], { cwd: ROOT, timeout: 30_000 }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
      });
    });
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
    assert.doesNotMatch(result.stdout, /\r|\u001b/);
  });
});
