import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { PROFILE_RULE_IDS } from '../../src/rules/profiles/catalogue.js';
import type { RuleId } from '../../src/rules/catalogue.js';
import { CORE_RULE_IDS } from '../../src/rules/federation/catalogue.js';
import { evaluateProfile, RULES, rulesOfProfile } from '../../src/rules/engine.js';
import { autoFinding, effectiveExpectations, PROFILE_RULES, resolveProfile, type ProfileChoice } from '../../src/rules/profiles/rules.js';
import { PROFILES } from '../../src/rules/profiles/profiles.js';
import { applyDaneOverrides } from '../../src/rules/dane/override.js';
import type { DomainExpectations, DomainObservation, Finding, Rule } from '../../src/rules/types.js';
import { observedUnderEveryProfile } from './observed-scenarios.js';

/** The reference: run every rule, then keep the findings whose ids the profile selects (or profiles do not govern). */
function runAllThenFilter(observation: DomainObservation, expectations: DomainExpectations): { findings: readonly Finding[]; choice: ProfileChoice } {
  const choice = resolveProfile(observation, expectations);
  const effective = effectiveExpectations(expectations, choice);
  const governed = new Set<RuleId>([...CORE_RULE_IDS, ...PROFILE_RULE_IDS]);
  const selected = new Set<RuleId>(PROFILES[choice.profile].rules);
  const findings = RULES.flatMap((rule) => rule.run(observation, effective)).filter((f) => selected.has(f.rule) || !governed.has(f.rule));
  // RFC 7671 §5.1 overrides apply after every rule ran (src/rules/dane/override.ts).
  return { findings: applyDaneOverrides(choice.requested === 'auto' ? [autoFinding(observation, choice), ...findings] : findings), choice };
}

test('evaluateProfile gives exactly the findings of running every rule and filtering, for every profile over every scenario', async () => {
  const scenarios = await observedUnderEveryProfile();
  assert.ok(scenarios.length > 500, `${scenarios.length} cases`);
  for (const s of scenarios) assert.deepEqual(evaluateProfile(s.observation, s.expectations), runAllThenFilter(s.observation, s.expectations), s.title);
});

test('the default profile runs every rule but the profiles\' own, and drops none of their findings', () => {
  const selected = rulesOfProfile('federation');
  const profileRules: readonly Rule[] = PROFILE_RULES;
  assert.deepEqual(
    selected.map((s) => s.rule),
    RULES.filter((rule) => !profileRules.includes(rule)),
  );
  for (const { rule, only } of selected) assert.equal(only, undefined, rule.ids.join(', '));
});
