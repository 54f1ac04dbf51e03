/**
 * auth-rrsig end to end: `--authoritative` against two real NSD servers of
 * the same zones on 127.0.0.41 and 127.0.0.42. The first serves the zones
 * signed with dnssec-signzone (test/support/signed-zone.ts); the second serves
 * split.test unsigned (a real mismatch: a secondary that never got the signed
 * zone) and whole.test signed as well. The validating Unbound of the world
 * finds the zones and their name servers.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { DomainResult } from '../../src/check/check-domain.js';
import type { RunReport } from '../../src/report/report.js';
import { runFedcheck } from '../support/cli.js';
import { freePort, startNsd, type RunningServer } from '../support/real-servers.js';
import { startSignedZoneWorld, type SignedZoneWorld } from '../support/signed-zone.js';

const NS1 = '127.0.0.41';
const NS2 = '127.0.0.42';

const zoneText = (origin: string): string =>
  [
    `$ORIGIN ${origin}.`,
    '$TTL 300',
    '@                        SOA  ns1 hostmaster 2026120301 3600 600 86400 60',
    '                         NS   ns1',
    '                         NS   ns2',
    `ns1                      A    ${NS1}`,
    `ns2                      A    ${NS2}`,
    '_sipfederationtls._tcp   SRV  100 1 5061 sip',
    '_xmpp-server._tcp        SRV  100 1 5269 xmpp',
    'sip                      A    192.0.2.40',
    'xmpp                     A    192.0.2.41',
    '',
  ].join('\n');

let world: SignedZoneWorld;
let second: RunningServer | undefined;
let port: number;

before(async () => {
  port = await freePort(NS1);
  world = await startSignedZoneWorld(
    [
      { origin: 'split.test', text: zoneText('split.test') },
      { origin: 'whole.test', text: zoneText('whole.test') },
    ],
    { address: NS1, port },
  );
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
  await second?.stop();
  await world?.stop();
});

async function check(domain: string): Promise<DomainResult> {
  const run = await runFedcheck(['-r', world.resolver, '--authoritative', '--port', String(port), '--format', 'json', domain]);
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
