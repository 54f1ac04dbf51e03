/**
 * The one place that touches dns-packet. dns-packet throws on malformed
 * input; here every throw becomes a typed `malformed` value, and the loosely
 * typed decoded objects become the project's own record types.
 */
// dns-packet is CommonJS; its exports are read as named ones (keep the interop and its types in this file only).
import * as dnsPacket from 'dns-packet';
import type * as DnsPacketTypes from 'dns-packet';
import * as typeNames from 'dns-packet/types.js';
import * as opcodeNames from 'dns-packet/opcodes.js';
import * as rcodeNames from 'dns-packet/rcodes.js';
import * as classNames from 'dns-packet/classes.js';
import { textToWire } from './name-text.js';
import { RRType } from './rr-types.js';
import { nameEnd, readNameText } from './name-wire.js';
import type { Result } from '../result.js';

/** Record types fedcheck asks for or reads. */
export type QueryType = 'A' | 'AAAA' | 'CNAME' | 'SRV' | 'SOA' | 'NS' | 'TXT' | 'TLSA';

/** A DNS question as fedcheck sends it (class is always IN). */
export interface Question {
  readonly name: string;
  readonly type: QueryType;
  /**
   * Set CD, checking disabled (RFC 4035 §3.2.2): a validating resolver
   * answers without validating. Asked only to tell a validation failure
   * (bogus) from another SERVFAIL; never to take the data for true.
   */
  readonly checkingDisabled?: boolean;
}

/** One resource record, reduced to what fedcheck reads. */
export type ResourceRecord =
  | { readonly type: 'A' | 'AAAA'; readonly name: string; readonly ttl: number; readonly address: string }
  | { readonly type: 'CNAME' | 'NS' | 'DNAME'; readonly name: string; readonly ttl: number; readonly target: string }
  | {
      readonly type: 'SRV';
      readonly name: string;
      readonly ttl: number;
      readonly priority: number;
      readonly weight: number;
      readonly port: number;
      readonly target: string;
    }
  | {
      readonly type: 'SOA';
      readonly name: string;
      readonly ttl: number;
      readonly mname: string;
      readonly rname: string;
      readonly serial: number;
      readonly minimum: number;
    }
  | { readonly type: 'TXT'; readonly name: string; readonly ttl: number; readonly text: readonly string[] }
  | {
      /** RFC 6698 §2.1: certificate usage, selector, matching type, certificate association data (lower-case hex). */
      readonly type: 'TLSA';
      readonly name: string;
      readonly ttl: number;
      readonly usage: number;
      readonly selector: number;
      readonly matchingType: number;
      readonly data: string;
    }
  | { readonly type: 'OTHER'; readonly name: string; readonly ttl: number; readonly rrtype: string };

/** The DNS response codes fedcheck distinguishes; anything else is kept as its mnemonic. */
export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED' | (string & {});

/** A decoded DNS message, reduced to the fields fedcheck uses. */
export interface DnsMessage {
  readonly id: number;
  readonly qr: boolean;
  readonly opcode: string;
  readonly aa: boolean;
  readonly tc: boolean;
  readonly rd: boolean;
  readonly ra: boolean;
  readonly ad: boolean;
  readonly rcode: Rcode;
  readonly questions: readonly { readonly name: string; readonly type: string; readonly class: string }[];
  readonly answers: readonly ResourceRecord[];
  readonly authorities: readonly ResourceRecord[];
  /** Additional records other than OPT. */
  readonly additionals: readonly ResourceRecord[];
  /** True when the response carried an EDNS0 OPT record. */
  readonly edns: boolean;
}

/** Options for encoding a query. */
export interface EncodeOptions {
  /** Add an EDNS0 OPT record advertising this UDP payload size (RFC 6891). */
  readonly ednsPayload?: number | undefined;
  /** Set RD (recursion desired); false for questions sent straight to authoritative servers. */
  readonly recursionDesired?: boolean | undefined;
}

/** The EDNS0 UDP payload size recommended by DNS Flag Day 2020. */
export const EDNS_PAYLOAD = 1232;

/**
 * Encode a query with the given ID. The name is in presentation form
 * (RFC 1035 §5.1), as decodeMessage gives names: `\DDD` is that octet, `\.`
 * a dot inside a label, `\\` a backslash; with or without the trailing dot.
 */
export function encodeQuery(id: number, question: Question, options: EncodeOptions = {}): Buffer {
  return encodeQueryFast(id, question, options) ?? encodeQueryPacket(id, question, options);
}

