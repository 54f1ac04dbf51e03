/**
 * The codec's and the UDP transport's fast paths (issue 6) against their
 * references: the query encoder byte for byte against dns-packet's, the
 * record decoder against dns-packet's decoding of the same message, and the
 * single timer of the UDP pool (no query times out early, none hangs).
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { decodeMessage, decodeRaw, encodeQuery, encodeQueryPacket, encodeRaw, normaliseName, type DnsPacketTypes, type QueryType, type ResourceRecord } from '../../src/dns/codec.js';
import { UdpTransport } from '../../src/dns/udp.js';
import { a, answer, drop, late, startFaultServer } from '../support/fault-server.js';

const TYPES: readonly QueryType[] = ['A', 'AAAA', 'CNAME', 'SRV', 'SOA', 'NS', 'TXT', 'TLSA'];

/** The query as dns-packet alone encodes it: the independent reference for names it can express. */
function dnsPacketQuery(id: number, name: string, type: QueryType, options: { ednsPayload?: number | undefined; recursionDesired?: boolean | undefined }, checkingDisabled = false): Buffer {
  return encodeRaw({
    type: 'query',
    id,
    flags: (options.recursionDesired === false ? 0 : 0x0100) | (checkingDisabled ? 0x0010 : 0),
    questions: [{ name, type, class: 'IN' }],
    // DO (RFC 3225) on every EDNS query; dns-packet encodes `flags`, not `flag_do`.
    ...(options.ednsPayload === undefined
      ? {}
      : { additionals: [{ type: 'OPT', name: '.', udpPayloadSize: options.ednsPayload, extendedRcode: 0, ednsVersion: 0, flags: 0x8000, flag_do: true, options: [] }] }),
  });
}

/** Every type and option combination, with an ID derived from the name. */
function eachQuery(name: string, check: (id: number, type: QueryType, options: { ednsPayload?: number | undefined; recursionDesired?: boolean | undefined }, what: string) => void): void {
  for (const type of TYPES) {
    for (const ednsPayload of [undefined, 1232, 4096]) {
      for (const recursionDesired of [true, false, undefined]) {
        const options = { ednsPayload, recursionDesired };
        check((name.length * 7919 + type.length) & 0xffff, type, options, `${type} ${JSON.stringify(options)}`);
      }
    }
  }
}

describe('encodeQuery', () => {
  const names = [
    'sip.example.com',
    'sip.example.com.',
    '_sipfederationtls._tcp.contoso.com',
    'MiXeD.Case.Example',
    `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`,
    'x',
    // Printable ASCII that dig would escape, unescaped: each character is its octet.
    'a$b@c(d)e;f"g.example',
    // Not plain: these take the general way, and must come out as dns-packet's too.
    '.',
    'bücher.example',
    // No domain names at all (empty labels, a label of 64 octets): dns-packet's bytes, as before.
    'a..b',
    '.leading.dot',
    `${'a'.repeat(64)}.example`,
  ];
  for (const name of names) {
    test(`${JSON.stringify(name)}: the same bytes as dns-packet's encoder, every type and option (fast path and general way)`, () => {
      eachQuery(name, (id, type, options, what) => {
        const reference = dnsPacketQuery(id, name, type, options);
        assert.deepEqual(encodeQuery(id, { name, type }, options), reference, what);
        assert.deepEqual(encodeQueryPacket(id, { name, type }, options), reference, what);
        const unchecked = dnsPacketQuery(id, name, type, options, true);
        assert.deepEqual(encodeQuery(id, { name, type, checkingDisabled: true }, options), unchecked, `${what} CD=1`);
        assert.deepEqual(encodeQueryPacket(id, { name, type, checkingDisabled: true }, options), unchecked, `${what} CD=1`);
      });
    });
  }

  // Names dns-packet cannot write (it splits at every dot and writes UTF-8): the exact octets, header and OPT as dns-packet's.
  const escaped: readonly (readonly [string, readonly Buffer[]])[] = [
    ['sip\\255x.example.com', [Buffer.from([0x73, 0x69, 0x70, 0xff, 0x78]), Buffer.from('example'), Buffer.from('com')]],
    ['a\\.b.example.com.', [Buffer.from('a.b'), Buffer.from('example'), Buffer.from('com')]],
    ['back\\\\slash.example', [Buffer.from('back\\slash'), Buffer.from('example')]],
    ['\\000\\032\\127.x', [Buffer.from([0, 0x20, 0x7f]), Buffer.from('x')]],
    // Escapes dig would not write, read all the same: \X is X, \DDD of a letter is the letter.
    ['\\a\\098c\\$.example', [Buffer.from('abc$'), Buffer.from('example')]],
  ];
  for (const [name, labels] of escaped) {
    test(`${JSON.stringify(name)}: the octets its escapes stand for`, () => {
      const wire = Buffer.concat([...labels.flatMap((l) => [Buffer.from([l.length]), l]), Buffer.from([0])]);
      eachQuery(name, (id, type, options, what) => {
        const root = dnsPacketQuery(id, '.', type, options);
        const expected = Buffer.concat([root.subarray(0, 12), wire, root.subarray(13)]);
        assert.deepEqual(encodeQuery(id, { name, type }, options), expected, what);
      });
    });
  }
});

