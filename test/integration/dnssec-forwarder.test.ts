/**
 * DNSSEC through a forwarder, against real servers: Debian's dnsmasq 2.90
 * (test/support/resolvers.ts) forwarding to the validating Unbound of the
 * signed world (test/support/signed-zone.ts), loopback only (`--no-resolv`,
 * one `--server=/zone/127.0.0.1#port` per zone).
 *
 * What dnsmasq does, as observed here and as its manual says: without
 * `--proxy-dnssec` it clears the AD bit of the upstream's answers (the manual
 * under --proxy-dnssec: "Copy the DNSSEC Authenticated Data bit from
 * upstream servers to downstream clients", which it otherwise does not), so
 * a signed zone comes out `insecure`, exactly like an unsigned one; the
 * SERVFAIL of a validation failure is relayed, and so is CD=1 (RFC 4035
 * §3.2.2) on the re-ask, so a bogus zone stays `bogus`. With
 * `--proxy-dnssec` the AD bit comes through and the signed zone is `secure`,
 * vouched for by dnsmasq (fedcheck cannot see past the resolver it asks).
 * Never a missing record either way: the records are there.
 *
 * DANE with --probe the same way (dane.test: an `openssl s_server` edge and
 * a matching DANE-EE record): through the stripping forwarder the TLSA
 * records cannot be trusted (warn), through the proxying one they match.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { DomainResult } from '../../src/check/check-domain.js';
import type { RunReport } from '../../src/report/report.js';
import { runFedcheck } from '../support/cli.js';
import { startDnsmasq, type RunningResolver } from '../support/resolvers.js';
import { ensurePackages } from '../support/real-servers.js';
import { dnssecFixtureZones, startSignedZoneWorld, type SignedZoneWorld } from '../support/signed-zone.js';
import { makePki, opensslTlsaData, type Pki } from '../support/tls-pki.js';
import { startSServer, type TlsTestServer } from '../support/tls-servers.js';

const DOMAINS = ['secure.test', 'insecure.test', 'bogus.test', 'mixed.test'];
/** The record rules of every fixture domain: they judge the records, whatever the AD bit says. */
const RECORD_RULES = ['sipfed-srv', 'xmpp-srv'];

let world: SignedZoneWorld;
let stripping: RunningResolver;
let proxying: RunningResolver;
let pki: Pki;
let edge: TlsTestServer | undefined;

before(async () => {
  ensurePackages(['dnsmasq-base']);
  pki = makePki();
  const leaf = pki.issue('edge', { san: ['DNS:sip.dane.test'] });
  edge = await startSServer({ cert: leaf.cert, key: leaf.key, chain: leaf.chain });
  const dane = [
    '$ORIGIN dane.test.',
    '$TTL 300',
    '@ SOA ns1 hostmaster 2026120301 3600 600 86400 60',
    '@ NS ns1',
    'ns1 A 127.0.0.1',
    `_sipfederationtls._tcp SRV 0 0 ${edge.port} sip`,
    'sip A 127.0.0.1',
    `_${edge.port}._tcp.sip TLSA 3 1 1 ${opensslTlsaData(leaf.cert, 1, 1)}`,
  ];
  world = await startSignedZoneWorld([...dnssecFixtureZones(), { origin: 'dane.test', text: `${dane.join('\n')}\n` }]);
  const forwards = [...DOMAINS, 'dane.test'].map((zone) => ({ zone, server: world.resolver }));
  [stripping, proxying] = await Promise.all([startDnsmasq({ forwards }), startDnsmasq({ forwards, extra: ['--proxy-dnssec'] })]);
});
after(async () => {
  await Promise.all([stripping?.stop(), proxying?.stop(), edge?.stop()]);
  await world?.stop();
  if (pki !== undefined && process.env.FEDCHECK_KEEP_SERVER_DIRS === undefined) rmSync(pki.dir, { recursive: true, force: true });
});

async function json(resolver: string, ...extra: string[]): Promise<{ code: number | null; domains: Map<string, DomainResult> }> {
  const run = await runFedcheck(['-r', resolver, '--format', 'json', '--timeout', '2000', ...extra, ...DOMAINS]);
  assert.ok(run.code !== null && run.code <= 3, `exit ${String(run.code)}: ${run.stderr}`);
  const report = JSON.parse(run.stdout) as RunReport;
  return { code: run.code, domains: new Map(report.domains.map((d) => [d.domain, d])) };
}

const finding = (d: DomainResult, rule: string) => d.findings.find((f) => f.rule === rule);
const statuses = (d: DomainResult, rules: readonly string[]): string[] => rules.map((r) => `${r}:${finding(d, r)?.status ?? 'none'}`);

/** No finding of a domain whose records exist may call them absent. */
function assertNothingMissing(d: DomainResult): void {
  for (const f of d.findings) assert.doesNotMatch(f.message, /absent|missing|NXDOMAIN|NODATA/i, `${d.domain} ${f.rule}: ${f.message}`);
}

