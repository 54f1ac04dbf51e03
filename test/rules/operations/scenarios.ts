/**
 * Scenarios of the operations rules, publint style like scenarios.ts: a tiny
 * observation → the sorted `rule:status` pairs of the operations rules only.
 * The authoritative part of an observation is plain data, built here by
 * hand; the records part comes from the same fake zone as the core
 * scenarios. Shared by operations.test.ts and catalogue.test.ts (every rule
 * id is emitted both ways).
 */
import type { ResourceRecord } from '../../../src/dns/codec.js';
import type { AuthoritativeObservation, AuthServer, Comparison, NameserverHost, ServerAnswer, SoaProbe, ZoneObservation } from '../../../src/lookup/authoritative.js';
import { evaluate, type Finding } from '../../../src/rules/engine.js';
import type { DomainExpectations, DomainObservation, EdgeExpectation } from '../../../src/rules/types.js';
import { rr, type ZoneOptions } from '../../lookup/fake-dns.js';
import { D, EDGE, GOOD_SIP, GOOD_XMPP, observe, SIP, XEDGE, XMPP } from '../scenarios.js';

export const ZONE = D;
export const NS1: AuthServer = { names: [`ns1.${D}`], address: '127.0.0.2:53' };
export const NS1V6: AuthServer = { names: [`ns1.${D}`], address: '[::1]:53' };
export const NS2: AuthServer = { names: [`ns2.${D}`], address: '127.0.0.3:53' };
export const NS3: AuthServer = { names: [`ns3.${D}`], address: '127.0.0.4:53' };

export const ok = (serial = 2026112501): SoaProbe => ({ kind: 'authoritative', serial, mname: `ns1.${D}` });
export const lame = (detail = 'answers REFUSED (3 tries)'): SoaProbe => ({ kind: 'lame', detail });
export const silent = (detail = 'does not answer (timeout, 3 tries)'): SoaProbe => ({ kind: 'silent', detail });
export const unreachable = (detail = 'not reachable from this host (cannot send: send ENETUNREACH (3 tries))'): SoaProbe => ({ kind: 'unreachable', detail });

/** A zone whose NS hosts are the servers' names, each with the servers' addresses. */
export function zoneOf(probes: readonly (readonly [AuthServer, SoaProbe])[], extra: Partial<ZoneObservation> = {}): ZoneObservation {
  const hosts = new Map<string, string[]>();
  for (const [server] of probes) for (const name of server.names) hosts.set(name, [...(hosts.get(name) ?? []), server.address.replace(/^\[?([^\]]*?)\]?:\d+$/, '$1')]);
  const nameservers: NameserverHost[] = [...hosts.entries()].map(([name, addresses]) => ({ name, addresses }));
  const view = probes.find(([, soa]) => soa.kind === 'authoritative')?.[0];
  return { zone: ZONE, nameservers, servers: probes.map(([server, soa]) => ({ server, soa })), ...(view !== undefined ? { view } : {}), ...extra };
}

export const data = (...values: string[]): ServerAnswer => ({ kind: 'data', values: [...values].sort() });
export const nx: ServerAnswer = { kind: 'nxdomain' };
export const noData: ServerAnswer = { kind: 'nodata' };
export const err = (detail = 'timeout after 3 tries to 127.0.0.3:53'): ServerAnswer => ({ kind: 'error', detail });

/** What each server said about one name. */
export function comparison(name: string, what: Comparison['what'], answers: readonly (readonly [AuthServer, ServerAnswer])[]): Comparison {
  return { name, what, zone: ZONE, answers: answers.map(([server, answer]) => ({ server, answer })) };
}

export function authObs(zones: readonly ZoneObservation[], comparisons: readonly Comparison[] = [], zoneErrors: AuthoritativeObservation['zoneErrors'] = []): AuthoritativeObservation {
  return { zones, comparisons, zoneErrors };
}

/** Two servers that agree on everything. */
export const AGREEING: AuthoritativeObservation = authObs(
  [zoneOf([[NS1, ok()], [NS2, ok()]])],
  [comparison(SIP, 'srv', [[NS1, data(`0 0 5061 ${EDGE}`)], [NS2, data(`0 0 5061 ${EDGE}`)]]), comparison(EDGE, 'addresses', [[NS1, data('192.0.2.10')], [NS2, data('192.0.2.10')]])],
);

