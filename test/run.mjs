#!/usr/bin/env node
// Runs the compiled test suite with Node's own test runner.
//   node test/run.mjs            every test (unit + integration against real servers)
//   node test/run.mjs --unit     unit tests only (no DNS server packages needed)
//   node test/run.mjs zone dns/udp   only the test files whose path (under dist/test) contains one of these
// Extra arguments after `--` go to `node --test` (e.g. `-- --test-name-pattern=tcp`).
//
// A full run first starts one NSD, one Unbound and a silent "dead" port for
// the whole suite (dist/test/support/start-shared.js, which installs the
// Debian packages when missing and fails when it cannot), hands their
// addresses to the tests in FEDCHECK_TEST_* environment variables, and stops
// them afterwards, whatever the tests did. Nothing is compiled here: run
// `npm run build` first (npm test does).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = join(root, 'dist', 'test');
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const passThrough = args.includes('--') ? args.slice(args.indexOf('--') + 1) : [];
const ownArgs = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
const pathFilters = ownArgs.filter((a) => !a.startsWith('--'));
const READY_MARKER = 'FEDCHECK_SHARED_SERVERS';
/** Generous: on a fresh machine the helper may first apt-get install nsd and unbound. */
const START_TIMEOUT_MS = 10 * 60 * 1000;

function walk(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (entry.endsWith('.test.js')) out.push(path);
  }
  return out;
}

/** Start the helper; resolve to { helper, env, timings } once it prints its ready line. */
function startShared() {
  const script = join(compiled, 'support', 'start-shared.js');
  if (!existsSync(script)) {
    return Promise.reject(new Error(`${relative(root, script)} is missing: run \`npm run build\` first`));
  }
  const helper = spawn(process.execPath, [script], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (message) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      helper.kill('SIGKILL');
      reject(new Error(message));
    };
    const timer = setTimeout(() => fail(`the shared DNS servers did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    const lines = createInterface({ input: helper.stdout });
    lines.on('line', (line) => {
      if (settled || !line.startsWith(`${READY_MARKER} `)) {
        process.stderr.write(`${line}\n`);
        return;
      }
      settled = true;
      clearTimeout(timer);
      try {
        const { env, timings } = JSON.parse(line.slice(READY_MARKER.length + 1));
        resolve({ helper, env, timings });
      } catch (err) {
        helper.kill('SIGKILL');
        reject(new Error(`bad ready line from start-shared: ${err.message}`));
      }
    });
    helper.on('error', (err) => fail(`cannot run start-shared: ${err.message}`));
    helper.on('exit', (code, signal) => fail(`start-shared exited (${signal ?? `status ${code}`}) before the servers were ready`));
  });
}

/** Ask the helper to stop its servers (close its stdin); kill it if it takes more than 10 s. */
function stopShared(helper) {
  if (helper.exitCode !== null || helper.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => helper.kill('SIGKILL'), 10_000);
    helper.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    helper.stdin.end();
  });
}

let files = walk(compiled).sort();
if (unitOnly) files = files.filter((f) => !relative(compiled, f).startsWith('integration'));
if (pathFilters.length > 0) files = files.filter((f) => pathFilters.some((p) => relative(compiled, f).includes(p)));
if (files.length === 0) {
  console.error('no test files found under dist/test: run `npm run build` first');
  process.exit(1);
}

let shared;
if (!unitOnly) {
  try {
    shared = await startShared();
  } catch (err) {
    console.error(`\nFAILED: integration tests need real DNS servers and they could not be started.\n${err.message}\n` +
      'Run only the unit tests with `node test/run.mjs --unit`.');
    process.exit(1);
  }
  const { env, timings } = shared;
  console.error(
    `shared DNS servers: NSD ${env.FEDCHECK_TEST_AUTH}, Unbound ${env.FEDCHECK_TEST_RESOLVER}, dead ${env.FEDCHECK_TEST_DEAD} ` +
      `(ready in ${Math.round(timings.totalMs)} ms: NSD ${Math.round(timings.nsdMs)}, Unbound ${Math.round(timings.unboundMs)})`,
  );
}

let status = 1;
// A TAP copy of the results, read back for one plain closing line that any CI can count.
const tapFile = join(mkdtempSync(join(tmpdir(), 'fedcheck-tests-')), 'results.tap');
try {
  // spawnSync blocks this process only; the helper keeps serving in its own.
  const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tapFile}`];
  const result = spawnSync(process.execPath, ['--test', ...reporters, ...passThrough, ...files], {
    stdio: 'inherit',
    cwd: root,
    env: shared === undefined ? process.env : { ...process.env, ...shared.env },
  });
  status = result.status ?? 1;
  const summary = tapSummary(tapFile);
  if (summary !== undefined) console.log(`\n${summary.pass} passed, ${summary.fail} failed, ${summary.skipped + summary.todo} skipped`);
} finally {
  if (shared !== undefined) await stopShared(shared.helper);
  rmSync(dirname(tapFile), { recursive: true, force: true });
}
process.exit(status);

/** The run's totals from the TAP file's closing `# pass N` … lines, or undefined when absent. */
function tapSummary(path) {
  if (!existsSync(path)) return undefined;
  const totals = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^# (pass|fail|skipped|todo) (\d+)$/.exec(line);
    if (m) totals[m[1]] = Number(m[2]);
  }
  if (totals.pass === undefined || totals.fail === undefined) return undefined;
  return { pass: totals.pass, fail: totals.fail, skipped: totals.skipped ?? 0, todo: totals.todo ?? 0 };
}
