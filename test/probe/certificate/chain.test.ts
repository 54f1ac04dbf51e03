/** verifyChain over certificates made with `openssl` (test/support/tls-pki.ts): each trust fault told apart. */
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { certificatesOfPem, summarise, TrustStore, verifyChain } from '../../../src/probe/certificate.js';
import { ensurePackages } from '../../support/real-servers.js';
import { makePki, type Pki } from '../../support/tls-pki.js';

let pki: Pki;
let store: TrustStore;
const chainOf = (file: string) => certificatesOfPem(readFileSync(file, 'utf8'));

before(() => {
  ensurePackages(['openssl']);
  pki = makePki();
  store = new TrustStore(chainOf(pki.rootCa), { systemRoots: false });
});

after(() => rmSync(pki.dir, { recursive: true, force: true }));

describe('verifyChain', () => {
  test('leaf + intermediate to a --ca root: trusted, the path ends at the anchor', () => {
    const { trust, path } = verifyChain(chainOf(pki.issue('good', { san: ['DNS:a.test'] }).chain), store, new Date());
    assert.deepEqual(trust, { kind: 'trusted', anchor: 'CN=fedcheck Test Root CA' });
    assert.deepEqual(path.map((c) => c.subject), ['CN=good', 'CN=fedcheck Test Intermediate CA', 'CN=fedcheck Test Root CA']);
  });
  test('leaf alone: missing intermediate, naming the issuer', () => {
    const { trust } = verifyChain(chainOf(pki.issue('lone', { san: ['DNS:a.test'], omitIntermediate: true }).chain), store, new Date());
    assert.deepEqual(trust, { kind: 'missing-intermediate', issuer: 'CN=fedcheck Test Intermediate CA' });
  });
  test('a root that was sent but is not trusted: unknown CA', () => {
    const { trust } = verifyChain(chainOf(pki.issue('other', { san: ['DNS:a.test'], issuer: 'other' }).chain), store, new Date());
    assert.deepEqual(trust, { kind: 'unknown-ca', issuer: 'CN=fedcheck Other Root CA' });
  });
  test('the whole chain without the --ca root: unknown CA at the intermediate', () => {
    const { trust } = verifyChain(chainOf(pki.issue('nora', { san: ['DNS:a.test'] }).chain), new TrustStore([], { systemRoots: false }), new Date());
    assert.deepEqual(trust, { kind: 'unknown-ca', issuer: 'CN=fedcheck Test Root CA' });
  });
  test('self-signed (a leaf without keyCertSign)', () => {
    const { trust } = verifyChain(chainOf(pki.issue('self', { san: ['DNS:a.test'], issuer: 'self' }).chain), store, new Date());
    assert.deepEqual(trust, { kind: 'self-signed' });
  });
  test('expired and not yet valid leaves on a good path', () => {
    const expired = verifyChain(chainOf(pki.issue('old', { san: ['DNS:a.test'], startDays: -30, endDays: -2 }).chain), store, new Date());
    assert.equal(expired.trust.kind, 'expired');
    const future = verifyChain(chainOf(pki.issue('new', { san: ['DNS:a.test'], startDays: 2, endDays: 30 }).chain), store, new Date());
    assert.equal(future.trust.kind, 'not-yet-valid');
  });
});

test('summarise reads SRV-ID and XmppAddr otherNames', () => {
  const [leaf] = chainOf(pki.issue('x', { cn: 'xmpp', san: ['otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-server.x.test', 'otherName:1.3.6.1.5.5.7.8.5;UTF8:x.test', 'DNS:XMPP.x.test'] }).cert);
  const s = summarise(leaf!);
  assert.deepEqual([s.dnsNames, s.srvNames, s.xmppAddrs, s.commonName], [['xmpp.x.test'], ['_xmpp-server.x.test'], ['x.test'], 'xmpp']);
  assert.match(s.notAfter, /^\d{4}-\d\d-\d\dT/);
});
