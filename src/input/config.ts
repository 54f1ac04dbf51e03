import { readFileSync } from 'node:fs';
import { validate, type Json, type Schema } from './json-schema.js';
import type { XmppExpectation } from '../rules/types.js';
import { InputError } from './errors.js';

/** Partial expectations as written in a config (missing keys fall back). */
export interface ExpectationOverrides {
  readonly mobility?: boolean;
  readonly discovery?: boolean;
  readonly xmpp?: XmppExpectation;
}

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
  cachedSchema ??= JSON.parse(readFileSync(new URL('../../../schema/fedcheck-config.schema.json', import.meta.url), 'utf8')) as Schema;
  return cachedSchema;
}

/** Parse and validate config text; throws {@link InputError} (64) with the JSON path of the first problem. */
export function parseConfig(text: string, fileName: string): Config {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new InputError(`${fileName}: not valid JSON: ${detail}`, 64);
  }
  const error = validate(value, configSchema());
  if (error !== undefined) throw new InputError(`${fileName}: ${error}`, 64);
  // Validated against the schema above, so the shape is Config.
  return value as unknown as Config;
}

/** Read, parse and validate a config file; unreadable → 66, invalid → 64. */
export function loadConfig(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read config ${JSON.stringify(path)}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, 66);
  }
  return parseConfig(text, path);
}
