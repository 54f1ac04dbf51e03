/**
 * The rules of the deployment profiles (catalogue.ts beside this file), and how a
 * domain's profile is resolved (`auto` decides from what is published). Like
 * the core rules, each is a pure function of the observation and the
 * expectations; `evaluate` (index.ts) passes them the *effective*
 * expectations, whose `profile` and `cloud` are already resolved.
 */
import { nameKey } from '../../dns/codec.js';
import { nameIsAtOrBelow } from '../../dns/name-text.js';
import { absenceWord, finalName, isUnknown, type LookupOutcome } from '../../lookup/types.js';
import { addressRecords, isRootTarget, srvRecords, type ServiceResolution } from '../../lookup/service.js';
import {
  CLOUDS,
  DEFAULT_CLOUD,
  DEFAULT_PROFILE,
  EDGE_HOST_TITLES,
  PROFILES,
  cloudOfName,
  type CloudDefinition,
  type CloudName,
  type ConcreteProfileName,
  type OnlineRecord,
  type ProfileName,
} from './profiles.js';
import { missingDotHint, portFinding, presenceFinding, srvPresence } from '../federation/service-rules.js';
import { presenceText } from '../federation/messages.js';
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

/** A record of D that points somewhere, for telling Online from on-premises. */
interface Pointer {
  /** e.g. `_sipfederationtls._tcp.contoso.com SRV`. */
  readonly record: string;
  readonly target: string;
  /** The Microsoft cloud the target belongs to, or undefined (on premises / elsewhere). */
  readonly cloud: CloudName | undefined;
}

function srvPointers(service: ServiceResolution | undefined): Pointer[] {
  if (service === undefined) return [];
  const targets = [...new Set(srvRecords(service.srv).filter((r) => !isRootTarget(r.target)).map((r) => bare(r.target)))];
  return targets.map((target) => ({ record: `${service.owner} SRV`, target, cloud: cloudOfName(target) }));
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
  if (sipTarget !== undefined) out.push({ record: `${sip} CNAME`, target: sipTarget, cloud: cloudOfName(sipTarget) });
  const discover = `lyncdiscover.${obs.domain}`;
  const discoverTarget = cnameTarget(discover, obs.lyncdiscoverCname, obs.lyncdiscover);
  if (discoverTarget !== undefined) out.push({ record: `${discover} CNAME`, target: discoverTarget, cloud: cloudOfName(discoverTarget) });
  return out;
}

const describe = (list: readonly Pointer[]): string => list.map((p) => `${p.record} → ${p.target}`).join(', ');

/** The cloud most of `list` points at (first seen wins a tie). */
function commonestCloud(list: readonly Pointer[]): CloudName {
  const counts = new Map<CloudName, number>();
  for (const p of list) if (p.cloud !== undefined) counts.set(p.cloud, (counts.get(p.cloud) ?? 0) + 1);
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
  const online = pointers(obs).filter((p) => p.cloud !== undefined);
  if (online.length > 0) {
    const cloud = exp.cloud ?? commonestCloud(online);
    return { requested, profile: 'online', cloud, reason: `${describe(online)} point${online.length === 1 ? 's' : ''} at Microsoft Online (${CLOUDS[cloud].title})` };
  }
  const sipTls = obs.sipTls === undefined ? undefined : srvPresence(obs.sipTls);
  if (sipTls?.state === 'usable') return { requested, profile: 'edge', cloud: DEFAULT_CLOUD, reason: `${presenceText(sipTls)}, and no record points at Microsoft Online` };
  const why = sipTls === undefined ? `_sip._tls.${obs.domain} was not looked up` : sipTls.state === 'error' ? presenceText(sipTls) : presenceText(sipTls).replace(/ SRV is absent: .*$/, ' SRV is absent');
  return { requested, profile: 'federation', cloud: DEFAULT_CLOUD, reason: `${why}, and no record points at Microsoft Online` };
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
  const cloud = choice.profile === 'online' ? ` (cloud ${choice.cloud})` : '';
  return { rule: 'profile-auto', status: 'info', name: obs.domain, message: `auto chose the ${choice.profile} profile${cloud}: ${choice.reason ?? 'no reason recorded'}.` };
}

