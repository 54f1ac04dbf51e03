/**
 * Serve loaded zones on loopback over UDP and TCP on one port, so the normal
 * client pipeline (UDP first, TC → TCP) can run against zone files offline.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIP, type Server, type Socket } from 'node:net';
import { isLoopback, type ServerAddress } from '../dns/server-address.js';
import { answer } from './responder.js';
import type { Zone } from './zone.js';

/** Options of {@link startZoneServer}. */
export interface ZoneServerOptions {
  /** A loopback address; default `127.0.0.1`. */
  readonly host?: string;
  /** Port for both UDP and TCP; 0 (the default) lets the OS choose. */
  readonly port?: number;
  /** Close a TCP connection idle this long (RFC 7766 §6.2.3); default 10 s. */
  readonly idleTimeoutMs?: number;
}

/** Counters of what a zone server received. */
export interface ZoneServerStats {
  udpMessages: number;
  tcpMessages: number;
  tcpConnections: number;
  /** Messages given no answer: shorter than a header, or responses. */
  dropped: number;
  /** Responder faults (bugs); the message is dropped and the server carries on. */
  faults: number;
}

/** A running zone server. */
export interface ZoneServer {
  /** Where it listens, UDP and TCP alike. */
  readonly address: ServerAddress;
  readonly stats: ZoneServerStats;
  /** Stop listening and drop open connections. Safe to call twice. */
  close(): Promise<void>;
}

/** Attempts to find a port free for both UDP and TCP when the OS picks it. */
const PORT_ATTEMPTS = 20;

/**
 * Start answering for `zones` on `host`, UDP and TCP on the same port: UDP is
 * bound first (to port 0 unless a port is given), then TCP on the port UDP
 * got; when that TCP port is taken, both are retried on a new port.
 * Rejects when `host` is not a loopback address (a programmer error) or the
 * ports cannot be bound.
 */
export async function startZoneServer(zones: readonly Zone[], options: ZoneServerOptions = {}): Promise<ZoneServer> {
  const host = options.host ?? '127.0.0.1';
  const family = isIP(host);
  if (family === 0 || !isLoopback(host)) throw new Error(`zone server host must be a loopback address, not '${host}'`);
  const requested = options.port ?? 0;
  const stats: ZoneServerStats = { udpMessages: 0, tcpMessages: 0, tcpConnections: 0, dropped: 0, faults: 0 };
  const respond = (message: Buffer, transport: 'udp' | 'tcp'): Buffer | undefined => {
    try {
      const response = answer(zones, message, { transport });
      if (response === undefined) stats.dropped += 1;
      return response;
    } catch {
      // answer() never throws by design; if a bug makes it, one query is lost, not the server.
      stats.faults += 1;
      return undefined;
    }
  };

  for (let attempt = 1; ; attempt += 1) {
    const udp = await bindUdp(family === 6 ? 'udp6' : 'udp4', host, requested);
    const port = udp.address().port;
    const connections = new Set<Socket>();
    const tcp = createServer((socket) => serveConnection(socket, connections, stats, respond, options.idleTimeoutMs ?? 10_000));
    const listened = await listenTcp(tcp, host, port);
    if (listened !== undefined) {
      await closeUdp(udp);
      if (listened === 'EADDRINUSE' && requested === 0 && attempt < PORT_ATTEMPTS) continue;
      throw new Error(`cannot listen on TCP ${host}:${port}: ${listened}`);
    }
    udp.on('message', (message, remote) => {
      stats.udpMessages += 1;
      const response = respond(message, 'udp');
      // A send failure (the asker went away) concerns that asker only.
      if (response !== undefined) udp.send(response, remote.port, remote.address, () => undefined);
    });
    let closing: Promise<void> | undefined;
    return {
      address: { host, port, family: family === 6 ? 6 : 4 },
      stats,
      close: () => {
        closing ??= (async () => {
          for (const socket of connections) socket.destroy();
          await Promise.all([closeUdp(udp), new Promise<void>((resolve) => tcp.close(() => resolve()))]);
        })();
        return closing;
      },
    };
  }
}

function bindUdp(type: 'udp4' | 'udp6', host: string, port: number): Promise<UdpSocket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type });
    const onError = (err: Error): void => {
      socket.close();
      reject(new Error(`cannot bind UDP ${host}:${port}: ${err.message}`));
    };
    socket.once('error', onError);
    socket.bind(port, host, () => {
      socket.off('error', onError);
      // Errors after binding (ICMP feedback on some platforms) must not crash the process.
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });
}

function closeUdp(socket: UdpSocket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}

/** Listen; resolves undefined on success or the error code. */
function listenTcp(server: Server, host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const onError = (err: NodeJS.ErrnoException): void => resolve(err.code ?? err.message);
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      server.on('error', () => undefined);
      resolve(undefined);
    });
  });
}

/**
 * One TCP connection: 2-octet length framing (RFC 1035 §4.2.2), any number of
 * queries, answered in arrival order as soon as each is complete, so
 * pipelined queries work (RFC 7766 §6.2.1.1).
 */
function serveConnection(
  socket: Socket,
  connections: Set<Socket>,
  stats: ZoneServerStats,
  respond: (message: Buffer, transport: 'udp' | 'tcp') => Buffer | undefined,
  idleTimeoutMs: number,
): void {
  connections.add(socket);
  stats.tcpConnections += 1;
  socket.setNoDelay(true);
  socket.setTimeout(idleTimeoutMs, () => socket.destroy());
  socket.on('error', () => undefined);
  socket.on('close', () => connections.delete(socket));
  let buffered: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    while (buffered.length >= 2) {
      const length = buffered.readUInt16BE(0);
      if (buffered.length < 2 + length) return;
      const message = buffered.subarray(2, 2 + length);
      buffered = buffered.subarray(2 + length);
      stats.tcpMessages += 1;
      const response = respond(message, 'tcp');
      if (response === undefined || socket.destroyed) continue;
      const framed = Buffer.alloc(2 + response.length);
      framed.writeUInt16BE(response.length, 0);
      response.copy(framed, 2);
      socket.write(framed);
    }
  });
}
