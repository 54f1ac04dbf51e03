import { normaliseName, type DnsMessage, type Question } from './codec.js';
import { sameName } from './name-text.js';
import type { RttEstimator } from './rtt.js';
import type { ServerAddress } from './server-address.js';

/** What one exchange with one server over one transport produced. */
export type ExchangeResult =
  | {
      readonly kind: 'message';
      readonly message: DnsMessage;
      readonly size: number;
      /** Round trip of the datagram answered (UDP), for the retransmission timeout. */
      readonly rttMs?: number | undefined;
      /** Datagrams sent for this exchange, retransmissions included (UDP); 1 when absent. */
      readonly datagrams?: number;
    }
  | { readonly kind: 'timeout'; readonly detail: string; readonly datagrams?: number }
  | { readonly kind: 'malformed'; readonly detail: string; readonly datagrams?: number }
  | { readonly kind: 'network'; readonly detail: string; readonly datagrams?: number };

/** Counters of datagrams and messages that were not taken as an answer. */
export interface IgnoredCounters {
  /** Datagrams from another address or port than the server asked. */
  wrongSource: number;
  /** Datagrams whose ID matches no query in flight. */
  unknownId: number;
  /** Messages with the right ID but QR clear or another question. */
  mismatched: number;
  /** Datagrams that could not be decoded. */
  malformed: number;
}

export function newIgnoredCounters(): IgnoredCounters {
  return { wrongSource: 0, unknownId: 0, mismatched: 0, malformed: 0 };
}

/** Add `more` into `into`, counter by counter. */
export function addIgnoredCounters(into: IgnoredCounters, more: IgnoredCounters): void {
  into.wrongSource += more.wrongSource;
  into.unknownId += more.unknownId;
  into.mismatched += more.mismatched;
  into.malformed += more.malformed;
}

/** Why a decoded message does not answer `question`, or undefined when it does (RFC 5452 §9.1). */
export function mismatchReason(message: DnsMessage, id: number, question: Question): string | undefined {
  if (message.id !== id) return `ID ${message.id} instead of ${id}`;
  if (!message.qr) return 'QR flag clear (not a response)';
  // A FORMERR/NOTIMP reply may legitimately carry no question section.
  if (message.questions.length === 0 && (message.rcode === 'FORMERR' || message.rcode === 'NOTIMP')) return undefined;
  if (message.questions.length !== 1) return `${message.questions.length} questions instead of 1`;
  const q = message.questions[0]!;
  // The same octets, ASCII case aside (RFC 4343 §3), however the asked name spells its escapes.
  if (!sameName(q.name, question.name)) return `question name ${q.name} instead of ${normaliseName(question.name)}`;
  if (q.type !== question.type) return `question type ${q.type} instead of ${question.type}`;
  if (q.class !== 'IN') return `question class ${q.class} instead of IN`;
  return undefined;
}

/** One transport: send one question to one server, get one message or a failure. */
export interface Transport {
  exchange(server: ServerAddress, question: Question, options: ExchangeOptions): Promise<ExchangeResult>;
  close(): void;
}

export interface ExchangeOptions {
  /** The whole exchange ends after this long without an answer. */
  readonly timeoutMs: number;
  /**
   * UDP: the server's round-trip estimator. The question is sent again when it
   * is not answered within the estimator's retransmission timeout, and again
   * after twice as long each time, until `timeoutMs`; every answer's round
   * trip goes into it. Undefined: one datagram.
   */
  readonly rtt?: RttEstimator;
  readonly edns: boolean;
  readonly recursionDesired: boolean;
}
