/**
 * Domain names as the zone engine holds them: a list of labels, each a byte
 * string (one JavaScript char per octet, as `Buffer#toString('latin1')` gives),
 * so `\DDD` escapes, dots inside labels and non-ASCII octets survive exactly.
 * Presentation form and wire octets come from src/dns/name-text.ts, shared with
 * the codec.
 */
import { escapeLabel, foldCase, labelsToWire, MAX_LABEL, MAX_NAME, parseLabels, wireLength } from '../dns/name-text.js';
import type { Result } from '../result.js';

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

/** The root name. */
export const ROOT: DomainName = makeName([]);

/** Build a name from labels that are already known to be valid. */
export function makeName(labels: readonly string[]): DomainName {
  const folded = labels.map(foldCase);
  const text = labels.length === 0 ? '.' : labels.map(escapeLabel).join('.');
  const key = labels.length === 0 ? '.' : folded.map(escapeLabel).join('.');
  return { labels, folded, text, key };
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
  const escaped = escapeLabel(foldCase(label));
  return parentKey === '.' ? escaped : `${escaped}.${parentKey}`;
}

/** A name or the reason a text is not one. */
export type NameResult = Result<DomainName>;

/**
 * Read a name in master-file presentation form (RFC 1035 §5.1): `@` is the
 * origin, a name without a trailing dot is relative to the origin, `\X` is a
 * literal X and `\DDD` the octet with that decimal value.
 */
export function parseName(text: string, origin: DomainName | undefined): NameResult {
  if (text === '@') {
    return origin === undefined ? { ok: false, error: "'@' used but no origin is known (add $ORIGIN)" } : { ok: true, value: origin };
  }
  const parsed = parseLabels(text);
  if (!parsed.ok) return parsed;
  let labels = parsed.value.labels;
  if (!parsed.value.absolute) {
    if (origin === undefined) return { ok: false, error: `relative name '${text}' but no origin is known (add $ORIGIN)` };
    labels = [...parsed.value.labels, ...origin.labels];
  }
  const length = wireLength(labels);
  if (length > MAX_NAME) return { ok: false, error: `name '${text}' is ${length} octets on the wire, more than ${MAX_NAME} (RFC 1035 §2.3.4)` };
  return { ok: true, value: labels.length === 0 ? ROOT : makeName(labels) };
}

/** The name in uncompressed wire form (RFC 1035 §3.1). */
export function nameToWire(name: DomainName): Buffer {
  return labelsToWire(name.labels);
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
