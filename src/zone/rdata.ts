/**
 * RDATA between master-file text and wire form, one layout per type: a type
 * is a list of fields (name, u16, base64, type bitmap …), and one reader and
 * one writer per field kind serve every type. The text written back is the
 * form `named-checkzone -D` prints (hex upper case, names absolute, LOC and
 * SVCB parameters normalised), so a record reads back to the same octets.
 *
 * Sources: RFC 1035 §3.3 (A, NS, CNAME, SOA, PTR, HINFO, MX, TXT), RFC 1183
 * (RP, AFSDB), RFC 1876 (LOC), RFC 2782 (SRV), RFC 3403 (NAPTR), RFC 3596
 * (AAAA), RFC 4034 (DNSKEY, RRSIG, NSEC, DS), RFC 4255 (SSHFP), RFC 4701
 * (DHCID), RFC 5155 (NSEC3, NSEC3PARAM), RFC 6672 (DNAME), RFC 6698 (TLSA),
 * RFC 7344 (CDS, CDNSKEY), RFC 7477 (CSYNC), RFC 7553 (URI), RFC 7929
 * (OPENPGPKEY), RFC 8162 (SMIMEA), RFC 8659 (CAA), RFC 8976 (ZONEMD),
 * RFC 9460 (SVCB, HTTPS); the older and rarer ones: RFC 1183 (X25, ISDN, RT),
 * RFC 1706 (NSAP), RFC 1712 (GPOS), RFC 2163 (PX), RFC 2230 (KX), RFC 2535
 * (KEY, SIG), RFC 3123 (APL), RFC 4025 (IPSECKEY), RFC 4398 (CERT), RFC 4431
 * (DLV), RFC 6742 (NID, L32, L64, LP), RFC 7043 (EUI48, EUI64), RFC 8005
 * (HIP), RFC 8777 (AMTRELAY), and the IANA registrations of NINFO, RKEY,
 * TALINK, TA, AVC, DOA, RESINFO and WALLET.
 */
import { ipv4Octets, ipv6Octets, ipv6Text } from '../dns/ip-text.js';
import { nameFromWire, nameToWire, parseName, type DomainName } from './name.js';
import { decimalEscape, readEscape } from '../dns/name-text.js';
import { RRType } from '../dns/rr-types.js';
import { typeName, typeNumber } from './types.js';

/** A fault at a line of the file. */
export class Problem {
  constructor(
    readonly message: string,
    readonly line: number,
  ) {}
}

/** One word of a record as the lexer read it. */
export interface Token {
  /** The text as written, escapes kept (`\.`, `\065`); quotes removed. */
  readonly text: string;
  readonly quoted: boolean;
  readonly line: number;
}

const MAX_U32 = 0xffffffff;
/** Largest TTL (RFC 2181 §8). */
export const MAX_TTL = 0x7fffffff;

/** The kinds of field a layout is made of. */
type FieldKind =
  | 'u8'
  | 'u16'
  | 'u32'
  /** u32 written as seconds or with TTL units (SOA timers, RRSIG original TTL). */
  | 'ttl'
  /** u8 written as a number or a DNSSEC algorithm mnemonic (RFC 4034 appendix A.1). */
  | 'algorithm'
  /** u16 type number written as a mnemonic (RRSIG type covered). */
  | 'type'
  /** u32 seconds since 1970 written as YYYYMMDDHHmmSS or a number (RFC 4034 §3.2). */
  | 'time'
  | 'name'
  | 'ipv4'
  | 'ipv6'
  /** One <character-string>: a length octet and up to 255 octets. */
  | 'string'
  /** One or more <character-string>s, to the end (TXT). */
  | 'strings'
  /** Octets without a length, to the end, written as one string (CAA value, URI target). */
  | 'text'
  /** CAA tag: a length octet and 1-15 letters and digits. */
  | 'tag'
  /** Base64 to the end, in any number of words. */
  | 'base64'
  /** Hex to the end, in any number of words. */
  | 'hex'
  /** A length octet and hex, `-` for none (NSEC3 salt). */
  | 'salt'
  /** A length octet and base32hex without padding (NSEC3 next hashed owner, RFC 4648 §7). */
  | 'base32'
  /** Type bitmap to the end (RFC 4034 §4.1.2), possibly empty. */
  | 'bitmap'
  /** SVCB SvcParams to the end (RFC 9460 §2.1), possibly empty. */
  | 'svcparams'
  /** A <character-string> that may be left out (ISDN subaddress). */
  | 'optional-string'
  /** u8 DNSSEC algorithm printed as BIND's mnemonic (CERT; RFC 4398 §2.1). */
  | 'secalg'
  /** u16 certificate type, mnemonic or number (RFC 4398 §2.1). */
  | 'certtype'
  /** 6 or 8 octets as `xx-xx-…` (RFC 7043 §3.2, §4.2). */
  | 'eui48'
  | 'eui64'
  /** 64 bits as four groups of hex, `2001:db8:1140:1000` (RFC 6742 §2.1.2). */
  | 'ilnp64'
  /** `0x` then hex, dots allowed between digits (RFC 1706 §5). */
  | 'nsap'
  /** Base64 to the end, `-` for none (DOA data). */
  | 'base64-or-dash'
  /** APL items to the end: `[!]afi:address/prefix` (RFC 3123 §5). */
  | 'apl'
  /** WKS protocol and service bitmap to the end (RFC 1035 §3.4.2): numbers, `tcp` and `udp`. */
  | 'wks';

interface Field {
  readonly kind: FieldKind;
  /** How messages name it: `SRV port`. */
  readonly what: string;
}

const f = (kind: FieldKind, what: string = kind): Field => ({ kind, what });

const DS: readonly Field[] = [f('u16', 'key tag'), f('algorithm'), f('u8', 'digest type'), f('hex', 'digest')];
const DNSKEY: readonly Field[] = [f('u16', 'flags'), f('u8', 'protocol'), f('algorithm'), f('base64', 'public key')];
const TLSA: readonly Field[] = [f('u8', 'certificate usage'), f('u8', 'selector'), f('u8', 'matching type'), f('hex', 'certificate data')];
const SVCB: readonly Field[] = [f('u16', 'priority'), f('name', 'target'), f('svcparams')];
const RRSIG: readonly Field[] = [f('type', 'type covered'), f('algorithm'), f('u8', 'labels'), f('ttl', 'original TTL'), f('time', 'expiration'), f('time', 'inception'), f('u16', 'key tag'), f('name', "signer's name"), f('base64', 'signature')];
const PREFERENCE_NAME: readonly Field[] = [f('u16', 'preference'), f('name', 'exchanger')];

