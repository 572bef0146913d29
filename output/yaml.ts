/**
 * Deterministic YAML emitter for the manifest output stage.
 *
 * We own the serialiser because `yaml`'s stringify is too slow for a full fleet
 * (tens of thousands of objects per run). The output is consumed by Go tooling
 * (sigs.k8s.io/yaml → go-yaml, which resolves plain scalars by YAML 1.1 rules)
 * and read by humans in git diffs, so every scalar must mean the same thing
 * under YAML 1.1 and the 1.2 core schema, and the layout mirrors `yaml`'s
 * default style so reviewers see familiar output.
 */
import { formatFieldPath, PathSegment } from './field-path';

const INDENT = '  ';

/**
 * Strings that may be written without quotes. An allow-list, so a character we
 * have not thought about gets quoted rather than misread: ASCII only, starting
 * with a character that is never a YAML indicator nor a sign.
 */
const PLAIN_CANDIDATE = /^[A-Za-z0-9_./$][A-Za-z0-9_./$:;@+=,~%() -]*$/;

/**
 * Plain candidates that a YAML 1.1 or 1.2 resolver would read as something
 * other than a string, or that would not survive as a plain scalar. Each
 * alternative deliberately over-matches; quoting a harmless string costs nothing.
 */
const AMBIGUOUS_PLAIN = new RegExp(
  [
    // Booleans and nulls of YAML 1.1 (y/n/yes/no/on/off) and 1.2, any case.
    '^(?:y|n|yes|no|on|off|true|false|null)$',
    // Special floats.
    '^\\.(?:inf|nan)$',
    // Anything built only from digits, hex digits, radix prefixes, signs,
    // exponents, underscores, dots and colons: every int and float form of
    // both versions, including 1.1 octal "0755", "1_000" and sexagesimal "12:30".
    '^[0-9.][0-9a-fox_.:+-]*$',
    // A bare exponent such as "e9", which some YAML 1.1 readers (the `yaml` package) take for a float.
    '^e[-+]?[0-9]+$',
    // YAML 1.1 timestamps, which go-yaml also resolves.
    '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}',
    // At the start of a line, "... " ends the document.
    '^\\.\\.\\.',
    // ": " would start a mapping value; a trailing ":" or space would be lost or misread.
    ': ',
    '[: ]$',
  ].join('|'),
  'i',
);

/**
 * Characters that are not printable in YAML, or that YAML 1.1 treats as line
 * breaks (NEL, LS, PS): they must be escaped inside double quotes. JSON.stringify
 * already escapes C0 controls, quotes and backslashes, but not these.
 */
const NEEDS_EXTRA_ESCAPE = /[\x7F-\x9F\u2028\u2029\uFEFF\uFFFE\uFFFF]/g;

/**
 * Characters besides "\n" kept out of literal block scalars: the ones above,
 * other control characters, and tabs, which go-yaml rejects while it is still
 * inferring a block's indentation.
 */
const UNSAFE_IN_LITERAL_BLOCK = /[\x00-\x09\x0B-\x1F\x7F-\x9F\u2028\u2029\uFEFF\uFFFE\uFFFF]/;

/** A UTF-16 surrogate without its partner cannot be encoded as UTF-8 at all. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * YAML parsers only look 1024 characters ahead for the ":" of an implicit key
 * (go-yaml counts runes; a JS length is never smaller), so longer keys are
 * written as explicit "? key" entries. A margin keeps us clear of off-by-ones.
 */
const MAX_IMPLICIT_KEY_LENGTH = 1000;

/** Serialises one value as a single YAML document ending in exactly one newline. */
export function toYaml(value: unknown): string {
  return new YamlWriter().writeDocument(value, 'YAML');
}

/** Serialises each value as a document, separating documents with a `---` line. */
export function toYamlStream(docs: readonly unknown[]): string {
  const writer = new YamlWriter();
  return docs.map((doc, index) => writer.writeDocument(doc, `YAML document ${index}`)).join('---\n');
}

/**
 * Collects a document as an array of (mostly shared, constant) pieces joined
 * once at its end: for megabytes of output this keeps the garbage collector
 * out of the way, where repeated string concatenation would not.
 */
