/**
 * The test world of authoritative mode: the zones of
 * fixtures/zones/authoritative/ served by two real authoritative servers
 * that disagree, a lame one, a silent address, and Unbound as the resolver
 * that leads to them.
 *
 *   ns1 127.0.0.2 (and ::1)  NSD   auth.test (primary: newer), agree.test, partner.test
 *   ns2 127.0.0.3            Knot  auth.test (stale: older),   agree.test, partner.test
 *   ns3 127.0.0.4            NSD   other.test only → REFUSED for auth.test (lame)
 *   ns4 127.0.0.5            nothing listens → silent
 *   Unbound 127.0.0.1:high   stubs auth.test, agree.test, partner.test → ns1
 *
 * Every server listens on `port`: 53 exercises the real path (needs root, as
 * CI has); a high port is what `--port` is for.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKnot } from './knot.js';
import { ensurePackages, ipv6Available, startNsd, startUnbound, type RunningServer, type ZoneSpec } from './real-servers.js';
import { repoRoot } from './servers.js';

/** A started world. */
export interface AuthoritativeWorld {
  /** Unbound: "127.0.0.1:PORT". */
  readonly resolver: string;
  /** The port every authoritative server listens on. */
  readonly port: number;
  /** Whether ns1 also serves over IPv6 (::1). */
  readonly ipv6: boolean;
  readonly servers: { readonly ns1: RunningServer; readonly ns2: RunningServer; readonly ns3: RunningServer; readonly resolver: RunningServer };
  stop(): Promise<void>;
}

/** The addresses of the world's name servers, as the fixture zones list them. */
export const NS = { ns1: '127.0.0.2', ns2: '127.0.0.3', ns3: '127.0.0.4', ns4: '127.0.0.5' } as const;

/** Start the world on `port`; throws (never skips) when a server cannot start. */
export async function startAuthoritativeWorld(port: number): Promise<AuthoritativeWorld> {
  ensurePackages(['nsd', 'unbound', 'knot']);
  if (port < 1024 && typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(`the authoritative-mode tests start DNS servers on 127.0.0.2:${port} and 127.0.0.3:${port}, which needs root (CI runs as root)`);
  }
  const ipv6 = await ipv6Available();
  // A copy of the fixtures, without the "; ipv6" lines when ::1 cannot be used here.
  const dir = mkdtempSync(join(tmpdir(), 'fedcheck-auth-zones-'));
  const zone = (name: string, file: string): ZoneSpec => {
    const text = readFileSync(join(repoRoot(), 'fixtures', 'zones', 'authoritative', file), 'utf8');
    const target = join(dir, file);
    if (ipv6) copyFileSync(join(repoRoot(), 'fixtures', 'zones', 'authoritative', file), target);
    else writeFileSync(target, text.split('\n').filter((line) => !/;\s*ipv6\s*$/.test(line)).join('\n'));
    return { name, file: target };
  };
  const shared = [zone('agree.test', 'agree.test.zone'), zone('partner.test', 'partner.test.zone')];
  const started: RunningServer[] = [];
  try {
    const [ns1, ns2, ns3] = await Promise.all([
      startNsd({ zones: [zone('auth.test', 'auth.test.primary.zone'), ...shared], address: NS.ns1, port, ipv6 }),
      startKnot({ zones: [zone('auth.test', 'auth.test.stale.zone'), ...shared], address: NS.ns2, port }),
      startNsd({ zones: [zone('other.test', 'other.test.zone')], address: NS.ns3, port }),
    ]);
    started.push(ns1, ns2, ns3);
    const resolver = await startUnbound({
      stubs: ['auth.test', 'agree.test', 'partner.test'].map((z) => ({ zone: z, server: `${NS.ns1}:${port}` })),
    });
    started.push(resolver);
    return {
      resolver: resolver.address,
      port,
      ipv6,
      servers: { ns1, ns2, ns3, resolver },
      stop: async () => {
        await Promise.all(started.map((s) => s.stop()));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await Promise.all(started.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
