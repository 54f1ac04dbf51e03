/**
 * DANE end to end through the CLI against real servers on loopback: zones
 * signed with dnssec-signzone, served by NSD and validated by Unbound
 * (test/support/signed-zone.ts), holding SRV and TLSA records for
 * `openssl s_server` edges whose certificates are made here with `openssl`
 * (test/support/tls-pki.ts). The TLSA data is computed by `openssl` too.
 * Every case: a usage and how it matches, a mismatch, unusable records, TLSA
 * in an unsigned zone, a bogus TLSA answer, and a DANE-EE match overriding a
 * wrong certificate name.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { runFedcheck, type CliRun } from '../support/cli.js';
import { onlyFinding, reportDomain } from '../support/report-checks.js';
import { startSignedZoneWorld, type SignedZoneSpec, type SignedZoneWorld } from '../support/signed-zone.js';
import { makePki, opensslTlsaData, type Pki } from '../support/tls-pki.js';
import { startProsody, startSServer, type TlsTestServer } from '../support/tls-servers.js';

interface Finding {
  readonly rule: string;
  readonly status: string;
  readonly message: string;
  readonly facts?: Record<string, unknown>;
}
interface TlsaReport {
  readonly owner: string;
  readonly result: string;
  readonly security: { tlsa: string; srv: string; addresses: string };
  readonly records: { usage: number; selector: number; matchingType: number; data: string; usable: boolean; reason?: string; matched: string[] }[];
}
interface Domain {
  readonly domain: string;
  readonly status: string;
  readonly findings: readonly Finding[];
  readonly records: { sipfederationtls: { targets: { name: string; tlsa?: TlsaReport[] }[] } };
}

const servers: TlsTestServer[] = [];
let world: SignedZoneWorld;
let pki: Pki;
let report: { domains: Domain[] };
const domains: string[] = [];
const ARGS: string[] = [];

const HEAD = (origin: string): string[] => [`$ORIGIN ${origin}.`, '$TTL 300', '@ SOA ns1 hostmaster 2026120301 3600 600 86400 60', '@ NS ns1', 'ns1 A 127.0.0.1'];

before(async () => {
  pki = makePki();
  const wrong = pki.issue('wrong', { san: ['DNS:other.example'] });
  const other = pki.issue('other', { san: ['DNS:unused.example'] });
  // Every domain below names its own target; one certificate serves several, so its name fits only some.
  const shared = pki.issue('shared', {
    san: ['ee', 'ee0', 'ta', 'ta0', 'pkixee', 'pkixta', 'mismatch', 'unusable', 'none', 'notsent', 'plain', 'bogus'].flatMap((l) => [`DNS:sip.${l}.dane.test`, `DNS:sip.${l}.plain.test`, `DNS:sip.${l}.bogus.test`]),
  });
  const sharedServer = await startSServer({ cert: shared.cert, key: shared.key, chain: shared.chain });
  const leafOnly = pki.issue('leafonly', { san: ['DNS:sip.notsent.dane.test'], omitIntermediate: true });
  const leafOnlyServer = await startSServer({ cert: leafOnly.cert, key: leafOnly.key, chain: leafOnly.chain });
  const wrongServer = await startSServer({ cert: wrong.cert, key: wrong.key, chain: wrong.chain });
  servers.push(sharedServer, leafOnlyServer, wrongServer);

  const zones: Record<string, string[]> = { 'dane.test': HEAD('dane.test'), 'plain.test': HEAD('plain.test'), 'bogus.test': HEAD('bogus.test') };
  const add = (origin: string, label: string, port: number, tlsa: readonly string[]): void => {
    zones[origin]!.push(`_sipfederationtls._tcp.${label} SRV 0 0 ${port} sip.${label}`, `sip.${label} A 127.0.0.1`, ...tlsa.map((t) => `_${port}._tcp.sip.${label} TLSA ${t}`));
    domains.push(`${label}.${origin}`);
  };
  const s = sharedServer.port;
  add('dane.test', 'ee', s, [`3 1 1 ${opensslTlsaData(shared.cert, 1, 1)}`]);
  add('dane.test', 'ee0', s, [`3 0 2 ${opensslTlsaData(shared.cert, 0, 2)}`]);
  add('dane.test', 'ta', s, [`2 1 1 ${opensslTlsaData(pki.intermediate, 1, 1)}`]);
  add('dane.test', 'ta0', s, [`2 0 1 ${opensslTlsaData(pki.intermediate, 0, 1)}`]);
  add('dane.test', 'pkixee', s, [`1 1 2 ${opensslTlsaData(shared.cert, 1, 2)}`]);
  add('dane.test', 'pkixta', s, [`0 0 1 ${opensslTlsaData(pki.rootCa, 0, 1)}`]);
  add('dane.test', 'mismatch', s, [`3 1 1 ${opensslTlsaData(other.cert, 1, 1)}`, `2 1 1 ${opensslTlsaData(other.cert, 1, 1)}`]);
  add('dane.test', 'unusable', s, [`4 1 1 ${opensslTlsaData(shared.cert, 1, 1)}`, '3 1 1 abcd']);
  add('dane.test', 'none', s, []);
  add('dane.test', 'notsent', leafOnlyServer.port, [`2 1 1 ${opensslTlsaData(pki.intermediate, 1, 1)}`]);
  add('dane.test', 'wrongname', wrongServer.port, [`3 1 1 ${opensslTlsaData(wrong.cert, 1, 1)}`]);
  // XMPP (RFC 7673's case): a certificate naming only the SRV target, which XMPP partners accept over DANE.
  const xleaf = pki.issue('xtarget', { san: ['DNS:xmpp.xdane.dane.test'] });
  const prosody = await startProsody({ hosts: [{ domain: 'xdane.dane.test', cert: xleaf.chain, key: xleaf.key }], directTls: { cert: xleaf.chain, key: xleaf.key } });
  servers.push(prosody);
  zones['dane.test']!.push(`_xmpp-server._tcp.xdane SRV 0 0 ${prosody.port} xmpp.xdane`, 'xmpp.xdane A 127.0.0.1', `_${prosody.port}._tcp.xmpp.xdane TLSA 3 1 1 ${opensslTlsaData(xleaf.cert, 1, 1)}`);
  domains.push('xdane.dane.test');
  add('plain.test', 'plain', s, [`3 1 1 ${opensslTlsaData(shared.cert, 1, 1)}`]);
  add('bogus.test', 'bogus', s, [`3 1 1 ${opensslTlsaData(shared.cert, 1, 1)}`]);
  const spec = (origin: string, signing: SignedZoneSpec['signing'], corrupt?: readonly string[]): SignedZoneSpec => ({ origin, signing, text: `${zones[origin]!.join('\n')}\n`, ...(corrupt !== undefined ? { corrupt } : {}) });
  world = await startSignedZoneWorld([spec('dane.test', 'signed'), spec('plain.test', 'unsigned'), spec('bogus.test', 'bogus', [`_${s}._tcp.sip.bogus TLSA`])]);
  ARGS.push('-r', world.resolver, '--probe', '--probe-timeout', '3000', '--ca', pki.rootCa, '--timeout', '3000');
  const json = await runFedcheck([...ARGS, '--format', 'json', ...domains]);
  report = JSON.parse(json.stdout) as { domains: Domain[] };
});

after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await world?.stop();
  if (pki !== undefined && process.env.FEDCHECK_KEEP_SERVER_DIRS === undefined) rmSync(pki.dir, { recursive: true, force: true });
});

const domain = (label: string): Domain => reportDomain(report, label);
const dane = (label: string): Finding[] => domain(label).findings.filter((f) => f.rule === 'dane-tlsa');
const only = (label: string): Finding => onlyFinding(domain(label), 'dane-tlsa');
/** Problems other than sipfed-port (the test's edges listen on high ports, not 5061). */
const problems = (label: string): string[] => domain(label).findings.filter((f) => f.rule !== 'sipfed-port' && f.status !== 'pass' && f.status !== 'info').map((f) => `${f.rule}:${f.status}`);
const tlsaOf = (label: string): TlsaReport => domain(label).records.sipfederationtls.targets[0]!.tlsa![0]!;

