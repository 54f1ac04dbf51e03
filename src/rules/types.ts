import type { ServiceResolution } from '../lookup/service.js';
import type { AuthoritativeObservation } from '../lookup/authoritative.js';
import type { RuleId, Status } from './catalogue.js';
import type { LookupOutcome } from '../lookup/types.js';
import type { CloudName, EdgeHostRole, ProfileName } from './profiles/profiles.js';
import type { ProbeObservation } from '../probe/types.js';

/** Whether XMPP federation is expected of a domain. */
export type XmppExpectation = 'required' | 'optional' | 'off';

/** What the operator expects of one SIP domain. */
export interface DomainExpectations {
  /** The domain has Lync Mobile users (push notifications): `_sipfederationtls._tcp` is required. */
  readonly mobility: boolean;
  /** Open (discoverable) federation is wanted: `_sipfederationtls._tcp` is required. */
  readonly discovery: boolean;
  readonly xmpp: XmppExpectation;
  /** Deployment profile (src/rules/profiles/profiles.ts); absent means `federation`, the core checks only. */
  readonly profile?: ProfileName;
  /** For `online` (and `auto` choosing it): the Microsoft cloud whose values are expected; absent means `worldwide`. */
  readonly cloud?: CloudName;
  /** Edge profiles: the Access Edge FQDN (A-label, no trailing dot); absent means `sip.D`. */
  readonly edge?: string;
  /** Edge profiles: further hosts named in the config, checked for an address. */
  readonly hosts?: { readonly [R in EdgeHostRole]?: string };
  /** What the SRV records must name and their targets resolve to; absent → sipfed/xmpp-target-expected not reported. */
  readonly expect?: EdgeExpectation;
}

/** An operator's statement of one service's SRV targets and their addresses (canonical forms). */
export interface ServiceExpectation {
  /** SRV targets as A-labels, lower case, no trailing dot; empty or absent → targets not compared. */
  readonly targets?: readonly string[];
  /** Addresses the targets must resolve to; only the families listed here are compared. */
  readonly addresses?: readonly string[];
}

/** Expected federation targets (the Access Edge), and optionally XMPP's. */
export interface EdgeExpectation extends ServiceExpectation {
  readonly xmpp?: ServiceExpectation;
}

export const DEFAULT_EXPECTATIONS: DomainExpectations = { mobility: true, discovery: true, xmpp: 'optional' };

/** A host name's addresses: A (CNAMEs followed), and AAAA only when A is absent (as for SRV targets). */
export interface HostResolution {
  readonly name: string;
  /** For hosts named in the config: which one (webcon, av, meet, dialin). */
  readonly role?: EdgeHostRole;
  readonly a: LookupOutcome;
  readonly aaaa: LookupOutcome | undefined;
}

/** Everything looked up for one domain; rules are pure functions of this. */
export interface DomainObservation {
  /** The SIP domain as an A-label, without trailing dot. */
  readonly domain: string;
  readonly sipfed: ServiceResolution;
  /** Undefined when XMPP is off for the domain (not asked). */
  readonly xmpp: ServiceResolution | undefined;
  // The fields below are asked only when the domain's profile needs them (src/check/profile-observe.ts).
  /** `_sip._tls.D` (edge profiles, online, auto). */
  readonly sipTls?: ServiceResolution;
  /** The Access Edge FQDN's addresses (edge profiles, auto). */
  readonly accessEdge?: HostResolution;
  /** `lyncdiscover.D`'s addresses, CNAMEs followed (edge profiles, auto). */
  readonly lyncdiscover?: HostResolution;
  /** Hosts named in the config (edge profiles). */
  readonly hosts?: readonly HostResolution[];
  /** `sip.D` asked for its CNAME itself (online, auto). */
  readonly sipCname?: LookupOutcome;
  /** `lyncdiscover.D` asked for its CNAME itself (online, auto). */
  readonly lyncdiscoverCname?: LookupOutcome;
  /** `_xmpps-server._tcp.D`, XEP-0368 direct TLS (edge profiles, when XMPP is not off). */
  readonly xmpps?: ServiceResolution;
  /** D's own addresses, the RFC 6120 §3.2.2 fallback target (asked only when `_xmpp-server._tcp.D` is absent). */
  readonly apex?: HostResolution;
  /** With --authoritative: what each authoritative server said (the fields above are the view server's answers). */
  readonly authoritative?: AuthoritativeObservation;
  /** With --compare: every question asked for the domain, and what each resolver answered (the fields above follow the first that could). */
  readonly comparison?: readonly ResolverComparison[];
  /** With --probe: every SRV target address's TLS probe (src/check/probe-observe.ts). */
  readonly probe?: ProbeObservation;
}

/** With --compare: one question and every resolver's outcome for it, in --resolver order. */
export interface ResolverComparison {
  readonly name: string;
  readonly type: LookupOutcome['type'];
  readonly answers: readonly { readonly resolver: string; readonly outcome: LookupOutcome }[];
}

/** One finding: a rule's verdict on one record. */
export interface Finding<Id extends RuleId = RuleId> {
  readonly rule: Id;
  readonly status: Status;
  /** One sentence naming the record and what was found. */
  readonly message: string;
  /** The DNS name the finding is about. */
  readonly name: string;
  /** For `unknown`: why the lookup could not tell. */
  readonly reason?: string;
  /** What the rule found, as data (e.g. the probe's target, address, port, days): the message says it in English. */
  readonly facts?: FindingFacts;
}

/** A finding's facts: named values, for machines (JSON) as the message is for people. */
export type FindingFacts = { readonly [name: string]: string | number | boolean | null | readonly string[] };

/**
 * A rule: the ids of the findings it can emit, and a pure function from what
 * was observed and expected to those findings. A profile that selects none of
 * its ids does not run it (src/rules/index.ts).
 */
export interface Rule<Id extends RuleId = RuleId> {
  readonly ids: readonly Id[];
  readonly run: (observation: DomainObservation, expectations: DomainExpectations) => readonly Finding<Id>[];
}

/** A {@link Rule} whose findings the compiler holds to the ids it declares. */
export function defineRule<const Id extends RuleId>(
  ids: readonly Id[],
  run: (observation: DomainObservation, expectations: DomainExpectations) => readonly Finding<NoInfer<Id>>[],
): Rule<Id> {
  return { ids, run };
}
