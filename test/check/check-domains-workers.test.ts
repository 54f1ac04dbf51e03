/** checkDomains as a fixed set of workers: never more domains in flight than asked, none left behind. */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { checkDomains, type DomainSpec } from '../../src/check/check-domain.js';
import type { Lookup } from '../../src/lookup/cache.js';
import { DEFAULT_EXPECTATIONS } from '../../src/rules/types.js';

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

  test('no domains: no work, an empty result', async () => {
    const lookup: Lookup = () => Promise.reject(new Error('not asked'));
    assert.deepEqual(await checkDomains(lookup, [], { concurrency: 8 }), []);
  });
});
