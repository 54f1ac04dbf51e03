import type { LookupOutcome } from '../lookup/types.js';
import { addressRecords, srvRecords, type ServiceResolution } from '../lookup/service.js';

/** What one lookup found, as reported in JSON. */
export interface OutcomeRecord {
  readonly result: LookupOutcome['kind'];
  /** CNAME hops followed, as "from -> to". */
  readonly cname: readonly string[];
  /** For `error`: the reason. */
  readonly detail?: string;
  /** Which server answered and how (absent on error). */
  readonly server?: string;
  readonly transport?: 'udp' | 'tcp';
}

/** One SRV target and its addresses. */
export interface TargetRecord {
  readonly name: string;
  readonly a: readonly string[];
  /** null when AAAA was not asked (A answered, so it could not change the verdict). */
  readonly aaaa: readonly string[] | null;
  readonly lookup: OutcomeRecord;
}

/** One SRV owner and what it leads to. */
export interface ServiceRecord {
  readonly name: string;
  readonly lookup: OutcomeRecord;
  readonly srv: readonly { readonly priority: number; readonly weight: number; readonly port: number; readonly target: string }[];
  readonly targets: readonly TargetRecord[];
}

function outcomeRecord(outcome: LookupOutcome): OutcomeRecord {
  const cname = outcome.chain.map((hop) => `${hop.from} -> ${hop.to}`);
  if (outcome.kind === 'error') return { result: 'error', cname, detail: outcome.detail };
  return { result: outcome.kind, cname, server: outcome.server, transport: outcome.transport };
}

/** The records of a resolved service, for the report. */
export function serviceRecord(service: ServiceResolution): ServiceRecord {
  return {
    name: service.owner,
    lookup: outcomeRecord(service.srv),
    srv: srvRecords(service.srv).map((r) => ({ priority: r.priority, weight: r.weight, port: r.port, target: r.target })),
    targets: service.targets.map((t) => ({
      name: t.target,
      a: addressRecords(t.a).filter((r) => r.type === 'A').map((r) => r.address),
      aaaa: t.aaaa === undefined ? null : addressRecords(t.aaaa).filter((r) => r.type === 'AAAA').map((r) => r.address),
      lookup: outcomeRecord(t.a.kind === 'answer' || t.aaaa === undefined ? t.a : t.aaaa.kind === 'answer' ? t.aaaa : t.a),
    })),
  };
}
