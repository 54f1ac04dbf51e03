/**
 * `--format ndjson`: newline-delimited JSON for huge domain lists, written as
 * the run goes so that nothing is held in memory. Line types:
 *
 * - `{"type":"domain", …}` — one per domain, in the order the domains
 *   *finish* (not input order): every field of a domain of the JSON report
 *   (`domain`, `input`, `status`, `expectations`, `findings`, `records`). With
 *   `--since`, also `"changes": {"status": DomainChange|null, "rules": [...],
 *   "records": [...]}` for that domain (see `diff.ts`).
 * - `{"type":"summary", …}` — last: the JSON report without `domains`
 *   (`schema`, `tool`, `startedAt`, `seconds`, `resolvers`, `mode`, `summary`,
 *   `queries`, …). With `--since`, `"changes": {"since", "counts",
 *   "removed"}`: the counts by kind and the domains of the previous report
 *   not checked this time. A file without a summary line is from a run that
 *   did not finish.
 *
 * With `--quiet`, domain lines only for domains that are not `pass` or that
 * changed; nothing at all (no summary either) when every domain passes and
 * nothing changed. Strings are JSON-escaped, C0 by JSON.stringify, DEL and C1
 * as `\u00XX` as well, so no line can carry a raw control character.
 */
import type { DomainResult } from '../check/check-domain.js';
import { nameKey } from '../dns/name-text.js';
import { ChangeTracker, isUnchanged, nothingToSay, type DomainChanges, type StreamedChanges, type Changes } from './diff.js';
import type { ComparableReport } from '../input/previous-report.js';
import { escapeJsonText } from '../escape.js';
import type { RunReport } from './report.js';

/** One compact JSON line; DEL and C1 escaped too (they only occur inside strings, where `\u` is valid). */
export function jsonLine(value: unknown): string {
  return `${escapeJsonText(JSON.stringify(value))}\n`;
}

/** The `domain` line of one result. */
export function domainLine(result: DomainResult, changes?: DomainChanges): string {
  return jsonLine({ type: 'domain', ...result, ...(changes === undefined ? {} : { changes }) });
}

/** The closing `summary` line. */
export function summaryLine(report: RunReport, changes?: StreamedChanges): string {
  const { domains: _domains, changes: _changes, ...rest } = report;
  return jsonLine({ type: 'summary', ...rest, ...(changes === undefined ? {} : { changes }) });
}

/** Rendering options of the ndjson format. */
export interface NdjsonOptions {
  readonly quiet: boolean;
}

/** Split a whole-report {@link Changes} into per-domain changes and the summary's part. */
export function splitChanges(changes: Changes): { perDomain: (domain: string) => DomainChanges; streamed: StreamedChanges } {
  type Mutable = { status: DomainChanges['status']; rules: DomainChanges['rules'][number][]; records: DomainChanges['records'][number][] };
  const byDomain = new Map<string, Mutable>();
  const entry = (domain: string): Mutable => {
    const k = nameKey(domain);
    let e = byDomain.get(k);
    if (e === undefined) byDomain.set(k, (e = { status: null, rules: [], records: [] }));
    return e;
  };
  for (const c of changes.domains) if (c.kind !== 'removed') entry(c.domain).status = c;
  for (const c of changes.rules) entry(c.domain).rules.push(c);
  for (const c of changes.records) entry(c.domain).records.push(c);
  return {
    perDomain: (domain) => byDomain.get(nameKey(domain)) ?? { status: null, rules: [], records: [] },
    streamed: { since: changes.since, counts: changes.counts, removed: changes.domains.filter((c) => c.kind === 'removed') },
  };
}

/** Render a whole report as ndjson (the same lines the streaming writer produces, in report order). */
export function renderNdjson(report: RunReport, options: NdjsonOptions): string {
  const split = report.changes === undefined ? undefined : splitChanges(report.changes);
  const lines: string[] = [];
  for (const result of report.domains) {
    const changes = split?.perDomain(result.domain);
    if (options.quiet && result.status === 'pass' && (changes === undefined || isUnchanged(changes))) continue;
    lines.push(domainLine(result, changes));
  }
  if (options.quiet && lines.length === 0 && nothingToSay(report.summary, split?.streamed.counts)) return '';
  lines.push(summaryLine(report, split?.streamed));
  return lines.join('');
}

/**
 * Streams ndjson: `add` each domain as it finishes (its line is written at
 * once), `finish` with the report (whose `domains` may be empty: run with
 * `keep: false`) to write the summary line.
 */
export class NdjsonWriter {
  private readonly tracker: ChangeTracker | undefined;
  private written = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly options: NdjsonOptions & { readonly previous?: ComparableReport },
  ) {
    this.tracker = options.previous === undefined ? undefined : new ChangeTracker(options.previous);
  }

  /** Write the line of one finished domain (unless `--quiet` leaves it out). */
  add(result: DomainResult): void {
    const changes = this.tracker?.add(result);
    if (this.options.quiet && result.status === 'pass' && (changes === undefined || isUnchanged(changes))) return;
    this.write(domainLine(result, changes));
    this.written += 1;
  }

  /** Write the summary line (unless `--quiet` and there is nothing to say). */
  finish(report: RunReport): void {
    const changes = this.tracker?.finish();
    if (this.options.quiet && this.written === 0 && nothingToSay(report.summary, changes?.counts)) return;
    this.write(summaryLine(report, changes));
  }
}
