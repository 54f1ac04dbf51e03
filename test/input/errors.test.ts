import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { InputError } from '../../src/input/errors.js';

test('InputError keeps the exit code and shows control characters escaped, on one line', () => {
  const err = new InputError('cannot read "a\u001b[2Jb\nc\u009bd"', 66);
  assert.equal(err.exitCode, 66);
  assert.equal(err.name, 'InputError');
  assert.equal(err.message, 'cannot read "a\\u001b[2Jb\\u000ac\\u009bd"');
  assert.equal(new InputError('plain: bücher', 64).message, 'plain: bücher');
});
