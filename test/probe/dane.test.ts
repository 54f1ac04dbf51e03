/**
 * DANE matching (src/probe/dane.ts) against certificates made here by the
 * real `openssl`, with the TLSA association data computed by `openssl`
 * itself (x509 → pkey → dgst), never by the code under test.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { certificatesOfPem, TrustStore, verifyChain } from '../../src/probe/certificate.js';
import { daneEeSpkiSha256, matchTlsa, unusableReason, type DaneChain, type TlsaData } from '../../src/probe/dane.js';
import { ensurePackages } from '../support/real-servers.js';
import { makePki, opensslDer, opensslTlsaData, type Issued, type Pki } from '../support/tls-pki.js';

let pki: Pki;
let leaf: Issued;
let other: Issued;

/** The DER SubjectPublicKeyInfo of a PEM certificate, by openssl. */
const spki = (pem: string): Buffer => execFileSync('bash', ['-o', 'pipefail', '-c', `openssl x509 -in '${pem}' -noout -pubkey | openssl pkey -pubin -outform DER`]);
const der = opensslDer;
const tlsaData = opensslTlsaData;

const record = (usage: number, selector: number, matchingType: number, data: string): TlsaData => ({ usage, selector, matchingType, data });

/** The chain as a server sends it (leaf, intermediate) and PKIX validation of it against the test root. */
function chainOf(issued: Issued, options: { withIntermediate?: boolean; trustRoot?: boolean } = {}): DaneChain {
  const sent = [der(issued.cert), ...(options.withIntermediate === false ? [] : [der(pki.intermediate)])];
  const store = new TrustStore(options.trustRoot === false ? [] : certificatesOfPem(readFileSync(pki.rootCa, 'utf8')), { systemRoots: false });
  const { trust, path } = verifyChain(sent.map((d) => new X509Certificate(d)), store, new Date());
  return { sent, path: path.map((c) => c.raw), pkixValid: trust.kind === 'trusted' };
}

before(() => {
  ensurePackages(['openssl']);
  pki = makePki();
  leaf = pki.issue('dane', { san: ['DNS:sip.dane.test'] });
  other = pki.issue('other', { san: ['DNS:sip.other.test'] });
});

after(() => {
  if (pki !== undefined) rmSync(pki.dir, { recursive: true, force: true });
});

describe('DANE-EE (3): the leaf, nothing else', () => {
  test('every selector and matching type matches the leaf as openssl computes it', () => {
    for (const selector of [0, 1] as const) {
      for (const matchingType of [0, 1, 2] as const) {
        const result = matchTlsa([record(3, selector, matchingType, tlsaData(leaf.cert, selector, matchingType))], chainOf(leaf));
        assert.equal(result.match?.usage, 3, `3 ${selector} ${matchingType}`);
        assert.equal(result.match?.depth, 0);
        assert.equal(result.daneEe, true);
      }
    }
  });

  test('upper-case hex matches too (presentation format is case-insensitive)', () => {
    const result = matchTlsa([record(3, 1, 1, tlsaData(leaf.cert, 1, 1).toUpperCase())], chainOf(leaf));
    assert.equal(result.daneEe, true);
  });

  test("another certificate's digest does not match, and says why", () => {
    const result = matchTlsa([record(3, 1, 1, tlsaData(other.cert, 1, 1))], chainOf(leaf));
    assert.equal(result.match, undefined);
    assert.equal(result.usable, 1);
    assert.equal(result.daneEe, false);
    assert.match(result.records[0]!.reason ?? '', /does not match/);
  });

  test('matches with an untrusted chain and without the intermediate (RFC 7671 §5.1: no PKIX)', () => {
    const result = matchTlsa([record(3, 1, 1, tlsaData(leaf.cert, 1, 1))], chainOf(leaf, { withIntermediate: false, trustRoot: false }));
    assert.equal(result.daneEe, true);
  });

  test('the plan helper prints the same 3 1 1 data openssl computes', () => {
    assert.equal(daneEeSpkiSha256(der(leaf.cert)), tlsaData(leaf.cert, 1, 1));
    assert.deepEqual(Buffer.from(tlsaData(leaf.cert, 1, 0), 'hex'), spki(leaf.cert));
  });
});

