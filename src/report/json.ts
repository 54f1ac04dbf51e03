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
const escapeDelC1 = (text: string): string =>
  DEL_C1.test(text) ? text.replace(DEL_C1_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;

/** Domains per chunk of {@link renderJsonChunks}: a few MB of text. */
const DOMAINS_PER_CHUNK = 256;

/**
 * The same text as {@link renderJson}, in pieces of a few MB: a report of
 * 100,000 domains is about 1 GB of JSON, more than one JavaScript string can
 * hold, so it has to be written piece by piece. Concatenated, the pieces are
 * exactly `JSON.stringify(report, null, 2)` plus a newline, escaped as above.
 */
export function* renderJsonChunks(report: RunReport): Generator<string> {
  // Everything but the domains, with a unique placeholder where the array goes (key order kept).
  const placeholder = `fedcheck-domains-${Math.random().toString(36).slice(2)}-${report.domains.length}`;
  const outer = JSON.stringify({ ...report, domains: placeholder }, null, 2);
  const at = outer.indexOf(`"${placeholder}"`);
  if (at < 0 || report.domains.length === 0) {
    yield `${escapeDelC1(JSON.stringify(report, null, 2))}\n`;
    return;
  }
  yield `${escapeDelC1(outer.slice(0, at))}[\n`;
  for (let start = 0; start < report.domains.length; start += DOMAINS_PER_CHUNK) {
    const batch = report.domains.slice(start, start + DOMAINS_PER_CHUNK);
    // Nested twice, the domains come out at the indentation they have in the report (4 spaces);
    // the two wrapping lines at each end are cut off.
    const text = JSON.stringify([batch], null, 2);
    const body = text.slice('[\n  [\n'.length, text.length - '\n  ]\n]'.length);
    const last = start + DOMAINS_PER_CHUNK >= report.domains.length;
    yield escapeDelC1(last ? body : `${body},\n`);
  }
  yield `\n  ]${escapeDelC1(outer.slice(at + placeholder.length + 2))}\n`;
}