describe('dnsmasq without --proxy-dnssec strips AD', () => {
  it('a signed zone comes out insecure (never bogus, never missing): the records pass, dnssec-srv is info naming dnsmasq', async () => {
    const { code, domains } = await json(stripping.address);
    assert.equal(code, 2, 'bogus.test still fails');
    const secure = domains.get('secure.test')!;
    assert.equal(secure.dnssec?.state, 'insecure');
    assert.deepEqual(secure.dnssec?.vouchedBy, []);
    // Every answer, the SRV and the target addresses, came without AD from dnsmasq.
    assert.deepEqual(
      secure.dnssec?.notSecure.map((a) => `${a.name} ${a.type} ${a.state} ${a.server ?? ''}`),
      ['_sipfederationtls._tcp.secure.test SRV', 'sip.secure.test A', '_xmpp-server._tcp.secure.test SRV', 'xmpp.secure.test A'].map((a) => `${a} insecure ${stripping.address}`),
    );
    assert.equal(finding(secure, 'dnssec-srv')?.status, 'info');
    assert.deepEqual(statuses(secure, RECORD_RULES), ['sipfed-srv:pass', 'xmpp-srv:pass']);
    assert.equal(secure.status, 'pass');
    assertNothingMissing(secure);
    // Signed or not, through this forwarder the two look the same.
    const insecure = domains.get('insecure.test')!;
    assert.equal(insecure.dnssec?.state, 'insecure');
    assert.equal(finding(insecure, 'dnssec-srv')?.status, 'info');
    assert.equal(domains.get('mixed.test')!.dnssec?.state, 'insecure');
  });

  it('a bogus zone stays bogus: dnsmasq relays the SERVFAIL and the CD=1 re-ask; the records could not be told, not missing', async () => {
    const { domains } = await json(stripping.address);
    const bogus = domains.get('bogus.test')!;
    assert.equal(bogus.dnssec?.state, 'bogus');
    assert.deepEqual(bogus.dnssec?.notSecure.filter((a) => a.state === 'bogus').map((a) => `${a.name} ${a.server ?? ''}`), [
      `_sipfederationtls._tcp.bogus.test ${stripping.address}`,
      `_xmpp-server._tcp.bogus.test ${stripping.address}`,
    ]);
    assert.equal(finding(bogus, 'dnssec-srv')?.status, 'fail');
    assert.deepEqual(statuses(bogus, RECORD_RULES), ['sipfed-srv:unknown', 'xmpp-srv:unknown']);
    assertNothingMissing(bogus);
  });

  it('--require-dnssec: the signed zone fails for not being secure, its records still pass, nothing is missing', async () => {
    const { code, domains } = await json(stripping.address, '--require-dnssec');
    assert.equal(code, 2);
    for (const name of ['secure.test', 'insecure.test', 'mixed.test']) {
      const d = domains.get(name)!;
      assert.equal(d.dnssec?.state, 'insecure', name);
      assert.equal(finding(d, 'dnssec-srv')?.status, 'fail', name);
      assert.deepEqual(statuses(d, RECORD_RULES), ['sipfed-srv:pass', 'xmpp-srv:pass'], name);
      assert.equal(d.status, 'fail', name);
      assertNothingMissing(d);
    }
    assert.equal(finding(domains.get('bogus.test')!, 'dnssec-srv')?.status, 'fail');
  });
});

describe('dnsmasq with --proxy-dnssec copies AD', () => {
  it('the signed zone is secure, vouched for by dnsmasq; insecure and bogus stay what they are', async () => {
    const { domains } = await json(proxying.address);
    const secure = domains.get('secure.test')!;
    assert.deepEqual(secure.dnssec, { state: 'secure', vouchedBy: [proxying.address], notSecure: [] });
    assert.equal(finding(secure, 'dnssec-srv')?.status, 'pass');
    assert.equal(secure.status, 'pass');
    assert.equal(domains.get('insecure.test')!.dnssec?.state, 'insecure');
    const mixed = domains.get('mixed.test')!;
    assert.equal(mixed.dnssec?.state, 'insecure');
    assert.deepEqual(mixed.dnssec?.vouchedBy, [proxying.address]);
    assert.equal(domains.get('bogus.test')!.dnssec?.state, 'bogus');
  });

  it('--require-dnssec: the signed zone passes through it', async () => {
    const run = await runFedcheck(['-r', proxying.address, '--require-dnssec', '--format', 'json', 'secure.test']);
    assert.equal(run.code, 0, run.stdout);
    const d = (JSON.parse(run.stdout) as RunReport).domains[0]!;
    assert.equal(finding(d, 'dnssec-srv')?.status, 'pass');
  });
});

describe('DANE (--probe) through the forwarders', () => {
  const probe = async (resolver: string): Promise<DomainResult> => {
    const run = await runFedcheck(['-r', resolver, '--probe', '--probe-timeout', '3000', '--ca', pki.rootCa, '--timeout', '2000', '--format', 'json', 'dane.test']);
    assert.ok(run.code !== null && run.code <= 3, `exit ${String(run.code)}: ${run.stderr}`);
    return (JSON.parse(run.stdout) as RunReport).domains[0]!;
  };
  const daneFinding = (d: DomainResult) => {
    const list = d.findings.filter((f) => f.rule === 'dane-tlsa');
    assert.equal(list.length, 1, JSON.stringify(list));
    return list[0]!;
  };

  it('stripping AD: the matching TLSA records cannot be trusted (warn), never a mismatch or a missing record', async () => {
    const d = await probe(stripping.address);
    const f = daneFinding(d);
    assert.equal(f.status, 'warn', f.message);
    const target = (d.records.sipfederationtls as unknown as { targets: { tlsa?: { security: Record<string, string> }[] }[] }).targets[0];
    assert.deepEqual(target?.tlsa?.[0]?.security, { tlsa: 'insecure', srv: 'insecure', addresses: 'insecure' });
    assert.doesNotMatch(f.message, /absent|missing/i);
  });

  it('--proxy-dnssec: secure end to end, the record matches (pass)', async () => {
    const f = daneFinding(await probe(proxying.address));
    assert.equal(f.status, 'pass', f.message);
  });
});

