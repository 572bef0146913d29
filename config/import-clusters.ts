/**
 * The way back from AWS into fleet.yaml: what terraform and the AWS CLI say about clusters, checked
 * against fleet.yaml, and the edit that writes it into `server`, `caData`, `vpcId` and `subnets`
 * (and, for a cluster that exists, `endpointAccess` from describe-cluster), leaving every other
 * line of the file as it was.
 */
import { isUtf8 } from 'buffer';
import { isDeepStrictEqual } from 'util';
import { createHash } from 'crypto';
import { Document, isMap, isScalar, isSeq, LineCounter, Node, Pair, parse, parseDocument, visit, YAMLMap } from 'yaml';
import { formatFieldPath, PathSegment } from '../output/field-path';
import { cidrContains, parseCidr } from './cidr';
import { allClusters, ClusterSpec, EndpointAccess, isCluster } from './fleet';
import { FleetConfigError, parseFleet } from './load';
import { cut, firstNames, holdsKeyMaterial, printable, quote } from './messages';
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
  /** The IPv4 blocks of the same subnets (those of an IPv6 cluster are dual-stack). */
  readonly ipv4Blocks: readonly string[];
  /** Who can reach the API server; only `aws eks describe-cluster` says it (terraform output does not). */
  readonly endpointAccess?: EndpointAccess;
}

/** An input file: its name, for messages, and its text or its bytes as read (their encoding is checked). */
export interface ImportInput {
  readonly file: string;
  readonly text: string | Uint8Array;
}

/** A file name as messages print it: every unprintable character escaped. */
function named(file: string): string {
  return printable(file);
}

/** A value read from an input file as a message shows it: as it is when it is a short plain word (a name, a region, an id), else quoted (cut, escaped, masked). */
function shown(value: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,59}$/.test(value) ? value : quote(value);
}

/** The fields of a cluster that an import writes; it only reads the others. */
export const importedFields = ['server', 'caData', 'vpcId', 'subnets', 'endpointAccess'] as const;
export type ImportedField = typeof importedFields[number];
/** A value an import writes. */
export type ImportedValue = string | readonly string[] | EndpointAccess;

/** One field of fleet.yaml that an import changes. */
export interface FieldChange {
  /** The index of the cluster in fleet.yaml's `clusters`. */
  readonly clusterIndex: number;
  readonly cluster: string;
  readonly field: ImportedField;
  /** What fleet.yaml says now; undefined when the field is absent. */
  readonly before?: ImportedValue;
  readonly after: ImportedValue;
}

/** fleet.yaml with an import's changes. */
export interface ImportResult {
  readonly changes: readonly FieldChange[];
  /** Clusters fleet.yaml lacked, added at the end of its clusters (only when the import may add them). */
  readonly added: readonly AddedCluster[];
  /** The new text of fleet.yaml: the old one when nothing changes. */
  readonly text: string;
}

/** A node group as `aws eks describe-nodegroup` describes it: what fleet.yaml's nodeGroups entry says. */
export interface NodeGroupFacts {
  readonly source: string;
  readonly cluster: string;
  readonly name: string;
  readonly instanceType: string;
  readonly minSize: number;
  readonly maxSize: number;
}

/** A cluster fleet.yaml lacked, as an import adds it. */
export interface AddedCluster {
  readonly facts: ClusterFacts;
  readonly nodeGroups: readonly NodeGroupFacts[];
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
  if (typeof value === 'string') return quote(value);
  return cut(JSON.stringify(value));
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

  boolean(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') throw this.mismatch(path, 'true or false', value);
    return value;
  }

  ipFamily(value: unknown, path: string): IpFamily {
    const text = this.text(value, path);
    if (!(ipFamilies as readonly string[]).includes(text)) throw this.mismatch(path, `one of ${ipFamilies.join(', ')}`, value);
    return text as IpFamily;
  }

