/**
 * Domain names as the zone engine holds them: a list of labels, each a byte
 * string (one JavaScript char per octet, as `Buffer#toString('latin1')` gives),
 * so `\DDD` escapes, dots inside labels and non-ASCII octets survive exactly.
 */

/** A fully qualified domain name. */
export interface DomainName {
  /** Labels, leftmost first; the root is `[]`. Each char is one octet (0-255). */
  readonly labels: readonly string[];
  /** Labels with ASCII letters folded to lower case (RFC 4343 §3: only ASCII is case-insensitive). */
  readonly folded: readonly string[];
  /** Presentation form without the trailing dot, escapes as in RFC 1035 §5.1; the root is `.`. */
  readonly text: string;
  /** {@link text} with ASCII folded: equal keys mean the same name. */
  readonly key: string;
}

/** Longest label in octets (RFC 1035 §2.3.4). */
export const MAX_LABEL = 63;
/** Longest name in wire octets, length bytes and the root label included (RFC 1035 §2.3.4). */
export const MAX_NAME = 255;

/** The root name. */
export const ROOT: DomainName = makeName([]);

/** Build a name from labels that are already known to be valid. */
export function makeName(labels: readonly string[]): DomainName {
  const folded = labels.map(foldLabel);
  const text = labels.length === 0 ? '.' : labels.map(escapeLabel).join('.');
  const key = labels.length === 0 ? '.' : folded.map(escapeLabel).join('.');
  return { labels, folded, text, key };
}

/** Lower-case ASCII A-Z only; other octets are compared exactly (RFC 4343 §3). */
export function foldLabel(label: string): string {
  return /[A-Z]/.test(label) ? label.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32)) : label;
}

// Characters that have a meaning in master files and so are escaped when printed.
const SPECIAL = new Set(['.', '\\', '"', '(', ')', ';', '@', '$']);

/** One label in presentation form: specials as `\X`, unprintable octets as `\DDD`. */
export function escapeLabel(label: string): string {
  let out = '';
  for (const ch of label) {
    const code = ch.charCodeAt(0);
    if (code <= 0x20 || code >= 0x7f) out += '\\' + String(code).padStart(3, '0');
    else if (SPECIAL.has(ch)) out += '\\' + ch;
    else out += ch;
  }
  return out;
}

/** Octets the name takes on the wire, uncompressed. */
export function wireLength(labels: readonly string[]): number {
  let length = 1;
  for (const label of labels) length += label.length + 1;
  return length;
}

/** True when `name` is `ancestor` or below it. */
export function isAtOrBelow(name: DomainName, ancestor: DomainName): boolean {
  const offset = name.folded.length - ancestor.folded.length;
  if (offset < 0) return false;
  for (let i = 0; i < ancestor.folded.length; i += 1) {
    if (name.folded[offset + i] !== ancestor.folded[i]) return false;
  }
  return true;
}

/** The lookup key of the name made of the rightmost `count` labels of `name`. */
export function suffixKey(name: DomainName, count: number): string {
  return count === 0 ? '.' : name.folded.slice(name.folded.length - count).map(escapeLabel).join('.');
}

/** The lookup key of `label` prepended to the name whose key is `parentKey`. */
export function childKey(label: string, parentKey: string): string {
  const escaped = escapeLabel(foldLabel(label));
  return parentKey === '.' ? escaped : `${escaped}.${parentKey}`;
}

/** A name or the reason a text is not one. */
export type NameResult = { readonly ok: true; readonly name: DomainName } | { readonly ok: false; readonly error: string };

/**
 * Read a name in master-file presentation form (RFC 1035 §5.1): `@` is the
 * origin, a name without a trailing dot is relative to the origin, `\X` is a
 * literal X and `\DDD` the octet with that decimal value.
 */
export function parseName(text: string, origin: DomainName | undefined): NameResult {
  if (text === '@') {
    return origin === undefined ? { ok: false, error: "'@' used but no origin is known (add $ORIGIN)" } : { ok: true, name: origin };
  }
  if (text === '.') return { ok: true, name: ROOT };
  if (text === '') return { ok: false, error: 'empty domain name' };
  const labels: string[] = [];
  let label = '';
  let absolute = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (ch === '\\') {
      const digits = /^\d{3}/.exec(text.slice(i + 1, i + 4));
      if (digits !== null) {
        const value = Number(digits[0]);
        if (value > 255) return { ok: false, error: `escape \\${digits[0]} in '${text}' is above 255` };
        label += String.fromCharCode(value);
        i += 3;
      } else if (/^\d/.test(text.slice(i + 1, i + 2))) {
        return { ok: false, error: `escape in '${text}' needs three decimal digits (\\DDD)` };
      } else if (i + 1 < text.length) {
        label += text[i + 1]!;
        i += 1;
      } else {
        return { ok: false, error: `'${text}' ends with a lone backslash` };
      }
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
  if (!absolute) {
    if (origin === undefined) return { ok: false, error: `relative name '${text}' but no origin is known (add $ORIGIN)` };
    labels.push(...origin.labels);
  }
  const length = wireLength(labels);
  if (length > MAX_NAME) return { ok: false, error: `name '${text}' is ${length} octets on the wire, more than ${MAX_NAME} (RFC 1035 §2.3.4)` };
  return { ok: true, name: makeName(labels) };
}

/** The name in uncompressed wire form (RFC 1035 §3.1). */
export function nameToWire(name: DomainName): Buffer {
  const out = Buffer.alloc(wireLength(name.labels));
  let offset = 0;
  for (const label of name.labels) {
    out[offset] = label.length;
    out.write(label, offset + 1, 'latin1');
    offset += label.length + 1;
  }
  out[offset] = 0;
  return out;
}

/**
 * Read an uncompressed name at `offset` of stored RDATA, or undefined when the
 * bytes are not one (stored RDATA never holds compression pointers).
 */
export function nameFromWire(buf: Uint8Array, offset: number): { readonly name: DomainName; readonly end: number } | undefined {
  const labels: string[] = [];
  let at = offset;
  for (;;) {
    if (at >= buf.length) return undefined;
    const length = buf[at]!;
    if (length === 0) break;
    if (length > MAX_LABEL || at + 1 + length > buf.length) return undefined;
    labels.push(Buffer.from(buf.subarray(at + 1, at + 1 + length)).toString('latin1'));
    at += 1 + length;
  }
  if (wireLength(labels) > MAX_NAME) return undefined;
  return { name: makeName(labels), end: at + 1 };
}
