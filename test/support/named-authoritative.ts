/**
 * BIND 9 `named` as an authoritative server for one or more zone files, the
 * reference the zone responder's answers are compared with. Started like the
 * other servers of real-servers.ts: in the foreground, a fresh temporary
 * directory, loopback only, killed on `stop()` or when this process exits.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { absolute, launch, LOOPBACK4, namedOptionsHead, newDir, serverAddress, startWithRetry, type RunningServer, type ZoneSpec } from './real-servers.js';

/**
 * Start `named` primary for `zones` on 127.0.0.1 (a free port unless one is
 * given). No recursion, no validation, `minimal-responses yes` (authority
 * and additional only where the protocol needs them), no notify, no rndc.
 * Ready when it answers the first zone's SOA.
 */
export function startNamedAuthoritative(zones: readonly ZoneSpec[], port?: number): Promise<RunningServer> {
  const first = zones[0];
  if (first === undefined) throw new Error('startNamedAuthoritative: no zones');
  return startWithRetry(
    (free) => {
      const dir = newDir('named-auth');
      const lines = [
        ...namedOptionsHead(dir, free),
        '  recursion no;',
        '  allow-query { 127.0.0.0/8; };',
        '  dnssec-validation no;',
        '  minimal-responses yes;',
        '  notify no;',
        '  version none;',
        '};',
        'controls { };',
        ...zones.map((z) => `zone "${absolute(z.name)}" { type primary; file "${resolve(z.file)}"; check-names ignore; check-integrity no; };`),
        '',
      ];
      const config = join(dir, 'named.conf');
      writeFileSync(config, lines.join('\n'));
      const check = spawnSync('/usr/bin/named-checkconf', [config], { encoding: 'utf8' });
      if (check.status !== 0) throw new Error(`named-checkconf rejects ${config}: ${(check.stdout || check.stderr || check.error?.message || '').trim()}`);
      // -g: foreground, logging to stderr; -4: IPv4 only; -n 1: one worker.
      return launch({
        name: 'named',
        command: '/usr/sbin/named',
        args: ['-g', '-4', '-n', '1', '-c', config],
        dir,
        logFiles: [],
        server: serverAddress(`${LOOPBACK4}:${free}`),
        address6: undefined,
        probe: { name: absolute(first.name), type: 'SOA', recursionDesired: false },
        readyTimeoutMs: 20_000,
      });
    },
    port,
    LOOPBACK4,
    false,
  );
}
