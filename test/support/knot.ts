/**
 * Knot DNS (`knotd`, Debian package knot) as a second authoritative server
 * implementation for integration tests, started like NSD in
 * real-servers.ts: in the foreground, everything in a fresh temporary
 * directory, loopback only, killed on `stop()` or when this process exits.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { absolute, formatAddress, launch, newDir, requireLoopback, serverAddress, type RunningServer, type ZoneSpec } from './real-servers.js';

/** Options of {@link startKnot}. */
export interface KnotOptions {
  readonly zones: readonly ZoneSpec[];
  /** A loopback address (127.0.0.0/8 or ::1). */
  readonly address: string;
  readonly port: number;
  /** Also listen on ::1 at the same port. */
  readonly ipv6?: boolean;
}

/**
 * Start knotd authoritative for `zones` on `address@port`. Zone files are
 * loaded whole (`zonefile-load: whole`), never written back, with no
 * journal, so the served data is exactly the fixture. Ready when it answers
 * the first zone's SOA.
 */
export async function startKnot(options: KnotOptions): Promise<RunningServer> {
  const first = options.zones[0];
  if (first === undefined) throw new Error('startKnot: no zones');
  requireLoopback(options.address, 'startKnot address');
  const dir = newDir('knot');
  const at = (host: string): string => `${host}@${options.port}`;
  const listen = [at(options.address), ...(options.ipv6 === true ? [at('::1')] : [])];
  const lines = [
    'server:',
    `    rundir: "${dir}"`,
    `    listen: [ ${listen.join(', ')} ]`,
    '    identity: "fedcheck-test-knot"',
    '    version: ""',
    // Several listeners on one address: no SO_REUSEPORT sharing with anything else.
    '    udp-workers: 1',
    '    tcp-workers: 1',
    '    background-workers: 1',
    'control:',
    `    listen: "${join(dir, 'knot.sock')}"`,
    'database:',
    `    storage: "${dir}"`,
    'log:',
    '  - target: stderr',
    '    any: info',
    'template:',
    '  - id: default',
    `    storage: "${dir}"`,
    '    zonefile-sync: -1',
    '    zonefile-load: whole',
    '    journal-content: none',
    '    semantic-checks: on',
    'zone:',
    ...options.zones.flatMap((zone) => [`  - domain: "${absolute(zone.name)}"`, `    file: "${resolve(zone.file)}"`]),
    '',
  ];
  const config = join(dir, 'knot.conf');
  writeFileSync(config, lines.join('\n'));
  const server = serverAddress(formatAddress(options.address, options.port));
  return launch({
    name: 'knotd',
    command: '/usr/sbin/knotd',
    args: ['-c', config],
    dir,
    logFiles: [],
    server,
    address6: options.ipv6 === true ? `[::1]:${options.port}` : undefined,
    probe: { name: absolute(first.name), type: 'SOA', recursionDesired: false },
    readyTimeoutMs: 10_000,
  });
}
