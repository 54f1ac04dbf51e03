import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { canonicalAddress } from './ip-text.js';
import type { Result } from '../result.js';

/** A DNS server to send queries to. */
export interface ServerAddress {
  /** The IP address to connect to (never a name: resolving the resolver would need a resolver). */
  readonly host: string;
  readonly port: number;
  readonly family: 4 | 6;
  /**
   * How to reach it: absent for plain DNS (UDP, TCP on truncation); `tls` for
   * DNS over TLS (RFC 7858), `https` for DNS over HTTPS (RFC 8484).
   */
  readonly scheme?: 'tls' | 'https';
  /**
   * With a scheme: the name the server's certificate must carry (RFC 8310
   * §8.1's authentication domain name), also sent as SNI. Absent: the
   * certificate must cover `host`, the IP address itself. There is no
   * unauthenticated mode.
   */
  readonly name?: string;
  /** With `https`: the path (and query) of the DoH endpoint, e.g. `/dns-query`. */
  readonly path?: string;
}

/** The default port of DNS over TLS (RFC 7858 §3.1). */
export const DOT_PORT = 853;
/** The default port of DNS over HTTPS (RFC 8484 §1: HTTPS). */
export const DOH_PORT = 443;


/**
 * Parse `IPv4`, `IPv4:port`, `IPv6`, `[IPv6]` or `[IPv6]:port`. Host names are
 * not accepted: resolving the resolver would need a resolver.
 */
export function parseServerAddress(text: string, defaultPort = 53): Result<ServerAddress> {
  const input = text.trim();
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(input);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2];
    if (isIP(host) !== 6) return { ok: false, error: `'${text}' is not an IPv6 address in brackets` };
  } else if (input.indexOf(':') !== input.lastIndexOf(':') && isIP(input) === 6) {
    // Only a text with two colons or more can be a bare IPv6 address; asking Node's IPv6 check
    // of every IPv4 address with a port would cost a run the compilation of its large pattern.
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

/**
 * A resolver given by the user: a plain address ({@link parseServerAddress}),
 * `tls://ADDR[:port][#name]` (DNS over TLS, port 853 by default) or
 * `https://HOST[:port]/path[#ADDR]` (DNS over HTTPS). Names are never
 * resolved: a tls:// server is an address, its `#name` only what its
 * certificate must say; an https:// URL naming a host by name must give the
 * address to connect to after `#`. What {@link formatServer} prints parses
 * back to the same server.
 */
export function parseResolver(text: string): Result<ServerAddress> {
  const input = text.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(input)?.[1]?.toLowerCase();
  if (scheme === undefined) return parseServerAddress(input);
  if (scheme === 'tls') return parseTls(input.slice('tls://'.length), text);
  if (scheme === 'https') return parseHttps(input, text);
  return { ok: false, error: `${JSON.stringify(text)}: unknown scheme ${scheme}:// (give an address, tls://ADDR[:853][#name] or https://HOST[:port]/dns-query)` };
}

function parseTls(rest: string, text: string): Result<ServerAddress> {
  const hash = rest.indexOf('#');
  const addressText = hash < 0 ? rest : rest.slice(0, hash);
  const address = parseServerAddress(addressText, DOT_PORT);
  if (!address.ok) return { ok: false, error: `${JSON.stringify(text)}: tls:// takes an IP address (optionally :port), then #name: ${address.error}` };
  if (hash < 0) return { ok: true, value: { ...address.value, scheme: 'tls' } };
  const name = certificateName(rest.slice(hash + 1));
  if (!name.ok) return { ok: false, error: `${JSON.stringify(text)}: ${name.error}` };
  return { ok: true, value: { ...address.value, scheme: 'tls', name: name.value } };
}

function parseHttps(input: string, text: string): Result<ServerAddress> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, error: `${JSON.stringify(text)} is not a URL (https://HOST[:port]/dns-query)` };
  }
  if (url.username !== '' || url.password !== '') return { ok: false, error: `${JSON.stringify(text)}: no user or password in a DoH URL` };
  if (url.pathname === '/' && url.search === '') return { ok: false, error: `${JSON.stringify(text)} has no path: a DoH server answers at one, usually /dns-query` };
  // RFC 8484 §4.1 URI templates ({?dns}) are for GET; POST needs the path alone.
  if (/%7B|%7D/i.test(url.pathname)) return { ok: false, error: `${JSON.stringify(text)}: give the path without a URI template ({?dns}): fedcheck uses POST` };
  const port = url.port === '' ? DOH_PORT : Number(url.port);
  const path = `${url.pathname}${url.search}`;
  // The URL standard brackets IPv6 hosts.
  const urlHost = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const fragment = url.hash.slice(1);
  if (isIP(urlHost) !== 0) {
    if (url.hash !== '') return { ok: false, error: `${JSON.stringify(text)}: the URL gives the address already; #ADDR is only for a URL that names its host` };
    return { ok: true, value: { host: urlHost, port, family: isIP(urlHost) === 6 ? 6 : 4, scheme: 'https', path } };
  }
  const address = fragment.startsWith('[') && fragment.endsWith(']') ? fragment.slice(1, -1) : fragment;
  if (isIP(address) === 0) {
    return {
      ok: false,
      error: fragment === ''
        ? `${JSON.stringify(text)} names its host: fedcheck does not resolve resolver names; add the address to connect to, e.g. ${url.origin}${path}#192.0.2.1`
        : `${JSON.stringify(text)}: after # comes the IP address to connect to, not ${JSON.stringify(fragment)}`,
    };
  }
  const name = certificateName(urlHost);
  if (!name.ok) return { ok: false, error: `${JSON.stringify(text)}: ${name.error}` };
  return { ok: true, value: { host: address, port, family: isIP(address) === 6 ? 6 : 4, scheme: 'https', name: name.value, path } };
}

/** A host name a certificate can carry: A-labels, LDH, lower case, no trailing dot (RFC 6125 §6.2). */
function certificateName(text: string): Result<string> {
  const trimmed = text.endsWith('.') ? text.slice(0, -1) : text;
  if (trimmed === '') return { ok: false, error: 'empty name after #' };
  if (isIP(trimmed) !== 0) return { ok: false, error: `${JSON.stringify(text)} is an address: leave out #name to authenticate the address itself` };
  if (/[\u0000-\u0020\u007f-\u009f]/.test(trimmed)) return { ok: false, error: `the name ${JSON.stringify(text)} contains spaces or control characters` };
  const ascii = domainToASCII(trimmed);
  const labels = ascii.split('.');
  if (ascii === '' || ascii.length > 253 || labels.some((label) => !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label))) {
    return { ok: false, error: `${JSON.stringify(text)} is not a host name` };
  }
  return { ok: true, value: ascii };
}

/**
 * One unambiguous label per server, as reports and `--compare` name it:
 * `192.0.2.1:53`, `[2001:db8::1]:53`, `tls://192.0.2.1:853#dns.example`,
 * `https://dns.example/dns-query#192.0.2.1`, `https://192.0.2.1:8443/dns-query`.
 */
export function formatServer(server: ServerAddress): string {
  const hostPort = server.family === 6 ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
  if (server.scheme === 'tls') return `tls://${hostPort}${server.name !== undefined ? `#${server.name}` : ''}`;
  if (server.scheme === 'https') {
    const port = server.port === DOH_PORT ? '' : `:${server.port}`;
    const path = server.path ?? '/dns-query';
    if (server.name !== undefined) return `https://${server.name}${port}${path}#${server.host}`;
    return `https://${server.family === 6 ? `[${server.host}]` : server.host}${port}${path}`;
  }
  return hostPort;
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
