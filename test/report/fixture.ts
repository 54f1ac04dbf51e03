/** Run reports for the renderer tests, built from fake-zone observations through the real judge. */
import type { ResourceRecord } from '../../src/dns/codec.js';
import { judge, type DomainResult } from '../../src/check/check-domain.js';
import { summarise, type RunReport } from '../../src/report/report.js';
import { DEFAULT_EXPECTATIONS, type DomainExpectations } from '../../src/rules/types.js';
import { observe } from '../rules/scenarios.js';

/** A domain result for D (contoso.example) in a fake zone, under another name if asked. */
export async function result(records: readonly ResourceRecord[], expect: Partial<DomainExpectations> = {}, domain?: string): Promise<DomainResult> {
  const { observation, expectations } = await observe(records, expect);
  const judged = judge({ domain: observation.domain, input: observation.domain, expectations }, observation);
  return domain === undefined ? judged : { ...judged, domain, input: domain };
}

/** A whole run report around some domain results. */
export function report(domains: readonly DomainResult[], resolvers: readonly string[] = ['127.0.0.1:5300']): RunReport {
  return {
    schema: 'fedcheck/1',
    tool: { name: 'fedcheck', version: '0.0.0-test' },
    startedAt: '2024-01-01T00:00:00.000Z',
    seconds: 0.25,
    resolvers,
    mode: 'resolver',
    domains,
    summary: summarise(domains.map((d) => d.status)),
    queries: {
      lookups: 5,
      cacheHits: 1,
      udp: 5,
      tcp: 1,
      truncated: 1,
      ednsFallbacks: 0,
      outcomes: { response: 5, timeout: 0, servfail: 0, refused: 0, formerr: 0, notimp: 0, rcode: 0, malformed: 0, network: 0 },
      ignored: { wrongSource: 0, unknownId: 0, mismatched: 0, malformed: 0 },
    },
  };
}

export { DEFAULT_EXPECTATIONS };
