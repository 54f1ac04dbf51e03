/**
 * Property tests (fast-check) for everything that reads DNS bytes from the
 * network: decodeMessage on its own, then the whole UDP and TCP response path
 * of DnsClient against the fault server sending mutated responses.
 *
 * Run size: by default 200,000 cases in total across the properties (about
 * 20 s on two cores; time grows linearly). For a longer run set the total:
 *
 *   FEDCHECK_FUZZ_RUNS=1000000 node --test dist/test/dns/fuzz.test.js
 *
 * and FEDCHECK_FUZZ_SEED=<n> to replay the seed fast-check reports with a
 * counterexample. Each property prints its case count and time, and the
 * network properties the outcomes they reached, as test diagnostics.
 *
 * What must hold: decodeMessage never throws and rejects only with a named
 * structural fault (never an internal TypeError/RangeError); whatever it
 * accepts is well-typed (A is dotted-quad IPv4, AAAA is IPv6, ports are
 * 16-bit..., every name printable ASCII presentation text that reads back to a
 * wire name) and matches the header counts; a name of any octets decodes to
 * text that asks for exactly those octets again; a valid message decodes to exactly
 * what was encoded; and no prefix of a message decodes to anything but the
 * same message (a decoder reading past RDLENGTH or past the end fails that).
 * Over the network the client takes a mutated response only when it is a
 * valid, matching answer, and then acts on it as its policy says; otherwise
 * the real answer behind it wins, or the outcome is a failure naming the fault.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { isIPv4, isIPv6 } from 'node:net';
import { after, before, describe, test, type TestContext } from 'node:test';
import fc from 'fast-check';
import { DnsClient, type QueryOutcome } from '../../src/dns/client.js';
import { decodeMessage, encodeQuery, encodeRaw, type DnsMessage, type DnsPacketTypes, type QueryType, type ResourceRecord } from '../../src/dns/codec.js';
import { mismatchReason } from '../../src/dns/exchange.js';
import { textToWire } from '../../src/dns/name-text.js';
import { buildResponse, coalesce, raw, startFaultServer, stream, type FaultServer, type QueryInfo, type RecordSpec } from '../support/fault-server.js';

const TOTAL = positiveInt(process.env['FEDCHECK_FUZZ_RUNS'], 200_000);
const SEED = process.env['FEDCHECK_FUZZ_SEED'] === undefined ? undefined : Number(process.env['FEDCHECK_FUZZ_SEED']);

/** Share of the total per property: decoding is cheap, a network round trip is not. */
const SHARE = {
  decodeRandom: 0.2,
  decodeMutated: 0.52,
  decodeRoundTrip: 0.1,
  nameRoundTrip: 0.03,
  udp: 0.07,
  tcp: 0.04,
  tcpStream: 0.04,
} as const;

function runs(share: number): number {
  return Math.max(10, Math.round(TOTAL * share));
}

function positiveInt(text: string | undefined, fallback: number): number {
  const n = Number(text);
  return text !== undefined && Number.isInteger(n) && n > 0 ? n : fallback;
}

function params<Ts>(numRuns: number): fc.Parameters<Ts> {
  return { numRuns, ...(SEED !== undefined && Number.isFinite(SEED) ? { seed: SEED } : {}) };
}

// ---------------------------------------------------------------------------
// Generators

const label = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_-]{0,14}$/);
const domain = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
// Spelled out in eight groups: dns-packet's IPv6 encoder turns some valid short
// forms into other addresses ('::0:0:0:0:0:0:1' is encoded as '::').
const ipv6 = fc.ipV6().map((address) => expandIPv6(address));

