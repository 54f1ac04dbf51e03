import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { summarise } from '../../src/report/report.js';

test('summarise counts domains by status', () => {
  assert.deepEqual(summarise(['pass', 'fail', 'warn', 'fail', 'unknown']), { domains: 5, pass: 1, warn: 1, fail: 2, unknown: 1 });
  assert.deepEqual(summarise([]), { domains: 0, pass: 0, warn: 0, fail: 0, unknown: 0 });
});
