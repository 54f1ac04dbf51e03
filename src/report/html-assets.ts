/**
 * The style sheet and the script of the HTML report (`--format html`), and
 * the Content-Security-Policy that admits exactly these two by their SHA-256
 * hashes (CSP Level 3, "hash-source"): nothing else can run or style the page,
 * no inline event handler, no `style` attribute, no fetch of any kind.
 *
 * The script only sorts, filters and expands what the HTML already holds:
 * with scripting off the report reads the same (every domain is a
 * `<details>`), only the controls stay hidden. It reads everything it needs
 * from the DOM (`data-*` attributes written by src/report/html.ts, never from
 * DNS text), and writes only `textContent`, `hidden`, `open` and attributes
 * of its own: no string ever becomes markup.
 */
import { createHash } from 'node:crypto';

/** The report's style sheet: light and dark (`prefers-color-scheme`), and a print layout. */
export const HTML_STYLE = `
:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--fg:#1d2330;--muted:#5b6475;--line:#dde1e8;--head:#eef1f5;--accent:#2856b8;
--pass:#1f7a3d;--pass-bg:#e3f4e8;--info:#1b6f8f;--info-bg:#e1f1f7;--warn:#8a5a00;--warn-bg:#fdf0d2;--fail:#b3261e;--fail-bg:#fbe3e1;--unknown:#6b3fa0;--unknown-bg:#efe6f8;
--chg:#fff3b0;--chg-fg:#4d3b00;--del:#b3261e;--ins:#1f7a3d}
@media (prefers-color-scheme:dark){:root{--bg:#14171c;--card:#1c2027;--fg:#e3e7ee;--muted:#9aa3b2;--line:#323844;--head:#232833;--accent:#8fb0ff;
--pass:#6fd08f;--pass-bg:#17321f;--info:#6cc7e6;--info-bg:#122c36;--warn:#f0c05a;--warn-bg:#3a2e10;--fail:#ff8a80;--fail-bg:#3d1a18;--unknown:#c9a6f5;--unknown-bg:#2d2140;
--chg:#4a3f10;--chg-fg:#fff1b8;--del:#ff8a80;--ins:#6fd08f}}
*{box-sizing:border-box}
[hidden]{display:none!important}
html{background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
body{margin:0 auto;max-width:1200px;padding:24px 20px 40px}
h1{font-size:1.6rem;margin:0 0 4px;letter-spacing:-.01em}
h2{font-size:1.15rem;margin:0 0 12px}
h3{font-size:1rem;margin:18px 0 8px}
h4{font-size:.8rem;margin:14px 0 6px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.86em}
.n{unicode-bidi:isolate;overflow-wrap:anywhere}
a{color:var(--accent)}
header.top{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:8px 24px;margin-bottom:16px}
header.top p{margin:0;color:var(--muted)}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:18px 20px;margin-bottom:18px}
.glance{display:grid;grid-template-columns:minmax(260px,340px) 1fr;gap:18px 32px;align-items:start}
@media (max-width:760px){.glance{grid-template-columns:1fr}}
.chart{margin:0}
.chart svg{display:block;width:100%;height:auto}
.chart figcaption{margin-bottom:10px;color:var(--muted)}
.chart figcaption strong{font-size:1.9rem;color:var(--fg);margin-right:6px}
.chart text{font:13px system-ui,sans-serif;fill:var(--fg)}
.chart .track{fill:var(--head)}
.bar-pass{fill:var(--pass)}.bar-warn{fill:var(--warn)}.bar-fail{fill:var(--fail)}.bar-unknown{fill:var(--unknown)}
.run{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
.run dt{color:var(--muted)}.run dd{margin:0}
.worst{margin:0;padding:0;list-style:none}
.worst li{padding:8px 0;border-top:1px solid var(--line)}
.worst li:first-child{border-top:0}
.worst .what{color:var(--muted);font-size:.92em}
.badge{display:inline-block;min-width:4.6em;text-align:center;font-size:.72rem;font-weight:700;letter-spacing:.04em;padding:1px 6px;border-radius:4px;text-transform:uppercase}
.s-pass{color:var(--pass);background:var(--pass-bg)}.s-info{color:var(--info);background:var(--info-bg)}.s-warn{color:var(--warn);background:var(--warn-bg)}
.s-fail{color:var(--fail);background:var(--fail-bg)}.s-unknown{color:var(--unknown);background:var(--unknown-bg)}
.tag{display:inline-block;font-size:.72rem;font-weight:600;padding:0 6px;border-radius:4px;background:var(--chg);color:var(--chg-fg);margin-left:6px}
.controls{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center;margin-bottom:10px}
.controls label{display:flex;gap:6px;align-items:center;color:var(--muted);font-size:.9em}
.controls select,.controls input[type=search],.controls button{font:inherit;font-size:.9em;color:var(--fg);background:var(--card);border:1px solid var(--line);border-radius:6px;padding:4px 8px}
.controls input[type=search]{min-width:16em}
.controls output{margin-left:auto;color:var(--muted);font-size:.9em}
.row,.d>summary{display:grid;grid-template-columns:minmax(12em,2.2fr) 10.5em minmax(6em,1fr) 5.6em minmax(10em,3fr);gap:0 12px;align-items:baseline;padding:7px 12px}
.thead{font-size:.78rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);background:var(--head);border:1px solid var(--line);border-radius:8px 8px 0 0}
.thead button{all:unset;cursor:pointer;color:inherit}
.thead button:focus-visible{outline:2px solid var(--accent)}
.thead [aria-sort=ascending] button::after{content:" \\25B2"}.thead [aria-sort=descending] button::after{content:" \\25BC"}
#list{border:1px solid var(--line);border-top:0;border-radius:0 0 8px 8px;background:var(--card)}
.d{border-top:1px solid var(--line);content-visibility:auto;contain-intrinsic-size:auto 2.3em}
.d:first-child{border-top:0}
.d>summary{cursor:pointer;list-style:none}
.d>summary::-webkit-details-marker{display:none}
.d>summary:hover{background:var(--head)}
.d>summary .dom::before{content:"\\25B8";display:inline-block;width:1.1em;color:var(--muted)}
.d[open]>summary .dom::before{content:"\\25BE"}
.d[open]>summary{background:var(--head)}
.msg{color:var(--muted);overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.input{color:var(--muted);font-size:.85em;margin-left:.4em}
.num{text-align:right;font-variant-numeric:tabular-nums}
.b{padding:4px 16px 14px 32px}
.findings{list-style:none;margin:0;padding:0}
.f{border-left:3px solid var(--line);padding:6px 0 6px 12px;margin:8px 0}
.f.fail{border-color:var(--fail)}.f.warn{border-color:var(--warn)}.f.unknown{border-color:var(--unknown)}
.f p{margin:4px 0}
.f dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0 0;font-size:.92em}
.f dt{color:var(--muted)}.f dd{margin:0}
pre.recs{margin:6px 0;font-size:.84em;line-height:1.6;white-space:pre-wrap;overflow-wrap:anywhere}
pre.zone{margin:0;padding:6px 8px;background:var(--head);border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere}
.ok{color:var(--muted);font-size:.92em;margin:6px 0}
.ck{list-style:none;margin:0;padding:0;border:1px solid var(--line);border-top:0;background:var(--card);content-visibility:auto;contain-intrinsic-size:auto 40000px}
.ck:first-child{border-top:1px solid var(--line)}
.ck>li{display:grid;grid-template-columns:minmax(12em,2.2fr) minmax(6em,1fr) 5fr;gap:0 12px;padding:4px 12px;border-top:1px solid var(--line);font-size:.92em}
.ck>li:first-child{border-top:0}
.ck .mono{color:var(--muted)}
table.rec{border-collapse:collapse;width:100%;font-size:.9em}
table.rec th{text-align:left;font-weight:600;color:var(--muted);border-bottom:1px solid var(--line);padding:3px 8px}
table.rec td{border-bottom:1px solid var(--line);padding:3px 8px;vertical-align:top}
table.rec tr.sub td:first-child{padding-left:22px}
.changed{background:var(--chg);color:var(--chg-fg)}
.chg ul{margin:0;padding-left:18px}
del{color:var(--del)}ins{color:var(--ins);text-decoration:none;font-weight:600}
.more{color:var(--muted);font-size:.9em}
footer{color:var(--muted);font-size:.85em;margin-top:20px}
@media print{
html{background:#fff;color:#000;font-size:11pt}
body{max-width:none;padding:0}
.controls,.noprint{display:none!important}
.card{border:0;padding:0}
.d,.ck{content-visibility:visible;break-inside:avoid}
.ck>li{break-inside:avoid}
.d:not([data-status=pass])::details-content{content-visibility:visible;display:block}
.msg{white-space:normal}
a{color:inherit;text-decoration:none}
}
`;