/** Records in dns-packet form, every type fedcheck reads plus two it does not. */
const packetRecord: fc.Arbitrary<DnsPacketTypes.Answer> = fc.oneof(
  fc.record({ type: fc.constant('A' as const), name: domain, ttl: u32, data: fc.ipV4() }),
  fc.record({ type: fc.constant('AAAA' as const), name: domain, ttl: u32, data: ipv6 }),
  fc.record({ type: fc.constantFrom('CNAME' as const, 'NS' as const, 'DNAME' as const), name: domain, ttl: u32, data: domain }),
  fc.record({
    type: fc.constant('SRV' as const),
    name: domain,
    ttl: u32,
    data: fc.record({ priority: u16, weight: u16, port: u16, target: fc.oneof(domain, fc.constant('.')) }),
  }),
  fc.record({
    type: fc.constant('SOA' as const),
    name: domain,
    ttl: u32,
    data: fc.record({ mname: domain, rname: domain, serial: u32, refresh: u32, retry: u32, expire: u32, minimum: u32 }),
  }),
  fc.record({ type: fc.constant('TXT' as const), name: domain, ttl: u32, data: fc.array(fc.string({ maxLength: 40 }), { minLength: 1, maxLength: 3 }) }),
  fc.record({ type: fc.constant('MX' as const), name: domain, ttl: u32, data: fc.record({ preference: u16, exchange: domain }) }),
  fc.record({ type: fc.constant('NULL' as const), name: domain, ttl: u32, data: fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b)) }),
);

const queryType = fc.constantFrom<QueryType>('A', 'AAAA', 'SRV', 'CNAME', 'TXT', 'SOA', 'NS');

/** What a generated message was made of, to check the decoder against. */
interface MessageSpec {
  readonly id: number;
  readonly flags: number;
  readonly questions: readonly { readonly name: string; readonly type: QueryType }[];
  readonly answers: readonly DnsPacketTypes.Answer[];
  readonly authorities: readonly DnsPacketTypes.Answer[];
  readonly additionals: readonly DnsPacketTypes.Answer[];
  readonly edns: boolean;
  readonly extendedRcode: number;
}

/** A well-formed message (any flags, any sections) encoded by dns-packet, with its spec. */
const validMessage: fc.Arbitrary<{ readonly spec: MessageSpec; readonly bytes: Buffer }> = fc
  .record({
    id: u16,
    flags: u16,
    questions: fc.array(fc.record({ name: domain, type: queryType }), { minLength: 0, maxLength: 2 }),
    answers: fc.array(packetRecord, { maxLength: 6 }),
    authorities: fc.array(packetRecord, { maxLength: 2 }),
    additionals: fc.array(packetRecord, { maxLength: 2 }),
    edns: fc.boolean(),
    extendedRcode: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 255 })),
  })
  .map((spec) => {
    const additionals: DnsPacketTypes.Answer[] = [...spec.additionals];
    if (spec.edns) additionals.push({ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: spec.extendedRcode, ednsVersion: 0, flags: 0, flag_do: false, options: [] });
    const bytes = encodeRaw({
      type: (spec.flags & 0x8000) !== 0 ? 'response' : 'query',
      id: spec.id,
      flags: spec.flags & 0x7fff,
      questions: spec.questions.map((q) => ({ ...q, class: 'IN' as const })),
      answers: spec.answers,
      authorities: spec.authorities,
      additionals,
    });
    return { spec, bytes };
  });

/** One edit to a message; positions are taken modulo its length. */
type Mutation =
  | { readonly op: 'flip'; readonly at: number; readonly bit: number }
  | { readonly op: 'set'; readonly at: number; readonly value: number }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly op: 'delete'; readonly at: number; readonly count: number }
  | { readonly op: 'count'; readonly field: number; readonly value: number }
  | { readonly op: 'pointer'; readonly at: number; readonly target: number }
  | { readonly op: 'rcode'; readonly value: number }
  | { readonly op: 'tc' }
  | { readonly op: 'splice'; readonly from: number; readonly length: number; readonly to: number };

