/**
 * A referral is never "absent": every rule that meets one says it could not
 * tell, naming the delegation (issue: a delegated SIP domain got
 * sipfed-srv / push-srv FAIL "absent … (NODATA)").
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { QueryType, ResourceRecord } from '../../../src/dns/codec.js';
import type { QueryOutcome } from '../../../src/dns/client.js';
import { checkDomain } from '../../../src/check/check-domain.js';
import { LookupCache } from '../../../src/lookup/cache.js';
import type { QuerySource } from '../../../src/lookup/resolve.js';
import { DEFAULT_EXPECTATIONS, type DomainExpectations } from '../../../src/rules/types.js';
import { PROFILE_NAMES } from '../../../src/rules/profiles/profiles.js';
import { response, rr } from '../../lookup/fake-dns.js';

/**
 * The parent zone contoso.com as its authoritative server answers with RD=0:
 * `hearings` is delegated (a referral for every name at or below it),
 * `edge.hearings-child` likewise; other names are answered with AA.
 */
function parentServer(records: readonly ResourceRecord[], cuts: readonly string[]): QuerySource {
  return {
    query: async ({ name, type }: { name: string; type: QueryType }): Promise<QueryOutcome> => {
      const key = name.toLowerCase();
      const cut = cuts.find((c) => key === c || key.endsWith(`.${c}`));
      if (cut !== undefined) {
        return response([], 'NOERROR', { authorities: [rr.ns(cut, 'ns1-07.azure-dns.com'), rr.ns(cut, 'ns2-07.azure-dns.net')] });
      }
      const here = records.filter((r) => r.name.toLowerCase() === key);
      const wanted = here.filter((r) => r.type === type);
      const exists = here.length > 0 || records.some((r) => r.name.toLowerCase().endsWith(`.${key}`));
      return response(wanted, wanted.length > 0 || exists ? 'NOERROR' : 'NXDOMAIN', { aa: true, authorities: wanted.length > 0 ? [] : [rr.soa('contoso.com')] });
    },
  };
}

async function check(domain: string, source: QuerySource, expect: Partial<DomainExpectations> = {}) {
  const cache = new LookupCache(source, { lookup: { recursionDesired: false, referralAdvice: 'load that zone with --zone to check it' } });
  return checkDomain(cache.lookup, { domain, input: domain, expectations: { ...DEFAULT_EXPECTATIONS, ...expect } });
}

describe('referrals in the rules', () => {
  test('a delegated SIP domain: sipfed-srv and push-srv unknown, naming the delegation and the advice; never fail', async () => {
    const result = await check('hearings.contoso.com', parentServer([], ['hearings.contoso.com']));
    assert.equal(result.status, 'unknown');
    for (const rule of ['sipfed-srv', 'push-srv'] as const) {
      const f = result.findings.find((x) => x.rule === rule);
      assert.ok(f !== undefined, rule);
      assert.equal(f.status, 'unknown', rule);
      assert.match(f.message, /is delegated to ns1-07\.azure-dns\.com, ns2-07\.azure-dns\.net \(zone hearings\.contoso\.com/, rule);
      assert.match(f.message, /load that zone with --zone to check it/, rule);
    }
    assert.deepEqual(result.findings.filter((f) => f.status === 'fail'), []);
    assert.equal(result.records.sipfederationtls.lookup.result, 'referral');
    assert.deepEqual(result.records.sipfederationtls.lookup.delegation, { zone: 'hearings.contoso.com', nameservers: ['ns1-07.azure-dns.com', 'ns2-07.azure-dns.net'] });
  });

  test('an SRV target in a delegated child zone: the target-address rules are unknown, not fail', async () => {
    const records = [
      rr.srv('_sipfederationtls._tcp.contoso.com', 0, 0, 5061, 'sip.edge.contoso.com'),
      rr.srv('_xmpp-server._tcp.contoso.com', 0, 0, 5269, 'xmpp.edge.contoso.com'),
    ];
    const result = await check('contoso.com', parentServer(records, ['edge.contoso.com']), { xmpp: 'required' });
    for (const rule of ['sipfed-target-address', 'xmpp-target-address'] as const) {
      const f = result.findings.find((x) => x.rule === rule);
      assert.ok(f !== undefined, rule);
      assert.equal(f.status, 'unknown', rule);
      assert.match(f.message, /is delegated to .*\(zone edge\.contoso\.com/, rule);
    }
    assert.deepEqual(result.findings.filter((f) => f.status === 'fail'), []);
    assert.equal(result.status, 'unknown');
  });

  for (const profile of PROFILE_NAMES) {
    test(`profile ${profile}: a delegated SIP domain fails nothing`, async () => {
      const result = await check('hearings.contoso.com', parentServer([], ['hearings.contoso.com']), { profile });
      assert.deepEqual(result.findings.filter((f) => f.status === 'fail').map((f) => `${f.rule}: ${f.message}`), []);
    });
  }
});
