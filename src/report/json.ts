import type { DomainResult } from '../check/check-domain.js';
import type { RunHead, RunReport } from './report.js';
import { nothingToSay } from './diff.js';
import { escapeJsonText } from '../escape.js';

/**
 * The JSON report, schema "fedcheck/1": the report indented by two spaces,
 * except that each domain of `domains` is one line of compact JSON. A domain
 * is one line for `grep` and `diff`, and the report is 40 % smaller than
 * indented throughout (`jq .` indents it all). JSON.stringify escapes control
 * characters, so names from DNS cannot reach a terminal raw. With `quiet`,
 * as {@link JsonWriter}. The text comes from a {@link JsonWriter}, as when
 * the report is written as the run goes.
 */
export function renderJson(report: RunReport, options: { readonly quiet: boolean } = { quiet: false }): string {
  const pieces: string[] = [];
  writeJson(report, (chunk) => void pieces.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8')), options);
  return pieces.join('');
}

// JSON.stringify escapes C0 only; DEL and C1 (U+009B is a one-character CSI) can come from DNS
// labels decoded as UTF-8: escapeJsonText (src/escape.ts) shows them as \u00XX too.

/**
 * Whether `bytes`, the UTF-8 of a JSON text of `length` UTF-16 units, may hold
 * DEL or C1: only when some character took more than a byte (C1 is U+0080 to
 * U+009F) or a byte is DEL. One native search of the bytes the writer made
 * anyway, instead of two scans of the text before it.
 */
function mayNeedEscape(bytes: Uint8Array, length: number): boolean {
  return bytes.length !== length || bytes.includes(0x7f);
}

/** A domain's line of the `domains` array (its compact JSON) as UTF-8, escaped as above. */
function encodeDomain(json: string): Buffer {
  const bytes = Buffer.from(json, 'utf8');
  return mayNeedEscape(bytes, json.length) ? Buffer.from(escapeJsonText(json), 'utf8') : bytes;
}

/**
 * The report's fields in their order (docs/formats.md), whatever order the
 * object has them in: the run's head, the domains, then what only the
 * finished run knows.
 */
function inOrder(report: RunHead & Partial<RunReport>, domains: unknown): object {
  const { schema, tool, startedAt, resolvers, mode, zones, domains: _domains, seconds, summary, queries, changes, ...more } = report;
  return { schema, tool, startedAt, resolvers, mode, zones, ...more, domains, seconds, summary, queries, changes };
}

/** Where the domains go in the report's JSON: the text before and after, from one JSON.stringify. */
function around(report: RunHead & Partial<RunReport>, count: number): { readonly before: string; readonly after: string } {
  // A unique placeholder where the array goes.
  const placeholder = `fedcheck-domains-${Math.random().toString(36).slice(2)}-${count}`;
  const outer = JSON.stringify(inOrder(report, placeholder), null, 2);
  const at = outer.indexOf(`"${placeholder}"`);
  if (at < 0) throw new Error('the report has no domains field');
  return { before: `${escapeJsonText(outer.slice(0, at))}[\n    `, after: `\n  ]${escapeJsonText(outer.slice(at + placeholder.length + 2))}\n` };
}

/** Between two domains of the array. */
const SEPARATOR = ',\n    ';

/**
 * Bytes gathered before a write: a few domains. The buffer is given to the
 * sink whole and a fresh one taken, so a sink may keep what it is given.
 */
const BATCH_BYTES = 64 * 1024;

/** What a JSON report is written to: text, or UTF-8 bytes. */
export type JsonSink = (chunk: string | Uint8Array) => void;

/**
 * The JSON report written as the run goes, the same text as
 * {@link renderJson} gives at the end: the fields the run knows at its
 * start ({@link RunHead}), each domain in input order as soon as every
 * domain before it has finished (the ones that finish early wait, as UTF-8
 * bytes outside the JavaScript heap, since a slow domain can hold back many),
 * then the counts of the finished run. A run keeps no results this way.
 * With `quiet`, only the domains that are not `pass`, and nothing at all when
 * every domain passed.
 *
 * Each domain's text is encoded once, straight into the batch that is
 * written (or into the bytes it waits in), never gathered as a string first.
 */
export class JsonWriter {
  private head: RunHead | undefined;
  private readonly early = new Map<number, Buffer | null>();
  private next = 0;
  private written = 0;
  private batch = Buffer.allocUnsafe(BATCH_BYTES);
  private used = 0;

  constructor(
    private readonly write: JsonSink,
    private readonly options: { readonly quiet: boolean },
  ) {}

  /** The report's first fields, known before any domain is checked. */
  start(head: RunHead): void {
    this.head = head;
  }

  /** One finished domain, with its place in the input. */
  add(result: DomainResult, index: number): void {
    // Not escaped yet: that is checked on its bytes (putDomain, encodeDomain).
    const json = this.options.quiet && result.status === 'pass' ? null : JSON.stringify(result);
    if (index !== this.next) {
      this.early.set(index, json === null ? null : encodeDomain(json));
      return;
    }
    this.append(json);
    for (let waiting = this.early.get(this.next); waiting !== undefined; waiting = this.early.get(this.next)) {
      this.early.delete(this.next);
      this.append(waiting);
    }
  }

  /** The end of the report (or all of it, when no domain was written). */
  finish(report: RunReport): void {
    if (this.early.size > 0) throw new Error(`${this.early.size} domains finished but domain ${this.next} did not`);
    if (this.written === 0) {
      this.used = 0;
      if (!(this.options.quiet && nothingToSay(report.summary, report.changes?.counts))) this.write(`${escapeJsonText(JSON.stringify(inOrder(report, []), null, 2))}\n`);
      return;
    }
    const { before, after } = around(report, this.written);
    if (before !== this.headText()) throw new Error('the report does not begin with the fields its run started with');
    this.put(after);
    this.flush();
  }

  /** The next domain in input order: its JSON (not escaped yet), its bytes (escaped), or null when `quiet` leaves it out. */
  private append(domain: string | Buffer | null): void {
    this.next += 1;
    if (domain === null) return;
    this.put(this.written === 0 ? this.headText() : SEPARATOR);
    if (typeof domain === 'string') this.putDomain(domain);
    else this.put(domain);
    this.written += 1;
  }

  /** A domain's JSON, escaped as {@link encodeDomain}: written, then checked on the bytes written. */
  private putDomain(json: string): void {
    const most = json.length * 3;
    if (most > this.batch.length) {
      this.put(encodeDomain(json));
      return;
    }
    if (this.used + most > this.batch.length) this.flush();
    const start = this.used;
    const length = this.batch.write(json, start, 'utf8');
    if (mayNeedEscape(this.batch.subarray(start, start + length), json.length)) this.put(escapeJsonText(json));
    else this.used = start + length;
  }

  private headText(): string {
    if (this.head === undefined) throw new Error('JsonWriter.start was not called');
    return around(this.head, 0).before;
  }

  /** Add to the batch, writing the batch first when it could not hold `piece`. */
  private put(piece: string | Buffer): void {
    // A UTF-16 code unit is at most 3 UTF-8 bytes (a surrogate pair, 2 units, is 4).
    const most = typeof piece === 'string' ? piece.length * 3 : piece.length;
    if (this.used + most > this.batch.length) {
      this.flush();
      if (most > this.batch.length) {
        this.write(piece);
        return;
      }
    }
    this.used += typeof piece === 'string' ? this.batch.write(piece, this.used, 'utf8') : piece.copy(this.batch, this.used);
  }

  private flush(): void {
    if (this.used === 0) return;
    this.write(this.batch.subarray(0, this.used));
    this.batch = Buffer.allocUnsafe(BATCH_BYTES);
    this.used = 0;
  }
}

/**
 * A whole report written through a {@link JsonWriter}, its domains in order:
 * the same text as a run that writes it as it goes (`quiet` as there).
 */
export function writeJson(report: RunReport, write: JsonSink, options: { readonly quiet: boolean }): void {
  const { domains, seconds: _seconds, summary: _summary, queries: _queries, changes: _changes, ...head } = report;
  const writer = new JsonWriter(write, options);
  writer.start(head);
  for (let index = 0; index < domains.length; index += 1) writer.add(domains[index]!, index);
  writer.finish({ ...report, domains: [] });
}

