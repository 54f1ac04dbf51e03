import type { RunReport } from './report.js';

/**
 * The JSON report, schema "fedcheck/1". JSON.stringify escapes control
 * characters, so names from DNS cannot reach a terminal raw.
 */
export function renderJson(report: RunReport): string {
  // JSON.stringify escapes C0 only; DEL and C1 (U+009B is a one-character CSI) can come from DNS
  // labels decoded as UTF-8. They only ever occur inside strings, where \u escapes are valid JSON.
  return `${JSON.stringify(report, null, 2).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
