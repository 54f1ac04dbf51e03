/**
 * Every test file pairs with the module it tests: `test/<dir>/<module>.test.ts`
 * for `src/<dir>/<module>.ts`, or, when a module has several test files,
 * `test/<dir>/<module>/<aspect>.test.ts` (`test/cli/` for `src/cli.ts`).
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Folders whose tests are not about one module: the real-server suites, the project itself. */
const NOT_MODULE_TESTS = ['integration/', 'architecture/', 'docs/', 'support/', 'package.test.ts'];
/** Still to pair: the rule tests move with the rule families (issue 13). */
const PENDING = ['rules/'];
/** Suites across modules, by design: one generator drives several modules (issue 13: split where cheap). */
const ACROSS_MODULES = new Set(['dns/fuzz.test.ts', 'dns/fast-paths.test.ts', 'zone/bind-interop.test.ts']);

/** The module a test file pairs with, or undefined. */
function pairedModule(testFile: string, sourceExists: (path: string) => boolean): string | undefined {
  const stem = testFile.replace(/\.test\.ts$/, '');
  const candidates = [`${stem}.ts`, `${stem.slice(0, Math.max(0, stem.lastIndexOf('/')))}.ts`];
  return candidates.find((c) => c !== '.ts' && sourceExists(c));
}

test('every test file pairs with the module it tests', () => {
  const testDir = join(ROOT, 'test');
  const files = (readdirSync(testDir, { recursive: true }) as string[]).map((f) => f.split('\\').join('/')).filter((f) => f.endsWith('.test.ts'));
  assert.ok(files.length > 50, `${files.length} test files found`);
  const unpaired = files.filter(
    (f) => ![...NOT_MODULE_TESTS, ...PENDING].some((p) => f.startsWith(p)) && !ACROSS_MODULES.has(f) && pairedModule(f, (m) => existsSync(join(ROOT, 'src', m))) === undefined,
  );
  assert.deepEqual(unpaired, []);
  for (const f of ACROSS_MODULES) assert.ok(existsSync(join(testDir, f)), `${f} still exists (else remove it from ACROSS_MODULES)`);
});

test('pairing: by file name, or by a folder named after the module', () => {
  const modules = new Set(['dns/client.ts', 'cli.ts', 'report/json.ts']);
  const has = (m: string): boolean => modules.has(m);
  assert.equal(pairedModule('dns/client.test.ts', has), 'dns/client.ts');
  assert.equal(pairedModule('dns/client/faults.test.ts', has), 'dns/client.ts');
  assert.equal(pairedModule('cli/progress.test.ts', has), 'cli.ts');
  assert.equal(pairedModule('report/json-chunks.test.ts', has), undefined);
  assert.equal(pairedModule('dns/clients.test.ts', has), undefined);
});