class YamlWriter {
  private readonly parts: string[] = [];
  private readonly path: PathSegment[] = [];
  private readonly ancestors: object[] = [];
  /** Keys repeat across thousands of objects; rendering each once matters. */
  private readonly renderedKeys = new Map<string, string>();
  /** Names the document being written in error messages. */
  private documentName = '';

  writeDocument(value: unknown, documentName: string): string {
    this.documentName = documentName;
    this.parts.length = 0;
    if (isBlockMapping(value)) {
      this.writeMapping(value, 0);
    } else if (isBlockSequence(value)) {
      this.writeSequence(value, 0);
    } else {
      // A root block scalar is indented so that a content line such as "---"
      // cannot be mistaken for a document marker.
      this.parts.push(this.leaf(value, 1));
    }
    this.parts.push('\n');
    return this.parts.join('');
  }

  /** The cursor is where the first key goes; later keys start new lines at `depth`. */
  private writeMapping(mapping: Record<string, unknown>, depth: number): void {
    this.enter(mapping);
    const nextLine = lineStart(depth);
    let first = true;
    for (const key of Object.keys(mapping)) {
      const value = mapping[key];
      if (value === undefined) continue;
      if (!first) this.parts.push(nextLine);
      first = false;
      this.path.push(key);
      const renderedKey = this.renderKey(key);
      if (renderedKey.length > MAX_IMPLICIT_KEY_LENGTH) {
        this.parts.push('? ', renderedKey, nextLine, ':');
      } else {
        this.parts.push(renderedKey, ':');
      }
      this.writeMappingValue(value, depth + 1);
      this.path.pop();
    }
    this.leave();
  }

  /** The cursor is just after `key:`; `depth` is one deeper than the key's. */
  private writeMappingValue(value: unknown, depth: number): void {
    if (isBlockMapping(value)) {
      this.parts.push(lineStart(depth));
      this.writeMapping(value, depth);
    } else if (isBlockSequence(value)) {
      this.parts.push(lineStart(depth));
      this.writeSequence(value, depth);
    } else {
      this.parts.push(' ', this.leaf(value, depth));
    }
  }

  /** The cursor is where the first dash goes; later items start new lines at `depth`. */
  private writeSequence(sequence: readonly unknown[], depth: number): void {
    this.enter(sequence);
    const nextLine = lineStart(depth);
    for (let index = 0; index < sequence.length; index++) {
      this.parts.push(index === 0 ? '- ' : nextLine + '- ');
      const item = sequence[index];
      this.path.push(index);
      if (isBlockMapping(item)) {
        this.writeMapping(item, depth + 1);
      } else if (isBlockSequence(item)) {
        this.writeSequence(item, depth + 1);
      } else {
        this.parts.push(this.leaf(item, depth + 1));
      }
      this.path.pop();
    }
    this.leave();
  }

  /**
   * Renders anything that is not a non-empty block collection. `blockDepth`
   * is where the lines of a literal block scalar go.
   */
  private leaf(value: unknown, blockDepth: number): string {
    switch (typeof value) {
      case 'string':
        return this.renderString(value, blockDepth);
      case 'number':
        if (!Number.isFinite(value)) throw this.error(`${value} is not a finite number`);
        return renderNumber(value);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'object':
        if (value === null) return 'null';
        if (Array.isArray(value)) return '[]';
        if (isPlainObject(value)) return '{}';
        throw this.error(`${describeObject(value)} is not plain data`);
      default:
        throw this.error(value === undefined ? 'undefined is not plain data' : `a ${typeof value} is not plain data`);
    }
  }

  private renderString(text: string, blockDepth: number): string {
    if (isSafePlain(text)) return text;
    this.rejectLoneSurrogates(text);
    if (text.includes('\n') && canBeLiteralBlock(text)) return renderLiteralBlock(text, lineStart(blockDepth));
    return renderDoubleQuoted(text);
  }

