/**
 * `--probe` end to end through the CLI against real servers on loopback:
 * `openssl s_server` for the SIP edge (every certificate case, a TLS
 * 1.0-only server), Prosody for XMPP s2s (STARTTLS, XEP-0368 direct TLS, a
 * real `host-unknown`), and a scripted server for what no real server does.
 * Certificates are made here with `openssl` (test/support/tls-pki.ts); a
 * zone file points each domain's SRV records at them.
 */
import { strict as assert } from 'node:assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runFedcheck, type CliRun } from '../support/cli.js';
import { freePort, ipv6Available } from '../support/real-servers.js';
import { makePki, type Pki } from '../support/tls-pki.js';
import { startProsody, startScripted, startSServer, type Misbehaviour, type TlsTestServer } from '../support/tls-servers.js';

const ORIGIN = 'probe.test';
const TIMEOUT_MS = 1500;

interface Finding {
  readonly rule: string;
  readonly status: string;
  readonly message: string;
  readonly facts?: Record<string, unknown>;
}
interface Domain {
  readonly domain: string;
  readonly findings: readonly Finding[];
  readonly records: Record<string, { targets: { name: string; tls?: Record<string, unknown>[] }[] } | null>;
}

const servers: TlsTestServer[] = [];
const zone: string[] = [`$ORIGIN ${ORIGIN}.`, '$TTL 300', '@ SOA ns1 host 1 3600 600 86400 300', '@ NS ns1', 'ns1 A 127.0.0.1'];
const sipDomains: string[] = [];
const xmppDomains: string[] = [];
let pki: Pki;
let zoneFile: string;
let json: CliRun;
let report: { domains: Domain[] };

function sip(label: string, port: number): void {
  zone.push(`_sipfederationtls._tcp.${label} SRV 0 0 ${port} sip.${label}`, `sip.${label} A 127.0.0.1`);
  sipDomains.push(`${label}.${ORIGIN}`);
}
function xmpp(label: string, port: number, directPort?: number): void {
  zone.push(`_xmpp-server._tcp.${label} SRV 0 0 ${port} xmpp.${label}`, `xmpp.${label} A 127.0.0.1`);
  if (directPort !== undefined) zone.push(`_xmpps-server._tcp.${label} SRV 0 0 ${directPort} xmpp.${label}`);
  xmppDomains.push(`${label}.${ORIGIN}`);
}

async function edge(label: string, options: Parameters<Pki['issue']>[1], extra: readonly string[] = []): Promise<void> {
  const leaf = pki.issue(label, options);
  const server = await startSServer({ cert: leaf.cert, key: leaf.key, chain: leaf.chain, extra });
  servers.push(server);
  sip(label, server.port);
}

const name = (label: string, service: 'sip' | 'xmpp'): string => `${service}.${label}.${ORIGIN}`;

