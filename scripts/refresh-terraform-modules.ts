/**
 * Derives data/terraform-modules.json from the interface files of the pinned community Terraform modules, so
 * that verify/terraform-modules.ts can check the module calls this project renders without the upstream files
 * being present (tests run from a fresh clone) and without the Terraform CLI.
 *
 *   npm run refresh:terraform [-- folder]
 *
 * folder defaults to ../shared/terraform next to the project; a folder given is resolved against the working
 * directory. It holds one folder per module named <name>-<version> (`vpc-6.6.0`, `iam-6.5.0`), with the
 * module's variables.tf and outputs.tf, or those of its submodules under modules/<submodule>/.
 *
 * Bumping a module to version V: put its variables.tf and outputs.tf (`git show vV:variables.tf` in the
 * upstream repository) into a folder <name>-V, run this script on the parent folder, then `npm test`: the
 * checks report every argument the project renders that the new version renamed, dropped or retyped.
 *
 * The .tf files are read by a small scanner of HCL's native syntax, not by Terraform: blocks, attributes,
 * expressions up to the end of their line outside brackets, strings with templates, heredocs and the three
 * kinds of comment. That is all a variables.tf or outputs.tf holds.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ModuleVariable, PinnedModule, TerraformModulesData } from '../verify/terraform-modules';
import { terraformModulesDataPath } from '../verify/terraform-modules';
import { closingQuote, parseType } from '../verify/terraform-types';

const projectRoot = resolve(__dirname, '..');
export const defaultTerraformDir = resolve(projectRoot, '../shared/terraform');
export const terraformModulesFile = resolve(projectRoot, terraformModulesDataPath);
const generatedBy = 'scripts/refresh-terraform-modules.ts';

/** A module the project renders calls of: its registry name, and the submodules used instead of its root. */
interface ModuleFolder {
  /** `vpc` for terraform-aws-modules/vpc/aws, and the folder's name before `-<version>`. */
  readonly name: string;
  /**
   * Paths of the submodules used, each a source of its own (`terraform-aws-modules/iam/aws//modules/iam-role`).
   * @default [] (the module's root is used)
   */
  readonly submodules?: readonly string[];
}

const moduleFolders: readonly ModuleFolder[] = [
  { name: 'vpc' },
  { name: 'eks' },
  { name: 'eks-pod-identity' },
  { name: 'iam', submodules: ['modules/iam-role-for-service-accounts', 'modules/iam-role'] },
];

/** data/terraform-modules.json as derived from `terraformDir`. */
export function deriveTerraformModules(terraformDir: string): TerraformModulesData {
  const modules: Record<string, PinnedModule> = {};
  for (const { name, submodules } of moduleFolders) {
    const { folder, version } = versionFolder(terraformDir, name);
    const source = `terraform-aws-modules/${name}/aws`;
    for (const submodule of submodules ?? ['']) {
      const dir = join(folder, submodule);
      modules[submodule === '' ? source : `${source}//${submodule}`] = {
        version,
        variables: moduleVariables(readFileSync(join(dir, 'variables.tf'), 'utf8'), join(dir, 'variables.tf')),
        outputs: moduleOutputs(readFileSync(join(dir, 'outputs.tf'), 'utf8'), join(dir, 'outputs.tf')),
      };
    }
  }
  return { generatedBy, modules };
}

/** The text of data/terraform-modules.json for `terraformDir`: two-space JSON in source order, newline-terminated. */
export function terraformModulesJson(terraformDir: string): string {
  return `${JSON.stringify(deriveTerraformModules(terraformDir), null, 2)}\n`;
}