/**
 * DO, DNSSEC OK (RFC 3225 §3), in the OPT record's flags: every query with
 * EDNS sets it, so that a validating resolver says with AD whether it
 * validated the answer (RFC 6840 §5.7) and an authoritative server sends the
 * RRSIGs (RFC 4035 §3.1.1). A server that does not know DNSSEC ignores it.
 */
export const DNSSEC_OK = 0x8000;

/** The header's flags word of a query: RD unless asked without, CD when the question asks for it. */
function headerFlags(question: Question, options: EncodeOptions): number {
  return (options.recursionDesired === false ? 0 : 0x0100) | (question.checkingDisabled === true ? 0x0010 : 0);
}

/** Type codes of the questions fedcheck asks. */
const QUERY_TYPE_CODES: Readonly<Record<QueryType, number>> = { A: RRType.A, NS: RRType.NS, CNAME: RRType.CNAME, SOA: RRType.SOA, TXT: RRType.TXT, AAAA: RRType.AAAA, SRV: RRType.SRV, TLSA: RRType.TLSA };

/**
 * A plain host-style name: labels of 1 to 63 printable ASCII characters other
 * than the backslash (so no escapes: each character is its octet), 253 in all,
 * optional trailing dot.
 */
const PLAIN_NAME = /^(?:[!-\-/-\[\]-~]{1,63}\.)*[!-\-/-\[\]-~]{1,63}\.?$/;

/**
 * The query as bytes without dns-packet's general encoder (one per query
 * adds up over 100,000 domains): header, one question, and the EDNS0 OPT
 * record. Byte for byte what dns-packet's encoder produces for the same name
 * (a test compares them); undefined for any name that is not plain ASCII
 * labels, which then go the general way (names with escapes among them).
 */
function encodeQueryFast(id: number, question: Question, options: EncodeOptions): Buffer | undefined {
  const name = question.name;
  if (name.length > 254 || !PLAIN_NAME.test(name)) return undefined;
  const nameLength = name.endsWith('.') ? name.length - 1 : name.length;
  const edns = options.ednsPayload !== undefined;
  // Header 12, name (length octets replace the dots, plus the first and the root), type and class 4, OPT 11.
  const buf = Buffer.allocUnsafe(12 + nameLength + 2 + 4 + (edns ? 11 : 0));
  const flags = headerFlags(question, options);
  buf[0] = id >> 8;
  buf[1] = id & 0xff;
  buf[2] = flags >> 8;
  buf[3] = flags & 0xff;
  // QDCOUNT 1, ANCOUNT 0, NSCOUNT 0, ARCOUNT 1 with EDNS.
  buf.fill(0, 4, 12);
  buf[5] = 1;
  buf[11] = edns ? 1 : 0;
  // The name's characters after the first length octet, then each dot, from the end, becomes the length of the label after it.
  buf.write(name, 13, nameLength, 'latin1');
  let labelEnd = 13 + nameLength;
  for (let at = labelEnd - 1; at >= 13; at -= 1) {
    if (buf[at] === 0x2e) {
      buf[at] = labelEnd - at - 1;
      labelEnd = at;
    }
  }
  buf[12] = labelEnd - 13;
  let offset = 13 + nameLength;
  const type = QUERY_TYPE_CODES[question.type];
  buf[offset] = 0;
  buf[offset + 1] = type >> 8;
  buf[offset + 2] = type & 0xff;
  buf[offset + 3] = 0;
  buf[offset + 4] = 1;
  offset += 5;
  if (edns) {
    // Root owner, type OPT (41), CLASS = UDP payload size, TTL = extended RCODE, version, flags (DO), RDLENGTH 0.
    buf[offset] = 0;
    buf.writeUInt16BE(RRType.OPT, offset + 1);
    buf.writeUInt16BE(options.ednsPayload!, offset + 3);
    buf.writeUInt32BE(DNSSEC_OK, offset + 5);
    buf.writeUInt16BE(0, offset + 9);
  }
  return buf;
}

/**
 * The query through dns-packet's encoder: the reference, and the way for
 * names that are not plain. dns-packet writes labels as UTF-8 text split at
 * every dot, which cannot carry `\DDD`, `\.` or octets that are not UTF-8; so
 * it is given the root as the name, and the one octet of that root is replaced
 * by the wire form of the presentation text (src/dns/name-text.ts). A text
 * that is not a domain name at all (an empty label, a label over 63 octets)
 * goes to dns-packet as it is.
 */
