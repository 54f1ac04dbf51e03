/**
 * The few wire-format pieces the responder needs (RFC 1035 §4.1): read a
 * query defensively (every read is bounds-checked; names are walked by the
 * same code as the codec's, src/dns/name-wire.ts), and write a response with
 * name compression.
 *
 * Why not dns-packet (src/dns/codec.ts): the responder must echo the question
 * octet for octet, serve labels holding dots or non-UTF-8 octets, emit RFC 3597
 * RDATA of any type, and know a response's exact size to decide on TC;
 * dns-packet writes names as UTF-8 text split at every dot, so it cannot carry
 * those labels, and it does not compress.
 */
import { nameEnd, readNameLabels } from '../dns/name-wire.js';
import { makeName, nameFromWire, suffixKey, type DomainName } from './name.js';
import { RRType } from '../dns/rr-types.js';

/** Header fields of a query that a response repeats or depends on. */
export interface QueryHeader {
  readonly id: number;
  readonly opcode: number;
  /** RD is copied into the response (RFC 1035 §4.1.1). */
  readonly rd: boolean;
  /** CD is copied into the response (RFC 4035 §3.1.6 style; harmless without DNSSEC). */
  readonly cd: boolean;
}

/** The EDNS(0) OPT record of a query (RFC 6891 §6.1). */
export interface QueryEdns {
  readonly payload: number;
  readonly version: number;
  readonly dnssecOk: boolean;
}

/** The single question of a query, its name exactly as asked. */
export interface QueryQuestion {
  readonly name: DomainName;
  readonly type: number;
  readonly qclass: number;
}

/** What a datagram or TCP message turned out to be. */
export type QueryReading =
  /** Too short for a header, or a response (QR set): not answered at all. */
  | { readonly kind: 'ignore' }
  /** A header, then octets that do not parse: FORMERR. */
  | { readonly kind: 'malformed'; readonly header: QueryHeader }
  | {
      readonly kind: 'query';
      readonly header: QueryHeader;
      readonly questionCount: number;
      /** Present when there is exactly one question and it parsed. */
      readonly question: QueryQuestion | undefined;
      readonly edns: QueryEdns | undefined;
      /** Several OPT records, or an OPT not owned by the root: FORMERR (RFC 6891 §6.1.1). */
      readonly badOpt: boolean;
    };

const HEADER = 12;
const FLAG_QR = 0x8000;
const FLAG_AA = 0x0400;
const FLAG_TC = 0x0200;
const FLAG_RD = 0x0100;
const FLAG_CD = 0x0010;

/** Read a query; never throws. */
export function readQuery(buf: Uint8Array): QueryReading {
  if (buf.length < HEADER) return { kind: 'ignore' };
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const flags = view.readUInt16BE(2);
  // Answering a response could start a loop between two servers.
  if ((flags & FLAG_QR) !== 0) return { kind: 'ignore' };
  const header: QueryHeader = {
    id: view.readUInt16BE(0),
    opcode: (flags >> 11) & 0xf,
    rd: (flags & FLAG_RD) !== 0,
    cd: (flags & FLAG_CD) !== 0,
  };
  const counts = [4, 6, 8, 10].map((o) => view.readUInt16BE(o));
  const [qdcount = 0, ancount = 0, nscount = 0, arcount = 0] = counts;
  let at = HEADER;
  let question: QueryQuestion | undefined;
  for (let i = 0; i < qdcount; i += 1) {
    const end = nameEnd(view, at);
    if (typeof end === 'string' || end + 4 > view.length) return { kind: 'malformed', header };
    if (qdcount === 1) question = { name: makeName(readNameLabels(view, at)), type: view.readUInt16BE(end), qclass: view.readUInt16BE(end + 2) };
    at = end + 4;
  }
  let edns: QueryEdns | undefined;
  let badOpt = false;
  for (let i = 0; i < ancount + nscount + arcount; i += 1) {
    const owned = nameEnd(view, at);
    if (typeof owned === 'string' || owned + 10 > view.length) return { kind: 'malformed', header };
    const type = view.readUInt16BE(owned);
    const rdlength = view.readUInt16BE(owned + 8);
    const end = owned + 10 + rdlength;
    if (end > view.length) return { kind: 'malformed', header };
    if (type === RRType.OPT) {
      if (i < ancount + nscount || edns !== undefined || readNameLabels(view, at).length > 0) badOpt = true;
      const ttl = view.readUInt32BE(owned + 4);
      edns = { payload: view.readUInt16BE(owned + 2), version: (ttl >>> 16) & 0xff, dnssecOk: (ttl & 0x8000) !== 0 };
    }
    at = end;
  }
  return { kind: 'query', header, questionCount: qdcount, question, edns, badOpt };
}

/** One resource record to write. */
export interface WireRecord {
  readonly owner: DomainName;
  readonly type: number;
  readonly ttl: number;
  /** Uncompressed RDATA; names in NS, CNAME, PTR, MX and SOA RDATA get compressed when written. */
  readonly rdata: Buffer;
}

