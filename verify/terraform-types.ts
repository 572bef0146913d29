// Terraform type constraints, and whether a value written in Terraform's JSON syntax (*.tf.json) fits one.
// There is no Terraform CLI to run `terraform validate`, so this is how the project proves that what it
// renders for a module argument is what the module declared. The rules are Terraform's conversions, with one
// deliberate difference: an attribute that an object type does not declare is a problem here, because
// Terraform drops it without a word when it converts the value (a misspelt node-group key is simply lost).
import { formatFieldPath, type PathSegment } from '../output/field-path';

/** A type constraint, as the `type` argument of a Terraform variable declares it. */
export type TerraformType =
  | { readonly kind: 'string' | 'number' | 'bool' | 'any' }
  | { readonly kind: 'list' | 'set' | 'map'; readonly element: TerraformType }
  | { readonly kind: 'tuple'; readonly elements: readonly TerraformType[] }
  | { readonly kind: 'object'; readonly attributes: ReadonlyMap<string, ObjectAttribute> };

/** One attribute of an `object({...})` type. */
export interface ObjectAttribute {
  readonly type: TerraformType;
  /** Whether the attribute is wrapped in `optional(...)`, so a value may leave it out or give null. */
  readonly optional: boolean;
  /**
   * The default of `optional(T, default)` as expression source, which Terraform fills in for a missing or
   * null attribute.
   * @default undefined (a missing optional attribute is null)
   */
  readonly default?: string;
}

const primitiveKinds = ['string', 'number', 'bool', 'any'] as const;
const collectionKinds = ['list', 'set', 'map'] as const;

/**
 * Reads a type constraint such as `map(object({ name = optional(string), min_size = number }))`.
 * Attributes may be separated by commas or newlines; comments are not expected (the data file holds types
 * without them). Throws a sentence naming the position when the text is not a type constraint.
 */
export function parseType(text: string): TerraformType {
  const reader = new TypeReader(text);
  const type = reader.type();
  reader.end();
  return type;
}

/**
 * Problems of `value` against `type` as sentences, empty when Terraform would accept it. `value` is JSON as
 * a *.tf.json file gives it to a module argument: strings holding `${...}` or `%{...}` are expressions whose
 * type is only known to Terraform, so they fit any type. `null` fits `any` and optional object attributes;
 * whether null may replace a whole variable is the caller's decision (it may when the variable has a
 * default). `path` says where `value` sits, and starts every problem.
 */
export function conformsTo(value: unknown, type: TerraformType, path: readonly PathSegment[] = []): string[] {
  return problemsOf(value, type, path).map(({ at, message }) => (at.length === 0 ? message : `${formatFieldPath(at)}: ${message}`));
}

/**
 * The code of every `${...}` interpolation and `%{...}` directive of a template (any JSON string in a
 * *.tf.json expression), with the quoted strings inside them emptied to `""`; the code of templates inside
 * those strings follows as entries of its own. `$${` and `%%{` are literal text, not templates.
 */
export function templateExpressions(template: string): string[] {
  const expressions: string[] = [];
  for (let index = 0; index < template.length; index++) {
    const opener = template.slice(index, index + 3);
    if (opener === '$${' || opener === '%%{') {
      index += 2;
    } else if (opener.startsWith('${') || opener.startsWith('%{')) {
      index = readExpression(template, index + 2, expressions);
    }
  }
  return expressions;
}

interface Problem {
  readonly at: readonly PathSegment[];
  readonly message: string;
}