const position = fc.nat({ max: 4096 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('flip' as const), at: position, bit: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('set' as const), at: position, value: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: position }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('insert' as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: position, count: fc.integer({ min: 1, max: 8 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('count' as const),
      field: fc.integer({ min: 0, max: 3 }),
      value: fc.oneof(fc.integer({ min: 0, max: 8 }), u16),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('pointer' as const), at: position, target: fc.nat({ max: 0x3fff }) }) },
  // Header faults the client's policy reacts to: RCODEs (FORMERR → EDNS fallback, SERVFAIL...) and TC.
  { weight: 1, arbitrary: fc.record({ op: fc.constant('rcode' as const), value: fc.integer({ min: 0, max: 15 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('tc' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('splice' as const), from: position, length: fc.integer({ min: 1, max: 40 }), to: position }),
  },
);
const mutations = fc.array(mutation, { minLength: 1, maxLength: 4 });

function mutate(input: Buffer, edits: readonly Mutation[]): Buffer {
  let buf = Buffer.from(input);
  for (const edit of edits) {
    if (buf.length === 0) break;
    const at = (n: number): number => n % buf.length;
    switch (edit.op) {
      case 'flip': {
        const i = at(edit.at);
        buf[i] = buf[i]! ^ (1 << edit.bit);
        break;
      }
      case 'set':
        buf[at(edit.at)] = edit.value;
        break;
      case 'truncate':
        buf = buf.subarray(0, at(edit.at));
        break;
      case 'insert': {
        const i = at(edit.at);
        buf = Buffer.concat([buf.subarray(0, i), Buffer.from(edit.bytes), buf.subarray(i)]);
        break;
      }
      case 'delete': {
        const i = at(edit.at);
        buf = Buffer.concat([buf.subarray(0, i), buf.subarray(i + edit.count)]);
        break;
      }
      case 'count':
        // QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT: inflate or deflate a count.
        if (buf.length >= 12) buf.writeUInt16BE(edit.value, 4 + 2 * edit.field);
        break;
      case 'pointer': {
        const i = at(edit.at);
        if (i + 1 < buf.length) buf.writeUInt16BE(0xc000 | edit.target, i);
        break;
      }
      case 'rcode':
        if (buf.length >= 4) buf[3] = (buf[3]! & 0xf0) | edit.value;
        break;
      case 'tc':
        if (buf.length >= 3) buf[2] = buf[2]! ^ 0x02;
        break;
      case 'splice': {
        const from = at(edit.from);
        const piece = Buffer.from(buf.subarray(from, from + edit.length));
        const to = at(edit.to);
        buf = Buffer.concat([buf.subarray(0, to), piece, buf.subarray(to)]);
        break;
      }
    }
  }
  return buf;
}

// ---------------------------------------------------------------------------
// Invariants

const DOTTED_QUAD = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function isUint(value: unknown, bits: 8 | 16 | 32): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 2 ** bits - 1;
}

/**
 * A name from a decoded message is RFC 1035 presentation text: printable
 * ASCII only (every other octet is \\DDD), and it reads back to a wire name,
 * so it can be asked for as it came.
 */
function checkName(name: unknown): void {
  assert.ok(typeof name === 'string' && PRESENTATION.test(name), `name ${JSON.stringify(name)}`);
  assert.ok(textToWire(name).ok, `name ${JSON.stringify(name)} does not read back`);
}

const PRESENTATION = /^[!-~]+$/;

function checkRecord(r: ResourceRecord): void {
  checkName(r.name);
  assert.ok(isUint(r.ttl, 32), `ttl ${r.ttl}`);
  switch (r.type) {
    case 'A':
      assert.ok(DOTTED_QUAD.test(r.address) && isIPv4(r.address), `A ${r.address}`);
      break;
    case 'AAAA':
      assert.ok(isIPv6(r.address), `AAAA ${r.address}`);
      break;
    case 'CNAME':
    case 'NS':
    case 'DNAME':
      checkName(r.target);
      break;
    case 'SRV':
      assert.ok(isUint(r.priority, 16) && isUint(r.weight, 16) && isUint(r.port, 16), JSON.stringify(r));
      checkName(r.target);
      break;
    case 'SOA':
      assert.ok(isUint(r.serial, 32) && isUint(r.minimum, 32), JSON.stringify(r));
      checkName(r.mname);
      checkName(r.rname);
      break;
    case 'TXT':
      assert.ok(Array.isArray(r.text) && r.text.every((s) => typeof s === 'string'));
      break;
    case 'TLSA':
      assert.ok(isUint(r.usage, 8) && isUint(r.selector, 8) && isUint(r.matchingType, 8) && /^(?:[0-9a-f]{2})*$/.test(r.data), JSON.stringify(r));
      break;
    case 'OTHER':
      assert.ok(typeof r.rrtype === 'string' && r.rrtype.length > 0);
      break;
    default:
      assert.fail(`unknown record shape ${JSON.stringify(r)}`);
  }
}

/** A decoded message is well-typed and agrees with the header it came from. */
function checkMessage(message: DnsMessage, buf: Buffer): void {
  const flags = buf.readUInt16BE(2);
  assert.equal(message.id, buf.readUInt16BE(0));
  assert.equal(message.qr, (flags & 0x8000) !== 0);
  assert.equal(message.tc, (flags & 0x0200) !== 0);
  for (const flag of [message.aa, message.rd, message.ra, message.ad, message.edns]) assert.equal(typeof flag, 'boolean');
  assert.ok(typeof message.rcode === 'string' && message.rcode.length > 0);
  assert.ok(typeof message.opcode === 'string' && message.opcode.length > 0);
  for (const q of message.questions) {
    checkName(q.name);
    assert.ok(typeof q.type === 'string' && typeof q.class === 'string');
  }
  for (const r of [...message.answers, ...message.authorities, ...message.additionals]) checkRecord(r);
  assert.equal(message.questions.length, buf.readUInt16BE(4));
  const recordsDropped = message.tc && message.answers.length + message.authorities.length + message.additionals.length === 0 && !message.edns;
  if (!recordsDropped) {
    assert.equal(message.answers.length, buf.readUInt16BE(6));
    assert.equal(message.authorities.length, buf.readUInt16BE(8));
    assert.equal(message.additionals.length + (message.edns ? 1 : 0), buf.readUInt16BE(10));
  }
}

/** Rejections name a structural fault; a JavaScript error escaping a decoder would be a bug. */
const INTERNAL_ERROR = /Cannot read|undefined|is not a function|is not iterable|out of range|Maximum call stack|NaN/;

function checkDecode(buf: Buffer): ReturnType<typeof decodeMessage> {
  let result: ReturnType<typeof decodeMessage>;
  try {
    result = decodeMessage(buf);
  } catch (err) {
    assert.fail(`decodeMessage threw ${String(err)} for ${buf.toString('hex')}`);
  }
  if (result.ok) checkMessage(result.value, buf);
  else assert.ok(!INTERNAL_ERROR.test(result.error), `internal error "${result.error}" for ${buf.toString('hex')}`);
  return result;
}

// ---------------------------------------------------------------------------
// decodeMessage alone

/** Run a property, report count and time, return nothing (fc.assert throws on a counterexample). */
async function runProperty<Ts>(t: { diagnostic(message: string): void }, name: string, numRuns: number, property: fc.IRawProperty<Ts>): Promise<void> {
  const started = performance.now();
  await fc.assert(property, params<Ts>(numRuns));
  t.diagnostic(`${name}: ${numRuns} cases in ${Math.round(performance.now() - started)} ms`);
}

describe('decodeMessage under fuzzing', () => {
  test('random bytes, and random bytes behind a plausible header', async (t) => {
    const plausibleHeader = fc
      .record({ id: u16, flags: u16, counts: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 4, maxLength: 4 }), body: fc.uint8Array({ maxLength: 300 }) })
      .map(({ id, flags, counts, body }) => {
        const header = Buffer.alloc(12);
        header.writeUInt16BE(id, 0);
        header.writeUInt16BE(flags, 2);
        counts.forEach((c, i) => header.writeUInt16BE(c, 4 + 2 * i));
        return Buffer.concat([header, Buffer.from(body)]);
      });
    const input = fc.oneof(fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)), plausibleHeader);
    await runProperty(t, 'random', runs(SHARE.decodeRandom), fc.property(input, (buf) => void checkDecode(buf)));
  });

  test('valid messages with bytes flipped, cut, inserted, deleted, spliced, counts inflated', async (t) => {
    await runProperty(
      t,
      'mutated',
      runs(SHARE.decodeMutated),
      fc.property(validMessage, mutations, fc.nat(), ({ bytes }, edits, cut) => {
        const mutant = mutate(bytes, edits);
        const result = checkDecode(mutant);
        if (result.ok) checkPrefix(mutant, result.value, cut);
      }),
    );
  });

  test('valid messages decode to exactly what was encoded; their prefixes never decode to something else', async (t) => {
    await runProperty(
      t,
      'round trip',
      runs(SHARE.decodeRoundTrip),
      fc.property(validMessage, fc.array(fc.nat(), { minLength: 4, maxLength: 4 }), ({ spec, bytes }, cuts) => {
        const result = checkDecode(bytes);
        if (!result.ok) assert.fail(`a valid message did not decode: ${result.error} (${bytes.toString('hex')})`);
        assert.deepEqual(comparable(result.value), expectedMessage(spec));
        for (const cut of cuts) checkPrefix(bytes, result.value, cut);
      }),
    );
  });
});

