/**
 * Zone-file mode as one call: load the zone files, serve them on loopback
 * (the in-process authoritative server of `src/zone/`), run the checks against
 * that server and stop it, whatever happens. Nothing leaves the machine.
 */
import { ExitError } from '../errors.js';
import type { RunResult } from './run-report.js';
import { loadZoneFiles, startZoneServer, type Zone } from '../zone/index.js';
import { run, type RunOptions } from './run.js';

/** A run in zone-file mode: {@link RunOptions} with zone files in place of servers. */
export interface ZoneRunOptions extends Omit<RunOptions, 'servers' | 'zones' | 'recursion' | 'authoritative' | 'compare'> {
  /** RFC 1035 zone files to serve, one zone per file (origin from `$ORIGIN`, the SOA or the file name). */
  readonly zoneFiles: readonly string[];
  /** The zones of `zoneFiles` when the caller has loaded them already (the CLI does, for their warnings). */
  readonly loadedZones?: readonly Zone[];
}

/**
 * Check the domains against the zone files alone. Throws {@link ExitError}
 * (66 unreadable, 65 does not parse) for a bad zone file, before any query.
 */
export async function runZones(options: ZoneRunOptions): Promise<RunResult> {
  const { zoneFiles, loadedZones, ...rest } = options;
  let zones = loadedZones;
  if (zones === undefined) {
    const loaded = loadZoneFiles(zoneFiles);
    if (!loaded.ok) throw new ExitError(loaded.error.message, loaded.error.exitCode);
    zones = loaded.value.zones;
  }
  const server = await startZoneServer(zones);
  try {
    // The zone server is authoritative: ask as an authoritative client would (RD=0).
    return await run({ ...rest, servers: [server.address], recursion: false, zones: zoneFiles });
  } finally {
    await server.close();
  }
}