describe('DANE-TA (2): a trust anchor in the chain as sent', () => {
  test('the intermediate, sent, matches by SPKI and by certificate', () => {
    for (const [selector, matchingType] of [[1, 1], [0, 1], [0, 2], [1, 2]] as const) {
      const result = matchTlsa([record(2, selector, matchingType, tlsaData(pki.intermediate, selector, matchingType))], chainOf(leaf, { trustRoot: false }));
      assert.equal(result.match?.usage, 2, `2 ${selector} ${matchingType}`);
      assert.equal(result.match?.depth, 1);
      assert.match(result.match?.subject ?? '', /Intermediate/);
      assert.equal(result.daneEe, false);
    }
  });

  test('an intermediate the server does not send does not match (RFC 7671 §5.2)', () => {
    const result = matchTlsa([record(2, 1, 1, tlsaData(pki.intermediate, 1, 1))], chainOf(leaf, { withIntermediate: false }));
    assert.equal(result.match, undefined);
    assert.match(result.records[0]!.reason ?? '', /must be in the chain as sent/);
  });

  test('a full certificate record (2 0 0) is itself the anchor when the chain is issued by it', () => {
    const result = matchTlsa([record(2, 0, 0, tlsaData(pki.intermediate, 0, 0))], chainOf(leaf, { withIntermediate: false }));
    assert.equal(result.match?.depth, -1);
    // The root did not issue the leaf: as a full certificate it anchors nothing here.
    const root = matchTlsa([record(2, 0, 0, tlsaData(pki.rootCa, 0, 0))], chainOf(leaf, { withIntermediate: false }));
    assert.equal(root.match, undefined);
  });

  test('the leaf itself is not a trust anchor', () => {
    const result = matchTlsa([record(2, 1, 1, tlsaData(leaf.cert, 1, 1))], chainOf(leaf));
    assert.equal(result.match, undefined);
  });
});

describe('PKIX usages (0, 1): the record and PKIX validation both', () => {
  test('PKIX-EE matches only when the chain validates', () => {
    const data = tlsaData(leaf.cert, 1, 1);
    assert.equal(matchTlsa([record(1, 1, 1, data)], chainOf(leaf)).match?.usage, 1);
    const untrusted = matchTlsa([record(1, 1, 1, data)], chainOf(leaf, { trustRoot: false }));
    assert.equal(untrusted.match, undefined);
    assert.match(untrusted.records[0]!.reason ?? '', /PKIX-EE also needs the chain to validate/);
  });

  test('PKIX-TA matches the root on the validated path even when it was not sent', () => {
    const result = matchTlsa([record(0, 0, 1, tlsaData(pki.rootCa, 0, 1))], chainOf(leaf));
    assert.equal(result.match?.usage, 0);
    assert.equal(result.match?.depth, -1);
    assert.match(result.match?.subject ?? '', /Root/);
    const inter = matchTlsa([record(0, 1, 2, tlsaData(pki.intermediate, 1, 2))], chainOf(leaf));
    assert.equal(inter.match?.depth, 1);
  });

  test('PKIX-TA does not match when validation fails, nor on the leaf', () => {
    assert.equal(matchTlsa([record(0, 0, 1, tlsaData(pki.intermediate, 0, 1))], chainOf(leaf, { trustRoot: false })).match, undefined);
    assert.equal(matchTlsa([record(0, 1, 1, tlsaData(leaf.cert, 1, 1))], chainOf(leaf)).match, undefined);
  });
});

