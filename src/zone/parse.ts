/**
 * A master-file parser (RFC 1035 §5, with RFC 2308 §4 `$TTL` and RFC 3597 §5
 * generic RDATA). It reads octets, not characters: the text is handled one
 * octet per char so escapes and non-ASCII bytes reach the wire unchanged.
 *
 * Zone origin: `options.origin` when given, else the `$ORIGIN` in force at the
 * first record, else the file name — its last path component without a
 * trailing `.zone` or `.db` or a leading `db.` (`contoso.com.zone`,
 * `contoso.com.db` and `db.contoso.com` all give `contoso.com`).
 */
import { isIPv4 } from 'node:net';
import { nameToWire, parseName, ROOT, type DomainName } from './name.js';
import { isKnownRdataValid } from './present.js';
import { readEscape } from '../dns/name-text.js';
import { RRType } from '../dns/rr-types.js';
import { isMetaType, typeName, typeNumber } from './types.js';
import { soaMinimum, ZoneBuilder, type Zone } from './zone.js';

/** Reads the file a `$INCLUDE` names; `from` is the file name of the including file. */
export type IncludeReader = (
  path: string,
  from: string,
) => { readonly ok: true; readonly fileName: string; readonly text: string | Uint8Array } | { readonly ok: false; readonly error: string };

/** Options of {@link parseZone}. */
export interface ParseOptions {
  /** Shown in messages (`contoso.com.zone:12: …`) and used for the origin when nothing else gives one. */
  readonly fileName: string;
  /** The zone apex, absolute or not (`contoso.com` and `contoso.com.` are the same). */
  readonly origin?: string | undefined;
  /** How to read `$INCLUDE` files; without it `$INCLUDE` is an error. */
  readonly include?: IncludeReader | undefined;
}

/**
 * A parsed zone, or one line naming the file, the line and the fault.
 * `cause` is `unreadable` only when an `$INCLUDE`d file could not be read.
 */
export type ParseZoneResult =
  | { readonly ok: true; readonly zone: Zone; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: string; readonly cause: 'invalid' | 'unreadable' };

/** Deepest `$INCLUDE` nesting accepted; deeper is almost surely a loop. */
const MAX_INCLUDE_DEPTH = 8;
const MAX_TTL = 0x7fffffff; // RFC 2181 §8
const MAX_U32 = 0xffffffff;

/**
 * Parse one zone from master-file text. `text` may be a string (it is taken
 * as UTF-8) or the file's raw bytes. Never throws for bad input.
 */
export function parseZone(text: string | Uint8Array, options: ParseOptions): ParseZoneResult {
  let apex: DomainName | undefined;
  if (options.origin !== undefined) {
    const parsed = parseName(absoluteText(options.origin), ROOT);
    if (!parsed.ok) return { ok: false, error: `${options.fileName}: origin '${options.origin}' is not a domain name: ${parsed.error}`, cause: 'invalid' };
    apex = parsed.name;
  }
  const state: State = {
    apex,
    origin: apex ?? originFromFileName(options.fileName),
    defaultTtl: undefined,
    lastTtl: undefined,
    soaMinimum: undefined,
    lastOwner: undefined,
    builder: undefined,
    firstRecord: undefined,
    warnings: [],
    includeStack: [options.fileName],
    include: options.include,
  };
  const failure = parseFile(toOctets(text), options.fileName, state);
  if (failure !== undefined) return { ok: false, ...failure };
  if (state.builder === undefined || state.firstRecord === undefined) {
    return { ok: false, error: `${options.fileName}:1: no records; a zone needs at least its SOA (RFC 1035 §5.2)`, cause: 'invalid' };
  }
  if (!state.builder.hasSoa) {
    const { fileName, line } = state.firstRecord;
    return { ok: false, error: `${fileName}:${line}: no SOA record at the zone apex ${state.builder.origin.text} (RFC 1035 §5.2)`, cause: 'invalid' };
  }
  return { ok: true, zone: state.builder.build(options.fileName), warnings: state.warnings };
}

/** The origin a file name implies (see the module comment), or undefined when it is not a domain name. */
export function originFromFileName(fileName: string): DomainName | undefined {
  let base = fileName.split(/[\\/]/).pop() ?? '';
  if (/\.(zone|db)$/i.test(base)) base = base.replace(/\.(zone|db)$/i, '');
  else if (/^db\./i.test(base)) base = base.slice(3);
  if (base === '' || base.startsWith('.')) return undefined;
  const parsed = parseName(absoluteText(base), ROOT);
  return parsed.ok ? parsed.name : undefined;
}

