import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { parseDomainName } from '../../src/input/domain-name.js';

/** Raw control characters (C0 but not as part of an escape, DEL, C1): must never reach stderr. */
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const label = (n: number, c = 'a'): string => c.repeat(n);
/** A name of exactly `length` octets: labels of 63 joined by dots, then a shorter tail. */
function nameOf(length: number): string {
  const labels: string[] = [];
  let left = length;
  while (left > 64) {
    labels.push(label(63));
    left -= 64;
  }
  labels.push(label(left));
  return labels.join('.');
}

describe('parseDomainName: accepted, as A-label, lower case, no trailing dot', () => {
  const ok: [string, string][] = [
    ['contoso.com', 'contoso.com'],
    ['Contoso.COM', 'contoso.com'],
    ['contoso.com.', 'contoso.com'],
    ['  contoso.com  ', 'contoso.com'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['BÜCHER.Example.', 'xn--bcher-kva.example'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['münchen.de', 'xn--mnchen-3ya.de'],
    ['a-b.c1.example', 'a-b.c1.example'],
    ['123.example', '123.example'],
    [`${label(63)}.example`, `${label(63)}.example`],
    [nameOf(253), nameOf(253)],
  ];
  for (const [input, expected] of ok) {
    test(`${JSON.stringify(input.length > 40 ? `${input.slice(0, 20)}…(${input.length})` : input)} → ${expected.length > 40 ? `${expected.length} octets` : expected}`, () => {
      assert.deepEqual(parseDomainName(input), { ok: true, value: expected });
    });
  }
});

describe('parseDomainName: rejected with one line naming the input', () => {
  const bad: [string, string, RegExp][] = [
    ['empty', '', /empty/],
    ['blank', '   ', /empty/],
    ['root', '.', /root/],
    ['empty label', 'a..example', /empty label/],
    ['leading dot', '.example.com', /empty label/],
    ['two trailing dots', 'example.com..', /empty label/],
    ['label of 64', `${label(64)}.example`, /longer than 63/],
    ['IDN label over 63 after conversion', `${label(60, 'ü')}.example`, /longer than 63|IDN/],
    ['name of 254', nameOf(254), /longer than 253/],
    ['underscore', '_sip.example', /letters, digits and inner hyphens/],
    ['underscore inside', 'a_b.example', /letters, digits and inner hyphens/],
    ['leading hyphen', '-contoso.example', /inner hyphens/],
    ['trailing hyphen', 'contoso-.example', /inner hyphens/],
    ['single label', 'contoso', /single label/],
    ['single label with dot', 'localhost.', /single label/],
    ['space inside', 'con toso.example', /not a valid domain name|letters/],
    ['NUL', 'a\u0000b.example', /./],
    ['ESC sequence', '\u001b[31mred.example', /./],
    ['DEL', 'a\u007fb.example', /./],
    ['C1 CSI', 'a\u009bb.example', /./],
    ['newline inside (domainToASCII would drop it and glue the labels)', 'a.example\nb.example', /control characters/],
    ['tab inside (domainToASCII would drop it)', 'con\ttoso.example', /control characters/],
    ['CR inside', 'con\rtoso.example', /control characters/],
    ['URL', 'https://contoso.example/', /./],
    ['address with port', 'contoso.example:5061', /./],
    ['at sign', 'user@contoso.example', /./],
  ];
  for (const [title, input, pattern] of bad) {
    test(title, () => {
      const result = parseDomainName(input);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.match(result.error, pattern);
      assert.doesNotMatch(result.error, RAW_CONTROL, 'control characters are shown escaped');
      assert.ok(!result.error.includes('\n'), 'one line');
      if (input.trim() !== '' && !RAW_CONTROL.test(input) && input.length < 100) assert.ok(result.error.includes(input), `names the input: ${result.error}`);
    });
  }
});

describe('parseDomainName: the plain-host shortcut', () => {
  test('a lower-case name gives what its upper-case and space-led spellings give through the full checks, for many random names', () => {
    const alphabet = 'ab0-.'.split('');
    let seed = 11;
    const next = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const long = (n: number): string => 'a'.repeat(n);
    const samples = [`${long(63)}.example`, `${long(64)}.example`, `${long(61)}.${long(61)}.${long(61)}.${long(61)}.ab`, `${long(61)}.${long(61)}.${long(61)}.${long(61)}.abc`];
    for (let i = 0; i < 3000; i += 1) samples.push(Array.from({ length: 1 + next(14) }, () => alphabet[next(alphabet.length)]!).join(''));
    let valid = 0;
    for (const name of samples) {
      const plain = parseDomainName(name);
      for (const other of [name.toUpperCase(), ` ${name}`]) {
        const full = parseDomainName(other);
        assert.equal(plain.ok, full.ok, `${JSON.stringify(name)} against ${JSON.stringify(other)}`);
        if (plain.ok && full.ok) assert.equal(plain.value, full.value);
      }
      if (plain.ok) valid += 1;
    }
    assert.ok(valid > 300 && valid < samples.length - 300, `both kinds among the samples (${valid} valid)`);
  });
});
