import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ExitError } from '../src/errors.js';

test('ExitError keeps the exit code and shows control characters escaped, on one line', () => {
  const err = new ExitError('cannot read "a\u001b[2Jb\nc\u009bd"', 66);
  assert.equal(err.exitCode, 66);
  assert.equal(err.name, 'ExitError');
  assert.equal(err.message, 'cannot read "a\\u001b[2Jb\\u000ac\\u009bd"');
  assert.equal(new ExitError('plain: bücher', 64).message, 'plain: bücher');
  assert.equal(new ExitError('cannot write output "r.json": ENOSPC', 74).message, 'cannot write output "r.json": ENOSPC');
});