// ---------------------------------------------------------------------------
// Addresses of named hosts

/** Status and wording of a host's addresses; `aaaaOnly` is the status when it has AAAA but no A. */
function hostState(host: HostResolution, aaaaOnly: Status, near?: string): { status: Status; text: string; reason?: string } {
  const via = host.a.chain.length > 0 ? ` (via CNAME ${finalName(host.a)})` : '';
  if (host.a.kind === 'answer') return { status: 'pass', text: `has A ${addressRecords(host.a).map((r) => r.address).join(', ')}${via}` };
  if (isUnknown(host.a)) return { status: 'unknown', text: `could not be checked: ${host.a.detail}`, reason: host.a.detail };
  if (host.aaaa?.kind === 'answer') {
    return { status: aaaaOnly, text: `has only AAAA ${addressRecords(host.aaaa).map((r) => r.address).join(', ')}${via}, no A record` };
  }
  if (isUnknown(host.aaaa)) return { status: 'unknown', text: `has no A record, and its AAAA record could not be checked: ${host.aaaa.detail}`, reason: host.aaaa.detail };
  return { status: 'fail', text: `has no address: ${absenceWord(host.a)}${via}${missingDotHint(host.name, near)}` };
}

function hostFinding<Id extends string>(rule: Id, host: HostResolution, label: string, aaaaOnly: Status, consequence: string, near?: string): Finding<Id> {
  const state = hostState(host, aaaaOnly, near);
  const tail = state.status === 'fail' || state.status === 'warn' ? `: ${consequence}` : '';
  return {
    rule,
    status: state.status,
    name: host.name,
    message: `${label} ${host.name} ${state.text}${tail}.`,
    ...(state.reason !== undefined ? { reason: state.reason } : {}),
  };
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
    const problems: { status: Status; text: string }[] = [];
    const host = hostState({ name: t.target, a: t.a, aaaa: t.aaaa }, 'warn', obs.domain);
    if (host.status !== 'pass') problems.push({ status: host.status, text: `it ${host.text}` });
    if (edge !== undefined && !sameName(t.target, edge)) problems.push({ status: 'fail', text: `it is not the Access Edge ${edge} named in the config` });
    const target = bare(t.target);
    if (!nameIsAtOrBelow(target, d)) problems.push({ status: 'warn', text: `it lies outside ${obs.domain}, so clients with strict DNS name matching refuse it` });
    if (problems.length === 0) {
      return { rule: 'sip-tls-target', status: 'pass', name: t.target, message: `SRV target ${t.target} of ${service.owner} lies in ${obs.domain} and ${host.text}.` };
    }
    const status = worstStatus(problems.map((p) => p.status));
    const reason = host.reason;
    return {
      rule: 'sip-tls-target',
      status,
      name: t.target,
      message: `SRV target ${t.target} of ${service.owner}: ${problems.map((p) => p.text).join('; ')}.`,
      ...(status === 'unknown' && reason !== undefined ? { reason } : {}),
    };
  });
  return [presenceFinding('sip-tls-srv', service, 'fail'), ...(port ? [port] : []), ...targets];
});

/** access-edge-address: the Access Edge FQDN (configured, else sip.D) has an A record. */
const accessEdge = defineRule(['access-edge-address'], (obs) =>
  obs.accessEdge === undefined
    ? []
    : [hostFinding('access-edge-address', obs.accessEdge, 'Access Edge', 'warn', 'clients and partners without IPv6 cannot reach the Access Edge', obs.domain)],
);

/** lyncdiscover: A, AAAA or a CNAME leading to either. */
const lyncdiscover = defineRule(['lyncdiscover'], (obs) =>
  obs.lyncdiscover === undefined
    ? []
    : [hostFinding('lyncdiscover', obs.lyncdiscover, 'Autodiscover name', 'pass', 'mobile clients cannot discover the Autodiscover service', obs.domain)],
);

