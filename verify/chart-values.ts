// Checks the values this project hands to upstream Helm charts against what each chart really accepts.
// Helm silently ignores a misspelt key, so a typo would otherwise ship as a default we never chose.
// The chart data is derived from upstream by scripts/refresh-chart-data.ts and committed under data/charts,
// so these checks run from a fresh clone without the upstream chart files.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { argocdChart, ChartName, chartNames } from '../catalog/addons';
import { distLayout, pathPattern } from '../catalog/dist-layout';
import { formatFieldPath, PathSegment } from '../output/field-path';

/** The chart defines this key and nothing below it. */
export const leafMarker = 'leaf';
/** Anything may be set below this key (a map whose keys the user chooses, or an object rendered verbatim). */
export const freeFormMarker = 'free-form';

export type KeyTreeNode = KeyTree | typeof leafMarker | typeof freeFormMarker;
export interface KeyTree {
  [key: string]: KeyTreeNode;
}

/** A chart's values.schema.json; only `$schema` is read here, the rest goes to Ajv. */
export interface ValuesSchema {
  $schema?: string;
  [keyword: string]: unknown;
}

/** The shape of data/charts/<chart>.json. */
export interface ChartData {
  chart: string;
  version: string;
  appVersion: string | null;
  keys: KeyTree;
  schema: ValuesSchema | null;
  /** The chart's values.yaml as published, so tests can prove the checks accept upstream's own defaults. */
  defaults: Record<string, unknown>;
}

// Literal require paths keep the data files visible to bundlers; the thunks load a chart only when checked.
const chartDataLoaders: Record<ChartName, () => ChartData> = {
  'argo-cd': () => require('../data/charts/argo-cd.json'),
  'cert-manager': () => require('../data/charts/cert-manager.json'),
  'aws-load-balancer-controller': () => require('../data/charts/aws-load-balancer-controller.json'),
  'cluster-autoscaler': () => require('../data/charts/cluster-autoscaler.json'),
  'external-dns': () => require('../data/charts/external-dns.json'),
};

export function chartData(chart: ChartName): ChartData {
  return chartDataLoaders[chart]();
}

/**
 * Dotted paths (array indexes as `[0]`) of keys in `values` that the chart's values.yaml does not define.
 * Only the outermost unknown key of a branch is reported, since everything below it is unknown too.
 */
export function unknownValueKeys(chart: ChartName, values: object): string[] {
  return unknownKeysBelow(chartData(chart).keys, values, []);
}


function unknownKeysBelow(node: KeyTreeNode, value: unknown, path: PathSegment[]): string[] {
  if (node === freeFormMarker) return [];
  if (Array.isArray(value)) {
    // A list where the chart expects a map or scalar defines no keys, so every key inside its items is unknown.
    return value.flatMap((item, index) => unknownKeysBelow(leafMarker, item, [...path, index]));
  }
  if (!isPlainObject(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const childNode = node === leafMarker ? undefined : node[key];
    return childNode === undefined
      ? [formatFieldPath([...path, key])]
      : unknownKeysBelow(childNode, child, [...path, key]);
  });
}

/**
 * JSON-schema violations of `values` as `path: message` strings; empty when valid or when the chart ships no
 * values.schema.json. Helm validates the merged values, where a `null` override deletes the key, so nulls
 * in maps are dropped first rather than reported as type errors.
 */
export function schemaErrors(chart: ChartName, values: object): string[] {
  const validate = schemaValidator(chart);
  const validatedValues = withoutNullEntries(values);
  if (validate === undefined || validate(validatedValues)) return [];
  return (validate.errors ?? []).map((error) => describeSchemaError(error, validatedValues));
}

const validatorsByChart = new Map<ChartName, ValidateFunction | undefined>();

function schemaValidator(chart: ChartName): ValidateFunction | undefined {
  if (!validatorsByChart.has(chart)) {
    const { schema } = chartData(chart);
    validatorsByChart.set(chart, schema === null ? undefined : compileSchema(chart, schema));
  }
  return validatorsByChart.get(chart);
}

const draft07 = 'http://json-schema.org/draft-07/schema';

