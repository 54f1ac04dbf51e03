import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { renderTable } from '../../src/report/table.js';
import { rr } from '../lookup/fake-dns.js';
import { EDGE, GOOD_SIP, GOOD_XMPP, SIP, XMPP } from '../rules/scenarios.js';
import { report, result } from './fixture.js';

// Any raw control character other than the newline between lines.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const EVIL = 'evil\u001b[31m.contoso.example';

describe('renderTable', () => {
  test('one row per domain, then the findings that are not passes, then the summary', async () => {
    const good = await result([...GOOD_SIP, ...GOOD_XMPP], {}, 'good.example');
    const bad = await result([], {}, 'bad.example');
    const out = renderTable(report([good, bad]), { color: false });
    assert.ok(out.includes('good.example') && out.includes('bad.example'));
    assert.match(out, /FAIL/);
    assert.match(out, /push-srv: .*_sipfederationtls\._tcp/);
    assert.match(out, /breaks: .*push notification/);
    assert.match(out, /source: Microsoft/);
    assert.doesNotMatch(out, /sipfed-port/, 'passing findings are not listed');
    assert.match(out, /2 domains: 1 pass, 0 warn, 1 fail, 0 unknown/);
    assert.match(out, /via 127\.0\.0\.1:5300/);
    assert.ok(out.endsWith('\n'));
  });

  test('verbose lists passing findings too', async () => {
    const out = renderTable(report([await result([...GOOD_SIP, ...GOOD_XMPP])]), { color: false, verbose: true });
    assert.match(out, /sipfed-port: Every/);
  });

  test('no ANSI at all when color is false', async () => {
    const domains = [await result([]), await result([rr.srv(SIP, 0, 0, 5061, EDGE), rr.aaaa(EDGE, '2001:db8::1')], {}, 'warn.example')];
    const out = renderTable(report(domains), { color: false });
    assert.ok(!out.includes('\u001b'), JSON.stringify(out));
  });

  test('colour on: statuses are painted', async () => {
    const out = renderTable(report([await result([])]), { color: true });
    assert.ok(out.includes('\u001b[31mFAIL'), 'fail in red');
  });

  test('an ESC sequence from DNS in a finding message is shown escaped, never raw', async () => {
    const domain = await result([rr.srv(SIP, 0, 0, 5061, EVIL)]);
    assert.ok(domain.findings.some((f) => f.message.includes('\u001b[31m')), 'fixture: the message carries the raw sequence');
    for (const color of [false, true]) {
      const out = renderTable(report([domain]), { color });
      assert.ok(!out.includes(EVIL), `color=${color}: raw sequence absent`);
      assert.ok(out.includes('evil\\x1b[31m.contoso.example'), `color=${color}: escaped form shown`);
      if (!color) assert.doesNotMatch(out, RAW_CONTROL);
    }
  });

  test('a hand-made finding message with ESC and C1, a domain and a resolver with control characters: all escaped', async () => {
    const base = await result([]);
    const domain = { ...base, domain: 'x\u009b.example', findings: base.findings.map((f) => ({ ...f, message: `\u001b[31m${f.message}\u009b2J` })) };
    const out = renderTable(report([domain], ['127.0.0.1:53\u001b]0;title\u0007']), { color: false });
    assert.doesNotMatch(out, RAW_CONTROL);
    assert.ok(out.includes('\\x1b[31m'));
    assert.ok(out.includes('\\x9b2J'));
  });

  test('push and XMPP columns say "not checked" when off', async () => {
    const out = renderTable(report([await result(GOOD_SIP, { mobility: false, xmpp: 'off' })]), { color: false });
    const row = out.split('\n').find((line) => line.includes('contoso.example'));
    assert.equal(row?.match(/not checked/g)?.length, 2, row);
  });

  test('names from DNS in RFC 1035 presentation form show as dig shows them (\\DDD, \\.), backslashes not doubled', async () => {
    const sip = 'sip\\255x.contoso.example';
    const xmpp = 'a\\.b.contoso.example';
    const records = [rr.srv(SIP, 0, 0, 5061, sip), rr.a(sip, '192.0.2.10'), rr.srv(XMPP, 0, 0, 5269, xmpp), rr.a(xmpp, '192.0.2.11')];
    const out = renderTable(report([await result(records)]), { color: false, verbose: true });
    assert.match(out, /sipfed-target-address: SRV target sip\\255x\.contoso\.example of /);
    assert.match(out, /xmpp-target-address: SRV target a\\\.b\.contoso\.example of /);
    assert.ok(!out.includes('\\\\'), 'no doubled backslash');
  });
});