/** edge-host-address: hosts named in the config. */
const edgeHosts = defineRule(['edge-host-address'], (obs) =>
  (obs.hosts ?? []).map((host) =>
    hostFinding('edge-host-address', host, host.role !== undefined ? EDGE_HOST_TITLES[host.role] : 'Host', 'warn', 'external users cannot reach it', obs.domain),
  ),
);

// ---------------------------------------------------------------------------
// XMPP: direct TLS (XEP-0368) and the RFC 6120 fallback

/** xmpps-srv: when `_xmpps-server._tcp.D` is published, its targets must have addresses. */
const xmpps = defineRule(['xmpps-srv'], (obs, exp) => {
  const service = obs.xmpps;
  if (exp.xmpp === 'off' || service === undefined) return [];
  const presence = srvPresence(service);
  if (presence.state === 'error') return [{ rule: 'xmpps-srv', status: 'unknown', name: service.owner, message: `${presenceText(presence)}.`, reason: presence.lookup.detail }];
  if (presence.state !== 'usable') return [];
  const states = service.targets.map((t) => ({ target: t.target, ...hostState({ name: t.target, a: t.a, aaaa: t.aaaa }, 'pass', obs.domain) }));
  const unknown = states.find((s) => s.status === 'unknown');
  if (unknown !== undefined) {
    return [{ rule: 'xmpps-srv', status: 'unknown', name: service.owner, message: `${presenceText(presence)}; target ${unknown.target} ${unknown.text}.`, ...(unknown.reason !== undefined ? { reason: unknown.reason } : {}) }];
  }
  const dead = states.filter((s) => s.status !== 'pass');
  if (dead.length === 0) return [{ rule: 'xmpps-srv', status: 'pass', name: service.owner, message: `${presenceText(presence)} (direct TLS, XEP-0368); every target has an address.` }];
  return [
    {
      rule: 'xmpps-srv',
      status: 'info',
      name: service.owner,
      message: `${presenceText(presence)} (direct TLS, XEP-0368), but ${dead.map((s) => `${s.target} ${s.text}`).join('; ')}: XMPP servers waste a connection attempt there before using _xmpp-server._tcp.`,
    },
  ];
});

