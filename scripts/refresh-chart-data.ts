/**
 * Derives data/charts/<chart>.json from upstream Helm chart files, so that verify/chart-values.ts can check the
 * values this project sets without the upstream files being present (tests run from a fresh clone).
 *
 *   npx tsx scripts/refresh-chart-data.ts [chartsDir]
 *
 * chartsDir defaults to ../shared/charts, resolved against the project root rather than the working
 * directory. Every folder in it (named <chart>-<version> by convention) holds one chart's Chart.yaml and
 * values.yaml, plus values.schema.json when the chart ships one. Name and version are read from Chart.yaml,
 * so an untarred `helm pull` folder works as well. Only the charts found are rewritten; other data files stay.
 *
 * Bumping a chart to version V (REPO/CHART as in `helm repo list`):
 *
 *   mkdir -p /tmp/x/CHART-V
 *   helm show values REPO/CHART --version V > /tmp/x/CHART-V/values.yaml
 *   helm show chart  REPO/CHART --version V > /tmp/x/CHART-V/Chart.yaml
 *   # `helm show` does not print the schema; take it from the chart archive when the chart ships one:
 *   helm pull REPO/CHART --version V --untar --untardir /tmp/pulled
 *   cp /tmp/pulled/CHART/values.schema.json /tmp/x/CHART-V/
 *   npx tsx scripts/refresh-chart-data.ts /tmp/x
 *   npx jest test/verify/chart-values.test.ts
 *
 * then fix the values that the tests (and the project's own values tests) report as unknown or invalid:
 * those are keys the new version renamed or dropped, which Helm would otherwise ignore without a word.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ChartName } from '../catalog/addons';
import {
  freeFormMarker,
  leafMarker,
  type ChartData,
  type KeyTree,
  type KeyTreeNode,
  type ValuesSchema,
} from '../verify/chart-values';

const projectRoot = resolve(__dirname, '..');
export const defaultChartsDir = resolve(projectRoot, '../shared/charts');
export const chartDataDir = resolve(projectRoot, 'data/charts');

/**
 * Free-form rule: anything may be set below a key whose upstream default is `{}`, null or a list, or a map
 * under a name or path listed here. Everything else must match a key path present in values.yaml; keys that
 * values.yaml only mentions in comments are deliberately not allowed.
 *
 * Names listed here are Kubernetes objects that the charts copy verbatim into a manifest (toYaml), or maps
 * whose keys the user chooses. Their defaults can be non-empty (cert-manager's nodeSelector and
 * securityContext, cluster-autoscaler's extraArgs and serviceMonitor.selector), which would otherwise pin
 * them to the default keys. `affinity` is deliberately absent: argo-cd's global.affinity is a chart-defined
 * preset (podAntiAffinity, nodeAffinity.type) whose keys are worth checking, and every other affinity
 * default is `{}`, so free-form anyway.
 */
const sharedFreeFormKeyNames = [
  // Metadata maps.
  'additionalLabels',
  'annotations',
  'commonLabels',
  'deploymentAnnotations',
  'jobAnnotations',
  'labels',
  'podAnnotations',
  'podLabels',
  'serviceAnnotations',
  'serviceLabels',
  // Pod and container spec objects.
  'containerSecurityContext',
  'dnsConfig',
  'env',
  'extraEnv',
  'nodeSelector',
  'podSecurityContext',
  'resources',
  'securityContext',
  'tolerations',
  // Workload strategies and label selectors.
  'deploymentStrategy',
  'namespaceSelector',
  'selector',
  'strategy',
  'updateStrategy',
  // Command-line flags.
  'extraArgs',
];

interface ChartFreeFormRule {
  keyNames?: string[];
  /** Dotted paths from the values root. */
  paths?: string[];
}

const chartFreeFormRules: Partial<Record<ChartName, ChartFreeFormRule>> = {
  // The chart copies every key of these maps except create and annotations into argocd-cm,
  // argocd-cmd-params-cm and argocd-rbac-cm ("Any values you put under .configs.cm are passed to argocd-cm").
  'argo-cd': { paths: ['configs.cm', 'configs.params', 'configs.rbac'] },
  // These charts render their probes verbatim, so any Kubernetes probe field (exec, tcpSocket, grpc) is valid;
  // argo-cd and cert-manager template each probe field instead and keep the structural rule.
  'aws-load-balancer-controller': { keyNames: ['livenessProbe', 'readinessProbe'] },
  'external-dns': { keyNames: ['livenessProbe', 'readinessProbe'] },
};

