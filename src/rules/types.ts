import type { ServiceResolution } from '../lookup/service.js';
import type { AuthoritativeObservation } from '../lookup/authoritative.js';
import type { RuleId, Status } from './catalogue.js';

/** Whether XMPP federation is expected of a domain. */
export type XmppExpectation = 'required' | 'optional' | 'off';

/** What the operator expects of one SIP domain. */
export interface DomainExpectations {
  /** The domain has Lync Mobile users (push notifications): `_sipfederationtls._tcp` is required. */
  readonly mobility: boolean;
  /** Open (discoverable) federation is wanted: `_sipfederationtls._tcp` is required. */
  readonly discovery: boolean;
  readonly xmpp: XmppExpectation;
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

/** Everything looked up for one domain; rules are pure functions of this. */
export interface DomainObservation {
  /** The SIP domain as an A-label, without trailing dot. */
  readonly domain: string;
  readonly sipfed: ServiceResolution;
  /** Undefined when XMPP is off for the domain (not asked). */
  readonly xmpp: ServiceResolution | undefined;
  /** With --authoritative: what each authoritative server said (the fields above are the view server's answers). */
  readonly authoritative?: AuthoritativeObservation;
}

/** One finding: a rule's verdict on one record. */
export interface Finding {
  readonly rule: RuleId;
  readonly status: Status;
  /** One sentence naming the record and what was found. */
  readonly message: string;
  /** The DNS name the finding is about. */
  readonly name: string;
  /** For `unknown`: why the lookup could not tell. */
  readonly reason?: string;
}

/** A rule: a pure function from what was observed and expected to findings. */
export type Rule = (observation: DomainObservation, expectations: DomainExpectations) => readonly Finding[];
