import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { FAMILIES, MESSAGE_CODES, renderMessage } from '../../src/rules/catalogue.js';
import { overrideNote } from '../../src/rules/dane/messages.js';
import { evaluate } from '../../src/rules/engine.js';
import { absenceText, count, host, inflect, where } from '../../src/rules/messages.js';
import { observedUnderEveryProfile } from './observed-scenarios.js';

describe('messages', () => {
  test('where and host: an IPv6 address in brackets before its port', () => {
    assert.equal(where({ address: '192.0.2.10', port: 5061 }), '192.0.2.10:5061');
    assert.equal(host({ target: 'sip.contoso.com', address: '2001:db8::10', port: 5061 }), 'sip.contoso.com at [2001:db8::10]:5061');
  });

  test('count and inflect: one, none, many', () => {
    assert.equal(count(1, 'record'), '1 record');
    assert.equal(count(0, 'record'), '0 records');
    assert.equal(count(2, 'address', 'addresses'), '2 addresses');
    assert.equal(`${inflect(1, 'says', 'say')} / ${inflect(3, 'says', 'say')}`, 'says / say');
  });

  test('absences in the words lookup uses (RFC 2308)', () => {
    assert.equal(absenceText('nxdomain', 'SRV'), 'the name does not exist (NXDOMAIN)');
    assert.equal(absenceText('nodata', 'AAAA'), 'the name exists but has no AAAA records (NODATA)');
  });

  test('message codes are kebab-case and unique across families', () => {
    assert.equal(new Set(MESSAGE_CODES).size, MESSAGE_CODES.length);
    for (const code of MESSAGE_CODES) assert.match(code, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  test('every family has its templates: none builds English inline', () => {
    assert.deepEqual(FAMILIES.filter((family) => family.messages === undefined).map((family) => family.name), []);
  });

  test('every finding has a code, and its facts alone give its message, through JSON and back', async () => {
    const seen = new Set<string>();
    const overridden = new Set<string>();
    for (const s of await observedUnderEveryProfile()) {
      for (const f of evaluate(s.observation, s.expectations)) {
        assert.ok(f.code !== undefined, `${s.title}: ${f.rule} has no message code`);
        seen.add(f.code);
        assert.ok(f.facts !== undefined, `${s.title}: ${f.rule} ${f.code} has no facts`);
        assert.equal(renderMessage(f.code, JSON.parse(JSON.stringify(f.facts))), f.message, `${s.title}: ${f.rule} ${f.code}`);
        // RFC 7671 §5.1: the override's sentence too comes from the facts (overrideNote), after the code's own template.
        if (f.facts.overriddenBy !== undefined) {
          overridden.add(f.rule);
          assert.ok(f.message.endsWith(` ${overrideNote(JSON.parse(JSON.stringify(f.facts)))!}`), `${s.title}: ${f.rule} says it was overridden`);
        }
      }
    }
    // Each template is used by some scenario, so none is dead wording; so is the override's sentence.
    assert.deepEqual(MESSAGE_CODES.filter((code) => !seen.has(code)), []);
    assert.deepEqual([...overridden].sort(), ['sipfed-cert-expiry', 'sipfed-cert-name', 'xmpp-cert-name']);
  });

  test('an unknown code renders nothing', () => {
    assert.equal(renderMessage('no-such-code', {}), undefined);
    assert.equal(renderMessage('toString', {}), undefined);
  });
});
