/**
 * DnsClient against the fault server: one scenario per fault. The principle
 * under test: a dropped packet, a forged datagram, garbage or a server fault
 * never becomes an answer or "record missing". The real answer wins where one
 * comes; otherwise the outcome is a failure naming the fault and the server;
 * never a crash, never a wait beyond timeoutMs × attempts.
 */
import '../../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { describe, test, type TestContext } from 'node:test';
import { DnsClient, sumClientStats, type DnsClientOptions, type QueryOutcome } from '../../../src/dns/client.js';
import type { DnsMessage, Question, ResourceRecord } from '../../../src/dns/codec.js';
import { formatServer } from '../../../src/dns/server-address.js';
import {
  a,
  aaaa,
  answer,
  assertLoopback,
  buildResponse,
  cname,
  cnameChain,
  cnameChainScript,
  cnameLoop,
  coalesce,
  drop,
  ednsIntolerant,
  FORGED_ADDRESS,
  FORGED_TARGET,
  forgedId,
  garbage,
  late,
  malformed,
  otherPort,
  qrClear,
  raw,
  rcode,
  soa,
  split,
  srv,
  startFaultServer,
  stream,
  tcpClose,
  tcpReset,
  truncated,
  wrongQuestion,
  type FaultScript,
  type FaultServer,
  type FaultServerOptions,
  type MalformedFault,
  type RecordSpec,
} from '../../support/fault-server.js';

/** Per-attempt timeout used throughout: short enough to keep the suite fast, long enough for a loaded CI box. */
const T = 250;
/** Scheduling slack allowed on top of timeoutMs × attempts. */
const SLACK = 400;

const NAME = 'sip.example.com';
const A_QUESTION: Question = { name: NAME, type: 'A' };
const REAL = '192.0.2.10';

async function serve(t: TestContext, script: FaultScript, options?: FaultServerOptions): Promise<FaultServer> {
  const server = await startFaultServer(script, options);
  assertLoopback(server.address);
  t.after(() => server.close());
  return server;
}

function clientFor(t: TestContext, servers: readonly FaultServer[], options: Partial<DnsClientOptions> = {}): DnsClient {
  const client = new DnsClient({ servers: servers.map((s) => s.address), timeoutMs: T, retries: 0, ...options });
  t.after(() => client.close());
  return client;
}

/** Run a query and measure it. */
async function timedQuery(client: DnsClient, question: Question = A_QUESTION): Promise<{ outcome: QueryOutcome; ms: number }> {
  const started = performance.now();
  const outcome = await client.query(question);
  return { outcome, ms: performance.now() - started };
}

function asResponse(outcome: QueryOutcome): QueryOutcome & { kind: 'response' } {
  if (outcome.kind !== 'response') assert.fail(`expected a response, got failure ${outcome.reason}: ${outcome.detail}`);
  return outcome;
}

function asFailure(outcome: QueryOutcome): QueryOutcome & { kind: 'failure' } {
  if (outcome.kind !== 'failure') assert.fail(`expected a failure, got a response with ${JSON.stringify(outcome.message.answers)}`);
  return outcome;
}

function addresses(message: DnsMessage): string[] {
  return message.answers.flatMap((r) => (r.type === 'A' || r.type === 'AAAA' ? [r.address] : []));
}

/** The forged values must never surface, whatever the outcome. */
function assertNoForgery(outcome: QueryOutcome): void {
  const text = JSON.stringify(outcome);
  assert.ok(!text.includes(FORGED_ADDRESS) && !text.includes(FORGED_TARGET) && !text.includes('2001:db8:bad::66'), `forged data in ${text}`);
}

/** Elapsed time within timeoutMs × attempts (+ slack): no hang. */
function assertBounded(ms: number, attempts: number): void {
  assert.ok(ms <= T * attempts + SLACK, `took ${Math.round(ms)} ms, bound ${T * attempts + SLACK} ms`);
}

function realA(): RecordSpec[] {
  return [a(REAL)];
}

