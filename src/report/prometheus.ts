/**
 * `--format prometheus`: a node_exporter textfile-collector file (Prometheus
 * text exposition format 0.0.4; write it with `-o DIR/fedcheck.prom`, which
 * writes a temp file and renames it into place). No timestamps: the collector
 * stamps samples at scrape time.
 *
 * Metrics:
 * - `fedcheck_domain_status{domain,status}` gauge, a state set: one series per
 *   status (pass, warn, fail, unknown), 1 for the domain's verdict and 0 for
 *   the other three — the Prometheus idiom for an enum (client libraries'
 *   Enum / StateSet), so `fedcheck_domain_status{status="fail"} == 1` selects
 *   failing domains and no series disappears when a verdict changes.
 * - `fedcheck_rule_status{domain,rule}` gauge: the worst status of the rule's
 *   findings for the domain, as a number — 0 pass (or info), 1 warn, 2 fail,
 *   3 unknown (the Nagios exit codes). A number, not a state set, to keep one
 *   series per (domain, rule): a state set would be five per rule, some fifty
 *   per domain, too many across thousands of domains.
 * - `fedcheck_domains{status}` gauge: domains by verdict (cheap for dashboards).
 * - `fedcheck_run_seconds` gauge: duration of the run.
 * - `fedcheck_queries_total{result}` counter: DNS questions by final outcome
 *   after retries (response, timeout, servfail, refused, formerr, notimp,
 *   rcode, malformed, network). Each run starts from zero, which Prometheus
 *   treats as a counter reset.
 * - `fedcheck_dns_messages_total{transport}` counter: DNS messages sent (udp, tcp; tls, https when used).
 * - `fedcheck_last_run_timestamp_seconds` gauge: Unix time the run finished.
 * - `fedcheck_build_info{version}` gauge, always 1.
 * - With `--probe`: `fedcheck_cert_expiry_timestamp_seconds{domain}` gauge, the
 *   Unix time of the earliest expiry among the certificates on the validated
 *   paths of every probed SRV target address of the domain (`… - time() <
 *   86400 * 14` alerts two weeks ahead). Domains without a completed handshake have no series.
 * - Through a resolver: `fedcheck_dnssec_secure{domain}` gauge, 1 when every SRV
 *   and target address answer of the domain was DNSSEC-secure (the resolver set
 *   AD), else 0 (insecure, bogus or could not tell: `fedcheck_rule_status{rule="dnssec-srv"}` says which).
 * - With `--since`: `fedcheck_changes{kind}` gauge, changes since the previous
 *   report by kind (a per-run count, hence a gauge without `_total`).
 *
 * Label values escape `\`, `"` and line feed as the format requires; other
 * control characters (names from DNS) are shown as `\xNN` first. `--quiet`
 * does not apply: a series missing from the file would look like a vanished
 * domain, not a passing one.
 */
import { domainStatus, type DomainStatus } from '../check/verdict.js';
import type { RuleId, Status } from '../rules/catalogue.js';
import { CHANGE_KINDS } from './diff.js';
import { earliestExpiry } from './certificates.js';
import type { RunReport } from './report.js';
import { prometheusHelp, prometheusLabel } from '../escape.js';

/** Values of `fedcheck_rule_status`: the Nagios exit codes. */
export const RULE_STATUS_VALUES: Readonly<Record<DomainStatus, number>> = { pass: 0, warn: 1, fail: 2, unknown: 3 };

const DOMAIN_STATUSES: readonly DomainStatus[] = ['pass', 'warn', 'fail', 'unknown'];

/** A label value for the text format (src/escape.ts). */
export const labelValue = prometheusLabel;

type Labels = Readonly<Record<string, string>>;

class Exposition {
  private readonly lines: string[] = [];

