/**
 * A one-line progress display on stderr for people watching a long run:
 * shown only on a terminal, only once the run has taken longer than a
 * second (short runs stay clean), redrawn in place with CR and erased at the
 * end, so nothing of it is left in scrollback, logs or pipes.
 */
import type { DomainStatus } from '../check/verdict.js';

/** Where the line goes: stderr, or a stand-in in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  /** Only a TTY gets a progress line. */
  readonly isTTY?: boolean;
  /** Terminal width; the line is cut to fit so it never wraps (a wrapped line cannot be erased with CR). */
  readonly columns?: number;
}

/** Settings of a {@link ProgressLine}. */
export interface ProgressOptions {
  /** Domains in the run. */
  readonly total: number;
  /** Show nothing before this many milliseconds (default 1000). */
  readonly delayMs?: number;
  /** Redraw at most this often (default 250 ms). */
  readonly intervalMs?: number;
}

/** Erase the current line: CR, then EL (erase in line, to the end). */
const ERASE = '\r\u001b[K';

/**
 * The progress line of one run. Call {@link start} before the work,
 * {@link advance} as each domain finishes, {@link hide} before writing other
 * output to the same terminal, and {@link stop} at the end (also on errors).
 * Does nothing at all when the stream is not a TTY. Its timers are unref'd:
 * it never keeps the process alive.
 */
export class ProgressLine {
  private readonly enabled: boolean;
  private readonly delayMs: number;
  private readonly intervalMs: number;
  private readonly counts: Record<DomainStatus, number> = { pass: 0, warn: 0, fail: 0, unknown: 0 };
  private done = 0;
  private startedAt = 0;
  private visible = false;
  private drawn = false;
  private stopped = false;
  private lastDraw = 0;
  private delay: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: ProgressStream,
    private readonly options: ProgressOptions,
  ) {
    this.enabled = stream.isTTY === true;
    this.delayMs = options.delayMs ?? 1000;
    this.intervalMs = options.intervalMs ?? 250;
  }

  /** Start the clock; the line appears after the delay if the run is still going. */
  start(): void {
    if (!this.enabled || this.stopped || this.delay !== undefined) return;
    this.startedAt = performance.now();
    this.delay = setTimeout(() => {
      this.visible = true;
      this.draw();
      this.ticker = setInterval(() => this.draw(), this.intervalMs);
      this.ticker.unref();
    }, this.delayMs);
    this.delay.unref();
  }

  /** One more domain finished with this status. */
  advance(status: DomainStatus): void {
    this.done += 1;
    this.counts[status] += 1;
    // Redraw at once if the line was just erased for other output, or unless the last draw was very
    // recent: a burst of results must not flood the terminal.
    if (this.visible && !this.stopped && (!this.drawn || performance.now() - this.lastDraw >= Math.min(100, this.intervalMs))) this.draw();
  }

  /** Erase the line so other output starts on a clean line; the next tick draws it again. */
  hide(): void {
    if (!this.drawn) return;
    this.stream.write(ERASE);
    this.drawn = false;
  }

  /** Stop for good and erase the line. Safe to call more than once. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.delay);
    clearInterval(this.ticker);
    this.hide();
  }

  /** The text of the line (without control characters), for tests. */
  text(): string {
    const seconds = ((performance.now() - this.startedAt) / 1000).toFixed(1);
    const { fail, unknown, warn } = this.counts;
    const parts = [`fedcheck: ${this.done}/${this.options.total} domains`, `${fail} fail`, `${unknown} unknown`, `${warn} warn`, `${seconds} s`];
    return parts.join(' · ');
  }

  private draw(): void {
    if (this.stopped) return;
    let line = this.text();
    // One column short of the width: writing the last column makes some terminals wrap.
    const width = this.stream.columns;
    if (width !== undefined && width > 1 && line.length > width - 1) line = line.slice(0, width - 1);
    this.stream.write(`${ERASE}${line}`);
    this.drawn = true;
    this.lastDraw = performance.now();
  }
}

/**
 * Wrap a run's `onResult` so that the line advances with every domain and is
 * erased before a streaming format writes to a terminal it may share.
 */
export function withProgress<R extends { readonly status: DomainStatus }>(
  progress: ProgressLine | undefined,
  onResult: ((result: R, index: number) => void) | undefined,
): ((result: R, index: number) => void) | undefined {
  if (progress === undefined) return onResult;
  return (result, index) => {
    if (onResult !== undefined) {
      progress.hide();
      onResult(result, index);
    }
    progress.advance(result.status);
  };
}
