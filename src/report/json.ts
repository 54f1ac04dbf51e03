import type { DomainResult } from '../check/check-domain.js';
import type { RunHead, RunReport } from './report.js';
import { nothingToSay } from './diff.js';
import { escapeJsonText } from '../escape.js';

/**
 * The JSON report, schema "fedcheck/1". JSON.stringify escapes control
 * characters, so names from DNS cannot reach a terminal raw.
 */
export function renderJson(report: RunReport): string {
  return [...renderJsonChunks(report)].join('');
}

// JSON.stringify escapes C0 only; DEL and C1 (U+009B is a one-character CSI) can come from DNS
// labels decoded as UTF-8: escapeJsonText (src/escape.ts) shows them as \u00XX too.

/** Where a domain's text starts and ends in `JSON.stringify([[domain]], null, 2)`. */
const NESTED_OPEN = '[\n  [\n    '.length;
const NESTED_CLOSE = '\n  ]\n]'.length;

/**
 * One domain of the report as it appears in the `domains` array: its JSON at
 * the report's indentation (4 spaces), from `{` to `}`, escaped as above.
 * Made as each domain finishes ({@link JsonWriter}).
 */
export function domainFragment(domain: DomainResult): string {
  // Nested twice, the domain comes out at its indentation in the report.
  const text = JSON.stringify([[domain]], null, 2);
  return escapeJsonText(text.slice(NESTED_OPEN, text.length - NESTED_CLOSE));
}

/**
 * Fragments per piece of {@link renderJsonChunks}: about 35 kB of text. Pieces
 * under V8's large-object size (128 kB) are allocated and freed like any
 * string; megabyte pieces each take fresh pages from the kernel, which cost
 * more than the writes (measured: 50,000 domains in 1.5 s instead of 2.9 s).
 */
const DOMAINS_PER_CHUNK = 8;

/** Where the domains go in the report's JSON: the text before and after, from one JSON.stringify. */
function around(report: RunHead & Partial<RunReport>, count: number): { readonly before: string; readonly after: string } {
  // Everything but the domains, with a unique placeholder where the array goes (key order kept).
  const placeholder = `fedcheck-domains-${Math.random().toString(36).slice(2)}-${count}`;
  const outer = JSON.stringify({ ...report, domains: placeholder }, null, 2);
  const at = outer.indexOf(`"${placeholder}"`);
  if (at < 0) throw new Error('the report has no domains field');
  return { before: `${escapeJsonText(outer.slice(0, at))}[\n    `, after: `\n  ]${escapeJsonText(outer.slice(at + placeholder.length + 2))}\n` };
}

/** Between two domains of the array. */
const SEPARATOR = ',\n    ';

/**
 * The same text as {@link renderJson}, in pieces: a report of 100,000
 * domains is hundreds of MB of JSON, more than one JavaScript string can
 * hold, so it has to be written piece by piece. Concatenated, the pieces are
 * exactly `JSON.stringify(report, null, 2)` plus a newline, escaped as above.
 */
export function* renderJsonChunks(report: RunReport): Generator<string> {
  const count = report.domains.length;
  if (count === 0) {
    yield `${escapeJsonText(JSON.stringify({ ...report, domains: [] }, null, 2))}\n`;
    return;
  }
  const { before, after } = around(report, count);
  yield before;
  for (let start = 0; start < count; start += DOMAINS_PER_CHUNK) {
    const end = Math.min(count, start + DOMAINS_PER_CHUNK);
    let piece = start === 0 ? '' : SEPARATOR;
    for (let index = start; index < end; index += 1) piece += index === start ? domainFragment(report.domains[index]!) : `${SEPARATOR}${domainFragment(report.domains[index]!)}`;
    yield piece;
  }
  yield after;
}

/** Text gathered before a write: a few domains, under V8's large-object size (see DOMAINS_PER_CHUNK). */
const PIECE_LENGTH = 32 * 1024;

/**
 * The JSON report written as the run goes, the same text as
 * {@link renderJsonChunks} gives at the end: the fields the run knows at its
 * start ({@link RunHead}), each domain in input order as soon as every
 * domain before it has finished (the ones that finish early wait, as UTF-8
 * bytes outside the JavaScript heap, since a slow domain can hold back many),
 * then the counts of the finished run. A run keeps no results this way.
 * With `quiet`, only the domains that are not `pass`, and nothing at all when
 * every domain passed.
 */
export class JsonWriter {
  private head: RunHead | undefined;
  private readonly early = new Map<number, Buffer | null>();
  private next = 0;
  private written = 0;
  private piece = '';

  constructor(
    private readonly write: (text: string) => void,
    private readonly options: { readonly quiet: boolean },
  ) {}

  /** The report's first fields, known before any domain is checked. */
  start(head: RunHead): void {
    this.head = head;
  }

  /** One finished domain, with its place in the input. */
  add(result: DomainResult, index: number): void {
    const text = this.options.quiet && result.status === 'pass' ? null : domainFragment(result);
    if (index !== this.next) {
      this.early.set(index, text === null ? null : Buffer.from(text, 'utf8'));
      return;
    }
    this.append(text);
    for (let waiting = this.early.get(this.next); waiting !== undefined; waiting = this.early.get(this.next)) {
      this.early.delete(this.next);
      this.append(waiting === null ? null : waiting.toString('utf8'));
    }
    if (this.piece.length >= PIECE_LENGTH) this.flush();
  }

  /** The end of the report (or all of it, when no domain was written). */
  finish(report: RunReport): void {
    if (this.early.size > 0) throw new Error(`${this.early.size} domains finished but domain ${this.next} did not`);
    if (this.written === 0) {
      this.piece = '';
      if (!(this.options.quiet && nothingToSay(report.summary, report.changes?.counts))) for (const chunk of renderJsonChunks({ ...report, domains: [] })) this.write(chunk);
      return;
    }
    const { before, after } = around(report, this.written);
    if (before !== this.headText()) throw new Error('the report does not begin with the fields its run started with');
    this.piece += after;
    this.flush();
  }

  private append(text: string | null): void {
    this.next += 1;
    if (text === null) return;
    this.piece += this.written === 0 ? `${this.headText()}${text}` : `${SEPARATOR}${text}`;
    this.written += 1;
  }

  private headText(): string {
    if (this.head === undefined) throw new Error('JsonWriter.start was not called');
    return around(this.head, 0).before;
  }

  private flush(): void {
    if (this.piece.length > 0) this.write(this.piece);
    this.piece = '';
  }
}

/**
 * A whole report written through a {@link JsonWriter}, its domains in order:
 * the same text as a run that writes it as it goes (`quiet` as there).
 */
export function writeJson(report: RunReport, write: (text: string) => void, options: { readonly quiet: boolean }): void {
  const { domains, seconds: _seconds, summary: _summary, queries: _queries, changes: _changes, ...head } = report;
  const writer = new JsonWriter(write, options);
  writer.start(head);
  for (let index = 0; index < domains.length; index += 1) writer.add(domains[index]!, index);
  writer.finish({ ...report, domains: [] });
}

