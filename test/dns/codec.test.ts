/**
 * The codec on its own: decodeMessage turns every malformed message into
 * `{ ok: false }` with an error naming the fault (never a throw, never a
 * wrong value), and mismatchReason applies RFC 5452 §9.1.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { decodeMessage, decodeRaw, encodeQuery, encodeRaw, normaliseName, peekId, type DnsMessage, type DnsPacketTypes } from '../../src/dns/codec.js';
import { mismatchReason } from '../../src/dns/exchange.js';
import { buildMalformed, buildResponse, digOctet, parseQuery, type MalformedFault, type QueryInfo } from '../support/fault-server.js';

function query(name: string, type: 'A' | 'AAAA' | 'SRV' | 'TXT' = 'A', id = 0x1234): QueryInfo {
  const info = parseQuery(encodeQuery(id, { name, type }));
  if (info === undefined) assert.fail('cannot read our own query');
  return info;
}

function decoded(buf: Buffer): DnsMessage {
  const result = decodeMessage(buf);
  if (!result.ok) assert.fail(`did not decode: ${result.error}`);
  return result.value;
}

function failed(buf: Buffer): string {
  const result = decodeMessage(buf);
  if (result.ok) assert.fail(`decoded a malformed message: ${JSON.stringify(result.value)}`);
  return result.error;
}

/** Header + the question of `q` + hand-written records. */
function handBuilt(q: QueryInfo, counts: { an?: number; ns?: number; ar?: number; flags?: number }, ...records: Buffer[]): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(q.id, 0);
  header.writeUInt16BE(counts.flags ?? 0x8400, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(counts.an ?? 0, 6);
  header.writeUInt16BE(counts.ns ?? 0, 8);
  header.writeUInt16BE(counts.ar ?? 0, 10);
  return Buffer.concat([header, q.question, ...records]);
}

/** Owner = pointer to the question name, then TYPE, CLASS IN, TTL 60, RDLENGTH, RDATA. */
function rr(type: number, rdata: Buffer, rdlength = rdata.length, owner = Buffer.from([0xc0, 12])): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(1, 2);
  fixed.writeUInt32BE(60, 4);
  fixed.writeUInt16BE(rdlength, 8);
  return Buffer.concat([owner, fixed, rdata]);
}

const OPT_ROOT = (ttl = 0): Buffer => {
  const opt = Buffer.alloc(11);
  opt.writeUInt16BE(41, 1);
  opt.writeUInt16BE(1232, 3);
  opt.writeUInt32BE(ttl, 5);
  return opt;
};

