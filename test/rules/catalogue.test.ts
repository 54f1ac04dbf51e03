import { strict as assert } from 'node:assert';
import { evaluate } from '../../src/rules/engine.js';
import { TLS_SCENARIOS, tlsObservation } from './tls/scenarios.js';
import { DNSSEC_SCENARIOS, dnssecObservation } from './dnssec/scenarios.js';
import { DANE_SCENARIOS, daneObservation } from './dane/scenarios.js';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { CATALOGUE, FAMILIES, RULE_IDS, ruleInfo, TABLE_COLUMNS, type RuleId } from '../../src/rules/catalogue.js';
import type { Rule } from '../../src/rules/types.js';
import { RULES } from '../../src/rules/engine.js';
import { catalogueMarkdown } from '../../src/rules/markdown.js';
import { COMPARE_SCENARIOS, compareFindings } from './compare/scenarios.js';
import { OPERATIONS_SCENARIOS, scenarioFindings } from './operations/scenarios.js';
import { NOTE_ONLY_RULES, PROFILE_SCENARIOS, profileFindings } from './profiles/scenarios.js';
import { findingsOf, SCENARIOS } from './scenarios.js';

// dist/test/rules/ → the repository root; the rule table is on the rules page of docs/.
const RULES_PAGE = new URL('../../../docs/rules.md', import.meta.url);

