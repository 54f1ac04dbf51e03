#!/usr/bin/env node
// Thin launcher: the CLI lives in src/cli.ts (compiled to dist/src/cli.js, bundled as dist/bundle/cli.js: scripts/bundle.mjs).
import { main } from '../dist/bundle/cli.js';
import { EXIT } from '../dist/bundle/exit-codes.js';

// A reader that goes away (`fedcheck … | head -1`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // An internal error: one line, no stack trace unless asked for.
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`fedcheck: internal error: ${message}\n`);
    if (process.env.FEDCHECK_DEBUG) process.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
    process.exitCode = EXIT.software;
  },
);