describe('names of any octets under fuzzing', () => {
  /** Labels of 1-63 octets, any value or mostly the ones that need escapes; 255 octets in all at most. */
  const label = fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 63 }),
    fc.array(fc.constantFrom(0x2e, 0x5c, 0x41, 0x61, 0x00, 0x20, 0x7f, 0x80, 0xff, 0x30, 0x39, 0x24, 0x40), { minLength: 1, maxLength: 12 }).map((b) => Uint8Array.from(b)),
  );
  const octetName = fc.array(label, { maxLength: 6 }).filter((labels) => labels.reduce((n, l) => n + l.length + 1, 1) <= 255);
  const wireOf = (labels: readonly Uint8Array[]): Buffer => Buffer.concat([...labels.flatMap((l) => [Buffer.from([l.length]), Buffer.from(l)]), Buffer.from([0])]);

  /** A response asking `name` (wire), answered by a CNAME owned by it (a pointer) pointing at it again (written out). */
  function echo(name: Buffer): Buffer {
    const header = Buffer.from([0, 1, 0x84, 0, 0, 1, 0, 1, 0, 0, 0, 0]);
    const fixed = Buffer.from([0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, name.length >> 8, name.length & 0xff]);
    return Buffer.concat([header, name, Buffer.from([0, 1, 0, 1]), fixed, name]);
  }

  function textOf(name: Buffer): string {
    const result = checkDecode(echo(name));
    if (!result.ok) assert.fail(`a valid name did not decode: ${result.error} (${name.toString('hex')})`);
    const [cname] = result.value.answers;
    const text = result.value.questions[0]!.name;
    assert.equal(cname?.type === 'CNAME' && cname.name, text);
    assert.equal(cname?.type === 'CNAME' && cname.target, text);
    return text;
  }

  test('decoded to presentation text and asked for again: the same octets; different octets, different texts', async (t) => {
    await runProperty(
      t,
      'names',
      runs(SHARE.nameRoundTrip),
      fc.property(octetName, octetName, queryType, (a, b, type) => {
        const wireA = wireOf(a);
        const textA = textOf(wireA);
        const query = encodeQuery(0x0101, { name: textA, type });
        assert.deepEqual(query.subarray(12, 12 + wireA.length), wireA, `${textA} asked as ${query.toString('hex')}`);
        assert.equal(query.length, 12 + wireA.length + 4);
        const wireB = wireOf(b);
        assert.equal(textOf(wireB) === textA, wireB.equals(wireA), `${textA} and ${textOf(wireB)}`);
      }),
    );
  });
});

