/**
 * What `npm pack` ships: the CLI (its launcher and bundle), the library (JavaScript and its types), the
 * schemas, the docs and the manual page; not the tests. Asked of `npm pack
 * --dry-run --json` itself, offline and without running the build scripts.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('npm pack', () => {
  test('ships the API, its types, the schemas, the docs and the manual page, and no tests', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      // Nothing to fetch: keep npm off the network and quiet.
      env: { ...process.env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
    });
    assert.equal(r.status, 0, r.stderr);
    const [packed] = JSON.parse(r.stdout) as { files: { path: string }[] }[];
    const files = new Set(packed!.files.map((f) => f.path));
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { man: string[]; types: string; bin: Record<string, string> };
    for (const path of ['dist/src/index.js', 'dist/src/index.d.ts', pkg.types, ...pkg.man, ...Object.values(pkg.bin), 'dist/src/cli.js', 'dist/bundle/cli.js', 'dist/bundle/exit-codes.js', 'schema/fedcheck-report.schema.json', 'schema/fedcheck-config.schema.json', 'docs/rules.md', 'README.md']) {
      assert.ok(files.has(path), `npm pack ships ${path}`);
    }
    assert.ok(![...files].some((p) => p.startsWith('dist/test/') || p.startsWith('test/') || p.startsWith('fixtures/')), 'no tests or fixtures');
  });
});