export interface OperationsScenario {
  readonly title: string;
  readonly records?: readonly ResourceRecord[];
  readonly expect?: Partial<DomainExpectations>;
  readonly zone?: ZoneOptions;
  readonly authoritative?: AuthoritativeObservation;
  /** The sorted `rule:status` pairs of the operations rules, space-separated ('' for none). */
  readonly findings: string;
}

const OPERATIONS = /^(auth-|sipfed-target-expected|xmpp-target-expected)/;

/** What is observed of D and expected of it in a scenario. */
export async function scenarioObservation(
  s: Pick<OperationsScenario, 'records' | 'expect' | 'zone' | 'authoritative'>,
): Promise<{ observation: DomainObservation; expectations: DomainExpectations }> {
  const { observation, expectations } = await observe(s.records ?? GOOD_SIP, s.expect ?? {}, s.zone ?? {});
  return { observation: s.authoritative === undefined ? observation : { ...observation, authoritative: s.authoritative }, expectations };
}

/** Every finding of D for a scenario (core rules included). */
export async function scenarioFindings(s: Pick<OperationsScenario, 'records' | 'expect' | 'zone' | 'authoritative'>): Promise<readonly Finding[]> {
  const { observation, expectations } = await scenarioObservation(s);
  return evaluate(observation, expectations);
}

/** Only the operations rules' findings, as sorted `rule:status` pairs. */
export async function operationsPairs(s: OperationsScenario): Promise<string> {
  return (await scenarioFindings(s))
    .filter((f) => OPERATIONS.test(f.rule))
    .map((f) => `${f.rule}:${f.status}`)
    .sort()
    .join(' ');
}

const expectSip = (expect: EdgeExpectation): Partial<DomainExpectations> => ({ expect });
const A_FAILS: ZoneOptions = { failures: { [`${EDGE} A`]: { kind: 'failure', reason: 'timeout', detail: 'timeout after 3 tries to 127.0.0.1:5300', tries: 3 } } };
const SRV_FAILS: ZoneOptions = { failures: { [`${SIP} SRV`]: { kind: 'failure', reason: 'servfail', detail: 'SERVFAIL from 127.0.0.1:5300 (3 tries)', tries: 3 } } };

