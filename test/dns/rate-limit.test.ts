/**
 * The send pacer of --rate on a fake clock: no one-second window ever holds
 * more than N sends, a long run takes about Q / N, and the meter counts the
 * busiest second. The clock is driven by hand: nothing here is timed.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { AdaptiveRate, SendCount, SendPacer } from '../../src/dns/rate-limit.js';

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

describe('SendPacer.setRate (the bucket of a found rate)', () => {
  test('a pacer made with a rate (--rate) keeps it', () => {
    const pacer = new SendPacer({ perSecond: 100 });
    assert.throws(() => pacer.setRate(50), /keeps it/);
    assert.throws(() => pacer.setRate(undefined), /keeps it/);
    assert.equal(pacer.perSecond, 100);
  });

  test('limited from unlimited: a fresh bucket; lowered: the burst saved at the old rate does not leave', () => {
    const clock = { now: 0 };
    const pacer = new SendPacer({ now: () => clock.now });
    pacer.setRate(1000); // bucket of 20
    let atOnce = 0;
    while (pacer.delayMs() === 0) {
      pacer.take();
      atOnce += 1;
    }
    assert.equal(atOnce, 20);
    clock.now += 1000; // full again
    pacer.setRate(100);
    assert.equal(pacer.delayMs(), 0);
    pacer.take();
    assert.ok(pacer.delayMs() > 0, 'one token kept, not twenty');
    assert.throws(() => pacer.setRate(0), RangeError);
    assert.throws(() => pacer.setRate(2.5), RangeError);
  });

  test('at a found rate, no one-second window holds more than the rate and its bucket', () => {
    const clock = { now: 0 };
    const pacer = new SendPacer({ now: () => clock.now });
    pacer.setRate(200);
    const times = drive(pacer, clock, 1000);
    assert.ok(busiestSecond(times) <= 200 + 4, `busiest second held ${busiestSecond(times)}`);
    // Raised: more may leave, and do.
    pacer.setRate(400);
    const faster = drive(pacer, clock, 2000);
    assert.ok(busiestSecond(faster) > 300, `busiest second at 400/s held ${busiestSecond(faster)}`);
    assert.ok(busiestSecond(faster) <= 400 + 8);
  });

  test('waiters are served by the new rate: unlimited lets every one go at once, counted', async () => {
    const clock = { now: 0 };
    const pacer = new SendPacer({ now: () => clock.now });
    pacer.setRate(1);
    await pacer.acquire(); // the one token
    let served = 0;
    const waiting = Array.from({ length: 5 }, () => pacer.acquire().then(() => (served += 1)));
    // The fake clock stands still: the pacer's own timer finds no token and waits again.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(served, 0);
    pacer.setRate(undefined);
    await Promise.all(waiting);
    assert.equal(served, 5);
    assert.equal(pacer.sent, 6);
    pacer.stop();
  });
});

describe('SendCount (what a server was sent before it refused)', () => {
  test('a steady rate is counted as it is; a pause forgets it', () => {
    const count = new SendCount();
    let now = 10_000;
    for (let i = 0; i < 1000; i += 1) {
      count.add(now);
      now += 2.5; // 400 a second for 2.5 s
    }
    const recent = count.recent(now);
    assert.ok(Math.abs(recent - 400) <= 4, `${recent} in the last second at 400 a second`);
    assert.equal(count.recent(now + 2000), 0);
    count.add(now + 2000);
    assert.equal(count.recent(now + 2000), 1);
  });

  test('a burst within one second is counted whole', () => {
    const count = new SendCount();
    for (let i = 0; i < 400; i += 1) count.add(i);
    assert.equal(count.recent(400), 400);
  });
});

describe('AdaptiveRate (a rate found by REFUSED answers)', () => {
  test('made at the first REFUSED at half the last second; halved at most once a second; never below 10', () => {
    const clock = { now: 0 };
    const rate = new AdaptiveRate(400, () => clock.now);
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
    assert.equal(new AdaptiveRate(3, () => clock.now).rate, 10, 'a REFUSED at a trickle starts at the minimum');
    rate.stop();
  });

  test('the server stops refusing: up by a quarter each second, then unlimited, while 150 a second are asked for', () => {
    const clock = { now: 0 };
    const rate = new AdaptiveRate(400, () => clock.now);
    assert.equal(rate.rate, 200);
    // Demand of 150 a second, each answered; a query waits for its turn while the rate is limited.
    const rates: (number | undefined)[] = [];
    let changes = 0;
    let last = rate.rate;
    let lastChangeAt = 0;
    for (let i = 0; i < 150 * 20 && rate.rate !== undefined; i += 1) {
      const due = (i * 1000) / 150;
      if (clock.now < due) clock.now = due;
      for (let wait = rate.pacer.delayMs(); wait > 0; wait = rate.pacer.delayMs()) clock.now += Math.max(wait, 0.001);
      assert.ok(rate.pacer.limited);
      rate.pacer.take();
      rate.answered();
      if (rate.rate !== last) {
        changes += 1;
        assert.ok(clock.now - lastChangeAt >= 1000, `changed ${clock.now - lastChangeAt} ms after the last change`);
        lastChangeAt = clock.now;
        if (rate.rate !== undefined) assert.equal(rate.rate, Math.ceil(last! * 1.25), `${last} → ${rate.rate}`);
        last = rate.rate;
        rates.push(rate.rate);
      }
    }
    // 200 → 250 → 313 → 392 → 490 → unlimited (613 would be above 4 × 150).
    assert.deepEqual(rates, [250, 313, 392, 490, undefined]);
    assert.equal(changes, 5);
    // Unlimited again: no waiting, and every send still counted.
    const sent = rate.pacer.sent;
    for (let i = 0; i < 100; i += 1) assert.equal(rate.acquire(), undefined);
    assert.equal(rate.pacer.sent, sent + 100);
    assert.equal(rate.pacer.delayMs(), 0);
    rate.stop();
  });

  test('queries waiting for their turn all go as soon as the rate is unlimited again', async () => {
    const clock = { now: 0 };
    const rate = new AdaptiveRate(20, () => clock.now); // 10 a second, a bucket of one
    await rate.acquire(); // the one token
    let served = 0;
    const waiting = Array.from({ length: 50 }, () => rate.acquire()!.then(() => (served += 1)));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(served, 0, 'they wait while limited (the fake clock stands still)');
    // Seconds with an answer each: 10 → 13 → 17 → 22 → 28 → 35, then 44 is above 4 × 10 (the
    // minimum stands in for the few sent) and the limit goes. Each second gives one turn (the bucket).
    const rates: (number | undefined)[] = [];
    while (rate.rate !== undefined && rates.length < 10) {
      clock.now += 1000;
      rate.answered();
      rates.push(rate.rate);
      await new Promise((resolve) => setImmediate(resolve));
      if (rate.rate !== undefined) assert.ok(served <= rates.length, `${served} served after ${rates.length} s at most ${rate.rate} a second`);
    }
    assert.deepEqual(rates, [13, 17, 22, 28, 35, undefined]);
    await Promise.all(waiting);
    assert.equal(served, 50);
    assert.equal(rate.pacer.sent, 51);
    rate.stop();
  });

  test('while limited, queries wait their turn and are all served, in order', async () => {
    const rate = new AdaptiveRate(50); // 25 a second
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
