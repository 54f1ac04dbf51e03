import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { errorLine, escapeControl, escapeJsonText, htmlText, nagiosText, prometheusLabel, quoteInput, xmlReferences, xmlSafe, xmlText } from '../src/escape.js';

const cases: [string, string, string][] = [
  ['plain text unchanged', 'sip.contoso.example', 'sip.contoso.example'],
  ['ESC (C0)', '\u001b[31mred\u001b[0m', '\\x1b[31mred\\x1b[0m'],
  ['NUL, BEL, TAB, LF, CR', '\u0000\u0007\t\n\r', '\\x00\\x07\\x09\\x0a\\x0d'],
  ['DEL', 'a\u007fb', 'a\\x7fb'],
  ['C1: CSI, NEL, OSC and the range ends', '\u009b2J\u0085\u009d\u0080\u009f', '\\x9b2J\\x85\\x9d\\x80\\x9f'],
  // Names from DNS come in RFC 1035 presentation form; doubling would make `sip\255x` another name.
  ['backslashes kept: an RFC 1035 escaped name shows as dig shows it', 'sip\\255x.a\\.b\\\\c.example', 'sip\\255x.a\\.b\\\\c.example'],
  ['printable non-ASCII kept', 'bücher · ü', 'bücher · ü'],
];
for (const [title, input, expected] of cases) {
  test(`escapeControl: ${title}`, () => assert.equal(escapeControl(input), expected));
}

test('escapeControl output never contains a raw control character', () => {
  let all = '';
  for (let c = 0; c <= 0xa0; c += 1) all += String.fromCharCode(c);
  assert.doesNotMatch(escapeControl(all), /[\u0000-\u001f\u007f-\u009f]/);
});

describe('quoteInput', () => {
  test('quotes, and escapes C0, DEL and C1 so they cannot drive a terminal', () => {
    assert.equal(quoteInput('a.example'), '"a.example"');
    assert.equal(quoteInput('\u001b[31m'), '"\\u001b[31m"');
    assert.equal(quoteInput('a\u007fb\u009bc\u0085'), '"a\\u007fb\\u009bc\\u0085"');
    assert.equal(quoteInput('bücher'), '"bücher"', 'printable non-ASCII is kept');
  });
});

describe('the context wrappers', () => {
  test('each shows every control character escaped, never raw', () => {
    let all = '';
    for (let c = 0; c <= 0xa0; c += 1) all += String.fromCharCode(c);
    for (const [name, escape] of Object.entries({ errorLine, escapeControl, htmlText, nagiosText, quoteInput, xmlSafe, xmlText })) {
      assert.doesNotMatch(escape(all), /[\u0000-\u001f\u007f-\u009f]/, name);
    }
    // Prometheus keeps line feed for its own `\n` escape.
    assert.doesNotMatch(prometheusLabel(all), /[\u0000-\u001f\u007f-\u009f]/);
  });

  test('each escapes its own special characters as its format defines', () => {
    assert.equal(errorLine('a\nb\u009b'), 'a\\u000ab\\u009b');
    assert.equal(escapeJsonText('"a\u007fb"'), '"a\\u007fb"');
    assert.equal(nagiosText('a|b\u001b'), 'a\\x7cb\\x1b');
    assert.equal(htmlText(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    assert.equal(xmlText(`<'&'>\u0007`), '&lt;&apos;&amp;&apos;&gt;\\x07');
    assert.equal(xmlReferences(`a'b"<&>`), 'a&#39;b&#34;&#60;&#38;&#62;');
    // Lone surrogates and U+FFFE/U+FFFF are no XML characters; a pair is kept.
    assert.equal(xmlSafe('a\ud800b\udc00c\ufffe\ud83d\ude00'), 'a\\ud800b\\udc00c\\ufffe\ud83d\ude00');
    assert.equal(prometheusLabel('a\\b"c\nd\u001b'), 'a\\\\\\\\b\\"c\\nd\\\\x1b');
  });
});
