/**
 * Domain names in presentation form (RFC 1035 §5.1), the one implementation
 * the codec (names in messages) and the zone engine (names in master files)
 * share. A label is a byte string: one JavaScript char per octet (0-255), as
 * `Buffer#toString('latin1')` gives, so any octet survives.
 *
 * Presentation form as BIND and dig print it: printable ASCII stays as is,
 * the characters that mean something in master files are escaped as `\X`,
 * and every other octet (controls, space, DEL, 0x80-0xff, so raw UTF-8 too)
 * is `\DDD`, three decimal digits. Read back, `\X` is X and `\DDD` is that
 * octet, so text and wire form map to each other exactly.
 */

import type { Result } from '../result.js';

/** Longest label in octets (RFC 1035 §2.3.4). */
export const MAX_LABEL = 63;
/** Longest name in wire octets, length bytes and the root label included (RFC 1035 §2.3.4). */
export const MAX_NAME = 255;

const AS_IS = 0;
const BACKSLASH = 1;
const DECIMAL = 2;

/** How each octet is written in a label. */
const ESCAPE: Uint8Array = (() => {
  const table = new Uint8Array(256).fill(DECIMAL);
  for (let code = 0x21; code < 0x7f; code += 1) table[code] = AS_IS;
  // Characters with a meaning in master files (RFC 1035 §5.1), escaped as dig prints them.
  for (const ch of '."\\();@$') table[ch.charCodeAt(0)] = BACKSLASH;
  return table;
})();

/** An octet as `\DDD`, three decimal digits (RFC 1035 §5.1): in names here, in character-strings in src/zone/rdata.ts. */
export function decimalEscape(code: number): string {
  return `\\${String(code).padStart(3, '0')}`;
}

function escapeOctet(code: number): string {
  return ESCAPE[code] === BACKSLASH ? `\\${String.fromCharCode(code)}` : decimalEscape(code);
}

/** One label (a byte string) in presentation form. */
export function escapeLabel(label: string): string {
  for (let i = 0; i < label.length; i += 1) {
    if (ESCAPE[label.charCodeAt(i)] !== AS_IS) return escapeFrom(label, i);
  }
  return label;
}

function escapeFrom(label: string, first: number): string {
  let out = label.slice(0, first);
  for (let i = first; i < label.length; i += 1) {
    const code = label.charCodeAt(i);
    out += ESCAPE[code] === AS_IS ? label[i]! : escapeOctet(code);
  }
  return out;
}

/**
 * The label at `buf[start..end)` in presentation form. One pass over the
 * octets; only a label that needs an escape is built octet by octet.
 */
/** Whether the octets of a label show as they are in presentation form (no escape needed). */
export function isPlainLabel(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) if (ESCAPE[buf[i]!] !== AS_IS) return false;
  return true;
}

export function labelText(buf: Buffer, start: number, end: number): string {
  for (let i = start; i < end; i += 1) {
    if (ESCAPE[buf[i]!] !== AS_IS) return escapeFrom(buf.toString('latin1', start, end), i - start);
  }
  return buf.toString('latin1', start, end);
}

/** Labels read from presentation text, or why the text is not a name. */
export type LabelsResult = Result<{ readonly labels: readonly string[]; readonly absolute: boolean }>;

/** The escape at a backslash: the octet it stands for and where the text goes on, or what is wrong with it. */
export type EscapeResult = Result<{ readonly char: string; readonly next: number }>;

/**
 * Read the RFC 1035 §5.1 escape whose backslash is at `text[at]`: `\DDD` is
 * the octet of that decimal value (at most 255), `\X` the character X.
 * Errors name the escape only; callers add where it stood.
 */
