/**
 * The rule scenarios, publint style: a tiny zone for the SIP domain D and
 * what is expected of D → the sorted list of `rule:status` pairs the rules
 * must emit. Shared by index.test.ts (one test per scenario) and
 * catalogue.test.ts (every rule id is emitted, both ways).
 */
import type { ResourceRecord } from '../../src/dns/codec.js';
import { LookupCache } from '../../src/lookup/cache.js';
import { observeDomain } from '../../src/check/check-domain.js';
import { evaluate, type Finding } from '../../src/rules/engine.js';
import { DEFAULT_EXPECTATIONS, type DomainExpectations, type DomainObservation } from '../../src/rules/types.js';
import { failure, rr, zone, type ZoneOptions } from '../lookup/fake-dns.js';

/** The SIP domain of every scenario. */
export const D = 'contoso.example';
export const SIP = `_sipfederationtls._tcp.${D}`;
export const XMPP = `_xmpp-server._tcp.${D}`;
export const EDGE = `sip.${D}`;
export const XEDGE = `xmpp.${D}`;

/** A conformant federation SRV and its target. */
export const GOOD_SIP: readonly ResourceRecord[] = [rr.srv(SIP, 0, 0, 5061, EDGE), rr.a(EDGE, '192.0.2.10')];
/** A conformant XMPP SRV and its target. */
export const GOOD_XMPP: readonly ResourceRecord[] = [rr.srv(XMPP, 0, 0, 5269, XEDGE), rr.a(XEDGE, '192.0.2.11')];

export const TIMEOUT = 'timeout after 3 tries to 127.0.0.1:5300';
export const SERVFAIL = 'SERVFAIL from 127.0.0.1:5300 (3 tries)';

export interface Scenario {
  readonly title: string;
  readonly records: readonly ResourceRecord[];
  readonly expect?: Partial<DomainExpectations>;
  readonly zone?: ZoneOptions;
  /** The sorted `rule:status` pairs, space-separated. */
  readonly findings: string;
}

/** Observe D in a fake zone with the checker's own observeDomain (no copy of it here). */
export async function observe(records: readonly ResourceRecord[], expect: Partial<DomainExpectations> = {}, options: ZoneOptions = {}): Promise<{ observation: DomainObservation; expectations: DomainExpectations }> {
  const expectations: DomainExpectations = { ...DEFAULT_EXPECTATIONS, ...expect };
  const { lookup } = new LookupCache(zone(records, options));
  return { observation: await observeDomain(lookup, D, expectations), expectations };
}

/** Findings of D in a fake zone. */
export async function findingsOf(records: readonly ResourceRecord[], expect: Partial<DomainExpectations> = {}, options: ZoneOptions = {}): Promise<readonly Finding[]> {
  const { observation, expectations } = await observe(records, expect, options);
  return evaluate(observation, expectations);
}

/** Findings as the sorted `rule:status` list used in the scenario table. */
export function pairs(findings: readonly Finding[]): string {
  return findings
    .map((f) => `${f.rule}:${f.status}`)
    .sort()
    .join(' ');
}

// The passing findings of a conformant federation SRV with one target, and of XMPP.
const SIP_PASS = 'push-srv:pass sipfed-port:pass sipfed-srv:pass sipfed-target-address:pass sipfed-target-alias:pass sipfed-target-domain:pass';
const XMPP_PASS = 'xmpp-port:pass xmpp-srv:pass xmpp-target-address:pass xmpp-target-alias:pass';
const fails = (s: string): ZoneOptions => ({ failures: Object.fromEntries(s.split(',').map((q) => [q, failure(q.endsWith(' SRV') ? 'servfail' : 'timeout', q.endsWith(' SRV') ? SERVFAIL : TIMEOUT)])) });

/** Replace one record of a list (by owner and type) with others. */
function swap(base: readonly ResourceRecord[], owner: string, type: ResourceRecord['type'], ...replacement: ResourceRecord[]): ResourceRecord[] {
  return [...base.filter((r) => !(r.name === owner && r.type === type)), ...replacement];
}