function absoluteText(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

/** One octet per char: a string is encoded as UTF-8 first. A UTF-8 byte-order mark is dropped. */
function toOctets(text: string | Uint8Array): string {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return bytes.subarray(start).toString('latin1');
}

interface State {
  /** The zone apex once known: the origin option, or the origin in force at the first record. */
  apex: DomainName | undefined;
  /** The current `$ORIGIN` (relative names are completed with it). */
  origin: DomainName | undefined;
  /** `$TTL` (RFC 2308 §4). */
  defaultTtl: number | undefined;
  /** The last TTL written on a record, the default without `$TTL` (RFC 1035 §5.1). */
  lastTtl: number | undefined;
  soaMinimum: number | undefined;
  lastOwner: DomainName | undefined;
  builder: ZoneBuilder | undefined;
  firstRecord: { readonly fileName: string; readonly line: number } | undefined;
  warnings: string[];
  includeStack: string[];
  include: IncludeReader | undefined;
}

interface Failure {
  readonly error: string;
  readonly cause: 'invalid' | 'unreadable';
}

/** A fault at a line, before the file name is added. */
class Problem {
  constructor(
    readonly message: string,
    readonly line: number,
  ) {}
}

function parseFile(octets: string, fileName: string, state: State): Failure | undefined {
  const entries = lex(octets);
  if (entries instanceof Problem) return { error: `${fileName}:${entries.line}: ${entries.message}`, cause: 'invalid' };
  for (const entry of entries) {
    const first = entry.tokens[0]!;
    if (!first.quoted && first.text.startsWith('$')) {
      const outcome = directive(entry, fileName, state);
      if (outcome instanceof Problem) return { error: `${fileName}:${outcome.line}: ${outcome.message}`, cause: 'invalid' };
      if (outcome !== undefined) return outcome;
      continue;
    }
    const problem = record(entry, fileName, state);
    if (problem !== undefined) return { error: `${fileName}:${problem.line}: ${problem.message}`, cause: 'invalid' };
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Lexer: entries (one record or directive each) made of tokens.

interface Token {
  /** The text as written, escapes kept (`\.`, `\065`); quotes removed. */
  readonly text: string;
  readonly quoted: boolean;
  readonly line: number;
}

interface Entry {
  readonly line: number;
  /** The entry's first line starts with a blank: the owner is the previous record's (RFC 1035 §5.1). */
  readonly blankOwner: boolean;
  readonly tokens: Token[];
}

/**
 * The characters of one word from `start` up to the first `stop` character
 * (or the end), `\X` escapes kept as written for the field parsers; a
 * backslash cannot end a line (RFC 1035 §5.1).
 */
function scanWord(src: string, start: number, stop: (c: string) => boolean): { readonly text: string; readonly end: number } | Problem {
  let text = '';
  let i = start;
  while (i < src.length && !stop(src[i]!)) {
    if (src[i] === '\\') {
      if (i + 1 >= src.length || src[i + 1] === '\n') return new Problem('backslash at the end of a line', lineAt(src, i));
      text += src.slice(i, i + 2);
      i += 2;
    } else {
      text += src[i]!;
      i += 1;
    }
  }
  return { text, end: i };
}

/** The 1-based line of offset `at` (only for error messages). */
function lineAt(src: string, at: number): number {
  let line = 1;
  for (let i = 0; i < at; i += 1) if (src[i] === '\n') line += 1;
  return line;
}

/**
 * Split the file into entries. A newline ends an entry unless it is inside
 * parentheses; `;` starts a comment outside quotes; `\` escapes the next
 * character anywhere (RFC 1035 §5.1).
 */
function lex(src: string): Entry[] | Problem {
  const entries: Entry[] = [];
  let current: Entry | undefined;
  let line = 1;
  let depth = 0;
  let openedAt = 0;
  let blankStart = false;
  let lineStart = true;
  const push = (token: Token): void => {
    if (current === undefined) {
      current = { line: token.line, blankOwner: blankStart, tokens: [] };
      entries.push(current);
    }
    current.tokens.push(token);
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (lineStart) {
      lineStart = false;
      if (depth === 0) blankStart = ch === ' ' || ch === '\t';
    }
    if (ch === '\n') {
      line += 1;
      lineStart = true;
      if (depth === 0) current = undefined;
      i += 1;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      i += 1;
    } else if (ch === ';') {
      while (i < src.length && src[i] !== '\n') i += 1;
    } else if (ch === '(') {
      if (depth === 0) openedAt = line;
      depth += 1;
      i += 1;
    } else if (ch === ')') {
      if (depth === 0) return new Problem("')' without a matching '('", line);
      depth -= 1;
      i += 1;
    } else if (ch === '"') {
      const startLine = line;
      const word = scanWord(src, i + 1, (c) => c === '"' || c === '\n');
      if (word instanceof Problem) return word;
      if (src[word.end] !== '"') return new Problem('quoted string not closed on the line it starts', startLine);
      i = word.end + 1;
      push({ text: word.text, quoted: true, line: startLine });
    } else {
      const word = scanWord(src, i, (c) => c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === ';' || c === '(' || c === ')' || c === '"');
      if (word instanceof Problem) return word;
      i = word.end;
      push({ text: word.text, quoted: false, line });
    }
  }
  if (depth > 0) return new Problem("'(' never closed", openedAt);
  return entries;
}

// ---------------------------------------------------------------------------
// Directives

function directive(entry: Entry, fileName: string, state: State): Problem | Failure | undefined {
  const [first, ...args] = entry.tokens;
  const name = first!.text.toUpperCase();
  const at = entry.line;
  switch (name) {
    case '$ORIGIN': {
      if (args.length !== 1) return new Problem('$ORIGIN takes one domain name', at);
      const parsed = parseName(args[0]!.text, state.origin);
      if (!parsed.ok) return new Problem(`$ORIGIN: ${parsed.error}`, at);
      state.origin = parsed.name;
      return undefined;
    }
    case '$TTL': {
      if (args.length !== 1) return new Problem('$TTL takes one TTL', at);
      const ttl = parseTtl(args[0]!, 'TTL', MAX_TTL);
      if (ttl instanceof Problem) return ttl;
      state.defaultTtl = ttl;
      return undefined;
    }
    case '$INCLUDE':
      return includeFile(args, at, fileName, state);
    case '$GENERATE':
      return new Problem('$GENERATE is a BIND extension and is not supported; write the records out', at);
    default:
      return new Problem(`unknown directive ${first!.text}`, at);
  }
}

function includeFile(args: Token[], at: number, fileName: string, state: State): Problem | Failure | undefined {
  if (args.length < 1 || args.length > 2) return new Problem('$INCLUDE takes a file name and an optional origin', at);
  if (state.include === undefined) return new Problem('$INCLUDE is not supported when parsing text without files', at);
  let origin = state.origin;
  if (args[1] !== undefined) {
    const parsed = parseName(args[1].text, state.origin);
    if (!parsed.ok) return new Problem(`$INCLUDE origin: ${parsed.error}`, at);
    origin = parsed.name;
  }
  const path = unescapeString(args[0]!.text);
  if (path instanceof Problem || path === '') return new Problem('$INCLUDE needs a file name', at);
  if (state.includeStack.length > MAX_INCLUDE_DEPTH) return new Problem(`$INCLUDE nested more than ${MAX_INCLUDE_DEPTH} deep`, at);
  const read = state.include(path, fileName);
  if (!read.ok) return { error: `${fileName}:${at}: $INCLUDE ${path}: ${read.error}`, cause: 'unreadable' };
  if (state.includeStack.includes(read.fileName)) return new Problem(`$INCLUDE ${path} includes itself`, at);
  // RFC 1035 §5.1: the origin given applies to the included file only; like
  // BIND, the origin and the current owner are restored afterwards.
  const saved = { origin: state.origin, lastOwner: state.lastOwner };
  state.origin = origin;
  state.includeStack.push(read.fileName);
  const failure = parseFile(toOctets(read.text), read.fileName, state);
  state.includeStack.pop();
  state.origin = saved.origin;
  state.lastOwner = saved.lastOwner;
  return failure;
}

// ---------------------------------------------------------------------------
// Records

const CLASS = /^(IN|CH|CS|HS|CLASS\d+)$/i;

function record(entry: Entry, fileName: string, state: State): Problem | undefined {
  const tokens = entry.tokens;
  let index = 0;
  let owner: DomainName;
  if (entry.blankOwner) {
    if (state.lastOwner === undefined) return new Problem('line starts with a blank but no earlier record gives the owner name', entry.line);
    owner = state.lastOwner;
  } else {
    const token = tokens[0]!;
    if (token.quoted) return new Problem('an owner name cannot be a quoted string', token.line);
    const parsed = parseName(token.text, state.origin);
    if (!parsed.ok) return new Problem(parsed.error, token.line);
    owner = parsed.name;
    index = 1;
  }
  // TTL and class are both optional and may come in either order (RFC 1035 §5.1).
  let ttl: number | undefined;
  let rrClass: string | undefined;
  for (let k = 0; k < 2; k += 1) {
    const token = tokens[index];
    if (token === undefined || token.quoted) break;
    if (ttl === undefined && /^\d/.test(token.text)) {
      const parsed = parseTtl(token, 'TTL', MAX_TTL);
      if (parsed instanceof Problem) return parsed;
      ttl = parsed;
    } else if (rrClass === undefined && CLASS.test(token.text)) {
      rrClass = token.text.toUpperCase();
    } else {
      break;
    }
    index += 1;
  }
  const typeToken = tokens[index];
  if (typeToken === undefined) return new Problem(`missing record type after ${owner.text}`, tokens[tokens.length - 1]?.line ?? entry.line);
  if (rrClass !== undefined && rrClass !== 'IN') return new Problem(`class ${rrClass} is not supported; only IN`, typeToken.line);
  const type = typeNumber(typeToken.text);
  if (type === undefined || typeToken.quoted) return new Problem(`unknown record type '${typeToken.text}'`, typeToken.line);
  if (isMetaType(type)) return new Problem(`${typeName(type)} is a query or meta type, not zone data`, typeToken.line);
  if (type === RRType.DNAME) return new Problem('DNAME is not supported: the responder does not synthesise from it', typeToken.line);
  const rdata = parseRdata(type, tokens.slice(index + 1), typeToken.line, state.origin);
  if (rdata instanceof Problem) return rdata;

  if (ttl !== undefined) {
    state.lastTtl = ttl;
  } else {
    ttl = state.defaultTtl ?? state.lastTtl;
    if (ttl === undefined) {
      // No $TTL and no TTL written yet: like BIND, fall back to the SOA MINIMUM.
      const minimum = type === RRType.SOA ? soaMinimum(rdata) : state.soaMinimum;
      if (minimum === undefined) return new Problem('no TTL given and no $TTL before this record (RFC 2308 §4)', entry.line);
      state.warnings.push(`${fileName}:${entry.line}: no TTL and no $TTL; using the SOA MINIMUM ${minimum}`);
      ttl = minimum;
    }
  }
  if (type === RRType.SOA) state.soaMinimum = soaMinimum(rdata);

  if (state.builder === undefined) {
    const apex = state.apex ?? state.origin;
    if (apex === undefined) {
      return new Problem(`cannot tell the zone origin: add $ORIGIN, or name the file <origin>.zone (not '${fileName}')`, entry.line);
    }
    state.apex = apex;
    state.builder = new ZoneBuilder(apex);
    state.firstRecord = { fileName, line: entry.line };
  }
  const added = state.builder.add(owner, type, ttl, rdata, entry.line);
  if (added.kind === 'error') return new Problem(added.message, entry.line);
  if (added.kind === 'warning') state.warnings.push(`${fileName}:${entry.line}: ${added.message}`);
  state.lastOwner = owner;
  return undefined;
}

// ---------------------------------------------------------------------------
// RDATA

type Parser = (fields: Fields) => Buffer | Problem;

const PARSERS: ReadonlyMap<number, Parser> = new Map<number, Parser>([
  [RRType.A, (f) => f.one((t) => ipv4(t))],
  [RRType.AAAA, (f) => f.one((t) => ipv6(t))],
  [RRType.NS, (f) => f.one((t) => f.name(t))],
  [RRType.CNAME, (f) => f.one((t) => f.name(t))],
  [RRType.PTR, (f) => f.one((t) => f.name(t))],
  [RRType.MX, mx],
  [RRType.SRV, srv],
  [RRType.SOA, soa],
  [RRType.TXT, txt],
  [RRType.SPF, txt],
  [RRType.CAA, caa],
]);

function parseRdata(type: number, tokens: Token[], line: number, origin: DomainName | undefined): Buffer | Problem {
  const fields = new Fields(typeName(type), tokens, line, origin);
  if (tokens[0] !== undefined && !tokens[0].quoted && tokens[0].text === '\\#') return generic(type, fields);
  const parser = PARSERS.get(type);
  if (parser === undefined) {
    return new Problem(`${typeName(type)} records are not supported in text form; write them as ${typeName(type)} \\# <length> <hex> (RFC 3597 §5)`, line);
  }
  return parser(fields);
}

/** The RDATA tokens of one record, read left to right. */
class Fields {
  private index = 0;

  constructor(
    readonly type: string,
    private readonly tokens: Token[],
    private readonly typeLine: number,
    private readonly origin: DomainName | undefined,
  ) {}

  /** The next token, or a problem naming the missing field. */
  next(what: string): Token | Problem {
    const token = this.tokens[this.index];
    if (token === undefined) return new Problem(`${this.type} record is missing its ${what}`, this.tokens[this.tokens.length - 1]?.line ?? this.typeLine);
    this.index += 1;
    return token;
  }

  /** The tokens not read yet. */
  rest(): Token[] {
    const rest = this.tokens.slice(this.index);
    this.index = this.tokens.length;
    return rest;
  }

  /** A problem when tokens are left over. */
  end(): Problem | undefined {
    const extra = this.tokens[this.index];
    return extra === undefined ? undefined : new Problem(`unexpected '${extra.text}' after the ${this.type} data`, extra.line);
  }

  /** A record whose RDATA is one field. */
  one(read: (token: Token) => Buffer | Problem): Buffer | Problem {
    const token = this.next('data');
    if (token instanceof Problem) return token;
    const value = read(token);
    return value instanceof Problem ? value : this.end() ?? value;
  }

  /** A domain name field in wire form. */
  name(token: Token): Buffer | Problem {
    if (token.quoted) return new Problem(`${this.type} expects a domain name, not a quoted string`, token.line);
    const parsed = parseName(token.text, this.origin);
    return parsed.ok ? nameToWire(parsed.name) : new Problem(parsed.error, token.line);
  }

  /** An unsigned integer field of `bits` bits. */
  uint(token: Token, what: string, bits: 8 | 16 | 32): number | Problem {
    const max = bits === 32 ? MAX_U32 : 2 ** bits - 1;
    if (!/^\d+$/.test(token.text)) return new Problem(`${this.type} ${what} '${token.text}' is not a number`, token.line);
    const value = Number(token.text);
    if (value > max) return new Problem(`${this.type} ${what} ${token.text} out of range (0-${max})`, token.line);
    return value;
  }
}

/** RFC 3597 §5: `\# <length> <hex>…`; for the types parsed here the octets must also make sense. */
function generic(type: number, fields: Fields): Buffer | Problem {
  fields.next('\\#');
  const lengthToken = fields.next('length after \\#');
  if (lengthToken instanceof Problem) return lengthToken;
  const length = fields.uint(lengthToken, 'RDATA length', 16);
  if (length instanceof Problem) return length;
  const hexTokens = fields.rest();
  const hex = hexTokens.map((t) => t.text).join('');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) return new Problem(`${typeName(type)} \\# data is not an even number of hex digits`, hexTokens[0]?.line ?? lengthToken.line);
  const rdata = Buffer.from(hex, 'hex');
  if (rdata.length !== length) return new Problem(`${typeName(type)} \\# says ${length} octets but ${rdata.length} follow`, lengthToken.line);
  if (!isKnownRdataValid(type, rdata)) return new Problem(`${typeName(type)} \\# data is not a valid ${typeName(type)} RDATA`, lengthToken.line);
  return rdata;
}

const IPV4_STRICT = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function ipv4(token: Token): Buffer | Problem {
  // No leading zeros: "010" is octal to some tools and decimal to others.
  if (!IPV4_STRICT.test(token.text) || !isIPv4(token.text)) return new Problem(`bad IPv4 address '${token.text}'`, token.line);
  return Buffer.from(token.text.split('.').map(Number));
}

function ipv6(token: Token): Buffer | Problem {
  const bytes = parseIPv6(token.text);
  return bytes ?? new Problem(`bad IPv6 address '${token.text}'`, token.line);
}

/** Text IPv6 (RFC 4291 §2.2, with an optional dotted IPv4 tail) to 16 octets, or undefined. */
function parseIPv6(text: string): Buffer | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i += 1) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
        if (!IPV4_STRICT.test(piece)) return undefined;
        const [a = 0, b = 0, c = 0, d = 0] = piece.split('.').map(Number);
        out.push((a << 8) | b, (c << 8) | d);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === undefined || tail === undefined) return undefined;
  // An IPv4 tail is only allowed at the very end.
  if (halves.length === 2 && halves[0]!.includes('.')) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

