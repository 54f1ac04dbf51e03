import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { RULES } from '../../src/rules/engine.js';
import { effectiveExpectations, resolveProfile } from '../../src/rules/profiles/rules.js';
import type { RuleId } from '../../src/rules/catalogue.js';
import type { Rule } from '../../src/rules/types.js';
import { observedUnderEveryProfile } from './observed-scenarios.js';

const EVERY_RULE: readonly Rule<RuleId>[] = RULES;

test('every rule emits only the ids it declares, and each of them in some scenario', async () => {
  const emitted = new Map<Rule<RuleId>, Set<RuleId>>(EVERY_RULE.map((rule) => [rule, new Set<RuleId>()]));
  for (const s of await observedUnderEveryProfile()) {
    // As evaluateProfile calls them: with the profile and cloud resolved.
    const effective = effectiveExpectations(s.expectations, resolveProfile(s.observation, s.expectations));
    for (const rule of EVERY_RULE) {
      for (const f of rule.run(s.observation, effective)) {
        assert.ok(rule.ids.includes(f.rule), `${s.title}: a rule declaring ${rule.ids.join(', ')} emitted ${f.rule}`);
        emitted.get(rule)!.add(f.rule);
      }
    }
  }
  for (const rule of EVERY_RULE) assert.deepEqual([...emitted.get(rule)!].sort(), [...rule.ids].sort(), `declared ${rule.ids.join(', ')}`);
});
