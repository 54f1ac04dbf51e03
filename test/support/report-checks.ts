/**
 * The judges of fedcheck's machine-readable output, shared by every test that
 * produces some: the published JSON Schema (`schema/fedcheck-report.schema.json`,
 * through Ajv) for `json` and `ndjson`, the real `promtool check metrics` for
 * `prometheus`, and `xmllint --schema` with a JUnit XSD (`test/support/junit.xsd`)
 * for `junit`. {@link runFedcheck} calls {@link assertCliOutput} on every run.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Json } from '../../src/input/json-schema.js';
import { checkNdjsonLine, checkReport } from '../../src/report/report-schema.js';
import { ensurePackages } from './real-servers.js';
import { repoRoot } from './servers.js';

const JUNIT_XSD = join(repoRoot(), 'test', 'support', 'junit.xsd');

/** A `--format json` report: valid JSON and valid against the published report schema. */
export function assertJsonReport(text: string): void {
  const problem = checkReport(JSON.parse(text) as Json);
  assert.equal(problem, undefined, `the JSON report does not match schema/fedcheck-report.schema.json (a new field or value belongs there, with its description): ${problem}`);
}

/** `--format ndjson`: every line valid against the schema's ndjsonLine, the summary (if any) last. */
export function assertNdjsonReport(text: string): void {
  if (text === '') return;
  assert.ok(text.endsWith('\n'), 'ndjson ends with a newline');
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((line, i) => {
    const value = JSON.parse(line) as Json;
    const problem = checkNdjsonLine(value);
    assert.equal(problem, undefined, `ndjson line ${i + 1} does not match schema/fedcheck-report.schema.json#/$defs/ndjsonLine: ${problem}`);
    const type = (value as { type?: unknown }).type;
    if (type === 'summary') assert.equal(i, lines.length - 1, 'the summary line is the last');
  });
}

/** What a checking tool said. */
interface ToolRun {
  readonly status: number | null;
  readonly output: string;
}

function runTool(command: string, args: readonly string[], input: string): ToolRun {
  const result = spawnSync(command, args, { input, encoding: 'utf8', timeout: 30_000 });
  if (result.error !== undefined) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

/** `promtool check metrics` (lint included) on Prometheus text exposition. */
export function promtoolCheck(text: string): ToolRun {
  ensurePackages(['prometheus']);
  return runTool('/usr/bin/promtool', ['check', 'metrics'], text);
}

/** `--format prometheus`: `promtool check metrics` finds nothing to say. */
export function assertPrometheus(text: string): void {
  const run = promtoolCheck(text);
  assert.ok(run.status === 0 && run.output === '', `promtool check metrics: exit ${String(run.status)}: ${run.output}`);
}

/** `xmllint --noout --schema junit.xsd -`: well-formed XML 1.0, valid against the JUnit XSD. */
export function xmllintJunit(text: string): ToolRun {
  ensurePackages(['libxml2-utils']);
  return runTool('/usr/bin/xmllint', ['--noout', '--nonet', '--schema', JUNIT_XSD, '-'], text);
}

/** `--format junit`: xmllint says it is well-formed and valid. */
export function assertJunit(text: string): void {
  const run = xmllintJunit(text);
  assert.equal(run.status, 0, `xmllint --schema junit.xsd: exit ${String(run.status)}: ${run.output}`);
}

/** The format a fedcheck command line asks for (the last --format wins, as in commander). */
function formatOf(args: readonly string[]): string {
  let format = 'table';
  args.forEach((arg, i) => {
    if (arg === '--format') format = args[i + 1] ?? format;
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
  });
  return format;
}

/**
 * Judge what a finished check run wrote to stdout in a machine format. Only a
 * run that ended with a verdict (exit 0–3) wrote a whole report; a report sent
 * to `-o FILE` is judged by the test that reads the file.
 */
export function assertCliOutput(args: readonly string[], code: number | null, stdout: string): void {
  if (code === null || code > 3 || stdout === '') return;
  if (args[0] !== undefined && ['rules', 'explain', 'profiles', 'plan', 'help', 'man'].includes(args[0])) return;
  const judge: Record<string, (text: string) => void> = { json: assertJsonReport, ndjson: assertNdjsonReport, prometheus: assertPrometheus, junit: assertJunit };
  judge[formatOf(args)]?.(stdout);
}

/** The domain named `name` in a parsed JSON report; the test fails when it is not there. */
export function reportDomain<D extends { readonly domain: string }>(report: { readonly domains: readonly D[] }, name: string): D {
  const found = report.domains.find((d) => d.domain === name);
  assert.ok(found, `${name} in the report`);
  return found;
}

/** A domain's one finding of `rule`; the test fails when it has none or several (their messages are shown). */
export function onlyFinding<F extends { readonly rule: string; readonly message: string }>(domain: { readonly domain: string; readonly findings: readonly F[] }, rule: string): F {
  const list = domain.findings.filter((f) => f.rule === rule);
  assert.equal(list.length, 1, `${domain.domain} ${rule}: ${JSON.stringify(list.map((f) => f.message))}`);
  return list[0]!;
}
