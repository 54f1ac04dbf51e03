/**
 * The rules of the deployment profiles (catalogue.ts beside this file), and how a
 * domain's profile is resolved (`auto` decides from what is published). Like
 * the core rules, each is a pure function of the observation and the
 * expectations; `evaluate` (index.ts) passes them the *effective*
 * expectations, whose `profile` and `cloud` are already resolved.
 */
import { nameKey } from '../../dns/codec.js';
import { nameIsAtOrBelow } from '../../dns/name-text.js';
import { finalName, isUnknown, type LookupOutcome } from '../../lookup/types.js';
import { addressRecords, isRootTarget, srvRecords, type ServiceResolution } from '../../lookup/service.js';
import {
  CLOUDS,
  DEFAULT_CLOUD,
  DEFAULT_PROFILE,
  PROFILES,
  cloudOfName,
  type CloudDefinition,
  type CloudName,
  type ConcreteProfileName,
  type OnlineRecord,
  type ProfileName,
} from './profiles.js';
import { portFinding, presenceFinding, srvPresence } from '../federation/service-rules.js';
import type { SrvFact } from '../federation/messages.js';
import { missingDot } from '../federation/missing-dot.js';
import { lookupFailure } from '../messages.js';
import { autoOnlineReason, autoOnPremisesReason, say, type HostFact, type PointerFact } from './messages.js';
import type { ProfileRuleId } from './catalogue.js';
import { defineRule, worstStatus, type Status, type DomainExpectations, type DomainObservation, type Finding, type HostResolution, type Rule } from '../types.js';

/** Port of `_sip._tls` (external sign-in at the Access Edge). */
const SIP_TLS_PORT = 443;
/** Port XMPP servers fall back to without an SRV record (RFC 6120 §3.2.2). */
const XMPP_FALLBACK_PORT = 5269;
/** Microsoft's priority for its Online SRV records. */
const ONLINE_PRIORITY = 100;
/** Microsoft's weight for its Online SRV records. */
const ONLINE_WEIGHT = 1;

const bare = nameKey;
const sameName = (a: string, b: string): boolean => bare(a) === bare(b);

// ---------------------------------------------------------------------------
// Which profile a domain is checked as

/** The profile a domain is checked as, and for `auto` why. */
export interface ProfileChoice {
  /** What was asked (`auto` included). */
  readonly requested: ProfileName;
  /** The profile whose rules apply. */
  readonly profile: ConcreteProfileName;
  /** The cloud whose values `online` expects (meaningful for `online` only). */
  readonly cloud: CloudName;
  /** With `auto`: one sentence saying why this profile. */
  readonly reason?: string;
}

/** A record of D that points somewhere (e.g. `_sipfederationtls._tcp.contoso.com SRV`), for telling Online from on-premises. */
type Pointer = PointerFact;

function srvPointers(service: ServiceResolution | undefined): Pointer[] {
  if (service === undefined) return [];
  const targets = [...new Set(srvRecords(service.srv).filter((r) => !isRootTarget(r.target)).map((r) => bare(r.target)))];
  return targets.map((target) => ({ record: `${service.owner} SRV`, target, cloud: cloudOfName(target) ?? null }));
}

/** The CNAME target of `name`: from a CNAME query, else from the first hop of an address lookup. */
function cnameTarget(name: string, asked: LookupOutcome | undefined, host: HostResolution | undefined): string | undefined {
  if (asked?.kind === 'answer') {
    const record = asked.records.find((r) => r.type === 'CNAME' && sameName(r.name, name));
    if (record !== undefined && record.type === 'CNAME') return bare(record.target);
  }
  if (host !== undefined && sameName(host.name, name)) {
    const hop = host.a.chain[0];
    if (hop !== undefined && sameName(hop.from, name)) return bare(hop.to);
  }
  return undefined;
}

/** Every record of D that names a target: the two SRVs and the sip / lyncdiscover aliases. */
function pointers(obs: DomainObservation): Pointer[] {
  const out = [...srvPointers(obs.sipfed), ...srvPointers(obs.sipTls)];
  const sip = `sip.${obs.domain}`;
  const sipTarget = cnameTarget(sip, obs.sipCname, obs.accessEdge);
  if (sipTarget !== undefined) out.push({ record: `${sip} CNAME`, target: sipTarget, cloud: cloudOfName(sipTarget) ?? null });
  const discover = `lyncdiscover.${obs.domain}`;
  const discoverTarget = cnameTarget(discover, obs.lyncdiscoverCname, obs.lyncdiscover);
  if (discoverTarget !== undefined) out.push({ record: `${discover} CNAME`, target: discoverTarget, cloud: cloudOfName(discoverTarget) ?? null });
  return out;
}

