/**
 * Capacity plan: whether what fleet.yaml places on each cluster fits its node groups and, on IPv4, its subnets.
 * Pure functions over the typed fleet; the instance data is data/ec2-instance-types.json
 * (scripts/refresh-instance-data.ts). README.md, "Capacity plan", explains the model.
 */
import { parseCidr, usableIpv4Addresses } from '../config/cidr';
import { Cluster, Fleet, NodeGroup } from '../config/fleet';
import { AddonKey, addonKeys, IpFamily } from '../config/fleet-schema';
import instanceTypesJson from '../data/ec2-instance-types.json';

export const vcpuSources = ['size-name', 'family-largest', 'unknown', 'ec2-api'] as const;
/** How an instance type's vCPUs were found: read from its size name, taken from its family's largest size, or from the EC2 API. */
export type VcpuSource = typeof vcpuSources[number];

/** What the plan needs to know about an EC2 instance type. */
export interface InstanceTypeData {
  readonly enis: number;
  readonly ipv4PerEni: number;
  /** null when vcpuSource is 'unknown'. */
  readonly vcpus: number | null;
  readonly vcpuSource: VcpuSource;
}

/** data/ec2-instance-types.json. */
export interface InstanceTypeDataFile {
  readonly generatedBy: string;
  /** The input files' names. */
  readonly sources: readonly string[];
  readonly instanceTypes: Readonly<Record<string, InstanceTypeData>>;
}

const instanceTypes = (instanceTypesJson as InstanceTypeDataFile).instanceTypes;

/**
 * DaemonSet pods on every node: aws-node (VPC CNI), kube-proxy and eks-pod-identity-agent. They use the node's own
 * address (hostNetwork), so they take no pod address, but they count against the kubelet's max pods.
 */
export const daemonSetPodsPerNode = 3;

/**
 * Pods each add-on runs, from its Helm chart's default replica counts (data/charts/<chart>.json; this project's
 * values keep them). Hook Jobs that finish (cert-manager's startupapicheck, Argo CD's redis-secret-init) are not counted.
 * Argo CD runs on fleet.argocd.cluster only.
 */
export const addonPods = {
  // controller, webhook, cainjector
  certManager: { chart: 'cert-manager', pods: 3 },
  awsLoadBalancerController: { chart: 'aws-load-balancer-controller', pods: 2 },
  clusterAutoscaler: { chart: 'cluster-autoscaler', pods: 1 },
  externalDns: { chart: 'external-dns', pods: 1 },
  // server, repo-server, application controller, applicationset controller, notifications, redis (redis-ha is off), dex
  argocd: { chart: 'argo-cd', pods: 7 },
} as const satisfies Record<AddonKey | 'argocd', { readonly chart: string; readonly pods: number }>;

/** With prefix delegation each IPv4 slot of an ENI counts as a prefix of 16 pods in the VPC CNI's max-pods formula. */
const podsPerPrefix = 16;
/** The max pods EKS recommends with prefix delegation: 110 below 30 vCPUs, 250 from 30. */
const smallNodeMaxPods = 110;
const largeNodeMaxPods = 250;
const largeNodeVcpus = 30;

/** An instance type that is not in data/ec2-instance-types.json. */
export class UnknownInstanceTypeError extends Error {
  readonly instanceType: string;
  /** Types of the same family, or of the same size in the closest families. */
  readonly suggestions: readonly string[];

  constructor(instanceType: string) {
    const suggestions = similarInstanceTypes(instanceType);
    const hint = suggestions.length ? ` Did you mean ${joinWords(suggestions, 'or')}?` : '';
    super(`instance type "${instanceType}" is not in data/ec2-instance-types.json.${hint} `
      + 'If it is newer than the data, refresh it: npx tsx scripts/refresh-instance-data.ts <aws ec2 describe-instance-types JSON>.');
    this.name = 'UnknownInstanceTypeError';
    this.instanceType = instanceType;
    this.suggestions = suggestions;
  }
}

/** A node group the plan cannot use; the message names the cluster, the node group and what to change. */
export class NodeGroupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NodeGroupError';
  }
}

function familyOf(instanceType: string): string {
  return instanceType.split('.')[0];
}

