/**
 * The CLI as a process: arguments in, exit code, stdout and stderr out. No DNS
 * server is needed: every check command is pointed at a loopback port where
 * nothing answers (127.0.0.1:9, discard), so the only DNS outcome possible is
 * "could not tell" (unknown, exit 3), never a verdict about real records.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isLoopback, parseServerAddress } from '../../src/dns/server-address.js';
import { RULE_IDS } from '../../src/rules/catalogue.js';
import { judgeOutput } from '../support/cli.js';

// dist/test/cli/ → the repository root.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'fedcheck.js');
const GUARD = join(ROOT, 'dist', 'test', 'support', 'loopback-guard.js');
/** A loopback resolver that cannot answer, with a short timeout and no retries. */
const DEAD = ['-r', '127.0.0.1:9', '--timeout', '200', '--retries', '0'] as const;
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Commands that never look anything up. */
const OFFLINE = new Set(['--help', '-h', '--version', '-V', 'rules', 'explain']);

/**
 * Refuse to start a check that could query the machine's resolver: a check
 * command must name at least one resolver, and every resolver it names must
 * be loopback (or unparseable, so that the CLI rejects it before any query).
 */
function guardArgs(args: readonly string[]): void {
  if (args[0] !== undefined && OFFLINE.has(args[0])) return;
  const resolvers = args.flatMap((arg, i) => (arg === '-r' || arg === '--resolver' ? [args[i + 1] ?? ''] : arg.startsWith('--resolver=') ? [arg.slice(11)] : []));
  assert.ok(resolvers.length > 0, `test bug: ${args.join(' ')} names no resolver and would use the machine's`);
  for (const text of resolvers) {
    const parsed = parseServerAddress(text);
    assert.ok(!parsed.ok || isLoopback(parsed.value.host), `test bug: resolver ${text} is not loopback`);
  }
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function fedcheck(args: readonly string[], input?: string): Run {
  guardArgs(args);
  // Belt and braces: when the shared loopback guard is built, load it into the child too.
  const preload = existsSync(GUARD) ? ['--import', pathToFileURL(GUARD).href] : [];
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FEDCHECK_DEBUG;
  const r = spawnSync(process.execPath, [...preload, BIN, ...args], { cwd: ROOT, env, input: input ?? '', encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw r.error;
  judgeOutput(args, r.status, r.stdout);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Exit 64/66: nothing on stdout, exactly one line on stderr starting "fedcheck: ", no stack trace. */
function assertUsage(r: Run, code: 64 | 66, pattern: RegExp): void {
  assert.equal(r.status, code, `exit ${code}; stderr: ${r.stderr}`);
  assert.equal(r.stdout, '', 'nothing on stdout');
  assert.match(r.stderr, /^fedcheck: [^\n]+\n$/, `one line on stderr: ${JSON.stringify(r.stderr)}`);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

const dir = mkdtempSync(join(tmpdir(), 'fedcheck-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('fedcheck as a process: informational commands (exit 0)', () => {
  test('--help', () => {
    const r = fedcheck(['--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Usage: fedcheck/);
    for (const flag of ['--resolver', '--file', '--config', '--format', '--timeout', '--retries', '--no-mobility', '--no-discovery', '--xmpp']) assert.ok(r.stdout.includes(flag), flag);
    assert.equal(r.stderr, '');
  });

  test('--version prints the package version', () => {
    const r = fedcheck(['--version']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout.trim(), PACKAGE_VERSION);
    assert.equal(r.stderr, '');
  });

  test('rules lists every rule id', () => {
    const r = fedcheck(['rules']);
    assert.equal(r.status, 0);
    for (const id of RULE_IDS) assert.match(r.stdout, new RegExp(`(^|\\s)${id}\\s`, 'm'), id);
    assert.equal(r.stderr, '');
  });

  test('rules --format json is the catalogue as JSON', () => {
    const r = fedcheck(['rules', '--format', 'json']);
    assert.equal(r.status, 0);
    const ids = (JSON.parse(r.stdout) as { id: string }[]).map((e) => e.id);
    for (const id of RULE_IDS) assert.ok(ids.includes(id), id);
  });

  test('explain push-srv', () => {
    const r = fedcheck(['explain', 'push-srv']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^push-srv: /);
    assert.match(r.stdout, /breaks: .*push notification/i);
    assert.match(r.stdout, /https:\/\//);
    assert.equal(r.stderr, '');
  });

  test('explain nope → 64', () => assertUsage(fedcheck(['explain', 'nope']), 64, /nope/));
});

describe('fedcheck as a process: bad input (exit 64 / 66, one line on stderr)', () => {
  test('no domains', () => assertUsage(fedcheck([...DEAD]), 64, /no domains/));
  test('bad domain is named', () => assertUsage(fedcheck([...DEAD, 'contoso.example', 'bad_name.example']), 64, /bad_name\.example/));
  test('single-label domain', () => assertUsage(fedcheck([...DEAD, 'contoso']), 64, /contoso/));
  test('domain with an ESC sequence: shown escaped', () => {
    const r = fedcheck([...DEAD, '\u001b[31mred.example']);
    assertUsage(r, 64, /\\u001b\[31m/);
    assert.ok(!r.stderr.includes('\u001b'), 'no raw ESC');
  });
  test(
    'unknown option with an ESC sequence: shown escaped',
    () => {
      const r = fedcheck([...DEAD, '--bo\u001b[31mgus', 'contoso.example']);
      assertUsage(r, 64, /gus/);
      assert.ok(!r.stderr.includes('\u001b'), 'no raw ESC');
    },
  );
  test('bad resolver 300.1.1.1', () => assertUsage(fedcheck(['-r', '300.1.1.1', 'contoso.example']), 64, /300\.1\.1\.1/));
  test('bad resolver port 127.0.0.1:99999', () => assertUsage(fedcheck(['-r', '127.0.0.1:99999', 'contoso.example']), 64, /99999/));
  test('resolver given as a host name', () => assertUsage(fedcheck(['-r', 'localhost', 'contoso.example']), 64, /localhost/));
  test('unknown option', () => assertUsage(fedcheck([...DEAD, '--bogus', 'contoso.example']), 64, /--bogus/));
  test('bad --format', () => assertUsage(fedcheck([...DEAD, '--format', 'xml', 'contoso.example']), 64, /xml/));
  test('bad --xmpp', () => assertUsage(fedcheck([...DEAD, '--xmpp', 'sometimes', 'contoso.example']), 64, /sometimes/));
  test('bad --timeout abc', () => assertUsage(fedcheck([...DEAD, '--timeout', 'abc', 'contoso.example']), 64, /--timeout.*abc/));
  test('bad --retries -1', () => assertUsage(fedcheck([...DEAD, '--retries=-1', 'contoso.example']), 64, /--retries/));
  test('--concurrency 0', () => assertUsage(fedcheck([...DEAD, '--concurrency', '0', 'contoso.example']), 64, /--concurrency/));
  test('unreadable --file → 66 naming it', () => assertUsage(fedcheck([...DEAD, '--file', join(dir, 'missing.txt')]), 66, /missing\.txt/));
  test('bad name inside --file → 64 with file:line', () => {
    const list = file('domains.txt', '# partners\ncontoso.example\n\nbad_name.example\n');
    assertUsage(fedcheck([...DEAD, '--file', list]), 64, /domains\.txt:4: .*bad_name\.example/);
  });
  test('bad name on stdin (--file -) → 64 with <stdin>:line', () => assertUsage(fedcheck([...DEAD, '--file', '-'], 'contoso.example\n-bad.example\n'), 64, /<stdin>:2: /));
  test('invalid config JSON → 64', () => assertUsage(fedcheck([...DEAD, '--config', file('broken.json', '{"domains": [')]), 64, /broken\.json: not valid JSON/));
  test('config schema violation → 64 with the JSON path', () => {
    const config = file('schema.json', JSON.stringify({ domains: ['contoso.example', { domain: 'fabrikam.example', xmpp: 'maybe' }] }));
    assertUsage(fedcheck([...DEAD, '--config', config]), 64, /\$\.domains\[1\]\.xmpp/);
  });
  test('config unknown property → 64 naming it', () => assertUsage(fedcheck([...DEAD, '--config', file('unknown.json', '{"resolver": []}')]), 64, /\$\.resolver: unknown property/));
  test('bad domain inside the config → 64', () => assertUsage(fedcheck([...DEAD, '--config', file('baddomain.json', '{"domains": ["bad_name.example"]}')]), 64, /bad_name\.example/));
  test('unreadable config → 66', () => assertUsage(fedcheck([...DEAD, '--config', join(dir, 'missing.json'), 'contoso.example']), 66, /missing\.json/));
});

describe('fedcheck as a process: a resolver that never answers (exit 3, never 2)', () => {
  test('table: the domain is UNKNOWN, exit 3', () => {
    const r = fedcheck([...DEAD, 'contoso.example']);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stdout, /contoso\.example/);
    assert.match(r.stdout, /UNKNOWN/);
    assert.doesNotMatch(r.stdout, /FAIL/);
    assert.doesNotMatch(r.stdout, /\u001b/, 'no colour when stdout is not a terminal');
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  test('json: every finding unknown with a reason naming the resolver; expectations from flags', () => {
    const r = fedcheck([...DEAD, '--format', 'json', '--no-mobility', '--xmpp', 'off', 'Contoso.Example.', 'contoso.example', 'bücher.example']);
    assert.equal(r.status, 3, r.stderr);
    const report = JSON.parse(r.stdout) as {
      schema: string;
      resolvers: string[];
      domains: { domain: string; status: string; findings: { rule: string; status: string; reason?: string }[]; expectations: { mobility: boolean; xmpp: string } }[];
      summary: { pass: number; warn: number; fail: number; unknown: number };
    };
    assert.equal(report.schema, 'fedcheck/1');
    assert.deepEqual(report.resolvers, ['127.0.0.1:9']);
    assert.deepEqual(report.domains.map((d) => d.domain), ['contoso.example', 'xn--bcher-kva.example'], 'converted and deduplicated');
    assert.deepEqual([report.summary.unknown, report.summary.fail], [2, 0]);
    for (const d of report.domains) {
      assert.equal(d.status, 'unknown');
      assert.deepEqual(d.expectations.mobility, false);
      assert.deepEqual(d.expectations.xmpp, 'off');
      assert.deepEqual(d.findings.map((f) => f.rule), ['sipfed-srv'], 'no push-srv (mobility off), no xmpp (off)');
      for (const f of d.findings) {
        assert.equal(f.status, 'unknown');
        assert.match(f.reason ?? '', /127\.0\.0\.1:9/);
      }
    }
  });

  test('per-domain expectations from --config reach the checker', () => {
    const config = file('expect.json', JSON.stringify({ defaults: { xmpp: 'off' }, domains: [{ domain: 'contoso.example', xmpp: 'required' }, 'fabrikam.example'] }));
    const r = fedcheck([...DEAD, '--format', 'json', '--config', config]);
    assert.equal(r.status, 3, r.stderr);
    const report = JSON.parse(r.stdout) as { domains: { domain: string; findings: { rule: string }[] }[] };
    const rules = Object.fromEntries(report.domains.map((d) => [d.domain, d.findings.map((f) => f.rule).sort()]));
    assert.deepEqual(rules, { 'contoso.example': ['push-srv', 'sipfed-srv', 'xmpp-srv'], 'fabrikam.example': ['push-srv', 'sipfed-srv'] });
  });
});
