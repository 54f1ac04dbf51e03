import type { RunReport } from './report.js';

/**
 * The JSON report, schema "fedcheck/1". JSON.stringify escapes control
 * characters, so names from DNS cannot reach a terminal raw.
 */
export function renderJson(report: RunReport): string {
  return [...renderJsonChunks(report)].join('');
}

// JSON.stringify escapes C0 only; DEL and C1 (U+009B is a one-character CSI) can come from DNS
// labels decoded as UTF-8. They only ever occur inside strings, where \u escapes are valid JSON.
const DEL_C1 = /[\u007f-\u009f]/;
const DEL_C1_ALL = /[\u007f-\u009f]/g;
/** DEL and C1 as `\u00XX`: for JSON text, where they can only occur inside strings. */
export const escapeDelC1 = (text: string): string =>
  DEL_C1.test(text) ? text.replace(DEL_C1_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;

/**
 * Domains per piece of {@link renderJsonChunks}: about 75 kB of text. Pieces
 * under V8's large-object size (128 kB) are allocated and freed like any
 * string; megabyte pieces each take fresh pages from the kernel, which cost
 * more than the writes (measured: 50,000 domains in 1.5 s instead of 2.9 s).
 */
const DOMAINS_PER_CHUNK = 8;

/**
 * The same text as {@link renderJson}, in pieces: a report of 100,000
 * domains is about 1 GB of JSON, more than one JavaScript string can hold, so
 * it has to be written piece by piece. Concatenated, the pieces are exactly
 * `JSON.stringify(report, null, 2)` plus a newline, escaped as above.
 */
export function* renderJsonChunks(report: RunReport): Generator<string> {
  // Everything but the domains, with a unique placeholder where the array goes (key order kept).
  const placeholder = `fedcheck-domains-${Math.random().toString(36).slice(2)}-${report.domains.length}`;
  const outer = JSON.stringify({ ...report, domains: placeholder }, null, 2);
  const at = outer.indexOf(`"${placeholder}"`);
  const count = report.domains.length;
  if (at < 0 || count === 0) {
    yield `${escapeDelC1(JSON.stringify(report, null, 2))}\n`;
    return;
  }
  yield `${escapeDelC1(outer.slice(0, at))}[\n`;
  for (let start = 0; start < count; start += DOMAINS_PER_CHUNK) {
    const batch = report.domains.slice(start, start + DOMAINS_PER_CHUNK);
    const last = start + DOMAINS_PER_CHUNK >= count;
    // Nested twice, the domains come out at their indentation in the report (4 spaces).
    // A piece other than the last ends with a 0 placeholder element, so that it carries
    // the ",\n    " before the next domain: "[\n  [\n    {…},\n    {…},\n    0\n  ]\n]".
    // Cutting at the 0 (and after the opening lines, or the first piece's "[\n  [\n")
    // leaves the text of the report without building a second string to add a comma.
    const text = JSON.stringify([last ? batch : [...batch, 0]], null, 2);
    const from = start === 0 ? '[\n  [\n'.length : '[\n  [\n    '.length;
    const to = text.length - (last ? '\n  ]\n]'.length : '0\n  ]\n]'.length);
    yield escapeDelC1(text.slice(from, to));
  }
  yield `\n  ]${escapeDelC1(outer.slice(at + placeholder.length + 2))}\n`;
}
