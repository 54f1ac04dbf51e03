/**
 * close() while questions wait for their turn under --rate, or in the pause
 * before asking again a server that answered REFUSED: they end as "client
 * closed" at once, none is sent afterwards, and none is left waiting (a
 * library caller that closes early must not hang).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { DnsClient, type QueryOutcome } from '../../../src/dns/client.js';
import { SendPacer } from '../../../src/dns/rate-limit.js';
import { drop, startFaultServer } from '../../support/fault-server.js';
import { POLICY, startPolicyResolver } from '../../support/policy-resolver.js';
import { serverAddress } from '../../support/real-servers.js';

test('questions waiting under --rate end as closed when the client closes; nothing more is sent', async (t) => {
  const server = await startFaultServer({ 'sip.example.com': drop() });
  t.after(() => server.close());
  const pacer = new SendPacer({ perSecond: 1 });
  const client = new DnsClient({ servers: [server.address], timeoutMs: 2000, retries: 0, pacer });
  const pending = [0, 1, 2].map(() => client.query({ name: 'sip.example.com', type: 'A' }));
  // Let the first question leave; the other two wait a second for their turns.
  await new Promise((resolve) => setTimeout(resolve, 50));
  pacer.stop();
  client.close();
  const outcomes = await Promise.all(pending);
  assert.deepEqual(outcomes.map((o) => o.kind), ['failure', 'failure', 'failure']);
  const details = outcomes.map((o) => (o.kind === 'failure' ? o.detail : ''));
  assert.equal(details.filter((d) => d.includes('client closed')).length, 2, details.join(' | '));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(server.queries.length, 1);
});

/** Timers alive in this process (a REFUSED pause is one). */
const timers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

test('close() during a REFUSED pause ends the question at once as closed, and the pause timer with it', async (t) => {
  const unbound = await startPolicyResolver();
  t.after(() => unbound.stop());
  // A long timeout: the pause doubles with each REFUSED, up to the timeout, so it is long by the fourth.
  const client = new DnsClient({ servers: [serverAddress(unbound.address)], timeoutMs: 60_000, retries: 8 });
  t.after(() => client.close());
  const before = timers();
  const pending = client.query({ name: `sip.${POLICY.refused}`, type: 'A' });
  // Gate: the fourth REFUSED came, and the client waits (400 to 1,200 ms) before asking again.
  while (client.stats.backoffs < 4) await new Promise((resolve) => setImmediate(resolve));
  const sent = client.stats.udpQueries;
  assert.equal(sent, 4);
  assert.equal(timers(), before + 1, 'the pause is the one timer the question holds');
  client.close();
  // Settled within the same turn of the event loop as close(): no timer had to fire.
  const settled = await Promise.race([pending, new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);
  assert.notEqual(settled, 'pending', 'the question still waited after close()');
  const outcome = settled as QueryOutcome;
  assert.equal(outcome.kind, 'failure');
  if (outcome.kind !== 'failure') return;
  assert.equal(outcome.reason, 'network');
  assert.match(outcome.detail, /^client closed, after REFUSED from 127\.0\.0\.1:\d+ \(4 tries\)$/);
  assert.equal(outcome.tries, 4);
  assert.deepEqual(outcome.failures?.map((f) => f.reason), ['refused', 'refused', 'refused', 'refused']);
  assert.equal(timers(), before, 'the pause timer is gone');
  assert.equal(client.stats.udpQueries, sent, 'nothing sent after close()');
  assert.equal(client.stats.outcomes.network, 1);
  assert.equal(client.stats.outcomes.refused, 0, 'closed, not refused: no try was left unasked for lack of retries');
});
