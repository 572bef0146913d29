import { isUtf8 } from 'buffer';
import { readFileSync } from 'fs';
import { CORE_SCHEMA, load } from 'js-yaml';
import { Alias, Document, isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, Node, parseAllDocuments, visit } from 'yaml';
import { formatFieldPath, PathSegment } from '../output/field-path';
import { Fleet, resolveFleet } from './fleet';
import { closest, count, cut, firstLines, printable, quote } from './messages';
import { checkCapacitySettings, checkFleetChoices, checkProvisioning, checkRelations, checkReservedClusterNames, checkServices } from './rules';
import { checkWaves } from './waves';
import { FleetFile, fleetSchema } from './schema';
import { isFreeMapping, JsonSchema, withDefaults } from './schema-builder';

/** One problem in fleet.yaml, located so an editor can jump to it. */
export interface FleetProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The field path, e.g. `apps[2].replicas`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
}

/** At most this many problems are printed; the rest are counted ("and 99,950 more problems"). */
export const maxPrintedProblems = 50;

/** Every problem found in a fleet file; `message` lists them one per line, file:line:column first. */
export class FleetConfigError extends Error {
  constructor(readonly problems: readonly FleetProblem[]) {
    super(firstLines(problems.map(formatProblem), maxPrintedProblems, 'more problems').join('\n'));
    this.name = 'FleetConfigError';
  }
}

/** One problem as one printed line: a value from the file can neither start a line of its own nor reach the terminal as an escape sequence. */
export function formatProblem(problem: FleetProblem): string {
  const where = `${printable(problem.file)}:${problem.line}:${problem.column}`;
  return printable(problem.path ? `${where}: ${problem.path}: ${problem.message}` : `${where}: ${problem.message}`);
}

/**
 * A value as a message may quote it: whatever may carry a credential in a URL is masked, however
 * the URL is written (a token is a password as often as not): what precedes the last "@" of a
 * URL's authority or of an scp-like address (git:token@host:path), and a query string
 * (?private_token=...).
 */
export function withoutCredentials(value: string): string {
  return value
    .replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/)[^?#]*@/i, '$1***@')
    .replace(/^(\s*)[^\s/@:]+(:[^\s/@]*)?@(?=[^\s/@]+:)/, '$1***@')
    .replace(/\?.*$/s, '?***');
}

function describe(node: unknown): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (!isScalar(node) || node.value === null) return 'nothing';
  const value = node.value;
  if (typeof value === 'string') return `${quote(withoutCredentials(value))} (text)`;
  return String(value);
}

/**
 * The values aliases may add to the file. An alias shares a value; nested ones multiply it (a
 * "billion laughs" of a few lines), so what they add is counted, not the aliases.
 */
export const maxAliasedValues = 100_000;

