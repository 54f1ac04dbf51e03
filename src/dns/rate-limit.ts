/**
 * `--rate N`: at most N queries a second, across every server a run asks,
 * counted where they leave (every datagram, retransmissions included, and
 * every TCP exchange).
 *
 * A token bucket paces the queries (capacity a fiftieth of N, so they leave
 * evenly rather than in bursts a limiter in front of a resolver would
 * refuse), and a log of the last N send times makes the promise exact: a
 * query leaves only if the one N sends before it left at least a second ago,
 * so no one-second window, wherever it starts, holds more than N (a bucket
 * alone allows its capacity on top of N). Both refill continuously, so a run
 * of Q queries takes about Q / N seconds.
 *
 * The clock is injected, so the tests drive it by hand.
 */

/** A clock in milliseconds, monotonic (performance.now()). */
export type Clock = () => number;

const WINDOW_MS = 1000;

/** The largest --rate: the send log holds N timestamps. */
export const MAX_RATE = 1_000_000;

/**
 * Paces and counts the queries of a run. Without a rate it only counts: how
 * many left, and the most that left in any one second (for the report).
 */
export class SendPacer {
  /** Queries sent (taken). */
  sent = 0;
  /** The most queries sent within any one second so far. */
  peakPerSecond = 0;
  /** The limit, or undefined for none. */
  readonly perSecond: number | undefined;
  private readonly now: Clock;
  // Token bucket.
  private readonly capacity: number;
  private tokens: number;
  private refilledAt: number;
  // The last N send times (with a rate): a ring buffer, `log[sent % N]` the oldest.
  private readonly log: Float64Array | undefined;
  // Send times of the last second, for peakPerSecond: a growable ring, head..tail.
  private recent = new Float64Array(1024);
  private head = 0;
  private size = 0;
  private readonly waiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(options: { readonly perSecond?: number; readonly now?: Clock } = {}) {
    this.now = options.now ?? (() => performance.now());
    const rate = options.perSecond;
    if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > MAX_RATE)) throw new RangeError(`rate must be a whole number from 1 to ${MAX_RATE}`);
    this.perSecond = rate;
    this.capacity = rate === undefined ? 0 : Math.max(1, Math.floor(rate / 50));
    this.tokens = this.capacity;
    this.refilledAt = this.now();
    this.log = rate === undefined ? undefined : new Float64Array(rate);
  }

  /** Whether sends are limited (else {@link delayMs} is always 0). */
  get limited(): boolean {
    return this.perSecond !== undefined;
  }

  /** Milliseconds until one more query may leave; 0 when it may now. */
  delayMs(): number {
    const rate = this.perSecond;
    if (rate === undefined) return 0;
    const now = this.now();
    this.refill(now);
    // A token short by a rounding error is a token.
    let wait = this.tokens >= 1 - 1e-9 ? 0 : ((1 - this.tokens) * WINDOW_MS) / rate;
    if (this.sent >= rate) {
      // The send N before this one must be a whole window old.
      const age = now - this.log![this.sent % rate]!;
      if (age < WINDOW_MS) wait = Math.max(wait, WINDOW_MS - age, 1e-6);
    }
    return Math.max(0, wait);
  }

  /** Count one query leaving now. With a rate, call it only when {@link delayMs} is 0. */
  take(): void {
    const now = this.now();
    if (this.perSecond !== undefined) {
      this.refill(now);
      this.tokens -= 1;
      this.log![this.sent % this.perSecond] = now;
    }
    this.sent += 1;
    this.meter(now);
  }

  /** Wait for a turn, first come first served, and take it. */
  acquire(): Promise<void> {
    if (this.waiters.length === 0 && this.delayMs() === 0) {
      this.take();
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      this.schedule();
    });
  }

  /** Sends within the last second. */
  recentCount(now: number = this.now()): number {
    while (this.size > 0 && this.recent[this.head]! <= now - WINDOW_MS) {
      this.head = (this.head + 1) % this.recent.length;
      this.size -= 1;
    }
    return this.size;
  }

  /** For close(): stop the timer and let every waiter go, uncounted (a closed client then sends nothing). */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  private schedule(): void {
    if (this.timer !== undefined || this.waiters.length === 0) return;
    this.timer = setTimeout(this.drain, Math.max(1, Math.ceil(this.delayMs())));
  }

  private readonly drain = (): void => {
    this.timer = undefined;
    while (this.waiters.length > 0 && this.delayMs() === 0) {
      this.take();
      this.waiters.shift()!();
    }
    this.schedule();
  };

  private refill(now: number): void {
    const rate = this.perSecond!;
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) * rate) / WINDOW_MS);
    this.refilledAt = now;
  }

  /** Keep the send times of the last second and the most there ever were. */
  private meter(now: number): void {
    while (this.size > 0 && this.recent[this.head]! <= now - WINDOW_MS) {
      this.head = (this.head + 1) % this.recent.length;
      this.size -= 1;
    }
    if (this.size === this.recent.length) {
      const bigger = new Float64Array(this.recent.length * 2);
      for (let i = 0; i < this.size; i += 1) bigger[i] = this.recent[(this.head + i) % this.recent.length]!;
      this.recent = bigger;
      this.head = 0;
    }
    this.recent[(this.head + this.size) % this.recent.length] = now;
    this.size += 1;
    if (this.size > this.peakPerSecond) this.peakPerSecond = this.size;
  }
}