export function readEscape(text: string, at: number): EscapeResult {
  const digits = /^\d{3}/.exec(text.slice(at + 1, at + 4));
  if (digits !== null) {
    const value = Number(digits[0]);
    return value > 255 ? { ok: false, error: `escape \\${digits[0]} is above 255` } : { ok: true, value: { char: String.fromCharCode(value), next: at + 4 } };
  }
  if (/^\d/.test(text.slice(at + 1, at + 2))) return { ok: false, error: 'an escape starting with a digit needs three decimal digits (\\DDD)' };
  if (at + 1 >= text.length) return { ok: false, error: 'a lone backslash ends the text' };
  return { ok: true, value: { char: text[at + 1]!, next: at + 2 } };
}

/**
 * The labels of a name in presentation form (RFC 1035 §5.1): `\X` is a
 * literal X, `\DDD` the octet with that decimal value, an unescaped dot ends
 * a label. `absolute` when the text ends with an unescaped dot; `.` is the
 * root. `text` is a byte string: a char above 0xff is an error.
 */
export function parseLabels(text: string): LabelsResult {
  if (text === '.') return { ok: true, value: { labels: [], absolute: true } };
  if (text === '') return { ok: false, error: 'empty domain name' };
  const labels: string[] = [];
  let label = '';
  let absolute = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (ch === '\\') {
      const escape = readEscape(text, i);
      if (!escape.ok) return { ok: false, error: `${escape.error} in '${text}'` };
      label += escape.value.char;
      i = escape.value.next - 1;
    } else if (ch === '.') {
      if (label === '') return { ok: false, error: `empty label in '${text}'` };
      labels.push(label);
      label = '';
      if (i === text.length - 1) absolute = true;
    } else {
      const code = ch.charCodeAt(0);
      if (code > 0xff) return { ok: false, error: `'${text}' has a character outside one octet` };
      label += ch;
    }
  }
  if (!absolute) labels.push(label);
  for (const l of labels) {
    if (l.length > MAX_LABEL) {
      return { ok: false, error: `label '${escapeLabel(l).slice(0, 20)}…' is ${l.length} octets, more than ${MAX_LABEL} (RFC 1035 §2.3.4)` };
    }
  }
  return { ok: true, value: { labels, absolute } };
}

/** Octets the name takes on the wire, uncompressed. */
export function wireLength(labels: readonly string[]): number {
  let length = 1;
  for (const label of labels) length += label.length + 1;
  return length;
}

/** The labels in uncompressed wire form (RFC 1035 §3.1). */
export function labelsToWire(labels: readonly string[]): Buffer {
  const out = Buffer.alloc(wireLength(labels));
  let offset = 0;
  for (const label of labels) {
    out[offset] = label.length;
    out.write(label, offset + 1, 'latin1');
    offset += label.length + 1;
  }
  out[offset] = 0;
  return out;
}

/** A name's wire form, or why the text is not a name. */
export type WireResult = Result<Buffer>;

/**
 * The uncompressed wire form of a name given as presentation text, taken as
 * absolute whether or not it ends with a dot. A character outside ASCII,
 * which presentation form never holds, stands for its UTF-8 octets (what a
 * plain string encoder would send).
 */
export function textToWire(text: string): WireResult {
  // eslint-disable-next-line no-control-regex
  const bytes = /[^\x00-\x7f]/.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text;
  const parsed = parseLabels(bytes);
  if (!parsed.ok) return parsed;
  const length = wireLength(parsed.value.labels);
  if (length > MAX_NAME) return { ok: false, error: `name '${text}' is ${length} octets on the wire, more than ${MAX_NAME} (RFC 1035 §2.3.4)` };
  return { ok: true, value: labelsToWire(parsed.value.labels) };
}

/**
 * True when two names in presentation text are the same name: the same
 * octets, ASCII letters compared case-insensitively and no other octet
 * (RFC 4343 §3), trailing dots ignored. Different spellings of one name
 * (`a\046b` and `a\.b`) are equal; a text that is no name equals only itself.
 */