/** What dns-packet makes of a record, in the codec's shape. */
function reference(r: DnsPacketTypes.Answer): ResourceRecord | undefined {
  const data = (r as { data?: unknown }).data;
  const name = normaliseName(r.name);
  const ttl = (r as { ttl?: number }).ttl ?? 0;
  switch (r.type) {
    case 'A':
      return { type: 'A', name, ttl, address: data as string };
    case 'CNAME':
    case 'NS':
    case 'DNAME':
      return { type: r.type, name, ttl, target: normaliseName(data as string) };
    case 'SRV': {
      const srv = data as { priority: number; weight: number; port: number; target: string };
      return { type: 'SRV', name, ttl, priority: srv.priority, weight: srv.weight, port: srv.port, target: normaliseName(srv.target) };
    }
    default:
      return undefined;
  }
}

describe('decodeMessage reads A, SRV, CNAME and NS itself: the same records as dns-packet', () => {
  const message = encodeRaw({
    type: 'response',
    id: 4711,
    flags: 0x8180,
    questions: [{ name: '_sipfederationtls._tcp.Contoso.Example', type: 'SRV', class: 'IN' }],
    answers: [
      { type: 'SRV', name: '_sipfederationtls._tcp.Contoso.Example', ttl: 3600, class: 'IN', data: { priority: 10, weight: 60, port: 5061, target: 'sip.contoso.example' } },
      { type: 'SRV', name: '_sipfederationtls._tcp.contoso.example', ttl: 3600, class: 'IN', data: { priority: 20, weight: 0, port: 5061, target: '.' } },
      { type: 'CNAME', name: 'sip.contoso.example', ttl: 60, class: 'IN', data: 'edge.Hoster.example' },
      { type: 'A', name: 'edge.hoster.example', ttl: 4294967295, class: 'IN', data: '192.0.2.254' },
      { type: 'AAAA', name: 'edge.hoster.example', ttl: 30, class: 'IN', data: '2001:db8::1' },
    ],
    authorities: [{ type: 'NS', name: 'contoso.example', ttl: 86400, class: 'IN', data: 'ns1.contoso.example' }],
    additionals: [{ type: 'A', name: 'ns1.contoso.example', ttl: 86400, class: 'IN', data: '0.0.0.0' }],
  });

  test('records, names (compressed, mixed case), TTLs and the question', () => {
    const decoded = decodeMessage(message);
    assert.ok(decoded.ok);
    const raw = decodeRaw(message);
    const fast = (list: readonly ResourceRecord[]): ResourceRecord[] => list.filter((r) => r.type !== 'AAAA');
    const expected = (list: readonly DnsPacketTypes.Answer[] | undefined): (ResourceRecord | undefined)[] => (list ?? []).filter((r) => r.type !== 'AAAA').map(reference);
    assert.deepEqual(fast(decoded.value.answers), expected(raw.answers));
    assert.deepEqual(fast(decoded.value.authorities), expected(raw.authorities));
    assert.deepEqual(fast(decoded.value.additionals), expected(raw.additionals));
    assert.deepEqual(decoded.value.questions, [{ name: '_sipfederationtls._tcp.Contoso.Example', type: 'SRV', class: 'IN' }]);
    // The AAAA record still goes through dns-packet.
    assert.deepEqual(decoded.value.answers[4], { type: 'AAAA', name: 'edge.hoster.example', ttl: 30, address: '2001:db8::1' });
  });

  test('a label with octets outside ASCII: \DDD for each octet, where dns-packet decodes UTF-8', () => {
    const target = 'c\u00e9\u009b.example';
    const withLabel = encodeRaw({
      type: 'response',
      id: 1,
      flags: 0x8180,
      questions: [{ name: 'x.example', type: 'CNAME', class: 'IN' }],
      answers: [{ type: 'CNAME', name: 'x.example', ttl: 1, class: 'IN', data: target }],
    });
    const decoded = decodeMessage(withLabel);
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.error);
    const reference = decodeRaw(withLabel).answers?.[0] as { data: string };
    assert.equal(reference.data, target);
    // UTF-8 c3 a9 (é) and c2 9b (U+009B): octets, as dig shows them.
    assert.deepEqual(decoded.value.answers[0], { type: 'CNAME', name: 'x.example', ttl: 1, target: 'c\\195\\169\\194\\155.example' });
  });
});

