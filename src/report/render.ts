/**
 * One place that turns a run into output: {@link render} for a whole report in
 * any format, and {@link openReporter}, which the CLI uses around `run()` so
 * that ndjson can stream while the other formats render at the end.
 */
import type { DomainResult } from '../check/check-domain.js';
import { describeChanges, diffReports, nothingToSay } from './diff.js';
import type { ComparableReport } from '../input/previous-report.js';
import { JsonWriter, renderJson, writeJson } from './json.js';
import { HtmlWriter, renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderNagios } from './nagios.js';
import { NdjsonWriter, renderNdjson } from './ndjson.js';
import { openOutput, type Output, type TextSink } from './output.js';
import { renderPrometheus } from './prometheus.js';
import { fileSpools } from './spool.js';
import type { RunHead, RunReport } from './report.js';
export { reportExitCode } from './report.js';
import { renderTable } from './table.js';

/** Every output format; a closed union (the CLI's choices are checked against it). */
export const REPORT_FORMATS = ['table', 'json', 'nagios', 'junit', 'prometheus', 'ndjson', 'html'] as const;

/** An output format. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** How to render. */
export interface RenderOptions {
  /** table: ANSI colours (decided by the caller: a TTY, no NO_COLOR, no `-o`). */
  readonly color?: boolean;
  /** table: list passing findings too. */
  readonly verbose?: boolean;
  /**
   * Only what needs attention: table, json and ndjson show only domains that
   * are not `pass` (ndjson: or that changed), and print nothing at all when
   * every domain passes and nothing changed since `--since`. The JSON
   * `summary` still counts every domain. nagios, junit and prometheus ignore
   * it: a plugin always states its result, CI wants every test case, and a
   * series missing from a textfile looks like a vanished domain. html ignores
   * it too: the page is to be handed on, and it lists the problems first.
   */
  readonly quiet?: boolean;
}

const needsNoAttention = (report: RunReport): boolean => nothingToSay(report.summary, report.changes?.counts);

const notPassing = (report: RunReport): readonly DomainResult[] => report.domains.filter((d) => d.status !== 'pass');

function table(report: RunReport, options: RenderOptions): string {
  if (options.quiet === true && needsNoAttention(report)) return '';
  const domains = options.quiet === true ? notPassing(report) : report.domains;
  // With --quiet and only changes to tell, the empty table is left out.
  const text = domains.length > 0 || options.quiet !== true ? renderTable({ ...report, domains }, { color: options.color === true, verbose: options.verbose === true }) : '';
  if (report.changes === undefined) return text;
  return `${text}${text === '' ? '' : '\n'}${describeChanges(report.changes).join('\n')}\n`;
}

const RENDERERS: { readonly [F in ReportFormat]: (report: RunReport, options: RenderOptions) => string } = {
  table,
  json: (report, options) => renderJson(report, { quiet: options.quiet === true }),
  nagios: (report) => renderNagios(report),
  junit: (report) => renderJunit(report),
  prometheus: (report) => renderPrometheus(report),
  ndjson: (report, options) => renderNdjson(report, { quiet: options.quiet === true }),
  html: (report) => renderHtml(report),
};

/** Render a whole report (with its `changes`, if any) in `format`. Pure. */
export function render(format: ReportFormat, report: RunReport, options: RenderOptions = {}): string {
  return RENDERERS[format](report, options);
}

/** Where and how {@link openReporter} writes. */
export interface ReporterOptions extends RenderOptions {
  /** `-o FILE` (written atomically); undefined or `-` for standard output. */
  readonly output?: string;
  readonly stdout: TextSink;
  /** `--since`: the previous JSON report to compare with. */
  readonly previous?: ComparableReport;
}

/** The output side of one run: hand `keep` and `onResult` to `run()`, then `finish`, and always `close`. */
export interface Reporter {
  /** Whether `run()` must keep every result (false when the format streams). */
  readonly keep: boolean;
  /** Called by `run()` before any domain is checked, with the report's first fields. */
  readonly onStart?: (head: RunHead) => void;
  /** Called by `run()` as each domain finishes, with its place in the input. */
  readonly onResult: ((result: DomainResult, index: number) => void) | undefined;
  /** Write the report (the changes since `previous` added) and put the output in place. */
  finish(report: RunReport): void;
  /** Drop a half-written output file if `finish` did not complete; safe after it. */
  close(): void;
}

/**
 * Open the output (an `-o` file is created now, so a bad path fails before any
 * DNS work) and return the hooks for `run()`. ndjson writes each domain's line
 * as it finishes and holds no results; json (without `--since`) writes each
 * domain in input order as soon as the domains before it are written (its
 * head first: the run's `onStart`); html spools each domain as it finishes;
 * every other format renders at the end.
 */
export function openReporter(format: ReportFormat, options: ReporterOptions): Reporter {
  const output: Output = openOutput(options.output, options.stdout);
  const write = (chunk: string | Uint8Array): void => {
    if (chunk.length > 0) output.write(chunk);
  };
  if (format === 'ndjson') return streaming(new NdjsonWriter(write, { quiet: options.quiet === true, previous: options.previous }), output);
  if (format === 'html') {
    // Each domain is rendered as it finishes and waits in a temp file (src/report/spool.ts): no results are held.
    return streaming(new HtmlWriter(write, { ...(options.previous !== undefined ? { previous: options.previous } : {}), spools: fileSpools() }), output);
  }
  // Without --since (which needs every result at the end), json streams like ndjson.
  if (format === 'json' && options.previous === undefined) return streaming(new JsonWriter(write, { quiet: options.quiet === true }), output);
  return {
    keep: true,
    onResult: undefined,
    finish: (report) => {
      const full = options.previous === undefined ? report : { ...report, changes: diffReports(options.previous, report) };
      if (format === 'json') writeJson(full, write, { quiet: options.quiet === true });
      else write(render(format, full, options));
      output.commit();
    },
    close: () => output.discard(),
  };
}

/** A format's writer that renders each domain as it finishes, then the end of the report. */
interface StreamingWriter {
  /** The report's first fields, before any domain (for a format that writes them first). */
  start?(head: RunHead): void;
  add(result: DomainResult, index: number): void;
  finish(report: RunReport): void;
  /** Let go of what it holds (temp files) when the run did not finish. */
  close?(): void;
}

/** The reporter of a format that streams: it keeps no results. */
function streaming(writer: StreamingWriter, output: Output): Reporter {
  return {
    keep: false,
    ...(writer.start !== undefined ? { onStart: (head: RunHead) => writer.start?.(head) } : {}),
    onResult: (result, index) => writer.add(result, index),
    finish: (report) => {
      writer.finish(report);
      output.commit();
    },
    close: () => {
      writer.close?.();
      output.discard();
    },
  };
}
