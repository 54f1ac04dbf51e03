/**
 * The authoritative-mode engine without external packages: the pure helpers
 * (zone from an SOA response, SOA probe classification, answer reduction),
 * then AuthoritativeChecker against fedcheck's own zone servers on
 * 127.0.0.2-4 at one OS-chosen port (two copies of a zone that disagree, a
 * server that refers instead of answering), a silent address, and a zone
 * server standing in for the resolver.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { classifySoa, combine, reduce, zoneFromSoaResponse, AuthoritativeChecker } from '../../src/check/authoritative.js';
import { DEFAULT_EXPECTATIONS } from '../../src/rules/types.js';
import { judge } from '../../src/check/check-domain.js';
import { DnsClient, type QueryOutcome } from '../../src/dns/client.js';
import type { DnsMessage, ResourceRecord } from '../../src/dns/codec.js';
import { LookupCache } from '../../src/lookup/cache.js';
import { parseZone } from '../../src/zone/parse.js';
import { startZoneServer, type ZoneServer } from '../../src/zone/server.js';
import type { Zone } from '../../src/zone/zone.js';
import { message, response, rr } from '../lookup/fake-dns.js';

const soa = (name: string, serial = 1): ResourceRecord => ({ type: 'SOA', name, ttl: 300, mname: `ns1.${name}`, rname: `hostmaster.${name}`, serial, minimum: 60 });
const ns = (name: string, target: string): ResourceRecord => ({ type: 'NS', name, ttl: 300, target });
const msg = (over: Partial<DnsMessage>): DnsMessage => ({ ...message([]), ...over });
const resp = (over: Partial<DnsMessage>): QueryOutcome => ({ ...(response([]) as QueryOutcome & { kind: 'response' }), message: msg(over) });

describe('zoneFromSoaResponse', () => {
  test('the SOA in the answer at the name: the name is the apex', () => {
    assert.equal(zoneFromSoaResponse(msg({ answers: [soa('contoso.example')] }), 'Contoso.Example.'), 'contoso.example');
  });
  test('a negative answer: the owner of the authority SOA, when at or above the name', () => {
    assert.equal(zoneFromSoaResponse(msg({ rcode: 'NXDOMAIN', authorities: [soa('contoso.example')] }), '_sipfederationtls._tcp.contoso.example'), 'contoso.example');
    assert.equal(zoneFromSoaResponse(msg({ authorities: [soa('other.example')] }), 'sip.contoso.example'), undefined);
  });
  test('an alias: the authority SOA belongs to the target, so no answer (walk up)', () => {
    const m = msg({ answers: [rr.cname('sip.contoso.example', 'edge.hoster.example')], authorities: [soa('hoster.example')] });
    assert.equal(zoneFromSoaResponse(m, 'sip.contoso.example'), undefined);
  });
  test('no SOA anywhere (a forwarder that strips authority): undefined', () => {
    assert.equal(zoneFromSoaResponse(msg({ rcode: 'NXDOMAIN' }), 'x.contoso.example'), undefined);
  });
  test('the root zone', () => {
    assert.equal(zoneFromSoaResponse(msg({ rcode: 'NXDOMAIN', authorities: [soa('.')] }), 'nowhere.invalid'), '.');
  });
});

describe('classifySoa', () => {
  const Z = 'contoso.example';
  test('AA and the zone SOA: authoritative with its serial', () => {
    assert.deepEqual(classifySoa(resp({ aa: true, answers: [soa(Z, 42)] }), Z), { kind: 'authoritative', serial: 42, mname: `ns1.${Z}` });
  });
  test('AA clear: lame, and a referral says so', () => {
    assert.deepEqual(classifySoa(resp({ aa: false, authorities: [ns(Z, 'ns.parent.example')] }), Z), { kind: 'lame', detail: 'answers without the AA flag (a referral)' });
    assert.equal(classifySoa(resp({ aa: false, answers: [soa(Z)] }), Z).kind, 'lame');
  });
  test('AA but the SOA of another zone: lame, naming that zone', () => {
    const probe = classifySoa(resp({ aa: true, rcode: 'NXDOMAIN', authorities: [soa('example')] }), Z);
    assert.deepEqual(probe, { kind: 'lame', detail: `answers NXDOMAIN without the SOA of ${Z}, as part of example` });
  });
  test('REFUSED, SERVFAIL, malformed: lame; timeout and network: silent', () => {
    const failure = (reason: 'refused' | 'servfail' | 'malformed' | 'timeout' | 'network', detail = 'x'): QueryOutcome => ({ kind: 'failure', reason, detail, tries: 2 });
    assert.deepEqual(classifySoa(failure('refused'), Z), { kind: 'lame', detail: 'answers REFUSED (2 tries)' });
    assert.deepEqual(classifySoa(failure('servfail'), Z), { kind: 'lame', detail: 'answers SERVFAIL (2 tries)' });
    assert.equal(classifySoa(failure('malformed', 'bad label'), Z).kind, 'lame');
    assert.deepEqual(classifySoa(failure('timeout'), Z), { kind: 'silent', detail: 'does not answer (timeout, 2 tries)' });
    assert.deepEqual(classifySoa(failure('network', 'TCP ECONNREFUSED'), Z), { kind: 'silent', detail: 'cannot be reached (TCP ECONNREFUSED)' });
  });
});

describe('reduce and combine', () => {
  const N = 'sip.contoso.example';
  test('records as sorted canonical text; case and trailing dots do not matter', () => {
    const a = reduce(resp({ aa: true, answers: [rr.srv('_s._tcp.x', 0, 0, 5061, 'SIP.Contoso.Example.'), rr.srv('_s._tcp.x', 10, 0, 5061, 'b.x')] }), '_s._tcp.x');
    assert.deepEqual(a, { kind: 'data', values: ['0 0 5061 sip.contoso.example', '10 0 5061 b.x'] });
    assert.deepEqual(reduce(resp({ aa: true, answers: [rr.aaaa(N, '2001:DB8:0:0::10')] }), N), { kind: 'data', values: ['2001:db8::10'] });
  });
  test('an alias is part of the answer', () => {
    assert.deepEqual(reduce(resp({ aa: true, answers: [rr.cname(N, 'edge.contoso.example'), rr.a('edge.contoso.example', '192.0.2.1')] }), N), {
      kind: 'data',
      values: ['192.0.2.1', 'CNAME edge.contoso.example'],
    });
  });
  test('NXDOMAIN, NODATA, AA clear, failure', () => {
    assert.deepEqual(reduce(resp({ aa: true, rcode: 'NXDOMAIN' }), N), { kind: 'nxdomain' });
    assert.deepEqual(reduce(resp({ aa: true }), N), { kind: 'nodata' });
    assert.equal(reduce(resp({ aa: false, answers: [rr.a(N, '192.0.2.1')] }), N).kind, 'error');
    assert.deepEqual(reduce({ kind: 'failure', reason: 'timeout', detail: 'timeout after 1 try', tries: 1 }, N), { kind: 'error', detail: 'timeout after 1 try' });
  });
  test('combine: A and AAAA together; NXDOMAIN only when both say so; an error in either is an error', () => {
    assert.deepEqual(combine({ kind: 'data', values: ['192.0.2.1'] }, { kind: 'data', values: ['2001:db8::1'] }), { kind: 'data', values: ['192.0.2.1', '2001:db8::1'] });
    assert.deepEqual(combine({ kind: 'data', values: ['192.0.2.1'] }, { kind: 'nodata' }), { kind: 'data', values: ['192.0.2.1'] });
    assert.deepEqual(combine({ kind: 'nxdomain' }, { kind: 'nxdomain' }), { kind: 'nxdomain' });
    assert.deepEqual(combine({ kind: 'nodata' }, { kind: 'nodata' }), { kind: 'nodata' });
    assert.equal(combine({ kind: 'data', values: ['192.0.2.1'] }, { kind: 'error', detail: 't' }).kind, 'error');
  });
});

// ---------------------------------------------------------------------------
// The engine against real sockets

const FRESH = `$ORIGIN auth.example.
$TTL 300
@ SOA ns1 hostmaster 7 3600 600 1209600 300
  NS ns1
  NS ns2
  NS ns3
  NS ns4
  NS ns5
ns1 A 127.0.0.2
ns2 A 127.0.0.3
ns3 A 127.0.0.4
ns4 A 127.0.0.5
_sipfederationtls._tcp SRV 0 0 5061 sip
sip A 192.0.2.10
`;
// ns2's copy: older serial, another address for sip, and no ns5 (which has no address in either copy).
const STALE = FRESH.replace(' 7 3600', ' 6 3600').replace('sip A 192.0.2.10', 'sip A 192.0.2.99');
// ns3 serves the parent and delegates auth.example away: it refers instead of answering (AA clear).
const PARENT = `$ORIGIN example.
$TTL 300
@ SOA ns hostmaster 1 3600 600 1209600 300
  NS ns
ns A 127.0.0.4
auth NS ns1.auth.example.
ns1.auth A 127.0.0.2
`;

function zone(text: string, origin: string): Zone {
  const parsed = parseZone(text, { fileName: `${origin}.zone`, origin });
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
  return parsed.value.zone;
}

describe('AuthoritativeChecker against zone servers on 127.0.0.2-4', () => {
  const servers: ZoneServer[] = [];
  let resolver: DnsClient;
  let checker: AuthoritativeChecker;

  before(async () => {
    const first = await startZoneServer([zone(FRESH, 'auth.example')], { host: '127.0.0.2' });
    servers.push(first);
    const port = first.address.port;
    servers.push(await startZoneServer([zone(STALE, 'auth.example')], { host: '127.0.0.3', port }));
    servers.push(await startZoneServer([zone(PARENT, 'example')], { host: '127.0.0.4', port }));
    // The "resolver": a server holding the fresh copy, asked with RD=1 as the CLI asks its resolver.
    const stand = await startZoneServer([zone(FRESH, 'auth.example')], { host: '127.0.0.1' });
    servers.push(stand);
    resolver = new DnsClient({ servers: [stand.address], timeoutMs: 1000, retries: 0 });
    checker = new AuthoritativeChecker(resolver, new LookupCache(resolver).lookup, { port, timeoutMs: 300, retries: 0 });
  });

  after(async () => {
    checker?.close();
    resolver?.close();
    await Promise.all(servers.map((s) => s.close()));
  });

  test('one observation: the view, each probe, the comparisons, and the verdicts', async () => {
    const spec = { domain: 'auth.example', input: 'auth.example', expectations: { ...DEFAULT_EXPECTATIONS, xmpp: 'off' as const } };
    const observation = await checker.observe(spec);
    const auth = observation.authoritative!;
    const port = servers[0]!.address.port;
    const zoneObs = auth.zones[0]!;
    assert.equal(zoneObs.zone, 'auth.example');
    assert.equal(zoneObs.view?.address, `127.0.0.2:${port}`);
    assert.deepEqual(
      zoneObs.servers.map((s) => [s.server.names.join('/'), s.soa.kind]),
      [['ns1.auth.example', 'authoritative'], ['ns2.auth.example', 'authoritative'], ['ns3.auth.example', 'lame'], ['ns4.auth.example', 'silent']],
    );
    assert.deepEqual(zoneObs.nameservers.find((h) => h.name === 'ns5.auth.example')?.problem?.kind, 'absent');
    const sip = auth.comparisons.find((c) => c.name === 'sip.auth.example')!;
    assert.deepEqual(sip.answers.map((a) => a.answer), [{ kind: 'data', values: ['192.0.2.10'] }, { kind: 'data', values: ['192.0.2.99'] }]);

    const result = judge(spec, observation);
    const pairs = result.findings.filter((f) => f.rule.startsWith('auth-')).map((f) => `${f.rule}:${f.status}:${f.name}`).sort();
    assert.deepEqual(pairs, [
      'auth-consistency:pass:_sipfederationtls._tcp.auth.example',
      'auth-consistency:warn:sip.auth.example',
      'auth-lame:fail:ns3.auth.example',
      'auth-lame:fail:ns5.auth.example',
      'auth-lame:pass:ns1.auth.example',
      'auth-lame:pass:ns2.auth.example',
      'auth-lame:unknown:ns4.auth.example',
      'auth-serial:warn:auth.example',
    ]);
    assert.match(result.findings.find((f) => f.name === 'ns3.auth.example')!.message, /answers without the AA flag \(a referral\)/);
    // The core rules read the view (the fresh copy on ns1).
    assert.equal(result.records.sipfederationtls.targets[0]?.a[0], '192.0.2.10');
    assert.equal(result.status, 'fail');
    assert.deepEqual(result.authoritative, auth);
  });

  /** Messages the checker's authoritative-server clients have sent. */
  const sent = (c: AuthoritativeChecker): number => c.clients().reduce((n, client) => n + client.stats.udpQueries + client.stats.tcpQueries, 0);

  test('a second domain in the same zone asks nothing new of the servers (per-run caches)', async () => {
    const before = sent(checker);
    await checker.observe({ domain: 'auth.example', input: 'auth.example', expectations: { ...DEFAULT_EXPECTATIONS, xmpp: 'off' } });
    const afterCount = sent(checker);
    assert.equal(afterCount, before);
  });

  test('a name whose zone cannot be found: the view fails (unknown), never absent', async () => {
    const lonely = new DnsClient({ servers: [{ host: '127.0.0.1', port: 9, family: 4 }], timeoutMs: 150, retries: 0 });
    const blind = new AuthoritativeChecker(lonely, new LookupCache(lonely).lookup, { port: 53, timeoutMs: 150, retries: 0 });
    try {
      const observation = await blind.observe({ domain: 'auth.example', input: 'auth.example', expectations: { ...DEFAULT_EXPECTATIONS, xmpp: 'off' } });
      assert.equal(observation.sipfed.srv.kind, 'error');
      assert.match(observation.sipfed.srv.kind === 'error' ? observation.sipfed.srv.detail : '', /the zone of _sipfederationtls\._tcp\.auth\.example could not be found through the resolver/);
      assert.equal(observation.authoritative?.zoneErrors[0]?.name, '_sipfederationtls._tcp.auth.example');
      const findings = judge({ domain: 'auth.example', input: 'auth.example', expectations: { ...DEFAULT_EXPECTATIONS, xmpp: 'off' } }, observation).findings;
      assert.deepEqual([...new Set(findings.map((f) => f.status))], ['unknown']);
    } finally {
      blind.close();
      lonely.close();
    }
  });
});
