import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { diffReports } from '../../src/report/diff.js';
import { parsePreviousReport } from '../../src/input/previous-report.js';
import { renderJson } from '../../src/report/json.js';
import { CHANGES_SUITE, renderJunit } from '../../src/report/junit.js';
import { render } from '../../src/report/render.js';
import { assertJunit, xmllintJunit } from '../support/report-checks.js';
import { domain, failing, HOSTILE, passing, report, TIMEOUT_DETAIL, unknown, warning } from './output-fixtures.js';

// ---------------------------------------------------------------------------
// The judge of every document here is xmllint: well-formed XML 1.0 and valid
// against a JUnit XSD (test/support/junit.xsd), see `read`. What follows is
// only a reader of the subset a JUnit file uses (declaration, elements,
// attributes, character data, the predefined entities, character references,
// comments) into a tree the assertions walk; it still refuses what it cannot
// read rather than guess.
// ---------------------------------------------------------------------------

interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly (XmlElement | string)[];
}

class XmlError extends Error {}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function parseXml(text: string): XmlElement {
  let pos = 0;
  const fail = (what: string): never => {
    throw new XmlError(`${what} at offset ${pos}: ${JSON.stringify(text.slice(pos, pos + 30))}`);
  };
  const startsWith = (s: string): boolean => text.startsWith(s, pos);
  const expect = (s: string): void => {
    if (!startsWith(s)) fail(`expected ${JSON.stringify(s)}`);
    pos += s.length;
  };
  const space = (): boolean => {
    const start = pos;
    while (pos < text.length && ' \t\r\n'.includes(text[pos]!)) pos += 1;
    return pos > start;
  };
  const name = (): string => {
    const m = /^[A-Za-z_:][A-Za-z0-9._:-]*/.exec(text.slice(pos));
    if (m === null) return fail('expected a name');
    pos += m[0].length;
    return m[0];
  };
  const reference = (): string => {
    expect('&');
    const end = text.indexOf(';', pos);
    if (end < 0) fail('unterminated reference');
    const body = text.slice(pos, end);
    pos = end + 1;
    let cp: number;
    if (/^#[0-9]+$/.test(body)) cp = Number(body.slice(1));
    else if (/^#x[0-9A-Fa-f]+$/.test(body)) cp = parseInt(body.slice(2), 16);
    else {
      const value = PREDEFINED[body];
      return value ?? fail(`undeclared entity &${body};`);
    }
    return String.fromCodePoint(cp);
  };
  const misc = (): void => {
    for (;;) {
      space();
      if (startsWith('<!--')) {
        const end = text.indexOf('-->', pos);
        if (end < 0) fail('unterminated comment');
        if (text.slice(pos + 4, end).includes('--')) fail('-- inside a comment');
        pos = end + 3;
      } else return;
    }
  };
  const element = (): XmlElement => {
    expect('<');
    const tag = name();
    const attrs: Record<string, string> = {};
    for (;;) {
      const spaced = space();
      if (startsWith('/>')) {
        pos += 2;
        return { name: tag, attrs, children: [] };
      }
      if (startsWith('>')) {
        pos += 1;
        break;
      }
      if (!spaced) fail('expected white space before an attribute');
      const attr = name();
      if (attr in attrs) fail(`duplicate attribute ${attr}`);
      space();
      expect('=');
      space();
      const quote = text[pos];
      if (quote !== '"' && quote !== "'") return fail('expected a quoted attribute value');
      pos += 1;
      let value = '';
      while (text[pos] !== quote) {
        if (pos >= text.length) fail('unterminated attribute value');
        const c = text[pos]!;
        if (c === '<') fail('< in an attribute value');
        if (c === '&') value += reference();
        else {
          // Attribute-value normalisation (§3.3.3): literal white space becomes a space.
          value += '\t\n\r'.includes(c) ? ' ' : c;
          pos += 1;
        }
      }
      pos += 1;
      attrs[attr] = value;
    }
    const children: (XmlElement | string)[] = [];
    let chars = '';
    for (;;) {
      if (pos >= text.length) fail(`unclosed <${tag}>`);
      if (startsWith('</')) {
        pos += 2;
        const closing = name();
        if (closing !== tag) fail(`</${closing}> closes <${tag}>`);
        space();
        expect('>');
        if (chars !== '') children.push(chars);
        return { name: tag, attrs, children };
      }
      if (startsWith('<!--')) {
        misc();
        continue;
      }
      if (startsWith('<![CDATA[')) {
        const end = text.indexOf(']]>', pos);
        if (end < 0) fail('unterminated CDATA');
        chars += text.slice(pos + 9, end);
        pos = end + 3;
        continue;
      }
      if (startsWith('<')) {
        if (chars !== '') children.push(chars);
        chars = '';
        children.push(element());
        continue;
      }
      if (startsWith('&')) {
        chars += reference();
        continue;
      }
      if (startsWith(']]>')) fail(']]> in character data');
      // Line-end normalisation (§2.11).
      if (startsWith('\r\n')) {
        chars += '\n';
        pos += 2;
        continue;
      }
      chars += text[pos] === '\r' ? '\n' : text[pos];
      pos += 1;
    }
  };

  if (startsWith('<?xml')) {
    const end = text.indexOf('?>', pos);
    if (end < 0) fail('unterminated XML declaration');
    const decl = text.slice(pos, end + 2);
    if (!/^<\?xml version="1\.0"( encoding="UTF-8")?( standalone="(yes|no)")? ?\?>$/.test(decl)) fail('bad XML declaration');
    pos = end + 2;
  }
  misc();
  const root = element();
  misc();
  if (pos !== text.length) fail('content after the root element');
  return root;
}

const elements = (el: XmlElement, name?: string): XmlElement[] =>
  el.children.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || c.name === name));
