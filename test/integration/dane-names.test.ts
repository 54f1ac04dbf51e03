/**
 * RFC 7671 §7 names and §9 digest agility, end to end against real servers:
 * zones signed with dnssec-signzone, served by NSD and validated by Unbound
 * (test/support/signed-zone.ts), and `openssl s_server` edges that choose
 * their certificate by SNI (`-servername NAME -cert2 …`) and log each
 * ClientHello (`-trace`), so the test reads the SNI fedcheck really sent.
 *
 * - alias: the SRV target `sip.alias.dane.test` is a CNAME of
 *   `edge.provider.test` (signed), whose TLSA record is DANE-TA. The edge
 *   sends a certificate naming only `edge.provider.test` when that is the
 *   SNI, and one naming the SRV target otherwise: DANE passes only if the
 *   expanded name was sent as SNI and accepted as the certificate's name.
 * - refuse: the edge aborts the handshake for any SNI but the SRV target's
 *   (`-servername_fatal`): DANE partners, who send the expanded name, fail.
 * - insecure: the alias leads into an unsigned zone: the SRV target stays
 *   the TLSA base domain, the SNI and the name (RFC 7671 §7).
 * - agile: `3 1 1` matches, `3 1 2` does not: the weaker digest is ignored
 *   (RFC 7671 §9), so DANE fails.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runFedcheck } from '../support/cli.js';
import { assertJsonReport, onlyFinding, reportDomain } from '../support/report-checks.js';
import { startSignedZoneWorld, type SignedZoneWorld } from '../support/signed-zone.js';
import { makePki, opensslTlsaData, type Pki } from '../support/tls-pki.js';
import { startSServer, type TlsTestServer } from '../support/tls-servers.js';

interface Finding {
  readonly rule: string;
  readonly status: string;
  readonly code?: string;
  readonly message: string;
  readonly facts?: Record<string, unknown>;
}
interface TlsaReport {
  readonly owner: string;
  readonly baseDomain: string;
  readonly serverName: string;
  readonly records: { matchingType: number; supersededBy?: string; matched: string[] }[];
}
interface Domain {
  readonly domain: string;
  readonly findings: readonly Finding[];
  readonly records: { sipfederationtls: { targets: { name: string; tlsa?: TlsaReport[] }[] } };
}

const HEAD = (origin: string): string[] => [`$ORIGIN ${origin}.`, '$TTL 300', '@ SOA ns1 hostmaster 2026120301 3600 600 86400 60', '@ NS ns1', 'ns1 A 127.0.0.1'];

/**
 * The host names of the server_name extensions (RFC 6066 §3) of the
 * ClientHellos in an `openssl s_server -trace` log: the hex dump under each
 * `extension_type=server_name(0), length=N` line (N > 0: the server's empty
 * acknowledgement has none), whose ServerNameList is a 2-octet length, a
 * name type (0, host_name), a 2-octet length and the name.
 */
function sentServerNames(log: string): string[] {
  const lines = log.split('\n');
  const names: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const head = /extension_type=server_name\(0\), length=(\d+)/.exec(lines[i]!);
    if (head === null || Number(head[1]) === 0) continue;
    const bytes: number[] = [];
    for (let j = i + 1; j < lines.length && bytes.length < Number(head[1]); j += 1) {
      const row = /^\s+[0-9a-f]{4} - ((?:[0-9a-f]{2}[ -]){0,15}[0-9a-f]{2})/.exec(lines[j]!);
      if (row === null) break;
      bytes.push(...row[1]!.split(/[ -]/).map((h) => parseInt(h, 16)));
    }
    const length = ((bytes[3] ?? 0) << 8) | (bytes[4] ?? 0);
    names.push(Buffer.from(bytes.slice(5, 5 + length)).toString('ascii'));
  }
  return names;
}

let pki: Pki;
const servers: Record<string, TlsTestServer> = {};
let world: SignedZoneWorld | undefined;
let report: { domains: Domain[] };
let chainFile: string;
let agileWrong: string;

