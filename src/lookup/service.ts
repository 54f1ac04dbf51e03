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
 * A host's A record (CNAMEs followed), and AAAA only when A is absent: only
 * then does AAAA change a verdict (AAAA-only → warn). An A that could not be
 * looked up leaves AAAA unasked too (the verdict is unknown either way).
 */
export async function resolveAddresses(lookup: Lookup, name: string): Promise<{ readonly a: LookupOutcome; readonly aaaa: LookupOutcome | undefined }> {
  const a = await lookup(name, 'A');
  const aaaa = a.kind === 'nodata' || a.kind === 'nxdomain' ? await lookup(name, 'AAAA') : undefined;
  return { a, aaaa };
}

/** Look up an SRV owner, then every target's addresses ({@link resolveAddresses}). */
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
    names.map(async (target): Promise<TargetResolution> => ({ target, ...(await resolveAddresses(lookup, target)) })),
  );
  return { owner, srv, targets };
}
