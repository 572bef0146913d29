import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { FileChart, ValuesFile } from '../charts/file-chart';
import { toYaml, toYamlStream } from './yaml';

/** The first line of every file in dist/, so nobody edits one by hand. */
export const generatedHeader = '# Generated from fleet.yaml by `npm run synth`: edit fleet.yaml, not this file.\n';

/** The Kubernetes objects of a chart as JSON, in the order they were defined. */
export function chartObjects(chart: Chart): Record<string, unknown>[] {
  return chart.node.findAll()
    .filter((node): node is ApiObject => ApiObject.isApiObject(node) && Chart.of(node) === chart)
    .map((object) => object.toJson());
}

/**
 * Renders every FileChart and ValuesFile under `root` to its file's text, keyed by the path
 * under dist/ and sorted by path. cdk8s builds the objects; serialising is ours, because
 * cdk8s's own output stage re-resolves the whole app per chart and is slow at fleet scale.
 */
export function renderFiles(root: IConstruct): Map<string, string> {
  return sortedByPath(addRenderedFiles(root, new Map()));
}

/** Adds the files rendered under `root` to `files`; a path rendered twice is an error. */
export function addRenderedFiles(root: IConstruct, files: Map<string, string>): Map<string, string> {
  const add = (path: string, text: string, owner: IConstruct) => {
    if (files.has(path)) throw new Error(`two constructs render ${path}; the second is ${owner.node.path}`);
    files.set(path, generatedHeader + text);
  };
  for (const node of root.node.findAll()) {
    if (FileChart.isFileChart(node)) add(node.outputFile, toYamlStream(chartObjects(node)), node);
    else if (node instanceof ValuesFile) add(node.outputFile, toYaml(node.values), node);
  }
  return files;
}

/** The files in path order, the order dist/ is written and compared in. */
export function sortedByPath(files: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
