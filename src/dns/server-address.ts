import { isIP } from 'node:net';
import { canonicalAddress } from './ip-text.js';

/** A DNS server to send queries to. */
export interface ServerAddress {
  readonly host: string;
  readonly port: number;
  readonly family: 4 | 6;
}

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/**
 * Parse `IPv4`, `IPv4:port`, `IPv6`, `[IPv6]` or `[IPv6]:port`. Host names are
 * not accepted: resolving the resolver would need a resolver.
 */
export function parseServerAddress(text: string, defaultPort = 53): ParseResult<ServerAddress> {
  const input = text.trim();
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(input);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2];
    if (isIP(host) !== 6) return { ok: false, error: `'${text}' is not an IPv6 address in brackets` };
  } else if (isIP(input) === 6) {
    host = input;
  } else {
    const colon = input.lastIndexOf(':');
    if (colon >= 0) {
      host = input.slice(0, colon);
      portText = input.slice(colon + 1);
    } else {
      host = input;
    }
    if (isIP(host) !== 4) return { ok: false, error: `'${text}' is not an IPv4 or IPv6 address (optionally with :port)` };
  }
  let port = defaultPort;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      return { ok: false, error: `'${text}' has a bad port (1-65535)` };
    }
    port = Number(portText);
  }
  // Strip an IPv6 zone index only for display; keep it for sending.
  return { ok: true, value: { host, port, family: isIP(host) === 6 ? 6 : 4 } };
}

/** `192.0.2.1:53` or `[2001:db8::1]:53`. */
export function formatServer(server: ServerAddress): string {
  return server.family === 6 ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

/** True for 127.0.0.0/8 and ::1 (and IPv4-mapped loopback). */
export function isLoopback(host: string): boolean {
  if (isIP(host) === 4) return host.startsWith('127.');
  const lower = host.toLowerCase();
  return lower === '::1' || lower === '0:0:0:0:0:0:0:1' || lower.startsWith('::ffff:127.');
}

/** Compare two textual addresses for the same host (IPv6 forms and IPv4-mapped IPv6 normalised). */
export function sameHost(a: string, b: string): boolean {
  if (a === b) return true;
  return canonicalHost(a) === canonicalHost(b);
}

function canonicalHost(host: string): string {
  const h = host.toLowerCase();
  // A dual-stack socket reports an IPv4 peer as ::ffff:a.b.c.d.
  const unmapped = h.startsWith('::ffff:') && isIP(h.slice(7)) === 4 ? h.slice(7) : h;
  return canonicalAddress(unmapped) ?? unmapped;
}
