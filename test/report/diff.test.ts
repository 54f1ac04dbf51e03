import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { DomainResult } from '../../src/check/check-domain.js';
import type { HostRecord } from '../../src/check/records.js';
import { CHANGE_KINDS, ChangeTracker, describeChanges, diffReports, nothingChanged } from '../../src/report/diff.js';
import { parsePreviousReport, type ComparableReport } from '../../src/input/previous-report.js';
import { renderJson } from '../../src/report/json.js';
import { render } from '../../src/report/render.js';
import { domain, failing, HOSTILE, passing, report, unknown, warning } from './output-fixtures.js';

/** A report as --since reads it back: through the JSON format. */
const asPrevious = (r: ReturnType<typeof report>): ComparableReport => parsePreviousReport(renderJson(r), 'prev.json');

const kinds = (c: ReturnType<typeof diffReports>): string[] => c.domains.map((d) => `${d.kind} ${d.domain} ${d.from}→${d.to}`);

describe('diffReports: domain verdicts', () => {
  test('identical reports: nothing changed, every count 0', () => {
    const r = report([passing('a.example'), failing('b.example'), unknown('c.example'), warning('d.example')]);
    const c = diffReports(asPrevious(r), r);
    assert.ok(nothingChanged(c.counts));
    assert.deepEqual(Object.keys(c.counts).sort(), [...CHANGE_KINDS].sort());
    assert.deepEqual([c.domains, c.rules, c.records], [[], [], []]);
    assert.equal(c.since, r.startedAt);
  });

  test('every verdict transition gets its kind', () => {
    const before = report([
      passing('to-fail.example'),
      passing('to-unknown.example'),
      passing('to-warn.example'),
      failing('to-pass.example'),
      failing('fail-to-warn.example'),
      unknown('unknown-to-fail.example'),
      failing('fail-to-unknown.example'),
      warning('gone.example'),
    ]);
    const after = report([
      failing('to-fail.example'),
      unknown('to-unknown.example'),
      warning('to-warn.example'),
      passing('to-pass.example'),
      warning('fail-to-warn.example'),
      failing('unknown-to-fail.example'),
      unknown('fail-to-unknown.example'),
      passing('new-pass.example'),
      failing('new-fail.example'),
    ]);
    const c = diffReports(asPrevious(before), after);
    assert.deepEqual(kinds(c), [
      'newly-failing to-fail.example pass→fail',
      'newly-unknown to-unknown.example pass→unknown',
      'newly-warning to-warn.example pass→warn',
      'recovered to-pass.example fail→pass',
      'improved fail-to-warn.example fail→warn',
      'newly-failing unknown-to-fail.example unknown→fail',
      'newly-unknown fail-to-unknown.example fail→unknown',
      'added new-pass.example null→pass',
      'newly-failing new-fail.example null→fail',
      'removed gone.example warn→null',
    ]);
    assert.equal(c.counts['newly-failing'], 3);
    assert.equal(c.counts.removed, 1);
    assert.equal(c.counts.added, 1);
  });

  test('domain names compare case-insensitively', () => {
    const c = diffReports(asPrevious(report([passing('A.Example')])), report([passing('a.example')]));
    assert.ok(nothingChanged(c.counts));
  });

  test('a partial previous report (written with --quiet) does not make passing domains "added"', () => {
    const full = report([passing('a.example'), failing('b.example')]);
    const quiet = JSON.parse(render('json', full, { quiet: true })) as { domains: unknown[]; summary: { domains: number } };
    assert.equal(quiet.domains.length, 1);
    assert.equal(quiet.summary.domains, 2);
    const previous = parsePreviousReport(JSON.stringify(quiet), 'quiet.json');
    const c = diffReports(previous, report([passing('a.example'), passing('b.example'), failing('c.example')]));
    assert.deepEqual(kinds(c), ['recovered b.example fail→pass', 'newly-failing c.example null→fail']);
  });
});

