/**
 * The one place that touches dns-packet. dns-packet throws on malformed
 * input; here every throw becomes a typed `malformed` value, and the loosely
 * typed decoded objects become the project's own record types.
 */
import { createRequire } from 'node:module';
import type * as DnsPacketTypes from 'dns-packet';

// dns-packet is CommonJS; keep the interop and its types in this file only.
const require = createRequire(import.meta.url);
const dnsPacket = require('dns-packet') as typeof DnsPacketTypes;

/** Record types fedcheck asks for or reads. */
export type QueryType = 'A' | 'AAAA' | 'CNAME' | 'SRV' | 'SOA' | 'NS' | 'TXT';

/** A DNS question as fedcheck sends it (class is always IN). */
export interface Question {
  readonly name: string;
  readonly type: QueryType;
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

export type DecodeResult = { readonly ok: true; readonly message: DnsMessage } | { readonly ok: false; readonly error: string };

/** Options for encoding a query. */
export interface EncodeOptions {
  /** Add an EDNS0 OPT record advertising this UDP payload size (RFC 6891). */
  readonly ednsPayload?: number | undefined;
  /** Set RD (recursion desired); false for questions sent straight to authoritative servers. */
  readonly recursionDesired?: boolean | undefined;
}

/** The EDNS0 UDP payload size recommended by DNS Flag Day 2020. */
export const EDNS_PAYLOAD = 1232;

/** Encode a query with the given ID. */
export function encodeQuery(id: number, question: Question, options: EncodeOptions = {}): Buffer {
  const packet: DnsPacketTypes.Packet = {
    type: 'query',
    id,
    flags: options.recursionDesired === false ? 0 : dnsPacket.RECURSION_DESIRED,
    questions: [{ name: question.name, type: question.type, class: 'IN' }],
  };
  if (options.ednsPayload !== undefined) {
    const opt: DnsPacketTypes.OptAnswer = { type: 'OPT', name: '.', udpPayloadSize: options.ednsPayload, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] };
    packet.additionals = [opt];
  }
  return dnsPacket.encode(packet);
}

/** Encode an arbitrary message; used by the zone responder and the tests' servers. */
export function encodeRaw(packet: DnsPacketTypes.Packet): Buffer {
  return dnsPacket.encode(packet);
}

/** Decode a raw dns-packet object; used by the zone responder and test servers to read queries. */
export function decodeRaw(buf: Buffer): DnsPacketTypes.DecodedPacket {
  return dnsPacket.decode(buf);
}

export type { DnsPacketTypes };

/** Decode a message; never throws. */
export function decodeMessage(buf: Buffer): DecodeResult {
  let raw: DnsPacketTypes.DecodedPacket;
  try {
    if (buf.length < 12) return { ok: false, error: `message of ${buf.length} bytes is shorter than a DNS header` };
    raw = dnsPacket.decode(buf);
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  try {
    return { ok: true, message: fromRaw(raw) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Read the 16-bit ID of a datagram without decoding it, or undefined when too short. */
export function peekId(buf: Buffer): number | undefined {
  return buf.length >= 2 ? buf.readUInt16BE(0) : undefined;
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function fromRaw(raw: DnsPacketTypes.DecodedPacket): DnsMessage {
  const flags = raw as DnsPacketTypes.DecodedPacket & {
    flag_qr?: boolean;
    flag_aa?: boolean;
    flag_tc?: boolean;
    flag_rd?: boolean;
    flag_ra?: boolean;
    flag_ad?: boolean;
    opcode?: string;
    rcode?: string;
  };
  const additionals = raw.additionals ?? [];
  return {
    id: raw.id ?? 0,
    qr: flags.flag_qr === true,
    opcode: flags.opcode ?? 'QUERY',
    aa: flags.flag_aa === true,
    tc: flags.flag_tc === true,
    rd: flags.flag_rd === true,
    ra: flags.flag_ra === true,
    ad: flags.flag_ad === true,
    rcode: flags.rcode ?? 'NOERROR',
    questions: (raw.questions ?? []).map((q) => ({
      name: normaliseName(q.name),
      type: String(q.type),
      class: String(q.class ?? 'IN'),
    })),
    answers: (raw.answers ?? []).map(fromRawRecord),
    authorities: (raw.authorities ?? []).map(fromRawRecord),
    additionals: additionals.filter((r) => r.type !== 'OPT').map(fromRawRecord),
    edns: additionals.some((r) => r.type === 'OPT'),
  };
}

/** Lower-case-insensitive canonical form: no trailing dot, root as '.'. */
export function normaliseName(name: string): string {
  if (name === '' || name === '.') return '.';
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

function fromRawRecord(r: DnsPacketTypes.Answer): ResourceRecord {
  const name = normaliseName(r.name);
  const ttl = 'ttl' in r && typeof r.ttl === 'number' ? r.ttl : 0;
  const data = (r as { data?: unknown }).data;
  switch (r.type) {
    case 'A':
      if (typeof data !== 'string' || !IPV4.test(data)) throw new Error(`A record for ${name} has bad data`);
      return { type: 'A', name, ttl, address: data };
    case 'AAAA':
      if (typeof data !== 'string' || !data.includes(':')) throw new Error(`AAAA record for ${name} has bad data`);
      return { type: 'AAAA', name, ttl, address: data };
    case 'CNAME':
    case 'NS':
    case 'DNAME':
      if (typeof data !== 'string') throw new Error(`${r.type} record for ${name} has bad data`);
      return { type: r.type, name, ttl, target: normaliseName(data) };
    case 'SRV': {
      const srv = data as DnsPacketTypes.SrvData | undefined;
      if (srv === undefined || typeof srv.target !== 'string' || typeof srv.port !== 'number') {
        throw new Error(`SRV record for ${name} has bad data`);
      }
      return {
        type: 'SRV',
        name,
        ttl,
        priority: srv.priority ?? 0,
        weight: srv.weight ?? 0,
        port: srv.port,
        target: normaliseName(srv.target),
      };
    }
    case 'SOA': {
      const soa = data as DnsPacketTypes.SoaData | undefined;
      if (soa === undefined || typeof soa.mname !== 'string') throw new Error(`SOA record for ${name} has bad data`);
      return {
        type: 'SOA',
        name,
        ttl,
        mname: normaliseName(soa.mname),
        rname: normaliseName(soa.rname),
        serial: soa.serial ?? 0,
        minimum: soa.minimum ?? 0,
      };
    }
    case 'TXT': {
      const parts = Array.isArray(data) ? data : [data];
      return { type: 'TXT', name, ttl, text: parts.map((p) => (Buffer.isBuffer(p) ? p.toString('utf8') : String(p))) };
    }
    default:
      return { type: 'OTHER', name, ttl, rrtype: String(r.type) };
  }
}
