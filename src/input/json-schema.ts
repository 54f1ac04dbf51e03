/**
 * A validator for the subset of JSON Schema (2020-12) that fedcheck's own
 * schemas use: type, enum, properties, required, additionalProperties, items,
 * oneOf, $ref to #/$defs, minimum, maximum, minLength. It reports the first
 * problem with its JSON path, e.g. `$.domains[2].xmpp: must be one of …`.
 * Any other keyword in a schema is a programmer error.
 */

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A schema of the supported subset. */
export interface Schema {
  readonly $ref?: string;
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';
  readonly enum?: readonly Json[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
  readonly items?: Schema;
  readonly oneOf?: readonly Schema[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly $defs?: Readonly<Record<string, Schema>>;
}

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$defs']);
const SUPPORTED = new Set(['$ref', 'type', 'enum', 'properties', 'required', 'additionalProperties', 'items', 'oneOf', 'minimum', 'maximum', 'minLength']);

/** Validate `value` against `schema`; returns undefined when valid, else one line naming the path. */
export function validate(value: Json, schema: Schema, root: Schema = schema, path = '$'): string | undefined {
  for (const key of Object.keys(schema)) {
    if (!ANNOTATIONS.has(key) && !SUPPORTED.has(key)) throw new Error(`schema keyword ${key} is not supported`);
  }
  if (schema.$ref !== undefined) {
    const m = /^#\/\$defs\/(.+)$/.exec(schema.$ref);
    const target = m ? root.$defs?.[m[1]!] : undefined;
    if (target === undefined) throw new Error(`unresolvable $ref ${schema.$ref}`);
    return validate(value, target, root, path);
  }
  if (schema.oneOf !== undefined) {
    const errors = schema.oneOf.map((s) => validate(value, s, root, path));
    const passing = errors.filter((e) => e === undefined).length;
    if (passing === 1) return undefined;
    if (passing > 1) return `${path}: matches more than one allowed form`;
    // Report the error of the alternative whose type matches, if any.
    const typed = schema.oneOf.findIndex((s) => s.type !== undefined && typeMatches(value, s.type));
    return typed >= 0 ? errors[typed] : `${path}: must be ${schema.oneOf.map((s) => describeType(s.type)).join(' or ')}`;
  }
  if (schema.type !== undefined && !typeMatches(value, schema.type)) {
    return `${path}: must be ${describeType(schema.type)}, not ${jsonType(value)}`;
  }
  if (schema.enum !== undefined && !schema.enum.some((allowed) => allowed === value)) {
    return `${path}: must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return `${path}: must be at least ${schema.minimum}`;
    if (schema.maximum !== undefined && value > schema.maximum) return `${path}: must be at most ${schema.maximum}`;
  }
  if (typeof value === 'string' && schema.minLength !== undefined && value.length < schema.minLength) {
    return `${path}: must not be empty`;
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    for (let i = 0; i < value.length; i += 1) {
      const error = validate(value[i]!, schema.items, root, `${path}[${i}]`);
      if (error !== undefined) return error;
    }
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const key of schema.required ?? []) {
      if (!(key in value)) return `${path}: missing required property "${key}"`;
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      const childSchema = schema.properties?.[key];
      if (childSchema === undefined) {
        if (schema.additionalProperties === false) return `${childPath}: unknown property`;
        continue;
      }
      const error = validate(child, childSchema, root, childPath);
      if (error !== undefined) return error;
    }
  }
  return undefined;
}

function typeMatches(value: Json, type: NonNullable<Schema['type']>): boolean {
  switch (type) {
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

function jsonType(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' && Number.isInteger(value)) return 'an integer';
  return `a ${typeof value}`;
}

function describeType(type: Schema['type']): string {
  switch (type) {
    case undefined:
      return 'a value';
    case 'null':
      return 'null';
    case 'object':
    case 'array':
    case 'integer':
      return `an ${type}`;
    default:
      return `a ${type}`;
  }
}