/** The cloud most of `list` points at (first seen wins a tie). */
function commonestCloud(list: readonly Pointer[]): CloudName {
  const counts = new Map<CloudName, number>();
  for (const p of list) if (p.cloud !== null) counts.set(p.cloud, (counts.get(p.cloud) ?? 0) + 1);
  let best: CloudName = DEFAULT_CLOUD;
  let most = 0;
  for (const [cloud, n] of counts) {
    if (n > most) [best, most] = [cloud, n];
  }
  return best;
}

/**
 * Resolve the domain's profile. `auto`: online when any record points at a
 * Microsoft Online name (its cloud from those names unless one was asked
 * for), else edge when `_sip._tls.D` has usable records, else federation.
 */
export function resolveProfile(obs: DomainObservation, exp: DomainExpectations): ProfileChoice {
  const requested = exp.profile ?? DEFAULT_PROFILE;
  if (requested !== 'auto') return { requested, profile: requested, cloud: exp.cloud ?? DEFAULT_CLOUD };
  const online = pointers(obs).filter((p) => p.cloud !== null);
  if (online.length > 0) {
    const cloud = exp.cloud ?? commonestCloud(online);
    return { requested, profile: 'online', cloud, reason: autoOnlineReason(online, cloud) };
  }
  const sipTls = obs.sipTls === undefined ? `_sip._tls.${obs.domain}` : srvPresence(obs.sipTls);
  return { requested, profile: typeof sipTls !== 'string' && sipTls.state === 'usable' ? 'edge' : 'federation', cloud: DEFAULT_CLOUD, reason: autoOnPremisesReason(sipTls) };
}

/** The expectations the rules see: the resolved profile and cloud, and for `auto` the chosen profile's XMPP default. */
export function effectiveExpectations(exp: DomainExpectations, choice: ProfileChoice): DomainExpectations {
  const xmppDefault = PROFILES[choice.profile].defaults.xmpp;
  // With auto the profile is known only now; 'optional' is the global default, so the chosen
  // profile's default replaces it (an explicit 'required' stays).
  const xmpp = choice.requested === 'auto' && xmppDefault !== undefined && exp.xmpp === 'optional' ? xmppDefault : exp.xmpp;
  // Not `{ ...exp, profile, cloud, xmpp }`: V8 copies a spread that gains keys its source lacks the slow way,
  // which was half of evaluateProfile's time for a federation domain.
  return Object.assign({}, exp, { profile: choice.profile, cloud: choice.cloud, xmpp });
}

/** The `profile-auto` finding: which profile auto chose and why. */
export function autoFinding(obs: DomainObservation, choice: ProfileChoice): Finding<'profile-auto'> {
  return say('profile-auto', 'info', obs.domain, 'auto-chose', { profile: choice.profile, cloud: choice.profile === 'online' ? choice.cloud : null, reason: choice.reason ?? 'no reason recorded' });
}

// ---------------------------------------------------------------------------
// Addresses of named hosts

/** A host's addresses as facts, and their status; `aaaaOnly` is the status when it has AAAA but no A. */
function hostState(host: HostResolution, aaaaOnly: Status, near?: string): { readonly status: Status; readonly fact: HostFact } {
  const base = { name: host.name, addresses: [] as string[], cname: host.a.chain.length > 0 ? finalName(host.a) : null, absence: null, detail: null, meant: null, origin: null };
  if (host.a.kind === 'answer') return { status: 'pass', fact: { ...base, state: 'a' as const, addresses: addressRecords(host.a).map((r) => r.address) } };
  if (isUnknown(host.a)) return { status: 'unknown', fact: { ...base, state: 'unknown', detail: host.a.detail } };
  if (host.aaaa?.kind === 'answer') return { status: aaaaOnly, fact: { ...base, state: 'aaaa-only', addresses: addressRecords(host.aaaa).map((r) => r.address) } };
  if (isUnknown(host.aaaa)) return { status: 'unknown', fact: { ...base, state: 'aaaa-unknown', detail: host.aaaa.detail } };
  const dot = missingDot(host.name, near);
  return { status: 'fail', fact: { ...base, state: 'none', absence: host.a.kind, meant: dot?.meant ?? null, origin: dot?.origin ?? null } };
}

