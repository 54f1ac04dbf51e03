/**
 * What DNS over TLS and DNS over HTTPS share: how a server is authenticated
 * (RFC 8310's strict profile, the only one fedcheck has), what a failed
 * handshake is called, EDNS(0) padding of queries, and the counters.
 */
import { checkServerIdentity, rootCertificates, type ConnectionOptions, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { TlsSettings } from './encrypted-stats.js';
import type { ServerAddress } from './server-address.js';

/**
 * A connection left without queries is closed after this long. Unbound's
 * own `tcp-idle-timeout` is 30 s; ten keep a run's connections open between
 * bursts without holding a resolver's slots for long.
 */
export const IDLE_MS = 10_000;

/** How long a server whose certificate was rejected is not asked again (a certificate does not change in seconds). */
export const AUTH_FAILURE_MS = 30_000;

/** The name (or address) the certificate of `server` must cover. */
export function expectedIdentity(server: ServerAddress): string {
  return server.name ?? server.host;
}

/** Thrown by our identity check, so that the handshake's error names what the certificate covers. */
class IdentityError extends Error {
  readonly code = 'FEDCHECK_CERT_IDENTITY';
}

/**
 * `tls.connect` options that authenticate `server` or fail: the chain must
 * lead to a system root or a `--ca` anchor (`rejectUnauthorized`), and the
 * certificate must cover `server.name`, or, without one, the IP address
 * (RFC 8310 §8: strict privacy; there is no opportunistic fallback). SNI is
 * the name; none for an address (RFC 6066 §3 forbids literals).
 */
export function authenticatedOptions(server: ServerAddress, settings: TlsSettings, alpn?: readonly string[]): ConnectionOptions {
  const expected = expectedIdentity(server);
  return {
    host: server.host,
    port: server.port,
    ...(server.name !== undefined ? { servername: server.name } : {}),
    ...(settings.ca !== undefined && settings.ca.length > 0 ? { ca: [...rootCertificates, ...settings.ca] } : {}),
    rejectUnauthorized: true,
    // RFC 8310 §9 via RFC 7525: TLS 1.2 or later.
    minVersion: 'TLSv1.2',
    ...(alpn !== undefined ? { ALPNProtocols: [...alpn] } : {}),
    checkServerIdentity: (_host: string, cert: PeerCertificate) => {
      // Node asks with the SNI name or the host; the identity that counts is the configured one.
      const failure = checkServerIdentity(expected, cert);
      if (failure === undefined) return undefined;
      return new IdentityError(`certificate for ${coveredNames(cert)} does not cover ${expected}`);
    },
  };
}

/** What a certificate covers, e.g. "dns.example, 192.0.2.1" (its subjectAltName entries, else its CN). */
function coveredNames(cert: PeerCertificate): string {
  const names = (cert.subjectaltname ?? '')
    .split(/,\s*/)
    .map((entry) => entry.replace(/^(?:DNS|IP Address):/, ''))
    .filter((entry) => entry !== '');
  if (names.length > 0) return names.join(', ');
  const cn = cert.subject?.CN;
  return typeof cn === 'string' ? cn : 'no name';
}

/** The certificate the server sent, if the socket still knows it (a destroyed one does not). */
export function peerCertificateOf(socket: TLSSocket | undefined): PeerCertificate | undefined {
  try {
    const cert = socket?.getPeerCertificate() as PeerCertificate | null | undefined;
    return cert !== null && cert !== undefined && Object.keys(cert).length > 0 ? cert : undefined;
  } catch {
    return undefined;
  }
}

/** OpenSSL's verification codes for a chain that leads to no trusted anchor. */
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/** A connection's failure in one sentence; `authentication` when the server's certificate was rejected. */
export interface ConnectionFailure {
  readonly detail: string;
  readonly authentication: boolean;
}

/**
 * Name the failure of a TLS connection: a rejected certificate as what is
 * wrong with it, anything else as the network or protocol error it was.
 * `peer` is the certificate the server sent, when the handshake got that far.
 */
export function describeConnectionError(err: NodeJS.ErrnoException, peer: PeerCertificate | undefined): ConnectionFailure {
  const code = err.code ?? '';
  if (err instanceof IdentityError) return { detail: err.message, authentication: true };
  if (code === 'CERT_HAS_EXPIRED') return { detail: `certificate has expired${peer?.valid_to !== undefined ? ` (${peer.valid_to})` : ''}`, authentication: true };
  if (code === 'CERT_NOT_YET_VALID') return { detail: `certificate is not valid yet${peer?.valid_from !== undefined ? ` (from ${peer.valid_from})` : ''}`, authentication: true };
  if (UNTRUSTED.has(code)) {
    const issuer = peer?.issuer?.CN;
    return { detail: `certificate is not from a trusted CA${typeof issuer === 'string' ? ` (issuer ${issuer})` : ''}: ${code}; add the CA with --ca if it is yours`, authentication: true };
  }
  if (/^(?:CERT_|ERR_TLS_CERT)/.test(code) || code.includes('_CERT_')) return { detail: `certificate rejected: ${err.message}`, authentication: true };
  if (code === 'ECONNREFUSED') return { detail: 'connection refused', authentication: false };
  if (code === 'ECONNRESET') return { detail: 'connection reset by the server', authentication: false };
  if (code.startsWith('ERR_SSL_') || /ssl|tls/i.test(err.message)) return { detail: `TLS handshake failed: ${err.message}`, authentication: false };
  return { detail: `${code !== '' ? `${code}: ` : ''}${err.message}`, authentication: false };
}

/** The EDNS(0) padding option (RFC 7830 §4). */
const PADDING_OPTION = 12;
/** RFC 8467 §4.1: pad queries to a multiple of 128 octets. */
const PADDING_BLOCK = 128;

/**
 * Pad a query to a multiple of 128 octets with the EDNS(0) padding option
 * (RFC 8467 §4.1), so that the length of an encrypted query says less about
 * the name asked. Works on the queries of codec.ts's encodeQuery: one OPT
 * record, last, with no options; anything else is returned unchanged.
 */
export function padQuery(query: Buffer): Buffer {
  const optStart = query.length - 11;
  if (optStart < 12 || query.readUInt16BE(10) !== 1) return query;
  // Root owner, type OPT (41), then class, TTL, and RDLENGTH 0.
  if (query[optStart] !== 0 || query.readUInt16BE(optStart + 1) !== 41 || query.readUInt16BE(optStart + 9) !== 0) return query;
  const padding = (PADDING_BLOCK - ((query.length + 4) % PADDING_BLOCK)) % PADDING_BLOCK;
  const padded = Buffer.alloc(query.length + 4 + padding);
  query.copy(padded);
  padded.writeUInt16BE(4 + padding, optStart + 9);
  padded.writeUInt16BE(PADDING_OPTION, query.length);
  padded.writeUInt16BE(padding, query.length + 2);
  return padded;
}