/** The layout of every type read in text form. LOC has its own reader and writer. */
const LAYOUTS: ReadonlyMap<number, readonly Field[]> = new Map<number, readonly Field[]>([
  [RRType.A, [f('ipv4', 'address')]],
  [RRType.AAAA, [f('ipv6', 'address')]],
  [RRType.NS, [f('name', 'name server')]],
  [RRType.CNAME, [f('name', 'target')]],
  [RRType.DNAME, [f('name', 'target')]],
  [RRType.PTR, [f('name', 'target')]],
  [RRType.SOA, [f('name', 'MNAME'), f('name', 'RNAME'), f('u32', 'serial'), f('ttl', 'refresh'), f('ttl', 'retry'), f('ttl', 'expire'), f('ttl', 'minimum')]],
  [RRType.HINFO, [f('string', 'CPU'), f('string', 'OS')]],
  [RRType.MX, [f('u16', 'preference'), f('name', 'exchange')]],
  [RRType.TXT, [f('strings', 'text')]],
  [RRType.SPF, [f('strings', 'text')]],
  [RRType.RP, [f('name', 'mailbox'), f('name', 'TXT name')]],
  [RRType.AFSDB, [f('u16', 'subtype'), f('name', 'hostname')]],
  [RRType.SRV, [f('u16', 'priority'), f('u16', 'weight'), f('u16', 'port'), f('name', 'target')]],
  [RRType.NAPTR, [f('u16', 'order'), f('u16', 'preference'), f('string', 'flags'), f('string', 'services'), f('string', 'regexp'), f('name', 'replacement')]],
  [RRType.DS, DS],
  [RRType.CDS, DS],
  [RRType.SSHFP, [f('u8', 'algorithm'), f('u8', 'fingerprint type'), f('hex', 'fingerprint')]],
  [RRType.RRSIG, RRSIG],
  [RRType.NSEC, [f('name', 'next domain name'), f('bitmap')]],
  [RRType.DNSKEY, DNSKEY],
  [RRType.CDNSKEY, DNSKEY],
  [RRType.DHCID, [f('base64', 'data')]],
  [RRType.NSEC3, [f('u8', 'hash algorithm'), f('u8', 'flags'), f('u16', 'iterations'), f('salt'), f('base32', 'next hashed owner'), f('bitmap')]],
  [RRType.NSEC3PARAM, [f('u8', 'hash algorithm'), f('u8', 'flags'), f('u16', 'iterations'), f('salt')]],
  [RRType.TLSA, TLSA],
  [RRType.SMIMEA, TLSA],
  [RRType.OPENPGPKEY, [f('base64', 'public key')]],
  [RRType.CSYNC, [f('u32', 'SOA serial'), f('u16', 'flags'), f('bitmap')]],
  [RRType.ZONEMD, [f('u32', 'serial'), f('u8', 'scheme'), f('u8', 'hash algorithm'), f('hex', 'digest')]],
  [RRType.SVCB, SVCB],
  [RRType.HTTPS, SVCB],
  [RRType.URI, [f('u16', 'priority'), f('u16', 'weight'), f('text', 'target')]],
  [RRType.CAA, [f('u8', 'flags'), f('tag'), f('text', 'value')]],
  // Older and rarer types BIND also reads in text form.
  [RRType.MB, [f('name', 'mailbox host')]],
  [RRType.MG, [f('name', 'mailbox')]],
  [RRType.MR, [f('name', 'mailbox')]],
  [RRType.WKS, [f('ipv4', 'address'), f('wks')]],
  [RRType.MINFO, [f('name', 'RMAILBX'), f('name', 'EMAILBX')]],
  [RRType.X25, [f('string', 'PSDN address')]],
  [RRType.ISDN, [f('string', 'ISDN address'), f('optional-string', 'subaddress')]],
  [RRType.RT, [f('u16', 'preference'), f('name', 'intermediate host')]],
  [RRType.NSAP, [f('nsap', 'address')]],
  [RRType.SIG, RRSIG],
  [RRType.KEY, DNSKEY],
  [RRType.PX, [f('u16', 'preference'), f('name', 'MAP822'), f('name', 'MAPX400')]],
  [RRType.GPOS, [f('string', 'longitude'), f('string', 'latitude'), f('string', 'altitude')]],
  [RRType.KX, PREFERENCE_NAME],
  [RRType.CERT, [f('certtype', 'type'), f('u16', 'key tag'), f('secalg', 'algorithm'), f('base64', 'certificate')]],
  [RRType.APL, [f('apl')]],
  [RRType.NINFO, [f('strings', 'text')]],
  [RRType.RKEY, DNSKEY],
  [RRType.TALINK, [f('name', 'previous'), f('name', 'next')]],
  [RRType.NID, [f('u16', 'preference'), f('ilnp64', 'node id')]],
  [RRType.L32, [f('u16', 'preference'), f('ipv4', 'locator')]],
  [RRType.L64, [f('u16', 'preference'), f('ilnp64', 'locator')]],
  [RRType.LP, [f('u16', 'preference'), f('name', 'FQDN')]],
  [RRType.EUI48, [f('eui48', 'address')]],
  [RRType.EUI64, [f('eui64', 'address')]],
  [RRType.AVC, [f('strings', 'text')]],
  [RRType.DOA, [f('u32', 'enterprise'), f('u32', 'type'), f('u8', 'location'), f('string', 'media type'), f('base64-or-dash', 'data')]],
  [RRType.RESINFO, [f('strings', 'text')]],
  [RRType.WALLET, [f('strings', 'text')]],
  [RRType.TA, DS],
  [RRType.DLV, DS],
]);

/** Types whose fields depend on each other, each with its own reader and writer. */
interface Special {
  fromText(words: Words, origin: DomainName | undefined): Buffer | Problem;
  toText(rdata: Buffer): string | undefined;
}

const SPECIAL: ReadonlyMap<number, Special> = new Map<number, Special>([
  [RRType.LOC, { fromText: (w) => locFromText(w), toText: locToText }],
  [RRType.IPSECKEY, { fromText: ipseckeyFromText, toText: ipseckeyToText }],
  [RRType.AMTRELAY, { fromText: amtrelayFromText, toText: amtrelayToText }],
  [RRType.HIP, { fromText: hipFromText, toText: hipToText }],
]);

/** True when the type has a text form here (other types take RFC 3597 `\#` only). */
export function hasTextForm(type: number): boolean {
  return LAYOUTS.has(type) || SPECIAL.has(type);
}

