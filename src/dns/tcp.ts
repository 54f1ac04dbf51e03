import { connect } from 'node:net';
import { decodeMessage, encodeQuery, EDNS_PAYLOAD, type Question } from './codec.js';
import { mismatchReason, newIgnoredCounters, type ExchangeOptions, type ExchangeResult, type IgnoredCounters, type Transport } from './exchange.js';
import { randomId } from './random.js';
import type { ServerAddress } from './server-address.js';

/**
 * TCP transport: one connection per exchange, 2-byte length framing (RFC 7766 §8).
 * The whole exchange, connect included, is bounded by the timeout.
 */
export class TcpTransport implements Transport {
  readonly ignored: IgnoredCounters = newIgnoredCounters();

  exchange(server: ServerAddress, question: Question, options: ExchangeOptions): Promise<ExchangeResult> {
    const id = randomId();
    const query = encodeQuery(id, question, {
      ednsPayload: options.edns ? EDNS_PAYLOAD : undefined,
      recursionDesired: options.recursionDesired,
    });
    const framed = Buffer.alloc(query.length + 2);
    framed.writeUInt16BE(query.length, 0);
    query.copy(framed, 2);

    return new Promise<ExchangeResult>((resolve) => {
      let done = false;
      let buffered: Buffer = Buffer.alloc(0);
      let lastProblem: string | undefined;
      const socket = connect({ host: server.host, port: server.port, family: server.family });
      const finish = (result: ExchangeResult): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.destroy();
        resolve(result);
      };
      const timer = setTimeout(() => {
        finish(lastProblem !== undefined
          ? { kind: 'malformed', detail: lastProblem }
          : { kind: 'timeout', detail: `no answer over TCP within ${options.timeoutMs} ms` });
      }, options.timeoutMs);
      socket.setNoDelay(true);
      socket.on('connect', () => socket.write(framed));
      socket.on('error', (err: NodeJS.ErrnoException) => {
        finish({ kind: 'network', detail: `TCP ${err.code ?? 'error'}: ${err.message}` });
      });
      socket.on('close', () => {
        finish(lastProblem !== undefined
          ? { kind: 'malformed', detail: lastProblem }
          : { kind: 'network', detail: 'TCP connection closed before an answer' });
      });
      socket.on('data', (chunk: Buffer) => {
        // No cap on `buffered` here: one read may hold the end of one message and
        // a whole next one (more than 64 kB together). The framing below consumes
        // every complete message, so what stays buffered is always less than one
        // message (the 2-byte length prefix caps that at 65,537 bytes, RFC 1035
        // §4.2.2), and the timeout bounds the stream.
        buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
        // A server may send several messages on one connection; read each whole one.
        while (buffered.length >= 2) {
          const length = buffered.readUInt16BE(0);
          if (buffered.length < length + 2) return;
          const message = buffered.subarray(2, length + 2);
          buffered = buffered.subarray(length + 2);
          const decoded = decodeMessage(message);
          if (!decoded.ok) {
            this.ignored.malformed += 1;
            lastProblem = `malformed response over TCP: ${decoded.error}`;
            continue;
          }
          const mismatch = mismatchReason(decoded.value, id, question);
          if (mismatch !== undefined) {
            this.ignored.mismatched += 1;
            lastProblem = `TCP response did not match the query: ${mismatch}`;
            continue;
          }
          finish({ kind: 'message', message: decoded.value, size: length });
          return;
        }
      });
    });
  }

  close(): void {
    // Connections are per exchange and closed when it ends.
  }
}
