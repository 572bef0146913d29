import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';

/** A chart whose objects go to one file of dist/, e.g. `apps/app0/app.yaml`. */
export class FileChart extends Chart {
  static isFileChart(node: unknown): node is FileChart {
    return Chart.isChart(node) && typeof (node as Partial<FileChart>).outputFile === 'string';
  }

  /** The file under dist/ this chart renders into. */
  readonly outputFile: string;

  constructor(scope: Construct, id: string, outputFile: string, props: ChartProps = {}) {
    super(scope, id, { disableResourceNameHashes: true, ...props });
    this.outputFile = outputFile;
  }
}

/** A Helm values file under dist/, e.g. `addons/external-dns/values.yaml`: data, not Kubernetes objects. */
export class ValuesFile extends Construct {
  constructor(scope: Construct, id: string, readonly outputFile: string, readonly values: Record<string, unknown>) {
    super(scope, id);
  }
}

/** A file under dist/ whose text is given whole, e.g. a later wave's copy of a shared file as its pinned commit has it. */
export class TextFile extends Construct {
  constructor(scope: Construct, id: string, readonly outputFile: string, readonly text: string) {
    super(scope, id);
  }
}

/** A JSON file under dist/, e.g. a Terraform root module `terraform/clusters/ipv6-east/main.tf.json`. */
export class JsonFile extends Construct {
  constructor(scope: Construct, id: string, readonly outputFile: string, readonly json: Record<string, unknown>) {
    super(scope, id);
  }
}
