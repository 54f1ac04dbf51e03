import type { Lookup } from './cache.js';
import type { AddressRecord, LookupOutcome, SrvRecord } from './types.js';

/** What was learnt about one SRV target. */
export interface TargetResolution {
  readonly target: string;
  /** The A lookup, CNAMEs followed. */
  readonly a: LookupOutcome;
  /**
   * The AAAA lookup, or undefined when it was not needed for a verdict
   * (A answered, or A could not be looked up).
   */
  readonly aaaa: LookupOutcome | undefined;
}

/** An SRV owner and everything its records lead to. */
export interface ServiceResolution {
  readonly owner: string;
  readonly srv: LookupOutcome;
  /** One entry per distinct target other than '.', in record order. */
  readonly targets: readonly TargetResolution[];
}

/** SRV records of an outcome (empty unless it is an answer). */
export function srvRecords(outcome: LookupOutcome): readonly SrvRecord[] {
  return outcome.kind === 'answer' ? outcome.records.filter((r): r is SrvRecord => r.type === 'SRV') : [];
}

/** Address records of an outcome (empty unless it is an answer). */
export function addressRecords(outcome: LookupOutcome | undefined): readonly AddressRecord[] {
  return outcome?.kind === 'answer' ? outcome.records.filter((r): r is AddressRecord => r.type === 'A' || r.type === 'AAAA') : [];
}

/** RFC 2782: a single SRV with target '.' means the service is decidedly not available. */
export function isRootTarget(target: string): boolean {
  return target === '.' || target === '';
}

/**
 * Look up an SRV owner, then every target's A record; AAAA only when A is
 * absent, because only then does it change the verdict (AAAA-only → warn).
 */
export async function resolveService(lookup: Lookup, owner: string): Promise<ServiceResolution> {
  const srv = await lookup(owner, 'SRV');
  const names: string[] = [];
  const seen = new Set<string>();
  for (const record of srvRecords(srv)) {
    if (isRootTarget(record.target)) continue;
    const key = record.target.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    names.push(record.target);
  }
  const targets = await Promise.all(
    names.map(async (target): Promise<TargetResolution> => {
      const a = await lookup(target, 'A');
      const aaaa = a.kind === 'nodata' || a.kind === 'nxdomain' ? await lookup(target, 'AAAA') : undefined;
      return { target, a, aaaa };
    }),
  );
  return { owner, srv, targets };
}
