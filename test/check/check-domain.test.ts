import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { checkDomain, checkDomains, judge, isProblem, type DomainSpec } from '../../src/check/check-domain.js';
import { serviceRecord } from '../../src/check/records.js';
import { LookupCache } from '../../src/lookup/cache.js';
import { resolveService } from '../../src/lookup/service.js';
import { CATALOGUE } from '../../src/rules/catalogue.js';
import { DEFAULT_EXPECTATIONS, type DomainExpectations } from '../../src/rules/types.js';
import { rr, zone } from '../lookup/fake-dns.js';
import { D, EDGE, GOOD_SIP, GOOD_XMPP, observe, SIP, XEDGE, XMPP } from '../rules/scenarios.js';

const spec = (expect: Partial<DomainExpectations> = {}): DomainSpec => ({ domain: D, input: 'Contoso.Example.', expectations: { ...DEFAULT_EXPECTATIONS, ...expect } });

async function judged(records: Parameters<typeof observe>[0], expect: Partial<DomainExpectations> = {}) {
  const { observation } = await observe(records, expect);
  return judge(spec(expect), observation);
}

describe('judge', () => {
  const cases: [string, Parameters<typeof observe>[0], Partial<DomainExpectations>, string][] = [
    ['conformant → pass', [...GOOD_SIP, ...GOOD_XMPP], {}, 'pass'],
    ['XMPP optional and absent (info) → pass', GOOD_SIP, {}, 'pass'],
    ['target AAAA only → warn', [rr.srv(SIP, 0, 0, 5061, EDGE), rr.aaaa(EDGE, '2001:db8::1')], {}, 'warn'],
    ['federation SRV absent → fail', [], {}, 'fail'],
    ['absent with discovery and mobility off → pass (info)', [], { mobility: false, discovery: false }, 'pass'],
    ['XMPP required and absent → fail', GOOD_SIP, { xmpp: 'required' }, 'fail'],
  ];
  for (const [title, records, expect, status] of cases) {
    test(title, async () => assert.equal((await judged(records, expect)).status, status));
  }

  test('a lookup error makes the domain unknown, not fail', async () => {
    const { observation } = await observe(GOOD_SIP, {}, { failures: { [`${SIP} SRV`]: { kind: 'failure', reason: 'timeout', detail: 'timeout after 3 tries to 127.0.0.1:5300', tries: 3 } } });
    assert.equal(judge(spec(), observation).status, 'unknown');
  });

  test('findings that do not hold carry what breaks, with D replaced by the domain, and the catalogue source', async () => {
    const result = await judged([]);
    assert.ok(result.findings.some((f) => f.status === 'fail'));
    for (const f of result.findings) {
      if (!isProblem(f)) {
        assert.ok(!Object.hasOwn(f, 'breaks') && !Object.hasOwn(f, 'source'), `${f.rule}: a holding finding carries neither`);
        continue;
      }
      assert.equal(f.source, CATALOGUE[f.rule].source, f.rule);
      assert.doesNotMatch(f.breaks, /\bD\b/, `${f.rule}: no bare D left`);
      assert.equal(f.breaks, CATALOGUE[f.rule].breaks.split(/\bD\b/).join(D), f.rule);
    }
    const push = result.findings.find((f) => f.rule === 'push-srv');
    assert.ok(push !== undefined && push.status === 'fail');
    assert.match(push.breaks, /contoso\.example's Lync Mobile users/);
  });

  test('passing findings leave out breaks and source, and the core rules leave out their facts too (the records say what was found); the others keep their facts', async () => {
    const result = await judged([...GOOD_SIP, ...GOOD_XMPP]);
    assert.equal(result.status, 'pass');
    for (const f of result.findings) assert.deepEqual(Object.keys(f), f.status === 'pass' ? ['rule', 'status', 'name', 'message', 'code'] : ['rule', 'status', 'name', 'message', 'code', 'facts'], f.rule);
    const failing = await judged(GOOD_XMPP);
    const absent = failing.findings.find((f) => f.rule === 'sipfed-srv');
    assert.equal(absent?.status, 'fail');
    assert.ok(absent !== undefined && 'facts' in absent && 'breaks' in absent && 'source' in absent);
  });

  test('the result names the domain, the input as written and the expectations', async () => {
    const result = await judged(GOOD_SIP, { xmpp: 'required' });
    assert.equal(result.domain, D);
    assert.equal(result.input, 'Contoso.Example.');
    assert.deepEqual(result.expectations, { ...DEFAULT_EXPECTATIONS, xmpp: 'required' });
  });

  test('records: the SRV set, each target with A and AAAA (null when not asked), the lookup outcome', async () => {
    const result = await judged([rr.srv(SIP, 10, 20, 5061, EDGE), rr.srv(SIP, 0, 0, 5061, `v6.${D}`), rr.a(EDGE, '192.0.2.10'), rr.aaaa(`v6.${D}`, '2001:db8::6'), ...GOOD_XMPP]);
    const sip = result.records.sipfederationtls;
    assert.equal(sip.name, SIP);
    assert.equal(sip.lookup.result, 'answer');
    assert.equal(sip.lookup.server, '127.0.0.1:5300');
    assert.equal(sip.lookup.transport, 'udp');
    assert.deepEqual(sip.srv, [
      { priority: 10, weight: 20, port: 5061, target: EDGE },
      { priority: 0, weight: 0, port: 5061, target: `v6.${D}` },
    ]);
    assert.deepEqual(
      sip.targets.map((t) => [t.name, t.a, t.aaaa, t.lookup.result]),
      [
        [EDGE, ['192.0.2.10'], null, 'answer'],
        [`v6.${D}`, [], ['2001:db8::6'], 'answer'],
      ],
    );
    assert.equal(result.records.xmppServer?.name, XMPP);
    assert.deepEqual(result.records.xmppServer?.targets.map((t) => t.name), [XEDGE]);
  });

  test('records: xmppServer is null when XMPP is off; an absent SRV is recorded as such', async () => {
    const result = await judged([], { xmpp: 'off' });
    assert.equal(result.records.xmppServer, null);
    assert.deepEqual(result.records.sipfederationtls.lookup.result, 'nxdomain');
    assert.deepEqual(result.records.sipfederationtls.srv, []);
    assert.deepEqual(result.records.sipfederationtls.targets, []);
  });

  test('records: CNAME hops as "from -> to", error detail, and nothing but JSON values', async () => {
    const { lookup } = new LookupCache(
      zone([rr.srv(SIP, 0, 0, 5061, EDGE), rr.cname(EDGE, 'edge.hoster.example'), rr.a('edge.hoster.example', '192.0.2.1')], {
        failures: { [`${XMPP} SRV`]: { kind: 'failure', reason: 'refused', detail: 'REFUSED from 127.0.0.1:5300 (3 tries)', tries: 3 } },
      }),
    );
    const sip = serviceRecord(await resolveService(lookup, SIP));
    assert.deepEqual(sip.targets[0]?.lookup.cname, [`${EDGE} -> edge.hoster.example`]);
    const xmpp = serviceRecord(await resolveService(lookup, XMPP));
    assert.deepEqual(xmpp.lookup, { result: 'error', cname: [], detail: 'REFUSED from 127.0.0.1:5300 (3 tries)' });
    assert.deepEqual(JSON.parse(JSON.stringify(sip)), sip);
  });
});

describe('checkDomain / checkDomains', () => {
  test('checkDomain does not ask for XMPP when it is off', async () => {
    const src = zone(GOOD_SIP);
    const result = await checkDomain(new LookupCache(src).lookup, spec({ xmpp: 'off' }));
    assert.equal(result.status, 'pass');
    assert.equal(src.calls.filter((c) => c.startsWith('_xmpp-server')).length, 0);
  });

  test('checkDomains keeps input order, reports each result once, and shares the cache', async () => {
    const names = ['a.example', 'b.example', 'c.example', 'd.example', 'e.example'];
    // Every domain points at the same shared edge: asked once for the whole run.
    const records = names.flatMap((n) => [rr.srv(`_sipfederationtls._tcp.${n}`, 0, 0, 5061, 'edge.hoster.example')]).concat([rr.a('edge.hoster.example', '192.0.2.1')]);
    const src = zone(records);
    const seen: number[] = [];
    const results = await checkDomains(
      new LookupCache(src).lookup,
      names.map((n, i) => ({ domain: n, input: n, expectations: { ...DEFAULT_EXPECTATIONS, xmpp: i % 2 === 0 ? 'off' : 'optional' } })),
      { concurrency: 2, onResult: (_r, index) => seen.push(index) },
    );
    assert.deepEqual(results.map((r) => r.domain), names);
    assert.deepEqual([...seen].sort(), [0, 1, 2, 3, 4]);
    assert.equal(src.calls.filter((c) => c === 'edge.hoster.example A').length, 1);
    assert.ok(results.every((r) => r.status === 'warn'), 'target outside each domain → warn');
  });

  test('checkDomains with keep false returns nothing but still reports every result', async () => {
    let count = 0;
    const results = await checkDomains(new LookupCache(zone([])).lookup, [spec(), { ...spec(), domain: 'fabrikam.example' }], { concurrency: 1, keep: false, onResult: () => (count += 1) });
    assert.deepEqual(results, []);
    assert.equal(count, 2);
  });
});