before(async () => {
  pki = makePki();
  // The chain each certificate is sent with (built by s_server from -CAfile): the intermediate, then the root.
  chainFile = join(pki.dir, 'inter-root.pem');
  writeFileSync(chainFile, readFileSync(pki.intermediate, 'utf8') + readFileSync(pki.rootCa, 'utf8'));
  const edge = (own: string, expanded?: { name: string; san: string }, extra: readonly string[] = []): Promise<TlsTestServer> => {
    const main = pki.issue(own, { san: [`DNS:${own}`] });
    const second = expanded !== undefined ? pki.issue(expanded.name, { san: [expanded.san] }) : undefined;
    return startSServer({
      cert: main.cert,
      key: main.key,
      extra: ['-CAfile', chainFile, '-build_chain', '-trace', ...(second !== undefined && expanded !== undefined ? ['-servername', expanded.name, '-cert2', second.cert, '-key2', second.key] : []), ...extra],
    });
  };
  servers.alias = await edge('sip.alias.dane.test', { name: 'edge.provider.test', san: 'DNS:edge.provider.test' });
  // Any SNI but its own name aborts the handshake (the second certificate, which -servername needs, is the same name's).
  servers.refuse = await edge('sip.refuse.dane.test', { name: 'sip.refuse.dane.test', san: 'DNS:sip.refuse.dane.test' }, ['-servername_fatal']);
  servers.insecure = await edge('sip.insecure.dane.test', { name: 'edge.plain.test', san: 'DNS:edge.plain.test' });
  const agileLeaf = pki.issue('sip.agile.dane.test', { san: ['DNS:sip.agile.dane.test'] });
  servers.agile = await startSServer({ cert: agileLeaf.cert, key: agileLeaf.key, chain: agileLeaf.chain });
  agileWrong = opensslTlsaData(pki.issue('unrelated', { san: ['DNS:unrelated.test'] }).cert, 1, 2);
  const ta = `2 1 1 ${opensslTlsaData(pki.intermediate, 1, 1)}`;
  const port = (label: string): number => servers[label]!.port;
  const srv = (label: string): string => `_sipfederationtls._tcp.${label} SRV 0 0 ${port(label)} sip.${label}`;
  const dane = [
    ...HEAD('dane.test'),
    srv('alias'),
    'sip.alias CNAME edge.provider.test.',
    srv('refuse'),
    'sip.refuse CNAME refuse.provider.test.',
    srv('insecure'),
    'sip.insecure CNAME edge.plain.test.',
    `_${port('insecure')}._tcp.sip.insecure TLSA ${ta}`,
    srv('agile'),
    'sip.agile A 127.0.0.1',
    `_${port('agile')}._tcp.sip.agile TLSA 3 1 1 ${opensslTlsaData(agileLeaf.cert, 1, 1)}`,
    `_${port('agile')}._tcp.sip.agile TLSA 3 1 2 ${agileWrong}`,
  ];
  const provider = [
    ...HEAD('provider.test'),
    'edge A 127.0.0.1',
    `_${port('alias')}._tcp.edge TLSA ${ta}`,
    'refuse A 127.0.0.1',
    `_${port('refuse')}._tcp.refuse TLSA ${ta}`,
  ];
  // Unsigned: an expansion into it is not secure, so its TLSA records (which would not match) are never asked.
  const plain = [...HEAD('plain.test'), 'edge A 127.0.0.1', `_${port('insecure')}._tcp.edge TLSA 3 1 1 ${'00'.repeat(32)}`];
  world = await startSignedZoneWorld([
    { origin: 'dane.test', text: `${dane.join('\n')}\n` },
    { origin: 'provider.test', text: `${provider.join('\n')}\n` },
    { origin: 'plain.test', text: `${plain.join('\n')}\n`, signing: 'unsigned' },
  ]);
  const run = await runFedcheck(['-r', world.resolver, '--probe', '--probe-timeout', '3000', '--ca', pki.rootCa, '--timeout', '3000', '--format', 'json', ...['alias', 'refuse', 'insecure', 'agile'].map((l) => `${l}.dane.test`)]);
  assert.ok(run.code !== null && run.code <= 3, `exit ${String(run.code)}: ${run.stderr}`);
  assertJsonReport(run.stdout);
  report = JSON.parse(run.stdout) as { domains: Domain[] };
});

after(async () => {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
  await world?.stop();
  if (pki !== undefined && process.env.FEDCHECK_KEEP_SERVER_DIRS === undefined) rmSync(pki.dir, { recursive: true, force: true });
});