describe('decodeMessage: well-formed messages', () => {
  test('every record type fedcheck reads, with every field', () => {
    const packet: DnsPacketTypes.Packet = {
      type: 'response',
      id: 7,
      flags: 0x0400 | 0x0100 | 0x0080,
      questions: [{ name: '_sip._tls.Example.com', type: 'SRV' }],
      answers: [
        { type: 'SRV', name: '_sip._tls.example.com', ttl: 60, data: { priority: 1, weight: 2, port: 443, target: 'sip.example.com.' } },
        { type: 'CNAME', name: 'alias.example.com', ttl: 61, data: 'sip.example.com' },
        { type: 'A', name: 'sip.example.com', ttl: 62, data: '192.0.2.1' },
        { type: 'AAAA', name: 'sip.example.com', ttl: 63, data: '2001:db8::1' },
        { type: 'TXT', name: 'example.com', ttl: 64, data: ['v=spf1 -all', ''] },
        { type: 'MX', name: 'example.com', ttl: 65, data: { preference: 10, exchange: 'mx.example.com' } },
      ],
      authorities: [
        { type: 'NS', name: 'example.com', ttl: 66, data: 'ns1.example.com' },
        { type: 'SOA', name: 'example.com', ttl: 67, data: { mname: 'ns1.example.com', rname: 'hostmaster.example.com', serial: 2024, refresh: 1, retry: 2, expire: 3, minimum: 300 } },
      ],
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
    };
    const message = decoded(encodeRaw(packet));
    assert.deepEqual(message, {
      id: 7,
      qr: true,
      opcode: 'QUERY',
      aa: true,
      tc: false,
      rd: true,
      ra: true,
      ad: false,
      rcode: 'NOERROR',
      questions: [{ name: '_sip._tls.Example.com', type: 'SRV', class: 'IN' }],
      answers: [
        { type: 'SRV', name: '_sip._tls.example.com', ttl: 60, priority: 1, weight: 2, port: 443, target: 'sip.example.com' },
        { type: 'CNAME', name: 'alias.example.com', ttl: 61, target: 'sip.example.com' },
        { type: 'A', name: 'sip.example.com', ttl: 62, address: '192.0.2.1' },
        { type: 'AAAA', name: 'sip.example.com', ttl: 63, address: '2001:db8::1' },
        { type: 'TXT', name: 'example.com', ttl: 64, text: ['v=spf1 -all', ''] },
        { type: 'OTHER', name: 'example.com', ttl: 65, rrtype: 'MX' },
      ],
      authorities: [
        { type: 'NS', name: 'example.com', ttl: 66, target: 'ns1.example.com' },
        { type: 'SOA', name: 'example.com', ttl: 67, mname: 'ns1.example.com', rname: 'hostmaster.example.com', serial: 2024, minimum: 300 },
      ],
      additionals: [],
      edns: true,
    });
  });

  test('compressed names (pointers to earlier data) decode', () => {
    const q = query('sip.example.com');
    const message = decoded(handBuilt(q, { an: 1 }, rr(5, Buffer.from([3, 0x77, 0x77, 0x77, 0xc0, 16])), Buffer.alloc(0)));
    assert.deepEqual(message.answers, [{ type: 'CNAME', name: 'sip.example.com', ttl: 60, target: 'www.example.com' }]);
  });

  test('the EDNS extended RCODE is part of the RCODE (RFC 6891 §6.1.3)', () => {
    const q = query('sip.example.com');
    assert.equal(decoded(handBuilt(q, { ar: 1 }, OPT_ROOT(0x01000000))).rcode, 'BADVERS');
    assert.equal(decoded(handBuilt(q, { ar: 1, flags: 0x8402 }, OPT_ROOT(0x02000000))).rcode, 'RCODE_34');
    assert.equal(decoded(handBuilt(q, { ar: 1, flags: 0x8403 }, OPT_ROOT(0))).rcode, 'NXDOMAIN');
  });

  test('bytes after the last record are tolerated', () => {
    const q = query('sip.example.com');
    const message = decoded(Buffer.concat([buildResponse(q, { answers: [{ type: 'A', address: '192.0.2.1' }] }), Buffer.from([1, 2, 3])]));
    assert.equal(message.answers.length, 1);
  });

  test('a TC=1 message cut off inside its records keeps its question and drops the records', () => {
    const q = query('sip.example.com');
    const full = buildResponse(q, { tc: true, answers: [{ type: 'AAAA', address: '2001:db8::1' }] });
    const cut = full.subarray(0, full.length - 10);
    const message = decoded(cut);
    assert.equal(message.tc, true);
    assert.deepEqual(message.questions, [{ name: 'sip.example.com', type: 'A', class: 'IN' }]);
    assert.deepEqual(message.answers, []);
    // Cut inside the question, even TC=1 is malformed: nothing ties it to our query.
    failed(full.subarray(0, 20));
  });
});

/** Length-prefixed labels, then the root. */
const wireName = (...labels: readonly Buffer[]): Buffer => Buffer.concat([...labels.flatMap((l) => [Buffer.from([l.length]), l]), Buffer.from([0])]);
const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');
const EXAMPLE = [ascii('d'), ascii('example')] as const;

/** A response whose question is `qname` (wire form) with type `qtype`, then hand-written records. */
function withQuestion(qname: Buffer, qtype: number, an: number, ...records: Buffer[]): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(0x4242, 0);
  header.writeUInt16BE(0x8400, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(an, 6);
  const typeClass = Buffer.alloc(4);
  typeClass.writeUInt16BE(qtype, 0);
  typeClass.writeUInt16BE(1, 2);
  return Buffer.concat([header, qname, typeClass, ...records]);
}