/** Everything a response carries. */
export interface ResponseParts {
  readonly header: QueryHeader;
  readonly aa: boolean;
  readonly tc: boolean;
  /** Up to 12 bits; values above 15 need `edns` (RFC 6891 §6.1.3). */
  readonly rcode: number;
  readonly question: QueryQuestion | undefined;
  readonly answer: readonly WireRecord[];
  readonly authority: readonly WireRecord[];
  readonly additional: readonly WireRecord[];
  /** Add an OPT record advertising this payload size. */
  readonly edns: { readonly payload: number; readonly dnssecOk: boolean } | undefined;
}

/** Largest DNS message (2-octet TCP length, RFC 1035 §4.2.2). */
export const MAX_MESSAGE = 65_535;

/**
 * Encode a response. Returns undefined when it would not fit in a DNS message
 * at all; the caller then sends a truncated one.
 */
export function writeResponse(parts: ResponseParts): Buffer | undefined {
  const w = new Writer();
  const flags =
    FLAG_QR |
    ((parts.header.opcode & 0xf) << 11) |
    (parts.aa ? FLAG_AA : 0) |
    (parts.tc ? FLAG_TC : 0) |
    (parts.header.rd ? FLAG_RD : 0) |
    (parts.header.cd ? FLAG_CD : 0) |
    (parts.rcode & 0xf);
  w.u16(parts.header.id);
  w.u16(flags);
  w.u16(parts.question === undefined ? 0 : 1);
  w.u16(parts.answer.length);
  w.u16(parts.authority.length);
  w.u16(parts.additional.length + (parts.edns === undefined ? 0 : 1));
  if (parts.question !== undefined) {
    // The question goes back as asked, case included (RFC 1035 §4.1.2); later
    // names equal to it point here, so answers echo the asker's spelling.
    w.name(parts.question.name);
    w.u16(parts.question.type);
    w.u16(parts.question.qclass);
  }
  for (const record of [...parts.answer, ...parts.authority, ...parts.additional]) w.record(record);
  if (parts.edns !== undefined) {
    w.octet(0); // root owner
    w.u16(RRType.OPT);
    w.u16(parts.edns.payload);
    // TTL field: extended RCODE (upper 8 bits of 12), version 0, DO echoed (RFC 3225 §3).
    w.octet((parts.rcode >> 4) & 0xff);
    w.octet(0);
    w.u16(parts.edns.dnssecOk ? 0x8000 : 0);
    w.u16(0);
  }
  return w.finish();
}

class Writer {
  private readonly buf = Buffer.alloc(MAX_MESSAGE);
  private at = 0;
  private overflow = false;
  /** Offsets of names already written, by folded suffix, for compression (RFC 1035 §4.1.4). */
  private readonly offsets = new Map<string, number>();

  finish(): Buffer | undefined {
    return this.overflow ? undefined : Buffer.from(this.buf.subarray(0, this.at));
  }

  private room(n: number): boolean {
    if (this.at + n > this.buf.length) this.overflow = true;
    return !this.overflow;
  }

  octet(value: number): void {
    if (this.room(1)) this.buf[this.at++] = value;
  }

  u16(value: number): void {
    if (!this.room(2)) return;
    this.buf.writeUInt16BE(value, this.at);
    this.at += 2;
  }

  bytes(data: Uint8Array): void {
    if (!this.room(data.length)) return;
    this.buf.set(data, this.at);
    this.at += data.length;
  }

  name(name: DomainName): void {
    for (let i = 0; i < name.labels.length; i += 1) {
      const key = suffixKey(name, name.labels.length - i);
      const earlier = this.offsets.get(key);
      if (earlier !== undefined) {
        this.u16(0xc000 | earlier);
        return;
      }
      // A pointer has 14 bits of offset.
      if (this.at < 0x4000) this.offsets.set(key, this.at);
      const label = name.labels[i]!;
      this.octet(label.length);
      if (this.room(label.length)) {
        this.buf.write(label, this.at, 'latin1');
        this.at += label.length;
      }
    }
    this.octet(0);
  }

  record(record: WireRecord): void {
    this.name(record.owner);
    this.u16(record.type);
    this.u16(1); // class IN
    if (this.room(4)) {
      this.buf.writeUInt32BE(record.ttl, this.at);
      this.at += 4;
    }
    const lengthAt = this.at;
    this.u16(0);
    this.rdata(record.type, record.rdata);
    if (!this.overflow) this.buf.writeUInt16BE(this.at - lengthAt - 2, lengthAt);
  }

  private rdata(type: number, rdata: Buffer): void {
    // Compression inside RDATA only for the RFC 1035 types (RFC 3597 §4); never for SRV (RFC 2782).
    switch (type) {
      case RRType.NS:
      case RRType.CNAME:
      case RRType.PTR: {
        const target = nameFromWire(rdata, 0);
        if (target !== undefined && target.end === rdata.length) return this.name(target.name);
        break;
      }
      case RRType.MX: {
        const exchange = nameFromWire(rdata, 2);
        if (exchange !== undefined && exchange.end === rdata.length) {
          this.bytes(rdata.subarray(0, 2));
          return this.name(exchange.name);
        }
        break;
      }
      case RRType.SOA: {
        const mname = nameFromWire(rdata, 0);
        const rname = mname === undefined ? undefined : nameFromWire(rdata, mname.end);
        if (mname !== undefined && rname !== undefined && rname.end + 20 === rdata.length) {
          this.name(mname.name);
          this.name(rname.name);
          return this.bytes(rdata.subarray(rname.end));
        }
        break;
      }
    }
    this.bytes(rdata);
  }
}

