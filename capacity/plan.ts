/**
 * Capacity plan: whether what fleet.yaml places on each cluster fits its node groups and, on IPv4, its subnets.
 * Pure functions over the typed fleet; the instance data is config/instance-types.ts. README.md, "Capacity plan",
 * explains the model.
 */
import { AddonKey, addonCatalog, addonKeys, argocdChart } from '../catalog/addons';
import { parseCidr, usableIpv4Addresses } from '../config/cidr';
import { Cluster, Fleet, NodeGroup } from '../config/fleet';
import { InstanceTypeData, instanceTypeData } from '../config/instance-types';
import { count, joinWords } from '../config/messages';
import { IpFamily } from '../config/schema';
import { argocdPods } from '../values/argo-cd';

/**
 * DaemonSet pods on every node: aws-node (VPC CNI), kube-proxy and eks-pod-identity-agent. They use the node's own
 * address (hostNetwork), so they take no pod address, but they count against the kubelet's max pods.
 */
export const daemonSetPodsPerNode = 3;

/** With prefix delegation each IPv4 slot of an ENI counts as a prefix of 16 pods in the VPC CNI's max-pods formula. */
export const podsPerPrefix = 16;
/** The max pods EKS recommends with prefix delegation: 110 below 30 vCPUs, 250 from 30. */
export const smallNodeMaxPods = 110;
export const largeNodeMaxPods = 250;
const largeNodeVcpus = 30;

export function ipv6MaxPodsCap(vcpus: number | null): number {
  // Unknown vCPUs get the lower cap: planning with fewer pods per node errs on the safe side.
  return vcpus !== null && vcpus >= largeNodeVcpus ? largeNodeMaxPods : smallNodeMaxPods;
}

/**
 * The kubelet's max pods for a node: the override when fleet.yaml sets one, else the VPC CNI's formula for the
 * family: IPv4 (secondary IPs) enis x (ipv4PerEni - 1) + 2; IPv6 (prefix delegation) enis x (ipv4PerEni - 1) x 16 + 2,
 * capped at 110 below 30 vCPUs and 250 from 30. Throws UnknownInstanceTypeError for a type not in the data, even
 * with an override: fleet.yaml's validation rejects such a type first.
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

export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}


function podsOf(demand: ClusterDemand): number {
  return sum(demand.apps.map((app) => app.pods)) + sum(demand.addons.map((addon) => addon.pods));
}

/** The apps and add-ons fleet.yaml places on a cluster, apps in fleet.yaml order. */
export function clusterDemand(fleet: Fleet, cluster: Cluster): ClusterDemand {
  const apps = fleet.apps
    .filter((app) => app.placements.some((placement) => placement.cluster === cluster.name))
    .map((app) => ({ app: app.name, pods: app.replicas, clusters: app.placements.map((placement) => placement.cluster) }));
  const addons: AddonDemand[] = addonKeys.filter((key) => cluster.addons[key])
    .map((key) => ({ addon: key, chart: addonCatalog[key].chart, pods: addonCatalog[key].pods }));
  if (fleet.argocd.cluster === cluster.name) addons.push({ addon: 'argocd', chart: argocdChart.chart, pods: argocdPods(fleet) });
  return { apps, addons };
}

/** The pods per node of a node group; fleet.yaml's validation has checked its instance type and maxPods. */
function planNodeGroup(cluster: Cluster, group: NodeGroup): Omit<NodeGroupPlan, 'nodesNeeded'> {
  const maxPods = maxPodsPerNode(group.instanceType, cluster.ipFamily, group.maxPods);
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

/** Plans every cluster of a valid fleet. */
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