describe('plain answers', () => {
  test('A answer over UDP: one try, nothing ignored', async (t) => {
    const server = await serve(t, { [NAME]: answer(realA()) });
    const client = clientFor(t, [server]);
    const { outcome, ms } = await timedQuery(client);
    const response = asResponse(outcome);
    assert.deepEqual(addresses(response.message), [REAL]);
    assert.equal(response.transport, 'udp');
    assert.equal(response.tries, 1);
    assert.deepEqual(response.server, server.address);
    assert.deepEqual(client.ignored, { wrongSource: 0, unknownId: 0, mismatched: 0, malformed: 0 });
    assert.equal(server.queries.length, 1);
    assert.equal(server.queries[0]?.edns, true, 'first query carries EDNS');
    assertBounded(ms, 1);
  });

  test('SRV, AAAA and CNAME records decode with every field', async (t) => {
    const server = await serve(t, {
      [`_sipfederationtls._tcp.example.com SRV`]: answer([srv('sipfed.example.com', 5061, { priority: 10, weight: 60 }), srv('sipfed2.example.com', 5061, { priority: 20, weight: 0 })]),
      [`${NAME} AAAA`]: answer([aaaa('2001:db8::10')]),
      [`alias.example.com A`]: answer([cname(NAME, { name: 'alias.example.com' }), a(REAL, { name: NAME })]),
    });
    const client = clientFor(t, [server]);
    const srvOutcome = asResponse(await client.query({ name: '_sipfederationtls._tcp.example.com', type: 'SRV' }));
    assert.deepEqual(srvOutcome.message.answers, [
      { type: 'SRV', name: '_sipfederationtls._tcp.example.com', ttl: 300, priority: 10, weight: 60, port: 5061, target: 'sipfed.example.com' },
      { type: 'SRV', name: '_sipfederationtls._tcp.example.com', ttl: 300, priority: 20, weight: 0, port: 5061, target: 'sipfed2.example.com' },
    ]);
    assert.deepEqual(addresses(asResponse(await client.query({ name: NAME, type: 'AAAA' })).message), ['2001:db8::10']);
    const alias = asResponse(await client.query({ name: 'alias.example.com', type: 'A' }));
    assert.deepEqual(alias.message.answers, [
      { type: 'CNAME', name: 'alias.example.com', ttl: 300, target: NAME },
      { type: 'A', name: NAME, ttl: 300, address: REAL },
    ]);
  });

  test('names match case-insensitively; the question is echoed as sent', async (t) => {
    const server = await serve(t, { 'SIP.Example.COM.': answer(realA()) });
    const client = clientFor(t, [server]);
    const response = asResponse(await client.query({ name: 'sip.EXAMPLE.com', type: 'A' }));
    assert.deepEqual(addresses(response.message), [REAL]);
    assert.equal(response.message.questions[0]?.name, 'sip.EXAMPLE.com');
  });

  test('a name holding any octet (\\255, \\.) is asked as those octets over UDP and TCP; a reply to other octets is not taken', async (t) => {
    const odd = 'sip\\255x.a\\.b.example.com';
    const other = 'sip\\254x.a\\.b.example.com';
    const server = await serve(t, {
      [`${odd} A`]: [truncated(), answer(realA())],
      [`${odd} AAAA`]: raw((q) => [buildResponse(q, { questionName: other, answers: [aaaa('2001:db8:bad::66', { name: other })] }), buildResponse(q, { answers: [aaaa('2001:db8::10')] })]),
    });
    const client = clientFor(t, [server]);
    const tcp = asResponse(await client.query({ name: 'SIP\\255X.a\\.b.example.com', type: 'A' }));
    assert.equal(tcp.transport, 'tcp');
    assert.deepEqual(addresses(tcp.message), [REAL]);
    assert.equal(tcp.message.questions[0]?.name, 'SIP\\255X.a\\.b.example.com', 'the question echoed as sent, case included');
    const udp = asResponse(await client.query({ name: odd, type: 'AAAA' }));
    assert.deepEqual(addresses(udp.message), ['2001:db8::10']);
    assert.equal(client.ignored.mismatched, 1, 'the reply to sip\\254x was ignored');
    assert.deepEqual(server.queries.map((q) => `${q.name} ${q.type} ${q.transport}`), [
      'SIP\\255X.a\\.b.example.com A udp',
      'SIP\\255X.a\\.b.example.com A tcp',
      `${odd} AAAA udp`,
    ]);
  });

  test('an unscripted question is REFUSED, never silently answered', async (t) => {
    const server = await serve(t, { 'other.example.com': answer(realA()) });
    const client = clientFor(t, [server]);
    const failure = asFailure(await client.query(A_QUESTION));
    assert.equal(failure.reason, 'refused');
    assert.equal(server.queries[0]?.behaviour, 'refused-unscripted');
  });
});

