import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeMessage, decodeRaw, encodeRaw, type DnsPacketTypes } from '../../src/dns/codec.js';
import { parseZone } from '../../src/zone/parse.js';
import { answer, MAX_CNAME_CHAIN, RESPONDER_UDP_PAYLOAD } from '../../src/zone/responder.js';
import { typeNumber } from '../../src/zone/types.js';
import type { Zone } from '../../src/zone/zone.js';

function zone(fileName: string, text: string): Zone {
  const result = parseZone(text, { fileName });
  if (!result.ok) assert.fail(result.error.message);
  return result.value.zone;
}

const bigSrv = Array.from({ length: 30 }, (_, i) => `  SRV 10 10 5269 edge-${String(i + 1).padStart(2, '0')}.federation-pool.datacentre-west.contoso.com.`).join('\n');
const hosts = Array.from({ length: 8 }, (_, i) => `h${i} A 192.0.2.${100 + i}\n  AAAA 2001:db8::${100 + i}`).join('\n');
const longChain = Array.from({ length: 10 }, (_, i) => `long${i} CNAME long${i + 1}`).join('\n');

const CONTOSO = zone(
  'contoso.com.zone',
  `$TTL 3600
@ SOA ns1 hostmaster 1 7200 900 1209600 300
  NS ns1
  NS ns2.fabrikam.com.
ns1 A 192.0.2.53
www A 192.0.2.10
  AAAA 2001:db8::10
sip A 192.0.2.11
_sipfederationtls._tcp SRV 100 1 5061 sip
mail MX 10 www
alias CNAME www
chain1 CNAME chain2
chain2 CNAME alias
external CNAME sip.fabrikam.com.
outside CNAME www.example.net.
dangling CNAME nothere
nodatachain CNAME ns1
tocut CNAME www.sub
loop1 CNAME loop2
loop2 CNAME loop1
${longChain}
long10 A 192.0.2.99
a.b.c A 192.0.2.40
*.wild TXT "wildcard"
sub.wild A 192.0.2.41
*.wcname CNAME www
esc\\.dot TXT "label with a dot"
sub NS ns.sub
  NS ns.fabrikam.com.
ns.sub A 192.0.2.54
child NS ns1.child
ns1.child A 192.0.2.55
_xmpp-server._tcp SRV 10 10 5269 edge-00.federation-pool.datacentre-west.contoso.com.
${bigSrv}
_many._tcp SRV 0 0 5061 h0
  SRV 0 0 5061 h1
  SRV 0 0 5061 h2
  SRV 0 0 5061 h3
  SRV 0 0 5061 h4
  SRV 0 0 5061 h5
  SRV 0 0 5061 h6
  SRV 0 0 5061 h7
${hosts}
medium TXT "${'x'.repeat(250)}" "${'y'.repeat(250)}"
`,
);
const FABRIKAM = zone('fabrikam.com.zone', '$TTL 600\n@ 60 SOA ns1 hostmaster 1 2 3 4 300\n  NS ns1\nns1 A 192.0.2.1\nsip A 192.0.2.2\n');
const CHILD = zone('child.contoso.com.zone', '$TTL 600\n@ SOA ns1 hostmaster 1 2 3 4 300\n  NS ns1\nns1 A 192.0.2.55\nwww A 192.0.2.56\n');
const ZONES = [CONTOSO, FABRIKAM, CHILD];

interface Ask {
  readonly type?: string;
  /** Add an OPT with this payload size. */
  readonly edns?: number;
  readonly ednsVersion?: number;
  readonly dnssecOk?: boolean;
  readonly transport?: 'udp' | 'tcp';
  readonly opcode?: number;
  readonly qclass?: number;
  readonly id?: number;
}

