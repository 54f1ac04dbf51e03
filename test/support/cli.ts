/**
 * Running the built CLI as a process, the way a user does: arguments in,
 * exit status, stdout and stderr out. Every run must name where its DNS goes
 * (`-r` with a loopback address, or `--zone`), so that no test can ever ask
 * the machine's own resolver.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { assertCliOutput } from './report-checks.js';
import { repoRoot } from './servers.js';

/** What one CLI run produced. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time of the whole process, in milliseconds. */
  readonly ms: number;
}

const ROOT = repoRoot();
/** The CLI launcher of this checkout. */
export const CLI = join(ROOT, 'bin', 'fedcheck.js');

/** Commands that send no DNS query. */
const OFFLINE_COMMANDS = new Set(['rules', 'explain', 'profiles', 'plan', 'help', 'man']);

/** Throw (a test bug) unless the arguments keep every query on loopback. */
export function assertLoopbackOnly(args: readonly string[]): void {
  if (args.includes('--zone') || args.includes('-z') || args.includes('--help') || args.includes('--version')) return;
  if (args[0] !== undefined && OFFLINE_COMMANDS.has(args[0])) return;
  const resolvers = args.flatMap((arg, i) => (arg === '-r' || arg === '--resolver' ? [args[i + 1] ?? ''] : []));
  assert.ok(resolvers.length > 0, `test bug: \`fedcheck ${args.join(' ')}\` names no resolver`);
  // Plain, tls:// and other schemes by address; an https:// URL by address, or by name with the address after #.
  const loopback = /^(?:[a-z]+:\/\/)?(?:127\.|\[::1\])|^https:\/\/[^#]*#(?:127\.|\[?::1\]?$)/i;
  for (const r of resolvers) assert.match(r, loopback, `test bug: resolver ${r} is not loopback`);
}

/**
 * Every report a run writes in a machine format is judged (test/support/report-checks.ts):
 * the one on stdout, and the `-o FILE` one when the run ended with a verdict.
 */
export function judgeOutput(args: readonly string[], code: number | null, stdout: string): void {
  assertCliOutput(args, code, stdout);
  const at = args.findIndex((a) => a === '-o' || a === '--output');
  const file = at >= 0 ? args[at + 1] : undefined;
  if (file !== undefined && file !== '-' && code !== null && code <= 3 && existsSync(resolvePath(ROOT, file))) {
    assertCliOutput(args, code, readFileSync(resolvePath(ROOT, file), 'utf8'));
  }
}

/** Run `node bin/fedcheck.js ARGS` with NO_COLOR set; its machine-format output is judged ({@link judgeOutput}). */
export function runFedcheck(args: readonly string[], options: { readonly env?: NodeJS.ProcessEnv; readonly stdin?: string } = {}): Promise<CliRun> {
  assertLoopbackOnly(args);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        judgeOutput(args, code, stdout);
      } catch (err) {
        reject(err);
        return;
      }
      resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
    child.stdin.end(options.stdin ?? '');
  });
}
