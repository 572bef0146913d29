/**
 * Capacity plan: whether what fleet.yaml places on each cluster fits its node groups, its IPv4 addresses (pods,
 * nodes and load balancers on IPv4 clusters; nodes and load balancers on IPv6 ones, which are dual-stack) and its
 * account's load balancer quotas. Pure functions over the typed fleet; the instance data is config/instance-types.ts.
 * README.md, "Capacity plan", explains the model.
 */
import { AddonKey, addonCatalog, addonKeys, argocdChart } from '../catalog/addons';
import { parseCidr, usableIpv4Addresses } from '../config/cidr';
import { appsOn, Cluster, Fleet, LoadBalancerQuotas, NodeGroup } from '../config/fleet';
import { formatFieldPath } from '../output/field-path';
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

/**
 * The IPv4 addresses of a cluster's subnets and what takes them: every pod on an IPv4 cluster (none on an IPv6
 * one), every node (IPv6 nodes are dual-stack), and every load balancer once in each subnet's zone. The VPC
 * CNI's warm pool is not counted.
 */
export interface Ipv4AddressPlan {
  readonly subnets: readonly { readonly cidr: string; readonly usable: number }[];
  readonly usable: number;
  readonly pods: number;
  readonly nodes: number;
  readonly loadBalancers: number;
  readonly used: number;
}

/** A cluster's load balancers: an ALB of its own for every app placed there, every pod of the app one IP target. */
export interface LoadBalancerPlan {
  readonly loadBalancers: number;
  readonly quotas: LoadBalancerQuotas;
  /** Targets of the busiest ALB (and its one target group): the largest app's pods; 0 without apps. */
  readonly mostTargets: number;
  /** Apps with more pods than one ALB or target group may hold, largest first. */
  readonly overTargetQuota: readonly AppDemand[];
}

/** The ALBs of one account and region, which share its "Application Load Balancers per Region" quota. */
export interface RegionPlan {
  readonly accountId: string;
  readonly region: string;
  readonly clusters: readonly string[];
  readonly loadBalancers: number;
  readonly quota: number;
  /** Where fleet.yaml declares the quota: the first of the clusters. */
  readonly quotaPath: string;
}

export const verdicts = ['fits', 'load balancer quota exceeded', 'node-group max too small', 'out of IPv4 addresses'] as const;
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
  | { readonly action: 'add-ipv4-addresses'; readonly missing: number; readonly text: string }
  | { readonly action: 'raise-max-size'; readonly nodeGroup: string; readonly maxSize: number; readonly text: string }
  | { readonly action: 'raise-target-quotas'; readonly targets: number; readonly text: string };

/** Whether a cluster's placements fit, with every number behind the verdict. */
export interface ClusterPlan {
  readonly cluster: string;
  /** Where the cluster is in fleet.yaml, e.g. `clusters[1]`. */
  readonly path: string;
  readonly accountId: string;
  readonly region: string;
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
  /** null on an IPv6 cluster whose IPv4 blocks fleet.yaml does not give (ipv4Subnets); its /64s are never the limit. */
  readonly ipv4Addresses: Ipv4AddressPlan | null;
  readonly loadBalancers: LoadBalancerPlan;
  /** The most severe finding. */
  readonly verdict: Verdict;
  /** The nearest change that makes the addresses or node groups fit; null when they do. */
  readonly fix: ClusterFix | null;
  /** The quotas to request for the targets; null when they fit. */
  readonly loadBalancerFix: ClusterFix | null;
}

/** The capacity plan of every cluster of the fleet, in fleet.yaml order, and of every account and region. */
export interface FleetPlan {
  readonly daemonSetPodsPerNode: number;
  readonly clusters: readonly ClusterPlan[];
  readonly regions: readonly RegionPlan[];
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}


function addonPodsOf(demand: ClusterDemand): number {
  return sum(demand.addons.map((addon) => addon.pods));
}

function podsOf(demand: ClusterDemand): number {
  return sum(demand.apps.map((app) => app.pods)) + addonPodsOf(demand);
}

