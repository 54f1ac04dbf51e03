/**
 * `--format html` in a real browser: reports written by the real CLI from the
 * fixture zones (`--zone`, served on loopback in-process), opened in Debian's
 * Chromium (headless, through puppeteer-core), asserted on the DOM: the
 * counts against the same run's JSON, sorting, filtering, expanding, the
 * `--since` highlights, reading with scripting off, printing, hostile names
 * from DNS as inert text, and the Content-Security-Policy blocking what
 * is injected. Every page blocks and records any request other than the
 * report itself. Screenshots go to the test output folder for a person.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Changes } from '../../src/report/diff.js';
import type { RunReport } from '../../src/report/report.js';
import { inPage, launchChromium, openWatched, type PageWatch, type RunningBrowser } from '../support/browser.js';
import { runFedcheck } from '../support/cli.js';
import { repoRoot } from '../support/servers.js';

const ROOT = repoRoot();
const ZONES = join(ROOT, 'fixtures', 'zones');
const FED = join(ZONES, 'fed.test.zone');
const ZONE_ARGS = ['--zone', FED, '--zone', join(ZONES, 'contoso.com.zone'), '--zone', join(ZONES, 'fabrikam.com.zone')];
/** Screenshots for a person: FEDCHECK_TEST_OUTPUT, or .tmp/test-output in the checkout (git ignores it). */
const SHOTS = join(process.env.FEDCHECK_TEST_OUTPUT ?? join(ROOT, '.tmp', 'test-output'), 'html-report');

interface Scenarios {
  readonly scenarios: readonly { readonly domain: string; readonly expectations: { readonly mobility: boolean; readonly discovery: boolean; readonly xmpp: string } }[];
}
/** Every scenario domain checked with fedcheck's default expectations. */
const DOMAINS = [
  ...new Set(
    (JSON.parse(readFileSync(join(ROOT, 'fixtures', 'scenarios.json'), 'utf8')) as Scenarios).scenarios
      .filter((s) => s.expectations.mobility && s.expectations.discovery && s.expectations.xmpp === 'optional')
      .map((s) => s.domain),
  ),
];

/**
 * A zone whose names carry markup, an attribute breakout, a `javascript:`
 * URL and raw bytes (`\DDD`, RFC 1035 §5.1): as SRV targets, a CNAME and its
 * target, so they reach the report through findings and records.
 */
const HOSTILE_ZONE = `$ORIGIN hostile.test.
$TTL 300
@                       SOA   ns1 hostmaster 1 3600 600 86400 60
                        NS    ns1
ns1                     A     192.0.2.53
_sipfederationtls._tcp  SRV   0 0 5061 \\<script\\>alert\\(1\\)\\</script\\>
_sipfederationtls._tcp  SRV   10 0 5061 edge
_sipfederationtls._tcp  SRV   20 0 5061 sip\\027[31m\\000\\034x
_xmpp-server._tcp       SRV   0 0 5269 \\"onmouseover=alert\\(1\\)\\032x=\\"
edge                    CNAME javascript:alert\\(1\\)
javascript:alert\\(1\\)   A     192.0.2.66
`;

let browser: RunningBrowser;
let dir: string;
const files: Record<'now' | 'since' | 'hostile', string> = { now: '', since: '', hostile: '' };
let nowJson: RunReport;
let sinceChanges: Changes;

async function cli(args: readonly string[]): Promise<void> {
  const run = await runFedcheck(args);
  // 0-3 are verdicts (pass … unknown); anything else is a broken run.
  assert.ok(run.code !== null && run.code <= 3, `fedcheck ${args.join(' ')} exited ${String(run.code)}: ${run.stderr}`);
}

/** The open page's domain rows: name, status, shown, open. */
interface Row {
  readonly name: string;
  readonly status: string;
  readonly shown: boolean;
  readonly open: boolean;
  readonly changed: boolean;
  /** A line of the compact passing list rather than a `<details>`. */
  readonly line: boolean;
}
const rows = (page: PageWatch['page']): Promise<Row[]> =>
  inPage<Row[]>(
    page,
    `Array.from(document.querySelectorAll('#list > details.d')).map(function (e) {
       return { name: e.getAttribute('data-name'), status: e.getAttribute('data-status'), shown: e.checkVisibility(), open: e.open, changed: e.hasAttribute('data-changed'), line: false };
     }).concat(Array.from(document.querySelectorAll('#passing li')).map(function (e) {
       return { name: e.firstElementChild.textContent, status: e.getAttribute('data-status') || 'pass', shown: e.checkVisibility(), open: false, changed: e.hasAttribute('data-changed'), line: true };
     }))`,
  );

