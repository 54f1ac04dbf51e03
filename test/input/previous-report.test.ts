import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ExitError } from '../../src/errors.js';
import { parsePreviousReport, readPreviousReport } from '../../src/input/previous-report.js';
import { renderJson } from '../../src/report/json.js';
import { passing, report, unknown } from '../report/output-fixtures.js';

describe('reading a previous report', () => {
  test('a JSON report round-trips', () => {
    const r = report([passing('a.example'), unknown('b.example')]);
    const p = parsePreviousReport(renderJson(r), 'x');
    assert.equal(p.domains.length, 2);
    assert.equal(p.startedAt, r.startedAt);
  });

  test('not JSON, another schema, a broken domain: exit 64, one line naming the problem', () => {
    const cases: [string, RegExp][] = [
      ['{"schema": ', /not a fedcheck\/1 JSON report: .*JSON/],
      ['{"schema":"fedcheck/2","startedAt":"x","domains":[],"summary":{"domains":0}}', /its schema is "fedcheck\/2"$/],
      ['{"schema":1}', /its schema is 1$/],
      ['{"domains":[]}', /\$: missing required property "schema"/],
      ['[1,2]', /\$: must be an object/],
      [JSON.stringify({ ...JSON.parse(renderJson(report([passing('a.example')]))), domains: [{ domain: 'a.example', status: 'bad' }] }), /\$\.domains\[0\]/],
    ];
    for (const [text, message] of cases) {
      assert.throws(
        () => parsePreviousReport(text, 'prev.json'),
        (err: unknown) => err instanceof ExitError && err.exitCode === 64 && message.test(err.message) && !err.message.includes('\n'),
        text,
      );
    }
  });

  test('an unreadable file: exit 66', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedcheck-diff-'));
    try {
      assert.throws(() => readPreviousReport(join(dir, 'missing.json')), (err: unknown) => err instanceof ExitError && err.exitCode === 66 && /ENOENT/.test(err.message));
      writeFileSync(join(dir, 'ok.json'), renderJson(report([passing('a.example')])));
      assert.equal(readPreviousReport(join(dir, 'ok.json')).domains.length, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
