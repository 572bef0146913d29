/**
 * Derives data/aws-regions.json, the AWS regions fleet.yaml may name (config/regions.ts), from
 * the endpoints file the AWS SDKs ship: botocore's `botocore/data/endpoints.json` (the same
 * partitions and regions as the other SDKs' endpoint metadata).
 *
 *   pip download botocore --no-deps -d /tmp/botocore && unzip -o /tmp/botocore/*.whl 'botocore/data/endpoints.json' -d /tmp/botocore
 *   npx tsx scripts/refresh-aws-regions.ts /tmp/botocore/botocore/data/endpoints.json
 *   npx jest test/config
 *
 * The file is also where `python3 -c "import botocore, os; print(os.path.dirname(botocore.__file__))"` says,
 * on a machine with the AWS CLI installed through pip. A region AWS opens later is an error in
 * fleet.yaml until this script is run again with a newer file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AwsRegionDataFile } from '../config/regions';

const regionDataFile = resolve(__dirname, '..', 'data', 'aws-regions.json');

/** The parts of endpoints.json this script reads. */
interface EndpointsFile {
  readonly partitions: ReadonlyArray<{
    readonly partition: string;
    readonly regions: Readonly<Record<string, { readonly description?: string }>>;
  }>;
}

/** The text of data/aws-regions.json for an endpoints file: one line per region, sorted. */
export function regionDataText(endpointsFile: string, source: string): string {
  const endpoints = JSON.parse(readFileSync(endpointsFile, 'utf8')) as EndpointsFile;
  if (!Array.isArray(endpoints.partitions)) throw new Error(`${endpointsFile}: expected the SDKs' endpoints.json (a partitions list)`);
  const regions = endpoints.partitions.flatMap(({ partition, regions: byName }) => Object.keys(byName)
    .map((name) => [name, { partition, description: byName[name].description ?? name }] as const));
  regions.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const header: Omit<AwsRegionDataFile, 'regions'> = { generatedBy: 'scripts/refresh-aws-regions.ts: do not edit, run the script', source };
  const headerLines = Object.entries(header).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)},`);
  const lines = regions.map(([name, data]) => `    ${JSON.stringify(name)}: ${JSON.stringify(data)}`);
  return ['{', ...headerLines, '  "regions": {', lines.join(',\n'), '  }', '}', ''].join('\n');
}

function main(args: readonly string[]): void {
  if (args.length !== 1 && args.length !== 2) {
    console.error('usage: npx tsx scripts/refresh-aws-regions.ts <botocore/data/endpoints.json> [description of the source]');
    process.exitCode = 2;
    return;
  }
  const file = resolve(args[0]);
  const text = regionDataText(file, args[1] ?? 'botocore/data/endpoints.json');
  writeFileSync(regionDataFile, text);
  console.log(`${file} -> ${regionDataFile} (${Object.keys((JSON.parse(text) as AwsRegionDataFile).regions).length} regions)`);
}

if (require.main === module) main(process.argv.slice(2));
