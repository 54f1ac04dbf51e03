/** The queue that keeps the order of the cache's recent window (src/lookup/cache.ts EntryQueue). */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { EntryQueue } from '../../../src/lookup/cache.js';

describe('EntryQueue', () => {
  test('first in, first out, across its compactions, against a plain array', () => {
    const queue = new EntryQueue<number>();
    const reference: [string, number][] = [];
    let seed = 3;
    const next = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let step = 0; step < 20_000; step += 1) {
      if (next(3) < 2) {
        queue.push(`k${step}`, step);
        reference.push([`k${step}`, step]);
      } else {
        const got = queue.shift();
        const want = reference.shift();
        assert.deepEqual(got === undefined ? undefined : [got.key, got.value], want, `step ${step}`);
      }
      assert.equal(queue.length, reference.length);
    }
  });

  test('retain keeps what it is told to, in order, and the queue goes on from there', () => {
    const queue = new EntryQueue<number>();
    for (let i = 0; i < 100; i += 1) queue.push(`k${i}`, i);
    for (let i = 0; i < 70; i += 1) queue.shift();
    queue.retain((_key, value) => value % 3 === 0);
    assert.equal(queue.length, 10);
    queue.push('last', 1000);
    const out: number[] = [];
    for (let e = queue.shift(); e !== undefined; e = queue.shift()) out.push(e.value);
    assert.deepEqual(out, [72, 75, 78, 81, 84, 87, 90, 93, 96, 99, 1000]);
    assert.equal(queue.shift(), undefined);
  });
});
