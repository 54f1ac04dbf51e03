/**
 * Reading zone files from disk: the only file-system code of the zone engine,
 * kept apart from the pure parser.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseZone, type IncludeReader } from './parse.js';
import type { Zone } from './zone.js';
import { EXIT } from '../exit-codes.js';
import type { Result } from '../result.js';

/** What {@link loadZoneFiles} gives when every file loads: the zones, and lines about what they let pass. */
export interface LoadedZones {
  readonly zones: readonly Zone[];
  readonly warnings: readonly string[];
}

/** Why the zones did not load: one line saying what is wrong, and the exit status it deserves. */
export interface ZoneLoadError {
  readonly message: string;
  readonly exitCode: typeof EXIT.noInput | typeof EXIT.dataError;
}

/** A zone file to load, and the zone it holds when the caller knows it (`--zone NAME=FILE`). */
export interface ZoneFileSpec {
  readonly file: string;
  /** The apex; without it the apex is the file's SOA owner (see {@link parseZone}). */
  readonly origin?: string | undefined;
}

/**
 * Read and parse each file (one zone per file, origin as {@link parseZone}
 * says). Relative `$INCLUDE` paths are looked up as BIND and NSD do, in the
 * working directory, then next to the including file. Messages name files as
 * given. Two files for the same apex are an error.
 */
export function loadZoneFiles(specs: readonly (string | ZoneFileSpec)[]): Result<LoadedZones, ZoneLoadError> {
  const zones: Zone[] = [];
  const warnings: string[] = [];
  for (const spec of specs) {
    const { file: path, origin } = typeof spec === 'string' ? { file: spec, origin: undefined } : spec;
    const text = readText(path);
    if (!text.ok) return { ok: false, error: { message: `cannot read zone file ${path}: ${text.error}`, exitCode: EXIT.noInput } };
    const parsed = parseZone(text.value, { fileName: path, origin, include: includeFromDisk });
    if (!parsed.ok) {
      const { message, cause } = parsed.error;
      return { ok: false, error: { message, exitCode: cause === 'unreadable' ? EXIT.noInput : EXIT.dataError } };
    }
    const { zone } = parsed.value;
    const twin = zones.find((z) => z.origin.key === zone.origin.key);
    if (twin !== undefined) {
      return { ok: false, error: { message: `${path}: zone ${zone.origin.text} is already loaded from ${twin.fileName}`, exitCode: EXIT.dataError } };
    }
    zones.push(zone);
    warnings.push(...parsed.value.warnings);
  }
  return { ok: true, value: { zones, warnings } };
}

/**
 * BIND (named-checkzone, and named relative to its `directory`) and NSD open a
 * relative `$INCLUDE` path from the working directory; files written for
 * tools that read it next to the including file still load through the
 * fallback.
 */
const includeFromDisk: IncludeReader = (path, from) => {
  if (isAbsolute(path)) {
    const text = readText(path);
    return text.ok ? { ok: true, value: { fileName: path, text: text.value } } : text;
  }
  const candidates = [...new Set([resolve(path), resolve(dirname(from), path)])];
  const errors: string[] = [];
  for (const candidate of candidates) {
    const text = readText(candidate);
    // Messages name the file as written relative to the includer when it was found there.
    if (text.ok) return { ok: true, value: { fileName: candidate === resolve(path) ? path : join(dirname(from), path), text: text.value } };
    errors.push(`${candidate} (${text.error})`);
  }
  return { ok: false, error: `not found; looked for ${errors.join(' and ')}` };
};

function readText(path: string): Result<Buffer> {
  try {
    return { ok: true, value: readFileSync(path) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'is a directory' };
    return { ok: false, error: (code !== undefined ? reason[code] : undefined) ?? (err instanceof Error ? err.message : String(err)) };
  }
}