/** A query built octet by octet, so labels may hold any octet and headers any value. */
function rawQuery(labels: readonly string[], ask: Ask = {}): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(ask.id ?? 0x1234, 0);
  header.writeUInt16BE(((ask.opcode ?? 0) << 11) | 0x0100, 2); // RD set, to see it copied
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(ask.edns === undefined ? 0 : 1, 10);
  parts.push(header);
  for (const label of labels) parts.push(Buffer.from([label.length]), Buffer.from(label, 'latin1'));
  const tail = Buffer.alloc(5);
  tail.writeUInt16BE(typeNumber(ask.type ?? 'A') ?? 0, 1);
  tail.writeUInt16BE(ask.qclass ?? 1, 3);
  parts.push(tail);
  if (ask.edns !== undefined) {
    const opt = Buffer.alloc(11);
    opt.writeUInt16BE(41, 1);
    opt.writeUInt16BE(ask.edns, 3);
    opt[6] = ask.ednsVersion ?? 0;
    opt.writeUInt16BE(ask.dnssecOk === true ? 0x8000 : 0, 7);
    parts.push(opt);
  }
  return Buffer.concat(parts);
}

function respond(query: Buffer, transport: 'udp' | 'tcp' = 'udp', zones: readonly Zone[] = ZONES): Buffer {
  const response = answer(zones, query, { transport });
  if (response === undefined) assert.fail('no response');
  // The project's strict decoder must accept every response.
  const strict = decodeMessage(response);
  assert.ok(strict.ok, strict.ok ? '' : strict.error);
  return response;
}

type Decoded = DnsPacketTypes.DecodedPacket & { readonly rcode?: string };

/** dns-packet's view of a response (it sets `rcode`, which its types omit). */
function decode(response: Buffer): Decoded {
  return decodeRaw(response);
}

/** Ask `name` (dotted, no escapes) and decode the response with dns-packet. */
function ask(name: string, options: Ask = {}): Decoded {
  return decode(respond(rawQuery(name.split('.'), options), options.transport ?? 'udp'));
}

type Rr = { name: string; type: string; ttl?: number; data?: unknown };
const brief = (records: readonly DnsPacketTypes.Answer[] | undefined): string[] =>
  (records ?? [])
    .filter((r) => r.type !== 'OPT')
    .map((r) => {
      const rr = r as Rr;
      const data = rr.data;
      const text = Buffer.isBuffer(data) ? data.toString() : Array.isArray(data) ? data.map(String).join(' ') : typeof data === 'object' && data !== null ? Object.values(data).join(' ') : String(data);
      return `${rr.name} ${rr.ttl ?? ''} ${rr.type} ${text}`;
    });

describe('answer: authoritative data', () => {
  it('answers an exact match with AA, the ID and RD copied', () => {
    const r = ask('www.contoso.com', { id: 4242 });
    assert.equal(r.id, 4242);
    assert.equal(r.rcode, 'NOERROR');
    assert.equal(r.flag_qr, true);
    assert.equal(r.flag_aa, true);
    assert.equal(r.flag_rd, true);
    assert.equal(r.flag_ra, false);
    assert.deepEqual(brief(r.answers), ['www.contoso.com 3600 A 192.0.2.10']);
    assert.deepEqual(brief(r.authorities), []);
  });

  it('echoes the question as asked and owns the answer by that spelling', () => {
    const response = respond(rawQuery(['WwW', 'CoNtOsO', 'cOm']));
    const r = decodeRaw(response);
    assert.equal(r.questions?.[0]?.name, 'WwW.CoNtOsO.cOm');
    assert.equal(r.answers?.[0]?.name, 'WwW.CoNtOsO.cOm');
    // The answer's owner is a compression pointer to the question (offset 12).
    assert.deepEqual([...response.subarray(12 + 17 + 4, 12 + 17 + 6)], [0xc0, 0x0c]);
  });

  it('answers ANY with every RRset at the name', () => {
    assert.deepEqual(brief(ask('www.contoso.com', { type: 'ANY' }).answers), ['www.contoso.com 3600 A 192.0.2.10', 'www.contoso.com 3600 AAAA 2001:db8::10']);
  });

  it('adds the addresses of SRV, MX and NS targets it holds', () => {
    const srv = ask('_sipfederationtls._tcp.contoso.com', { type: 'SRV' });
    assert.deepEqual(brief(srv.answers), ['_sipfederationtls._tcp.contoso.com 3600 SRV 100 1 5061 sip.contoso.com']);
    assert.deepEqual(brief(srv.additionals), ['sip.contoso.com 3600 A 192.0.2.11']);
    assert.deepEqual(brief(ask('mail.contoso.com', { type: 'MX' }).additionals), ['www.contoso.com 3600 A 192.0.2.10', 'www.contoso.com 3600 AAAA 2001:db8::10']);
    assert.deepEqual(brief(ask('contoso.com', { type: 'NS' }).additionals), ['ns1.contoso.com 3600 A 192.0.2.53']);
  });

  it('serves labels holding a dot, told apart from the same text as two labels', () => {
    const hit = decode(respond(rawQuery(['esc.dot', 'contoso', 'com'], { type: 'TXT' })));
    assert.equal(hit.rcode, 'NOERROR');
    assert.deepEqual(brief(hit.answers).map((l) => l.split(' TXT ')[1]), ['label with a dot']);
    assert.equal(decode(respond(rawQuery(['esc', 'dot', 'contoso', 'com'], { type: 'TXT' }))).rcode, 'NXDOMAIN');
  });

  it('answers from the deepest zone served: a served child is authoritative, not a referral', () => {
    const r = ask('www.child.contoso.com');
    assert.equal(r.flag_aa, true);
    assert.deepEqual(brief(r.answers), ['www.child.contoso.com 600 A 192.0.2.56']);
  });
});