describe('unusable records are set aside and reported (RFC 6698 §4.1)', () => {
  test('unknown usage, selector, matching type and wrong lengths', () => {
    const good = tlsaData(leaf.cert, 1, 1);
    const cases: [TlsaData, RegExp][] = [
      [record(4, 1, 1, good), /unknown certificate usage 4/],
      [record(255, 1, 1, good), /unknown certificate usage 255/],
      [record(3, 2, 1, good), /unknown selector 2/],
      [record(3, 1, 3, good), /unknown matching type 3/],
      [record(3, 1, 1, good.slice(2)), /SHA2-256 data of 31 octets instead of 32/],
      [record(3, 1, 2, good), /SHA2-512 data of 32 octets instead of 64/],
      [record(3, 1, 0, ''), /no association data/],
    ];
    for (const [r, reason] of cases) {
      assert.match(unusableReason(r) ?? '', reason);
    }
    const result = matchTlsa(cases.map(([r]) => r), chainOf(leaf));
    assert.equal(result.usable, 0);
    assert.equal(result.match, undefined);
    assert.ok(result.records.every((r) => !r.usable && r.reason !== undefined));
  });

  test('an unusable record beside a matching one does not stop the match', () => {
    const result = matchTlsa([record(3, 1, 1, 'ab'), record(3, 1, 1, tlsaData(leaf.cert, 1, 1))], chainOf(leaf));
    assert.equal(result.usable, 1);
    assert.equal(result.daneEe, true);
    assert.equal(result.records[0]!.usable, false);
    assert.equal(result.records[0]!.mnemonic, 'DANE-EE SPKI SHA2-256');
  });
});

describe('digest algorithm agility (RFC 7671 §9): only the strongest digest per usage and selector', () => {
  test('a SHA2-256 record beside a SHA2-512 one of the same usage and selector is ignored, even when it matches', () => {
    // The SHA2-512 record is wrong (another certificate's): a client that supports SHA2-512 must not fall back to the weaker one.
    const result = matchTlsa([record(3, 1, 1, tlsaData(leaf.cert, 1, 1)), record(3, 1, 2, tlsaData(other.cert, 1, 2))], chainOf(leaf));
    assert.equal(result.match, undefined);
    assert.equal(result.daneEe, false);
    assert.equal(result.usable, 2);
    const [weak, strong] = result.records;
    assert.equal(weak!.supersededBy, 'SHA2-512');
    assert.equal(weak!.wouldMatch, true);
    assert.equal(weak!.matched, false);
    assert.match(weak!.reason ?? '', /RFC 7671 §9.*would match/);
    assert.equal(strong!.supersededBy, undefined);
    assert.match(strong!.reason ?? '', /does not match/);
  });

  test('the stronger record matches: the weaker one is still ignored (and says it would not have matched)', () => {
    const result = matchTlsa([record(3, 1, 1, tlsaData(other.cert, 1, 1)), record(3, 1, 2, tlsaData(leaf.cert, 1, 2))], chainOf(leaf));
    assert.equal(result.match?.matchingType, 2);
    assert.equal(result.records[0]!.wouldMatch, false);
  });

  test('Full (0) records are always considered beside the strongest digest', () => {
    const result = matchTlsa([record(3, 1, 2, tlsaData(other.cert, 1, 2)), record(3, 1, 0, tlsaData(leaf.cert, 1, 0))], chainOf(leaf));
    assert.equal(result.match?.matchingType, 0);
    assert.equal(result.records[1]!.supersededBy, undefined);
  });

  test('per usage and selector: a SHA2-256 record of another selector or usage is not superseded', () => {
    const result = matchTlsa([record(3, 0, 2, tlsaData(other.cert, 0, 2)), record(3, 1, 1, tlsaData(leaf.cert, 1, 1)), record(2, 1, 2, tlsaData(other.cert, 1, 2))], chainOf(leaf));
    assert.equal(result.match?.selector, 1);
    assert.equal(result.match?.matchingType, 1);
    assert.ok(result.records.every((r) => r.supersededBy === undefined));
  });

  test('an unusable stronger record (wrong length) does not supersede: agility comes after setting those aside', () => {
    const result = matchTlsa([record(3, 1, 2, tlsaData(leaf.cert, 1, 1)), record(3, 1, 1, tlsaData(leaf.cert, 1, 1))], chainOf(leaf));
    assert.equal(result.records[0]!.usable, false);
    assert.equal(result.match?.matchingType, 1);
  });

  test('with records of both digests for the same certificate, the SHA2-512 one is the match', () => {
    const result = matchTlsa([record(2, 1, 1, tlsaData(pki.intermediate, 1, 1)), record(2, 1, 2, tlsaData(pki.intermediate, 1, 2))], chainOf(leaf));
    assert.equal(result.match?.matchingType, 2);
    assert.equal(result.records[0]!.supersededBy, 'SHA2-512');
  });
});

