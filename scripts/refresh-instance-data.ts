/**
 * Derives data/ec2-instance-types.json, the instance data config/instance-types.ts computes pods per node from, so that
 * `npm run plan` and synth work from a fresh clone.
 *
 *   npx tsx scripts/refresh-instance-data.ts [file...]
 *
 * Each file is either the Amazon VPC CNI's ENI limits as CSV (instance_type, eni_limit, ipv4_per_eni, ...) or the
 * JSON that `aws ec2 describe-instance-types --output json` prints. With several files, a later file's types replace
 * an earlier file's, so an EC2 API answer can be laid over the CSV:
 *
 *   aws ec2 describe-instance-types --region us-east-2 --output json > /tmp/us-east-2.json
 *   npx tsx scripts/refresh-instance-data.ts ../shared/data/ec2-eni-limits.csv /tmp/us-east-2.json
 *   npx jest test/capacity
 *
 * With no file, the input is ../shared/data/ec2-eni-limits.csv, resolved against the project root rather than the
 * working directory.
 *
 * vCPUs decide the IPv6 max-pods cap (110 below 30 vCPUs, 250 from 30), and the CSV has none, so for CSV rows they
 * are read from the size name (vcpuSource 'size-name'): nano, micro, small and medium 1 (medium 2 for t*: burstable
 * sizes are far below 30 either way, only the side of 30 matters), large 2, xlarge 4, <N>xlarge and metal-<N>xl 4N.
 * A plain `metal` has the most vCPUs of its family's other sizes ('family-largest'); without a sibling its vCPUs are
 * 'unknown' and config/instance-types.ts applies the lower cap. The EC2 API gives VCpuInfo.DefaultVCpus ('ec2-api').
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { InstanceTypeData, InstanceTypeDataFile } from '../config/instance-types';

const projectRoot = resolve(__dirname, '..');
export const defaultInstanceSource = resolve(projectRoot, '../shared/data/ec2-eni-limits.csv');
export const instanceDataFile = resolve(projectRoot, 'data/ec2-instance-types.json');

/** One instance type as an input file gives it: vCPUs only when the EC2 API said so. */
interface InstanceLimits {
  readonly enis: number;
  readonly ipv4PerEni: number;
  readonly vcpus?: number;
}

/** The parts of `aws ec2 describe-instance-types` output this script reads. */
interface DescribeInstanceTypesOutput {
  readonly InstanceTypes: ReadonlyArray<{
    readonly InstanceType: string;
    readonly VCpuInfo: { readonly DefaultVCpus: number };
    readonly NetworkInfo: {
      readonly MaximumNetworkInterfaces: number;
      readonly Ipv4AddressesPerInterface: number;
      readonly DefaultNetworkCardIndex?: number;
      readonly NetworkCards?: ReadonlyArray<{ readonly NetworkCardIndex: number; readonly MaximumNetworkInterfaces: number }>;
    };
  }>;
}

function positiveInteger(text: string, where: string): number {
  if (!/^[1-9]\d*$/.test(text.trim())) throw new Error(`${where}: expected a positive whole number, got "${text}"`);
  return Number(text);
}

function readCsv(text: string, file: string): Map<string, InstanceLimits> {
  const [header, ...rows] = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const columns = header.split(',').map((column) => column.trim());
  const column = (name: string): number => {
    const index = columns.indexOf(name);
    if (index < 0) throw new Error(`${file}: the header has no ${name} column (it has ${columns.join(', ')})`);
    return index;
  };
  const [typeColumn, eniColumn, ipv4Column] = [column('instance_type'), column('eni_limit'), column('ipv4_per_eni')];
  return new Map(rows.map((row, index) => {
    const cells = row.split(',');
    const where = `${file}:${index + 2}`;
    return [cells[typeColumn].trim(), { enis: positiveInteger(cells[eniColumn], where), ipv4PerEni: positiveInteger(cells[ipv4Column], where) }];
  }));
}

