/** The JSON report in pieces (a report of 100,000 domains is more text than one string holds): the same text. */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { renderJson, writeJson } from '../../../src/report/json.js';
import { rr } from '../../lookup/fake-dns.js';
import { GOOD_SIP, GOOD_XMPP, SIP } from '../../rules/scenarios.js';
import { expectedJson as whole, report, result } from '../fixture.js';

describe('the JSON report in pieces', () => {
  test('0, 1, and past the 64 kB batch: exactly the report indented, a domain a line, escaped, in pieces that each decode alone', async () => {
    const good = await result([...GOOD_SIP, ...GOOD_XMPP]);
    const odd = await result([rr.srv(SIP, 0, 0, 5061, 'a\u007f\u009b.contoso.example')]);
    for (const n of [0, 1, 2, 7, 8, 9, 16, 17, 255, 256, 257, 600]) {
      const domains = Array.from({ length: n }, (_, i) => ({ ...(i % 97 === 1 ? odd : good), domain: `d${i}.example` }));
      const run = report(domains);
      const chunks: string[] = [];
      // Each piece decodes alone: no UTF-8 sequence is cut between two.
      writeJson(run, (c) => void chunks.push(typeof c === 'string' ? c : new TextDecoder('utf-8', { fatal: true }).decode(c)), { quiet: false });
      assert.equal(chunks.join(''), whole(run), `${n} domains`);
      assert.equal(renderJson(run), whole(run));
      assert.ok(chunks.every((c) => !/[\u007f-\u009f]/.test(c)));
      if (n > 256) assert.ok(chunks.length >= 3, 'written in pieces');
    }
  });

  test('keys keep their order: the head, the domains, then what the finished run knows (changes last)', async () => {
    const run = { ...report([await result(GOOD_SIP)]), changes: { since: 'x' } } as unknown as Parameters<typeof renderJson>[0];
    assert.equal(renderJson(run), whole(run));
    assert.deepEqual(Object.keys(JSON.parse(renderJson(run)) as object).slice(-5), ['domains', 'seconds', 'summary', 'queries', 'changes']);
  });

  test('a report object with its keys in another order is written in the report\'s order, with and without domains', async () => {
    const canonical = report([await result(GOOD_SIP)]);
    const { schema, tool, domains, seconds, summary, queries, ...rest } = canonical;
    const shuffled = { queries, domains, summary, seconds, ...rest, tool, schema } as typeof canonical;
    for (const [a, b] of [[shuffled, canonical], [{ ...shuffled, domains: [] }, { ...canonical, domains: [] }]] as const) {
      assert.equal(renderJson(a), renderJson(b));
      assert.deepEqual(Object.keys(JSON.parse(renderJson(a)) as object), Object.keys(b));
    }
  });
});