/** The same family's sizes, smallest first; else the same size in the families sharing the longest prefix. */
function similarInstanceTypes(instanceType: string): string[] {
  const [family, size] = instanceType.split('.');
  const names = Object.keys(instanceTypes);
  const sameFamily = names.filter((name) => familyOf(name) === family);
  if (sameFamily.length) {
    return sameFamily.sort((a, b) => (instanceTypes[a].vcpus ?? 0) - (instanceTypes[b].vcpus ?? 0) || (a < b ? -1 : 1));
  }
  const sharedPrefix = (name: string): number => {
    const other = familyOf(name);
    let length = 0;
    while (length < family.length && family[length] === other[length]) length++;
    return length;
  };
  const sameSize = names.filter((name) => name.split('.')[1] === size);
  const longest = Math.max(0, ...sameSize.map(sharedPrefix));
  return longest ? sameSize.filter((name) => sharedPrefix(name) === longest).sort().slice(0, 5) : [];
}

/** The instance data of a type; throws UnknownInstanceTypeError for a type the data does not have. */
export function instanceTypeData(instanceType: string): InstanceTypeData {
  if (!Object.hasOwn(instanceTypes, instanceType)) throw new UnknownInstanceTypeError(instanceType);
  return instanceTypes[instanceType];
}

function ipv6MaxPodsCap(vcpus: number | null): number {
  // Unknown vCPUs get the lower cap: planning with fewer pods per node errs on the safe side.
  return vcpus !== null && vcpus >= largeNodeVcpus ? largeNodeMaxPods : smallNodeMaxPods;
}

/**
 * The kubelet's max pods for a node: the override when fleet.yaml sets one, else the VPC CNI's formula for the
 * family: IPv4 (secondary IPs) enis x (ipv4PerEni - 1) + 2; IPv6 (prefix delegation) enis x (ipv4PerEni - 1) x 16 + 2,
 * capped at 110 below 30 vCPUs and 250 from 30. Throws UnknownInstanceTypeError for a type not in the data, even
 * with an override: a misspelt type fails at node-group creation anyway.
 */
export function maxPodsPerNode(instanceType: string, family: IpFamily, override?: number): number {
  const { enis, ipv4PerEni, vcpus } = instanceTypeData(instanceType);
  if (override !== undefined) return override;
  const slots = enis * (ipv4PerEni - 1);
  return family === 'ipv4' ? slots + 2 : Math.min(slots * podsPerPrefix + 2, ipv6MaxPodsCap(vcpus));
}

/** An app's pods on one cluster. */
export interface AppDemand {
  readonly app: string;
  /** The app's replicas: every cluster it is placed on runs all of them. */
  readonly pods: number;
  /** Every cluster the app is placed on, this one included. */
  readonly clusters: readonly string[];
}

/** An add-on's pods on one cluster. */
export interface AddonDemand {
  readonly addon: AddonKey | 'argocd';
  /** The Helm chart's name, which is how people know the add-on. */
  readonly chart: string;
  readonly pods: number;
}

/** What fleet.yaml places on a cluster. */
export interface ClusterDemand {
  readonly apps: readonly AppDemand[];
  readonly addons: readonly AddonDemand[];
}

/** A node group's pods per node and the nodes the plan gives it. */
export interface NodeGroupPlan {
  readonly name: string;
  readonly instanceType: string;
  readonly instance: InstanceTypeData;
  readonly maxPods: number;
  /** Whether maxPods is the node group's maxPods from fleet.yaml rather than the instance type's. */
  readonly maxPodsOverridden: boolean;
  /** The IPv6 cap for the instance type's vCPUs (110 or 250); null on IPv4 or with an override. */
  readonly ipv6Cap: number | null;
  /** maxPods minus the DaemonSet pods every node runs. */
  readonly usablePodsPerNode: number;
  readonly minSize: number;
  readonly maxSize: number;
  /** Nodes for the cluster's pods, at least minSize; above maxSize when the max is too small. */
  readonly nodesNeeded: number;
}

/** The IPv4 addresses of a cluster's subnets and what its pods and nodes take. */
export interface Ipv4AddressPlan {
  readonly subnets: readonly { readonly cidr: string; readonly usable: number }[];
  readonly usable: number;
  /** One address per pod and one per node; the VPC CNI's warm pool is not counted. */
  readonly used: number;
}

export const verdicts = ['fits', 'node-group max too small', 'out of IPv4 addresses'] as const;
export type Verdict = typeof verdicts[number];

