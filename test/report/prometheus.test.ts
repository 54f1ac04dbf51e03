import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { CHANGE_KINDS, diffReports } from '../../src/report/diff.js';
import { parsePreviousReport } from '../../src/input/previous-report.js';
import { renderJson } from '../../src/report/json.js';
import { labelValue, renderPrometheus } from '../../src/report/prometheus.js';
import { render } from '../../src/report/render.js';
import { assertPrometheus, promtoolCheck } from '../support/report-checks.js';
import { failing, passing, report, unknown, warning } from './output-fixtures.js';

// ---------------------------------------------------------------------------
// The judge of the format is the real `promtool check metrics` (syntax and
// lint), see `read`. What follows reads the families and samples the
// assertions need, and adds the rules of node_exporter's textfile collector
// that promtool does not check (no timestamps, no duplicate series, a
// family's samples contiguous). It reads the text exposition format (0.0.4)
// as a textfile-collector file must be: every line is a HELP, a TYPE or a sample;
// names match [a-zA-Z_:][a-zA-Z0-9_:]*; label names [a-zA-Z_][a-zA-Z0-9_]*
// (not __-prefixed); label values are quoted with only \\, \" and \n escapes;
// values parse as floats; no timestamps (the collector rejects them); one HELP
// and one TYPE per family before its samples; a family's samples contiguous;
// no duplicate series.
// ---------------------------------------------------------------------------

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

interface Family {
  readonly name: string;
  type?: string;
  help?: string;
  readonly samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const FLOAT = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?Inf|NaN)$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseSample(line: string): Sample {
  const nameMatch = METRIC_NAME.exec(line);
  assert.ok(nameMatch, `metric name: ${line}`);
  const name = nameMatch[0];
  let pos = name.length;
  const labels: Record<string, string> = {};
  if (line[pos] === '{') {
    pos += 1;
    while (line[pos] !== '}') {
      const ln = LABEL_NAME.exec(line.slice(pos));
      assert.ok(ln, `label name at ${pos}: ${line}`);
      assert.ok(!ln[0].startsWith('__'), `reserved label name ${ln[0]}`);
      assert.ok(!(ln[0] in labels), `duplicate label ${ln[0]}`);
      pos += ln[0].length;
      assert.equal(line[pos], '=', `= after label name: ${line}`);
      assert.equal(line[pos + 1], '"', `quoted label value: ${line}`);
      pos += 2;
      let value = '';
      for (;;) {
        const c = line[pos];
        assert.ok(c !== undefined, `unterminated label value: ${line}`);
        if (c === '"') break;
        if (c === '\\') {
          const next = line[pos + 1];
          assert.ok(next === '\\' || next === '"' || next === 'n', `bad escape \\${next} in ${line}`);
          value += next === 'n' ? '\n' : next;
          pos += 2;
        } else {
          value += c;
          pos += 1;
        }
      }
      pos += 1;
      labels[ln[0]] = value;
      if (line[pos] === ',') pos += 1;
      else assert.equal(line[pos], '}', `, or } after a label: ${line}`);
    }
    pos += 1;
  }
  const rest = line.slice(pos);
  assert.ok(rest.startsWith(' '), `space before the value: ${line}`);
  const fields = rest.trim().split(/\s+/);
  assert.equal(fields.length, 1, `a value and no timestamp: ${line}`);
  assert.match(fields[0]!, FLOAT, `value: ${line}`);
  return { name, labels, value: Number(fields[0]) };
}

