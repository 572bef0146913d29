// Checks the module calls of a rendered Terraform JSON root module (*.tf.json) against the interfaces of the
// pinned community modules, as `terraform validate` would after `terraform init`, which nobody here can run.
// The interfaces are derived from upstream by scripts/refresh-terraform-modules.ts into
// data/terraform-modules.json, so these checks run from a fresh clone without the upstream files.
import { formatFieldPath, type PathSegment } from '../output/field-path';
import { conformsTo, parseType, similarNames, templateExpressions, type TerraformType } from './terraform-types';

/** One input of a module, as data/terraform-modules.json records it. */
export interface ModuleVariable {
  /** The type constraint, whitespace normalised and comments dropped; `any` when the variable declares none. */
  readonly type: string;
  /** Whether the variable has no default, so every call must set it. */
  readonly required: boolean;
}

/** The interface of one pinned module version. */
export interface PinnedModule {
  readonly version: string;
  /** The module's variables in the order variables.tf declares them. */
  readonly variables: Readonly<Record<string, ModuleVariable>>;
  /** The module's outputs in the order outputs.tf declares them. */
  readonly outputs: readonly string[];
}

/** The shape of data/terraform-modules.json. */
export interface TerraformModulesData {
  readonly generatedBy: string;
  /** The pinned modules by registry source (`terraform-aws-modules/iam/aws//modules/iam-role` for a submodule). */
  readonly modules: Readonly<Record<string, PinnedModule>>;
}

export const terraformModulesDataPath = 'data/terraform-modules.json';

/**
 * Problems of the module calls in one Terraform JSON document, as sentences that name `file`, the module call
 * and the argument path; empty when every call is sound:
 * - its source is a pinned module and its version exactly the pinned one;
 * - every argument is a variable of that module and fits its type (see conformsTo), every required variable
 *   is set;
 * - every `module.<name>.<output>` inside a `${...}` of any string names a declared call and an output of
 *   its module, and every `depends_on` entry `module.<name>` a declared call.
 * `modules` replaces the committed data (for tests).
 */
export function moduleCallProblems(file: string, json: unknown, modules: TerraformModulesData = committedModules()): string[] {
  if (!isJsonObject(json)) return [`${file} is not a JSON object, so it is not a Terraform JSON configuration.`];
  const calls = json.module ?? {};
  if (!isJsonObject(calls)) return [`${file}: "module" must be an object of module calls by name, not ${describeJson(calls)}.`];
  const interfaces = new Map<string, ModuleInterface | undefined>();
  const problems: string[] = [];
  for (const [name, call] of Object.entries(calls)) {
    if (!isJsonObject(call)) {
      problems.push(`module "${name}" must be an object of arguments, not ${describeJson(call)}.`);
      continue;
    }
    const { moduleInterface, problems: sourceProblems } = pinnedInterface(modules, call);
    problems.push(...sourceProblems.map((problem) => `module "${name}" ${problem}`));
    interfaces.set(name, moduleInterface);
    if (moduleInterface !== undefined) problems.push(...argumentProblems(`module "${name}"`, moduleInterface, call));
  }
  problems.push(...referenceProblems(json, interfaces), ...dependsOnProblems(json, interfaces));
  // A wrong reference repeated in one string is one mistake.
  return [...new Set(problems)].map((problem) => `${file}: ${problem}`);
}

/** A pinned module with its types read, ready to check calls against. */
interface ModuleInterface {
  readonly source: string;
  readonly version: string;
  readonly variables: ReadonlyMap<string, { readonly type: TerraformType; readonly required: boolean }>;
  readonly outputs: readonly string[];
}

// Arguments Terraform itself reads in a module block; "//" is a comment in any JSON block body.
const metaArguments = new Set(['source', 'version', 'providers', 'depends_on', 'count', 'for_each', '//']);

const interfaceCache = new WeakMap<TerraformModulesData, Map<string, ModuleInterface>>();

function committedModules(): TerraformModulesData {
  // A literal require path keeps the data file visible to bundlers; it is loaded on the first check only.
  return require('../data/terraform-modules.json') as TerraformModulesData;
}

function moduleInterfaces(modules: TerraformModulesData): Map<string, ModuleInterface> {
  let interfaces = interfaceCache.get(modules);
  if (interfaces === undefined) {
    interfaces = new Map(Object.entries(modules.modules).map(([source, pinned]) => [source, {
      source,
      version: pinned.version,
      variables: new Map(Object.entries(pinned.variables).map(([name, variable]) => [name, { type: parseType(variable.type), required: variable.required }])),
      outputs: pinned.outputs,
    }]));
    interfaceCache.set(modules, interfaces);
  }
  return interfaces;
}