describe('answer: CNAME', () => {
  it('follows a chain inside the zone', () => {
    assert.deepEqual(brief(ask('alias.contoso.com').answers), ['alias.contoso.com 3600 CNAME www.contoso.com', 'www.contoso.com 3600 A 192.0.2.10']);
    assert.deepEqual(brief(ask('chain1.contoso.com').answers), [
      'chain1.contoso.com 3600 CNAME chain2.contoso.com',
      'chain2.contoso.com 3600 CNAME alias.contoso.com',
      'alias.contoso.com 3600 CNAME www.contoso.com',
      'www.contoso.com 3600 A 192.0.2.10',
    ]);
  });

  it('gives only the CNAME when CNAME is asked', () => {
    assert.deepEqual(brief(ask('alias.contoso.com', { type: 'CNAME' }).answers), ['alias.contoso.com 3600 CNAME www.contoso.com']);
  });

  it('follows into another served zone, and stops at a zone not served', () => {
    const into = ask('external.contoso.com');
    assert.equal(into.flag_aa, true);
    assert.deepEqual(brief(into.answers), ['external.contoso.com 3600 CNAME sip.fabrikam.com', 'sip.fabrikam.com 600 A 192.0.2.2']);
    const out = ask('outside.contoso.com');
    assert.equal(out.rcode, 'NOERROR');
    assert.deepEqual(brief(out.answers), ['outside.contoso.com 3600 CNAME www.example.net']);
    assert.deepEqual(brief(out.authorities), []);
  });

  it('ends in NXDOMAIN or NODATA with the SOA when the target has nothing (RFC 6604)', () => {
    const nx = ask('dangling.contoso.com');
    assert.equal(nx.rcode, 'NXDOMAIN');
    assert.deepEqual(brief(nx.answers), ['dangling.contoso.com 3600 CNAME nothere.contoso.com']);
    assert.equal(nx.authorities?.[0]?.type, 'SOA');
    const nodata = ask('nodatachain.contoso.com', { type: 'TXT' });
    assert.equal(nodata.rcode, 'NOERROR');
    assert.deepEqual(brief(nodata.answers), ['nodatachain.contoso.com 3600 CNAME ns1.contoso.com']);
    assert.equal(nodata.authorities?.[0]?.type, 'SOA');
  });

  it('stops at a loop and after the longest chain allowed', () => {
    assert.deepEqual(brief(ask('loop1.contoso.com').answers), ['loop1.contoso.com 3600 CNAME loop2.contoso.com', 'loop2.contoso.com 3600 CNAME loop1.contoso.com']);
    const long = ask('long0.contoso.com');
    assert.equal(long.rcode, 'NOERROR');
    assert.equal(long.answers?.length, MAX_CNAME_CHAIN);
    assert.ok(long.answers?.every((a) => a.type === 'CNAME'));
    assert.equal(ask('long3.contoso.com').answers?.length, 8); // 7 CNAMEs and the A
  });
});