describe('catalogue', () => {
  test('ids are unique kebab-case and every id has its own entry', () => {
    assert.equal(new Set(RULE_IDS).size, RULE_IDS.length);
    assert.deepEqual(Object.keys(CATALOGUE).sort(), [...RULE_IDS].sort());
    for (const id of RULE_IDS) {
      assert.match(id, /^[a-z]+(?:-[a-z]+)*$/);
      assert.equal(CATALOGUE[id].id, id);
    }
  });

  test('every entry says what breaks and cites a source document with a URL', () => {
    for (const id of RULE_IDS) {
      const info = CATALOGUE[id];
      assert.ok(info.title.trim() !== '', `${id}: title`);
      assert.ok(info.record.trim() !== '', `${id}: record`);
      assert.ok(info.breaks.trim() !== '', `${id}: breaks`);
      assert.ok(info.source.document.trim() !== '', `${id}: source.document`);
      assert.doesNotThrow(() => new URL(info.source.url), `${id}: source.url parses`);
      assert.match(info.source.url, /^https:\/\//, `${id}: source.url`);
      assert.ok(['info', 'warn', 'fail'].includes(info.severity), `${id}: severity`);
    }
  });

  test('the catalogue is the families\' slices: each id in one family, with its rules', () => {
    const seen = new Map<string, string>();
    for (const family of FAMILIES) {
      assert.deepEqual(Object.keys(family.catalogue).sort(), [...family.ids].sort(), family.name);
      for (const id of family.ids) {
        assert.equal(seen.get(id), undefined, `${id} in ${family.name} and ${seen.get(id)}`);
        seen.set(id, family.name);
      }
      for (const rule of family.rules) for (const id of rule.ids) assert.ok((family.ids as readonly string[]).includes(id), `${family.name} runs ${id}, not its own`);
    }
    assert.deepEqual([...seen.keys()], [...RULE_IDS]);
    assert.deepEqual(RULES, FAMILIES.flatMap((family): readonly Rule<RuleId>[] => family.rules));
  });

  test('every rule but the profile notes has a table column, and every column a family lists', () => {
    const listed = new Set(FAMILIES.flatMap((family) => family.columns));
    assert.equal(new Set(TABLE_COLUMNS.map((c) => c.title)).size, TABLE_COLUMNS.length, 'column titles are unique');
    for (const id of RULE_IDS) {
      const column = CATALOGUE[id].column;
      // The profile notes show in the Profile column, dnssec-srv in the DNSSEC column of each domain's state.
      if (column === null) assert.ok(['profile-auto', 'profile-mismatch', 'dnssec-srv'].includes(id), `${id} has no column`);
      else assert.ok(listed.has(column), `${id}: its column "${column.title}" is in no family's columns`);
    }
    for (const column of TABLE_COLUMNS) assert.ok(column.rules.length > 0, `column "${column.title}" shows no rule`);
    assert.deepEqual(
      TABLE_COLUMNS.map((c) => c.title),
      ['SIP federation', 'Push (mobility)', 'XMPP', 'External access', 'Online', 'Expected values', 'Authoritative servers', 'Resolvers agree', 'SIP TLS (probe)', 'XMPP TLS (probe)', 'DANE (probe)'],
    );
  });

  test('ruleInfo finds every id and nothing else', () => {
    for (const id of RULE_IDS) assert.equal(ruleInfo(id), CATALOGUE[id]);
    for (const id of ['nope', '', 'SIPFED-SRV', 'toString', '__proto__']) assert.equal(ruleInfo(id), undefined, id);
  });

  test('every rule id is emitted by some scenario, both as pass and as its catalogue severity', async () => {
    const seen = new Map<string, Set<string>>();
    for (const s of SCENARIOS) {
      for (const f of await findingsOf(s.records, s.expect, s.zone)) {
        const statuses = seen.get(f.rule) ?? new Set<string>();
        statuses.add(f.status);
        seen.set(f.rule, statuses);
      }
    }
    // The operations rules judge authoritative-mode observations and expectations: their scenarios are in operations-scenarios.ts.
    for (const s of OPERATIONS_SCENARIOS) {
      for (const f of await scenarioFindings(s)) seen.set(f.rule, (seen.get(f.rule) ?? new Set<string>()).add(f.status));
    }
    // The profile rules need the edge and online lookups of a profile: their scenarios are in profiles-scenarios.ts.
    for (const s of PROFILE_SCENARIOS) {
      for (const f of (await profileFindings(s.records, s.expect, s.zone)).findings) seen.set(f.rule, (seen.get(f.rule) ?? new Set<string>()).add(f.status));
    }
    // The TLS probe's rules judge --probe observations: their scenarios are in tls-scenarios.ts.
    for (const s of TLS_SCENARIOS) {
      const { observation, expectations } = await tlsObservation(s);
      for (const f of evaluate(observation, expectations)) seen.set(f.rule, (seen.get(f.rule) ?? new Set<string>()).add(f.status));
    }
    // The DNSSEC rules judge the AD bits and --authoritative's RRSIGs: their scenarios are in dnssec-scenarios.ts.
    for (const s of DNSSEC_SCENARIOS) {
      const { observation, expectations } = await dnssecObservation(s);
      for (const f of evaluate(observation, expectations)) seen.set(f.rule, (seen.get(f.rule) ?? new Set<string>()).add(f.status));
    }
    // DANE judges --probe observations with TLSA lookups: dane-scenarios.ts.
    for (const s of DANE_SCENARIOS) {
      const { observation, expectations } = await daneObservation(s);
      for (const f of evaluate(observation, expectations)) seen.set(f.rule, (seen.get(f.rule) ?? new Set<string>()).add(f.status));
    }
    for (const s of COMPARE_SCENARIOS) {
      for (const f of compareFindings(s)) seen.set(f.rule, (seen.get(f.rule) ?? new Set<string>()).add(f.status));
    }
    assert.deepEqual([...seen.keys()].sort(), [...RULE_IDS].sort(), 'emitted ids = RULE_IDS');
    for (const id of RULE_IDS) {
      const statuses = seen.get(id) ?? new Set<string>();
      // A note (profile-auto: which profile auto chose) is never a pass.
      if (!NOTE_ONLY_RULES.includes(id)) assert.ok(statuses.has('pass'), `${id} passes in some scenario`);
      assert.ok(statuses.has(CATALOGUE[id].severity), `${id} is violated as ${CATALOGUE[id].severity} in some scenario`);
    }
  });
});

describe('docs/rules.md rule table', () => {
  const text = existsSync(RULES_PAGE) ? readFileSync(RULES_PAGE, 'utf8') : undefined;
  const rows = (text ?? '').split('\n').filter((line) => line.trimStart().startsWith('|'));
  const hasTable = rows.some((row) => RULE_IDS.some((id) => row.includes(id)));
  // The page and its table are part of the docs now: a missing one is a failure, not a skip.
  const skip = false;
  test('the page exists and has a rule table', () => assert.ok(text !== undefined && hasTable, 'docs/rules.md has a table naming the rule ids'));

  test('lists every rule id', { skip }, () => {
    for (const id of RULE_IDS) assert.ok(rows.some((row) => row.includes(`\`${id}\``) || row.split('|').some((cell) => cell.trim() === id)), `docs/rules.md rule table lists ${id}`);
  });

  const markers = text !== undefined && text.includes('<!-- rules:start -->') && text.includes('<!-- rules:end -->');
  test('between the rules markers is exactly `fedcheck rules --format markdown`', () => {
    assert.ok(markers, 'docs/rules.md has a <!-- rules:start --> … <!-- rules:end --> block');
    const block = (text ?? '').split('<!-- rules:start -->')[1]!.split('<!-- rules:end -->')[0]!;
    assert.equal(block.trim(), catalogueMarkdown().trim());
  });
});

describe('catalogueMarkdown', () => {
  test('one row per rule, in catalogue order, with every column filled', () => {
    const lines = catalogueMarkdown().trimEnd().split('\n');
    assert.equal(lines.length, RULE_IDS.length + 2);
    RULE_IDS.forEach((id, i) => {
      const row = lines[i + 2]!;
      assert.ok(row.startsWith(`| \`${id}\` |`), row);
      // Unescaped pipes delimit exactly five cells.
      assert.equal(row.split(/(?<!\\)\|/).length, 7, `${id}: five cells`);
      assert.ok(row.includes(CATALOGUE[id].source.url), `${id}: source link`);
    });
  });
});
