/**
 * {@link runFedcheck} with two additions for tests that judge hostile input:
 *
 * - a watchdog: a run still going after `killAfterMs` is killed and reported
 *   (`killed`), so a hang fails its test instead of stalling the suite;
 * - stdout and stderr also as the bytes the process wrote: proving that no raw
 *   control byte (ESC, C1 CSI 0x9b) reaches the terminal needs the bytes,
 *   since decoding turns a stray 0x9b into U+FFFD and hides it.
 */
import { spawn } from 'node:child_process';
import { assertLoopbackOnly, CLI, judgeOutput, type CliRun } from './cli.js';
import { repoRoot } from './servers.js';

/** A watched CLI run. */
export interface WatchedRun extends CliRun {
  readonly stdoutBytes: Buffer;
  readonly stderrBytes: Buffer;
  /** True when the watchdog had to kill the process. */
  readonly killed: boolean;
}

/** Run `node bin/fedcheck.js ARGS` with NO_COLOR set, as {@link runFedcheck} does, killing it after `killAfterMs`. */
export function runFedcheckWatched(args: readonly string[], options: { readonly killAfterMs: number; readonly env?: NodeJS.ProcessEnv }): Promise<WatchedRun> {
  assertLoopbackOnly(args);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: repoRoot(), env: { ...process.env, NO_COLOR: '1', ...options.env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let killed = false;
    const watchdog = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, options.killAfterMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (error) => {
      clearTimeout(watchdog);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(watchdog);
      const stdoutBytes = Buffer.concat(out);
      const stderrBytes = Buffer.concat(err);
      if (!killed) {
        try {
          judgeOutput(args, code, stdoutBytes.toString('utf8'));
        } catch (error) {
          reject(error);
          return;
        }
      }
      resolve({
        code,
        stdout: stdoutBytes.toString('utf8'),
        stderr: stderrBytes.toString('utf8'),
        stdoutBytes,
        stderrBytes,
        killed,
        ms: Math.round(performance.now() - started),
      });
    });
    child.stdin.end('');
  });
}