/**
 * A decoder that reads a value from bytes it was not given, or ignores a
 * length, decodes some prefix of a message to different values than the whole
 * (a cut-off AAAA read as a shorter address). A correct one either rejects the
 * prefix or, when the cut falls after the last record, decodes the same.
 */
function checkPrefix(buf: Buffer, whole: DnsMessage, cut: number): void {
  const prefix = buf.subarray(0, cut % (buf.length + 1));
  const result = checkDecode(prefix);
  if (!result.ok) return;
  const m = result.value;
  // TC=1 messages cut inside their records keep the question only (see decodeMessage).
  if (m.tc && m.answers.length + m.authorities.length + m.additionals.length === 0 && !m.edns) {
    assert.deepEqual(m.questions, whole.questions);
    return;
  }
  assert.deepEqual(m, whole, `prefix of ${prefix.length} of ${buf.length} bytes decodes differently: ${buf.toString('hex')}`);
}

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];

/** The message a spec should decode to, with AAAA addresses in expanded form; opcode left out. */
function expectedMessage(spec: MessageSpec): unknown {
  const rcodeValue = ((spec.edns ? spec.extendedRcode : 0) << 4) | (spec.flags & 0xf);
  return {
    id: spec.id,
    qr: (spec.flags & 0x8000) !== 0,
    aa: (spec.flags & 0x0400) !== 0,
    tc: (spec.flags & 0x0200) !== 0,
    rd: (spec.flags & 0x0100) !== 0,
    ra: (spec.flags & 0x0080) !== 0,
    ad: (spec.flags & 0x0020) !== 0,
    rcode: RCODES[rcodeValue] ?? (rcodeValue === 16 ? 'BADVERS' : `RCODE_${rcodeValue}`),
    questions: spec.questions.map((q) => ({ name: q.name, type: q.type, class: 'IN' })),
    answers: spec.answers.map(expectedRecord),
    authorities: spec.authorities.map(expectedRecord),
    additionals: spec.additionals.map(expectedRecord),
    edns: spec.edns,
  };
}