/** The variables a variables.tf declares, in its order. Throws a sentence naming file and line on bad input. */
export function moduleVariables(source: string, file: string): Record<string, ModuleVariable> {
  const variables: Record<string, ModuleVariable> = {};
  for (const block of namedBlocks(source, file, 'variable')) {
    const typeAttribute = block.body.attributes.find((attribute) => attribute.name === 'type');
    const type = typeAttribute === undefined ? 'any' : expressionText(typeAttribute.expression);
    try {
      parseType(type);
    } catch (error) {
      throw new Error(`${file}:${typeAttribute?.line}: variable "${block.label}" has a type the checks cannot read. ${(error as Error).message}`);
    }
    variables[block.label] = { type, required: !block.body.attributes.some((attribute) => attribute.name === 'default') };
  }
  return variables;
}

/** The outputs an outputs.tf declares, in its order. */
export function moduleOutputs(source: string, file: string): string[] {
  return namedBlocks(source, file, 'output').map((block) => block.label);
}

/** The one folder <name>-<version> in `terraformDir`. */
function versionFolder(terraformDir: string, name: string): { folder: string; version: string } {
  const pattern = new RegExp(`^${name}-(\\d+\\.\\d+\\.\\d+)$`);
  const matches = existsSync(terraformDir) ? readdirSync(terraformDir).filter((entry) => pattern.test(entry)) : [];
  if (matches.length !== 1) {
    const found = matches.length === 0 ? 'none' : matches.join(', ');
    throw new Error(`${terraformDir} must hold exactly one folder ${name}-<version> for terraform-aws-modules/${name}/aws, found ${found}.`);
  }
  return { folder: join(terraformDir, matches[0]), version: pattern.exec(matches[0])![1] };
}

/** The top-level blocks `<blockType> "<label>" { ... }` of a file, each label once. */
function namedBlocks(source: string, file: string, blockType: string): { label: string; body: HclBody }[] {
  const blocks = parseBody(new TokenStream(tokenize(source, file), file), false).blocks.filter((block) => block.type === blockType);
  const seen = new Set<string>();
  return blocks.map((block) => {
    if (block.labels.length !== 1) throw new Error(`${file}:${block.line}: a ${blockType} block needs exactly one label, it has ${block.labels.length}.`);
    const [label] = block.labels;
    if (seen.has(label)) throw new Error(`${file}:${block.line}: ${blockType} "${label}" is declared twice.`);
    seen.add(label);
    return { label, body: block.body };
  });
}

// ---------------------------------------------------------------------------------------------------------
// The HCL scanner: tokens, then bodies of attributes and blocks.

type TokenKind = 'identifier' | 'number' | 'string' | 'heredoc' | 'punctuation' | 'newline';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly line: number;
}

interface HclAttribute {
  readonly name: string;
  /** The tokens of the value, newlines inside brackets included. */
  readonly expression: readonly Token[];
  readonly line: number;
}

interface HclBlock {
  readonly type: string;
  readonly labels: readonly string[];
  readonly body: HclBody;
  readonly line: number;
}

interface HclBody {
  readonly attributes: readonly HclAttribute[];
  readonly blocks: readonly HclBlock[];
}

// Longest first, so that `==` is not read as two `=`.
const punctuation = ['...', '==', '!=', '<=', '>=', '&&', '||', '=>', '{', '}', '[', ']', '(', ')', '=', ',', '.', ':', '?', '!', '<', '>', '+', '-', '*', '/', '%'];