describe('dropped and late answers', () => {
  test('every query dropped: timeout naming the server, within timeoutMs × attempts', async (t) => {
    const server = await serve(t, { [NAME]: drop() });
    const client = clientFor(t, [server], { retries: 1 });
    const { outcome, ms } = await timedQuery(client);
    const failure = asFailure(outcome);
    assert.equal(failure.reason, 'timeout');
    assert.equal(failure.tries, 2);
    assert.equal(failure.detail, `timeout after 2 tries to ${formatServer(server.address)}`);
    assert.ok(ms >= 2 * T - 20, `gave up after ${ms} ms, before two timeouts`);
    assertBounded(ms, 2);
    assert.equal(server.queries.length, 2);
  });

  test('first attempt dropped, second answered: the answer, on try 2', async (t) => {
    const server = await serve(t, { [NAME]: [drop(), answer(realA())] });
    const client = clientFor(t, [server], { retries: 2 });
    const { outcome, ms } = await timedQuery(client);
    const response = asResponse(outcome);
    assert.deepEqual(addresses(response.message), [REAL]);
    assert.equal(response.tries, 2);
    assert.deepEqual(server.queries.map((q) => q.attempt), [0, 1]);
    assert.notEqual(server.queries[0]?.id, server.queries[1]?.id, 'a retry uses a fresh ID');
    assertBounded(ms, 2);
  });

  test('an answer late but within the timeout is taken', async (t) => {
    const server = await serve(t, { [NAME]: late(T / 3, answer(realA())) });
    const client = clientFor(t, [server]);
    const { outcome, ms } = await timedQuery(client);
    assert.deepEqual(addresses(asResponse(outcome).message), [REAL]);
    assert.ok(ms >= T / 3 - 5);
  });

  test('an answer after the timeout is a timeout, and the stray datagram is counted, not taken', async (t) => {
    const server = await serve(t, { [NAME]: late(T + 100, answer(realA())) });
    const client = clientFor(t, [server]);
    const { outcome, ms } = await timedQuery(client);
    assert.equal(asFailure(outcome).reason, 'timeout');
    assertBounded(ms, 1);
    await new Promise((resolve) => setTimeout(resolve, 250));
    assert.equal(client.ignored.unknownId, 1);
  });
});

describe('forged and stray datagrams before the real answer', () => {
  const cases: readonly { name: string; behaviour: ReturnType<typeof answer>; counter: keyof DnsClient['ignored'] }[] = [
    { name: 'a response with an ID not in flight', behaviour: forgedId(answer(realA())), counter: 'unknownId' },
    { name: 'the right ID with another question', behaviour: wrongQuestion(answer(realA())), counter: 'mismatched' },
    { name: 'the right ID and question with QR clear', behaviour: qrClear(answer(realA())), counter: 'mismatched' },
    { name: 'random bytes starting with the right ID', behaviour: garbage({ keepId: true }, answer(realA())), counter: 'malformed' },
    { name: 'random bytes with another ID', behaviour: garbage({ keepId: false }, answer(realA())), counter: 'unknownId' },
  ];
  for (const c of cases) {
    test(`${c.name}: ignored and counted; the real answer wins`, async (t) => {
      const server = await serve(t, { [NAME]: c.behaviour });
      const client = clientFor(t, [server]);
      const { outcome, ms } = await timedQuery(client);
      const response = asResponse(outcome);
      assert.deepEqual(addresses(response.message), [REAL]);
      assertNoForgery(outcome);
      assert.equal(client.ignored[c.counter], 1, JSON.stringify(client.ignored));
      assert.ok(ms < T, 'the real answer is taken at once, without waiting for the timeout');
    });
  }

  test('every forgery in a row, then the real answer', async (t) => {
    const server = await serve(t, {
      [NAME]: forgedId(wrongQuestion(otherPort(qrClear(garbage({ keepId: true }, garbage({ keepId: false }, answer(realA()))))))),
    });
    const client = clientFor(t, [server]);
    const { outcome } = await timedQuery(client);
    assert.deepEqual(addresses(asResponse(outcome).message), [REAL]);
    assertNoForgery(outcome);
    // The copy from another port never arrives: the socket is connected to the server, so the kernel drops it.
    assert.deepEqual(client.ignored, { wrongSource: 0, unknownId: 2, mismatched: 2, malformed: 1 });
  });

  test('a perfect copy from another source port never reaches the client (connected socket); the real answer wins', async (t) => {
    const server = await serve(t, { [NAME]: otherPort(answer(realA())) });
    const client = clientFor(t, [server]);
    const { outcome, ms } = await timedQuery(client);
    assert.deepEqual(addresses(asResponse(outcome).message), [REAL]);
    assertNoForgery(outcome);
    assert.deepEqual(client.ignored, { wrongSource: 0, unknownId: 0, mismatched: 0, malformed: 0 });
    assert.ok(ms < T, 'the real answer is taken at once');
  });

  test('SRV: a forged target never appears', async (t) => {
    const question: Question = { name: '_sip._tls.example.com', type: 'SRV' };
    const server = await serve(t, { [question.name]: otherPort(forgedId(wrongQuestion(answer([srv('sip.example.com', 443)])))) });
    const client = clientFor(t, [server]);
    const { outcome } = await timedQuery(client, question);
    const response = asResponse(outcome);
    assertNoForgery(outcome);
    assert.deepEqual(response.message.answers.map((r) => (r.type === 'SRV' ? `${r.target}:${r.port}` : r.type)), ['sip.example.com:443']);
  });
});

