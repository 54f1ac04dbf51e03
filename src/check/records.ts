import type { LookupOutcome, Provenance } from '../lookup/types.js';
import { addressRecords, srvRecords, type ServiceResolution } from '../lookup/service.js';
import type { EdgeHostRole } from '../rules/profiles/profiles.js';
import type { DomainObservation, HostResolution } from '../rules/types.js';

/** What one lookup found, as reported in JSON. */
export interface OutcomeRecord {
  readonly result: LookupOutcome['kind'];
  /** CNAME hops followed, as "from -> to". */
  readonly cname: readonly string[];
  /** For `error` and `referral`: the reason. */
  readonly detail?: string;
  /** For `error`, when servers gave no usable answer: each try's server and why (`timeout`, `servfail`, `refused` …). */
  readonly failures?: readonly { readonly server: string; readonly reason: string }[];
  /** For `referral`: the child zone the name was delegated to, and its name servers. */
  readonly delegation?: { readonly zone: string; readonly nameservers: readonly string[] };
  /** Which server answered and how (absent on error). */
  readonly server?: string;
  readonly transport?: Provenance['transport'];
}

/** One SRV target and its addresses. */
export interface TargetRecord {
  readonly name: string;
  readonly a: readonly string[];
  /** null when AAAA was not asked (A answered, so it could not change the verdict). */
  readonly aaaa: readonly string[] | null;
  readonly lookup: OutcomeRecord;
}

/** One SRV owner and what it leads to. */
export interface ServiceRecord {
  readonly name: string;
  readonly lookup: OutcomeRecord;
  readonly srv: readonly { readonly priority: number; readonly weight: number; readonly port: number; readonly target: string }[];
  readonly targets: readonly TargetRecord[];
}

/** A host a profile names (not an SRV target) and its addresses. */
export interface HostRecord extends TargetRecord {
  /** Why it was asked: the Access Edge, lyncdiscover, the RFC 6120 fallback (the domain itself), or a config host. */
  readonly role: 'access-edge' | 'lyncdiscover' | 'xmpp-fallback' | EdgeHostRole;
}

/** A name a profile asked for its own CNAME (the `online` profile's `sip` and `lyncdiscover`). */
export interface CnameRecord {
  readonly name: string;
  /** The CNAME's target; null when the name has none. */
  readonly target: string | null;
  readonly lookup: OutcomeRecord;
}

/** The records of one domain, for the report: the two SRV owners always, what its profile asked besides. */
export interface DomainRecords {
  readonly sipfederationtls: ServiceRecord;
  /** null when XMPP is off for the domain. */
  readonly xmppServer: ServiceRecord | null;
  /** `_sip._tls.D` (edge profiles, online, auto). */
  readonly sipTls?: ServiceRecord;
  /** `_xmpps-server._tcp.D`, XEP-0368 (edge profiles with XMPP). */
  readonly xmppsServer?: ServiceRecord;
  /** Hosts the profile checked for an address. */
  readonly hosts?: readonly HostRecord[];
  /** Names the profile asked for their own CNAME. */
  readonly cnames?: readonly CnameRecord[];
}

function outcomeRecord(outcome: LookupOutcome): OutcomeRecord {
  const cname = outcome.chain.map((hop) => `${hop.from} -> ${hop.to}`);
  if (outcome.kind === 'error') return outcome.failures !== undefined ? { result: 'error', cname, detail: outcome.detail, failures: outcome.failures } : { result: 'error', cname, detail: outcome.detail };
  if (outcome.kind === 'referral') {
    const delegation = { zone: outcome.delegation.zone, nameservers: outcome.delegation.servers.map((s) => s.name) };
    return { result: 'referral', cname, detail: outcome.detail, delegation, server: outcome.server, transport: outcome.transport };
  }
  return { result: outcome.kind, cname, server: outcome.server, transport: outcome.transport };
}

/** A name's addresses as reported: the A lookup's, or the AAAA lookup's when A was absent and AAAA answered. */
function addressesRecord(name: string, a: LookupOutcome, aaaa: LookupOutcome | undefined): TargetRecord {
  return {
    name,
    a: addressRecords(a).filter((r) => r.type === 'A').map((r) => r.address),
    aaaa: aaaa === undefined ? null : addressRecords(aaaa).filter((r) => r.type === 'AAAA').map((r) => r.address),
    lookup: outcomeRecord(a.kind === 'answer' || aaaa === undefined ? a : aaaa.kind === 'answer' ? aaaa : a),
  };
}

/** The records of a resolved service, for the report. */
export function serviceRecord(service: ServiceResolution): ServiceRecord {
  return {
    name: service.owner,
    lookup: outcomeRecord(service.srv),
    srv: srvRecords(service.srv).map((r) => ({ priority: r.priority, weight: r.weight, port: r.port, target: r.target })),
    targets: service.targets.map((t) => addressesRecord(t.target, t.a, t.aaaa)),
  };
}

function hostRecord(host: HostResolution, role: HostRecord['role']): HostRecord {
  return { ...addressesRecord(host.name, host.a, host.aaaa), role };
}

function cnameRecord(name: string, outcome: LookupOutcome): CnameRecord {
  const cname = outcome.kind === 'answer' ? outcome.records.find((r) => r.type === 'CNAME') : undefined;
  return { name, target: cname?.type === 'CNAME' ? cname.target : null, lookup: outcomeRecord(outcome) };
}

/**
 * Everything a domain's observation holds, for the report. The profile's own
 * lookups appear only when its profile asked them, so a `federation` report
 * has exactly `sipfederationtls` and `xmppServer`.
 */
export function domainRecords(observation: DomainObservation): DomainRecords {
  const hosts: HostRecord[] = [];
  if (observation.accessEdge !== undefined) hosts.push(hostRecord(observation.accessEdge, 'access-edge'));
  if (observation.lyncdiscover !== undefined) hosts.push(hostRecord(observation.lyncdiscover, 'lyncdiscover'));
  for (const host of observation.hosts ?? []) hosts.push(hostRecord(host, host.role ?? 'access-edge'));
  if (observation.apex !== undefined) hosts.push(hostRecord(observation.apex, 'xmpp-fallback'));
  const cnames: CnameRecord[] = [];
  if (observation.sipCname !== undefined) cnames.push(cnameRecord(`sip.${observation.domain}`, observation.sipCname));
  if (observation.lyncdiscoverCname !== undefined) cnames.push(cnameRecord(`lyncdiscover.${observation.domain}`, observation.lyncdiscoverCname));
  const core = {
    sipfederationtls: serviceRecord(observation.sipfed),
    xmppServer: observation.xmpp === undefined ? null : serviceRecord(observation.xmpp),
  };
  // The default profile asks nothing more: keep its (hot) path free of the profile's fields.
  if (observation.sipTls === undefined && observation.xmpps === undefined && hosts.length === 0 && cnames.length === 0) return core;
  return {
    ...core,
    ...(observation.sipTls !== undefined ? { sipTls: serviceRecord(observation.sipTls) } : {}),
    ...(observation.xmpps !== undefined ? { xmppsServer: serviceRecord(observation.xmpps) } : {}),
    ...(hosts.length > 0 ? { hosts } : {}),
    ...(cnames.length > 0 ? { cnames } : {}),
  };
}