/**
 * The report's script: sorting by column, filtering by status, rule, text
 * and change, expand / collapse, opening the domain a `#d-N` link points at,
 * and opening the problem domains for printing. ES5-ish on purpose: no
 * template literals (this text lives in one), no dependency on anything.
 */
export const HTML_SCRIPT = `
(function () {
  'use strict';
  var list = document.getElementById('list');
  var form = document.getElementById('controls');
  if (!list || !form) return;
  var slice = function (l) { return Array.prototype.slice.call(l); };
  var rows = slice(list.querySelectorAll('details.d'));
  var chunks = slice(document.querySelectorAll('#passing > ol.ck'));
  var lines = [];
  chunks.forEach(function (c) { for (var e = c.firstElementChild; e !== null; e = e.nextElementSibling) lines.push(e); });
  var total = rows.length + lines.length;
  var shown = document.getElementById('shown');
  var field = function (name) { return form.elements.namedItem(name); };
  var texts = null, lineTexts = null;
  form.hidden = false;
  form.addEventListener('submit', function (e) { e.preventDefault(); });

  function apply() {
    var s = field('status').value, r = field('rule').value, c = field('changed');
    var t = field('q').value.trim().toLowerCase(), only = c !== null && c.checked, n = 0, i, e, ok;
    if (t !== '' && texts === null) {
      texts = rows.map(function (e) { return e.textContent.toLowerCase(); });
      lineTexts = lines.map(function (e) { return e.textContent.toLowerCase(); });
    }
    for (i = 0; i < rows.length; i++) {
      e = rows[i];
      var st = e.getAttribute('data-status');
      ok = true;
      if (s === 'problems') ok = st !== 'pass'; else if (s !== '') ok = st === s;
      if (ok && r !== '') ok = (' ' + (e.getAttribute('data-rules') || '') + ' ').indexOf(' ' + r + ' ') >= 0;
      if (ok && only) ok = e.hasAttribute('data-changed');
      if (ok && t !== '') ok = texts[i].indexOf(t) >= 0;
      if (e.hidden === ok) e.hidden = !ok;
      if (ok) n++;
    }
    // The one-line list: data-status absent means pass.
    for (i = 0; i < lines.length; i++) {
      e = lines[i];
      var ls = e.getAttribute('data-status') || 'pass';
      ok = true;
      if (s === 'problems') ok = ls !== 'pass'; else if (s !== '') ok = ls === s;
      if (ok && r !== '') ok = (' ' + (e.getAttribute('data-rules') || '') + ' ').indexOf(' ' + r + ' ') >= 0;
      if (ok && only) ok = e.hasAttribute('data-changed');
      if (ok && t !== '') ok = lineTexts[i].indexOf(t) >= 0;
      if (e.hidden === ok) e.hidden = !ok;
      if (ok) n++;
    }
    chunks.forEach(function (c) {
      var any = false;
      for (var x = c.firstElementChild; x !== null && !any; x = x.nextElementSibling) any = !x.hidden;
      if (c.hidden === any) c.hidden = !any;
    });
    shown.textContent = n === total ? total + ' domains' : n + ' of ' + total + ' domains shown';
  }
  var timer = 0;
  form.addEventListener('change', apply);
  form.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(apply, 150); });

  var SEVERITY = { pass: 0, warn: 2, unknown: 3, fail: 4 };
  var keys = {
    domain: function (e) { return e.getAttribute('data-name'); },
    status: function (e) { return SEVERITY[e.getAttribute('data-status')] || 0; },
    profile: function (e) { return e.getAttribute('data-profile') || 'federation'; },
    problems: function (e) { return Number(e.getAttribute('data-n') || 0); }
  };
  var lineKeys = {
    domain: function (e) { return e.firstElementChild.firstChild.nodeValue.toLowerCase(); },
    status: keys.status,
    profile: function (e) { return e.children[1].textContent; },
    problems: keys.problems
  };
  function sorted(items, get, dir) {
    var order = items.map(function (e, i) { return { e: e, k: get(e), i: i }; });
    order.sort(function (a, b) {
      var x = a.k < b.k ? -1 : a.k > b.k ? 1 : 0;
      return x !== 0 ? x * dir : a.i - b.i;
    });
    return order.map(function (o) { return o.e; });
  }
  var heads = document.querySelectorAll('[data-sort]');
  slice(heads).forEach(function (h) {
    var b = document.createElement('button');
    b.type = 'button';
    b.textContent = h.textContent;
    h.textContent = '';
    h.appendChild(b);
    b.addEventListener('click', function () {
      var key = h.getAttribute('data-sort'), dir = h.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      slice(heads).forEach(function (o) { o.removeAttribute('aria-sort'); });
      h.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
      var frag = document.createDocumentFragment(), i;
      rows = sorted(rows, keys[key], dir);
      texts = null;
      for (i = 0; i < rows.length; i++) frag.appendChild(rows[i]);
      list.appendChild(frag);
      if (lineKeys[key] !== undefined && lines.length > 0) {
        lines = sorted(lines, lineKeys[key], dir);
        lineTexts = null;
        // Refill the chunks in order, each as many lines as before.
        var at = 0;
        chunks.forEach(function (c) {
          var size = c.children.length, part = document.createDocumentFragment();
          for (var j = 0; j < size; j++) part.appendChild(lines[at++]);
          c.appendChild(part);
        });
      }
      apply();
    });
  });

  function setOpen(open) {
    for (var i = 0; i < rows.length; i++) if (!rows[i].hidden) rows[i].open = open;
  }
  document.getElementById('expand').addEventListener('click', function () { setOpen(true); });
  document.getElementById('collapse').addEventListener('click', function () { setOpen(false); });

  function follow() {
    var id = decodeURIComponent(location.hash.slice(1));
    var e = id === '' ? null : document.getElementById(id);
    if (e !== null && e.tagName === 'DETAILS') { e.hidden = false; e.open = true; e.scrollIntoView(); }
  }
  window.addEventListener('hashchange', follow);
  follow();

  var opened = [];
  window.addEventListener('beforeprint', function () {
    for (var i = 0; i < rows.length; i++) {
      var e = rows[i];
      if (!e.open && !e.hidden && e.getAttribute('data-status') !== 'pass') { e.open = true; opened.push(e); }
    }
  });
  window.addEventListener('afterprint', function () {
    for (var i = 0; i < opened.length; i++) opened[i].open = false;
    opened = [];
  });
  apply();
})();
`;

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * The policy of the report's `<meta http-equiv>` tag: nothing by default,
 * the one style sheet and the one script by hash, images only as `data:`
 * (there are none today; a screenshot of a certificate chain could be one),
 * no `<base>`, no form submission. A `<meta>` policy cannot carry
 * `frame-ancestors` or reporting, which a local file does not need.
 */
export const HTML_CSP = [
  "default-src 'none'",
  `style-src ${sha256(HTML_STYLE)}`,
  `script-src ${sha256(HTML_SCRIPT)}`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
