// The CLI's bundle: the compiled modules of dist/src (tsc's output) as one file, dist/bundle/cli.js,
// with a chunk for each part the CLI loads only when used (DNS over TLS/HTTPS, the TLS probe).
// Loading 130 small ES modules took 60 ms of every run before the first query; one file takes a
// third of that, which every cron job and monitoring check pays. The packages the CLI uses
// (commander, cli-table3, p-limit, ltx...) go into the bundle too: Node's ES module loader
// translates each CommonJS package it imports, another 6 ms a run. The library (dist/src/index.js)
// and the tests use the modules and the packages in node_modules themselves.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry a hash of their content: last build's would stay beside this one's.
rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: { cli: 'dist/src/cli.js', 'exit-codes': 'dist/src/exit-codes.js' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Bundled CommonJS packages call require() for Node's own modules; an ES module has none of its own.
  banner: { js: "import { createRequire as fedcheckRequire } from 'node:module'; const require = fedcheckRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
});
