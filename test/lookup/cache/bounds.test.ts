/**
 * The per-run cache stays bounded however many domains a run checks (issue
 * 6: 100,000 domains in 250 MB), while names shared by many domains are still
 * asked once.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { LookupCache } from '../../../src/lookup/cache.js';
import { rr, zone } from '../fake-dns.js';

describe('LookupCache bounds', () => {
  test('one-off names leave: the cache never holds more than its two parts', async () => {
    const src = zone([]);
    const cache = new LookupCache(src, { recentEntries: 16, sharedEntries: 8 });
    for (let i = 0; i < 500; i += 1) {
      await cache.lookup(`_sipfederationtls._tcp.d${i}.example`, 'SRV');
      assert.ok(cache.size <= 24, `holds ${cache.size}`);
    }
    assert.equal(cache.misses, 500);
    // The first names left long ago: asked again, they are asked again.
    await cache.lookup('_sipfederationtls._tcp.d0.example', 'SRV');
    assert.equal(cache.misses, 501);
  });

  test('a name every domain uses is asked once, among thousands of one-off names', async () => {
    const src = zone([rr.a('sipfed.hoster.example', '192.0.2.7')]);
    const cache = new LookupCache(src, { recentEntries: 16, sharedEntries: 8 });
    for (let i = 0; i < 2000; i += 1) {
      await cache.lookup(`_sipfederationtls._tcp.tenant${i}.example`, 'SRV');
      const outcome = await cache.lookup('sipfed.hoster.example', 'A');
      assert.equal(outcome.kind, 'answer');
    }
    assert.equal(src.calls.filter((c) => c === 'sipfed.hoster.example A').length, 1);
    assert.equal(cache.hits, 1999);
  });

  test('names used now and then stay while they are used more recently than the shared part is long', async () => {
    const src = zone([]);
    const cache = new LookupCache(src, { recentEntries: 4, sharedEntries: 3 });
    const hot = ['a.example', 'b.example', 'c.example'];
    for (const name of hot) {
      await cache.lookup(name, 'A');
      await cache.lookup(name, 'A');
    }
    for (let round = 0; round < 50; round += 1) {
      for (let i = 0; i < 10; i += 1) await cache.lookup(`once${round}-${i}.example`, 'A');
      for (const name of hot) await cache.lookup(name, 'A');
    }
    for (const name of hot) assert.equal(src.calls.filter((c) => c === `${name} A`).length, 1, name);
  });

  test('the recent part loses its oldest entry first, names that moved to the shared part or came back aside', async () => {
    const src = zone([]);
    const cache = new LookupCache(src, { recentEntries: 4, sharedEntries: 2 });
    const ask = async (name: string): Promise<void> => void (await cache.lookup(name, 'A'));
    const asked = (name: string): number => src.calls.filter((c) => c === `${name} A`).length;
    // r1 and r2 are asked twice (shared), then pushed out of the shared part by s1 and s2.
    for (const name of ['r1', 'r1', 'r2', 'r2', 's1', 's1', 's2', 's2']) await ask(`${name}.example`);
    // r1 comes back as a recent entry, then three more: with r1 the four recent ones.
    for (const name of ['r1', 'n1', 'n2', 'n3']) await ask(`${name}.example`);
    assert.equal(asked('r1.example'), 2);
    // One more: the oldest recent one (r1, though its first entry was older still) leaves, the others stay.
    await ask('n4.example');
    for (const name of ['n1', 'n2', 'n3', 'n4']) {
      await ask(`${name}.example`);
      assert.equal(asked(`${name}.example`), 1, name);
    }
    await ask('r1.example');
    assert.equal(asked('r1.example'), 3);
  });

  test('names each asked twice (each moving to the shared part): 20,000 of them, each asked once, the cache no bigger than its two parts', async () => {
    const src = zone([]);
    const cache = new LookupCache(src, { recentEntries: 16, sharedEntries: 8 });
    for (let i = 0; i < 20_000; i += 1) {
      await cache.lookup(`d${i}.example`, 'A');
      await cache.lookup(`d${i}.example`, 'A');
    }
    assert.ok(cache.size <= 24, `holds ${cache.size}`);
    assert.equal(cache.misses, 20_000);
    // The recent window's order queue forgets the entries that moved (its bound: twice the window, and a margin).
    const queued = (cache as unknown as { readonly recentOrder: { readonly length: number } }).recentOrder.length;
    assert.ok(queued <= 2 * 16 + 64 + 1, `the order queue holds ${queued}`);
  });

  test('a prefetched name used once leaves like any one-off name; used again, it is shared', async () => {
    const src = zone([rr.a('sip.d0.example', '192.0.2.1'), rr.a('sip.hoster.example', '192.0.2.7')]);
    const cache = new LookupCache(src, { recentEntries: 16, sharedEntries: 8 });
    cache.prefetch('sip.d0.example', 'A');
    cache.prefetch('sip.d0.example', 'A');
    const first = await cache.lookup('sip.d0.example', 'A');
    assert.equal(first.kind, 'answer');
    assert.deepEqual({ hits: cache.hits, misses: cache.misses }, { hits: 1, misses: 1 });
    // The use after a prefetch is not a repeat: among 100 one-off names, the name leaves.
    for (let i = 1; i <= 100; i += 1) await cache.lookup(`_sipfederationtls._tcp.d${i}.example`, 'SRV');
    await cache.lookup('sip.d0.example', 'A');
    assert.equal(src.calls.filter((c) => c === 'sip.d0.example A').length, 2);
    // A name prefetched and then used twice is a shared one, and stays.
    cache.prefetch('sip.hoster.example', 'A');
    await cache.lookup('sip.hoster.example', 'A');
    await cache.lookup('sip.hoster.example', 'A');
    for (let i = 101; i <= 200; i += 1) await cache.lookup(`_sipfederationtls._tcp.d${i}.example`, 'SRV');
    await cache.lookup('sip.hoster.example', 'A');
    assert.equal(src.calls.filter((c) => c === 'sip.hoster.example A').length, 1);
  });
});
