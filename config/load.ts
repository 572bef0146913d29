import { readFileSync } from 'fs';
import { CORE_SCHEMA, load } from 'js-yaml';
import { Document, isAlias, isMap, isScalar, isSeq, LineCounter, Node, parseAllDocuments } from 'yaml';
import { formatFieldPath, PathSegment } from '../output/field-path';
import { Fleet, resolveFleet } from './fleet';
import { checkCapacitySettings, checkProvisioning, checkRelations } from './rules';
import { FleetFile, fleetSchema } from './schema';
import { JsonSchema, withDefaults } from './schema-builder';

/** One problem in fleet.yaml, located so an editor can jump to it. */
export interface FleetProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The field path, e.g. `apps[2].replicas`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
}

/** Every problem found in a fleet file; `message` lists them one per line, file:line:column first. */
export class FleetConfigError extends Error {
  constructor(readonly problems: readonly FleetProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'FleetConfigError';
  }
}

export function formatProblem(problem: FleetProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  return problem.path ? `${where}: ${problem.path}: ${problem.message}` : `${where}: ${problem.message}`;
}

function describe(node: unknown): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (!isScalar(node) || node.value === null) return 'nothing';
  const value = node.value;
  if (typeof value === 'string') return `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}" (text)`;
  return String(value);
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  const scored = candidates.map((candidate) => ({ candidate, distance: editDistance(word.toLowerCase(), candidate.toLowerCase()) }));
  const best = scored.sort((a, b) => a.distance - b.distance)[0];
  return best && best.distance <= Math.max(2, Math.floor(word.length / 3)) ? best.candidate : undefined;
}

const compiledPatterns = new Map<string, RegExp>();
function compiledPattern(source: string): RegExp {
  let pattern = compiledPatterns.get(source);
  if (!pattern) compiledPatterns.set(source, (pattern = new RegExp(source)));
  return pattern;
}

/** Reads and validates one fleet file against the schema and the cross-field rules. */
class FleetReader {
  private readonly problems: FleetProblem[] = [];
  private readonly lines = new LineCounter();
  private document?: Document.Parsed;

  constructor(private readonly file: string, private readonly text: string) {}

  read(): Fleet {
    const documents = parseAllDocuments(this.text, { lineCounter: this.lines, uniqueKeys: true, prettyErrors: false });
    const list = Array.isArray(documents) ? documents : [];
    for (const document of list) {
      for (const error of document.errors) this.report(error.pos[0], [], `YAML syntax error: ${error.message.split('\n')[0]}`);
    }
    if (list.length > 1) this.report(list[1].range[0], [], 'holds several YAML documents: expected one fleet');
    this.document = list[0];
    const root = this.document?.contents;
    if (!this.problems.length && (!root || (isScalar(root) && root.value === null))) {
      this.report(0, [], `is empty: expected ${fleetSchema['x-expected']}`);
    }
    if (this.problems.length) throw new FleetConfigError(this.problems);

    this.check(fleetSchema, root, []);
    if (this.problems.length) throw new FleetConfigError(this.sorted());
    const written = this.document!.toJS() as FleetFile;
    const file = withDefaults(fleetSchema, written);
    checkRelations(file, (path, message) => this.reportAt(path, message));
    checkProvisioning(file, written, (path, message) => this.reportAt(path, message));
    checkCapacitySettings(file, (path, message) => this.reportAt(path, message));
    if (this.problems.length) throw new FleetConfigError(this.sorted());
    return resolveFleet(file);
  }

  private sorted(): FleetProblem[] {
    return [...this.problems].sort((a, b) => a.line - b.line || a.column - b.column);
  }

  private report(offset: number, path: readonly PathSegment[], message: string): void {
    const { line, col } = this.lines.linePos(offset);
    this.problems.push({ file: this.file, line, column: col, path: formatFieldPath(path), message });
  }

  private reportAt(path: readonly PathSegment[], message: string): void {
    const node = this.nodeAt(path);
    this.report(node?.range?.[0] ?? 0, path, message);
  }

  private nodeAt(path: readonly PathSegment[]): Node | undefined {
    for (let length = path.length; length >= 0; length--) {
      const node = this.document?.getIn(path.slice(0, length), true);
      if (node && typeof node === 'object' && 'range' in node) return node as Node;
    }
    return undefined;
  }

