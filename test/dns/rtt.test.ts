/**
 * The retransmission timeout estimator (RFC 6298 §2, with Unbound's floor
 * and initial value) on its own: no sockets, no clock, only numbers.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { backoff, RTO_FLOOR_MS, RTO_INITIAL_MS, RttEstimator } from '../../src/dns/rtt.js';

describe('RttEstimator', () => {
  test('before any round trip: the initial timeout, and no smoothed RTT', () => {
    const rtt = new RttEstimator();
    assert.equal(rtt.timeoutMs, RTO_INITIAL_MS);
    assert.equal(rtt.smoothedMs, undefined);
    assert.equal(rtt.samples, 0);
  });

  test('first sample R: SRTT = R, RTTVAR = R/2, RTO = R + 4·R/2 (§2.2)', () => {
    const rtt = new RttEstimator({ floorMs: 1 });
    rtt.sample(100);
    assert.equal(rtt.smoothedMs, 100);
    assert.equal(rtt.timeoutMs, 300);
  });

  test('later samples: RTTVAR = ¾·RTTVAR + ¼·|SRTT − R|, then SRTT = ⅞·SRTT + ⅛·R (§2.3)', () => {
    const rtt = new RttEstimator({ floorMs: 1 });
    rtt.sample(100); // srtt 100, rttvar 50
    rtt.sample(60); // rttvar 0.75·50 + 0.25·40 = 47.5; srtt 0.875·100 + 0.125·60 = 95
    assert.equal(rtt.smoothedMs, 95);
    assert.equal(rtt.timeoutMs, 95 + 4 * 47.5);
  });

  test('steady round trips shrink the variance until the floor holds the timeout', () => {
    const rtt = new RttEstimator();
    for (let i = 0; i < 200; i += 1) rtt.sample(30);
    assert.ok(Math.abs(rtt.smoothedMs! - 30) < 1e-9);
    assert.equal(rtt.timeoutMs, RTO_FLOOR_MS);
    const slow = new RttEstimator();
    for (let i = 0; i < 200; i += 1) slow.sample(80);
    // Variance gone, the granularity G of 1 ms stays (max(G, 4·RTTVAR)).
    assert.ok(Math.abs(slow.timeoutMs - 81) < 1e-6, `timeout ${slow.timeoutMs}`);
  });

  test('jittery round trips keep the timeout above most of them', () => {
    const rtt = new RttEstimator();
    const samples = Array.from({ length: 500 }, (_, i) => 30 + ((i * 37) % 41)); // 30..70 ms
    for (const s of samples) rtt.sample(s);
    const late = samples.filter((s) => s > rtt.timeoutMs).length;
    assert.equal(late, 0, `timeout ${rtt.timeoutMs} ms below ${late} of the samples`);
  });

  test('the ceiling bounds the timeout, the floor never exceeds it', () => {
    const rtt = new RttEstimator({ ceilingMs: 500 });
    rtt.sample(2000);
    assert.equal(rtt.timeoutMs, 500);
    const tight = new RttEstimator({ ceilingMs: 20 });
    assert.equal(tight.timeoutMs, RTO_FLOOR_MS, 'a ceiling below the floor is raised to it');
  });

  test('nonsense samples are ignored', () => {
    const rtt = new RttEstimator();
    rtt.sample(Number.NaN);
    rtt.sample(-5);
    rtt.sample(Number.POSITIVE_INFINITY);
    assert.equal(rtt.samples, 0);
    assert.equal(rtt.timeoutMs, RTO_INITIAL_MS);
  });

  test('backoff doubles the timeout of now for each retransmission already sent (§5.5)', () => {
    assert.equal(backoff(50, 0), 50);
    assert.equal(backoff(50, 1), 100);
    assert.equal(backoff(120, 3), 960);
  });
});
