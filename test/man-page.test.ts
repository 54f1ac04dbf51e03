/**
 * The manual page: `docs/fedcheck.1` is what `fedcheck man` prints (generated
 * from the CLI's option definitions), groff reads it without a warning, and it
 * names every option and subcommand of the CLI.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli.js';
import { EXIT_CODES } from '../src/exit-codes.js';
import { ensurePackages } from './support/real-servers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGE = join(ROOT, 'docs', 'fedcheck.1');

/** What `fedcheck ARGS` prints on stdout, in-process. */
async function stdoutOf(args: readonly string[]): Promise<string> {
  let out = '';
  const code = await main(args, { stdout: { write: (t: string | Uint8Array) => (out += typeof t === 'string' ? t : Buffer.from(t).toString('utf8')) }, stderr: { write: () => true }, env: {} });
  assert.equal(code, 0);
  return out;
}

describe('manual page', () => {
  test('docs/fedcheck.1 is `fedcheck man` (regenerate: npm run build && node bin/fedcheck.js man > docs/fedcheck.1)', async () => {
    assert.equal(readFileSync(PAGE, 'utf8'), await stdoutOf(['man']));
  });

  test('groff formats it without a warning', () => {
    ensurePackages(['groff-base']);
    const r = spawnSync('/usr/bin/groff', ['-man', '-Tutf8', '-ww', '-z', PAGE], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
  });

  test('names every long option of `fedcheck --help`, every subcommand and every exit status', async () => {
    const page = readFileSync(PAGE, 'utf8').replace(/\\-/g, '-');
    const help = await stdoutOf(['--help']);
    const options = [...help.matchAll(/(?:^|\s)(--[a-z][a-z-]*)/gm)].map((m) => m[1]!);
    assert.ok(options.length > 20, options.join(' '));
    for (const option of options) assert.ok(page.includes(option), `the manual page names ${option}`);
    for (const command of ['rules', 'explain', 'profiles', 'plan', 'man']) assert.ok(page.includes(`.B fedcheck ${command}`), command);
    for (const exit of EXIT_CODES) assert.ok(page.includes(`.B ${exit.code}\n`), `exit ${exit.code}`);
  });
});
