/**
 * auth-rrsig end to end: `--authoritative` against two real NSD servers of
 * the same zones on 127.0.0.41 and 127.0.0.42. The first serves the zones
 * signed with dnssec-signzone (test/support/signed-zone.ts); the second serves
 * split.test unsigned (a real mismatch: a secondary that never got the signed
 * zone) and whole.test signed as well. The validating Unbound of the world
 * finds the zones and their name servers.
 *
 * Two more zones, signed, each with a second name server that gives no
 * answer: silent.test's ns3 (127.0.0.43) is a port that takes queries and
 * never answers (startBlackhole), silent from the first SOA probe on;
 * dropped.test's ns4 (127.0.0.44) is dnsdist in front of the first NSD,
 * answering the SOA (so the zone's server list holds it) but dropping every
 * SRV query, as a server stopped once the zone list is known would. Neither
 * may make auth-rrsig pass (not every server was heard) or fail (none was
 * found unsigned): unknown, naming the silent server.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { DomainResult } from '../../src/check/check-domain.js';
import type { RunReport } from '../../src/report/report.js';
import { runFedcheck } from '../support/cli.js';
import { startDnsdist } from '../support/dnsdist.js';
import { ensurePackages, freePort, startBlackhole, startNsd, type RunningServer } from '../support/real-servers.js';
import { startSignedZoneWorld, type SignedZoneWorld } from '../support/signed-zone.js';

const NS1 = '127.0.0.41';
const NS2 = '127.0.0.42';
/** silent.test's second server: nothing answers there. */
const NS3 = '127.0.0.43';
/** dropped.test's second server: dnsdist, SOA yes, SRV never. */
const NS4 = '127.0.0.44';

const zoneText = (origin: string, second = NS2): string =>
  [
    `$ORIGIN ${origin}.`,
    '$TTL 300',
    '@                        SOA  ns1 hostmaster 2026120301 3600 600 86400 60',
    '                         NS   ns1',
    '                         NS   ns2',
    `ns1                      A    ${NS1}`,
    `ns2                      A    ${second}`,
    '_sipfederationtls._tcp   SRV  100 1 5061 sip',
    '_xmpp-server._tcp        SRV  100 1 5269 xmpp',
    'sip                      A    192.0.2.40',
    'xmpp                     A    192.0.2.41',
    '',
  ].join('\n');

let world: SignedZoneWorld;
let second: RunningServer | undefined;
const silent: RunningServer[] = [];
let port: number;

before(async () => {
  ensurePackages(['dnsdist']);
  port = await freePort(NS1);
  world = await startSignedZoneWorld(
    [
      { origin: 'split.test', text: zoneText('split.test') },
      { origin: 'whole.test', text: zoneText('whole.test') },
      { origin: 'silent.test', text: zoneText('silent.test', NS3) },
      { origin: 'dropped.test', text: zoneText('dropped.test', NS4) },
    ],
    { address: NS1, port },
  );
  silent.push(await startBlackhole({ address: NS3, port }));
  silent.push(await startDnsdist({ backend: world.authoritative, address: NS4, port, checkName: 'dropped.test.', dropTypes: ['SRV'] }));
  second = await startNsd({
    zones: [
      { name: 'split.test', file: world.zones.get('split.test.')!.unsignedFile },
      { name: 'whole.test', file: world.zones.get('whole.test.')!.file },
    ],
    address: NS2,
    port,
  });
});
after(async () => {
  await Promise.all(silent.map((s) => s.stop()));
  await second?.stop();
  await world?.stop();
});

async function check(domain: string, ...extra: string[]): Promise<DomainResult> {
  const run = await runFedcheck(['-r', world.resolver, '--authoritative', '--port', String(port), '--format', 'json', ...extra, domain]);
  assert.ok(run.code !== null && run.code <= 3, run.stderr);
  return (JSON.parse(run.stdout) as RunReport).domains[0]!;
}