/** The types with a text form, for documentation and tests. */
export function textFormTypes(): number[] {
  return [...LAYOUTS.keys(), ...SPECIAL.keys()].sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------
// Text → wire

/**
 * Read the RDATA words of a record of `type` (not the RFC 3597 form, which the
 * parser handles). Names are completed with `origin` (RFC 1035 §5.1).
 */
export function rdataFromText(type: number, tokens: readonly Token[], line: number, origin: DomainName | undefined): Buffer | Problem {
  const label = typeName(type);
  const special = SPECIAL.get(type);
  if (special !== undefined) return special.fromText(new Words(label, tokens, line), origin);
  const layout = LAYOUTS.get(type);
  if (layout === undefined) return new Problem(`${label} records are not supported in text form; write them as ${label} \\# <length> <hex> (RFC 3597 §5)`, line);
  const words = new Words(label, tokens, line);
  const parts: Buffer[] = [];
  for (const field of layout) {
    const part = fieldFromText(field, words, origin);
    if (part instanceof Problem) return part;
    parts.push(part);
  }
  return words.end() ?? Buffer.concat(parts);
}

/** The RDATA words of one record, read left to right. */
class Words {
  private index = 0;

  constructor(
    readonly type: string,
    private readonly tokens: readonly Token[],
    private readonly typeLine: number,
  ) {}

  get lastLine(): number {
    return this.tokens[this.tokens.length - 1]?.line ?? this.typeLine;
  }

  next(what: string): Token | Problem {
    const token = this.tokens[this.index];
    if (token === undefined) return new Problem(`${this.type} record is missing its ${what}`, this.lastLine);
    this.index += 1;
    return token;
  }

  peek(): Token | undefined {
    return this.tokens[this.index];
  }

  rest(): Token[] {
    const rest = this.tokens.slice(this.index);
    this.index = this.tokens.length;
    return rest;
  }

  end(): Problem | undefined {
    const extra = this.tokens[this.index];
    return extra === undefined ? undefined : new Problem(`unexpected '${extra.text}' after the ${this.type} data`, extra.line);
  }
}

function fieldFromText(field: Field, words: Words, origin: DomainName | undefined): Buffer | Problem {
  const what = `${words.type} ${field.what}`;
  switch (field.kind) {
    case 'strings': {
      const tokens = words.rest();
      if (tokens.length === 0) return new Problem(`${words.type} record is missing its ${field.what}`, words.lastLine);
      const parts: Buffer[] = [];
      for (const token of tokens) {
        const part = characterString(token, words.type);
        if (part instanceof Problem) return part;
        parts.push(part);
      }
      return Buffer.concat(parts);
    }
    case 'base64':
    case 'hex': {
      const tokens = words.rest();
      if (tokens.length === 0) return new Problem(`${words.type} record is missing its ${field.what}`, words.lastLine);
      const joined = tokens.map((t) => t.text).join('');
      const decoded = field.kind === 'hex' ? hexOctets(joined) : base64Octets(joined);
      return decoded ?? new Problem(`${what} is not ${field.kind === 'hex' ? 'an even number of hex digits' : 'valid base64'}`, tokens[0]!.line);
    }
    case 'bitmap': {
      const types: number[] = [];
      for (const token of words.rest()) {
        const type = token.quoted ? undefined : typeNumber(token.text);
        if (type === undefined) return new Problem(`${what}: unknown record type '${token.text}'`, token.line);
        types.push(type);
      }
      return bitmapToWire(types);
    }
    case 'svcparams':
      return svcParamsFromText(words, words.rest());
    case 'apl':
      return aplFromText(words.rest(), words.type);
    case 'wks':
      return wksFromText(words.rest(), words.type, words.lastLine);
    case 'optional-string': {
      const token = words.peek();
      if (token === undefined) return Buffer.alloc(0);
      words.next(field.what);
      return characterString(token, words.type);
    }
    case 'base64-or-dash': {
      const tokens = words.rest();
      if (tokens.length === 0) return new Problem(`${words.type} record is missing its ${field.what}`, words.lastLine);
      if (tokens.length === 1 && tokens[0]!.text === '-') return Buffer.alloc(0);
      return base64Octets(tokens.map((t) => t.text).join('')) ?? new Problem(`${what} is not valid base64 or '-'`, tokens[0]!.line);
    }
    default:
      break;
  }
  const token = words.next(field.what);
  if (token instanceof Problem) return token;
  switch (field.kind) {
    case 'u8':
    case 'u16':
    case 'u32': {
      const value = uintFromText(token, what, field.kind === 'u8' ? 0xff : field.kind === 'u16' ? 0xffff : MAX_U32);
      return value instanceof Problem ? value : uintBytes(value, field.kind === 'u8' ? 1 : field.kind === 'u16' ? 2 : 4);
    }
    case 'ttl': {
      const value = parseTtl(token, what, MAX_U32);
      return value instanceof Problem ? value : uintBytes(value, 4);
    }
    case 'algorithm':
    case 'secalg': {
      const named = ALGORITHMS[token.text.toUpperCase()];
      if (named !== undefined) return Buffer.from([named]);
      const value = uintFromText(token, what, 0xff);
      return value instanceof Problem ? value : Buffer.from([value]);
    }
    case 'type': {
      const type = token.quoted ? undefined : typeNumber(token.text);
      return type === undefined ? new Problem(`${what}: unknown record type '${token.text}'`, token.line) : uintBytes(type, 2);
    }
    case 'time': {
      const value = timeFromText(token.text);
      return value === undefined ? new Problem(`${what} '${token.text}' is not YYYYMMDDHHmmSS or a number of seconds`, token.line) : uintBytes(value, 4);
    }
    case 'name': {
      if (token.quoted) return new Problem(`${what} must be a domain name, not a quoted string`, token.line);
      const parsed = parseName(token.text, origin);
      return parsed.ok ? nameToWire(parsed.value) : new Problem(parsed.error, token.line);
    }
    case 'ipv4':
      return ipv4Octets(token.text) ?? new Problem(`bad IPv4 address '${token.text}'`, token.line);
    case 'ipv6':
      return ipv6Octets(token.text) ?? new Problem(`bad IPv6 address '${token.text}'`, token.line);
    case 'string':
      return characterString(token, words.type);
    case 'text': {
      const value = unescapeString(token.text);
      return value instanceof Problem ? new Problem(value.message, token.line) : Buffer.from(value, 'latin1');
    }
    case 'tag': {
      if (!/^[A-Za-z0-9]{1,15}$/.test(token.text)) return new Problem(`CAA tag '${token.text}' must be 1-15 letters and digits (RFC 8659 §4.1)`, token.line);
      return Buffer.concat([Buffer.from([token.text.length]), Buffer.from(token.text, 'latin1')]);
    }
    case 'certtype': {
      const named = CERT_TYPES.indexOf(token.text.toUpperCase());
      if (named > 0) return uintBytes(named === 9 ? 253 : named === 10 ? 254 : named, 2);
      const value = uintFromText(token, what, 0xffff);
      return value instanceof Problem ? value : uintBytes(value, 2);
    }
    case 'eui48':
    case 'eui64': {
      const groups = field.kind === 'eui48' ? 6 : 8;
      const ok = new RegExp(`^[0-9a-fA-F]{2}(?:-[0-9a-fA-F]{2}){${groups - 1}}$`).test(token.text);
      return ok ? Buffer.from(token.text.replace(/-/g, ''), 'hex') : new Problem(`${what} '${token.text}' is not ${groups} hex pairs joined by '-'`, token.line);
    }
    case 'ilnp64': {
      const groups = token.text.split(':');
      if (groups.length !== 4 || !groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return new Problem(`${what} '${token.text}' is not four groups of 1-4 hex digits joined by ':'`, token.line);
      return Buffer.concat(groups.map((g) => uintBytes(parseInt(g, 16), 2)));
    }
    case 'nsap': {
      const hex = /^0x/i.test(token.text) ? token.text.slice(2).replace(/\./g, '') : undefined;
      const octets = hex === undefined ? undefined : hexOctets(hex);
      return octets === undefined || octets.length === 0 ? new Problem(`${what} '${token.text}' is not 0x and hex digits`, token.line) : octets;
    }
    case 'salt': {
      if (token.text === '-') return Buffer.from([0]);
      const salt = hexOctets(token.text);
      if (salt === undefined || salt.length > 255) return new Problem(`${what} '${token.text}' is not '-' or up to 255 octets of hex`, token.line);
      return Buffer.concat([Buffer.from([salt.length]), salt]);
    }
    case 'base32': {
      const octets = base32HexOctets(token.text);
      if (octets === undefined || octets.length === 0 || octets.length > 255) return new Problem(`${what} '${token.text}' is not base32hex (RFC 4648 §7)`, token.line);
      return Buffer.concat([Buffer.from([octets.length]), octets]);
    }
  }
}

/** DNSSEC algorithm mnemonics (IANA "DNS Security Algorithm Numbers"), as BIND reads them. */
const ALGORITHMS: Readonly<Record<string, number>> = {
  RSAMD5: 1,
  DH: 2,
  DSA: 3,
  RSASHA1: 5,
  'DSA-NSEC3-SHA1': 6,
  NSEC3DSA: 6,
  'RSASHA1-NSEC3-SHA1': 7,
  NSEC3RSASHA1: 7,
  RSASHA256: 8,
  RSASHA512: 10,
  'ECC-GOST': 12,
  ECCGOST: 12,
  ECDSAP256SHA256: 13,
  ECDSAP384SHA384: 14,
  ED25519: 15,
  ED448: 16,
  INDIRECT: 252,
  PRIVATEDNS: 253,
  PRIVATEOID: 254,
};

/** Algorithm mnemonics as BIND prints them (CERT); other values as numbers. */
const ALGORITHM_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'RSAMD5'], [2, 'DH'], [3, 'DSA'], [5, 'RSASHA1'], [6, 'NSEC3DSA'], [7, 'NSEC3RSASHA1'], [8, 'RSASHA256'], [10, 'RSASHA512'],
  [12, 'ECCGOST'], [13, 'ECDSAP256SHA256'], [14, 'ECDSAP384SHA384'], [15, 'ED25519'], [16, 'ED448'], [252, 'INDIRECT'], [253, 'PRIVATEDNS'], [254, 'PRIVATEOID'],
]);

