/**
 * The way back from AWS into fleet.yaml: what terraform and the AWS CLI say about clusters, checked
 * against fleet.yaml, and the edit that writes it into `server`, `caData`, `vpcId` and `subnets`,
 * leaving every other line of the file as it was.
 */
import { createHash } from 'crypto';
import { Document, isMap, isScalar, isSeq, LineCounter, Node, Pair, parseDocument, YAMLMap } from 'yaml';
import { formatFieldPath } from '../output/field-path';
import { allClusters, ClusterSpec, Fleet, isCluster } from './fleet';
import { FleetConfigError, parseFleet } from './load';
import { IpFamily, ipFamilies } from './schema';

/** What AWS says about one cluster: what is checked against fleet.yaml, and what is written into it. */
export interface ClusterFacts {
  /** The file the facts were read from, named in messages. */
  readonly source: string;
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly ipFamily: IpFamily;
  /** The Kubernetes minor version; only `aws eks describe-cluster` says it. */
  readonly kubernetesVersion?: string;
  /** The EKS API endpoint. */
  readonly server: string;
  /** The cluster CA, base64. */
  readonly caData: string;
  readonly vpcId: string;
  /** The CIDRs of the private subnets in the cluster's family: IPv6 /64s on an IPv6 cluster. */
  readonly subnets: readonly string[];
}

/** An input file: its name, for messages, and its text. */
export interface ImportInput {
  readonly file: string;
  readonly text: string;
}

/** The fields of a cluster that an import writes; it only reads the others. */
export const importedFields = ['server', 'caData', 'vpcId', 'subnets'] as const;
export type ImportedField = typeof importedFields[number];

/** One field of fleet.yaml that an import changes. */
export interface FieldChange {
  /** The index of the cluster in fleet.yaml's `clusters`. */
  readonly clusterIndex: number;
  readonly cluster: string;
  readonly field: ImportedField;
  /** What fleet.yaml says now; undefined when the field is absent. */
  readonly before?: string | readonly string[];
  readonly after: string | readonly string[];
}

/** fleet.yaml with an import's changes. */
export interface ImportResult {
  readonly changes: readonly FieldChange[];
  /** The new text of fleet.yaml: the old one when nothing changes. */
  readonly text: string;
}

/** An input file that cannot be read as one of the forms an import takes. */
export class ImportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportInputError';
  }
}

/** Why an import refuses to edit fleet.yaml, one sentence per contradiction. */
export class ImportRefusedError extends Error {
  constructor(readonly reasons: readonly string[]) {
    super(reasons.join('\n'));
    this.name = 'ImportRefusedError';
  }
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (isObject(value)) return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Reads typed values out of one JSON document; a wrong or missing one is an error naming the file and the path. */
class JsonFields {
  constructor(private readonly file: string) {}

  object(value: unknown, path: string): JsonObject {
    if (!isObject(value)) throw this.mismatch(path, 'an object', value);
    return value;
  }

  list(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) throw this.mismatch(path, 'a list', value);
    return value;
  }

  text(value: unknown, path: string): string {
    if (typeof value !== 'string' || value === '') throw this.mismatch(path, 'text', value);
    return value;
  }

  texts(value: unknown, path: string): string[] {
    return this.list(value, path).map((item, index) => this.text(item, `${path}[${index}]`));
  }

  ipFamily(value: unknown, path: string): IpFamily {
    const text = this.text(value, path);
    if (!(ipFamilies as readonly string[]).includes(text)) throw this.mismatch(path, `one of ${ipFamilies.join(', ')}`, value);
    return text as IpFamily;
  }

  private mismatch(path: string, expected: string, value: unknown): ImportInputError {
    return new ImportInputError(`${this.file}: ${path}: expected ${expected}, got ${describeJson(value)}`);
  }
}

/** The outputs a cluster stack's `terraform output -json` has. */
const terraformOutputNames = [
  'cluster_name', 'region', 'account_id', 'ip_family', 'cluster_endpoint', 'cluster_certificate_authority_data',
  'vpc_id', 'private_subnets_cidr_blocks', 'private_subnets_ipv6_cidr_blocks',
] as const;

function isTerraformOutput(json: JsonObject): boolean {
  const outputs = Object.values(json);
  return outputs.length > 0 && outputs.every((output) => isObject(output) && 'value' in output && 'type' in output);
}