describe('--authoritative: RRSIGs from every server of a signed zone (auth-rrsig)', () => {
  it('a server with the unsigned copy of a signed zone fails, named, for each SRV owner', async () => {
    const d = await check('split.test');
    const rrsig = d.findings.filter((f) => f.rule === 'auth-rrsig');
    assert.deepEqual(rrsig.map((f) => `${f.name}:${f.status}`).sort(), ['_sipfederationtls._tcp.split.test:fail', '_xmpp-server._tcp.split.test:fail']);
    for (const f of rrsig) {
      assert.match(f.message, new RegExp(`^ns2\\.split\\.test \\(${NS2.replace(/\./g, '\\.')}:${port}\\) answered .* SRV without RRSIGs though ns1\\.split\\.test \\(${NS1.replace(/\./g, '\\.')}:${port}\\) signed it`));
      assert.deepEqual(f.facts?.unsignedAt, [`${NS2}:${port}`]);
      assert.deepEqual(f.facts?.signedAt, [`${NS1}:${port}`]);
    }
    assert.equal(d.status, 'fail');
    // The records agree: only their signatures differ, which auth-consistency does not count.
    assert.ok(d.findings.filter((f) => f.rule === 'auth-consistency').every((f) => f.status === 'pass'));
    // The comparisons carry which answers were signed.
    const srv = d.authoritative?.comparisons.find((c) => c.name === '_sipfederationtls._tcp.split.test');
    assert.deepEqual(srv?.answers.map((a) => [a.server.address, a.answer.kind === 'data' && a.answer.signed === true]), [
      [`${NS1}:${port}`, true],
      [`${NS2}:${port}`, false],
    ]);
  });

  it('every server signed: auth-rrsig passes', async () => {
    const d = await check('whole.test');
    assert.deepEqual(d.findings.filter((f) => f.rule === 'auth-rrsig').map((f) => f.status), ['pass', 'pass']);
    assert.equal(d.status, 'pass');
    // Authoritative answers never carry AD: the DNSSEC state is not assessed in this mode.
    assert.equal(d.dnssec, undefined);
    assert.equal(d.findings.some((f) => f.rule === 'dnssec-srv'), false);
  });
});

describe('--authoritative: a server of a signed zone that gives no answer (auth-rrsig unknown, never pass or fail)', () => {
  // Short tries: the silent servers cost their timeouts; room enough for the answering ones on a loaded machine.
  const FAST = ['--timeout', '800', '--retries', '1'];
  const re = (text: string): string => text.replace(/\./g, '\\.');

  // silent.test: a server silent from the SOA probe on is never asked the SRV; it is counted among the silent ones all the same.
  for (const [domain, address, how] of [
    ['silent.test', NS3, 'silent from the first SOA probe (nothing answers there)'],
    ['dropped.test', NS4, 'answers the SOA, then never the SRV (dnsdist drops it)'],
  ] as const) {
    it(`${domain}: ns2 ${how}: unknown for each SRV owner, naming it`, async () => {
      const d = await check(domain, ...FAST);
      const rrsig = d.findings.filter((f) => f.rule === 'auth-rrsig');
      assert.deepEqual(rrsig.map((f) => `${f.name}:${f.status}`).sort(), [`_sipfederationtls._tcp.${domain}:unknown`, `_xmpp-server._tcp.${domain}:unknown`], JSON.stringify(rrsig, null, 1));
      for (const f of rrsig) {
        assert.match(f.message, new RegExp(`ns2\\.${re(domain)} \\(${re(address)}:${port}\\)`), f.message);
        assert.deepEqual(f.facts?.signedAt, [`${NS1}:${port}`]);
        assert.deepEqual(f.facts?.unsignedAt, []);
        assert.deepEqual(f.facts?.silentAt, [`${address}:${port}`]);
        assert.doesNotMatch(f.message, /absent|missing|without RRSIGs/i);
      }
      // The view (ns1) answered everything: the records themselves pass.
      for (const rule of ['sipfed-srv', 'xmpp-srv']) assert.equal(d.findings.find((f) => f.rule === rule)?.status, 'pass', rule);
      assert.notEqual(d.status, 'fail', JSON.stringify(d.findings.filter((f) => f.status === 'fail')));
    });
  }
});
