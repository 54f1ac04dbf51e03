/**
 * checkDomains as a fixed set of workers: exactly as many domains in flight
 * as asked (never more, and really that many at once), none left behind.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { checkDomains, type DomainSpec } from '../../../src/check/check-domain.js';
import type { Lookup } from '../../../src/lookup/cache.js';
import { DEFAULT_EXPECTATIONS } from '../../../src/rules/types.js';

const specs = (n: number): DomainSpec[] => Array.from({ length: n }, (_, i) => ({ domain: `d${i}.example`, input: `d${i}.example`, expectations: DEFAULT_EXPECTATIONS }));

describe('checkDomains concurrency', () => {
  for (const concurrency of [1, 3, 64]) {
    test(`concurrency ${concurrency}: at most that many domains in flight; every domain once, in input order`, async () => {
      const inFlight = new Set<string>();
      let most = 0;
      const lookup: Lookup = async (name, type) => {
        const domain = name.replace(/^_[a-z-]+\._tcp\./, '');
        inFlight.add(domain);
        most = Math.max(most, inFlight.size);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight.delete(domain);
        return { kind: 'nxdomain', name, type, chain: [], server: '127.0.0.1:5300', transport: 'udp', authenticated: false };
      };
      const seen: number[] = [];
      const results = await checkDomains(lookup, specs(20), { concurrency, onResult: (_, index) => seen.push(index) });
      assert.ok(most <= concurrency, `${most} domains in flight`);
      assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
      assert.deepEqual(results.map((r) => r.domain), specs(20).map((s) => s.domain));
    });
  }

  for (const concurrency of [2, 5, 64]) {
    test(`concurrency ${concurrency}: that many domains really are in flight at once (a lower bound, no clock)`, async () => {
      const total = 20;
      const want = Math.min(concurrency, total);
      // Every lookup waits at a gate that opens only once `want` different domains are waiting at it. Workers
      // that ran one domain after another could never open it: the event loop would empty with the test
      // pending, and node:test fails such a test. No timer is involved.
      const waiting = new Set<string>();
      let most = 0;
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      let opened = false;
      const lookup: Lookup = async (name, type) => {
        const domain = name.replace(/^_[a-z-]+\._tcp\./, '');
        waiting.add(domain);
        most = Math.max(most, waiting.size);
        if (!opened && waiting.size >= want) {
          opened = true;
          open();
        }
        await gate;
        waiting.delete(domain);
        return { kind: 'nxdomain', name, type, chain: [], server: '127.0.0.1:5300', transport: 'udp', authenticated: false };
      };
      const results = await checkDomains(lookup, specs(total), { concurrency });
      assert.ok(opened, 'the gate opened');
      assert.equal(most, want, `${most} domains waiting at once`);
      assert.equal(results.length, total);
    });
  }

  test('no domains: no work, an empty result', async () => {
    const lookup: Lookup = () => Promise.reject(new Error('not asked'));
    assert.deepEqual(await checkDomains(lookup, [], { concurrency: 8 }), []);
  });
});
