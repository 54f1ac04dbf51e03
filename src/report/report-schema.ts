/**
 * The published JSON Schema of fedcheck's JSON report (`fedcheck/1`,
 * `schema/fedcheck-report.schema.json`) and of each line of `--format ndjson`
 * (its `#/$defs/ndjsonLine`). The test suite validates every JSON report and
 * ndjson line it produces against it; a consumer can too.
 */
import { readFileSync } from 'node:fs';
import { validate, type Json, type Schema } from '../input/json-schema.js';
import { packageFile } from '../package-files.js';

/** The `$id` of the report schema. */
export const REPORT_SCHEMA_ID = 'https://fedcheck.invalid/schema/fedcheck-report.schema.json';

let cached: Schema | undefined;

/** The report schema shipped in the package (`schema/fedcheck-report.schema.json`). */
export function reportSchema(): Schema {
  cached ??= JSON.parse(readFileSync(packageFile('schema/fedcheck-report.schema.json'), 'utf8')) as Schema;
  return cached;
}

/** Check a parsed `--format json` report; undefined when it is valid, else the first problem with its JSON path. */
export function checkReport(value: Json): string | undefined {
  return validate(value, reportSchema());
}

/** Check one parsed line of `--format ndjson` (a `domain` or the `summary` line); undefined when valid. */
export function checkNdjsonLine(value: Json): string | undefined {
  return validate(value, reportSchema(), '#/$defs/ndjsonLine');
}