describe('forgeries with no real answer behind them', () => {
  test('forged ID only: a timeout, not the forged answer', async (t) => {
    const server = await serve(t, { [NAME]: forgedId(drop()) });
    const client = clientFor(t, [server], { retries: 1 });
    const { outcome, ms } = await timedQuery(client);
    assert.equal(asFailure(outcome).reason, 'timeout');
    assertNoForgery(outcome);
    assert.equal(client.ignored.unknownId, 2);
    assertBounded(ms, 2);
  });

  test('other source port only: a timeout', async (t) => {
    const server = await serve(t, { [NAME]: otherPort(drop()) });
    const client = clientFor(t, [server]);
    const { outcome, ms } = await timedQuery(client);
    assert.equal(asFailure(outcome).reason, 'timeout');
    assertNoForgery(outcome);
    // Dropped by the kernel (the socket is connected to the server), so not even counted.
    assert.equal(client.ignored.wrongSource, 0);
    assertBounded(ms, 1);
  });

  test('QR clear only: failure naming the fault and the server', async (t) => {
    const server = await serve(t, { [NAME]: qrClear() });
    const client = clientFor(t, [server]);
    const { outcome, ms } = await timedQuery(client);
    const failure = asFailure(outcome);
    assert.equal(failure.reason, 'malformed');
    assert.match(failure.detail, /QR flag clear/);
    assert.ok(failure.detail.includes(formatServer(server.address)), failure.detail);
    assertNoForgery(outcome);
    assertBounded(ms, 1);
  });

  test('another question only: failure naming the mismatch', async (t) => {
    const server = await serve(t, { [NAME]: wrongQuestion(drop()) });
    const client = clientFor(t, [server]);
    const failure = asFailure((await timedQuery(client)).outcome);
    assert.equal(failure.reason, 'malformed');
    assert.match(failure.detail, /question name forged\.sip\.example\.com instead of sip\.example\.com/);
  });

  test('garbage with the right ID only: failure "malformed response"', async (t) => {
    const server = await serve(t, { [NAME]: garbage({ keepId: true, length: 30 }) });
    const client = clientFor(t, [server]);
    const { outcome, ms } = await timedQuery(client);
    const failure = asFailure(outcome);
    assert.equal(failure.reason, 'malformed');
    assert.match(failure.detail, /^malformed response: .* \(1 try to 127\.0\.0\.1:\d+\)$/);
    assertBounded(ms, 1);
  });
});

