import type { QueryType, ResourceRecord } from '../dns/codec.js';
import type { FailureReason } from '../dns/client.js';

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

/** Why a lookup could not tell: the DNS client's reasons plus CNAME-chain faults. */
export type LookupErrorReason = FailureReason | 'cname-loop' | 'cname-limit';

/**
 * The typed outcome of looking up (name, type), CNAMEs followed.
 * `nodata` and `nxdomain` are answers ("absent"); `error` means "could not tell".
 */
export type LookupOutcome<R extends ResourceRecord = ResourceRecord> =
  | ({ readonly kind: 'answer'; readonly name: string; readonly type: QueryType; readonly records: readonly R[]; readonly chain: readonly CnameHop[] } & Provenance)
  | ({ readonly kind: 'nodata'; readonly name: string; readonly type: QueryType; readonly chain: readonly CnameHop[] } & Provenance)
  | ({ readonly kind: 'nxdomain'; readonly name: string; readonly type: QueryType; readonly chain: readonly CnameHop[] } & Provenance)
  | {
      readonly kind: 'error';
      readonly name: string;
      readonly type: QueryType;
      readonly chain: readonly CnameHop[];
      readonly reason: LookupErrorReason;
      /** One line saying what went wrong, naming the server(s). */
      readonly detail: string;
    };

export type SrvRecord = ResourceRecord & { readonly type: 'SRV' };
export type AddressRecord = ResourceRecord & { readonly type: 'A' | 'AAAA' };

/** The name at the end of the CNAME chain (the name whose data was sought last). */
export function finalName(outcome: LookupOutcome): string {
  const last = outcome.chain[outcome.chain.length - 1];
  return last === undefined ? outcome.name : last.to;
}

/** "NXDOMAIN" / "NODATA" wording for an absent outcome. */
export function absenceWord(outcome: LookupOutcome): string {
  return outcome.kind === 'nxdomain' ? 'the name does not exist (NXDOMAIN)' : `the name exists but has no ${outcome.type} records (NODATA)`;
}
