import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { FileChart, JsonFile, TextFile, ValuesFile } from './file-chart';
import { FileContent } from '../output/file-content';

/** The Kubernetes objects of a chart as JSON, in the order they were defined. */
export function chartObjects(chart: Chart): Record<string, unknown>[] {
  return chart.node.findAll()
    .filter((node): node is ApiObject => ApiObject.isApiObject(node) && Chart.of(node) === chart)
    .map((object) => object.toJson());
}

/**
 * The content of every FileChart, ValuesFile and JsonFile under `root`, in construct order. cdk8s builds
 * the objects; serialising (file-content.ts) is ours, because cdk8s's own output stage
 * re-resolves the whole app per chart and is slow at fleet scale.
 */
export function fileContents(root: IConstruct): FileContent[] {
  const contents: FileContent[] = [];
  for (const node of root.node.findAll()) {
    if (FileChart.isFileChart(node)) contents.push({ path: node.outputFile, objects: chartObjects(node) });
    else if (node instanceof ValuesFile) contents.push({ path: node.outputFile, values: node.values });
    else if (node instanceof JsonFile) contents.push({ path: node.outputFile, json: node.json });
    else if (node instanceof TextFile) contents.push({ path: node.outputFile, text: node.text });
  }
  // Two constructs of one path are refused where the files are gathered: renderFleet, and the write of dist/.
  return contents;
}