function problemsOf(value: unknown, type: TerraformType, at: readonly PathSegment[]): Problem[] {
  if (type.kind === 'any' || isExpression(value)) return [];
  const mismatch = (): Problem[] => [{ at, message: `expected ${describeType(type)}, got ${describeValue(value)}.` }];
  switch (type.kind) {
    case 'string':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? [] : mismatch();
    case 'number':
      return typeof value === 'number' || (typeof value === 'string' && numberPattern.test(value)) ? [] : mismatch();
    case 'bool':
      return typeof value === 'boolean' || value === 'true' || value === 'false' ? [] : mismatch();
    case 'list':
    case 'set':
      if (!Array.isArray(value)) return mismatch();
      return value.flatMap((element, index) => problemsOf(element, type.element, [...at, index]));
    case 'tuple':
      if (!Array.isArray(value) || value.length !== type.elements.length) return mismatch();
      return value.flatMap((element, index) => problemsOf(element, type.elements[index], [...at, index]));
    case 'map':
      if (!isJsonObject(value)) return mismatch();
      return Object.entries(value).flatMap(([key, element]) => problemsOf(element, type.element, [...at, key]));
    case 'object':
      return isJsonObject(value) ? objectProblems(value, type.attributes, at) : mismatch();
  }
}

function objectProblems(value: Record<string, unknown>, attributes: ReadonlyMap<string, ObjectAttribute>, at: readonly PathSegment[]): Problem[] {
  const problems: Problem[] = [];
  for (const [name, attribute] of attributes) {
    if (!attribute.optional && !Object.hasOwn(value, name)) {
      problems.push({ at, message: `lacks the required attribute ${name} (${describeType(attribute.type)}).` });
    }
  }
  for (const [name, element] of Object.entries(value)) {
    const attribute = attributes.get(name);
    if (attribute === undefined) {
      problems.push({ at, message: unknownAttributeMessage(name, [...attributes.keys()]) });
    } else if (!(element === null && attribute.optional)) {
      problems.push(...problemsOf(element, attribute.type, [...at, name]));
    }
  }
  return problems;
}

function unknownAttributeMessage(name: string, known: readonly string[]): string {
  const suggestions = similarNames(name, known);
  const guess = suggestions.length === 0 ? '.' : `; did you mean ${suggestions.join(' or ')}?`;
  return `unknown attribute ${name}, which Terraform would drop without a word${guess} Expected one of: ${known.join(', ')}.`;
}

/**
 * Names among `known` that `name` is probably a misspelling of: at most two edits away, or `name` with a
 * leading word dropped (`cluster_addons` for `addons`, as the eks module's v21 renamed its inputs).
 */
