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
 * Without --rate, the same bucket paces a server at the rate it showed by
 * answering REFUSED ({@link AdaptiveRate}), its rate changed as it goes.
 *
 * The clock is injected, so the tests drive it by hand.
 */

/** A clock in milliseconds, monotonic (performance.now()). */
export type Clock = () => number;

const WINDOW_MS = 1000;

/** The largest --rate: the send log holds N timestamps. */
export const MAX_RATE = 1_000_000;

/**
 * Paces and counts queries: one token bucket, and with a rate given when it
 * is made (--rate) the send log too. Without a rate it only counts: how many
 * left, and the most that left in any one second (for the report). The rate
 * of a pacer made without one can be changed ({@link setRate}): that is how
 * an {@link AdaptiveRate} paces a server at the rate it found.
 */
export class SendPacer {
  /** Queries sent (taken). */
  sent = 0;
  /** The most queries sent within any one second so far. */
  peakPerSecond = 0;
  private rate: number | undefined;
  private readonly now: Clock;
  // Token bucket.
  private capacity: number;
  private tokens: number;
  private refilledAt: number;
  // The last N send times (with a rate given when made): a ring buffer, `log[sent % N]` the oldest.
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
    this.rate = rate;
    this.capacity = capacityOf(rate);
    this.tokens = this.capacity;
    this.refilledAt = this.now();
    this.log = rate === undefined ? undefined : new Float64Array(rate);
  }

  /** The limit now, or undefined for none. */
  get perSecond(): number | undefined {
    return this.rate;
  }

  /** Whether sends are limited (else {@link delayMs} is always 0). */
  get limited(): boolean {
    return this.rate !== undefined;
  }

  /**
   * Pace at `perSecond` from now on (undefined: no limit), and serve the
   * waiters by it. The bucket keeps what it held, but at most one token
   * when the rate goes down, so a burst saved at the old rate does not
   * leave at once. A pacer made with a rate keeps it: its send log holds
   * exactly that many times, and --rate is a promise.
   */
  setRate(perSecond: number | undefined): void {
    if (this.log !== undefined) throw new Error('a pacer made with a rate (--rate) keeps it');
    if (perSecond !== undefined && !(Number.isInteger(perSecond) && perSecond >= 1)) throw new RangeError('rate must be a whole number of at least 1');
    const before = this.rate;
    const now = this.now();
    if (before !== undefined) this.refill(now);
    this.rate = perSecond;
    this.capacity = capacityOf(perSecond);
    this.refilledAt = now;
    if (before === undefined) this.tokens = this.capacity;
    else if (perSecond === undefined || perSecond < before) this.tokens = Math.min(this.tokens, 1);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.drain();
  }

  /** Milliseconds until one more query may leave; 0 when it may now. */
  delayMs(): number {
    const rate = this.rate;
    if (rate === undefined) return 0;
    const now = this.now();
    this.refill(now);
    // A token short by a rounding error is a token.
    let wait = this.tokens >= 1 - 1e-9 ? 0 : ((1 - this.tokens) * WINDOW_MS) / rate;
    const log = this.log;
    if (log !== undefined && this.sent >= log.length) {
      // The send N before this one must be a whole window old.
      const age = now - log[this.sent % log.length]!;
      if (age < WINDOW_MS) wait = Math.max(wait, WINDOW_MS - age, 1e-6);
    }
    return Math.max(0, wait);
  }

  /** Count one query leaving now. With a rate, call it only when {@link delayMs} is 0. */
  take(): void {
    const now = this.now();
    if (this.rate !== undefined) {
      this.refill(now);
      this.tokens -= 1;
    }
    if (this.log !== undefined) this.log[this.sent % this.log.length] = now;
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
    const rate = this.rate!;
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

/** The bucket of a rate: a fiftieth of a second's worth, at least one query (none without a rate). */
function capacityOf(rate: number | undefined): number {
  return rate === undefined ? 0 : Math.max(1, Math.floor(rate / 50));
}

/**
 * About how many queries left in the last second, in three numbers rather
 * than a log of times: the count of the current whole second and of the one
 * before, that one weighted by how much of it the last second still covers
 * (the sliding-window estimate of rate limiters). Cheap enough to keep for
 * every server a client asks, so that a server's first REFUSED knows the
 * rate that provoked it.
 */
export class SendCount {
  private start = Number.NEGATIVE_INFINITY;
  private current = 0;
  private previous = 0;

  /** One query left at `now`. */
  add(now: number): void {
    this.roll(now);
    this.current += 1;
  }

  /** About how many left in the second before `now`. */
  recent(now: number): number {
    this.roll(now);
    return this.current + this.previous * Math.max(0, 1 - (now - this.start) / WINDOW_MS);
  }

  private roll(now: number): void {
    const elapsed = now - this.start;
    if (elapsed < WINDOW_MS) return;
    const windows = Math.floor(elapsed / WINDOW_MS);
    this.previous = windows === 1 ? this.current : 0;
    this.current = 0;
    this.start = Number.isFinite(this.start) ? this.start + windows * WINDOW_MS : now;
  }
}

/**
 * A rate found by asking: for a server that answers REFUSED past a limit of
 * its own (dnsdist MaxQPSIPRule, public resolvers' per-client limits) when
 * no --rate was given. Made at the server's first REFUSED, at half of what
 * was sent to it in the last second; halved again on a REFUSED at most once
 * a second, and raised by a quarter for each second without one, until it is
 * unlimited again (AIMD, as TCP's congestion control: back off fast, probe
 * slowly). Queries wait for their turn in the {@link SendPacer} at that rate,
 * which also counts them.
 */
export class AdaptiveRate {
  /** The bucket at the found rate, and the count of what left for the server since its first REFUSED. */
  readonly pacer: SendPacer;
  private readonly now: Clock;
  private changedAt: number;

  /** At a server's first REFUSED: `recent` queries left for it in the last second. */
  constructor(recent: number, now: Clock = () => performance.now()) {
    this.now = now;
    this.pacer = new SendPacer({ now });
    this.changedAt = now();
    this.pacer.setRate(halved(recent));
  }

  /** The rate now, or undefined while unlimited. */
  get rate(): number | undefined {
    return this.pacer.perSecond;
  }

  /** The server refused a query. */
  refused(): void {
    const now = this.now();
    if (now - this.changedAt < WINDOW_MS) return;
    this.changedAt = now;
    this.pacer.setRate(halved(this.rate ?? this.pacer.recentCount(now)));
  }

  /** The server answered (anything but REFUSED). */
  answered(): void {
    const rate = this.rate;
    if (rate === undefined) return;
    const now = this.now();
    if (now - this.changedAt < WINDOW_MS) return;
    this.changedAt = now;
    const next = Math.ceil(rate * 1.25);
    // Well above what is being sent: the limit no longer matters.
    this.pacer.setRate(next > 4 * Math.max(MIN_RATE, this.pacer.recentCount(now)) ? undefined : next);
  }

  /** Wait for a turn (at once while unlimited), and count the send. */
  acquire(): Promise<void> | undefined {
    if (!this.pacer.limited) {
      this.pacer.take();
      return undefined;
    }
    return this.pacer.acquire();
  }

  /** For close(): stop the timer and let every waiter go, uncounted (a closed client then sends nothing). */
  stop(): void {
    this.pacer.stop();
  }
}

/** The slowest an {@link AdaptiveRate} goes. */
const MIN_RATE = 10;

function halved(rate: number): number {
  return Math.max(MIN_RATE, Math.floor(rate / 2));
}
