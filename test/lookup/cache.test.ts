import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { QueryOutcome } from '../../src/dns/client.js';
import { LookupCache } from '../../src/lookup/cache.js';
import type { QuerySource } from '../../src/lookup/resolve.js';
import { deferred, failure, response, rr, zone } from './fake-dns.js';

describe('LookupCache', () => {
  test('an identical (name, type) is asked once; the second lookup is a hit with the same outcome', async () => {
    const src = zone([rr.a('sip.d.example', '192.0.2.1')]);
    const cache = new LookupCache(src);
    const first = await cache.lookup('sip.d.example', 'A');
    const second = await cache.lookup('sip.d.example', 'A');
    assert.equal(second, first);
    assert.deepEqual(src.calls, ['sip.d.example A']);
    assert.deepEqual({ hits: cache.hits, misses: cache.misses }, { hits: 1, misses: 1 });
  });

  test('names compare case-insensitively, with or without the trailing dot', async () => {
    const src = zone([rr.a('sip.d.example', '192.0.2.1')]);
    const cache = new LookupCache(src);
    await cache.lookup('sip.d.example', 'A');
    await cache.lookup('SIP.D.Example', 'A');
    await cache.lookup('sip.d.example.', 'A');
    assert.equal(src.calls.length, 1);
  });

  test('a different type is a different question', async () => {
    const src = zone([rr.a('sip.d.example', '192.0.2.1')]);
    const cache = new LookupCache(src);
    await cache.lookup('sip.d.example', 'A');
    await cache.lookup('sip.d.example', 'AAAA');
    assert.deepEqual(src.calls, ['sip.d.example A', 'sip.d.example AAAA']);
  });

  test('a lookup in flight is shared: one question however many ask meanwhile', async () => {
    const gate = deferred<QueryOutcome>();
    let calls = 0;
    const src: QuerySource = {
      query: () => {
        calls += 1;
        return gate.promise;
      },
    };
    const cache = new LookupCache(src);
    const pending = [cache.lookup('d.example', 'SRV'), cache.lookup('D.example', 'SRV'), cache.lookup('d.example.', 'SRV')];
    assert.equal(calls, 1, 'only one question before the answer arrives');
    gate.resolve(response([rr.srv('d.example', 0, 0, 5061, 'sip.d.example')]));
    const outcomes = await Promise.all(pending);
    assert.ok(outcomes.every((o) => o === outcomes[0] && o.kind === 'answer'));
    assert.equal(calls, 1);
    assert.deepEqual({ hits: cache.hits, misses: cache.misses }, { hits: 2, misses: 1 });
  });

  test('failures are cached for the run too (a dead server is not asked again and again)', async () => {
    const src = zone([], { failures: { 'd.example SRV': failure('timeout', 'timeout after 3 tries to 127.0.0.1:5300') } });
    const cache = new LookupCache(src);
    const a = await cache.lookup('d.example', 'SRV');
    const b = await cache.lookup('d.example', 'SRV');
    assert.equal(a.kind, 'error');
    assert.equal(b, a);
    assert.equal(src.calls.length, 1);
  });

  test('CNAME following happens inside the cached lookup (the chain is asked once per name and type)', async () => {
    const src = zone([rr.cname('sip.d.example', 'edge.hoster.example'), rr.a('edge.hoster.example', '192.0.2.5')], { followAliases: false });
    const cache = new LookupCache(src);
    const [x, y] = await Promise.all([cache.lookup('sip.d.example', 'A'), cache.lookup('sip.d.example', 'A')]);
    assert.equal(x, y);
    assert.deepEqual(src.calls, ['sip.d.example A', 'edge.hoster.example A']);
  });
});
