import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { validate, type Json, type Schema } from '../../src/input/json-schema.js';

const schema: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1 },
    count: { type: 'integer', minimum: 0, maximum: 9 },
    ratio: { type: 'number' },
    flag: { $ref: '#/$defs/flag' },
    tags: { type: 'array', items: { type: 'string' } },
    either: { oneOf: [{ type: 'string' }, { type: 'object', properties: { x: { type: 'null' } }, additionalProperties: false }] },
    overlap: { oneOf: [{ type: 'number' }, { type: 'integer' }] },
  },
  $defs: { flag: { type: 'boolean' } },
};

describe('validate', () => {
  const cases: [string, Json, string | undefined][] = [
    ['valid', { name: 'a', count: 3, ratio: 0.5, flag: true, tags: ['x'], either: 'x' }, undefined],
    ['valid oneOf object', { name: 'a', either: { x: null } }, undefined],
    ['missing required', {}, '$: missing required property "name"'],
    ['unknown property', { name: 'a', nope: 1 }, '$.nope: unknown property'],
    ['wrong type', { name: 1 }, '$.name: must be a string, not an integer'],
    ['minLength', { name: '' }, '$.name: must not be empty'],
    ['minimum', { name: 'a', count: -1 }, '$.count: must be at least 0'],
    ['maximum', { name: 'a', count: 10 }, '$.count: must be at most 9'],
    ['integer', { name: 'a', count: 1.5 }, '$.count: must be an integer, not a number'],
    ['$ref', { name: 'a', flag: 'yes' }, '$.flag: must be a boolean, not a string'],
    ['items path', { name: 'a', tags: ['x', 2] }, '$.tags[1]: must be a string, not an integer'],
    ['oneOf: error of the alternative whose type matches', { name: 'a', either: { x: 1 } }, '$.either.x: must be null, not an integer'],
    ['oneOf: no alternative of that type', { name: 'a', either: [] }, '$.either: must be a string or an object'],
    ['oneOf: more than one matches', { name: 'a', overlap: 3 }, '$.overlap: matches more than one allowed form'],
    ['null at the top', null, '$: must be an object, not null'],
  ];
  for (const [title, value, expected] of cases) {
    test(title, () => assert.equal(validate(value, schema), expected));
  }

  test('nested oneOf: the message comes from the innermost branch of the value\'s type', () => {
    const nested: Schema = { type: 'object', properties: { t: { oneOf: [{ type: 'null' }, { type: 'object', properties: { aaaa: { oneOf: [{ type: 'null' }, { type: 'array', items: { type: 'string' } }] } } }] } } };
    assert.equal(validate({ t: { aaaa: ['x', 1] } }, nested), '$.t.aaaa[1]: must be a string, not an integer');
    assert.equal(validate({ t: { aaaa: null } }, nested), undefined);
  });

  test('oneOf inside a $ref: the branch is found from the root', () => {
    const viaRef: Schema = { type: 'object', properties: { d: { $ref: '#/$defs/d' } }, $defs: { d: { oneOf: [{ type: 'string' }, { type: 'object', properties: { p: { enum: [1] } } }] } } };
    assert.equal(validate({ d: { p: 2 } }, viaRef), '$.d.p: must be one of 1');
  });

  test('a key of digits in an object is a property, an index in an array is an index', () => {
    assert.equal(validate({ name: 'a', tags: ['x', 'y', 3] }, schema), '$.tags[2]: must be a string, not an integer');
    assert.equal(validate({ name: 'a', '1': 2 }, schema), '$["1"]: unknown property');
  });

  test('an unknown keyword or an unresolvable $ref is a programmer error (Ajv strict mode), not a user error', () => {
    assert.throws(() => validate(1, { patern: 'x' } as unknown as Schema), /unknown keyword/);
    assert.throws(() => validate(1, { $ref: '#/$defs/missing' }), /can't resolve reference/);
  });
});