describe('reference identifiers for usages other than DANE-EE (RFC 7671 §7, §10.2)', () => {
  let aliasLeaf: Issued;
  before(() => {
    aliasLeaf = pki.issue('expanded', { san: ['DNS:edge.provider.test'] });
  });
  const names = (c: DaneChain, list: readonly string[]): DaneChain => ({ ...c, names: list });

  test('DANE-TA matches when the leaf names the TLSA base domain (the expanded name) and says which', () => {
    const result = matchTlsa([record(2, 1, 1, tlsaData(pki.intermediate, 1, 1))], names(chainOf(aliasLeaf), ['edge.provider.test', 'sip.alias.test']));
    assert.equal(result.match?.usage, 2);
    assert.equal(result.match?.name, 'edge.provider.test');
    assert.deepEqual(result.names, ['edge.provider.test', 'sip.alias.test']);
  });

  test('the original name counts as well (the same certificate named after the SRV target)', () => {
    const result = matchTlsa([record(1, 1, 1, tlsaData(leaf.cert, 1, 1))], names(chainOf(leaf), ['edge.provider.test', 'sip.dane.test']));
    assert.equal(result.match?.name, 'sip.dane.test');
  });

  test('DANE-TA and PKIX-TA do not count when the leaf names none of them', () => {
    const ta = matchTlsa([record(2, 1, 1, tlsaData(pki.intermediate, 1, 1))], names(chainOf(aliasLeaf), ['sip.alias.test']));
    assert.equal(ta.match, undefined);
    assert.match(ta.records[0]!.reason ?? '', /names none of sip\.alias\.test/);
    const pkix = matchTlsa([record(0, 0, 1, tlsaData(pki.rootCa, 0, 1))], names(chainOf(aliasLeaf), ['sip.alias.test']));
    assert.equal(pkix.match, undefined);
  });

  test('DANE-EE needs no name (RFC 7671 §5.1)', () => {
    const result = matchTlsa([record(3, 1, 1, tlsaData(aliasLeaf.cert, 1, 1))], names(chainOf(aliasLeaf), ['sip.alias.test']));
    assert.equal(result.daneEe, true);
    assert.equal(result.match?.name, undefined);
  });

  test('the subject CN is never a name, and a wildcard covers one label only', () => {
    const cnOnly = pki.issue('sip.cn.test', { cn: 'sip.cn.test' });
    assert.equal(matchTlsa([record(2, 1, 1, tlsaData(pki.intermediate, 1, 1))], names(chainOf(cnOnly), ['sip.cn.test'])).match, undefined);
    const wild = pki.issue('wild', { san: ['DNS:*.provider.test'] });
    const ta = [record(2, 1, 1, tlsaData(pki.intermediate, 1, 1))];
    assert.equal(matchTlsa(ta, names(chainOf(wild), ['edge.provider.test'])).match?.name, 'edge.provider.test');
    assert.equal(matchTlsa(ta, names(chainOf(wild), ['a.edge.provider.test'])).match, undefined);
  });
});
