/**
 * The output formats, -o, -q and --since through the real CLI process. DNS is
 * only ever asked on loopback: check commands point at 127.0.0.1:9 where
 * nothing answers (every domain `unknown`, exit 3), or use zone-file mode
 * (`--zone`, an in-process server on loopback) for passing domains. The
 * shared loopback guard is preloaded into every child as well.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isLoopback, parseServerAddress } from '../../src/dns/server-address.js';
import { judgeOutput } from '../support/cli.js';
import { startBlackhole, type Blackhole } from '../support/real-servers.js';

// dist/test/cli/ → the repository root.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'fedcheck.js');
const GUARD = join(ROOT, 'dist', 'test', 'support', 'loopback-guard.js');
/** A loopback resolver that cannot answer, with a short timeout and no retries. */
const DEAD = ['-r', '127.0.0.1:9', '--timeout', '200', '--retries', '0'] as const;
const ZONES = join(ROOT, 'fixtures', 'zones');
const CONTOSO = ['--zone', join(ZONES, 'contoso.com.zone')] as const;

/** Refuse a check that could reach the machine's resolver: loopback `-r` or `--zone` only. */
function guardArgs(args: readonly string[]): void {
  const resolvers = args.flatMap((arg, i) => (arg === '-r' || arg === '--resolver' ? [args[i + 1] ?? ''] : []));
  assert.ok(resolvers.length > 0 || args.includes('--zone'), `test bug: ${args.join(' ')} would use the machine's resolver`);
  for (const text of resolvers) {
    const parsed = parseServerAddress(text);
    assert.ok(parsed.ok && isLoopback(parsed.value.host), `test bug: resolver ${text} is not loopback`);
  }
}

interface Run {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface Started {
  readonly pid: number;
  readonly done: Promise<Run>;
  kill(signal: NodeJS.Signals): void;
}

function start(args: readonly string[]): Started {
  guardArgs(args);
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FEDCHECK_DEBUG;
  const child = spawn(process.execPath, ['--import', pathToFileURL(GUARD).href, BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const done = new Promise<Run>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      try {
        judgeOutput(args, status, stdout);
      } catch (err) {
        reject(err);
        return;
      }
      resolve({ status, signal, stdout, stderr });
    });
  });
  return { pid: child.pid ?? -1, done, kill: (signal) => child.kill(signal) };
}

const fedcheck = (args: readonly string[]): Promise<Run> => start(args).done;

const scratch = mkdtempSync(join(tmpdir(), 'fedcheck-output-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
/** A fresh empty directory. */
const freshDir = (): string => mkdtempSync(join(scratch, 'd-'));

/** Exit 64/66/73: nothing on stdout, one line on stderr starting "fedcheck: ". */
function assertOneLineError(r: Run, status: number, pattern: RegExp): void {
  assert.equal(r.status, status, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^fedcheck: [^\n]*\n$/);
  assert.match(r.stderr, pattern);
}

const SAMPLE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*\})? -?[0-9.e+]+$/;

