import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { LookupCache } from '../../src/lookup/cache.js';
import { addressRecords, isRootTarget, resolveService, srvRecords } from '../../src/lookup/service.js';
import { failure, response, rr, scripted, zone } from './fake-dns.js';

const OWNER = '_sipfederationtls._tcp.d.example';

describe('resolveService', () => {
  test('asks the SRV, then A of every target; AAAA not asked when A answered', async () => {
    const src = zone([rr.srv(OWNER, 0, 0, 5061, 'sip.d.example'), rr.a('sip.d.example', '192.0.2.1'), rr.aaaa('sip.d.example', '2001:db8::1')]);
    const s = await resolveService(new LookupCache(src).lookup, OWNER);
    assert.equal(s.owner, OWNER);
    assert.deepEqual(src.calls.sort(), [`${OWNER} SRV`, 'sip.d.example A']);
    assert.deepEqual(
      s.targets.map((t) => [t.target, t.a.kind, t.aaaa?.kind ?? 'not asked']),
      [['sip.d.example', 'answer', 'not asked']],
    );
  });

  test("targets '.' are skipped", async () => {
    const src = zone([rr.srv(OWNER, 0, 0, 0, '.')]);
    const s = await resolveService(new LookupCache(src).lookup, OWNER);
    assert.equal(s.srv.kind, 'answer');
    assert.deepEqual(s.targets, []);
    assert.deepEqual(src.calls, [`${OWNER} SRV`]);
  });

  test('duplicate targets (any case) are looked up once, in record order', async () => {
    const src = zone([
      rr.srv(OWNER, 10, 0, 5061, 'b.d.example'),
      rr.srv(OWNER, 0, 0, 5061, 'a.d.example'),
      rr.srv(OWNER, 20, 0, 5061, 'B.D.example'),
      rr.a('a.d.example', '192.0.2.1'),
      rr.a('b.d.example', '192.0.2.2'),
    ]);
    const s = await resolveService(new LookupCache(src).lookup, OWNER);
    assert.deepEqual(s.targets.map((t) => t.target), ['b.d.example', 'a.d.example']);
    assert.equal(src.calls.filter((c) => c.toLowerCase() === 'b.d.example a').length, 1);
  });

  test('AAAA is asked when A is absent (NODATA and NXDOMAIN)', async () => {
    const src = zone([rr.srv(OWNER, 0, 0, 5061, 'v6.d.example'), rr.srv(OWNER, 0, 0, 5061, 'gone.d.example'), rr.aaaa('v6.d.example', '2001:db8::6')]);
    const s = await resolveService(new LookupCache(src).lookup, OWNER);
    assert.deepEqual(
      s.targets.map((t) => [t.target, t.a.kind, t.aaaa?.kind ?? 'not asked']),
      [
        ['v6.d.example', 'nodata', 'answer'],
        ['gone.d.example', 'nxdomain', 'nxdomain'],
      ],
    );
    assert.deepEqual(addressRecords(s.targets[0]?.aaaa).map((r) => r.address), ['2001:db8::6']);
  });

  test('AAAA is not asked when the A lookup failed (it could not change an unknown)', async () => {
    const src = scripted({
      [`${OWNER} SRV`]: response([rr.srv(OWNER, 0, 0, 5061, 'sip.d.example')]),
      'sip.d.example A': failure('timeout', 'timeout after 3 tries to 127.0.0.1:5300'),
    });
    const s = await resolveService(new LookupCache(src).lookup, OWNER);
    assert.deepEqual(s.targets.map((t) => [t.a.kind, t.aaaa]), [['error', undefined]]);
    assert.deepEqual(src.calls, [`${OWNER} SRV`, 'sip.d.example A']);
  });

  test('no targets when the SRV is absent or failed', async () => {
    for (const src of [zone([]), zone([rr.txt(OWNER, 'x')])]) {
      const s = await resolveService(new LookupCache(src).lookup, OWNER);
      assert.deepEqual(s.targets, []);
      assert.equal(src.calls.length, 1);
    }
    // A SERVFAIL is asked once more with CD=1 (is it a validation failure?); it fails again, so it is not.
    const failing = zone([], { failures: { [`${OWNER} SRV`]: failure('servfail', 'SERVFAIL') } });
    const s = await resolveService(new LookupCache(failing).lookup, OWNER);
    assert.deepEqual(s.targets, []);
    assert.deepEqual(failing.calls, [`${OWNER} SRV`, `${OWNER} SRV CD=1`]);
  });

  test('a target shared by two services is asked once per run through the cache', async () => {
    const xmpp = '_xmpp-server._tcp.d.example';
    const src = zone([rr.srv(OWNER, 0, 0, 5061, 'edge.d.example'), rr.srv(xmpp, 0, 0, 5269, 'EDGE.d.example'), rr.a('edge.d.example', '192.0.2.1')]);
    const { lookup } = new LookupCache(src);
    await Promise.all([resolveService(lookup, OWNER), resolveService(lookup, xmpp)]);
    assert.equal(src.calls.filter((c) => c.toLowerCase() === 'edge.d.example a').length, 1);
  });
});

describe('service helpers', () => {
  test("isRootTarget: '.' and '' are the root, anything else is not", () => {
    assert.deepEqual(['.', '', 'a.example', '..'].map(isRootTarget), [true, true, false, false]);
  });

  test('srvRecords / addressRecords are empty unless the outcome is an answer', async () => {
    const none = await new LookupCache(zone([])).lookup('x.example', 'SRV');
    assert.deepEqual(srvRecords(none), []);
    assert.deepEqual(addressRecords(none), []);
    assert.deepEqual(addressRecords(undefined), []);
  });
});
