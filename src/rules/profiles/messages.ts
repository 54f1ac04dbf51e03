/** The deployment profiles' English: one template per message code, from the finding's facts alone. */
import { absenceText, inflect, speaker, type Absence } from '../messages.js';
import { missingDotText, presenceText, type PresenceFacts, type SrvFact } from '../federation/messages.js';
import { CLOUDS, DEFAULT_CLOUD, EDGE_HOST_TITLES, type CloudName, type ConcreteProfileName, type EdgeHostRole } from './profiles.js';

/**
 * A host name's addresses, as the findings carry them: `a` (A records),
 * `aaaa-only`, `unknown` (A could not be told), `aaaa-unknown` (no A, AAAA
 * could not be told) or `none`; `meant` and `origin` when the name looks
 * written without its trailing dot.
 */
export type HostFact = {
  readonly name: string;
  readonly state: 'a' | 'aaaa-only' | 'unknown' | 'aaaa-unknown' | 'none';
  readonly addresses: readonly string[];
  readonly cname: string | null;
  readonly absence: Absence | null;
  readonly detail: string | null;
  readonly meant: string | null;
  readonly origin: string | null;
};

/** What a host's addresses are, in words: `has A 192.0.2.10 (via CNAME edge.contoso.com)`. */
export function hostText(h: HostFact): string {
  const via = h.cname === null ? '' : ` (via CNAME ${h.cname})`;
  switch (h.state) {
    case 'a':
      return `has A ${h.addresses.join(', ')}${via}`;
    case 'aaaa-only':
      return `has only AAAA ${h.addresses.join(', ')}${via}, no A record`;
    case 'unknown':
      return `could not be checked: ${h.detail ?? ''}`;
    case 'aaaa-unknown':
      return `has no A record, and its AAAA record could not be checked: ${h.detail ?? ''}`;
    case 'none':
      return `has no address: ${absenceText(h.absence ?? 'nxdomain', 'A')}${via}${missingDotText(h.meant === null ? null : { meant: h.meant, origin: h.origin ?? '' })}`;
  }
}

/** A record of D that names a target, and the Microsoft cloud the target belongs to (null: on premises or elsewhere). */
export type PointerFact = { readonly record: string; readonly target: string; readonly cloud: CloudName | null };

/** Pointers in words, with the verb agreeing: `sip.D CNAME → sipdir.online.lync.com points`. */
const describe = (list: readonly PointerFact[]): string => list.map((p) => `${p.record} → ${p.target}`).join(', ');
const points = (list: readonly PointerFact[]): string => inflect(list.length, 'points', 'point');
const point = (list: readonly PointerFact[]): string => `${describe(list)} ${points(list)}`;
const title = (cloud: CloudName): string => CLOUDS[cloud].title;

/** Why `auto` chose online: the records that point at Microsoft. */
export function autoOnlineReason(online: readonly PointerFact[], cloud: CloudName): string {
  return `${point(online)} at Microsoft Online (${title(cloud)})`;
}

/** Why `auto` chose edge or federation: what `_sip._tls.D` holds (or that it was not asked). */
export function autoOnPremisesReason(sipTls: PresenceFacts | string): string {
  const what = typeof sipTls === 'string' ? `${sipTls} was not looked up` : sipTls.state === 'absent' ? `${sipTls.owner} SRV is absent` : presenceText(sipTls);
  return `${what}, and no record points at Microsoft Online`;
}

/** An SRV record in presentation order: `100 1 443 sipdir.online.lync.com`. */
const srvText = (r: SrvFact): string => `${r.priority} ${r.weight} ${r.port} ${r.target}`;

type HostFinding = HostFact & { readonly role: EdgeHostRole | null };
const hostFinding = (label: string, h: HostFact, consequence: string | null): string => `${label} ${h.name} ${hostText(h)}${consequence === null ? '' : `: ${consequence}`}.`;

type Missing = { readonly cloud: CloudName; readonly wanted: string };
const missingTail = (f: Missing, optional: boolean): string =>
  optional ? `; the current ${title(f.cloud)} page lists only the federation SRV, so this is fine (if published, it must be ${f.wanted}).` : `; Microsoft asks for ${f.wanted}.`;
type MissingSrv = PresenceFacts & { readonly state: 'absent' | 'root-only' } & Missing;
type MissingCname = { readonly owner: string; readonly absence: 'nxdomain' | 'not-cname' } & Missing;
const cnameAbsence = (f: MissingCname): string =>
  f.absence === 'nxdomain' ? `${f.owner} does not exist (NXDOMAIN)` : `${f.owner} exists but is not a CNAME (NODATA for CNAME: it may have address records of its own)`;

