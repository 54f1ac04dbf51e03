import type { QueryType, ResourceRecord } from '../dns/codec.js';
import type { FailureReason, ServerFailure } from '../dns/client.js';

/** One CNAME hop met while resolving a name. */
export interface CnameHop {
  readonly from: string;
  readonly to: string;
}

/** Where an outcome came from: which server, over which transport. */
export interface Provenance {
  readonly server: string;
  readonly transport: 'udp' | 'tcp' | 'tls' | 'https';
  /** The resolver set AD (the data was DNSSEC-validated). */
  readonly authenticated: boolean;
}

/**
 * Why a lookup could not tell: the DNS client's reasons, CNAME-chain faults,
 * and answers that say nothing about the name (RFC 2308 §2.2, RFC 1034 §4.3.2):
 * - `lame`: a response no authoritative server or resolver gives for the name
 *   (an SOA of a zone that does not hold it, NS records of an unrelated zone);
 * - `no-soa`: NOERROR without records and without the SOA that makes it NODATA;
 * - `not-authoritative`: NXDOMAIN asked with RD=0 but AA clear (RFC 1035 §4.1.1:
 *   a name error is meaningful only from an authoritative server);
 * - `referral`: a recursive resolver answered with a delegation instead of data;
 * - `delegation`: a referral was followed (`--no-recursion`), and its servers
 *   could not be found or did not answer, or there were too many referrals;
 * - `bogus`: a validating resolver answered SERVFAIL, answered the same
 *   question with CD=1 (RFC 4035 §3.2.2), and SERVFAIL again without it: the
 *   data failed DNSSEC validation there. The records may well exist; whether
 *   they are true cannot be told.
 */
export type LookupErrorReason = FailureReason | 'cname-loop' | 'cname-limit' | 'lame' | 'no-soa' | 'not-authoritative' | 'referral' | 'delegation' | 'bogus';

/** One name server of a delegation, with the glue addresses the referral carried. */
export interface DelegationServer {
  /** Lower case, no trailing dot. */
  readonly name: string;
  /** Glue (A, AAAA) from the additional section; empty when none came. */
  readonly addresses: readonly string[];
}

/** A zone cut: the child zone (the NS owner) and its name servers. */
export interface Delegation {
  /** Lower case, no trailing dot. */
  readonly zone: string;
  readonly servers: readonly DelegationServer[];
}

/** The outcome fields every kind has. */
interface OutcomeBase {
  readonly name: string;
  readonly type: QueryType;
  readonly chain: readonly CnameHop[];
}

/** Records of the type were found. */
export type AnswerOutcome<R extends ResourceRecord = ResourceRecord> = OutcomeBase & Provenance & { readonly kind: 'answer'; readonly records: readonly R[] };
/** The name exists and has no records of the type (RFC 2308 §2.2, with the zone's SOA, or AA set asked with RD=0). */
export type NodataOutcome = OutcomeBase & Provenance & { readonly kind: 'nodata' };
/** The name does not exist (RFC 2308 §2.1). */
export type NxdomainOutcome = OutcomeBase & Provenance & { readonly kind: 'nxdomain' };
/**
 * The server said the name lies in a child zone it does not serve (RFC 1034
 * §4.3.2 step 3b: NS of the cut in the authority section, AA clear, no SOA),
 * and the referral was not followed (zone mode, where the child zone is not
 * loaded). Says nothing about the name: "could not tell", never "absent".
 */
export type ReferralOutcome = OutcomeBase &
  Provenance & {
    readonly kind: 'referral';
    readonly delegation: Delegation;
    readonly reason: 'referral';
    /** One line naming the delegation and what the user can do. */
    readonly detail: string;
  };
/** The lookup could not tell. */
export type ErrorOutcome = OutcomeBase & {
  readonly kind: 'error';
  readonly reason: LookupErrorReason;
  /** One line saying what went wrong, naming the server(s). */
  readonly detail: string;
  /** For `bogus`: the validating resolver that failed the data ("host:port"). */
  readonly server?: string;
  /** When the servers gave no usable answer: each try's server and why, beside `detail`'s text. */
  readonly failures?: readonly ServerFailure[];
};

/**
 * The typed outcome of looking up (name, type), CNAMEs followed.
 * `nodata` and `nxdomain` are answers ("absent"); `referral` and `error` mean
 * "could not tell". Judge one with {@link outcomeClass}, whose exhaustive
 * switch makes the compiler ask about every new kind.
 */
export type LookupOutcome<R extends ResourceRecord = ResourceRecord> = AnswerOutcome<R> | NodataOutcome | NxdomainOutcome | ReferralOutcome | ErrorOutcome;

/** An outcome that says the records are not there. */
export type AbsentOutcome = NodataOutcome | NxdomainOutcome;
/** An outcome that says nothing about the records: why is in `detail`. */
export type UnknownOutcome = ReferralOutcome | ErrorOutcome;

export type SrvRecord = ResourceRecord & { readonly type: 'SRV' };
export type AddressRecord = ResourceRecord & { readonly type: 'A' | 'AAAA' };

/** What an outcome says about the records: there, not there, or could not tell. */
export function outcomeClass(outcome: LookupOutcome): 'answer' | 'absent' | 'unknown' {
  switch (outcome.kind) {
    case 'answer':
      return 'answer';
    case 'nodata':
    case 'nxdomain':
      return 'absent';
    case 'referral':
    case 'error':
      return 'unknown';
    default:
      return unreachable(outcome);
  }
}

/** Whether an outcome is an authoritative "not there" (NODATA or NXDOMAIN). */
export function isAbsent(outcome: LookupOutcome | undefined): outcome is AbsentOutcome {
  return outcome !== undefined && outcomeClass(outcome) === 'absent';
}

/** Whether an outcome could not tell (an error, or a referral that was not followed). */
export function isUnknown(outcome: LookupOutcome | undefined): outcome is UnknownOutcome {
  return outcome !== undefined && outcomeClass(outcome) === 'unknown';
}

/** For the compiler: a switch that reaches here has missed a kind. */
export function unreachable(value: never): never {
  throw new Error(`unexpected outcome ${JSON.stringify(value)}`);
}

/** The name at the end of the CNAME chain (the name whose data was sought last). */
export function finalName(outcome: LookupOutcome): string {
  const last = outcome.chain[outcome.chain.length - 1];
  return last === undefined ? outcome.name : last.to;
}

/** "NXDOMAIN" / "NODATA" wording for an absent outcome. */
export function absenceWord(outcome: AbsentOutcome): string {
  return outcome.kind === 'nxdomain' ? 'the name does not exist (NXDOMAIN)' : `the name exists but has no ${outcome.type} records (NODATA)`;
}

/** "ns1.example.net (192.0.2.53), ns2.example.net" for a delegation's servers. */
export function delegationServers(delegation: Delegation): string {
  return delegation.servers.map((s) => (s.addresses.length > 0 ? `${s.name} (${s.addresses.join(', ')})` : s.name)).join(', ');
}
