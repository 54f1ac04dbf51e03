import type { DomainResult } from '../check/check-domain.js';
import type { RunReport } from './report.js';
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
 * Made as each domain finishes (src/report/render.ts), so that a run keeps one
 * string per domain instead of its whole object graph until the end.
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

/**
 * The same text as {@link renderJson}, in pieces: a report of 100,000
 * domains is hundreds of MB of JSON, more than one JavaScript string can
 * hold, so it has to be written piece by piece. Concatenated, the pieces are
 * exactly `JSON.stringify(report, null, 2)` plus a newline, escaped as above.
 * `fragments`, when given, are the domains already rendered by
 * {@link domainFragment} (in report order), and `report.domains` is not read;
 * given as UTF-8 bytes, they come out as bytes (Buffers) between the text.
 */
export function renderJsonChunks(report: RunReport, fragments?: readonly string[]): Generator<string>;
export function renderJsonChunks(report: RunReport, fragments: readonly Uint8Array[]): Generator<string | Uint8Array>;
export function* renderJsonChunks(report: RunReport, fragments?: readonly string[] | readonly Uint8Array[]): Generator<string | Uint8Array> {
  const count = fragments?.length ?? report.domains.length;
  if (count === 0) {
    yield `${escapeJsonText(JSON.stringify({ ...report, domains: [] }, null, 2))}\n`;
    return;
  }
  // Everything but the domains, with a unique placeholder where the array goes (key order kept).
  const placeholder = `fedcheck-domains-${Math.random().toString(36).slice(2)}-${count}`;
  const outer = JSON.stringify({ ...report, domains: placeholder }, null, 2);
  const at = outer.indexOf(`"${placeholder}"`);
  if (at < 0) throw new Error('the report has no domains field');
  yield `${escapeJsonText(outer.slice(0, at))}[\n    `;
  const separator = ',\n    ';
  if (fragments !== undefined && typeof fragments[0] !== 'string') {
    const bytes = fragments as readonly Uint8Array[];
    const comma = Buffer.from(separator);
    for (let start = 0; start < count; start += DOMAINS_PER_CHUNK) {
      const end = Math.min(count, start + DOMAINS_PER_CHUNK);
      const parts: Uint8Array[] = [];
      for (let index = start; index < end; index += 1) {
        if (index > 0) parts.push(comma);
        parts.push(bytes[index]!);
      }
      yield Buffer.concat(parts);
    }
  } else {
    const text = fragments as readonly string[] | undefined;
    const fragment = (index: number): string => text?.[index] ?? domainFragment(report.domains[index]!);
    for (let start = 0; start < count; start += DOMAINS_PER_CHUNK) {
      const end = Math.min(count, start + DOMAINS_PER_CHUNK);
      let piece = start === 0 ? '' : separator;
      for (let index = start; index < end; index += 1) piece += index === start ? fragment(index) : `${separator}${fragment(index)}`;
      yield piece;
    }
  }
  yield `\n  ]${escapeJsonText(outer.slice(at + placeholder.length + 2))}\n`;
}
