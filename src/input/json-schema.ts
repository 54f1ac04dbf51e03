/**
 * JSON Schema (draft 2020-12) validation with Ajv, its first error turned into
 * the one line a user sees, with a JSON path: `$.domains[2].xmpp: must be one of …`.
 *
 * Ajv runs in strict mode, so a keyword it does not know or a `$ref` it cannot
 * resolve is a programmer error (thrown when the schema is compiled), never a
 * user error.
 */
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON type name as JSON Schema spells it. */
type TypeName = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

/**
 * A JSON Schema as fedcheck writes them. Only the keywords the one-line messages
 * know are typed; Ajv checks the rest (strict mode rejects a keyword it does not know).
 */
export interface Schema {
  readonly $schema?: string;
  readonly $id?: string;
  readonly title?: string;
  readonly description?: string;
  readonly $ref?: string;
  readonly type?: TypeName;
  readonly enum?: readonly Json[];
  readonly const?: Json;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | Schema;
  readonly unevaluatedProperties?: boolean;
  readonly pattern?: string;
  readonly items?: Schema;
  readonly oneOf?: readonly Schema[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly $defs?: Readonly<Record<string, Schema>>;
}

// One Ajv instance; each schema object is compiled once. `verbose` puts the failing value and
// the keyword's schema on each error, which the messages below need (the `oneOf` branches, the
// actual type). allErrors stays off: the user sees the first problem, as from a compiler.
// Made on first use: a run without a config or --since report never pays for it.
let instance: Ajv2020 | undefined;
// Loaded on first use: Ajv is a fifth of the CLI's start-up, and most runs read no config or previous report.
const ajv = (): Ajv2020 => {
  if (instance === undefined) {
    const { Ajv2020: Validator } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    instance = new Validator({ strict: true, verbose: true, allErrors: false });
  }
  return instance;
};
const compiled = new WeakMap<Schema, { readonly id: string; readonly check: ValidateFunction }>();
let anonymous = 0;

function compile(schema: Schema): { readonly id: string; readonly check: ValidateFunction } {
  let entry = compiled.get(schema);
  if (entry === undefined) {
    // A `oneOf` branch is looked up again as `<id>#/pointer`, so every schema needs an id.
    const id = schema.$id ?? `https://fedcheck.invalid/schema/anonymous-${(anonymous += 1)}.json`;
    ajv().addSchema(schema.$id === undefined ? { ...schema, $id: id } : schema);
    const check = ajv().getSchema(id);
    if (check === undefined) throw new Error(`schema ${id} did not compile`);
    entry = { id, check };
    compiled.set(schema, entry);
  }
  return entry;
}

/**
 * Validate `value` against `schema`, or against its subschema at `pointer` (e.g. `#/$defs/line`);
 * returns undefined when valid, else one line naming the path of the first problem.
 */
export function validate(value: Json, schema: Schema, pointer = '#'): string | undefined {
  const { id, check: whole } = compile(schema);
  const check = pointer === '#' ? whole : ajv().getSchema(id + pointer);
  if (check === undefined) throw new Error(`schema ${id} has nothing at ${pointer}`);
  if (check(value)) return undefined;
  return describe(check.errors ?? [], value, id, '', pointer);
}

/**
 * The message for the error that stopped validation: Ajv's last (a `oneOf` lists its
 * branches' errors before its own). A `oneOf` with no passing branch is described by
 * validating the value again against the branch of the value's type alone.
 *
 * `base` is the JSON pointer of the validated value in `root`; `schemaBase` that of the
 * validated schema in the schema `id`, since a branch's error paths are relative to the
 * branch (except inside a `$ref` to `#/$defs/…`, which Ajv names from the root).
 */
function describe(errors: readonly ErrorObject[], root: Json, id: string, base: string, schemaBase: string): string {
  const first = errors.at(-1);
  if (first === undefined) return `${jsonPath(root, base)}: is not valid`;
  const pointer = base + first.instancePath;
  const path = jsonPath(root, pointer);
  const data = first.data as Json;
  const params = first.params as Record<string, unknown>;
  switch (first.keyword) {
    case 'oneOf': {
      if (Array.isArray(params.passingSchemas)) return `${path}: matches more than one allowed form`;
      const branches = first.schema as readonly Schema[];
      const resolved = branches.map((s) => resolve(s, id));
      const typed = pickBranch(resolved, data);
      if (typed < 0) return `${path}: must be ${resolved.map((s) => describeType(s.type)).join(' or ')}`;
      const branchPointer = `${first.schemaPath.startsWith('#/$defs/') ? first.schemaPath : schemaBase + first.schemaPath.slice(1)}/${typed}`;
      const branch = ajv().getSchema(id + branchPointer);
      if (branch === undefined || branch(data)) return `${path}: does not match the ${describeType(resolved[typed]!.type)} form`;
      return describe(branch.errors ?? [], root, id, pointer, branchPointer);
    }
    case 'type':
      return `${path}: must be ${describeType(params.type as TypeName)}, not ${jsonType(data)}`;
    case 'enum':
      return `${path}: must be one of ${(params.allowedValues as Json[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${path}: must be ${JSON.stringify(params.allowedValue)}`;
    case 'required':
      return `${path}: missing required property "${String(params.missingProperty)}"`;
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return `${childPath(path, String(params.additionalProperty ?? params.unevaluatedProperty))}: unknown property`;
    case 'minimum':
      return `${path}: must be at least ${String(params.limit)}`;
    case 'maximum':
      return `${path}: must be at most ${String(params.limit)}`;
    case 'minLength':
      return params.limit === 1 ? `${path}: must not be empty` : `${path}: must be at least ${String(params.limit)} characters`;
    default:
      return `${path}: ${first.message ?? 'is not valid'}`;
  }
}

/** A `$ref` branch as the schema it names (for its type and tags); any other branch as it is. */
function resolve(branch: Schema, id: string): Schema {
  if (branch.$ref === undefined) return branch;
  const target = ajv().getSchema(branch.$ref.startsWith('#') ? id + branch.$ref : branch.$ref)?.schema;
  return target !== undefined && typeof target === 'object' ? (target as Schema) : branch;
}

/**
 * The `oneOf` branch the value was meant for: of those of its type, the one whose
 * `const` properties (a `kind` tag) it has, else the first; -1 when none is of its type.
 */
function pickBranch(branches: readonly Schema[], data: Json): number {
  const typed = branches.flatMap((s, i) => (s.type !== undefined && typeMatches(data, s.type) ? [i] : []));
  const tagged = typed.find((i) =>
    Object.entries(branches[i]!.properties ?? {}).some(
      ([key, p]) => p.const !== undefined && data !== null && typeof data === 'object' && !Array.isArray(data) && data[key] === p.const,
    ),
  );
  return tagged ?? typed[0] ?? -1;
}

/** `$.a[2]["my key"]` for the JSON pointer `/a/2/my key` into `root` (an index only where the value is an array). */
function jsonPath(root: Json, pointer: string): string {
  let path = '$';
  let node: Json | undefined = root;
  for (const raw of pointer === '' ? [] : pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      path += `[${key}]`;
      node = node[Number(key)];
    } else {
      path = childPath(path, key);
      node = node !== null && typeof node === 'object' ? node[key] : undefined;
    }
  }
  return path;
}

function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function typeMatches(value: Json, type: TypeName): boolean {
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

function describeType(type: TypeName | undefined): string {
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