/**
 * A rate found by asking: for a server that answers REFUSED past a limit of
 * its own (dnsdist MaxQPSIPRule, public resolvers' per-client limits) when
 * no --rate was given. Unlimited until the first REFUSED; then half of what
 * was sent in the last second, halved again on a REFUSED at most once a
 * second, and raised by a quarter for each second without one, until it is
 * unlimited again (AIMD, as TCP's congestion control: back off fast, probe
 * slowly). Queries wait for their turn in a token bucket at that rate.
 */
export class AdaptiveRate {
  /** The rate now, or undefined while unlimited. */
  rate: number | undefined;
  private readonly now: Clock;
  private readonly meter: SendPacer;
  private changedAt = Number.NEGATIVE_INFINITY;
  private tokens = 0;
  private refilledAt: number;
  private readonly waiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(now: Clock = () => performance.now()) {
    this.now = now;
    this.meter = new SendPacer({ now });
    this.refilledAt = now();
  }

  /** The server refused a query. */
  refused(): void {
    const now = this.now();
    if (now - this.changedAt < WINDOW_MS) return;
    this.changedAt = now;
    this.rate = Math.max(MIN_RATE, Math.floor((this.rate ?? this.meter.recentCount(now)) / 2));
    this.tokens = Math.min(this.tokens, 1);
  }

  /** The server answered (anything but REFUSED). */
  answered(): void {
    if (this.rate === undefined) return;
    const now = this.now();
    if (now - this.changedAt < WINDOW_MS) return;
    this.changedAt = now;
    const next = Math.ceil(this.rate * 1.25);
    // Well above what is being sent: the limit no longer matters.
    this.rate = next > 4 * Math.max(MIN_RATE, this.meter.recentCount(now)) ? undefined : next;
    if (this.rate === undefined) this.release();
  }

  /** Wait for a turn (at once while unlimited), and count the send. */
  acquire(): Promise<void> | undefined {
    if (this.rate === undefined) {
      this.meter.take();
      return undefined;
    }
    return new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      if (this.timer === undefined) this.drain();
    });
  }

  /** For close(): stop the timer and let every waiter go, uncounted (a closed client then sends nothing). */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  private release(): void {
    for (const waiter of this.waiters.splice(0)) {
      this.meter.take();
      waiter();
    }
  }

  private readonly drain = (): void => {
    this.timer = undefined;
    const rate = this.rate;
    if (rate === undefined) {
      this.release();
      return;
    }
    const now = this.now();
    const capacity = Math.max(1, rate / 50);
    this.tokens = Math.min(capacity, this.tokens + ((now - this.refilledAt) * rate) / WINDOW_MS);
    this.refilledAt = now;
    while (this.waiters.length > 0 && this.tokens >= 1) {
      this.tokens -= 1;
      this.meter.take();
      this.waiters.shift()!();
    }
    if (this.waiters.length > 0) this.timer = setTimeout(this.drain, Math.max(1, Math.ceil(((1 - this.tokens) * WINDOW_MS) / rate)));
  };
}

/** The slowest an {@link AdaptiveRate} goes. */
const MIN_RATE = 10;
