import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { escapeJsonText } from '../../src/escape.js';
import { JsonWriter, renderJson } from '../../src/report/json.js';
import { render } from '../../src/report/render.js';
import { RULE_IDS } from '../../src/rules/catalogue.js';
import { rr } from '../lookup/fake-dns.js';
import { GOOD_SIP, GOOD_XMPP, SIP, XMPP } from '../rules/scenarios.js';
import { textToWire } from '../../src/dns/name-text.js';
import { expectedJson, report, result } from './fixture.js';

const STATUSES = ['pass', 'info', 'warn', 'fail', 'unknown'];

describe('renderJson', () => {
  test('parses, and has the fixed keys of schema fedcheck/1', async () => {
    const run = report([await result([...GOOD_SIP, ...GOOD_XMPP], {}, 'good.example'), await result([], { xmpp: 'off' }, 'bad.example')]);
    const text = renderJson(run);
    assert.ok(text.endsWith('}\n'));
    const parsed = JSON.parse(text) as Record<string, unknown>;
    assert.equal(parsed.schema, 'fedcheck/1');
    assert.deepEqual(parsed.resolvers, ['127.0.0.1:5300']);
    const summary = parsed.summary as Record<string, unknown>;
    for (const key of ['pass', 'warn', 'fail', 'unknown']) assert.equal(typeof summary[key], 'number', `summary.${key}`);
    assert.deepEqual([summary.pass, summary.fail], [1, 1]);
    const domains = parsed.domains as Record<string, unknown>[];
    assert.deepEqual(domains.map((d) => [d.domain, d.status]), [['good.example', 'pass'], ['bad.example', 'fail']]);
    for (const d of domains) {
      assert.ok(Array.isArray(d.findings) && d.findings.length > 0);
      assert.equal(typeof d.records, 'object');
      for (const f of d.findings as Record<string, unknown>[]) {
        assert.ok(RULE_IDS.includes(f.rule as (typeof RULE_IDS)[number]), String(f.rule));
        assert.ok(STATUSES.includes(f.status as string));
        assert.equal(typeof f.message, 'string');
        if (f.status === 'pass' || f.status === 'info') {
          assert.ok(!('breaks' in f) && !('source' in f), `${String(f.rule)}: a holding finding has no breaks/source`);
        } else {
          assert.equal(typeof f.breaks, 'string');
          assert.equal(typeof (f.source as { url?: unknown }).url, 'string');
        }
      }
    }
    assert.deepEqual(Object.keys((domains[0]!.records as object)), ['sipfederationtls', 'xmppServer']);
    assert.equal((domains[1]!.records as { xmppServer: unknown }).xmppServer, null);
  });

  test('round-trips: the parsed output equals the report', async () => {
    const run = report([await result(GOOD_SIP)]);
    assert.deepEqual(JSON.parse(renderJson(run)), JSON.parse(JSON.stringify(run)));
  });

  test('control characters from DNS (C0, DEL, C1) are escaped in the text and intact after parsing', async () => {
    const target = 'a\u001b[2J\u007f\u009b31m.contoso.example';
    const run = report([await result([rr.srv(SIP, 0, 0, 5061, target)])]);
    const text = renderJson(run);
    assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    const parsed = JSON.parse(text) as { domains: { records: { sipfederationtls: { srv: { target: string }[] } } }[] };
    assert.equal(parsed.domains[0]?.records.sipfederationtls.srv[0]?.target, target);
  });

  test('the text is exactly the report indented by 2, each domain one compact line, and a newline, for 0, 1 and many domains (pieces of 8)', async () => {
    const good = await result([...GOOD_SIP, ...GOOD_XMPP]);
    const bad = await result([]);
    for (const count of [0, 1, 7, 8, 9, 17]) {
      const run = report(Array.from({ length: count }, (_, i) => (i % 3 === 0 ? bad : good)));
      const text = renderJson(run);
      assert.equal(text, expectedJson(run), `${count} domains`);
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(run)));
      // Each domain is one line of its own, which parses alone.
      const lines = text.split('\n');
      if (count === 0) {
        assert.ok(lines.includes('  "domains": [],'));
        continue;
      }
      const open = lines.indexOf('  "domains": [');
      assert.ok(open > 0);
      const domainLines = lines.slice(open + 1, open + 1 + count).map((line) => JSON.parse(line.trim().replace(/,$/, '')) as { domain: string });
      assert.deepEqual(domainLines.map((d) => d.domain), run.domains.map((d) => d.domain));
      assert.equal(lines[open + 1 + count], '  ],');
    }
  });

  test('written as the run goes (JsonWriter): domains finishing in any order give the same text as the whole report', async () => {
    const domains = [await result([...GOOD_SIP, ...GOOD_XMPP]), await result([]), await result(GOOD_SIP)];
    for (const count of [0, 1, 2, 11, 200]) {
      const many = Array.from({ length: count }, (_, i) => domains[i % 3]!);
      const full = report(many);
      const { domains: _all, seconds: _s, summary: _c, queries: _q, ...head } = full;
      // Finishing order: the last first, then the rest from the middle outwards, so that most wait for an earlier one.
      const order = count === 0 ? [] : [count - 1, ...Array.from({ length: count - 1 }, (_, i) => (i + Math.floor(count / 2)) % (count - 1))];
      assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: count }, (_, i) => i));
      for (const quiet of [false, true]) {
        const pieces: string[] = [];
        const writer = new JsonWriter((t) => void pieces.push(typeof t === 'string' ? t : Buffer.from(t).toString('utf8')), { quiet });
        writer.start(head);
        for (const index of order) writer.add(many[index]!, index);
        writer.finish({ ...full, domains: [] });
        // What the whole report is, made without the writer: JSON.stringify of the domains --quiet keeps.
        const kept = quiet ? many.filter((d) => d.status !== 'pass') : many;
        const expected = quiet && kept.length === 0 ? '' : expectedJson({ ...full, domains: kept });
        assert.equal(pieces.join(''), expected, `${count} domains, quiet ${quiet}`);
        assert.equal(render('json', full, { quiet }), expected, `render: ${count} domains, quiet ${quiet}`);
        if (count === 200 && !quiet) assert.ok(pieces.length > 2, 'written in pieces, not at the end at once');
      }
    }
  });

  test('JsonWriter with --quiet and every domain passing writes nothing at all', async () => {
    const good = await result([...GOOD_SIP, ...GOOD_XMPP]);
    const full = report([good, good, good]);
    const { domains: _all, seconds: _s, summary: _c, queries: _q, ...head } = full;
    const pieces: string[] = [];
    const writer = new JsonWriter((t) => void pieces.push(typeof t === 'string' ? t : Buffer.from(t).toString('utf8')), { quiet: true });
    writer.start(head);
    for (let i = 0; i < 3; i += 1) writer.add(good, i);
    writer.finish({ ...full, domains: [] });
    assert.deepEqual(pieces, []);
  });

  test('JsonWriter says so when a domain never finished, or when the report does not begin with the head it started with', async () => {
    const good = await result([...GOOD_SIP, ...GOOD_XMPP]);
    const full = report([good, good]);
    const { domains: _all, seconds: _s, summary: _c, queries: _q, ...head } = full;
    const gap = new JsonWriter(() => undefined, { quiet: false });
    gap.start(head);
    gap.add(good, 1);
    assert.throws(() => gap.finish({ ...full, domains: [] }), /domain 0 did not/);
    const other = new JsonWriter(() => undefined, { quiet: false });
    other.start({ ...head, resolvers: ['192.0.2.1:53'] });
    other.add(good, 0);
    other.add(good, 1);
    assert.throws(() => other.finish({ ...full, domains: [] }), /does not begin with/);
  });

  test('names from DNS in presentation form: valid JSON, and the parsed text is the name, to the octet', async () => {
    const sip = 'sip\\255x.contoso.example';
    const xmpp = 'a\\.b.contoso.example';
    const records = [rr.srv(SIP, 0, 0, 5061, sip), rr.a(sip, '192.0.2.10'), rr.srv(XMPP, 0, 0, 5269, xmpp), rr.a(xmpp, '192.0.2.11')];
    const text = renderJson(report([await result(records)]));
    assert.ok(text.includes('"sip\\\\255x.contoso.example"') && text.includes('"a\\\\.b.contoso.example"'), 'one JSON escape on the backslash, nothing more');
    const parsed = JSON.parse(text) as { domains: { status: string; findings: { rule: string; name: string }[] }[] };
    assert.equal(parsed.domains[0]!.status, 'pass');
    const names = new Set(parsed.domains[0]!.findings.filter((f) => /target-address$/.test(f.rule)).map((f) => f.name));
    assert.deepEqual([...names].sort(), [xmpp, sip]);
    const wire = (name: string): string => {
      const w = textToWire(name);
      return w.ok ? w.value.toString('hex') : w.error;
    };
    assert.equal(wire(sip), '05736970ff7807636f6e746f736f076578616d706c6500');
    assert.equal(wire(xmpp), '03612e6207636f6e746f736f076578616d706c6500');
  });

  test('escapeJsonText: DEL and every C1 character are escaped, alone or among other non-ASCII text; nothing else changes', () => {
    for (let code = 0x7f; code <= 0x9f; code += 1) {
      const c = String.fromCharCode(code);
      const hex = code.toString(16).padStart(4, '0');
      assert.equal(escapeJsonText(`a${c}b`), `a\\u${hex}b`);
      assert.equal(escapeJsonText(`é${c}🙂`), `é\\u${hex}🙂`);
    }
    for (const plain of ['', 'plain ascii {"a": 1}', 'tilde ~ and space', 'é ü ÿ \u00a0 (Latin-1 above C1)', '🙂 and \ud800 alone']) assert.equal(escapeJsonText(plain), plain);
  });
});