describe('server faults, retries and the next server', () => {
  test('SERVFAIL: failure "SERVFAIL from <server> (2 tries)", without waiting for timeouts', async (t) => {
    const server = await serve(t, { [NAME]: rcode('SERVFAIL') });
    const client = clientFor(t, [server], { retries: 1 });
    const { outcome, ms } = await timedQuery(client);
    const failure = asFailure(outcome);
    assert.equal(failure.reason, 'servfail');
    assert.equal(failure.detail, `SERVFAIL from ${formatServer(server.address)} (2 tries)`);
    assert.ok(ms < T, `${ms} ms`);
  });

  test('REFUSED: failure "refused"', async (t) => {
    const server = await serve(t, { [NAME]: rcode('REFUSED') });
    const client = clientFor(t, [server]);
    const failure = asFailure(await client.query(A_QUESTION));
    assert.equal(failure.reason, 'refused');
    assert.equal(failure.detail, `REFUSED from ${formatServer(server.address)} (1 try)`);
  });

  test('NXDOMAIN is an answer (with the SOA), not a failure and not a fault', async (t) => {
    const server = await serve(t, { [NAME]: rcode('NXDOMAIN', { authorities: [soa('example.com')] }) });
    const client = clientFor(t, [server]);
    const response = asResponse(await client.query(A_QUESTION));
    assert.equal(response.message.rcode, 'NXDOMAIN');
    assert.equal(response.message.answers.length, 0);
    assert.equal(response.message.authorities[0]?.type, 'SOA');
  });

  test('SERVFAIL from the first server, answer from the second', async (t) => {
    const bad = await serve(t, { [NAME]: rcode('SERVFAIL') });
    const good = await serve(t, { [NAME]: answer(realA()) });
    const client = clientFor(t, [bad, good], { retries: 1 });
    const response = asResponse(await client.query(A_QUESTION));
    assert.deepEqual(response.server, good.address);
    assert.equal(response.tries, 2);
    assert.deepEqual(addresses(response.message), [REAL]);
  });

  test('first server silent: the retry goes to the second server', async (t) => {
    const silent = await serve(t, { [NAME]: drop() });
    const good = await serve(t, { [NAME]: answer(realA()) });
    const client = clientFor(t, [silent, good], { retries: 1 });
    const { outcome, ms } = await timedQuery(client);
    const response = asResponse(outcome);
    assert.deepEqual(response.server, good.address);
    assert.ok(ms >= T - 20 && ms <= 2 * T + SLACK, `${ms} ms`);
  });

  test('both servers silent: attempts alternate, the detail names both, bounded by timeoutMs × 4', async (t) => {
    const one = await serve(t, { [NAME]: drop() });
    const two = await serve(t, { [NAME]: drop() });
    const client = clientFor(t, [one, two], { retries: 3 });
    const { outcome, ms } = await timedQuery(client);
    const failure = asFailure(outcome);
    assert.equal(failure.reason, 'timeout');
    assert.equal(failure.tries, 4);
    assert.equal(failure.detail, `timeout after 4 tries to ${formatServer(one.address)}, ${formatServer(two.address)}`);
    assert.equal(one.queries.length, 2);
    assert.equal(two.queries.length, 2);
    assertBounded(ms, 4);
  });

  test('different faults on two servers: each server and its fault in the detail, and as data', async (t) => {
    const failing = await serve(t, { [NAME]: rcode('SERVFAIL') });
    const silent = await serve(t, { [NAME]: drop() });
    const client = clientFor(t, [failing, silent], { retries: 1 });
    const failure = asFailure(await client.query(A_QUESTION));
    assert.equal(failure.reason, 'timeout');
    assert.equal(
      failure.detail,
      `no usable answer after 2 tries: ${formatServer(failing.address)} SERVFAIL; ${formatServer(silent.address)} timed out`,
    );
    assert.deepEqual(failure.failures, [
      { server: formatServer(failing.address), reason: 'servfail' },
      { server: formatServer(silent.address), reason: 'timeout' },
    ]);
  });

  test('a closed port: no crash, a failure within the bound', async (t) => {
    // Start a server and close it at once: its port is then (almost certainly) closed.
    const gone = await startFaultServer({});
    await gone.close();
    const client = new DnsClient({ servers: [gone.address], timeoutMs: T, retries: 1 });
    t.after(() => client.close());
    const { outcome, ms } = await timedQuery(client);
    const failure = asFailure(outcome);
    assert.ok(['timeout', 'network'].includes(failure.reason), failure.reason);
    assertBounded(ms, 2);
  });
});

describe('EDNS fallback', () => {
  const intolerant: readonly [string, ReturnType<typeof ednsIntolerant>][] = [
    ['FORMERR to EDNS (question echoed)', ednsIntolerant('FORMERR', answer(realA()))],
    ['FORMERR to EDNS (no question section)', ednsIntolerant('FORMERR', answer(realA()), { echoQuestion: false })],
    ['NOTIMP to EDNS', ednsIntolerant('NOTIMP', answer(realA()))],
  ];
  for (const [title, behaviour] of intolerant) {
    test(`${title}: asked again without EDNS, answered`, async (t) => {
      const server = await serve(t, { [NAME]: behaviour });
      const client = clientFor(t, [server]);
      const response = asResponse(await client.query(A_QUESTION));
      assert.deepEqual(addresses(response.message), [REAL]);
      assert.equal(response.tries, 1, 'the fallback is part of the same attempt');
      assert.deepEqual(server.queries.map((q) => q.edns), [true, false]);
      assert.equal(client.stats.ednsFallbacks, 1);
    });
  }

  test('FORMERR with and without EDNS: failure "FORMERR from <server>"', async (t) => {
    const server = await serve(t, { [NAME]: rcode('FORMERR') });
    const client = clientFor(t, [server], { retries: 1 });
    const failure = asFailure(await client.query(A_QUESTION));
    assert.equal(failure.reason, 'formerr');
    assert.equal(failure.detail, `FORMERR from ${formatServer(server.address)} (2 tries)`);
    assert.deepEqual(server.queries.map((q) => q.edns), [true, false, true, false]);
  });
});

