/**
 * Profiles end to end in zone-file mode: `node bin/fedcheck.js --zone …
 * --profile …` against the profile fixtures, every case of verdicts.json;
 * and the `profiles` and `plan` commands as processes.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CLOUD_NAMES, CLOUDS, PROFILE_NAMES } from '../../src/rules/profiles/profiles.js';
import { judgeOutput } from '../support/cli.js';
import { assertCase, caseArguments, profileCases, profileZones, ROOT } from './profiles-verdicts.js';

const BIN = join(ROOT, 'bin', 'fedcheck.js');
const GUARD = join(ROOT, 'dist', 'test', 'support', 'loopback-guard.js');

/** Run the CLI; every check here is in zone-file mode (in-process loopback server), never live DNS. */
function fedcheck(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const check = !['profiles', 'plan', 'rules'].includes(args[0] ?? '');
  if (check) assert.ok(args.includes('--zone'), `test bug: ${args.join(' ')} is a check without --zone`);
  const preload = existsSync(GUARD) ? ['--import', pathToFileURL(GUARD).href] : [];
  const r = spawnSync(process.execPath, [...preload, BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw r.error;
  judgeOutput(args, r.status, r.stdout);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ZONES = profileZones().flatMap((z) => ['--zone', z.file]);
const EXIT: Record<string, number> = { pass: 0, warn: 1, fail: 2, unknown: 3 };

describe('profile fixtures in zone-file mode', () => {
  for (const c of profileCases()) {
    test(`${c.domain} --profile ${c.profile}${c.cloud !== undefined ? ` --cloud ${c.cloud}` : ''}: ${c.status} (${c.demonstrates})`, () => {
      const r = fedcheck([...ZONES, '--format', 'json', ...caseArguments(c)]);
      assert.equal(r.stderr, '');
      const report = JSON.parse(r.stdout) as { mode: string; domains: { domain: string; status: string; profile?: { requested: string; applied: string }; findings: { rule: string; status: 'pass' }[] }[] };
      assert.equal(report.mode, 'zone');
      const domain = report.domains[0]!;
      assert.equal(domain.domain, c.domain);
      assert.equal(domain.profile?.requested, c.profile);
      assertCase(c, domain);
      assert.equal(r.status, EXIT[c.status]);
    });
  }

  test('the table shows the Profile column and the profile groups', () => {
    const r = fedcheck([...ZONES, '--profile', 'auto', 'half.hybrid.profiles.test', 'good.edge.profiles.test']);
    assert.equal(r.status, 2);
    assert.match(r.stdout, /Profile/);
    assert.match(r.stdout, /online \(auto\) ≠/);
    assert.match(r.stdout, /edge \(auto\)/);
    assert.match(r.stdout, /External access/);
    assert.match(r.stdout, /Online/);
    assert.match(r.stdout, /profile-auto: auto chose the online profile \(cloud worldwide\)/);
  });

  test('a plain run (no profile) keeps the three core columns', () => {
    const r = fedcheck([...ZONES, 'good.edge.profiles.test']);
    assert.equal(r.status, 0);
    assert.doesNotMatch(r.stdout, /Profile|External access|Online/);
  });

  test('--profile and --cloud refuse unknown names (exit 64)', () => {
    for (const args of [['--profile', 'hybrid'], ['--cloud', 'germany']]) {
      const r = fedcheck([...ZONES, ...args, 'good.edge.profiles.test']);
      assert.equal(r.status, 64, args.join(' '));
      assert.equal(r.stdout, '');
    }
  });

  test('a bad edge FQDN in the config is refused with its location (exit 64)', () => {
    const c = { ...profileCases()[0]!, settings: { edge: 'not a host' } };
    const r = fedcheck([...ZONES, ...caseArguments(c)]);
    assert.equal(r.status, 64);
    assert.match(r.stderr, /^fedcheck: .*config\.json: good\.edge\.profiles\.test: edge: /);
  });
});

describe('fedcheck profiles', () => {
  test('table: every profile, its records and the clouds', () => {
    const r = fedcheck(['profiles']);
    assert.equal(r.status, 0);
    for (const name of PROFILE_NAMES) assert.match(r.stdout, new RegExp(`^${name}: `, 'm'));
    for (const cloud of CLOUD_NAMES) assert.ok(r.stdout.includes(CLOUDS[cloud].sipfed), cloud);
    assert.match(r.stdout, /_sip\._tls\.D SRV 100 1 443 sipdir\.online\.lync\.com/);
  });

  test('--cloud shows that cloud in the online profile', () => {
    const r = fedcheck(['profiles', '--cloud', '21vianet']);
    assert.match(r.stdout, /_sip\._tls\.D SRV 100 1 443 sipdir\.online\.partner\.lync\.cn/);
  });

  test('--format json: profiles with rules, records per cloud and sources; clouds', () => {
    const r = fedcheck(['profiles', '--format', 'json']);
    assert.equal(r.status, 0);
    const parsed = JSON.parse(r.stdout) as { profiles: { name: string; rules: string[]; records: Record<string, { owner: string; data: string; source: { url: string } }[]> }[]; clouds: { name: string; sipfed: string }[] };
    assert.deepEqual(parsed.profiles.map((p) => p.name), [...PROFILE_NAMES]);
    const online = parsed.profiles.find((p) => p.name === 'online')!;
    assert.ok(online.rules.includes('online-sipfed-target') && !online.rules.includes('sipfed-target-domain'));
    assert.deepEqual(Object.keys(online.records).sort(), [...CLOUD_NAMES].sort());
    assert.ok(online.records['gcc-high']!.some((r) => r.data === '100 1 5061 <sipfed>'));
    assert.deepEqual(parsed.clouds.map((c) => c.sipfed), CLOUD_NAMES.map((c) => CLOUDS[c].sipfed));
  });

  test('--format markdown: one table per profile and the clouds table', () => {
    const r = fedcheck(['profiles', '--format', 'markdown']);
    assert.equal(r.status, 0);
    for (const name of PROFILE_NAMES) assert.match(r.stdout, new RegExp(`^#### \`${name}\`: `, 'm'));
    assert.match(r.stdout, /^\| `_sipfederationtls\._tcp\.D` \| SRV \| `100 1 5061 sipfed\.online\.lync\.com` \|/m);
    assert.match(r.stdout, /^#### Clouds \(`--cloud`\)/m);
  });
});

describe('fedcheck plan (process)', () => {
  test('online prints Microsoft\'s values', () => {
    const r = fedcheck(['plan', 'contoso.com', '--profile', 'online']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^_sipfederationtls\._tcp\.contoso\.com\.\s+3600 IN SRV\s+100 1 5061 sipfed\.online\.lync\.com\.$/m);
    assert.match(r.stdout, /^lyncdiscover\.contoso\.com\.\s+3600 IN CNAME webdir\.online\.lync\.com\.$/m);
  });

  test('bad input (auto is not a plan profile) → exit 64, one line on stderr', () => {
    for (const args of [['plan', 'contoso.com', '--profile', 'auto'], ['plan', 'contoso.com', '--address', '999.1.1.1'], ['plan', 'not a domain'], ['plan', 'contoso.com', '--edge', 'a..b']]) {
      const r = fedcheck(args);
      assert.equal(r.status, 64, args.join(' '));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^fedcheck: [^\n]+\n$/, args.join(' '));
    }
  });
});
