/**
 * The UDP retransmission budget against a real Unbound that drops every
 * query for one zone (local-zone deny) and answers another: within an
 * attempt a lost datagram is sent again, but retransmissions may be at most
 * RETRANSMIT_SHARE of the questions asked plus a burst of RETRANSMIT_BURST.
 * Once that is spent, a question whose datagram is lost waits for the whole
 * attempt timeout instead of being sent again, and the counters say so:
 * exactly as many retransmissions as the budget gave, whatever the timeout
 * would have allowed. Unbound's query log says which questions were sent
 * again. Nothing is timed: the counts do not depend on how fast anything is.
 */
import '../../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { DnsClient, type QueryOutcome } from '../../../src/dns/client.js';
import { RETRANSMIT_BURST, RETRANSMIT_SHARE } from '../../../src/dns/udp.js';
import { POLICY, POLICY_ADDRESS, queriesReceived, startPolicyResolver } from '../../support/policy-resolver.js';
import { serverAddress } from '../../support/real-servers.js';

/**
 * Long enough for several retransmissions of each lost question: the first
 * after Unbound's initial 376 ms before any round trip is measured, then
 * doubling (376 + 752 + 1,504 ms fit in 3 s).
 */
const TIMEOUT_MS = 3000;

const lost = (i: number): string => `q${i}.${POLICY.lost}`;
const answered = (i: number): string => `q${i}.${POLICY.answered}`;

function timeouts(outcomes: readonly QueryOutcome[]): number {
  return outcomes.filter((o) => o.kind === 'failure' && o.reason === 'timeout').length;
}

test('the retransmission budget runs out: further lost datagrams wait for the attempt timeout, and the counters say so', { timeout: 60_000 }, async (t) => {
  const unbound = await startPolicyResolver({ logQueries: true });
  t.after(() => unbound.stop());
  const client = new DnsClient({ servers: [serverAddress(unbound.address)], timeoutMs: TIMEOUT_MS, retries: 0 });
  t.after(() => client.close());

  // 150 questions at once, every datagram dropped: the budget starts full (the burst), and
  // questions asked while it is full add nothing to it.
  const first = 150;
  const outcomesA = await Promise.all(Array.from({ length: first }, (_, i) => client.query({ name: lost(i), type: 'A' })));
  assert.equal(timeouts(outcomesA), first, 'every question is unknown (timeout), none answered, none absent');
  // Without the budget each would have been sent again about three times within the timeout.
  assert.equal(client.stats.retransmits, RETRANSMIT_BURST);
  assert.equal(client.stats.udpQueries, first + RETRANSMIT_BURST);
  assert.equal(client.stats.outcomes.timeout, first);
  // The server's side: the burst went to as many questions, once each (the budget was gone before
  // their second round); the others were sent once and waited out the timeout.
  const received = queriesReceived(unbound.log());
  const perQuestion = Array.from({ length: first }, (_, i) => received.get(lost(i)) ?? 0);
  assert.equal(perQuestion.filter((n) => n === 2).length, RETRANSMIT_BURST, `datagrams per question: ${perQuestion.join(' ')}`);
  assert.equal(perQuestion.filter((n) => n === 1).length, first - RETRANSMIT_BURST);
  assert.equal(perQuestion.filter((n) => n !== 1 && n !== 2).length, 0);

  // The budget grows by RETRANSMIT_SHARE a question: 10 answered ones and 10 lost ones give 6
  // retransmissions (twenty shares of 0.3 add up to 5.999999999999998 in floating point: still 6),
  // all that the 10 lost questions get though they would take several each.
  const answeredCount = 10;
  for (let i = 0; i < answeredCount; i += 1) {
    const outcome = await client.query({ name: answered(i), type: 'A' });
    assert.equal(outcome.kind, 'response');
    if (outcome.kind === 'response') assert.deepEqual(outcome.message.answers.map((r) => r.type === 'A' && r.address), [POLICY_ADDRESS]);
  }
  const second = 10;
  const outcomesB = await Promise.all(Array.from({ length: second }, (_, i) => client.query({ name: lost(first + i), type: 'A' })));
  assert.equal(timeouts(outcomesB), second);
  const granted = Math.floor((answeredCount + second) * RETRANSMIT_SHARE + 1e-9);
  assert.equal(granted, 6);
  // A retransmission an answered question needed (an answer late on a loaded machine) comes out
  // of the same budget: the total is what the budget gave either way.
  assert.equal(client.stats.retransmits, RETRANSMIT_BURST + granted);
  assert.equal(client.stats.udpQueries, first + RETRANSMIT_BURST + answeredCount + second + granted);
  assert.equal(client.stats.outcomes.timeout, first + second);
  assert.equal(client.stats.outcomes.response, answeredCount);
});