/** The values `root` holds with every alias expanded, and the values it holds as written. */
function expandedSize(document: Document.Parsed, root: unknown): { expanded: number; written: number } {
  const sizes = new Map<unknown, number>();
  let written = 0;
  const size = (node: unknown): number => {
    if (isAlias(node)) return size(node.resolve(document));
    if (!node || typeof node !== 'object') return 0;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    sizes.set(node, 1); // an alias inside its own anchor counts once, rather than forever
    written++;
    let total = 1;
    if (isCollection(node)) for (const item of node.items) total += isPair(item) ? size(item.key) + size(item.value) : size(item);
    sizes.set(node, total);
    return total;
  };
  return { expanded: size(root), written };
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
    const list = this.parse();
    for (const document of list) {
      for (const error of document.errors) this.report(error.pos[0], [], `YAML syntax error: ${cut(error.message.split('\n')[0], 200)}`);
      const { explicit, version } = document.directives.yaml;
      if (explicit && (version !== '1.2' || document.warnings.some((warning) => warning.code === 'BAD_DIRECTIVE'))) {
        // YAML 1.1 reads 010 as 8 and yes as true; one meaning, whichever reader reads the file.
        this.report(document.range[0], [], 'has a %YAML directive for another version than 1.2: fleet.yaml is read as YAML 1.2 only; remove the %YAML line');
      }
    }
    if (list.length > 1) this.report(list[1].range[0], [], 'holds several YAML documents: expected one fleet');
    const root = this.document?.contents;
    if (!this.problems.length && (!root || (isScalar(root) && root.value === null))) {
      this.report(0, [], `is empty: expected ${fleetSchema['x-expected']}`);
    }
    if (!this.problems.length) {
      const { expanded, written } = expandedSize(this.document!, root);
      if (expanded - written > maxAliasedValues) {
        let firstAlias: Alias | undefined;
        visit(this.document!, { Alias: (_, alias) => { firstAlias = alias; return visit.BREAK; } });
        this.report(firstAlias?.range?.[0] ?? 0, [], `has aliases (*name) that add ${count(expanded - written)} values to the ${count(written)} it holds: at most ${count(maxAliasedValues)} are read; write the values out`);
      }
    }
    if (this.problems.length) throw new FleetConfigError(this.problems);

    this.check(fleetSchema, root, []);
    if (this.problems.length) throw new FleetConfigError(this.sorted());
    // The aliases were counted above, by what they add; the yaml package's own count is of aliases alone.
    const written = this.document!.toJS({ maxAliasCount: -1 }) as FleetFile;
    const file = withDefaults(fleetSchema, written);
    checkRelations(file, (path, message) => this.reportAt(path, message));
    checkProvisioning(file, written, (path, message) => this.reportAt(path, message));
    checkCapacitySettings(file, (path, message) => this.reportAt(path, message));
    checkFleetChoices(file, written, (path, message) => this.reportAt(path, message));
    checkReservedClusterNames(file, (path, message) => this.reportAt(path, message));
    checkServices(file, written, (path, message) => this.reportAt(path, message));
    checkWaves(file, (path, message) => this.reportAt(path, message));
    if (this.problems.length) throw new FleetConfigError(this.sorted());
    return resolveFleet(file);
  }

  /** Where a problem found in the fleet after it was read (the capacity plan's) is, as the reader's own problems say. */
  locate(path: readonly PathSegment[], message: string): FleetProblem {
    if (!this.document) this.parse();
    this.reportAt(path, message);
    return this.problems.pop()!;
  }

  private parse(): Document.Parsed[] {
    const documents = parseAllDocuments(this.text, { lineCounter: this.lines, uniqueKeys: true, prettyErrors: false });
    const list = Array.isArray(documents) ? documents : [];
    this.document = list[0];
    return list;
  }

  private sorted(): FleetProblem[] {
    return [...this.problems].sort((a, b) => a.line - b.line || a.column - b.column);
  }

  private report(offset: number, path: readonly PathSegment[], message: string): void {
    const { line, col } = this.lines.linePos(offset);
    // A key may be megabytes long; the path names it by its start.
    const shortPath = path.map((segment) => (typeof segment === 'string' ? cut(segment) : segment));
    this.problems.push({ file: this.file, line, column: col, path: formatFieldPath(shortPath), message });
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
        if (isFreeMapping(schema)) return this.checkFreeMapping(node, path);
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
          if (key === '<<') {
            this.report(keyOffset, path, 'has a merge key (<<): fleet.yaml is read as YAML 1.2, which has no merge keys; write the keys out');
            continue;
          }
          // Own keys only: "constructor" or "toString" must not find what every object inherits.
          const property = Object.hasOwn(properties, key) ? properties[key] : undefined;
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

  /** Data for another program (Helm values): any values, under keys that are plain text and never a merge key, at any depth. */
  private checkFreeMapping(raw: unknown, path: PathSegment[]): void {
    const node = isAlias(raw) ? raw.resolve(this.document!) : raw;
    if (isSeq(node)) node.items.forEach((item, index) => this.checkFreeMapping(item, [...path, index]));
    if (!isMap(node)) return;
    for (const pair of node.items) {
      const keyOffset = (pair.key as Node | null)?.range?.[0] ?? (node as Node).range?.[0] ?? 0;
      if (!isScalar(pair.key) || pair.key.value === null || typeof pair.key.value === 'object') {
        this.report(keyOffset, path, 'has a key that is not plain text');
        continue;
      }
      const key = String(pair.key.value);
      if (key === '<<') {
        this.report(keyOffset, path, 'has a merge key (<<): fleet.yaml is read as YAML 1.2, which has no merge keys; write the keys out');
        continue;
      }
      this.checkFreeMapping(pair.value, [...path, key]);
    }
  }
}

/** Whether data under a free-form mapping has a merge key (<<) anywhere, which FleetReader refuses. */
function hasMergeKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasMergeKey);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([key, item]) => key === '<<' || hasMergeKey(item));
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
      if (isFreeMapping(schema)) return !hasMergeKey(value);
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