/** CERT types 1-8 by index, then URI (253) and OID (254) (RFC 4398 §2.1). */
const CERT_TYPES: readonly string[] = ['', 'PKIX', 'SPKI', 'PGP', 'IPKIX', 'ISPKI', 'IPGP', 'ACPKIX', 'IACPKIX', 'URI', 'OID'];

function certTypeText(value: number): string {
  const index = value === 253 ? 9 : value === 254 ? 10 : value >= 1 && value <= 8 ? value : -1;
  return index > 0 ? CERT_TYPES[index]! : String(value);
}

function uintFromText(token: Token, what: string, max: number): number | Problem {
  if (!/^\d+$/.test(token.text)) return new Problem(`${what} '${token.text}' is not a number`, token.line);
  const value = Number(token.text);
  if (value > max) return new Problem(`${what} ${token.text} out of range (0-${max})`, token.line);
  return value;
}

function uintBytes(value: number, size: 1 | 2 | 4): Buffer {
  const b = Buffer.alloc(size);
  b.writeUIntBE(value, 0, size);
  return b;
}

function characterString(token: Token, type: string): Buffer | Problem {
  const value = unescapeString(token.text);
  if (value instanceof Problem) return new Problem(value.message, token.line);
  // A <character-string> is one length octet and at most 255 octets (RFC 1035 §3.3).
  if (value.length > 255) return new Problem(`${type} string of ${value.length} octets is longer than 255; split it into several quoted strings`, token.line);
  return Buffer.concat([Buffer.from([value.length]), Buffer.from(value, 'latin1')]);
}

function hexOctets(text: string): Buffer | undefined {
  return /^(?:[0-9a-fA-F]{2})*$/.test(text) ? Buffer.from(text, 'hex') : undefined;
}

function base64Octets(text: string): Buffer | undefined {
  // Node's decoder skips junk silently; the text must be canonical base64 (RFC 4648 §4).
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}

const BASE32HEX = '0123456789ABCDEFGHIJKLMNOPQRSTUV';

function base32HexOctets(text: string): Buffer | undefined {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of text.toUpperCase()) {
    const digit = BASE32HEX.indexOf(c);
    if (digit < 0) return undefined;
    value = (value << 5) | digit;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
      value &= (1 << bits) - 1;
    }
  }
  // Leftover bits must be padding of zeros, fewer than one base32 digit's worth.
  return bits >= 5 || value !== 0 ? undefined : Buffer.from(out);
}

function base32HexText(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32HEX[(value >> bits) & 31];
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32HEX[(value << (5 - bits)) & 31];
  return out;
}

function timeFromText(text: string): number | undefined {
  if (/^\d{14}$/.test(text)) {
    const [y, mo, d, h, mi, s] = [text.slice(0, 4), text.slice(4, 6), text.slice(6, 8), text.slice(8, 10), text.slice(10, 12), text.slice(12, 14)].map(Number) as [number, number, number, number, number, number];
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
    // RFC 4034 §3.1.5: serial-number arithmetic, so the value wraps every 2^32 seconds.
    return (Date.UTC(y, mo - 1, d, h, mi, s) / 1000) % 2 ** 32;
  }
  if (/^\d{1,10}$/.test(text) && Number(text) <= MAX_U32) return Number(text);
  return undefined;
}

