/**
 * IP addresses as text: the one parser (text → octets) and the one printer
 * (octets → text) of the project, shared by the zone engine (A, AAAA, APL,
 * SVCB hints in master files), the lookups (addresses from DNS) and the input
 * (addresses an operator writes).
 *
 * Strict on purpose: IPv4 is a dotted quad of decimal numbers without leading
 * zeros ("010" is octal to some tools and decimal to others); IPv6 is RFC 4291
 * §2.2 text with an optional dotted IPv4 tail, and no zone index (a DNS record
 * never carries one).
 */

const IPV4_OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4_STRICT = new RegExp(`^(?:${IPV4_OCTET}\\.){3}${IPV4_OCTET}$`);
const IPV6_CHARS = /^[0-9a-fA-F:.]+$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Dotted quad to 4 octets, or undefined. */
export function ipv4Octets(text: string): Buffer | undefined {
  return IPV4_STRICT.test(text) ? Buffer.from(text.split('.').map(Number)) : undefined;
}

/** The 16-bit groups of one side of `::`, or undefined. */
function ipv6Groups(part: string): number[] | undefined {
  if (part === '') return [];
  const out: number[] = [];
  const pieces = part.split(':');
  for (let i = 0; i < pieces.length; i += 1) {
    const piece = pieces[i]!;
    if (i === pieces.length - 1 && piece.includes('.')) {
      const tail = ipv4Octets(piece);
      if (tail === undefined) return undefined;
      out.push((tail[0]! << 8) | tail[1]!, (tail[2]! << 8) | tail[3]!);
    } else {
      if (!IPV6_GROUP.test(piece)) return undefined;
      out.push(parseInt(piece, 16));
    }
  }
  return out;
}

/** Text IPv6 (RFC 4291 §2.2, with an optional dotted IPv4 tail) to 16 octets, or undefined. */
export function ipv6Octets(text: string): Buffer | undefined {
  if (!IPV6_CHARS.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = ipv6Groups(halves[0]!);
  const tail = halves.length === 2 ? ipv6Groups(halves[1]!) : [];
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

/** How {@link ipv6Text} writes an IPv4-mapped address. */
export interface Ipv6TextOptions {
  /**
   * `dotted` (the default) as `::ffff:192.0.2.1` (RFC 5952 §5, as BIND and
   * named-checkzone print it); `hex` as `::ffff:c000:201`, the WHATWG URL
   * serialiser's form that reports have always used for addresses from DNS.
   */
  readonly mapped?: 'dotted' | 'hex';
}

/**
 * RFC 5952 §4: lower case, no leading zeros, the first longest run of two or
 * more zero groups as `::`; IPv4-mapped addresses as `options.mapped` says.
 */
export function ipv6Text(bytes: Uint8Array, options: Ipv6TextOptions = {}): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  if (options.mapped !== 'hex' && groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${[...bytes.subarray(12, 16)].join('.')}`;
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

/** 4 or 6 for an address in text, 0 for anything else (the strict forms above). */
export function ipFamily(text: string): 0 | 4 | 6 {
  return ipv4Octets(text) !== undefined ? 4 : ipv6Octets(text) !== undefined ? 6 : 0;
}

/**
 * One text form per address, so that an address written by an operator and
 * one decoded from DNS compare equal: IPv4 as dotted quad, IPv6 compressed and
 * lower case (RFC 5952 §4, IPv4-mapped in hex). Undefined for anything that is
 * not an IP address (an IPv6 zone index included: a DNS record never carries one).
 */
export function canonicalAddress(text: string): string | undefined {
  const trimmed = text.trim();
  if (ipv4Octets(trimmed) !== undefined) return trimmed;
  const v6 = ipv6Octets(trimmed);
  return v6 === undefined ? undefined : ipv6Text(v6, { mapped: 'hex' });
}

/** 4 or 6 for a canonical address. */
export function addressFamily(address: string): 4 | 6 {
  return address.includes(':') ? 6 : 4;
}

/** Sort addresses IPv4 first, then by text (stable, for messages and reports). */
export function compareAddresses(a: string, b: string): number {
  const fa = addressFamily(a);
  const fb = addressFamily(b);
  if (fa !== fb) return fa - fb;
  return a < b ? -1 : a > b ? 1 : 0;
}
