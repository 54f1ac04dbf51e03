import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { SIPFED_PORT, XMPP_PORT } from '../../src/rules/federation/rules.js';
import { RULES } from '../../src/rules/engine.js';
import { OBSERVATION_PARTS } from '../../src/rules/types.js';
import { findingsOf, observe, pairs, SCENARIOS } from './scenarios.js';

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

  test('a rule that needs a part of the observation finds nothing without it, so the engine may skip it', async () => {
    const needing = RULES.filter((r) => r.needs !== undefined);
    // The modes' rules: the probe's, --authoritative's, --compare's and the DNSSEC state's.
    assert.deepEqual([...new Set(needing.map((r) => r.needs))].sort(), [...OBSERVATION_PARTS].sort());
    for (const s of SCENARIOS) {
      const { observation, expectations } = await observe(s.records, s.expect, s.zone);
      for (const part of OBSERVATION_PARTS) assert.equal(observation[part], undefined, `${s.title}: the scenario has no ${part}`);
      for (const rule of needing) assert.deepEqual(rule.run(observation, expectations), [], `${rule.ids.join(',')} (needs ${rule.needs}) in ${s.title}`);
    }
  });
});