const domain = (label: string): Domain => reportDomain(report, `${label}.dane.test`);
const finding = (label: string, rule: string): Finding => onlyFinding(domain(label), rule);
const tlsa = (label: string): TlsaReport => domain(label).records.sipfederationtls.targets[0]!.tlsa![0]!;

describe('RFC 7671 §7: after a secure CNAME expansion, the expanded name is the SNI and the primary name', () => {
  test('the edge saw both SNIs: the SRV target (PKIX partners) and the expanded name (DANE partners)', () => {
    const names = new Set(sentServerNames(servers.alias!.log()));
    assert.ok(names.has('edge.provider.test'), `SNIs sent: ${[...names].join(', ')}`);
    assert.ok(names.has('sip.alias.dane.test'), `SNIs sent: ${[...names].join(', ')}`);
  });

  test('DANE-TA passes on the certificate that names only the expanded name, and the finding says so', () => {
    const f = finding('alias', 'dane-tlsa');
    assert.equal(f.status, 'pass', f.message);
    assert.equal(f.facts?.baseDomain, 'edge.provider.test');
    assert.equal(f.facts?.serverName, 'edge.provider.test');
    assert.deepEqual(f.facts?.names, ['edge.provider.test', 'sip.alias.dane.test']);
    // The certificate sent for that SNI names only edge.provider.test: the one served for the target's SNI would say sip.alias.dane.test.
    assert.equal(f.facts?.matchedName, 'edge.provider.test');
    assert.match(f.message, /TLSA base domain is edge\.provider\.test, the securely CNAME-expanded name of sip\.alias\.dane\.test/);
    assert.equal(tlsa('alias').baseDomain, 'edge.provider.test');
    assert.equal(tlsa('alias').serverName, 'edge.provider.test');
    assert.deepEqual(tlsa('alias').records[0]!.matched, ['127.0.0.1']);
  });

  test("the PKIX view keeps the target's own SNI: its certificate names the target (sipfed-cert-name passes)", () => {
    const f = finding('alias', 'sipfed-cert-name');
    assert.equal(f.status, 'pass', f.message);
  });

  test('an edge that refuses the expanded name as SNI fails DANE, while the PKIX handshake completes', () => {
    const f = finding('refuse', 'dane-tlsa');
    assert.equal(f.status, 'fail', f.message);
    assert.equal(f.code, 'tlsa-sni-failed');
    assert.equal(f.facts?.serverName, 'refuse.provider.test');
    assert.ok(sentServerNames(servers.refuse!.log()).includes('refuse.provider.test'));
    assert.equal(finding('refuse', 'sipfed-tls').status, 'pass');
  });

  test('an insecure expansion: the SRV target stays the base domain, the only SNI and the name', () => {
    const f = finding('insecure', 'dane-tlsa');
    // The address answers are insecure, so the records cannot be trusted (RFC 7673 §3).
    assert.equal(f.status, 'warn', f.message);
    assert.equal(f.facts?.baseDomain, 'sip.insecure.dane.test');
    assert.equal(f.facts?.serverName, 'sip.insecure.dane.test');
    assert.deepEqual(f.facts?.names, ['sip.insecure.dane.test']);
    assert.equal(f.facts?.matchedName, 'sip.insecure.dane.test');
    assert.equal(tlsa('insecure').owner, `_${servers.insecure!.port}._tcp.sip.insecure.dane.test`);
    assert.deepEqual([...new Set(sentServerNames(servers.insecure!.log()))], ['sip.insecure.dane.test']);
  });
});

describe('RFC 7671 §9: digest algorithm agility against a real edge', () => {
  test('a matching SHA2-256 record beside a wrong SHA2-512 one of the same usage and selector: ignored, so DANE fails', () => {
    const f = finding('agile', 'dane-tlsa');
    assert.equal(f.status, 'fail', f.message);
    assert.match(f.message, /ignored: the set also holds SHA2-512 records for DANE-EE SPKI.*RFC 7671 §9.*it would match/);
    // An RRset has no order: sorted by matching type.
    const records = [...tlsa('agile').records].sort((a, b) => a.matchingType - b.matchingType);
    assert.deepEqual(
      records.map((r) => [r.matchingType, r.supersededBy ?? null, r.matched]),
      [
        [1, 'SHA2-512', []],
        [2, null, []],
      ],
    );
  });
});
