import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { SIPFED_PORT, XMPP_PORT } from '../../src/rules/federation/rules.js';
import { RULES } from '../../src/rules/engine.js';
import { findingsOf, pairs, SCENARIOS } from './scenarios.js';

const sorted = (list: string): string => list.split(' ').filter((p) => p !== '').sort().join(' ');

describe('evaluate: tiny zone → sorted rule:status pairs', () => {
  for (const s of SCENARIOS) {
    test(s.title, async () => assert.equal(pairs(await findingsOf(s.records, s.expect, s.zone)), sorted(s.findings)));
  }
});

describe('rule set', () => {
  test('the ports are those of the requirement tables', () => {
    assert.deepEqual([SIPFED_PORT, XMPP_PORT], [5061, 5269]);
  });

  test('every rule is a pure function: the same observation gives the same findings', async () => {
    const s = SCENARIOS[0]!;
    const a = await findingsOf(s.records, s.expect, s.zone);
    const b = await findingsOf(s.records, s.expect, s.zone);
    assert.deepEqual(a, b);
    assert.ok(RULES.length > 0);
  });
});
