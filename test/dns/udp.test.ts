/**
 * The UDP transport on its own: unpredictable query IDs and source ports
 * (RFC 5452 §9.2), the source check down to the address (RFC 5452 §9.1),
 * IPv6, and close() ending every query in flight.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { createSocket, type Socket } from 'node:dgram';
import { describe, test, type TestContext } from 'node:test';
import type { Question } from '../../src/dns/codec.js';
import type { ExchangeOptions } from '../../src/dns/exchange.js';
import { UdpTransport, type UdpPoolOptions } from '../../src/dns/udp.js';
import { a, answer, buildResponse, drop, FORGED_ADDRESS, late, otherPort, raw, startFaultServer, type FaultScript, type FaultServer, type FaultServerOptions } from '../support/fault-server.js';

const QUESTION: Question = { name: 'sip.example.com', type: 'A' };
const OPTIONS: ExchangeOptions = { timeoutMs: 1000, edns: true, recursionDesired: true };

async function serve(t: TestContext, script: FaultScript, options?: FaultServerOptions): Promise<FaultServer> {
  const server = await startFaultServer(script, options);
  t.after(() => server.close());
  return server;
}

function transport(t: TestContext, options?: UdpPoolOptions): UdpTransport {
  const udp = new UdpTransport(options);
  t.after(() => udp.close());
  return udp;
}

/** How many neighbours differ by exactly one: a sequential allocator scores close to n. */
function sequentialSteps(values: readonly number[]): number {
  let steps = 0;
  for (let i = 1; i < values.length; i += 1) if (values[i] === values[i - 1]! + 1) steps += 1;
  return steps;
}