describe('decodeMessage: names in presentation form (RFC 1035 §5.1), no octet lost', () => {
  const srvRdata = (target: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, 0, 100, 0x13, 0xc5]), target]);

  test('a dot or backslash inside a label is escaped: "sip.x" as one label is not sip and x', () => {
    const q = query('_sipfederationtls._tcp.d.example', 'SRV');
    const target = wireName(ascii('sip.x'), ascii('a\\b'), ...EXAMPLE);
    const message = decoded(handBuilt(q, { an: 2 }, rr(33, srvRdata(target)), rr(5, target)));
    const [srv, cname] = message.answers;
    assert.equal(srv?.type === 'SRV' && srv.target, 'sip\\.x.a\\\\b.d.example');
    assert.equal(cname?.type === 'CNAME' && cname.target, 'sip\\.x.a\\\\b.d.example');
  });

  test('every octet 0-255 inside a label, in the question, an owner and an SRV target, as dig shows it', () => {
    const shown: string[] = [];
    for (let octet = 0; octet <= 255; octet += 1) {
      const name = wireName(Buffer.from([0x61, octet, 0x7a]), ...EXAMPLE);
      const expected = `a${digOctet(octet)}z.d.example`;
      // Owner: a pointer to the question; SRV target: the name written out again.
      const message = decoded(withQuestion(name, 33, 1, rr(33, srvRdata(name))));
      const srv = message.answers[0];
      assert.equal(message.questions[0]?.name, expected, `octet ${octet}`);
      assert.equal(srv?.name, expected, `octet ${octet}`);
      assert.equal(srv?.type === 'SRV' && srv.target, expected, `octet ${octet}`);
      // Asked for again, the text is exactly the octets that came.
      assert.deepEqual(query(expected).question, Buffer.concat([name, Buffer.from([0, 1, 0, 1])]), `octet ${octet} asked again`);
      shown.push(digOctet(octet));
    }
    // Spot checks against dig's own output, so the rule above is not only checked against itself.
    assert.deepEqual(
      [0, 9, 0x20, 0x22, 0x24, 0x28, 0x29, 0x2a, 0x2d, 0x2e, 0x3b, 0x40, 0x41, 0x5c, 0x5f, 0x7e, 0x7f, 0x80, 0xc3, 0xff].map((o) => shown[o]),
      ['\\000', '\\009', '\\032', '\\"', '\\$', '\\(', '\\)', '*', '-', '\\.', '\\;', '\\@', 'A', '\\\\', '_', '~', '\\127', '\\128', '\\195', '\\255'],
    );
  });

  test('UTF-8 in a label is shown octet by octet, not decoded; bytes that are not UTF-8 are not U+FFFD', () => {
    const q = query('x.d.example');
    const target = wireName(Buffer.from('c\u00e9', 'utf8'), Buffer.from([0x73, 0x69, 0x70, 0xff, 0x9b]), ...EXAMPLE);
    const [cname] = decoded(handBuilt(q, { an: 1 }, rr(5, target))).answers;
    assert.equal(cname?.type === 'CNAME' && cname.target, 'c\\195\\169.sip\\255\\155.d.example');
  });

  test('a dot and a backslash inside a label, and a label of every octet but the length, asked for again as sent', () => {
    const names = [
      wireName(ascii('sip.x'), ascii('a\\b'), ...EXAMPLE),
      wireName(ascii('.'), ascii('\\'), ascii('..\\.\\\\'), ...EXAMPLE),
      wireName(Buffer.from(Array.from({ length: 63 }, (_, i) => (i * 37 + 200) & 0xff)), ascii('z')),
    ];
    for (const name of names) {
      const text = decoded(withQuestion(name, 1, 0)).questions[0]!.name;
      assert.deepEqual(query(text).question, Buffer.concat([name, Buffer.from([0, 1, 0, 1])]), text);
    }
  });

  test('labels behind compression pointers are escaped too, and the pointed-to labels are read once each', () => {
    // Question: a\.b.d.example; answer owner: pointer to it; CNAME target: "x\\y" then a pointer to the question's "d.example".
    const qname = wireName(ascii('a.b'), ...EXAMPLE);
    const target = Buffer.concat([Buffer.from([3]), ascii('x\\y'), Buffer.from([0xc0, 12 + 4])]);
    const message = decoded(withQuestion(qname, 5, 1, rr(5, target)));
    assert.equal(message.questions[0]?.name, 'a\\.b.d.example');
    assert.deepEqual(message.answers, [{ type: 'CNAME', name: 'a\\.b.d.example', ttl: 60, target: 'x\\\\y.d.example' }]);
  });

  test('owner names of the records dns-packet decodes (AAAA, TXT) and SOA names are escaped the same way', () => {
    const odd = wireName(Buffer.from([0x73, 0xff]), ascii('a.b'), ...EXAMPLE);
    const soa = Buffer.concat([odd, wireName(ascii('host.master'), ...EXAMPLE), Buffer.from([0, 0, 0, 7, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 1, 44])]);
    const aaaa = Buffer.from('20010db8000000000000000000000001', 'hex');
    const message = decoded(withQuestion(odd, 28, 3, rr(28, aaaa), rr(16, Buffer.from([2, 0x68, 0x69])), rr(6, soa)));
    assert.deepEqual(message.answers, [
      { type: 'AAAA', name: 's\\255.a\\.b.d.example', ttl: 60, address: '2001:db8::1' },
      { type: 'TXT', name: 's\\255.a\\.b.d.example', ttl: 60, text: ['hi'] },
      { type: 'SOA', name: 's\\255.a\\.b.d.example', ttl: 60, mname: 's\\255.a\\.b.d.example', rname: 'host\\.master.d.example', serial: 7, minimum: 300 },
    ]);
  });

  test('a label ending in a dot keeps its escaped dot (it is not a trailing dot)', () => {
    const q = query('x.d.example');
    const answers = decoded(handBuilt(q, { an: 2 }, rr(5, wireName(ascii('sip.'), ...EXAMPLE)), rr(5, wireName(ascii('end.'))))).answers;
    assert.deepEqual(answers.map((r) => r.type === 'CNAME' && r.target), ['sip\\..d.example', 'end\\.']);
  });

  test('ordinary names are untouched', () => {
    const q = query('_sipfederationtls._tcp.d.example', 'SRV');
    const target = wireName(ascii('sip'), ...EXAMPLE);
    const [srv] = decoded(handBuilt(q, { an: 1 }, rr(33, srvRdata(target)))).answers;
    assert.equal(srv?.type === 'SRV' && srv.target, 'sip.d.example');
  });
});

