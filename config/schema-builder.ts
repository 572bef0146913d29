/**
 * A small schema builder: each schema is a JSON Schema object (what editors read from
 * `fleet.schema.json`) that also carries its TypeScript type, so the types, the editor schema
 * and the validator all come from one definition.
 */

/** The JSON Schema subset this project uses, plus `x-expected`, the phrase errors print. */
export interface JsonSchema {
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'boolean';
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: false;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly anyOf?: readonly JsonSchema[];
  readonly default?: unknown;
  readonly examples?: readonly unknown[];
  readonly 'x-expected': string;
}

/** A schema whose validated value has the TypeScript type `T`. */
export type Schema<T> = JsonSchema & { readonly __type?: T };

/** The TypeScript type a schema validates. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

interface Documented {
  /** One sentence for the editor tooltip and the README reference. */
  readonly description: string;
  readonly examples?: readonly unknown[];
}

export function integer(options: Documented & { readonly minimum: number; readonly maximum: number }): Schema<number> {
  return {
    type: 'integer',
    ...options,
    'x-expected': `an integer from ${options.minimum} to ${options.maximum}`,
  };
}

export function boolean(options: Documented): Schema<boolean> {
  return { type: 'boolean', ...options, 'x-expected': 'true or false' };
}

export function text(options: Documented & {
  readonly pattern: RegExp;
  /** What a valid value looks like, e.g. "a DNS-1123 label (lower-case letters, digits, '-')". */
  readonly expected: string;
}): Schema<string> {
  const { pattern, expected, ...rest } = options;
  return { type: 'string', ...rest, pattern: pattern.source, 'x-expected': expected };
}

export function oneOf<const T extends string>(values: readonly T[], options: Documented): Schema<T> {
  return { type: 'string', ...options, enum: values, 'x-expected': `one of ${values.join(', ')}` };
}

export function list<T>(items: Schema<T>, options: Documented & { readonly minItems?: number }): Schema<T[]> {
  const expected = options.minItems ? `a list of at least ${options.minItems} ${items['x-expected']}` : `a list of ${items['x-expected']}`;
  return { type: 'array', ...options, items, 'x-expected': expected };
}

export function either<A, B>(first: Schema<A>, second: Schema<B>, options: Documented): Schema<A | B> {
  return { ...options, anyOf: [first, second], 'x-expected': `${first['x-expected']}, or ${second['x-expected']}` };
}

/** Marks a property as optional; `default` documents what an absent value means. */
export interface Optional<T> {
  readonly optional: true;
  readonly schema: Schema<T>;
}

export function optional<T>(schema: Schema<T>, defaultValue?: T): Optional<T> {
  return { optional: true, schema: defaultValue === undefined ? schema : { ...schema, default: defaultValue } };
}

type Property = Schema<unknown> | Optional<unknown>;
type RequiredKeys<P> = { [K in keyof P]: P[K] extends Optional<unknown> ? never : K }[keyof P];
type OptionalKeys<P> = { [K in keyof P]: P[K] extends Optional<unknown> ? K : never }[keyof P];
type PropertyType<X> = X extends Optional<infer T> ? T : X extends Schema<infer T> ? T : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<P> = Simplify<
  { readonly [K in RequiredKeys<P>]: PropertyType<P[K]> } & { readonly [K in OptionalKeys<P>]?: PropertyType<P[K]> }
>;

function isOptional(property: Property): property is Optional<unknown> {
  return (property as Optional<unknown>).optional === true;
}

/** A mapping with exactly these keys: unknown keys are errors (they are usually typos). */
export function object<P extends Record<string, Property>>(properties: P, options: Documented & { readonly expected?: string }): Schema<ObjectOf<P>> {
  const { expected, ...rest } = options;
  const schemas: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [key, property] of Object.entries(properties)) {
    schemas[key] = isOptional(property) ? property.schema : property;
    if (!isOptional(property)) required.push(key);
  }
  return {
    type: 'object',
    ...rest,
    properties: schemas,
    required,
    additionalProperties: false,
    'x-expected': expected ?? `a mapping with keys ${Object.keys(properties).join(', ')}`,
  };
}

/** Drops the builder's own annotations, leaving standard JSON Schema (draft-07) for editors. */
export function toEditorSchema(schema: JsonSchema): unknown {
  return JSON.parse(JSON.stringify(schema, (key, value) => (key === 'x-expected' ? undefined : value)));
}