function pinnedInterface(modules: TerraformModulesData, call: Record<string, unknown>): { moduleInterface?: ModuleInterface; problems: string[] } {
  const interfaces = moduleInterfaces(modules);
  const { source, version } = call;
  if (typeof source !== 'string') {
    return { problems: [`has no source; set it to one of the pinned modules: ${[...interfaces.keys()].join(', ')}.`] };
  }
  const moduleInterface = interfaces.get(source);
  if (moduleInterface === undefined) {
    return {
      problems: [`uses source "${source}", which is not a pinned module; use one of ${[...interfaces.keys()].join(', ')}, or add it to scripts/refresh-terraform-modules.ts.`],
    };
  }
  const pin = `pin it to exactly "${moduleInterface.version}", the version ${terraformModulesDataPath} was derived from`;
  if (version === undefined) return { moduleInterface, problems: [`has no version, so Terraform would take the newest release; ${pin}.`] };
  if (version !== moduleInterface.version) return { moduleInterface, problems: [`has version ${JSON.stringify(version)}; ${pin}.`] };
  return { moduleInterface, problems: [] };
}

/** Problems of the arguments of one call, `call` (`module "eks"`) starting each. */
function argumentProblems(call: string, moduleInterface: ModuleInterface, body: Record<string, unknown>): string[] {
  const module = `${moduleInterface.source} ${moduleInterface.version}`;
  const problems: string[] = [];
  for (const [argument, value] of Object.entries(body)) {
    if (metaArguments.has(argument)) continue;
    const variable = moduleInterface.variables.get(argument);
    if (variable === undefined) {
      problems.push(`${call} sets ${argument}, which is not a variable of ${module}${guess(argument, [...moduleInterface.variables.keys()])}`);
    } else if (value === null && variable.required) {
      problems.push(`${call} sets ${argument} to null, but it is a required variable of ${module}; give it a value.`);
    } else if (value !== null) {
      problems.push(...conformsTo(value, variable.type, [argument]).map((problem) => `${call}, argument ${problem}`));
    }
  }
  for (const [name, variable] of moduleInterface.variables) {
    if (variable.required && !Object.hasOwn(body, name)) problems.push(`${call} does not set ${name}, a required variable of ${module}.`);
  }
  return problems;
}

/** `module.<name>` with an optional index and the attribute read from it, in code without string literals. */
const moduleReference = /(?<![\w.-])module\.([A-Za-z_][\w-]*)((?:\[[^\]]*\])*)(?:\.([A-Za-z_][\w-]*))?/g;

function referenceProblems(json: Record<string, unknown>, interfaces: ReadonlyMap<string, ModuleInterface | undefined>): string[] {
  const problems: string[] = [];
  forEachString(json, [], (text, path) => {
    for (const code of templateExpressions(text)) {
      for (const [reference, name, , output] of code.matchAll(moduleReference)) {
        const where = formatFieldPath(path, '(root)');
        if (!interfaces.has(name)) {
          problems.push(`${where} refers to ${reference}, but no module "${name}" is declared.`);
          continue;
        }
        const moduleInterface = interfaces.get(name);
        if (output !== undefined && moduleInterface !== undefined && !moduleInterface.outputs.includes(output)) {
          problems.push(
            `${where} refers to ${reference}, but ${output} is not an output of module "${name}" (${moduleInterface.source} ${moduleInterface.version})${guess(output, moduleInterface.outputs)}`,
          );
        }
      }
    }
  });
  return problems;
}

// Blocks whose bodies may hold depends_on, and how many labels each has (resource "type" "name").
const blocksWithDependsOn: Readonly<Record<string, number>> = { module: 1, resource: 2, data: 2, output: 1 };

function dependsOnProblems(json: Record<string, unknown>, interfaces: ReadonlyMap<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [blockType, labels] of Object.entries(blocksWithDependsOn)) {
    for (const { path, body } of blockBodies(json[blockType], [blockType], labels)) {
      const dependsOn = body.depends_on;
      if (!Array.isArray(dependsOn)) continue;
      dependsOn.forEach((entry, index) => {
        const name = typeof entry === 'string' ? /^(?:\$\{)?module\.([A-Za-z_][\w-]*)/.exec(entry)?.[1] : undefined;
        if (name !== undefined && !interfaces.has(name)) {
          problems.push(`${formatFieldPath([...path, 'depends_on', index])} names module.${name}, but no module "${name}" is declared.`);
        }
      });
    }
  }
  return problems;
}

/** The bodies of the blocks below `value`, which nests `labels` levels of labels (objects by label). */
function blockBodies(value: unknown, path: readonly PathSegment[], labels: number): { path: readonly PathSegment[]; body: Record<string, unknown> }[] {
  if (!isJsonObject(value)) return [];
  if (labels === 0) return [{ path, body: value }];
  return Object.entries(value).flatMap(([label, inner]) => blockBodies(inner, [...path, label], labels - 1));
}

function forEachString(value: unknown, path: readonly PathSegment[], visit: (text: string, path: readonly PathSegment[]) => void): void {
  if (typeof value === 'string') {
    visit(value, path);
  } else if (Array.isArray(value)) {
    value.forEach((element, index) => forEachString(element, [...path, index], visit));
  } else if (isJsonObject(value)) {
    for (const [key, element] of Object.entries(value)) {
      // In expression objects a key is a template too.
      visit(key, path);
      forEachString(element, [...path, key], visit);
    }
  }
}

/** The end of a sentence about an unknown name: a guess at the intended one when there is a close match. */
function guess(name: string, known: readonly string[]): string {
  const suggestions = similarNames(name, known);
  return suggestions.length === 0 ? '.' : `; did you mean ${suggestions.join(' or ')}?`;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJson(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : `a ${typeof value}`;
}
