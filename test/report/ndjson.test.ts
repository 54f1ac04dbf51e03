import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { diffReports } from '../../src/report/diff.js';
import { parsePreviousReport, type ComparableReport } from '../../src/input/previous-report.js';
import { renderJson } from '../../src/report/json.js';
import { jsonLine, NdjsonWriter, renderNdjson } from '../../src/report/ndjson.js';
import { assertNdjsonReport } from '../support/report-checks.js';
import { render } from '../../src/report/render.js';
import { domain, failing, HOSTILE, passing, report, unknown, warning } from './output-fixtures.js';

type Line = { type: 'domain' | 'summary'; [key: string]: unknown };

/** Split ndjson strictly: every line one JSON object with a known type, no blank lines, valid against the report schema. */
function parseLines(text: string): Line[] {
  assertNdjsonReport(text);
  if (text === '') return [];
  assert.ok(text.endsWith('\n'));
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const value = JSON.parse(line) as Line;
      assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value));
      assert.ok(value.type === 'domain' || value.type === 'summary', line);
      return value;
    });
}

const previousOf = (r: ReturnType<typeof report>): ComparableReport => parsePreviousReport(renderJson(r), 'prev.json');

describe('ndjson format', () => {
  const mixed = report([passing('p.example'), failing('f.example'), unknown('u.example'), warning('w.example')]);

  test('one domain line per domain with every field of the JSON report, then one summary line', () => {
    const lines = parseLines(renderNdjson(mixed, { quiet: false }));
    assert.deepEqual(lines.map((l) => l.type), ['domain', 'domain', 'domain', 'domain', 'summary']);
    const json = JSON.parse(renderJson(mixed)) as { domains: object[]; [k: string]: unknown };
    lines.slice(0, 4).forEach((line, i) => {
      const { type: _type, ...rest } = line;
      assert.deepEqual(rest, json.domains[i]);
    });
    const { type: _type, ...summary } = lines[4]!;
    const { domains: _domains, ...expected } = json;
    assert.deepEqual(summary, expected);
    assert.equal((summary.summary as { domains: number }).domains, 4);
  });

  test('the writer streams: each line is written when its domain finishes, the summary at the end', () => {
    const written: string[] = [];
    const writer = new NdjsonWriter((t) => written.push(t), { quiet: false });
    writer.add(mixed.domains[2]!);
    assert.equal(written.length, 1, 'written at once, not buffered');
    assert.equal(parseLines(written[0]!)[0]!.domain, 'u.example');
    writer.add(mixed.domains[0]!);
    // run() with keep: false hands over a report without domains; the summary still counts them.
    writer.finish({ ...mixed, domains: [] });
    const lines = parseLines(written.join(''));
    assert.deepEqual(lines.map((l) => [l.type, l.domain]), [['domain', 'u.example'], ['domain', 'p.example'], ['summary', undefined]]);
    assert.deepEqual(lines[2]!.summary, mixed.summary);
    assert.ok(!('domains' in lines[2]!));
  });

  test('streamed and whole-report output are the same lines (in report order)', () => {
    const written: string[] = [];
    const writer = new NdjsonWriter((t) => written.push(t), { quiet: false });
    for (const d of mixed.domains) writer.add(d);
    writer.finish({ ...mixed, domains: [] });
    assert.equal(written.join(''), renderNdjson(mixed, { quiet: false }));
  });

  test('one line per object: names from DNS cannot break a line or carry raw control characters', () => {
    const evil = domain('a.example', { srv: [[5061, HOSTILE]], a: { [HOSTILE]: ['192.0.2.1'] } });
    const text = renderNdjson(report([evil]), { quiet: false });
    assert.equal(text.split('\n').length, 3, 'two lines and the final line feed');
    for (const line of text.slice(0, -1).split('\n')) assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f]/);
    const [line] = parseLines(text);
    const records = line!.records as { sipfederationtls: { srv: { target: string }[] } };
    assert.equal(records.sipfederationtls.srv[0]!.target, HOSTILE, 'the JSON value itself is exact');
    assert.equal(jsonLine({ s: '\u009b\u007f' }), '{"s":"\\u009b\\u007f"}\n');
  });

  test('--quiet: only domains that are not pass; nothing at all when all pass', () => {
    const lines = parseLines(renderNdjson(mixed, { quiet: true }));
    assert.deepEqual(lines.map((l) => l.domain ?? l.type), ['f.example', 'u.example', 'w.example', 'summary']);
    assert.deepEqual(lines[3]!.summary, mixed.summary, 'the summary still counts every domain');
    const allPass = report([passing('a.example'), passing('b.example')]);
    assert.equal(renderNdjson(allPass, { quiet: true }), '');
    const written: string[] = [];
    const writer = new NdjsonWriter((t) => written.push(t), { quiet: true });
    for (const d of allPass.domains) writer.add(d);
    writer.finish({ ...allPass, domains: [] });
    assert.deepEqual(written, []);
    assert.equal(render('ndjson', allPass, { quiet: true }), '');
  });

  test('--since: each domain line carries its changes, the summary the counts and removed domains', () => {
    const before = report([passing('a.example'), failing('b.example'), warning('gone.example')]);
    const after = report([failing('a.example'), passing('b.example'), passing('c.example')]);
    const written: string[] = [];
    const writer = new NdjsonWriter((t) => written.push(t), { quiet: false, previous: previousOf(before) });
    for (const d of after.domains) writer.add(d);
    writer.finish({ ...after, domains: [] });
    const lines = parseLines(written.join(''));
    const changesOf = (i: number) => lines[i]!.changes as { status: { kind: string } | null; rules: unknown[]; records: unknown[] };
    assert.equal(changesOf(0).status?.kind, 'newly-failing');
    assert.ok(changesOf(0).rules.length > 0);
    assert.equal(changesOf(1).status?.kind, 'recovered');
    assert.equal(changesOf(2).status?.kind, 'added');
    const summary = lines[3]!.changes as { since: string; counts: Record<string, number>; removed: { domain: string }[] };
    assert.equal(summary.since, before.startedAt);
    assert.equal(summary.counts['newly-failing'], 1);
    assert.equal(summary.counts.removed, 1);
    assert.deepEqual(summary.removed.map((r) => r.domain), ['gone.example']);
    // The whole-report renderer splits a report's changes the same way.
    const whole = renderNdjson({ ...after, changes: diffReports(previousOf(before), after) }, { quiet: false });
    assert.equal(whole, written.join(''));
  });

  test('--quiet --since: a passing domain that changed is news and is printed', () => {
    const before = report([failing('a.example'), passing('b.example')]);
    const after = report([passing('a.example'), passing('b.example')]);
    const written: string[] = [];
    const writer = new NdjsonWriter((t) => written.push(t), { quiet: true, previous: previousOf(before) });
    for (const d of after.domains) writer.add(d);
    writer.finish({ ...after, domains: [] });
    assert.deepEqual(parseLines(written.join('')).map((l) => l.domain ?? l.type), ['a.example', 'summary']);
    // Nothing changed and all pass: silence.
    const silent: string[] = [];
    const again = new NdjsonWriter((t) => silent.push(t), { quiet: true, previous: previousOf(after) });
    for (const d of after.domains) again.add(d);
    again.finish({ ...after, domains: [] });
    assert.deepEqual(silent, []);
  });
});