describe('diffReports: rule status changes', () => {
  test('a finding whose status changed, one that appeared and one that disappeared', () => {
    // Before: target outside the domain (warn); after: inside (pass) and XMPP published.
    const before = domain('a.example', { srv: [[5061, 'edge.other.example']], a: { 'edge.other.example': ['192.0.2.1'] } });
    const after = domain('a.example', { srv: [[5061, 'sip.a.example']], a: { 'sip.a.example': ['192.0.2.1'] } }, { srv: [[5269, 'sip.a.example']], a: { 'sip.a.example': ['192.0.2.1'] } });
    const c = diffReports(asPrevious(report([before])), report([after]));
    const rules = c.rules.map((r) => `${r.rule} ${r.name} ${r.from}→${r.to}`).sort();
    assert.ok(rules.includes('sipfed-target-domain sip.a.example null→pass'), rules.join('\n'));
    assert.ok(rules.includes('sipfed-target-domain edge.other.example warn→null'), rules.join('\n'));
    assert.ok(rules.includes('xmpp-srv _xmpp-server._tcp.a.example info→pass'), rules.join('\n'));
    assert.ok(rules.includes('xmpp-port _xmpp-server._tcp.a.example null→pass'), rules.join('\n'));
    assert.equal(c.counts.rule, c.rules.length);
    assert.deepEqual(kinds(c), ['recovered a.example warn→pass']);
  });

  test('a rule id unknown to this version (older or newer report) still compares', () => {
    const prev = JSON.parse(renderJson(report([passing('a.example')]))) as { domains: { findings: { rule: string }[] }[] };
    prev.domains[0]!.findings[0]!.rule = 'retired-rule';
    const c = diffReports(parsePreviousReport(JSON.stringify(prev), 'p'), report([passing('a.example')]));
    assert.ok(c.rules.some((r) => r.rule === 'retired-rule' && r.to === null));
    assert.ok(c.rules.some((r) => r.rule === 'sipfed-srv' && r.from === null && r.to === 'pass'));
  });
});

