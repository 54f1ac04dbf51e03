/**
 * Where an SRV target's TLSA records are sought: `_<port>._tcp.<base domain>`
 * (RFC 6698 §3, RFC 7673 §3: the port of the SRV record, the SRV target as
 * the base domain, not the service domain).
 *
 * Two kinds of alias:
 * - the TLSA owner itself may be a CNAME (RFC 6698 Appendix A.2.1, records
 *   shared by many hosts): the lookup follows it like any other, and its
 *   DNSSEC state is the whole chain's (the AD bit of the answer holding it);
 * - the SRV target may be a CNAME, which RFC 2782 forbids but deployments
 *   have (sipfed-target-alias reports it). RFC 7671 §7: when every step of
 *   the expansion is DNSSEC-secure, the expanded name is the preferred base
 *   domain, and the original name is asked when the expanded one has no
 *   TLSA records; an insecure expansion leaves the original name.
 */
import { nameKey } from '../dns/name-text.js';
import type { Lookup } from './cache.js';
import { outcomeDnssec } from './dnssec.js';
import { finalName, type LookupOutcome } from './types.js';

/** The TLSA owner for a port and base domain (no trailing dot). */
export function tlsaOwner(port: number, baseDomain: string): string {
  return `_${port}._tcp.${baseDomain.replace(/\.$/, '')}`;
}

/**
 * The securely CNAME-expanded name of an SRV target, from its address
 * answers (A, and AAAA when asked), or undefined when the target is no alias
 * or its expansion is not secure (RFC 7671 §7). The resolver's AD bit covers
 * the whole chain in the answer (RFC 4035 §3.2.3), so a secure answer or
 * NODATA that followed CNAMEs vouches for every step.
 */
export function secureExpansion(addressAnswers: readonly (LookupOutcome | undefined)[]): string | undefined {
  for (const outcome of addressAnswers) {
    if (outcome === undefined || outcome.chain.length === 0) continue;
    if (outcomeDnssec(outcome) !== 'secure') return undefined;
    return finalName(outcome).replace(/\.$/, '');
  }
  return undefined;
}

/** The TLSA lookup chosen for a target: where it was asked last, and what came back. */
export interface TlsaRecordsLookup {
  readonly owner: string;
  readonly outcome: LookupOutcome;
  /**
   * The TLSA base domain `owner` was made from: the securely expanded name when the records were
   * sought there and it had some (or the lookup could not tell), else the target itself. RFC 7671 §7:
   * a client sends it as SNI and takes it as the primary reference identifier.
   */
  readonly baseDomain: string;
  /** Set when the target is a secure alias: the expanded name's TLSA owner, asked first. */
  readonly expandedOwner?: string;
  /** Set when the target is a secure alias: its securely expanded name. */
  readonly expandedName?: string;
}

/**
 * Ask for the TLSA records of `target`:`port`: at the securely expanded name
 * first when the target is an alias, then, only when that name has no TLSA
 * records (NXDOMAIN or NODATA), at the original one. A lookup there that could
 * not tell (a timeout, a bogus answer) is the result as it is: falling back
 * past it would let a forged or broken answer pick the records.
 */
export async function lookupTlsaRecords(lookup: Lookup, target: string, port: number, addressAnswers: readonly (LookupOutcome | undefined)[]): Promise<TlsaRecordsLookup> {
  const original = tlsaOwner(port, target);
  const name = target.replace(/\.$/, '');
  const expanded = secureExpansion(addressAnswers);
  if (expanded !== undefined && nameKey(expanded) !== nameKey(name)) {
    const expandedOwner = tlsaOwner(port, expanded);
    const outcome = await lookup(expandedOwner, 'TLSA');
    if (outcome.kind !== 'nxdomain' && outcome.kind !== 'nodata') return { owner: expandedOwner, outcome, baseDomain: expanded, expandedOwner, expandedName: expanded };
    return { owner: original, outcome: await lookup(original, 'TLSA'), baseDomain: name, expandedOwner, expandedName: expanded };
  }
  return { owner: original, outcome: await lookup(original, 'TLSA'), baseDomain: name };
}
