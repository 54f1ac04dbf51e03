/**
 * DNSSEC end to end against real servers (test/support/signed-zone.ts):
 * zones signed with dnssec-signzone, served by NSD, validated by Unbound.
 * What fedcheck's own client and lookups make of the AD bit and of a
 * validation failure.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { DnsClient } from '../../src/dns/client.js';
import { lookup } from '../../src/lookup/resolve.js';
import { outcomeClass } from '../../src/lookup/types.js';
import type { DomainResult } from '../../src/check/check-domain.js';
import type { RunReport } from '../../src/report/report.js';
import { REPORT_FORMATS } from '../../src/report/render.js';
import { runFedcheck } from '../support/cli.js';
import { serverAddress } from '../support/real-servers.js';
import { dnssecFixtureZones, startSignedZoneWorld, type SignedZoneWorld } from '../support/signed-zone.js';

let world: SignedZoneWorld;
const clients: DnsClient[] = [];

before(async () => {
  world = await startSignedZoneWorld(dnssecFixtureZones());
});
after(async () => {
  for (const c of clients) c.close();
  await world?.stop();
});

function client(address: string, recursionDesired = true): DnsClient {
  const c = new DnsClient({ servers: [serverAddress(address)], timeoutMs: 3000, retries: 1, recursionDesired });
  clients.push(c);
  return c;
}

describe('lookups through a validating resolver', () => {
  it('secure: the answer is authenticated (AD), the SRV and the target addresses alike', async () => {
    const source = client(world.resolver);
    for (const [name, type] of [['_xmpp-server._tcp.secure.test', 'SRV'], ['xmpp.secure.test', 'A'], ['sip.secure.test', 'AAAA']] as const) {
      const out = await lookup(source, name, type);
      assert.equal(out.kind, 'answer', `${name} ${type}`);
      assert.ok(out.kind === 'answer' && out.authenticated, `${name} ${type} AD`);
      assert.equal(out.server, world.resolver);
    }
  });

  it('secure NODATA and NXDOMAIN are authenticated too (signed denial, NSEC)', async () => {
    const source = client(world.resolver);
    const nodata = await lookup(source, 'xmpp.secure.test', 'AAAA');
    assert.ok(nodata.kind === 'nodata' && nodata.authenticated);
    const nxdomain = await lookup(source, '_sip._tls.secure.test', 'SRV');
    assert.ok(nxdomain.kind === 'nxdomain' && nxdomain.authenticated);
  });

  it('insecure: answered, not authenticated', async () => {
    const out = await lookup(client(world.resolver), '_xmpp-server._tcp.insecure.test', 'SRV');
    assert.ok(out.kind === 'answer');
    assert.equal(out.authenticated, false);
  });

  it('bogus: an error of its own reason that names the resolver, "could not tell", never absent', async () => {
    const out = await lookup(client(world.resolver), '_xmpp-server._tcp.bogus.test', 'SRV');
    assert.ok(out.kind === 'error', out.kind);
    assert.equal(out.reason, 'bogus');
    assert.equal(out.detail, `DNSSEC validation failed at ${world.resolver} (the answer with CD=1 has records)`);
    assert.equal(out.server, world.resolver);
    assert.equal(outcomeClass(out), 'unknown');
    // The unbroken RRsets of the same zone still validate.
    const target = await lookup(client(world.resolver), 'xmpp.bogus.test', 'A');
    assert.ok(target.kind === 'answer' && target.authenticated);
  });

  it('the authoritative server: RRSIGs come with DO=1, AD never (it does not validate)', async () => {
    const source = client(world.authoritative, false);
    const outcome = await source.query({ name: '_xmpp-server._tcp.secure.test', type: 'SRV' });
    assert.ok(outcome.kind === 'response');
    assert.deepEqual(outcome.message.answers.map((r) => (r.type === 'OTHER' ? r.rrtype : r.type)).sort(), ['RRSIG', 'SRV']);
    assert.equal(outcome.message.ad, false);
    // The corrupted zone is served as it is: no validation there, no SERVFAIL.
    const bogus = await lookup(source, '_xmpp-server._tcp.bogus.test', 'SRV', { recursionDesired: false });
    assert.equal(bogus.kind, 'answer');
  });
});

describe('fedcheck end to end through the validating resolver', () => {
  const DOMAINS = ['secure.test', 'insecure.test', 'bogus.test', 'mixed.test'];
  const json = async (...extra: string[]): Promise<{ code: number | null; report: RunReport }> => {
    const run = await runFedcheck(['-r', world.resolver, '--format', 'json', ...extra, ...DOMAINS]);
    return { code: run.code, report: JSON.parse(run.stdout) as RunReport };
  };
  const domain = (report: RunReport, name: string): DomainResult => report.domains.find((d) => d.domain === name)!;
  const dnssecFinding = (d: DomainResult) => d.findings.find((f) => f.rule === 'dnssec-srv');

  it('json: the state per domain, the resolver that vouched, dnssec-srv by default (bogus fails, insecure is info)', async () => {
    const { code, report } = await json();
    assert.equal(code, 2);
    const secure = domain(report, 'secure.test');
    assert.deepEqual(secure.dnssec, { state: 'secure', vouchedBy: [world.resolver], notSecure: [] });
    assert.equal(dnssecFinding(secure)?.status, 'pass');
    assert.equal(secure.status, 'pass');
    const insecure = domain(report, 'insecure.test');
    assert.equal(insecure.dnssec?.state, 'insecure');
    assert.deepEqual(insecure.dnssec?.vouchedBy, []);
    assert.equal(dnssecFinding(insecure)?.status, 'info');
    assert.equal(insecure.status, 'pass');
    const mixed = domain(report, 'mixed.test');
    assert.equal(mixed.dnssec?.state, 'insecure');
    assert.deepEqual(mixed.dnssec?.notSecure.map((a) => `${a.name} ${a.type} ${a.state}`), ['sip.insecure.test A insecure', 'xmpp.insecure.test A insecure']);
    assert.deepEqual(mixed.dnssec?.vouchedBy, [world.resolver]);
    const bogus = domain(report, 'bogus.test');
    assert.equal(bogus.dnssec?.state, 'bogus');
    assert.deepEqual(bogus.dnssec?.notSecure.map((a) => `${a.name} ${a.type} ${a.state} ${a.server ?? ''}`), [
      `_sipfederationtls._tcp.bogus.test SRV bogus ${world.resolver}`,
      `_xmpp-server._tcp.bogus.test SRV bogus ${world.resolver}`,
    ]);
    assert.equal(dnssecFinding(bogus)?.status, 'fail');
    assert.equal(bogus.status, 'fail');
  });

  it('bogus is never reported as a missing record: the record rules could not tell, the lookups say validation failed', async () => {
    const { report } = await json();
    const bogus = domain(report, 'bogus.test');
    for (const rule of ['sipfed-srv', 'push-srv', 'xmpp-srv']) {
      const f = bogus.findings.find((x) => x.rule === rule)!;
      assert.equal(f.status, 'unknown', rule);
      assert.match(f.reason ?? '', /^DNSSEC validation failed at /, rule);
      assert.doesNotMatch(f.message, /absent|NXDOMAIN|NODATA|missing/i, rule);
    }
    for (const f of bogus.findings) assert.doesNotMatch(f.message, /absent|missing/i, `${f.rule}: ${f.message}`);
    assert.equal(bogus.records.sipfederationtls.lookup.result, 'error');
    assert.match(bogus.records.sipfederationtls.lookup.detail ?? '', /DNSSEC validation failed at .* \(the answer with CD=1 has records\)/);
  });

  it('--require-dnssec: insecure fails; secure still passes', async () => {
    const { code, report } = await json('--require-dnssec');
    assert.equal(code, 2);
    assert.equal(dnssecFinding(domain(report, 'insecure.test'))?.status, 'fail');
    assert.equal(domain(report, 'insecure.test').status, 'fail');
    assert.equal(domain(report, 'mixed.test').status, 'fail');
    assert.equal(dnssecFinding(domain(report, 'secure.test'))?.status, 'pass');
    assert.equal(domain(report, 'secure.test').status, 'pass');
    assert.equal(domain(report, 'secure.test').expectations.requireDnssec, true);
    const secureOnly = await runFedcheck(['-r', world.resolver, '--require-dnssec', 'secure.test']);
    assert.equal(secureOnly.code, 0, secureOnly.stdout);
  });

  it('--require-dnssec without a validating path is a usage error', async () => {
    for (const mode of [['--authoritative'], ['--no-recursion']]) {
      const run = await runFedcheck(['-r', world.resolver, '--require-dnssec', ...mode, 'secure.test']);
      assert.equal(run.code, 64, run.stderr);
      assert.match(run.stderr, /^fedcheck: --require-dnssec and --(authoritative|no-recursion) cannot be combined/);
    }
  });

  it('zone mode: no AD bit to judge, so no DNSSEC state and no dnssec-srv; --require-dnssec there is a usage error', async () => {
    const zone = 'fixtures/zones/fed.test.zone';
    const run = await runFedcheck(['--zone', zone, '--format', 'json', 'good.fed.test']);
    assert.equal(run.code, 0, run.stderr);
    const d = (JSON.parse(run.stdout) as RunReport).domains[0]!;
    assert.equal(d.dnssec, undefined);
    assert.equal(d.findings.some((f) => f.rule === 'dnssec-srv'), false);
    const refused = await runFedcheck(['--zone', zone, '--require-dnssec', 'good.fed.test']);
    assert.equal(refused.code, 64);
    assert.match(refused.stderr, /^fedcheck: --require-dnssec and --zone cannot be combined/);
  });

  for (const format of REPORT_FORMATS) {
    it(`${format}: secure, insecure and bogus, shown where the format has room`, async () => {
      // runFedcheck judges json, ndjson (schema), junit (xmllint) and prometheus (promtool) itself.
      const run = await runFedcheck(['-r', world.resolver, '--format', format, 'secure.test', 'insecure.test', 'bogus.test']);
      assert.equal(run.code, 2, run.stderr);
      const out = run.stdout;
      switch (format) {
        case 'table':
          assert.match(out, /DNSSEC/);
          assert.match(out, /secure\.test\s+│ pass .*│ secure\s+│/);
          assert.match(out, /insecure\.test\s+│ pass .*│ insecure\s+│/);
          assert.match(out, /bogus\.test\s+│ FAIL .*│ BOGUS\s+│/);
          assert.match(out, /FAIL\s+dnssec-srv: DNSSEC validation failed at /);
          break;
        case 'json':
        case 'ndjson': {
          const domains = (format === 'json' ? (JSON.parse(out) as RunReport).domains : out.trim().split('\n').map((l) => JSON.parse(l) as DomainResult & { type?: string }).filter((l) => l.type !== 'summary'));
          assert.deepEqual(Object.fromEntries(domains.map((d) => [d.domain, d.dnssec?.state])), { 'secure.test': 'secure', 'insecure.test': 'insecure', 'bogus.test': 'bogus' });
          break;
        }
        case 'nagios':
          assert.match(out.split('\n')[0]!, /^FEDCHECK CRITICAL - 1 of 3 domains fail: bogus\.test \| .* dnssec_secure=1;;;0;3$/);
          assert.match(out, /^bogus\.test: FAIL - dnssec-srv: DNSSEC validation failed at /m);
          break;
        case 'junit':
          assert.match(out, /<testsuite name="secure\.test"[^]*?<property name="dnssec" value="secure"\/>/);
          assert.match(out, /<testsuite name="bogus\.test"[^]*?<property name="dnssec" value="bogus"\/>/);
          assert.match(out, /<testcase classname="bogus\.test" name="dnssec-srv bogus\.test">\s*<failure type="fail"/);
          break;
        case 'prometheus':
          assert.match(out, /^fedcheck_dnssec_secure\{domain="secure\.test"\} 1$/m);
          assert.match(out, /^fedcheck_dnssec_secure\{domain="insecure\.test"\} 0$/m);
          assert.match(out, /^fedcheck_dnssec_secure\{domain="bogus\.test"\} 0$/m);
          assert.match(out, /^fedcheck_rule_status\{domain="bogus\.test",rule="dnssec-srv"\} 2$/m);
          break;
        case 'html':
          assert.match(out, /<h4>DNSSEC<\/h4><p class="n">bogus/);
          assert.match(out, /DNSSEC secure/);
          break;
      }
    });
  }
});
