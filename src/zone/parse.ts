/**
 * A master-file parser (RFC 1035 §5, with RFC 2308 §4 `$TTL` and RFC 3597 §5
 * generic RDATA). It reads octets, not characters: the text is handled one
 * octet per char so escapes and non-ASCII bytes reach the wire unchanged.
 *
 * Zone apex: `options.origin` when given, else the owner of the first SOA.
 * Relative names are completed with the `$ORIGIN` in force; before any, with
 * `options.origin`, else with the SOA owner once one is written absolute, else
 * with the file name's zone — its last path component without a trailing
 * `.zone` or `.db` or a leading `db.` (`contoso.com.zone`, `contoso.com.db`
 * and `db.contoso.com` all give `contoso.com`). See src/zone/README.md.
 */
import { parseName, ROOT, type DomainName } from './name.js';
import { isKnownRdataValid } from './present.js';
import { MAX_TTL, parseTtl, Problem, rdataFromText, unescapeString, type Token } from './rdata.js';
import { RRType } from '../dns/rr-types.js';
import { isMetaType, typeName, typeNumber } from './types.js';
import { soaMinimum, ZoneBuilder, type Zone } from './zone.js';
import type { Result } from '../result.js';

/** Reads the file a `$INCLUDE` names; `from` is the file name of the including file. */
export type IncludeReader = (path: string, from: string) => Result<{ readonly fileName: string; readonly text: string | Uint8Array }>;

/** Options of {@link parseZone}. */
export interface ParseOptions {
  /** Shown in messages (`contoso.com.zone:12: …`) and used for the origin when nothing else gives one. */
  readonly fileName: string;
  /** The zone apex, absolute or not (`contoso.com` and `contoso.com.` are the same). */
  readonly origin?: string | undefined;
  /** How to read `$INCLUDE` files; without it `$INCLUDE` is an error. */
  readonly include?: IncludeReader | undefined;
}

/** What {@link parseZone} gives for a file that parses: the zone, and lines about what it let pass. */
export interface ParsedZone {
  readonly zone: Zone;
  readonly warnings: readonly string[];
}

/**
 * Why a zone did not parse: one line naming the file, the line and the fault.
 * `cause` is `unreadable` only when an `$INCLUDE`d file could not be read.
 */
export interface ZoneParseError {
  readonly message: string;
  readonly cause: 'invalid' | 'unreadable';
}

/** Deepest `$INCLUDE` nesting accepted; deeper is almost surely a loop. */
const MAX_INCLUDE_DEPTH = 8;

/**
 * Parse one zone from master-file text. `text` may be a string (it is taken
 * as UTF-8) or the file's raw bytes. Never throws for bad input.
 */
export function parseZone(text: string | Uint8Array, options: ParseOptions): Result<ParsedZone, ZoneParseError> {
  let given: DomainName | undefined;
  if (options.origin !== undefined) {
    const parsed = parseName(absoluteText(options.origin), ROOT);
    if (!parsed.ok) return invalid(`${options.fileName}: origin '${options.origin}' is not a domain name: ${parsed.error}`);
    given = parsed.value;
  }
  const state: State = {
    apex: given,
    origin: given ?? originFromFileName(options.fileName),
    originGuessed: given === undefined,
    originAtFirstRecord: undefined,
    defaultTtl: undefined,
    lastTtl: undefined,
    soaMinimum: undefined,
    lastOwner: undefined,
    records: [],
    warnings: [],
    includeStack: [options.fileName],
    include: options.include,
  };
  const failure = parseFile(toOctets(text), options.fileName, state);
  if (failure !== undefined) return { ok: false, error: failure };
  const first = state.records[0];
  if (first === undefined) {
    return invalid(`${options.fileName}:1: no records; a zone needs at least its SOA (RFC 1035 §5.2)`);
  }
  // The apex is the SOA owner (RFC 1035 §5.2), unless the caller named the zone.
  const apex = state.apex ?? state.originAtFirstRecord;
  if (apex === undefined) {
    return invalid(
      `${first.fileName}:${first.line}: cannot tell the zone origin: add $ORIGIN or an SOA record with an absolute owner, name the file <origin>.zone, or give it as --zone <origin>=${options.fileName}`,
    );
  }
  const builder = new ZoneBuilder(apex);
  const warnings: string[] = [];
  for (const r of state.records) {
    const added = builder.add(r.owner, r.type, r.ttl, r.rdata, r.line);
    if (added.kind === 'error') {
      // A zone named by the caller whose file says otherwise: say how to let the file decide.
      const hint = given !== undefined && / is outside the zone |, which is not the zone apex /.test(added.message) ? `; the zone was given as ${given.text}: drop '${options.origin}=' to take the apex from the SOA record` : '';
      return invalid(`${r.fileName}:${r.line}: ${added.message}${hint}`);
    }
    if (added.kind === 'warning') warnings.push(`${r.fileName}:${r.line}: ${added.message}`);
  }
  if (!builder.hasSoa) {
    return invalid(`${first.fileName}:${first.line}: no SOA record at the zone apex ${apex.text} (RFC 1035 §5.2)`);
  }
  return { ok: true, value: { zone: builder.build(options.fileName), warnings: [...state.warnings, ...warnings] } };
}

