import type { ServiceResolution } from '../lookup/service.js';
import type { AuthoritativeObservation } from '../lookup/authoritative.js';
import type { LookupOutcome } from '../lookup/types.js';
import type { CloudName, EdgeHostRole, ProfileName } from './profiles/names.js';
import type { ProbeObservation } from '../probe/types.js';
import type { DnssecAssessment } from '../lookup/dnssec.js';

// ---------------------------------------------------------------------------
// The catalogue's vocabulary (src/rules/catalogue.ts assembles the entries from the families)

/** Every finding's status; `info` counts as pass for a domain's verdict. */
export type Status = 'pass' | 'info' | 'warn' | 'fail' | 'unknown';

/** How bad each status is, least first: the one order every verdict, table and format uses. */
export const STATUS_SEVERITY: Readonly<Record<Status, number>> = { pass: 0, info: 1, warn: 2, unknown: 3, fail: 4 };

/** The worst of some statuses (`pass` for none). */
export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status = 'pass';
  for (const s of statuses) if (STATUS_SEVERITY[s] > STATUS_SEVERITY[worst]) worst = s;
  return worst;
}

/** A document a requirement comes from. */
export interface Source {
  readonly document: string;
  readonly section?: string;
  readonly url: string;
}

/** A source as one line of text: the document, then its section when there is one (no URL). */
export function citation(source: Source): string {
  return source.section ? `${source.document}, ${source.section}` : source.document;
}

/** One rule of the catalogue. */
export interface RuleInfo<Id extends string = string> {
  readonly id: Id;
  /** Short title, e.g. "Federation SRV record published". */
  readonly title: string;
  /** The record the rule looks at, with `D` for the SIP domain. */
  readonly record: string;
  /** The status a violation gets by default (some rules soften it by expectation; see `softened`). */
  readonly severity: Exclude<Status, 'pass' | 'unknown'>;
  /** When the default is softened or the rule not reported. */
  readonly softened?: string;
  /** What breaks for users when the rule is violated. */
  readonly breaks: string;
  readonly source: Source;
  /**
   * The table format's column that shows the rule's worst status for each
   * domain (a column of some family's {@link RuleFamily.columns}); null for
   * a rule shown another way (the profile rules, in the Profile column).
   */
  readonly column: TableColumn | null;
}

/** A column of the table format: a group of rules shown as their worst status per domain. */
export interface TableColumn {
  readonly title: string;
  /** Shown only when some domain in the report has a finding of its rules (profiles, modes, the probe). */
  readonly optional: boolean;
}

/** Catalogue entries for the ids `K`, keyed by id; a missing entry is a compile error. */
export type CatalogueOf<K extends string> = { readonly [Id in K]: RuleInfo<Id> };

// ---------------------------------------------------------------------------
// What is expected of a domain, and what was observed

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
  /** `--require-dnssec`: answers that are not DNSSEC-secure fail dnssec-srv (absent: info). */
  readonly requireDnssec?: boolean;
}

/** A domain to check: its A-label name, how the user wrote it, what is expected of it. */
export interface DomainSpec {
  readonly domain: string;
  readonly input: string;
  readonly expectations: DomainExpectations;
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
  /**
   * Through a resolver (not zone mode, --no-recursion or --authoritative, where
   * no answer can carry AD): the DNSSEC state of the SRV answers above and of
   * their targets' address answers (src/lookup/dnssec.ts).
   */
  readonly dnssec?: DnssecAssessment;
}

/** With --compare: one question and every resolver's outcome for it, in --resolver order. */
export interface ResolverComparison {
  readonly name: string;
  readonly type: LookupOutcome['type'];
  readonly answers: readonly { readonly resolver: string; readonly outcome: LookupOutcome }[];
}

/** One finding: a rule's verdict on one record. */
export interface Finding<Id extends string = string> {
  readonly rule: Id;
  readonly status: Status;
  /** One sentence naming the record and what was found. */
  readonly message: string;
  /** The DNS name the finding is about. */
  readonly name: string;
  /** For `unknown`: why the lookup could not tell. */
  readonly reason?: string;
  /** What the rule found, as data (names, ports, targets, counts, why a lookup failed): the message says it in English. */
  readonly facts: FindingFacts;
  /**
   * Which of the rule's messages this is (e.g. `srv-absent`): with the facts,
   * all the message says; the family's messages.ts has one template per code.
   */
  readonly code: string;
}

