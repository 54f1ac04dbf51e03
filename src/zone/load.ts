/**
 * Reading zone files from disk: the only file-system code of the zone engine,
 * kept apart from the pure parser.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parseZone, type IncludeReader } from './parse.js';
import type { Zone } from './zone.js';

/** Exit status for a zone file that cannot be read (sysexits EX_NOINPUT). */
export const EXIT_UNREADABLE = 66;
/** Exit status for a zone file with an error in it (sysexits EX_DATAERR). */
export const EXIT_INVALID = 65;

/** Loaded zones, or one line saying what is wrong and the exit status it deserves. */
export type LoadZonesResult =
  | { readonly ok: true; readonly zones: readonly Zone[]; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: string; readonly exitCode: typeof EXIT_UNREADABLE | typeof EXIT_INVALID };

/**
 * Read and parse each file (one zone per file, origin as {@link parseZone}
 * says). `$INCLUDE` paths are relative to the including file. Messages name
 * files as given. Two files for the same apex are an error.
 */
export function loadZoneFiles(paths: readonly string[]): LoadZonesResult {
  const zones: Zone[] = [];
  const warnings: string[] = [];
  for (const path of paths) {
    const text = readText(path);
    if (!text.ok) return { ok: false, error: `cannot read zone file ${path}: ${text.error}`, exitCode: EXIT_UNREADABLE };
    const parsed = parseZone(text.bytes, { fileName: path, include: includeFromDisk });
    if (!parsed.ok) return { ok: false, error: parsed.error, exitCode: parsed.cause === 'unreadable' ? EXIT_UNREADABLE : EXIT_INVALID };
    const twin = zones.find((z) => z.origin.key === parsed.zone.origin.key);
    if (twin !== undefined) {
      return { ok: false, error: `${path}: zone ${parsed.zone.origin.text} is already loaded from ${twin.fileName}`, exitCode: EXIT_INVALID };
    }
    zones.push(parsed.zone);
    warnings.push(...parsed.warnings);
  }
  return { ok: true, zones, warnings };
}

const includeFromDisk: IncludeReader = (path, from) => {
  const fileName = isAbsolute(path) ? path : join(dirname(from), path);
  const text = readText(fileName);
  return text.ok ? { ok: true, fileName, text: text.bytes } : { ok: false, error: text.error };
};

function readText(path: string): { ok: true; bytes: Buffer } | { ok: false; error: string } {
  try {
    return { ok: true, bytes: readFileSync(path) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'is a directory' };
    return { ok: false, error: (code !== undefined ? reason[code] : undefined) ?? (err instanceof Error ? err.message : String(err)) };
  }
}