describe('query IDs', () => {
  test('1000 queries: IDs spread over the 16-bit space, not sequential', async (t) => {
    const server = await serve(t, { '*': answer([a('192.0.2.1')]) });
    const udp = transport(t);
    for (let batch = 0; batch < 10; batch += 1) {
      const results = await Promise.all(Array.from({ length: 100 }, () => udp.exchange(server.address, QUESTION, OPTIONS)));
      assert.ok(results.every((r) => r.kind === 'message'));
    }
    const ids = server.queries.map((q) => q.id);
    assert.equal(ids.length, 1000);
    // 1000 draws from 65,536 values collide about 8 times; a weak generator collides far more or walks in steps.
    assert.ok(new Set(ids).size >= 970, `${new Set(ids).size} distinct IDs`);
    assert.ok(sequentialSteps(ids) < 10, 'IDs are not sequential');
    assert.ok(new Set(ids.map((id) => id >> 8)).size >= 200, 'the high byte varies');
    assert.ok(new Set(ids.map((id) => id & 0xff)).size >= 200, 'the low byte varies');
  });

  test('300 queries in flight on one socket never share an ID', async (t) => {
    // Answers wait 300 ms so all 300 are in flight together; sends go in bursts
    // of 100 because a burst of 300 overflows the server's receive buffer.
    const server = await serve(t, { '*': late(300, answer([a('192.0.2.1')])) });
    const udp = transport(t, { sockets: 1 });
    const pending = [];
    for (let burst = 0; burst < 3; burst += 1) {
      pending.push(...Array.from({ length: 100 }, () => udp.exchange(server.address, QUESTION, OPTIONS)));
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const results = await Promise.all(pending);
    assert.ok(results.every((r) => r.kind === 'message'));
    assert.equal(new Set(server.queries.map((q) => q.id)).size, 300);
    assert.equal(new Set(server.queries.map((q) => q.from.port)).size, 1);
  });
});

describe('source ports', () => {
  test('each pooled socket has its own OS-chosen port; queries go round the pool', async (t) => {
    const server = await serve(t, { '*': answer([a('192.0.2.1')]) });
    const udp = transport(t, { sockets: 4 });
    for (let i = 0; i < 8; i += 1) await udp.exchange(server.address, QUESTION, OPTIONS);
    const ports = server.queries.map((q) => q.from.port);
    assert.equal(new Set(ports).size, 4);
    assert.deepEqual(ports.slice(4), ports.slice(0, 4), 'round robin');
  });

  test('two transports use different ports', async (t) => {
    const server = await serve(t, { '*': answer([a('192.0.2.1')]) });
    const one = transport(t, { sockets: 2 });
    const two = transport(t, { sockets: 2 });
    for (let i = 0; i < 2; i += 1) await one.exchange(server.address, QUESTION, OPTIONS);
    const first = new Set(server.queries.map((q) => q.from.port));
    for (let i = 0; i < 2; i += 1) await two.exchange(server.address, QUESTION, OPTIONS);
    const second = new Set(server.queries.slice(2).map((q) => q.from.port));
    assert.equal(first.size, 2);
    assert.equal(second.size, 2);
    assert.ok([...second].every((p) => !first.has(p)));
  });

  test('queriesPerSocket 1: a fresh socket, and port, for every query; ports not sequential', async (t) => {
    const server = await serve(t, { '*': answer([a('192.0.2.1')]) });
    const udp = transport(t, { sockets: 1, queriesPerSocket: 1 });
    for (let i = 0; i < 12; i += 1) assert.equal((await udp.exchange(server.address, QUESTION, OPTIONS)).kind, 'message');
    const ports = server.queries.map((q) => q.from.port);
    assert.ok(new Set(ports).size >= 10, `ports ${ports.join(' ')}`);
    assert.ok(sequentialSteps(ports) < 6, `ports ${ports.join(' ')} look sequential`);
  });
});

describe('the source check', () => {
  test('a perfect answer from another loopback address with the right port is ignored', async (t) => {
    // 127.0.0.2 is loopback too; bind a spoofer there on the server's port number.
    let spoofer: Socket | undefined;
    const server = await serve(t, {
      '*': raw((q) => {
        spoofer?.send(buildResponse(q, { answers: [a(FORGED_ADDRESS)] }), q.from.port, q.from.address);
        return [];
      }),
    });
    spoofer = createSocket('udp4');
    const bound = spoofer;
    await new Promise<void>((resolve) => bound.bind(server.address.port, '127.0.0.2', () => resolve()));
    t.after(() => bound.close());
    const udp = transport(t);
    const result = await udp.exchange(server.address, QUESTION, { ...OPTIONS, timeoutMs: 200 });
    assert.equal(result.kind, 'timeout');
    // The socket is connected to the server's address and port: the kernel drops the spoofed copy.
    assert.equal(udp.ignored.wrongSource, 0);
    assert.equal(server.queries.length, 1, 'the server was asked');
  });

  test('IPv6 loopback: answered, and a copy from another port ignored', async (t) => {
    const server = await serve(t, { '*': otherPort(answer([a('192.0.2.1')])) }, { host: '::1' });
    const udp = transport(t);
    const result = await udp.exchange(server.address, QUESTION, OPTIONS);
    assert.equal(result.kind === 'message' ? result.message.answers[0]?.type === 'A' && result.message.answers[0].address : result.kind, '192.0.2.1');
    assert.equal(server.queries[0]?.from.address, '::1');
    assert.equal(udp.ignored.wrongSource, 0, 'the copy from another port is dropped by the kernel');
  });
});

describe('close()', () => {
  test('queries in flight end at once as network failures, retired sockets included', async (t) => {
    const server = await serve(t, { '*': drop() });
    // queriesPerSocket 1 retires every socket right after its query: they stay out of the pool while waiting.
    const udp = new UdpTransport({ sockets: 2, queriesPerSocket: 1 });
    const pending = Array.from({ length: 5 }, () => udp.exchange(server.address, QUESTION, { ...OPTIONS, timeoutMs: 5000 }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(server.queries.length, 5);
    const started = performance.now();
    udp.close();
    const results = await Promise.all(pending);
    assert.ok(performance.now() - started < 500, 'resolved at close, not at the timeout');
    assert.deepEqual(results.map((r) => r.kind), ['network', 'network', 'network', 'network', 'network']);
    assert.throws(() => udp.exchange(server.address, QUESTION, OPTIONS), /after close/);
  });
});

describe('a port where nothing listens', () => {
  /** A loopback UDP port that was just free: bound by the OS, then closed. */
  async function closedPort(): Promise<number> {
    const probe = createSocket('udp4');
    await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', () => resolve()));
    const port = probe.address().port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
  }

  test('the ICMP port unreachable ends the queries at once as network failures, not timeouts', async (t) => {
    const udp = transport(t, { sockets: 1 });
    const server = { host: '127.0.0.1', port: await closedPort(), family: 4 as const };
    const started = performance.now();
    const results = await Promise.all([udp.exchange(server, QUESTION, { ...OPTIONS, timeoutMs: 5000 }), udp.exchange(server, { name: 'b.example', type: 'SRV' }, { ...OPTIONS, timeoutMs: 5000 })]);
    const ms = performance.now() - started;
    // Each says how many datagrams its question cost: one, none was sent again.
    assert.deepEqual(results, [{ kind: 'network', detail: 'ICMP port unreachable', datagrams: 1 }, { kind: 'network', detail: 'ICMP port unreachable', datagrams: 1 }]);
    assert.ok(ms < 1000, `ended after ${Math.round(ms)} ms, not at the 5 s timeout`);
    // The failed socket is gone: the next query gets a fresh one, and fails the same way.
    assert.deepEqual(await udp.exchange(server, QUESTION, { ...OPTIONS, timeoutMs: 5000 }), { kind: 'network', detail: 'ICMP port unreachable', datagrams: 1 });
  });
});
