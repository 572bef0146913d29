/**
 * A small schema builder: each schema is a JSON Schema object (what editors read from
 * `fleet.schema.json`) that also carries its TypeScript types, so the types, the editor schema,
 * the validator and the defaults all come from one definition.
 */

/** The JSON Schema subset this project uses, plus `x-expected`, the phrase errors print. */
export interface JsonSchema {
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'boolean';
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  /** false: unknown keys are errors (object); true: a free-form mapping of any keys (mapping). */
  readonly additionalProperties?: boolean;
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
  /** A mapping withDefaults leaves absent where fleet.yaml leaves it out (object's `keepAbsent`). */
  readonly 'x-keep-absent'?: true;
}

/**
 * A schema whose validated value has the TypeScript type `T` as written, and `R` once
 * `withDefaults` has filled in every default.
 */
export type Schema<T, R = T> = JsonSchema & { readonly __type?: T; readonly __resolved?: R };

/** The TypeScript type a schema validates. */
export type Infer<S> = S extends Schema<infer T, unknown> ? T : never;
/** The TypeScript type of a valid value once withDefaults has applied the schema's defaults. */
export type WithDefaults<S> = S extends Schema<unknown, infer R> ? R : never;

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

export function list<T, R>(items: Schema<T, R>, options: Documented & { readonly minItems?: number; readonly expected?: string }): Schema<T[], R[]> {
  const { expected: given, ...rest } = options;
  const expected = given ?? (options.minItems ? `a list of at least ${options.minItems} ${items['x-expected']}` : `a list of ${items['x-expected']}`);
  return { type: 'array', ...rest, items, 'x-expected': expected };
}

export function either<A, RA, B, RB>(first: Schema<A, RA>, second: Schema<B, RB>, options: Documented): Schema<A | B, RA | RB> {
  return { ...options, anyOf: [first, second], 'x-expected': `${first['x-expected']}, or ${second['x-expected']}` };
}

/**
 * Marks a property as optional. With a default, withDefaults fills it in where it is absent (and
 * the schema documents it); an absent optional mapping becomes its own defaults.
 */
export interface Optional<S extends Schema<unknown, unknown>, D extends boolean = boolean> {
  readonly optional: true;
  readonly schema: S;
  readonly hasDefault: D;
}

export function optional<S extends Schema<unknown, unknown>>(schema: S): Optional<S, false>;
export function optional<S extends Schema<unknown, unknown>>(schema: S, defaultValue: Infer<S>): Optional<S, true>;
export function optional<S extends Schema<unknown, unknown>>(schema: S, defaultValue?: Infer<S>): Optional<S> {
  return defaultValue === undefined
    ? { optional: true, schema, hasDefault: false }
    : { optional: true, schema: { ...schema, default: defaultValue }, hasDefault: true };
}

/**
 * A mapping's schema. `F`: whether withDefaults fills it in where it is absent (a mapping of
 * optional keys becomes its own defaults; one with required keys, or marked keepAbsent, stays absent).
 */
export type MappingSchema<T, R, F extends boolean = boolean> = Schema<T, R> & { readonly type: 'object'; readonly __filled?: F };

type Property = Schema<unknown, unknown> | Optional<Schema<unknown, unknown>>;
type RequiredKeys<P> = { [K in keyof P]: P[K] extends Optional<Schema<unknown, unknown>> ? never : K }[keyof P];
type OptionalKeys<P> = { [K in keyof P]: P[K] extends Optional<Schema<unknown, unknown>> ? K : never }[keyof P];
/** Keys present once defaults are applied: required ones, ones with a default, and mappings. */
type FilledKeys<P> = {
  [K in keyof P]: P[K] extends Optional<infer S, infer D> ? (D extends true ? K : S extends { readonly type: 'object'; readonly __filled?: true } ? K : never) : K
}[keyof P];
type PropertyType<X> = X extends Optional<infer S> ? Infer<S> : Infer<X>;
type PropertyResolved<X> = X extends Optional<infer S> ? WithDefaults<S> : WithDefaults<X>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<P> = Simplify<
  { readonly [K in RequiredKeys<P>]: PropertyType<P[K]> } & { readonly [K in OptionalKeys<P>]?: PropertyType<P[K]> }