function expectedRecord(r: DnsPacketTypes.Answer): unknown {
  const base = { name: r.name, ttl: 'ttl' in r ? (r.ttl ?? 0) : 0 };
  switch (r.type) {
    case 'A':
      return { type: 'A', ...base, address: r.data };
    case 'AAAA':
      return { type: 'AAAA', ...base, address: expandIPv6(r.data) };
    case 'CNAME':
    case 'NS':
    case 'DNAME':
      return { type: r.type, ...base, target: r.data };
    case 'SRV':
      return { type: 'SRV', ...base, priority: r.data.priority, weight: r.data.weight, port: r.data.port, target: r.data.target };
    case 'SOA':
      return { type: 'SOA', ...base, mname: r.data.mname, rname: r.data.rname, serial: r.data.serial, minimum: r.data.minimum };
    case 'TXT': {
      // dns-packet's encoder replaces the strings of a TXT record by Buffers in place.
      const parts = Array.isArray(r.data) ? r.data : [r.data];
      return { type: 'TXT', ...base, text: parts.map((p) => (Buffer.isBuffer(p) ? p.toString('utf8') : p)) };
    }
    default:
      return { type: 'OTHER', ...base, rrtype: r.type };
  }
}

/** The decoded message in the form of {@link expectedMessage}. */
function comparable(message: DnsMessage): unknown {
  const records = (rs: readonly ResourceRecord[]): unknown[] => rs.map((r) => (r.type === 'AAAA' ? { ...r, address: expandIPv6(r.address) } : r));
  const { opcode: _opcode, ...rest } = message;
  return { ...rest, answers: records(message.answers), authorities: records(message.authorities), additionals: records(message.additionals) };
}

/** Eight lower-case hex groups without leading zeros, whatever the input notation. */
function expandIPv6(address: string): string {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [b0, b1, b2, b3] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [head = '', tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : new Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...fill, ...tailGroups].map((g) => parseInt(g, 16).toString(16)).join(':');
}

// ---------------------------------------------------------------------------
// The client's response path

/** What the client should make of a message it takes as the answer, per its policy. */
type Expected =
  /** The real records: the mutant was ignored, or led to an EDNS fallback or a TCP retry (`via`) answered for real. */
  | { readonly kind: 'real'; readonly via?: 'edns-fallback' | 'tcp-retry' }
  | { readonly kind: 'taken'; readonly message: DnsMessage }
  | { readonly kind: 'failure'; readonly reason: string };

/** The policy of DnsClient.attempt for a matching first message; fallbacks are answered with the real records. */
function expectedFor(message: DnsMessage, transport: 'udp' | 'tcp'): Expected {
  if (message.rcode === 'FORMERR' || message.rcode === 'NOTIMP') return { kind: 'real', via: 'edns-fallback' };
  if (message.tc) return transport === 'udp' ? { kind: 'real', via: 'tcp-retry' } : { kind: 'failure', reason: 'malformed' };
  switch (message.rcode) {
    case 'NOERROR':
    case 'NXDOMAIN':
      return { kind: 'taken', message };
    case 'SERVFAIL':
      return { kind: 'failure', reason: 'servfail' };
    case 'REFUSED':
      return { kind: 'failure', reason: 'refused' };
    default:
      return { kind: 'failure', reason: 'rcode' };
  }
}

/** The first of `messages` the client would accept for this query, or undefined. */
function firstAcceptable(messages: readonly Buffer[], q: QueryInfo, type: QueryType): DnsMessage | undefined {
  for (const bytes of messages) {
    const result = decodeMessage(bytes);
    if (result.ok && mismatchReason(result.value, q.id, { name: q.name, type }) === undefined) return result.value;
  }
  return undefined;
}

