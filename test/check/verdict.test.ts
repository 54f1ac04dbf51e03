import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { Status } from '../../src/rules/catalogue.js';
import { domainStatus, EXIT, exitCode, type DomainStatus } from '../../src/check/verdict.js';

describe('domainStatus: the worst finding, fail > unknown > warn > pass, info = pass', () => {
  const cases: [readonly Status[], DomainStatus][] = [
    [[], 'pass'],
    [['pass'], 'pass'],
    [['info'], 'pass'],
    [['info', 'pass', 'info'], 'pass'],
    [['pass', 'warn'], 'warn'],
    [['info', 'warn', 'pass'], 'warn'],
    [['warn', 'unknown'], 'unknown'],
    [['unknown', 'warn'], 'unknown'],
    [['unknown', 'fail'], 'fail'],
    [['fail', 'unknown', 'warn', 'info', 'pass'], 'fail'],
    [['pass', 'pass', 'fail', 'pass'], 'fail'],
  ];
  for (const [statuses, expected] of cases) {
    test(`[${statuses.join(', ')}] → ${expected}`, () => assert.equal(domainStatus(statuses), expected));
  }

  test('order of findings does not matter', () => {
    const all: Status[] = ['pass', 'info', 'warn', 'unknown', 'fail'];
    for (let i = 0; i < all.length; i += 1) {
      const rotated = [...all.slice(i), ...all.slice(0, i)];
      assert.equal(domainStatus(rotated), 'fail');
      assert.equal(domainStatus(rotated.filter((s) => s !== 'fail')), 'unknown');
      assert.equal(domainStatus(rotated.filter((s) => s !== 'fail' && s !== 'unknown')), 'warn');
    }
  });

  test('accepts any iterable', () => {
    assert.equal(domainStatus(new Set<Status>(['info', 'warn'])), 'warn');
  });
});

describe('exitCode: 2 if any fails, else 3 if any unknown, else 1 if any warns, else 0', () => {
  const cases: [readonly DomainStatus[], number][] = [
    [[], 0],
    [['pass'], 0],
    [['pass', 'warn'], 1],
    [['warn', 'unknown', 'pass'], 3],
    [['unknown', 'fail'], 2],
    [['fail', 'warn'], 2],
    [['pass', 'pass', 'fail'], 2],
    [['unknown'], 3],
  ];
  for (const [statuses, expected] of cases) {
    test(`[${statuses.join(', ')}] → ${expected}`, () => assert.equal(exitCode(statuses), expected));
  }

  test('the Nagios codes and the sysexits codes', () => {
    assert.deepEqual([EXIT.ok, EXIT.warn, EXIT.fail, EXIT.unknown, EXIT.usage, EXIT.noInput, EXIT.software], [0, 1, 2, 3, 64, 66, 70]);
  });
});