describe('diffReports: record values', () => {
  test('an SRV target that moved, and an edge address that moved', () => {
    const before = report([passing('a.example', '192.0.2.10', 'sip.a.example'), passing('b.example', '192.0.2.20')]);
    const after = report([passing('a.example', '192.0.2.10', 'edge2.a.example'), passing('b.example', '192.0.2.21')]);
    const c = diffReports(asPrevious(before), after);
    assert.deepEqual(c.records, [
      { domain: 'a.example', name: '_sipfederationtls._tcp.a.example', type: 'SRV', before: ['0 0 5061 sip.a.example'], after: ['0 0 5061 edge2.a.example'] },
      { domain: 'b.example', name: 'sip.b.example', type: 'A', before: ['192.0.2.20'], after: ['192.0.2.21'] },
    ]);
    assert.equal(c.counts.record, 2);
    assert.deepEqual(c.domains, [], 'still passing: no verdict change');
  });

  test('a port change is an SRV value change', () => {
    const c = diffReports(
      asPrevious(report([domain('a.example', { srv: [[5061, 'sip.a.example']], a: { 'sip.a.example': ['192.0.2.1'] } })])),
      report([domain('a.example', { srv: [[443, 'sip.a.example']], a: { 'sip.a.example': ['192.0.2.1'] } })]),
    );
    assert.deepEqual(c.records.map((r) => [r.type, r.before, r.after]), [['SRV', ['0 0 5061 sip.a.example'], ['0 0 443 sip.a.example']]]);
  });

  test('values compare as sets, names case-insensitively, trailing dots ignored', () => {
    const before = domain('a.example', { srv: [[5061, 'SIP.a.example.'], [5061, 'sip2.a.example']], a: { 'SIP.a.example.': ['192.0.2.2', '192.0.2.1'], 'sip2.a.example': ['192.0.2.3'] } });
    const after = domain('a.example', { srv: [[5061, 'sip2.a.example'], [5061, 'sip.a.example']], a: { 'sip.a.example': ['192.0.2.1', '192.0.2.2'], 'sip2.a.example': ['192.0.2.3'] } });
    const c = diffReports(asPrevious(report([before])), report([after]));
    assert.deepEqual(c.records, []);
  });

  test('a record that appeared or vanished is a change; an inconclusive lookup is not', () => {
    const published = passing('a.example');
    const absent = failing('a.example');
    const timedOut = unknown('a.example');
    const appeared = diffReports(asPrevious(report([absent])), report([published]));
    assert.deepEqual(appeared.records.map((r) => [r.type, r.before, r.after]), [['SRV', [], ['0 0 5061 sip.a.example']]]);
    // A timeout is not a moved edge: no record change either way, but the verdict says it.
    const lost = diffReports(asPrevious(report([published])), report([timedOut]));
    assert.deepEqual(lost.records, []);
    assert.deepEqual(kinds(lost), ['newly-unknown a.example pass→unknown']);
    const back = diffReports(asPrevious(report([timedOut])), report([published]));
    assert.deepEqual(back.records, []);
    // A target whose A lookup failed is not compared either.
    const aFailed = domain('a.example', { srv: [[5061, 'sip.a.example']], a: { 'sip.a.example': 'error' } });
    assert.deepEqual(diffReports(asPrevious(report([published])), report([aFailed])).records, []);
  });

  test('AAAA compares only when both runs asked for it', () => {
    const v6 = (address: string) => domain('a.example', { srv: [[5061, 'sip.a.example']], aaaa: { 'sip.a.example': [address] } });
    const c = diffReports(asPrevious(report([v6('2001:db8::1')])), report([v6('2001:db8::2')]));
    assert.deepEqual(c.records.map((r) => [r.name, r.type, r.before, r.after]), [['sip.a.example', 'AAAA', ['2001:db8::1'], ['2001:db8::2']]]);
    // Now A answers, so AAAA was not asked: only the A change is reported.
    const d = diffReports(asPrevious(report([v6('2001:db8::1')])), report([passing('a.example')]));
    assert.deepEqual(d.records.map((r) => [r.type, r.before, r.after]), [['A', [], ['192.0.2.10']]]);
  });

  test('XMPP records are compared too, not when XMPP is off on either side', () => {
    const x = (target: string, xmpp: 'optional' | 'off' = 'optional') =>
      domain('a.example', { srv: [[5061, 'sip.a.example']], a: { 'sip.a.example': ['192.0.2.1'] } }, { srv: [[5269, target]], a: { [target]: ['192.0.2.1'] } }, { xmpp });
    const c = diffReports(asPrevious(report([x('xmpp.a.example')])), report([x('sip.a.example')]));
    assert.deepEqual(c.records.map((r) => [r.name, r.type]), [['_xmpp-server._tcp.a.example', 'SRV']]);
    assert.deepEqual(diffReports(asPrevious(report([x('xmpp.a.example')])), report([x('sip.a.example', 'off')])).records, []);
  });
});

describe('ChangeTracker', () => {
  test('streaming one domain at a time gives what diffReports gives', () => {
    const before = report([passing('a.example'), failing('b.example'), warning('c.example'), passing('d.example')]);
    const after = report([passing('a.example', '192.0.2.99'), passing('b.example'), unknown('e.example')]);
    const whole = diffReports(asPrevious(before), after);
    const tracker = new ChangeTracker(asPrevious(before));
    // In another order, as domains finish.
    const parts = [after.domains[2]!, after.domains[0]!, after.domains[1]!].map((d) => tracker.add(d));
    const end = tracker.finish();
    assert.deepEqual(end.counts, whole.counts);
    assert.deepEqual(end.removed, whole.domains.filter((d) => d.kind === 'removed'));
    assert.deepEqual(parts.flatMap((p) => p.records).length, whole.records.length);
    assert.deepEqual(parts.flatMap((p) => p.rules).length, whole.rules.length);
  });

  test('a domain added twice is compared once', () => {
    const tracker = new ChangeTracker(asPrevious(report([passing('a.example')])));
    assert.equal(tracker.add(failing('a.example')).status?.kind, 'newly-failing');
    assert.equal(tracker.add(failing('a.example')).status, null);
    assert.equal(tracker.finish().counts['newly-failing'], 1);
  });
});