describe('truncation and TCP', () => {
  test('TC=1 over UDP, then the answer over TCP', async (t) => {
    const server = await serve(t, { [NAME]: [truncated(), answer(realA())] });
    const client = clientFor(t, [server]);
    const response = asResponse(await client.query(A_QUESTION));
    assert.equal(response.transport, 'tcp');
    assert.deepEqual(addresses(response.message), [REAL]);
    assert.deepEqual(server.queries.map((q) => q.transport), ['udp', 'tcp']);
    assert.equal(client.stats.truncated, 1);
  });

  const tcpFaults: readonly { title: string; script: FaultScript; options?: FaultServerOptions; reason: string; detail: RegExp }[] = [
    { title: 'connection refused', script: { [NAME]: truncated() }, options: { tcp: 'refuse' }, reason: 'network', detail: /truncated UDP answer, TCP ECONNREFUSED/ },
    { title: 'connection reset', script: { [NAME]: [truncated(), tcpReset()] }, reason: 'network', detail: /truncated UDP answer, TCP ECONNRESET/ },
    { title: 'connection closed without an answer', script: { [NAME]: [truncated(), tcpClose()] }, reason: 'network', detail: /truncated UDP answer, TCP connection closed before an answer/ },
    { title: 'no answer over TCP', script: { [NAME]: [truncated(), drop()] }, reason: 'timeout', detail: /^timeout after 1 try to 127\.0\.0\.1:\d+$/ },
    { title: 'TC=1 again over TCP', script: { [NAME]: truncated() }, reason: 'malformed', detail: /truncated answer \(TC=1\) over TCP/ },
  ];
  for (const c of tcpFaults) {
    test(`TC=1, then ${c.title}: failure "${c.reason}" naming the server`, async (t) => {
      const server = await serve(t, c.script, c.options);
      const client = clientFor(t, [server]);
      const { outcome, ms } = await timedQuery(client);
      const failure = asFailure(outcome);
      assert.equal(failure.reason, c.reason);
      assert.match(failure.detail, c.detail);
      assert.ok(failure.detail.includes(formatServer(server.address)), failure.detail);
      assertBounded(ms, 1);
    });
  }

  test('250 SRV records: UDP gets TC=1, TCP brings the whole set', async (t) => {
    const question: Question = { name: '_sipfederationtls._tcp.big.example', type: 'SRV' };
    const records = Array.from({ length: 250 }, (_, i) => srv(`edge${i}.big.example`, 5061 + (i % 7), { priority: i % 5, weight: i }));
    const server = await serve(t, { [question.name]: answer(records) });
    const client = clientFor(t, [server]);
    const response = asResponse(await client.query(question));
    assert.equal(response.transport, 'tcp');
    assert.deepEqual(server.queries.map((q) => q.transport), ['udp', 'tcp']);
    const got = response.message.answers.map((r) => (r.type === 'SRV' ? `${r.priority} ${r.weight} ${r.port} ${r.target}` : r.type));
    const want = records.map((r) => (r.type === 'SRV' ? `${r.priority} ${r.weight} ${r.port} ${r.target}` : ''));
    assert.deepEqual(got, want);
  });

  test('TCP answer written in many small chunks', async (t) => {
    const server = await serve(t, { [NAME]: split(answer(realA()), 9, 3) });
    const client = clientFor(t, [server], { forceTcp: true });
    const response = asResponse(await client.query(A_QUESTION));
    assert.equal(response.transport, 'tcp');
    assert.deepEqual(addresses(response.message), [REAL]);
  });

  test('TCP: forged, mismatched and malformed messages in the same chunk as the real one', async (t) => {
    const server = await serve(t, {
      [NAME]: coalesce(forgedId(wrongQuestion(qrClear(malformed('long-label', answer(realA())))))),
    });
    const client = clientFor(t, [server], { forceTcp: true });
    const { outcome } = await timedQuery(client);
    assert.deepEqual(addresses(asResponse(outcome).message), [REAL]);
    assertNoForgery(outcome);
    assert.deepEqual(client.ignored, { wrongSource: 0, unknownId: 0, mismatched: 3, malformed: 1 });
  });

  test('TCP: the real answer and a spare one in a single chunk: the first is taken', async (t) => {
    const server = await serve(t, {
      [NAME]: coalesce(raw((q) => [buildResponse(q, { answers: realA() }), buildResponse(q, { answers: [a('192.0.2.99')] })])),
    });
    const client = clientFor(t, [server], { forceTcp: true });
    assert.deepEqual(addresses(asResponse(await client.query(A_QUESTION)).message), [REAL]);
  });

  test('TCP: a zero-length message before the real one is skipped', async (t) => {
    const server = await serve(t, { [NAME]: coalesce(raw((q) => [Buffer.alloc(0), buildResponse(q, { answers: realA() })])) });
    const client = clientFor(t, [server], { forceTcp: true });
    assert.deepEqual(addresses(asResponse(await client.query(A_QUESTION)).message), [REAL]);
    assert.equal(client.ignored.malformed, 1);
  });

  test('TCP: the connection closes in the middle of a message', async (t) => {
    const server = await serve(t, {
      [NAME]: stream((q) => {
        const message = buildResponse(q, { answers: realA() });
        const framed = Buffer.concat([Buffer.from([message.length >> 8, message.length & 0xff]), message]);
        return [{ bytes: framed.subarray(0, 20) }];
      }, { close: true }),
    });
    const client = clientFor(t, [server], { forceTcp: true });
    const { outcome, ms } = await timedQuery(client);
    const failure = asFailure(outcome);
    assert.equal(failure.reason, 'network');
    assert.match(failure.detail, /closed before an answer/);
    assert.ok(ms < T);
  });

  test('TCP: a 40 kB answer arriving in two uneven writes next to a second message decodes whole', async (t) => {
    // 600 SRV records make a ~40 kB message. The first write carries 30 kB; the
    // second, later, the rest plus a whole spare copy, so one read can hold more
    // than 64 kB of buffered stream although no single message is that long.
    const records = Array.from({ length: 600 }, (_, i) => srv(`target-number-${i}.large.example`, 5061));
    const question: Question = { name: '_sip._tcp.large.example', type: 'SRV' };
    const server = await serve(t, {
      [question.name]: stream((q) => {
        const message = buildResponse(q, { answers: records });
        const framed = Buffer.concat([Buffer.from([message.length >> 8, message.length & 0xff]), message]);
        return [{ bytes: framed.subarray(0, 30_000) }, { bytes: Buffer.concat([framed.subarray(30_000), framed]), delayMs: 30 }];
      }),
    });
    const client = clientFor(t, [server], { forceTcp: true, timeoutMs: 2000 });
    const response = asResponse(await client.query(question));
    assert.equal(response.message.answers.length, 600);
  });
});