export function similarNames(name: string, known: readonly string[]): string[] {
  const withoutPrefix = name.replace(/^[a-z0-9]+_/, '');
  return known.filter((candidate) => candidate === withoutPrefix || editDistance(name, candidate) <= Math.min(2, Math.floor(name.length / 3)));
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

// What Terraform's string-to-number conversion accepts (a decimal, optionally with an exponent).
const numberPattern = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function isExpression(value: unknown): boolean {
  return typeof value === 'string' && templateExpressions(value).length > 0;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(type: TerraformType): string {
  switch (type.kind) {
    case 'any':
      return 'any value';
    case 'object':
      return 'an object';
    case 'tuple':
      return `a tuple of ${type.elements.length} elements`;
    default:
      return `a ${type.kind}`;
  }
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (isJsonObject(value)) return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Reads from just after `${` or `%{` to its closing `}`, collecting the code; returns the index of that `}`. */
function readExpression(text: string, start: number, expressions: string[]): number {
  let code = '';
  let depth = 0;
  const nested: string[] = [];
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (char === '"') {
      const end = closingQuote(text, index + 1, nested);
      code += '""';
      index = end;
    } else if (char === '}' && depth === 0) {
      expressions.push(code, ...nested);
      return index;
    } else {
      if (char === '{') depth++;
      if (char === '}') depth--;
      code += char;
    }
  }
  // Unterminated: Terraform rejects the template; what there is still counts as code.
  expressions.push(code, ...nested);
  return text.length;
}

/**
 * The index of the quote that closes a string opened just before `start`, past escapes and templates inside
 * it (text.length when it is never closed); the code of those templates is added to `expressions`.
 */
export function closingQuote(text: string, start: number, expressions: string[] = []): number {
  for (let index = start; index < text.length; index++) {
    const opener = text.slice(index, index + 3);
    if (text[index] === '\\') {
      index++;
    } else if (text[index] === '"') {
      return index;
    } else if (opener === '$${' || opener === '%%{') {
      index += 2;
    } else if (opener.startsWith('${') || opener.startsWith('%{')) {
      index = readExpression(text, index + 2, expressions);
    }
  }
  return text.length;
}

/** A recursive-descent reader of one type constraint. */
class TypeReader {
  private position = 0;

  constructor(private readonly text: string) {}

  type(): TerraformType {
    const name = this.identifier();
    if ((primitiveKinds as readonly string[]).includes(name)) return { kind: name as (typeof primitiveKinds)[number] };
    if ((collectionKinds as readonly string[]).includes(name)) {
      this.expect('(');
      const element = this.type();
      this.expect(')');
      return { kind: name as (typeof collectionKinds)[number], element };
    }
    if (name === 'tuple') return this.tuple();
    if (name === 'object') return this.object();
    if (name === 'optional') this.fail('optional(...) is only allowed for an attribute of object({...})');
    return this.fail(`${name} is not a Terraform type (string, number, bool, any, list, set, map, tuple, object)`);
  }

  end(): void {
    this.skipSpace();
    if (this.position < this.text.length) this.fail('the type ends here, but more text follows');
  }

  private tuple(): TerraformType {
    this.expect('(');
    this.expect('[');
    const elements: TerraformType[] = [];
    while (!this.accept(']')) {
      elements.push(this.type());
      this.accept(',');
    }
    this.expect(')');
    return { kind: 'tuple', elements };
  }

  private object(): TerraformType {
    this.expect('(');
    this.expect('{');
    const attributes = new Map<string, ObjectAttribute>();
    while (!this.accept('}')) {
      const name = this.attributeName();
      if (attributes.has(name)) this.fail(`attribute ${name} is declared twice`);
      if (!this.accept('=')) this.expect(':');
      attributes.set(name, this.attribute());
      this.accept(',');
    }
    this.expect(')');
    return { kind: 'object', attributes };
  }

  private attribute(): ObjectAttribute {
    this.skipSpace();
    if (!/^optional\s*\(/.test(this.text.slice(this.position))) return { type: this.type(), optional: false };
    this.identifier();
    this.expect('(');
    const type = this.type();
    const defaultSource = this.accept(',') ? this.defaultExpression() : undefined;
    this.expect(')');
    return defaultSource === undefined ? { type, optional: true } : { type, optional: true, default: defaultSource };
  }

  private attributeName(): string {
    this.skipSpace();
    if (this.text[this.position] !== '"') return this.identifier();
    const end = closingQuote(this.text, this.position + 1);
    const quoted = this.text.slice(this.position, end + 1);
    this.position = end + 1;
    return JSON.parse(quoted) as string;
  }

  /** The source of a default, up to the `)` that closes optional(...), skipping brackets and strings inside. */
  private defaultExpression(): string {
    this.skipSpace();
    const start = this.position;
    let depth = 0;
    for (; this.position < this.text.length; this.position++) {
      const char = this.text[this.position];
      if (char === '"') this.position = closingQuote(this.text, this.position + 1);
      else if ('([{'.includes(char)) depth++;
      else if (')]}'.includes(char)) {
        if (depth === 0) break;
        depth--;
      }
    }
    const source = this.text.slice(start, this.position).trim();
    if (source === '') this.fail('optional(T, default) needs a default after the comma');
    return source;
  }

  private identifier(): string {
    this.skipSpace();
    const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(this.position));
    if (match === null) return this.fail('expected a type or attribute name');
    this.position += match[0].length;
    return match[0];
  }

  private accept(token: string): boolean {
    this.skipSpace();
    if (this.text[this.position] !== token) return false;
    this.position++;
    return true;
  }

  private expect(token: string): void {
    if (!this.accept(token)) this.fail(`expected "${token}"`);
  }

  private skipSpace(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position])) this.position++;
  }

  private fail(reason: string): never {
    const rest = this.text.slice(this.position, this.position + 30);
    throw new Error(`Cannot read the Terraform type ${JSON.stringify(this.text)}: ${reason} at character ${this.position + 1}${rest ? ` ("${rest}")` : ''}.`);
  }
}