function parseExposition(text: string): Map<string, Family> {
  assert.ok(text.endsWith('\n'), 'ends with a line feed');
  const families = new Map<string, Family>();
  const series = new Set<string>();
  let current: string | undefined;
  const family = (name: string): Family => {
    let f = families.get(name);
    if (f === undefined) families.set(name, (f = { name, samples: [] }));
    return f;
  };
  for (const line of text.slice(0, -1).split('\n')) {
    assert.notEqual(line, '', 'no blank lines');
    const meta = /^# (HELP|TYPE) ([^ ]+) (.*)$/.exec(line);
    if (meta !== null) {
      const [, kind, name, rest] = meta as unknown as [string, 'HELP' | 'TYPE', string, string];
      assert.match(name, /^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
      const f = family(name);
      assert.equal(f.samples.length, 0, `${kind} of ${name} before its samples`);
      if (kind === 'HELP') {
        assert.equal(f.help, undefined, `one HELP for ${name}`);
        assert.doesNotMatch(rest.replace(/\\[\\n]/g, ''), /\\/, `HELP escapes only \\\\ and \\n: ${line}`);
        f.help = rest;
      } else {
        assert.equal(f.type, undefined, `one TYPE for ${name}`);
        assert.ok(TYPES.has(rest), `type ${rest}`);
        f.type = rest;
      }
      continue;
    }
    assert.ok(!line.startsWith('#'), `no other comments: ${line}`);
    const sample = parseSample(line);
    if (current !== sample.name) {
      assert.equal(families.get(sample.name)?.samples.length ?? 0, 0, `samples of ${sample.name} are contiguous`);
      current = sample.name;
    }
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    assert.ok(!series.has(key), `duplicate series ${line}`);
    series.add(key);
    family(sample.name).samples.push(sample);
  }
  for (const f of families.values()) {
    assert.ok(f.type !== undefined && f.help !== undefined, `HELP and TYPE for ${f.name}`);
    if (f.type === 'counter') assert.match(f.name, /_total$/, `counter ${f.name} ends in _total`);
  }
  return families;
}

const value = (f: Family | undefined, labels: Record<string, string>): number | undefined =>
  f?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v) && Object.keys(s.labels).length === Object.keys(labels).length)?.value;

// ---------------------------------------------------------------------------

/** An exposition as the assertions read it, once promtool has found nothing to say about it. */
function read(text: string): Map<string, Family> {
  assertPrometheus(text);
  return parseExposition(text);
}

describe('the judges themselves', () => {
  test('promtool accepts a valid exposition and rejects what the format or its lint does not allow', () => {
    read('# HELP m h\n# TYPE m gauge\nm{a="b"} 1\n');
    for (const bad of [
      '# HELP m h\n# TYPE m gauge\nm{a="\\x"} 1\n', // bad escape
      '# HELP m h\n# TYPE m gauge\n9m 1\n', // name
      '# HELP m h\n# TYPE m gauge\nm{a="b",a="c"} 1\n', // duplicate label
      '# HELP m h\n# TYPE m gauge\nm one\n', // value
      'm 1\n# HELP m h\n# TYPE m gauge\n', // TYPE after samples
      '# HELP m h\n# TYPE m counter\nm 1\n', // counter without _total (lint)
    ]) {
      assert.notEqual(promtoolCheck(bad).status, 0, bad);
    }
  });

  test('the reader refuses what promtool lets through but the textfile collector does not', () => {
    for (const bad of [
      '# HELP m h\n# TYPE m gauge\nm{a="b"} 1 1700000000000\n', // timestamp
      '# HELP m h\n# TYPE m gauge\nm 1\nm 2\n', // duplicate series
      '# HELP m h\n# TYPE m gauge\n# HELP n h\n# TYPE n gauge\nm{a="1"} 1\nn 1\nm{a="2"} 1\n', // not contiguous
    ]) {
      assert.equal(promtoolCheck(bad).status, 0, `promtool accepts ${bad}`);
      assert.throws(() => parseExposition(bad), bad);
    }
  });
});

