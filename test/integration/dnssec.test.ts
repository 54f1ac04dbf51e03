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