describe('UDP pool: one timer for every query in flight', () => {
  test('no query times out before its timeout, and each ends within a tick or two after it', async (t) => {
    const server = await startFaultServer({ '*': drop() });
    const udp = new UdpTransport({ sockets: 2 });
    t.after(async () => {
      udp.close();
      await server.close();
    });
    const timeouts = [30, 60, 60, 90, 150, 45];
    const started = performance.now();
    const ended = await Promise.all(
      timeouts.map(async (timeoutMs, i) => {
        const result = await udp.exchange(server.address, { name: `q${i}.example`, type: 'A' }, { timeoutMs, edns: true, recursionDesired: true });
        return { timeoutMs, kind: result.kind, detail: result.kind === 'message' ? '' : result.detail, ms: performance.now() - started };
      }),
    );
    for (const e of ended) {
      assert.equal(e.kind, 'timeout');
      assert.equal(e.detail, `no answer within ${e.timeoutMs} ms`);
      assert.ok(e.ms >= e.timeoutMs - 1, `timed out after ${e.ms.toFixed(1)} ms, before ${e.timeoutMs} ms`);
      assert.ok(e.ms <= e.timeoutMs + 80, `timed out after ${e.ms.toFixed(1)} ms, long after ${e.timeoutMs} ms`);
    }
  });

  test('answers stop their timers: a busy pool with answers and drops mixed ends each query once', async (t) => {
    const server = await startFaultServer({ 'slow.example': late(20, answer([a('192.0.2.2')])), 'lost.example': drop(), '*': answer([a('192.0.2.1')]) });
    const udp = new UdpTransport({ sockets: 3 });
    t.after(async () => {
      udp.close();
      await server.close();
    });
    const names = Array.from({ length: 60 }, (_, i) => (i % 10 === 0 ? 'lost.example' : i % 3 === 0 ? 'slow.example' : `n${i}.example`));
    const results = await Promise.all(names.map((name) => udp.exchange(server.address, { name, type: 'A' }, { timeoutMs: 200, edns: true, recursionDesired: true })));
    assert.deepEqual(
      results.map((r) => r.kind),
      names.map((n) => (n === 'lost.example' ? 'timeout' : 'message')),
    );
  });

  test('queries asked in one turn of the event loop leave together; close() before they leave sends nothing', async (t) => {
    const server = await startFaultServer({ '*': answer([a('192.0.2.1')]) });
    t.after(() => server.close());
    const udp = new UdpTransport({ sockets: 2 });
    const options = { timeoutMs: 1000, edns: true, recursionDesired: true };
    const asked = Array.from({ length: 20 }, (_, i) => udp.exchange(server.address, { name: `b${i}.example`, type: 'A' }, options));
    assert.deepEqual((await Promise.all(asked)).map((r) => r.kind), new Array(20).fill('message'));
    assert.equal(server.queries.length, 20);
    const unsent = [udp.exchange(server.address, { name: 'late.example', type: 'A' }, options)];
    udp.close();
    assert.deepEqual((await Promise.all(unsent)).map((r) => r.kind), ['network']);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(server.queries.length, 20, 'nothing sent after close()');
  });

  test('close() ends what is in flight at once; the timer does not fire afterwards', async (t) => {
    const server = await startFaultServer({ '*': drop() });
    t.after(() => server.close());
    const udp = new UdpTransport();
    const pending = udp.exchange(server.address, { name: 'x.example', type: 'A' }, { timeoutMs: 5000, edns: true, recursionDesired: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    udp.close();
    assert.equal((await pending).kind, 'network');
  });
});