function terraformFacts(file: string, outputs: JsonObject): ClusterFacts {
  const missing = terraformOutputNames.filter((name) => !Object.hasOwn(outputs, name));
  if (missing.length) {
    throw new ImportInputError(`${file}: this terraform output has no ${missing.join(', ')}: expected the outputs of a cluster stack (terraform -chdir=dist/terraform/clusters/<cluster> output -json)`);
  }
  const fields = new JsonFields(file);
  const value = (name: typeof terraformOutputNames[number]) => (outputs[name] as JsonObject).value;
  const ipFamily = fields.ipFamily(value('ip_family'), 'ip_family.value');
  const subnetsOutput = ipFamily === 'ipv6' ? 'private_subnets_ipv6_cidr_blocks' : 'private_subnets_cidr_blocks';
  return {
    source: file,
    name: fields.text(value('cluster_name'), 'cluster_name.value'),
    region: fields.text(value('region'), 'region.value'),
    accountId: fields.text(value('account_id'), 'account_id.value'),
    ipFamily,
    server: fields.text(value('cluster_endpoint'), 'cluster_endpoint.value'),
    caData: fields.text(value('cluster_certificate_authority_data'), 'cluster_certificate_authority_data.value'),
    vpcId: fields.text(value('vpc_id'), 'vpc_id.value'),
    subnets: fields.texts(value(subnetsOutput), `${subnetsOutput}.value`),
    // Root modules rendered before this output existed have none.
    ...(Object.hasOwn(outputs, 'kubernetes_version') ? { kubernetesVersion: fields.text((outputs.kubernetes_version as JsonObject).value, 'kubernetes_version.value') } : {}),
  };
}

/** A cluster as `aws eks describe-cluster` describes it: its subnets by id, their CIDRs still to be looked up. */
interface DescribedCluster {
  readonly facts: Omit<ClusterFacts, 'subnets'>;
  readonly subnetIds: readonly string[];
}

function describedCluster(file: string, json: JsonObject): DescribedCluster {
  const fields = new JsonFields(file);
  const cluster = fields.object(json.cluster, 'cluster');
  const arn = fields.text(cluster.arn, 'cluster.arn');
  const arnParts = /^arn:aws[a-z-]*:eks:([a-z0-9-]+):(\d{12}):cluster\/.+$/.exec(arn);
  if (!arnParts) throw new ImportInputError(`${file}: cluster.arn: expected an EKS cluster ARN (arn:aws:eks:<region>:<account>:cluster/<name>), got "${arn}"`);
  const vpcConfig = fields.object(cluster.resourcesVpcConfig, 'cluster.resourcesVpcConfig');
  const networkConfig = fields.object(cluster.kubernetesNetworkConfig, 'cluster.kubernetesNetworkConfig');
  return {
    facts: {
      source: file,
      name: fields.text(cluster.name, 'cluster.name'),
      region: arnParts[1],
      accountId: arnParts[2],
      ipFamily: fields.ipFamily(networkConfig.ipFamily, 'cluster.kubernetesNetworkConfig.ipFamily'),
      kubernetesVersion: cluster.version === undefined ? undefined : fields.text(cluster.version, 'cluster.version'),
      server: fields.text(cluster.endpoint, 'cluster.endpoint'),
      caData: fields.text(fields.object(cluster.certificateAuthority, 'cluster.certificateAuthority').data, 'cluster.certificateAuthority.data'),
      vpcId: fields.text(vpcConfig.vpcId, 'cluster.resourcesVpcConfig.vpcId'),
    },
    subnetIds: fields.texts(vpcConfig.subnetIds, 'cluster.resourcesVpcConfig.subnetIds'),
  };
}

/** A subnet as `aws ec2 describe-subnets` describes it. */
interface DescribedSubnet {
  readonly source: string;
  readonly id: string;
  readonly ipv4Cidr: string;
  /** The associated IPv6 /64; undefined for an IPv4-only subnet. */
  readonly ipv6Cidr?: string;
  readonly tags: ReadonlyMap<string, string>;
}