/** A named host's finding: its addresses, with what breaks when it fails (the template's). */
function hostFinding<Id extends string>(rule: Id, code: 'access-edge' | 'autodiscover', host: HostResolution, aaaaOnly: Status, near?: string): Finding<Id> {
  const { status, fact } = hostState(host, aaaaOnly, near);
  return say(rule, status, host.name, code, fact, status === 'unknown' ? fact.detail ?? undefined : undefined);
}

// ---------------------------------------------------------------------------
// Edge profiles

/** sip-tls-srv, sip-tls-port, sip-tls-target. */
const sipTls = defineRule(['sip-tls-srv', 'sip-tls-port', 'sip-tls-target'], (obs, exp) => {
  const service = obs.sipTls;
  if (service === undefined) return [];
  const port = portFinding('sip-tls-port', service, SIP_TLS_PORT);
  const edge = exp.edge;
  const d = obs.domain.toLowerCase();
  const targets = service.targets.map((t): Finding<'sip-tls-target'> => {
    const host = hostState({ name: t.target, a: t.a, aaaa: t.aaaa }, 'warn', obs.domain);
    const notEdge = edge !== undefined && !sameName(t.target, edge) ? edge : null;
    const outside = !nameIsAtOrBelow(bare(t.target), d);
    const statuses: Status[] = [host.status, ...(notEdge !== null ? ['fail' as const] : []), ...(outside ? ['warn' as const] : [])];
    const status = worstStatus(statuses);
    if (status === 'pass') return say('sip-tls-target', 'pass', t.target, 'sip-tls-target-right', { owner: service.owner, domain: obs.domain, host: host.fact });
    const reason = status === 'unknown' ? host.fact.detail ?? undefined : undefined;
    return say('sip-tls-target', status, t.target, 'sip-tls-target-problems', { owner: service.owner, domain: obs.domain, host: host.fact, notEdge, outside }, reason);
  });
  return [presenceFinding('sip-tls-srv', service, 'fail'), ...(port ? [port] : []), ...targets];
});

/** access-edge-address: the Access Edge FQDN (configured, else sip.D) has an A record. */
const accessEdge = defineRule(['access-edge-address'], (obs) =>
  obs.accessEdge === undefined
    ? []
    : [hostFinding('access-edge-address', 'access-edge', obs.accessEdge, 'warn', obs.domain)],
);

/** lyncdiscover: A, AAAA or a CNAME leading to either. */
const lyncdiscover = defineRule(['lyncdiscover'], (obs) =>
  obs.lyncdiscover === undefined
    ? []
    : [hostFinding('lyncdiscover', 'autodiscover', obs.lyncdiscover, 'pass', obs.domain)],
);

/** edge-host-address: hosts named in the config. */
const edgeHosts = defineRule(['edge-host-address'], (obs) =>
  (obs.hosts ?? []).map((host) => {
    const { status, fact } = hostState(host, 'warn', obs.domain);
    return say('edge-host-address', status, host.name, 'edge-host', { ...fact, role: host.role ?? null }, status === 'unknown' ? fact.detail ?? undefined : undefined);
  }),
);

// ---------------------------------------------------------------------------
// XMPP: direct TLS (XEP-0368) and the RFC 6120 fallback

/** xmpps-srv: when `_xmpps-server._tcp.D` is published, its targets must have addresses. */
const xmpps = defineRule(['xmpps-srv'], (obs, exp) => {
  const service = obs.xmpps;
  if (exp.xmpp === 'off' || service === undefined) return [];
  const presence = srvPresence(service);
  if (presence.state === 'error') return [presenceFinding('xmpps-srv', service, 'fail', presence)];
  if (presence.state !== 'usable') return [];
  const states = service.targets.map((t) => hostState({ name: t.target, a: t.a, aaaa: t.aaaa }, 'pass', obs.domain));
  const unknown = states.find((s) => s.status === 'unknown');
  if (unknown !== undefined) return [say('xmpps-srv', 'unknown', service.owner, 'xmpps-target-unknown', { ...presence, host: unknown.fact }, unknown.fact.detail ?? undefined)];
  const dead = states.filter((s) => s.status !== 'pass').map((s) => s.fact);
  if (dead.length === 0) return [say('xmpps-srv', 'pass', service.owner, 'xmpps-usable', presence)];
  return [say('xmpps-srv', 'info', service.owner, 'xmpps-dead-targets', { ...presence, dead })];
});