/** A record among a finding's facts (an SRV record, a server and what it said): values and lists of names, nothing deeper. */
export type FactRecord = { readonly [name: string]: string | number | boolean | null | readonly string[] };

/** One fact: a value, a list of names, a record or a list of records. */
export type FactValue = string | number | boolean | null | readonly string[] | FactRecord | readonly FactRecord[];

/** A finding's facts: named values, for machines (JSON) as the message is for people. */
export type FindingFacts = { readonly [name: string]: FactValue };

/**
 * A part of the observation that only some runs have: the TLS probe
 * (`--probe`), every authoritative server's answers (`--authoritative`), every
 * resolver's answers (`--compare`), the DNSSEC state (through a resolver).
 */
export type ObservationPart = 'probe' | 'authoritative' | 'comparison' | 'dnssec';

/** Every {@link ObservationPart}. */
export const OBSERVATION_PARTS: readonly ObservationPart[] = ['probe', 'authoritative', 'comparison', 'dnssec'];

/**
 * A rule: the ids of the findings it can emit, and a pure function from what
 * was observed and expected to those findings. A profile that selects none of
 * its ids does not run it, nor does a domain whose observation lacks the part
 * the rule `needs` (src/rules/engine.ts).
 */
export interface Rule<Id extends string = string> {
  readonly ids: readonly Id[];
  readonly run: (observation: DomainObservation, expectations: DomainExpectations) => readonly Finding<Id>[];
  /** The part of the observation the rule reads: without it the rule finds nothing, so it is not run. */
  readonly needs?: ObservationPart;
}

/** A {@link Rule} whose findings the compiler holds to the ids it declares. */
export function defineRule<const Id extends string>(
  ids: readonly Id[],
  run: (observation: DomainObservation, expectations: DomainExpectations) => readonly Finding<NoInfer<Id>>[],
  needs?: ObservationPart,
): Rule<Id> {
  return needs === undefined ? { ids, run } : { ids, run, needs };
}

/**
 * A rule family (one folder, src/rules/<family>/): its rule ids, their
 * catalogue entries and its rules. src/rules/catalogue.ts lists the
 * families; the catalogue, the rule set and the table's columns are
 * assembled from that list.
 */
export interface RuleFamily<Id extends string = string> {
  /** The folder's name. */
  readonly name: string;
  /** Its rule ids, in catalogue (and report) order. */
  readonly ids: readonly Id[];
  /** One entry per id; a missing entry is a compile error. */
  readonly catalogue: CatalogueOf<Id>;
  /** Its rules, in report order. */
  readonly rules: readonly Rule<Id>[];
  /** The table columns it introduces, in table order (its entries may also use another family's). */
  readonly columns: readonly TableColumn[];
  /** Its message templates, one per code its findings carry (codes are unique across families). */
  readonly messages?: Templates;
  /** A deployment profile selects among this family's rules (the core and the profiles'); others always run. */
  readonly selectedByProfile?: boolean;
  /**
   * What its passing findings found is all in the domain's `records` (the
   * SRV records and target addresses of the core services): the report then
   * leaves their facts out, which would double a conformant domain's JSON.
   */
  readonly passFactsInRecords?: boolean;
  /**
   * Its rules whose facts, whatever the status, are all in the domain's
   * `dnssec` section with its `expectations` (the state, who vouched, every
   * answer that was not secure, whether secure answers were required): the
   * report leaves them out there too.
   */
  readonly factsInDnssec?: readonly Id[];
}

/** A family's message templates (its messages.ts): message code → English from that code's facts (src/rules/messages.ts). */
// `never` accepts any template's parameter type; each code's own facts type comes back through FactsOf.
export type Templates = { readonly [code: string]: (facts: never) => string };

/** A {@link RuleFamily} whose ids the compiler keeps as literals. */
export function defineFamily<const Id extends string>(family: RuleFamily<Id>): RuleFamily<Id> {
  return family;
}