  private mismatch(path: string, expected: string, value: unknown): ImportInputError {
    return new ImportInputError(`${named(this.file)}: ${path}: expected ${expected}, got ${describeJson(value)}`);
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
    throw new ImportInputError(`${named(file)}: this terraform output has no ${missing.join(', ')}: expected the outputs of a cluster stack (terraform -chdir=dist/terraform/clusters/<cluster> output -json)`);
  }
  const fields = new JsonFields(file);
  const value = (name: typeof terraformOutputNames[number]) => (outputs[name] as JsonObject).value;
  const ipFamily = fields.ipFamily(value('ip_family'), 'ip_family.value');
  const subnetsOutput = ipFamily === 'ipv6' ? 'private_subnets_ipv6_cidr_blocks' : 'private_subnets_cidr_blocks';
  return {
    ipv4Blocks: fields.texts(value('private_subnets_cidr_blocks'), 'private_subnets_cidr_blocks.value'),
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
  readonly facts: Omit<ClusterFacts, 'subnets' | 'ipv4Blocks'>;
  readonly subnetIds: readonly string[];
}

function describedCluster(file: string, json: JsonObject): DescribedCluster {
  const fields = new JsonFields(file);
  const cluster = fields.object(json.cluster, 'cluster');
  const arn = fields.text(cluster.arn, 'cluster.arn');
  const arnParts = /^arn:aws[a-z-]*:eks:([a-z0-9-]+):(\d{12}):cluster\/(.+)$/.exec(arn);
  if (!arnParts) throw new ImportInputError(`${named(file)}: cluster.arn: expected an EKS cluster ARN (arn:aws:eks:<region>:<account>:cluster/<name>), got ${quote(arn)}`);
  const name = fields.text(cluster.name, 'cluster.name');
  if (arnParts[3] !== name) {
    throw new ImportInputError(`${named(file)}: cluster.name is ${quote(name)}, but cluster.arn names cluster ${quote(arnParts[3])}: the file is not one describe-cluster's output; describe the cluster again`);
  }
  const vpcConfig = fields.object(cluster.resourcesVpcConfig, 'cluster.resourcesVpcConfig');
  const networkConfig = fields.object(cluster.kubernetesNetworkConfig, 'cluster.kubernetesNetworkConfig');
  return {
    facts: {
      source: file,
      name,
      region: arnParts[1],
      accountId: arnParts[2],
      ipFamily: fields.ipFamily(networkConfig.ipFamily, 'cluster.kubernetesNetworkConfig.ipFamily'),
      kubernetesVersion: cluster.version === undefined ? undefined : fields.text(cluster.version, 'cluster.version'),
      server: fields.text(cluster.endpoint, 'cluster.endpoint'),
      caData: fields.text(fields.object(cluster.certificateAuthority, 'cluster.certificateAuthority').data, 'cluster.certificateAuthority.data'),
      vpcId: fields.text(vpcConfig.vpcId, 'cluster.resourcesVpcConfig.vpcId'),
      ...endpointAccess(fields, vpcConfig),
    },
    subnetIds: fields.texts(vpcConfig.subnetIds, 'cluster.resourcesVpcConfig.subnetIds'),
  };
}

/**
 * Who can reach the API server, from describe-cluster's resourcesVpcConfig: whether it has a
 * public endpoint, and the CIDRs that endpoint admits. EKS keeps publicAccessCidrs (0.0.0.0/0 by
 * default) while the public endpoint is off, so they are taken only with it on. Nothing when the
 * file does not say (then fleet.yaml's stays as it is).
 */
function endpointAccess(fields: JsonFields, vpcConfig: JsonObject): { endpointAccess?: EndpointAccess } {
  if (vpcConfig.endpointPublicAccess === undefined) return {};
  const isPublic = fields.boolean(vpcConfig.endpointPublicAccess, 'cluster.resourcesVpcConfig.endpointPublicAccess');
  if (!isPublic || vpcConfig.publicAccessCidrs === undefined) return { endpointAccess: { public: isPublic } };
  const cidrs = fields.texts(vpcConfig.publicAccessCidrs, 'cluster.resourcesVpcConfig.publicAccessCidrs');
  return { endpointAccess: cidrs.length ? { public: true, publicCidrs: cidrs } : { public: true } };
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

/**
 * Whether the load balancer controller takes a subnet for internet-facing load balancers: it
 * looks for the role tag with the value "1" or an empty one (aws-load-balancer-controller
 * v3.5.0, the chart 3.5.0's, pkg/networking/subnet_resolver.go: `tagFilters :=
 * map[string][]string{subnetRoleTagKey: {"", "1"}}`).
 */
function isPublicSubnet(subnet: DescribedSubnet): boolean {
  const role = subnet.tags.get(publicLoadBalancerRoleTag);
  return role === '' || role === '1';
}

/** The private subnets' CIDRs of a described cluster, in its family. */
function clusterSubnets(described: DescribedCluster, subnets: ReadonlyMap<string, DescribedSubnet>): DescribedSubnet[] {
  const { facts } = described;
  const missing = described.subnetIds.filter((id) => !subnets.has(id));
  if (missing.length) {
    throw new ImportInputError(`${named(facts.source)}: no describe-subnets file given describes the subnets ${missing.map(shown).join(', ')} of cluster ${shown(facts.name)}: add the output of \`aws ec2 describe-subnets --subnet-ids ${missing.map(shown).join(' ')} --output json\` to the files`);
  }
  const own = described.subnetIds.map((id) => subnets.get(id)!);
  // EKS lists the public subnets its load balancers use beside the private ones of the nodes;
  // only the role tags tell them apart, so untagged subnets are all taken as the cluster's.
  const tagged = own.some((subnet) => subnet.tags.has(publicLoadBalancerRoleTag) || subnet.tags.has(internalLoadBalancerRoleTag));
  const privateSubnets = tagged ? own.filter((subnet) => !isPublicSubnet(subnet)) : own;
  return privateSubnets;
}

/** The CIDRs fleet.yaml lists for subnets, in the cluster's family. */
function familyCidrs(facts: Omit<ClusterFacts, 'subnets' | 'ipv4Blocks'>, subnets: readonly DescribedSubnet[]): string[] {
  return subnets.map((subnet) => {
    if (facts.ipFamily === 'ipv4') return subnet.ipv4Cidr;
    if (!subnet.ipv6Cidr) throw new ImportInputError(`${named(subnet.source)}: subnet ${shown(subnet.id)} has no associated IPv6 block, but cluster ${shown(facts.name)} is an IPv6 cluster: expected every subnet of the cluster to have a /64`);
    return subnet.ipv6Cidr;
  });
}

type InputDocument =
  | { readonly kind: 'facts'; readonly facts: ClusterFacts }
  | { readonly kind: 'nodegroup'; readonly nodeGroup: NodeGroupFacts }
  | { readonly kind: 'cluster'; readonly cluster: DescribedCluster }
  | { readonly kind: 'subnets'; readonly subnets: readonly DescribedSubnet[] };

/**
 * The text of an input file. JSON is UTF-8 (RFC 8259, 8.1); a UTF-8 byte-order mark, which that
 * RFC lets a reader ignore, is ignored. UTF-16 (what PowerShell 5's `>` writes) and bytes that
 * are no UTF-8 are refused with a word about the encoding, not a JSON syntax error.
 */
function inputText(input: ImportInput): string {
  if (typeof input.text === 'string') return input.text.replace(/^\uFEFF/, '');
  const bytes = Buffer.from(input.text.buffer, input.text.byteOffset, input.text.byteLength);
  const utf16Mark = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  // Without a mark, UTF-16 of JSON's ASCII puts a zero byte beside every character.
  if (utf16Mark || (bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0))) {
    throw new ImportInputError(`${named(input.file)}: is UTF-16 text${utf16Mark ? ` (it starts with the byte-order mark ${bytes.subarray(0, 2).toString('hex').toUpperCase().replace(/(..)(..)/, '$1 $2')})` : ''}, `
      + 'as PowerShell 5\'s > writes it: import-clusters reads JSON as UTF-8; write the file with | Out-File -Encoding utf8 (or PowerShell 7\'s >), or convert it (iconv -f UTF-16 -t UTF-8)');
  }
  if (!isUtf8(bytes)) {
    throw new ImportInputError(`${named(input.file)}: is not UTF-8 text: import-clusters reads JSON as UTF-8 (as the AWS CLI and terraform write it); save the file as UTF-8`);
  }
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/** The 1-based line of an offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/**
 * The first key that an object of a JSON text (already parsed) has twice, with where it is.
 * JSON.parse keeps the last, other readers the first: a file with two `name`s says two things.
 * A loop over the text, not a recursion: a file may nest deeply, and strings may be megabytes.
 */
function duplicateKey(text: string): { readonly key: string; readonly path: string; readonly line: number } | undefined {
  type Frame = { readonly keys?: Set<string>; readonly path: PathSegment[]; key?: string; index: number; atKey: boolean };
  const stack: Frame[] = [];
  const top = () => stack[stack.length - 1];
  const here = (): PathSegment[] => {
    const frame = top();
    if (!frame) return [];
    return [...frame.path, frame.keys ? frame.key ?? '' : frame.index];
  };
  for (let at = 0; at < text.length; at++) {
    const character = text[at];
    if (character === '{' || character === '[') {
      const path = here();
      stack.push(character === '{' ? { keys: new Set(), path, index: 0, atKey: true } : { path, index: 0, atKey: false });
    } else if (character === '}' || character === ']') {
      stack.pop();
    } else if (character === ',') {
      const frame = top();
      if (frame?.keys) frame.atKey = true;
      else if (frame) frame.index++;
    } else if (character === '"') {
      let end = text.indexOf('"', at + 1);
      for (;;) {
        let backslashes = 0;
        while (text[end - 1 - backslashes] === '\\') backslashes++;
        if (backslashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      const frame = top();
      if (frame?.keys && frame.atKey) {
        const key = JSON.parse(text.slice(at, end + 1)) as string;
        if (frame.keys.has(key)) return { key, path: formatFieldPath(frame.path.map((segment) => (typeof segment === 'string' ? cut(segment) : segment))), line: lineAt(text, at) };
        frame.keys.add(key);
        frame.key = key;
        frame.atKey = false;
      }
      at = end;
    }
  }
  return undefined;
}

/** The JSON of an input file; throws ImportInputError when it is not JSON, or has a key twice. */
function parseJson(input: ImportInput): unknown {
  const text = inputText(input);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // V8's message quotes the text around the error: escaped and cut here, and not shown at all if it may hold a key.
    const message = (error as Error).message;
    throw new ImportInputError(`${named(input.file)}: is not JSON (${holdsKeyMaterial(message) ? 'its text is not shown: it looks like key material' : printable(cut(message, 200))})`);
  }
  const duplicate = duplicateKey(text);
  if (duplicate) {
    throw new ImportInputError(`${named(input.file)}:${duplicate.line}: ${duplicate.path ? `${duplicate.path} has` : 'has'} the key ${quote(duplicate.key)} twice: JSON readers keep one or the other, so the file says two things; keep the one that is right`);
  }
  return json;
}

/** Tells the forms apart by shape: each has a top-level key (or layout) the others lack. */
function recognise(input: ImportInput): InputDocument {
  const json = parseJson(input);
  if (isObject(json)) {
    if ('cluster' in json) return { kind: 'cluster', cluster: describedCluster(input.file, json) };
    if ('Subnets' in json) return { kind: 'subnets', subnets: describedSubnets(input.file, json) };
    if (isTerraformOutput(json)) return { kind: 'facts', facts: terraformFacts(input.file, json) };
    if ('nodegroup' in json) return { kind: 'nodegroup', nodeGroup: describedNodeGroup(input.file, json) };
  }
  throw new ImportInputError(`${named(input.file)}: is not a form import-clusters reads: expected the JSON of \`terraform output -json\` of a cluster stack, \`aws eks describe-cluster --output json\` or \`aws ec2 describe-subnets --output json\``);
}

/** The subnets the describe-subnets files give, by id; refuses one id that two of them give different CIDRs. */
function subnetsById(documents: readonly InputDocument[]): Map<string, DescribedSubnet> {
  const byId = new Map<string, DescribedSubnet>();
  const refusals: string[] = [];
  for (const subnet of documents.flatMap((document) => (document.kind === 'subnets' ? document.subnets : []))) {
    const earlier = byId.get(subnet.id);
    if (!earlier) {
      byId.set(subnet.id, subnet);
    } else if (earlier.ipv4Cidr !== subnet.ipv4Cidr || earlier.ipv6Cidr !== subnet.ipv6Cidr) {
      const cidrs = (described: DescribedSubnet) => quote([described.ipv4Cidr, described.ipv6Cidr].filter((cidr) => cidr !== undefined).join(' and '));
      refusals.push(`${named(earlier.source)} and ${named(subnet.source)} give subnet ${shown(subnet.id)} different blocks, ${cidrs(earlier)} and ${cidrs(subnet)}: a subnet keeps its blocks, so one file is of another moment or another account; import the describe-subnets of one moment`);
    }
  }
  if (refusals.length) throw new ImportRefusedError(refusals);
  return byId;
}

/** A node group as `aws eks describe-nodegroup --output json` describes it. */
function describedNodeGroup(file: string, json: JsonObject): NodeGroupFacts {
  const fields = new JsonFields(file);
  const nodeGroup = fields.object(json.nodegroup, 'nodegroup');
  const scaling = fields.object(nodeGroup.scalingConfig, 'nodegroup.scalingConfig');
  const size = (value: unknown, path: string) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new ImportInputError(`${named(file)}: ${path}: expected a number of nodes, got ${describeJson(value)}`);
    return value;
  };
  return {
    source: file,
    cluster: fields.text(nodeGroup.clusterName, 'nodegroup.clusterName'),
    name: fields.text(nodeGroup.nodegroupName, 'nodegroup.nodegroupName'),
    instanceType: fields.texts(nodeGroup.instanceTypes, 'nodegroup.instanceTypes')[0] ?? fields.text(undefined, 'nodegroup.instanceTypes[0]'),
    minSize: size(scaling.minSize, 'nodegroup.scalingConfig.minSize'),
    maxSize: size(scaling.maxSize, 'nodegroup.scalingConfig.maxSize'),
  };
}

/** What the input files say: the clusters, the node groups, and which clusters a describe-cluster describes (only those may be added). */
interface ImportFacts {
  readonly clusters: readonly ClusterFacts[];
  readonly nodeGroups: readonly NodeGroupFacts[];
  readonly described: ReadonlySet<string>;
}

/** The clusters the input files describe, a describe-cluster's subnets looked up in the describe-subnets files among them. */
export function readClusterFacts(inputs: readonly ImportInput[]): ClusterFacts[] {
  return [...readImportFacts(inputs).clusters];
}

function readImportFacts(inputs: readonly ImportInput[]): ImportFacts {
  const documents = inputs.map(recognise);
  const subnets = subnetsById(documents);
  const facts = documents.flatMap((document): ClusterFacts[] => {
    if (document.kind === 'facts') return [document.facts];
    if (document.kind !== 'cluster') return [];
    const own = clusterSubnets(document.cluster, subnets);
    return [{ ...document.cluster.facts, subnets: familyCidrs(document.cluster.facts, own), ipv4Blocks: own.map((subnet) => subnet.ipv4Cidr) }];
  });
  for (const cluster of facts) {
    if (!cluster.subnets.length) throw new ImportInputError(`${named(cluster.source)}: cluster ${shown(cluster.name)} has no private ${familyName(cluster.ipFamily)} subnets: fleet.yaml needs at least one`);
  }
  return {
    clusters: facts,
    nodeGroups: documents.flatMap((document) => (document.kind === 'nodegroup' ? [document.nodeGroup] : [])),
    described: new Set(documents.flatMap((document) => (document.kind === 'cluster' ? [document.cluster.facts.name] : []))),
  };
}

function familyName(family: IpFamily): string {
  return family === 'ipv6' ? 'IPv6' : 'IPv4';
}

function sameItems(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && b.every((item) => a.includes(item));
}

/** Whether two values of a field say the same: an endpoint with or without its trailing slash, subnets and CIDRs in any order. */
function sameValue(field: ImportedField, a: ImportedValue | undefined, b: ImportedValue): boolean {
  if (typeof a === 'string' && typeof b === 'string') return field === 'server' ? a.replace(/\/$/, '') === b.replace(/\/$/, '') : a === b;
  if (Array.isArray(a) && Array.isArray(b)) return sameItems(a, b);
  if (isEndpointAccess(a) && isEndpointAccess(b)) return a.public === b.public && sameItems(a.publicCidrs ?? [], b.publicCidrs ?? []);
  return false;
}

function isEndpointAccess(value: ImportedValue | undefined): value is EndpointAccess {
  return typeof value === 'object' && !Array.isArray(value);
}

/**
 * The value of a field the facts give for a cluster of fleet.yaml, undefined when the import
 * leaves the field as it is: endpointAccess when the file does not say it (terraform output), or
 * on a cluster the project creates (whose endpoint fleet.yaml sets: endpointPublicAccessCidrs).
 */
function importedValue(facts: ClusterFacts, field: ImportedField, inFleet: ClusterSpec): ImportedValue | undefined {
  if (field !== 'endpointAccess') return facts[field];
  return inFleet.provisioning === 'create' ? undefined : facts.endpointAccess;
}

/** Where the facts contradict fleet.yaml in a field an import only reads: a difference there means another cluster, or a wrong file. */
function contradictions(facts: ClusterFacts, cluster: ClusterSpec, clusterIndex: number, fleetFile: string): string[] {
  const at = (field: string) => formatFieldPath(['clusters', clusterIndex, field]);
  const found: string[] = [];
  const says = `${named(facts.source)}: cluster ${shown(facts.name)}`;
  if (facts.ipFamily !== cluster.ipFamily) {
    found.push(`${says} is an ${familyName(facts.ipFamily)} cluster, but ${fleetFile} says ipFamily: ${cluster.ipFamily} (${at('ipFamily')}): an EKS cluster keeps the IP family it was created with, so check that the file is of this cluster, or correct ipFamily and subnets in ${fleetFile} by hand`);
  }
  if (facts.region !== cluster.region) {
    found.push(`${says} is in region ${shown(facts.region)}, but ${fleetFile} says region: ${cluster.region} (${at('region')}): check that the file is of this cluster, or correct region in ${fleetFile} by hand`);
  }
  if (facts.accountId !== cluster.accountId) {
    found.push(`${says} is in account ${shown(facts.accountId)}, but ${fleetFile} says accountId: "${cluster.accountId}" (${at('accountId')}): check that the file is of this cluster, or correct accountId in ${fleetFile} by hand`);
  }
  if (facts.kubernetesVersion !== undefined && facts.kubernetesVersion !== cluster.kubernetesVersion) {
    found.push(`${says} runs Kubernetes ${shown(facts.kubernetesVersion)}, but ${fleetFile} says kubernetesVersion: "${cluster.kubernetesVersion}" (${at('kubernetesVersion')}): set kubernetesVersion to ${quote(facts.kubernetesVersion)} (it picks the cluster-autoscaler release), or upgrade the cluster first`);
  }
  const vpcCidr = cluster.vpc?.cidr;
  const outside = vpcCidr === undefined ? [] : facts.ipv4Blocks.filter((block) => {
    const parsed = parseCidr(block);
    return typeof parsed !== 'object' || parsed.family !== 'ipv4' || !cidrContains(vpcCidr, block);
  });
  if (vpcCidr !== undefined && outside.length) {
    found.push(`${says} has private subnets with the IPv4 blocks ${firstNames(outside.map(shown))}, outside the VPC ${fleetFile} creates for it, ${vpcCidr} (${at('vpc')}.cidr): the file is of another VPC; check that it is of this cluster, or correct vpc.cidr by hand`);
  }
  return found;
}

/**
 * The fields of fleet.yaml that the facts change. Refuses, listing every contradiction, when a
 * cluster is not in the fleet, is another IP family, region, account or Kubernetes version than
 * the fleet says, or is described twice with different values.
 */
export function planImport(clusters: readonly ClusterSpec[], fleetFile: string, facts: readonly ClusterFacts[], adding: ReadonlySet<string> = new Set()): FieldChange[] {
  const refusals: string[] = [];
  const first = new Map<string, ClusterFacts>();
  const changes: FieldChange[] = [];
  for (const cluster of facts) {
    // A cluster the project creates is in fleet.yaml before it exists (pending): the import brings it in.
    const inFleet = clusters.find((candidate) => candidate.name === cluster.name);
    if (!inFleet && adding.has(cluster.name)) continue;
    if (!inFleet) {
      const names = clusters.length ? `whose clusters are ${firstNames(clusters.map((candidate) => candidate.name))}` : 'which has no clusters yet';
      refusals.push(`${named(cluster.source)}: cluster ${shown(cluster.name)} is not in ${fleetFile}, ${names}: add it to clusters first (or import its describe-cluster, describe-subnets and describe-nodegroup files with --add), or leave the file out`);
      continue;
    }
    const clusterIndex = inFleet.index;
    refusals.push(...contradictions(cluster, inFleet, clusterIndex, fleetFile));
    const before: Record<ImportedField, ImportedValue | undefined> = {
      ...(isCluster(inFleet) ? { server: inFleet.server, caData: inFleet.caData, vpcId: inFleet.vpcId, subnets: inFleet.subnets } : { server: undefined, caData: undefined, vpcId: undefined, subnets: undefined }),
      endpointAccess: inFleet.endpointAccess && { public: inFleet.endpointAccess.public, ...(inFleet.endpointAccess.publicCidrs ? { publicCidrs: inFleet.endpointAccess.publicCidrs } : {}) },
    };
    const earlier = first.get(cluster.name);
    // A field only one of the files says (endpointAccess: describe-cluster's, not terraform's) is taken from that one.
    const fields = importedFields.filter((field) => importedValue(cluster, field, inFleet) !== undefined && (!earlier || importedValue(earlier, field, inFleet) === undefined));
    if (earlier) {
      const differing = importedFields.filter((field) => {
        const [a, b] = [importedValue(earlier, field, inFleet), importedValue(cluster, field, inFleet)];
        return a !== undefined && b !== undefined && !sameValue(field, a, b);
      });
      if (differing.length) {
        refusals.push(`${named(earlier.source)} and ${named(cluster.source)} give cluster ${shown(cluster.name)} a different ${differing.join(', ')}: import the files of one moment`);
        continue;
      }
    } else {
      first.set(cluster.name, cluster);
    }
    for (const field of fields) {
      const after = importedValue(cluster, field, inFleet)!;
      if (!sameValue(field, before[field], after)) {
        changes.push({ clusterIndex, cluster: cluster.name, field, before: before[field], after });
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

/**
 * The lines of a field; for a field the map lacks, the empty span after its last field, where it
 * is added: after the comments that follow that field indented deeper than the map's keys (they
 * belong to its value, as a comment after a cluster's last node group does).
 */
function fieldSpan(map: YAMLMap, field: string, lines: LineCounter, textLines: readonly string[]): LineSpan {
  const line = (offset: number) => lines.linePos(offset).line - 1;
  const pair = pairOf(map, field);
  if (pair) {
    const { col } = lines.linePos((pair.key as Node).range![0]);
    return { start: line((pair.key as Node).range![0]), end: line(pairEnd(pair) - 1) + 1, column: col };
  }
  const column = lines.linePos((map.items[0].key as Node).range![0]).col;
  let after = line(pairEnd(map.items[map.items.length - 1]) - 1) + 1;
  while (after < textLines.length && /^\s*#/.test(textLines[after]) && /^ */.exec(textLines[after])![0].length > column - 1) after++;
  return { start: after, end: after, column };
}

/** The nodes an alias (*name) of the document stands for, with the line of the first alias of each (1-based). */
function aliasedNodes(document: Document, lines: LineCounter): Map<unknown, number> {
  const aliased = new Map<unknown, number>();
  visit(document, {
    Alias: (_, alias) => {
      const node = alias.resolve(document);
      if (node && !aliased.has(node)) aliased.set(node, lines.linePos(alias.range?.[0] ?? 0).line);
    },
  });
  return aliased;
}

/**
 * Why a field cannot be written without changing another cluster: its value (or an item of it)
 * is an anchor (&name) that an alias (*name) elsewhere stands for, so setting it would set that
 * other place too. Undefined when it can be.
 */
function anchoredValue(map: YAMLMap, change: FieldChange, aliased: ReadonlyMap<unknown, number>, fleetFile: string): string | undefined {
  const node = map.get(change.field, true);
  const nodes: unknown[] = [node, ...(isSeq(node) ? node.items : [])];
  const anchored = nodes.find((candidate) => aliased.has(candidate));
  if (anchored === undefined) return undefined;
  const anchor = (anchored as { anchor?: string }).anchor ?? '';
  const path = formatFieldPath(['clusters', change.clusterIndex, change.field]);
  return `${fleetFile}: ${path} holds the anchor &${anchor}, which the alias *${anchor} on line ${aliased.get(anchored)} stands for: `
    + `writing the new value there would change that place too, and an import changes only the cluster it names; write the value out in place of *${anchor} (or set ${path} by hand), then import again`;
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
 * The rendered lines of a field with the comment its key line had on disk put back on that line:
 * the document model moves a comment after `subnets:` to a line of its own before the items.
 */
function keepKeyLineComment(rendered: string[], onDisk: string | undefined): string[] {
  const comment = onDisk === undefined ? undefined : /^(\s*[^\s#][^#]*:)([ \t]+#.*)$/.exec(onDisk.replace(/\r$/, ''));
  if (!comment || rendered.length < 2 || rendered[0].trimEnd() !== comment[1] || rendered[1].trim() !== comment[2].trim()) return rendered;
  return [`${rendered[0].trimEnd()}${comment[2]}`, ...rendered.slice(2)];
}

/** The first path at which two values read from YAML differ, if any. */
function firstDifference(a: unknown, b: unknown, path: PathSegment[] = []): PathSegment[] | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let index = 0; index < a.length; index++) {
      const found = firstDifference(a[index], b[index], [...path, index]);
      if (found) return found;
    }
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], [...path, key]);
      if (found) return found;
    }
  }
  return path;
}

/** fleet.yaml after an edit, and where each of its lines is on disk. */
export interface EditedFleetText {
  readonly text: string;
  /**
   * The line on disk (1-based) that a line of the edited text (1-based) stands for: itself where
   * it was copied, the field's line on disk where it was rewritten, and for an added field the
   * last line of its cluster before it.
   */
  readonly lineOnDisk: (line: number) => number;
}

/**
 * fleet.yaml with the changes, every other line byte for byte as it was. The `yaml` document
 * model makes the edit and renders it, but it also rewrites what it does not edit in a style of
 * its own (`[a]` as `[ a ]`, spacing, indentation, comments); so only the lines of the changed
 * fields are taken from its rendering, and the rest are copied from the file. The edited text
 * must then read as the file did with exactly the changed fields changed: no other value, of
 * this cluster or another, may change (an anchored value an alias elsewhere stands for is
 * refused, with the reason). Refuses a layout where that cannot be done (several edited fields
 * on one line).
 */
export function editFleetText(text: string, fleetFile: string, changes: readonly FieldChange[]): EditedFleetText {
  const cannotEdit = () => new ImportRefusedError([
    `${fleetFile}: ${changes.map((change) => formatFieldPath(['clusters', change.clusterIndex, change.field])).join(', ')} cannot be edited without rewriting lines around them: write these fields one per line in block style, or set them by hand`,
  ]);
  const oldText = text.split('\n');
  const originalLines = new LineCounter();
  const document = parseDocument(text, { lineCounter: originalLines });
  const expected = document.toJS({ maxAliasCount: -1 }) as { clusters: Record<string, unknown>[] };
  const maps = changes.map((change) => clusterMap(document, change.clusterIndex));
  if (!maps.every((map): map is YAMLMap => map !== undefined && map.items.length > 0)) throw cannotEdit();
  const aliased = aliasedNodes(document, originalLines);
  const anchored = changes.flatMap((change, index) => anchoredValue(maps[index], change, aliased, fleetFile) ?? []);
  if (anchored.length) throw new ImportRefusedError(anchored);
  // Taken before the edit, which leaves new nodes without a place in the text.
  const spansBefore = changes.map((change, index) => fieldSpan(maps[index], change.field, originalLines, oldText));
  changes.forEach((change, index) => {
    setField(document, maps[index], change);
    expected.clusters[change.clusterIndex][change.field] = change.after;
  });
  const rendered = document.toString(renderOptions);

  const renderedLines = new LineCounter();
  const renderedDocument = parseDocument(rendered, { lineCounter: renderedLines });
  const newText = rendered.split('\n');
  const spans = changes.map((change, index) => ({
    before: spansBefore[index],
    after: fieldSpan(clusterMap(renderedDocument, change.clusterIndex)!, change.field, renderedLines, newText),
  })).sort((a, b) => a.after.start - b.after.start);

  // The model renders "\n" line ends; a file written with "\r\n" keeps them on the new lines too.
  const lineEnd = text.includes('\r\n') ? '\r' : '';
  const lines: string[] = [];
  const onDisk: number[] = [];
  let copied = 0;
  const copy = (end: number) => {
    for (let index = copied; index < end; index++) onDisk.push(index);
    lines.push(...oldText.slice(copied, end));
  };
  for (const { before, after } of spans) {
    const shifted = shiftLines(newText.slice(after.start, after.end), before.column - after.column);
    if (before.start < copied || !shifted) throw cannotEdit();
    const replacement = keepKeyLineComment(shifted, before.end > before.start ? oldText[before.start] : undefined).map((line) => line + lineEnd);
    copy(before.start);
    replacement.forEach((_, index) => onDisk.push(before.end > before.start ? Math.min(before.start + index, before.end - 1) : Math.max(before.start - 1, 0)));
    lines.push(...replacement);
    copied = before.end;
  }
  copy(oldText.length);
  const edited = lines.join('\n');
  // The spliced text must say what the file said with exactly the changed fields changed.
  const reread = parseDocument(edited);
  if (reread.errors.length) throw cannotEdit();
  const difference = firstDifference(expected, reread.toJS({ maxAliasCount: -1 }));
  if (difference) {
    const changed = formatFieldPath(difference);
    const named = changes.some((change) => changed.startsWith(formatFieldPath(['clusters', change.clusterIndex, change.field])));
    if (named) throw cannotEdit();
    throw new ImportRefusedError([`${fleetFile}: writing ${changes.map((change) => formatFieldPath(['clusters', change.clusterIndex, change.field])).join(', ')} would also change ${changed} (an alias of a value, or a layout the edit cannot keep): an import changes only the fields it names; set them by hand`]);
  }
  return { text: edited, lineOnDisk: (line) => (onDisk[line - 1] ?? line - 1) + 1 };
}

/** A string as fleet.yaml writes it: plain when YAML reads it back as that string, else in double quotes (JSON's escapes are YAML's). */
function yamlString(value: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._:/+=-]*$/.test(value) && parse(value) === value ? value : JSON.stringify(value);
}

/**
 * The clusters the files describe that fleet.yaml lacks, to be added: each from a describe-cluster
 * (not terraform output: a cluster the project creates is in fleet.yaml first), with its node
 * groups from describe-nodegroup files (fleet.yaml needs at least one). Refuses one without.
 */
function planAdditions(clusters: readonly ClusterSpec[], facts: ImportFacts): AddedCluster[] {
  const names = new Set(clusters.map((cluster) => cluster.name));
  const added: AddedCluster[] = [];
  const refusals: string[] = [];
  for (const cluster of facts.clusters) {
    if (names.has(cluster.name) || !facts.described.has(cluster.name) || added.some((earlier) => earlier.facts.name === cluster.name)) continue;
    const nodeGroups = facts.nodeGroups.filter((group) => group.cluster === cluster.name);
    if (!nodeGroups.length) {
      refusals.push(`${named(cluster.source)}: cluster ${shown(cluster.name)} is not in fleet.yaml, and no describe-nodegroup file given is of it: fleet.yaml needs its node groups; add the output of \`aws eks describe-nodegroup --cluster-name ${shown(cluster.name)} --nodegroup-name <name> --output json\` for each (aws eks list-nodegroups names them)`);
      continue;
    }
    added.push({ facts: cluster, nodeGroups });
  }
  if (refusals.length) throw new ImportRefusedError(refusals);
  return added;
}

/**
 * fleet.yaml with `added` clusters appended to its block list of clusters, after the last line of
 * its last cluster, in the indentation the list has; every other line as it was.
 */
function appendClusters(text: string, fleetFile: string, added: readonly AddedCluster[]): string {
  if (!added.length) return text;
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  const clusters = document.get('clusters', true);
  const last = isSeq(clusters) ? clusters.items[clusters.items.length - 1] : undefined;
  // An empty flow list (clusters: [], a fleet that starts afresh) becomes a block list under its key.
  const empty = isSeq(clusters) && clusters.flow && !clusters.items.length && clusters.range ? clusters.range : undefined;
  if (!empty && (!isSeq(clusters) || clusters.flow || !isMap(last) || !last.items.length)) {
    throw new ImportRefusedError([`${fleetFile}: clusters is not a block list of mappings, which an import adds clusters to: write it one "- name: ..." entry after another, or add the clusters by hand`]);
  }
  const clustersKey = (document.contents as YAMLMap).items.find((pair) => isScalar(pair.key) && pair.key.value === 'clusters')!.key as Node;
  const keyColumn = empty ? lines.linePos(clustersKey.range![0]).col - 1 + 4 : lines.linePos(((last as YAMLMap).items[0].key as Node).range![0]).col - 1;
  const indent = ' '.repeat(keyColumn);
  const dash = `${' '.repeat(Math.max(0, keyColumn - 2))}- `;
  const lineEnd = text.includes('\r\n') ? '\r' : '';
  // (the empty list's "[]" taken out of its line, which keeps its key and any comment)
  const unlisted = empty ? text.slice(0, empty[0]).replace(/[ \t]+$/, '') + text.slice(empty[1]) : text;
  const oldLines = unlisted.split('\n');
  const after = empty ? lines.linePos(empty[0]).line : lines.linePos(pairEnd((last as YAMLMap).items[(last as YAMLMap).items.length - 1]) - 1).line;
  const entries = added.flatMap(({ facts, nodeGroups }) => [
    `${dash}name: ${yamlString(facts.name)}`,
    `${indent}ipFamily: ${facts.ipFamily}`,
    `${indent}kubernetesVersion: ${JSON.stringify(facts.kubernetesVersion ?? '')}`,
    `${indent}server: ${yamlString(facts.server)}`,
    `${indent}region: ${yamlString(facts.region)}`,
    `${indent}accountId: ${JSON.stringify(facts.accountId)}`,
    `${indent}vpcId: ${yamlString(facts.vpcId)}`,
    `${indent}subnets:`,
    ...facts.subnets.map((subnet) => `${indent}  - ${yamlString(subnet)}`),
    ...(facts.endpointAccess ? [
      `${indent}endpointAccess:`,
      `${indent}  public: ${facts.endpointAccess.public}`,
      ...(facts.endpointAccess.publicCidrs ? [`${indent}  publicCidrs:`, ...facts.endpointAccess.publicCidrs.map((cidr) => `${indent}    - ${yamlString(cidr)}`)] : []),
    ] : []),
    `${indent}nodeGroups:`,
    ...nodeGroups.map((group) => `${indent}  - { name: ${yamlString(group.name)}, instanceType: ${yamlString(group.instanceType)}, minSize: ${group.minSize}, maxSize: ${group.maxSize} }`),
    `${indent}caData: ${yamlString(facts.caData)}`,
  ].map((line) => line + lineEnd));
  const appended = [...oldLines.slice(0, after), ...entries, ...oldLines.slice(after)].join('\n');
  // The appended entries must read back as exactly what was written, and nothing else may change.
  const expected = document.toJS({ maxAliasCount: -1 }) as { clusters: unknown[] };
  expected.clusters.push(...added.map(({ facts, nodeGroups }) => ({
    name: facts.name, ipFamily: facts.ipFamily, kubernetesVersion: facts.kubernetesVersion ?? '', server: facts.server, region: facts.region,
    accountId: facts.accountId, vpcId: facts.vpcId, subnets: [...facts.subnets], ...(facts.endpointAccess ? { endpointAccess: facts.endpointAccess } : {}),
    nodeGroups: nodeGroups.map((group) => ({ name: group.name, instanceType: group.instanceType, minSize: group.minSize, maxSize: group.maxSize })), caData: facts.caData,
  })));
  const reread = parseDocument(appended);
  // (compared as JSON, in the order written: a value parsed in another realm, as a test runner's, has other prototypes)
  if (reread.errors.length || JSON.stringify(expected) !== JSON.stringify(reread.toJS({ maxAliasCount: -1 }))) {
    throw new ImportRefusedError([`${fleetFile}: the clusters to add cannot be appended to clusters as it is written: add them by hand`]);
  }
  return appended;
}

/** Whether fleet.yaml is YAML whose clusters are an empty list (`clusters: []`). */
function hasNoClusters(text: string): boolean {
  const document = parseDocument(text);
  const clusters = document.errors.length ? undefined : document.get('clusters', true);
  return isSeq(clusters) && clusters.items.length === 0;
}

/** How an import may change fleet.yaml beyond the fields of the clusters it has. */
export interface ImportOptions {
  /** Whether clusters fleet.yaml lacks are added from their describe-cluster, describe-subnets and describe-nodegroup files, rather than refused. */
  readonly add?: boolean;
}

/**
 * Reads the input files, checks them against fleet.yaml and returns fleet.yaml with their
 * clusters' server, caData, vpcId and subnets (and, with `add`, the clusters it lacks appended).
 * Throws FleetConfigError for an invalid fleet.yaml, ImportInputError for an input it cannot
 * read, ImportRefusedError for a contradiction or for values that would make fleet.yaml invalid
 * (located at the lines on disk).
 */
export function importClusters(fleetText: string, fleetFile: string, inputs: readonly ImportInput[], options: ImportOptions = {}): ImportResult {
  // A fleet.yaml that starts afresh (clusters: []) is not valid until --add has added some: it is validated after.
  const startsAfresh = options.add === true && hasNoClusters(fleetText);
  const clusters = startsAfresh ? [] : allClusters(parseFleet(fleetText, fleetFile));
  const facts = readImportFacts(inputs);
  const added = options.add ? planAdditions(clusters, facts) : [];
  const changes = planImport(clusters, fleetFile, facts.clusters, new Set(added.map((cluster) => cluster.facts.name)));
  if (startsAfresh && !added.length) parseFleet(fleetText, fleetFile);
  if (!changes.length && !added.length) return { changes, added, text: fleetText };
  const { text: edited, lineOnDisk } = changes.length ? editFleetText(fleetText, fleetFile, changes) : { text: fleetText, lineOnDisk: (line: number) => line };
  const text = appendClusters(edited, fleetFile, added);
  try {
    parseFleet(text, fleetFile);
  } catch (error) {
    if (!(error instanceof FleetConfigError)) throw error;
    // Located in the edited text, which is not on disk: each problem at the line on disk it stands for.
    const onDisk = new FleetConfigError(error.problems.map((problem) => ({ ...problem, line: lineOnDisk(problem.line) })));
    throw new ImportRefusedError([`the imported values would make ${fleetFile} invalid:\n${onDisk.message}`]);
  }
  return { changes, added, text };
}

/** One line of the report of an added cluster: what it is and where it runs. */
export function formatAddition({ facts, nodeGroups }: AddedCluster): string {
  return printable(`clusters: added ${facts.name}: ${facts.ipFamily === 'ipv6' ? 'IPv6' : 'IPv4'}, Kubernetes ${facts.kubernetesVersion}, ${facts.region}, account ${facts.accountId}, `
    + `${facts.vpcId}, ${facts.subnets.length} subnet${facts.subnets.length === 1 ? '' : 's'}, node groups ${nodeGroups.map((group) => `${group.name} (${group.instanceType}, ${group.minSize}-${group.maxSize})`).join(', ')}`);
}

/** Longer values are cut: a line of the report stays readable. */
const shownWidth = 80;

/** A value as the report shows it: a list in brackets, endpointAccess as fleet.yaml's flow style writes it. */
function valueText(value: ImportedValue): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  const access = value as EndpointAccess;
  return `{ public: ${access.public}${access.publicCidrs ? `, publicCidrs: ${valueText(access.publicCidrs)}` : ''} }`;
}

function shownChange(field: ImportedField, value: ImportedValue): string {
  const text = valueText(value);
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
  const after = shownChange(change.field, change.after);
  return printable(change.before === undefined ? `${path}: ${after} (added)` : `${path}: ${shownChange(change.field, change.before)} -> ${after}`);
}
