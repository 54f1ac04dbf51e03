import Table from 'cli-table3';
import type { DomainResult, ReportedFinding } from '../check/check-domain.js';
import { citation, STATUS_SEVERITY, TABLE_COLUMNS, type RuleId, type Status } from '../rules/catalogue.js';
import type { DnssecState } from '../lookup/dnssec.js';
import type { RunReport } from './report.js';
import { escapeControl } from '../escape.js';

/** Rendering options of the table format. */
export interface TableOptions {
  /** ANSI colours (only on a TTY, never with NO_COLOR: decided by the caller). */
  readonly color: boolean;
  /** Also list passing findings. */
  readonly verbose?: boolean;
}

/** Column groups: each rule's catalogue entry names its column; an `optional` group is shown only when some domain in the report has findings in it. */
const GROUPS = TABLE_COLUMNS;

/** The groups shown for this report: the core's always, a profile's when some domain has findings in it. */
function shownGroups(report: RunReport): typeof GROUPS {
  return GROUPS.filter((g) => g.optional !== true || report.domains.some((d) => d.findings.some((f) => g.rules.includes(f.rule))));
}

/** The Profile cell: the profile applied, `(auto)` when auto chose it, `≠` when the records look like another one. */
function profileCell(domain: DomainResult): string {
  const p = domain.profile;
  if (p === undefined) return 'federation';
  const mismatch = domain.findings.some((f) => f.rule === 'profile-mismatch' && f.status === 'info') ? ' ≠' : '';
  return `${p.applied}${p.applied === 'online' && p.cloud !== undefined && p.cloud !== 'worldwide' ? ` ${p.cloud}` : ''}${p.requested === 'auto' ? ' (auto)' : ''}${mismatch}`;
}

const CODES: Record<Status, string> = { pass: '32', info: '36', warn: '33', unknown: '35', fail: '31' };

function paint(text: string, status: Status, color: boolean): string {
  return color ? `\u001b[${CODES[status]}m${text}\u001b[0m` : text;
}

function label(status: Status): string {
  return status === 'fail' ? 'FAIL' : status === 'unknown' ? 'UNKNOWN' : status === 'warn' ? 'WARN' : status;
}

function groupCell(domain: DomainResult, rules: readonly RuleId[], color: boolean): string {
  const findings = domain.findings.filter((f) => rules.includes(f.rule));
  if (findings.length === 0) {
    if (rules.includes('push-srv') && !domain.expectations.mobility) return 'not checked';
    if (rules.includes('xmpp-srv') && domain.expectations.xmpp === 'off') return 'not checked';
    return '-';
  }
  const worst = findings.reduce((a, b) => (STATUS_SEVERITY[b.status] > STATUS_SEVERITY[a.status] ? b : a));
  return paint(label(worst.status), worst.status, color);
}

/** The default human format: one row per domain, then every finding that is not a pass. */
export function renderTable(report: RunReport, options: TableOptions): string {
  const { color } = options;
  const groups = shownGroups(report);
  // A Profile column only when some domain was checked with a profile, so a plain run looks as before.
  const profiles = report.domains.some((d) => d.profile !== undefined);
  // A DNSSEC column when the state was assessed (through a resolver): the state itself, not the rule's status.
  const dnssec = report.domains.some((d) => d.dnssec !== undefined);
  const table = new Table({
    head: ['Domain', 'Status', ...(profiles ? ['Profile'] : []), ...groups.map((g) => g.title), ...(dnssec ? ['DNSSEC'] : [])],
    style: color ? { head: ['bold'] } : { head: [], border: [] },
  });
  for (const domain of report.domains) {
    table.push([
      escapeControl(domain.domain),
      paint(label(domain.status), domain.status, color),
      ...(profiles ? [profileCell(domain)] : []),
      ...groups.map((g) => groupCell(domain, g.rules, color)),
      ...(dnssec ? [dnssecCell(domain, color)] : []),
    ]);
  }
  const lines: string[] = [table.toString(), ''];
  for (const domain of report.domains) {
    const shown = domain.findings.filter((f) => options.verbose === true || f.status !== 'pass');
    if (shown.length === 0) continue;
    lines.push(`${escapeControl(domain.domain)}: ${paint(label(domain.status), domain.status, color)}`);
    for (const finding of [...shown].sort((a, b) => STATUS_SEVERITY[b.status] - STATUS_SEVERITY[a.status])) lines.push(...findingLines(finding, color));
    lines.push('');
  }
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}

/** Colours of the DNSSEC states: secure as pass, bogus as fail; insecure is information, not a fault. */
const DNSSEC_PAINT: Readonly<Record<DnssecState, Status>> = { secure: 'pass', insecure: 'info', bogus: 'fail', unknown: 'unknown' };

function dnssecCell(domain: DomainResult, color: boolean): string {
  const state = domain.dnssec?.state;
  return state === undefined ? '-' : paint(state === 'bogus' ? 'BOGUS' : state, DNSSEC_PAINT[state], color);
}

function findingLines(finding: ReportedFinding, color: boolean): string[] {
  const head = `  ${paint(label(finding.status).padEnd(7), finding.status, color)}  ${finding.rule}: ${escapeControl(finding.message)}`;
  const out = [head];
  if (finding.status === 'fail' || finding.status === 'warn') out.push(`           breaks: ${finding.breaks}`);
  if (finding.status === 'fail') out.push(`           source: ${citation(finding.source)}`);
  return out;
}

function summaryLine(report: RunReport): string {
  const s = report.summary;
  const q = report.queries;
  const sent = q.udp + q.tcp + (q.tls?.queries ?? 0) + (q.https?.queries ?? 0);
  const encrypted = (['tls', 'https'] as const).flatMap((t) => {
    const e = q[t];
    return e === undefined ? [] : [`, ${e.queries} over ${t === 'tls' ? 'TLS' : 'HTTPS'} on ${e.handshakes} connection${e.handshakes === 1 ? '' : 's'}`];
  });
  return (
    `${s.domains} domain${s.domains === 1 ? '' : 's'}: ${s.pass} pass, ${s.warn} warn, ${s.fail} fail, ${s.unknown} unknown` +
    ` · ${sent} queries (${q.tcp} over TCP${encrypted.join('')}) in ${report.seconds.toFixed(2)} s via ` +
    (report.zones !== undefined ? `zone file${report.zones.length === 1 ? '' : 's'} ${report.zones.map(escapeControl).join(', ')}` : report.resolvers.map(escapeControl).join(', '))
  );
}