/** An app the fix takes off an IPv4 cluster. */
export interface AppMove {
  readonly app: string;
  readonly pods: number;
  /** The IPv6 cluster to run it on; null when the fleet has none. */
  readonly to: string | null;
  /** Whether the app already runs on `to`, so the fix only takes the IPv4 cluster out of its clusters. */
  readonly alreadyThere: boolean;
}

/** The nearest change that makes a cluster fit; `text` says it in words. */
export type ClusterFix =
  | {
    readonly action: 'move-apps';
    readonly moves: readonly AppMove[];
    /** Addresses the add-ons and nodes alone still lack once every move is made (0 when the moves suffice). */
    readonly addressesStillMissing: number;
    readonly text: string;
  }
  | { readonly action: 'raise-max-size'; readonly nodeGroup: string; readonly maxSize: number; readonly text: string };

/** Whether a cluster's placements fit, with every number behind the verdict. */
export interface ClusterPlan {
  readonly cluster: string;
  readonly ipFamily: IpFamily;
  readonly apps: readonly AppDemand[];
  readonly addons: readonly AddonDemand[];
  readonly podsWanted: number;
  /** In the order they are filled: most usable pods per node first. */
  readonly nodeGroups: readonly NodeGroupPlan[];
  readonly nodesNeeded: number;
  /** The node groups' maxSize, summed. */
  readonly nodesMax: number;
  /** The pods the node groups hold at maxSize. */
  readonly podCapacity: number;
  /** null on IPv6: a /64 per subnet is never the limit. */
  readonly ipv4Addresses: Ipv4AddressPlan | null;
  readonly verdict: Verdict;
  /** null when the cluster fits. */
  readonly fix: ClusterFix | null;
}

/** The capacity plan of every cluster of the fleet, in fleet.yaml order. */
export interface FleetPlan {
  readonly daemonSetPodsPerNode: number;
  readonly clusters: readonly ClusterPlan[];
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function joinWords(words: readonly string[], conjunction = 'and'): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}

const count = (value: number): string => value.toLocaleString('en-US');

function podsOf(demand: ClusterDemand): number {
  return sum(demand.apps.map((app) => app.pods)) + sum(demand.addons.map((addon) => addon.pods));
}

/** The apps and add-ons fleet.yaml places on a cluster, apps in fleet.yaml order. */
export function clusterDemand(fleet: Fleet, cluster: Cluster): ClusterDemand {
  const apps = fleet.apps
    .filter((app) => app.placements.some((placement) => placement.cluster === cluster.name))
    .map((app) => ({ app: app.name, pods: app.replicas, clusters: app.placements.map((placement) => placement.cluster) }));
  const addons: AddonDemand[] = addonKeys.filter((key) => cluster.addons[key]).map((key) => ({ addon: key, ...addonPods[key] }));
  if (fleet.argocd.cluster === cluster.name) addons.push({ addon: 'argocd', ...addonPods.argocd });
  return { apps, addons };
}

function planNodeGroup(cluster: Cluster, group: NodeGroup): Omit<NodeGroupPlan, 'nodesNeeded'> {
  const where = `${cluster.name}: node group ${group.name}`;
  let maxPods: number;
  try {
    maxPods = maxPodsPerNode(group.instanceType, cluster.ipFamily, group.maxPods);
  } catch (error) {
    throw error instanceof UnknownInstanceTypeError ? new NodeGroupError(`${where}: ${error.message}`) : error;
  }
  if (maxPods <= daemonSetPodsPerNode) {
    throw new NodeGroupError(`${where}: maxPods ${maxPods} leaves no room beside the ${daemonSetPodsPerNode} DaemonSet pods every node runs: set maxPods above ${daemonSetPodsPerNode}`);
  }
  const instance = instanceTypeData(group.instanceType);
  const overridden = group.maxPods !== undefined;
  return {
    name: group.name,
    instanceType: group.instanceType,
    instance,
    maxPods,
    maxPodsOverridden: overridden,
    ipv6Cap: cluster.ipFamily === 'ipv6' && !overridden ? ipv6MaxPodsCap(instance.vcpus) : null,
    usablePodsPerNode: maxPods - daemonSetPodsPerNode,
    minSize: group.minSize,
    maxSize: group.maxSize,
  };
}

