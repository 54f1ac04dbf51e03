/**
 * One probe of one endpoint: TCP connect, the XMPP stream when it has one,
 * the TLS handshake; the whole bounded by one deadline. If the normal
 * handshake (Node's defaults: TLS 1.2 or later) fails, a second connection
 * tries TLS 1.0 at OpenSSL security level 0, to learn whether the server
 * offers only old versions. Every network fault is an outcome, never a throw.
 */
import { X509Certificate } from 'node:crypto';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import { summarise, verifyChain, type TrustStore } from './certificate.js';
import type { ProbeFailure, ProbeOutcome, ProbeTarget, StarttlsNegotiation, TlsOutcome } from './types.js';
import { negotiateStarttls } from './xmpp.js';

/** How probes run. */
export interface ProbeSettings {
  /** The whole probe of one address (every connection it makes) ends by then. */
  readonly timeoutMs: number;
  readonly store: TrustStore;
  /** The time certificates are judged at (default: now). */
  readonly now?: () => Date;
}

/** Errors of connect() that mean this host cannot send there at all: no evidence about the endpoint. */
const NO_ROUTE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EPROTONOSUPPORT']);

/** A deadline: `aborted` once it passes; `track(socket)` destroys the socket then. */
class Deadline {
  aborted = false;
  private readonly sockets = new Set<Socket>();
  private readonly timer: NodeJS.Timeout;

  constructor(ms: number) {
    this.timer = setTimeout(() => {
      this.aborted = true;
      for (const s of this.sockets) s.destroy();
    }, ms);
  }

  track(socket: Socket): void {
    this.sockets.add(socket);
    if (this.aborted) socket.destroy();
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

const errorCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

function connectTcp(target: ProbeTarget, deadline: Deadline): Promise<Socket | ProbeFailure> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: target.address, port: target.port, noDelay: true });
    deadline.track(socket);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      socket.removeAllListeners('close');
      // A reset later is seen by the stream or TLS code through 'close'/'error' of their own;
      // this keeps an error in between from being an uncaught exception.
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.once('error', (err) => {
      const code = errorCode(err);
      // Reasons are about this address (the findings name it): say what happened, not where.
      if (code === 'ECONNREFUSED') resolve({ kind: 'refused', reason: `refused the TCP connection on port ${target.port}` });
      else if (code !== undefined && NO_ROUTE.has(code)) resolve({ kind: 'no-route', reason: `no route from this host (${code})` });
      else resolve({ kind: 'connect-error', reason: `the TCP connection failed (${code ?? err.message})` });
    });
    socket.once('close', () => resolve({ kind: 'timeout', phase: 'connect', reason: 'no TCP connection within the probe timeout' }));
  });
}

/** The certificates as the server sent them, leaf first (Node links them through `issuerCertificate`). */
function peerChain(socket: TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (cert !== undefined && cert.raw !== undefined && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    try {
      chain.push(new X509Certificate(cert.raw));
    } catch {
      break;
    }
    cert = cert.issuerCertificate;
  }
  return chain;
}

interface Handshake {
  readonly version: string;
  readonly cipher: string;
  readonly alpn?: string;
  readonly chain: readonly X509Certificate[];
  readonly endedAfterCertificate?: string;
}

