/**
 * `--format junit`: JUnit XML for CI systems (the Ant / Jenkins / GitLab
 * dialect).
 *
 * - `<testsuites name="fedcheck">` with totals and the run time;
 * - one `<testsuite name="DOMAIN">` per domain, with properties `status`
 *   (the domain verdict), `input` (the name as given) and, through a
 *   resolver, `dnssec` (the DNSSEC state: secure, insecure, bogus, unknown);
 * - one `<testcase classname="DOMAIN" name="RULE RECORD-NAME">` per finding:
 *   - fail → `<failure type="fail" message="…">` message, what breaks, source;
 *   - unknown → `<error type="unknown" message="could not tell: …">`: the check
 *     could not be completed (no usable DNS answer). It is not a failure (no
 *     requirement was found violated), but not a pass either, and JUnit's
 *     `error` ("could not complete") says exactly that, where `skipped` would
 *     show a DNS outage as green;
 *   - warn → a passing test case with `<system-out>WARN: …</system-out>`;
 *   - info → a passing test case with `<system-out>INFO: …</system-out>`;
 *   - pass → an empty passing test case;
 * - with `--since`, a last `<testsuite name="fedcheck changes">`: one passing
 *   test case per change (classname "fedcheck changes", name "KIND NAME"),
 *   the change in `<system-out>`, counts as properties. Changes are news, not
 *   failures: the findings above already fail.
 *
 * Text is XML 1.0: `& < > " '` escaped; control characters, which XML 1.0
 * forbids (C0 other than tab/LF/CR) or which could drive a terminal showing
 * the file (DEL, C1), as well as lone surrogates and U+FFFE/U+FFFF, are shown
 * as `\xNN` / `\uNNNN` text. `--quiet` does not apply: CI wants every case.
 */
import { citation } from '../rules/catalogue.js';
import type { DomainResult, ProblemFinding, ReportedFinding } from '../check/check-domain.js';
import { CHANGE_KINDS, describeDomainChange, describeRecordChange, describeRuleChange, type Changes } from './diff.js';
import type { RunReport } from './report.js';
import { xmlEscape, xmlSafe, xmlText } from '../escape.js';

/** An attribute value from any text. */
const attr = xmlText;
/** Element content from lines of any text, joined by line breaks (the line breaks we put in are kept). */
const body = (lines: readonly string[]): string => xmlEscape(lines.map(xmlSafe).join('\n'));

/** JUnit's timestamp: ISO 8601 without zone or fraction (the value is UTC). */
function timestamp(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})/.exec(iso);
  return m?.[1] ?? iso;
}

function testcase(domain: DomainResult, finding: ReportedFinding): string[] {
  const open = `    <testcase classname="${attr(domain.domain)}" name="${attr(`${finding.rule} ${finding.name}`)}"`;
  const source = (f: ProblemFinding): string => `source: ${citation(f.source)} <${f.source.url}>`;
  switch (finding.status) {
    case 'pass':
      return [`${open}/>`];
    case 'fail':
      return [
        `${open}>`,
        `      <failure type="fail" message="${attr(finding.message)}">${body([finding.message, `breaks: ${finding.breaks}`, source(finding)])}</failure>`,
        '    </testcase>',
      ];
    case 'unknown':
      return [
        `${open}>`,
        `      <error type="unknown" message="${attr(`could not tell: ${finding.reason ?? finding.message}`)}">${body([finding.message])}</error>`,
        '    </testcase>',
      ];
    case 'warn':
      return [`${open}>`, `      <system-out>${body([`WARN: ${finding.message}`, `breaks: ${finding.breaks}`, source(finding)])}</system-out>`, '    </testcase>'];
    case 'info':
      return [`${open}>`, `      <system-out>${body([`INFO: ${finding.message}`])}</system-out>`, '    </testcase>'];
  }
}

const property = (name: string, value: string | number): string => `      <property name="${attr(name)}" value="${attr(String(value))}"/>`;

function suite(domain: DomainResult, stamp: string): string[] {
  const failures = domain.findings.filter((f) => f.status === 'fail').length;
  const errors = domain.findings.filter((f) => f.status === 'unknown').length;
  return [
    `  <testsuite name="${attr(domain.domain)}" tests="${domain.findings.length}" failures="${failures}" errors="${errors}" skipped="0" timestamp="${stamp}">`,
    '    <properties>',
    property('status', domain.status),
    property('input', domain.input),
    ...(domain.dnssec !== undefined ? [property('dnssec', domain.dnssec.state)] : []),
    '    </properties>',
    ...domain.findings.flatMap((f) => testcase(domain, f)),
    '  </testsuite>',
  ];
}

/** The name of the changes test suite; it has a space, so no domain can clash with it. */
export const CHANGES_SUITE = 'fedcheck changes';

function changesSuite(changes: Changes, stamp: string): string[] {
  const cases = [
    ...changes.domains.map((c) => ({ name: `${c.kind} ${c.domain}`, text: describeDomainChange(c) })),
    ...changes.rules.map((c) => ({ name: `rule ${c.domain} ${c.rule} ${c.name}`, text: describeRuleChange(c) })),
    ...changes.records.map((c) => ({ name: `record ${c.name} ${c.type}`, text: describeRecordChange(c) })),
  ];
  return [
    `  <testsuite name="${CHANGES_SUITE}" tests="${cases.length}" failures="0" errors="0" skipped="0" timestamp="${stamp}">`,
    '    <properties>',
    property('since', changes.since),
    ...CHANGE_KINDS.map((k) => property(k, changes.counts[k])),
    '    </properties>',
    // describe*Change escaped control characters already; escaping them again changes nothing (backslashes are kept).
    ...cases.map((c) => `    <testcase classname="${CHANGES_SUITE}" name="${attr(c.name)}">\n      <system-out>${xmlText(c.text)}</system-out>\n    </testcase>`),
    '  </testsuite>',
  ];
}

/** Render the JUnit XML document (ends with a newline). */
export function renderJunit(report: RunReport): string {
  const stamp = timestamp(report.startedAt);
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const d of report.domains) {
    tests += d.findings.length;
    failures += d.findings.filter((f) => f.status === 'fail').length;
    errors += d.findings.filter((f) => f.status === 'unknown').length;
  }
  const changes = report.changes;
  if (changes !== undefined) tests += changes.domains.length + changes.rules.length + changes.records.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="fedcheck" tests="${tests}" failures="${failures}" errors="${errors}" skipped="0" time="${report.seconds}" timestamp="${stamp}">`,
    ...report.domains.flatMap((d) => suite(d, stamp)),
    ...(changes === undefined ? [] : changesSuite(changes, stamp)),
    '</testsuites>',
    '',
  ].join('\n');
}