/** The apps and add-ons fleet.yaml places on a cluster, apps in fleet.yaml order. */
export function clusterDemand(fleet: Fleet, cluster: Cluster): ClusterDemand {
  const apps = appsOn(fleet, cluster.name)
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

/** The IPv4 blocks of a cluster: its subnets on IPv4, the IPv4 blocks of its dual-stack subnets on IPv6 (if given). */
function subnetAddresses(cluster: Cluster): Ipv4AddressPlan['subnets'] | null {
  const blocks = cluster.ipFamily === 'ipv4' ? cluster.subnets : cluster.ipv4Subnets;
  return blocks === undefined ? null : blocks.map((cidr) => {
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
    phrases.push(`add IPv4 subnets: the add-ons, nodes and load balancers alone still lack ${count(addressesStillMissing)} addresses`);
  }
  return phrases.join('; ');
}

/**
 * Moves the apps with most replicas off an IPv4 cluster until what stays fits its addresses. `ipv6Clusters` lists
 * the fleet's IPv6 clusters, preferred first; an app already on one of them just leaves the IPv4 cluster.
 * `spareAddresses` gives the addresses left once `pods` pods and `apps` apps' load balancers stay.
 */
function moveAppsFix(
  cluster: string,
  demand: ClusterDemand,
  spareAddresses: (pods: number, apps: number) => number,
  ipv6Clusters: readonly string[],
): ClusterFix {
  const byPods = demand.apps.filter((app) => app.pods > 0).sort((a, b) => b.pods - a.pods);
  let staying = podsOf(demand);
  let stayingApps = demand.apps.length;
  const moves: AppMove[] = [];
  for (const app of byPods) {
    if (spareAddresses(staying, stayingApps) >= 0) break;
    staying -= app.pods;
    stayingApps--;
    const current = ipv6Clusters.find((name) => app.clusters.includes(name));
    moves.push({ app: app.app, pods: app.pods, to: current ?? ipv6Clusters[0] ?? null, alreadyThere: current !== undefined });
  }
  const addressesStillMissing = Math.max(0, -spareAddresses(staying, stayingApps));
  return { action: 'move-apps', moves, addressesStillMissing, text: moveAppsText(cluster, moves, addressesStillMissing) };
}

/** The load balancers of a cluster against its account's target quotas. */
function planLoadBalancers(cluster: Cluster, demand: ClusterDemand): LoadBalancerPlan {
  const quotas = cluster.loadBalancerQuotas;
  const targetLimit = Math.min(quotas.targetsPerLoadBalancer, quotas.targetsPerTargetGroup);
  return {
    loadBalancers: demand.apps.length,
    quotas,
    mostTargets: Math.max(0, ...demand.apps.map((app) => app.pods)),
    overTargetQuota: demand.apps.filter((app) => app.pods > targetLimit).sort((a, b) => b.pods - a.pods),
  };
}

/** The quotas to request, and where fleet.yaml declares them once granted. */
function targetQuotaFix(cluster: Cluster, path: string, targets: number): ClusterFix {
  const quotas = cluster.loadBalancerQuotas;
  const raise = [
    ...(quotas.targetsPerLoadBalancer < targets ? [['Targets per Application Load Balancer', 'targetsPerLoadBalancer']] : []),
    ...(quotas.targetsPerTargetGroup < targets ? [['Targets per Target Group per Region', 'targetsPerTargetGroup']] : []),
  ];
  const text = `request ${joinWords(raise.map(([quota]) => `"${quota}"`))} of ${count(targets)} for account ${cluster.accountId} in ${cluster.region} `
    + `(Service Quotas, Elastic Load Balancing), then declare ${raise.length === 1 ? 'it' : 'them'} in fleet.yaml: `
    + joinWords(raise.map(([, key]) => `${path}.loadBalancerQuotas.${key}: ${targets}`));
  return { action: 'raise-target-quotas', targets, text };
}

/**
 * Plans one cluster for what fleet.yaml places on it. `ipv6Clusters` are where an IPv4 cluster's apps can go,
 * preferred first (planFleet puts the one with most spare pods first). `path` is where the cluster is in fleet.yaml.
 */
export function planCluster(cluster: Cluster, demand: ClusterDemand, ipv6Clusters: readonly string[] = [], path = 'clusters'): ClusterPlan {
  const groups = cluster.nodeGroups.map((group) => planNodeGroup(cluster, group)).sort((a, b) => b.usablePodsPerNode - a.usablePodsPerNode);
  const podsWanted = podsOf(demand);
  const nodes = fillNodeGroups(groups, podsWanted);
  const nodeGroups = groups.map((group, index) => ({ ...group, nodesNeeded: nodes[index] }));
  const nodesNeeded = sum(nodes);
  const nodesMax = sum(groups.map((group) => group.maxSize));
  const podCapacity = sum(groups.map((group) => group.maxSize * group.usablePodsPerNode));

  let ipv4Addresses: Ipv4AddressPlan | null = null;
  let fix: ClusterFix | null = null;
  const subnets = subnetAddresses(cluster);
  const loadBalancers = planLoadBalancers(cluster, demand);
  if (subnets) {
    const usable = sum(subnets.map((subnet) => subnet.usable));
    // An ALB takes an address in each zone it spans: one per subnet of the cluster.
    const perLoadBalancer = subnets.length;
    const podAddresses = cluster.ipFamily === 'ipv4' ? podsWanted : 0;
    ipv4Addresses = {
      subnets,
      usable,
      pods: podAddresses,
      nodes: nodesNeeded,
      loadBalancers: loadBalancers.loadBalancers * perLoadBalancer,
      used: podAddresses + nodesNeeded + loadBalancers.loadBalancers * perLoadBalancer,
    };
    if (ipv4Addresses.used > usable && cluster.ipFamily === 'ipv4') {
      // Spare addresses once `pods` pods, their nodes and `apps` apps' ALBs have theirs; negative when they do not fit.
      const spareAddresses = (pods: number, apps: number): number => usable - pods - sum(fillNodeGroups(groups, pods)) - apps * perLoadBalancer;
      fix = moveAppsFix(cluster.name, demand, spareAddresses, ipv6Clusters);
    } else if (ipv4Addresses.used > usable) {
      const missing = ipv4Addresses.used - usable;
      fix = {
        action: 'add-ipv4-addresses',
        missing,
        text: `add IPv4 blocks of ${count(missing)} more addresses to ${path}.ipv4Subnets (larger subnets, or more of them), or use larger instance types so fewer nodes run the same pods`,
      };
    }
  }
  if (!fix && nodesNeeded > nodesMax) {
    const [first] = nodeGroups;
    fix = { action: 'raise-max-size', nodeGroup: first.name, maxSize: first.nodesNeeded, text: `raise maxSize of ${first.name} to ${first.nodesNeeded}` };
  }
  const loadBalancerFix = loadBalancers.overTargetQuota.length ? targetQuotaFix(cluster, path, loadBalancers.overTargetQuota[0].pods) : null;
  const verdict: Verdict = fix?.action === 'move-apps' || fix?.action === 'add-ipv4-addresses' ? 'out of IPv4 addresses'
    : fix ? 'node-group max too small'
      : loadBalancerFix ? 'load balancer quota exceeded' : 'fits';
  return {
    cluster: cluster.name,
    path,
    accountId: cluster.accountId,
    region: cluster.region,
    ipFamily: cluster.ipFamily,
    apps: demand.apps,
    addons: demand.addons,
    podsWanted,
    nodeGroups,
    nodesNeeded,
    nodesMax,
    podCapacity,
    ipv4Addresses,
    loadBalancers,
    verdict,
    fix,
    loadBalancerFix,
  };
}

/** The ALBs of each account and region against its "Application Load Balancers per Region" quota. */
function planRegions(fleet: Fleet, clusters: readonly ClusterPlan[]): RegionPlan[] {
  const regions = new Map<string, RegionPlan>();
  fleet.clusters.forEach((cluster, index) => {
    const key = `${cluster.accountId}/${cluster.region}`;
    const region = regions.get(key) ?? {
      accountId: cluster.accountId,
      region: cluster.region,
      clusters: [],
      loadBalancers: 0,
      quota: cluster.loadBalancerQuotas.loadBalancersPerRegion,
      quotaPath: `${formatFieldPath(['clusters', index])}.loadBalancerQuotas.loadBalancersPerRegion`,
    };
    regions.set(key, { ...region, clusters: [...region.clusters, cluster.name], loadBalancers: region.loadBalancers + clusters[index].loadBalancers.loadBalancers });
  });
  return [...regions.values()];
}

/** Plans every cluster of a valid fleet. */
export function planFleet(fleet: Fleet): FleetPlan {
  const pathOf = (cluster: Cluster) => formatFieldPath(['clusters', cluster.index]);
  const plan = (cluster: Cluster, ipv6Clusters?: readonly string[]) => planCluster(cluster, clusterDemand(fleet, cluster), ipv6Clusters, pathOf(cluster));
  const ipv6Plans = new Map(fleet.clusters.filter((cluster) => cluster.ipFamily === 'ipv6').map((cluster) => [cluster.name, plan(cluster)]));
  // Apps leaving an IPv4 cluster go where most pods are spare.
  const ipv6Clusters = [...ipv6Plans.values()]
    .sort((a, b) => (b.podCapacity - b.podsWanted) - (a.podCapacity - a.podsWanted))
    .map((ipv6Plan) => ipv6Plan.cluster);
  const clusters = fleet.clusters.map((cluster) => ipv6Plans.get(cluster.name) ?? plan(cluster, ipv6Clusters));
  return { daemonSetPodsPerNode, clusters, regions: planRegions(fleet, clusters) };
}
