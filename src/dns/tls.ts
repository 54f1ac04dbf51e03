import { connect, type TLSSocket } from 'node:tls';
import { decodeMessage, encodeQuery, EDNS_PAYLOAD, peekId, type Question } from './codec.js';
import { mismatchReason, newIgnoredCounters, type ExchangeOptions, type ExchangeResult, type IgnoredCounters, type Transport } from './exchange.js';
import { randomId } from './random.js';
import type { ServerAddress } from './server-address.js';
import {
  AUTH_FAILURE_MS,
  authenticatedOptions,
  describeConnectionError,
  IDLE_MS,
  padQuery,
  peerCertificateOf,
} from './tls-auth.js';
import { newEncryptedStats, type EncryptedStats, type TlsSettings } from './encrypted-stats.js';

interface Pending {
  readonly id: number;
  readonly question: Question;
  readonly frame: Buffer;
  readonly resolve: (result: ExchangeResult) => void;
  readonly timer: NodeJS.Timeout;
  readonly timeoutMs: number;
  readonly server: ServerAddress;
  connection: Connection;
  /** Sent again on a new connection once already (after the first closed before answering). */
  resent: boolean;
  /** The last bad message with this query's ID, reported if nothing better comes. */
  lastProblem?: string;
}

interface Connection {
  readonly socket: TLSSocket;
  readonly key: string;
  readonly pending: Map<number, Pending>;
  /** Handshake done and the server authenticated: queries may go. Until then they wait. */
  secure: boolean;
  closed: boolean;
  waiting: Buffer[];
  buffered: Buffer;
  idle: NodeJS.Timeout | undefined;
  corked: boolean;
}

/**
 * Queries in flight on one connection before another is opened. Unbound
 * reads up to its `stream-wait-size` worth of pipelined queries; a few dozen
 * per connection keep every resolver busy without a queue of our own.
 */
const MAX_IN_FLIGHT = 64;
/** Connections per server at most; past that, queries share the least busy one. */
const MAX_CONNECTIONS = 4;

const connectionKey = (server: ServerAddress): string => `${server.host} ${server.port} ${server.name ?? ''}`;

/**
 * DNS over TLS (RFC 7858): long-lived, authenticated connections per server
 * (RFC 8310 strict profile, see tls-auth.ts), two-octet length framing
 * (RFC 7766 §8), many queries pipelined on one connection and their answers
 * taken in any order, matched by ID and question (RFC 7766 §6.2.1.1, RFC
 * 5452 §9.1). No query is written before the server is authenticated. A
 * connection without queries closes after an idle time. A query whose
 * connection closes before its answer (a server's own idle timeout races
 * every reuse, RFC 7766 §6.2.3) is sent once more on a new connection,
 * within its timeout. Reads are bounded: the length prefix caps a message at
 * 65,535 octets, and what is buffered is always less than one message.
 */
export class TlsTransport implements Transport {
  readonly ignored: IgnoredCounters = newIgnoredCounters();
  readonly stats: EncryptedStats = newEncryptedStats();
  private readonly pools = new Map<string, Connection[]>();
  /** Servers whose certificate was rejected, with why and until when. */
  private readonly rejected = new Map<string, { readonly detail: string; readonly until: number }>();
  private closed = false;

  constructor(private readonly settings: TlsSettings = {}) {}

  exchange(server: ServerAddress, question: Question, options: ExchangeOptions): Promise<ExchangeResult> {
    if (this.closed) return Promise.resolve({ kind: 'network', detail: 'transport closed' });
    const rejection = this.rejected.get(connectionKey(server));
    if (rejection !== undefined && rejection.until > performance.now()) return Promise.resolve({ kind: 'network', detail: rejection.detail });
    return new Promise<ExchangeResult>((resolve) => {
      const connection = this.pick(server);
      let id = randomId();
      while (connection.pending.has(id)) id = randomId();
      const query = encodeQuery(id, question, { ednsPayload: options.edns ? EDNS_PAYLOAD : undefined, recursionDesired: options.recursionDesired });
      const message = options.edns ? padQuery(query) : query;
      const frame = Buffer.alloc(message.length + 2);
      frame.writeUInt16BE(message.length, 0);
      message.copy(frame, 2);
      const timer = setTimeout(() => {
        this.finish(entry, entry.lastProblem !== undefined
          ? { kind: 'malformed', detail: entry.lastProblem }
          : { kind: 'timeout', detail: `no answer over TLS within ${options.timeoutMs} ms` });
      }, options.timeoutMs);
      const entry: Pending = { id, question, frame, resolve, timer, timeoutMs: options.timeoutMs, server, connection, resent: false };
      this.enqueue(connection, entry);
    });
  }

  /** Close every connection; queries in flight end as network failures. */
  close(): void {
    this.closed = true;
    for (const list of this.pools.values()) for (const connection of [...list]) this.shut(connection, 'transport closed');
    this.pools.clear();
  }

  private enqueue(connection: Connection, entry: Pending): void {
    entry.connection = connection;
    connection.pending.set(entry.id, entry);
    if (connection.idle !== undefined) {
      clearTimeout(connection.idle);
      connection.idle = undefined;
      connection.socket.ref();
    }
    this.stats.queries += 1;
    if (connection.secure) this.write(connection, entry.frame);
    else connection.waiting.push(entry.frame);
  }

  /** Write now, but let the frames of one turn of the event loop leave in one TLS record (cork until the next tick). */
  private write(connection: Connection, frame: Buffer): void {
    if (!connection.corked) {
      connection.corked = true;
      connection.socket.cork();
      process.nextTick(() => {
        connection.corked = false;
        connection.socket.uncork();
      });
    }
    connection.socket.write(frame);
  }

