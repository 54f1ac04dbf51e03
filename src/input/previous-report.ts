/**
 * Reading a previous JSON report (`--since FILE`): the part of a `fedcheck/1`
 * report the diff compares (src/report/diff.ts), checked against a schema of
 * just that part, so reports of older fedcheck versions load. Input, like the
 * domain list and the config: a bad file stops the run with one line.
 *
 * The shapes are written out here rather than taken from the report types, so
 * that input/ does not look up at check/ and report/; the report types are
 * checked to fit them where a report is compared (src/report/render.ts).
 */
import { readFileSync } from 'node:fs';
import { ExitError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import type { Status } from '../rules/catalogue.js';
import { validate, type Json, type Schema } from './json-schema.js';

/** A lookup as the diff reads it: only whether it was conclusive (any `result` string loads). */
export interface ComparableLookup {
  readonly result: string;
}

/** A name and its addresses as the diff reads it (an SRV target, or a host a profile checks). */
export type ComparableAddresses = {
  readonly name: string;
  readonly a: readonly string[];
  readonly aaaa: readonly string[] | null;
 readonly lookup: ComparableLookup; readonly tls?: readonly ComparableTls[] };

/** A `--probe` result of one target address as the diff reads it (a subset of `TlsRecord`). */
export interface ComparableTls {
  readonly address: string;
  readonly port: number;
  readonly result: string;
  readonly chain?: readonly { readonly subject: string; readonly notAfter: string; readonly fingerprint256: string }[];
}

/** One SRV owner as the diff reads it (a subset of `ServiceRecord`). */
export type ComparableService = {
  readonly name: string;
  readonly srv: readonly { readonly priority: number; readonly weight: number; readonly port: number; readonly target: string }[];

  readonly lookup: ComparableLookup;
  readonly targets: readonly ComparableAddresses[];
};

/** One domain as the diff reads it (a subset of `DomainResult`; rule ids and roles are strings so older reports load). */
export interface ComparableDomain {
  readonly domain: string;
  readonly status: 'pass' | 'warn' | 'fail' | 'unknown';
  readonly findings: readonly { readonly rule: string; readonly name: string; readonly status: Status }[];
  readonly records: {
    readonly sipfederationtls: ComparableService;
    readonly xmppServer: ComparableService | null;
    // What a profile asked besides (absent in reports of the federation profile, and of fedcheck before them).
    readonly sipTls?: ComparableService;
    readonly xmppsServer?: ComparableService;
    readonly hosts?: readonly (ComparableAddresses & { readonly role: string })[];
    readonly cnames?: readonly { readonly name: string; readonly target: string | null; readonly lookup: ComparableLookup }[];
  };
}

/** A report as the diff reads it (a subset of `RunReport`). */
export interface ComparableReport {
  readonly startedAt: string;
  readonly domains: readonly ComparableDomain[];
  readonly summary: { readonly domains: number };
}

const STRING: Schema = { type: 'string' };
const LOOKUP: Schema = { type: 'object', required: ['result'], properties: { result: STRING } };
const SERVICE: Schema = {
  type: 'object',
  required: ['name', 'lookup', 'srv', 'targets'],
  properties: {
    name: STRING,
    lookup: LOOKUP,
    srv: {
      type: 'array',
      items: {
        type: 'object',
        required: ['priority', 'weight', 'port', 'target'],
        properties: { priority: { type: 'integer' }, weight: { type: 'integer' }, port: { type: 'integer' }, target: STRING },
      },
    },
    targets: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'a', 'aaaa', 'lookup'],
        properties: {
          name: STRING,
          a: { type: 'array', items: STRING },
          aaaa: { oneOf: [{ type: 'null' }, { type: 'array', items: STRING }] },
          lookup: LOOKUP,
          tls: {
            type: 'array',
            items: {
              type: 'object',
              required: ['address', 'port', 'result'],
              properties: {
                address: STRING,
                port: { type: 'integer' },
                result: STRING,
                chain: {
                  type: 'array',
                  items: { type: 'object', required: ['subject', 'notAfter', 'fingerprint256'], properties: { subject: STRING, notAfter: STRING, fingerprint256: STRING } },
                },
              },
            },
          },
        },
      },
    },
  },
};

/** A host a profile checks: its addresses, as an SRV target's, and its role. */
const HOST: Schema = {
  type: 'object',
  required: ['name', 'role', 'a', 'aaaa', 'lookup'],
  properties: { name: STRING, role: STRING, a: { type: 'array', items: STRING }, aaaa: { oneOf: [{ type: 'null' }, { type: 'array', items: STRING }] }, lookup: LOOKUP },
};
const CNAME: Schema = {
  type: 'object',
  required: ['name', 'target', 'lookup'],
  properties: { name: STRING, target: { oneOf: [{ type: 'null' }, STRING] }, lookup: LOOKUP },
};

/** What the diff needs of a fedcheck/1 JSON report; other fields are not checked. */
const PREVIOUS_REPORT: Schema = {
  type: 'object',
  required: ['schema', 'startedAt', 'domains', 'summary'],
  properties: {
    schema: { enum: ['fedcheck/1'] },
    startedAt: STRING,
    summary: { type: 'object', required: ['domains'], properties: { domains: { type: 'integer', minimum: 0 } } },
    domains: {
      type: 'array',
      items: {
        type: 'object',
        required: ['domain', 'status', 'findings', 'records'],
        properties: {
          domain: STRING,
          status: { enum: ['pass', 'warn', 'fail', 'unknown'] },
          findings: {
            type: 'array',
            items: {
              type: 'object',
              required: ['rule', 'name', 'status'],
              properties: { rule: STRING, name: STRING, status: { enum: ['pass', 'info', 'warn', 'fail', 'unknown'] } },
            },
          },
          records: {
            type: 'object',
            required: ['sipfederationtls', 'xmppServer'],
            properties: {
              sipfederationtls: SERVICE,
              xmppServer: { oneOf: [{ type: 'null' }, SERVICE] },
              sipTls: SERVICE,
              xmppsServer: SERVICE,
              hosts: { type: 'array', items: HOST },
              cnames: { type: 'array', items: CNAME },
            },
          },
        },
      },
    },
  },
};

/** Parse a previous JSON report (`--format json`); throws {@link ExitError} 64 when it is not a fedcheck/1 report. */
export function parsePreviousReport(text: string, fileName: string): ComparableReport {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch (err) {
    throw new ExitError(`--since ${JSON.stringify(fileName)}: not a fedcheck/1 JSON report: ${err instanceof Error ? err.message : String(err)}`, EXIT.usage);
  }
  // Name another tool's or version's report for what it is before any detail of its shape.
  const schema = value !== null && typeof value === 'object' && !Array.isArray(value) ? value.schema : undefined;
  const error = schema !== undefined && schema !== 'fedcheck/1' ? `its schema is ${JSON.stringify(schema)}` : validate(value, PREVIOUS_REPORT);
  if (error !== undefined) throw new ExitError(`--since ${JSON.stringify(fileName)}: not a fedcheck/1 JSON report: ${error}`, EXIT.usage);
  // Validated against PREVIOUS_REPORT, which requires every field ComparableReport declares.
  return value as unknown as ComparableReport;
}

/** Read a previous JSON report: unreadable → {@link ExitError} 66, not a fedcheck/1 report → 64. */
export function readPreviousReport(path: string): ComparableReport {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ExitError(`--since: cannot read previous report ${JSON.stringify(path)}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, EXIT.noInput);
  }
  return parsePreviousReport(text, path);
}
