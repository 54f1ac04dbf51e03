/**
 * `tcpAfterUdpTimeout` (on in the CLI): after a UDP attempt to a server times
 * out, the next attempt to that server goes over TCP, the one after that over
 * UDP again. This is how a client gets through response rate limiting, which
 * drops UDP answers (and slips only some as TC=1) but never limits TCP; the
 * real-server proof is test/integration/rrl-load.test.ts.
 */
import { strict as assert } from 'node:assert';
import { describe, test, type TestContext } from 'node:test';
import { DnsClient, type DnsClientOptions } from '../../../src/dns/client.js';
import { formatServer } from '../../../src/dns/server-address.js';
import { a, answer, buildResponse, drop, raw, startFaultServer, truncated, type FaultScript, type FaultServer, type FaultServerOptions } from '../../support/fault-server.js';

const T = 200;
const NAME = 'sip.example.com';
const QUESTION = { name: NAME, type: 'A' } as const;

async function serve(t: TestContext, script: FaultScript, options?: FaultServerOptions): Promise<FaultServer> {
  const server = await startFaultServer(script, options);
  t.after(() => server.close());
  return server;
}

function client(t: TestContext, servers: readonly FaultServer[], options: Partial<DnsClientOptions> = {}): DnsClient {
  const c = new DnsClient({ servers: servers.map((s) => s.address), timeoutMs: T, retries: 1, tcpAfterUdpTimeout: true, ...options });
  t.after(() => c.close());
  return c;
}

/** A rate-limiting server in miniature: every UDP answer dropped, TCP answered. */
const udpDropped = raw((q) => (q.transport === 'udp' ? [] : [buildResponse(q, { answers: [a('192.0.2.10')] })]));

describe('tcpAfterUdpTimeout', () => {
  test('UDP dropped, TCP answered: the answer on try 2, over TCP', async (t) => {
    const server = await serve(t, { [NAME]: udpDropped });
    const started = performance.now();
    const outcome = await client(t, [server]).query(QUESTION);
    const ms = performance.now() - started;
    assert.ok(outcome.kind === 'response', outcome.kind === 'failure' ? outcome.detail : '');
    assert.equal(outcome.transport, 'tcp');
    assert.equal(outcome.tries, 2);
    assert.deepEqual(server.queries.map((q) => q.transport), ['udp', 'tcp']);
    assert.ok(ms >= T - 20 && ms < 2 * T, `${Math.round(ms)} ms: one UDP timeout, then TCP at once`);
  });

  test('off (the DnsClient default): every attempt over UDP, so the same server stays unknown', async (t) => {
    const server = await serve(t, { [NAME]: udpDropped });
    const outcome = await client(t, [server], { tcpAfterUdpTimeout: undefined }).query(QUESTION);
    assert.ok(outcome.kind === 'failure');
    assert.equal(outcome.reason, 'timeout');
    assert.deepEqual(server.queries.map((q) => q.transport), ['udp', 'udp']);
  });

  test('nothing answers: UDP and TCP alternate, the failure is still "timeout after N tries", bounded by timeout × tries', async (t) => {
    const server = await serve(t, { [NAME]: drop() });
    const started = performance.now();
    const outcome = await client(t, [server], { retries: 3 }).query(QUESTION);
    const ms = performance.now() - started;
    assert.ok(outcome.kind === 'failure');
    assert.equal(outcome.reason, 'timeout');
    assert.equal(outcome.detail, `timeout after 4 tries to ${formatServer(server.address)}`);
    assert.deepEqual(server.queries.map((q) => q.transport), ['udp', 'tcp', 'udp', 'tcp']);
    assert.ok(ms <= 4 * T + 150, `${Math.round(ms)} ms`);
  });

  test('two servers: the next server is asked over UDP (its own UDP never timed out)', async (t) => {
    const silent = await serve(t, { [NAME]: drop() });
    const good = await serve(t, { [NAME]: answer([a('192.0.2.10')]) });
    const outcome = await client(t, [silent, good], { retries: 2 }).query(QUESTION);
    assert.ok(outcome.kind === 'response');
    assert.deepEqual(outcome.server, good.address);
    assert.equal(outcome.transport, 'udp');
    assert.deepEqual(silent.queries.map((q) => q.transport), ['udp']);
  });

  test('two silent servers: each goes UDP, then TCP on its own next turn', async (t) => {
    const one = await serve(t, { [NAME]: drop() });
    const two = await serve(t, { [NAME]: drop() });
    const outcome = await client(t, [one, two], { retries: 3 }).query(QUESTION);
    assert.ok(outcome.kind === 'failure' && outcome.reason === 'timeout');
    assert.deepEqual(one.queries.map((q) => q.transport), ['udp', 'tcp']);
    assert.deepEqual(two.queries.map((q) => q.transport), ['udp', 'tcp']);
  });

  test('TCP refused on the retry: back to UDP on the next try, which is answered', async (t) => {
    const server = await serve(t, { [NAME]: [drop(), answer([a('192.0.2.10')])] }, { tcp: 'refuse' });
    const outcome = await client(t, [server], { retries: 2 }).query(QUESTION);
    assert.ok(outcome.kind === 'response', outcome.kind === 'failure' ? outcome.detail : '');
    assert.equal(outcome.transport, 'udp');
    assert.equal(outcome.tries, 3);
    assert.deepEqual(server.queries.map((q) => q.transport), ['udp', 'udp']);
  });

  test('a TCP retry that fails says it followed a UDP timeout, not a truncated answer', async (t) => {
    const server = await serve(t, { [NAME]: drop() }, { tcp: 'refuse' });
    const outcome = await client(t, [server]).query(QUESTION);
    assert.ok(outcome.kind === 'failure');
    assert.match(outcome.detail, /after a UDP timeout, TCP/);
    assert.doesNotMatch(outcome.detail, /truncated/);
  });

  test('an RRL slip (TC=1, no records) still goes to TCP within the same attempt', async (t) => {
    const server = await serve(t, { [NAME]: [truncated(), answer([a('192.0.2.10')])] });
    const outcome = await client(t, [server], { retries: 0 }).query(QUESTION);
    assert.ok(outcome.kind === 'response');
    assert.equal(outcome.transport, 'tcp');
    assert.equal(outcome.tries, 1);
  });
});
