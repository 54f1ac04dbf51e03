/**
 * Helper process for test/run.mjs: start the shared test servers, print one
 * line `FEDCHECK_SHARED_SERVERS {"env":{...},"timings":{...}}` on stdout,
 * then keep them running until stdin closes (run.mjs ends it, or dies) or
 * SIGTERM/SIGINT arrives; then stop them and exit. On failure: the reason on
 * stderr, exit status 1.
 */
import { ensureResolverPackages } from './resolvers.js';
import { startTestServers } from './servers.js';

/** The prefix of the line run.mjs waits for. */
export const READY_MARKER = 'FEDCHECK_SHARED_SERVERS';

async function main(): Promise<void> {
  // Every server package the suite uses, installed once here, before test
  // processes run in parallel: two apt-get runs at once would fight over dpkg's lock.
  ensureResolverPackages();
  const servers = await startTestServers();
  let stopping: Promise<void> | undefined;
  const stop = (): void => {
    stopping ??= servers.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`start-shared: stopping the servers failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`${READY_MARKER} ${JSON.stringify({ env: servers.env, timings: servers.timings })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`start-shared: cannot start the test DNS servers:\n${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