  /** Keys are never block scalars: an implicit key must fit on one line. */
  private renderKey(key: string): string {
    let rendered = this.renderedKeys.get(key);
    if (rendered === undefined) {
      if (isSafePlain(key)) {
        rendered = key;
      } else {
        this.rejectLoneSurrogates(key);
        rendered = renderDoubleQuoted(key);
      }
      this.renderedKeys.set(key, rendered);
    }
    return rendered;
  }

  private rejectLoneSurrogates(text: string): void {
    if (LONE_SURROGATE.test(text)) throw this.error('a lone UTF-16 surrogate cannot be encoded as UTF-8');
  }

  private enter(collection: object): void {
    if (this.ancestors.includes(collection)) throw this.error('a circular reference is not plain data');
    this.ancestors.push(collection);
  }

  private leave(): void {
    this.ancestors.pop();
  }

  private error(problem: string): Error {
    return new Error(`Cannot serialise ${this.documentName} at ${formatFieldPath(this.path, '(root)')}: ${problem}`);
  }
}

/** "\n" followed by the indentation of `depth`, shared so that each line start costs no allocation. */
const LINE_STARTS: string[] = [];

function lineStart(depth: number): string {
  while (LINE_STARTS.length <= depth) LINE_STARTS.push('\n' + INDENT.repeat(LINE_STARTS.length));
  return LINE_STARTS[depth];
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A plain object with at least one emitted entry; empty ones are written as `{}`. */
function isBlockMapping(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !isPlainObject(value)) return false;
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key) && value[key] !== undefined) return true;
  }
  return false;
}

/** A non-empty array; empty ones are written as `[]`. */
function isBlockSequence(value: unknown): value is readonly unknown[] {
  return Array.isArray(value) && value.length > 0;
}

function isSafePlain(text: string): boolean {
  return PLAIN_CANDIDATE.test(text) && !AMBIGUOUS_PLAIN.test(text);
}

function renderNumber(value: number): string {
  // String(-0) is "0". YAML 1.1 only reads exponent notation as a float when
  // the mantissa has a dot, so "1e+21" becomes "1.0e+21".
  const text = String(value);
  return text.includes('e') && !text.includes('.') ? text.replace('e', '.0e') : text;
}

/** JSON string syntax is valid YAML double-quoted syntax; only YAML's extra non-printables need adding. */
function renderDoubleQuoted(text: string): string {
  return JSON.stringify(text).replace(
    NEEDS_EXTRA_ESCAPE,
    (char) => '\\u' + char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0'),
  );
}

/**
 * Parsers disagree on whether whitespace-only lines after the last visible
 * line of a block are content or trailing blank lines, so such strings (and
 * strings with nothing visible, which read better quoted anyway) are left to
 * double quotes.
 */
function canBeLiteralBlock(text: string): boolean {
  return !UNSAFE_IN_LITERAL_BLOCK.test(text) && /[^ \n]/.test(text) && !hasTrailingWhitespaceOnlyLine(text);
}

/** A scan rather than a regex, which would backtrack quadratically over long runs of blank lines. */
function hasTrailingWhitespaceOnlyLine(text: string): boolean {
  let sawSpace = false;
  for (let index = text.length - 1; index >= 0; index--) {
    const char = text[index];
    if (char === ' ') {
      sawSpace = true;
    } else if (char !== '\n') {
      return false;
    } else if (sawSpace) {
      return true;
    }
  }
  return false;
}

/** `contentLineStart` is a newline followed by the indentation of the block content. */
function renderLiteralBlock(text: string, contentLineStart: string): string {
  const lines = text.split('\n');
  let chomping: string;
  if (!text.endsWith('\n')) {
    chomping = '-';
  } else {
    lines.pop();
    chomping = text.endsWith('\n\n') ? '+' : '';
  }
  // Parsers infer the block's indentation from its first non-empty line, so
  // content that itself starts with spaces needs the indentation stated.
  const indentationIndicator = /^\n* /.test(text) ? String(INDENT.length) : '';
  let block = '|' + indentationIndicator + chomping;
  for (const line of lines) {
    // Empty lines carry no indentation, to avoid trailing whitespace in diffs.
    block += line === '' ? '\n' : contentLineStart + line;
  }
  return block;
}

function describeObject(value: object): string {
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an object with a non-plain prototype';
}

