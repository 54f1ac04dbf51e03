/**
 * close() while questions wait for their turn under --rate: they end as
 * "client closed" at once, none is sent afterwards, and none is left waiting
 * (a library caller that closes early must not hang).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { DnsClient } from '../../../src/dns/client.js';
import { SendPacer } from '../../../src/dns/rate-limit.js';
import { drop, startFaultServer } from '../../support/fault-server.js';

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
