#!/usr/bin/env node
// Runs the compiled test suite with Node's own test runner.
//   node test/run.mjs            every test (unit + integration against real servers)
//   node test/run.mjs --unit     unit tests only (no DNS server packages needed)
// Extra arguments after `--` go to `node --test` (e.g. `-- --test-name-pattern=tcp`).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = join(root, 'dist', 'test');
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const passThrough = args.includes('--') ? args.slice(args.indexOf('--') + 1) : [];

function walk(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (entry.endsWith('.test.js')) out.push(path);
  }
  return out;
}

let files = walk(compiled).sort();
if (unitOnly) files = files.filter((f) => !relative(compiled, f).startsWith('integration'));
if (files.length === 0) {
  console.error('no test files found under dist/test: run `npm run build` first');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...passThrough, ...files], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(result.status ?? 1);