function tokenize(source: string, file: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let index = 0;
  const fail = (reason: string): never => {
    throw new Error(`${file}:${line}: ${reason}.`);
  };
  const push = (kind: TokenKind, end: number): void => {
    const text = source.slice(index, end);
    tokens.push({ kind, text, line });
    line += text.split('\n').length - 1;
    index = end;
  };
  const lengthAt = (pattern: RegExp): number => {
    pattern.lastIndex = index;
    return pattern.exec(source)![0].length;
  };
  while (index < source.length) {
    const char = source[index];
    if (char === '\n') {
      push('newline', index + 1);
    } else if (/[ \t\r\uFEFF]/.test(char)) {
      index++;
    } else if (char === '#' || source.startsWith('//', index)) {
      // A line comment ends before its newline, which still ends the attribute it follows.
      const end = source.indexOf('\n', index);
      index = end === -1 ? source.length : end;
    } else if (source.startsWith('/*', index)) {
      const end = source.indexOf('*/', index + 2);
      if (end === -1) fail('a /* comment is never closed');
      line += source.slice(index, end).split('\n').length - 1;
      index = end + 2;
    } else if (char === '"') {
      const end = closingQuote(source, index + 1);
      if (source.slice(index, end).includes('\n')) fail('a quoted string runs past the end of its line');
      if (end === source.length) fail('a quoted string is never closed');
      push('string', end + 1);
    } else if (source.startsWith('<<', index)) {
      push('heredoc', heredocEnd(source, index, fail));
    } else if (/[0-9]/.test(char)) {
      push('number', index + lengthAt(/\d+(\.\d+)?([eE][+-]?\d+)?/y));
    } else if (/[A-Za-z_]/.test(char)) {
      push('identifier', index + lengthAt(/[A-Za-z_][A-Za-z0-9_-]*/y));
    } else {
      const mark = punctuation.find((candidate) => source.startsWith(candidate, index));
      if (mark === undefined) fail(`unexpected character ${JSON.stringify(char)}`);
      push('punctuation', index + mark!.length);
    }
  }
  return tokens;
}

/** The index just past the closing marker of the heredoc `<<EOT` or `<<-EOT` that starts at `start`. */
function heredocEnd(source: string, start: number, fail: (reason: string) => never): number {
  const openerPattern = /<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/y;
  openerPattern.lastIndex = start;
  const opener = openerPattern.exec(source);
  if (opener === null) fail('<< must open a heredoc such as <<EOT or <<-EOT on a line of its own');
  const [introducer, marker] = opener!;
  let lineStart = start + introducer.length;
  while (lineStart < source.length) {
    const newline = source.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? source.length : newline;
    // Terraform allows the closing marker to be indented, in both heredoc forms.
    if (source.slice(lineStart, lineEnd).trim() === marker) return lineStart + source.slice(lineStart, lineEnd).indexOf(marker) + marker.length;
    lineStart = lineEnd + 1;
  }
  return fail(`the heredoc <<${marker} is never closed by a line holding ${marker}`);
}

class TokenStream {
  private position = 0;

  constructor(private readonly tokens: readonly Token[], readonly file: string) {}

  peek(): Token | undefined {
    return this.tokens[this.position];
  }

  next(): Token {
    const token = this.tokens[this.position];
    if (token === undefined) this.failAtEnd();
    this.position++;
    return token;
  }

  failAtEnd(): never {
    return this.fail(this.tokens[this.tokens.length - 1]?.line ?? 1, 'the file ends inside a block');
  }

  skipNewlines(): void {
    while (this.peek()?.kind === 'newline') this.position++;
  }

  fail(line: number, reason: string): never {
    throw new Error(`${this.file}:${line}: ${reason}.`);
  }
}

/** Attributes and blocks up to the end of the file, or up to and including a `}` when `nested`. */
function parseBody(stream: TokenStream, nested: boolean): HclBody {
  const attributes: HclAttribute[] = [];
  const blocks: HclBlock[] = [];
  for (;;) {
    stream.skipNewlines();
    const token = stream.peek();
    if (token === undefined) {
      if (nested) stream.failAtEnd();
      return { attributes, blocks };
    }
    stream.next();
    if (nested && token.text === '}') return { attributes, blocks };
    if (token.kind !== 'identifier') stream.fail(token.line, `expected an attribute or block name, found ${token.text}`);
    if (stream.peek()?.text === '=') {
      stream.next();
      attributes.push({ name: token.text, expression: parseExpression(stream, token), line: token.line });
    } else {
      blocks.push(parseBlock(stream, token));
    }
  }
}