type NodeGroupSizes = Pick<NodeGroupPlan, 'usablePodsPerNode' | 'minSize' | 'maxSize'>;

/**
 * Nodes per group (groups in fill order) for `pods`: every group runs minSize nodes, then groups grow one after the
 * other up to maxSize; pods left over go to the first group, beyond its max.
 */
function fillNodeGroups(groups: readonly NodeGroupSizes[], pods: number): number[] {
  const nodes = groups.map((group) => group.minSize);
  let remaining = pods - sum(groups.map((group) => group.minSize * group.usablePodsPerNode));
  groups.forEach((group, index) => {
    if (remaining <= 0) return;
    const added = Math.min(group.maxSize - group.minSize, Math.ceil(remaining / group.usablePodsPerNode));
    nodes[index] += added;
    remaining -= added * group.usablePodsPerNode;
  });
  if (remaining > 0) nodes[0] += Math.ceil(remaining / groups[0].usablePodsPerNode);
  return nodes;
}

function subnetAddresses(cluster: Cluster): Ipv4AddressPlan['subnets'] {
  return cluster.subnets.map((cidr) => {
    const parsed = parseCidr(cidr);
    // fleet.yaml was validated, so this is a bug rather than an input error.
    if (typeof parsed !== 'object') throw new Error(`${cluster.name}: subnet "${cidr}" ${parsed}`);
    return { cidr, usable: usableIpv4Addresses(parsed) };
  });
}

function moveAppsText(cluster: string, moves: readonly AppMove[], addressesStillMissing: number): string {
  const phrases: string[] = [];
  const placed = moves.filter((move) => !move.alreadyThere);
  for (const to of new Set(placed.map((move) => move.to))) {
    const apps = joinWords(placed.filter((move) => move.to === to).map((move) => move.app));
    phrases.push(to === null ? `move ${apps} to an IPv6 cluster (the fleet has none yet: add one)` : `place ${apps} on ${to} instead of ${cluster}`);
  }
  for (const move of moves.filter((candidate) => candidate.alreadyThere)) {
    phrases.push(`take ${cluster} out of ${move.app}'s clusters (it runs on ${move.to} too)`);
  }
  if (addressesStillMissing > 0) {
    phrases.push(`add IPv4 subnets: the add-ons and nodes alone still lack ${count(addressesStillMissing)} addresses`);
  }
  return phrases.join('; ');
}

/**
 * Moves the apps with most replicas off an IPv4 cluster until what stays fits its addresses. `ipv6Clusters` lists
 * the fleet's IPv6 clusters, preferred first; an app already on one of them just leaves the IPv4 cluster.
 */
function moveAppsFix(
  cluster: string,
  demand: ClusterDemand,
  spareAddresses: (pods: number) => number,
  ipv6Clusters: readonly string[],
): ClusterFix {
  const byPods = demand.apps.filter((app) => app.pods > 0).sort((a, b) => b.pods - a.pods);
  let staying = podsOf(demand);
  const moves: AppMove[] = [];
  for (const app of byPods) {
    if (spareAddresses(staying) >= 0) break;
    staying -= app.pods;
    const current = ipv6Clusters.find((name) => app.clusters.includes(name));
    moves.push({ app: app.app, pods: app.pods, to: current ?? ipv6Clusters[0] ?? null, alreadyThere: current !== undefined });
  }
  const addressesStillMissing = Math.max(0, -spareAddresses(staying));
  return { action: 'move-apps', moves, addressesStillMissing, text: moveAppsText(cluster, moves, addressesStillMissing) };
}

/**
 * Plans one cluster for what fleet.yaml places on it. `ipv6Clusters` are where an IPv4 cluster's apps can go,
 * preferred first (planFleet puts the one with most spare pods first).
 */