function describedSubnets(file: string, json: JsonObject): DescribedSubnet[] {
  const fields = new JsonFields(file);
  return fields.list(json.Subnets, 'Subnets').map((item, index) => {
    const at = `Subnets[${index}]`;
    const subnet = fields.object(item, at);
    const associations = subnet.Ipv6CidrBlockAssociationSet === undefined ? [] : fields.list(subnet.Ipv6CidrBlockAssociationSet, `${at}.Ipv6CidrBlockAssociationSet`);
    // A subnet keeps the blocks it was once given, disassociated; only the associated one is in use.
    const associated = associations.map((association, associationIndex) => fields.object(association, `${at}.Ipv6CidrBlockAssociationSet[${associationIndex}]`))
      .find((association) => isObject(association.Ipv6CidrBlockState) && association.Ipv6CidrBlockState.State === 'associated');
    const tags = subnet.Tags === undefined ? [] : fields.list(subnet.Tags, `${at}.Tags`).map((tag, tagIndex) => {
      const pair = fields.object(tag, `${at}.Tags[${tagIndex}]`);
      return [fields.text(pair.Key, `${at}.Tags[${tagIndex}].Key`), typeof pair.Value === 'string' ? pair.Value : ''] as const;
    });
    return {
      source: file,
      id: fields.text(subnet.SubnetId, `${at}.SubnetId`),
      ipv4Cidr: fields.text(subnet.CidrBlock, `${at}.CidrBlock`),
      ipv6Cidr: associated && fields.text(associated.Ipv6CidrBlock, `${at}.Ipv6CidrBlockAssociationSet[].Ipv6CidrBlock`),
      tags: new Map(tags),
    };
  });
}

const publicLoadBalancerRoleTag = 'kubernetes.io/role/elb';
const internalLoadBalancerRoleTag = 'kubernetes.io/role/internal-elb';

/** The private subnets' CIDRs of a described cluster, in its family. */
function clusterSubnets(described: DescribedCluster, subnets: ReadonlyMap<string, DescribedSubnet>): string[] {
  const { facts } = described;
  const missing = described.subnetIds.filter((id) => !subnets.has(id));
  if (missing.length) {
    throw new ImportInputError(`${facts.source}: no describe-subnets file given describes the subnets ${missing.join(', ')} of cluster ${facts.name}: add the output of \`aws ec2 describe-subnets --subnet-ids ${missing.join(' ')} --output json\` to the files`);
  }
  const own = described.subnetIds.map((id) => subnets.get(id)!);
  // EKS lists the public subnets its load balancers use beside the private ones of the nodes;
  // only the role tags tell them apart, so untagged subnets are all taken as the cluster's.
  const tagged = own.some((subnet) => subnet.tags.has(publicLoadBalancerRoleTag) || subnet.tags.has(internalLoadBalancerRoleTag));
  const privateSubnets = tagged ? own.filter((subnet) => subnet.tags.get(publicLoadBalancerRoleTag) !== '1') : own;
  return privateSubnets.map((subnet) => {
    if (facts.ipFamily === 'ipv4') return subnet.ipv4Cidr;
    if (!subnet.ipv6Cidr) throw new ImportInputError(`${subnet.source}: subnet ${subnet.id} has no associated IPv6 block, but cluster ${facts.name} is an IPv6 cluster: expected every subnet of the cluster to have a /64`);
    return subnet.ipv6Cidr;
  });
}

type InputDocument =
  | { readonly kind: 'facts'; readonly facts: ClusterFacts }
  | { readonly kind: 'cluster'; readonly cluster: DescribedCluster }
  | { readonly kind: 'subnets'; readonly subnets: readonly DescribedSubnet[] };

/** Tells the forms apart by shape: each has a top-level key (or layout) the others lack. */
function recognise(input: ImportInput): InputDocument {
  let json: unknown;
  try {
    json = JSON.parse(input.text);
  } catch (error) {
    throw new ImportInputError(`${input.file}: is not JSON (${(error as Error).message})`);
  }
  if (isObject(json)) {
    if ('cluster' in json) return { kind: 'cluster', cluster: describedCluster(input.file, json) };
    if ('Subnets' in json) return { kind: 'subnets', subnets: describedSubnets(input.file, json) };
    if (isTerraformOutput(json)) return { kind: 'facts', facts: terraformFacts(input.file, json) };
  }
  throw new ImportInputError(`${input.file}: is not a form import-clusters reads: expected the JSON of \`terraform output -json\` of a cluster stack, \`aws eks describe-cluster --output json\` or \`aws ec2 describe-subnets --output json\``);
}

