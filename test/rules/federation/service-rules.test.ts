import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { Finding } from '../../../src/rules/engine.js';
import { missingDot } from '../../../src/rules/federation/missing-dot.js';
import { srvPresence } from '../../../src/rules/federation/service-rules.js';
import { rr } from '../../lookup/fake-dns.js';
import { D, EDGE, findingsOf, GOOD_SIP, GOOD_XMPP, observe, SERVFAIL, SIP, TIMEOUT, XEDGE, XMPP } from '../scenarios.js';

/** The one finding of `rule` (fails when there is none or several). */
function only(findings: readonly Finding[], rule: Finding['rule']): Finding {
  const matching = findings.filter((f) => f.rule === rule);
  assert.equal(matching.length, 1, `exactly one ${rule} finding, got ${matching.length}`);
  return matching[0]!;
}

describe('presence messages (sipfed-srv, push-srv, xmpp-srv)', () => {
  test("'.' only: sipfed-srv and push-srv fail and say the service is decidedly not available (RFC 2782)", async () => {
    const findings = await findingsOf([rr.srv(SIP, 0, 0, 0, '.')]);
    for (const rule of ['sipfed-srv', 'push-srv'] as const) {
      const f = only(findings, rule);
      assert.equal(f.status, 'fail');
      assert.match(f.message, /decidedly not available/);
      assert.match(f.message, /_sipfederationtls\._tcp\.contoso\.example/);
      assert.equal(f.name, SIP);
    }
  });

  test('NXDOMAIN and NODATA are both absent, and the message says which', async () => {
    const nx = only(await findingsOf([]), 'sipfed-srv');
    const nodata = only(await findingsOf([rr.txt(SIP, 'x')]), 'sipfed-srv');
    assert.deepEqual([nx.status, nodata.status], ['fail', 'fail']);
    assert.match(nx.message, /NXDOMAIN/);
    assert.doesNotMatch(nx.message, /NODATA/);
    assert.match(nodata.message, /NODATA/);
    assert.match(nodata.message, /no SRV records/);
    assert.doesNotMatch(nodata.message, /NXDOMAIN/);
  });

  test('push-srv fail names the clearinghouse and the domain; one sentence', async () => {
    const f = only(await findingsOf([]), 'push-srv');
    assert.match(f.message, /push notification clearinghouse cannot reach contoso\.example/);
    assert.match(f.message, /\.$/);
    assert.doesNotMatch(f.message, /\.\./);
  });

  test('lookup error → unknown with the reason, for every presence rule; never fail', async () => {
    const findings = await findingsOf(GOOD_SIP, { xmpp: 'required' }, { failures: { [`${SIP} SRV`]: { kind: 'failure', reason: 'servfail', detail: SERVFAIL, tries: 3 }, [`${XMPP} SRV`]: { kind: 'failure', reason: 'timeout', detail: TIMEOUT, tries: 3 } } });
    for (const [rule, detail] of [['sipfed-srv', SERVFAIL], ['push-srv', SERVFAIL], ['xmpp-srv', TIMEOUT]] as const) {
      const f = only(findings, rule);
      assert.equal(f.status, 'unknown', rule);
      assert.equal(f.reason, detail, rule);
      assert.ok(f.message.includes(detail), `${rule} message names the reason: ${f.message}`);
    }
    assert.equal(findings.filter((f) => f.status === 'fail').length, 0);
  });

  test('a passing presence finding lists the usable records, not the "." one', async () => {
    const f = only(await findingsOf([...GOOD_SIP, rr.srv(SIP, 5, 0, 5061, '.')]), 'sipfed-srv');
    assert.equal(f.status, 'pass');
    assert.match(f.message, /1 SRV record: 0 0 5061 sip\.contoso\.example/);
  });

  test('xmpp-srv: required absent → fail, optional absent → info; both name the record', async () => {
    const required = only(await findingsOf(GOOD_SIP, { xmpp: 'required' }), 'xmpp-srv');
    const optional = only(await findingsOf(GOOD_SIP, { xmpp: 'optional' }), 'xmpp-srv');
    assert.deepEqual([required.status, optional.status], ['fail', 'info']);
    for (const f of [required, optional]) assert.match(f.message, /_xmpp-server\._tcp\.contoso\.example/);
  });

  test('srvPresence classifies usable / root-only / absent / error', async () => {
    const state = async (records: Parameters<typeof observe>[0], failures = {}) => srvPresence((await observe(records, {}, { failures })).observation.sipfed).state;
    assert.deepEqual(
      [await state(GOOD_SIP), await state([rr.srv(SIP, 0, 0, 0, '.')]), await state([]), await state([], { [`${SIP} SRV`]: { kind: 'failure', reason: 'refused', detail: 'REFUSED', tries: 1 } })],
      ['usable', 'root-only', 'absent', 'error'],
    );
  });
});