describe('every format end to end (nothing answers: every domain unknown, exit 3)', () => {
  const domains = ['a.example', 'b.example'];

  test('nagios: the status line, perfdata, one long-output line per domain', async () => {
    const r = await fedcheck([...DEAD, '--format', 'nagios', ...domains]);
    assert.equal(r.status, 3, r.stderr);
    assert.equal(r.stderr, '');
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(
      lines[0]!,
      /^FEDCHECK UNKNOWN - 2 of 2 domains unknown: a\.example, b\.example \| domains=2;;;0 pass=0;;;0;2 warn=0;0;;0;2 fail=0;;0;0;2 unknown=2;;;0;2 queries=\d+c;;;0 seconds=[0-9.]+s;;;0 dnssec_secure=0;;;0;2$/,
    );
    assert.deepEqual(lines.slice(1).map((l) => l.split(' - ')[0]), ['a.example: UNKNOWN', 'b.example: UNKNOWN']);
  });

  test('json: a fedcheck/1 report', async () => {
    const r = await fedcheck([...DEAD, '--format', 'json', ...domains]);
    assert.equal(r.status, 3, r.stderr);
    const report = JSON.parse(r.stdout) as { schema: string; domains: { status: string }[]; summary: { unknown: number } };
    assert.equal(report.schema, 'fedcheck/1');
    assert.deepEqual(report.domains.map((d) => d.status), ['unknown', 'unknown']);
    assert.equal(report.summary.unknown, 2);
    assert.ok(!('changes' in report), 'no changes without --since');
  });

  test('junit: a suite per domain, every case an <error>', async () => {
    const r = await fedcheck([...DEAD, '--format', 'junit', ...domains]);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stdout, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="fedcheck" tests="6" failures="0" errors="6" skipped="0" /);
    assert.equal(r.stdout.match(/<testsuite /g)?.length, 2);
    assert.equal(r.stdout.match(/<testcase /g)?.length, 6);
    assert.equal(r.stdout.match(/<error type="unknown" message="could not tell: /g)?.length, 6);
    assert.ok(r.stdout.endsWith('</testsuites>\n'));
  });

  test('prometheus: HELP/TYPE and samples only, unknown = 1 for each domain', async () => {
    const r = await fedcheck([...DEAD, '--format', 'prometheus', ...domains]);
    assert.equal(r.status, 3, r.stderr);
    for (const line of r.stdout.trimEnd().split('\n')) {
      assert.ok(/^# (HELP|TYPE) fedcheck_[a-z_]+ \S/.test(line) || SAMPLE.test(line), line);
    }
    for (const d of domains) assert.ok(r.stdout.includes(`fedcheck_domain_status{domain="${d}",status="unknown"} 1\n`));
    assert.match(r.stdout, /^fedcheck_queries_total\{result="network"\} [1-9]\d*$/m, "nothing listens on the port: ICMP port unreachable ends each query as a network failure");
    assert.match(r.stdout, /^fedcheck_last_run_timestamp_seconds \d+(\.\d+)?$/m);
  });

  test('ndjson: a line per domain, then the summary', async () => {
    const r = await fedcheck([...DEAD, '--format', 'ndjson', ...domains]);
    assert.equal(r.status, 3, r.stderr);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; domain?: string; summary?: { domains: number } });
    assert.deepEqual(lines.map((l) => l.type), ['domain', 'domain', 'summary']);
    assert.deepEqual(lines.slice(0, 2).map((l) => l.domain).sort(), domains);
    assert.equal(lines[2]!.summary!.domains, 2);
  });

  test('an unknown format is a usage error', async () => {
    const r = await fedcheck([...DEAD, '--format', 'xml', 'a.example']);
    assert.equal(r.status, 64);
    assert.equal(r.stdout, '');
  });
});

