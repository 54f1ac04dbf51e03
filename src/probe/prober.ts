/**
 * The probes of a run: at most `concurrency` connections at once across all
 * domains, and each endpoint (mode, address, port, SNI) probed once per run
 * — a hoster's edge shared by thousands of tenant domains is asked once.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { ProbeSettings } from './probe.js';
import type { ProbeOutcome, ProbeTarget } from './types.js';

/** Endpoints whose outcomes a run keeps for reuse (the oldest leave first). */
const REMEMBERED = 4096;

/** Probe settings for a run. */
export interface ProberOptions extends ProbeSettings {
  /** Connections in flight at once (default 16). */
  readonly concurrency?: number;
  /** Days before expiry that `*-cert-expiry` warns (default 30). */
  readonly expiryWarnDays?: number;
}

export class Prober {
  private readonly limit: LimitFunction;
  private readonly seen = new Map<string, Promise<ProbeOutcome>>();
  readonly expiryWarnDays: number;
  /** Probes made (not answered from the per-run memory). */
  probes = 0;

  constructor(private readonly options: ProberOptions) {
    this.limit = pLimit(Math.max(1, options.concurrency ?? 16));
    this.expiryWarnDays = options.expiryWarnDays ?? 30;
  }

  /** The time certificates are judged at. */
  now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Probe an endpoint, or reuse this run's outcome for it. Never rejects. */
  probe(target: ProbeTarget): Promise<ProbeOutcome> {
    const key = `${target.mode} ${target.address} ${target.port} ${target.serverName.toLowerCase()} ${target.streamTo ?? ''}`;
    const known = this.seen.get(key);
    if (known !== undefined) return known;
    this.probes += 1;
    // The probe (node:tls, node:net, the XML parser) is loaded by the first one: a run without --probe never loads it.
    const pending = this.limit(async () => (await import('./probe.js')).probe(target, this.options));
    this.seen.set(key, pending);
    if (this.seen.size > REMEMBERED) this.seen.delete(this.seen.keys().next().value!);
    return pending;
  }
}
