/**
 * The HTML report's benchmark (issue 16): `npm run bench -- --html [--n 100000]`.
 *
 * Starts NSD (the benchmark zone of N conformant domains) and Unbound on
 * loopback, as the main benchmark does, and checks N domains of which every
 * `--fail-every`-th is a name the zone does not have (NXDOMAIN: `fail`, shown
 * in full). One ndjson run warms Unbound's cache; then fedcheck writes
 * `--format html -o FILE` (wall time, peak RSS, file size), and Debian's
 * Chromium, headless with nothing that talks to the network, opens it: first
 * contentful paint, DOMContentLoaded and load from the page's own timing, then
 * how long the report's script takes to filter by status, filter by text and
 * sort by domain, each until the next frame. Nothing leaves loopback.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inPage, launchChromium, openWatched } from '../test/support/browser.js';
import { ensurePackages, startUnbound, type RunningServer } from '../test/support/real-servers.js';
import { BENCH_ZONE, domainName, writeBenchFiles } from './data.js';
import { killCurrent, runNode } from './measure.js';
import { startBenchNsd } from './nsd.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const FEDCHECK = join(root, 'bin', 'fedcheck.js');

const USAGE = `usage: npm run bench -- --html [--n N] [--fail-every K] [--reps R] [--keep]

  --n N            domains in the report (default 100000)
  --fail-every K   every K-th domain is absent from the zone and fails (default 100; 0: none)
  --reps R         browser loads to take the median of (default 3)
  --keep           keep the work directory (zone, list, report.html)
`;

const log = (text: string): void => void process.stderr.write(`bench html: ${text}\n`);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Options {
  readonly n: number;
  readonly failEvery: number;
  readonly reps: number;
  readonly keep: boolean;
}

function parse(argv: readonly string[]): Options | undefined {
  let n = 100_000;
  let failEvery = 100;
  let reps = 3;
  let keep = false;
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i]!;
    const whole = (min: number, max: number): number => {
      const v = Number(argv[(i += 1)]);
      if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${flag} must be a whole number from ${min} to ${max}`);
      return v;
    };
    if (flag === '--n') n = whole(1, 1_000_000);
    else if (flag === '--fail-every') failEvery = whole(0, 1_000_000);
    else if (flag === '--reps') reps = whole(1, 20);
    else if (flag === '--keep') keep = true;
    else if (flag === '-h' || flag === '--help') {
      process.stdout.write(USAGE);
      return undefined;
    } else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return { n, failEvery, reps, keep };
}

/** What one load of the report in Chromium measured, in milliseconds. */
interface Load {
  readonly fcp: number;
  readonly dcl: number;
  readonly load: number;
  readonly filterStatus: number;
  readonly filterText: number;
  readonly sort: number;
  readonly domains: number;
  /** The browser's own version string. */
  readonly version: string;
}

/** In the page: run `action`, then wait for the next frame to be produced; the milliseconds it all took. */
const timed = (action: string): string =>
  `new Promise(function (done) { var t0 = performance.now(); ${action}; requestAnimationFrame(function () { setTimeout(function () { done(performance.now() - t0); }, 0); }); })`;

async function loadOnce(file: string): Promise<Load> {
  const browser = await launchChromium();
  try {
    const watch = await openWatched(browser.browser, file);
    const page = watch.page;
    const timing = await inPage<{ fcp: number; dcl: number; load: number; domains: number; shown: string }>(
      page,
      `(function () { var n = performance.getEntriesByType('navigation')[0];
         var fcp = performance.getEntriesByName('first-contentful-paint')[0];
         return { fcp: fcp ? fcp.startTime : -1, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd,
                  domains: document.querySelectorAll('#list > details, #passing li').length, shown: document.getElementById('shown').textContent }; })()`,
    );
    const change = (name: string, value: string): string =>
      `var f = document.getElementById('controls').elements.namedItem('${name}'); f.value = '${value}'; f.dispatchEvent(new Event('change', { bubbles: true }))`;
    const filterStatus = await inPage<number>(page, timed(change('status', 'fail')));
    await inPage<number>(page, timed(change('status', '')));
    const filterText = await inPage<number>(page, timed(change('q', 'd4242')));
    await inPage<number>(page, timed(change('q', '')));
    const sort = await inPage<number>(page, timed(`document.querySelector('[data-sort="domain"] button').click()`));
    if (watch.requests.length > 0 || watch.errors.length > 0) throw new Error(`the report asked for ${watch.requests.join(', ')} / logged ${watch.errors.join('; ')}`);
    return { fcp: timing.fcp, dcl: timing.dcl, load: timing.load, filterStatus, filterText, sort, domains: timing.domains, version: await browser.browser.version() };
  } finally {
    await browser.close();
  }
}