function mx(f: Fields): Buffer | Problem {
  const preference = readUint(f, 'preference', 16);
  if (preference instanceof Problem) return preference;
  const exchange = readName(f, 'exchange');
  if (exchange instanceof Problem) return exchange;
  return f.end() ?? Buffer.concat([u16(preference), exchange]);
}

function srv(f: Fields): Buffer | Problem {
  // RFC 2782: priority, weight and port are 16-bit; the target "." means "no service".
  const values: number[] = [];
  for (const what of ['priority', 'weight', 'port']) {
    const value = readUint(f, what, 16);
    if (value instanceof Problem) return value;
    values.push(value);
  }
  const target = readName(f, 'target');
  if (target instanceof Problem) return target;
  return f.end() ?? Buffer.concat([...values.map(u16), target]);
}

function soa(f: Fields): Buffer | Problem {
  const mname = readName(f, 'MNAME');
  if (mname instanceof Problem) return mname;
  const rname = readName(f, 'RNAME');
  if (rname instanceof Problem) return rname;
  const serialToken = f.next('serial');
  if (serialToken instanceof Problem) return serialToken;
  const serial = f.uint(serialToken, 'serial', 32);
  if (serial instanceof Problem) return serial;
  const numbers = [serial];
  // Timers accept TTL units (1h, 2w) as BIND and NSD do.
  for (const what of ['refresh', 'retry', 'expire', 'minimum']) {
    const token = f.next(what);
    if (token instanceof Problem) return token;
    const value = parseTtl(token, `SOA ${what}`, MAX_U32);
    if (value instanceof Problem) return value;
    numbers.push(value);
  }
  return f.end() ?? Buffer.concat([mname, rname, ...numbers.map(u32)]);
}

