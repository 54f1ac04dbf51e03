import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { escapeControl } from '../../src/report/sanitize.js';

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
