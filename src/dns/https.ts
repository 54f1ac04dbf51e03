import { connect as http2Connect, constants, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import { STATUS_CODES } from 'node:http';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { decodeMessage, encodeQuery, EDNS_PAYLOAD, type Question } from './codec.js';
import { mismatchReason, newIgnoredCounters, type ExchangeOptions, type ExchangeResult, type IgnoredCounters, type Transport } from './exchange.js';
import { DOH_PORT, type ServerAddress } from './server-address.js';
import {
  AUTH_FAILURE_MS,
  authenticatedOptions,
  describeConnectionError,
  IDLE_MS,
  padQuery,
  peerCertificateOf,
} from './tls-auth.js';
import { newEncryptedStats, type EncryptedStats, type TlsSettings } from './encrypted-stats.js';

/** A DNS message is at most 65,535 octets (RFC 8484 §6 keeps that limit): a longer body is not one. */
const MAX_BODY = 65_535;
/** RFC 8484 §6: the media type of both the query and the answer. */
const DNS_MESSAGE = 'application/dns-message';

interface Session {
  readonly http2: ClientHttp2Session;
  readonly key: string;
  /** Streams open on it. */
  streams: number;
  /** Authenticated and HTTP/2 agreed: a stream failing now is not the handshake's fault. */
  established: boolean;
  /** Why the session ended, when it did with an error (a rejected certificate, a reset). */
  failure: string | undefined;
  closed: boolean;
  idle: NodeJS.Timeout | undefined;
}

const sessionKey = (server: ServerAddress): string => `${server.host} ${server.port} ${server.name ?? ''}`;

/**
 * DNS over HTTPS (RFC 8484) with Node's `http2`: one authenticated HTTP/2
 * session per server (RFC 8310 strict profile, see tls-auth.ts), reused for
 * every query as its own stream, closed after an idle time. Each query is a
 * POST of `application/dns-message` with DNS ID 0 (RFC 8484 §4.1: the
 * stream, not the ID, pairs question and answer); the answer is taken only
 * with status 200, the DNS media type, a body of at most 65,535 octets, and
 * the question repeated (RFC 5452 §9.1). Other status codes are network
 * failures naming the status. A stream cut by the session's end (GOAWAY, a
 * closed connection) after it was established is sent once more on a new
 * session, within its timeout.
 */
export class HttpsTransport implements Transport {
  readonly ignored: IgnoredCounters = newIgnoredCounters();
  readonly stats: EncryptedStats = newEncryptedStats();
  private readonly sessions = new Map<string, Session>();
  private readonly rejected = new Map<string, { readonly detail: string; readonly until: number }>();
  /** Streams in flight, to end on close(). */
  private readonly inFlight = new Set<() => void>();
  private closed = false;

  constructor(private readonly settings: TlsSettings = {}) {}

  exchange(server: ServerAddress, question: Question, options: ExchangeOptions): Promise<ExchangeResult> {
    if (this.closed) return Promise.resolve({ kind: 'network', detail: 'transport closed' });
    const query = encodeQuery(0, question, { ednsPayload: options.edns ? EDNS_PAYLOAD : undefined, recursionDesired: options.recursionDesired });
    const body = options.edns ? padQuery(query) : query;
    return new Promise<ExchangeResult>((resolve) => {
      let done = false;
      let current: ClientHttp2Stream | undefined;
      const finish = (result: ExchangeResult): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.inFlight.delete(abort);
        current?.close(constants.NGHTTP2_CANCEL);
        resolve(result);
      };
      const abort = (): void => finish({ kind: 'network', detail: 'transport closed' });
      this.inFlight.add(abort);
      const timer = setTimeout(() => finish({ kind: 'timeout', detail: `no answer over HTTPS within ${options.timeoutMs} ms` }), options.timeoutMs);
      const send = (resent: boolean): void => {
        const rejection = this.rejected.get(sessionKey(server));
        if (rejection !== undefined && rejection.until > performance.now()) {
          finish({ kind: 'network', detail: rejection.detail });
          return;
        }
        const session = this.session(server);
        this.stats.queries += 1;
        session.streams += 1;
        if (session.idle !== undefined) {
          clearTimeout(session.idle);
          session.idle = undefined;
          session.http2.ref();
        }
        let stream: ClientHttp2Stream;
        try {
          stream = session.http2.request({
            [constants.HTTP2_HEADER_METHOD]: 'POST',
            [constants.HTTP2_HEADER_PATH]: server.path ?? '/dns-query',
            [constants.HTTP2_HEADER_CONTENT_TYPE]: DNS_MESSAGE,
            [constants.HTTP2_HEADER_ACCEPT]: DNS_MESSAGE,
            [constants.HTTP2_HEADER_CONTENT_LENGTH]: String(body.length),
          });
        } catch (err) {
          // The session is closing or destroyed: a new one next time.
          this.drop(session);
          this.streamEnded(session);
          if (!resent && !done) send(true);
          else finish({ kind: 'network', detail: `HTTP/2 request failed: ${(err as Error).message}` });
          return;
        }
        current = stream;
        let status: number | undefined;
        let problem: ExchangeResult | undefined;
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('response', (headers: IncomingHttpHeaders) => {
          status = Number(headers[constants.HTTP2_HEADER_STATUS]);
          const type = String(headers[constants.HTTP2_HEADER_CONTENT_TYPE] ?? '').split(';')[0]!.trim().toLowerCase();
          const length = Number(headers[constants.HTTP2_HEADER_CONTENT_LENGTH] ?? 0);
          if (status !== 200) problem = { kind: 'network', detail: `HTTP status ${status}${STATUS_CODES[status] !== undefined ? ` (${STATUS_CODES[status]})` : ''}` };
          else if (type !== DNS_MESSAGE) problem = { kind: 'malformed', detail: `HTTP response is ${type === '' ? 'without a content type' : type}, not ${DNS_MESSAGE}` };
          else if (length > MAX_BODY) problem = { kind: 'malformed', detail: `HTTP response body of ${length} octets, more than a DNS message can be` };
          if (problem !== undefined) finish(problem);
        });
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) finish({ kind: 'malformed', detail: `HTTP response body over ${MAX_BODY} octets, more than a DNS message can be` });
          else chunks.push(chunk);
        });
        stream.on('end', () => {
          if (status === undefined) return; // 'close' says why
          const bytes = Buffer.concat(chunks);
          const decoded = decodeMessage(bytes);
          if (!decoded.ok) {
            this.ignored.malformed += 1;
            finish({ kind: 'malformed', detail: `malformed response over HTTPS: ${decoded.error}` });
            return;
          }
          // One stream, one answer: a mismatch cannot be waited out as over UDP.
          const mismatch = mismatchReason(decoded.value, 0, question);
          if (mismatch !== undefined) {
            this.ignored.mismatched += 1;
            finish({ kind: 'malformed', detail: `HTTPS response did not match the query: ${mismatch}` });
            return;
          }
          finish({ kind: 'message', message: decoded.value, size: bytes.length });
        });
        stream.on('error', () => undefined); // 'close' follows and says what happened
        stream.on('close', () => {
          this.streamEnded(session);
          if (done) return;
          const established = session.established;
          const cut = stream.rstCode === constants.NGHTTP2_REFUSED_STREAM || session.closed;
          if (status === undefined && established && cut && !resent) {
            // The session went away under the stream (GOAWAY, an idle close racing the request).
            send(true);
            return;
          }
          const fail = (): void => {
            const why = session.failure ?? (stream.rstCode !== constants.NGHTTP2_NO_ERROR ? `HTTP/2 stream reset (code ${stream.rstCode})` : 'HTTPS connection closed before an answer');
            finish({ kind: 'network', detail: why });
          };
          // A failed handshake closes the streams before the session's 'error' names the cause.
          if (!established && session.failure === undefined) setImmediate(fail);
          else fail();
        });
        stream.end(body);
      };
      send(false);
    });
  }

  /** Close every session; queries in flight end as network failures. */
  close(): void {
    this.closed = true;
    for (const abort of [...this.inFlight]) abort();
    for (const session of [...this.sessions.values()]) {
      session.closed = true;
      if (session.idle !== undefined) clearTimeout(session.idle);
      session.http2.destroy();
    }
    this.sessions.clear();
  }

  private session(server: ServerAddress): Session {
    const key = sessionKey(server);
    const existing = this.sessions.get(key);
    if (existing !== undefined && !existing.closed) return existing;
    this.stats.connections += 1;
    const name = server.name ?? (server.family === 6 ? `[${server.host}]` : server.host);
    const authority = `https://${name}${server.port === DOH_PORT ? '' : `:${server.port}`}`;
    let socket: TLSSocket | undefined;
    const http2 = http2Connect(authority, {
      // No settings the server could use to make us hold more than a few answers.
      maxSessionMemory: 4,
      maxHeaderListPairs: 64,
      settings: { enablePush: false },
      createConnection: () => {
        socket = tlsConnect(authenticatedOptions(server, this.settings, ['h2']));
        return socket;
      },
    });
    const session: Session = { http2, key, streams: 0, established: false, failure: undefined, closed: false, idle: undefined };
    this.sessions.set(key, session);
    socket?.once('secureConnect', () => {
      if (socket?.alpnProtocol !== 'h2') {
        session.failure = `the server did not agree to HTTP/2 (ALPN ${socket?.alpnProtocol === false || socket?.alpnProtocol === undefined ? 'none' : socket.alpnProtocol})`;
        http2.destroy();
        return;
      }
      this.stats.handshakes += 1;
      session.established = true;
    });
    http2.on('error', (err: NodeJS.ErrnoException) => {
      const failure = describeConnectionError(err, peerCertificateOf(socket));
      session.failure ??= failure.detail;
      if (failure.authentication) this.rejected.set(key, { detail: failure.detail, until: performance.now() + AUTH_FAILURE_MS });
      this.drop(session);
    });
    http2.on('goaway', () => this.drop(session));
    http2.on('close', () => this.drop(session));
    return session;
  }

  /** No new streams on `session`: out of the pool (its streams in flight finish or fail on their own). */
  private drop(session: Session): void {
    session.closed = true;
    if (session.idle !== undefined) clearTimeout(session.idle);
    if (this.sessions.get(session.key) === session) this.sessions.delete(session.key);
  }

  private streamEnded(session: Session): void {
    session.streams -= 1;
    if (session.streams > 0) return;
    if (session.closed) {
      if (!session.http2.destroyed) session.http2.close();
      return;
    }
    if (!session.established) {
      // Every query gave up before the handshake ended: stop waiting for it.
      this.drop(session);
      session.http2.destroy();
      return;
    }
    session.idle = setTimeout(() => {
      this.drop(session);
      session.http2.close();
    }, this.settings.idleMs ?? IDLE_MS);
    session.idle.unref();
    session.http2.unref();
  }
}