export function encodeQueryPacket(id: number, question: Question, options: EncodeOptions = {}): Buffer {
  const wire = textToWire(question.name);
  const packet: DnsPacketTypes.Packet = {
    type: 'query',
    id,
    flags: headerFlags(question, options),
    questions: [{ name: wire.ok ? '.' : question.name, type: question.type, class: 'IN' }],
  };
  if (options.ednsPayload !== undefined) {
    // dns-packet's encoder writes `flags` and ignores `flag_do`, its decoder sets both: both say DO here.
    const opt: DnsPacketTypes.OptAnswer = { type: 'OPT', name: '.', udpPayloadSize: options.ednsPayload, extendedRcode: 0, ednsVersion: 0, flags: DNSSEC_OK, flag_do: true, options: [] };
    packet.additionals = [opt];
  }
  const encoded = dnsPacket.encode(packet);
  // The question name starts right after the 12-octet header; the root is one zero octet.
  return wire.ok ? Buffer.concat([encoded.subarray(0, 12), wire.value, encoded.subarray(13)]) : encoded;
}

/** Encode an arbitrary message with dns-packet (tests build their servers' answers with it). */
export function encodeRaw(packet: DnsPacketTypes.Packet): Buffer {
  return dnsPacket.encode(packet);
}

/** Decode with dns-packet alone, unchecked (tests use it as an independent reader). */
export function decodeRaw(buf: Buffer): DnsPacketTypes.DecodedPacket {
  return dnsPacket.decode(buf);
}

export type { DnsPacketTypes };

/**
 * Decode a message; never throws.
 *
 * dns-packet alone is not strict enough to trust: it reads an A or AAAA
 * address without looking at RDLENGTH (a truncated AAAA decodes as a wrong
 * address), lets a TXT string run past the end of the message, and realigns
 * on garbage. So the wire structure is walked first ({@link walkMessage}):
 * every name, count and RDLENGTH must be consistent, and the record types
 * fedcheck reads must have exactly the RDATA shape of their RFC. Only then
 * does dns-packet decode each record, at the offset the walk found.
 *
 * A message with TC=1 whose records are cut off (some servers truncate at a
 * byte boundary) still decodes, with its question and no records: the client
 * only needs TC to ask again over TCP (RFC 2181 §9 says to ignore the rest).
 */
