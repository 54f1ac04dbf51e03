/**
 * `fedcheck plan --tlsa CERT.pem`: the `3 1 1` records are openssl's own
 * SHA-256 of the certificate's SubjectPublicKeyInfo, at `_<port>._tcp.<target>`
 * of every planned SRV record, and the printed plan loads back through
 * fedcheck's zone loader with those TLSA records in it.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { planFromArguments } from '../../src/check/plan.js';
import { ExitError } from '../../src/errors.js';
import { RRType } from '../../src/dns/rr-types.js';
import { formatRecord, loadZoneFiles, zoneRecords } from '../../src/zone/index.js';
import { ensurePackages } from '../support/real-servers.js';
import { makePki, opensslTlsaData, type Issued, type Pki } from '../support/tls-pki.js';

const D = 'contoso.example';
let pki: Pki;
let edge: Issued;

before(() => {
  ensurePackages(['openssl']);
  pki = makePki();
  edge = pki.issue('edge', { san: [`DNS:sip.${D}`] });
});
after(() => {
  if (pki !== undefined) rmSync(pki.dir, { recursive: true, force: true });
});

const exitOf = (f: () => unknown): number | undefined => {
  try {
    f();
  } catch (err) {
    return err instanceof ExitError ? err.exitCode : -1;
  }
  return undefined;
};

describe('plan --tlsa', () => {
  test('3 1 1 at each planned SRV target and port, the data as openssl computes it', () => {
    const data = opensslTlsaData(edge.cert, 1, 1);
    const plan = planFromArguments([D], { profile: 'edge', address: ['192.0.2.10'], proxy: [], tlsa: edge.cert });
    const tlsa = plan.split('\n').filter((l) => /\bTLSA\b/.test(l) && !l.startsWith('; ---'));
    assert.deepEqual(
      tlsa.map((l) => l.replace(/\s+/g, ' ')),
      [`_5061._tcp.sip.${D}. 3600 IN TLSA 3 1 1 ${data}`, `_443._tcp.sip.${D}. 3600 IN TLSA 3 1 1 ${data}`, `; (with the optional SRV record) _5269._tcp.sip.${D}. 3600 IN TLSA 3 1 1 ${data}`],
    );
    assert.match(plan, /DNSSEC-signed zone/);
  });

  test('the printed records load back through the zone loader', () => {
    const data = opensslTlsaData(edge.cert, 1, 1);
    const text = [`$ORIGIN ${D}.`, '$TTL 3600', '@ SOA ns1 hostmaster 2024060101 3600 600 86400 60', '  NS ns1', 'ns1 A 192.0.2.53', planFromArguments([D], { address: ['192.0.2.10'], proxy: [], tlsa: edge.cert })].join('\n');
    const file = join(pki.dir, 'plan.zone');
    writeFileSync(file, text);
    const loaded = loadZoneFiles([file]);
    assert.ok(loaded.ok, loaded.ok ? '' : loaded.error.message);
    const records = zoneRecords(loaded.value.zones[0]!).filter((r) => r.type === RRType.TLSA);
    assert.deepEqual(records.map((r) => formatRecord(r).toLowerCase()), [`_5061._tcp.sip.${D}. 3600 in tlsa 3 1 1 ${data}`]);
    // The RDATA on the wire: usage 3, selector 1, matching type 1, then the 32 octets.
    assert.equal(records[0]!.rdata.toString('hex'), `030101${data}`);
  });

  test('without --tlsa no TLSA records; bad files and online plans are refused with their exit codes', () => {
    assert.doesNotMatch(planFromArguments([D], { address: [], proxy: [] }), /TLSA/);
    assert.equal(exitOf(() => planFromArguments([D], { address: [], proxy: [], tlsa: join(pki.dir, 'missing.pem') })), 66);
    assert.equal(exitOf(() => planFromArguments([D], { address: [], proxy: [], tlsa: edge.key })), 65);
    assert.equal(exitOf(() => planFromArguments([D], { profile: 'online', address: [], proxy: [], tlsa: edge.cert })), 64);
  });
});
