/**
 * Authoritative mode end to end: the built CLI, Unbound as the resolver that
 * finds the zones, and two real authoritative servers that disagree (NSD with
 * the newer copy of auth.test, Knot with the older), a lame one (NSD serving
 * another zone: REFUSED) and an address where nothing listens. The main world
 * listens on port 53 of 127.0.0.2-4 (and ::1), the real path with no --port;
 * a second one on a high port proves --port.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { startAuthoritativeWorld, type AuthoritativeWorld } from '../support/authoritative-world.js';
import { judgeOutput } from '../support/cli.js';
import { freePort } from '../support/real-servers.js';
import { repoRoot } from '../support/servers.js';

interface Finding {
  rule: string;
  status: string;
  name: string;
  message: string;
  reason?: string;
}
interface Server {
  names: string[];
  address: string;
}
interface DomainJson {
  domain: string;
  status: string;
  findings: Finding[];
  records: { sipfederationtls: { srv: { target: string; port: number }[]; lookup: { server?: string } } };
  authoritative?: {
    zones: { zone: string; view?: Server; servers: { server: Server; soa: { kind: string; serial?: number; detail?: string } }[] }[];
    comparisons: { name: string; what: string; answers: { server: Server; answer: { kind: string; values?: string[] } }[] }[];
    zoneErrors: unknown[];
  };
}
interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

const BIN = join(repoRoot(), 'bin', 'fedcheck.js');
// The loopback guard in the child too: the CLI must never ask anything but the test world.
const GUARD = join(repoRoot(), 'dist', 'test', 'support', 'loopback-guard.js');
// ns4 never answers: keep its cost to 2 × 700 ms per run.
const FAST = ['--timeout', '700', '--retries', '1'];

/** Run the built CLI without blocking this process (the servers of the world are other processes, but keep the event loop free). */
function fedcheck(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', pathToFileURL(GUARD).href, BIN, ...args], { cwd: repoRoot(), timeout: 60_000 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      try {
        judgeOutput(args, status, stdout); // the report, with its `authoritative` block, against the published schema
      } catch (err) {
        reject(err);
        return;
      }
      resolve({ status, stdout, stderr });
    });
  });
}

async function json(world: AuthoritativeWorld, ...args: string[]): Promise<{ run: Run; domains: DomainJson[] }> {
  const run = await fedcheck(['--authoritative', '-r', world.resolver, '--format', 'json', ...FAST, ...args]);
  assert.equal(run.stderr, '', 'nothing on stderr');
  const report = JSON.parse(run.stdout) as { domains: DomainJson[] };
  return { run, domains: report.domains };
}

const of = (d: DomainJson, rule: string, status?: string): Finding[] => d.findings.filter((f) => f.rule === rule && (status === undefined || f.status === status));
function one(d: DomainJson, rule: string, status: string, name?: string): Finding {
  const found = of(d, rule, status).filter((f) => name === undefined || f.name === name);
  assert.equal(found.length, 1, `one ${rule}:${status}${name ? ` for ${name}` : ''} in ${JSON.stringify(d.findings.map((f) => `${f.rule}:${f.status}:${f.name}`))}`);
  return found[0]!;
}

let world: AuthoritativeWorld;

before(async () => {
  world = await startAuthoritativeWorld(53);
});

after(async () => {
  await world?.stop();
});

