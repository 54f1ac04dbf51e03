import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { edgeFor, planFromArguments, planRecords, renderPlan, type PlanOptions } from '../../src/check/plan.js';
import { main } from '../../src/cli.js';
import { ExitError } from '../../src/errors.js';
import { CLOUD_NAMES, CLOUDS, PROFILES, type CloudName, type ConcreteProfileName } from '../../src/rules/profiles/profiles.js';
import { loadZoneFiles } from '../../src/zone/index.js';
import { profileZones } from '../cli/profiles-verdicts.js';

const D = 'plan.example';
const EDGE_PLAN: PlanOptions = { profile: 'edge', cloud: 'worldwide', addresses: ['192.0.2.10', '2001:db8::10'], proxy: ['192.0.2.20'] };

describe('planRecords', () => {
  test('edge: the Access Edge defaults to sip.D; every record names only rules of the profile', () => {
    const records = planRecords(D, EDGE_PLAN);
    const active = records.filter((r) => r.active).map((r) => `${r.owner} ${r.type} ${r.data}`);
    assert.deepEqual(active, [
      `_sipfederationtls._tcp.${D}. SRV 0 0 5061 sip.${D}.`,
      `sip.${D}. A 192.0.2.10`,
      `sip.${D}. AAAA 2001:db8::10`,
      `_sip._tls.${D}. SRV 0 0 443 sip.${D}.`,
      `lyncdiscover.${D}. A 192.0.2.20`,
    ]);
    for (const r of records) for (const rule of r.rules) assert.ok((PROFILES.edge.rules as readonly string[]).includes(rule), `${r.owner}: ${rule}`);
    assert.ok(records.find((r) => r.owner.startsWith('_xmpp-server'))?.active === false, 'XMPP is optional: commented out');
  });

  test('federation: the Access Edge A record satisfies sipfed-target-address only (access-edge-address is not a federation rule)', () => {
    const record = planRecords(D, { ...EDGE_PLAN, profile: 'federation' }).find((r) => r.type === 'A');
    assert.deepEqual(record?.rules, ['sipfed-target-address']);
  });

  test('without --address / --proxy the records are printed as templates, saying which option is missing', () => {
    const records = planRecords(D, { ...EDGE_PLAN, addresses: [], proxy: [] });
    const edgeA = records.find((r) => r.owner === `sip.${D}.` && r.type === 'A');
    assert.equal(edgeA?.active, false);
    assert.equal(edgeA?.why, 'give --address');
    assert.equal(records.find((r) => r.owner === `lyncdiscover.${D}.`)?.why, 'give --proxy');
  });

  test('the Access Edge: an FQDN as given, a single label under each domain', () => {
    assert.equal(edgeFor(D, undefined), `sip.${D}`);
    assert.equal(edgeFor(D, 'access1'), `access1.${D}`);
    assert.equal(edgeFor(D, 'edge.hoster.example'), 'edge.hoster.example');
  });

  test('online: each cloud\'s values; gcc-high and dod print only the federation SRV active', () => {
    for (const cloud of CLOUD_NAMES) {
      const records = planRecords(D, { profile: 'online', cloud, addresses: [], proxy: [] });
      const c = CLOUDS[cloud];
      const byOwner = (owner: string) => records.find((r) => r.owner === `${owner}.${D}.`)!;
      assert.equal(byOwner('_sipfederationtls._tcp').data, `100 1 5061 ${c.sipfed}.`);
      assert.equal(byOwner('_sip._tls').data, `100 1 443 ${c.sipdir}.`);
      assert.equal(byOwner('sip').data, `${c.sipdir}.`);
      assert.equal(byOwner('lyncdiscover').data, `${c.webdir}.`);
      const active = records.filter((r) => r.active).length;
      assert.equal(active, c.optional.length > 0 ? 1 : 4, cloud);
    }
  });
});

describe('renderPlan', () => {
  test('comments name the rules and the source; commented-out records say why', () => {
    const text = renderPlan([D], { ...EDGE_PLAN, addresses: [] });
    assert.match(text, /^; sip-tls-srv, sip-tls-port, sip-tls-target: external sign-in .*\[Microsoft, "Edge Server environmental requirements in Skype for Business Server"\]$/m);
    assert.match(text, /^; sipfed-target-address, access-edge-address: .* \(give --address\)\n; sip\.plan\.example\.\s+3600 IN A\s+<Access Edge public IPv4>$/m);
  });

  test('several domains and an Access Edge in one of them: its A record once, in its own section; a note for the other', () => {
    const text = renderPlan([D, 'second.example'], { ...EDGE_PLAN, edge: `sip.${D}`, addresses: ['192.0.2.10'] });
    assert.equal(text.match(/^sip\.plan\.example\.\s+3600 IN A/gm)?.length, 1);
    assert.match(text, /; note: the Access Edge sip\.plan\.example lies outside second\.example/);
    assert.doesNotMatch(text, /outside the SIP domains/);
  });

  test('an Access Edge outside every domain goes to a section of its own, once', () => {
    const text = renderPlan([D, 'second.example'], { ...EDGE_PLAN, edge: 'edge.hoster.example', addresses: ['192.0.2.10'] });
    assert.match(text, /outside the SIP domains/);
    assert.equal(text.match(/^edge\.hoster\.example\.\s+3600 IN A/gm)?.length, 1);
  });
});