function timeText(value: number): string {
  const d = new Date(value * 1000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** RFC 4034 §4.1.2: windows of up to 256 types, each a window number, a length and the bits. */
function bitmapToWire(types: readonly number[]): Buffer {
  const windows = new Map<number, number[]>();
  for (const type of new Set(types)) {
    const bits = windows.get(type >> 8) ?? new Array<number>(32).fill(0);
    bits[(type & 0xff) >> 3]! |= 0x80 >> (type & 7);
    windows.set(type >> 8, bits);
  }
  const parts: Buffer[] = [];
  for (const window of [...windows.keys()].sort((a, b) => a - b)) {
    const bits = windows.get(window)!;
    let length = 32;
    while (length > 0 && bits[length - 1] === 0) length -= 1;
    parts.push(Buffer.from([window, length, ...bits.slice(0, length)]));
  }
  return Buffer.concat(parts);
}

function bitmapTypes(rdata: Buffer, at: number): number[] | undefined {
  const types: number[] = [];
  let last = -1;
  while (at < rdata.length) {
    const window = rdata[at]!;
    const length = rdata[at + 1];
    if (length === undefined || length < 1 || length > 32 || window <= last || at + 2 + length > rdata.length) return undefined;
    for (let i = 0; i < length; i += 1) {
      const byte = rdata[at + 2 + i]!;
      for (let bit = 0; bit < 8; bit += 1) if ((byte & (0x80 >> bit)) !== 0) types.push(window * 256 + i * 8 + bit);
    }
    last = window;
    at += 2 + length;
  }
  return types;
}


/** `\X` → X and `\DDD` → that octet, for strings (RFC 1035 §5.1). Line 0: the caller fills it in. */
export function unescapeString(raw: string): string | Problem {
  let out = '';
  for (let i = 0; i < raw.length; i += 1) {
    if (raw[i] !== '\\') {
      out += raw[i]!;
      continue;
    }
    const escape = readEscape(raw, i);
    if (!escape.ok) return new Problem(escape.error, 0);
    out += escape.value.char;
    i = escape.value.next - 1;
  }
  return out;
}

/**
 * A TTL or timer: decimal seconds, or BIND-style units (`1h30m`, `2w`,
 * case-insensitive) as NSD and BIND accept them.
 */
export function parseTtl(token: Token, what: string, max: number): number | Problem {
  const text = token.text;
  let value: number;
  if (/^\d+$/.test(text)) {
    value = Number(text);
  } else if (/^(?:\d+[smhdw])+$/i.test(text)) {
    const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
    value = 0;
    for (const [, n = '0', u = 's'] of text.matchAll(/(\d+)([smhdw])/gi)) value += Number(n) * (unit[u.toLowerCase()] ?? 1);
  } else {
    return new Problem(`bad ${what} '${text}'`, token.line);
  }
  if (value > max) return new Problem(`${what} ${text} out of range (0-${max}${max === MAX_TTL ? ', RFC 2181 §8' : ''})`, token.line);
  return value;
}

// ---------------------------------------------------------------------------
// LOC (RFC 1876 §3): d [m [s]] N|S d [m [s]] E|W alt[m] [size[m] [hp[m] [vp[m]]]]

const LOC_EQUATOR = 2 ** 31;
/** Altitudes are stored in centimetres above 100 000 m below the WGS 84 spheroid. */
const LOC_ALTITUDE_BASE = 10_000_000;

function locFromText(words: Words): Buffer | Problem {
  const latitude = locAngle(words, 'latitude', 90, 'N', 'S');
  if (latitude instanceof Problem) return latitude;
  const longitude = locAngle(words, 'longitude', 180, 'E', 'W');
  if (longitude instanceof Problem) return longitude;
  const altToken = words.next('altitude');
  if (altToken instanceof Problem) return altToken;
  const alt = centimetres(altToken.text, true);
  if (alt === undefined || alt < -LOC_ALTITUDE_BASE || alt > MAX_U32 - LOC_ALTITUDE_BASE) return new Problem(`LOC altitude '${altToken.text}' is not metres from -100000.00 to 42849672.95`, altToken.line);
  // RFC 1876 §3: size 1 m, horizontal precision 10 km, vertical 10 m when not given.
  const sizes = [100, 1_000_000, 1000];
  for (const [i, what] of ['size', 'horizontal precision', 'vertical precision'].entries()) {
    const token = words.peek();
    if (token === undefined) break;
    words.next(what);
    const value = centimetres(token.text, false);
    if (value === undefined || value > 9_000_000_000) return new Problem(`LOC ${what} '${token.text}' is not metres from 0 to 90000000.00`, token.line);
    sizes[i] = value;
  }
  const end = words.end();
  if (end !== undefined) return end;
  const out = Buffer.alloc(16);
  out[0] = 0;
  sizes.forEach((cm, i) => (out[1 + i] = locSize(cm)));
  out.writeUInt32BE(latitude, 4);
  out.writeUInt32BE(longitude, 8);
  out.writeUInt32BE(alt + LOC_ALTITUDE_BASE, 12);
  return out;
}

function locAngle(words: Words, what: string, maxDegrees: number, positive: string, negative: string): number | Problem {
  const parts: Token[] = [];
  for (;;) {
    const token = words.next(`${what} direction (${positive} or ${negative})`);
    if (token instanceof Problem) return token;
    const upper = token.text.toUpperCase();
    if (upper === positive || upper === negative) {
      const [deg, min = '0', sec = '0'] = parts.map((t) => t.text);
      if (deg === undefined || !/^\d+$/.test(deg) || !/^\d+$/.test(min) || !/^\d+(?:\.\d{1,3})?$/.test(sec)) return new Problem(`LOC ${what} must be degrees [minutes [seconds]] then ${positive} or ${negative}`, token.line);
      const [whole = '0', frac = ''] = sec.split('.');
      const ms = Number(deg) * 3_600_000 + Number(min) * 60_000 + Number(whole) * 1000 + Number(frac.padEnd(3, '0'));
      if (Number(deg) > maxDegrees || Number(min) > 59 || Number(whole) > 59 || ms > maxDegrees * 3_600_000) return new Problem(`LOC ${what} out of range`, token.line);
      return upper === positive ? LOC_EQUATOR + ms : LOC_EQUATOR - ms;
    }
    if (parts.length === 3) return new Problem(`LOC ${what} must be degrees [minutes [seconds]] then ${positive} or ${negative}`, token.line);
    parts.push(token);
  }
}

/** `12.34m` or `12` (metres, two decimals at most) in centimetres. */
function centimetres(text: string, signed: boolean): number | undefined {
  const match = (signed ? /^(-?)(\d+)(?:\.(\d{1,2}))?m?$/i : /^()(\d+)(?:\.(\d{1,2}))?m?$/i).exec(text);
  if (match === null) return undefined;
  const value = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] === '-' ? -value : value;
}

/** RFC 1876 §2: mantissa and power of ten in one octet; BIND truncates the mantissa. */
function locSize(cm: number): number {
  let exponent = 0;
  while (exponent < 9 && cm >= 10 ** (exponent + 1)) exponent += 1;
  return (Math.floor(cm / 10 ** exponent) << 4) | exponent;
}

function locSizeText(octet: number): string | undefined {
  const mantissa = octet >> 4;
  const exponent = octet & 0xf;
  if (mantissa > 9 || exponent > 9) return undefined;
  return exponent >= 2 ? `${mantissa * 10 ** (exponent - 2)}m` : `0.${String(mantissa * 10 ** exponent).padStart(2, '0')}m`;
}

function locAngleText(value: number, maxDegrees: number, positive: string, negative: string): string | undefined {
  const offset = value - LOC_EQUATOR;
  let rest = Math.abs(offset);
  if (rest > maxDegrees * 3_600_000) return undefined;
  const deg = Math.floor(rest / 3_600_000);
  rest -= deg * 3_600_000;
  const min = Math.floor(rest / 60_000);
  rest -= min * 60_000;
  const sec = Math.floor(rest / 1000);
  return `${deg} ${min} ${sec}.${String(rest - sec * 1000).padStart(3, '0')} ${offset < 0 ? negative : positive}`;
}

function locToText(rdata: Buffer): string | undefined {
  if (rdata.length !== 16 || rdata[0] !== 0) return undefined;
  const sizes = [1, 2, 3].map((i) => locSizeText(rdata[i]!));
  const latitude = locAngleText(rdata.readUInt32BE(4), 90, 'N', 'S');
  const longitude = locAngleText(rdata.readUInt32BE(8), 180, 'E', 'W');
  if (sizes.includes(undefined) || latitude === undefined || longitude === undefined) return undefined;
  const alt = rdata.readUInt32BE(12) - LOC_ALTITUDE_BASE;
  const abs = Math.abs(alt);
  return `${latitude} ${longitude} ${alt < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}m ${sizes.join(' ')}`;
}

// ---------------------------------------------------------------------------
// IPSECKEY (RFC 4025 §2, §3) and AMTRELAY (RFC 8777 §4, §5): a gateway whose form a type octet gives

/** Gateway/relay of type 0 (none, `.`), 1 (IPv4), 2 (IPv6) or 3 (an uncompressed name). */
function gatewayFromText(words: Words, gatewayType: number, origin: DomainName | undefined, what: string): Buffer | Problem {
  const token = words.next(what);
  if (token instanceof Problem) return token;
  switch (gatewayType) {
    case 0:
      return token.text === '.' ? Buffer.alloc(0) : new Problem(`${words.type} ${what} must be '.' when its type is 0`, token.line);
    case 1:
      return ipv4Octets(token.text) ?? new Problem(`bad IPv4 address '${token.text}'`, token.line);
    case 2:
      return ipv6Octets(token.text) ?? new Problem(`bad IPv6 address '${token.text}'`, token.line);
    case 3: {
      const parsed = parseName(token.text, origin);
      return parsed.ok ? nameToWire(parsed.value) : new Problem(parsed.error, token.line);
    }
    default:
      return new Problem(`${words.type} ${what} type ${gatewayType} is not 0-3`, token.line);
  }
}

function gatewayToText(rdata: Buffer, at: number, gatewayType: number): { readonly text: string; readonly end: number } | undefined {
  switch (gatewayType) {
    case 0:
      return { text: '.', end: at };
    case 1:
      return at + 4 <= rdata.length ? { text: [...rdata.subarray(at, at + 4)].join('.'), end: at + 4 } : undefined;
    case 2:
      return at + 16 <= rdata.length ? { text: ipv6Text(rdata.subarray(at, at + 16)), end: at + 16 } : undefined;
    case 3: {
      const name = nameFromWire(rdata, at);
      return name === undefined ? undefined : { text: absolute(name.name), end: name.end };
    }
    default:
      return undefined;
  }
}

function smallNumbers(words: Words, whats: readonly string[]): number[] | Problem {
  const out: number[] = [];
  for (const what of whats) {
    const token = words.next(what);
    if (token instanceof Problem) return token;
    const value = uintFromText(token, `${words.type} ${what}`, 0xff);
    if (value instanceof Problem) return value;
    out.push(value);
  }
  return out;
}

function ipseckeyFromText(words: Words, origin: DomainName | undefined): Buffer | Problem {
  const numbers = smallNumbers(words, ['precedence', 'gateway type', 'algorithm']);
  if (numbers instanceof Problem) return numbers;
  const gateway = gatewayFromText(words, numbers[1]!, origin, 'gateway');
  if (gateway instanceof Problem) return gateway;
  const rest = words.rest();
  const key = rest.length === 0 ? Buffer.alloc(0) : base64Octets(rest.map((t) => t.text).join(''));
  if (key === undefined) return new Problem(`${words.type} public key is not valid base64`, rest[0]!.line);
  return Buffer.concat([Buffer.from(numbers), gateway, key]);
}

function ipseckeyToText(rdata: Buffer): string | undefined {
  if (rdata.length < 3) return undefined;
  const gateway = gatewayToText(rdata, 3, rdata[1]!);
  if (gateway === undefined) return undefined;
  const key = rdata.subarray(gateway.end);
  return [rdata[0], rdata[1], rdata[2], gateway.text, ...(key.length > 0 ? [key.toString('base64')] : [])].join(' ');
}

function amtrelayFromText(words: Words, origin: DomainName | undefined): Buffer | Problem {
  const numbers = smallNumbers(words, ['precedence', 'discovery optional bit', 'relay type']);
  if (numbers instanceof Problem) return numbers;
  const [precedence = 0, discovery = 0, relayType = 0] = numbers;
  if (discovery > 1 || relayType > 0x7f) return new Problem(`${words.type} discovery optional bit must be 0 or 1 and the relay type 0-127`, words.lastLine);
  const relay = gatewayFromText(words, relayType, origin, 'relay');
  if (relay instanceof Problem) return relay;
  return words.end() ?? Buffer.concat([Buffer.from([precedence, (discovery << 7) | relayType]), relay]);
}

function amtrelayToText(rdata: Buffer): string | undefined {
  if (rdata.length < 2) return undefined;
  const relayType = rdata[1]! & 0x7f;
  const relay = gatewayToText(rdata, 2, relayType);
  if (relay === undefined || relay.end !== rdata.length) return undefined;
  return `${rdata[0]} ${rdata[1]! >> 7} ${relayType} ${relay.text}`;
}

// HIP (RFC 8005 §3): HIT length, algorithm, key length, HIT, key, rendezvous servers.
function hipFromText(words: Words, origin: DomainName | undefined): Buffer | Problem {
  const algorithm = smallNumbers(words, ['public key algorithm']);
  if (algorithm instanceof Problem) return algorithm;
  const hitToken = words.next('HIT');
  if (hitToken instanceof Problem) return hitToken;
  const hit = hexOctets(hitToken.text);
  if (hit === undefined || hit.length === 0 || hit.length > 255) return new Problem(`${words.type} HIT '${hitToken.text}' is not 1-255 octets of hex`, hitToken.line);
  const keyToken = words.next('public key');
  if (keyToken instanceof Problem) return keyToken;
  const key = base64Octets(keyToken.text);
  if (key === undefined || key.length === 0 || key.length > 0xffff) return new Problem(`${words.type} public key is not valid base64`, keyToken.line);
  const servers: Buffer[] = [];
  for (const token of words.rest()) {
    const parsed = parseName(token.text, origin);
    if (!parsed.ok) return new Problem(parsed.error, token.line);
    servers.push(nameToWire(parsed.value));
  }
  return Buffer.concat([Buffer.from([hit.length, algorithm[0]!]), uintBytes(key.length, 2), hit, key, ...servers]);
}

function hipToText(rdata: Buffer): string | undefined {
  if (rdata.length < 4) return undefined;
  const hitLength = rdata[0]!;
  const keyLength = rdata.readUInt16BE(2);
  const keyAt = 4 + hitLength;
  if (hitLength === 0 || keyLength === 0 || keyAt + keyLength > rdata.length) return undefined;
  const out = [String(rdata[1]), rdata.subarray(4, keyAt).toString('hex').toUpperCase(), rdata.subarray(keyAt, keyAt + keyLength).toString('base64')];
  for (let at = keyAt + keyLength; at < rdata.length; ) {
    const name = nameFromWire(rdata, at);
    if (name === undefined) return undefined;
    out.push(absolute(name.name));
    at = name.end;
  }
  return out.join(' ');
}

// ---------------------------------------------------------------------------
// SVCB and HTTPS parameters (RFC 9460 §2.1, §7, appendix A)

const SVC_KEYS: readonly string[] = ['mandatory', 'alpn', 'no-default-alpn', 'port', 'ipv4hint', 'ech', 'ipv6hint', 'dohpath', 'ohttp'];

function svcKeyNumber(name: string): number | undefined {
  const known = SVC_KEYS.indexOf(name.toLowerCase());
  if (known >= 0) return known;
  const generic = /^key(\d{1,5})$/i.exec(name);
  // key65535 is reserved (RFC 9460 §14.3.2).
  return generic !== null && Number(generic[1]) < 65535 ? Number(generic[1]) : undefined;
}

function svcKeyName(key: number): string {
  return SVC_KEYS[key] ?? `key${key}`;
}

/**
 * The key as `named-checkzone -D` (BIND 9.18) prints it: names for keys 0-6,
 * `keyNNNNN` for the rest (dohpath and ohttp included; both are read by name).
 */
function svcKeyPrinted(key: number): string {
  return key <= 6 ? svcKeyName(key) : `key${key}`;
}

/**
 * A value list (RFC 9460 appendix A.1): the value is read as a
 * <character-string> first, then split at commas, where `\,` is a comma
 * inside an item and `\\` a backslash.
 */
function valueList(raw: string): string[] | Problem {
  const value = unescapeString(raw);
  if (value instanceof Problem) return value;
  const items: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i += 1) {
    if (value[i] === '\\' && i + 1 < value.length) {
      current += value[i + 1]!;
      i += 1;
    } else if (value[i] === ',') {
      items.push(current);
      current = '';
    } else {
      current += value[i]!;
    }
  }
  items.push(current);
  return items;
}