/** xmpp-fallback: with XMPP optional and no `_xmpp-server._tcp.D`, say where RFC 6120 §3.2.2 sends XMPP servers. */
const xmppFallback = defineRule(['xmpp-fallback'], (obs, exp) => {
  const service = obs.xmpp;
  if (exp.xmpp !== 'optional' || service === undefined) return [];
  const name = obs.domain;
  const where = { owner: service.owner, name };
  const presence = srvPresence(service);
  switch (presence.state) {
    case 'error':
      return []; // xmpp-srv already says it could not tell
    case 'usable':
      return [say('xmpp-fallback', 'pass', name, 'fallback-srv', where)];
    case 'root-only':
      return [say('xmpp-fallback', 'pass', name, 'fallback-root-only', where)];
    case 'absent':
      break;
  }
  if (obs.xmpps !== undefined && srvPresence(obs.xmpps).state === 'usable') return [say('xmpp-fallback', 'pass', name, 'fallback-xmpps', { ...where, xmpps: obs.xmpps.owner })];
  const apex = obs.apex;
  if (apex === undefined) return [];
  const addresses = [...addressRecords(apex.a), ...addressRecords(apex.aaaa)].map((r) => r.address);
  if (isUnknown(apex.a) || (addresses.length === 0 && isUnknown(apex.aaaa))) {
    const detail = isUnknown(apex.a) ? apex.a.detail : isUnknown(apex.aaaa) ? apex.aaaa.detail : '';
    return [say('xmpp-fallback', 'unknown', name, 'fallback-apex-unknown', { ...where, detail }, detail)];
  }
  if (addresses.length > 0) return [say('xmpp-fallback', 'info', name, 'fallback-apex', { ...where, addresses, port: XMPP_FALLBACK_PORT })];
  return [say('xmpp-fallback', 'info', name, 'fallback-none', where)];
});

// ---------------------------------------------------------------------------
// Online: Microsoft's values, checked exactly

function cloudOf(exp: DomainExpectations): CloudDefinition {
  return CLOUDS[exp.cloud ?? DEFAULT_CLOUD];
}

/**
 * One finding for an SRV set that must be exactly `priority weight port
 * target`: a wrong target or port fails, a priority or weight of its own
 * only warns (Microsoft's checks look at where the record points).
 */
function exactSrv<Id extends string>(rule: Id, service: ServiceResolution, port: number, target: string): Finding<Id> | undefined {
  const usable = srvRecords(service.srv).filter((r) => !isRootTarget(r.target));
  if (usable.length === 0) return undefined;
  const wrong = usable.filter((r) => !sameName(r.target, target) || r.port !== port);
  const odd = usable.filter((r) => r.priority !== ONLINE_PRIORITY || r.weight !== ONLINE_WEIGHT);
  const fact = (r: SrvFact): SrvFact => ({ priority: r.priority, weight: r.weight, port: r.port, target: r.target });
  const expected: SrvFact = { priority: ONLINE_PRIORITY, weight: ONLINE_WEIGHT, port, target };
  const owner = service.owner;
  if (wrong.length > 0) return say(rule, 'fail', owner, 'online-srv-wrong', { owner, wrong: wrong.map(fact), elsewhere: wrong.some((r) => cloudOfName(r.target) === undefined), expected });
  if (odd.length > 0) return say(rule, 'warn', owner, 'online-srv-odd', { owner, odd: odd.map(fact), expected });
  return say(rule, 'pass', owner, 'online-srv-right', { owner, expected });
}

/** online-sip-tls: `_sip._tls.D` SRV 100 1 443 sipdir. */
const onlineSipTls = defineRule(['online-sip-tls'], (obs, exp) => {
  const service = obs.sipTls;
  if (service === undefined || exp.profile !== 'online') return [];
  const cloud = cloudOf(exp);
  const presence = srvPresence(service);
  if (presence.state === 'error') return [presenceFinding('online-sip-tls', service, 'fail', presence)];
  if (presence.state !== 'usable') {
    const facts = { ...presence, cloud: cloud.name, wanted: `SRV ${ONLINE_PRIORITY} ${ONLINE_WEIGHT} ${SIP_TLS_PORT} ${cloud.sipdir}` };
    return [cloud.optional.includes('sip-tls') ? say('online-sip-tls', 'info', service.owner, 'online-srv-missing-optional', facts) : say('online-sip-tls', 'fail', service.owner, 'online-srv-missing', facts)];
  }
  const finding = exactSrv('online-sip-tls', service, SIP_TLS_PORT, cloud.sipdir);
  return finding === undefined ? [] : [finding];
});