function readDescribeInstanceTypes(json: { readonly InstanceTypes?: unknown }, file: string): Map<string, InstanceLimits> {
  if (!Array.isArray(json.InstanceTypes)) throw new Error(`${file}: expected the JSON of aws ec2 describe-instance-types (an InstanceTypes list)`);
  return new Map((json as DescribeInstanceTypesOutput).InstanceTypes.map((type) => {
    const network = type.NetworkInfo;
    // Like the VPC CNI, count the interfaces of the default network card only: pods get addresses from that card.
    const defaultCard = network.NetworkCards?.find((card) => card.NetworkCardIndex === (network.DefaultNetworkCardIndex ?? 0));
    const where = `${file}: ${type.InstanceType}`;
    return [type.InstanceType, {
      enis: positiveInteger(String(defaultCard?.MaximumNetworkInterfaces ?? network.MaximumNetworkInterfaces), where),
      ipv4PerEni: positiveInteger(String(network.Ipv4AddressesPerInterface), where),
      vcpus: positiveInteger(String(type.VCpuInfo.DefaultVCpus), where),
    }];
  }));
}

function readInstanceLimits(file: string): Map<string, InstanceLimits> {
  const text = readFileSync(file, 'utf8');
  return text.trimStart().startsWith('{') ? readDescribeInstanceTypes(JSON.parse(text) as { InstanceTypes?: unknown }, file) : readCsv(text, file);
}

/** vCPUs as the size name tells them; undefined for a plain `metal` or a size this script does not know. */
export function vcpusFromSizeName(instanceType: string): number | undefined {
  const [family, size] = instanceType.split('.');
  if (/^(nano|micro|small)$/.test(size)) return 1;
  if (size === 'medium') return /^t\d/.test(family) ? 2 : 1;
  if (size === 'large') return 2;
  const multiple = /^(?:(\d*)xlarge|metal-(\d+)xl)$/.exec(size);
  if (!multiple) return undefined;
  return 4 * Number(multiple[1] || multiple[2] || 1);
}

function familyOf(instanceType: string): string {
  return instanceType.split('.')[0];
}

function withVcpus(limits: ReadonlyMap<string, InstanceLimits>): Map<string, InstanceTypeData> {
  const resolved = new Map<string, InstanceTypeData>();
  for (const [name, { enis, ipv4PerEni, vcpus }] of limits) {
    const fromName = vcpusFromSizeName(name);
    if (vcpus !== undefined) resolved.set(name, { enis, ipv4PerEni, vcpus, vcpuSource: 'ec2-api' });
    else if (fromName !== undefined) resolved.set(name, { enis, ipv4PerEni, vcpus: fromName, vcpuSource: 'size-name' });
  }
  // Plain metal sizes last: they take their siblings' vCPUs, which are all resolved by now.
  for (const [name, { enis, ipv4PerEni }] of limits) {
    if (resolved.has(name)) continue;
    const siblings = [...resolved].filter(([other]) => familyOf(other) === familyOf(name)).map(([, data]) => data.vcpus ?? 0);
    const largest = name.endsWith('.metal') ? Math.max(0, ...siblings) : 0;
    resolved.set(name, largest > 0
      ? { enis, ipv4PerEni, vcpus: largest, vcpuSource: 'family-largest' }
      : { enis, ipv4PerEni, vcpus: null, vcpuSource: 'unknown' });
  }
  return resolved;
}

/** The text of data/ec2-instance-types.json for the given input files: sorted, one line per type. */
export function instanceDataText(files: readonly string[]): string {
  const merged = new Map<string, InstanceLimits>();
  for (const file of files) for (const [name, limits] of readInstanceLimits(file)) merged.set(name, limits);
  const types = withVcpus(merged);
  const names = [...types.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const header: Omit<InstanceTypeDataFile, 'instanceTypes'> = {
    generatedBy: 'scripts/refresh-instance-data.ts: do not edit, run the script',
    sources: files.map((file) => basename(file)),
  };
  const lines = names.map((name) => `    ${JSON.stringify(name)}: ${JSON.stringify(types.get(name))}`);
  const headerLines = Object.entries(header).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)},`);
  return ['{', ...headerLines, '  "instanceTypes": {', lines.join(',\n'), '  }', '}', ''].join('\n');
}

function main(fileArguments: readonly string[]): void {
  // Explicit files are taken relative to the working directory, like any command-line path.
  const files = fileArguments.length ? fileArguments.map((file) => resolve(file)) : [defaultInstanceSource];
  const text = instanceDataText(files);
  writeFileSync(instanceDataFile, text);
  const count = Object.keys((JSON.parse(text) as InstanceTypeDataFile).instanceTypes).length;
  console.log(`${files.join(' + ')} -> ${instanceDataFile} (${count} instance types)`);
}

if (require.main === module) main(process.argv.slice(2));
