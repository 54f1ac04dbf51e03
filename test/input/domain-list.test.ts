import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseDomainList, readDomainList } from '../../src/input/domain-list.js';
import { ExitError } from '../../src/errors.js';

const domains = (text: string): string[] => parseDomainList(text, 'list.txt').map((d) => d.domain);

describe('parseDomainList', () => {
  test('one name per line, converted like arguments', () => assert.deepEqual(domains('contoso.example\nBücher.Example.\n'), ['contoso.example', 'xn--bcher-kva.example']));
  test('# comments, whole-line and trailing', () => assert.deepEqual(domains('# partners\ncontoso.example # main\n  # indented\nfabrikam.example'), ['contoso.example', 'fabrikam.example']));
  test('blank and whitespace-only lines are skipped', () => assert.deepEqual(domains('\n\n  \t\ncontoso.example\n\n'), ['contoso.example']));
  test('CRLF line ends', () => assert.deepEqual(domains('contoso.example\r\nfabrikam.example\r\n'), ['contoso.example', 'fabrikam.example']));
  test('empty file → no domains', () => assert.deepEqual(domains(''), []));
  test('input keeps the line as written (trimmed, comment removed)', () => {
    assert.deepEqual(parseDomainList('  Contoso.Example.  # x\n', 'l'), [{ domain: 'contoso.example', input: 'Contoso.Example.' }]);
  });

  test('a bad name → ExitError 64 naming file:line (1-based, counting comments and blanks)', () => {
    assert.throws(
      () => parseDomainList('# header\n\ncontoso.example\nbad_name.example\nfabrikam.example\n', 'partners.txt'),
      (err: unknown) => err instanceof ExitError && err.exitCode === 64 && /^partners\.txt:4: .*bad_name\.example/.test(err.message),
    );
  });

  test('line numbers stay right with CRLF', () => {
    assert.throws(() => parseDomainList('a.example\r\nb.example\r\nsingle\r\n', 'l.txt'), (err: unknown) => err instanceof ExitError && err.message.startsWith('l.txt:3: '));
  });
});

describe('readDomainList', () => {
  test('reads a file; unreadable → ExitError 66 naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedcheck-list-'));
    try {
      const file = join(dir, 'domains.txt');
      writeFileSync(file, 'contoso.example\n');
      assert.deepEqual(readDomainList(file).map((d) => d.domain), ['contoso.example']);
      const missing = join(dir, 'missing.txt');
      assert.throws(
        () => readDomainList(missing),
        (err: unknown) => err instanceof ExitError && err.exitCode === 66 && err.message.includes('missing.txt') && err.message.includes('ENOENT'),
      );
      assert.throws(() => readDomainList(dir), (err: unknown) => err instanceof ExitError && err.exitCode === 66, 'a directory is unreadable as a list');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