describe('record messages', () => {
  test('wrong port: names the target and the port, and says 5061', async () => {
    const f = only(await findingsOf([rr.srv(SIP, 0, 0, 5060, EDGE), rr.a(EDGE, '192.0.2.10')]), 'sipfed-port');
    assert.equal(f.status, 'fail');
    assert.match(f.message, /sip\.contoso\.example port 5060/);
    assert.match(f.message, /must be 5061/);
  });

  test('XMPP wrong port says 5269', async () => {
    const f = only(await findingsOf([...GOOD_SIP, rr.srv(XMPP, 0, 0, 5222, XEDGE), rr.a(XEDGE, '192.0.2.11')]), 'xmpp-port');
    assert.equal(f.status, 'fail');
    assert.match(f.message, /port 5222.*must be 5269/);
  });

  test("no port finding when there is no usable SRV ('.' only or absent)", async () => {
    for (const records of [[], [rr.srv(SIP, 0, 0, 0, '.')]]) {
      assert.equal((await findingsOf(records)).filter((f) => f.rule === 'sipfed-port').length, 0);
    }
  });

  test('AAAA-only target → warn naming the AAAA address and IPv4-only partners', async () => {
    const f = only(await findingsOf([rr.srv(SIP, 0, 0, 5061, EDGE), rr.aaaa(EDGE, '2001:db8::10')]), 'sipfed-target-address');
    assert.equal(f.status, 'warn');
    assert.equal(f.name, EDGE);
    assert.match(f.message, /only AAAA 2001:db8::10/);
    assert.match(f.message, /IPv4-only/);
  });

  test('absent target → fail, and the message says NXDOMAIN or NODATA', async () => {
    const nx = only(await findingsOf([rr.srv(SIP, 0, 0, 5061, EDGE)]), 'sipfed-target-address');
    const nodata = only(await findingsOf([rr.srv(SIP, 0, 0, 5061, EDGE), rr.txt(EDGE, 'x')]), 'sipfed-target-address');
    assert.deepEqual([nx.status, nodata.status], ['fail', 'fail']);
    assert.match(nx.message, /sip\.contoso\.example.*NXDOMAIN/);
    assert.match(nodata.message, /no A records \(NODATA\)/);
  });

  test('target A error → unknown with the reason (not fail), AAAA error likewise', async () => {
    const a = only(await findingsOf(GOOD_SIP, {}, { failures: { [`${EDGE} A`]: { kind: 'failure', reason: 'timeout', detail: TIMEOUT, tries: 3 } } }), 'sipfed-target-address');
    assert.deepEqual([a.status, a.reason], ['unknown', TIMEOUT]);
    assert.ok(a.message.includes(TIMEOUT));
    const aaaa = only(await findingsOf([rr.srv(SIP, 0, 0, 5061, EDGE), rr.txt(EDGE, 'x')], {}, { failures: { [`${EDGE} AAAA`]: { kind: 'failure', reason: 'servfail', detail: SERVFAIL, tries: 3 } } }), 'sipfed-target-address');
    assert.deepEqual([aaaa.status, aaaa.reason], ['unknown', SERVFAIL]);
  });

  test('CNAME target → warn showing the alias path; the address finding says "via CNAME"', async () => {
    const findings = await findingsOf([rr.srv(SIP, 0, 0, 5061, EDGE), rr.cname(EDGE, `edge1.${D}`), rr.a(`edge1.${D}`, '192.0.2.10')]);
    const alias = only(findings, 'sipfed-target-alias');
    assert.equal(alias.status, 'warn');
    assert.match(alias.message, /CNAME sip\.contoso\.example → edge1\.contoso\.example/);
    assert.match(only(findings, 'sipfed-target-address').message, /via CNAME edge1\.contoso\.example/);
  });

  test('target outside D → warn naming the target and D', async () => {
    const f = only(await findingsOf([rr.srv(SIP, 0, 0, 5061, 'edge.hoster.example'), rr.a('edge.hoster.example', '192.0.2.20')]), 'sipfed-target-domain');
    assert.equal(f.status, 'warn');
    assert.match(f.message, /edge\.hoster\.example.*outside contoso\.example/);
  });

  test('findings about targets name the target; about SRV sets, the owner', async () => {
    const findings = await findingsOf([...GOOD_SIP, ...GOOD_XMPP]);
    for (const f of findings) {
      const expected = /target/.test(f.rule) ? (f.rule.startsWith('xmpp') ? XEDGE : EDGE) : f.rule.startsWith('xmpp') ? XMPP : SIP;
      assert.equal(f.name, expected, f.rule);
      assert.ok(f.message.length > 0 && !f.message.includes('\n'), `${f.rule}: one line`);
    }
  });
});