/** The clusters the input files describe, a describe-cluster's subnets looked up in the describe-subnets files among them. */
export function readClusterFacts(inputs: readonly ImportInput[]): ClusterFacts[] {
  const documents = inputs.map(recognise);
  const subnets = new Map(documents.flatMap((document) => (document.kind === 'subnets' ? document.subnets.map((subnet) => [subnet.id, subnet] as const) : [])));
  const facts = documents.flatMap((document): ClusterFacts[] => {
    if (document.kind === 'facts') return [document.facts];
    if (document.kind === 'cluster') return [{ ...document.cluster.facts, subnets: clusterSubnets(document.cluster, subnets) }];
    return [];
  });
  for (const cluster of facts) {
    if (!cluster.subnets.length) throw new ImportInputError(`${cluster.source}: cluster ${cluster.name} has no private ${familyName(cluster.ipFamily)} subnets: fleet.yaml needs at least one`);
  }
  return facts;
}

function familyName(family: IpFamily): string {
  return family === 'ipv6' ? 'IPv6' : 'IPv4';
}

/** Whether two values of a field say the same: an endpoint with or without its trailing slash, subnets in any order. */
function sameValue(field: ImportedField, a: string | readonly string[] | undefined, b: string | readonly string[]): boolean {
  if (typeof a === 'string' && typeof b === 'string') return field === 'server' ? a.replace(/\/$/, '') === b.replace(/\/$/, '') : a === b;
  return Array.isArray(a) && Array.isArray(b) && a.length === b.length && b.every((item) => a.includes(item));
}

/** Where the facts contradict fleet.yaml in a field an import only reads: a difference there means another cluster, or a wrong file. */
function contradictions(facts: ClusterFacts, cluster: ClusterSpec, clusterIndex: number, fleetFile: string): string[] {
  const at = (field: string) => formatFieldPath(['clusters', clusterIndex, field]);
  const found: string[] = [];
  const says = `${facts.source}: cluster ${facts.name}`;
  if (facts.ipFamily !== cluster.ipFamily) {
    found.push(`${says} is an ${familyName(facts.ipFamily)} cluster, but ${fleetFile} says ipFamily: ${cluster.ipFamily} (${at('ipFamily')}): an EKS cluster keeps the IP family it was created with, so check that the file is of this cluster, or correct ipFamily and subnets in ${fleetFile} by hand`);
  }
  if (facts.region !== cluster.region) {
    found.push(`${says} is in region ${facts.region}, but ${fleetFile} says region: ${cluster.region} (${at('region')}): check that the file is of this cluster, or correct region in ${fleetFile} by hand`);
  }
  if (facts.accountId !== cluster.accountId) {
    found.push(`${says} is in account ${facts.accountId}, but ${fleetFile} says accountId: "${cluster.accountId}" (${at('accountId')}): check that the file is of this cluster, or correct accountId in ${fleetFile} by hand`);
  }
  if (facts.kubernetesVersion !== undefined && facts.kubernetesVersion !== cluster.kubernetesVersion) {
    found.push(`${says} runs Kubernetes ${facts.kubernetesVersion}, but ${fleetFile} says kubernetesVersion: "${cluster.kubernetesVersion}" (${at('kubernetesVersion')}): set kubernetesVersion to "${facts.kubernetesVersion}" (it picks the cluster-autoscaler release), or upgrade the cluster first`);
  }
  return found;
}

/**
 * The fields of fleet.yaml that the facts change. Refuses, listing every contradiction, when a
 * cluster is not in the fleet, is another IP family, region, account or Kubernetes version than
 * the fleet says, or is described twice with different values.
 */