export function planCluster(cluster: Cluster, demand: ClusterDemand, ipv6Clusters: readonly string[] = []): ClusterPlan {
  const groups = cluster.nodeGroups.map((group) => planNodeGroup(cluster, group)).sort((a, b) => b.usablePodsPerNode - a.usablePodsPerNode);
  const podsWanted = podsOf(demand);
  const nodes = fillNodeGroups(groups, podsWanted);
  const nodeGroups = groups.map((group, index) => ({ ...group, nodesNeeded: nodes[index] }));
  const nodesNeeded = sum(nodes);
  const nodesMax = sum(groups.map((group) => group.maxSize));
  const podCapacity = sum(groups.map((group) => group.maxSize * group.usablePodsPerNode));

  let ipv4Addresses: Ipv4AddressPlan | null = null;
  let fix: ClusterFix | null = null;
  if (cluster.ipFamily === 'ipv4') {
    const subnets = subnetAddresses(cluster);
    const usable = sum(subnets.map((subnet) => subnet.usable));
    ipv4Addresses = { subnets, usable, used: podsWanted + nodesNeeded };
    // Spare addresses once `pods` pods and their nodes have theirs; negative when they do not fit.
    const spareAddresses = (pods: number): number => usable - pods - sum(fillNodeGroups(groups, pods));
    if (ipv4Addresses.used > usable) fix = moveAppsFix(cluster.name, demand, spareAddresses, ipv6Clusters);
  }
  if (!fix && nodesNeeded > nodesMax) {
    const [first] = nodeGroups;
    fix = { action: 'raise-max-size', nodeGroup: first.name, maxSize: first.nodesNeeded, text: `raise maxSize of ${first.name} to ${first.nodesNeeded}` };
  }
  const verdict: Verdict = fix?.action === 'move-apps' ? 'out of IPv4 addresses' : fix ? 'node-group max too small' : 'fits';
  return {
    cluster: cluster.name,
    ipFamily: cluster.ipFamily,
    apps: demand.apps,
    addons: demand.addons,
    podsWanted,
    nodeGroups,
    nodesNeeded,
    nodesMax,
    podCapacity,
    ipv4Addresses,
    verdict,
    fix,
  };
}

/** Plans every cluster; throws NodeGroupError for an unknown instance type or a maxPods that leaves no room. */
export function planFleet(fleet: Fleet): FleetPlan {
  const plan = (cluster: Cluster, ipv6Clusters?: readonly string[]) => planCluster(cluster, clusterDemand(fleet, cluster), ipv6Clusters);
  const ipv6Plans = new Map(fleet.clusters.filter((cluster) => cluster.ipFamily === 'ipv6').map((cluster) => [cluster.name, plan(cluster)]));
  // Apps leaving an IPv4 cluster go where most pods are spare.
  const ipv6Clusters = [...ipv6Plans.values()]
    .sort((a, b) => (b.podCapacity - b.podsWanted) - (a.podCapacity - a.podsWanted))
    .map((ipv6Plan) => ipv6Plan.cluster);
  return {
    daemonSetPodsPerNode,
    clusters: fleet.clusters.map((cluster) => ipv6Plans.get(cluster.name) ?? plan(cluster, ipv6Clusters)),
  };
}

/** What makes up a cluster's pods, biggest app first: "app2: 10,000, app0: 5, add-ons: 7". */
function demandText(cluster: ClusterPlan): string {
  const apps = cluster.apps.filter((app) => app.pods > 0).sort((a, b) => b.pods - a.pods);
  const addons = sum(cluster.addons.map((addon) => addon.pods));
  return [...apps.map((app) => `${app.app}: ${count(app.pods)}`), ...(addons ? [`add-ons: ${count(addons)}`] : [])].join(', ');
}

const vcpuSourceText: Record<Exclude<VcpuSource, 'unknown'>, string> = {
  'size-name': 'by the size name',
  'family-largest': "as the family's largest size",
  'ec2-api': 'from the EC2 API',
};

function maxPodsText(group: NodeGroupPlan, ipFamily: IpFamily): string {
  const { enis, ipv4PerEni, vcpus, vcpuSource } = group.instance;
  if (group.maxPodsOverridden) return `${group.maxPods} (maxPods in fleet.yaml)`;
  if (ipFamily === 'ipv4') return `${group.maxPods} (${enis} ENIs x (${ipv4PerEni} - 1) + 2)`;
  const formula = `${enis} ENIs x (${ipv4PerEni} - 1) x ${podsPerPrefix} + 2`;
  if (group.maxPods !== group.ipv6Cap) return `${group.maxPods} (${formula})`;
  const vcpuText = vcpuSource === 'unknown' ? 'vCPUs unknown' : `${vcpus} vCPUs ${vcpuSourceText[vcpuSource]}`;
  return `${group.maxPods} (${formula}, capped at ${group.ipv6Cap}: ${vcpuText})`;
}

