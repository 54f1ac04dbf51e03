/**
 * Names inside DNS messages (RFC 1035 §3.1, §4.1.4), for the codec reading
 * responses and the zone responder reading queries: one walk decides whether
 * a name is well formed, and two readers that trust it give the name as
 * presentation text or as octet labels.
 */
import { isPlainLabel, labelText, MAX_NAME } from './name-text.js';

/** The DNS header: no name starts inside it, so no pointer may point into it. */
const HEADER = 12;

/**
 * The offset just after the name at `offset` (after its first compression
 * pointer, if any), or what is wrong with it, worded as a sentence about
 * `what`: labels of at most 63 octets, 255 octets in all, the root label at
 * the end, and pointers only to earlier data outside the header.
 */
export function nameEnd(buf: Uint8Array, offset: number, what = 'name'): number | string {
  let pos = offset;
  let after = -1;
  // A pointer must point before the labels being read, so every jump goes
  // strictly backwards and a loop is impossible (dns-packet checks the same).
  let segmentStart = offset;
  let octets = 0;
  for (;;) {
    if (pos >= buf.length) return `${what} runs past the end of the message`;
    const len = buf[pos]!;
    if (len === 0) return after === -1 ? pos + 1 : after;
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 2 > buf.length) return `${what}: compression pointer cut off at the end of the message`;
      const target = ((len & 0x3f) << 8) | buf[pos + 1]!;
      if (target >= segmentStart) {
        return `${what}: compression pointer at offset ${pos} to offset ${target} does not point to earlier data (pointer loop)`;
      }
      if (target < HEADER) return `${what}: compression pointer at offset ${pos} points into the header`;
      if (after === -1) after = pos + 2;
      pos = target;
      segmentStart = target;
      continue;
    }
    // 0x40 and 0x80 are the extended label types, obsolete (RFC 6891 §5).
    if (kind !== 0) return `${what}: label length byte 0x${len.toString(16)} (a label over 63 octets, or an unsupported label type)`;
    if (pos + 1 + len > buf.length) return `${what}: label runs past the end of the message`;
    octets += len + 1;
    // +1 for the root label that ends the name.
    if (octets + 1 > MAX_NAME) return `${what} is longer than ${MAX_NAME} octets`;
    pos += len + 1;
  }
}

/**
 * A name {@link nameEnd} accepted, in presentation form without the trailing
 * dot, the root as `.`. Only for checked names: every pointer goes backwards,
 * so this ends; the step bound is a second guard.
 */
export function readNameText(buf: Buffer, offset: number): string {
  return readPlainName(buf, offset) ?? readEscapedName(buf, offset);
}

/** Room for the longest name in presentation form without escapes: 255 octets. */
const scratch = Buffer.allocUnsafe(MAX_NAME);

/**
 * The common case of {@link readNameText}: every label plain. The labels are
 * copied with dots between them into one scratch buffer and read out as one
 * string (one allocation, and a flat string, where joining labels makes a
 * string per label and a chain of concatenations); undefined when a label
 * needs an escape.
 */
function readPlainName(buf: Buffer, offset: number): string | undefined {
  let pos = offset;
  let length = 0;
  for (let steps = 0; steps < 256; steps += 1) {
    const len = buf[pos]!;
    if (len === 0) return length === 0 ? '.' : scratch.toString('latin1', 0, length);
    if ((len & 0xc0) === 0xc0) {
      pos = ((len & 0x3f) << 8) | buf[pos + 1]!;
      continue;
    }
    if (!isPlainLabel(buf, pos + 1, pos + 1 + len)) return undefined;
    if (length > 0) scratch[length++] = 0x2e;
    // Labels are short: a loop beats Buffer#copy's call into the runtime.
    for (let i = pos + 1; i <= pos + len; i += 1) scratch[length++] = buf[i]!;
    pos += len + 1;
  }
  throw new Error('name with too many labels or pointers');
}

function readEscapedName(buf: Buffer, offset: number): string {
  let pos = offset;
  let name = '';
  for (let steps = 0; steps < 256; steps += 1) {
    const len = buf[pos]!;
    if (len === 0) return name === '' ? '.' : name;
    if ((len & 0xc0) === 0xc0) {
      pos = ((len & 0x3f) << 8) | buf[pos + 1]!;
      continue;
    }
    const label = labelText(buf, pos + 1, pos + 1 + len);
    name = name === '' ? label : `${name}.${label}`;
    pos += len + 1;
  }
  throw new Error('name with too many labels or pointers');
}

/** A name {@link nameEnd} accepted, as octet labels (byte strings), leftmost first; the root is `[]`. */
export function readNameLabels(buf: Buffer, offset: number): string[] {
  const labels: string[] = [];
  let pos = offset;
  for (let steps = 0; steps < 256; steps += 1) {
    const len = buf[pos]!;
    if (len === 0) return labels;
    if ((len & 0xc0) === 0xc0) {
      pos = ((len & 0x3f) << 8) | buf[pos + 1]!;
      continue;
    }
    labels.push(buf.toString('latin1', pos + 1, pos + 1 + len));
    pos += len + 1;
  }
  throw new Error('name with too many labels or pointers');
}
