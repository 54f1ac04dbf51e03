import { errorLine } from './escape.js';
import type { StopStatus } from './exit-codes.js';

// The statuses a stop may carry are defined, with their meaning, in src/exit-codes.ts.
export type { StopStatus } from './exit-codes.js';

/**
 * Stop the run: the CLI prints `fedcheck: <message>` and exits with
 * `exitCode`; never a stack trace.
 */
export class ExitError extends Error {
  constructor(
    message: string,
    readonly exitCode: StopStatus,
  ) {
    // One line for stderr: file names, JSON.parse's quote of the input and config keys can carry
    // control characters (ESC, C1 CSI, newlines); show them escaped, never raw.
    super(errorLine(message));
    this.name = 'ExitError';
  }
}