before(async () => {
  pki = makePki();
  const SAN = (label: string): string[] => [`DNS:${name(label, 'sip')}`];
  await edge('good', { san: SAN('good') });
  // External sign-in (edge profiles): _sip._tls is probed as the federation SRV is, here at good's edge.
  zone.push(`_sip._tls.signin SRV 0 0 ${servers[0]!.port} sip.good`);
  sipDomains.push(`signin.${ORIGIN}`);
  await edge('expired', { san: SAN('expired'), startDays: -400, endDays: -10 });
  await edge('notyet', { san: SAN('notyet'), startDays: 10, endDays: 400 });
  await edge('soon', { san: SAN('soon'), endDays: 10 });
  await edge('wrongname', { san: ['DNS:other.example'] });
  await edge('cnonly', { cn: name('cnonly', 'sip') });
  await edge('nointer', { san: SAN('nointer'), omitIntermediate: true });
  await edge('selfsigned', { san: SAN('selfsigned'), issuer: 'self' });
  await edge('unknownca', { san: SAN('unknownca'), issuer: 'other' });
  await edge('tls10', { san: SAN('tls10') }, ['-tls1', '-cipher', 'DEFAULT@SECLEVEL=0']);
  // An Access Edge on 5061 does mutual TLS: TLS 1.2, a client certificate required.
  await edge('mtls', { san: SAN('mtls') }, ['-tls1_2', '-Verify', '1']);
  sip('refused', await freePort());
  if (await ipv6Available()) {
    // A and AAAA each probed on its own: a good certificate on 127.0.0.1, an expired one on ::1, same port.
    const port = await freePort('127.0.0.1', true);
    const v4 = pki.issue('dual4', { san: [`DNS:${name('dual', 'sip')}`] });
    const v6 = pki.issue('dual6', { san: [`DNS:${name('dual', 'sip')}`], startDays: -40, endDays: -1 });
    servers.push(await startSServer({ cert: v4.cert, key: v4.key, chain: v4.chain, port }));
    servers.push(await startSServer({ cert: v6.cert, key: v6.key, chain: v6.chain, port, host: '::1' }));
    sip('dual', port);
    zone.push(`sip.dual AAAA ::1`);
  }
  for (const [label, behaviour] of [['silent', 'silent'], ['garbage', 'garbage']] as const) {
    const s = await startScripted(behaviour);
    servers.push(s);
    sip(label, s.port);
  }

  const xgood = pki.issue('xgood', { cn: 'xmpp', san: [`otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-server.xgood.${ORIGIN}`, `otherName:1.3.6.1.5.5.7.8.5;UTF8:xgood.${ORIGIN}`] });
  const xtarget = pki.issue('xtarget', { san: [`DNS:${name('xtarget', 'xmpp')}`] });
  const xexpired = pki.issue('xexpired', { san: [`DNS:xexpired.${ORIGIN}`], issuer: 'self', startDays: -400, endDays: -5 });
  const prosody = await startProsody({
    hosts: [
      { domain: `xgood.${ORIGIN}`, cert: xgood.chain, key: xgood.key },
      { domain: `xtarget.${ORIGIN}`, cert: xtarget.chain, key: xtarget.key },
      { domain: `xexpired.${ORIGIN}`, cert: xexpired.chain, key: xexpired.key },
    ],
    directTls: { cert: xgood.chain, key: xgood.key },
  });
  servers.push(prosody);
  xmpp('xgood', prosody.port, prosody.directTlsPort);
  xmpp('xtarget', prosody.port);
  xmpp('xexpired', prosody.port);
  // Prosody has no such host: it answers with a host-unknown stream error.
  xmpp('xunknown', prosody.port);
  const scripted: [string, Misbehaviour][] = [
    ['xnostarttls', 'no-starttls'],
    ['xfailure', 'failure'],
    ['xtrickle', 'trickle'],
    ['xendless', 'endless-header'],
    ['xhuge', 'huge-xml'],
  ];
  for (const [label, behaviour] of scripted) {
    const s = await startScripted(behaviour);
    servers.push(s);
    xmpp(label, s.port);
  }
  // RFC 6120 §3.2.2: no _xmpp-server._tcp at all, so partners (and the probe) go to the domain on 5269.
  // 127.0.0.77 is this test's own loopback address, so the fixed port cannot collide with another test.
  const fallback = await startScripted('host-unknown', '127.0.0.77', 5269);
  servers.push(fallback);
  zone.push('xfallback A 127.0.0.77');
  xmppDomains.push(`xfallback.${ORIGIN}`);
  zoneFile = join(pki.dir, `${ORIGIN}.zone`);
  writeFileSync(zoneFile, `${zone.join('\n')}\n`);
  json = await runFedcheck(['--zone', zoneFile, '--profile', 'edge', '--probe', '--probe-timeout', String(TIMEOUT_MS), '--ca', pki.rootCa, '--format', 'json', ...sipDomains, ...xmppDomains]);
  report = JSON.parse(json.stdout) as { domains: Domain[] };
  if (process.env.FEDCHECK_PROBE_DUMP) writeFileSync(process.env.FEDCHECK_PROBE_DUMP, json.stdout);
});

