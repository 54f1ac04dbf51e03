/**
 * The published report schema (schema/fedcheck-report.schema.json): the reports
 * fedcheck renders match it, and it rejects what a consumer could not rely on.
 * Every report the CLI tests produce is judged as well (test/support/cli.ts).
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { Json } from '../../src/input/json-schema.js';
import { CHANGE_KINDS, diffReports } from '../../src/report/diff.js';
import { parsePreviousReport } from '../../src/input/previous-report.js';
import { renderJson } from '../../src/report/json.js';
import { renderNdjson } from '../../src/report/ndjson.js';
import { CLOUD_NAMES, EDGE_HOST_ROLES, PROFILE_NAMES } from '../../src/rules/profiles/profiles.js';
import { RULE_IDS } from '../../src/rules/catalogue.js';
import { checkNdjsonLine, checkReport, REPORT_SCHEMA_ID, reportSchema } from '../../src/report/report-schema.js';
import { assertJsonReport, assertNdjsonReport } from '../support/report-checks.js';
import { domain, failing, HOSTILE, passing, report, unknown, warning } from './output-fixtures.js';

const mixed = report([passing('p.example'), failing('f.example'), unknown('u.example'), warning('w.example')]);
const hostile = report([domain('a.example', { srv: [[443, HOSTILE]], a: { [HOSTILE]: ['192.0.2.1'] } })]);
const withChanges = (() => {
  const before = report([passing('a.example'), failing('b.example'), passing('gone.example')]);
  const after = report([failing('a.example'), passing('b.example'), warning('new.example')]);
  return { ...after, changes: diffReports(parsePreviousReport(renderJson(before), 'p'), after) };
})();

const parsed = (text: string): { [key: string]: Json } => JSON.parse(text) as { [key: string]: Json };

describe('report schema', () => {
  test('is a draft 2020-12 schema with the id the report module names', () => {
    const schema = reportSchema();
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(schema.$id, REPORT_SCHEMA_ID);
  });

  test("its lists of names are the code's: profiles, clouds, host roles, change kinds, rule ids", () => {
    const defs = reportSchema().$defs!;
    const values = (name: string): readonly Json[] => defs[name]!.enum!;
    assert.deepEqual(values('profile'), [...PROFILE_NAMES]);
    assert.deepEqual(values('concreteProfile'), PROFILE_NAMES.filter((p) => p !== 'auto'));
    assert.deepEqual(values('cloud'), [...CLOUD_NAMES]);
    assert.deepEqual(defs.host!.properties!.role!.enum, ['access-edge', 'lyncdiscover', 'xmpp-fallback', ...EDGE_HOST_ROLES]);
    assert.deepEqual(Object.keys(defs.changeCounts!.properties!), [...CHANGE_KINDS]);
    const pattern = new RegExp((defs.ruleId as { pattern: string }).pattern);
    for (const id of RULE_IDS) assert.match(id, pattern);
  });

  test('json: every fixture report matches (mixed verdicts, hostile names, --since changes, zone mode, no domains)', () => {
    for (const r of [mixed, hostile, withChanges, report([]), report([passing('z.example')], { mode: 'zone', zones: ['z.zone'] })]) {
      assertJsonReport(renderJson(r));
    }
  });

  test('ndjson: every line of the same reports matches, quiet or not', () => {
    for (const r of [mixed, hostile, withChanges]) {
      assertNdjsonReport(renderNdjson(r, { quiet: false }));
      assertNdjsonReport(renderNdjson(r, { quiet: true }));
    }
  });

  test('rejects, naming the path: an unknown field, a bad status, a finding without its message, another schema', () => {
    const base = parsed(renderJson(mixed));
    const domains = base.domains as { [key: string]: Json }[];
    const cases: [Json, string][] = [
      [{ ...base, extra: 1 }, '$.extra: unknown property'],
      [{ ...base, domains: [{ ...domains[0]!, status: 'ok' }] }, '$.domains[0].status: must be one of "pass", "warn", "fail", "unknown"'],
      [{ ...base, domains: [{ ...domains[1]!, findings: [{ rule: 'sipfed-srv', status: 'fail', name: 'x' }] }] }, '$.domains[0].findings[0]: missing required property "message"'],
      [{ ...base, schema: 'fedcheck/2' }, '$.schema: must be "fedcheck/1"'],
      [{ ...base, summary: { ...(base.summary as object), pass: -1 } }, '$.summary.pass: must be at least 0'],
    ];
    for (const [value, message] of cases) assert.equal(checkReport(value), message);
  });

  test('an ndjson line is a domain or the summary, each with its own fields', () => {
    const [first, ...rest] = renderNdjson(mixed, { quiet: false }).trimEnd().split('\n').map(parsed);
    const summary = rest.at(-1)!;
    assert.equal(checkNdjsonLine(first!), undefined);
    assert.equal(checkNdjsonLine(summary), undefined);
    assert.equal(checkNdjsonLine({ ...summary, domains: [] }), '$.domains: unknown property');
    assert.equal(checkNdjsonLine({ ...first!, tool: summary.tool! }), '$.tool: unknown property');
    assert.equal(checkNdjsonLine({ ...first!, type: 'total' }), '$.type: must be "domain"');
  });
});