describe('describeChanges', () => {
  test('one heading with counts, one line per change', () => {
    const c = diffReports(asPrevious(report([passing('a.example'), failing('b.example')])), report([failing('a.example'), passing('b.example', '192.0.2.10', 'sip.b.example')]));
    const lines = describeChanges(c);
    assert.match(lines[0]!, /^Changes since 2026-01-02T03:04:05\.678Z: 1 newly failing, 1 recovered, \d+ rule changes, 2 record changes$/);
    assert.ok(lines.includes('  newly failing: a.example (pass → fail)'));
    assert.ok(lines.includes('  recovered: b.example (fail → pass)'));
    assert.ok(lines.includes('  record: _sipfederationtls._tcp.b.example SRV: (none) → 0 0 5061 sip.b.example'));
    assert.ok(lines.includes('  record: _sipfederationtls._tcp.a.example SRV: 0 0 5061 sip.a.example → (none)'));
    assert.equal(lines.length, 1 + c.domains.length + c.rules.length + c.records.length);
  });

  test('names from DNS are shown with control characters escaped', () => {
    const c = diffReports(asPrevious(report([passing('a.example', '192.0.2.1', 'sip.a.example')])), report([passing('a.example', '192.0.2.1', HOSTILE)]));
    const text = describeChanges(c).join('\n');
    assert.doesNotMatch(text.replace(/\n/g, ''), /[\u0000-\u001f\u007f-\u009f]/);
    assert.ok(text.includes('x\\x1b[31m'));
  });
});

describe('diffReports: the records a profile asks for', () => {
  const lookup = { result: 'answer', cname: [], server: '127.0.0.1:53', transport: 'udp' } as const;
  const withProfileRecords = (name: string, cnameTarget: string | null, address: string, role: HostRecord['role'] = 'lyncdiscover'): DomainResult => {
    const base = passing(name);
    return {
      ...base,
      records: {
        ...base.records,
        hosts: [{ name: `lyncdiscover.${name}`, role, a: [address], aaaa: null, lookup }],
        cnames: [{ name: `sip.${name}`, target: cnameTarget, lookup }],
      },
    };
  };

  test('a CNAME target and a host address that moved are record changes; an old report without them gives none', () => {
    const before = report([withProfileRecords('a.example', 'sipdir.online.lync.com', '192.0.2.1')]);
    const after = report([withProfileRecords('a.example', 'sipdir.online.gov.skypeforbusiness.us', '192.0.2.2')]);
    const c = diffReports(asPrevious(before), after);
    assert.deepEqual(
      c.records.map((r) => [r.name, r.type, r.before, r.after]),
      [
        ['lyncdiscover.a.example', 'A', ['192.0.2.1'], ['192.0.2.2']],
        ['sip.a.example', 'CNAME', ['sipdir.online.lync.com'], ['sipdir.online.gov.skypeforbusiness.us']],
      ],
    );
    assert.deepEqual(diffReports(asPrevious(report([passing('a.example')])), after).records, []);
  });

  test('a CNAME that went away is a change to no value; a host under another role is not compared', () => {
    const c = diffReports(asPrevious(report([withProfileRecords('a.example', 'x.example', '192.0.2.1', 'webcon')])), report([withProfileRecords('a.example', null, '192.0.2.9')]));
    assert.deepEqual(c.records.map((r) => [r.name, r.type, r.before, r.after]), [['sip.a.example', 'CNAME', ['x.example'], []]]);
  });
});
