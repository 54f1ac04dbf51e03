import type { ServiceResolution } from '../lookup/service.js';
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
}

export const DEFAULT_EXPECTATIONS: DomainExpectations = { mobility: true, discovery: true, xmpp: 'optional' };

/** Everything looked up for one domain; rules are pure functions of this. */
export interface DomainObservation {
  /** The SIP domain as an A-label, without trailing dot. */
  readonly domain: string;
  readonly sipfed: ServiceResolution;
  /** Undefined when XMPP is off for the domain (not asked). */
  readonly xmpp: ServiceResolution | undefined;
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
