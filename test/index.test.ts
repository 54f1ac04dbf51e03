/**
 * The library: `import … from 'fedcheck'` resolves through package.json's
 * `exports` to src/index.ts's API, and the README's "Use it from Node" snippet
 * runs as written (offline, against the fixture zone it names).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as api from '../src/index.js';
import { assertJsonReport } from './support/report-checks.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GUARD = join(ROOT, 'dist', 'test', 'support', 'loopback-guard.js');

/** The README's Node snippet: the js block under "## Use it from Node". */
function readmeSnippet(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const snippet = /## Use it from Node\n[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(snippet !== undefined, 'README has a js block under "## Use it from Node"');
  return snippet;
}

describe('library API', () => {
  test('the README snippet is about ten lines, and runs as written: a passing report, rendered, exit 0', () => {
    const snippet = readmeSnippet();
    assert.ok(snippet.trimEnd().split('\n').length <= 12, snippet);
    // Inside the package, so that 'fedcheck' resolves to this checkout through package.json "exports".
    const dir = mkdtempSync(join(ROOT, 'dist', 'readme-snippet-'));
    try {
      const file = join(dir, 'snippet.mjs');
      writeFileSync(file, snippet);
      const preload = existsSync(GUARD) ? ['--import', pathToFileURL(GUARD).href] : [];
      const r = spawnSync(process.execPath, [...preload, file], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.match(r.stdout, /^contoso\.com pass \d+ findings\nFEDCHECK OK - 1 of 1 domain pass \|/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("'fedcheck' resolves to src/index through the package's exports, with its types", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: { '.': { types: string; default: string } }; types: string };
    assert.equal(pkg.exports['.'].default, './dist/src/index.js');
    assert.ok(existsSync(join(ROOT, pkg.exports['.'].types)) && existsSync(join(ROOT, pkg.types)));
    const viaName = (await import(pathToFileURL(join(ROOT, pkg.exports['.'].default)).href)) as typeof api;
    assert.equal(viaName.run, api.run);
  });

  test('exports run, render, the catalogue, the profiles, the exit codes and the schema checks', () => {
    for (const name of ['run', 'render', 'reportExitCode', 'CATALOGUE', 'RULE_IDS', 'PROFILES', 'PROFILE_NAMES', 'CLOUDS', 'EXIT', 'EXIT_CODES', 'ExitError', 'checkReport', 'parseServerAddress', 'parseDomainName', 'DEFAULT_EXPECTATIONS', 'VERSION']) {
      assert.ok(name in api, name);
    }
    assert.equal(Object.keys(api.CATALOGUE).length, api.RULE_IDS.length);
    assert.deepEqual(Object.keys(api.PROFILES), [...api.PROFILE_NAMES]);
  });

  test('run with zone files owns the zone server: the report is in zone mode and valid against the report schema', async () => {
    const zone = join(ROOT, 'fixtures', 'zones', 'contoso.com.zone');
    const report = await api.run({ zoneFiles: [zone], domains: [{ domain: 'contoso.com', input: 'contoso.com', expectations: api.DEFAULT_EXPECTATIONS }], timeoutMs: 2000, retries: 0, concurrency: 1 });
    assert.equal(report.mode, 'zone');
    assert.deepEqual(report.zones, [zone]);
    assert.equal(report.resolvers.length, 1);
    assert.match(report.resolvers[0]!, /^127\./);
    assert.equal(report.summary.pass, 1);
    assertJsonReport(api.render('json', report));
    // The server is stopped when run returns: its UDP port can be bound again.
    const [host, port] = report.resolvers[0]!.split(':') as [string, string];
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(Number(port), host, () => resolve());
    });
    socket.close();
  });

  test('a bad zone file rejects with the exit status the CLI would use, before any query', async () => {
    const spec = { domain: 'contoso.com', input: 'contoso.com', expectations: api.DEFAULT_EXPECTATIONS };
    await assert.rejects(
      api.run({ zoneFiles: [join(ROOT, 'fixtures', 'zones', 'no-such.zone')], domains: [spec], timeoutMs: 100, retries: 0, concurrency: 1 }),
      (err: unknown) => err instanceof api.ExitError && err.exitCode === api.EXIT.noInput,
    );
  });
});