  family(name: string, type: 'gauge' | 'counter', help: string, samples: Iterable<readonly [Labels, number]>): void {
    this.lines.push(`# HELP ${name} ${prometheusHelp(help)}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const pairs = Object.entries(labels).map(([k, v]) => `${k}="${labelValue(v)}"`);
      this.lines.push(`${name}${pairs.length > 0 ? `{${pairs.join(',')}}` : ''} ${formatValue(value)}`);
    }
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(value);
}

/** Worst status per rule of a domain, in the order the rules were reported. */
function ruleStatuses(findings: readonly { readonly rule: RuleId; readonly status: Status }[]): Map<RuleId, DomainStatus> {
  const byRule = new Map<RuleId, Status[]>();
  for (const f of findings) {
    const list = byRule.get(f.rule);
    if (list === undefined) byRule.set(f.rule, [f.status]);
    else list.push(f.status);
  }
  return new Map([...byRule].map(([rule, statuses]) => [rule, domainStatus(statuses)]));
}

/** Render the textfile-collector file (ends with a newline). */
export function renderPrometheus(report: RunReport): string {
  const out = new Exposition();
  out.family(
    'fedcheck_domain_status',
    'gauge',
    'Verdict of each SIP domain in the last fedcheck run: 1 for the status it has, 0 for the others.',
    report.domains.flatMap((d) => DOMAIN_STATUSES.map((status): [Labels, number] => [{ domain: d.domain, status }, d.status === status ? 1 : 0])),
  );
  out.family(
    'fedcheck_rule_status',
    'gauge',
    'Worst status of a rule for a SIP domain in the last fedcheck run: 0 pass or info, 1 warn, 2 fail, 3 unknown.',
    report.domains.flatMap((d) => [...ruleStatuses(d.findings)].map(([rule, status]): [Labels, number] => [{ domain: d.domain, rule }, RULE_STATUS_VALUES[status]])),
  );
  out.family(
    'fedcheck_domains',
    'gauge',
    'SIP domains checked in the last fedcheck run, by verdict.',
    DOMAIN_STATUSES.map((status): [Labels, number] => [{ status }, report.summary[status]]),
  );
  out.family('fedcheck_run_seconds', 'gauge', 'Duration of the last fedcheck run in seconds.', [[{}, report.seconds]]);
  out.family(
    'fedcheck_queries_total',
    'counter',
    'DNS questions of the last fedcheck run by final outcome after retries.',
    Object.entries(report.queries.outcomes).map(([result, n]): [Labels, number] => [{ result }, n]),
  );
  out.family('fedcheck_dns_messages_total', 'counter', 'DNS messages sent in the last fedcheck run, by transport.', [
    [{ transport: 'udp' }, report.queries.udp],
    [{ transport: 'tcp' }, report.queries.tcp],
    // DNS over TLS and HTTPS, when used (absent otherwise, as in the JSON report).
    ...(report.queries.tls !== undefined ? [[{ transport: 'tls' }, report.queries.tls.queries] as [Labels, number]] : []),
    ...(report.queries.https !== undefined ? [[{ transport: 'https' }, report.queries.https.queries] as [Labels, number]] : []),
  ]);
  const finished = Date.parse(report.startedAt) / 1000 + report.seconds;
  out.family('fedcheck_last_run_timestamp_seconds', 'gauge', 'Unix time at which the last fedcheck run finished.', [[{}, Math.round(finished * 1000) / 1000]]);
  out.family('fedcheck_build_info', 'gauge', 'The fedcheck version that wrote this file; always 1.', [[{ version: report.tool.version }, 1]]);
  const expiries = report.domains.flatMap((d): [Labels, number][] => {
    const t = earliestExpiry(d);
    return t === undefined ? [] : [[{ domain: d.domain }, t]];
  });
  if (expiries.length > 0) {
    out.family('fedcheck_cert_expiry_timestamp_seconds', 'gauge', 'Unix time of the earliest certificate expiry on the SRV targets of a SIP domain (--probe).', expiries);
  }
  const assessed = report.domains.filter((d) => d.dnssec !== undefined);
  if (assessed.length > 0) {
    out.family(
      'fedcheck_dnssec_secure',
      'gauge',
      'Whether every SRV and target address answer of a SIP domain was DNSSEC-secure (AD set by the resolver) in the last fedcheck run: 1 secure, 0 not.',
      assessed.map((d): [Labels, number] => [{ domain: d.domain }, d.dnssec?.state === 'secure' ? 1 : 0]),
    );
  }
  const changes = report.changes;
  if (changes !== undefined) {
    out.family(
      'fedcheck_changes',
      'gauge',
      'Changes since the previous fedcheck report (--since), by kind.',
      CHANGE_KINDS.map((kind): [Labels, number] => [{ kind }, changes.counts[kind]]),
    );
  }
  return out.toString();
}