export function decodeMessage(buf: Buffer): Result<DnsMessage> {
  if (buf.length < 12) return { ok: false, error: `message of ${buf.length} bytes is shorter than a DNS header` };
  try {
    const layout = walkMessage(buf);
    if (layout.error !== undefined) {
      const tc = (buf.readUInt16BE(2) & 0x0200) !== 0;
      if (!tc || !layout.questionsComplete) return { ok: false, error: layout.error };
      return { ok: true, value: buildMessage(buf, { ...layout, records: [] }) };
    }
    return { ok: true, value: buildMessage(buf, layout) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Read the 16-bit ID of a datagram without decoding it, or undefined when too short. */
export function peekId(buf: Buffer): number | undefined {
  return buf.length >= 2 ? buf.readUInt16BE(0) : undefined;
}

// dns-packet's per-record decoders: exported at runtime, absent from @types/dns-packet (its mnemonic tables: dns-packet-tables.d.ts).
interface DnsPacketParts {
  readonly question: { decode(buf: Buffer, offset: number): { name: string; type: string; class: string } };
  readonly answer: { decode: ((buf: Buffer, offset: number) => DnsPacketTypes.Answer) & { bytes: number } };
}
const parts = dnsPacket as unknown as DnsPacketParts;

/** The types whose data dns-packet decodes, after the walk checked its shape (A, SRV, CNAME, NS, DNAME, SOA, TLSA are read here). */
const READ_TYPES = new Set<number>([RRType.AAAA, RRType.TXT]);

type Section = 'answer' | 'authority' | 'additional';
const SECTIONS: readonly Section[] = ['answer', 'authority', 'additional'];

/** Where one resource record sits in a message. */
interface WireRecord {
  readonly section: Section;
  readonly offset: number;
  readonly end: number;
  readonly type: number;
  /** Offset of the TTL field (for OPT: extended RCODE, version, flags). */
  readonly ttlAt: number;
}

/** The result of {@link walkMessage}: offsets of everything that parsed, and the first structural error. */
interface WireLayout {
  readonly questions: readonly number[];
  readonly questionsComplete: boolean;
  readonly records: readonly WireRecord[];
  readonly error?: string;
}

class WireError extends Error {}

/**
 * Check the structure of a message (RFC 1035 §4.1, RFC 6891 §6.1) without
 * building anything: names (labels of at most 63 octets, 255 octets in all,
 * compression pointers only to earlier data, RFC 1035 §4.1.4), the counts
 * against the records present, each RDLENGTH against the message, and the
 * RDATA shape of the types fedcheck reads. Stops at the first problem.
 */
function walkMessage(buf: Buffer): WireLayout {
  const questions: number[] = [];
  const records: WireRecord[] = [];
  let questionsComplete = false;
  try {
    const qd = buf.readUInt16BE(4);
    let offset = 12;
    for (let i = 0; i < qd; i += 1) {
      if (offset >= buf.length) throw new WireError(`header announces ${qd} questions but the message ends after ${i}`);
      questions.push(offset);
      offset = skipName(buf, offset, 'question name');
      if (offset + 4 > buf.length) throw new WireError(`question ${i + 1} of ${qd} runs past the end of the message`);
      offset += 4;
    }
    questionsComplete = true;
    let opts = 0;
    for (let index = 0; index < SECTIONS.length; index += 1) {
      const section = SECTIONS[index]!;
      // ANCOUNT, NSCOUNT, ARCOUNT follow QDCOUNT in the header (RFC 1035 §4.1.1).
      const count = buf.readUInt16BE(6 + 2 * index);
      for (let i = 0; i < count; i += 1) {
        if (offset >= buf.length) {
          throw new WireError(`header announces ${count} ${section} records but the message ends after ${i}`);
        }
        const start = offset;
        offset = skipName(buf, offset, `${section} record owner name`);
        if (offset + 10 > buf.length) throw new WireError(`${section} record ${i + 1} of ${count} is cut off in its fixed fields`);
        const type = buf.readUInt16BE(offset);
        const rdStart = offset + 10;
        const rdEnd = rdStart + buf.readUInt16BE(offset + 8);
        if (rdEnd > buf.length) {
          throw new WireError(`${typeNames.toString(type)} record data (RDLENGTH ${rdEnd - rdStart}) runs past the end of the message`);
        }
        checkRdata(buf, type, rdStart, rdEnd);
        if (type === RRType.OPT && section === 'additional') {
          opts += 1;
          // RFC 6891 §6.1.1: one OPT at most, and its owner is the root.
          if (opts > 1) throw new WireError('more than one OPT record');
          if (buf[start] !== 0) throw new WireError('OPT record with an owner other than the root');
        }
        records.push({ section, offset: start, end: rdEnd, type, ttlAt: offset + 4 });
        offset = rdEnd;
      }
    }
    return { questions, questionsComplete, records };
  } catch (err) {
    if (!(err instanceof WireError)) throw err;
    return { questions, questionsComplete, records, error: err.message };
  }
}

/**
 * The offset just after the name at `offset` (after its first pointer, if
 * any). Throws {@link WireError} for a name that breaks RFC 1035 §3.1/§4.1.4.
 */
function skipName(buf: Buffer, offset: number, what: string): number {
  const end = nameEnd(buf, offset, what);
  if (typeof end === 'string') throw new WireError(end);
  return end;
}

/** Check the RDATA of the types fedcheck reads against their RFC layout; other types only need to fit. */
function checkRdata(buf: Buffer, type: number, start: number, end: number): void {
  const length = end - start;
  const nameFills = (at: number, what: string): void => {
    // The name may point outside the RDATA, but its own octets must end exactly at RDLENGTH.
    if (at >= end || skipName(buf, at, what) !== end) {
      throw new WireError(`${typeNames.toString(type)} record: ${what} does not fill RDLENGTH ${length}`);
    }
  };
  switch (type) {
    case RRType.A:
      if (length !== 4) throw new WireError(`A record data of ${length} octets instead of 4`);
      return;
    case RRType.AAAA:
      if (length !== 16) throw new WireError(`AAAA record data of ${length} octets instead of 16`);
      return;
    case RRType.NS:
    case RRType.CNAME:
    case RRType.PTR:
    case RRType.DNAME:
      nameFills(start, 'target name');
      return;
    case RRType.SRV:
      if (length < 7) throw new WireError(`SRV record data of ${length} octets, too short`);
      nameFills(start + 6, 'SRV target');
      return;
    case RRType.SOA: {
      if (length < 22) throw new WireError(`SOA record data of ${length} octets, too short`);
      const afterMname = skipName(buf, start, 'SOA MNAME');
      const afterRname = afterMname < end ? skipName(buf, afterMname, 'SOA RNAME') : end + 1;
      if (afterRname + 20 !== end) throw new WireError(`SOA record: names and counters do not fill RDLENGTH ${length}`);
      return;
    }
    case RRType.TXT: {
      if (length < 1) throw new WireError('TXT record with no strings');
      let pos = start;
      while (pos < end) pos += 1 + buf[pos]!;
      if (pos !== end) throw new WireError(`TXT record: strings do not fill RDLENGTH ${length}`);
      return;
    }
    case RRType.TLSA:
      // RFC 6698 §2.1: three octets, then the association data (which may be empty on the wire; matching judges it).
      if (length < 3) throw new WireError(`TLSA record data of ${length} octets, too short`);
      return;
    case RRType.OPT: {
      let pos = start;
      while (pos < end) {
        if (pos + 4 > end) throw new WireError('OPT record: option header cut off');
        pos += 4 + buf.readUInt16BE(pos + 2);
      }
      if (pos !== end) throw new WireError(`OPT record: options do not fill RDLENGTH ${length}`);
      return;
    }
    default:
      return;
  }
}

/** Build the message from a checked layout; throws only for record data fromRawRecord rejects. */
function buildMessage(buf: Buffer, layout: WireLayout): DnsMessage {
  sharedBuf = undefined;
  const flags = buf.readUInt16BE(2);
  const answers: ResourceRecord[] = [];
  const authorities: ResourceRecord[] = [];
  const additionals: ResourceRecord[] = [];
  let extendedRcode = 0;
  let edns = false;
  for (const record of layout.records) {
    if (record.type === RRType.OPT && record.section === 'additional') {
      edns = true;
      extendedRcode = buf[record.ttlAt]!;
      continue;
    }
    const decoded = decodeRecord(buf, record);
    if (record.section === 'answer') answers.push(decoded);
    else if (record.section === 'authority') authorities.push(decoded);
    else additionals.push(decoded);
  }
  return {
    id: buf.readUInt16BE(0),
    qr: (flags & 0x8000) !== 0,
    opcode: opcodeNames.toString((flags >> 11) & 0xf),
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    ad: (flags & 0x0020) !== 0,
    rcode: rcodeName((extendedRcode << 4) | (flags & 0xf)),
    questions: layout.questions.map((offset) => {
      const after = skipName(buf, offset, 'question name');
      return { name: sharedNameText(buf, offset), type: typeNames.toString(buf.readUInt16BE(after)), class: classNames.toString(buf.readUInt16BE(after + 2)) };
    }),
    answers,
    authorities,
    additionals,
    edns,
  };
}

/** The last name read by {@link sharedNameText} in the message being built: the message, where the name's labels start, its text. */
let sharedBuf: Buffer | undefined;
let sharedAt = -1;
let sharedText = '';

/**
 * The text of a question or owner name. Owners nearly always point at the
 * question (RFC 1035 §4.1.4 compression, `c0 0c`), so the text read for the
 * question is reused instead of read again per record. {@link buildMessage}
 * forgets it first, and runs to the end without yielding, so the name
 * remembered is always one of the message being built.
 */
function sharedNameText(buf: Buffer, offset: number): string {
  const at = (buf[offset]! & 0xc0) === 0xc0 ? ((buf[offset]! & 0x3f) << 8) | buf[offset + 1]! : offset;
  if (sharedBuf === buf && sharedAt === at) return sharedText;
  sharedText = readNameText(buf, at);
  sharedBuf = buf;
  sharedAt = at;
  return sharedText;
}

/** RFC 6891 §6.1.3: the OPT record carries the upper 8 bits of a 12-bit RCODE; BADVERS is 16. */
function rcodeName(value: number): Rcode {
  if (value < 16) return rcodeNames.toString(value);
  return value === 16 ? 'BADVERS' : `RCODE_${value}`;
}

/**
 * One record the walk has checked. Names come in RFC 1035 §5.1 presentation
 * form as dig prints them (src/dns/name-text.ts): a dot or backslash inside a
 * label is `\.` or `\\`, an octet outside printable ASCII `\DDD`. Nothing is
 * lost, so a name from an answer is asked for again as exactly the octets sent.
 */
function decodeRecord(buf: Buffer, record: WireRecord): ResourceRecord {
  // The common types straight from the wire: the walk has checked their RDATA shape.
  const rdata = record.ttlAt + 6;
  switch (record.type) {
    case RRType.A:
      return {
        type: 'A',
        name: sharedNameText(buf, record.offset),
        ttl: buf.readUInt32BE(record.ttlAt),
        address: `${buf[rdata]!}.${buf[rdata + 1]!}.${buf[rdata + 2]!}.${buf[rdata + 3]!}`,
      };
    case RRType.SRV:
      return {
        type: 'SRV',
        name: sharedNameText(buf, record.offset),
        ttl: buf.readUInt32BE(record.ttlAt),
        priority: buf.readUInt16BE(rdata),
        weight: buf.readUInt16BE(rdata + 2),
        port: buf.readUInt16BE(rdata + 4),
        target: readNameText(buf, rdata + 6),
      };
    case RRType.CNAME:
    case RRType.NS:
    case RRType.DNAME:
      return {
        type: record.type === RRType.CNAME ? 'CNAME' : record.type === RRType.NS ? 'NS' : 'DNAME',
        name: sharedNameText(buf, record.offset),
        ttl: buf.readUInt32BE(record.ttlAt),
        target: readNameText(buf, rdata),
      };
    case RRType.SOA: {
      // RFC 1035 §3.3.13: MNAME, RNAME, then SERIAL, REFRESH, RETRY, EXPIRE, MINIMUM.
      const rnameAt = skipName(buf, rdata, 'SOA MNAME');
      const counters = skipName(buf, rnameAt, 'SOA RNAME');
      return {
        type: 'SOA',
        name: sharedNameText(buf, record.offset),
        ttl: buf.readUInt32BE(record.ttlAt),
        mname: readNameText(buf, rdata),
        rname: readNameText(buf, rnameAt),
        serial: buf.readUInt32BE(counters),
        minimum: buf.readUInt32BE(counters + 16),
      };
    }
    case RRType.TLSA:
      return {
        type: 'TLSA',
        name: sharedNameText(buf, record.offset),
        ttl: buf.readUInt32BE(record.ttlAt),
        usage: buf[rdata]!,
        selector: buf[rdata + 1]!,
        matchingType: buf[rdata + 2]!,
        data: buf.toString('hex', rdata + 3, record.end),
      };
    default:
      break;
  }
  if (READ_TYPES.has(record.type)) {
    const raw = parts.answer.decode(buf, record.offset);
    // The walk fixed the layout; dns-packet must agree on where the record ends.
    if (parts.answer.decode.bytes !== record.end - record.offset) {
      throw new Error(`${typeNames.toString(record.type)} record decoded to ${parts.answer.decode.bytes} octets instead of ${record.end - record.offset}`);
    }
    // dns-packet reads names as UTF-8, losing octets: the owner comes from the wire, as for every other type.
    return fromRawRecord(raw, sharedNameText(buf, record.offset));
  }
  // Types fedcheck does not read keep only owner, type and TTL; their RDATA is never decoded.
  return {
    type: 'OTHER',
    name: sharedNameText(buf, record.offset),
    ttl: buf.readUInt32BE(record.ttlAt),
    rrtype: typeNames.toString(record.type),
  };
}

// The name fold is defined once, with the presentation form (src/dns/name-text.ts).
export { nameKey, normaliseName } from './name-text.js';

/** The records decodeRecord hands to dns-packet (AAAA, TXT), in the project's types, with their owner `name`. */
function fromRawRecord(r: DnsPacketTypes.Answer, name: string): ResourceRecord {
  const ttl = 'ttl' in r && typeof r.ttl === 'number' ? r.ttl : 0;
  const data = (r as { data?: unknown }).data;
  switch (r.type) {
    case 'AAAA':
      if (typeof data !== 'string' || !data.includes(':')) throw new Error(`AAAA record for ${name} has bad data`);
      return { type: 'AAAA', name, ttl, address: data };
    case 'TXT': {
      const parts = Array.isArray(data) ? data : [data];
      return { type: 'TXT', name, ttl, text: parts.map((p) => (Buffer.isBuffer(p) ? p.toString('utf8') : String(p))) };
    }
    default:
      return { type: 'OTHER', name, ttl, rrtype: String(r.type) };
  }
}