function svcParamsFromText(words: Words, tokens: readonly Token[]): Buffer | Problem {
  const params = new Map<number, Buffer>();
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    if (token.quoted) return new Problem(`${words.type} parameter expected, not the quoted string "${token.text}"`, token.line);
    const eq = token.text.indexOf('=');
    const keyText = eq < 0 ? token.text : token.text.slice(0, eq);
    let raw: string | undefined = eq < 0 ? undefined : token.text.slice(eq + 1);
    // `alpn="h2,h3"`: the lexer gives `alpn=` and the quoted string as two words.
    if (raw === '' && tokens[i + 1]?.quoted === true) raw = tokens[++i]!.text;
    const key = svcKeyNumber(keyText);
    if (key === undefined) return new Problem(`${words.type} parameter '${keyText}' is not a known key or keyNNNNN (RFC 9460 §14.3)`, token.line);
    if (params.has(key)) return new Problem(`${words.type} parameter ${svcKeyName(key)} given twice (RFC 9460 §2.2)`, token.line);
    const value = svcValueFromText(key, raw, words.type, token.line);
    if (value instanceof Problem) return value;
    params.set(key, value);
  }
  // RFC 9460 §2.2: SvcParams in strictly increasing key order on the wire.
  const parts: Buffer[] = [];
  for (const key of [...params.keys()].sort((a, b) => a - b)) {
    const value = params.get(key)!;
    parts.push(uintBytes(key, 2), uintBytes(value.length, 2), value);
  }
  return Buffer.concat(parts);
}