/** The origin a file name implies (see the module comment), or undefined when it is not a domain name. */
export function originFromFileName(fileName: string): DomainName | undefined {
  let base = fileName.split(/[\\/]/).pop() ?? '';
  if (/\.(zone|db)$/i.test(base)) base = base.replace(/\.(zone|db)$/i, '');
  else if (/^db\./i.test(base)) base = base.slice(3);
  if (base === '' || base.startsWith('.')) return undefined;
  const parsed = parseName(absoluteText(base), ROOT);
  return parsed.ok ? parsed.value : undefined;
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
  /** The zone apex once known: the origin option, or the owner of the first SOA record. */
  apex: DomainName | undefined;
  /** The current `$ORIGIN` (relative names are completed with it). */
  origin: DomainName | undefined;
  /** True while the origin is only the file name's guess (no option, no `$ORIGIN` yet). */
  originGuessed: boolean;
  /** The origin in force at the first record: the apex of a zone without SOA, for the message. */
  originAtFirstRecord: DomainName | undefined;
  /** `$TTL` (RFC 2308 §4). */
  defaultTtl: number | undefined;
  /** The last TTL written on a record, the default without `$TTL` (RFC 1035 §5.1). */
  lastTtl: number | undefined;
  soaMinimum: number | undefined;
  lastOwner: DomainName | undefined;
  /** Records in file order; they go into the zone once its apex is known. */
  records: ReadRecord[];
  warnings: string[];
  includeStack: string[];
  include: IncludeReader | undefined;
}

interface ReadRecord {
  readonly owner: DomainName;
  readonly type: number;
  readonly ttl: number;
  readonly rdata: Buffer;
  readonly fileName: string;
  readonly line: number;
}

/** A failed parse whose fault is in the text itself. */
function invalid(message: string): Result<never, ZoneParseError> {
  return { ok: false, error: { message, cause: 'invalid' } };
}