>;
export type ObjectWithDefaults<P> = Simplify<
  { readonly [K in FilledKeys<P>]: PropertyResolved<P[K]> } & { readonly [K in Exclude<keyof P, FilledKeys<P>>]?: PropertyResolved<P[K]> }
>;

function isOptional(property: Property): property is Optional<Schema<unknown, unknown>> {
  return (property as Optional<Schema<unknown, unknown>>).optional === true;
}

/**
 * A mapping with exactly these keys: unknown keys are errors (they are usually typos). Absent, an
 * optional one becomes its own defaults, unless it has required keys or `keepAbsent` (where its
 * absence means something: an app without `source` is a test app).
 */
export function object<P extends Record<string, Property>, const K extends boolean = false>(
  properties: P,
  options: Documented & { readonly expected?: string; readonly keepAbsent?: K },
): MappingSchema<ObjectOf<P>, ObjectWithDefaults<P>, K extends true ? false : [RequiredKeys<P>] extends [never] ? true : false> {
  const { expected, keepAbsent, ...rest } = options;
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
    ...(keepAbsent ? { 'x-keep-absent': true as const } : {}),
  };
}

/** Data of any keys and values, such as Helm values: passed on as written, never filled in. */
export type FreeMapping = { readonly [key: string]: unknown };

/**
 * A free-form mapping (editors: any keys): its keys and values are data for another program,
 * such as a chart's Helm values, so only its form is checked: a mapping whose keys are text,
 * with no YAML merge key (<<) at any depth. Left absent where fleet.yaml leaves it out.
 */
export function mapping(options: Documented & { readonly expected?: string }): MappingSchema<FreeMapping, FreeMapping, false> {
  const { expected, ...rest } = options;
  return { type: 'object', ...rest, additionalProperties: true, 'x-expected': expected ?? 'a mapping', 'x-keep-absent': true };
}

/** Whether a schema is a free-form mapping (mapping()). */
export function isFreeMapping(schema: JsonSchema): boolean {
  return schema.type === 'object' && schema.additionalProperties === true;
}

/** Whether withDefaults fills in an absent mapping of this schema: one of optional keys only, not marked to stay absent. */
function isFilledWhenAbsent(schema: JsonSchema): boolean {
  return schema.type === 'object' && !schema.required?.length && !schema['x-keep-absent'];
}

/**
 * `value`, valid under `schema`, with every default filled in: an absent property with a
 * default gets it, and an absent mapping gets its own defaults. The input is not changed.
 */
export function withDefaults<S extends Schema<unknown, unknown>>(schema: S, value: Infer<S>): WithDefaults<S> {
  return fill(schema, value) as WithDefaults<S>;
}

function fill(schema: JsonSchema, value: unknown): unknown {
  if (schema.anyOf) {
    const isMapping = typeof value === 'object' && value !== null && !Array.isArray(value);
    const branch = schema.anyOf.find((candidate) => (candidate.type === 'object') === isMapping);
    return branch ? fill(branch, value) : value;
  }
  if (schema.type === 'array' && Array.isArray(value)) return value.map((item) => fill(schema.items!, item));
  if (schema.type !== 'object' || typeof value !== 'object' || value === null || isFreeMapping(schema)) return value;
  const mapping = value as Record<string, unknown>;
  const filled: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (Object.hasOwn(mapping, key)) filled[key] = fill(property, mapping[key]);
    else if (property.default !== undefined) filled[key] = property.default;
    else if (isFilledWhenAbsent(property)) filled[key] = fill(property, {});
  }
  return filled;
}

/** Drops the builder's own annotations, leaving standard JSON Schema (draft-07) for editors. */
export function toEditorSchema(schema: JsonSchema): unknown {
  return JSON.parse(JSON.stringify(schema, (key, value) => (key === 'x-expected' || key === 'x-keep-absent' ? undefined : value)));
}
