/**
 * The settings and counters of the encrypted transports, apart from the
 * transports themselves: a run that asks no `tls://` or `https://` server
 * never loads `node:tls` or `node:http2` (src/dns/encrypted.ts).
 */

/** Settings of the encrypted transports. */
export interface TlsSettings {
  /** Extra trust anchors (PEM certificates), added to the system roots (`--ca`). */
  readonly ca?: readonly string[];
  /** Close a connection after this long without a query in flight (default {@link IDLE_MS}). */
  readonly idleMs?: number;
}

/** Counters of one encrypted transport, for the report's `queries` section. */
export interface EncryptedStats {
  /** DNS messages sent (a query sent again on a new connection counts twice). */
  queries: number;
  /** Connections opened (TCP connects started). */
  connections: number;
  /** TLS handshakes completed and authenticated: connections reuse shows as far fewer of these than queries. */
  handshakes: number;
}

export function newEncryptedStats(): EncryptedStats {
  return { queries: 0, connections: 0, handshakes: 0 };
}

/** Add `more` into `into`. */
export function addEncryptedStats(into: EncryptedStats, more: EncryptedStats): void {
  into.queries += more.queries;
  into.connections += more.connections;
  into.handshakes += more.handshakes;
}

