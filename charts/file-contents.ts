import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { FileChart, ValuesFile } from './file-chart';
import { FileContent } from '../output/file-content';

/** The Kubernetes objects of a chart as JSON, in the order they were defined. */
export function chartObjects(chart: Chart): Record<string, unknown>[] {
  return chart.node.findAll()
    .filter((node): node is ApiObject => ApiObject.isApiObject(node) && Chart.of(node) === chart)
    .map((object) => object.toJson());
}

/**
 * The content of every FileChart and ValuesFile under `root`, in construct order. cdk8s builds
 * the objects; serialising (file-content.ts) is ours, because cdk8s's own output stage
 * re-resolves the whole app per chart and is slow at fleet scale.
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
