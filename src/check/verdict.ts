import { worstStatus, type Status } from '../rules/catalogue.js';

/** Domain statuses: info counts as pass. */
export type DomainStatus = 'pass' | 'warn' | 'fail' | 'unknown';

/** A domain's status is its worst finding: fail > unknown > warn > pass (info counts as pass). */
export function domainStatus(statuses: Iterable<Status>): DomainStatus {
  const worst = worstStatus(statuses);
  return worst === 'info' ? 'pass' : worst;
}

/** Exit status of a run, the Nagios convention. */
export const EXIT = {
  ok: 0,
  warn: 1,
  fail: 2,
  unknown: 3,
  /** Bad command line, domain name, resolver or config (sysexits EX_USAGE). */
  usage: 64,
  /** A zone file that does not parse (sysexits EX_DATAERR). */
  dataError: 65,
  /** An input file that cannot be read (sysexits EX_NOINPUT). */
  noInput: 66,
  /** An unexpected internal error (sysexits EX_SOFTWARE). */
  software: 70,
} as const;

/** An exit status that states a run's verdict (0-3). */
export type VerdictExit = (typeof EXIT)['ok' | 'warn' | 'fail' | 'unknown'];

/** 2 if any domain fails, else 3 if any is unknown, else 1 if any warns, else 0. */
export function exitCode(statuses: Iterable<DomainStatus>): VerdictExit {
  const all = [...statuses];
  if (all.includes('fail')) return EXIT.fail;
  if (all.includes('unknown')) return EXIT.unknown;
  if (all.includes('warn')) return EXIT.warn;
  return EXIT.ok;
}