function handshake(socket: Socket, target: ProbeTarget, settings: ProbeSettings, deadline: Deadline, legacy: boolean): Promise<Handshake | ProbeFailure> {
  return new Promise((resolve) => {
    let tlsSocket: TLSSocket;
    try {
      tlsSocket = tlsConnect({
        socket,
        // SNI must be a host name (RFC 6066 §3), never an address.
        ...(isIP(target.serverName) === 0 ? { servername: target.serverName } : {}),
        ...(target.mode === 'xmpps' ? { ALPNProtocols: ['xmpp-server'] } : {}),
        // Trust is judged by verifyChain; the handshake must complete whatever the certificate.
        rejectUnauthorized: false,
        // No anchors for OpenSSL: with one, Node appends the anchor it finds to getPeerCertificate's
        // chain, and the report must show the chain as sent. verifyChain judges it against the store.
        ca: [],
        ...(legacy ? { minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
      });
    } catch (err) {
      socket.destroy();
      resolve({ kind: 'tls-error', reason: `TLS could not start: ${(err as Error).message}` });
      return;
    }
    deadline.track(tlsSocket);
    tlsSocket.once('secureConnect', () => {
      const cipher = tlsSocket.getCipher();
      const result: Handshake = {
        version: tlsSocket.getProtocol() ?? 'unknown',
        cipher: cipher.standardName ?? cipher.name,
        ...(typeof tlsSocket.alpnProtocol === 'string' ? { alpn: tlsSocket.alpnProtocol } : {}),
        chain: peerChain(tlsSocket),
      };
      tlsSocket.removeAllListeners('error');
      tlsSocket.removeAllListeners('close');
      tlsSocket.on('error', () => undefined);
      // A polite close: close_notify, then FIN; whatever the peer does next does not matter.
      tlsSocket.end();
      setTimeout(() => tlsSocket.destroy(), 1000).unref();
      resolve(result);
    });
    tlsSocket.once('error', (err) => {
      // TLS 1.2 mutual TLS (a Lync / Skype for Business edge on 5061): the server sends its certificate,
      // asks for ours, and aborts when none comes. What it sent is still the server's side to judge.
      let chain: X509Certificate[] = [];
      try {
        chain = peerChain(tlsSocket);
      } catch {
        chain = [];
      }
      const version = tlsSocket.getProtocol();
      const cipher = tlsSocket.getCipher() as ReturnType<TLSSocket['getCipher']> | undefined;
      tlsSocket.destroy();
      if (chain.length > 0 && typeof version === 'string' && version !== 'unknown') {
        resolve({ version, cipher: cipher?.standardName ?? cipher?.name ?? 'unknown', chain, endedAfterCertificate: tlsErrorText(err) });
        return;
      }
      resolve({ kind: 'tls-error', reason: `TLS handshake failed: ${tlsErrorText(err)}` });
    });
    tlsSocket.once('close', () => resolve({ kind: 'tls-error', reason: 'the server closed the connection during the TLS handshake' }));
  });
}

/** OpenSSL's reason out of Node's error text ("…:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:…c:1601:SSL alert number 70"). */
export function tlsErrorText(err: Error): string {
  const reason = /SSL routines:[^:]*:([^:]+):/.exec(err.message)?.[1];
  if (reason === undefined) return err.message.trim();
  const alert = /SSL alert number (\d+)/.exec(err.message)?.[1];
  return alert !== undefined ? `${reason} (alert ${alert})` : reason;
}

const isFailure = (value: object): value is ProbeFailure => 'kind' in value;

/** One connection: TCP, the XMPP stream if any, TLS. */
async function attempt(target: ProbeTarget, settings: ProbeSettings, deadline: Deadline, legacy: boolean): Promise<(Handshake & { starttls?: StarttlsNegotiation }) | ProbeFailure> {
  const timeout = (phase: 'connect' | 'stream' | 'tls', starttls?: StarttlsNegotiation): ProbeFailure => ({
    kind: 'timeout',
    phase,
    reason: phase === 'connect' ? `no TCP connection within ${settings.timeoutMs} ms` : `connected, but the ${phase === 'stream' ? 'XMPP stream' : 'TLS handshake'} did not complete within ${settings.timeoutMs} ms`,
    ...(starttls !== undefined ? { starttls } : {}),
  });
  const socket = await connectTcp(target, deadline);
  if (isFailure(socket)) return deadline.aborted ? timeout('connect') : socket;
  let starttls: StarttlsNegotiation | undefined;
  if (target.mode === 'xmpp-starttls') {
    const negotiated = await negotiateStarttls(socket, target.streamTo ?? target.serverName);
    if (deadline.aborted) return timeout('stream');
    if ('kind' in negotiated) return negotiated;
    starttls = negotiated;
  }
  const result = await handshake(socket, target, settings, deadline, legacy);
  if (isFailure(result)) {
    const failure = deadline.aborted ? timeout('tls', starttls) : result;
    return starttls !== undefined ? { ...failure, starttls } : failure;
  }
  return starttls !== undefined ? { ...result, starttls } : result;
}

/** Probe one endpoint. Never rejects. */
export async function probe(target: ProbeTarget, settings: ProbeSettings): Promise<ProbeOutcome> {
  const deadline = new Deadline(settings.timeoutMs);
  try {
    let result = await attempt(target, settings, deadline, false);
    let modernError: string | undefined;
    if (isFailure(result) && result.kind === 'tls-error' && !deadline.aborted) {
      // Maybe the server offers only TLS 1.0 / 1.1, which Node refuses by default.
      const legacy = await attempt(target, settings, deadline, true);
      if (!isFailure(legacy)) {
        modernError = result.reason;
        result = legacy;
      }
    }
    if (isFailure(result)) return result;
    const { trust, path } = verifyChain(result.chain, settings.store, settings.now?.() ?? new Date());
    const outcome: TlsOutcome = {
      kind: 'tls',
      version: result.version,
      cipher: result.cipher,
      ...(result.alpn !== undefined ? { alpn: result.alpn } : {}),
      legacyOnly: modernError !== undefined,
      ...(modernError !== undefined ? { modernError } : {}),
      chain: result.chain.map(summarise),
      path: path.map(summarise),
      trust,
      ...(result.starttls !== undefined ? { starttls: result.starttls } : {}),
      ...(result.endedAfterCertificate !== undefined ? { endedAfterCertificate: result.endedAfterCertificate } : {}),
      der: { chain: result.chain.map((c) => c.raw), path: path.map((c) => c.raw) },
    };
    return outcome;
  } catch (err) {
    // Not a network fault (those are outcomes above): a certificate Node could not parse, say.
    return { kind: 'tls-error', reason: `the probe could not read the server's answer: ${(err as Error).message}` };
  } finally {
    deadline.clear();
  }
}
