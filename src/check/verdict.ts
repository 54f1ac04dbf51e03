import { worstStatus, type Status } from '../rules/catalogue.js';
import { EXIT, type VerdictExit } from '../exit-codes.js';

/** Domain statuses: info counts as pass. */
export type DomainStatus = 'pass' | 'warn' | 'fail' | 'unknown';

/** A domain's status is its worst finding: fail > unknown > warn > pass (info counts as pass). */
export function domainStatus(statuses: Iterable<Status>): DomainStatus {
  const worst = worstStatus(statuses);
  return worst === 'info' ? 'pass' : worst;
}

// The exit statuses are defined once, in src/exit-codes.ts; re-exported for the modules that import them from here.
export { EXIT, type VerdictExit } from '../exit-codes.js';

/** 2 if any domain fails, else 3 if any is unknown, else 1 if any warns, else 0. */
export function exitCode(statuses: Iterable<DomainStatus>): VerdictExit {
  const all = [...statuses];
  if (all.includes('fail')) return EXIT.fail;
  if (all.includes('unknown')) return EXIT.unknown;
  if (all.includes('warn')) return EXIT.warn;
  return EXIT.ok;
}