  private pick(server: ServerAddress): Connection {
    const key = connectionKey(server);
    let list = this.pools.get(key);
    if (list === undefined) {
      list = [];
      this.pools.set(key, list);
    }
    let best: Connection | undefined;
    for (const connection of list) if (best === undefined || connection.pending.size < best.pending.size) best = connection;
    if (best !== undefined && (best.pending.size < MAX_IN_FLIGHT || list.length >= MAX_CONNECTIONS)) return best;
    const connection = this.open(server, key);
    list.push(connection);
    return connection;
  }

  private open(server: ServerAddress, key: string): Connection {
    this.stats.connections += 1;
    const socket = connect(authenticatedOptions(server, this.settings));
    const connection: Connection = { socket, key, pending: new Map(), secure: false, closed: false, waiting: [], buffered: Buffer.alloc(0), idle: undefined, corked: false };
    socket.setNoDelay(true);
    socket.on('secureConnect', () => {
      // Emitted only once the chain and the name were accepted (rejectUnauthorized).
      this.stats.handshakes += 1;
      connection.secure = true;
      const waiting = connection.waiting;
      connection.waiting = [];
      for (const frame of waiting) this.write(connection, frame);
      this.idleIfEmpty(connection);
    });
    socket.on('data', (chunk: Buffer) => this.onData(connection, chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const failure = describeConnectionError(err, peerCertificateOf(socket));
      if (failure.authentication) this.rejected.set(key, { detail: failure.detail, until: performance.now() + AUTH_FAILURE_MS });
      this.lost(connection, failure.detail, !connection.secure);
    });
    socket.on('close', () => this.lost(connection, connection.secure ? 'TLS connection closed by the server before an answer' : 'TLS connection closed during the handshake', !connection.secure));
    return connection;
  }

  private onData(connection: Connection, chunk: Buffer): void {
    connection.buffered = connection.buffered.length === 0 ? chunk : Buffer.concat([connection.buffered, chunk]);
    while (connection.buffered.length >= 2) {
      const length = connection.buffered.readUInt16BE(0);
      if (connection.buffered.length < length + 2) return;
      const bytes = connection.buffered.subarray(2, length + 2);
      connection.buffered = connection.buffered.subarray(length + 2);
      const id = peekId(bytes);
      const entry = id === undefined ? undefined : connection.pending.get(id);
      if (entry === undefined) {
        this.ignored.unknownId += 1;
        continue;
      }
      const decoded = decodeMessage(bytes);
      if (!decoded.ok) {
        this.ignored.malformed += 1;
        entry.lastProblem = `malformed response over TLS: ${decoded.error}`;
        continue;
      }
      const mismatch = mismatchReason(decoded.value, entry.id, entry.question);
      if (mismatch !== undefined) {
        this.ignored.mismatched += 1;
        entry.lastProblem = `TLS response did not match the query: ${mismatch}`;
        continue;
      }
      this.finish(entry, { kind: 'message', message: decoded.value, size: length });
    }
  }

  /**
   * The connection is gone. Queries sent on an authenticated connection go
   * once more on a new one (the server may have closed it as idle just as
   * they left); the others end with `detail`.
   */
  private lost(connection: Connection, detail: string, handshakeFailed: boolean): void {
    if (connection.closed) return;
    connection.closed = true;
    this.unpool(connection);
    if (connection.idle !== undefined) clearTimeout(connection.idle);
    connection.socket.destroy();
    const entries = [...connection.pending.values()];
    connection.pending.clear();
    for (const entry of entries) {
      const next = !handshakeFailed && !entry.resent && !this.closed ? this.pick(entry.server) : undefined;
      // The ID is in the frame already: on the rare connection that has it in use, give up instead.
      if (next !== undefined && !next.pending.has(entry.id)) {
        entry.resent = true;
        this.enqueue(next, entry);
      } else {
        this.settle(entry, entry.lastProblem !== undefined ? { kind: 'malformed', detail: entry.lastProblem } : { kind: 'network', detail });
      }
    }
  }

  private shut(connection: Connection, detail: string): void {
    connection.closed = true;
    if (connection.idle !== undefined) clearTimeout(connection.idle);
    const entries = [...connection.pending.values()];
    connection.pending.clear();
    for (const entry of entries) this.settle(entry, { kind: 'network', detail });
    connection.socket.destroy();
  }

  private unpool(connection: Connection): void {
    const list = this.pools.get(connection.key);
    if (list === undefined) return;
    const index = list.indexOf(connection);
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) this.pools.delete(connection.key);
  }

  private finish(entry: Pending, result: ExchangeResult): void {
    const connection = entry.connection;
    if (connection.pending.get(entry.id) !== entry) return;
    connection.pending.delete(entry.id);
    this.settle(entry, result);
    this.idleIfEmpty(connection);
  }

  /** A connection without queries: closed when still in its handshake, else after the idle time. */
  private idleIfEmpty(connection: Connection): void {
    if (connection.pending.size > 0 || connection.closed || connection.idle !== undefined) return;
    if (!connection.secure) {
      // Every query gave up before the handshake ended (a server that never speaks TLS): stop waiting for it.
      this.unpool(connection);
      connection.closed = true;
      connection.socket.destroy();
      return;
    }
    const idleMs = this.settings.idleMs ?? IDLE_MS;
    connection.idle = setTimeout(() => {
      this.unpool(connection);
      connection.closed = true;
      // A clean close (close_notify, then FIN), as RFC 7766 §6.2.3 asks of the side that ends the connection.
      connection.socket.end();
      connection.socket.destroySoon();
    }, idleMs);
    // An idle connection does not keep the process alive.
    connection.idle.unref();
    connection.socket.unref();
  }

  private settle(entry: Pending, result: ExchangeResult): void {
    clearTimeout(entry.timer);
    entry.resolve(result);
  }
}
