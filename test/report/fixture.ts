/** Run reports for the renderer tests, built from fake-zone observations through the real judge. */
import type { ResourceRecord } from '../../src/dns/codec.js';
import { judge, type DomainResult } from '../../src/check/check-domain.js';
import type { RunReport } from '../../src/report/report.js';
import { report as runReport } from './output-fixtures.js';
import { DEFAULT_EXPECTATIONS, type DomainExpectations } from '../../src/rules/types.js';
import { observe } from '../rules/scenarios.js';

/** A domain result for D (contoso.example) in a fake zone, under another name if asked. */
export async function result(records: readonly ResourceRecord[], expect: Partial<DomainExpectations> = {}, domain?: string): Promise<DomainResult> {
  const { observation, expectations } = await observe(records, expect);
  const judged = judge({ domain: observation.domain, input: observation.domain, expectations }, observation);
  return domain === undefined ? judged : { ...judged, domain, input: domain };
}

/** A whole run report around some domain results (the output tests' report, other resolvers if asked). */
export const report = (domains: readonly DomainResult[], resolvers: readonly string[] = ['127.0.0.1:5300']): RunReport => runReport(domains, { resolvers });

export { DEFAULT_EXPECTATIONS };

/**
 * The JSON report's text, made here without src/report/json.ts: the report
 * indented by two spaces, each domain one line of compact JSON, DEL and C1
 * escaped as `\u00XX`, and a newline.
 */
export function expectedJson(run: RunReport): string {
  const indented = JSON.stringify({ ...run, domains: [] }, null, 2);
  const lines = run.domains.map((d, i) => `    ${JSON.stringify(d)}${i < run.domains.length - 1 ? ',' : ''}`);
  const text = lines.length === 0 ? indented : indented.replace('\n  "domains": []', `\n  "domains": [\n${lines.join('\n')}\n  ]`);
  return `${text.replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
