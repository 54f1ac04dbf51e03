import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { EXIT } from '../../src/check/verdict.js';
import { diffReports } from '../../src/report/diff.js';
import { parsePreviousReport } from '../../src/input/previous-report.js';
import { renderJson } from '../../src/report/json.js';
import { NAGIOS_MAX_LONG_LINES, renderNagios } from '../../src/report/nagios.js';
import { render, reportExitCode } from '../../src/report/render.js';
import type { RunReport } from '../../src/report/report.js';
import { domain, failing, HOSTILE, passing, report, unknown, warning } from './output-fixtures.js';

interface Perf {
  readonly label: string;
  readonly value: number;
  readonly uom: string;
  readonly warn: string;
  readonly crit: string;
  readonly min: string;
  readonly max: string;
}

interface PluginOutput {
  readonly service: string;
  readonly state: string;
  readonly text: string;
  readonly perf: readonly Perf[];
  readonly long: readonly string[];
}

// Monitoring-plugins guideline: 'label'=value[UOM];[warn];[crit];[min];[max].
// A label is quoted when it has spaces; it never contains = or '. UOM is one of s, %, B, KB, MB, TB, c or empty.
// Thresholds are ranges: [@][start:][end], start may be ~.
const NUMBER = String.raw`-?(?:\d+(?:\.\d*)?|\.\d+)`;
const RANGE = String.raw`(?:@?(?:(?:${NUMBER}|~):)?(?:${NUMBER})?)`;
const PERF = new RegExp(String.raw`^('[^'=]+'|[^'=\s]+)=(${NUMBER})(s|%|B|KB|MB|TB|c)?(?:;(${RANGE}))?(?:;(${RANGE}))?(?:;(${NUMBER})?)?(?:;(${NUMBER})?)?$`);

/** Parse plugin output strictly by the guideline; throws on anything else. */
function parsePluginOutput(output: string): PluginOutput {
  assert.ok(output.endsWith('\n'), 'ends with a newline');
  const [first, ...long] = output.slice(0, -1).split('\n');
  assert.ok(first !== undefined);
  const bar = first.indexOf('|');
  assert.ok(bar > 0, 'perfdata after |');
  const head = first.slice(0, bar);
  const m = /^(\S+) (OK|WARNING|CRITICAL|UNKNOWN) - (.+) $/.exec(head);
  assert.ok(m, `status part: ${head}`);
  const perf = first
    .slice(bar + 1)
    .trim()
    .split(/ +/)
    .map((token): Perf => {
      const p = PERF.exec(token);
      assert.ok(p, `perfdata token ${token}`);
      return { label: p[1]!, value: Number(p[2]), uom: p[3] ?? '', warn: p[4] ?? '', crit: p[5] ?? '', min: p[6] ?? '', max: p[7] ?? '' };
    });
  for (const line of long) assert.ok(!line.includes('|'), `long output line without |: ${line}`);
  return { service: m[1]!, state: m[2]!, text: m[3]!, perf, long };
}

const STATE_OF_EXIT: Record<number, string> = { [EXIT.ok]: 'OK', [EXIT.warn]: 'WARNING', [EXIT.fail]: 'CRITICAL', [EXIT.unknown]: 'UNKNOWN' };