function checkOutcome(outcome: QueryOutcome, expected: Expected | undefined, real: readonly ResourceRecord[], context: () => string): void {
  if (expected === undefined) assert.fail(`the server never saw the query (${context()})`);
  if (outcome.kind === 'response') {
    for (const r of outcome.message.answers) checkRecord(r);
  }
  switch (expected.kind) {
    case 'real':
      if (outcome.kind !== 'response') assert.fail(`expected the real answer, got ${outcome.reason}: ${outcome.detail} (${context()})`);
      assert.deepEqual(outcome.message.answers, real, context());
      assert.equal(outcome.message.rcode, 'NOERROR');
      return;
    case 'taken':
      if (outcome.kind !== 'response') assert.fail(`expected the mutated answer, got ${outcome.reason}: ${outcome.detail} (${context()})`);
      assert.deepEqual(outcome.message.answers, expected.message.answers, context());
      assert.equal(outcome.message.rcode, expected.message.rcode);
      return;
    case 'failure':
      if (outcome.kind !== 'failure') assert.fail(`expected failure ${expected.reason}, got a response (${context()})`);
      assert.equal(outcome.reason, expected.reason, `${outcome.detail} (${context()})`);
      return;
  }
}

/** Records a query for `name` should get; owner names match the question so they look like a real answer. */
const answerRecords = fc.array(
  fc.oneof(
    fc.ipV4().map((address): RecordSpec => ({ type: 'A', address })),
    ipv6.map((address): RecordSpec => ({ type: 'AAAA', address })),
    fc.record({ priority: u16, weight: u16, port: u16, target: domain }).map((d): RecordSpec => ({ type: 'SRV', ...d })),
    domain.map((target): RecordSpec => ({ type: 'CNAME', target })),
    fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 2 }).map((text): RecordSpec => ({ type: 'TXT', text })),
  ),
  { minLength: 0, maxLength: 5 },
);

interface FuzzCase {
  readonly records: readonly RecordSpec[];
  readonly edits: readonly Mutation[];
  /** Set by the server when it builds the response. */
  expected?: Expected;
  real?: readonly ResourceRecord[];
  sent?: Buffer;
}