describe('answer: negative answers', () => {
  it('NODATA: NOERROR, AA, the SOA with TTL min(SOA TTL, MINIMUM)', () => {
    const r = ask('www.contoso.com', { type: 'TXT' });
    assert.equal(r.rcode, 'NOERROR');
    assert.equal(r.flag_aa, true);
    assert.deepEqual(r.answers, []);
    assert.deepEqual(brief(r.authorities), ['contoso.com 300 SOA ns1.contoso.com hostmaster.contoso.com 1 7200 900 1209600 300']);
    // Here the SOA's own TTL (60) is the smaller one.
    assert.equal((ask('sip.fabrikam.com', { type: 'AAAA' }).authorities?.[0] as Rr | undefined)?.ttl, 60);
  });

  it('NXDOMAIN: AA and the SOA', () => {
    const r = ask('nope.contoso.com');
    assert.equal(r.rcode, 'NXDOMAIN');
    assert.equal(r.flag_aa, true);
    assert.deepEqual(brief(r.authorities), ['contoso.com 300 SOA ns1.contoso.com hostmaster.contoso.com 1 7200 900 1209600 300']);
  });

  it('an empty non-terminal is NODATA, a name below it without data NXDOMAIN', () => {
    for (const name of ['b.c.contoso.com', 'c.contoso.com']) {
      const r = ask(name);
      assert.equal(r.rcode, 'NOERROR', name);
      assert.equal(r.authorities?.[0]?.type, 'SOA', name);
    }
    assert.equal(ask('x.c.contoso.com').rcode, 'NXDOMAIN');
  });
});

describe('answer: delegations and other zones', () => {
  it('refers below a zone cut: no AA, NS in authority, glue in additional', () => {
    const r = ask('www.sub.contoso.com');
    assert.equal(r.rcode, 'NOERROR');
    assert.equal(r.flag_aa, false);
    assert.deepEqual(r.answers, []);
    assert.deepEqual(brief(r.authorities), ['sub.contoso.com 3600 NS ns.sub.contoso.com', 'sub.contoso.com 3600 NS ns.fabrikam.com']);
    assert.deepEqual(brief(r.additionals), ['ns.sub.contoso.com 3600 A 192.0.2.54']);
    assert.equal(ask('sub.contoso.com', { type: 'NS' }).flag_aa, false);
    assert.equal(ask('ns.sub.contoso.com').flag_aa, false);
  });

  it('a CNAME chain into a delegation ends with the CNAME and the referral', () => {
    const r = ask('tocut.contoso.com');
    assert.equal(r.rcode, 'NOERROR');
    assert.equal(r.flag_aa, true); // for the CNAME, which is ours
    assert.deepEqual(brief(r.answers), ['tocut.contoso.com 3600 CNAME www.sub.contoso.com']);
    assert.deepEqual(brief(r.authorities), ['sub.contoso.com 3600 NS ns.sub.contoso.com', 'sub.contoso.com 3600 NS ns.fabrikam.com']);
  });

  it('answers DS at the cut from the parent side, authoritatively', () => {
    const r = ask('sub.contoso.com', { type: 'DS' });
    assert.equal(r.flag_aa, true);
    assert.equal(r.authorities?.[0]?.type, 'SOA');
  });

  it('REFUSED for a name in no served zone, a class other than IN, and zone transfers', () => {
    for (const r of [ask('www.example.net'), ask('www.contoso.com', { qclass: 3 }), ask('contoso.com', { type: 'AXFR', transport: 'tcp' })]) {
      assert.equal(r.rcode, 'REFUSED');
      assert.equal(r.flag_aa, false);
      assert.equal(r.questions?.length, 1);
      assert.deepEqual(r.answers, []);
    }
    assert.equal(ask('com').rcode, 'REFUSED');
  });
});