export function sameName(a: string, b: string): boolean {
  // The same text (the usual case: a response echoes the question's name).
  if (a === b) return true;
  // The empty text is no name, and not the root.
  if (nameKey(a) === nameKey(b) && (a === '') === (b === '')) return true;
  const wa = textToWire(a);
  const wb = textToWire(b);
  if (!wa.ok || !wb.ok || wa.value.length !== wb.value.length) return false;
  for (let i = 0; i < wa.value.length; i += 1) {
    // Length octets are at most 63, below 'A' (65), so folding leaves them alone.
    if (foldOctet(wa.value[i]!) !== foldOctet(wb.value[i]!)) return false;
  }
  return true;
}

/**
 * ASCII A-Z to a-z and no other character: in DNS only ASCII letters are
 * case-insensitive (RFC 4343 §3). A label as a byte string keeps its octets
 * 0x80-0xff (`À` is not `à`); pure ASCII, as presentation form always is,
 * takes the native path, and a name already in lower case comes back as is.
 */
export function foldCase(text: string): string {
  let upper = false;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
    if (code >= 0x41 && code <= 0x5a) upper = true;
  }
  return upper ? text.toLowerCase() : text;
}

/**
 * The form names compare in: ASCII case folded ({@link foldCase}), no
 * trailing dot, the root as '.'. Use it for every map key and equality test
 * of DNS names. An escaped dot at the end (`a\.`) is part of the label and
 * stays.
 */
export function nameKey(name: string): string {
  const folded = foldCase(name);
  if (folded === '' || folded === '.') return '.';
  return withoutTrailingDot(folded);
}

/** Canonical form for display: no trailing dot, root as '.' (case kept). */
export function normaliseName(name: string): string {
  if (name === '' || name === '.') return '.';
  return withoutTrailingDot(name);
}

/** The name in presentation text without its trailing dot; a dot escaped as `\.` is part of the last label and stays. */
export function withoutTrailingDot(name: string): string {
  return name.endsWith('.') && !isEscaped(name, name.length - 1) ? name.slice(0, -1) : name;
}

function foldOctet(octet: number): number {
  return octet >= 0x41 && octet <= 0x5a ? octet + 0x20 : octet;
}

/** True when the char at `index` is escaped: preceded by an odd number of backslashes. */
function isEscaped(text: string, index: number): boolean {
  let backslashes = 0;
  for (let i = index - 1; i >= 0 && text[i] === '\\'; i -= 1) backslashes += 1;
  return backslashes % 2 === 1;
}

/** The index of the first dot at or after `from` that separates labels, or -1. */
function separatorFrom(text: string, from: number): number {
  for (let i = from; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '\\') i += 1;
    else if (ch === '.') return i;
  }
  return -1;
}

/**
 * The labels of a name in presentation text, each still in presentation
 * form (escapes kept): split at the dots that separate labels, not at `\.`.
 */
export function presentationLabels(name: string): string[] {
  const labels: string[] = [];
  let start = 0;
  for (let dot = separatorFrom(name, 0); dot >= 0; dot = separatorFrom(name, start)) {
    labels.push(name.slice(start, dot));
    start = dot + 1;
  }
  labels.push(name.slice(start));
  return labels;
}

/**
 * The parent of a name in presentation text without a trailing dot (its
 * first label dropped); the parent of a single label, and of the root, is `.`.
 */
export function parentName(name: string): string {
  const dot = separatorFrom(name, 0);
  return dot < 0 ? '.' : name.slice(dot + 1);
}

/**
 * True when `name` is `ancestor` or below it; both in the same spelling and
 * case (say, both nameKey forms), without a trailing dot, the root as `.`.
 * `a\.contoso.com` is one label under com, not a name below contoso.com.
 */
export function nameIsAtOrBelow(name: string, ancestor: string): boolean {
  if (ancestor === '.' || name === ancestor) return true;
  const dot = name.length - ancestor.length - 1;
  return dot > 0 && name.endsWith(ancestor) && name[dot] === '.' && !isEscaped(name, dot);
}