  private check(schema: JsonSchema, raw: unknown, path: PathSegment[]): void {
    const node = isAlias(raw) ? raw.resolve(this.document!) : raw;
    const offset = (node as Node | undefined)?.range?.[0] ?? 0;
    const mismatch = () => this.report(offset, path, `expected ${schema['x-expected']}, got ${describe(node)}`);

    if (schema.anyOf) {
      const branch = schema.anyOf.find((candidate) => (candidate.type === 'object') === isMap(node));
      if (branch) this.check(branch, node, path);
      else mismatch();
      return;
    }
    switch (schema.type) {
      case 'object': {
        if (!isMap(node)) return mismatch();
        const properties = schema.properties ?? {};
        const seen = new Set<string>();
        for (const pair of node.items) {
          const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
          const keyOffset = (pair.key as Node | null)?.range?.[0] ?? offset;
          if (key === undefined) {
            this.report(keyOffset, path, 'has a key that is not plain text');
            continue;
          }
          seen.add(key);
          const property = properties[key];
          if (!property) {
            const known = Object.keys(properties);
            const suggestion = closest(key, known);
            this.report(keyOffset, [...path, key], `unknown key: ${suggestion ? `did you mean "${suggestion}"? Expected` : 'expected'} one of ${known.join(', ')}`);
            continue;
          }
          this.check(property, pair.value, [...path, key]);
        }
        for (const key of schema.required ?? []) {
          if (!seen.has(key)) this.report(offset, [...path, key], `is missing: expected ${properties[key]['x-expected']}`);
        }
        return;
      }
      case 'array': {
        if (!isSeq(node)) return mismatch();
        if (schema.minItems && node.items.length < schema.minItems) {
          this.report(offset, path, `expected ${schema['x-expected']}, got ${node.items.length}`);
        }
        node.items.forEach((item, index) => this.check(schema.items!, item, [...path, index]));
        return;
      }
      case 'integer': {
        const value = isScalar(node) ? node.value : undefined;
        if (typeof value !== 'number' || !Number.isInteger(value) || value < schema.minimum! || value > schema.maximum!) mismatch();
        return;
      }
      case 'boolean':
        if (!isScalar(node) || typeof node.value !== 'boolean') mismatch();
        return;
      case 'string': {
        const value = isScalar(node) ? node.value : undefined;
        if (typeof value !== 'string') return mismatch();
        if (schema.enum && !schema.enum.includes(value)) return mismatch();
        if (schema.pattern && !compiledPattern(schema.pattern).test(value)) return mismatch();
        return;
      }
      default:
        throw new Error(`schema at ${formatFieldPath(path)} has no type`);
    }
  }
}

/** Whether `value` is valid under `schema`: FleetReader.check without the messages. */
function conforms(schema: JsonSchema, value: unknown): boolean {
  const isMapping = typeof value === 'object' && value !== null && !Array.isArray(value);
  if (schema.anyOf) {
    const branch = schema.anyOf.find((candidate) => (candidate.type === 'object') === isMapping);
    return branch !== undefined && conforms(branch, value);
  }
  switch (schema.type) {
    case 'object': {
      if (!isMapping) return false;
      const properties = schema.properties ?? {};
      const mapping = value as Record<string, unknown>;
      return Object.keys(mapping).every((key) => Object.hasOwn(properties, key) && conforms(properties[key], mapping[key]))
        && (schema.required ?? []).every((key) => Object.hasOwn(mapping, key));
    }
    case 'array':
      return Array.isArray(value) && value.length >= (schema.minItems ?? 0) && value.every((item) => conforms(schema.items!, item));
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= schema.minimum! && value <= schema.maximum!;
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string' && (!schema.enum || schema.enum.includes(value))
        && (!schema.pattern || compiledPattern(schema.pattern).test(value));
    default:
      return false;
  }
}

/**
 * The fleet in `text` if it is valid, else undefined. The `yaml` document model that locates
 * problems costs ~0.3 s for a 3,000-app fleet; js-yaml reads the same YAML 1.2 core schema
 * values in ~0.06 s. So a file is first read with js-yaml and checked without locating
 * anything, and only a file with a problem (or one js-yaml rejects) is read again by
 * FleetReader, which finds and locates every problem. Both parsers resolve untagged scalars
 * the same way (a test holds them to it); explicit tags (`!!float 5`) they do not, so a file
 * with a "!" anywhere takes the slow path.
 */
function readValidFleet(text: string): Fleet | undefined {
  if (text.includes('!')) return undefined;
  let value: unknown;
  try {
    value = load(text, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  if (!conforms(fleetSchema, value)) return undefined;
  const file = withDefaults(fleetSchema, value as FleetFile);
  let valid = true;
  const invalid = () => {
    valid = false;
  };
  checkRelations(file, invalid);
  checkProvisioning(file, value as FleetFile, invalid);
  checkCapacitySettings(file, invalid);
  return valid ? resolveFleet(file) : undefined;
}

/** Parses fleet.yaml text; throws FleetConfigError listing every problem. */
export function parseFleet(text: string, file = 'fleet.yaml'): Fleet {
  return readValidFleet(text) ?? new FleetReader(file, text).read();
}

/** FleetReader alone, which every file went through before the fast path: for tests that compare the two. */
export function parseFleetLocatingProblems(text: string, file = 'fleet.yaml'): Fleet {
  return new FleetReader(file, text).read();
}

/** Reads and validates a fleet file; throws FleetConfigError listing every problem. */
export function loadFleet(file: string): Fleet {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new FleetConfigError([{ file, line: 1, column: 1, path: '', message: `cannot be read: ${(error as Error).message}` }]);
  }
  return parseFleet(text, file);
}
