/**
 * The XMPP server-to-server stream up to TLS (RFC 6120 §5.4): open a stream
 * to the domain, read the features, ask for STARTTLS, wait for `<proceed/>`.
 * Parsed with ltx's SAX parser (element by element, nothing kept), and bounded:
 * at most {@link MAX_STREAM_BYTES} before TLS, and the caller's deadline.
 */
import type { Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import SaxLtx from 'ltx/src/parsers/ltx.js';
import type { ProbeFailure, StarttlsNegotiation } from './types.js';
import { xmlReferences } from '../escape.js';

/** More than this before `<proceed/>` is not a server negotiating TLS (a real one sends well under 2 kB). */
export const MAX_STREAM_BYTES = 64 * 1024;

const TLS_NS = 'urn:ietf:params:xml:ns:xmpp-tls';

/** `'` and the other XML specials escaped for an attribute value in single quotes. */
const attr = xmlReferences;

/** The initiating stream header of a server-to-server connection to `domain` (RFC 6120 §4.7, §5.4.2.1). */
export function streamHeader(domain: string): string {
  return `<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' to='${attr(domain)}' version='1.0'>`;
}

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

/**
 * Negotiate STARTTLS on a connected socket. Resolves with the negotiation
 * (the socket is then ready for `tls.connect({ socket })`, no listener left
 * on it) or a failure (the stream is closed politely and the socket ended).
 * Never rejects; the caller's deadline destroys the socket, which resolves
 * as a `timeout` in phase `stream`.
 */
export function negotiateStarttls(socket: Socket, domain: string): Promise<StarttlsNegotiation | ProbeFailure> {
  return new Promise((resolve) => {
    const parser = new SaxLtx();
    const decoder = new StringDecoder('utf8');
    let bytes = 0;
    let depth = 0;
    let done = false;
    // Inside the stream: the current depth-2 element and what was seen in it.
    let top: string | undefined;
    let starttls = false;
    let required = false;
    let condition: string | undefined;
    let offered: StarttlsNegotiation | undefined;

    const cleanup = (): void => {
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
      parser.removeAllListeners();
    };
    const finish = (result: StarttlsNegotiation | ProbeFailure, close: boolean): void => {
      if (done) return;
      done = true;
      cleanup();
      if (close) {
        // Close politely (RFC 6120 §4.4), then let go of the socket.
        socket.on('error', () => undefined);
        if (!socket.destroyed) socket.end('</stream:stream>');
        setTimeout(() => socket.destroy(), 1000).unref();
      }
      resolve(result);
    };
    const fail = (failure: Omit<ProbeFailure, 'starttls'>): void => finish(offered !== undefined ? { ...failure, starttls: offered } : failure, true);

    parser.on('startElement', (name: string, attrs: Record<string, string>) => {
      depth += 1;
      const local = localName(name);
      if (depth === 1) {
        if (local !== 'stream') fail({ kind: 'protocol-error', reason: `the server answered with <${name}>, not an XMPP stream` });
        return;
      }
      if (depth === 2) {
        top = local;
        return;
      }
      if (top === 'features' && depth === 3 && local === 'starttls' && (attrs.xmlns === undefined || attrs.xmlns === TLS_NS)) starttls = true;
      else if (top === 'features' && depth === 4 && starttls && local === 'required') required = true;
      else if (top === 'error' && depth === 3 && condition === undefined && local !== 'text') condition = local;
    });
    parser.on('endElement', () => {
      depth -= 1;
      if (depth === 0) {
        fail({ kind: 'protocol-error', reason: 'the server closed the stream before TLS' });
        return;
      }
      if (depth !== 1 || top === undefined) return;
      const element = top;
      top = undefined;
      if (element === 'features') {
        if (offered !== undefined) return;
        if (!starttls) {
          fail({ kind: 'no-starttls', reason: 'the stream features offer no <starttls/>' });
          return;
        }
        offered = { required };
        socket.write(`<starttls xmlns='${TLS_NS}'/>`);
      } else if (element === 'proceed' && offered !== undefined) {
        finish(offered, false);
      } else if (element === 'failure') {
        fail({ kind: 'starttls-failure', reason: 'the server answered <starttls/> with <failure/>' });
      } else if (element === 'error') {
        const which = condition ?? 'undefined-condition';
        fail({ kind: 'stream-error', condition: which, reason: `the server sent a stream error: ${which}` });
      }
    });

    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > MAX_STREAM_BYTES) {
        fail({ kind: 'protocol-error', reason: `the server sent more than ${MAX_STREAM_BYTES} bytes without offering TLS` });
        return;
      }
      parser.write(decoder.write(chunk));
    };
    const onClose = (): void => fail({ kind: 'protocol-error', reason: offered === undefined ? 'the server closed the connection before its stream features' : 'the server closed the connection after <starttls/>' });
    const onError = (err: Error): void => fail({ kind: 'connect-error', reason: `connection error during the XMPP stream: ${err.message}` });
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', onError);
    socket.write(streamHeader(domain));
  });
}