async function shot(watch: PageWatch, name: string, t: { diagnostic(message: string): void }): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, name);
  await watch.page.screenshot({ path, fullPage: false });
  t.diagnostic(`screenshot: ${path}`);
}

/** Nothing left the page, nothing popped up, nothing failed. */
async function assertQuiet(watch: PageWatch): Promise<void> {
  assert.deepEqual(watch.requests, [], 'no request leaves the page');
  assert.deepEqual(watch.dialogs, [], 'no dialog');
  assert.deepEqual(watch.errors, [], 'no console error');
  assert.deepEqual(await watch.violations(), [], 'no CSP violation');
}

before(async () => {
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'fedcheck-html-browser-'));
  const previousZone = join(dir, 'fed.test.zone');
  const zone = readFileSync(FED, 'utf8');
  // Last night: good.fed.test's edge had another address and badport.fed.test still used 5061.
  const edited = zone
    .replace(/(\$ORIGIN good\.fed\.test\.[\s\S]*?\nsip\s+A\s+)192\.0\.2\.10/, '$1192.0.2.99')
    .replace(/(\$ORIGIN badport\.fed\.test\.[\s\S]*?_sipfederationtls\._tcp\s+SRV\s+100 1 )443/, '$15061');
  assert.notEqual(edited, zone);
  writeFileSync(previousZone, edited);
  writeFileSync(join(dir, 'hostile.test.zone'), HOSTILE_ZONE);
  const previous = join(dir, 'previous.json');
  files.now = join(dir, 'now.html');
  files.since = join(dir, 'since.html');
  files.hostile = join(dir, 'hostile.html');
  await cli([...ZONE_ARGS, '--format', 'html', '-o', files.now, ...DOMAINS]);
  await cli([...ZONE_ARGS, '--format', 'json', '-o', join(dir, 'now.json'), ...DOMAINS]);
  await cli(['--zone', previousZone, '--zone', join(ZONES, 'contoso.com.zone'), '--zone', join(ZONES, 'fabrikam.com.zone'), '--format', 'json', '-o', previous, ...DOMAINS]);
  await cli([...ZONE_ARGS, '--format', 'html', '--since', previous, '-o', files.since, ...DOMAINS]);
  await cli([...ZONE_ARGS, '--format', 'json', '--since', previous, '-o', join(dir, 'since.json'), ...DOMAINS]);
  await cli(['--zone', join(dir, 'hostile.test.zone'), '--format', 'html', '-o', files.hostile, 'hostile.test']);
  nowJson = JSON.parse(readFileSync(join(dir, 'now.json'), 'utf8')) as RunReport;
  sinceChanges = (JSON.parse(readFileSync(join(dir, 'since.json'), 'utf8')) as RunReport).changes!;
});

