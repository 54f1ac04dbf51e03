import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { overrideNote, shortRecord } from '../../../src/rules/dane/messages.js';

describe('DANE messages', () => {
  test('a record is cut only when its data is long', () => {
    assert.equal(shortRecord('3 1 1 abcd'), '3 1 1 abcd');
    assert.equal(shortRecord(`3 1 1 ${'0'.repeat(24)}`), `3 1 1 ${'0'.repeat(24)}`);
    assert.equal(shortRecord(`2 0 1 ${'0123456789abcdef'.repeat(4)}`), '2 0 1 0123456789abcdef…');
  });

  test('the override sentence: only from complete override facts, the record cut as every DANE message cuts it', () => {
    const record = `3 1 1 ${'ab'.repeat(32)}`;
    assert.equal(
      overrideNote({ overriddenBy: 'dane-tlsa', overriddenStatus: 'warn', overriddenRecord: record }),
      'Overridden (was warn): the secure DANE-EE record 3 1 1 abababababababab… matches this certificate, so DANE partners ignore its names and dates (RFC 7671 §5.1); partners that use PKIX alone still see it.',
    );
    assert.equal(overrideNote({ overriddenBy: 'dane-tlsa', overriddenStatus: 'pass', overriddenRecord: record }), undefined);
    assert.equal(overrideNote({ overriddenBy: 'dane-tlsa', overriddenStatus: 'fail' }), undefined);
    assert.equal(overrideNote({ target: 'sip.contoso.example' }), undefined);
  });
});