function parseBlock(stream: TokenStream, type: Token): HclBlock {
  const labels: string[] = [];
  for (let token = stream.next(); token.text !== '{'; token = stream.next()) {
    if (token.kind === 'string') labels.push(JSON.parse(token.text) as string);
    else if (token.kind === 'identifier') labels.push(token.text);
    else stream.fail(token.line, `expected a label or { after ${type.text}, found ${token.text === '\n' ? 'the end of the line' : token.text}`);
  }
  return { type: type.text, labels, body: parseBody(stream, true), line: type.line };
}

/** The tokens of an attribute's value: up to a newline outside brackets, or the `}` closing a one-line block. */
function parseExpression(stream: TokenStream, name: Token): Token[] {
  const tokens: Token[] = [];
  const open: string[] = [];
  for (let token = stream.peek(); token !== undefined; token = stream.peek()) {
    if (open.length === 0 && (token.kind === 'newline' || token.text === '}')) break;
    stream.next();
    if (token.text === '(' || token.text === '[' || token.text === '{') open.push(token.text);
    if (token.text === ')' || token.text === ']' || token.text === '}') {
      const opener = open.pop();
      if (opener !== { ')': '(', ']': '[', '}': '{' }[token.text]) stream.fail(token.line, `${token.text} does not close ${opener ?? 'anything'}`);
    }
    tokens.push(token);
  }
  if (open.length > 0) stream.fail(name.line, `the value of ${name.text} never closes its ${open[open.length - 1]}`);
  if (tokens.length === 0) stream.fail(name.line, `${name.text} = has no value`);
  return tokens;
}

// Operators written with a space on each side; `-` too when it subtracts rather than negates.
const spacedOperators = new Set(['=', '==', '!=', '<=', '>=', '&&', '||', '=>', '?', ':', '<', '>', '+', '*', '/', '%']);
const wordKinds = new Set<TokenKind>(['identifier', 'number', 'string', 'heredoc']);

/**
 * An expression's text in one line: one space around operators and after commas, inside `{ }`, and between
 * words; a newline that separates items of an object becomes a comma. Comments are already gone.
 */
function expressionText(tokens: readonly Token[]): string {
  let text = '';
  let previous: Token | undefined;
  let separatorPending = false;
  const open: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'newline') {
      separatorPending = open[open.length - 1] === '{';
      continue;
    }
    if (separatorPending && previous !== undefined && !['{', ','].includes(previous.text) && !spacedOperators.has(previous.text) && token.text !== '}') {
      text += ',';
      previous = { kind: 'punctuation', text: ',', line: token.line };
    }
    separatorPending = false;
    if (previous !== undefined && spaceBetween(previous, token)) text += ' ';
    text += token.text;
    if (['(', '[', '{'].includes(token.text)) open.push(token.text);
    if ([')', ']', '}'].includes(token.text)) open.pop();
    previous = token;
  }
  return text;
}

function spaceBetween(previous: Token, token: Token): boolean {
  if (previous.text === ',') return true;
  if (spacedOperators.has(previous.text) || spacedOperators.has(token.text)) return true;
  if (previous.text === '{') return token.text !== '}';
  if (token.text === '}') return true;
  if (token.text === '-') return wordKinds.has(previous.kind) || [')', ']', '}'].includes(previous.text);
  if (previous.text === '-') return false;
  return wordKinds.has(previous.kind) && wordKinds.has(token.kind);
}

if (require.main === module) {
  const folder = process.argv[2] === undefined ? defaultTerraformDir : resolve(process.cwd(), process.argv[2]);
  try {
    const text = terraformModulesJson(folder);
    writeFileSync(terraformModulesFile, text);
    for (const [source, module] of Object.entries((JSON.parse(text) as TerraformModulesData).modules)) {
      const variables = Object.values(module.variables);
      const required = variables.filter((variable) => variable.required).length;
      console.log(`${source} ${module.version}: ${variables.length} variables (${required} required), ${module.outputs.length} outputs`);
    }
    console.log(`wrote ${terraformModulesDataPath} from ${folder}`);
  } catch (error) {
    console.error(`refresh:terraform failed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
