/**
 * Scenarios for the deployment profiles, in the style of scenarios.ts: a tiny
 * zone for the SIP domain D, the settings of D (profile, cloud, edge, hosts)
 * → the sorted `rule:status` pairs. Observed through the real observeDomain
 * (so each profile's lookups are what is exercised) over the fake zone.
 */
import { observeDomain } from '../../../src/check/check-domain.js';
import type { ResourceRecord } from '../../../src/dns/codec.js';
import { LookupCache } from '../../../src/lookup/cache.js';
import { evaluate, type Finding } from '../../../src/rules/engine.js';
import { layerExpectations } from '../../../src/rules/profiles/profiles.js';
import type { DomainExpectations, DomainObservation } from '../../../src/rules/types.js';
import { failure, rr, zone, type CountingSource, type ZoneOptions } from '../../lookup/fake-dns.js';

/** The SIP domain of every scenario (the same as scenarios.ts). */
export const D = 'contoso.example';
export const SIPFED = `_sipfederationtls._tcp.${D}`;
export const SIPTLS = `_sip._tls.${D}`;
export const XMPP = `_xmpp-server._tcp.${D}`;
export const XMPPS = `_xmpps-server._tcp.${D}`;
export const SIP = `sip.${D}`;
export const DISCOVER = `lyncdiscover.${D}`;

/** Microsoft's worldwide names, with addresses as a resolver would return them. */
export const MS = {
  sipdir: 'sipdir.online.lync.com',
  sipfed: 'sipfed.online.lync.com',
  webdir: 'webdir.online.lync.com',
} as const;
export const MS_HOSTS: readonly ResourceRecord[] = [rr.a(MS.sipdir, '198.51.100.1'), rr.a(MS.sipfed, '198.51.100.2'), rr.a(MS.webdir, '198.51.100.3')];

/** A conformant on-premises edge: federation, external sign-in, Access Edge, autodiscover, D's own address. */
export const EDGE: readonly ResourceRecord[] = [
  rr.srv(SIPFED, 0, 0, 5061, SIP),
  rr.srv(SIPTLS, 0, 0, 443, SIP),
  rr.a(SIP, '192.0.2.10'),
  rr.a(DISCOVER, '192.0.2.20'),
  rr.a(D, '192.0.2.80'),
];
/** XMPP on the Access Edge. */
export const EDGE_XMPP: readonly ResourceRecord[] = [rr.srv(XMPP, 0, 0, 5269, SIP)];

/** A conformant worldwide Online domain, and Microsoft's names resolving. */
export const ONLINE: readonly ResourceRecord[] = [
  rr.srv(SIPTLS, 100, 1, 443, MS.sipdir),
  rr.srv(SIPFED, 100, 1, 5061, MS.sipfed),
  rr.cname(SIP, MS.sipdir),
  rr.cname(DISCOVER, MS.webdir),
  ...MS_HOSTS,
];

export interface ProfileScenario {
  readonly title: string;
  readonly records: readonly ResourceRecord[];
  /** Settings layered as the CLI does (profile defaults applied). */
  readonly expect: Partial<DomainExpectations>;
  readonly zone?: ZoneOptions;
  /** The sorted `rule:status` pairs, space-separated. */
  readonly findings: string;
}

/** Observe and evaluate D exactly as a check does: observeDomain over a fake zone, then evaluate. */
export async function profileFindings(
  records: readonly ResourceRecord[],
  expect: Partial<DomainExpectations>,
  options: ZoneOptions = {},
): Promise<{ findings: readonly Finding[]; observation: DomainObservation; expectations: DomainExpectations; source: CountingSource }> {
  const expectations = layerExpectations([expect]);
  const source = zone(records, options);
  const { lookup } = new LookupCache(source);
  const observation = await observeDomain(lookup, D, expectations);
  return { findings: evaluate(observation, expectations), observation, expectations, source };
}

/** Findings as the sorted `rule:status` list. */
export function pairs(findings: readonly Finding[]): string {
  return findings
    .map((f) => `${f.rule}:${f.status}`)
    .sort()
    .join(' ');
}

/** Sort a space-separated pair list (scenarios are written grouped, compared sorted). */
export const sorted = (text: string): string => text.split(/\s+/).filter((p) => p !== '').sort().join(' ');

