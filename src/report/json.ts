import type { RunReport } from './report.js';

/**
 * The JSON report, schema "fedcheck/1". JSON.stringify escapes control
 * characters, so names from DNS cannot reach a terminal raw.
 */
export function renderJson(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
