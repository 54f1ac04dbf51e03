/**
 * TLS servers for the probe's tests, all on loopback high ports: `openssl
 * s_server` (the SIP/TLS edge: any certificate, any chain, TLS 1.0 only),
 * Prosody (XMPP s2s with STARTTLS and XEP-0368 direct TLS, its own data
 * directory, no other network), and an in-process scripted server for the
 * misbehaviour no real server produces.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { ensurePackages, freePort, newDir } from './real-servers.js';

/** A server process or socket of these tests. */
export interface TlsTestServer {
  readonly host: string;
  readonly port: number;
  log(): string;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
let hooked = false;
function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const c of children) c.kill('SIGKILL');
    });
  }
}

/** Resolve once `host:port` accepts TCP, or reject after `ms`. */
async function waitForPort(host: string, port: number, ms: number, child: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) before listening on ${host}:${port}:\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s: Socket = connect({ host, port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on ${host}:${port} after ${ms} ms:\n${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function spawnServer(command: string, args: readonly string[], dir: string, host: string, port: number): Promise<TlsTestServer> {
  const logFile = join(dir, 'output.log');
  let output = '';
  // stdin stays an open pipe: s_server reads it and would act on its end.
  const child = spawn(command, args, { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()).length > 65536 && (output = output.slice(-32768)));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()).length > 65536 && (output = output.slice(-32768)));
  child.unref();
  track(child);
  const log = (): string => {
    let own = '';
    try {
      own = readFileSync(logFile, 'utf8');
    } catch {
      // no log file of its own
    }
    return `${output}${own}`;
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return waitForPort(host, port, 15_000, child, log).then(
    () => ({ host, port, log, stop }),
    async (err: unknown) => {
      await stop();
      throw err;
    },
  );
}

/** `openssl s_server` options for one edge. */
export interface SServerOptions {
  readonly cert: string;
  readonly key: string;
  /** Certificates sent after the leaf. */
  readonly chain?: string;
  /** Extra arguments, e.g. `-tls1 -cipher DEFAULT@SECLEVEL=0`. */
  readonly extra?: readonly string[];
  readonly host?: string;
  /** The port (default: a free one). */
  readonly port?: number;
}

/** Start `openssl s_server` on a free loopback port. */
export async function startSServer(options: SServerOptions): Promise<TlsTestServer> {
  ensurePackages(['openssl']);
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const dir = newDir('s_server');
  const args = ['s_server', '-accept', `${host.includes(':') ? `[${host}]` : host}:${port}`, '-cert', options.cert, '-key', options.key, '-quiet', '-no_dhe', ...(options.chain !== undefined ? ['-cert_chain', options.chain] : []), ...(options.extra ?? [])];
  return spawnServer('openssl', args, dir, host, port);
}

/** A Prosody virtual host and its certificate. */
export interface ProsodyHost {
  readonly domain: string;
  readonly cert: string;
  readonly key: string;
}

/** A running Prosody: s2s (STARTTLS) and s2s direct TLS ports. */
export interface RunningProsody extends TlsTestServer {
  readonly directTlsPort: number;
}

/**
 * Start Prosody with the given virtual hosts on `host`: s2s on one free
 * port, XEP-0368 direct TLS on another (with `directTls`'s certificate),
 * c2s on a third, nothing else (no HTTP, no components, no admin socket),
 * its data, pid and log in a fresh temporary directory.
 */
export async function startProsody(options: { readonly host?: string; readonly hosts: readonly ProsodyHost[]; readonly directTls: { readonly cert: string; readonly key: string } }): Promise<RunningProsody> {
  ensurePackages(['prosody']);
  const host = options.host ?? '127.0.0.1';
  const [s2s, direct, c2s] = [await freePort(host), await freePort(host), await freePort(host)];
  const dir = newDir('prosody');
  mkdirSync(join(dir, 'data'));
  const lua = (s: string): string => JSON.stringify(s);
  const config = [
    'run_as_root = true',
    `pidfile = ${lua(join(dir, 'prosody.pid'))}`,
    `data_path = ${lua(join(dir, 'data'))}`,
    'plugin_paths = {}',
    `log = { info = ${lua(join(dir, 'output.log'))} }`,
    `interfaces = { ${lua(host)} }`,
    `local_interfaces = { ${lua(host)} }`,
    `c2s_ports = { ${c2s} }`,
    'c2s_direct_tls_ports = {}',
    'legacy_ssl_ports = {}',
    `s2s_ports = { ${s2s} }`,
    `s2s_direct_tls_ports = { ${direct} }`,
    `s2s_direct_tls_ssl = { certificate = ${lua(options.directTls.cert)}, key = ${lua(options.directTls.key)} }`,
    'http_ports = {}',
    'https_ports = {}',
    'component_ports = {}',
    // Only what s2s needs; no admin socket, no daemonising, no outgoing anything.
    'modules_enabled = { "tls", "dialback", "disco" }',
    'modules_disabled = { "admin_shell", "posix", "c2s_direct_tls" }',
    's2s_secure_auth = false',
    'use_dane = false',
    '',
    ...options.hosts.flatMap((h) => [`VirtualHost ${lua(h.domain)}`, `  ssl = { certificate = ${lua(h.cert)}, key = ${lua(h.key)} }`]),
    '',
  ].join('\n');
  const file = join(dir, 'prosody.cfg.lua');
  writeFileSync(file, config);
  const server = await spawnServer('prosody', ['--config', file, '-F'], dir, host, s2s);
  await waitForPort(host, direct, 15_000, { exitCode: null } as ChildProcess, server.log);
  return { ...server, directTlsPort: direct };
}

/** What the scripted server does with a connection. */
export type Misbehaviour =
  /** Accept and never send a byte. */
  | 'silent'
  /** One byte of an XMPP stream header every 100 ms. */
  | 'trickle'
  /** An SSH banner and noise instead of TLS. */
  | 'garbage'
  /** A stream header that never ends (16 kB every few ms). */
  | 'endless-header'
  /** A stream, then megabytes of XML that never offer TLS. */
  | 'huge-xml'
  /** Stream features without `<starttls/>`. */
  | 'no-starttls'
  /** `<starttls/>` offered, then `<failure/>`. */
  | 'failure'
  /** A `host-unknown` stream error at once. */
  | 'host-unknown';

const HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' from='x.test' id='1' version='1.0'>";

/** An in-process server that misbehaves on every connection, on a free loopback port. */
export async function startScripted(behaviour: Misbehaviour, host = '127.0.0.1', fixedPort?: number): Promise<TlsTestServer & { readonly bytesSent: () => number }> {
  const port = fixedPort ?? (await freePort(host));
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let sent = 0;
  const write = (s: Socket, data: string | Buffer): void => {
    if (s.destroyed) return;
    sent += data.length;
    s.write(data);
  };
  const every = (s: Socket, ms: number, fn: () => boolean): void => {
    const t = setInterval(() => {
      if (s.destroyed || !fn()) {
        clearInterval(t);
        timers.delete(t);
      }
    }, ms);
    timers.add(t);
  };
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    switch (behaviour) {
      case 'silent':
        break;
      case 'trickle': {
        let i = 0;
        every(s, 100, () => {
          write(s, HEADER[i % HEADER.length]!);
          i += 1;
          return true;
        });
        break;
      }
      case 'garbage':
        write(s, 'SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n');
        write(s, Buffer.alloc(512, 0x5a));
        break;
      case 'endless-header': {
        write(s, "<stream:stream xmlns='jabber:server' ");
        const chunk = `${'a'.repeat(16 * 1024)} `;
        every(s, 2, () => {
          if (s.writableLength < 1 << 20) write(s, chunk);
          return true;
        });
        break;
      }
      case 'huge-xml': {
        write(s, HEADER);
        const chunk = `<message><body>${'x'.repeat(64 * 1024)}</body></message>`;
        every(s, 2, () => {
          if (s.writableLength < 1 << 20) write(s, chunk);
          return sent < 64 * 1024 * 1024;
        });
        break;
      }
      case 'no-starttls':
        s.once('data', () => write(s, `${HEADER}<stream:features><dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback></stream:features>`));
        break;
      case 'failure':
        s.once('data', () => {
          write(s, `${HEADER}<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>`);
          s.once('data', () => write(s, "<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:stream>"));
        });
        break;
      case 'host-unknown':
        s.once('data', () => write(s, `${HEADER}<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>`));
        break;
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    host,
    port,
    log: () => `${behaviour}: ${sent} bytes sent`,
    bytesSent: () => sent,
    stop: async () => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