/** online-sipfed-target: `_sipfederationtls._tcp.D` SRV 100 1 5061 sipfed (absence is sipfed-srv's). */
const onlineSipfed = defineRule(['online-sipfed-target'], (obs, exp) => {
  if (exp.profile !== 'online') return [];
  const finding = exactSrv('online-sipfed-target', obs.sipfed, 5061, cloudOf(exp).sipfed);
  return finding === undefined ? [] : [finding];
});

function onlineCname<Id extends string>(
  rule: Id,
  record: OnlineRecord,
  owner: string,
  outcome: LookupOutcome | undefined,
  exp: DomainExpectations,
  pick: (c: CloudDefinition) => string,
): Finding<Id>[] {
  if (outcome === undefined || exp.profile !== 'online') return [];
  const cloud = cloudOf(exp);
  const wanted = pick(cloud);
  if (isUnknown(outcome)) return [say(rule, 'unknown', owner, 'online-cname-unknown', { owner, lookup: lookupFailure(outcome) }, outcome.detail)];
  const target = cnameTarget(owner, outcome, undefined);
  if (target === undefined) {
    const facts = { owner, absence: outcome.kind === 'nxdomain' ? ('nxdomain' as const) : ('not-cname' as const), cloud: cloud.name, wanted: `CNAME ${wanted}` };
    return [cloud.optional.includes(record) ? say(rule, 'info', owner, 'online-cname-missing-optional', facts) : say(rule, 'fail', owner, 'online-cname-missing', facts)];
  }
  if (sameName(target, wanted)) return [say(rule, 'pass', owner, 'online-cname-right', { owner, target: wanted })];
  return [say(rule, 'fail', owner, 'online-cname-wrong', { owner, target, targetCloud: cloudOfName(target) ?? null, wanted })];
}

/** online-sip-cname and online-lyncdiscover-cname. */
const onlineCnames = defineRule(['online-sip-cname', 'online-lyncdiscover-cname'], (obs, exp) => [
  ...onlineCname('online-sip-cname', 'sip-cname', `sip.${obs.domain}`, obs.sipCname, exp, (c) => c.sipdir),
  ...onlineCname('online-lyncdiscover-cname', 'lyncdiscover-cname', `lyncdiscover.${obs.domain}`, obs.lyncdiscoverCname, exp, (c) => c.webdir),
]);

// ---------------------------------------------------------------------------
// profile-mismatch

/** profile-mismatch: records that look like another profile than the one D is checked as. */
const mismatch = defineRule(['profile-mismatch'], (obs, exp) => {
  const profile = exp.profile ?? DEFAULT_PROFILE;
  if (profile === 'federation' || profile === 'auto') return [];
  const all = pointers(obs);
  const name = obs.domain;
  if (profile === 'online') {
    const cloud = cloudOf(exp);
    const onPremises = all.filter((p) => p.cloud === null);
    const otherCloud = all.filter((p) => p.cloud !== null && p.cloud !== cloud.name);
    if (onPremises.length === 0 && otherCloud.length === 0) return [say('profile-mismatch', 'pass', name, 'online-as-expected', { domain: name, cloud: cloud.name })];
    const atMicrosoft = all.filter((p) => p.cloud !== null);
    return [say('profile-mismatch', 'info', name, 'online-mismatch', { domain: name, cloud: cloud.name, onPremises, atMicrosoft, otherCloud })];
  }
  const online = all.filter((p) => p.cloud !== null);
  if (online.length === 0) return [say('profile-mismatch', 'pass', name, 'on-premises-as-expected', { domain: name, profile })];
  const onPremises = all.filter((p) => p.cloud === null);
  return [say('profile-mismatch', 'info', name, 'on-premises-mismatch', { domain: name, cloud: commonestCloud(online), online, onPremises })];
});

/** Every profile rule, in report order (after the core rules). Each returns nothing when its lookups were not made. */
export const PROFILE_RULES: readonly Rule<ProfileRuleId>[] = [sipTls, accessEdge, lyncdiscover, edgeHosts, onlineSipTls, onlineSipfed, onlineCnames, xmpps, xmppFallback, mismatch];