describe('malformed responses', () => {
  const faults: readonly [MalformedFault, RegExp][] = [
    ['pointer-loop', /pointer at offset \d+ to offset \d+ does not point to earlier data/],
    ['pointer-cycle', /pointer at offset \d+ to offset \d+ does not point to earlier data/],
    ['pointer-out-of-range', /pointer at offset \d+ to offset 16383/],
    ['truncated-header', /7 bytes is shorter than a DNS header/],
    ['inflated-counts', /header announces 5 answer records but the message ends after 1/],
    ['long-label', /label length byte 0x40/],
    ['long-name', /longer than 255 octets/],
    ['truncated-rdata', /AAAA record data \(RDLENGTH 16\) runs past the end/],
    ['rdlength-mismatch', /A record data of 0 octets instead of 4/],
  ];
  for (const [fault, detail] of faults) {
    test(`${fault}: failure "malformed" naming the fault and the server`, async (t) => {
      const server = await serve(t, { [NAME]: malformed(fault) });
      const client = clientFor(t, [server]);
      const { outcome, ms } = await timedQuery(client);
      const failure = asFailure(outcome);
      assert.equal(failure.reason, 'malformed');
      assert.match(failure.detail, detail);
      assert.ok(failure.detail.includes(formatServer(server.address)), failure.detail);
      assert.equal(client.ignored.malformed, 1);
      assertBounded(ms, 1);
    });

    test(`${fault}, then the real answer: the real answer`, async (t) => {
      const server = await serve(t, { [NAME]: malformed(fault, answer(realA())) });
      const client = clientFor(t, [server]);
      const response = asResponse(await client.query(A_QUESTION));
      assert.deepEqual(addresses(response.message), [REAL]);
    });
  }

  test('malformed over TCP too', async (t) => {
    const server = await serve(t, { [NAME]: malformed('pointer-loop') });
    const client = clientFor(t, [server], { forceTcp: true });
    const failure = asFailure(await client.query(A_QUESTION));
    assert.equal(failure.reason, 'malformed');
    assert.match(failure.detail, /malformed response over TCP: .*pointer loop/);
  });
});

