/**
 * Names in presentation form (src/dns/name-text.ts): escaping every octet as
 * dig does, reading the text back to the same octets, and the label-aware
 * helpers the checks use on names that may hold `\.`.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import {
  escapeLabel,
  foldCase,
  labelText,
  nameKey,
  nameIsAtOrBelow,
  parentName,
  parseLabels,
  presentationLabels,
  sameName,
  textToWire,
  withoutTrailingDot,
} from '../../src/dns/name-text.js';

const octets = (...codes: number[]): string => String.fromCharCode(...codes);
const wire = (...labels: readonly string[]): Buffer => Buffer.concat([...labels.flatMap((l) => [Buffer.from([l.length]), Buffer.from(l, 'latin1')]), Buffer.from([0])]);

describe('escapeLabel and labelText', () => {
  test('every octet: printable ASCII as is, the specials as \\X, the rest as \\DDD; from a string and from bytes alike', () => {
    for (let code = 0; code <= 255; code += 1) {
      const label = octets(0x61, code);
      const text = escapeLabel(label);
      const ch = String.fromCharCode(code);
      const expected = code <= 0x20 || code >= 0x7f ? `\\${String(code).padStart(3, '0')}` : '."\\();@$'.includes(ch) ? `\\${ch}` : ch;
      assert.equal(text, `a${expected}`, `octet ${code}`);
      assert.equal(labelText(Buffer.from(label, 'latin1'), 0, 2), text, `octet ${code} from bytes`);
      assert.deepEqual(parseLabels(text), { ok: true, value: { labels: [label], absolute: false } }, `octet ${code} read back`);
    }
  });

  test('a plain label comes back as the same string; escapes only where needed, in place', () => {
    const plain = '_sipfederationtls';
    assert.equal(escapeLabel(plain), plain);
    assert.equal(escapeLabel(octets(0x73, 0x69, 0x70, 0xff, 0x2e, 0x78, 0x5c)), 'sip\\255\\.x\\\\');
    const buf = Buffer.from([9, 0x78, 0x73, 0x69, 0x70, 0x20, 0x78, 0]);
    assert.equal(labelText(buf, 1, 7), 'xsip\\032x');
    assert.equal(labelText(buf, 1, 1), '');
  });
});

describe('parseLabels', () => {
  test('escapes, dots and the root', () => {
    assert.deepEqual(parseLabels('.'), { ok: true, value: { labels: [], absolute: true } });
    assert.deepEqual(parseLabels('a\\.b.c.'), { ok: true, value: { labels: ['a.b', 'c'], absolute: true } });
    assert.deepEqual(parseLabels('a\\\\.b'), { ok: true, value: { labels: ['a\\', 'b'], absolute: false } });
    assert.deepEqual(parseLabels('x\\.'), { ok: true, value: { labels: ['x.'], absolute: false } });
    assert.deepEqual(parseLabels('\\000\\255\\a'), { ok: true, value: { labels: [octets(0, 255, 0x61)], absolute: false } });
  });

  test('what is not a name, and why', () => {
    const errors: readonly [string, RegExp][] = [
      ['', /^empty domain name$/],
      ['a..b', /^empty label in 'a\.\.b'$/],
      ['.a', /^empty label/],
      ['a\\256', /escape \\256 is above 255 in 'a\\256'/],
      ['a\\25x', /needs three decimal digits/],
      ['a\\', /a lone backslash ends the text in 'a\\'/],
      ['a\u0100', /a character outside one octet/],
      [`${'x'.repeat(64)}.com`, /is 64 octets, more than 63/],
    ];
    for (const [text, error] of errors) {
      const parsed = parseLabels(text);
      assert.ok(!parsed.ok, JSON.stringify(text));
      assert.match(parsed.error, error);
    }
  });
});

describe('textToWire', () => {
  test('absolute with or without the trailing dot; escapes to their octets', () => {
    assert.deepEqual(textToWire('sip\\255x.example.com'), { ok: true, value: wire(octets(0x73, 0x69, 0x70, 0xff, 0x78), 'example', 'com') });
    assert.deepEqual(textToWire('a\\.b.example.'), { ok: true, value: wire('a.b', 'example') });
    assert.deepEqual(textToWire('.'), { ok: true, value: Buffer.from([0]) });
  });

  test('characters outside ASCII stand for their UTF-8 octets', () => {
    assert.deepEqual(textToWire('bücher.example'), { ok: true, value: wire(octets(0x62, 0xc3, 0xbc, 0x63, 0x68, 0x65, 0x72), 'example') });
  });

  test('255 octets on the wire at most (RFC 1035 §2.3.4)', () => {
    const longest = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.');
    const result = textToWire(longest);
    assert.ok(result.ok && result.value.length === 255);
    const over = textToWire(`${longest}d`);
    assert.ok(!over.ok && /256 octets on the wire, more than 255/.test(over.error));
    // Escapes count as the octets they stand for, not as their text.
    const escaped = textToWire(['\\255'.repeat(63), '\\255'.repeat(63), '\\255'.repeat(63), '\\255'.repeat(61)].join('.'));
    assert.ok(escaped.ok && escaped.value.length === 255);
  });
});

describe('the name fold (RFC 4343 §3)', () => {
  test('foldCase lowers ASCII letters and no other character', () => {
    assert.equal(foldCase('SIP.Contoso.COM'), 'sip.contoso.com');
    // Octets 0xc0 (À) and 0xdd (Ý) in a latin1 byte-string label are not letters to DNS.
    assert.equal(foldCase(`A${octets(0xc0, 0xdd)}B`), `a${octets(0xc0, 0xdd)}b`);
    assert.equal(foldCase('İSTANBUL'), 'İstanbul', 'no Unicode case mapping (it would also change the length)');
    assert.equal(foldCase(`${octets(0xc0)}ABC`), `${octets(0xc0)}abc`, 'a non-ASCII character before the letters');
    assert.equal(foldCase(`ABC${octets(0xc0)}`), `abc${octets(0xc0)}`, 'and after them');
  });

  test('foldCase: every character of many random texts, against one folded at a time', () => {
    const alphabet = ['a', 'Z', 'A', 'z', '@', '[', '`', '{', '.', '-', '0', '\\', octets(0xc0), octets(0xe0), 'İ', 'ß', '\u212a'];
    let seed = 7;
    const next = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let i = 0; i < 2000; i += 1) {
      const text = Array.from({ length: next(12) }, () => alphabet[next(alphabet.length)]!).join('');
      const expected = [...text].map((c) => (c >= 'A' && c <= 'Z' ? c.toLowerCase() : c)).join('');
      assert.equal(foldCase(text), expected, JSON.stringify(text));
    }
  });

  test('nameKey: folded, no trailing dot, the root as "."', () => {
    assert.deepEqual(['Contoso.COM.', 'contoso.com', '.', '', 'A\\.', 'a\\.b.'].map(nameKey), ['contoso.com', 'contoso.com', '.', '.', 'a\\.', 'a\\.b']);
  });
});

describe('sameName (RFC 4343)', () => {
  test('equal: case of ASCII letters, trailing dot, spelling of escapes', () => {
    const pairs: readonly [string, string][] = [
      ['Sip.Example.com.', 'sip.example.com'],
      ['a\\.b.example', 'A\\046B.example.'],
      ['\\065', 'a'],
      ['x\\255', 'X\\255.'],
      ['.', '.'],
    ];
    for (const [a, b] of pairs) assert.ok(sameName(a, b) && sameName(b, a), `${a} = ${b}`);
  });

  test('different: other octets, a dot inside a label against a label boundary, octets above ASCII in other case', () => {
    const pairs: readonly [string, string][] = [
      ['sip\\255x.example', 'sip\\254x.example'],
      ['a\\.b.example', 'a.b.example'],
      ['\\201', '\\233'],
      ['x\\.', 'x'],
      ['a..b', 'a.b'],
    ];
    for (const [a, b] of pairs) assert.ok(!sameName(a, b) && !sameName(b, a), `${a} ≠ ${b}`);
  });
});

describe('label-aware text helpers', () => {
  test('withoutTrailingDot keeps an escaped dot', () => {
    assert.equal(withoutTrailingDot('a.example.'), 'a.example');
    assert.equal(withoutTrailingDot('a.example'), 'a.example');
    assert.equal(withoutTrailingDot('x\\.'), 'x\\.');
    assert.equal(withoutTrailingDot('x\\\\.'), 'x\\\\');
  });

  test('presentationLabels and parentName split at label boundaries only', () => {
    assert.deepEqual(presentationLabels('sip.example.com'), ['sip', 'example', 'com']);
    assert.deepEqual(presentationLabels('a\\.b.c\\\\.d'), ['a\\.b', 'c\\\\', 'd']);
    assert.deepEqual(presentationLabels('x\\255\\.'), ['x\\255\\.']);
    assert.equal(parentName('a\\.b.example.com'), 'example.com');
    assert.equal(parentName('a\\\\.b.example.com'), 'b.example.com');
    assert.equal(parentName('com'), '.');
  });

  test('nameIsAtOrBelow: a dot inside a label is not a boundary', () => {
    assert.ok(nameIsAtOrBelow('sip.contoso.com', 'contoso.com'));
    assert.ok(nameIsAtOrBelow('contoso.com', 'contoso.com'));
    assert.ok(nameIsAtOrBelow('x\\255.contoso.com', 'contoso.com'));
    assert.ok(nameIsAtOrBelow('anything', '.'));
    assert.ok(nameIsAtOrBelow('a\\\\.contoso.com', 'contoso.com'), 'a\\ then contoso.com');
    assert.ok(!nameIsAtOrBelow('evil\\.contoso.com', 'contoso.com'), 'one label evil.contoso under com');
    assert.ok(!nameIsAtOrBelow('notcontoso.com', 'contoso.com'));
    assert.ok(!nameIsAtOrBelow('.contoso.com', 'contoso.com'));
    assert.ok(!nameIsAtOrBelow('com', 'contoso.com'));
  });
});