/** A text table per cluster: addresses, pods, pods per node, nodes, verdict and fix. */
export function formatPlanTable(plan: FleetPlan): string {
  return plan.clusters.map((cluster) => {
    const addresses = cluster.ipv4Addresses;
    const addons = sum(cluster.addons.map((addon) => addon.pods));
    const podParts = [
      ...cluster.apps.map((app) => `${app.app} ${count(app.pods)}`),
      ...(addons ? [`add-ons ${addons} (${cluster.addons.map((addon) => `${addon.chart} ${addon.pods}`).join(', ')})`] : []),
    ];
    const several = cluster.nodeGroups.length > 1;
    const rows: [string, string][] = [
      ['addresses', addresses
        ? `${count(addresses.used)} used (${count(cluster.podsWanted)} pods + ${count(cluster.nodesNeeded)} nodes) of ${count(addresses.usable)} usable in ${addresses.subnets.length} subnet${addresses.subnets.length === 1 ? '' : 's'}`
        : 'n/a (IPv6 /64)'],
      ['pods wanted', `${count(cluster.podsWanted)}${podParts.length ? ` = ${podParts.join(' + ')}` : ''}`],
      ...cluster.nodeGroups.map((group, index): [string, string] => [
        index === 0 ? 'pods per node' : '',
        `${group.name} (${group.instanceType}): ${maxPodsText(group, cluster.ipFamily)} - ${plan.daemonSetPodsPerNode} DaemonSet = ${group.usablePodsPerNode}`,
      ]),
      ['nodes needed', `${count(cluster.nodesNeeded)} of node-group max ${count(cluster.nodesMax)}${several
        ? `, filling the most pods per node first: ${cluster.nodeGroups.map((group) => `${group.name} ${count(group.nodesNeeded)} (min ${group.minSize}, max ${group.maxSize})`).join(', ')}`
        : ` (min ${cluster.nodeGroups[0].minSize})`}`],
      ['verdict', cluster.verdict],
      ['fix', cluster.fix?.text ?? '-'],
    ];
    const width = Math.max(...rows.map(([label]) => label.length)) + 2;
    return [`${cluster.cluster} (${cluster.ipFamily === 'ipv6' ? 'IPv6' : 'IPv4'})`, ...rows.map(([label, value]) => `  ${label.padEnd(width)}${value}`)].join('\n');
  }).join('\n\n') + '\n';
}

function nodeGroupsText(cluster: ClusterPlan): string {
  const groups = cluster.nodeGroups;
  const names = groups.length === 1 ? `node group ${groups[0].name} stops` : `node groups ${joinWords(groups.map((group) => group.name))} stop`;
  const sizes = joinWords(groups.map((group) => `${count(group.maxSize)} ${group.instanceType} nodes of ${group.usablePodsPerNode} pods`));
  return `${names} at ${sizes} (max pods - ${daemonSetPodsPerNode} DaemonSet pods), ${count(cluster.podCapacity)} pods in all`;
}

/**
 * Sentences for the person editing fleet.yaml: an IPv4 cluster out of addresses is an error, a node-group max
 * too small is a warning, or an error with `nodeGroupMaxIsError`.
 */
export function planProblems(plan: FleetPlan, nodeGroupMaxIsError = false): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const cluster of plan.clusters) {
    const { ipv4Addresses: addresses, fix } = cluster;
    if (!fix) continue;
    if (cluster.verdict === 'out of IPv4 addresses' && addresses) {
      const subnets = addresses.subnets.length === 1 ? 'the subnet has' : `the ${addresses.subnets.length} subnets have`;
      errors.push(`${cluster.cluster}: out of IPv4 addresses: ${count(cluster.podsWanted)} pods (${demandText(cluster)}) + ${count(cluster.nodesNeeded)} nodes `
        + `need ${count(addresses.used)} addresses, ${subnets} ${count(addresses.usable)}. Fix: ${fix.text}.`);
    } else {
      (nodeGroupMaxIsError ? errors : warnings).push(`${cluster.cluster}: node-group max too small: ${count(cluster.podsWanted)} pods `
        + `(${demandText(cluster)}) need ${count(cluster.nodesNeeded)} nodes, but ${nodeGroupsText(cluster)}. Fix: ${fix.text}.`);
    }
  }
  return { errors, warnings };
}
