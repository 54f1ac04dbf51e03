/**
 * The encrypted transports of one DNS client, made when first needed: DNS
 * over TLS for `tls://` servers, DNS over HTTPS for `https://` ones.
 */
import type { Question } from './codec.js';
import { addIgnoredCounters, newIgnoredCounters, type ExchangeOptions, type ExchangeResult, type IgnoredCounters } from './exchange.js';
import { addEncryptedStats, newEncryptedStats, type EncryptedStats, type TlsSettings } from './encrypted-stats.js';
import type { HttpsTransport } from './https.js';
import type { ServerAddress } from './server-address.js';
import type { TlsTransport } from './tls.js';

export type { EncryptedStats, TlsSettings } from './encrypted-stats.js';

/** Counters of both encrypted transports. */
export interface EncryptedCounters {
  readonly tls: EncryptedStats;
  readonly https: EncryptedStats;
}

export class EncryptedTransports {
  private tls: TlsTransport | undefined;
  private https: HttpsTransport | undefined;
  // Loaded on first use: node:tls and node:http2 are a tenth of the start-up of a plain DNS run.
  private tlsLoaded: Promise<TlsTransport> | undefined;
  private httpsLoaded: Promise<HttpsTransport> | undefined;
  private closed = false;

  constructor(private readonly settings: TlsSettings = {}) {}

  /** Send one question to a `tls://` or `https://` server (a server without a scheme is a caller's bug). */
  async exchange(server: ServerAddress, question: Question, options: ExchangeOptions): Promise<ExchangeResult> {
    if (server.scheme === undefined) throw new Error('EncryptedTransports: a plain DNS server');
    if (server.scheme === 'tls') {
      this.tlsLoaded ??= import('./tls.js').then(({ TlsTransport: Transport }) => this.opened((this.tls = new Transport(this.settings))));
      return (this.tls ?? (await this.tlsLoaded)).exchange(server, question, options);
    }
    this.httpsLoaded ??= import('./https.js').then(({ HttpsTransport: Transport }) => this.opened((this.https = new Transport(this.settings))));
    return (this.https ?? (await this.httpsLoaded)).exchange(server, question, options);
  }

  /** A transport loaded after close() is closed at once (its exchange then fails as on any closed transport). */
  private opened<T extends { close(): void }>(transport: T): T {
    if (this.closed) transport.close();
    return transport;
  }

  get stats(): EncryptedCounters {
    return { tls: this.tls?.stats ?? newEncryptedStats(), https: this.https?.stats ?? newEncryptedStats() };
  }

  get ignored(): IgnoredCounters {
    const sum = newIgnoredCounters();
    if (this.tls !== undefined) addIgnoredCounters(sum, this.tls.ignored);
    if (this.https !== undefined) addIgnoredCounters(sum, this.https.ignored);
    return sum;
  }

  close(): void {
    this.closed = true;
    this.tls?.close();
    this.https?.close();
  }
}

/** The encrypted transports' counters of several clients added up. */
export function sumEncryptedStats(clients: Iterable<{ readonly encryptedStats: EncryptedCounters }>): EncryptedCounters {
  const sum = { tls: newEncryptedStats(), https: newEncryptedStats() };
  for (const client of clients) {
    addEncryptedStats(sum.tls, client.encryptedStats.tls);
    addEncryptedStats(sum.https, client.encryptedStats.https);
  }
  return sum;
}