export const SCENARIOS: readonly Scenario[] = [
  // Presence of _sipfederationtls._tcp: sipfed-srv and push-srv.
  { title: 'conformant SIP and XMPP', records: [...GOOD_SIP, ...GOOD_XMPP], findings: `${SIP_PASS} ${XMPP_PASS}` },
  { title: 'conformant SIP, XMPP optional (default) and absent', records: GOOD_SIP, findings: `${SIP_PASS} xmpp-srv:info` },
  { title: 'federation SRV NXDOMAIN', records: GOOD_XMPP, findings: `push-srv:fail sipfed-srv:fail ${XMPP_PASS}` },
  { title: 'federation SRV NODATA', records: [rr.txt(SIP, 'v=none'), ...GOOD_XMPP], findings: `push-srv:fail sipfed-srv:fail ${XMPP_PASS}` },
  { title: "federation SRV target '.' only", records: [rr.srv(SIP, 0, 0, 0, '.')], findings: 'push-srv:fail sipfed-srv:fail xmpp-srv:info' },
  { title: 'federation SRV lookup fails → unknown, never fail', records: GOOD_SIP, zone: fails(`${SIP} SRV`), findings: 'push-srv:unknown sipfed-srv:unknown xmpp-srv:info' },
  { title: 'absent, discovery off, mobility on: push still needs it', records: [], expect: { discovery: false }, findings: 'push-srv:fail sipfed-srv:fail xmpp-srv:info' },
  { title: 'absent, mobility off, discovery on: push-srv not reported', records: [], expect: { mobility: false }, findings: 'sipfed-srv:fail xmpp-srv:info' },
  { title: 'absent, discovery and mobility off → info', records: [], expect: { mobility: false, discovery: false }, findings: 'sipfed-srv:info xmpp-srv:info' },
  { title: "'.' only, discovery and mobility off → info", records: [rr.srv(SIP, 0, 0, 0, '.')], expect: { mobility: false, discovery: false, xmpp: 'off' }, findings: 'sipfed-srv:info' },
  {
    title: 'present, discovery and mobility off → still checked, passes',
    records: GOOD_SIP,
    expect: { mobility: false, discovery: false, xmpp: 'off' },
    findings: 'sipfed-port:pass sipfed-srv:pass sipfed-target-address:pass sipfed-target-alias:pass sipfed-target-domain:pass',
  },
  { title: 'mobility off, present: no push-srv finding', records: GOOD_SIP, expect: { mobility: false, xmpp: 'off' }, findings: SIP_PASS.replace('push-srv:pass ', '') },

  // The federation SRV records and their targets.
  { title: 'federation SRV on port 5060', records: swap(GOOD_SIP, SIP, 'SRV', rr.srv(SIP, 0, 0, 5060, EDGE)), expect: { xmpp: 'off' }, findings: SIP_PASS.replace('sipfed-port:pass', 'sipfed-port:fail') },
  {
    title: 'one of two federation SRVs on the wrong port → one fail for the set',
    records: [...GOOD_SIP, rr.srv(SIP, 10, 0, 443, EDGE)],
    expect: { xmpp: 'off' },
    findings: SIP_PASS.replace('sipfed-port:pass', 'sipfed-port:fail'),
  },
  { title: 'federation target AAAA only → warn', records: swap(GOOD_SIP, EDGE, 'A', rr.aaaa(EDGE, '2001:db8::10')), expect: { xmpp: 'off' }, findings: SIP_PASS.replace('address:pass', 'address:warn') },
  { title: 'federation target NXDOMAIN → fail', records: swap(GOOD_SIP, EDGE, 'A'), expect: { xmpp: 'off' }, findings: SIP_PASS.replace('address:pass', 'address:fail') },
  { title: 'federation target NODATA (no A, no AAAA) → fail', records: swap(GOOD_SIP, EDGE, 'A', rr.txt(EDGE, 'x')), expect: { xmpp: 'off' }, findings: SIP_PASS.replace('address:pass', 'address:fail') },
  { title: 'federation target A lookup fails → unknown address and alias', records: GOOD_SIP, zone: fails(`${EDGE} A`), expect: { xmpp: 'off' }, findings: SIP_PASS.replace('address:pass', 'address:unknown').replace('alias:pass', 'alias:unknown') },
  { title: 'federation target without A, AAAA lookup fails → unknown', records: swap(GOOD_SIP, EDGE, 'A', rr.txt(EDGE, 'x')), zone: fails(`${EDGE} AAAA`), expect: { xmpp: 'off' }, findings: SIP_PASS.replace('address:pass', 'address:unknown') },
  {
    title: 'federation target is a CNAME (in-zone) → alias warn, address pass',
    records: [rr.srv(SIP, 0, 0, 5061, EDGE), rr.cname(EDGE, `edge1.${D}`), rr.a(`edge1.${D}`, '192.0.2.10')],
    expect: { xmpp: 'off' },
    findings: SIP_PASS.replace('alias:pass', 'alias:warn'),
  },
  {
    title: 'federation target is a CNAME to a name without address → alias warn, address fail',
    records: [rr.srv(SIP, 0, 0, 5061, EDGE), rr.cname(EDGE, 'gone.hoster.example')],
    expect: { xmpp: 'off' },
    findings: SIP_PASS.replace('alias:pass', 'alias:warn').replace('address:pass', 'address:fail'),
  },
  {
    title: 'federation target CNAME out of zone, authoritative server (re-asked) → alias warn',
    records: [rr.srv(SIP, 0, 0, 5061, EDGE), rr.cname(EDGE, 'edge.hoster.example'), rr.a('edge.hoster.example', '192.0.2.20')],
    zone: { followAliases: false },
    expect: { xmpp: 'off' },
    findings: SIP_PASS.replace('alias:pass', 'alias:warn'),
  },
  { title: 'federation target outside D → warn', records: [rr.srv(SIP, 0, 0, 5061, 'edge.hoster.example'), rr.a('edge.hoster.example', '192.0.2.20')], expect: { xmpp: 'off' }, findings: SIP_PASS.replace('domain:pass', 'domain:warn') },
  { title: 'federation target is a sibling that merely ends with D (evilcontoso.example) → warn', records: [rr.srv(SIP, 0, 0, 5061, `evil${D}`), rr.a(`evil${D}`, '192.0.2.21')], expect: { xmpp: 'off' }, findings: SIP_PASS.replace('domain:pass', 'domain:warn') },
  { title: 'federation target is D itself → in D', records: [rr.srv(SIP, 0, 0, 5061, D), rr.a(D, '192.0.2.22')], expect: { xmpp: 'off' }, findings: SIP_PASS },
  { title: 'federation target in other case → in D', records: [rr.srv(SIP, 0, 0, 5061, 'SIP.Contoso.EXAMPLE'), rr.a(EDGE, '192.0.2.10')], expect: { xmpp: 'off' }, findings: SIP_PASS },
  {
    title: 'two federation targets, one without address → one pass, one fail',
    records: [...GOOD_SIP, rr.srv(SIP, 10, 0, 5061, `sip2.${D}`)],
    expect: { xmpp: 'off' },
    findings: `push-srv:pass sipfed-port:pass sipfed-srv:pass sipfed-target-address:fail sipfed-target-address:pass sipfed-target-alias:pass sipfed-target-alias:pass sipfed-target-domain:pass sipfed-target-domain:pass`,
  },

  // XMPP.
  { title: 'XMPP required and present', records: [...GOOD_SIP, ...GOOD_XMPP], expect: { xmpp: 'required' }, findings: `${SIP_PASS} ${XMPP_PASS}` },
  { title: 'XMPP required and absent → fail', records: GOOD_SIP, expect: { xmpp: 'required' }, findings: `${SIP_PASS} xmpp-srv:fail` },
  { title: "XMPP required, target '.' only → fail", records: [...GOOD_SIP, rr.srv(XMPP, 0, 0, 0, '.')], expect: { xmpp: 'required' }, findings: `${SIP_PASS} xmpp-srv:fail` },
  { title: "XMPP optional, target '.' only → info", records: [...GOOD_SIP, rr.srv(XMPP, 0, 0, 0, '.')], findings: `${SIP_PASS} xmpp-srv:info` },
  { title: 'XMPP off: nothing reported even when broken', records: [...GOOD_SIP, rr.srv(XMPP, 0, 0, 1, 'nowhere.example')], expect: { xmpp: 'off' }, findings: SIP_PASS },
  { title: 'XMPP SRV lookup fails (optional) → unknown', records: GOOD_SIP, zone: fails(`${XMPP} SRV`), findings: `${SIP_PASS} xmpp-srv:unknown` },
  { title: 'XMPP SRV on port 5222 (client port) → fail', records: [...GOOD_SIP, ...swap(GOOD_XMPP, XMPP, 'SRV', rr.srv(XMPP, 0, 0, 5222, XEDGE))], findings: `${SIP_PASS} ${XMPP_PASS.replace('port:pass', 'port:fail')}` },
  { title: 'XMPP target AAAA only → warn', records: [...GOOD_SIP, ...swap(GOOD_XMPP, XEDGE, 'A', rr.aaaa(XEDGE, '2001:db8::11'))], findings: `${SIP_PASS} ${XMPP_PASS.replace('address:pass', 'address:warn')}` },
  { title: 'XMPP target absent → fail', records: [...GOOD_SIP, ...swap(GOOD_XMPP, XEDGE, 'A')], findings: `${SIP_PASS} ${XMPP_PASS.replace('address:pass', 'address:fail')}` },
  { title: 'XMPP target A lookup fails → unknown', records: [...GOOD_SIP, ...GOOD_XMPP], zone: fails(`${XEDGE} A`), findings: `${SIP_PASS} ${XMPP_PASS.replace('address:pass', 'address:unknown').replace('alias:pass', 'alias:unknown')}` },
  {
    title: 'XMPP target is a CNAME → warn',
    records: [...GOOD_SIP, rr.srv(XMPP, 0, 0, 5269, XEDGE), rr.cname(XEDGE, EDGE)],
    findings: `${SIP_PASS} ${XMPP_PASS.replace('alias:pass', 'alias:warn')}`,
  },
  {
    title: 'XMPP target outside D: no domain rule for XMPP',
    records: [...GOOD_SIP, rr.srv(XMPP, 0, 0, 5269, 'xmpp.hoster.example'), rr.a('xmpp.hoster.example', '192.0.2.30')],
    findings: `${SIP_PASS} ${XMPP_PASS}`,
  },
];
