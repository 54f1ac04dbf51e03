import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EXIT, EXIT_CODES } from '../src/exit-codes.js';
import { exitCode } from '../src/check/verdict.js';
import { NAGIOS_STATES } from '../src/report/nagios.js';

describe('exit codes', () => {
  test('one entry per number and per name, in numeric order', () => {
    const codes = EXIT_CODES.map((e) => e.code);
    assert.deepEqual(codes, [...codes].sort((a, b) => a - b));
    assert.equal(new Set(codes).size, codes.length);
    assert.equal(new Set(EXIT_CODES.map((e) => e.name)).size, codes.length);
  });

  test('the verdicts are the Nagios plugin states, the stops sysexits.h', () => {
    assert.deepEqual([EXIT.ok, EXIT.warn, EXIT.fail, EXIT.unknown], [0, 1, 2, 3]);
    assert.deepEqual(Object.keys(NAGIOS_STATES).map(Number), [0, 1, 2, 3]);
    const sysexits = Object.fromEntries(EXIT_CODES.flatMap((e) => ('sysexits' in e ? [[e.sysexits, e.code]] : [])));
    assert.deepEqual(sysexits, { EX_USAGE: 64, EX_DATAERR: 65, EX_NOINPUT: 66, EX_SOFTWARE: 70, EX_CANTCREAT: 73, EX_IOERR: 74 });
  });

  test('a run exits with the worst verdict: fail over unknown over warn', () => {
    assert.equal(exitCode(['pass', 'warn', 'unknown', 'fail']), EXIT.fail);
    assert.equal(exitCode(['pass', 'warn', 'unknown']), EXIT.unknown);
    assert.equal(exitCode(['pass', 'warn']), EXIT.warn);
    assert.equal(exitCode([]), EXIT.ok);
  });

  test('src/ names its stop statuses: no ExitError or exit status written as a number', () => {
    const src = fileURLToPath(new URL('../../src/', import.meta.url));
    const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => join(src, f));
    const numeric = /ExitError\([\s\S]*?,\s*(?:64|65|66|70|73|74)\s*\)|exitCode\s*=\s*\d|EXIT_\w+\s*=\s*\d/;
    const offenders = files.map((f) => relative(src, f)).filter((f) => f !== 'exit-codes.ts' && numeric.test(readFileSync(join(src, f), 'utf8')));
    assert.deepEqual(offenders, []);
    // The pattern finds what it looks for.
    for (const written of ["throw new ExitError('bad', 64);", 'new ExitError(`x ${y}`,\n  65)', 'process.exitCode = 2', 'export const EXIT_INVALID = 65;']) {
      assert.ok(numeric.test(written), written);
    }
    assert.ok(!numeric.test('throw new ExitError(`plan: ${error}`, EXIT.usage);'));
  });
});