function svcValueFromText(key: number, raw: string | undefined, type: string, line: number): Buffer | Problem {
  const name = svcKeyName(key);
  const bad = (why: string): Problem => new Problem(`${type} ${name}: ${why}`, line);
  if (key === 2 || key === 8) return raw === undefined || raw === '' ? Buffer.alloc(0) : bad('takes no value');
  if (raw === undefined) return key > 8 ? Buffer.alloc(0) : bad('needs a value');
  switch (key) {
    case 0: {
      const keys: number[] = [];
      for (const item of raw.split(',')) {
        const k = svcKeyNumber(item);
        if (k === undefined || k === 0 || keys.includes(k)) return bad(`'${item}' is not a key that can be mandatory`);
        keys.push(k);
      }
      return Buffer.concat(keys.sort((a, b) => a - b).map((k) => uintBytes(k, 2)));
    }
    case 1: {
      const ids = valueList(raw);
      if (ids instanceof Problem) return bad(ids.message);
      if (ids.some((id) => id.length === 0 || id.length > 255)) return bad('protocol ids must be 1-255 octets');
      return Buffer.concat(ids.map((id) => Buffer.concat([Buffer.from([id.length]), Buffer.from(id, 'latin1')])));
    }
    case 3: {
      if (!/^\d+$/.test(raw) || Number(raw) > 0xffff) return bad(`'${raw}' is not a port (0-65535)`);
      return uintBytes(Number(raw), 2);
    }
    case 4:
    case 6: {
      const parts: Buffer[] = [];
      for (const item of raw.split(',')) {
        const address = key === 4 ? ipv4Octets(item) : ipv6Octets(item);
        if (address === undefined) return bad(`bad IPv${key === 4 ? 4 : 6} address '${item}'`);
        parts.push(address);
      }
      return Buffer.concat(parts);
    }
    case 5:
      return base64Octets(raw) ?? bad('not valid base64');
    default: {
      const value = unescapeString(raw);
      return value instanceof Problem ? bad(value.message) : Buffer.from(value, 'latin1');
    }
  }
}

function svcParamsToText(rdata: Buffer, at: number): string | undefined {
  const out: string[] = [];
  let last = -1;
  while (at < rdata.length) {
    if (at + 4 > rdata.length) return undefined;
    const key = rdata.readUInt16BE(at);
    const length = rdata.readUInt16BE(at + 2);
    const value = rdata.subarray(at + 4, at + 4 + length);
    if (key <= last || value.length !== length) return undefined;
    const text = svcValueToText(key, value);
    if (text === undefined) return undefined;
    out.push(text);
    last = key;
    at += 4 + length;
  }
  return out.join(' ');
}

function svcValueToText(key: number, value: Buffer): string | undefined {
  const name = svcKeyPrinted(key);
  switch (key) {
    case 0: {
      if (value.length === 0 || value.length % 2 !== 0) return undefined;
      const keys: string[] = [];
      for (let i = 0; i < value.length; i += 2) keys.push(svcKeyPrinted(value.readUInt16BE(i)));
      return `${name}=${keys.join(',')}`;
    }
    case 1: {
      const ids: string[] = [];
      for (let i = 0; i < value.length; ) {
        const length = value[i]!;
        if (length === 0 || i + 1 + length > value.length) return undefined;
        // List escapes first (a comma in an id is `\,`), then the <character-string> ones (RFC 9460 appendix A.1).
        const id = value.subarray(i + 1, i + 1 + length).toString('latin1').replace(/[\\,]/g, (c) => `\\${c}`);
        ids.push(quoteBody(Buffer.from(id, 'latin1')));
        i += 1 + length;
      }
      return ids.length === 0 ? undefined : `${name}="${ids.join(',')}"`;
    }
    case 2:
    case 8:
      return value.length === 0 ? name : undefined;
    case 3:
      return value.length === 2 ? `${name}=${value.readUInt16BE(0)}` : undefined;
    case 4:
    case 6: {
      const size = key === 4 ? 4 : 16;
      if (value.length === 0 || value.length % size !== 0) return undefined;
      const addresses: string[] = [];
      for (let i = 0; i < value.length; i += size) addresses.push(key === 4 ? [...value.subarray(i, i + 4)].join('.') : ipv6Text(value.subarray(i, i + 16)));
      return `${name}=${addresses.join(',')}`;
    }
    case 5:
      return `${name}=${value.toString('base64')}`;
    default:
      return value.length === 0 ? name : `${name}=${quote(value)}`;
  }
}

// ---------------------------------------------------------------------------
// Wire → text

/**
 * The RDATA of a type with a text form, as `named-checkzone -D` prints it;
 * undefined when the type has none here or the octets are not well formed.
 */
export function rdataToText(type: number, rdata: Buffer): string | undefined {
  const special = SPECIAL.get(type);
  if (special !== undefined) return special.toText(rdata);
  const layout = LAYOUTS.get(type);
  if (layout === undefined) return undefined;
  const out: string[] = [];
  let at = 0;
  for (const field of layout) {
    const read = fieldToText(field.kind, rdata, at);
    if (read === undefined) return undefined;
    if (read.text !== '') out.push(read.text);
    at = read.end;
  }
  if (at !== rdata.length) return undefined;
  // RFC 8659 §4.1: the CAA tag is letters and digits.
  if (type === RRType.CAA && !/^[A-Za-z0-9]{1,15}$/.test(rdata.subarray(2, 2 + (rdata[1] ?? 0)).toString('latin1'))) return undefined;
  return out.join(' ');
}