after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  if (process.env.FEDCHECK_KEEP_SERVER_DIRS === undefined) rmSync(pki.dir, { recursive: true, force: true });
});

/** The statuses of a rule's findings for a domain, sorted. */
function statuses(label: string, rule: string): string[] {
  const d = report.domains.find((x) => x.domain === `${label}.${ORIGIN}`);
  assert.ok(d, `${label} in the report (stderr: ${json.stderr})`);
  return d.findings.filter((f) => f.rule === rule).map((f) => f.status).sort();
}
function message(label: string, rule: string): string {
  return report.domains.find((x) => x.domain === `${label}.${ORIGIN}`)!.findings.find((f) => f.rule === rule)?.message ?? '';
}

describe('--probe against real servers', () => {
  test('the run completes with one line of nothing on stderr', () => {
    assert.equal(json.stderr, '');
    assert.ok([1, 2, 3].includes(json.code ?? -1), `exit ${json.code}`);
  });

  const cases: [label: string, rule: string, expected: string, pattern?: RegExp][] = [
    ['good', 'sipfed-tls', 'pass', /TLSv1\.3/],
    ['good', 'sipfed-tls-version', 'pass'],
    ['good', 'sipfed-cert-trust', 'pass', /fedcheck Test Root CA/],
    ['good', 'sipfed-cert-name', 'pass'],
    ['good', 'sipfed-cert-expiry', 'pass'],
    ['refused', 'sipfed-tls', 'fail', /refused/],
    ['garbage', 'sipfed-tls', 'fail', /TLS handshake failed/],
    ['silent', 'sipfed-tls', 'unknown', /did not complete within 1500 ms/],
    ['tls10', 'sipfed-tls', 'pass', /TLSv1\b/],
    ['mtls', 'sipfed-tls', 'pass', /asks for a client certificate/],
    ['mtls', 'sipfed-tls-version', 'pass', /TLSv1\.2/],
    ['mtls', 'sipfed-cert-trust', 'pass'],
    ['mtls', 'sipfed-cert-name', 'pass'],
    ['tls10', 'sipfed-tls-version', 'fail', /offers only TLSv1\b/],
    ['expired', 'sipfed-cert-expiry', 'fail', /expired on/],
    ['expired', 'sipfed-cert-trust', 'fail', /expired/],
    ['notyet', 'sipfed-cert-expiry', 'fail', /not valid before/],
    ['soon', 'sipfed-cert-expiry', 'warn', /expires in (9|10) days/],
    ['wrongname', 'sipfed-cert-name', 'fail', /does not cover .*other\.example/],
    ['cnonly', 'sipfed-cert-name', 'fail', /only in its subject CN/],
    ['nointer', 'sipfed-cert-trust', 'fail', /missing intermediate/],
    ['selfsigned', 'sipfed-cert-trust', 'fail', /self-signed/],
    ['unknownca', 'sipfed-cert-trust', 'fail', /fedcheck Other Root CA.*unknown CA/],
    ['xgood', 'xmpp-starttls', 'pass,pass', /STARTTLS \(required\)|direct TLS/],
    ['xgood', 'xmpp-cert-trust', 'pass,pass'],
    ['xgood', 'xmpp-cert-name', 'pass,pass', /SRV-ID _xmpp-server\.xgood\.probe\.test/],
    ['xgood', 'xmpp-cert-expiry', 'pass,pass'],
    ['xtarget', 'xmpp-starttls', 'pass'],
    ['xtarget', 'xmpp-cert-name', 'fail', /covers only the SRV target xmpp\.xtarget\.probe\.test.*RFC 7673/],
    ['xexpired', 'xmpp-cert-trust', 'fail', /self-signed/],
    ['xexpired', 'xmpp-cert-expiry', 'fail', /expired on/],
    ['xunknown', 'xmpp-starttls', 'fail', /host-unknown/],
    ['xnostarttls', 'xmpp-starttls', 'fail', /no <starttls\/>/],
    ['xfailure', 'xmpp-starttls', 'fail', /<failure\/>/],
    ['xtrickle', 'xmpp-starttls', 'unknown', /XMPP stream did not complete within 1500 ms/],
    ['xendless', 'xmpp-starttls', 'fail', /more than 65536 bytes/],
    ['xhuge', 'xmpp-starttls', 'fail', /more than 65536 bytes/],
  ];
  for (const [label, rule, expected, pattern] of cases) {
    test(`${label}: ${rule} ${expected}`, () => {
      assert.deepEqual(statuses(label, rule), expected.split(','));
      if (pattern !== undefined) assert.match(message(label, rule), pattern);
    });
  }

  test('A and AAAA are probed each on its own (when ::1 is available)', async (t) => {
    if (!(await ipv6Available())) {
      t.skip('no IPv6 loopback here');
      return;
    }
    const d = report.domains.find((x) => x.domain === `dual.${ORIGIN}`)!;
    const expiry = d.findings.filter((f) => f.rule === 'sipfed-cert-expiry').map((f) => [f.facts?.address, f.status]);
    assert.deepEqual(expiry, [['127.0.0.1', 'pass'], ['::1', 'fail']]);
    assert.match(d.findings.find((f) => f.rule === 'sipfed-cert-expiry' && f.status === 'fail')!.message, /at \[::1\]:\d+/);
  });

  test('without any XMPP SRV the domain itself is probed on 5269 (RFC 6120 §3.2.2)', () => {
    const d = report.domains.find((x) => x.domain === `xfallback.${ORIGIN}`)!;
    const f = d.findings.filter((x) => x.rule === 'xmpp-starttls');
    assert.deepEqual(f.map((x) => [x.status, x.facts?.service, x.facts?.address, x.facts?.port]), [['fail', 'xmpp-fallback', '127.0.0.77', 5269]]);
    const host = (d.records as unknown as { hosts: { role: string; tls?: { result: string }[] }[] }).hosts.find((h) => h.role === 'xmpp-fallback')!;
    assert.equal(host.tls?.[0]?.result, 'stream-error');
  });

  test('_sip._tls targets are probed in the edge profile', () => {
    const d = report.domains.find((x) => x.domain === `signin.${ORIGIN}`)!;
    const tls = d.findings.filter((f) => f.rule === 'sipfed-tls');
    assert.deepEqual(tls.map((f) => [f.status, f.facts?.service, f.facts?.owner]), [['pass', 'sip-tls', `_sip._tls.signin.${ORIGIN}`]]);
    assert.equal(d.findings.find((f) => f.rule === 'sipfed-cert-name')?.status, 'pass');
  });

  test('no certificate rule is reported for an address whose handshake failed', () => {
    for (const label of ['refused', 'garbage', 'silent']) for (const rule of ['sipfed-cert-trust', 'sipfed-cert-name', 'sipfed-cert-expiry', 'sipfed-tls-version']) assert.deepEqual(statuses(label, rule), [], `${label} ${rule}`);
  });

  test('findings carry their facts: target, address, port', () => {
    const f = report.domains.find((d) => d.domain === `soon.${ORIGIN}`)!.findings.find((x) => x.rule === 'sipfed-cert-expiry')!;
    assert.equal(f.facts?.target, name('soon', 'sip'));
    assert.equal(f.facts?.address, '127.0.0.1');
    assert.equal(typeof f.facts?.port, 'number');
    assert.ok(f.facts?.days === 9 || f.facts?.days === 10, `days ${String(f.facts?.days)}`);
  });

  test('JSON records hold each target address’s TLS result', () => {
    const d = report.domains.find((x) => x.domain === `good.${ORIGIN}`)!;
    const tls = d.records.sipfederationtls!.targets[0]!.tls!;
    assert.equal(tls.length, 1);
    const t = tls[0] as { result: string; version: string; cipher: string; trust: string; notAfter: string; names: { dns: string[] }; chain: { subject: string; fingerprint256: string }[] };
    assert.equal(t.result, 'tls');
    assert.equal(t.version, 'TLSv1.3');
    assert.ok(t.cipher.length > 0);
    assert.equal(t.trust, 'trusted');
    assert.deepEqual(t.names.dns, [name('good', 'sip')]);
    assert.ok(!Number.isNaN(Date.parse(t.notAfter)));
    assert.deepEqual(t.chain.map((c) => c.subject), [`CN=good`, 'CN=fedcheck Test Intermediate CA']);
    assert.match(t.chain[0]!.fingerprint256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const x = report.domains.find((y) => y.domain === `xgood.${ORIGIN}`)!;
    assert.equal((x.records.xmppServer!.targets[0]!.tls![0] as { starttlsRequired: boolean }).starttlsRequired, true);
    assert.equal((x.records.xmppsServer!.targets[0]!.tls![0] as { result: string }).result, 'tls');
  });

  test('without --ca the test root is not trusted: unknown CA', async () => {
    const r = await runFedcheck(['--zone', zoneFile, '--probe', '--probe-timeout', String(TIMEOUT_MS), '--format', 'json', `good.${ORIGIN}`]);
    const d = (JSON.parse(r.stdout) as { domains: Domain[] }).domains[0]!;
    const trust = d.findings.find((f) => f.rule === 'sipfed-cert-trust')!;
    assert.equal(trust.status, 'fail');
    assert.match(trust.message, /fedcheck Test Root CA.*not a trusted root/);
  });

  test('without --probe no TLS rule is reported and no target is contacted', async () => {
    const r = await runFedcheck(['--zone', zoneFile, '--format', 'json', `good.${ORIGIN}`, `xgood.${ORIGIN}`]);
    const domains = (JSON.parse(r.stdout) as { domains: Domain[] }).domains;
    for (const d of domains) assert.deepEqual(d.findings.filter((f) => /tls|cert|starttls/.test(f.rule) && !f.rule.startsWith('sip-tls')), []);
    assert.equal(domains[0]!.records.sipfederationtls!.targets[0]!.tls, undefined);
  });
});

describe('probe flags', () => {
  test('--ca without --probe is a usage error', async () => {
    const r = await runFedcheck(['--zone', zoneFile, '--ca', pki.rootCa, `good.${ORIGIN}`]);
    assert.equal(r.code, 64);
    assert.match(r.stderr, /^fedcheck: --ca only applies with --probe or with tls:\/\/ or https:\/\/ resolvers\n$/);
  });
  test('a missing --ca file exits 66, one that holds no certificate 65', async () => {
    const missing = await runFedcheck(['--zone', zoneFile, '--probe', '--ca', join(pki.dir, 'nope.pem'), `good.${ORIGIN}`]);
    assert.equal(missing.code, 66);
    assert.match(missing.stderr, /^fedcheck: cannot read --ca .*ENOENT\n$/);
    const empty = await runFedcheck(['--zone', zoneFile, '--probe', '--ca', zoneFile, `good.${ORIGIN}`]);
    assert.equal(empty.code, 65);
    assert.match(empty.stderr, /holds no PEM certificate/);
  });
  test('--probe-timeout must be a whole number of milliseconds', async () => {
    const r = await runFedcheck(['--zone', zoneFile, '--probe', '--probe-timeout', 'soon', `good.${ORIGIN}`]);
    assert.equal(r.code, 64);
    assert.match(r.stderr, /--probe-timeout must be a whole number/);
  });
  test('--expiry-warn 5 turns the 10-day warning into a pass', async () => {
    const r = await runFedcheck(['--zone', zoneFile, '--probe', '--ca', pki.rootCa, '--expiry-warn', '5', '--format', 'json', `soon.${ORIGIN}`]);
    const d = (JSON.parse(r.stdout) as { domains: Domain[] }).domains[0]!;
    assert.equal(d.findings.find((f) => f.rule === 'sipfed-cert-expiry')?.status, 'pass');
  });
});

describe('--probe in every format', () => {
  const base = (): string[] => ['--zone', zoneFile, '--probe', '--probe-timeout', String(TIMEOUT_MS), '--ca', pki.rootCa];

  test('table: the probe columns and findings', async () => {
    const r = await runFedcheck([...base(), `good.${ORIGIN}`, `nointer.${ORIGIN}`]);
    assert.match(r.stdout, /SIP TLS \(probe\)/);
    assert.match(r.stdout, /FAIL +sipfed-cert-trust: .*missing intermediate/);
  });

  test('prometheus: the earliest certificate expiry per domain', async () => {
    const r = await runFedcheck([...base(), '--format', 'prometheus', `soon.${ORIGIN}`, `good.${ORIGIN}`, `refused.${ORIGIN}`]);
    assert.match(r.stdout, /^# TYPE fedcheck_cert_expiry_timestamp_seconds gauge$/m);
    const soon = Number(/^fedcheck_cert_expiry_timestamp_seconds\{domain="soon\.probe\.test"\} (\d+)$/m.exec(r.stdout)?.[1]);
    const good = Number(/^fedcheck_cert_expiry_timestamp_seconds\{domain="good\.probe\.test"\} (\d+)$/m.exec(r.stdout)?.[1]);
    const now = Date.now() / 1000;
    assert.ok(soon > now + 8 * 86400 && soon < now + 11 * 86400, `soon expires in about 10 days: ${soon}`);
    assert.ok(good > now + 360 * 86400, `good expires in about a year: ${good}`);
    assert.doesNotMatch(r.stdout, /fedcheck_cert_expiry_timestamp_seconds\{domain="refused/, 'no handshake, no series');
  });

  test('nagios: the fewest days left in perfdata, thresholds from --expiry-warn', async () => {
    const r = await runFedcheck([...base(), '--format', 'nagios', '--expiry-warn', '20', `soon.${ORIGIN}`, `good.${ORIGIN}`]);
    assert.match(r.stdout.split('\n')[0]!, / cert_days=(9|10);20:;0:;;$/);
  });

  test('ndjson and junit carry the probe findings', async () => {
    const nd = await runFedcheck([...base(), '--format', 'ndjson', `tls10.${ORIGIN}`]);
    assert.match(nd.stdout, /"rule":"sipfed-tls-version","status":"fail"/);
    const junit = await runFedcheck([...base(), '--format', 'junit', `tls10.${ORIGIN}`]);
    assert.match(junit.stdout, /sipfed-tls-version/);
  });

  test('--since names a replaced certificate', async () => {
    const first = await runFedcheck([...base(), '--format', 'json', `good.${ORIGIN}`]);
    const previous = JSON.parse(first.stdout) as { domains: Domain[] };
    const tls = previous.domains[0]!.records.sipfederationtls!.targets[0]!.tls![0] as { chain: { fingerprint256: string }[] };
    tls.chain[0]!.fingerprint256 = 'AA:BB';
    const file = join(pki.dir, 'previous.json');
    writeFileSync(file, JSON.stringify(previous));
    const r = await runFedcheck([...base(), '--format', 'json', '--since', file, `good.${ORIGIN}`]);
    const changes = (JSON.parse(r.stdout) as { changes: { records: { type: string; name: string; before: string[]; after: string[] }[] } }).changes;
    const cert = changes.records.find((c) => c.type === 'certificate');
    assert.ok(cert, JSON.stringify(changes));
    assert.match(cert.name, /^sip\.good\.probe\.test 127\.0\.0\.1:\d+$/);
    assert.match(cert.before[0]!, /^AA:BB /);
    assert.match(cert.after[0]!, /^([0-9A-F]{2}:){31}[0-9A-F]{2} \(CN=good, until /);
    const same = await runFedcheck([...base(), '--format', 'json', '--since', join(pki.dir, 'first.json'), `good.${ORIGIN}`].map((a) => (a === join(pki.dir, 'first.json') ? (writeFileSync(a, first.stdout), a) : a)));
    assert.equal((JSON.parse(same.stdout) as { changes: { records: unknown[] } }).changes.records.length, 0, 'the same certificate is no change');
  });
});