type Fallback = { readonly owner: string; readonly name: string };

/** The profiles' templates, by message code (codes are unique across families: src/rules/catalogue.ts renderMessage). */
export const PROFILE_MESSAGES = {
  // profile-auto
  'auto-chose': (f: { readonly profile: ConcreteProfileName; readonly cloud: CloudName | null; readonly reason: string }) =>
    `auto chose the ${f.profile} profile${f.cloud === null ? '' : ` (cloud ${f.cloud})`}: ${f.reason}.`,
  // access-edge-address, lyncdiscover, edge-host-address: the consequence when the host fails (or, where it matters, has AAAA only)
  'access-edge': (f: HostFact) => hostFinding('Access Edge', f, f.state === 'none' || f.state === 'aaaa-only' ? 'clients and partners without IPv6 cannot reach the Access Edge' : null),
  autodiscover: (f: HostFact) => hostFinding('Autodiscover name', f, f.state === 'none' ? 'mobile clients cannot discover the Autodiscover service' : null),
  'edge-host': (f: HostFinding) =>
    hostFinding(f.role === null ? 'Host' : EDGE_HOST_TITLES[f.role], f, f.state === 'none' || f.state === 'aaaa-only' ? 'external users cannot reach it' : null),
  // sip-tls-target
  'sip-tls-target-right': (f: { readonly owner: string; readonly domain: string; readonly host: HostFact }) => `SRV target ${f.host.name} of ${f.owner} lies in ${f.domain} and ${hostText(f.host)}.`,
  'sip-tls-target-problems': (f: { readonly owner: string; readonly domain: string; readonly host: HostFact; readonly notEdge: string | null; readonly outside: boolean }) => {
    const problems = [
      ...(f.host.state === 'a' ? [] : [`it ${hostText(f.host)}`]),
      ...(f.notEdge === null ? [] : [`it is not the Access Edge ${f.notEdge} named in the config`]),
      ...(f.outside ? [`it lies outside ${f.domain}, so clients with strict DNS name matching refuse it`] : []),
    ];
    return `SRV target ${f.host.name} of ${f.owner}: ${problems.join('; ')}.`;
  },
  // xmpps-srv
  'xmpps-usable': (f: PresenceFacts & { readonly state: 'usable' }) => `${presenceText(f)} (direct TLS, XEP-0368); every target has an address.`,
  'xmpps-target-unknown': (f: PresenceFacts & { readonly state: 'usable'; readonly host: HostFact }) => `${presenceText(f)}; target ${f.host.name} ${hostText(f.host)}.`,
  'xmpps-dead-targets': (f: PresenceFacts & { readonly state: 'usable'; readonly dead: readonly HostFact[] }) =>
    `${presenceText(f)} (direct TLS, XEP-0368), but ${f.dead.map((h) => `${h.name} ${hostText(h)}`).join('; ')}: XMPP servers waste a connection attempt there before using _xmpp-server._tcp.`,
  // xmpp-fallback
  'fallback-srv': (f: Fallback) => `${f.owner} is published: XMPP servers use it, no fallback (RFC 6120 §3.2.1).`,
  'fallback-root-only': (f: Fallback) => `${f.owner} says the service is decidedly not available ("."): XMPP servers do not fall back (RFC 6120 §3.2.1).`,
  'fallback-xmpps': (f: Fallback & { readonly xmpps: string }) =>
    `${f.owner} is absent, but ${f.xmpps} (direct TLS, XEP-0368) is published: XMPP servers that support it need no fallback.`,
  'fallback-apex-unknown': (f: Fallback & { readonly detail: string }) => `${f.owner} is absent and the addresses of ${f.name} could not be checked: ${f.detail}.`,
  'fallback-apex': (f: Fallback & { readonly addresses: readonly string[]; readonly port: number }) =>
    `${f.owner} is absent, so XMPP servers fall back to ${f.name} itself (${f.addresses.join(', ')}) on port ${f.port} (RFC 6120 §3.2.2); unless an XMPP server listens there, their connections fail after a timeout.`,
  'fallback-none': (f: Fallback) =>
    `${f.owner} is absent and ${f.name} has no address either, so XMPP servers give up at once: no XMPP federation with ${f.name} (fine when none is wanted).`,
  // online-sip-tls, online-sipfed-target
  'online-srv-wrong': (f: { readonly owner: string; readonly wrong: readonly SrvFact[]; readonly elsewhere: boolean; readonly expected: SrvFact }) =>
    `${f.owner} has ${f.wrong.map(srvText).join(', ')}${f.elsewhere ? ' (still pointing on premises or elsewhere)' : ''}; Microsoft asks for ${srvText(f.expected)}.`,
  'online-srv-odd': (f: { readonly owner: string; readonly odd: readonly SrvFact[]; readonly expected: SrvFact }) =>
    `${f.owner} points at ${f.expected.target} but with priority and weight ${f.odd.map(srvText).join(', ')}; Microsoft asks for ${srvText(f.expected)}.`,
  'online-srv-right': (f: { readonly owner: string; readonly expected: SrvFact }) => `${f.owner} is ${srvText(f.expected)}, as Microsoft asks.`,
  'online-srv-missing': (f: MissingSrv) => `${presenceText(f)}${missingTail(f, false)}`,
  'online-srv-missing-optional': (f: MissingSrv) => `${presenceText(f)}${missingTail(f, true)}`,
  // online-sip-cname, online-lyncdiscover-cname
  'online-cname-unknown': (f: { readonly owner: string; readonly lookup: { readonly detail: string } }) => `The CNAME of ${f.owner} could not be checked: ${f.lookup.detail}.`,
  'online-cname-right': (f: { readonly owner: string; readonly target: string }) => `${f.owner} is a CNAME to ${f.target}, as Microsoft asks.`,
  'online-cname-wrong': (f: { readonly owner: string; readonly target: string; readonly targetCloud: CloudName | null; readonly wanted: string }) =>
    `${f.owner} is a CNAME to ${f.target}${f.targetCloud === null ? ' (on premises or elsewhere)' : ` (${title(f.targetCloud)})`}; Microsoft asks for ${f.wanted}.`,
  'online-cname-missing': (f: MissingCname) => `${cnameAbsence(f)}${missingTail(f, false)}`,
  'online-cname-missing-optional': (f: MissingCname) => `${cnameAbsence(f)}${missingTail(f, true)}`,
  // profile-mismatch
  'online-as-expected': (f: { readonly domain: string; readonly cloud: CloudName }) =>
    `Every record of ${f.domain} that names a target points at ${title(f.cloud)}, as the online profile expects.`,
  'online-mismatch': (f: {
    readonly domain: string;
    readonly cloud: CloudName;
    readonly onPremises: readonly PointerFact[];
    readonly atMicrosoft: readonly PointerFact[];
    readonly otherCloud: readonly PointerFact[];
  }) => {
    const notes: string[] = [];
    if (f.onPremises.length > 0) {
      notes.push(
        f.atMicrosoft.length > 0
          ? `${describe(f.onPremises)} still ${points(f.onPremises)} on premises while ${point(f.atMicrosoft)} at Microsoft: a half-migrated hybrid domain`
          : `${point(f.onPremises)} on premises, not at Microsoft: ${f.domain} looks like an edge domain (--profile edge)`,
      );
    }
    if (f.otherCloud.length > 0) {
      const clouds = [...new Set(f.otherCloud.map((p) => p.cloud ?? DEFAULT_CLOUD))];
      notes.push(`${point(f.otherCloud)} at ${clouds.map(title).join(' and ')}, not ${title(f.cloud)}: check with --cloud ${clouds[0]!}`);
    }
    return `${notes.join('; ')}.`;
  },
  'on-premises-as-expected': (f: { readonly domain: string; readonly profile: ConcreteProfileName }) =>
    `No record of ${f.domain} points at Microsoft Online, as the ${f.profile} profile expects.`,
  'on-premises-mismatch': (f: { readonly domain: string; readonly cloud: CloudName; readonly online: readonly PointerFact[]; readonly onPremises: readonly PointerFact[] }) =>
    f.onPremises.length > 0
      ? `${point(f.online)} at Microsoft Online (${title(f.cloud)}) while ${point(f.onPremises)} on premises: a half-migrated hybrid domain.`
      : `${point(f.online)} at Microsoft Online (${title(f.cloud)}): ${f.domain} looks like an online domain (--profile online${f.cloud === DEFAULT_CLOUD ? '' : ` --cloud ${f.cloud}`}).`,
};

/** A finding of the profiles' templates. */
export const say = speaker(PROFILE_MESSAGES);
