// The CLI's bundle: the compiled modules of dist/src (tsc's output) as one file, dist/bundle/cli.js,
// with a chunk for each part the CLI loads only when used (DNS over TLS/HTTPS, the TLS probe).
// Loading 130 small ES modules took 60 ms of every run before the first query; one file takes a
// third of that, which every cron job and monitoring check pays. The library (dist/src/index.js)
// and the tests use the modules themselves; the packages in node_modules stay outside the bundle.
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
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