describe('planFromArguments', () => {
  test('validates domains, addresses, profile and cloud', () => {
    assert.throws(() => planFromArguments([], { address: [], proxy: [] }), ExitError);
    assert.throws(() => planFromArguments(['x'], { address: [], proxy: [] }), /single label/);
    assert.throws(() => planFromArguments([D], { address: ['192.0.2.300'], proxy: [] }), /--address "192\.0\.2\.300" is not an IPv4 or IPv6 address/);
    assert.throws(() => planFromArguments([D], { address: [], proxy: ['x'] }), /--proxy/);
    assert.throws(() => planFromArguments([D], { profile: 'auto', address: [], proxy: [] }), /auto decides/);
    assert.throws(() => planFromArguments([D], { profile: 'nope', address: [], proxy: [] }), /unknown profile/);
    assert.throws(() => planFromArguments([D], { cloud: 'germany', address: [], proxy: [] }), /unknown cloud/);
    assert.match(planFromArguments(['Bücher.example'], { address: [], proxy: [] }), /xn--bcher-kva\.example\./, 'IDNs become A-labels');
  });
});

// ---------------------------------------------------------------------------
// The round trip: a plan, loaded as a zone by --zone mode, passes its profile.

const dir = mkdtempSync(join(tmpdir(), 'fedcheck-plan-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The plan for D wrapped in a zone (SOA, NS and glue added), written to a file. */
function planZone(options: PlanOptions, name: string): string {
  const text = [
    `$ORIGIN ${D}.`,
    '$TTL 3600',
    '@ SOA ns1 hostmaster 2024060101 3600 600 86400 60',
    '  NS  ns1',
    'ns1 A 192.0.2.53',
    renderPlan([D], options),
  ].join('\n');
  const file = join(dir, `${name}.zone`);
  writeFileSync(file, text);
  return file;
}

async function check(args: readonly string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await main(args, { stdout: { write: (t: string | Uint8Array) => (stdout += typeof t === 'string' ? t : Buffer.from(t).toString('utf8')) }, stderr: { write: (t: string) => (stderr += t) }, env: {} });
  return { status, stdout, stderr };
}

const MICROSOFT = profileZones().filter((z) => z.name.startsWith('online.') && !z.name.endsWith('.profiles.test'));

describe('plan → zone → check: the plan passes its own profile', () => {
  const cases: { profile: ConcreteProfileName; cloud?: CloudName; options: Partial<PlanOptions> }[] = [
    { profile: 'federation', options: {} },
    { profile: 'edge', options: {} },
    { profile: 'sfb2019-edge', options: {} },
    ...CLOUD_NAMES.map((cloud) => ({ profile: 'online' as const, cloud, options: {} })),
  ];
  for (const c of cases) {
    test(`${c.profile}${c.cloud !== undefined ? ` --cloud ${c.cloud}` : ''}`, async () => {
      const options: PlanOptions = { profile: c.profile, cloud: c.cloud ?? 'worldwide', addresses: ['192.0.2.10', '2001:db8::10'], proxy: ['192.0.2.20'], ...c.options };
      const file = planZone(options, `${c.profile}-${c.cloud ?? 'none'}`);
      assert.ok(loadZoneFiles([file]).ok, 'the plan loads as a zone');
      const zones = [file, ...(c.profile === 'online' ? MICROSOFT.map((z) => z.file) : [])].flatMap((f) => ['--zone', f]);
      const r = await check([...zones, '--profile', c.profile, ...(c.cloud !== undefined ? ['--cloud', c.cloud] : []), '--format', 'json', D]);
      const report = JSON.parse(r.stdout) as { domains: { status: string; findings: { rule: string; status: string; message: string }[] }[] };
      const domain = report.domains[0]!;
      const bad = domain.findings.filter((f) => f.status !== 'pass' && f.status !== 'info');
      assert.deepEqual(bad, [], 'no warn, fail or unknown');
      assert.equal(domain.status, 'pass');
      assert.equal(r.status, 0);
      // The rules the plan's comments name were all checked and passed (or noted).
      const named = new Set(planRecords(D, options).filter((p) => p.active).flatMap((p) => p.rules));
      for (const rule of named) assert.ok(domain.findings.some((f) => f.rule === rule && f.status === 'pass'), `${rule} passes`);
    });
  }
});

describe('plan: the names the Access Edge certificate must carry', () => {
  test('the edge FQDN, sip.<domain> of every domain, and the XMPP domains', () => {
    const text = planFromArguments(['contoso.example', 'fabrikam.example'], { profile: 'edge', edge: 'edge.hoster.example', address: [], proxy: [] });
    const section = text.slice(text.indexOf('; --- the Access Edge certificate'));
    assert.match(section, /^;   DNS: edge\.hoster\.example, sip\.contoso\.example, sip\.fabrikam\.example$/m);
    assert.match(section, /^;   DNS: contoso\.example, fabrikam\.example$/m);
    assert.match(section, /_xmpp-server\.contoso\.example, _xmpp-server\.fabrikam\.example/);
  });
  test('sfb2019-edge has no XMPP, online no certificate of yours', () => {
    assert.doesNotMatch(planFromArguments(['contoso.example'], { profile: 'sfb2019-edge', address: [], proxy: [] }), /SRV-ID/);
    assert.doesNotMatch(planFromArguments(['contoso.example'], { profile: 'online', address: [], proxy: [] }), /Access Edge certificate/);
  });
});
