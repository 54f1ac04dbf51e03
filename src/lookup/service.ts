import type { Lookup } from './cache.js';
import { nameKey, type ResourceRecord } from '../dns/codec.js';
import { isAbsent, type AddressRecord, type LookupOutcome, type SrvRecord } from './types.js';

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

const NONE: readonly never[] = Object.freeze([]);

/** `records` itself when every record passes `keep` (as in nearly every answer), else the ones that do. */
function only<T extends ResourceRecord>(records: readonly ResourceRecord[], keep: (r: ResourceRecord) => r is T): readonly T[] {
  return records.every(keep) ? (records as readonly T[]) : records.filter(keep);
}

const isSrv = (r: ResourceRecord): r is SrvRecord => r.type === 'SRV';
const isAddress = (r: ResourceRecord): r is AddressRecord => r.type === 'A' || r.type === 'AAAA';

/** SRV records of an outcome (empty unless it is an answer). */
export function srvRecords(outcome: LookupOutcome): readonly SrvRecord[] {
  return outcome.kind === 'answer' ? only(outcome.records, isSrv) : NONE;
}

/** Address records of an outcome (empty unless it is an answer). */
export function addressRecords(outcome: LookupOutcome | undefined): readonly AddressRecord[] {
  return outcome?.kind === 'answer' ? only(outcome.records, isAddress) : NONE;
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
  const aaaa = isAbsent(a) ? await lookup(name, 'AAAA') : undefined;
  return { a, aaaa };
}

/** Look up an SRV owner, then every target's addresses ({@link resolveAddresses}). */
export async function resolveService(lookup: Lookup, owner: string): Promise<ServiceResolution> {
  const srv = await lookup(owner, 'SRV');
  const records = srvRecords(srv);
  const names: string[] = [];
  // Distinct targets, as names compare (RFC 4343): SRV sets are mostly one or two records, where a scan
  // beats making a Set; a big one (a TCP answer holds thousands) gets the Set.
  const seen = records.length > 8 ? new Set<string>() : undefined;
  for (const record of records) {
    if (isRootTarget(record.target)) continue;
    const key = nameKey(record.target);
    if (seen !== undefined ? seen.has(key) : names.some((name) => nameKey(name) === key)) continue;
    seen?.add(key);
    names.push(record.target);
  }
  if (names.length === 1) {
    // The common case: one target, without Promise.all's array and promise.
    const { a, aaaa } = await resolveAddresses(lookup, names[0]!);
    return { owner, srv, targets: [{ target: names[0]!, a, aaaa }] };
  }
  const targets = await Promise.all(names.map(async (target): Promise<TargetResolution> => ({ target, ...(await resolveAddresses(lookup, target)) })));
  return { owner, srv, targets };
}
