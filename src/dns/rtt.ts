/**
 * Retransmission timeouts from measured round trips, per server: RFC 6298's
 * estimator (made for TCP, used by Unbound for its upstreams), so that a lost
 * UDP datagram is sent again after about one round trip and a bit, not after
 * the whole `--timeout`.
 *
 * - Before any sample the timeout is {@link RttOptions.initialMs} (Unbound
 *   starts at 376 ms; RFC 6298 §2.1 says 1 s, written for TCP handshakes).
 * - First sample R: SRTT = R, RTTVAR = R/2 (§2.2); then RTTVAR = ¾·RTTVAR +
 *   ¼·|SRTT − R| and SRTT = ⅞·SRTT + ⅛·R (§2.3, α = 1/8, β = 1/4).
 * - RTO = SRTT + max(G, 4·RTTVAR), G the clock granularity, within
 *   [floor, ceiling] (§2.4 asks for a floor of 1 s, for TCP; Unbound uses
 *   50 ms for DNS, where a retransmission costs one datagram).
 * - Karn's rule (§3) is not needed: every retransmission carries an ID of its
 *   own, so each answer says which datagram it answers and its round trip is
 *   exact.
 * - Backoff (§5.5) is per question: each retransmission of one question waits
 *   twice as long as the one before ({@link backoff}).
 */

/** Settings of an {@link RttEstimator}. */
export interface RttOptions {
  /** Timeout before any round trip was measured. */
  readonly initialMs?: number;
  /** Smallest timeout. */
  readonly floorMs?: number;
  /** Largest timeout (the attempt's own timeout bounds it anyway). */
  readonly ceilingMs?: number;
}

/** Unbound's RTT_MIN_TIMEOUT: below it, a resolver's queueing under load looks like loss. */
export const RTO_FLOOR_MS = 50;
/** Unbound's UNKNOWN_SERVER_NICENESS: the timeout of a server never measured. */
export const RTO_INITIAL_MS = 376;
/** Unbound's RTT_MAX_TIMEOUT is 120 s; fedcheck's attempts end at --timeout, so a few seconds do. */
export const RTO_CEILING_MS = 8000;
/** Clock granularity G of RFC 6298 §2.4, in ms: performance.now() is finer, event-loop timers are not. */
const GRANULARITY_MS = 1;

/** Smoothed round-trip time and variance of one server, and the retransmission timeout they give. */
export class RttEstimator {
  private srtt: number | undefined;
  private rttvar = 0;
  private readonly initial: number;
  private readonly floor: number;
  private readonly ceiling: number;

  constructor(options: RttOptions = {}) {
    this.floor = options.floorMs ?? RTO_FLOOR_MS;
    this.ceiling = Math.max(this.floor, options.ceilingMs ?? RTO_CEILING_MS);
    this.initial = clamp(options.initialMs ?? RTO_INITIAL_MS, this.floor, this.ceiling);
  }

  /** Samples taken so far. */
  samples = 0;

  /** Take one measured round trip, in milliseconds. */
  sample(rttMs: number): void {
    if (!Number.isFinite(rttMs) || rttMs < 0) return;
    this.samples += 1;
    if (this.srtt === undefined) {
      this.srtt = rttMs;
      this.rttvar = rttMs / 2;
      return;
    }
    this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - rttMs);
    this.srtt = 0.875 * this.srtt + 0.125 * rttMs;
  }

  /** The smoothed round trip, or undefined before the first sample. */
  get smoothedMs(): number | undefined {
    return this.srtt;
  }

  /** How long to wait for an answer before sending the question again. */
  get timeoutMs(): number {
    if (this.srtt === undefined) return this.initial;
    return clamp(this.srtt + Math.max(GRANULARITY_MS, 4 * this.rttvar), this.floor, this.ceiling);
  }
}

/**
 * The wait before a question's next retransmission once it was resent
 * `resent` times: the retransmission timeout of now, doubled for each
 * (RFC 6298 §5.5). The attempt's own deadline bounds it (src/dns/udp.ts).
 */
export function backoff(timeoutMs: number, resent: number): number {
  return timeoutMs * 2 ** resent;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
