/**
 * fedcheck's exit statuses, defined once: the verdict of a run (0–3, the Nagios
 * plugin convention, so monitoring can use it directly) and the statuses of a
 * run that stops with one line on stderr (64–74, from BSD sysexits.h). The CLI,
 * {@link ExitError}, the reports and the README's table (`exitCodeMarkdown`,
 * kept in step by test/docs) all read this table.
 */

/** One exit status: its number, its name in code, the sysexits.h name where it has one, and when it is returned. */
export interface ExitCodeInfo {
  readonly code: number;
  readonly name: string;
  readonly sysexits?: string;
  readonly meaning: string;
}

/** Every exit status fedcheck returns, in numeric order. */
export const EXIT_CODES = [
  { code: 0, name: 'ok', meaning: 'every domain passes' },
  { code: 1, name: 'warn', meaning: 'some domain warns (and none fails or is unknown)' },
  { code: 2, name: 'fail', meaning: 'some domain fails' },
  { code: 3, name: 'unknown', meaning: 'some domain is unknown (and none fails)' },
  {
    code: 64,
    name: 'usage',
    sysexits: 'EX_USAGE',
    meaning: 'bad command line, domain name, resolver address, option value or config (one line on stderr); a `--since` report that is not a `fedcheck/1` report',
  },
  { code: 65, name: 'dataError', sysexits: 'EX_DATAERR', meaning: 'a zone file that does not parse (the line is named); a `--ca` file with no PEM certificate' },
  { code: 66, name: 'noInput', sysexits: 'EX_NOINPUT', meaning: 'an input file (domain list, config, zone file, `--since` report, `--ca` file) that cannot be read' },
  { code: 70, name: 'software', sysexits: 'EX_SOFTWARE', meaning: 'an internal error (one line; set `FEDCHECK_DEBUG=1` for the stack)' },
  { code: 73, name: 'cantCreate', sysexits: 'EX_CANTCREAT', meaning: 'the `--output` file cannot be created' },
  { code: 74, name: 'ioError', sysexits: 'EX_IOERR', meaning: 'writing or renaming the `--output` file fails' },
] as const satisfies readonly ExitCodeInfo[];

type Entry = (typeof EXIT_CODES)[number];

/** The name of an exit status. */
export type ExitName = Entry['name'];

/** Exit statuses by name: `EXIT.usage` is 64. */
export const EXIT = Object.freeze(Object.fromEntries(EXIT_CODES.map((e) => [e.name, e.code]))) as {
  readonly [K in ExitName]: Extract<Entry, { readonly name: K }>['code'];
};

/** An exit status fedcheck returns. */
export type ExitStatus = Entry['code'];

/** An exit status that states a run's verdict (0–3). */
export type VerdictExit = (typeof EXIT)['ok' | 'warn' | 'fail' | 'unknown'];

/** An exit status of a run that stops with one line on stderr (64–74). */
export type StopStatus = Exclude<ExitStatus, VerdictExit>;

/** The README's exit-status table (Markdown), generated from {@link EXIT_CODES}. */
export function exitCodeMarkdown(): string {
  return ['| exit | when |', '|---|---|', ...EXIT_CODES.map((e) => `| ${e.code} | ${e.meaning} |`)].join('\n') + '\n';
}