after(async () => {
  await browser?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('html report in Chromium', () => {
  test('the counts, the chart and every domain match the same run as JSON; worst first', async (t) => {
    const watch = await openWatched(browser.browser, files.now);
    const page = watch.page;
    const counts = await inPage<Record<string, number>>(
      page,
      `Object.fromEntries(Array.from(document.querySelectorAll('[data-count]')).map(function (e) { return [e.getAttribute('data-count'), Number(e.textContent)]; }))`,
    );
    const s = nowJson.summary;
    assert.deepEqual(counts, { fail: s.fail, unknown: s.unknown, warn: s.warn, pass: s.pass });
    assert.ok(s.fail > 0 && s.pass > 0 && s.warn > 0, 'the scenarios have every status');
    const list = await rows(page);
    assert.deepEqual(
      list.map((r) => [r.name, r.status]).sort(),
      nowJson.domains.map((d) => [d.domain, d.status]).sort(),
    );
    const rank = { fail: 0, unknown: 1, warn: 2, pass: 3 } as Record<string, number>;
    assert.deepEqual(list.map((r) => rank[r.status]), list.map((r) => rank[r.status]).sort((a, b) => a! - b!), 'worst first');
    assert.equal(await inPage<string>(page, `document.getElementById('shown').textContent`), `${list.length} domains`);
    assert.ok(list.every((r) => r.shown && !r.open));
    await shot(watch, 'report-light.png', t);
    await assertQuiet(watch);
    await page.close();
  });

  test('sorting by domain, status and problems; filtering by status, rule and text', async () => {
    const watch = await openWatched(browser.browser, files.now);
    const page = watch.page;
    const names = async (): Promise<string[]> => (await rows(page)).filter((r) => r.shown).map((r) => r.name);
    const sections = async (): Promise<[string[], string[]]> => {
      const all = (await rows(page)).filter((r) => r.shown);
      return [all.filter((r) => !r.line).map((r) => r.name), all.filter((r) => r.line).map((r) => r.name)];
    };
    const byName = (list: readonly string[]): string[] => [...list].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    await page.click('[data-sort="domain"] button');
    // The domains in full and the passing list are each sorted.
    const [full, lines] = await sections();
    assert.ok(full.length > 1 && lines.length > 1);
    assert.deepEqual(full, byName(full));
    assert.deepEqual(lines, byName(lines));
    assert.equal(await inPage<string>(page, `document.querySelector('[data-sort="domain"]').getAttribute('aria-sort')`), 'ascending');
    await page.click('[data-sort="domain"] button');
    assert.deepEqual(await sections(), [[...full].reverse(), [...lines].reverse()]);
    await page.click('[data-sort="problems"] button');
    const problems = await inPage<number[]>(page, `Array.from(document.querySelectorAll('#list > details')).map(function (e) { return Number(e.getAttribute('data-n')); })`);
    assert.deepEqual(problems, [...problems].sort((a, b) => a - b));
    assert.ok(problems[problems.length - 1]! > 0);

    await page.select('select[name=status]', 'fail');
    const failing = (await rows(page)).filter((r) => r.shown);
    assert.equal(failing.length, nowJson.summary.fail);
    assert.ok(failing.every((r) => r.status === 'fail'));
    assert.equal(await inPage<string>(page, `document.getElementById('shown').textContent`), `${nowJson.summary.fail} of ${nowJson.domains.length} domains shown`);
    await page.select('select[name=status]', '');
    await page.select('select[name=rule]', 'sipfed-port');
    const withRule = nowJson.domains.filter((d) => d.findings.some((f) => f.rule === 'sipfed-port' && f.status !== 'pass')).map((d) => d.domain);
    assert.ok(withRule.includes('badport.fed.test'));
    assert.deepEqual(await names(), withRule.sort());
    await page.select('select[name=rule]', '');
    await page.type('input[name=q]', 'NXTARGET');
    await page.waitForFunction(`document.getElementById('shown').textContent.indexOf(' of ') > 0`);
    assert.deepEqual(await names(), ['nxtarget.fed.test']);
    await assertQuiet(watch);
    await page.close();
  });

  test('a domain expands to its findings, what breaks, the source, the record to publish and its records', async (t) => {
    const watch = await openWatched(browser.browser, files.now);
    const page = watch.page;
    const selector = '#list > details[data-name="badport.fed.test"]';
    assert.equal(await inPage<boolean>(page, `document.querySelector('${selector} .b').checkVisibility()`), false);
    await page.click(`${selector} > summary`);
    const body = await inPage<{ open: boolean; visible: boolean; text: string; publish: string; records: string[] }>(
      page,
      `(function () { var d = document.querySelector('${selector}');
        return { open: d.open, visible: d.querySelector('.b').checkVisibility(), text: d.querySelector('.b').innerText,
                 publish: d.querySelector('pre.zone').textContent,
                 records: Array.from(d.querySelectorAll('table.rec tbody tr')).map(function (r) { return r.innerText.replace(/\\s+/g, ' ').trim(); }) }; })()`,
    );
    assert.ok(body.open && body.visible);
    assert.match(body.text, /sipfed-port/);
    assert.match(body.text, /What breaks/);
    assert.match(body.text, /Source/);
    assert.match(body.publish, /^_sipfederationtls\._tcp\.badport\.fed\.test\. 3600 IN SRV \d+ \d+ 5061 sip\.badport\.fed\.test\.$/);
    assert.ok(body.records.some((r) => /^_sipfederationtls\._tcp\.badport\.fed\.test SRV 100 1 443 sip\.badport\.fed\.test/.test(r)), body.records.join('\n'));
    assert.ok(body.records.some((r) => /^sip\.badport\.fed\.test A 192\.0\.2\.12/.test(r)), body.records.join('\n'));
    await page.evaluate(`document.querySelector('${selector}').scrollIntoView()`);
    await shot(watch, 'report-expanded.png', t);
    // "Expand shown" opens exactly the domains the filter shows.
    await page.select('select[name=status]', 'warn');
    await page.click('#expand');
    const list = await rows(page);
    assert.ok(list.filter((r) => r.status === 'warn').every((r) => r.open));
    assert.ok(list.filter((r) => r.status === 'pass').every((r) => !r.open));
    // A link of the summary opens the domain it names.
    await page.select('select[name=status]', '');
    const link = await inPage<string>(page, `document.querySelector('.worst a').getAttribute('href')`);
    assert.match(link, /^#d-\d+$/);
    await page.click('.worst a');
    await page.waitForFunction(`document.getElementById('${link.slice(1)}').open`, { timeout: 5000 });
    await assertQuiet(watch);
    await page.close();
  });

  test('--since: the changed domains, rules and records are highlighted, and "changed only" shows exactly them', async (t) => {
    const watch = await openWatched(browser.browser, files.since);
    const page = watch.page;
    const expected = new Set([...sinceChanges.domains.filter((c) => c.kind !== 'removed'), ...sinceChanges.rules, ...sinceChanges.records].map((c) => c.domain));
    assert.ok(expected.has('badport.fed.test') && expected.has('good.fed.test'), [...expected].join());
    const list = await rows(page);
    assert.deepEqual(list.filter((r) => r.changed).map((r) => r.name).sort(), [...expected].sort());
    const good = '#list > details[data-name="good.fed.test"]';
    const look = await inPage<{ tag: boolean; tagBg: string; plainBg: string; del: string; ins: string; row: string }>(
      page,
      `(function () { var d = document.querySelector('${good}'); d.open = true;
        var tag = d.querySelector('summary .tag'), row = d.querySelector('table.rec tr.changed');
        return { tag: tag !== null && tag.checkVisibility(), tagBg: tag && getComputedStyle(tag).backgroundColor,
                 plainBg: getComputedStyle(d.querySelector('summary')).backgroundColor,
                 del: d.querySelector('.chg del').textContent, ins: d.querySelector('.chg ins').textContent,
                 row: row ? row.innerText.replace(/\\s+/g, ' ').trim() : '' }; })()`,
    );
    assert.ok(look.tag);
    assert.notEqual(look.tagBg, look.plainBg, 'the changed tag stands out');
    assert.equal(look.del, '192.0.2.99');
    assert.equal(look.ins, '192.0.2.10');
    assert.match(look.row, /^sip\.good\.fed\.test A 192\.0\.2\.10/);
    const badport = await inPage<string>(page, `document.querySelector('#list > details[data-name="badport.fed.test"] .chg').textContent`);
    assert.match(badport, /newly failing: pass → fail/);
    assert.match(await inPage<string>(page, `document.querySelector('.card').innerText`), /Changes since/);
    await page.click('input[name=changed]');
    assert.deepEqual((await rows(page)).filter((r) => r.shown).map((r) => r.name).sort(), [...expected].sort());
    await page.evaluate(`document.querySelector('${good}').scrollIntoView()`);
    await shot(watch, 'report-since.png', t);
    await assertQuiet(watch);
    await page.close();
  });

  test('with scripting off every domain and finding is still there, and a domain still expands', async (t) => {
    const watch = await openWatched(browser.browser, files.now, { javaScript: false });
    const page = watch.page;
    const list = await rows(page);
    assert.equal(list.length, nowJson.domains.length);
    assert.ok(list.every((r) => r.shown));
    assert.equal(await inPage<boolean>(page, `document.getElementById('controls').checkVisibility()`), false, 'controls need the script');
    const findings = await inPage<number>(page, `document.querySelectorAll('#list .findings > li').length`);
    assert.equal(findings, nowJson.domains.flatMap((d) => d.findings.filter((f) => f.status === 'warn' || f.status === 'fail' || f.status === 'unknown')).length);
    // <details> opens natively, without any script.
    await page.click('#list > details[data-status="fail"] > summary');
    assert.equal(await inPage<boolean>(page, `document.querySelector('#list > details[data-status="fail"] .findings').checkVisibility()`), true);
    await shot(watch, 'report-noscript.png', t);
    assert.deepEqual(watch.requests, []);
    await page.close();
  });

  test('dark and print: the colour scheme follows the system, and print shows the problems without the controls', async (t) => {
    const light = await openWatched(browser.browser, files.now);
    const dark = await openWatched(browser.browser, files.now, { dark: true });
    const bg = (p: PageWatch): Promise<string> => inPage<string>(p.page, `getComputedStyle(document.documentElement).backgroundColor`);
    const lum = (rgb: string): number => (rgb.match(/\d+/g) ?? []).slice(0, 3).map(Number).reduce((a, b) => a + b, 0);
    assert.ok(lum(await bg(light)) > 600, await bg(light));
    assert.ok(lum(await bg(dark)) < 150, await bg(dark));
    await shot(dark, 'report-dark.png', t);
    await light.page.emulateMediaType('print');
    const print = await inPage<{ controls: boolean; finding: boolean; passing: boolean }>(
      light.page,
      `({ controls: document.getElementById('controls').checkVisibility(),
          finding: document.querySelector('#list > details[data-status="fail"] .findings').checkVisibility(),
          passing: document.querySelector('#passing li').checkVisibility() })`,
    );
    assert.deepEqual(print, { controls: false, finding: true, passing: true });
    const pdf = await light.page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 10_000);
    await assertQuiet(light);
    await assertQuiet(dark);
    await light.page.close();
    await dark.page.close();
  });

  test('hostile names from DNS render as text and run nothing', async (t) => {
    const watch = await openWatched(browser.browser, files.hostile);
    const page = watch.page;
    const d = '#list > details[data-name="hostile.test"]';
    await page.click(`${d} > summary`);
    const seen = await inPage<{ text: string; scripts: number; handlers: string[]; links: string[]; elements: string[] }>(
      page,
      `(function () { var all = Array.from(document.querySelectorAll('*'));
        return { text: document.querySelector('${d}').innerText, scripts: document.scripts.length,
                 handlers: all.flatMap(function (e) { return Array.from(e.attributes).filter(function (a) { return /^on/i.test(a.name); }).map(function (a) { return e.tagName + ' ' + a.name; }); }),
                 links: Array.from(document.querySelectorAll('a[href]')).map(function (a) { return a.getAttribute('href'); }),
                 elements: Array.from(new Set(all.map(function (e) { return e.tagName.toLowerCase(); }))).sort() }; })()`,
    );
    assert.match(seen.text, /<script>alert\\\(1\\\)<\/script>\.hostile\.test|<script>alert\(1\)<\/script>\.hostile\.test/, seen.text);
    assert.ok(seen.text.includes('onmouseover=alert'), seen.text);
    assert.ok(seen.text.includes('javascript:alert'), seen.text);
    assert.ok(seen.text.includes('sip\\027[31m\\000'), `bytes shown as \\DDD: ${seen.text}`);
    assert.equal(seen.scripts, 1, 'only the report script');
    assert.deepEqual(seen.handlers, []);
    for (const link of seen.links) assert.match(link, /^(#d-\d+|https:\/\/)/);
    assert.ok(!seen.links.some((l) => l.includes('javascript') || l.includes('hostile')));
    assert.ok(!seen.elements.includes('img') && !seen.elements.includes('iframe'), seen.elements.join());
    // Move the mouse over every line of the domain and click its parts: nothing may fire.
    for (const handle of await page.$$(`${d} td, ${d} li, ${d} p`)) await handle.hover();
    for (const handle of await page.$$(`${d} td`)) await handle.click();
    await shot(watch, 'report-hostile.png', t);
    await assertQuiet(watch);
    await page.close();
  });

  test('the Content-Security-Policy blocks injected inline handlers, scripts and styles', async () => {
    const watch = await openWatched(browser.browser, files.now);
    const page = watch.page;
    await page.evaluate(`(function () {
      document.body.insertAdjacentHTML('beforeend', '<div id="inj" onclick="window.__ran = 1">x</div><img id="img" src="x.png">');
      var s = document.createElement('script'); s.textContent = 'window.__ran2 = 1'; document.body.appendChild(s);
      var st = document.createElement('style'); st.textContent = 'html { background: rgb(1, 2, 3) !important }'; document.head.appendChild(st);
      document.getElementById('inj').setAttribute('style', 'color: rgb(1, 2, 3)');
    })()`);
    await page.click('#inj');
    await page.waitForFunction('window.__violations.length >= 4');
    const result = await inPage<{ ran: unknown; ran2: unknown; bg: string; color: string }>(
      page,
      `({ ran: window.__ran, ran2: window.__ran2, bg: getComputedStyle(document.documentElement).backgroundColor, color: getComputedStyle(document.getElementById('inj')).color })`,
    );
    assert.equal(result.ran, undefined, 'the inline handler did not run');
    assert.equal(result.ran2, undefined, 'the injected script did not run');
    assert.notEqual(result.bg, 'rgb(1, 2, 3)', 'the injected style sheet was not applied');
    assert.notEqual(result.color, 'rgb(1, 2, 3)', 'the style attribute was not applied');
    const violations = await watch.violations();
    for (const directive of ['script-src-attr', 'script-src-elem', 'style-src-elem', 'img-src']) {
      assert.ok(violations.some((v) => v.startsWith(directive)), `${directive} blocked: ${violations.join('; ')}`);
    }
    assert.deepEqual(watch.requests, [], 'the blocked image was never requested');
    assert.deepEqual(watch.dialogs, []);
    await page.close();
  });
});
