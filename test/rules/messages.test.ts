import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { FAMILIES, MESSAGE_CODES, renderMessage, type RuleId } from '../../src/rules/catalogue.js';
import { evaluate } from '../../src/rules/engine.js';
import { absenceText, count, inflect } from '../../src/rules/messages.js';
import { observedUnderEveryProfile } from './observed-scenarios.js';

describe('messages', () => {
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

  test('every finding of a family with templates has a code, and its facts alone give its message, through JSON and back', async () => {
    const speaking = new Set<RuleId>(FAMILIES.flatMap((family): readonly RuleId[] => (family.messages !== undefined ? family.ids : [])));
    const seen = new Set<string>();
    for (const s of await observedUnderEveryProfile()) {
      for (const f of evaluate(s.observation, s.expectations)) {
        if (f.code === undefined) {
          assert.ok(!speaking.has(f.rule), `${s.title}: ${f.rule} has no message code`);
          continue;
        }
        seen.add(f.code);
        assert.ok(f.facts !== undefined, `${s.title}: ${f.rule} ${f.code} has no facts`);
        assert.equal(renderMessage(f.code, JSON.parse(JSON.stringify(f.facts))), f.message, `${s.title}: ${f.rule} ${f.code}`);
      }
    }
    // Each template is used by some scenario, so none is dead wording.
    assert.deepEqual(MESSAGE_CODES.filter((code) => !seen.has(code)), []);
  });

  test('an unknown code renders nothing', () => {
    assert.equal(renderMessage('no-such-code', {}), undefined);
    assert.equal(renderMessage('toString', {}), undefined);
  });
});