const textOf = (el: XmlElement): string => el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
const int = (el: XmlElement, attr: string): number => {
  const v = el.attrs[attr];
  assert.ok(v !== undefined && /^\d+$/.test(v), `${el.name}@${attr} = ${v}`);
  return Number(v);
};

// ---------------------------------------------------------------------------

/** A JUnit document as the assertions read it, once xmllint has found it well-formed and valid. */
function read(xml: string): XmlElement {
  assertJunit(xml);
  return parseXml(xml);
}

describe('the judges themselves', () => {
  const suite = (body: string, attrs = 'tests="0" failures="0" errors="0"'): string =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="x" ${attrs}>${body}</testsuite></testsuites>\n`;

  test('xmllint accepts a valid JUnit document, and the reader decodes its references', () => {
    const root = read(suite('<system-out>t&lt;&#65;<!-- c --></system-out>', 'tests="0" failures="0" errors="0" hostname="1 &amp; &#x3C;"'));
    const s = elements(root, 'testsuite')[0]!;
    assert.equal(s.attrs.hostname, '1 & <');
    assert.equal(textOf(elements(s, 'system-out')[0]!), 't<A');
  });

  test('xmllint rejects what is not well-formed XML 1.0', () => {
    // (A lone surrogate cannot be tested here: written as UTF-8 it becomes U+FFFD, as the CLI's output would.)
    for (const bad of ['&', '<b></system-out>', '\u001b', '&#0;', '&nbsp;', ']]>', '\ufffe', '&#x1b;']) {
      assert.notEqual(xmllintJunit(suite(`<system-out>${bad}</system-out>`)).status, 0, JSON.stringify(bad));
    }
    assert.notEqual(xmllintJunit(suite('', 'tests="0" tests="0" failures="0" errors="0"')).status, 0, 'duplicate attribute');
    assert.notEqual(xmllintJunit(suite('', 'tests="0" failures="0" errors="0" hostname="<"')).status, 0, '< in an attribute');
  });

  test('xmllint rejects what is well-formed but not JUnit', () => {
    for (const bad of [suite('', 'tests="0" failures="0"'), suite('', 'tests="-1" failures="0" errors="0"'), suite('<testcase/>'), suite('<result/>'), '<a/>']) {
      assert.notEqual(xmllintJunit(bad).status, 0, bad);
    }
  });
});

describe('junit format', () => {
  const mixed = report([passing('p.example'), failing('f.example'), unknown('u.example'), warning('w.example')]);

  test('one testsuite per domain, one testcase per finding; counts add up', () => {
    const root = read(renderJunit(mixed));
    assert.equal(root.name, 'testsuites');
    assert.equal(root.attrs.name, 'fedcheck');
    assert.equal(root.attrs.time, '1.25');
    const suites = elements(root, 'testsuite');
    assert.deepEqual(suites.map((s) => s.attrs.name), mixed.domains.map((d) => d.domain));
    let tests = 0;
    let failures = 0;
    let errors = 0;
    suites.forEach((suite, i) => {
      const d = mixed.domains[i]!;
      const cases = elements(suite, 'testcase');
      assert.equal(int(suite, 'tests'), cases.length);
      assert.equal(cases.length, d.findings.length);
      assert.deepEqual(cases.map((c) => c.attrs.classname), d.findings.map(() => d.domain));
      assert.deepEqual(cases.map((c) => c.attrs.name), d.findings.map((f) => `${f.rule} ${f.name}`));
      const f = cases.filter((c) => elements(c, 'failure').length === 1).length;
      const e = cases.filter((c) => elements(c, 'error').length === 1).length;
      assert.equal(int(suite, 'failures'), f);
      assert.equal(int(suite, 'errors'), e);
      assert.equal(int(suite, 'skipped'), 0);
      assert.equal(suite.attrs.timestamp, '2026-01-02T03:04:05');
      const props = elements(elements(suite, 'properties')[0]!, 'property');
      assert.deepEqual(Object.fromEntries(props.map((p) => [p.attrs.name, p.attrs.value])), { status: d.status, input: d.input });
      tests += cases.length;
      failures += f;
      errors += e;
    });
    assert.deepEqual([int(root, 'tests'), int(root, 'failures'), int(root, 'errors')], [tests, failures, errors]);
    assert.ok(failures > 0 && errors > 0);
  });

  test('fail → <failure> with message, what breaks and the source', () => {
    const suite = elements(read(renderJunit(report([failing('f.example')]))), 'testsuite')[0]!;
    const failure = elements(elements(suite, 'testcase')[0]!, 'failure')[0]!;
    assert.equal(failure.attrs.type, 'fail');
    assert.match(failure.attrs.message!, /_sipfederationtls\._tcp\.f\.example SRV is absent/);
    const body = textOf(failure).split('\n');
    assert.equal(body.length, 3);
    assert.match(body[1]!, /^breaks: /);
    assert.match(body[2]!, /^source: .*<https:\/\//);
  });

  test('unknown → <error> ("could not tell"), never <failure> or <skipped>', () => {
    const suite = elements(read(renderJunit(report([unknown('u.example')]))), 'testsuite')[0]!;
    for (const c of elements(suite, 'testcase')) {
      assert.deepEqual(elements(c).map((e) => e.name), ['error']);
      assert.equal(elements(c, 'error')[0]!.attrs.message, `could not tell: ${TIMEOUT_DETAIL}`);
      assert.equal(elements(c, 'error')[0]!.attrs.type, 'unknown');
    }
  });

  test('warn and info pass with <system-out>; pass is an empty test case', () => {
    const suites = elements(read(renderJunit(report([warning('w.example')]))), 'testsuite');
    const cases = elements(suites[0]!, 'testcase');
    const byRule = new Map(cases.map((c) => [c.attrs.name!.split(' ')[0]!, c]));
    const warnOut = elements(byRule.get('sipfed-target-domain')!, 'system-out')[0]!;
    assert.match(textOf(warnOut), /^WARN: SRV target edge\.elsewhere\.example .* lies outside w\.example/);
    assert.match(textOf(elements(byRule.get('xmpp-srv')!, 'system-out')[0]!), /^INFO: /);
    assert.deepEqual(byRule.get('sipfed-srv')!.children, []);
    assert.equal(int(suites[0]!, 'failures') + int(suites[0]!, 'errors'), 0);
  });

  test('hostile names from DNS: well-formed XML, control characters visible as escapes', () => {
    const evil = domain('a.example', { srv: [[443, HOSTILE]], a: { [HOSTILE]: ['192.0.2.1'] } });
    const xml = renderJunit(report([{ ...evil, input: `in\u0007put<&>` }]));
    const root = read(xml); // xmllint refuses any character XML 1.0 forbids
    assert.doesNotMatch(xml.replace(/\n/g, ''), /[\u0000-\u001f\u007f-\u009f]/);
    const suite = elements(root, 'testsuite')[0]!;
    const names = elements(suite, 'testcase').map((c) => c.attrs.name!);
    const target = names.find((n) => n.startsWith('sipfed-target-domain '))!;
    assert.equal(target, 'sipfed-target-domain x\\x1b[31m|<&>"\'\\\\x0a\\x00\\x7f\\x9b\\ud800\\ufffe.evil.example');
    const props = elements(elements(suite, 'properties')[0]!, 'property');
    assert.equal(props.find((p) => p.attrs.name === 'input')!.attrs.value, 'in\\x07put<&>');
  });

  test('--since: a "fedcheck changes" suite, one passing case per change, counts as properties', () => {
    const before = report([passing('a.example'), failing('b.example')]);
    const after = report([failing('a.example'), passing('b.example')]);
    const changes = diffReports(parsePreviousReport(renderJson(before), 'p'), after);
    const root = read(renderJunit({ ...after, changes }));
    const suites = elements(root, 'testsuite');
    assert.equal(suites.length, 3);
    const ch = suites[2]!;
    assert.equal(ch.attrs.name, CHANGES_SUITE);
    const cases = elements(ch, 'testcase');
    assert.equal(cases.length, changes.domains.length + changes.rules.length + changes.records.length);
    assert.equal(int(ch, 'tests'), cases.length);
    assert.equal(int(ch, 'failures') + int(ch, 'errors'), 0);
    assert.ok(cases.some((c) => c.attrs.name === 'newly-failing a.example' && textOf(elements(c, 'system-out')[0]!) === 'newly failing: a.example (pass → fail)'));
    const props = Object.fromEntries(elements(elements(ch, 'properties')[0]!, 'property').map((p) => [p.attrs.name, p.attrs.value]));
    assert.equal(props.since, before.startedAt);
    assert.equal(props['newly-failing'], '1');
    assert.equal(props.recovered, '1');
    const total = suites.reduce((n, s) => n + int(s, 'tests'), 0);
    assert.equal(int(root, 'tests'), total);
  });

  test('--quiet does not apply: CI wants every test case', () => {
    assert.equal(render('junit', mixed, { quiet: true }), renderJunit(mixed));
  });
});