describe('answer: wildcards (RFC 4592)', () => {
  it('synthesises at the query name, one or more labels deep', () => {
    assert.deepEqual(brief(ask('x.wild.contoso.com', { type: 'TXT' }).answers), ['x.wild.contoso.com 3600 TXT wildcard']);
    assert.deepEqual(brief(ask('a.b.wild.contoso.com', { type: 'TXT' }).answers), ['a.b.wild.contoso.com 3600 TXT wildcard']);
    assert.equal(ask('x.wild.contoso.com', { type: 'TXT' }).flag_aa, true);
  });

  it('answers NODATA when the wildcard lacks the type', () => {
    const r = ask('x.wild.contoso.com', { type: 'A' });
    assert.equal(r.rcode, 'NOERROR');
    assert.deepEqual(r.answers, []);
    assert.equal(r.authorities?.[0]?.type, 'SOA');
  });

  it('does not apply to names that exist or below them', () => {
    assert.equal(ask('sub.wild.contoso.com', { type: 'TXT' }).answers?.length, 0);
    assert.equal(ask('x.sub.wild.contoso.com', { type: 'TXT' }).rcode, 'NXDOMAIN');
    assert.equal(ask('wild.contoso.com', { type: 'TXT' }).answers?.length, 0);
  });

  it('synthesises a CNAME and follows it', () => {
    assert.deepEqual(brief(ask('anything.wcname.contoso.com').answers), ['anything.wcname.contoso.com 3600 CNAME www.contoso.com', 'www.contoso.com 3600 A 192.0.2.10']);
  });
});

describe('answer: size, EDNS and truncation', () => {
  it('a 31-record SRV set: TC and no records over UDP, whole over TCP', () => {
    const udpResponse = respond(rawQuery('_xmpp-server._tcp.contoso.com'.split('.'), { type: 'SRV', edns: 1232 }));
    assert.ok(udpResponse.length <= RESPONDER_UDP_PAYLOAD);
    const udp = decodeRaw(udpResponse);
    assert.equal(udp.flag_tc, true);
    assert.deepEqual([udp.answers, udp.authorities], [[], []]);
    assert.deepEqual(udp.additionals?.map((a) => a.type), ['OPT']);
    assert.equal(udp.questions?.length, 1);
    const tcp = ask('_xmpp-server._tcp.contoso.com', { type: 'SRV', edns: 1232, transport: 'tcp' });
    assert.equal(tcp.flag_tc, false);
    assert.equal(tcp.answers?.length, 31);
  });

  it('caps UDP at 1232 octets even when the asker offers more', () => {
    assert.equal(ask('_xmpp-server._tcp.contoso.com', { type: 'SRV', edns: 4096 }).flag_tc, true);
  });

  it('limits to 512 without EDNS, and a payload below 512 counts as 512', () => {
    assert.equal(ask('medium.contoso.com', { type: 'TXT' }).flag_tc, true);
    assert.equal(ask('medium.contoso.com', { type: 'TXT', edns: 1232 }).flag_tc, false);
    const small = respond(rawQuery(['_sipfederationtls', '_tcp', 'contoso', 'com'], { type: 'SRV', edns: 100 }));
    assert.ok(small.length > 100);
    assert.equal(decode(small).flag_tc, false);
    assert.equal(decode(small).answers?.length, 1);
  });

  it('drops additional data that does not fit before setting TC (RFC 2181 §9)', () => {
    const plain = ask('_many._tcp.contoso.com', { type: 'SRV' });
    assert.equal(plain.flag_tc, false);
    assert.equal(plain.answers?.length, 8);
    assert.deepEqual(plain.additionals, []);
    const edns = ask('_many._tcp.contoso.com', { type: 'SRV', edns: 1232 });
    assert.equal(edns.additionals?.filter((a) => a.type !== 'OPT').length, 16);
  });

  it('echoes an OPT (payload 1232, DO copied) only when the query had one', () => {
    const opt = ask('www.contoso.com', { edns: 4096, dnssecOk: true }).additionals?.find((a) => a.type === 'OPT') as DnsPacketTypes.OptAnswer | undefined;
    assert.equal(opt?.udpPayloadSize, 1232);
    assert.equal(opt?.flag_do, true);
    assert.deepEqual(ask('www.contoso.com').additionals, []);
  });

  it('BADVERS for EDNS versions above 0 (RFC 6891 §6.1.3)', () => {
    const r = ask('www.contoso.com', { edns: 1232, ednsVersion: 1 });
    const opt = r.additionals?.find((a) => a.type === 'OPT') as DnsPacketTypes.OptAnswer | undefined;
    assert.equal(opt?.extendedRcode, 1); // 16 >> 4
    assert.deepEqual(r.answers, []);
    const strict = decodeMessage(respond(rawQuery(['www', 'contoso', 'com'], { edns: 1232, ednsVersion: 1 })));
    assert.ok(strict.ok && strict.value.rcode === 'BADVERS', JSON.stringify(strict));
  });
});