describe('missing trailing dot hint', () => {
  const cases: [string, boolean][] = [
    ['sip.contoso.example.contoso.example', true],
    ['SIP.Contoso.Example.contoso.example', true],
    ['edge.a.b.c.a.b.c', true],
    ['sip.contoso.example', false],
    ['example.example', false],
    ['contoso.example.example', false],
    ['.', false],
    // Labels are split at label boundaries: `sip\.x` is one label.
    ['sip\\.x.contoso.example.contoso.example', true],
    ['contoso\\.example.contoso.example', false],
  ];
  for (const [target, hinted] of cases) {
    test(`${target} → ${hinted ? 'hint' : 'no hint'}`, () => assert.equal(missingDot(target) !== undefined, hinted));
  }

  test('an absent target whose name repeats the origin: the fail message suggests the missing dot', async () => {
    const target = `sip.${D}.${D}`;
    const f = only(await findingsOf([rr.srv(SIP, 0, 0, 5061, target)]), 'sipfed-target-address');
    assert.equal(f.status, 'fail');
    assert.match(f.message, /probably sip\.contoso\.example\. written in the zone file without its trailing dot, so the origin contoso\.example was appended/);
    assert.match(f.message, /\.$/);
    const plain = only(await findingsOf([rr.srv(SIP, 0, 0, 5061, EDGE)]), 'sipfed-target-address');
    assert.doesNotMatch(plain.message, /trailing dot/);
  });
});

describe('targets holding a dot inside a label (from DNS as `\\.`)', () => {
  test('evil\\.contoso.example is one label under example, not a name in contoso.example: sipfed-target-domain warns', async () => {
    const target = `evil\\.${D}`;
    const findings = await findingsOf([rr.srv(SIP, 0, 0, 5061, target), rr.a(target, '192.0.2.10'), ...GOOD_XMPP]);
    const f = only(findings, 'sipfed-target-domain');
    assert.equal(f.status, 'warn');
    assert.equal(f.name, target);
    assert.equal(only(findings, 'sipfed-target-address').status, 'pass');
  });

  test('a\\\\.contoso.example (a label ending in a backslash) does lie in contoso.example', async () => {
    const target = `a\\\\.${D}`;
    const findings = await findingsOf([rr.srv(SIP, 0, 0, 5061, target), rr.a(target, '192.0.2.10'), ...GOOD_XMPP]);
    assert.equal(only(findings, 'sipfed-target-domain').status, 'pass');
  });
});