export function planImport(fleet: Fleet, fleetFile: string, facts: readonly ClusterFacts[]): FieldChange[] {
  const refusals: string[] = [];
  const first = new Map<string, ClusterFacts>();
  const changes: FieldChange[] = [];
  for (const cluster of facts) {
    // A cluster the project creates is in fleet.yaml before it exists (pending): the import brings it in.
    const inFleet = allClusters(fleet).find((candidate) => candidate.name === cluster.name);
    if (!inFleet) {
      const names = allClusters(fleet).map((candidate) => candidate.name).join(', ');
      refusals.push(`${cluster.source}: cluster ${cluster.name} is not in ${fleetFile}, whose clusters are ${names}: add it to clusters first, or leave the file out`);
      continue;
    }
    const clusterIndex = inFleet.index;
    refusals.push(...contradictions(cluster, inFleet, clusterIndex, fleetFile));
    const earlier = first.get(cluster.name);
    if (earlier) {
      const differing = importedFields.filter((field) => !sameValue(field, earlier[field], cluster[field]));
      if (differing.length) refusals.push(`${earlier.source} and ${cluster.source} give cluster ${cluster.name} a different ${differing.join(', ')}: import the files of one moment`);
      continue;
    }
    first.set(cluster.name, cluster);
    const before: Record<ImportedField, string | readonly string[] | undefined> = {
      ...(isCluster(inFleet) ? { server: inFleet.server, caData: inFleet.caData, vpcId: inFleet.vpcId, subnets: inFleet.subnets } : { server: undefined, caData: undefined, vpcId: undefined, subnets: undefined }),
    };
    for (const field of importedFields) {
      if (!sameValue(field, before[field], cluster[field])) {
        changes.push({ clusterIndex, cluster: cluster.name, field, before: before[field], after: cluster[field] });
      }
    }
  }
  if (refusals.length) throw new ImportRefusedError(refusals);
  return changes;
}

/** No folding: a long value stays on its line, as fleet.yaml writes it. */
const renderOptions = { lineWidth: 0 };

/** The lines of a field in a text (0-based, end exclusive), and the column its key starts at. */
interface LineSpan {
  readonly start: number;
  readonly end: number;
  readonly column: number;
}

function clusterMap(document: Document, clusterIndex: number): YAMLMap | undefined {
  const node = document.getIn(['clusters', clusterIndex], true);
  return isMap(node) ? node : undefined;
}

function pairOf(map: YAMLMap, field: string): Pair | undefined {
  return map.items.find((pair) => isScalar(pair.key) && pair.key.value === field);
}

/** Where a pair's value ends: its key's end when it has no value. */
function pairEnd(pair: Pair): number {
  return (pair.value as Node | null)?.range?.[1] ?? (pair.key as Node).range![1];
}

/** The lines of a field; for a field the map lacks, the empty span after its last field, where it is added. */
function fieldSpan(map: YAMLMap, field: string, lines: LineCounter): LineSpan {
  const line = (offset: number) => lines.linePos(offset).line - 1;
  const pair = pairOf(map, field);
  if (pair) {
    const { col } = lines.linePos((pair.key as Node).range![0]);
    return { start: line((pair.key as Node).range![0]), end: line(pairEnd(pair) - 1) + 1, column: col };
  }
  const after = line(pairEnd(map.items[map.items.length - 1]) - 1) + 1;
  return { start: after, end: after, column: lines.linePos((map.items[0].key as Node).range![0]).col };
}

/** Sets a field in place: an existing scalar or list keeps its node, so its style and comments stay. */
function setField(document: Document, map: YAMLMap, change: FieldChange): void {
  const node = map.get(change.field, true);
  if (typeof change.after === 'string' && isScalar(node)) {
    node.value = change.after;
    if (change.field === 'caData') node.type = 'PLAIN';
  } else if (Array.isArray(change.after) && isSeq(node)) {
    change.after.forEach((value, index) => {
      const item = node.items[index];
      if (isScalar(item)) item.value = value;
      else node.items[index] = document.createNode(value);
    });
    node.items.splice(change.after.length);
  } else {
    map.set(change.field, document.createNode(change.after));
  }
}

function shiftLines(lines: readonly string[], by: number): string[] | undefined {
  if (by >= 0) return lines.map((line) => (line ? ' '.repeat(by) + line : line));
  const indent = ' '.repeat(-by);
  if (!lines.every((line) => !line || line.startsWith(indent))) return undefined;
  return lines.map((line) => line.slice(-by));
}

/**
 * fleet.yaml with the changes, every other line byte for byte as it was. The `yaml` document
 * model makes the edit and renders it, but it also rewrites what it does not edit in a style of
 * its own (`[a]` as `[ a ]`, spacing, indentation); so only the lines of the changed fields are
 * taken from its rendering, and the rest are copied from the file. Refuses a layout where that
 * cannot be done (several edited fields on one line).
 */
