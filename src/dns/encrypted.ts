/**
 * The encrypted transports of one DNS client, made when first needed: DNS
 * over TLS for `tls://` servers, DNS over HTTPS for `https://` ones.
 */
import type { Question } from './codec.js';
import { addIgnoredCounters, newIgnoredCounters, type ExchangeOptions, type ExchangeResult, type IgnoredCounters } from './exchange.js';
import { HttpsTransport } from './https.js';
import type { ServerAddress } from './server-address.js';
import { TlsTransport } from './tls.js';
import { addEncryptedStats, newEncryptedStats, type EncryptedStats, type TlsSettings } from './tls-auth.js';

export type { EncryptedStats, TlsSettings } from './tls-auth.js';

/** Counters of both encrypted transports. */
export interface EncryptedCounters {
  readonly tls: EncryptedStats;
  readonly https: EncryptedStats;
}

export class EncryptedTransports {
  private tls: TlsTransport | undefined;
  private https: HttpsTransport | undefined;

  constructor(private readonly settings: TlsSettings = {}) {}

  /** Send one question to a `tls://` or `https://` server (a server without a scheme is a caller's bug). */
  exchange(server: ServerAddress, question: Question, options: ExchangeOptions): Promise<ExchangeResult> {
    if (server.scheme === undefined) throw new Error('EncryptedTransports: a plain DNS server');
    if (server.scheme === 'tls') return (this.tls ??= new TlsTransport(this.settings)).exchange(server, question, options);
    return (this.https ??= new HttpsTransport(this.settings)).exchange(server, question, options);
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