/** The HTML benchmark; resolves to the exit status. */
export async function benchHtml(argv: readonly string[]): Promise<number> {
  const options = parse(argv);
  if (options === undefined) return 0;
  if (!existsSync(join(root, 'dist', 'src', 'cli.js'))) throw new Error('fedcheck is not built: run `npm run build` (npm run bench does)');
  ensurePackages(['nsd', 'unbound', 'chromium']);
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'fedcheck-bench-html-'));
  const servers: RunningServer[] = [];
  try {
    const files = await writeBenchFiles(dir, [options.n]);
    // Every K-th domain is one the zone does not have: NXDOMAIN, a failing domain in full.
    const list = join(dir, 'domains.txt');
    const names = Array.from({ length: options.n }, (_, i) => (options.failEvery > 0 && (i + 1) % options.failEvery === 0 ? `absent${i + 1}.${BENCH_ZONE}` : domainName(i + 1)));
    writeFileSync(list, `${names.join('\n')}\n`);
    const nsd = await startBenchNsd(BENCH_ZONE, files.zone);
    servers.push(nsd);
    const unbound = await startUnbound({ stubs: [{ zone: BENCH_ZONE, server: nsd.address }], extra: ['msg-cache-size: 256m', 'rrset-cache-size: 512m', 'so-rcvbuf: 4m', 'so-sndbuf: 4m'] });
    servers.push(unbound);
    const args = ['--file', list, '-r', unbound.address, '--concurrency', '64'];
    const limitMs = 120_000 + options.n * 20;
    log(`warming Unbound with one ndjson run of ${options.n} domains`);
    const warm = await runNode(FEDCHECK, ['--format', 'ndjson', ...args], { stdoutFile: join(dir, 'warm.ndjson'), limitMs });
    if (warm.status === null || warm.status > 3) throw new Error(`fedcheck --format ndjson exited ${String(warm.status ?? warm.signal)}: ${warm.stderr.slice(0, 2000)}`);
    rmSync(join(dir, 'warm.ndjson'), { force: true });
    const report = join(dir, 'report.html');
    const run = await runNode(FEDCHECK, ['--format', 'html', '-o', report, ...args], { stdoutFile: join(dir, 'html.out'), limitMs });
    if (run.status === null || run.status > 3) throw new Error(`fedcheck --format html exited ${String(run.status ?? run.signal)}: ${run.stderr.slice(0, 2000)}`);
    const size = statSync(report).size;
    log(`fedcheck --format html: ${run.seconds.toFixed(2)} s, peak RSS ${run.rssMb === undefined ? '?' : Math.round(run.rssMb)} MB, ${(size / 1e6).toFixed(1)} MB; opening it in Chromium ${options.reps} times`);
    const loads: Load[] = [];
    for (let rep = 0; rep < options.reps; rep += 1) {
      const load = await loadOnce(report);
      if (load.domains !== options.n) throw new Error(`the report shows ${load.domains} domains, not ${options.n}`);
      log(`load ${rep + 1}: FCP ${Math.round(load.fcp)} ms, DOMContentLoaded ${Math.round(load.dcl)} ms, load ${Math.round(load.load)} ms, filter status ${Math.round(load.filterStatus)} ms, filter text ${Math.round(load.filterText)} ms, sort ${Math.round(load.sort)} ms`);
      loads.push(load);
    }
    const m = (key: Exclude<keyof Load, 'version'>): string => String(Math.round(median(loads.map((l) => l[key]))));
    const header = ['N', 'failing', 'fedcheck s', 'peak RSS', 'HTML MB', 'FCP ms', 'DOMContentLoaded ms', 'load ms', 'filter status ms', 'filter text ms', 'sort ms'];
    const row = [
      options.n.toLocaleString('en-US'),
      String(options.failEvery > 0 ? Math.floor(options.n / options.failEvery) : 0),
      run.seconds.toFixed(2),
      run.rssMb === undefined ? '?' : `${Math.round(run.rssMb)} MB`,
      (size / 1e6).toFixed(1),
      m('fcp'),
      m('dcl'),
      m('load'),
      m('filterStatus'),
      m('filterText'),
      m('sort'),
    ];
    process.stdout.write(
      [
        `fedcheck --format html benchmark: medians of ${options.reps} loads in headless ${loads[0]!.version}`,
        '',
        `| ${header.join(' | ')} |`,
        `|${header.map(() => '---').join('|')}|`,
        `| ${row.join(' | ')} |`,
        '',
        'fedcheck s: wall time of the html run (warm Unbound); FCP, DOMContentLoaded and load: the page\'s own timing;',
        'filter / sort: the report script\'s work until the next frame (status = fail, text "d4242", sort by domain).',
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    killCurrent();
    await Promise.all(servers.map((s) => s.stop()));
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
}
