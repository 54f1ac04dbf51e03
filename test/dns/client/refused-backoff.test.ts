/**
 * The client's back-off after REFUSED, on its own: the length of each pause
 * (a pure function), and the pauses themselves against real servers that
 * refuse — Unbound refusing a zone (local-zone refuse), NSD refusing a zone
 * it does not serve, and dnsdist's MaxQPSIPRule refusing past a rate and
 * answering again once the client slows. Asking again a server that refused
 * waits first; when the retries run out the question is `unknown` with the
 * reason `refused`, never an absent record. Nothing is timed: the tests
 * count pauses, tries and queries, and drive the pauses on a fake clock
 * (node:test's mock timers).
 */
import '../../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { DnsClient, REFUSED_BACKOFF_MS, refusedPauseMs, type QueryOutcome } from '../../../src/dns/client.js';
import { SendPacer } from '../../../src/dns/rate-limit.js';
import { formatServer } from '../../../src/dns/server-address.js';
import { lookup } from '../../../src/lookup/resolve.js';
import { outcomeClass } from '../../../src/lookup/types.js';
import { startDnsdist } from '../../support/dnsdist.js';
import { POLICY, POLICY_ADDRESS, queriesReceived, startPolicyResolver } from '../../support/policy-resolver.js';
import { ensurePackages, serverAddress, type RunningServer } from '../../support/real-servers.js';
import { testServers } from '../../support/servers.js';