function fieldToText(kind: FieldKind, rdata: Buffer, at: number): { readonly text: string; readonly end: number } | undefined {
  const left = rdata.length - at;
  const fixed = (size: number, text: () => string): { text: string; end: number } | undefined => (left >= size ? { text: text(), end: at + size } : undefined);
  switch (kind) {
    case 'u8':
    case 'algorithm':
      return fixed(1, () => String(rdata[at]));
    case 'u16':
      return fixed(2, () => String(rdata.readUInt16BE(at)));
    case 'type':
      return fixed(2, () => typeName(rdata.readUInt16BE(at)));
    case 'u32':
    case 'ttl':
      return fixed(4, () => String(rdata.readUInt32BE(at)));
    case 'time':
      return fixed(4, () => timeText(rdata.readUInt32BE(at)));
    case 'ipv4':
      return fixed(4, () => [...rdata.subarray(at, at + 4)].join('.'));
    case 'ipv6':
      return fixed(16, () => ipv6Text(rdata.subarray(at, at + 16)));
    case 'name': {
      const name = nameFromWire(rdata, at);
      return name === undefined ? undefined : { text: absolute(name.name), end: name.end };
    }
    case 'string':
    case 'tag':
    case 'salt':
    case 'base32': {
      const length = rdata[at];
      if (length === undefined || at + 1 + length > rdata.length) return undefined;
      const body = rdata.subarray(at + 1, at + 1 + length);
      const text = kind === 'string' ? quote(body) : kind === 'tag' ? body.toString('latin1') : kind === 'base32' ? base32HexText(body) : length === 0 ? '-' : body.toString('hex').toUpperCase();
      if (kind === 'base32' && length === 0) return undefined;
      return { text, end: at + 1 + length };
    }
    case 'strings': {
      if (left === 0) return undefined;
      const strings: string[] = [];
      for (let i = at; i < rdata.length; ) {
        const length = rdata[i]!;
        if (i + 1 + length > rdata.length) return undefined;
        strings.push(quote(rdata.subarray(i + 1, i + 1 + length)));
        i += 1 + length;
      }
      return { text: strings.join(' '), end: rdata.length };
    }
    case 'text':
      return { text: quote(rdata.subarray(at)), end: rdata.length };
    case 'base64':
      return left === 0 ? undefined : { text: rdata.subarray(at).toString('base64'), end: rdata.length };
    case 'hex':
      return left === 0 ? undefined : { text: rdata.subarray(at).toString('hex').toUpperCase(), end: rdata.length };
    case 'bitmap': {
      const types = bitmapTypes(rdata, at);
      return types === undefined ? undefined : { text: types.map(typeName).join(' '), end: rdata.length };
    }
    case 'svcparams': {
      const text = svcParamsToText(rdata, at);
      return text === undefined ? undefined : { text, end: rdata.length };
    }
    case 'secalg':
      return fixed(1, () => ALGORITHM_NAMES.get(rdata[at]!) ?? String(rdata[at]));
    case 'certtype':
      return fixed(2, () => certTypeText(rdata.readUInt16BE(at)));
    case 'eui48':
    case 'eui64': {
      const size = kind === 'eui48' ? 6 : 8;
      return fixed(size, () => [...rdata.subarray(at, at + size)].map((b) => b.toString(16).padStart(2, '0')).join('-'));
    }
    case 'ilnp64':
      return fixed(8, () => [0, 2, 4, 6].map((i) => rdata.readUInt16BE(at + i).toString(16)).join(':'));
    case 'nsap':
      return left === 0 ? undefined : { text: `0x${rdata.subarray(at).toString('hex')}`, end: rdata.length };
    case 'base64-or-dash':
      return { text: left === 0 ? '-' : rdata.subarray(at).toString('base64'), end: rdata.length };
    case 'optional-string': {
      if (left === 0) return { text: '', end: at };
      const length = rdata[at]!;
      return at + 1 + length > rdata.length ? undefined : { text: quote(rdata.subarray(at + 1, at + 1 + length)), end: at + 1 + length };
    }
    case 'apl': {
      const text = aplToText(rdata, at);
      return text === undefined ? undefined : { text, end: rdata.length };
    }
    case 'wks': {
      // A trailing zero octet would not read back the same.
      if (left < 1 || (left > 1 && rdata[rdata.length - 1] === 0)) return undefined;
      const ports: number[] = [];
      for (let i = at + 1; i < rdata.length; i += 1) for (let bit = 0; bit < 8; bit += 1) if ((rdata[i]! & (0x80 >> bit)) !== 0) ports.push((i - at - 1) * 8 + bit);
      return { text: [String(rdata[at]), ...ports.map(String)].join(' '), end: rdata.length };
    }
  }
}

// ---------------------------------------------------------------------------
// APL (RFC 3123 §4, §5) and WKS (RFC 1035 §3.4.2)

function aplFromText(tokens: readonly Token[], type: string): Buffer | Problem {
  const parts: Buffer[] = [];
  for (const token of tokens) {
    const match = /^(!?)(\d+):([^/]+)\/(\d+)$/.exec(token.text);
    const afi = match === null ? undefined : Number(match[2]);
    const address = match === null ? undefined : afi === 1 ? ipv4Octets(match[3]!) : afi === 2 ? ipv6Octets(match[3]!) : undefined;
    const prefix = match === null ? NaN : Number(match[4]);
    if (match === null || address === undefined || prefix > address.length * 8) return new Problem(`${type} item '${token.text}' is not [!]1:IPv4/prefix or [!]2:IPv6/prefix`, token.line);
    // RFC 3123 §4: the address without its trailing zero octets.
    let length = address.length;
    while (length > 0 && address[length - 1] === 0) length -= 1;
    parts.push(uintBytes(afi!, 2), Buffer.from([prefix, (match[1] === '!' ? 0x80 : 0) | length]), address.subarray(0, length));
  }
  return Buffer.concat(parts);
}

function aplToText(rdata: Buffer, at: number): string | undefined {
  const items: string[] = [];
  while (at < rdata.length) {
    if (at + 4 > rdata.length) return undefined;
    const afi = rdata.readUInt16BE(at);
    const prefix = rdata[at + 2]!;
    const negated = (rdata[at + 3]! & 0x80) !== 0;
    const length = rdata[at + 3]! & 0x7f;
    const size = afi === 1 ? 4 : afi === 2 ? 16 : 0;
    if (size === 0 || length > size || prefix > size * 8 || at + 4 + length > rdata.length) return undefined;
    // A trailing zero octet in the address part is not canonical, and would not read back the same.
    if (length > 0 && rdata[at + 4 + length - 1] === 0) return undefined;
    const address = Buffer.alloc(size);
    rdata.copy(address, 0, at + 4, at + 4 + length);
    items.push(`${negated ? '!' : ''}${afi}:${afi === 1 ? [...address].join('.') : ipv6Text(address)}/${prefix}`);
    at += 4 + length;
  }
  return items.join(' ');
}

const WKS_PROTOCOLS: Readonly<Record<string, number>> = { TCP: 6, UDP: 17 };

function wksFromText(tokens: readonly Token[], type: string, line: number): Buffer | Problem {
  const [protocolToken, ...services] = tokens;
  if (protocolToken === undefined) return new Problem(`${type} record is missing its protocol`, line);
  const protocol = WKS_PROTOCOLS[protocolToken.text.toUpperCase()] ?? (/^\d+$/.test(protocolToken.text) && Number(protocolToken.text) <= 255 ? Number(protocolToken.text) : undefined);
  if (protocol === undefined) return new Problem(`${type} protocol '${protocolToken.text}' is not tcp, udp or a number`, protocolToken.line);
  const bits: number[] = [];
  for (const token of services) {
    if (!/^\d+$/.test(token.text) || Number(token.text) > 0xffff) return new Problem(`${type} service '${token.text}' is not a port number`, token.line);
    const port = Number(token.text);
    while (bits.length <= port >> 3) bits.push(0);
    bits[port >> 3]! |= 0x80 >> (port & 7);
  }
  return Buffer.from([protocol, ...bits]);
}

/** A name with its trailing dot, escapes as in RFC 1035 §5.1. */
export function absolute(name: DomainName): string {
  return name.text === '.' ? '.' : `${name.text}.`;
}

/** A character-string in quotes: `"` and `\` escaped, unprintable octets as `\DDD`. */
function quote(bytes: Uint8Array): string {
  return `"${quoteBody(bytes)}"`;
}

function quoteBody(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    if (byte < 0x20 || byte >= 0x7f) out += decimalEscape(byte);
    else if (byte === 0x22 || byte === 0x5c) out += '\\' + String.fromCharCode(byte);
    else out += String.fromCharCode(byte);
  }
  return out;
}