describe('authoritative mode on port 53: NSD and Knot disagree, one NS lame, one silent', () => {
  let auth: DomainJson;
  let run: Run;

  before(async () => {
    const result = await json(world, 'auth.test');
    run = result.run;
    auth = result.domains[0]!;
  });

  it('fails (exit 2) because of the lame server', () => {
    assert.equal(run.status, 2);
    assert.equal(auth.status, 'fail');
  });

  it('auth-lame: ns3 fails, naming the server, its address on port 53 and REFUSED', () => {
    const f = one(auth, 'auth-lame', 'fail', 'ns3.auth.test');
    assert.match(f.message, /^ns3\.auth\.test is listed as a name server of auth\.test but does not answer authoritatively for it \(lame\): 127\.0\.0\.4:53 answers REFUSED/);
  });

  it('auth-lame: ns4, where nothing listens, is unknown (lame or unreachable), never fail', () => {
    const f = one(auth, 'auth-lame', 'unknown', 'ns4.auth.test');
    assert.match(f.message, /lame or unreachable/);
    // UDP times out; a client that then tries TCP gets ECONNREFUSED. Neither is a DNS answer: unknown either way.
    assert.match(f.message, /127\.0\.0\.5:53 (does not answer \(timeout, 2 tries\)|cannot be reached \()/);
    assert.ok(f.reason?.includes('127.0.0.5:53'));
  });

  it('auth-lame: ns1 (NSD, over IPv4 and IPv6 when available) and ns2 (Knot) pass, each with its serial', () => {
    const ns1 = one(auth, 'auth-lame', 'pass', 'ns1.auth.test');
    assert.match(ns1.message, new RegExp(`at 127\\.0\\.0\\.2:53${world.ipv6 ? ', \\[::1\\]:53' : ''} \\(serial 2026112502\\)`));
    assert.match(one(auth, 'auth-lame', 'pass', 'ns2.auth.test').message, /at 127\.0\.0\.3:53 \(serial 2026112501\)/);
  });

  it('auth-serial warns and names each server with its serial', () => {
    const f = one(auth, 'auth-serial', 'warn');
    const ns1 = world.ipv6 ? 'ns1.auth.test (127.0.0.2:53, [::1]:53)' : 'ns1.auth.test (127.0.0.2:53)';
    assert.ok(f.message.includes(`2026112502 at ${ns1}; 2026112501 at ns2.auth.test (127.0.0.3:53)`), f.message);
  });

  it('auth-consistency warns on the federation SRV, naming both targets and their servers', () => {
    const f = one(auth, 'auth-consistency', 'warn', '_sipfederationtls._tcp.auth.test');
    assert.match(f.message, /ns1\.auth\.test \(127\.0\.0\.2:53[^)]*\) say[s]? 0 0 5061 sip\.auth\.test; ns2\.auth\.test \(127\.0\.0\.3:53\) says 0 0 5061 sip-old\.auth\.test/);
  });

  it('auth-consistency warns on the addresses of sip.auth.test (192.0.2.10 against 192.0.2.99) and of sip-old.auth.test (only Knot has it)', () => {
    assert.match(one(auth, 'auth-consistency', 'warn', 'sip.auth.test').message, /say[s]? 192\.0\.2\.10; ns2\.auth\.test \(127\.0\.0\.3:53\) says 192\.0\.2\.99/);
    assert.match(one(auth, 'auth-consistency', 'warn', 'sip-old.auth.test').message, /say[s]? NXDOMAIN.*; ns2\.auth\.test \(127\.0\.0\.3:53\) says 192\.0\.2\.98/);
  });

  it('auth-consistency passes where they agree (the XMPP SRV and its target)', () => {
    one(auth, 'auth-consistency', 'pass', '_xmpp-server._tcp.auth.test');
    one(auth, 'auth-consistency', 'pass', 'xmpp.auth.test');
  });

  it("the core rules judge the first authoritative server's view (NSD, the newer copy)", () => {
    const zone = auth.authoritative?.zones.find((z) => z.zone === 'auth.test');
    assert.equal(zone?.view?.address, '127.0.0.2:53');
    assert.deepEqual(auth.records.sipfederationtls.srv.map((r) => r.target), ['sip.auth.test']);
    assert.equal(auth.records.sipfederationtls.lookup.server, '127.0.0.2:53');
    for (const rule of ['sipfed-srv', 'push-srv', 'sipfed-port', 'sipfed-target-address', 'xmpp-srv']) one(auth, rule, 'pass');
  });

  it('the JSON report holds every server of the zone on port 53 and what its SOA probe gave', () => {
    const zone = auth.authoritative!.zones.find((z) => z.zone === 'auth.test')!;
    const probes = Object.fromEntries(zone.servers.map((s) => [s.server.address, s.soa.kind]));
    assert.deepEqual(probes, {
      '127.0.0.2:53': 'authoritative',
      ...(world.ipv6 ? { '[::1]:53': 'authoritative' } : {}),
      '127.0.0.3:53': 'authoritative',
      '127.0.0.4:53': 'lame',
      '127.0.0.5:53': 'silent',
    });
    const srv = auth.authoritative!.comparisons.find((c) => c.name === '_sipfederationtls._tcp.auth.test')!;
    assert.deepEqual(srv.answers.map((a) => [a.server.address, a.answer.values]), [
      ['127.0.0.2:53', ['0 0 5061 sip.auth.test']],
      ...(world.ipv6 ? [['[::1]:53', ['0 0 5061 sip.auth.test']]] : []),
      ['127.0.0.3:53', ['0 0 5061 sip-old.auth.test']],
    ]);
  });

  it('through the resolver alone (no --authoritative) the same domain passes: only authoritative mode sees the stale copy', async () => {
    const plain = await fedcheck(['-r', world.resolver, '--format', 'json', ...FAST, 'auth.test']);
    assert.equal(plain.status, 0, plain.stdout + plain.stderr);
    const d = (JSON.parse(plain.stdout) as { domains: DomainJson[] }).domains[0]!;
    assert.equal(d.authoritative, undefined);
    assert.equal(d.findings.filter((f) => f.rule.startsWith('auth-')).length, 0);
  });

  it('the table names the servers too', async () => {
    const table = await fedcheck(['--authoritative', '-r', world.resolver, '--no-color', ...FAST, 'auth.test']);
    assert.equal(table.status, 2);
    assert.match(table.stdout, /FAIL {5}auth-lame: ns3\.auth\.test is listed as a name server of auth\.test/);
    assert.match(table.stdout, /WARN {5}auth-serial: .*2026112501 at ns2\.auth\.test \(127\.0\.0\.3:53\)/);
  });
});

