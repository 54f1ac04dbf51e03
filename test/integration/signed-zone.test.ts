/**
 * Proves the DNSSEC test world (test/support/signed-zone.ts) with messages
 * built and read by dns-packet alone, independent of fedcheck's client: the
 * validating Unbound sets AD for the signed zone, answers SERVFAIL for the
 * corrupted one and the records with CD=1, and never sets AD for the unsigned
 * one; NSD sends RRSIGs only to DO=1 queries.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { createSocket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { decodeRaw, encodeRaw, type DnsPacketTypes } from '../../src/dns/codec.js';
import { serverAddress } from '../support/real-servers.js';
import { corruptSignatures, dnssecFixtureZones, startSignedZoneWorld, type SignedZoneWorld } from '../support/signed-zone.js';

let world: SignedZoneWorld;

before(async () => {
  world = await startSignedZoneWorld(dnssecFixtureZones());
});
after(async () => {
  await world?.stop();
});

/** One UDP question with the given flags; the decoded answer (throws after 3 s). */
function ask(address: string, name: string, type: DnsPacketTypes.RecordType, flags: { rd?: boolean; cd?: boolean; dnssecOk?: boolean }): Promise<DnsPacketTypes.DecodedPacket> {
  const server = serverAddress(address);
  const socket = createSocket('udp4');
  const id = Math.floor(Math.random() * 65536);
  const packet = encodeRaw({
    type: 'query',
    id,
    flags: (flags.rd === false ? 0 : 0x0100) | (flags.cd === true ? 0x0010 : 0),
    questions: [{ name, type, class: 'IN' }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: flags.dnssecOk === false ? 0 : DNSSEC_OK, flag_do: flags.dnssecOk !== false, options: [] }],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no answer from ${address} for ${name} ${type}`));
    }, 3000);
    socket.on('message', (buf) => {
      const message = decodeRaw(buf);
      if (message.id !== id) return;
      clearTimeout(timer);
      socket.close();
      resolve(message);
    });
    socket.send(packet, server.port, server.host);
  });
}

// dns-packet writes an OPT record's `flags` and ignores its `flag_do` when encoding.
const DNSSEC_OK = 1 << 15;
const AD = 1 << 5;
const rcode = (m: DnsPacketTypes.DecodedPacket): string | undefined => (m as { rcode?: string }).rcode;
const ad = (m: DnsPacketTypes.DecodedPacket): boolean => ((m.flags ?? 0) & AD) !== 0;
const types = (m: DnsPacketTypes.DecodedPacket): string[] => (m.answers ?? []).map((a) => a.type).sort();

describe('the signed-zone world', () => {
  it('signs the zones it is asked to sign, and trusts their DS records', () => {
    assert.equal(world.zones.get('secure.test.')?.signing, 'signed');
    assert.match(world.zones.get('secure.test.')?.ds ?? '', /^secure\.test\.\s+IN\s+DS\s+\d+ 13 2 [0-9A-F]{64}$/);
    assert.equal(world.zones.get('insecure.test.')?.ds, undefined);
  });

  it('secure: the validating resolver sets AD on the SRV and address answers', async () => {
    for (const [name, type] of [['_xmpp-server._tcp.secure.test', 'SRV'], ['sip.secure.test', 'AAAA'], ['xmpp.secure.test', 'A']] as const) {
      const m = await ask(world.resolver, name, type, {});
      assert.equal(rcode(m), 'NOERROR', `${name} ${type}`);
      assert.ok(ad(m), `AD for ${name} ${type}`);
      assert.deepEqual(types(m), [type, 'RRSIG'].sort());
    }
  });

  it('secure: AD needs DO=1 or AD=1 in the query (RFC 6840 §5.7): without them no AD and no RRSIG', async () => {
    const m = await ask(world.resolver, '_xmpp-server._tcp.secure.test', 'SRV', { dnssecOk: false });
    assert.equal(ad(m), false);
    assert.deepEqual(types(m), ['SRV']);
  });

  it('bogus: SERVFAIL from the validating resolver, the records with CD=1 and no AD', async () => {
    const failed = await ask(world.resolver, '_xmpp-server._tcp.bogus.test', 'SRV', {});
    assert.equal(rcode(failed), 'SERVFAIL');
    const unchecked = await ask(world.resolver, '_xmpp-server._tcp.bogus.test', 'SRV', { cd: true });
    assert.equal(rcode(unchecked), 'NOERROR');
    assert.equal(ad(unchecked), false);
    assert.deepEqual(types(unchecked), ['RRSIG', 'SRV']);
    // Only the SRV signatures were corrupted: the targets' addresses still validate.
    assert.ok(ad(await ask(world.resolver, 'xmpp.bogus.test', 'A', {})));
  });

  it('insecure: answers, never with AD, and NSD has no RRSIG to send', async () => {
    const m = await ask(world.resolver, '_sipfederationtls._tcp.insecure.test', 'SRV', {});
    assert.equal(rcode(m), 'NOERROR');
    assert.equal(ad(m), false);
    assert.deepEqual(types(m), ['SRV']);
  });

  it('NSD sends RRSIGs to DO=1 queries only (RFC 4035 §3.1.1)', async () => {
    const withDo = await ask(world.authoritative, '_xmpp-server._tcp.secure.test', 'SRV', { rd: false });
    assert.deepEqual(types(withDo), ['RRSIG', 'SRV']);
    const withoutDo = await ask(world.authoritative, '_xmpp-server._tcp.secure.test', 'SRV', { rd: false, dnssecOk: false });
    assert.deepEqual(types(withoutDo), ['SRV']);
  });
});

describe('corruptSignatures', () => {
  const line = 'a.test.  300 IN RRSIG SRV 13 3 300 20270102110443 20261203110443 55283 a.test. MvgfhqkTIu20CWa2 pH42/vy1NK==';
  it('changes one character of the chosen signatures and nothing else', () => {
    const { text, count } = corruptSignatures(`${line}\na.test. 300 IN SRV 1 1 1 b.test.`, (_owner, covered) => covered === 'SRV');
    assert.equal(count, 1);
    const [changed, other] = text.split('\n');
    assert.equal(other, 'a.test. 300 IN SRV 1 1 1 b.test.');
    const before = line.split(/\s+/);
    const afterFields = changed!.split(/\s+/);
    assert.deepEqual(afterFields.slice(0, 12), before.slice(0, 12));
    assert.notEqual(afterFields.slice(12).join(' '), before.slice(12).join(' '));
    assert.equal(afterFields.slice(12).join(' ').length, before.slice(12).join(' ').length);
  });
  it('leaves signatures it is not asked to corrupt', () => {
    assert.equal(corruptSignatures(line, (_o, covered) => covered === 'A').count, 0);
  });
});