describe('answer: malformed and unsupported queries', () => {
  const www = rawQuery(['www', 'contoso', 'com']);
  const withCounts = (qd: number, ar = 0): Buffer => {
    const b = Buffer.from(www);
    b.writeUInt16BE(qd, 4);
    b.writeUInt16BE(ar, 10);
    return b;
  };
  const rcodeOf = (query: Buffer): string | undefined => decode(respond(query)).rcode;

  it('FORMERR without a question for no questions or several', () => {
    const none = decode(respond(withCounts(0)));
    assert.equal(none.rcode, 'FORMERR');
    assert.equal(none.id, 0x1234);
    assert.equal(none.questions?.length, 0);
    const two = Buffer.concat([withCounts(2), www.subarray(12)]);
    assert.equal(rcodeOf(two), 'FORMERR');
  });

  it('FORMERR for a cut-off question, a pointer loop or into the header, a bad label type and a stray OPT', () => {
    assert.equal(rcodeOf(www.subarray(0, 20)), 'FORMERR');
    const loop = Buffer.concat([www.subarray(0, 12), Buffer.from([0xc0, 12, 0, 1, 0, 1])]);
    assert.equal(rcodeOf(loop), 'FORMERR');
    // Offset 4 holds QDCOUNT's high octet, 0: read as a name it would be the root. No name starts in the header.
    const intoHeader = Buffer.concat([www.subarray(0, 12), Buffer.from([0xc0, 4, 0, 1, 0, 1])]);
    assert.equal(rcodeOf(intoHeader), 'FORMERR');
    const extended = Buffer.concat([www.subarray(0, 12), Buffer.from([0x41, 0, 0, 1, 0, 1])]);
    assert.equal(rcodeOf(extended), 'FORMERR');
    const opt = Buffer.from([0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, 0]);
    assert.equal(rcodeOf(Buffer.concat([withCounts(1, 2), www.subarray(12), opt, opt])), 'FORMERR');
    const notRoot = Buffer.from([1, 0x61, 0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, 0]);
    assert.equal(rcodeOf(Buffer.concat([withCounts(1, 1), www.subarray(12), notRoot])), 'FORMERR');
    assert.equal(rcodeOf(Buffer.concat([withCounts(1, 1), www.subarray(12)])), 'FORMERR'); // OPT counted, absent
  });

  it('NOTIMP for opcodes other than QUERY, with the question echoed', () => {
    for (const opcode of [1, 2, 4, 5]) {
      const r = decode(respond(rawQuery(['www', 'contoso', 'com'], { opcode })));
      assert.equal(r.rcode, 'NOTIMP', `opcode ${opcode}`);
      assert.equal(r.questions?.length, 1);
    }
  });

  it('no answer at all for less than a header or for a response', () => {
    assert.equal(answer(ZONES, Buffer.alloc(0), { transport: 'udp' }), undefined);
    assert.equal(answer(ZONES, www.subarray(0, 11), { transport: 'udp' }), undefined);
    const response = Buffer.from(www);
    response.writeUInt16BE(0x8000, 2);
    assert.equal(answer(ZONES, response, { transport: 'udp' }), undefined);
  });

  it('reads queries made by dns-packet, compressed or not', () => {
    const packet: DnsPacketTypes.Packet = { type: 'query', id: 9, flags: 0, questions: [{ name: 'mail.contoso.com', type: 'MX', class: 'IN' }] };
    assert.equal(decodeRaw(respond(encodeRaw(packet))).answers?.length, 1);
  });

  it('never throws, whatever the octets (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom<'udp' | 'tcp'>('udp', 'tcp'), (bytes, transport) => {
        const response = answer(ZONES, bytes, { transport });
        if (response === undefined) return;
        assert.ok(response.length >= 12);
        assert.equal(response.readUInt16BE(0), Buffer.from(bytes).readUInt16BE(0));
        assert.ok((response.readUInt16BE(2) & 0x8000) !== 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('a valid query with octets flipped never throws, and answers decode (property)', () => {
    const base = rawQuery(['_sipfederationtls', '_tcp', 'contoso', 'com'], { type: 'SRV', edns: 1232 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), (flips) => {
        const query = Buffer.from(base);
        for (const [at, value] of flips) query[at] = value;
        const response = answer(ZONES, query, { transport: 'udp' });
        if (response !== undefined) assert.ok(decodeMessage(response).ok);
      }),
      { numRuns: 2000 },
    );
  });

  it('answers well-formed random questions with well-formed responses (property)', () => {
    const label = fc.constantFrom('www', 'WWW', 'sip', 'a', 'b', 'c', 'wild', 'x', 'sub', 'alias', 'loop1', '*', 'contoso', 'com', 'fabrikam', 'chain1');
    const type = fc.constantFrom('A', 'AAAA', 'CNAME', 'SRV', 'SOA', 'NS', 'TXT', 'MX', 'ANY', 'DS', 'CAA');
    fc.assert(
      fc.property(fc.array(label, { maxLength: 5 }), type, fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }), (labels, t, edns) => {
        const query = rawQuery([...labels, 'contoso', 'com'], { type: t, edns });
        const response = respond(query);
        const limit = edns === undefined ? 512 : Math.min(Math.max(edns, 512), 1232);
        assert.ok(response.length <= limit);
        const decoded = decodeMessage(response);
        assert.ok(decoded.ok && ['NOERROR', 'NXDOMAIN'].includes(decoded.value.rcode));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('answer: DNAME (RFC 6672)', () => {
  const DNAMES = zone(
    'dname.example.zone',
    `$TTL 600
@ SOA ns1 hostmaster 1 2 3 4 300
  NS ns1
ns1 A 192.0.2.1
old 300 DNAME new
  TXT "the DNAME owner itself is ordinary data"
hidden.old A 192.0.2.66
new NS ns1
host.new A 192.0.2.7
away DNAME elsewhere.example.
`,
  );
  const q = (name: string, type = 'A'): Decoded => decode(respond(rawQuery(name.split('.'), { type }), 'udp', [DNAMES]));
  const show = (m: Decoded): string[] => (m.answers ?? []).map((r) => `${r.name} ${(r as { ttl?: number }).ttl} ${r.type} ${r.type === 'A' || r.type === 'CNAME' || r.type === 'DNAME' ? String(r.data) : ''}`.trim());

  it('answers the DNAME, a CNAME synthesised with its TTL, then the chain followed in the zone', () => {
    const m = q('host.old.dname.example');
    assert.equal(m.rcode, 'NOERROR');
    assert.ok(m.flags !== undefined && (m.flags & 0x0400) !== 0, 'AA');
    assert.deepEqual(show(m), [
      'old.dname.example 300 DNAME new.dname.example',
      'host.old.dname.example 300 CNAME host.new.dname.example',
    ]);
    // host.new is below the delegation "new": the chain stops at the referral.
    assert.deepEqual((m.authorities ?? []).map((r) => `${r.name} ${r.type}`), ['new.dname.example NS']);
  });

  it('data below a DNAME is occluded; the DNAME owner answers for itself', () => {
    assert.deepEqual(show(q('hidden.old.dname.example')).slice(0, 2), ['old.dname.example 300 DNAME new.dname.example', 'hidden.old.dname.example 300 CNAME hidden.new.dname.example']);
    assert.deepEqual((q('old.dname.example', 'TXT').answers ?? []).map((r) => r.type), ['TXT']);
    assert.deepEqual(show(q('old.dname.example', 'DNAME')), ['old.dname.example 300 DNAME new.dname.example']);
  });

  it('a CNAME question stops at the synthesised CNAME; a target in no served zone ends the answer', () => {
    assert.deepEqual(show(q('x.old.dname.example', 'CNAME')), ['old.dname.example 300 DNAME new.dname.example', 'x.old.dname.example 300 CNAME x.new.dname.example']);
    const away = q('a.b.away.dname.example');
    assert.equal(away.rcode, 'NOERROR');
    assert.deepEqual(show(away), ['away.dname.example 600 DNAME elsewhere.example', 'a.b.away.dname.example 600 CNAME a.b.elsewhere.example']);
  });
});
