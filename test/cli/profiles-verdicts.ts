/**
 * fixtures/zones/profiles/verdicts.json, typed, and what the tests share
 * about it: the zone files, the command-line arguments of a case, and the
 * comparison of a domain's JSON result with the case's expectations.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CloudName, ProfileName } from '../../src/rules/profiles/profiles.js';

// dist/test/cli/ → the repository root.
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const PROFILE_ZONE_DIR = join(ROOT, 'fixtures', 'zones', 'profiles');

type Status = 'pass' | 'info' | 'warn' | 'fail' | 'unknown';

/** One case of verdicts.json. */
export interface ProfileCase {
  readonly domain: string;
  readonly profile: ProfileName;
  readonly cloud?: CloudName;
  readonly settings?: { readonly edge?: string; readonly hosts?: Readonly<Record<string, string>> };
  readonly demonstrates: string;
  readonly status: 'pass' | 'warn' | 'fail' | 'unknown';
  readonly rules: Readonly<Record<string, Status | null>>;
}

/** The cases of verdicts.json. */
export function profileCases(): readonly ProfileCase[] {
  return (JSON.parse(readFileSync(join(PROFILE_ZONE_DIR, 'verdicts.json'), 'utf8')) as { cases: ProfileCase[] }).cases;
}

/** Every zone of the profile fixtures: origin and file, sorted by origin. */
export function profileZones(): { readonly name: string; readonly file: string }[] {
  return readdirSync(PROFILE_ZONE_DIR)
    .filter((f) => f.endsWith('.zone'))
    .sort()
    .map((f) => ({ name: f.slice(0, -'.zone'.length), file: join(PROFILE_ZONE_DIR, f) }));
}

/** `--profile`, `--cloud` and (for settings) `--config` arguments of a case; the config is written to a temporary file. */
export function caseArguments(c: ProfileCase): string[] {
  const args = ['--profile', c.profile, ...(c.cloud !== undefined ? ['--cloud', c.cloud] : [])];
  if (c.settings !== undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'fedcheck-profiles-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ domains: [{ domain: c.domain, ...c.settings }] }));
    args.push('--config', file);
  }
  return [...args, c.domain];
}

const RANK: Record<Status, number> = { pass: 0, info: 1, warn: 2, unknown: 3, fail: 4 };

/** Assert a domain of a `--format json` report against its case. */
export function assertCase(c: ProfileCase, domain: { status: string; findings: { rule: string; status: Status }[] }): void {
  const label = `${c.domain} as ${c.profile}${c.cloud !== undefined ? ` --cloud ${c.cloud}` : ''}`;
  assert.equal(domain.status, c.status, `${label}: status (findings: ${domain.findings.map((f) => `${f.rule}:${f.status}`).join(' ')})`);
  for (const [rule, expected] of Object.entries(c.rules)) {
    const statuses = domain.findings.filter((f) => f.rule === rule).map((f) => f.status);
    const actual = statuses.length === 0 ? null : statuses.reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
    assert.equal(actual, expected, `${label}: ${rule}`);
  }
}