export const OPERATIONS_SCENARIOS: readonly OperationsScenario[] = [
  // Neither mode nor expectation: nothing.
  { title: 'no --authoritative and no expectation: no operations finding', findings: '' },

  // auth-lame, auth-serial, auth-consistency.
  { title: 'two servers agree on everything', authoritative: AGREEING, findings: 'auth-consistency:pass auth-consistency:pass auth-lame:pass auth-lame:pass auth-serial:pass' },
  { title: 'one NS answers REFUSED → lame fail', authoritative: authObs([zoneOf([[NS1, ok()], [NS2, ok()], [NS3, lame()]])]), findings: 'auth-lame:fail auth-lame:pass auth-lame:pass auth-serial:pass' },
  { title: 'one NS answers without AA → lame fail', authoritative: authObs([zoneOf([[NS1, ok()], [NS3, lame('answers without the AA flag (a referral)')]])]), findings: 'auth-lame:fail auth-lame:pass auth-serial:pass' },
  { title: 'one NS silent → unknown, never fail', authoritative: authObs([zoneOf([[NS1, ok()], [NS3, silent()]])]), findings: 'auth-lame:pass auth-lame:unknown auth-serial:pass' },
  {
    title: 'one NS authoritative over IPv4, IPv6 unreachable from this host → pass (no evidence either way)',
    authoritative: authObs([zoneOf([[NS1, ok()], [NS1V6, unreachable()], [NS2, ok()]])]),
    findings: 'auth-lame:pass auth-lame:pass auth-serial:pass',
  },
  {
    title: 'an NS whose only address is unreachable from this host → unknown, never fail',
    authoritative: authObs([zoneOf([[NS1, ok()], [NS3, unreachable()]])]),
    findings: 'auth-lame:pass auth-lame:unknown auth-serial:pass',
  },
  {
    title: 'one NS authoritative over IPv4, silent over IPv6 → unknown for that host',
    authoritative: authObs([zoneOf([[NS1, ok()], [NS1V6, silent()], [NS2, ok()]])]),
    findings: 'auth-lame:pass auth-lame:unknown auth-serial:pass',
  },
  {
    title: 'one NS authoritative over IPv4, REFUSED over IPv6 → fail for that host',
    authoritative: authObs([zoneOf([[NS1, ok()], [NS1V6, lame()], [NS2, ok()]])]),
    findings: 'auth-lame:fail auth-lame:pass auth-serial:pass',
  },
  {
    title: 'NS host without any address (NXDOMAIN) → fail',
    authoritative: authObs([zoneOf([[NS1, ok()]], { nameservers: [{ name: `ns1.${D}`, addresses: ['127.0.0.2'] }, { name: `ns9.${D}`, addresses: [], problem: { kind: 'absent', detail: 'neither A nor AAAA (NXDOMAIN)' } }] })]),
    findings: 'auth-lame:fail auth-lame:pass auth-serial:pass',
  },
  {
    title: 'NS host address lookup fails → unknown',
    authoritative: authObs([zoneOf([[NS1, ok()]], { nameservers: [{ name: `ns1.${D}`, addresses: ['127.0.0.2'] }, { name: `ns9.${D}`, addresses: [], problem: { kind: 'error', detail: 'A ns9: SERVFAIL' } }] })]),
    findings: 'auth-lame:pass auth-lame:unknown auth-serial:pass',
  },
  { title: 'NS set cannot be learnt → lame unknown, no serial finding', authoritative: authObs([{ zone: ZONE, error: 'NS contoso.example: SERVFAIL', nameservers: [], servers: [] }]), findings: 'auth-lame:unknown' },
  { title: 'zone cannot be found → lame unknown', authoritative: authObs([], [], [{ name: SIP, detail: 'SOA _sipfederationtls._tcp.contoso.example: SERVFAIL' }]), findings: 'auth-lame:unknown' },
  { title: 'every NS lame → serial unknown', authoritative: authObs([zoneOf([[NS1, lame()], [NS2, lame()]])]), findings: 'auth-lame:fail auth-lame:fail auth-serial:unknown' },
  { title: 'serials differ → warn', authoritative: authObs([zoneOf([[NS1, ok(2026112502)], [NS2, ok(2026112501)]])]), findings: 'auth-lame:pass auth-lame:pass auth-serial:warn' },
  {
    title: 'SRV target differs → consistency warn',
    authoritative: authObs([zoneOf([[NS1, ok()], [NS2, ok()]])], [comparison(SIP, 'srv', [[NS1, data(`0 0 5061 ${EDGE}`)], [NS2, data(`0 0 5061 old.${D}`)]])]),
    findings: 'auth-consistency:warn auth-lame:pass auth-lame:pass auth-serial:pass',
  },
  {
    title: 'SRV present on one, NXDOMAIN on the other → warn',
    authoritative: authObs([zoneOf([[NS1, ok()], [NS2, ok()]])], [comparison(SIP, 'srv', [[NS1, data(`0 0 5061 ${EDGE}`)], [NS2, nx]])]),
    findings: 'auth-consistency:warn auth-lame:pass auth-lame:pass auth-serial:pass',
  },
  {
    title: 'target address differs → warn',
    authoritative: authObs([zoneOf([[NS1, ok()], [NS2, ok()]])], [comparison(EDGE, 'addresses', [[NS1, data('192.0.2.10')], [NS2, data('192.0.2.99')]])]),
    findings: 'auth-consistency:warn auth-lame:pass auth-lame:pass auth-serial:pass',
  },
  {
    title: 'one server could not answer the question, the rest agree → unknown',
    authoritative: authObs([zoneOf([[NS1, ok()], [NS2, ok()]])], [comparison(EDGE, 'addresses', [[NS1, data('192.0.2.10')], [NS2, err()]])]),
    findings: 'auth-consistency:unknown auth-lame:pass auth-lame:pass auth-serial:pass',
  },
  {
    title: 'a disagreement and an error → warn (the disagreement is certain)',
    authoritative: authObs([zoneOf([[NS1, ok()], [NS1V6, ok()], [NS2, ok()]])], [comparison(EDGE, 'addresses', [[NS1, data('192.0.2.10')], [NS1V6, err()], [NS2, data('192.0.2.99')]])]),
    findings: 'auth-consistency:warn auth-lame:pass auth-lame:pass auth-serial:pass',
  },
  {
    title: 'no server answered the question at all → unknown',
    authoritative: authObs([zoneOf([[NS1, ok()], [NS2, ok()]])], [comparison(EDGE, 'addresses', [[NS1, err()], [NS2, err('SERVFAIL from 127.0.0.3:53')]])]),
    findings: 'auth-consistency:unknown auth-lame:pass auth-lame:pass auth-serial:pass',
  },
  {
    title: 'no server of the zone to ask → unknown',
    authoritative: authObs([zoneOf([[NS1, lame()]])], [comparison(EDGE, 'addresses', [])]),
    findings: 'auth-consistency:unknown auth-lame:fail auth-serial:unknown',
  },
  {
    title: 'NODATA on both → agree (pass)',
    authoritative: authObs([zoneOf([[NS1, ok()], [NS2, ok()]])], [comparison(XMPP, 'srv', [[NS1, noData], [NS2, noData]])]),
    findings: 'auth-consistency:pass auth-lame:pass auth-lame:pass auth-serial:pass',
  },

  // sipfed-target-expected.
  { title: 'expected target and address found → pass', expect: expectSip({ targets: [EDGE], addresses: ['192.0.2.10'] }), findings: 'sipfed-target-expected:pass' },
  { title: 'expected target differs → fail', expect: expectSip({ targets: [`edge.${D}`] }), findings: 'sipfed-target-expected:fail' },
  { title: 'expected address differs → fail', expect: expectSip({ addresses: ['192.0.2.99'] }), findings: 'sipfed-target-expected:fail' },
  { title: 'an extra, unexpected target → fail', records: [...GOOD_SIP, rr.srv(SIP, 10, 0, 5061, `sip2.${D}`), rr.a(`sip2.${D}`, '192.0.2.10')], expect: expectSip({ targets: [EDGE] }), findings: 'sipfed-target-expected:fail' },
  { title: 'federation SRV absent, target expected → fail', records: [], expect: { ...expectSip({ targets: [EDGE] }), xmpp: 'off' }, findings: 'sipfed-target-expected:fail' },
  { title: 'federation SRV lookup fails, target expected → unknown', expect: expectSip({ targets: [EDGE] }), zone: SRV_FAILS, findings: 'sipfed-target-expected:unknown' },
  { title: 'target A lookup fails, address expected → unknown', expect: expectSip({ addresses: ['192.0.2.10'] }), zone: A_FAILS, findings: 'sipfed-target-expected:unknown' },
  { title: 'target A lookup fails but the target differs → fail', expect: expectSip({ targets: [`edge.${D}`], addresses: ['192.0.2.10'] }), zone: A_FAILS, findings: 'sipfed-target-expected:fail' },
  { title: 'IPv4 expected only: AAAA records are not compared', records: [...GOOD_SIP, rr.aaaa(EDGE, '2001:db8::10')], expect: expectSip({ addresses: ['192.0.2.10'] }), findings: 'sipfed-target-expected:pass' },

  // xmpp-target-expected.
  { title: 'XMPP target and address as expected → pass', records: [...GOOD_SIP, ...GOOD_XMPP], expect: expectSip({ xmpp: { targets: [XEDGE], addresses: ['192.0.2.11'] } }), findings: 'xmpp-target-expected:pass' },
  { title: 'XMPP target differs → fail', records: [...GOOD_SIP, ...GOOD_XMPP], expect: expectSip({ xmpp: { targets: [EDGE] } }), findings: 'xmpp-target-expected:fail' },
  { title: 'XMPP expected but XMPP off → not reported', records: [...GOOD_SIP, ...GOOD_XMPP], expect: { ...expectSip({ xmpp: { targets: [EDGE] } }), xmpp: 'off' }, findings: '' },
  { title: 'federation expected only → no XMPP finding', records: [...GOOD_SIP, ...GOOD_XMPP], expect: expectSip({ targets: [EDGE] }), findings: 'sipfed-target-expected:pass' },
];