describe('decodeMessage: malformed messages are { ok: false } with the fault named', () => {
  const q = query('sip.example.com', 'AAAA');
  const faults: readonly [MalformedFault, RegExp][] = [
    ['pointer-loop', /does not point to earlier data \(pointer loop\)/],
    ['pointer-cycle', /does not point to earlier data/],
    ['pointer-out-of-range', /to offset 16383/],
    ['truncated-header', /shorter than a DNS header/],
    ['inflated-counts', /announces 5 answer records but the message ends after 1/],
    ['long-label', /label length byte 0x40/],
    ['long-name', /longer than 255 octets/],
    ['truncated-rdata', /AAAA record data \(RDLENGTH 16\) runs past the end/],
    ['rdlength-mismatch', /A record data of 0 octets instead of 4/],
  ];
  for (const [fault, error] of faults) {
    test(fault, () => assert.match(failed(buildMalformed(q, fault)), error));
  }

  test('RDATA shapes of the types fedcheck reads', () => {
    const cases: readonly [Buffer, RegExp][] = [
      [rr(1, Buffer.from([192, 0, 2, 1, 9])), /A record data of 5 octets/],
      [rr(28, Buffer.alloc(15)), /AAAA record data of 15 octets/],
      [rr(5, Buffer.from([3, 0x77, 0x77, 0x77, 0, 0])), /target name does not fill RDLENGTH 6/],
      [rr(5, Buffer.from([3, 0x77, 0x77, 0x77])), /target name runs past the end|does not fill/],
      [rr(33, Buffer.from([0, 1, 0, 2, 0, 3])), /SRV record data of 6 octets, too short/],
      [rr(33, Buffer.from([0, 1, 0, 2, 0, 3, 1, 0x61, 0]), 8), /SRV target does not fill RDLENGTH 8/],
      [rr(16, Buffer.from([5, 0x61, 0x62])), /TXT record: strings do not fill RDLENGTH 3/],
      [rr(16, Buffer.alloc(0)), /TXT record with no strings/],
      [rr(6, Buffer.alloc(21)), /SOA record data of 21 octets, too short/],
      [rr(6, Buffer.concat([Buffer.from([0, 0]), Buffer.alloc(21)])), /SOA record: names and counters do not fill/],
    ];
    for (const [record, error] of cases) assert.match(failed(handBuilt(q, { an: 1 }, record)), error);
  });

  test('names: forward pointers, pointers into the header, reserved label types, cut-off pointers', () => {
    assert.match(failed(handBuilt(q, { an: 1 }, rr(1, Buffer.from([192, 0, 2, 1]), 4, Buffer.from([0xc0, 200])))), /does not point to earlier data/);
    assert.match(failed(handBuilt(q, { an: 1 }, rr(1, Buffer.from([192, 0, 2, 1]), 4, Buffer.from([0xc0, 2])))), /points into the header/);
    assert.match(failed(handBuilt(q, { an: 1 }, rr(1, Buffer.from([192, 0, 2, 1]), 4, Buffer.from([0x80, 1, 0])))), /label length byte 0x80/);
    assert.match(failed(handBuilt(q, { an: 1 }, Buffer.from([0xc0]))), /compression pointer cut off/);
    assert.match(failed(handBuilt(q, { an: 1 }, Buffer.from([0xc0, 12, 0, 1]))), /cut off in its fixed fields/);
  });

  test('OPT: at most one, owned by the root, options filling RDLENGTH (RFC 6891 §6.1)', () => {
    assert.match(failed(handBuilt(q, { ar: 2 }, OPT_ROOT(), OPT_ROOT())), /more than one OPT record/);
    const notRoot = Buffer.concat([Buffer.from([0xc0, 12]), OPT_ROOT().subarray(1)]);
    assert.match(failed(handBuilt(q, { ar: 1 }, notRoot)), /owner other than the root/);
    const badOption = Buffer.concat([OPT_ROOT().subarray(0, 9), Buffer.from([0, 3, 0, 8, 0, 9, 1])]);
    assert.match(failed(handBuilt(q, { ar: 1 }, badOption)), /option header cut off|options do not fill/);
  });

  test('questions announced but missing', () => {
    const header = Buffer.from(handBuilt(q, {}).subarray(0, 12));
    header.writeUInt16BE(2, 4);
    assert.match(failed(header), /announces 2 questions but the message ends after 0/);
    assert.match(failed(Buffer.concat([header, q.question.subarray(0, q.question.length - 2)])), /question 1 of 2 runs past the end/);
  });

  test('every proper prefix of a response fails; none throws', () => {
    const full = buildResponse(query('_sip._tls.example.com', 'SRV'), {
      answers: [
        { type: 'SRV', priority: 0, weight: 1, port: 443, target: 'sip.example.com' },
        { type: 'SRV', priority: 1, weight: 1, port: 443, target: 'sip2.example.com' },
      ],
      authorities: [{ type: 'SOA', name: 'example.com', mname: 'ns1.example.com', rname: 'h.example.com', serial: 1, minimum: 60 }],
      additionals: [{ type: 'A', name: 'sip.example.com', address: '192.0.2.1' }],
    });
    decoded(full);
    for (let length = 0; length < full.length; length += 1) failed(full.subarray(0, length));
  });

  test('inputs that are not DNS at all', () => {
    for (const input of [Buffer.alloc(0), Buffer.from([0]), Buffer.alloc(11, 0xff), Buffer.alloc(12, 0xff), Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')]) {
      assert.equal(decodeMessage(input).ok, false);
    }
    // A header with zero counts is a valid (empty) message.
    assert.equal(decodeMessage(Buffer.alloc(12)).ok, true);
  });
});

describe('mismatchReason (RFC 5452 §9.1)', () => {
  const question = { name: 'Sip.Example.com.', type: 'A' } as const;
  const q = query('sip.example.com');
  const base = decoded(buildResponse(q, { answers: [{ type: 'A', address: '192.0.2.1' }] }));

  test('a matching response: no reason (names compared case-insensitively, trailing dot ignored)', () => {
    assert.equal(mismatchReason(base, q.id, question), undefined);
  });

  test('each way a response can fail to match', () => {
    assert.equal(mismatchReason(base, q.id ^ 1, question), `ID ${q.id} instead of ${q.id ^ 1}`);
    assert.equal(mismatchReason({ ...base, qr: false }, q.id, question), 'QR flag clear (not a response)');
    assert.equal(mismatchReason({ ...base, questions: [] }, q.id, question), '0 questions instead of 1');
    assert.equal(mismatchReason({ ...base, questions: [base.questions[0]!, base.questions[0]!] }, q.id, question), '2 questions instead of 1');
    assert.equal(mismatchReason({ ...base, questions: [{ name: 'sip.example.net', type: 'A', class: 'IN' }] }, q.id, question), 'question name sip.example.net instead of Sip.Example.com');
    assert.equal(mismatchReason({ ...base, questions: [{ name: 'sip.example.com', type: 'AAAA', class: 'IN' }] }, q.id, question), 'question type AAAA instead of A');
    assert.equal(mismatchReason({ ...base, questions: [{ name: 'sip.example.com', type: 'A', class: 'CH' }] }, q.id, question), 'question class CH instead of IN');
  });

  test('FORMERR and NOTIMP may come without a question section; other rcodes may not', () => {
    assert.equal(mismatchReason({ ...base, questions: [], rcode: 'FORMERR' }, q.id, question), undefined);
    assert.equal(mismatchReason({ ...base, questions: [], rcode: 'NOTIMP' }, q.id, question), undefined);
    assert.equal(mismatchReason({ ...base, questions: [], rcode: 'SERVFAIL' }, q.id, question), '0 questions instead of 1');
  });

  test('escaped names: the same octets match, ASCII case aside (RFC 4343), however the escapes are spelt; other octets do not', () => {
    const answerTo = (qname: Buffer): DnsMessage => ({ ...decoded(withQuestion(qname, 1, 0)), id: q.id });
    const sip255 = answerTo(wireName(Buffer.from([0x53, 0x49, 0x50, 0xff, 0x58]), ...EXAMPLE));
    assert.equal(sip255.questions[0]?.name, 'SIP\\255X.d.example');
    for (const asked of ['sip\\255x.d.example', 'SIP\\255X.D.EXAMPLE.', '\\115ip\\255\\120.d.example']) {
      assert.equal(mismatchReason(sip255, q.id, { name: asked, type: 'A' }), undefined, asked);
    }
    for (const asked of ['sip\\254x.d.example', 'sip\\255x.e.example', 'sipx.d.example', 'sip\ufffdx.d.example']) {
      assert.equal(mismatchReason(sip255, q.id, { name: asked, type: 'A' }), `question name SIP\\255X.d.example instead of ${asked}`, asked);
    }
    // A dot inside a label is not a label boundary, either way round.
    const dotted = answerTo(wireName(ascii('a.b'), ...EXAMPLE));
    assert.equal(mismatchReason(dotted, q.id, { name: 'a\\.b.d.example', type: 'A' }), undefined);
    assert.equal(mismatchReason(dotted, q.id, { name: 'a\\046b.d.example', type: 'A' }), undefined);
    assert.equal(mismatchReason(dotted, q.id, { name: 'a.b.d.example', type: 'A' }), 'question name a\\.b.d.example instead of a.b.d.example');
    const split = answerTo(wireName(ascii('a'), ascii('b'), ...EXAMPLE));
    assert.equal(mismatchReason(split, q.id, { name: 'a\\.b.d.example', type: 'A' }), 'question name a.b.d.example instead of a\\.b.d.example');
    // Only ASCII letters fold: octet 0xC9 (É in Latin-1) is not 0xE9 (é).
    const latin = answerTo(wireName(Buffer.from([0xc9]), ...EXAMPLE));
    assert.equal(mismatchReason(latin, q.id, { name: '\\233.d.example', type: 'A' }), 'question name \\201.d.example instead of \\233.d.example');
  });

  test('the root name', () => {
    const root = decoded(buildResponse(query('.', 'A'), {}));
    assert.equal(mismatchReason(root, 0x1234, { name: '.', type: 'A' }), undefined);
  });
});

describe('encodeQuery, peekId, normaliseName', () => {
  test('encodeQuery sets the ID, RD and an EDNS OPT only when asked', () => {
    const plain = decoded(encodeQuery(0xbeef, { name: 'example.com', type: 'SRV' }));
    assert.equal(plain.id, 0xbeef);
    assert.equal(plain.qr, false);
    assert.equal(plain.rd, true);
    assert.equal(plain.edns, false);
    assert.deepEqual(plain.questions, [{ name: 'example.com', type: 'SRV', class: 'IN' }]);
    const edns = parseQuery(encodeQuery(1, { name: 'example.com', type: 'A' }, { ednsPayload: 1232, recursionDesired: false }));
    assert.equal(edns?.edns, true);
    assert.equal(edns?.ednsPayload, 1232);
    assert.equal(edns?.rd, false);
  });

  test('encodeQuery sets DO on every EDNS query (RFC 3225), and CD only when the question asks (RFC 4035 §3.2.2)', () => {
    const opt = (buf: Buffer): DnsPacketTypes.OptAnswer | undefined => decodeRaw(buf).additionals?.find((r): r is DnsPacketTypes.OptAnswer => r.type === 'OPT');
    for (const name of ['example.com', 'sip\\255x.example.com']) {
      const plain = encodeQuery(7, { name, type: 'SRV' }, { ednsPayload: 1232 });
      assert.equal(opt(plain)?.flag_do, true, name);
      assert.equal(decodeRaw(plain).flag_cd, false, name);
      const unchecked = encodeQuery(7, { name, type: 'SRV', checkingDisabled: true }, { ednsPayload: 1232 });
      assert.equal(decodeRaw(unchecked).flag_cd, true, name);
      assert.equal(decodeRaw(unchecked).flag_rd, true, name);
      assert.equal(opt(unchecked)?.flag_do, true, name);
      // Without EDNS there is no OPT record to carry DO.
      assert.equal(opt(encodeQuery(7, { name, type: 'SRV' })), undefined, name);
    }
  });

  test('peekId reads the ID of anything with two bytes', () => {
    assert.equal(peekId(Buffer.from([0xab, 0xcd, 0xff])), 0xabcd);
    assert.equal(peekId(Buffer.from([0xab])), undefined);
  });

  test('normaliseName', () => {
    assert.equal(normaliseName('example.com.'), 'example.com');
    assert.equal(normaliseName('example.com'), 'example.com');
    assert.equal(normaliseName('.'), '.');
    assert.equal(normaliseName(''), '.');
  });
});

describe('TLSA records (RFC 6698 §2.1)', () => {
  test('usage, selector, matching type and the association data are read from the wire', () => {
    const buf = encodeRaw({
      type: 'response',
      id: 7,
      flags: 0x8400,
      questions: [{ name: '_5061._tcp.sip.example.com', type: 'TLSA' }],
      answers: [{ type: 'TLSA', name: '_5061._tcp.sip.example.com', ttl: 60, data: { usage: 3, selector: 1, matchingType: 1, certificate: Buffer.from('ABCDEF01', 'hex') } }],
    } as DnsPacketTypes.Packet);
    assert.deepEqual(decoded(buf).answers, [{ type: 'TLSA', name: '_5061._tcp.sip.example.com', ttl: 60, usage: 3, selector: 1, matchingType: 1, data: 'abcdef01' }]);
  });

  test('a TLSA record shorter than its three fixed octets is malformed, not a record', () => {
    const q = parseQuery(encodeQuery(9, { name: '_5061._tcp.sip.example.com', type: 'TLSA' }));
    if (q === undefined) assert.fail('cannot read our own query');
    // Owner: pointer to the question; type 52, class IN, TTL 60, RDLENGTH 2.
    const record = Buffer.from('c00c' + '0034' + '0001' + '0000003c' + '0002' + '0301', 'hex');
    assert.match(failed(handBuilt(q, { an: 1 }, record)), /TLSA record data of 2 octets/);
  });
});