describe('authoritative mode: servers that agree, and a target in another zone', () => {
  it('agree.test: NSD and Knot agree, nothing lame → every finding passes, exit 0', async () => {
    const { run, domains } = await json(world, 'agree.test');
    assert.equal(run.status, 0);
    const d = domains[0]!;
    assert.equal(d.status, 'pass');
    assert.deepEqual(d.findings.filter((f) => f.status !== 'pass' && f.status !== 'info'), []);
    assert.deepEqual(of(d, 'auth-lame').map((f) => f.name).sort(), ['ns1.agree.test', 'ns2.agree.test']);
    assert.match(one(d, 'auth-serial', 'pass').message, /Every authoritative server of agree\.test \(2 addresses\) has SOA serial 2026112500/);
  });

  it("partner.test: its SRV target lies in agree.test, so agree.test's servers are asked too; exit 1 for the target outside the domain", async () => {
    const { run, domains } = await json(world, 'partner.test');
    assert.equal(run.status, 1);
    const d = domains[0]!;
    assert.deepEqual(d.authoritative?.zones.map((z) => z.zone), ['partner.test', 'agree.test']);
    one(d, 'sipfed-target-domain', 'warn');
    const target = one(d, 'auth-consistency', 'pass', 'sip.agree.test');
    assert.match(target.message, /Every authoritative server of agree\.test \(2 addresses\) agrees on the addresses of sip\.agree\.test: 192\.0\.2\.20/);
    assert.equal(of(d, 'auth-lame', 'pass').length, 4);
  });
});

describe('expectations, judged on the authoritative view', () => {
  it('as expected → pass, exit 0', async () => {
    const { run, domains } = await json(world, '--expect-target', 'sip.agree.test', '--expect-address', '192.0.2.20', 'agree.test');
    assert.equal(run.status, 0);
    assert.match(one(domains[0]!, 'sipfed-target-expected', 'pass').message, /names the expected target sip\.agree\.test and resolves to the expected address 192\.0\.2\.20/);
  });

  it('another address expected → fail naming both sides, exit 2', async () => {
    const { run, domains } = await json(world, '--expect-address', '192.0.2.99', '--expect-xmpp-target', 'xmpp.agree.test', 'agree.test');
    assert.equal(run.status, 2);
    const f = one(domains[0]!, 'sipfed-target-expected', 'fail');
    assert.match(f.message, /expected address 192\.0\.2\.99, found 192\.0\.2\.20 \(sip\.agree\.test\) \(missing 192\.0\.2\.99, unexpected 192\.0\.2\.20\)/);
    one(domains[0]!, 'xmpp-target-expected', 'pass');
  });

  it('--expect-* with two domains is a usage error (64)', async () => {
    const r = await fedcheck(['--authoritative', '-r', world.resolver, '--expect-target', 'sip.agree.test', 'agree.test', 'auth.test']);
    assert.equal(r.status, 64);
    assert.match(r.stderr, /describe one domain; 2 were given/);
    assert.equal(r.stdout, '');
  });
});

describe('--port: the same world on a high port', () => {
  let high: AuthoritativeWorld;
  before(async () => {
    high = await startAuthoritativeWorld(await freePort('127.0.0.2'));
  });
  after(async () => {
    await high?.stop();
  });

  it('finds the same disagreements, lame and silent servers, at the given port', async () => {
    const p = high.port;
    const { run, domains } = await json(high, '--port', String(p), 'auth.test');
    assert.equal(run.status, 2);
    const d = domains[0]!;
    assert.match(one(d, 'auth-lame', 'fail', 'ns3.auth.test').message, new RegExp(`127\\.0\\.0\\.4:${p} answers REFUSED`));
    assert.match(one(d, 'auth-lame', 'unknown', 'ns4.auth.test').message, new RegExp(`127\\.0\\.0\\.5:${p} (does not answer|cannot be reached)`));
    assert.match(one(d, 'auth-serial', 'warn').message, new RegExp(`2026112501 at ns2\\.auth\\.test \\(127\\.0\\.0\\.3:${p}\\)`));
    one(d, 'auth-consistency', 'warn', '_sipfederationtls._tcp.auth.test');
    assert.equal(d.authoritative?.zones[0]?.view?.address, `127.0.0.2:${p}`);
  });

  it('--port without --authoritative, and --authoritative with --zone, are usage errors (64)', async () => {
    const r1 = await fedcheck(['-r', high.resolver, '--port', '5353', 'auth.test']);
    assert.equal(r1.status, 64);
    assert.match(r1.stderr, /--port only applies with --authoritative/);
    const r2 = await fedcheck(['--authoritative', '--zone', join(repoRoot(), 'fixtures', 'zones', 'contoso.com.zone'), 'contoso.com']);
    assert.equal(r2.status, 64);
    assert.match(r2.stderr, /--authoritative and --zone cannot be combined/);
  });
});