export function editFleetText(text: string, fleetFile: string, changes: readonly FieldChange[]): string {
  const cannotEdit = () => new ImportRefusedError([
    `${fleetFile}: ${changes.map((change) => formatFieldPath(['clusters', change.clusterIndex, change.field])).join(', ')} cannot be edited without rewriting lines around them: write these fields one per line in block style, or set them by hand`,
  ]);
  const originalLines = new LineCounter();
  const document = parseDocument(text, { lineCounter: originalLines });
  const maps = changes.map((change) => clusterMap(document, change.clusterIndex));
  if (!maps.every((map): map is YAMLMap => map !== undefined && map.items.length > 0)) throw cannotEdit();
  // Taken before the edit, which leaves new nodes without a place in the text.
  const spansBefore = changes.map((change, index) => fieldSpan(maps[index], change.field, originalLines));
  changes.forEach((change, index) => setField(document, maps[index], change));
  const rendered = document.toString(renderOptions);

  const renderedLines = new LineCounter();
  const renderedDocument = parseDocument(rendered, { lineCounter: renderedLines });
  const spans = changes.map((change, index) => ({
    before: spansBefore[index],
    after: fieldSpan(clusterMap(renderedDocument, change.clusterIndex)!, change.field, renderedLines),
  })).sort((a, b) => a.after.start - b.after.start);

  const oldText = text.split('\n');
  // The model renders "\n" line ends; a file written with "\r\n" keeps them on the new lines too.
  const lineEnd = text.includes('\r\n') ? '\r' : '';
  const newText = rendered.split('\n');
  const lines: string[] = [];
  let copied = 0;
  for (const { before, after } of spans) {
    const replacement = shiftLines(newText.slice(after.start, after.end), before.column - after.column)?.map((line) => line + lineEnd);
    if (before.start < copied || !replacement) throw cannotEdit();
    lines.push(...oldText.slice(copied, before.start), ...replacement);
    copied = before.end;
  }
  lines.push(...oldText.slice(copied));
  const edited = lines.join('\n');
  // The spliced text must be the document the model edited, comments and all.
  if (parseDocument(edited).toString(renderOptions) !== rendered) throw cannotEdit();
  return edited;
}

/**
 * Reads the input files, checks them against fleet.yaml and returns fleet.yaml with their
 * clusters' server, caData, vpcId and subnets. Throws FleetConfigError for an invalid fleet.yaml,
 * ImportInputError for an input it cannot read, ImportRefusedError for a contradiction or for
 * values that would make fleet.yaml invalid.
 */
export function importClusters(fleetText: string, fleetFile: string, inputs: readonly ImportInput[]): ImportResult {
  const fleet = parseFleet(fleetText, fleetFile);
  const changes = planImport(fleet, fleetFile, readClusterFacts(inputs));
  if (!changes.length) return { changes, text: fleetText };
  const text = editFleetText(fleetText, fleetFile, changes);
  try {
    parseFleet(text, fleetFile);
  } catch (error) {
    if (!(error instanceof FleetConfigError)) throw error;
    throw new ImportRefusedError([`the imported values would make ${fleetFile} invalid:\n${error.message}`]);
  }
  return { changes, text };
}

/** Longer values are cut: a line of the report stays readable. */
const shownWidth = 80;

function shown(field: ImportedField, value: string | readonly string[]): string {
  const text = typeof value === 'string' ? value : `[${value.join(', ')}]`;
  if (field === 'caData') {
    // Every PEM certificate's base64 starts and ends alike, so a digest tells two apart.
    const digest = createHash('sha256').update(text).digest('hex').slice(0, 12);
    return `${text.slice(0, 8)}... (${text.length} characters, sha256 ${digest})`;
  }
  return text.length > shownWidth ? `${text.slice(0, shownWidth - 3)}...` : text;
}

/** One line of the report: `clusters[1].server: <old> -> <new>`, or `<new> (added)`. */
export function formatChange(change: FieldChange): string {
  const path = formatFieldPath(['clusters', change.clusterIndex, change.field]);
  const after = shown(change.field, change.after);
  return change.before === undefined ? `${path}: ${after} (added)` : `${path}: ${shown(change.field, change.before)} -> ${after}`;
}