const without = (base: readonly ResourceRecord[], owner: string, type?: ResourceRecord['type']): ResourceRecord[] =>
  base.filter((r) => !(r.name === owner && (type === undefined || r.type === type)));
const fails = (q: string): ZoneOptions => ({ failures: { [q]: failure('servfail', 'SERVFAIL from 127.0.0.1:5300 (3 tries)') } });

// Passing sets.
const FED = 'push-srv:pass sipfed-port:pass sipfed-srv:pass sipfed-target-address:pass sipfed-target-alias:pass sipfed-target-domain:pass';
const EXT = 'sip-tls-srv:pass sip-tls-port:pass sip-tls-target:pass access-edge-address:pass lyncdiscover:pass profile-mismatch:pass';
const NO_XMPP = 'xmpp-srv:info xmpp-fallback:info';
const ONLINE_FED = 'push-srv:pass sipfed-port:pass sipfed-srv:pass sipfed-target-address:pass online-sipfed-target:pass';
const ONLINE_REST = 'online-sip-tls:pass online-sip-cname:pass online-lyncdiscover-cname:pass profile-mismatch:pass';
const edge = { profile: 'edge' } as const;
const online = { profile: 'online' } as const;

export const PROFILE_SCENARIOS: readonly ProfileScenario[] = [
  // The edge profile: external sign-in, Access Edge, autodiscover.
  { title: 'edge: conformant, XMPP optional and absent → RFC 6120 fallback to D', records: EDGE, expect: edge, findings: `${FED} ${EXT} ${NO_XMPP}` },
  {
    title: 'edge: conformant with XMPP',
    records: [...EDGE, ...EDGE_XMPP],
    expect: edge,
    findings: `${FED} ${EXT} xmpp-srv:pass xmpp-port:pass xmpp-target-address:pass xmpp-target-alias:pass xmpp-fallback:pass`,
  },
  { title: 'edge: no _sip._tls → sip-tls-srv fail', records: without(EDGE, SIPTLS), expect: edge, findings: `${FED} ${EXT.replace('sip-tls-srv:pass sip-tls-port:pass sip-tls-target:pass', 'sip-tls-srv:fail')} ${NO_XMPP}` },
  { title: 'edge: _sip._tls lookup fails → unknown', records: EDGE, expect: edge, zone: fails(`${SIPTLS} SRV`), findings: `${FED} ${EXT.replace('sip-tls-srv:pass sip-tls-port:pass sip-tls-target:pass', 'sip-tls-srv:unknown')} ${NO_XMPP}` },
  { title: 'edge: _sip._tls on 5061 → sip-tls-port fail', records: [...without(EDGE, SIPTLS), rr.srv(SIPTLS, 0, 0, 5061, SIP)], expect: edge, findings: `${FED} ${EXT.replace('sip-tls-port:pass', 'sip-tls-port:fail')} ${NO_XMPP}` },
  {
    title: 'edge: _sip._tls target without address → sip-tls-target fail',
    records: [...without(EDGE, SIPTLS), rr.srv(SIPTLS, 0, 0, 443, `edge2.${D}`)],
    expect: edge,
    findings: `${FED} ${EXT.replace('sip-tls-target:pass', 'sip-tls-target:fail')} ${NO_XMPP}`,
  },
  {
    title: 'edge: _sip._tls target outside D → sip-tls-target warn (strict name matching)',
    records: [...without(EDGE, SIPTLS), rr.srv(SIPTLS, 0, 0, 443, 'edge.hoster.example'), rr.a('edge.hoster.example', '192.0.2.30')],
    expect: edge,
    findings: `${FED} ${EXT.replace('sip-tls-target:pass', 'sip-tls-target:warn')} ${NO_XMPP}`,
  },
  {
    title: 'edge: _sip._tls names another host than the configured Access Edge → fail',
    records: [...EDGE, rr.a(`access1.${D}`, '192.0.2.11')],
    expect: { ...edge, edge: `access1.${D}` },
    findings: `${FED} ${EXT.replace('sip-tls-target:pass', 'sip-tls-target:fail')} ${NO_XMPP}`,
  },
  { title: 'edge: the configured Access Edge has no address → access-edge-address fail', records: EDGE, expect: { ...edge, edge: `access9.${D}` }, findings: `${FED} ${EXT.replace('sip-tls-target:pass', 'sip-tls-target:fail').replace('access-edge-address:pass', 'access-edge-address:fail')} ${NO_XMPP}` },
  {
    title: 'edge: sip.D has AAAA only → access-edge-address warn (sipfed and sip-tls targets warn too)',
    records: [...without(EDGE, SIP), rr.aaaa(SIP, '2001:db8::10')],
    expect: edge,
    findings: `${FED.replace('sipfed-target-address:pass', 'sipfed-target-address:warn')} ${EXT.replace('sip-tls-target:pass', 'sip-tls-target:warn').replace('access-edge-address:pass', 'access-edge-address:warn')} ${NO_XMPP}`,
  },
  {
    title: 'edge: sip.D a CNAME to the edge pool (allowed by the DNS requirements) → access-edge-address pass',
    records: [...without(EDGE, SIP), rr.cname(SIP, `pool.${D}`), rr.a(`pool.${D}`, '192.0.2.10')],
    expect: edge,
    findings: `${FED.replace('sipfed-target-alias:pass', 'sipfed-target-alias:warn')} ${EXT} ${NO_XMPP}`,
  },
  { title: 'edge: no lyncdiscover → fail', records: without(EDGE, DISCOVER), expect: edge, findings: `${FED} ${EXT.replace('lyncdiscover:pass', 'lyncdiscover:fail')} ${NO_XMPP}` },
  { title: 'edge: lyncdiscover AAAA only → pass', records: [...without(EDGE, DISCOVER), rr.aaaa(DISCOVER, '2001:db8::20')], expect: edge, findings: `${FED} ${EXT} ${NO_XMPP}` },
  {
    title: 'edge: lyncdiscover a CNAME to the reverse proxy → pass',
    records: [...without(EDGE, DISCOVER), rr.cname(DISCOVER, `proxy.${D}`), rr.a(`proxy.${D}`, '192.0.2.20')],
    expect: edge,
    findings: `${FED} ${EXT} ${NO_XMPP}`,
  },
  { title: 'edge: lyncdiscover lookup fails → unknown', records: EDGE, expect: edge, zone: { failures: { [`${DISCOVER} A`]: failure('timeout', 'timeout after 3 tries to 127.0.0.1:5300') } }, findings: `${FED} ${EXT.replace('lyncdiscover:pass', 'lyncdiscover:unknown')} ${NO_XMPP}` },
  {
    title: 'edge: hosts named in the config: webcon with A, av AAAA only, meet absent',
    records: [...EDGE, rr.a(`webcon.${D}`, '192.0.2.11'), rr.aaaa(`av.${D}`, '2001:db8::12')],
    expect: { ...edge, hosts: { webcon: `webcon.${D}`, av: `av.${D}`, meet: `meet.${D}` } },
    findings: `${FED} ${EXT} ${NO_XMPP} edge-host-address:pass edge-host-address:warn edge-host-address:fail`,
  },

  // XMPP in the edge profiles: direct TLS and the RFC 6120 fallback.
  {
    title: 'edge: _xmpps-server with a reachable target → xmpps-srv pass, no fallback needed',
    records: [...EDGE, rr.srv(XMPPS, 0, 0, 5270, SIP)],
    expect: edge,
    findings: `${FED} ${EXT} xmpp-srv:info xmpps-srv:pass xmpp-fallback:pass`,
  },
  {
    title: 'edge: _xmpps-server target without address → xmpps-srv info',
    records: [...EDGE, ...EDGE_XMPP, rr.srv(XMPPS, 0, 0, 5270, `xmpps.${D}`)],
    expect: edge,
    findings: `${FED} ${EXT} xmpp-srv:pass xmpp-port:pass xmpp-target-address:pass xmpp-target-alias:pass xmpps-srv:info xmpp-fallback:pass`,
  },
  {
    title: 'edge: _xmpps-server target address lookup fails → xmpps-srv unknown, never info',
    records: [...EDGE, ...EDGE_XMPP, rr.srv(XMPPS, 0, 0, 5270, `xmpps.${D}`)],
    expect: edge,
    zone: { failures: { [`xmpps.${D} A`]: failure('timeout', 'timeout after 3 tries to 127.0.0.1:5300') } },
    findings: `${FED} ${EXT} xmpp-srv:pass xmpp-port:pass xmpp-target-address:pass xmpp-target-alias:pass xmpps-srv:unknown xmpp-fallback:pass`,
  },
  { title: 'edge: no _xmpp-server and D has no address → fallback info (gives up at once)', records: without(EDGE, D), expect: edge, findings: `${FED} ${EXT} ${NO_XMPP}` },
  { title: "edge: _xmpp-server '.' → no fallback (decidedly not available)", records: [...EDGE, rr.srv(XMPP, 0, 0, 0, '.')], expect: edge, findings: `${FED} ${EXT} xmpp-srv:info xmpp-fallback:pass` },
  { title: 'edge: XMPP required and absent → xmpp-srv fail, fallback not reported', records: EDGE, expect: { ...edge, xmpp: 'required' }, findings: `${FED} ${EXT} xmpp-srv:fail` },
  { title: 'edge: D address lookup fails → xmpp-fallback unknown', records: EDGE, expect: edge, zone: { failures: { [`${D} A`]: failure('timeout', 'timeout after 3 tries to 127.0.0.1:5300') } }, findings: `${FED} ${EXT} xmpp-srv:info xmpp-fallback:unknown` },
  { title: 'sfb2019-edge: XMPP off by default: no XMPP findings at all', records: [...EDGE, ...EDGE_XMPP], expect: { profile: 'sfb2019-edge' }, findings: `${FED} ${EXT}` },
  {
    title: 'sfb2019-edge: XMPP asked for explicitly is checked',
    records: [...EDGE, ...EDGE_XMPP],
    expect: { profile: 'sfb2019-edge', xmpp: 'optional' },
    findings: `${FED} ${EXT} xmpp-srv:pass xmpp-port:pass xmpp-target-address:pass xmpp-target-alias:pass xmpp-fallback:pass`,
  },

  // Hybrid detection in the edge profile.
  {
    title: 'edge: federation SRV already at Microsoft, sign-in still on premises → profile-mismatch info (half-migrated)',
    records: [...without(EDGE, SIPFED), rr.srv(SIPFED, 100, 1, 5061, MS.sipfed), ...MS_HOSTS],
    expect: edge,
    findings: `${FED.replace('sipfed-target-domain:pass', 'sipfed-target-domain:warn')} ${EXT.replace('profile-mismatch:pass', 'profile-mismatch:info')} ${NO_XMPP}`,
  },

  // The online profile: Microsoft's four records, checked exactly.
  { title: 'online: conformant (targets outside D and CNAMEs are no warnings)', records: ONLINE, expect: online, findings: `${ONLINE_FED} ${ONLINE_REST}` },
  {
    title: 'online: _sipfederationtls still at the old edge → online-sipfed-target fail, profile-mismatch info',
    records: [...without(ONLINE, SIPFED), rr.srv(SIPFED, 100, 1, 5061, `access1.${D}`), rr.a(`access1.${D}`, '192.0.2.10')],
    expect: online,
    findings: `${ONLINE_FED.replace('online-sipfed-target:pass', 'online-sipfed-target:fail')} ${ONLINE_REST.replace('profile-mismatch:pass', 'profile-mismatch:info')}`,
  },
  {
    title: 'online: federation SRV with priority 0 weight 0 → online-sipfed-target warn',
    records: [...without(ONLINE, SIPFED), rr.srv(SIPFED, 0, 0, 5061, MS.sipfed)],
    expect: online,
    findings: `${ONLINE_FED.replace('online-sipfed-target:pass', 'online-sipfed-target:warn')} ${ONLINE_REST}`,
  },
  { title: 'online: no federation SRV → sipfed-srv and push-srv fail, no online-sipfed-target finding', records: without(ONLINE, SIPFED), expect: online, findings: `push-srv:fail sipfed-srv:fail ${ONLINE_REST}` },
  { title: 'online: no _sip._tls → online-sip-tls fail', records: without(ONLINE, SIPTLS), expect: online, findings: `${ONLINE_FED} ${ONLINE_REST.replace('online-sip-tls:pass', 'online-sip-tls:fail')}` },
  { title: 'online: _sip._tls lookup fails → unknown', records: ONLINE, expect: online, zone: fails(`${SIPTLS} SRV`), findings: `${ONLINE_FED} ${ONLINE_REST.replace('online-sip-tls:pass', 'online-sip-tls:unknown')}` },
  {
    title: 'online: _sip._tls 0 0 443 sipdir → online-sip-tls warn',
    records: [...without(ONLINE, SIPTLS), rr.srv(SIPTLS, 0, 0, 443, MS.sipdir)],
    expect: online,
    findings: `${ONLINE_FED} ${ONLINE_REST.replace('online-sip-tls:pass', 'online-sip-tls:warn')}`,
  },
  {
    title: 'online: sip.D still an A record on premises → online-sip-cname fail',
    records: [...without(ONLINE, SIP), rr.a(SIP, '192.0.2.10')],
    expect: online,
    findings: `${ONLINE_FED} ${ONLINE_REST.replace('online-sip-cname:pass', 'online-sip-cname:fail')}`,
  },
  {
    title: 'online: lyncdiscover a CNAME to the reverse proxy → fail, profile-mismatch info',
    records: [...without(ONLINE, DISCOVER), rr.cname(DISCOVER, `proxy.${D}`), rr.a(`proxy.${D}`, '192.0.2.20')],
    expect: online,
    findings: `${ONLINE_FED} ${ONLINE_REST.replace('online-lyncdiscover-cname:pass', 'online-lyncdiscover-cname:fail').replace('profile-mismatch:pass', 'profile-mismatch:info')}`,
  },
  { title: 'online: lyncdiscover missing → fail', records: without(ONLINE, DISCOVER), expect: online, findings: `${ONLINE_FED} ${ONLINE_REST.replace('online-lyncdiscover-cname:pass', 'online-lyncdiscover-cname:fail')}` },
  { title: 'online: sip CNAME lookup fails → unknown', records: ONLINE, expect: online, zone: fails(`${SIP} CNAME`), findings: `${ONLINE_FED} ${ONLINE_REST.replace('online-sip-cname:pass', 'online-sip-cname:unknown')}` },
  {
    title: 'online --cloud gcc-high: only the federation SRV published → the other three are info',
    records: [rr.srv(SIPFED, 100, 1, 5061, 'sipfed.online.gov.skypeforbusiness.us'), rr.a('sipfed.online.gov.skypeforbusiness.us', '198.51.100.20')],
    expect: { ...online, cloud: 'gcc-high' },
    findings: 'push-srv:pass sipfed-port:pass sipfed-srv:pass sipfed-target-address:pass online-sipfed-target:pass online-sip-tls:info online-sip-cname:info online-lyncdiscover-cname:info profile-mismatch:pass',
  },
  {
    title: 'online (worldwide) but the records are 21Vianet\'s → every value fails, profile-mismatch info names the cloud',
    records: [
      rr.srv(SIPTLS, 100, 1, 443, 'sipdir.online.partner.lync.cn'),
      rr.srv(SIPFED, 100, 1, 5061, 'sipfed.online.partner.lync.cn'),
      rr.cname(SIP, 'sipdir.online.partner.lync.cn'),
      rr.cname(DISCOVER, 'webdir.online.partner.lync.cn'),
      rr.a('sipfed.online.partner.lync.cn', '198.51.100.30'),
    ],
    expect: online,
    findings: `${ONLINE_FED.replace('online-sipfed-target:pass', 'online-sipfed-target:fail')} online-sip-tls:fail online-sip-cname:fail online-lyncdiscover-cname:fail profile-mismatch:info`,
  },

  // auto: the profile comes from what is published.
  { title: 'auto: Online targets → online', records: ONLINE, expect: { profile: 'auto' }, findings: `profile-auto:info ${ONLINE_FED} ${ONLINE_REST}` },
  { title: 'auto: _sip._tls on premises → edge', records: EDGE, expect: { profile: 'auto' }, findings: `profile-auto:info ${FED} ${EXT} ${NO_XMPP}` },
  { title: 'auto: federation SRV only → federation', records: without(EDGE, SIPTLS), expect: { profile: 'auto' }, findings: `profile-auto:info ${FED} xmpp-srv:info` },
];

/** Rules whose only status is their catalogue severity (a note, never a pass). */
export const NOTE_ONLY_RULES: readonly string[] = ['profile-auto'];