// Each JSON-schema dialect needs its own Ajv class. Chart schemas are overwhelmingly written for draft-07,
// so that is assumed when a schema does not declare `$schema`.
const ajvClassByDialect: Record<string, typeof Ajv | typeof Ajv2019 | typeof Ajv2020> = {
  [draft07]: Ajv,
  'https://json-schema.org/draft/2019-09/schema': Ajv2019,
  'https://json-schema.org/draft/2020-12/schema': Ajv2020,
};

function compileSchema(chart: ChartName, schema: ValuesSchema): ValidateFunction {
  const dialect = (schema.$schema ?? draft07).replace(/#$/, '');
  const AjvClass = ajvClassByDialect[dialect];
  if (AjvClass === undefined) {
    throw new Error(`${chart} values.schema.json uses JSON-schema dialect ${dialect}, which chart-values.ts does not support`);
  }
  // Upstream schemas use union types and annotation keywords that Ajv's strict mode rejects.
  return new AjvClass({ strict: false, allErrors: true }).compile(schema);
}

function describeSchemaError(error: ErrorObject, values: unknown): string {
  const path = formatFieldPath(instancePathSegments(error.instancePath, values), '(root)');
  const params: Record<string, unknown> = error.params;
  const detail =
    'additionalProperty' in params
      ? ` "${String(params.additionalProperty)}"`
      : 'allowedValues' in params && Array.isArray(params.allowedValues)
        ? `: ${params.allowedValues.map((allowed) => JSON.stringify(allowed)).join(', ')}`
        : '';
  return `${path}: ${error.message ?? error.keyword}${detail}`;
}

/** Splits Ajv's JSON pointer, telling array indexes from map keys that merely look numeric. */
function instancePathSegments(instancePath: string, values: unknown): PathSegment[] {
  const keys = instancePath === '' ? [] : instancePath.slice(1).split('/').map(unescapeJsonPointer);
  const segments: PathSegment[] = [];
  let current = values;
  for (const key of keys) {
    if (Array.isArray(current)) {
      segments.push(Number(key));
      current = current[Number(key)];
    } else {
      segments.push(key);
      current = isPlainObject(current) ? current[key] : undefined;
    }
  }
  return segments;
}

function unescapeJsonPointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}


function withoutNullEntries(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullEntries);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, child]) => child !== null)
      .map(([key, child]) => [key, withoutNullEntries(child)]),
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Helm's merge of values files: later files win, maps merge, everything else replaces. */
export function mergeHelmValues(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const below = base[key];
    merged[key] = isPlainObject(value) && isPlainObject(below) ? mergeHelmValues(below, value) : value;
  }
  return merged;
}

/**
 * Every values problem of a render of dist/: a key of a values file the chart's values.yaml does
 * not define, and the values of each cluster, merged as Helm merges them, against the chart's
 * values.schema.json.
 */
export function valuesProblems(files: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const chart of chartNames) {
    const fleetFile = distLayout.chartValues(chart);
    const fleetText = files.get(fleetFile);
    if (fleetText === undefined) continue;
    const fleetValues = (parse(fleetText) ?? {}) as Record<string, unknown>;
    problems.push(...unknownValueKeys(chart, fleetValues).map((key) => `${fleetFile}: ${key}: not a key of the ${chart} chart's values.yaml (Helm ignores it)`));
    const clusterFile = pathPattern((cluster) => distLayout.chartClusterValues(chart, cluster));
    for (const [path, text] of files) {
      if (!clusterFile.test(path)) continue;
      const values = (parse(text) ?? {}) as Record<string, unknown>;
      problems.push(...unknownValueKeys(chart, values).map((key) => `${path}: ${key}: not a key of the ${chart} chart's values.yaml (Helm ignores it)`));
      problems.push(...schemaErrors(chart, mergeHelmValues(fleetValues, values)).map((error) => `${path} merged with ${fleetFile}: ${error}`));
    }
    if (chart === argocdChart.chart) problems.push(...schemaErrors(chart, fleetValues).map((error) => `${fleetFile}: ${error}`));
  }
  return problems;
}