describe('-o/--output: atomic file output', () => {
  // The runs that must last a while ask a port that reads and drops every datagram: each query
  // waits out its timeout. (Where nothing listens, as on 127.0.0.1:9, the ICMP port unreachable
  // ends a query at once.)
  let hole: Blackhole | undefined;
  let SILENT: readonly string[] = [];
  before(async () => {
    hole = await startBlackhole();
    SILENT = ['-r', hole.address, '--timeout', '200', '--retries', '0'];
  });
  after(() => hole?.stop());

  test('the report goes to the file, nothing to stdout, no temp file left, the exit code unchanged', async () => {
    const dir = freshDir();
    const out = join(dir, 'report.json');
    const r = await fedcheck([...DEAD, '--format', 'json', '-o', out, 'a.example']);
    assert.equal(r.status, 3, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(readdirSync(dir), ['report.json']);
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as { schema: string }).schema, 'fedcheck/1');
  });

  test('replacing a file keeps its permissions; -o - is stdout', async () => {
    const dir = freshDir();
    const out = join(dir, 'fedcheck.prom');
    writeFileSync(out, 'OLD\n');
    chmodSync(out, 0o640);
    const r = await fedcheck([...DEAD, '--format', 'prometheus', '--output', out, 'a.example']);
    assert.equal(r.status, 3, r.stderr);
    assert.match(readFileSync(out, 'utf8'), /^# HELP fedcheck_domain_status /);
    assert.equal(statSync(out).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(dir), ['fedcheck.prom']);
    const s = await fedcheck([...DEAD, '--format', 'nagios', '-o', '-', 'a.example']);
    assert.match(s.stdout, /^FEDCHECK UNKNOWN - /);
  });

  test('a file that cannot be created: exit 73 before any DNS work, one line, nothing created', async () => {
    const dir = freshDir();
    const r = await fedcheck([...DEAD, '-o', join(dir, 'missing', 'report.txt'), 'a.example']);
    assertOneLineError(r, 73, /cannot create output .*ENOENT/);
    assert.deepEqual(readdirSync(dir), []);
  });

  test('a file that cannot be written to the end: exit 74, one line, the old file kept, no temp file left', () => {
    const dir = freshDir();
    const out = join(dir, 'report.json');
    writeFileSync(out, 'OLD\n');
    // A file size limit of 2 kB (the report is about 5 kB) makes write() fail with EFBIG once the
    // limit is reached; SIGXFSZ is ignored so that the process sees the error instead of dying of it.
    const r = spawnSync('sh', ['-c', 'trap "" XFSZ; exec prlimit --fsize=2048 "$@"', 'sh', process.execPath, BIN, ...CONTOSO, '--format', 'json', '-o', out, 'contoso.com'], { encoding: 'utf8' });
    assert.equal(r.status, 74, `${r.stderr}${r.error?.message ?? ''}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^fedcheck: cannot write output ".*report\.json": EFBIG\n$/);
    assert.equal(readFileSync(out, 'utf8'), 'OLD\n');
    assert.deepEqual(readdirSync(dir), ['report.json']);
  });

  test('during a streaming run the file is the old one or the whole new one, never part of one', async () => {
    const dir = freshDir();
    const out = join(dir, 'run.ndjson');
    writeFileSync(out, 'OLD\n');
    const names = Array.from({ length: 6 }, (_, i) => `d${i}.example`);
    // One domain at a time, ~200 ms each: about a second in which to look.
    const run = start([...SILENT, '--concurrency', '1', '--format', 'ndjson', '-o', out, ...names]);
    const seen = new Set<string>();
    let sawTemp = false;
    let finished = false;
    void run.done.then(() => (finished = true));
    while (!finished) {
      const content = readFileSync(out, 'utf8');
      seen.add(content === 'OLD\n' ? 'old' : content.trimEnd().split('\n').length === 7 && content.includes('"type":"summary"') ? 'new' : `partial: ${content.slice(0, 80)}`);
      const temps = readdirSync(dir).filter((f) => f.startsWith('run.ndjson.tmp.'));
      if (temps.length > 0) {
        assert.deepEqual(temps, [`run.ndjson.tmp.${run.pid}`]);
        sawTemp = true;
      }
      await sleep(10);
    }
    const r = await run.done;
    assert.equal(r.status, 3, r.stderr);
    assert.ok(sawTemp, 'the temp file existed while the run streamed into it');
    assert.deepEqual([...seen].filter((s) => s !== 'old' && s !== 'new'), []);
    assert.deepEqual(readdirSync(dir), ['run.ndjson']);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 7);
    assert.equal((JSON.parse(lines[6]!) as { type: string }).type, 'summary');
  });

  test('a run stopped by SIGTERM removes its temp file and leaves the old report', async () => {
    const dir = freshDir();
    const out = join(dir, 'report.ndjson');
    writeFileSync(out, 'OLD\n');
    const run = start([...SILENT, '--concurrency', '1', '--format', 'ndjson', '-o', out, ...Array.from({ length: 20 }, (_, i) => `d${i}.example`)]);
    const temp = join(dir, `report.ndjson.tmp.${run.pid}`);
    for (let i = 0; i < 500 && !(existsSync(temp) && readFileSync(temp, 'utf8').length > 0); i += 1) await sleep(10);
    assert.ok(existsSync(temp), 'the run got as far as writing');
    run.kill('SIGTERM');
    const r = await run.done;
    assert.equal(r.signal, 'SIGTERM', `died of the signal (status ${r.status}, ${r.stderr})`);
    assert.deepEqual(readdirSync(dir), ['report.ndjson']);
    assert.equal(readFileSync(out, 'utf8'), 'OLD\n');
  });
});

describe('-q/--quiet', () => {
  test('domains that are not pass are still shown (table, json, ndjson)', async () => {
    const table = await fedcheck([...DEAD, '-q', 'a.example']);
    assert.equal(table.status, 3);
    assert.match(table.stdout, /a\.example.*UNKNOWN/);
    const json = JSON.parse((await fedcheck([...DEAD, '-q', '--format', 'json', 'a.example'])).stdout) as { domains: unknown[] };
    assert.equal(json.domains.length, 1);
    const nd = await fedcheck([...DEAD, '-q', '--format', 'ndjson', 'a.example']);
    assert.equal(nd.stdout.trimEnd().split('\n').length, 2);
  });

  test('every domain passes: nothing at all on stdout, exit 0 (nagios still says OK)', async () => {
    for (const format of ['table', 'json', 'ndjson']) {
      const r = await fedcheck([...CONTOSO, '-q', '--format', format, 'contoso.com']);
      assert.equal(r.status, 0, `${format}: ${r.stderr}`);
      assert.equal(r.stdout, '', format);
    }
    const nagios = await fedcheck([...CONTOSO, '-q', '--format', 'nagios', 'contoso.com']);
    assert.match(nagios.stdout, /^FEDCHECK OK - 1 of 1 domain pass \| /);
  });

  test('json: only the domains that are not pass; the summary counts all', async () => {
    const r = await fedcheck([...CONTOSO, '--zone', join(ZONES, 'fabrikam.com.zone'), '-q', '--format', 'json', 'contoso.com', 'fabrikam.com']);
    const report = JSON.parse(r.stdout) as { domains: { domain: string; status: string }[]; summary: { domains: number; pass: number } };
    assert.deepEqual(report.domains.map((d) => d.domain), ['fabrikam.com']);
    assert.notEqual(report.domains[0]!.status, 'pass');
    assert.equal(report.summary.domains, 2);
    assert.equal(report.summary.pass, 1);
    assert.equal(r.status, report.domains[0]!.status === 'fail' ? 2 : 1);
  });
});

describe('--since', () => {
  const dir = freshDir();
  const previous = join(dir, 'previous.json');

  test('a passing domain that now cannot be checked: newly unknown, in every format', async () => {
    const first = await fedcheck([...CONTOSO, '--format', 'json', '-o', previous, 'contoso.com']);
    assert.equal(first.status, 0, first.stderr);

    const json = await fedcheck([...DEAD, '--since', previous, '--format', 'json', 'contoso.com']);
    assert.equal(json.status, 3, json.stderr);
    const changes = (JSON.parse(json.stdout) as { changes: { since: string; domains: unknown[]; records: unknown[]; counts: Record<string, number> } }).changes;
    assert.deepEqual(changes.domains, [{ domain: 'contoso.com', kind: 'newly-unknown', from: 'pass', to: 'unknown' }]);
    assert.deepEqual(changes.records, [], 'a timeout is not a moved record');
    assert.equal(changes.counts['newly-unknown'], 1);
    assert.ok((changes.counts.rule ?? 0) > 0);

    const table = await fedcheck([...DEAD, '--since', previous, 'contoso.com']);
    assert.match(table.stdout, /\nChanges since \S+: 1 newly unknown, \d+ rule changes\n  newly unknown: contoso\.com \(pass → unknown\)\n/);
    const nagios = await fedcheck([...DEAD, '--since', previous, '--format', 'nagios', 'contoso.com']);
    assert.match(nagios.stdout, /\n {2}newly unknown: contoso\.com \(pass → unknown\)\n/);
    const prom = await fedcheck([...DEAD, '--since', previous, '--format', 'prometheus', 'contoso.com']);
    assert.match(prom.stdout, /^fedcheck_changes\{kind="newly-unknown"\} 1$/m);
    const junit = await fedcheck([...DEAD, '--since', previous, '--format', 'junit', 'contoso.com']);
    assert.match(junit.stdout, /<testsuite name="fedcheck changes" /);
    const nd = await fedcheck([...DEAD, '--since', previous, '--format', 'ndjson', 'contoso.com']);
    const [line, summary] = nd.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { changes: { status?: { kind: string }; counts?: Record<string, number> } });
    assert.equal(line!.changes.status!.kind, 'newly-unknown');
    assert.equal(summary!.changes.counts!['newly-unknown'], 1);
  });

  test('unchanged and all passing with -q: silence', async () => {
    const r = await fedcheck([...CONTOSO, '-q', '--since', previous, 'contoso.com']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
  });

  test('a missing previous report: exit 66; not a fedcheck/1 report: exit 64; no output file', async () => {
    const out = join(dir, 'never.json');
    assertOneLineError(await fedcheck([...DEAD, '--since', join(dir, 'missing.json'), '-o', out, 'a.example']), 66, /cannot read previous report .*ENOENT/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"schema":"something/2"}');
    assertOneLineError(await fedcheck([...DEAD, '--since', bad, '-o', out, 'a.example']), 64, /not a fedcheck\/1 JSON report: its schema is "something\/2"$/m);
    writeFileSync(bad, 'FEDCHECK OK - 1 of 1 domain pass');
    assertOneLineError(await fedcheck([...DEAD, '--since', bad, 'a.example']), 64, /not a fedcheck\/1 JSON report/);
    assert.ok(!existsSync(out));
  });
});

describe('--since: the records a profile asks for', () => {
  const dir = freshDir();
  const zone = (sipTlsTarget: string, lyncdiscover: string): string => {
    const file = join(dir, `drift-${sipTlsTarget}-${lyncdiscover}.zone`);
    writeFileSync(
      file,
      [
        '$ORIGIN drift.test.',
        '$TTL 300',
        '@ SOA ns1 hostmaster 1 3600 600 86400 60',
        '  NS ns1',
        'ns1 A 192.0.2.53',
        '_sipfederationtls._tcp SRV 0 0 5061 sip',
        `_sip._tls SRV 0 0 443 ${sipTlsTarget}`,
        'sip A 192.0.2.10',
        'sip2 A 192.0.2.11',
        `lyncdiscover A ${lyncdiscover}`,
        '',
      ].join('\n'),
    );
    return file;
  };
  const edge = ['--profile', 'edge', '--xmpp', 'off', '--format', 'json'] as const;

  test('_sip._tls and lyncdiscover are in records, and their drift is a record change', async () => {
    const previous = join(dir, 'previous.json');
    const first = await fedcheck(['--zone', zone('sip', '192.0.2.20'), ...edge, '-o', previous, 'drift.test']);
    assert.equal(first.status, 0, first.stderr);
    const records = (JSON.parse(readFileSync(previous, 'utf8')) as { domains: { records: Record<string, unknown> }[] }).domains[0]!.records;
    assert.deepEqual(Object.keys(records), ['sipfederationtls', 'xmppServer', 'sipTls', 'hosts']);
    assert.deepEqual((records.sipTls as { srv: unknown[] }).srv, [{ priority: 0, weight: 0, port: 443, target: 'sip.drift.test' }]);
    assert.deepEqual(
      (records.hosts as { role: string; name: string; a: string[] }[]).map((h) => [h.role, h.name, h.a]),
      [['access-edge', 'sip.drift.test', ['192.0.2.10']], ['lyncdiscover', 'lyncdiscover.drift.test', ['192.0.2.20']]],
    );

    const second = await fedcheck(['--zone', zone('sip2', '192.0.2.21'), ...edge, '--since', previous, 'drift.test']);
    const changes = (JSON.parse(second.stdout) as { changes: { records: { name: string; type: string; before: string[]; after: string[] }[] } }).changes;
    assert.deepEqual(
      changes.records.map((c) => [c.name, c.type, c.before, c.after]),
      [
        ['_sip._tls.drift.test', 'SRV', ['0 0 443 sip.drift.test'], ['0 0 443 sip2.drift.test']],
        ['lyncdiscover.drift.test', 'A', ['192.0.2.20'], ['192.0.2.21']],
      ],
    );
  });

  test('the federation profile reports exactly the two SRV owners', async () => {
    const r = await fedcheck(['--zone', zone('sip', '192.0.2.20'), '--format', 'json', 'drift.test']);
    const records = (JSON.parse(r.stdout) as { domains: { records: Record<string, unknown> }[] }).domains[0]!.records;
    assert.deepEqual(Object.keys(records), ['sipfederationtls', 'xmppServer']);
  });
});

describe('a resolver port where nothing listens', () => {
  test('ends at once, unknown, saying so: the ICMP port unreachable, not a timeout per try', async () => {
    const started = performance.now();
    const r = await fedcheck(['-r', '127.0.0.1:9', '--timeout', '5000', '--retries', '2', '--format', 'json', 'a.example']);
    const seconds = (performance.now() - started) / 1000;
    assert.equal(r.status, 3, r.stderr);
    assert.ok(seconds < 4, `took ${seconds.toFixed(1)} s; three 5 s timeouts would take 15`);
    const report = JSON.parse(r.stdout) as { domains: { findings: { status: string; reason?: string }[] }[]; queries: { outcomes: Record<string, number> } };
    const reasons = report.domains[0]!.findings.filter((f) => f.status === 'unknown').map((f) => f.reason);
    assert.ok(reasons.length > 0 && reasons.every((reason) => reason === 'ICMP port unreachable (3 tries to 127.0.0.1:9)'), JSON.stringify(reasons));
    assert.equal(report.queries.outcomes.timeout, 0);
  });
});