interface FreeFormRule {
  keyNames: ReadonlySet<string>;
  paths: ReadonlySet<string>;
}

interface ChartYaml {
  name: string;
  version: string;
  appVersion?: string;
  dependencies?: { name: string; alias?: string }[];
}

function freeFormRuleFor(chart: ChartYaml): FreeFormRule {
  const chartRule = chartFreeFormRules[chart.name as ChartName] ?? {};
  // Keys under a subchart (argo-cd's redis-ha) belong to the subchart's own values.yaml, not among these files.
  const subchartKeys = (chart.dependencies ?? []).map((dependency) => dependency.alias ?? dependency.name);
  return {
    keyNames: new Set([...sharedFreeFormKeyNames, ...(chartRule.keyNames ?? [])]),
    paths: new Set([...(chartRule.paths ?? []), ...subchartKeys]),
  };
}

function keyTreeOf(values: Record<string, unknown>, rule: FreeFormRule, parentPath: string[] = []): KeyTree {
  return Object.fromEntries(
    Object.keys(values)
      .sort()
      .map((key) => [key, keyTreeNodeOf(values[key], rule, [...parentPath, key])]),
  );
}

function keyTreeNodeOf(defaultValue: unknown, rule: FreeFormRule, path: string[]): KeyTreeNode {
  // A scalar default stays a leaf even under a free-form name (argo-cd's repoServer.copyutil.extraArgs is a string).
  if (defaultValue !== null && typeof defaultValue !== 'object') return leafMarker;
  if (rule.keyNames.has(path[path.length - 1]) || rule.paths.has(path.join('.'))) return freeFormMarker;
  if (defaultValue === null || Array.isArray(defaultValue)) return freeFormMarker;
  const entries = defaultValue as Record<string, unknown>;
  return Object.keys(entries).length === 0 ? freeFormMarker : keyTreeOf(entries, rule, path);
}

/** Sorting every map's keys makes the output independent of upstream key order, so diffs show only real changes. */
function sortedKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortedKeysDeep) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(entries)
      .sort()
      .map((key) => [key, sortedKeysDeep(entries[key])]),
  ) as T;
}

/** The data file for the chart in `chartDir`: its name and exact contents, so tests can compare byte for byte. */
export function chartDataFile(chartDir: string): { chart: string; contents: string } {
  const chartYaml = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as ChartYaml;
  // An empty values.yaml (`helm show values` of a chart without defaults) parses to null.
  const defaults = (parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) ?? {}) as Record<string, unknown>;
  const schemaFile = join(chartDir, 'values.schema.json');
  const data: ChartData = {
    chart: chartYaml.name,
    version: String(chartYaml.version),
    appVersion: chartYaml.appVersion === undefined ? null : String(chartYaml.appVersion),
    keys: keyTreeOf(defaults, freeFormRuleFor(chartYaml)),
    schema: existsSync(schemaFile) ? sortedKeysDeep(JSON.parse(readFileSync(schemaFile, 'utf8')) as ValuesSchema) : null,
    defaults: sortedKeysDeep(defaults),
  };
  return { chart: data.chart, contents: `${JSON.stringify(data, null, 2)}\n` };
}

/** The chart folders in `chartsDir`: those with a Chart.yaml (others, such as archives/, are not charts). */
export function chartDirs(chartsDir: string): string[] {
  return readdirSync(chartsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(chartsDir, entry.name, 'Chart.yaml')))
    .map((entry) => join(chartsDir, entry.name))
    .sort();
}

function main(chartsDirArgument?: string): void {
  // An explicit folder is taken relative to the working directory, like any command-line path.
  const chartsDir = chartsDirArgument === undefined ? defaultChartsDir : resolve(chartsDirArgument);
  mkdirSync(chartDataDir, { recursive: true });
  for (const chartDir of chartDirs(chartsDir)) {
    const { chart, contents } = chartDataFile(chartDir);
    const outputFile = join(chartDataDir, `${chart}.json`);
    writeFileSync(outputFile, contents);
    console.log(`${chartDir} -> ${outputFile}`);
  }
}

if (require.main === module) main(process.argv[2]);