/** xmpp-fallback: with XMPP optional and no `_xmpp-server._tcp.D`, say where RFC 6120 §3.2.2 sends XMPP servers. */
const xmppFallback = defineRule(['xmpp-fallback'], (obs, exp) => {
  const service = obs.xmpp;
  if (exp.xmpp !== 'optional' || service === undefined) return [];
  const name = obs.domain;
  const presence = srvPresence(service);
  switch (presence.state) {
    case 'error':
      return []; // xmpp-srv already says it could not tell
    case 'usable':
      return [{ rule: 'xmpp-fallback', status: 'pass', name, message: `${service.owner} is published: XMPP servers use it, no fallback (RFC 6120 §3.2.1).` }];
    case 'root-only':
      return [{ rule: 'xmpp-fallback', status: 'pass', name, message: `${service.owner} says the service is decidedly not available ("."): XMPP servers do not fall back (RFC 6120 §3.2.1).` }];
    case 'absent':
      break;
  }
  if (obs.xmpps !== undefined && srvPresence(obs.xmpps).state === 'usable') {
    return [{ rule: 'xmpp-fallback', status: 'pass', name, message: `${service.owner} is absent, but ${obs.xmpps.owner} (direct TLS, XEP-0368) is published: XMPP servers that support it need no fallback.` }];
  }
  const apex = obs.apex;
  if (apex === undefined) return [];
  const addresses = [...addressRecords(apex.a), ...addressRecords(apex.aaaa)].map((r) => r.address);
  if (isUnknown(apex.a) || (addresses.length === 0 && isUnknown(apex.aaaa))) {
    const detail = isUnknown(apex.a) ? apex.a.detail : isUnknown(apex.aaaa) ? apex.aaaa.detail : '';
    return [{ rule: 'xmpp-fallback', status: 'unknown', name, message: `${service.owner} is absent and the addresses of ${name} could not be checked: ${detail}.`, reason: detail }];
  }
  if (addresses.length > 0) {
    return [
      {
        rule: 'xmpp-fallback',
        status: 'info',
        name,
        message: `${service.owner} is absent, so XMPP servers fall back to ${name} itself (${addresses.join(', ')}) on port ${XMPP_FALLBACK_PORT} (RFC 6120 §3.2.2); unless an XMPP server listens there, their connections fail after a timeout.`,
      },
    ];
  }
  return [
    {
      rule: 'xmpp-fallback',
      status: 'info',
      name,
      message: `${service.owner} is absent and ${name} has no address either, so XMPP servers give up at once: no XMPP federation with ${name} (fine when none is wanted).`,
    },
  ];
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
  const show = (list: typeof usable): string => list.map((r) => `${r.priority} ${r.weight} ${r.port} ${r.target}`).join(', ');
  const expected = `${ONLINE_PRIORITY} ${ONLINE_WEIGHT} ${port} ${target}`;
  if (wrong.length > 0) {
    const elsewhere = wrong.some((r) => cloudOfName(r.target) === undefined) ? ' (still pointing on premises or elsewhere)' : '';
    return { rule, status: 'fail', name: service.owner, message: `${service.owner} has ${show(wrong)}${elsewhere}; Microsoft asks for ${expected}.` };
  }
  if (odd.length > 0) {
    return { rule, status: 'warn', name: service.owner, message: `${service.owner} points at ${target} but with priority and weight ${show(odd)}; Microsoft asks for ${expected}.` };
  }
  return { rule, status: 'pass', name: service.owner, message: `${service.owner} is ${expected}, as Microsoft asks.` };
}

/** online-sip-tls: `_sip._tls.D` SRV 100 1 443 sipdir. */
const onlineSipTls = defineRule(['online-sip-tls'], (obs, exp) => {
  const service = obs.sipTls;
  if (service === undefined || exp.profile !== 'online') return [];
  const cloud = cloudOf(exp);
  const presence = srvPresence(service);
  if (presence.state === 'error') return [{ rule: 'online-sip-tls', status: 'unknown', name: service.owner, message: `${presenceText(presence)}.`, reason: presence.lookup.detail }];
  if (presence.state !== 'usable') return [missingOnline('online-sip-tls', 'sip-tls', service.owner, `${presenceText(presence)}`, cloud, `SRV ${ONLINE_PRIORITY} ${ONLINE_WEIGHT} ${SIP_TLS_PORT} ${cloud.sipdir}`)];
  const finding = exactSrv('online-sip-tls', service, SIP_TLS_PORT, cloud.sipdir);
  return finding === undefined ? [] : [finding];
});

/** online-sipfed-target: `_sipfederationtls._tcp.D` SRV 100 1 5061 sipfed (absence is sipfed-srv's). */
const onlineSipfed = defineRule(['online-sipfed-target'], (obs, exp) => {
  if (exp.profile !== 'online') return [];
  const finding = exactSrv('online-sipfed-target', obs.sipfed, 5061, cloudOf(exp).sipfed);
  return finding === undefined ? [] : [finding];
});

function missingOnline<Id extends string>(rule: Id, record: OnlineRecord, name: string, summary: string, cloud: CloudDefinition, wanted: string): Finding<Id> {
  const optional = cloud.optional.includes(record);
  return optional
    ? { rule, status: 'info', name, message: `${summary}; the current ${cloud.title} page lists only the federation SRV, so this is fine (if published, it must be ${wanted}).` }
    : { rule, status: 'fail', name, message: `${summary}; Microsoft asks for ${wanted}.` };
}

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
  if (isUnknown(outcome)) return [{ rule, status: 'unknown', name: owner, message: `The CNAME of ${owner} could not be checked: ${outcome.detail}.`, reason: outcome.detail }];
  const target = cnameTarget(owner, outcome, undefined);
  if (target === undefined) {
    const what = outcome.kind === 'nxdomain' ? `${owner} does not exist (NXDOMAIN)` : `${owner} exists but is not a CNAME (NODATA for CNAME: it may have address records of its own)`;
    return [missingOnline(rule, record, owner, what, cloud, `CNAME ${wanted}`)];
  }
  if (sameName(target, wanted)) return [{ rule, status: 'pass', name: owner, message: `${owner} is a CNAME to ${wanted}, as Microsoft asks.` }];
  const elsewhere = cloudOfName(target) === undefined ? ' (on premises or elsewhere)' : ` (${CLOUDS[cloudOfName(target)!].title})`;
  return [{ rule, status: 'fail', name: owner, message: `${owner} is a CNAME to ${target}${elsewhere}; Microsoft asks for ${wanted}.` }];
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
    const onPremises = all.filter((p) => p.cloud === undefined);
    const otherCloud = all.filter((p) => p.cloud !== undefined && p.cloud !== cloud.name);
    const notes: string[] = [];
    if (onPremises.length > 0) {
      const atMicrosoft = all.filter((p) => p.cloud !== undefined);
      notes.push(
        atMicrosoft.length > 0
          ? `${describe(onPremises)} still point${onPremises.length === 1 ? 's' : ''} on premises while ${describe(atMicrosoft)} point${atMicrosoft.length === 1 ? 's' : ''} at Microsoft: a half-migrated hybrid domain`
          : `${describe(onPremises)} point${onPremises.length === 1 ? 's' : ''} on premises, not at Microsoft: ${name} looks like an edge domain (--profile edge)`,
      );
    }
    if (otherCloud.length > 0) {
      const clouds = [...new Set(otherCloud.map((p) => p.cloud!))];
      notes.push(`${describe(otherCloud)} point${otherCloud.length === 1 ? 's' : ''} at ${clouds.map((c) => CLOUDS[c].title).join(' and ')}, not ${cloud.title}: check with --cloud ${clouds[0]!}`);
    }
    return notes.length === 0
      ? [{ rule: 'profile-mismatch', status: 'pass', name, message: `Every record of ${name} that names a target points at ${cloud.title}, as the online profile expects.` }]
      : [{ rule: 'profile-mismatch', status: 'info', name, message: `${notes.join('; ')}.` }];
  }
  const online = all.filter((p) => p.cloud !== undefined);
  if (online.length === 0) {
    return [{ rule: 'profile-mismatch', status: 'pass', name, message: `No record of ${name} points at Microsoft Online, as the ${profile} profile expects.` }];
  }
  const onPremises = all.filter((p) => p.cloud === undefined);
  const cloud = CLOUDS[commonestCloud(online)];
  const message =
    onPremises.length > 0
      ? `${describe(online)} point${online.length === 1 ? 's' : ''} at Microsoft Online (${cloud.title}) while ${describe(onPremises)} point${onPremises.length === 1 ? 's' : ''} on premises: a half-migrated hybrid domain.`
      : `${describe(online)} point${online.length === 1 ? 's' : ''} at Microsoft Online (${cloud.title}): ${name} looks like an online domain (--profile online${cloud.name === DEFAULT_CLOUD ? '' : ` --cloud ${cloud.name}`}).`;
  return [{ rule: 'profile-mismatch', status: 'info', name, message }];
});

/** Every profile rule, in report order (after the core rules). Each returns nothing when its lookups were not made. */
export const PROFILE_RULES: readonly Rule<ProfileRuleId>[] = [sipTls, accessEdge, lyncdiscover, edgeHosts, onlineSipTls, onlineSipfed, onlineCnames, xmpps, xmppFallback, mismatch];
