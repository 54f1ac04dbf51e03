/**
 * Deployment profiles through real servers: every case of
 * fixtures/zones/profiles/verdicts.json checked by the CLI (as a process)
 * through Unbound (recursive, RD=1) and straight at NSD (authoritative,
 * RD=0), which serve the profile zones and the zones standing in for
 * Microsoft's names (test/support/servers.ts, profileFixtureZones).
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { runFedcheck } from '../support/cli.js';
import { after, before, describe, it } from 'node:test';
import { DnsClient } from '../../src/dns/client.js';
import { CLOUD_NAMES, CLOUDS } from '../../src/rules/profiles/profiles.js';
import { assertCase, caseArguments, profileCases, profileZones } from '../cli/profiles-verdicts.js';
import { serverAddress } from '../support/real-servers.js';
import { profileFixtureZones, testServers, type TestServers } from '../support/servers.js';

const EXIT: Record<string, number> = { pass: 0, warn: 1, fail: 2, unknown: 3 };

let servers: TestServers;
const clients: DnsClient[] = [];

before(async () => {
  servers = await testServers();
});
after(() => {
  for (const c of clients) c.close();
});

const fedcheck = runFedcheck;

function client(address: string, recursion: boolean): DnsClient {
  const c = new DnsClient({ servers: [serverAddress(address)], timeoutMs: 3000, retries: 0, recursionDesired: recursion, forceTcp: false });
  clients.push(c);
  return c;
}

describe('the harness serves the profile zones', () => {
  it('every profile zone of the fixtures directory is served (the harness and the fixtures agree)', () => {
    assert.deepEqual(profileFixtureZones().map((z) => z.name), profileZones().map((z) => z.name));
  });

  it('NSD is authoritative for each profile zone (SOA, AA)', async () => {
    const nsd = client(servers.auth, false);
    for (const zone of profileFixtureZones()) {
      const r = await nsd.query({ name: zone.name, type: 'SOA' });
      assert.equal(r.kind, 'response', zone.name);
      assert.ok(r.kind === 'response' && r.message.aa && r.message.rcode === 'NOERROR', `${zone.name}: authoritative answer`);
    }
  });

  it("Unbound resolves Microsoft's names of every cloud through the stand-in zones", async () => {
    const unbound = client(servers.resolver, true);
    for (const cloud of CLOUD_NAMES) {
      for (const name of [CLOUDS[cloud].sipdir, CLOUDS[cloud].sipfed, CLOUDS[cloud].webdir]) {
        const r = await unbound.query({ name, type: 'A' });
        assert.ok(r.kind === 'response' && r.message.rcode === 'NOERROR' && r.message.answers.some((a) => a.type === 'A'), `${name} A`);
      }
    }
  });
});

for (const [how, flags] of [
  ['through Unbound', (s: TestServers) => ['-r', s.resolver]],
  ['straight at NSD (RD=0)', (s: TestServers) => ['-r', s.auth, '--no-recursion']],
] as const) {
  describe(`every profile fixture gives its verdict ${how}`, () => {
    for (const c of profileCases()) {
      it(`${c.domain} --profile ${c.profile}${c.cloud !== undefined ? ` --cloud ${c.cloud}` : ''}: ${c.status}`, async () => {
        const r = await fedcheck([...flags(servers), '--timeout', '3000', '--format', 'json', ...caseArguments(c)]);
        assert.equal(r.stderr, '');
        const report = JSON.parse(r.stdout) as { mode: string; domains: { domain: string; status: string; findings: { rule: string; status: 'pass' }[] }[] };
        assert.equal(report.mode, 'resolver');
        const domain = report.domains[0]!;
        assert.equal(domain.domain, c.domain);
        assertCase(c, domain);
        assert.equal(r.code, EXIT[c.status], `${c.domain}: exit code`);
      });
    }
  });
}
