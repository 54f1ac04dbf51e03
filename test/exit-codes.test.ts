import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
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
});
