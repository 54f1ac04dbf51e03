/**
 * The report every format renders: the run's result (src/check/run-report.ts)
 * and, with `--since`, what changed since the previous report.
 */
import type { RunResult } from '../check/run-report.js';
import type { Changes } from './diff.js';

export { reportExitCode, summarise, type QueryStats, type RunHead, type RunResult, type Summary } from '../check/run-report.js';

/** The whole result of a run: what every format renders. */
export interface RunReport extends RunResult {
  /** With `--since`: what changed since the previous report (absent otherwise). */
  readonly changes?: Changes;
}