function txt(f: Fields): Buffer | Problem {
  const first = f.next('text');
  if (first instanceof Problem) return first;
  const tokens = [first, ...f.rest()];
  const parts: Buffer[] = [];
  for (const token of tokens) {
    const value = unescapeString(token.text);
    if (value instanceof Problem) return new Problem(value.message, token.line);
    // A <character-string> is one length octet and at most 255 octets (RFC 1035 §3.3).
    if (value.length > 255) return new Problem(`${f.type} string of ${value.length} octets is longer than 255; split it into several quoted strings`, token.line);
    parts.push(Buffer.from([value.length]), Buffer.from(value, 'latin1'));
  }
  return Buffer.concat(parts);
}

function caa(f: Fields): Buffer | Problem {
  // RFC 8659 §4.1: flags, tag (letters and digits), value.
  const flags = readUint(f, 'flags', 8);
  if (flags instanceof Problem) return flags;
  const tagToken = f.next('tag');
  if (tagToken instanceof Problem) return tagToken;
  if (!/^[A-Za-z0-9]{1,15}$/.test(tagToken.text)) return new Problem(`CAA tag '${tagToken.text}' must be 1-15 letters and digits (RFC 8659 §4.1)`, tagToken.line);
  const valueToken = f.next('value');
  if (valueToken instanceof Problem) return valueToken;
  const value = unescapeString(valueToken.text);
  if (value instanceof Problem) return new Problem(value.message, valueToken.line);
  return f.end() ?? Buffer.concat([Buffer.from([flags, tagToken.text.length]), Buffer.from(tagToken.text, 'latin1'), Buffer.from(value, 'latin1')]);
}

function readUint(f: Fields, what: string, bits: 8 | 16 | 32): number | Problem {
  const token = f.next(what);
  return token instanceof Problem ? token : f.uint(token, what, bits);
}

function readName(f: Fields, what: string): Buffer | Problem {
  const token = f.next(what);
  return token instanceof Problem ? token : f.name(token);
}

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
}

/** `\X` → X and `\DDD` → that octet, for strings (RFC 1035 §5.1). Line 0: the caller fills it in. */
function unescapeString(raw: string): string | Problem {
  let out = '';
  for (let i = 0; i < raw.length; i += 1) {
    if (raw[i] !== '\\') {
      out += raw[i]!;
      continue;
    }
    const escape = readEscape(raw, i);
    if (!escape.ok) return new Problem(escape.error, 0);
    out += escape.char;
    i = escape.next - 1;
  }
  return out;
}

/**
 * A TTL or SOA timer: decimal seconds, or BIND-style units (`1h30m`, `2w`,
 * case-insensitive) as NSD and BIND accept them.
 */
function parseTtl(token: Token, what: string, max: number): number | Problem {
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

