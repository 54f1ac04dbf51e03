/**
 * The send pacer of --rate on a fake clock: no one-second window ever holds
 * more than N sends, a long run takes about Q / N, and the meter counts the
 * busiest second. The clock is driven by hand: nothing here is timed.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { AdaptiveRate, SendPacer } from '../../src/dns/rate-limit.js';

/** Send `total` queries as fast as the pacer lets them, on a fake clock; return the send times. */
function drive(pacer: SendPacer, clock: { now: number }, total: number): number[] {
  const times: number[] = [];
  while (times.length < total) {
    const wait = pacer.delayMs();
    if (wait > 0) {
      // A timer waits at least a little (setTimeout: a millisecond); a rounding error must not stall the loop.
      clock.now += Math.max(wait, 0.001);
      continue;
    }
    pacer.take();
    times.push(clock.now);
  }
  return times;
}

/** The most sends within any half-open window [t, t + 1000). */
function busiestSecond(times: readonly number[]): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while (times[end]! - times[start]! >= 1000) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe('SendPacer with a rate', () => {
  for (const rate of [1, 7, 100, 1000, 25_000]) {
    test(`rate ${rate}: never more than ${rate} in any one-second window, and about Q / N in all`, () => {
      const clock = { now: 5000 };
      const pacer = new SendPacer({ perSecond: rate, now: () => clock.now });
      const total = rate * 5 + 3;
      const times = drive(pacer, clock, total);
      assert.ok(busiestSecond(times) <= rate, `busiest second held ${busiestSecond(times)}`);
      const span = (times[times.length - 1]! - times[0]!) / 1000;
      // Q sends at N a second span (Q - 1) / N seconds at least; the bucket's head start is at most a burst.
      assert.ok(span <= (total / rate) * 1.01 + 0.01, `took ${span} s for ${total} at ${rate}/s`);
      assert.ok(span >= (total - Math.max(1, rate / 50) - 1) / rate - 1e-9, `took only ${span} s`);
      assert.equal(pacer.sent, total);
      assert.equal(pacer.peakPerSecond, busiestSecond(times));
    });
  }

  test('sends leave evenly, not as a burst of N then a silent second', () => {
    const clock = { now: 0 };
    const pacer = new SendPacer({ perSecond: 1000, now: () => clock.now });
    const times = drive(pacer, clock, 3000);
    // In any 100 ms after the start, about 100 (the bucket holds 20).
    let most = 0;
    let start = 0;
    for (let end = 0; end < times.length; end += 1) {
      while (times[end]! - times[start]! >= 100) start += 1;
      most = Math.max(most, end - start + 1);
    }
    assert.ok(most <= 121, `${most} sends within 100 ms`);
  });

  test('an idle pause refills only a small bucket: the window stays within N', () => {
    const clock = { now: 0 };
    const pacer = new SendPacer({ perSecond: 200, now: () => clock.now });
    const times = drive(pacer, clock, 150);
    clock.now += 700; // idle
    times.push(...drive(pacer, clock, 400));
    assert.ok(busiestSecond(times) <= 200, `busiest second held ${busiestSecond(times)}`);
  });

  test('acquire: first come, first served, every waiter served', async () => {
    const pacer = new SendPacer({ perSecond: 500 });
    const order: number[] = [];
    await Promise.all(Array.from({ length: 30 }, (_, i) => pacer.acquire().then(() => order.push(i))));
    assert.deepEqual(order, Array.from({ length: 30 }, (_, i) => i));
    assert.equal(pacer.sent, 30);
    pacer.stop();
  });

  test('a rate outside 1 to 1,000,000 is refused', () => {
    for (const bad of [0, -1, 1.5, 2_000_000]) assert.throws(() => new SendPacer({ perSecond: bad }), RangeError);
  });
});

describe('SendPacer without a rate', () => {
  test('never waits, and counts the busiest second', () => {
    const clock = { now: 0 };
    const pacer = new SendPacer({ now: () => clock.now });
    assert.equal(pacer.limited, false);
    for (let i = 0; i < 3000; i += 1) {
      assert.equal(pacer.delayMs(), 0);
      pacer.take();
      clock.now += i < 2000 ? 0.25 : 2; // 2,000 in half a second, then 500 a second
    }
    assert.equal(pacer.sent, 3000);
    // 2,000 in the first 0.5 s, plus the first 250 of the slower ones within the same second.
    assert.equal(pacer.peakPerSecond, 2250);
  });
});

describe('AdaptiveRate (a rate found by REFUSED answers)', () => {
  test('unlimited until a REFUSED; then half the last second, halved at most once a second', () => {
    const clock = { now: 0 };
    const rate = new AdaptiveRate(() => clock.now);
    for (let i = 0; i < 400; i += 1) {
      assert.equal(rate.acquire(), undefined, 'no wait while unlimited');
      clock.now += 1; // 1,000 a second
    }
    assert.equal(rate.rate, undefined);
    rate.refused();
    assert.equal(rate.rate, 200, 'half of the 400 sent in the last second');
    rate.refused();
    assert.equal(rate.rate, 200, 'a second REFUSED in the same second changes nothing');
    clock.now += 1000;
    rate.refused();
    assert.equal(rate.rate, 100);
    for (let i = 0; i < 10; i += 1) {
      clock.now += 1000;
      rate.refused();
    }
    assert.equal(rate.rate, 10, 'never below the minimum');
    rate.stop();
  });

  test('a second without a REFUSED raises the rate by a quarter; far above what is sent, the limit goes', () => {
    const clock = { now: 0 };
    const rate = new AdaptiveRate(() => clock.now);
    const send = (n: number, gapMs: number): void => {
      for (let i = 0; i < n; i += 1) {
        assert.equal(rate.acquire(), undefined);
        clock.now += gapMs;
      }
    };
    send(400, 1);
    rate.refused(); // 400 in the last second → 200
    assert.equal(rate.rate, 200);
    rate.answered();
    assert.equal(rate.rate, 200, 'not within the same second');
    // Still sending (counted as they leave): the limit rises by a quarter.
    clock.now += 1000;
    rate.rate = undefined; // unlimited for a moment: the sends are counted as they leave
    send(200, 1);
    rate.rate = 200;
    rate.answered();
    assert.equal(rate.rate, 250);
    // Then nothing is sent for a second: 4 × what is sent is below the rate, so it goes.
    clock.now += 1000;
    rate.answered();
    assert.equal(rate.rate, undefined);
    rate.stop();
  });

  test('while limited, queries wait their turn and are all served, in order', async () => {
    const rate = new AdaptiveRate();
    for (let i = 0; i < 50; i += 1) rate.acquire();
    rate.refused(); // 50 in the last second → 25 a second
    assert.equal(rate.rate, 25);
    const order: number[] = [];
    await Promise.all(Array.from({ length: 3 }, (_, i) => rate.acquire()!.then(() => order.push(i))));
    assert.deepEqual(order, [0, 1, 2]);
    rate.stop();
  });
});

describe('stop() for close()', () => {
  test('a SendPacer lets its waiters go, uncounted', async () => {
    const pacer = new SendPacer({ perSecond: 1 });
    await pacer.acquire();
    let released = 0;
    const waiting = [pacer.acquire(), pacer.acquire()].map((p) => p.then(() => (released += 1)));
    pacer.stop();
    await Promise.all(waiting);
    assert.equal(released, 2);
    assert.equal(pacer.recentCount(), 1);
  });
});
