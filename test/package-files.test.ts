import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { packageFile } from '../src/package-files.js';

const ROOT = new URL('../../', import.meta.url);

test('packageFile finds the package root from the compiled modules', () => {
  assert.equal(packageFile('package.json').href, new URL('package.json', ROOT).href);
  const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { name: string };
  assert.equal(pkg.name, 'fedcheck');
  assert.ok(existsSync(packageFile('schema/fedcheck-report.schema.json')));
});

test('and from the bundle the launcher runs: the version and the schemas are read from the package', () => {
  const bin = fileURLToPath(new URL('bin/fedcheck.js', ROOT));
  const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { version: string };
  const version = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
  assert.equal(version.stdout.trim(), pkg.version);
  // A config the config schema refuses: the bundle must have read the schema to name the field.
  const dir = mkdtempSync(join(tmpdir(), 'fedcheck-package-files-'));
  try {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ domains: ['a.example'], bogusField: 1 }));
    const bad = spawnSync(process.execPath, [bin, '--config', join(dir, 'config.json'), '-r', '127.0.0.1:9'], { encoding: 'utf8' });
    assert.equal(bad.status, 64, bad.stderr);
    assert.match(bad.stderr, /\$\.bogusField: unknown property/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