describe('dane-tlsa through a validating resolver', () => {
  test('the signed zone is secure end to end: SRV, addresses and TLSA', () => {
    const t = tlsaOf('ee.dane.test');
    assert.deepEqual(t.security, { tlsa: 'secure', srv: 'secure', addresses: 'secure' });
    assert.equal(t.result, 'answer');
    assert.match(t.owner, /^_\d+\._tcp\.sip\.ee\.dane\.test$/);
  });

  for (const [label, usage] of [['ee', 'DANE-EE'], ['ee0', 'DANE-EE'], ['ta', 'DANE-TA'], ['ta0', 'DANE-TA'], ['pkixee', 'PKIX-EE'], ['pkixta', 'PKIX-TA']] as const) {
    test(`${label}: a secure ${usage} record matches (pass)`, () => {
      const f = only(`${label}.dane.test`);
      assert.equal(f.status, 'pass', f.message);
      assert.equal(f.facts?.usage, usage);
      assert.equal(f.facts?.address, '127.0.0.1');
      assert.deepEqual(tlsaOf(`${label}.dane.test`).records[0]!.matched, ['127.0.0.1']);
      assert.deepEqual(problems(`${label}.dane.test`), []);
    });
  }

  test('mismatch: secure records that match nothing fail', () => {
    const f = only('mismatch.dane.test');
    assert.equal(f.status, 'fail');
    assert.match(f.message, /None of the 2 usable secure TLSA records/);
    assert.deepEqual(problems('mismatch.dane.test'), ['dane-tlsa:fail']);
    assert.deepEqual(tlsaOf('mismatch.dane.test').records.map((r) => r.matched), [[], []]);
  });

  test('DANE-TA for an intermediate the server does not send fails (RFC 7671 §5.2)', () => {
    const f = only('notsent.dane.test');
    assert.equal(f.status, 'fail');
    assert.match(f.message, /must be in the chain as sent/);
  });

  test('unusable records are set aside and reported: warn', () => {
    const f = only('unusable.dane.test');
    assert.equal(f.status, 'warn');
    assert.match(f.message, /none is usable.*unknown certificate usage 4/);
    assert.deepEqual(tlsaOf('unusable.dane.test').records.map((r) => r.usable), [false, false]);
  });

  test('no TLSA records: no finding, and the secure NXDOMAIN is in the records', () => {
    assert.deepEqual(dane('none.dane.test'), []);
    assert.equal(tlsaOf('none.dane.test').result, 'nxdomain');
    assert.deepEqual(problems('none.dane.test'), []);
  });

  test('a matching DANE-EE record overrides the wrong certificate name, and says so', () => {
    const d = domain('wrongname.dane.test');
    const name = d.findings.find((f) => f.rule === 'sipfed-cert-name')!;
    assert.equal(name.status, 'info');
    assert.equal(name.facts?.overriddenBy, 'dane-tlsa');
    assert.equal(name.facts?.overriddenStatus, 'fail');
    assert.match(name.message, /does not cover .*Overridden \(was fail\)/);
    // The trust finding is PKIX's and stays as it is (the chain is fine here).
    assert.deepEqual(problems('wrongname.dane.test'), []);
    const f = only('wrongname.dane.test');
    assert.equal(f.status, 'pass');
    assert.deepEqual(f.facts?.overrides, ['sipfed-cert-name']);
  });

  test('XMPP: a DANE-EE match over secure DNS overrides xmpp-cert-name for a certificate naming the SRV target only', () => {
    const d = domain('xdane.dane.test');
    const f = d.findings.filter((x) => x.rule === 'dane-tlsa');
    assert.equal(f.length, 1, JSON.stringify(f));
    assert.equal(f[0]!.status, 'pass', f[0]!.message);
    assert.equal(f[0]!.facts?.service, 'xmpp');
    const name = d.findings.find((x) => x.rule === 'xmpp-cert-name')!;
    assert.equal(name.status, 'info', name.message);
    assert.equal(name.facts?.overriddenBy, 'dane-tlsa');
    assert.match(name.message, /covers only the SRV target .*Overridden \(was fail\)/);
  });

  test('TLSA in an unsigned zone: warn, the records cannot be trusted', () => {
    const f = only('plain.plain.test');
    assert.equal(f.status, 'warn');
    assert.match(f.message, /is insecure: the records cannot be trusted/);
    assert.deepEqual(tlsaOf('plain.plain.test').security, { tlsa: 'insecure', srv: 'insecure', addresses: 'insecure' });
  });

  test('a bogus TLSA answer fails, naming the resolver; never absent', () => {
    const f = only('bogus.bogus.test');
    assert.equal(f.status, 'fail');
    assert.match(f.message, /bogus/);
    assert.equal(tlsaOf('bogus.bogus.test').result, 'error');
    // Only the TLSA RRSIG is corrupted: the SRV and address answers of the same zone validate, and the record rules are untouched.
    assert.deepEqual(tlsaOf('bogus.bogus.test').security, { tlsa: 'bogus', srv: 'secure', addresses: 'secure' });
    assert.deepEqual(problems('bogus.bogus.test'), ['dane-tlsa:fail']);
    const d = domain('bogus.bogus.test');
    assert.equal(d.findings.find((x) => x.rule === 'sipfed-srv')?.status, 'pass');
    assert.equal(d.findings.find((x) => x.rule === 'dnssec-srv')?.status, 'pass');
    // (The domain has no XMPP records at all, truly absent: only the SIP federation records and their TLSA are judged here.)
    for (const x of d.findings.filter((f) => /^(sipfed|dane)-/.test(f.rule))) assert.doesNotMatch(x.message, /absent|missing/i, `${x.rule}: ${x.message}`);
  });
});

describe('every format renders the DANE findings', () => {
  const formats: [string, (run: CliRun) => void][] = [
    ['table', (r) => assert.match(r.stdout, /DANE \(probe\)[\s\S]*dane-tlsa: None of the 2 usable/)],
    ['html', (r) => assert.match(r.stdout, /TLSA<\/td>[\s\S]*DANE-EE SPKI SHA2-256/)],
    ['ndjson', (r) => assert.match(r.stdout, /"rule":"dane-tlsa"/)],
    ['junit', (r) => assert.match(r.stdout, /dane-tlsa/)],
    ['nagios', (r) => assert.match(r.stdout, /CRITICAL[\s\S]*mismatch\.dane\.test: FAIL .*dane-tlsa/)],
    ['prometheus', (r) => assert.match(r.stdout, /fedcheck_/)],
  ];
  for (const [format, check] of formats) {
    test(format, async () => {
      const run = await runFedcheck([...ARGS, '--format', format, 'ee.dane.test', 'mismatch.dane.test', 'wrongname.dane.test']);
      assert.ok(run.code !== null && run.code <= 3, `exit ${String(run.code)}: ${run.stderr}`);
      check(run);
    });
  }
});
