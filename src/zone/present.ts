/**
 * Records back to master-file text (RFC 1035 §5.1, RFC 3597 §5), one line each,
 * names absolute. The output parses back to the same records.
 */
import { nameFromWire, type DomainName } from './name.js';
import { RRType } from '../dns/rr-types.js';
import { typeName } from './types.js';
import type { ZoneRecord } from './zone.js';

/** `www.contoso.com. 3600 IN A 192.0.2.10` */
export function formatRecord(record: ZoneRecord): string {
  return `${absolute(record.owner)} ${record.ttl} IN ${typeName(record.type)} ${formatRdata(record.type, record.rdata)}`;
}

/** The RDATA of one record in presentation form; the RFC 3597 generic form for types not parsed here. */
export function formatRdata(type: number, rdata: Buffer): string {
  return typedRdata(type, rdata) ?? genericRdata(rdata);
}

/**
 * False when RDATA of a type this engine reads in text form is not well formed
 * (used for RDATA given in the RFC 3597 generic form); true for other types.
 */
export function isKnownRdataValid(type: number, rdata: Buffer): boolean {
  if (!TEXT_TYPES.has(type)) return true;
  if (typedRdata(type, rdata) === undefined) return false;
  // RFC 8659 §4.1: the CAA tag is letters and digits.
  return type !== RRType.CAA || /^[A-Za-z0-9]{1,15}$/.test(rdata.subarray(2, 2 + (rdata[1] ?? 0)).toString('latin1'));
}

const TEXT_TYPES: ReadonlySet<number> = new Set([RRType.A, RRType.AAAA, RRType.NS, RRType.CNAME, RRType.PTR, RRType.MX, RRType.SRV, RRType.SOA, RRType.TXT, RRType.SPF, RRType.CAA]);

/** `\# 4 C0000201` (RFC 3597 §5). */
function genericRdata(rdata: Buffer): string {
  return rdata.length === 0 ? '\\# 0' : `\\# ${rdata.length} ${rdata.toString('hex').toUpperCase()}`;
}

function absolute(name: DomainName): string {
  return name.text === '.' ? '.' : `${name.text}.`;
}

function typedRdata(type: number, rdata: Buffer): string | undefined {
  switch (type) {
    case RRType.A:
      return rdata.length === 4 ? [...rdata].join('.') : undefined;
    case RRType.AAAA:
      return rdata.length === 16 ? formatIPv6(rdata) : undefined;
    case RRType.NS:
    case RRType.CNAME:
    case RRType.PTR:
    case RRType.DNAME: {
      const target = nameFromWire(rdata, 0);
      return target !== undefined && target.end === rdata.length ? absolute(target.name) : undefined;
    }
    case RRType.MX: {
      const exchange = rdata.length > 2 ? nameFromWire(rdata, 2) : undefined;
      return exchange !== undefined && exchange.end === rdata.length ? `${rdata.readUInt16BE(0)} ${absolute(exchange.name)}` : undefined;
    }
    case RRType.SRV: {
      const target = rdata.length > 6 ? nameFromWire(rdata, 6) : undefined;
      if (target === undefined || target.end !== rdata.length) return undefined;
      return `${rdata.readUInt16BE(0)} ${rdata.readUInt16BE(2)} ${rdata.readUInt16BE(4)} ${absolute(target.name)}`;
    }
    case RRType.SOA: {
      const mname = nameFromWire(rdata, 0);
      const rname = mname === undefined ? undefined : nameFromWire(rdata, mname.end);
      if (mname === undefined || rname === undefined || rname.end + 20 !== rdata.length) return undefined;
      const numbers = [0, 4, 8, 12, 16].map((i) => rdata.readUInt32BE(rname.end + i));
      return `${absolute(mname.name)} ${absolute(rname.name)} ${numbers.join(' ')}`;
    }
    case RRType.TXT:
    case RRType.SPF: {
      const strings: string[] = [];
      for (let at = 0; at < rdata.length; ) {
        const length = rdata[at]!;
        if (at + 1 + length > rdata.length) return undefined;
        strings.push(quote(rdata.subarray(at + 1, at + 1 + length)));
        at += 1 + length;
      }
      return strings.length > 0 ? strings.join(' ') : undefined;
    }
    case RRType.CAA: {
      const tagLength = rdata[1];
      if (rdata.length < 2 || tagLength === undefined || 2 + tagLength > rdata.length) return undefined;
      const tag = rdata.subarray(2, 2 + tagLength).toString('latin1');
      return `${rdata[0]} ${tag} ${quote(rdata.subarray(2 + tagLength))}`;
    }
    default:
      return undefined;
  }
}

/** A character-string in quotes: `"` and `\` escaped, unprintable octets as `\DDD`. */
function quote(bytes: Uint8Array): string {
  let out = '"';
  for (const byte of bytes) {
    if (byte < 0x20 || byte >= 0x7f) out += '\\' + String(byte).padStart(3, '0');
    else if (byte === 0x22 || byte === 0x5c) out += '\\' + String.fromCharCode(byte);
    else out += String.fromCharCode(byte);
  }
  return out + '"';
}

/**
 * RFC 5952 §4: lower case, no leading zeros, the longest run of two or more
 * zero groups as `::`; IPv4-mapped addresses as `::ffff:192.0.2.1` (§5).
 */
function formatIPv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${[...bytes.subarray(12, 16)].join('.')}`;
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
