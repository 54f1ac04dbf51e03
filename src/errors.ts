/**
 * The exit statuses of a run that stops with one line on stderr, from
 * sysexits.h (README, "Statuses, verdicts and exit codes"):
 *
 * - 64 `EX_USAGE`: bad command line, domain name, resolver address, option value or config;
 *   also a `--since` report that is not a `fedcheck/1` report
 * - 65 `EX_DATAERR`: a zone file that does not parse (the line is named)
 * - 66 `EX_NOINPUT`: an input file (domain list, config, zone file, `--since` report) that cannot be read
 * - 73 `EX_CANTCREAT`: the `--output` file cannot be created
 * - 74 `EX_IOERR`: writing or renaming the `--output` file fails
 */
export type StopStatus = 64 | 65 | 66 | 73 | 74;

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
    super(message.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    this.name = 'ExitError';
  }
}