describe('nagios format', () => {
  test('the status line of the issue: 2 of 7 domains fail', () => {
    const r = report([failing('a.example'), failing('b.example'), ...['c', 'd', 'e', 'f', 'g'].map((n) => passing(`${n}.example`))]);
    const out = parsePluginOutput(renderNagios(r));
    assert.equal(renderNagios(r).split('\n')[0]!.split(' | ')[0], 'FEDCHECK CRITICAL - 2 of 7 domains fail: a.example, b.example');
    assert.equal(out.service, 'FEDCHECK');
    assert.deepEqual(out.long.map((l) => l.split(' - ')[0]), ['a.example: FAIL', 'b.example: FAIL']);
  });

  test('state follows the exit code convention for every mix of verdicts', () => {
    const shapes: [string, RunReport][] = [
      ['OK', report([passing('a.example'), passing('b.example')])],
      ['WARNING', report([passing('a.example'), warning('b.example')])],
      ['UNKNOWN', report([warning('a.example'), unknown('b.example')])],
      ['CRITICAL', report([unknown('a.example'), failing('b.example'), warning('c.example')])],
    ];
    for (const [state, r] of shapes) {
      const out = parsePluginOutput(renderNagios(r));
      assert.equal(out.state, state);
      assert.equal(STATE_OF_EXIT[reportExitCode(r)], state, 'the same as the process exit code');
    }
  });

  test('status text: OK counts passes; otherwise worst first, then the others', () => {
    assert.equal(parsePluginOutput(renderNagios(report([passing('a.example')]))).text, '1 of 1 domain pass');
    const mixed = parsePluginOutput(renderNagios(report([unknown('u.example'), failing('f.example'), warning('w.example'), passing('p.example')])));
    assert.equal(mixed.text, '1 of 4 domains fail: f.example; 1 unknown: u.example; 1 warn: w.example');
  });

  test('at most five names per status on the status line', () => {
    const r = report(Array.from({ length: 8 }, (_, i) => failing(`d${i}.example`)));
    const out = parsePluginOutput(renderNagios(r));
    assert.equal(out.text, '8 of 8 domains fail: d0.example, d1.example, d2.example, d3.example, d4.example and 3 more');
    assert.equal(out.long.length, 8, 'the long output names them all');
  });

  test('long output is capped, and says how many lines it left out', () => {
    const r = report(Array.from({ length: NAGIOS_MAX_LONG_LINES + 25 }, (_, i) => failing(`d${i}.example`)));
    const out = parsePluginOutput(renderNagios(r));
    assert.equal(out.long.length, NAGIOS_MAX_LONG_LINES);
    assert.match(out.long.at(-1)!, new RegExp(`^… 26 more lines not shown`));
    assert.match(out.long[0]!, /^d0\.example: FAIL/);
  });

  test('perfdata: every label, units, thresholds matching the state logic, min and max', () => {
    const r = report([failing('a.example'), warning('b.example'), unknown('c.example'), passing('d.example'), passing('e.example')]);
    const perf = parsePluginOutput(renderNagios(r)).perf;
    assert.deepEqual(
      perf.map((p) => p.label),
      ['domains', 'pass', 'warn', 'fail', 'unknown', 'queries', 'seconds'],
    );
    const byLabel = new Map(perf.map((p) => [p.label, p]));
    assert.deepEqual(
      ['domains', 'pass', 'warn', 'fail', 'unknown'].map((l) => byLabel.get(l)!.value),
      [5, 2, 1, 1, 1],
    );
    assert.equal(byLabel.get('queries')!.value, 12, 'udp + tcp messages');
    assert.equal(byLabel.get('queries')!.uom, 'c');
    assert.equal(byLabel.get('seconds')!.value, 1.25);
    assert.equal(byLabel.get('seconds')!.uom, 's');
    assert.equal(byLabel.get('warn')!.warn, '0');
    assert.equal(byLabel.get('fail')!.crit, '0');
    for (const l of ['pass', 'warn', 'fail', 'unknown']) assert.deepEqual([byLabel.get(l)!.min, byLabel.get(l)!.max], ['0', '5']);
  });

  test('long output: one line per domain that is not pass, its worst finding first', () => {
    const bad = domain('a.example', { srv: [[443, 'edge.other.example']], a: { 'edge.other.example': ['192.0.2.1'] } });
    const out = parsePluginOutput(renderNagios(report([passing('p.example'), bad])));
    assert.equal(out.long.length, 1);
    assert.match(out.long[0]!, /^a\.example: FAIL - sipfed-port: _sipfederationtls\._tcp\.a\.example SRV uses the wrong port .* \(also: sipfed-target-domain\)$/);
  });

  test('names from DNS cannot inject lines, perfdata or terminal controls', () => {
    const evil = domain('a.example', { srv: [[443, HOSTILE]], a: { [HOSTILE]: ['192.0.2.1'] } });
    const text = renderNagios(report([evil]));
    const out = parsePluginOutput(text);
    assert.equal(out.long.length, 1, 'the newline in the name did not start a line');
    assert.equal(out.perf.length, 7, 'the | in the name did not start perfdata');
    assert.doesNotMatch(text.replace(/\n/g, ''), /[\u0000-\u001f\u007f-\u009f]/);
    assert.ok(out.long[0]!.includes('x\\x1b[31m\\x7c<&>'));
  });

  test('--since: the changes follow the long output; still one status line', () => {
    const before = report([passing('a.example'), failing('b.example')]);
    const after = report([failing('a.example'), passing('b.example', '192.0.2.10', 'sip.b.example')]);
    const changes = diffReports(parsePreviousReport(renderJson(before), 'p'), after);
    const out = parsePluginOutput(renderNagios({ ...after, changes }));
    const at = out.long.findIndex((l) => l.startsWith('Changes since 2026-01-02T03:04:05.678Z: 1 newly failing, 1 recovered'));
    assert.equal(at, 1, 'after the one non-pass domain line');
    assert.ok(out.long.includes('  newly failing: a.example (pass → fail)'));
    assert.ok(out.long.includes('  recovered: b.example (fail → pass)'));
  });

  test('--quiet does not silence it: a check always states its result', () => {
    const r = report([passing('a.example')]);
    assert.equal(render('nagios', r, { quiet: true }), renderNagios(r));
    assert.match(render('nagios', r, { quiet: true }), /^FEDCHECK OK - /);
  });
});
