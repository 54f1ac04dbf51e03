/** The JSON report in pieces (a report of 100,000 domains is more text than one string holds): the same text. */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { JsonWriter, renderJson, writeJson } from '../../../src/report/json.js';
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

  test('domains finished out of order, with DEL alone, C1 alone, other non-ASCII, and one larger than a batch: exactly the report, escaped', async () => {
    const kinds = [
      await result([...GOOD_SIP, ...GOOD_XMPP]),
      // ASCII but for DEL: the UTF-8 is as long as the text, so only the search for DEL finds it.
      await result([rr.srv(SIP, 0, 0, 5061, 'del\u007f.contoso.example')]),
      await result([rr.srv(SIP, 0, 0, 5061, 'csi\u009b.contoso.example')]),
      await result([rr.srv(SIP, 0, 0, 5061, 'caf\u00e9-\u{1f642}.contoso.example')]),
      // More than a 64 kB batch can hold as text (3 bytes a UTF-16 unit at most), DEL in its last record.
      await result(Array.from({ length: 400 }, (_, i) => rr.srv(SIP, 0, 0, 5061, `${'x'.repeat(40)}-${i}${i === 399 ? '\u007f' : ''}.contoso.example`))),
    ];
    const domains = Array.from({ length: 60 }, (_, i) => ({ ...kinds[i % kinds.length]!, domain: `d${i}.example` }));
    const run = report(domains);
    const { domains: _all, seconds: _s, summary: _m, queries: _q, ...head } = run;
    // Every third domain finishes late: it waits as bytes, and so do the ones it holds back.
    const order = [...domains.keys()].sort((a, b) => (a % 3 === 0 ? a + 7.5 : a) - (b % 3 === 0 ? b + 7.5 : b));
    const chunks: string[] = [];
    const writer = new JsonWriter((c) => void chunks.push(typeof c === 'string' ? c : new TextDecoder('utf-8', { fatal: true }).decode(c)), { quiet: false });
    writer.start(head);
    for (const index of order) writer.add(domains[index]!, index);
    writer.finish({ ...run, domains: [] });
    const text = chunks.join('');
    assert.equal(text, whole(run));
    assert.doesNotMatch(text, /[\u007f-\u009f]/);
    assert.ok(text.includes('caf\u00e9-\u{1f642}'), 'other non-ASCII text stays as it is');
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