/** Apps js-yaml reads at a time from a long fleet.yaml (loadInPieces). */
const appsPerPiece = 1000;

/** The top-level `apps:` line of a block sequence (nothing after the colon but a comment). */
const appsKeyLine = /^apps:[ \t]*(?:#.*)?\r?$/;

/**
 * What js-yaml reads from `text` (one YAML 1.2 document), read in pieces when it has many apps.
 * js-yaml 5 turns its whole input into a list of events before it builds any value, so 100,000
 * apps would hold some 300 MB of events at once, for a fleet whose value takes 30 MB. So the
 * block sequence of a top-level `apps:` key is cut before every 1,000th item: a line of the items'
 * indentation that starts with "-". In valid YAML such a line starts an item and nothing else
 * (the content of a block scalar is indented further, and a quoted scalar or a flow collection
 * continued on it would be less indented than js-yaml requires, an error). The file with only
 * the first 1,000 items of the sequence, and each further piece of items, are read on their own
 * and the items put back. Read in pieces or whole, a file means the same (a test holds them to it); a
 * piece that does not read leaves the whole file to js-yaml, which then reports it.
 */
export function loadInPieces(text: string): unknown {
  const lines = text.split('\n');
  const keys = lines.flatMap((line, index) => (appsKeyLine.test(line) ? [index] : []));
  const first = keys.length === 1 ? lines.findIndex((line, index) => index > keys[0] && !/^[ \t]*(?:#.*)?\r?$/.test(line)) : -1;
  const indent = first >= 0 ? /^( *)-(?:[ \t]|\r?$)/.exec(lines[first])?.[1].length : undefined;
  // Aliases are read whole: an anchor in one piece and its alias in another would not meet.
  if (indent === undefined || text.includes('*') || /^(?:---|\.\.\.)(?:[ \t]|\r?$)/m.test(text)) return load(text, { schema: CORE_SCHEMA });
  const startsItem = new RegExp(`^ {${indent}}-(?:[ \\t]|\\r?$)`);
  const inSequence = (line: string) => startsItem.test(line) || /^[ \t]*(?:#.*)?\r?$/.test(line) || (/^ */.exec(line)![0].length > indent);
  let end = first;
  while (end < lines.length && inSequence(lines[end])) end++;
  const starts = lines.slice(first, end).flatMap((line, index) => (startsItem.test(line) ? [first + index] : []));
  if (starts.length <= appsPerPiece) return load(text, { schema: CORE_SCHEMA });
  try {
    // The file with its first 1,000 items in place, so that they are read where they stand (a
    // block sequence inside a flow mapping, say, is refused as when the whole file is read).
    // Lines as the file has them: each ends in a line break but the file's last (a kept block scalar, |+, keeps what it had).
    const linesOf = (from: number, to: number) => `${lines.slice(from, to).join('\n')}${to < lines.length ? '\n' : ''}`;
    const rest = load(`${linesOf(0, starts[appsPerPiece])}${lines.slice(end).join('\n')}`, { schema: CORE_SCHEMA }) as Record<string, unknown>;
    if (!Array.isArray(rest?.apps) || rest.apps.length !== appsPerPiece) throw new Error('apps is not where it was');
    const apps: unknown[] = rest.apps;
    for (let index = appsPerPiece; index < starts.length; index += appsPerPiece) {
      const piece = load(linesOf(starts[index], starts[index + appsPerPiece] ?? end), { schema: CORE_SCHEMA });
      if (!Array.isArray(piece)) throw new Error('a piece of apps is not a list');
      for (const app of piece) apps.push(app);
    }
    rest.apps = apps;
    return rest;
  } catch {
    return load(text, { schema: CORE_SCHEMA });
  }
}

/**
 * The fleet in `text` if it is valid, else undefined. The `yaml` document model that locates
 * problems costs ~0.3 s for a 3,000-app fleet; js-yaml reads the same YAML 1.2 core schema
 * values in ~0.06 s. So a file is first read with js-yaml and checked without locating
 * anything, and only a file with a problem (or one js-yaml rejects) is read again by
 * FleetReader, which finds and locates every problem. Both parsers resolve untagged scalars
 * the same way (a test holds them to it). What they do not read alike takes the slow path, so
 * that FleetReader alone gives it its meaning: explicit tags (`!!float 5`) and %TAG, so a "!"
 * anywhere; directives (%YAML 1.1 changes what 010 means); and aliases, which FleetReader
 * counts by what they expand to, so a "*" anywhere.
 */
function readValidFleet(text: string): Fleet | undefined {
  if (text.includes('!') || text.includes('*') || /^%/m.test(text)) return undefined;
  let value: unknown;
  try {
    value = loadInPieces(text);
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
  checkFleetChoices(file, value as FleetFile, invalid);
  checkReservedClusterNames(file, invalid);
  checkServices(file, value as FleetFile, invalid);
  checkWaves(file, invalid);
  return valid ? resolveFleet(file) : undefined;
}

/** Parses fleet.yaml text; throws FleetConfigError listing every problem. */
export function parseFleet(text: string, file = 'fleet.yaml'): Fleet {
  refuseBareCarriageReturns(text, file);
  return readValidFleet(text) ?? new FleetReader(file, text).read();
}

/** FleetReader alone, which every file went through before the fast path: for tests that compare the two. */
export function parseFleetLocatingProblems(text: string, file = 'fleet.yaml'): Fleet {
  refuseBareCarriageReturns(text, file);
  return new FleetReader(file, text).read();
}

/**
 * A carriage return not followed by a line feed: js-yaml ends a line there, the yaml package
 * (and with it the editor's YAML language server) does not, so the two readers would read the
 * file differently. CRLF line ends are fine.
 */
function refuseBareCarriageReturns(text: string, file: string): void {
  const index = text.search(/\r(?!\n)/);
  if (index < 0) return;
  const lines = text.slice(0, index).split('\n');
  throw new FleetConfigError([{
    file, line: lines.length, column: lines[lines.length - 1].length + 1, path: '',
    message: 'has a carriage return (\\r) that does not end a line with a line feed: YAML readers disagree on where such a line ends; save the file with LF (or CRLF) line ends',
  }]);
}

/** The text of a fleet file; throws FleetConfigError when it cannot be read or is not UTF-8. */
function readFleetText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new FleetConfigError([{ file, line: 1, column: 1, path: '', message: `cannot be read: ${(error as Error).message}` }]);
  }
  return decodeFleetText(bytes, file);
}

/** The text of the bytes of a fleet file; throws FleetConfigError when they are not UTF-8. */
export function decodeFleetText(bytes: Buffer, file: string): string {
  const text = bytes.toString('utf8');
  if (!isUtf8(bytes)) {
    // Node decodes each invalid byte as U+FFFD; the first one not written as U+FFFD in the file is the culprit.
    let index = text.indexOf('\ufffd');
    while (index >= 0 && bytes.subarray(Buffer.byteLength(text.slice(0, index))).subarray(0, 3).equals(Buffer.from('\ufffd'))) index = text.indexOf('\ufffd', index + 1);
    const lines = text.slice(0, index).split('\n');
    const byte = Buffer.byteLength(text.slice(0, index));
    throw new FleetConfigError([{
      file, line: lines.length, column: lines[lines.length - 1].length + 1, path: '',
      message: `is not UTF-8 text: byte ${count(byte)} (0x${bytes[byte].toString(16).padStart(2, '0')}) starts no UTF-8 character; save the file as UTF-8`,
    }]);
  }
  return text;
}

/** Reads and validates a fleet file; throws FleetConfigError listing every problem. */
export function loadFleet(file: string): Fleet {
  return parseFleet(readFleetText(file), file);
}

/**
 * Problems found in a valid fleet file after it was read (the capacity plan's), each located
 * at its field path as the reader locates its own: file:line:column and path.
 */
export function locateProblems(file: string, problems: readonly { readonly path: readonly PathSegment[]; readonly message: string }[]): FleetProblem[] {
  const reader = new FleetReader(file, readFleetText(file));
  return problems.map((problem) => reader.locate(problem.path, problem.message));
}

/**
 * Gives the `file:line` of field paths of a valid fleet file, for messages that point at several
 * fields. The file is read and parsed on the first call only, and not at all without one.
 */
export function fieldLines(file: string): (paths: readonly (readonly PathSegment[])[]) => string[] {
  let reader: FleetReader | undefined;
  return (paths) => {
    reader ??= new FleetReader(file, readFleetText(file));
    return paths.map((path) => {
      const { line } = reader!.locate(path, '');
      return `${file}:${line}`;
    });
  };
}
