/**
 * The test world of delegations (fixtures/zones/delegation/): a parent zone
 * that delegates a SIP domain and the zone of its own SRV targets to child
 * servers, one delegation to a server where nothing listens, and one to
 * servers outside the world.
 *
 *   parent  127.0.0.12  NSD   northwind.com, northwind.net (ns.northwind.net → child1)
 *   child1  127.0.0.13  NSD   hearings.northwind.com, edge.northwind.com, far.northwind.com
 *   child2  127.0.0.14  Knot  hearings.northwind.com, edge.northwind.com
 *   quiet   127.0.0.15  nothing listens
 *   Unbound 127.0.0.1:high  stubs northwind.com → parent, hearings and edge → child1
 *
 * Every server listens on one high `port` (hence `--port` for the servers a
 * referral leads to); the glue of the parent names addresses only.
 */
import { join } from 'node:path';
import { startKnot } from './knot.js';
import { ensurePackages, freePort, startNsd, startUnbound, type RunningServer, type ZoneSpec } from './real-servers.js';
import { repoRoot } from './servers.js';

/** The addresses of the world's servers, as the fixture zones' glue lists them. */
export const DELEGATION_NS = { parent: '127.0.0.12', child1: '127.0.0.13', child2: '127.0.0.14', quiet: '127.0.0.15' } as const;

/** A started world. */
export interface DelegationWorld {
  /** Unbound: "127.0.0.1:PORT". */
  readonly resolver: string;
  /** The parent's authoritative server: "127.0.0.12:PORT". */
  readonly parent: string;
  /** The port every authoritative server listens on. */
  readonly port: number;
  /** The fixture zone file of `zone`. */
  file(zone: 'northwind.com' | 'hearings.northwind.com' | 'edge.northwind.com'): string;
  stop(): Promise<void>;
}

const fixture = (zone: string): string => join(repoRoot(), 'fixtures', 'zones', 'delegation', `${zone}.zone`);

/** Start the world; throws (never skips) when a server cannot start. */
export async function startDelegationWorld(): Promise<DelegationWorld> {
  ensurePackages(['nsd', 'unbound', 'knot']);
  const port = await freePort(DELEGATION_NS.parent);
  const zone = (name: string): ZoneSpec => ({ name, file: fixture(name) });
  const children = [zone('hearings.northwind.com'), zone('edge.northwind.com')];
  const started: RunningServer[] = [];
  try {
    const servers = await Promise.all([
      startNsd({ zones: [zone('northwind.com'), zone('northwind.net')], address: DELEGATION_NS.parent, port }),
      startNsd({ zones: [...children, zone('far.northwind.com')], address: DELEGATION_NS.child1, port }),
      startKnot({ zones: children, address: DELEGATION_NS.child2, port }),
    ]);
    started.push(...servers);
    const resolver = await startUnbound({
      stubs: [
        { zone: 'northwind.com', server: `${DELEGATION_NS.parent}:${port}` },
        { zone: 'hearings.northwind.com', server: `${DELEGATION_NS.child1}:${port}` },
        { zone: 'edge.northwind.com', server: `${DELEGATION_NS.child1}:${port}` },
      ],
    });
    started.push(resolver);
    return {
      resolver: resolver.address,
      parent: `${DELEGATION_NS.parent}:${port}`,
      port,
      file: fixture,
      stop: async () => {
        await Promise.all(started.map((s) => s.stop()));
      },
    };
  } catch (err) {
    await Promise.all(started.map((s) => s.stop()));
    throw err;
  }
}