describe('prometheus format', () => {
  const mixed = report([passing('p.example'), failing('f.example'), unknown('u.example'), warning('w.example')]);

  test('every line is valid exposition; the documented families with their types', () => {
    const families = read(renderPrometheus(mixed));
    assert.deepEqual(
      [...families.values()].map((f) => `${f.name} ${f.type}`),
      [
        'fedcheck_domain_status gauge',
        'fedcheck_rule_status gauge',
        'fedcheck_domains gauge',
        'fedcheck_run_seconds gauge',
        'fedcheck_queries_total counter',
        'fedcheck_dns_messages_total counter',
        'fedcheck_last_run_timestamp_seconds gauge',
        'fedcheck_build_info gauge',
      ],
    );
  });

  test('fedcheck_domain_status is a state set: four series per domain, exactly one is 1', () => {
    const f = read(renderPrometheus(mixed)).get('fedcheck_domain_status')!;
    assert.equal(f.samples.length, 4 * mixed.domains.length);
    for (const d of mixed.domains) {
      const mine = f.samples.filter((s) => s.labels.domain === d.domain);
      assert.deepEqual(mine.map((s) => s.labels.status).sort(), ['fail', 'pass', 'unknown', 'warn']);
      assert.deepEqual(mine.filter((s) => s.value === 1).map((s) => s.labels.status), [d.status]);
      assert.equal(mine.filter((s) => s.value === 0).length, 3);
    }
  });

  test('fedcheck_rule_status: one series per (domain, rule), the worst status as 0/1/2/3', () => {
    const f = read(renderPrometheus(mixed)).get('fedcheck_rule_status')!;
    for (const d of mixed.domains) {
      const rules = [...new Set(d.findings.map((x) => x.rule))];
      assert.deepEqual(f.samples.filter((s) => s.labels.domain === d.domain).map((s) => s.labels.rule), rules);
    }
    assert.equal(value(f, { domain: 'p.example', rule: 'sipfed-srv' }), 0);
    assert.equal(value(f, { domain: 'p.example', rule: 'xmpp-srv' }), 0, 'info counts as pass');
    assert.equal(value(f, { domain: 'w.example', rule: 'sipfed-target-domain' }), 1);
    assert.equal(value(f, { domain: 'f.example', rule: 'push-srv' }), 2);
    assert.equal(value(f, { domain: 'u.example', rule: 'sipfed-srv' }), 3);
  });

  test('run metrics: domains by status, seconds, queries by result, messages, last run, version', () => {
    const families = read(renderPrometheus(mixed));
    for (const status of ['pass', 'warn', 'fail', 'unknown'] as const) {
      assert.equal(value(families.get('fedcheck_domains'), { status }), mixed.summary[status]);
    }
    assert.equal(value(families.get('fedcheck_run_seconds'), {}), 1.25);
    const queries = families.get('fedcheck_queries_total')!;
    assert.deepEqual(queries.samples.map((s) => s.labels.result), Object.keys(mixed.queries.outcomes));
    assert.equal(value(queries, { result: 'response' }), 9);
    assert.equal(value(queries, { result: 'timeout' }), 1);
    assert.equal(value(families.get('fedcheck_dns_messages_total'), { transport: 'udp' }), 11);
    assert.equal(value(families.get('fedcheck_dns_messages_total'), { transport: 'tcp' }), 1);
    assert.equal(value(families.get('fedcheck_last_run_timestamp_seconds'), {}), Date.parse(mixed.startedAt) / 1000 + 1.25);
    assert.equal(value(families.get('fedcheck_build_info'), { version: '0.0.0-test' }), 1);
  });

  test('label values: \\\\, \\" and \\n escaped; other control characters shown as \\xNN', () => {
    assert.equal(labelValue('plain.example'), 'plain.example');
    assert.equal(labelValue('a"b'), 'a\\"b');
    assert.equal(labelValue('a\nb'), 'a\\nb');
    // A backslash is doubled before the format's escaping, so \xNN stays unambiguous.
    assert.equal(labelValue('a\\b'), 'a\\\\\\\\b');
    assert.equal(labelValue('a\u001b[31m\u009bb'), 'a\\\\x1b[31m\\\\x9bb');
    const hostile = 'x\u001b[31m"\\\n.evil.example';
    const families = read(renderPrometheus(report([{ ...failing('f.example'), domain: hostile }])));
    const labels = families.get('fedcheck_domain_status')!.samples.map((s) => s.labels.domain);
    assert.deepEqual([...new Set(labels)], ['x\\x1b[31m"\\\\\n.evil.example']);
  });

  test('--since adds fedcheck_changes{kind}, every kind, as a gauge', () => {
    const before = report([passing('a.example'), failing('b.example')]);
    const after = report([failing('a.example'), passing('b.example')]);
    const changes = diffReports(parsePreviousReport(renderJson(before), 'p'), after);
    const f = read(renderPrometheus({ ...after, changes })).get('fedcheck_changes')!;
    assert.equal(f.type, 'gauge');
    assert.deepEqual(f.samples.map((s) => s.labels.kind), [...CHANGE_KINDS]);
    assert.equal(value(f, { kind: 'newly-failing' }), 1);
    assert.equal(value(f, { kind: 'recovered' }), 1);
    assert.equal(value(f, { kind: 'removed' }), 0);
    assert.equal(read(renderPrometheus(after)).get('fedcheck_changes'), undefined, 'only with --since');
  });

  test('--quiet does not apply: a missing series would look like a vanished domain', () => {
    const allPass = report([passing('a.example')]);
    assert.equal(render('prometheus', allPass, { quiet: true }), renderPrometheus(allPass));
  });
});