function parseFile(octets: string, fileName: string, state: State): ZoneParseError | undefined {
  const entries = lex(octets);
  if (entries instanceof Problem) return { message: `${fileName}:${entries.line}: ${entries.message}`, cause: 'invalid' };
  for (const entry of entries) {
    const first = entry.tokens[0]!;
    if (!first.quoted && first.text.startsWith('$')) {
      const outcome = directive(entry, fileName, state);
      if (outcome instanceof Problem) return { message: `${fileName}:${outcome.line}: ${outcome.message}`, cause: 'invalid' };
      if (outcome !== undefined) return outcome;
      continue;
    }
    const problem = record(entry, fileName, state);
    if (problem !== undefined) return { message: `${fileName}:${problem.line}: ${problem.message}`, cause: 'invalid' };
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Lexer: entries (one record or directive each) made of tokens.

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

function directive(entry: Entry, fileName: string, state: State): Problem | ZoneParseError | undefined {
  const [first, ...args] = entry.tokens;
  const name = first!.text.toUpperCase();
  const at = entry.line;
  switch (name) {
    case '$ORIGIN': {
      if (args.length !== 1) return new Problem('$ORIGIN takes one domain name', at);
      const parsed = parseName(args[0]!.text, state.origin);
      if (!parsed.ok) return new Problem(`$ORIGIN: ${parsed.error}`, at);
      state.origin = parsed.value;
      state.originGuessed = false;
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

function includeFile(args: Token[], at: number, fileName: string, state: State): Problem | ZoneParseError | undefined {
  if (args.length < 1 || args.length > 2) return new Problem('$INCLUDE takes a file name and an optional origin', at);
  if (state.include === undefined) return new Problem('$INCLUDE is not supported when parsing text without files', at);
  let origin = state.origin;
  if (args[1] !== undefined) {
    const parsed = parseName(args[1].text, state.origin);
    if (!parsed.ok) return new Problem(`$INCLUDE origin: ${parsed.error}`, at);
    origin = parsed.value;
  }
  const path = unescapeString(args[0]!.text);
  if (path instanceof Problem || path === '') return new Problem('$INCLUDE needs a file name', at);
  if (state.includeStack.length > MAX_INCLUDE_DEPTH) return new Problem(`$INCLUDE nested more than ${MAX_INCLUDE_DEPTH} deep`, at);
  const read = state.include(path, fileName);
  if (!read.ok) return { message: `${fileName}:${at}: $INCLUDE ${path}: ${read.error}`, cause: 'unreadable' };
  if (state.includeStack.includes(read.value.fileName)) return new Problem(`$INCLUDE ${path} includes itself`, at);
  // RFC 1035 §5.1: the origin given applies to the included file only; like
  // BIND, the origin and the current owner are restored afterwards.
  const saved = { origin: state.origin, lastOwner: state.lastOwner };
  state.origin = origin;
  state.includeStack.push(read.value.fileName);
  const failure = parseFile(toOctets(read.value.text), read.value.fileName, state);
  state.includeStack.pop();
  state.origin = saved.origin;
  state.lastOwner = saved.lastOwner;
  return failure;
}

// ---------------------------------------------------------------------------
// Records

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
    owner = parsed.value;
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
    } else if (rrClass === undefined && isClass(token.text, tokens[index + 1])) {
      rrClass = token.text.toUpperCase();
    } else {
      break;
    }
    index += 1;
  }
  const typeToken = tokens[index];
  if (typeToken === undefined) return new Problem(`missing record type after ${owner.text}`, tokens[tokens.length - 1]?.line ?? entry.line);
  if (rrClass !== undefined && rrClass !== 'IN') {
    const why = rrClass === 'ANY' || rrClass === 'NONE' ? ` (${rrClass} is a query or update class, RFC 1035 §3.2.5, RFC 2136 §2.3)` : '';
    return new Problem(`class ${rrClass} is not supported${why}; only IN: write the record without a class or with IN`, typeToken.line);
  }
  const type = typeNumber(typeToken.text);
  if (type === undefined || typeToken.quoted) return new Problem(`unknown record type '${typeToken.text}'`, typeToken.line);
  if (isMetaType(type)) return new Problem(`${typeName(type)} is a query or meta type, not zone data`, typeToken.line);
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

  if (state.records.length === 0) state.originAtFirstRecord = state.origin;
  if (type === RRType.SOA && state.apex === undefined) {
    // The apex is the SOA owner. A file that sets no $ORIGIN and writes the
    // SOA owner absolute (`newco.example. SOA …` in newco.zone) means that
    // zone: relative names after it are completed with it, as BIND does with
    // the zone name it is given.
    state.apex = owner;
    if (state.originGuessed && !entry.blankOwner && tokens[0]!.text.endsWith('.') && !tokens[0]!.text.endsWith('\\.')) {
      state.origin = owner;
      state.originGuessed = false;
    }
  }
  state.records.push({ owner, type, ttl, rdata, fileName, line: entry.line });
  state.lastOwner = owner;
  return undefined;
}

const CLASSES = /^(IN|CH|CS|HS|CLASS\d+)$/i;

/**
 * True when `text` is a class. ANY and NONE are classes only when a type
 * follows (`a ANY NS …`); otherwise `ANY` is the query type.
 */
function isClass(text: string, next: Token | undefined): boolean {
  if (CLASSES.test(text)) return true;
  return /^(ANY|NONE)$/i.test(text) && next !== undefined && !next.quoted && typeNumber(next.text) !== undefined;
}

// ---------------------------------------------------------------------------
// RDATA

function parseRdata(type: number, tokens: Token[], line: number, origin: DomainName | undefined): Buffer | Problem {
  if (tokens[0] !== undefined && !tokens[0].quoted && tokens[0].text === '\\#') return generic(type, tokens, line);
  return rdataFromText(type, tokens, line, origin);
}

/** RFC 3597 §5: `\# <length> <hex>…`; for the types with a text form the octets must also make sense. */
function generic(type: number, tokens: Token[], line: number): Buffer | Problem {
  const name = typeName(type);
  const lengthToken = tokens[1];
  if (lengthToken === undefined) return new Problem(`${name} record is missing its length after \\#`, line);
  if (!/^\d+$/.test(lengthToken.text) || Number(lengthToken.text) > 0xffff) return new Problem(`${name} RDATA length '${lengthToken.text}' is not a number from 0 to 65535`, lengthToken.line);
  const length = Number(lengthToken.text);
  const hexTokens = tokens.slice(2);
  const hex = hexTokens.map((t) => t.text).join('');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) return new Problem(`${name} \\# data is not an even number of hex digits`, hexTokens[0]?.line ?? lengthToken.line);
  const rdata = Buffer.from(hex, 'hex');
  if (rdata.length !== length) return new Problem(`${name} \\# says ${length} octets but ${rdata.length} follow`, lengthToken.line);
  if (!isKnownRdataValid(type, rdata)) return new Problem(`${name} \\# data is not a valid ${name} RDATA`, lengthToken.line);
  return rdata;
}
