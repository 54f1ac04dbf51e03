import { isIP } from 'node:net';

/**
 * One text form per address, so that an address written by an operator and
 * one decoded from DNS compare equal: IPv4 as dotted quad, IPv6 compressed and
 * lower case (the WHATWG URL serialiser, RFC 5952 §4 style). Undefined for
 * anything that is not an IP address (an IPv6 zone index included: a DNS
 * record never carries one).
 */
export function canonicalAddress(text: string): string | undefined {
  const trimmed = text.trim();
  const family = isIP(trimmed);
  if (family === 4) return trimmed;
  if (family !== 6 || trimmed.includes('%')) return undefined;
  try {
    return new URL(`http://[${trimmed}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
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