describe('CNAME chains and loops are returned as sent (the lookup layer judges them)', () => {
  test('a 12-hop chain in one answer, in order', async (t) => {
    const server = await serve(t, { [NAME]: cnameChain(NAME, 12, (owner) => [a(REAL, { name: owner })]) });
    const client = clientFor(t, [server]);
    const response = asResponse(await client.query(A_QUESTION));
    const records: readonly ResourceRecord[] = response.message.answers;
    assert.equal(records.length, 13);
    assert.deepEqual(
      records.slice(0, 12).map((r) => (r.type === 'CNAME' ? `${r.name}>${r.target}` : r.type)),
      Array.from({ length: 12 }, (_, i) => `${i === 0 ? NAME : `hop${i}.${NAME}`}>hop${i + 1}.${NAME}`),
    );
    assert.deepEqual(records[12], { type: 'A', name: `hop12.${NAME}`, ttl: 300, address: REAL });
  });

  test('a CNAME loop answers at once, no hang', async (t) => {
    const server = await serve(t, { [NAME]: cnameLoop(NAME, 3) });
    const client = clientFor(t, [server]);
    const { outcome, ms } = await timedQuery(client);
    const response = asResponse(outcome);
    assert.deepEqual(
      response.message.answers.map((r) => (r.type === 'CNAME' ? `${r.name}>${r.target}` : r.type)),
      [`${NAME}>hop1.${NAME}`, `hop1.${NAME}>hop2.${NAME}`, `hop2.${NAME}>${NAME}`],
    );
    assert.ok(ms < T);
  });

  test('a 10-hop chain asked one link at a time', async (t) => {
    const server = await serve(t, cnameChainScript(NAME, 10, (owner) => [a(REAL, { name: owner })]));
    const client = clientFor(t, [server]);
    let name = NAME;
    for (let hop = 0; hop < 10; hop += 1) {
      const response = asResponse(await client.query({ name, type: 'A' }));
      const link = response.message.answers[0];
      assert.equal(link?.type, 'CNAME');
      name = link.type === 'CNAME' ? link.target : '';
    }
    assert.deepEqual(addresses(asResponse(await client.query({ name, type: 'A' })).message), [REAL]);
  });
});

describe('the per-attempt timeout covers every exchange of the attempt', () => {
  test('late TC=1, then a late TCP answer: one timeout, not two', async (t) => {
    const server = await serve(t, { [NAME]: [late(0.6 * T, truncated()), late(0.6 * T, answer(realA()))] });
    const client = clientFor(t, [server]);
    const { outcome, ms } = await timedQuery(client);
    assert.equal(asFailure(outcome).reason, 'timeout');
    assertBounded(ms, 1);
    assert.ok(ms < 1.15 * T + 100, `${ms} ms`);
  });

  test('late FORMERR to EDNS, then a late plain answer: bounded likewise', async (t) => {
    const server = await serve(t, { [NAME]: late(0.6 * T, ednsIntolerant('FORMERR', answer(realA()))) });
    const client = clientFor(t, [server], { retries: 1 });
    const { outcome, ms } = await timedQuery(client);
    assert.equal(asFailure(outcome).reason, 'timeout');
    assertBounded(ms, 2);
  });

  test('a slow but timely TC=1 and TCP answer still succeed', async (t) => {
    const server = await serve(t, { [NAME]: [late(0.2 * T, truncated()), late(0.2 * T, answer(realA()))] });
    const client = clientFor(t, [server]);
    const response = asResponse(await client.query(A_QUESTION));
    assert.equal(response.transport, 'tcp');
  });
});

describe('counters of several clients', () => {
  test('sumClientStats adds up every counter, those of ignored messages over UDP and TCP included', async (t) => {
    const overUdp = clientFor(t, [await serve(t, { [NAME]: malformed('long-label', answer(realA())) })]);
    const overTcp = clientFor(t, [await serve(t, { [NAME]: coalesce(wrongQuestion(answer(realA()))) })], { forceTcp: true });
    asResponse(await overUdp.query(A_QUESTION));
    asResponse(await overTcp.query(A_QUESTION));
    asFailure(await overTcp.query({ name: 'unscripted.example.com', type: 'A' }));
    const { stats, ignored } = sumClientStats([overUdp, overTcp]);
    assert.equal(stats.udpQueries, 1);
    assert.equal(stats.tcpQueries, 2);
    assert.equal(stats.outcomes.response, 2);
    assert.equal(stats.outcomes.refused, 1);
    assert.deepEqual(ignored, { wrongSource: 0, unknownId: 0, mismatched: 1, malformed: 1 });
  });
});

describe('bad settings', () => {
  test('a client without servers is refused when made, not at its first query', () => {
    assert.throws(() => new DnsClient({ servers: [], timeoutMs: T, retries: 0 }), /at least one server/);
  });
});
