/**
 * `--format nagios`: a monitoring-plugins style result.
 *
 * Line 1: `FEDCHECK <STATE> - <text> | <perfdata>`. STATE follows the exit
 * code (fail → CRITICAL 2, else unknown → UNKNOWN 3, else warn → WARNING 1,
 * else OK 0). Perfdata per the monitoring-plugins guideline,
 * `'label'=value[UOM];[warn];[crit];[min];[max]`:
 * `domains`, `pass`, `warn` (warn threshold 0), `fail` (crit threshold 0),
 * `unknown`, `queries` (c: DNS messages sent, as in the table's summary) and
 * `seconds` (s), and with `--probe` `cert_days`, the fewest days left of any
 * probed certificate (warning threshold `--expiry-warn:`, critical `0:`), and through a
 * resolver `dnssec_secure`, the domains whose answers were all DNSSEC-secure. Following lines (long output): one per domain that is not
 * `pass`, then, with `--since`, the changes. Always printed, also with
 * `--quiet`: a check must always say its state.
 *
 * Everything after the first `|` of *any* line is perfdata to Nagios, so `|`
 * in text is escaped (`\x7c`) along with control characters.
 */
import type { DomainResult } from '../check/check-domain.js';
import { type DomainStatus, EXIT } from '../check/verdict.js';
import { STATUS_SEVERITY } from '../rules/catalogue.js';
import { describeChanges } from './diff.js';
import { reportExitCode, type RunReport } from './report.js';
import { nagiosText } from '../escape.js';
import { fewestDaysLeft } from './certificates.js';

/** Plugin states by exit code. */
export const NAGIOS_STATES = { [EXIT.ok]: 'OK', [EXIT.warn]: 'WARNING', [EXIT.fail]: 'CRITICAL', [EXIT.unknown]: 'UNKNOWN' } as const;

/** Names listed per status on the status line before "and N more". */
const NAMES_ON_STATUS_LINE = 5;

/** Text safe for any line of plugin output: no control characters, no `|` (src/escape.ts). */
export { nagiosText };

function names(domains: readonly DomainResult[], status: DomainStatus): string {
  const all = domains.filter((d) => d.status === status).map((d) => nagiosText(d.domain));
  const listed = all.slice(0, NAMES_ON_STATUS_LINE).join(', ');
  return all.length > NAMES_ON_STATUS_LINE ? `${listed} and ${all.length - NAMES_ON_STATUS_LINE} more` : listed;
}

function statusText(report: RunReport): string {
  const s = report.summary;
  const of = `of ${s.domains} domain${s.domains === 1 ? '' : 's'}`;
  const parts: string[] = [];
  for (const status of ['fail', 'unknown', 'warn'] as const) {
    if (s[status] === 0) continue;
    const listed = names(report.domains, status);
    const head = parts.length === 0 ? `${s[status]} ${of} ${status}` : `${s[status]} ${status}`;
    parts.push(listed === '' ? head : `${head}: ${listed}`);
  }
  return parts.length === 0 ? `${s.pass} ${of} pass` : parts.join('; ');
}

/** Perfdata, the guideline's grammar; labels are plain words, so none needs quoting. */
export function perfdata(report: RunReport): string {
  const s = report.summary;
  const q = report.queries;
  const count = (label: string, value: number, warn = '', crit = ''): string => `${label}=${value};${warn};${crit};0;${s.domains}`;
  return [
    `domains=${s.domains};;;0`,
    count('pass', s.pass),
    count('warn', s.warn, '0'),
    count('fail', s.fail, '', '0'),
    count('unknown', s.unknown),
    `queries=${q.udp + q.tcp + (q.tls?.queries ?? 0) + (q.https?.queries ?? 0)}c;;;0`,
    `seconds=${report.seconds}s;;;0`,
    ...certDays(report),
    ...dnssecSecure(report),
  ].join(' ');
}

/** `cert_days` with `--probe`: alert below the --expiry-warn days (warning) and below zero (critical). */
function certDays(report: RunReport): string[] {
  const fewest = fewestDaysLeft(report.domains);
  if (fewest === undefined) return [];
  return [`cert_days=${fewest.days};${fewest.warnDays !== undefined ? `${fewest.warnDays}:` : ''};0:;;`];
}

/** `dnssec_secure` when the DNSSEC state was assessed (through a resolver): no thresholds, --require-dnssec decides. */
function dnssecSecure(report: RunReport): string[] {
  const assessed = report.domains.filter((d) => d.dnssec !== undefined);
  if (assessed.length === 0) return [];
  return [`dnssec_secure=${assessed.filter((d) => d.dnssec?.state === 'secure').length};;;0;${report.summary.domains}`];
}

function domainLine(domain: DomainResult): string {
  // info is as good as pass here: the long output names what needs attention.
  const bad = domain.findings.filter((f) => STATUS_SEVERITY[f.status] > STATUS_SEVERITY.info).sort((a, b) => STATUS_SEVERITY[b.status] - STATUS_SEVERITY[a.status]);
  const worst = bad[0];
  const head = `${nagiosText(domain.domain)}: ${domain.status.toUpperCase()}`;
  if (worst === undefined) return head;
  const others = bad.length > 1 ? ` (also: ${[...new Set(bad.slice(1).map((f) => f.rule))].join(', ')})` : '';
  return `${head} - ${worst.rule}: ${nagiosText(worst.message)}${others}`;
}

/**
 * Long-output lines at most. Nagios 4 keeps 8 KB of plugin output by default
 * and cuts the rest silently; a run over thousands of failing domains says how
 * many lines it left out instead.
 */
export const NAGIOS_MAX_LONG_LINES = 50;

/** Render the Nagios plugin output (ends with a newline). */
export function renderNagios(report: RunReport): string {
  const state = NAGIOS_STATES[reportExitCode(report)];
  const long: string[] = [];
  for (const domain of report.domains) if (domain.status !== 'pass') long.push(domainLine(domain));
  // describeChanges escapes control characters (escaping them again changes nothing); `|` still has to go.
  if (report.changes !== undefined) long.push(...describeChanges(report.changes).map(nagiosText));
  const shown = long.length > NAGIOS_MAX_LONG_LINES ? [...long.slice(0, NAGIOS_MAX_LONG_LINES - 1), `… ${long.length - NAGIOS_MAX_LONG_LINES + 1} more lines not shown (use --format json for all)`] : long;
  return `${[`FEDCHECK ${state} - ${statusText(report)} | ${perfdata(report)}`, ...shown].join('\n')}\n`;
}
