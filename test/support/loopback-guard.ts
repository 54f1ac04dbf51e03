/**
 * Import this module (for its side effect) at the top of a test file and any
 * attempt of that process to send a datagram or open a TCP connection to an
 * address outside 127.0.0.0/8 and ::1 throws at once: a test that would reach
 * the network, or the machine's configured resolver, fails loudly instead.
 *
 * Host names other than `localhost` are refused too: resolving them would
 * itself ask the system resolver. Unix-domain sockets are allowed.
 *
 * Not covered: `node:dns` resolve functions (c-ares sends from native code);
 * fedcheck's own client does not use them.
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';

/** The error thrown for a refused destination. */
export class NonLoopbackError extends Error {
  constructor(what: string, destination: string) {
    super(`loopback guard: ${what} to ${destination} refused; tests may only talk to 127.0.0.0/8 and ::1`);
    this.name = 'NonLoopbackError';
  }
}

const allowed = new net.BlockList();
allowed.addSubnet('127.0.0.0', 8, 'ipv4');
allowed.addAddress('::1', 'ipv6');

/** True for `localhost`, 127.0.0.0/8, ::1 and IPv4-mapped 127.0.0.0/8. */
export function isLoopbackDestination(host: string): boolean {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (h.toLowerCase() === 'localhost') return true;
  const family = net.isIP(h);
  if (family === 4) return allowed.check(h, 'ipv4');
  // BlockList matches IPv4-mapped IPv6 against IPv4 subnets.
  if (family === 6) return allowed.check(h, 'ipv6');
  return false;
}

const installed = Symbol.for('fedcheck.loopbackGuard');

/** Patch dgram and net once per process; importing this module does it. */
export function installLoopbackGuard(): void {
  const registry = globalThis as { [installed]?: boolean };
  if (registry[installed] === true) return;
  registry[installed] = true;

  const originalSend = dgram.Socket.prototype.send;
  const originalUdpConnect = dgram.Socket.prototype.connect;
  const originalTcpConnect = net.Socket.prototype.connect;

  // send(msg[, offset, length][, port][, address][, callback]); without an
  // address an unconnected socket sends to localhost, a connected one to
  // its peer (checked in connect below).
  dgram.Socket.prototype.send = function guardedSend(this: dgram.Socket, ...args: unknown[]): void {
    const address = typeof args[1] === 'number' && typeof args[2] === 'number' ? args[4] : args[2];
    if (typeof address === 'string' && !isLoopbackDestination(address)) {
      throw new NonLoopbackError('UDP datagram', address);
    }
    // The overloads cannot be re-spread type-safely; the arguments are passed on untouched.
    (originalSend as (...a: unknown[]) => void).apply(this, args);
  } as typeof dgram.Socket.prototype.send;

  dgram.Socket.prototype.connect = function guardedUdpConnect(this: dgram.Socket, ...args: unknown[]): void {
    const address = typeof args[1] === 'string' ? args[1] : 'localhost';
    if (!isLoopbackDestination(address)) throw new NonLoopbackError('UDP connect', address);
    (originalUdpConnect as (...a: unknown[]) => void).apply(this, args);
  } as typeof dgram.Socket.prototype.connect;

  net.Socket.prototype.connect = function guardedTcpConnect(this: net.Socket, ...args: unknown[]): net.Socket {
    const destination = tcpDestination(args);
    if (destination !== undefined && !isLoopbackDestination(destination)) {
      throw new NonLoopbackError('TCP connection', destination);
    }
    return (originalTcpConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
}

/** The host a `Socket.connect` call would reach, or undefined for a Unix-domain path. */
function tcpDestination(args: readonly unknown[]): string | undefined {
  // net.connect() passes its already normalised [options, callback] array.
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: unknown; path?: unknown };
    if (typeof options.path === 'string') return undefined;
    return typeof options.host === 'string' ? options.host : 'localhost';
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined; // connect(path)
  return typeof args[1] === 'string' ? args[1] : 'localhost';
}

installLoopbackGuard();
