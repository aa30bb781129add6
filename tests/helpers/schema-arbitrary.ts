import fc from 'fast-check';

/** The part of JSON Schema (draft 2020-12, as zod 4's `toJSONSchema` writes it) the contract uses. */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: boolean | JsonSchema;
};

const small = (n: number | undefined, fallback: number) => Math.min(n ?? fallback, fallback);

/**
 * Values a schema accepts, as far as JSON Schema can say (zod refinements, such as a known time zone, are not in
 * it: those values come out "valid-looking" and the command may still refuse them, which is the point).
 */
export function arbitraryOf(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map(arbitraryOf));
  if (schema.allOf?.length) return arbitraryOf(Object.assign({}, ...schema.allOf) as JsonSchema);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(props)) record[key] = arbitraryOf(value);
      return fc.record(record, { requiredKeys: [...required].filter((k) => k in props) });
    }
    case 'array': {
      if (schema.prefixItems) return fc.tuple(...schema.prefixItems.map(arbitraryOf));
      return fc.array(schema.items ? arbitraryOf(schema.items) : fc.jsonValue(), { minLength: schema.minItems ?? 0, maxLength: Math.max(schema.minItems ?? 0, small(schema.maxItems, 4)) });
    }
    case 'string':
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.max(schema.minLength ?? 0, small(schema.maxLength, 40)) });
    case 'integer':
    case 'number': {
      const min = schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : (schema.minimum ?? -1_000_000);
      const max = schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : (schema.maximum ?? 1_000_000);
      // Small ids and counts most of the time, where rows may exist; now and then the extremes.
      const near = fc.integer({ min: Math.max(min, -3), max: Math.max(Math.max(min, -3), Math.min(max, 50)) });
      return fc.oneof({ weight: 4, arbitrary: near }, { weight: 1, arbitrary: fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) }) });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue();
  }
}

/** Inputs no schema should accept: wrong types, extra keys, huge strings, prototype tricks, deep nesting. */
export const hostileInput: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(null, 0, -1, '', 'x'.repeat(100_000), [], [[[[[[[[]]]]]]]], { __proto__: { admin: true } }, { constructor: { prototype: {} } }),
  fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue(), { maxKeys: 6 }),
);
