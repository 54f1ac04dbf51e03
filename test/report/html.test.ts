/**
 * The HTML report as text: structure, escaping, the CSP's hashes, order,
 * streaming and `--since`. What a browser makes of it is tested in
 * test/integration/html-browser.test.ts (Chromium).
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { diffReports } from '../../src/report/diff.js';
import { parsePreviousReport } from '../../src/input/previous-report.js';
import { FULL_PER_STATUS, HtmlWriter, renderHtml, text } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { render } from '../../src/report/render.js';
import { CATALOGUE, RULE_IDS } from '../../src/rules/catalogue.js';
import { fileSpools } from '../../src/report/spool.js';
import { domain, failing, HOSTILE, passing, report, unknown, warning } from './output-fixtures.js';

const hash = (body: string): string => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`;

/** Every `<tag …>` opening of the page with its attributes. */
const openings = (html: string): string[] => html.match(/<[a-zA-Z][^>]*>/g) ?? [];

const SCRIPTISH = ['<script>alert(1)</script>', '"onmouseover=alert(1) x="', 'javascript:alert(1)'];

describe('html format', () => {
  const mixed = report([passing('p.example'), warning('w.example'), failing('f.example'), unknown('u.example')]);
  const html = renderHtml(mixed);

  test('one page: doctype, a CSP meta tag first in the head, one style sheet and one script admitted by their hashes', () => {
    assert.ok(html.startsWith('<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy"'));
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    assert.ok(csp !== undefined);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    assert.equal(styles.length, 1);
    assert.equal(scripts.length, 1);
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'no other script element of any type');
    const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1).join(' ')]));
    assert.equal(directives.get('default-src'), "'none'");
    assert.equal(directives.get('style-src'), hash(styles[0]!));
    assert.equal(directives.get('script-src'), hash(scripts[0]!));
    assert.equal(directives.get('base-uri'), "'none'");
    assert.ok(html.endsWith('</body></html>\n'));
  });

  test('no inline handler, no style attribute, and no link that leaves the page but the catalogue sources', () => {
    for (const tag of openings(html)) {
      assert.doesNotMatch(tag, /\son[a-z]+\s*=/i, tag);
      assert.doesNotMatch(tag, /\sstyle\s*=/i, tag);
      assert.doesNotMatch(tag, /\s(src|srcset|action|formaction|xlink:href)\s*=/i, tag);
    }
    const sources = new Set(RULE_IDS.map((id) => text(CATALOGUE[id].source.url)));
    const links = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    assert.ok(links.some((l) => sources.has(l)));
    for (const link of links) assert.ok(/^#d-\d+$/.test(link) || sources.has(link), link);
  });

  test('the summary counts by status, and domains come worst first', () => {
    for (const [status, n] of [['pass', 1], ['warn', 1], ['fail', 1], ['unknown', 1]] as const) assert.match(html, new RegExp(`data-count="${status}">${n}<`));
    const order = [...html.matchAll(/<details class="d" id="d-\d+" data-status="(\w+)"/g)].map((m) => m[1]);
    assert.deepEqual(order, ['fail', 'unknown', 'warn']);
    // The passing domain is a line of the passing list, after them.
    assert.ok(html.indexOf('<li><span class="dom n">p.example</span>') > html.indexOf('data-name="w.example"'));
    assert.match(html, /<h3 id="passing-h">Passing \(1\)<\/h3>/);
    assert.match(html, /<title>fedcheck report · 4 domains · 1 fail<\/title>/);
  });

  test('a failing finding says what breaks, cites its source and shows the record to publish from plan', () => {
    const f = /<details class="d"[^>]*data-name="f\.example"[\s\S]*?<\/details>/.exec(html)?.[0] ?? '';
    assert.match(f, /<code>sipfed-srv<\/code>/);
    assert.match(f, /<dt>What breaks<\/dt><dd>Federation partners cannot discover f\.example/);
    assert.match(f, /<dt>Source<\/dt><dd><a href="https:\/\//);
    assert.match(f, /<pre class="zone">_sipfederationtls\._tcp\.f\.example\. 3600 IN SRV \d+ \d+ 5061 sip\.f\.example\.<\/pre>/);
    assert.match(f, /data-rules="[^"]*\bsipfed-srv\b[^"]*\bpush-srv\b|data-rules="[^"]*\bpush-srv\b[^"]*\bsipfed-srv\b/);
  });

  test('the records: SRV and its target addresses, as a table for a problem domain and as lines for a passing one', () => {
    const w = /<details class="d"[^>]*data-name="w\.example"[\s\S]*?<\/details>/.exec(html)?.[0] ?? '';
    assert.match(w, /<td class="n mono">_sipfederationtls\._tcp\.w\.example<\/td><td>SRV<\/td><td class="n mono">0 0 5061 edge\.elsewhere\.example<\/td>/);
    assert.match(w, /<tr class="sub"><td class="n mono">edge\.elsewhere\.example<\/td><td>A<\/td><td class="n mono">192\.0\.2\.20<\/td>/);
    const p = /<li><span class="dom n">p\.example<\/span>.*<\/li>/.exec(html)?.[0] ?? '';
    assert.equal(p, '<li><span class="dom n">p.example</span><span>federation</span><span class="n mono">federation SRV 0 0 5061 sip.p.example → 192.0.2.10 · XMPP NXDOMAIN (does not exist) · info: xmpp-srv</span></li>');
  });

  test('--probe TLSA rows: the expanded base domain and SNI of a secure alias (RFC 7671 §7), and a record a stronger digest sets aside (§9)', () => {
    const base = warning('t.example');
    const target = base.records.sipfederationtls.targets[0]!;
    const record = { usage: 3, selector: 1, data: 'ab'.repeat(32), mnemonic: 'DANE-EE SPKI', usable: true, matched: [] };
    const tlsa = {
      owner: '_5061._tcp.edge.cdn.example',
      baseDomain: 'edge.cdn.example',
      serverName: 'edge.cdn.example',
      port: 5061,
      result: 'answer',
      security: { tlsa: 'secure', srv: 'secure', addresses: 'secure' },
      records: [
        { ...record, matchingType: 1, supersededBy: 'SHA2-512' },
        { ...record, matchingType: 2, data: 'cd'.repeat(64), matched: ['192.0.2.20'] },
      ],
    };
    const probed = { ...base, records: { ...base.records, sipfederationtls: { ...base.records.sipfederationtls, targets: [{ ...target, tlsa: [tlsa] }] } } } as unknown as typeof base;
    const page = renderHtml(report([probed]));
    const rows = page.match(/<tr class="sub"><td class="n mono">_5061\._tcp\.edge\.cdn\.example<\/td><td>TLSA<\/td>.*?<\/tr>/g) ?? [];
    assert.equal(rows.length, 2, page.slice(0, 200));
    for (const r of rows) assert.match(r, /DNSSEC: TLSA secure, SRV secure, addresses secure · base domain edge\.cdn\.example \(the alias expanded\) · SNI edge\.cdn\.example/);
    assert.match(rows[0]!, /ignored: the set holds SHA2-512 records too, and only the strongest digest counts \(RFC 7671 §9\)/);
    assert.match(rows[1]!, /matches 192\.0\.2\.20/);
    // A target that is its own base domain and SNI says nothing of either.
    const plain = renderHtml(report([{ ...probed, records: { ...probed.records, sipfederationtls: { ...probed.records.sipfederationtls, targets: [{ ...target, tlsa: [{ ...tlsa, baseDomain: target.name, serverName: target.name }] }] } } } as unknown as typeof base]));
    assert.doesNotMatch(plain, /base domain|SNI /);
  });

  test('hostile names and targets are text: escaped for HTML, control characters as \\xNN, nothing raw', () => {
    const names = [HOSTILE, ...SCRIPTISH.map((s) => `${s}.example`)];
    const hostile = report([
      ...names.map((n) => failing(n)),
      ...SCRIPTISH.map((s, i) => domain(`t${i}.example`, { srv: [[443, `${s}.evil`]], a: { [`${s}.evil`]: ['192.0.2.1'] } })),
    ]);
    const page = renderHtml(hostile);
    // `javascript:` has nothing to escape: it may show as text, never as a link or any attribute but data-name.
    for (const s of SCRIPTISH.slice(0, 2)) assert.ok(!page.includes(s), `raw ${s}`);
    for (const tag of openings(page)) if (tag.includes('javascript:')) assert.match(tag, /^<details class="d" [^>]*data-name="javascript:alert\(1\)\.example"/, tag);
    assert.equal((page.match(/<script/g) ?? []).length, 1);
    assert.ok(page.includes(text('<script>alert(1)</script>.example')));
    assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;.example'));
    assert.ok(page.includes('&quot;onmouseover=alert(1) x=&quot;'));
    assert.ok(page.includes('x\\x1b[31m|&lt;&amp;&gt;&quot;&#39;\\\\x0a\\x00\\x7f\\x9b') || page.includes('x\\x1b[31m|&lt;&amp;&gt;&quot;&#39;\\\\x0a'), 'controls shown as the other formats show them');
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(page.replace(/[\n]/g, ''), /[\x00-\x08\x0b-\x1f\x7f-\x9f]/, 'no raw control character anywhere');
    for (const tag of openings(page)) assert.doesNotMatch(tag, /\son[a-z]+\s*=/i, tag);
    for (const m of page.matchAll(/href="([^"]*)"/g)) assert.doesNotMatch(m[1]!, /javascript:|evil/);
  });

  test('render("html") is renderHtml, and --quiet changes nothing', () => {
    assert.equal(render('html', mixed), html);
    assert.equal(render('html', mixed, { quiet: true }), html);
  });

  test('the streaming writer with file spools writes the same page as renderHtml, and nothing before finish', () => {
    const written: string[] = [];
    const writer = new HtmlWriter((t) => void written.push(t), { spools: fileSpools() });
    for (const d of mixed.domains) writer.add(d);
    assert.equal(written.length, 0, 'domains wait in the spools until the summary is known');
    writer.finish({ ...mixed, domains: [] });
    writer.close();
    assert.equal(written.join(''), html);
  });

  test('the file spools carry multi-byte text across read boundaries intact; passing lines come in chunks', () => {
    const many = report(Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? failing(`bücher-${i}.δ.example`) : passing(`bücher-${i}.δ.example`))));
    const written: string[] = [];
    const writer = new HtmlWriter((t) => void written.push(t), { spools: fileSpools() });
    for (const d of many.domains) writer.add(d);
    writer.finish({ ...many, domains: [] });
    const page = written.join('');
    assert.equal(page, renderHtml(many));
    const passingCount = many.domains.filter((d) => d.status === 'pass').length;
    assert.equal((page.match(/<ol class="ck">/g) ?? []).length, Math.ceil(passingCount / 500));
    assert.equal((page.match(/<\/ol>\n/g) ?? []).length, Math.ceil(passingCount / 500), 'every chunk closed');
  });

  test('--since: changed domains are marked, with the verdict, rule and record changes highlighted', () => {
    const before = report([passing('p.example'), passing('moved.example', '192.0.2.10'), failing('gone.example')]);
    const previous = parsePreviousReport(renderJson(before), 'prev.json');
    const now = report([failing('p.example'), passing('moved.example', '192.0.2.99')]);
    const page = renderHtml({ ...now, changes: diffReports(previous, now) });
    const p = /<details class="d"[^>]*data-name="p\.example"[\s\S]*?<\/details>/.exec(page)?.[0] ?? '';
    assert.match(p, /data-changed=""/);
    assert.match(p, /<span class="tag">changed<\/span>/);
    assert.match(p, /newly failing: pass → <strong>fail<\/strong>/);
    const moved = /<details class="d"[^>]*data-name="moved\.example"[\s\S]*?<\/details>/.exec(page)?.[0] ?? '';
    assert.match(moved, /<del class="n mono">192\.0\.2\.10<\/del> → <ins class="n mono">192\.0\.2\.99<\/ins>/);
    assert.match(moved, /<tr class="sub changed"><td class="n mono">sip\.moved\.example<\/td><td>A<\/td>/);
    assert.match(page, /<h3>Changes since <time datetime="2026-01-02T03:04:05.678Z">/);
    assert.match(page, /gone\.example<\/span>: removed \(was fail/);
    assert.match(page, /<input type="checkbox" name="changed">/);
    // Streamed against the previous report: the same page.
    const written: string[] = [];
    const writer = new HtmlWriter((t) => void written.push(t), { previous });
    for (const d of now.domains) writer.add(d);
    writer.finish({ ...now, domains: [] });
    assert.equal(written.join(''), page);
  });

  test('beyond FULL_PER_STATUS domains of a status, the rest are lines with their status, rules and worst finding', () => {
    const many = report([...Array.from({ length: FULL_PER_STATUS + 3 }, (_, i) => failing(`f${i}.example`)), passing('p.example')]);
    const page = renderHtml(many);
    assert.equal((page.match(/<details class="d"/g) ?? []).length, FULL_PER_STATUS);
    const lines = page.match(/<li data-status="fail"[^\n]*<\/li>/g) ?? [];
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^<li data-status="fail" data-n="2" data-rules="sipfed-srv push-srv"><span class="dom n">f\d+\.example<\/span><span>federation<\/span><span class="n mono"><span class="badge s-fail">fail<\/span> <code>sipfed-srv push-srv<\/code> · _sipfederationtls\._tcp\.f\d+\.example SRV is absent/);
    assert.match(page, /<h3 id="passing-h">One line each \(4: 3 more that need attention, then the passing ones\)<\/h3>/);
    assert.ok(page.indexOf('<li data-status="fail"') < page.indexOf('<li><span class="dom n">p.example'));
  });

  test('an empty run is a page that says so', () => {
    const page = renderHtml(report([]));
    assert.match(page, /<title>fedcheck report · 0 domains<\/title>/);
    assert.match(page, /No problems: every domain passes\./);
  });
});