/** A few turns of the event loop: time for a query released by a timer to leave (they leave on setImmediate). */
async function turns(n = 5): Promise<void> {
  for (let i = 0; i < n; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** Until `condition` holds, turn by turn (the test's own timeout bounds it). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe('refusedPauseMs: how long to wait before asking again a server that refused', () => {
  test('doubles with each pause, with a jitter of ½ to 1½', () => {
    const low = [1, 2, 3, 4, 5].map((n) => refusedPauseMs(n, 60_000, 0));
    const high = [1, 2, 3, 4, 5].map((n) => refusedPauseMs(n, 60_000, 0.999_999));
    assert.deepEqual(low, [50, 100, 200, 400, 800]);
    for (const [i, ms] of high.entries()) {
      assert.ok(ms < REFUSED_BACKOFF_MS * 2 ** i * 1.5 && ms > REFUSED_BACKOFF_MS * 2 ** i * 1.49, `pause ${i + 1}: ${ms}`);
    }
    assert.equal(refusedPauseMs(1, 60_000, 0.5), REFUSED_BACKOFF_MS);
  });

  test('never longer than the attempt timeout', () => {
    assert.equal(refusedPauseMs(12, 2000, 0.5), 2000);
    assert.equal(refusedPauseMs(3, 150, 0.999), 150);
  });
});

describe('REFUSED from real servers', { timeout: 60_000 }, () => {
  let policy: RunningServer;
  before(async () => {
    policy = await startPolicyResolver({ logQueries: true });
  });
  after(() => policy?.stop());

  test('one server: a pause before each retry, then unknown with reason refused, never absent', async (t) => {
    const server = serverAddress(policy.address);
    // Counts each query as it leaves. A --rate this high never holds three back (its bucket holds
    // 20), and with a --rate no rate is looked for: the found rate's own timer stays out of the
    // way of the fake clock, and the pauses are the back-off alone.
    const pacer = new SendPacer({ perSecond: 1000 });
    const client = new DnsClient({ servers: [server], timeoutMs: 2000, retries: 2, pacer });
    t.after(() => client.close());
    const name = `sip.one.${POLICY.refused}`;
    // The pauses on a fake clock: exactly 100 and 200 ms (a jitter of 1), over when the test says.
    // Unbound answers at once, so no other timer of the client (its attempt timeouts) matters.
    t.mock.method(Math, 'random', () => 0.5);
    t.mock.timers.enable({ apis: ['setTimeout'] });
    let settled = false;
    const pending = lookup(client, name, 'A').finally(() => (settled = true));
    await until(() => client.stats.backoffs === 1);
    assert.equal(pacer.sent, 1);
    t.mock.timers.tick(REFUSED_BACKOFF_MS - 1);
    await turns();
    assert.equal(pacer.sent, 1, 'asked again before the pause was over');
    t.mock.timers.tick(1);
    await until(() => client.stats.backoffs === 2);
    assert.equal(pacer.sent, 2, 'asked again once the pause was over');
    t.mock.timers.tick(2 * REFUSED_BACKOFF_MS - 1);
    await turns();
    assert.equal(pacer.sent, 2, 'the second pause is twice as long');
    assert.equal(settled, false);
    t.mock.timers.tick(1);
    const outcome = await pending;
    assert.equal(pacer.sent, 3);
    assert.equal(outcomeClass(outcome), 'unknown');
    assert.equal(outcome.kind, 'error');
    if (outcome.kind !== 'error') return;
    assert.equal(outcome.reason, 'refused');
    assert.equal(outcome.detail, `REFUSED from ${formatServer(server)} (3 tries)`);
    assert.deepEqual(outcome.failures?.map((f) => f.reason), ['refused', 'refused', 'refused']);
    // A pause before each retry; none after the last try.
    assert.equal(client.stats.backoffs, 2);
    assert.equal(client.stats.udpQueries, 3);
    assert.equal(client.stats.retransmits, 0);
    assert.equal(client.stats.outcomes.refused, 1);
    assert.equal(queriesReceived(policy.log()).get(name), 3, 'Unbound was asked three times');
  });

  test('two servers: no pause before asking the other one, a pause before asking again one that refused', async (t) => {
    // NSD answers REFUSED for a zone it does not serve; Unbound for its refuse zone.
    const nsd = serverAddress((await testServers()).auth);
    const unbound = serverAddress(policy.address);
    const client = new DnsClient({ servers: [unbound, nsd], timeoutMs: 2000, retries: 3, recursionDesired: false });
    t.after(() => client.close());
    const outcome = await client.query({ name: `sip.two.${POLICY.refused}`, type: 'A' });
    assert.equal(outcome.kind, 'failure');
    if (outcome.kind !== 'failure') return;
    assert.equal(outcome.reason, 'refused');
    assert.deepEqual(outcome.failures, [
      { server: formatServer(unbound), reason: 'refused' },
      { server: formatServer(nsd), reason: 'refused' },
      { server: formatServer(unbound), reason: 'refused' },
      { server: formatServer(nsd), reason: 'refused' },
    ]);
    // Unbound → NSD (not refused yet: no pause) → Unbound (pause) → NSD (pause).
    assert.equal(client.stats.backoffs, 2);
  });

  test('a server that answers again after refusing: the question that waited gets its answer', async (t) => {
    ensurePackages(['dnsdist']);
    // dnsdist refuses past 20 queries a second from one address (and a burst of 20).
    const dnsdist = await startDnsdist({ backend: policy.address, maxQps: 20, limitAction: 'refused' });
    t.after(() => dnsdist.stop());
    const client = new DnsClient({ servers: [serverAddress(dnsdist.address)], timeoutMs: 2000, retries: 6 });
    t.after(() => client.close());
    const questions = 60;
    const outcomes: QueryOutcome[] = await Promise.all(
      Array.from({ length: questions }, (_, i) => client.query({ name: `q${i}.${POLICY.answered}`, type: 'A' })),
    );
    let answeredAfterRefusal = 0;
    let pausesSeen = 0;
    for (const outcome of outcomes) {
      if (outcome.kind === 'response') {
        assert.equal(outcome.message.rcode, 'NOERROR');
        assert.deepEqual(outcome.message.answers.map((r) => r.type === 'A' && r.address), [POLICY_ADDRESS]);
        if (outcome.tries > 1) answeredAfterRefusal += 1;
        // One server: every try before the answer was refused and followed by a pause.
        pausesSeen += outcome.tries - 1;
      } else {
        assert.equal(outcome.reason, 'refused', outcome.detail);
        pausesSeen += outcome.tries - 1;
      }
    }
    t.diagnostic(`${client.stats.outcomes.response} answered (${answeredAfterRefusal} after a REFUSED), ${client.stats.outcomes.refused} refused to the end, ${client.stats.backoffs} pauses, ${client.stats.udpQueries} queries`);
    assert.equal(client.stats.outcomes.timeout, 0, 'nothing lost on loopback: every try was answered or refused');
    assert.ok(client.stats.outcomes.refused + client.stats.outcomes.response === questions);
    // More than dnsdist's burst came at once: some were refused, waited, and were answered.
    assert.ok(answeredAfterRefusal > 0, `no question was answered after a REFUSED: ${client.stats.outcomes.response} answered`);
    assert.equal(client.stats.backoffs, pausesSeen, 'one pause before each retry of a refused question');
  });
});
