/**
 * DANE and CNAMEs, end to end against real servers: zones signed with
 * dnssec-signzone, served by NSD and validated by Unbound
 * (test/support/signed-zone.ts), an `openssl s_server` edge whose
 * certificate the TLSA records name (DANE-EE, so names do not matter).
 *
 * Two different aliases:
 * - the TLSA owner itself is a CNAME (`_PORT._tcp.sip.D CNAME _dane.provider.test.`,
 *   RFC 6698 Appendix A.2.1: TLSA records shared by many hosts): the lookup
 *   follows it like any other, and the answer is as secure as its whole chain;
 * - the SRV target is a CNAME (`sip.D CNAME edge.provider.test.`, which RFC 2782
 *   forbids but some deployments have): RFC 7671 §7 makes the securely
 *   CNAME-expanded name the preferred TLSA base domain, and the original name
 *   the one to ask when the expanded one has no TLSA records.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { runFedcheck } from '../support/cli.js';
import { onlyFinding, reportDomain } from '../support/report-checks.js';
import { startSignedZoneWorld, type SignedZoneWorld } from '../support/signed-zone.js';
import { makePki, opensslTlsaData, type Pki } from '../support/tls-pki.js';
import { startSServer, type TlsTestServer } from '../support/tls-servers.js';

interface Finding {
  readonly rule: string;
  readonly status: string;
  readonly message: string;
  readonly name?: string;
  readonly facts?: Record<string, unknown>;
}
interface TlsaReport {
  readonly owner: string;
  readonly result: string;
  readonly security: { tlsa: string; srv: string; addresses: string };
  readonly records: { matched: string[] }[];
}
interface Domain {
  readonly domain: string;
  readonly findings: readonly Finding[];
  readonly records: { sipfederationtls: { targets: { name: string; tlsa?: TlsaReport[] }[] } };
}

const HEAD = (origin: string): string[] => [`$ORIGIN ${origin}.`, '$TTL 300', '@ SOA ns1 hostmaster 2026120301 3600 600 86400 60', '@ NS ns1', 'ns1 A 127.0.0.1'];

let pki: Pki;
let edge: TlsTestServer | undefined;
let world: SignedZoneWorld | undefined;
let report: { domains: Domain[] };
let port: number;

before(async () => {
  pki = makePki();
  const leaf = pki.issue('edge', { san: ['DNS:edge.provider.test'] });
  edge = await startSServer({ cert: leaf.cert, key: leaf.key, chain: leaf.chain });
  port = edge.port;
  const ee = `3 1 1 ${opensslTlsaData(leaf.cert, 1, 1)}`;
  const wrong = `3 1 1 ${'00'.repeat(32)}`;
  const srv = (label: string): string => `_sipfederationtls._tcp.${label} SRV 0 0 ${port} sip.${label}`;
  const dane = [
    ...HEAD('dane.test'),
    // The TLSA owner is an alias into another signed zone.
    srv('towner'),
    'sip.towner A 127.0.0.1',
    `_${port}._tcp.sip.towner CNAME _dane.provider.test.`,
    // The TLSA owner is an alias into an unsigned zone: the chain is not secure.
    srv('tplain'),
    'sip.tplain A 127.0.0.1',
    `_${port}._tcp.sip.tplain CNAME _dane.plain.test.`,
    // The SRV target is an alias; TLSA records only at the expanded name.
    srv('target'),
    'sip.target CNAME edge.provider.test.',
    // The SRV target is an alias; TLSA records only at the original name (the fallback of RFC 7671 §7).
    srv('original'),
    'sip.original CNAME bare.provider.test.',
    `_${port}._tcp.sip.original TLSA ${ee}`,
    // Both: the expanded name's records are the ones that count (here they do not match).
    srv('both'),
    'sip.both CNAME wrong.provider.test.',
    `_${port}._tcp.sip.both TLSA ${ee}`,
    // The SRV target is an alias into an unsigned zone: no secure expansion, so the original name is the base domain.
    srv('insecure'),
    'sip.insecure CNAME edge.plain.test.',
    `_${port}._tcp.sip.insecure TLSA ${ee}`,
    // The expanded name's TLSA answer is bogus: no falling back to the original name's records past it.
    srv('broken'),
    'sip.broken CNAME broken.provider.test.',
    `_${port}._tcp.sip.broken TLSA ${ee}`,
  ];
  const provider = [
    ...HEAD('provider.test'),
    `_dane TLSA ${ee}`,
    'edge A 127.0.0.1',
    `_${port}._tcp.edge TLSA ${ee}`,
    'bare A 127.0.0.1',
    'wrong A 127.0.0.1',
    `_${port}._tcp.wrong TLSA ${wrong}`,
    'broken A 127.0.0.1',
    `_${port}._tcp.broken TLSA ${ee}`,
  ];
  const plain = [...HEAD('plain.test'), `_dane TLSA ${ee}`, 'edge A 127.0.0.1', `_${port}._tcp.edge TLSA ${wrong}`];
  world = await startSignedZoneWorld([
    { origin: 'dane.test', text: `${dane.join('\n')}\n` },
    // Signed; only the RRSIG of broken's TLSA RRset is corrupted.
    { origin: 'provider.test', text: `${provider.join('\n')}\n`, signing: 'bogus', corrupt: [`_${port}._tcp.broken TLSA`] },
    { origin: 'plain.test', text: `${plain.join('\n')}\n`, signing: 'unsigned' },
  ]);
  const run = await runFedcheck(['-r', world.resolver, '--probe', '--probe-timeout', '3000', '--ca', pki.rootCa, '--timeout', '3000', '--format', 'json', ...['towner', 'tplain', 'target', 'original', 'both', 'insecure', 'broken'].map((l) => `${l}.dane.test`)]);
  assert.ok(run.code !== null && run.code <= 3, `exit ${String(run.code)}: ${run.stderr}`);
  report = JSON.parse(run.stdout) as { domains: Domain[] };
});

after(async () => {
  await edge?.stop();
  await world?.stop();
  if (pki !== undefined && process.env.FEDCHECK_KEEP_SERVER_DIRS === undefined) rmSync(pki.dir, { recursive: true, force: true });
});

const domain = (label: string): Domain => reportDomain(report, `${label}.dane.test`);
const dane = (label: string): Finding => onlyFinding(domain(label), 'dane-tlsa');
const tlsa = (label: string): TlsaReport => domain(label).records.sipfederationtls.targets[0]!.tlsa![0]!;

describe('a TLSA owner that is a CNAME (RFC 6698 Appendix A.2.1)', () => {
  test('into a signed zone: followed, secure, and the records match (pass)', () => {
    const f = dane('towner');
    assert.equal(f.status, 'pass', f.message);
    assert.deepEqual(tlsa('towner').security, { tlsa: 'secure', srv: 'secure', addresses: 'secure' });
    assert.equal(tlsa('towner').owner, `_${port}._tcp.sip.towner.dane.test`);
    assert.deepEqual(tlsa('towner').records.map((r) => r.matched), [['127.0.0.1']]);
  });

  test('into an unsigned zone: the chain is not secure, so the records cannot be trusted (warn), never a match', () => {
    const f = dane('tplain');
    assert.equal(f.status, 'warn', f.message);
    assert.equal(tlsa('tplain').security.tlsa, 'insecure');
  });
});

describe('an SRV target that is a CNAME (RFC 7671 §7: the securely expanded name first)', () => {
  test('TLSA records only at the expanded name: found there, and they match (pass)', () => {
    const f = dane('target');
    assert.equal(f.status, 'pass', f.message);
    assert.equal(tlsa('target').owner, `_${port}._tcp.edge.provider.test`);
    assert.deepEqual(tlsa('target').security, { tlsa: 'secure', srv: 'secure', addresses: 'secure' });
    // The alias itself is still RFC 2782's problem, reported by its own rule.
    assert.notEqual(domain('target').findings.find((x) => x.rule === 'sipfed-target-alias')?.status, 'pass');
  });

  test('none at the expanded name: the original name is asked, and its records match (pass)', () => {
    const f = dane('original');
    assert.equal(f.status, 'pass', f.message);
    assert.equal(tlsa('original').owner, `_${port}._tcp.sip.original.dane.test`);
  });

  test('records at both: the expanded name\'s count (here they match nothing: fail)', () => {
    const f = dane('both');
    assert.equal(f.status, 'fail', f.message);
    assert.equal(tlsa('both').owner, `_${port}._tcp.wrong.provider.test`);
  });

  test('an alias into an unsigned zone is no secure expansion: the original name is asked (its records cannot be trusted either: the addresses are insecure)', () => {
    assert.equal(tlsa('insecure').owner, `_${port}._tcp.sip.insecure.dane.test`);
    assert.equal(tlsa('insecure').security.addresses, 'insecure');
    assert.equal(dane('insecure').status, 'warn');
  });

  test('a bogus TLSA answer at the expanded name fails as bogus; the original name\'s matching records are not used instead', () => {
    const f = dane('broken');
    assert.equal(f.status, 'fail', f.message);
    assert.match(f.message, /bogus/);
    assert.equal(tlsa('broken').owner, `_${port}._tcp.broken.provider.test`);
    assert.equal(tlsa('broken').result, 'error');
  });
});