describe('DnsClient response path under fuzzing', () => {
  const cases = new Map<string, FuzzCase>();
  let counter = 0;

  function caseFor(q: QueryInfo): FuzzCase {
    const c = cases.get(q.name.toLowerCase());
    if (c === undefined) throw new Error(`no fuzz case for ${q.name}`);
    return c;
  }

  function realAnswers(q: QueryInfo, c: FuzzCase): { bytes: Buffer; records: readonly ResourceRecord[] } {
    const bytes = buildResponse(q, { answers: c.records });
    const decoded = decodeMessage(bytes);
    if (!decoded.ok) throw new Error(`real answer does not decode: ${decoded.error}`);
    return { bytes, records: decoded.value.answers };
  }

  let server: FaultServer;
  let streamServer: FaultServer;
  let udpClient: DnsClient;
  let tcpClient: DnsClient;
  let streamClient: DnsClient;

  before(async () => {
    // The first query of each case gets the mutated response and then the real
    // one: two datagrams over UDP, two framed messages in one chunk over TCP.
    const first = coalesce(
      raw((q) => {
        const c = caseFor(q);
        const real = realAnswers(q, c);
        const mutant = mutate(real.bytes, c.edits);
        const accepted = firstAcceptable([mutant], q, q.type as QueryType);
        c.real = real.records;
        c.sent = mutant;
        c.expected = accepted === undefined ? { kind: 'real' } : expectedFor(accepted, q.transport);
        return [mutant, real.bytes];
      }),
    );
    // The whole TCP stream mutated, length prefixes included, in up to three writes, then closed.
    const mutatedStream = stream(
      (q) => {
        const c = caseFor(q);
        const real = realAnswers(q, c);
        const bytes = mutate(Buffer.concat([lengthPrefix(real.bytes), real.bytes]), c.edits);
        const frames = splitFrames(bytes);
        const accepted = firstAcceptable(frames, q, q.type as QueryType);
        c.real = real.records;
        c.sent = bytes;
        // Without an acceptable frame the client reports the last bad one, or the close.
        c.expected = accepted !== undefined ? expectedFor(accepted, 'tcp') : { kind: 'failure', reason: frames.length > 0 ? 'malformed' : 'network' };
        const cut1 = Math.floor(bytes.length / 3);
        const cut2 = Math.floor((2 * bytes.length) / 3);
        return [bytes.subarray(0, cut1), bytes.subarray(cut1, cut2), bytes.subarray(cut2)].filter((b) => b.length > 0).map((b) => ({ bytes: b }));
      },
      { close: true },
    );
    // Every later query of a case (EDNS fallback, TCP after TC) gets the real records.
    const again = raw((q) => [realAnswers(q, caseFor(q)).bytes]);
    server = await startFaultServer({ '*': [first, again] });
    streamServer = await startFaultServer({ '*': [mutatedStream, again] });
    udpClient = new DnsClient({ servers: [server.address], timeoutMs: 2000, retries: 0 });
    tcpClient = new DnsClient({ servers: [server.address], timeoutMs: 2000, retries: 0, forceTcp: true });
    streamClient = new DnsClient({ servers: [streamServer.address], timeoutMs: 2000, retries: 0, forceTcp: true });
  });

  after(async () => {
    udpClient.close();
    tcpClient.close();
    streamClient.close();
    await server.close();
    await streamServer.close();
  });

  async function runCase(client: DnsClient, type: QueryType, records: readonly RecordSpec[], edits: readonly Mutation[]): Promise<void> {
    counter += 1;
    const name = `c${counter}.fuzz.example`;
    const c: FuzzCase = { records, edits };
    cases.set(name, c);
    const started = performance.now();
    const outcome = await client.query({ name, type });
    const ms = performance.now() - started;
    cases.delete(name);
    const e = c.expected;
    const kind = e === undefined ? 'unseen' : e.kind === 'failure' ? `failure:${e.reason}` : e.kind === 'real' && e.via !== undefined ? `real:${e.via}` : e.kind;
    tally.set(kind, (tally.get(kind) ?? 0) + 1);
    checkOutcome(outcome, c.expected, c.real ?? [], () => `${name} ${type}, sent ${c.sent?.toString('hex') ?? '-'}, edits ${JSON.stringify(edits)}`);
    // No case waits for a timeout: the server always sends something decisive at once.
    assert.ok(ms < 1500, `${name} took ${Math.round(ms)} ms`);
  }

  const caseArb = fc.tuple(fc.constantFrom<QueryType>('A', 'AAAA', 'SRV', 'TXT'), answerRecords, mutations);
  /** Expected outcomes of the cases run so far: shows the fuzzing reaches every branch of the policy. */
  const tally = new Map<string, number>();

  async function runNetworkProperty(t: TestContext, name: string, numRuns: number, client: () => DnsClient): Promise<void> {
    tally.clear();
    await runProperty(t, name, numRuns, fc.asyncProperty(caseArb, ([type, records, edits]) => runCase(client(), type, records, edits)));
    t.diagnostic(`${name} expected outcomes: ${[...tally].sort().map(([k, n]) => `${k} ${n}`).join(', ')}`);
  }

  test('UDP: a mutated response followed by the real one', (t) => runNetworkProperty(t, 'udp', runs(SHARE.udp), () => udpClient));

  test('TCP: a mutated message and the real one in the same chunk', (t) => runNetworkProperty(t, 'tcp', runs(SHARE.tcp), () => tcpClient));

  test('TCP: a mutated stream (length prefixes too) in several writes, then close', (t) =>
    runNetworkProperty(t, 'tcp stream', runs(SHARE.tcpStream), () => streamClient));

});

function lengthPrefix(message: Buffer): Buffer {
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(message.length & 0xffff, 0);
  return prefix;
}

/** Read a TCP stream the way RFC 1035 §4.2.2 frames it: complete messages, in order. */
function splitFrames(stream: Buffer): Buffer[] {
  const messages: Buffer[] = [];
  let offset = 0;
  while (offset + 2 <= stream.length) {
    const length = stream.readUInt16BE(offset);
    if (offset + 2 + length > stream.length) break;
    messages.push(stream.subarray(offset + 2, offset + 2 + length));
    offset += 2 + length;
  }
  return messages;
}
