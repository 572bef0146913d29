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

/** A file of dist/ before it is serialised: its Kubernetes objects, or Helm values, as JSON. */
export type FileContent =
  | { readonly path: string; readonly objects: readonly Record<string, unknown>[] }
  | { readonly path: string; readonly values: Record<string, unknown> };

/**
 * The content of every FileChart and ValuesFile under `root`, in construct order. cdk8s builds
 * the objects; serialising (fileText) is ours, because cdk8s's own output stage re-resolves
 * the whole app per chart and is slow at fleet scale.
 */
export function fileContents(root: IConstruct): FileContent[] {
  const contents: FileContent[] = [];
  const paths = new Map<string, IConstruct>();
  for (const node of root.node.findAll()) {
    let content: FileContent;
    if (FileChart.isFileChart(node)) content = { path: node.outputFile, objects: chartObjects(node) };
    else if (node instanceof ValuesFile) content = { path: node.outputFile, values: node.values };
    else continue;
    if (paths.has(content.path)) throw new Error(`two constructs render ${content.path}: ${paths.get(content.path)!.node.path} and ${node.node.path}`);
    paths.set(content.path, node);
    contents.push(content);
  }
  return contents;
}

/** The text of a file of dist/. */
export function fileText(content: FileContent): string {
  return generatedHeader + ('objects' in content ? toYamlStream(content.objects) : toYaml(content.values));
}

/** Renders every file under `root` to its text, keyed by the path under dist/ and sorted by path. */
export function renderFiles(root: IConstruct): Map<string, string> {
  return sortedByPath(new Map(fileContents(root).map((content) => [content.path, fileText(content)])));
}

/** The files in path order, the order dist/ is written and compared in. */
export function sortedByPath(files: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
