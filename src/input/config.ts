import { readFileSync } from 'node:fs';
import { validate, type Json, type Schema } from './json-schema.js';
import type { DomainExpectations, EdgeExpectation } from '../rules/types.js';
import { ExitError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { normaliseExpect } from './expectations.js';
import { packageFile } from '../package-files.js';

/** Partial expectations as written in a config (missing keys fall back; see layerExpectations). */
export type ExpectationOverrides = Partial<DomainExpectations>;

/** A validated configuration file. */
export interface Config {
  readonly resolvers?: readonly string[];
  readonly timeout?: number;
  readonly retries?: number;
  readonly concurrency?: number;
  readonly defaults?: ExpectationOverrides;
  readonly domains?: readonly (string | ({ readonly domain: string } & ExpectationOverrides))[];
}

let cachedSchema: Schema | undefined;

/** The config JSON Schema shipped in the package (`schema/fedcheck-config.schema.json`). */
export function configSchema(): Schema {
  cachedSchema ??= JSON.parse(readFileSync(packageFile('schema/fedcheck-config.schema.json'), 'utf8')) as Schema;
  return cachedSchema;
}

/** Parse and validate config text; throws {@link ExitError} (64) with the JSON path of the first problem. */
export function parseConfig(text: string, fileName: string): Config {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new ExitError(`${fileName}: not valid JSON: ${detail}`, EXIT.usage);
  }
  const error = validate(value, configSchema());
  if (error !== undefined) throw new ExitError(`${fileName}: ${error}`, EXIT.usage);
  // Validated against the schema above, so the shape is Config.
  return normaliseExpectations(value as unknown as Config, fileName);
}

/** Read, parse and validate a config file; unreadable → 66, invalid → 64. */
export function loadConfig(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ExitError(`cannot read config ${JSON.stringify(path)}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, EXIT.noInput);
  }
  return parseConfig(text, path);
}

/** Check the names and addresses in every `expect` (the schema only says they are strings) and normalise them. */
function normaliseExpectations(config: Config, fileName: string): Config {
  const fix = (entry: { readonly expect?: EdgeExpectation }, path: string): EdgeExpectation | undefined => {
    if (entry.expect === undefined) return undefined;
    const checked = normaliseExpect(entry.expect, `${path}.expect`);
    if (!checked.ok) throw new ExitError(`${fileName}: ${checked.error}`, EXIT.usage);
    return checked.value;
  };
  const defaultsExpect = config.defaults === undefined ? undefined : fix(config.defaults, '$.defaults');
  const domains = config.domains?.map((entry, i) => {
    if (typeof entry === 'string') return entry;
    const expect = fix(entry, `$.domains[${i}]`);
    return expect === undefined ? entry : { ...entry, expect };
  });
  return {
    ...config,
    ...(defaultsExpect !== undefined && config.defaults !== undefined ? { defaults: { ...config.defaults, expect: defaultsExpect } } : {}),
    ...(domains !== undefined ? { domains } : {}),
  };
}
