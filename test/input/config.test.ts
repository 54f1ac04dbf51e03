import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { configSchema, loadConfig, parseConfig } from '../../src/input/config.js';
import { ExitError } from '../../src/errors.js';

/** The ExitError message of parsing `text` as cfg.json (fails when it parses). */
function problem(text: string): string {
  try {
    parseConfig(text, 'cfg.json');
  } catch (err) {
    assert.ok(err instanceof ExitError, `an ExitError, got ${String(err)}`);
    assert.equal(err.exitCode, 64);
    assert.doesNotMatch(err.message, /[\u0000-\u001f\u007f-\u009f]/, 'no raw control characters');
    return err.message;
  }
  assert.fail(`expected ${text} to be rejected`);
}

describe('parseConfig: valid', () => {
  test('the full shape', () => {
    const text = JSON.stringify({
      $schema: './schema/fedcheck-config.schema.json',
      resolvers: ['127.0.0.1:5353', '[::1]:5353'],
      timeout: 500,
      retries: 0,
      concurrency: 4,
      defaults: { mobility: false, xmpp: 'off' },
      domains: ['contoso.example', { domain: 'fabrikam.example', xmpp: 'required', mobility: true, discovery: false }],
    });
    const config = parseConfig(text, 'cfg.json');
    assert.deepEqual(config.domains?.[1], { domain: 'fabrikam.example', xmpp: 'required', mobility: true, discovery: false });
    assert.equal(config.timeout, 500);
  });
  test('an empty object', () => assert.deepEqual(parseConfig('{}', 'c'), {}));
  test('the schema file loads and describes an object', () => assert.equal(configSchema().type, 'object'));
});

describe('parseConfig: rejected with the file name and the JSON path', () => {
  const cases: [string, string, string][] = [
    ['invalid JSON', '{"domains": [', 'cfg.json: not valid JSON'],
    ['trailing comma', '{"timeout": 5,}', 'cfg.json: not valid JSON'],
    ['empty file', '', 'cfg.json: not valid JSON'],
    ['not an object', '[]', 'cfg.json: $: must be an object, not an array'],
    ['unknown top-level property', '{"resolver": ["127.0.0.1"]}', 'cfg.json: $.resolver: unknown property'],
    ['wrong type', '{"timeout": "500"}', 'cfg.json: $.timeout: must be an integer, not a string'],
    ['not an integer', '{"retries": 1.5}', '$.retries: must be an integer'],
    ['below minimum', '{"timeout": 0}', '$.timeout: must be at least 1'],
    ['above maximum', '{"concurrency": 5000}', '$.concurrency: must be at most 4096'],
    ['bad enum in a domain entry', '{"domains": ["a.example", {"domain": "b.example", "xmpp": "maybe"}]}', 'cfg.json: $.domains[1].xmpp: must be one of "required", "optional", "off"'],
    ['unknown property in a domain entry', '{"domains": [{"domain": "b.example", "push": true}]}', '$.domains[0].push: unknown property'],
    ['missing domain', '{"domains": [{"xmpp": "off"}]}', '$.domains[0]: missing required property "domain"'],
    ['domain entry of the wrong type', '{"domains": ["a.example", 42]}', '$.domains[1]: must be a string or an object'],
    ['empty domain string', '{"domains": [""]}', '$.domains[0]: must not be empty'],
    ['wrong type in defaults', '{"defaults": {"mobility": "yes"}}', '$.defaults.mobility: must be a boolean, not a string'],
    ['unknown property in defaults', '{"defaults": {"domain": "x"}}', '$.defaults.domain: unknown property'],
    ['resolver of the wrong type', '{"resolvers": ["127.0.0.1", 53]}', '$.resolvers[1]: must be a string, not an integer'],
    ['key that is not an identifier', '{"my key": 1}', '$["my key"]: unknown property'],
  ];
  for (const [title, text, expected] of cases) {
    test(title, () => assert.ok(problem(text).includes(expected), `${problem(text)} should include ${expected}`));
  }

  test('control characters in the file are escaped in the message (JSON.parse quotes the input)', () => {
    const message = problem('{"domains": [\u001b[31m]}');
    assert.match(message, /\\u001b/);
  });

  test('control characters in a key are escaped in the message', () => {
    assert.match(problem('{"a\u009bb": 1}'), /\\u009b.*unknown property/);
  });
});

describe('loadConfig', () => {
  test('reads and validates a file; unreadable → 66, invalid → 64', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedcheck-config-'));
    try {
      const good = join(dir, 'good.json');
      writeFileSync(good, '{"domains": ["contoso.example"]}');
      assert.deepEqual(loadConfig(good).domains, ['contoso.example']);
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, '{"domains": [{"domain": "a.example", "xmpp": 1}]}');
      assert.throws(() => loadConfig(bad), (err: unknown) => err instanceof ExitError && err.exitCode === 64 && err.message.startsWith(`${bad}: $.domains[0].xmpp`));
      assert.throws(
        () => loadConfig(join(dir, 'missing.json')),
        (err: unknown) => err instanceof ExitError && err.exitCode === 66 && err.message.includes('missing.json') && err.message.includes('ENOENT'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
