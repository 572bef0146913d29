/**
 * Capacity plan: whether what fleet.yaml places on each cluster fits its node groups at the peak of a rollout, its
 * IPv4 addresses (in the private subnets: what the nodes' ENIs hold on IPv4 clusters, one per node on IPv6 ones,
 * which are dual-stack; in the public subnets: the ALBs) and its account's load balancer quotas. Pure functions over
 * the typed fleet; the instance data is config/instance-types.ts. docs/capacity.md, "Capacity plan", explains the model.
 */
import { AddonKey, addonCatalog, addonKeys, argocdChart } from '../catalog/addons';
import { RollingUpdate, RolloutPeak, rolloutPeak } from '../catalog/test-app';
import { awsReservedAddressesPerSubnet, parseCidr, usableIpv4Addresses } from '../config/cidr';
import { allClusters, App, appsOn, ClusterSpec, Fleet, isCluster, isService, LoadBalancerQuotas, NodeGroup, takesDefaultApps } from '../config/fleet';
import { appIngresses, LoadBalancerReason } from '../config/load-balancer-groups';
import { formatFieldPath, PathSegment } from '../output/field-path';
import { InstanceTypeData, instanceTypeData } from '../config/instance-types';
import { count, firstNames, joinWords } from '../config/messages';
import { IpFamily, LoadBalancerMode } from '../config/schema';
import { narrowestVpcPrefix, widestVpcPrefix } from '../config/vpc-layout';
import { overlappingVpcs, VpcOverlap } from '../config/vpc-overlaps';
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

/**
 * The ENIs of free addresses the VPC CNI keeps beside the pods' on an IPv4 node: its default WARM_ENI_TARGET=1
 * ("a full ENI" of available IPs, amazon-vpc-cni-k8s docs/eni-and-ip-target.md), which the project does not change;
 * a cluster set up with WARM_IP_TARGET or IPv4 prefix delegation holds fewer addresses than planned.
 */
export const warmEniTarget = 1;

/**
 * Free addresses the load balancer controller needs in a subnet to put an ALB there (its subnet discovery docs:
 * "at least eight available IP addresses"); an ALB takes at least one in each zone, and more as it scales.
 */
export const albFreeAddressesPerSubnet = 8;

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

/**
 * The ENIs an IPv4 node holds with `pods` pods, as the VPC CNI attaches them by default: enough for the pods'
 * secondary addresses (ipv4PerEni - 1 per ENI) and one ENI of free ones beside them (WARM_ENI_TARGET=1), at most
 * the instance type's. An attached ENI holds all its addresses, its primary one included, so the node holds
 * ENIs x ipv4PerEni: a full m5.large 3 x 10 = 30.
 */
export function ipv4NodeEnis(instance: Pick<InstanceTypeData, 'enis' | 'ipv4PerEni'>, pods: number): number {
  return Math.min(instance.enis, Math.ceil(pods / Math.max(1, instance.ipv4PerEni - 1)) + warmEniTarget);
}

export { rolloutPeak } from '../catalog/test-app';
export type { RolloutPeak } from '../catalog/test-app';

/** What one pod of a service requests, where fleet.yaml says (resources): CPU in millicores, memory in bytes. */
export interface PodRequests {
  readonly cpuMillicores?: number;
  readonly memoryBytes?: number;
}

/** An app's pods on one cluster. */
export interface AppDemand {
  readonly app: string;
  /** The app's replicas: every cluster it is placed on runs all of them. */
  readonly pods: number;
  /** What a rollout adds at its peak, with the app's strategy: every app may roll at once (a change of the shared nginx image rolls them all). */
  readonly rollout: RolloutPeak;
  /** The app's rolling update; absent: the test app's (catalog/test-app.ts). */
  readonly rollingUpdate?: RollingUpdate;
  /** A service's requests per pod, where fleet.yaml says. */
  readonly requests?: PodRequests;
  /** Every cluster the app is placed on, this one included. */
  readonly clusters: readonly string[];
  /** Whether fleet.yaml asks for an ALB of its own; shared when absent. */
  readonly loadBalancer?: LoadBalancerMode;
  /** A move to another ALB under way (config/load-balancer-groups.ts appIngresses): step 1's nextLoadBalancer, or step 2's previousLoadBalancer. */
  readonly nextLoadBalancer?: LoadBalancerMode;
  readonly previousLoadBalancer?: LoadBalancerMode;
  /** On an ALB's list, the Ingress when it is one of the app's walk (`<app>-next`, `<app>-previous`) rather than its own. */
  readonly ingress?: string;
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
  /** Nodes for the cluster's pods at a rollout's peak, at least minSize; above maxSize when the max is too small. */
  readonly nodesNeeded: number;
}

/** An IPv4 block of a subnet and the addresses AWS leaves usable in it. */
export interface Ipv4Block {
  readonly cidr: string;
  readonly usable: number;
}

/**
 * The IPv4 addresses of a cluster's private subnets and what holds them, at a rollout's peak. On an IPv4 cluster the
 * nodes' ENIs, as the VPC CNI attaches them: every pod's address, every ENI's primary one (the node's own among
 * them) and the warm ENI's free ones. On an IPv6 cluster one per node, the primary address of its primary ENI.
 */
export interface Ipv4AddressPlan {
  readonly subnets: readonly Ipv4Block[];
  readonly usable: number;
  /** Pods with an IPv4 address: every pod on an IPv4 cluster (DaemonSet pods use their node's), none on IPv6. */
  readonly pods: number;
  readonly nodes: number;
  /** ENIs the nodes hold: on IPv6 each node's primary ENI only. */
  readonly enis: number;
  /** Secondary addresses attached to the ENIs that no pod has: the VPC CNI's warm pool (0 on IPv6). */
  readonly warm: number;
  /** pods + enis + warm: every address the nodes hold. */
  readonly used: number;
}

/** A public subnet of a cluster and what its ALBs, and those of clusters sharing it, take there. */
export interface PublicSubnetPlan extends Ipv4Block {
  /** ALBs in the subnet, one address each at the least: the cluster's and those of the clusters sharing it. */
  readonly loadBalancers: number;
  /** The NAT gateway a VPC the project creates has in each public subnet; 0 where fleet.yaml does not say. */
  readonly natGateways: number;
  /** usable - loadBalancers - natGateways. */
  readonly free: number;
}

/** The IPv4 addresses the cluster's internet-facing ALBs take in the public subnets, where the controller puts them. */
export interface LoadBalancerAddressPlan {
  /** The fleet.yaml key the blocks come from: `<path>.vpc.cidr` (the created VPC's layout) or `<path>.publicSubnets`. */
  readonly source: string;
  readonly subnets: readonly PublicSubnetPlan[];
  /** Other clusters whose ALBs go into the same subnets (the same VPC and blocks). */
  readonly sharedWith: readonly string[];
  /** Addresses the tightest subnet lacks to keep 8 free, which is as many ALBs too many; 0 when they fit. */
  readonly missing: number;
}

/**
 * What AWS allows per ALB and fleet.yaml cannot raise: "Target Groups per Application Load Balancer", 100, not
 * adjustable (Elastic Load Balancing, "Quotas for your Application Load Balancers",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html; the adjustable ones,
 * rules, targets and certificates per ALB, are clusters[].loadBalancerQuotas, with that page's defaults).
 */
export const targetGroupsPerLoadBalancer = 100;

/**
 * The certificates an ALB of the fleet holds: the one ACM wildcard certificate of *.<domain> that the controller
 * discovers for every host (terraform/certificates.ts, docs/aws.md "HTTPS: the ACM certificate of the apps' ALBs"),
 * its listener's default certificate, which the "Certificates per Application Load Balancer (excluding default
 * certificates)" quota does not count.
 */
export const certificatesPerLoadBalancer = { held: 1, counted: 0 } as const;

/** One ALB of a cluster (an IngressGroup) against the quotas AWS sets per ALB, at a rollout's peak. */
export interface AlbPlan {
  /** Its IngressGroup, which names it in messages: shared-<n> or own-<app>. */
  readonly group: string;
  /** Why the ALB is an app's own, or 'shared'. */
  readonly reason: LoadBalancerReason;
  /** Its apps, most targets first. */
  readonly apps: readonly AppDemand[];
  /** Listener rules, one per app (a host rule of the HTTPS listener; the HTTP listener only redirects). */
  readonly rules: number;
  /** Target groups, one per app. */
  readonly targetGroups: number;
  /** IP targets at a rollout's peak: every pod of every app on it. */
  readonly targets: number;
  /** Certificates beyond the default one, as the quota counts them. */
  readonly certificates: number;
  /** The per-ALB quotas it exceeds, each in words ("120 rules of 100"); empty when it fits. */
  readonly exceeded: readonly string[];
  /** Apps that must leave it for the rest to fit: the most targets first. */
  readonly appsOver: number;
}

/** A cluster's load balancers: its shared ALBs and the apps' own, every pod one IP target. */
export interface LoadBalancerPlan {
  readonly loadBalancers: number;
  readonly albs: readonly AlbPlan[];
  readonly quotas: LoadBalancerQuotas;
  /** Targets of the busiest ALB at a rollout's peak; 0 without apps. */
  readonly mostTargets: number;
  /** Apps with more targets at a rollout's peak than one ALB or target group may hold, most first. */
  readonly overTargetQuota: readonly AppDemand[];
  /** Shared ALBs over a per-ALB quota, most apps first. */
  readonly overQuota: readonly AlbPlan[];
}

/** Where fleet.yaml declares a cluster's load balancer quota per region. */
export interface QuotaDeclaration {
  readonly cluster: string;
  /** The cluster's index in fleet.yaml's clusters. */
  readonly index: number;
  /** `clusters[<index>].loadBalancerQuotas.loadBalancersPerRegion`. */
  readonly path: string;
}

/**
 * The ALBs of one account and region, which share its "Application Load Balancers per Region" quota, and their target
 * groups, which share its "Target Groups per Region" quota (Elastic Load Balancing, "Quotas for your Application Load
 * Balancers", https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html; the account's
 * NLBs take from the same 3,000).
 */
export interface RegionPlan {
  readonly accountId: string;
  readonly region: string;
  /** The clusters that exist there, whose ALBs count. */
  readonly clusters: readonly string[];
  readonly loadBalancers: number;
  readonly quota: number;
  /**
   * The target groups of those ALBs: the load balancer controller makes one per Ingress backend (Service and port) of
   * each Ingress (v3.5.0 pkg/ingress/model_build_target_group.go buildTargetGroupResourceID, keyed by the Ingress's
   * namespace/name, the Service and the port), so one per app on every cluster it runs on, and one more on each ALB
   * of an app's walk to another ALB (config/load-balancer-groups.ts).
   */
  readonly targetGroups: number;
  readonly targetGroupQuota: number;
  /** Each cluster's target groups there, most first: the largest contributors. */
  readonly targetGroupsByCluster: readonly { readonly cluster: string; readonly targetGroups: number }[];
  /** Every cluster of the account and region, pending ones too: fleet.yaml requires the same quotas on each (config/rules.ts). */
  readonly quotaDeclarations: readonly QuotaDeclaration[];
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
    /** Addresses the add-ons and their nodes alone still lack once every move is made (0 when the moves suffice). */
    readonly addressesStillMissing: number;
    readonly text: string;
  }
  | { readonly action: 'add-ipv4-addresses'; readonly missing: number; readonly text: string }
  | { readonly action: 'free-public-addresses'; readonly missing: number; readonly text: string }
  | { readonly action: 'raise-max-size'; readonly nodeGroup: string; readonly maxSize: number; readonly text: string }
  | { readonly action: 'raise-target-quotas'; readonly targets: number; readonly declare: QuotaDeclarations; readonly text: string }
  | {
    readonly action: 'relieve-shared-alb';
    readonly group: string;
    readonly declare: QuotaDeclarations | null;
    readonly text: string;
    /** The fleet.yaml keys the text names (`apps[7].loadBalancer`), which fixText locates at their lines. */
    readonly appKeys: readonly (readonly PathSegment[])[];
  };

/**
 * Quota values a fix declares once AWS grants them, on every cluster of the account and region: fleet.yaml requires
 * the same quotas on each (config/rules.ts), so a fix naming one cluster only would not validate. `around` is the
 * fix's text before and after the declarations (fixText puts them in, with their lines when known).
 */
export interface QuotaDeclarations {
  readonly values: readonly { readonly key: keyof LoadBalancerQuotas; readonly value: number }[];
  /** Every cluster of the account and region, pending ones too, in fleet.yaml order. */
  readonly clusters: readonly { readonly cluster: string; readonly index: number }[];
  readonly around: readonly [string, string];
}

/** The `file:line` of each field path of fleet.yaml (config/load.ts fieldLines), for a fix that names several lines. */
export type FieldLines = (paths: readonly (readonly PathSegment[])[]) => readonly string[];

/**
 * "clusters[0].loadBalancerQuotas.targetsPerLoadBalancer: 12000 (legacy-ipv4, fleet.yaml:15) and clusters[1]...":
 * every cluster's declaration, with its line when `lines` is given.
 */
export function declarationsText(declare: QuotaDeclarations, lines?: FieldLines): string {
  const located = lines?.(declare.clusters.map((cluster) => ['clusters', cluster.index, 'loadBalancerQuotas', declare.values[0].key]));
  return joinWords(declare.clusters.map((cluster, index) => {
    const path = formatFieldPath(['clusters', cluster.index]);
    const values = declare.values.map(({ key, value }) => `${path}.loadBalancerQuotas.${key}: ${value}`).join(', ');
    return `${values} (${cluster.cluster}${located ? `, ${located[index]}` : ''})`;
  }));
}

/** A fix's text, its quota declarations at their fleet.yaml lines when `lines` is given. */
export function fixText(fix: ClusterFix, lines?: FieldLines): string {
  const declare = 'declare' in fix ? fix.declare : null;
  const text = declare ? `${declare.around[0]}${declarationsText(declare, lines)}${declare.around[1]}` : fix.text;
  if (!lines || !('appKeys' in fix) || !fix.appKeys.length) return text;
  // "apps[7].loadBalancer: own" -> "apps[7].loadBalancer: own (fleet.yaml:52)"
  const located = lines(fix.appKeys);
  return fix.appKeys.reduce((result, key, index) => result.replace(`${formatFieldPath(key)}: own`, `${formatFieldPath(key)}: own (${located[index]})`), text);
}

function withDeclarations(declare: QuotaDeclarations): { declare: QuotaDeclarations; text: string } {
  return { declare, text: `${declare.around[0]}${declarationsText(declare)}${declare.around[1]}` };
}

/**
 * The kubelet's CPU reservation (kubeReserved) on a node of `vcpus`, as the EKS AMIs set it: 6% of the first core, 1%
 * of the second, 0.5% of the third and fourth, 0.25% of every core beyond (awslabs/amazon-eks-ami,
 * nodeadm/internal/kubelet/config.go, getCPUMillicoresToReserve). What is left is the node's allocatable CPU.
 */
export function reservedCpuMillicores(vcpus: number): number {
  const total = vcpus * 1000;
  const ranges: ReadonlyArray<readonly [number, number, number]> = [[0, 1000, 600], [1000, 2000, 100], [2000, 4000, 50], [4000, Infinity, 25]];
  return sum(ranges.map(([start, end, perTenThousand]) => (Math.max(0, Math.min(total, end) - start) * perTenThousand) / 10000));
}

/**
 * What the services that declare requests (fleet.yaml's resources) ask of a cluster at a rollout's peak, against the
 * CPU its node groups' nodes at maxSize leave to pods. Only these requests are counted: the add-ons', the test apps'
 * and the DaemonSets' requests take their share of the same CPU on the nodes, so a cluster planned to fit here may
 * still not; the node count (pod slots) above counts every pod. Memory is summed but not compared: the instance data
 * (data/ec2-instance-types.json) has no memory of instance types.
 */
export interface RequestsPlan {
  /** The apps on the cluster that declare requests, most pods at a rollout's peak first. */
  readonly apps: readonly AppDemand[];
  /** Millicores they request at a rollout's peak; null when none declares CPU. */
  readonly cpuRequested: number | null;
  /** Millicores the node groups' nodes at maxSize leave to pods (vCPUs less the kubelet's reservation); null when an instance type's vCPUs are unknown. */
  readonly cpuAllocatable: number | null;
  /** The node groups' instance types whose vCPUs the data does not know. */
  readonly unknownVcpus: readonly string[];
  /** Millicores one node of the roomiest node group leaves to pods; null when unknown. */
  readonly largestNodeCpu: number | null;
  /** Apps one pod of which requests more CPU than any node leaves to pods: no node can ever run it. */
  readonly podsTooLarge: readonly string[];
  /** Bytes of memory they request at a rollout's peak; null when none declares memory. Not compared with the nodes'. */
  readonly memoryRequested: number | null;
  /** Whether the CPU requested passes what the node groups' maximum leaves, or a pod passes every node. */
  readonly cpuOver: boolean;
  /** Nodes the first node group needs beyond its maxSize for the CPU requested; 0 when it fits or is unknown. */
  readonly nodesShort: number;
}

/** The requests of the apps that declare them against the node groups' CPU at maxSize; null when no app on the cluster declares any. */
function planRequests(groups: readonly NodeGroupPlan[], apps: readonly AppDemand[]): RequestsPlan | null {
  const requesting = apps.filter((app) => app.requests && (app.requests.cpuMillicores !== undefined || app.requests.memoryBytes !== undefined))
    .sort((a, b) => b.rollout.pods - a.rollout.pods);
  if (!requesting.length) return null;
  const total = (amount: (requests: PodRequests) => number | undefined): number | null => {
    const amounts = requesting.filter((app) => amount(app.requests!) !== undefined);
    return amounts.length ? sum(amounts.map((app) => app.rollout.pods * amount(app.requests!)!)) : null;
  };
  const cpuRequested = total((requests) => requests.cpuMillicores);
  const unknownVcpus = [...new Set(groups.filter((group) => group.instance.vcpus === null).map((group) => group.instanceType))];
  const perNode = (group: NodeGroupPlan) => group.instance.vcpus! * 1000 - reservedCpuMillicores(group.instance.vcpus!);
  const known = !unknownVcpus.length;
  const cpuAllocatable = known ? Math.floor(sum(groups.map((group) => group.maxSize * perNode(group)))) : null;
  const largestNodeCpu = known ? Math.floor(Math.max(...groups.map(perNode))) : null;
  const podsTooLarge = largestNodeCpu === null ? [] : requesting.filter((app) => (app.requests!.cpuMillicores ?? 0) > largestNodeCpu).map((app) => app.app);
  const over = cpuRequested !== null && cpuAllocatable !== null && cpuRequested > cpuAllocatable;
  return {
    apps: requesting,
    cpuRequested,
    cpuAllocatable,
    unknownVcpus,
    largestNodeCpu,
    podsTooLarge,
    memoryRequested: total((requests) => requests.memoryBytes),
    cpuOver: over || podsTooLarge.length > 0,
    nodesShort: over ? Math.ceil((cpuRequested! - cpuAllocatable!) / perNode(groups[0])) : 0,
  };
}

/** Whether a cluster's placements fit, with every number behind the verdict. */
export interface ClusterPlan {
  readonly cluster: string;
  /**
   * A cluster the project creates that is not imported yet: the plan is of what it will hold once
   * it exists (its add-ons, and on IPv6 every app placed by default), and its problems are warnings.
   */
  readonly pending: boolean;
  /** Where the cluster is in fleet.yaml, e.g. `clusters[1]`. */
  readonly path: string;
  readonly accountId: string;
  readonly region: string;
  readonly ipFamily: IpFamily;
  readonly apps: readonly AppDemand[];
  readonly addons: readonly AddonDemand[];
  /** The apps' replicas and the add-ons' pods. */
  readonly podsWanted: number;
  /** The same at a rollout's peak: what the nodes, addresses and targets are planned for. */
  readonly podsAtPeak: number;
  /** In the order they are filled: most usable pods per node first. */
  readonly nodeGroups: readonly NodeGroupPlan[];
  readonly nodesNeeded: number;
  /** The node groups' maxSize, summed. */
  readonly nodesMax: number;
  /** The pods the node groups hold at maxSize. */
  readonly podCapacity: number;
  /** The private subnets; null on an IPv6 cluster whose IPv4 blocks fleet.yaml does not give (ipv4Subnets). */
  readonly ipv4Addresses: Ipv4AddressPlan | null;
  /** The public subnets; null when fleet.yaml says neither vpc (provisioning: create) nor publicSubnets. */
  readonly loadBalancerAddresses: LoadBalancerAddressPlan | null;
  readonly loadBalancers: LoadBalancerPlan;
  /** The CPU and memory the services that declare requests ask for; null when none on the cluster does. */
  readonly requests: RequestsPlan | null;
  /** The most severe finding. */
  readonly verdict: Verdict;
  /** The nearest change that makes the private addresses or node groups fit; null when they do. */
  readonly fix: ClusterFix | null;
  /** The change that makes the ALBs fit their public subnets; null when they do or the subnets are not known. */
  readonly publicSubnetFix: ClusterFix | null;
  /** The quotas to request for the targets; null when they fit. */
  readonly loadBalancerFix: ClusterFix | null;
  /** What relieves each shared ALB over a quota, in the order of loadBalancers.overQuota. */
  readonly sharedLoadBalancerFixes: readonly ClusterFix[];
}

/** The capacity plan of every cluster of the fleet, in fleet.yaml order, and of every account and region. */
export interface FleetPlan {
  readonly daemonSetPodsPerNode: number;
  readonly clusters: readonly ClusterPlan[];
  readonly regions: readonly RegionPlan[];
  /** VPCs the project creates whose IPv4 block overlaps another VPC's of their account and region, which nothing can route between. */
  readonly vpcOverlaps: readonly VpcOverlap[];
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

/** The pods at a rollout's peak of every app at once, and the add-ons'. */
function peakPodsOf(demand: ClusterDemand): number {
  return sum(demand.apps.map((app) => app.rollout.pods)) + addonPodsOf(demand);
}

/**
 * The apps and add-ons fleet.yaml places on a cluster, apps in fleet.yaml order. A pending cluster
 * runs no app yet; once imported, one that takes the default apps (takesDefaultApps: IPv6, defaultApps not off) runs every
 * app placed by default, so those are its apps.
 */
export function clusterDemand(fleet: Fleet, cluster: ClusterSpec): ClusterDemand {
  const placed = isCluster(cluster) ? appsOn(fleet, cluster.name)
    : takesDefaultApps(cluster) ? fleet.apps.filter((app) => app.placedByDefault) : [];
  const apps = placed.map((app): AppDemand => ({
    app: app.name,
    pods: app.replicas,
    rollout: rolloutPeak(app.replicas, app.rollingUpdate),
    clusters: [...app.placements.map((placement) => placement.cluster), ...(isCluster(cluster) ? [] : [cluster.name])],
    loadBalancer: app.loadBalancer,
    ...(app.nextLoadBalancer ? { nextLoadBalancer: app.nextLoadBalancer } : {}),
    ...(app.previousLoadBalancer ? { previousLoadBalancer: app.previousLoadBalancer } : {}),
    ...(isService(app) ? { rollingUpdate: app.rollingUpdate } : {}),
    ...requestsOf(app),
  }));
  const addons: AddonDemand[] = addonKeys.filter((key) => cluster.addons[key])
    .map((key) => ({ addon: key, chart: addonCatalog[key].chart, pods: addonCatalog[key].pods }));
  if (fleet.argocd.cluster === cluster.name) addons.push({ addon: 'argocd', chart: argocdChart.chart, pods: argocdPods(fleet) });
  return { apps, addons };
}

/** A service's requests per pod as numbers, where fleet.yaml declares them. */
function requestsOf(app: App): { requests?: PodRequests } {
  if (!isService(app) || !app.resources) return {};
  const { cpu, memory } = app.resources;
  return {
    requests: {
      ...(cpu === undefined ? {} : { cpuMillicores: Math.ceil(parseQuantity(cpu) * 1000) }),
      ...(memory === undefined ? {} : { memoryBytes: Math.ceil(parseQuantity(memory)) }),
    },
  };
}

const quantitySuffixes: Readonly<Record<string, number>> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A Kubernetes quantity as fleet.yaml's schema admits it (a decimal number and a suffix: 100m, 0.5, 64Mi, 1G), as a number of base units. */
export function parseQuantity(quantity: string): number {
  const match = /^((?:\d+(?:\.\d+)?|\.\d+))([a-zA-Z]*)$/.exec(quantity);
  const factor = match ? quantitySuffixes[match[2]] : undefined;
  if (!match || factor === undefined) throw new Error(`"${quantity}" is not a Kubernetes quantity fleet.yaml admits`);
  return Number(match[1]) * factor;
}

/** The pods per node of a node group; fleet.yaml's validation has checked its instance type and maxPods. */
function planNodeGroup(cluster: ClusterSpec, group: NodeGroup): Omit<NodeGroupPlan, 'nodesNeeded'> {
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

/** Nodes of one group that run the same number of pods. */
export interface NodeShare {
  readonly group: number;
  readonly nodes: number;
  readonly podsPerNode: number;
}

/**
 * `pods` spread as evenly as they go over the nodes of each group (`nodes[i]` of group i), no node above its group's
 * usable pods: the scheduler spreads them (its default scoring prefers the least allocated node, and the test apps
 * spread over hostnames); spread pods also take about the most ENIs they can, so the plan errs on the safe side.
 */
export function spreadPods(groups: readonly Pick<NodeGroupSizes, 'usablePodsPerNode'>[], nodes: readonly number[], pods: number): NodeShare[] {
  const order = groups.map((_, index) => index).filter((index) => nodes[index] > 0)
    .sort((a, b) => groups[a].usablePodsPerNode - groups[b].usablePodsPerNode);
  const shares: NodeShare[] = [];
  let podsLeft = pods;
  let nodesLeft = sum(order.map((index) => nodes[index]));
  let position = 0;
  // Groups whose nodes fill up below the even level are full; the others share the rest evenly.
  for (; position < order.length; position++) {
    const index = order[position];
    if (groups[index].usablePodsPerNode * nodesLeft > podsLeft) break;
    shares.push({ group: index, nodes: nodes[index], podsPerNode: groups[index].usablePodsPerNode });
    podsLeft -= nodes[index] * groups[index].usablePodsPerNode;
    nodesLeft -= nodes[index];
  }
  if (nodesLeft === 0) return shares;
  const level = Math.floor(podsLeft / nodesLeft);
  let oneMore = podsLeft - level * nodesLeft;
  for (const index of order.slice(position)) {
    const above = Math.min(oneMore, nodes[index]);
    oneMore -= above;
    if (above) shares.push({ group: index, nodes: above, podsPerNode: level + 1 });
    if (nodes[index] > above) shares.push({ group: index, nodes: nodes[index] - above, podsPerNode: level });
  }
  return shares;
}

/** The ENIs and addresses IPv4 nodes hold for `pods` pods spread over `nodes` (per group). */
function ipv4NodeHoldings(groups: readonly Pick<NodeGroupPlan, 'usablePodsPerNode' | 'instance'>[], nodes: readonly number[], pods: number): { enis: number; addresses: number } {
  let enis = 0;
  let addresses = 0;
  for (const share of spreadPods(groups, nodes, pods)) {
    const { instance } = groups[share.group];
    const held = ipv4NodeEnis(instance, share.podsPerNode) * share.nodes;
    enis += held;
    addresses += held * instance.ipv4PerEni;
  }
  return { enis, addresses };
}

function ipv4Blocks(cluster: ClusterSpec, blocks: readonly string[]): Ipv4Block[] {
  return blocks.map((cidr) => {
    const parsed = parseCidr(cidr);
    // fleet.yaml was validated, so this is a bug rather than an input error.
    if (typeof parsed !== 'object') throw new Error(`${cluster.name}: subnet "${cidr}" ${parsed}`);
    return { cidr, usable: usableIpv4Addresses(parsed) };
  });
}

/** The IPv4 blocks of a cluster's private subnets: its subnets on IPv4, the IPv4 blocks of its dual-stack subnets on IPv6 (if given). */
function privateSubnetBlocks(cluster: ClusterSpec): Ipv4Block[] | null {
  // A pending IPv4 cluster's private subnets are those its VPC will have.
  const blocks = cluster.ipFamily === 'ipv6' ? cluster.ipv4Subnets : isCluster(cluster) ? cluster.subnets : cluster.vpc?.privateIpv4Subnets;
  return blocks === undefined ? null : ipv4Blocks(cluster, blocks);
}

/** The ALBs that clusters put into one public subnet. */
export interface PublicSubnetLoad {
  readonly clusters: readonly string[];
  readonly loadBalancers: number;
}

/** Public subnets are the same subnets when they are the same blocks of the same VPC. */
function publicSubnetKey(cluster: ClusterSpec, cidr: string): string {
  // A pending cluster's VPC is a new one of its own.
  return `${isCluster(cluster) ? cluster.vpcId : `the new VPC of ${cluster.name}`} ${cidr}`;
}

/**
 * The Ingresses of each ALB of a cluster (config/load-balancer-groups.ts), in the order their first app comes: an app's
 * own, and while it moves to another ALB its walk's two more (named <app>-next and <app>-previous here), each with a
 * rule, a target group and every pod of the app as targets.
 */
function albGroups(cluster: ClusterSpec, demand: ClusterDemand): Map<string, { reason: LoadBalancerReason; apps: AppDemand[] }> {
  const groups = new Map<string, { reason: LoadBalancerReason; apps: AppDemand[] }>();
  for (const app of demand.apps) {
    const ingresses = appIngresses({ ...app, name: app.app, replicas: app.pods, loadBalancer: app.loadBalancer ?? 'shared', rollingUpdate: app.rollingUpdate }, cluster);
    for (const { group, reason, name, role } of ingresses) {
      const entry = groups.get(group) ?? { reason, apps: [] };
      entry.apps.push(role === 'app' ? app : { ...app, ingress: name });
      groups.set(group, entry);
    }
  }
  return groups;
}

/** The ALBs of every cluster in each public subnet, for clusters of one VPC that share them. */
function publicSubnetLoads(clusters: readonly { readonly cluster: ClusterSpec; readonly demand: ClusterDemand }[]): Map<string, PublicSubnetLoad> {
  const loads = new Map<string, PublicSubnetLoad>();
  for (const { cluster, demand } of clusters) {
    for (const cidr of cluster.publicSubnets ?? []) {
      const key = publicSubnetKey(cluster, cidr);
      const load = loads.get(key) ?? { clusters: [], loadBalancers: 0 };
      loads.set(key, { clusters: [...load.clusters, cluster.name], loadBalancers: load.loadBalancers + albGroups(cluster, demand).size });
    }
  }
  return loads;
}

/** Where the cluster's ALBs go and what is left free there; null when fleet.yaml does not say. */
function planLoadBalancerAddresses(cluster: ClusterSpec, demand: ClusterDemand, path: string, loads?: ReadonlyMap<string, PublicSubnetLoad>): LoadBalancerAddressPlan | null {
  if (!cluster.publicSubnets) return null;
  const created = cluster.provisioning === 'create';
  const sharedWith = new Set<string>();
  const subnets = ipv4Blocks(cluster, cluster.publicSubnets).map((block): PublicSubnetPlan => {
    const load = loads?.get(publicSubnetKey(cluster, block.cidr));
    load?.clusters.filter((name) => name !== cluster.name).forEach((name) => sharedWith.add(name));
    const loadBalancers = load?.loadBalancers ?? albGroups(cluster, demand).size;
    const natGateways = created ? 1 : 0;
    return { ...block, loadBalancers, natGateways, free: block.usable - loadBalancers - natGateways };
  });
  const missing = Math.max(0, ...subnets.map((subnet) => albFreeAddressesPerSubnet - subnet.free));
  return { source: `${path}.${created ? 'vpc.cidr' : 'publicSubnets'}`, subnets, sharedWith: [...sharedWith], missing };
}

/** The widest public subnets a created VPC can have are a 256th of it: the smallest VPC prefix whose public subnets keep 8 free beside `taken` addresses; null when even the widest VPC's do not. */
function vpcPrefixFor(taken: number): number | null {
  const publicPrefix = 32 - Math.ceil(Math.log2(taken + albFreeAddressesPerSubnet + awsReservedAddressesPerSubnet));
  const prefix = Math.min(narrowestVpcPrefix, publicPrefix - 8);
  return prefix >= widestVpcPrefix ? prefix : null;
}

function publicSubnetFixText(cluster: ClusterSpec, plan: LoadBalancerAddressPlan): string {
  const where = plan.sharedWith.length ? `${cluster.name} or ${firstNames(plan.sharedWith)}, which share its public subnets` : cluster.name;
  const fewer = `run ${count(plan.missing)} fewer ALBs on ${where} (each ALB takes an address in each public subnet: fewer apps with ALBs of their own, or fewer sharedLoadBalancers, which moves apps to other ALBs with no walk: minutes of 404s each)`;
  if (cluster.provisioning === 'create') {
    const prefix = vpcPrefixFor(Math.max(...plan.subnets.map((subnet) => subnet.loadBalancers + subnet.natGateways)));
    return prefix === null ? `${fewer}: even a /${widestVpcPrefix} ${plan.source} has public subnets too small for them`
      : `${fewer}, or recreate its VPC with a /${prefix} ${plan.source}, whose public subnets are /${prefix + 8}s (changing vpc.cidr replaces the VPC and the cluster in it)`;
  }
  return `${fewer}, or give the ALBs public subnets (tagged kubernetes.io/role/elb) of ${count(plan.missing)} more addresses each and list their IPv4 blocks in ${plan.source}`;
}

/** "place a, b, c and 997 more on ipv6-east instead of legacy-ipv4": the apps with most pods named, the rest counted. */
function moveAppsText(cluster: string, moves: readonly AppMove[], addressesStillMissing: number): string {
  const phrases: string[] = [];
  const placed = moves.filter((move) => !move.alreadyThere);
  for (const to of new Set(placed.map((move) => move.to))) {
    const apps = firstNames(placed.filter((move) => move.to === to).map((move) => move.app));
    phrases.push(to === null ? `move ${apps} to an IPv6 cluster (the fleet has none yet: add one)` : `place ${apps} on ${to} instead of ${cluster}`);
  }
  const leaving = moves.filter((move) => move.alreadyThere);
  if (leaving.length === 1) {
    phrases.push(`take ${cluster} out of ${leaving[0].app}'s clusters (it runs on ${leaving[0].to} too)`);
  } else if (leaving.length > 1) {
    const destinations = [...new Set(leaving.map((move) => move.to!))];
    const too = destinations.length === 1 ? `on ${destinations[0]}` : `on IPv6 clusters (${firstNames(destinations)})`;
    phrases.push(`take ${cluster} out of the clusters of ${firstNames(leaving.map((move) => move.app))} (they run ${too} too)`);
  }
  if (addressesStillMissing > 0) {
    phrases.push(`add IPv4 subnets: the add-ons and their nodes alone still lack ${count(addressesStillMissing)} addresses`);
  }
  return phrases.join('; ');
}

/**
 * Moves the apps with most replicas off an IPv4 cluster until what stays fits its addresses. `ipv6Clusters` lists
 * the fleet's IPv6 clusters, preferred first; an app already on one of them just leaves the IPv4 cluster.
 * `spareAddresses` gives the addresses left once `pods` pods (at a rollout's peak) and their nodes stay.
 */
function moveAppsFix(cluster: string, demand: ClusterDemand, spareAddresses: (pods: number) => number, ipv6Clusters: readonly string[]): ClusterFix {
  const byPods = demand.apps.filter((app) => app.pods > 0).sort((a, b) => b.pods - a.pods);
  let staying = peakPodsOf(demand);
  const moves: AppMove[] = [];
  for (const app of byPods) {
    if (spareAddresses(staying) >= 0) break;
    staying -= app.rollout.pods;
    const current = ipv6Clusters.find((name) => app.clusters.includes(name));
    moves.push({ app: app.app, pods: app.pods, to: current ?? ipv6Clusters[0] ?? null, alreadyThere: current !== undefined });
  }
  const addressesStillMissing = Math.max(0, -spareAddresses(staying));
  return { action: 'move-apps', moves, addressesStillMissing, text: moveAppsText(cluster, moves, addressesStillMissing) };
}

/** One ALB against the quotas AWS sets per ALB. An app's own ALB holds one rule and one target group; its targets are overTargetQuota's. */
function planAlb(group: string, reason: LoadBalancerReason, apps: readonly AppDemand[], quotas: LoadBalancerQuotas): AlbPlan {
  const byTargets = [...apps].sort((a, b) => b.rollout.pods - a.rollout.pods);
  const targets = sum(apps.map((app) => app.rollout.pods));
  const rules = apps.length;
  const exceeded: string[] = [];
  let appsOver = 0;
  if (rules > quotas.rulesPerLoadBalancer) {
    exceeded.push(`${count(rules)} rules of the ${count(quotas.rulesPerLoadBalancer)} "Rules per Application Load Balancer"`);
    appsOver = rules - quotas.rulesPerLoadBalancer;
  }
  if (apps.length > targetGroupsPerLoadBalancer) {
    exceeded.push(`${count(apps.length)} target groups of the ${targetGroupsPerLoadBalancer} "Target Groups per Application Load Balancer" (not adjustable)`);
    appsOver = Math.max(appsOver, apps.length - targetGroupsPerLoadBalancer);
  }
  if (reason === 'shared' && targets > quotas.targetsPerLoadBalancer) {
    exceeded.push(`${count(targets)} targets at a rollout's peak of the ${count(quotas.targetsPerLoadBalancer)} "Targets per Application Load Balancer"`);
    let left = targets;
    let leaving = 0;
    while (left > quotas.targetsPerLoadBalancer) left -= byTargets[leaving++].rollout.pods;
    appsOver = Math.max(appsOver, leaving);
  }
  if (certificatesPerLoadBalancer.counted > quotas.certificatesPerLoadBalancer) {
    exceeded.push(`${certificatesPerLoadBalancer.counted} certificates of the ${quotas.certificatesPerLoadBalancer} "Certificates per Application Load Balancer"`);
  }
  return { group, reason, apps: byTargets, rules, targetGroups: apps.length, targets, certificates: certificatesPerLoadBalancer.counted, exceeded, appsOver };
}

/** The load balancers of a cluster against its account's per-ALB quotas, at a rollout's peak. */
function planLoadBalancers(cluster: ClusterSpec, demand: ClusterDemand): LoadBalancerPlan {
  const quotas = cluster.loadBalancerQuotas;
  const targetLimit = Math.min(quotas.targetsPerLoadBalancer, quotas.targetsPerTargetGroup);
  const albs = [...albGroups(cluster, demand)].map(([group, { reason, apps }]) => planAlb(group, reason, apps, quotas));
  return {
    loadBalancers: albs.length,
    albs,
    quotas,
    mostTargets: Math.max(0, ...albs.map((alb) => alb.targets)),
    overTargetQuota: demand.apps.filter((app) => app.rollout.pods > targetLimit).sort((a, b) => b.rollout.pods - a.rollout.pods),
    overQuota: albs.filter((alb) => alb.exceeded.length).sort((a, b) => b.apps.length - a.apps.length),
  };
}

/**
 * The fleet.yaml key that takes an app off a shared ALB: loadBalancer: own for an app that shares it; for one on it only
 * through a walk, the walk's key: a nextLoadBalancer: shared removed, or a previousLoadBalancer: shared removed (step 3).
 */
function leavingKey(app: AppDemand): { readonly key: 'loadBalancer' | 'nextLoadBalancer' | 'previousLoadBalancer'; readonly value?: LoadBalancerMode } {
  if (app.nextLoadBalancer === 'shared') return { key: 'nextLoadBalancer' };
  if (app.previousLoadBalancer === 'shared') return { key: 'previousLoadBalancer' };
  return { key: 'loadBalancer', value: 'own' };
}

/**
 * What relieves a shared ALB over a quota without moving any other app: the apps with most targets get ALBs of their
 * own (fleet.yaml's loadBalancer: own moves only them), or, for the rules, AWS raises the quota. One more shared ALB
 * would spread the apps thinner but move about 1/(k + 1) of them onto it (a DNS change each; config/load-balancer-groups.ts).
 */
function sharedAlbFix(cluster: ClusterSpec, alb: AlbPlan, context: PlanContext): ClusterFix {
  const path = context.path ?? 'clusters';
  const appPaths = context.appPaths ?? new Map<string, string>();
  // An app moving between ALBs may be on this one twice (its walk's Ingress beside its own): named once, by the key that
  // takes it off: loadBalancer: own for an app that shares it, or for one on it through its walk, the walk's key.
  const leaving = [...new Map(alb.apps.slice(0, alb.appsOver).map((app) => [app.app, app])).values()];
  const shown = leaving.slice(0, 3).map((app) => ({ app: app.app, ...leavingKey(app) }));
  const keys = shown.map(({ app, key, value }) => (value === undefined ? `remove ${appPaths.get(app) ?? app}.${key}` : `${appPaths.get(app) ?? app}.${key}: ${value}`));
  const appKeys = shown.flatMap(({ app, key }) => (context.appIndexes?.has(app) ? [['apps', context.appIndexes.get(app)!, key]] : []));
  const own = `give ${firstNames(leaving.map((app) => app.app))} ALBs of their own (${keys.join(', ')}${leaving.length > keys.length ? ', ...' : ''}), which moves only them, each by the walk (README, "Moving an app to another ALB")`;
  // sharedLoadBalancers has no walk: the apps it moves change ALB in one sync (diff/load-balancers.ts).
  const spread = `; a new cluster can take more ${path}.sharedLoadBalancers from the start, but on a running one changing it moves about 1 in k + 1 of its apps to another ALB with no walk (minutes of 404s each)`;
  if (alb.rules > cluster.loadBalancerQuotas.rulesPerLoadBalancer && alb.targetGroups <= targetGroupsPerLoadBalancer) {
    // One value for the account and region: the most rules any of its clusters' ALBs needs.
    const rules = Math.max(alb.rules, context.quotaPeers?.rules ?? 0);
    const declare: QuotaDeclarations = {
      values: [{ key: 'rulesPerLoadBalancer', value: rules }],
      clusters: context.quotaPeers?.clusters ?? [{ cluster: cluster.name, index: cluster.index }],
      around: [`${own}, or request "Rules per Application Load Balancer" of ${count(rules)} for account ${cluster.accountId} in ${cluster.region} `
        + 'and declare it on every cluster of that account and region, which must all declare the same quotas: ', spread],
    };
    return { action: 'relieve-shared-alb', group: alb.group, ...withDeclarations(declare), appKeys };
  }
  return { action: 'relieve-shared-alb', group: alb.group, declare: null, text: `${own}${spread}`, appKeys };
}

/**
 * The quotas to request for the busiest app's targets at a rollout's peak, and where fleet.yaml declares them once
 * granted: on every cluster of the account and region, at the most targets any of them needs.
 */
function targetQuotaFix(cluster: ClusterSpec, busiest: AppDemand, context: PlanContext): ClusterFix {
  const quotas = cluster.loadBalancerQuotas;
  const targets = Math.max(busiest.rollout.pods, context.quotaPeers?.targets ?? 0);
  const raise = [
    ...(quotas.targetsPerLoadBalancer < targets ? [['Targets per Application Load Balancer', 'targetsPerLoadBalancer'] as const] : []),
    ...(quotas.targetsPerTargetGroup < targets ? [['Targets per Target Group per Region', 'targetsPerTargetGroup'] as const] : []),
  ];
  const headroom = `${busiest.app}'s ${count(busiest.pods)} pods and, in a rollout, ${count(busiest.rollout.surge)} surge and ${count(busiest.rollout.draining)} draining`
    + (targets > busiest.rollout.pods ? `; another cluster of the account and region needs ${count(targets)}` : '');
  const declare: QuotaDeclarations = {
    values: raise.map(([, key]) => ({ key, value: targets })),
    clusters: context.quotaPeers?.clusters ?? [{ cluster: cluster.name, index: cluster.index }],
    around: [`request ${joinWords(raise.map(([quota]) => `"${quota}"`))} of ${count(targets)} (${headroom}) for account ${cluster.accountId} in ${cluster.region} `
      + `(Service Quotas, Elastic Load Balancing), then declare ${raise.length === 1 ? 'it' : 'them'} on every cluster of that account and region, `
      + 'which must all declare the same quotas: ', ''],
  };
  return { action: 'raise-target-quotas', targets, ...withDeclarations(declare) };
}

/** What planCluster needs to know of the rest of the fleet. */
export interface PlanContext {
  /** Where an IPv4 cluster's apps can go, preferred first (planFleet puts the one with most spare pods first). */
  readonly ipv6Clusters?: readonly string[];
  /** Where the cluster is in fleet.yaml. */
  readonly path?: string;
  /** The ALBs of every cluster per public subnet (publicSubnetLoads); without it, only the cluster's own. */
  readonly publicSubnetLoads?: ReadonlyMap<string, PublicSubnetLoad>;
  /** Where each app is in fleet.yaml (`apps[3]`), for fixes that name its keys. */
  readonly appPaths?: ReadonlyMap<string, string>;
  /** Each app's index in fleet.yaml's apps, for fixes that locate its keys at their lines. */
  readonly appIndexes?: ReadonlyMap<string, number>;
  /** The clusters of the cluster's account and region, which declare the same quotas, and the most any of them needs. */
  readonly quotaPeers?: QuotaPeers;
}

/** Every cluster of an account and region (pending ones too), with the most targets an app and the most rules a shared ALB need on any. */
export interface QuotaPeers {
  readonly clusters: readonly { readonly cluster: string; readonly index: number }[];
  readonly targets: number;
  readonly rules: number;
}

/** The QuotaPeers of each account and region, by `accountId/region`. */
function quotaPeersOf(demands: readonly { readonly cluster: ClusterSpec; readonly demand: ClusterDemand }[]): Map<string, QuotaPeers> {
  const peers = new Map<string, QuotaPeers>();
  for (const { cluster, demand } of [...demands].sort((a, b) => a.cluster.index - b.cluster.index)) {
    const key = `${cluster.accountId}/${cluster.region}`;
    const peer = peers.get(key) ?? { clusters: [], targets: 0, rules: 0 };
    const shared = [...albGroups(cluster, demand).values()].filter((group) => group.reason === 'shared');
    peers.set(key, {
      clusters: [...peer.clusters, { cluster: cluster.name, index: cluster.index }],
      targets: Math.max(peer.targets, ...demand.apps.map((app) => app.rollout.pods)),
      rules: Math.max(peer.rules, ...shared.map((group) => group.apps.length)),
    });
  }
  return peers;
}

/** Plans one cluster for what fleet.yaml places on it. */
export function planCluster(cluster: ClusterSpec, demand: ClusterDemand, context: PlanContext = {}): ClusterPlan {
  const { ipv6Clusters = [], path = 'clusters' } = context;
  const groups = cluster.nodeGroups.map((group) => planNodeGroup(cluster, group)).sort((a, b) => b.usablePodsPerNode - a.usablePodsPerNode);
  const podsWanted = podsOf(demand);
  const podsAtPeak = peakPodsOf(demand);
  const nodes = fillNodeGroups(groups, podsAtPeak);
  const nodeGroups = groups.map((group, index) => ({ ...group, nodesNeeded: nodes[index] }));
  const nodesNeeded = sum(nodes);
  const nodesMax = sum(groups.map((group) => group.maxSize));
  const podCapacity = sum(groups.map((group) => group.maxSize * group.usablePodsPerNode));

  let ipv4Addresses: Ipv4AddressPlan | null = null;
  let fix: ClusterFix | null = null;
  const subnets = privateSubnetBlocks(cluster);
  if (subnets) {
    const usable = sum(subnets.map((subnet) => subnet.usable));
    if (cluster.ipFamily === 'ipv4') {
      const held = ipv4NodeHoldings(groups, nodes, podsAtPeak);
      ipv4Addresses = { subnets, usable, pods: podsAtPeak, nodes: nodesNeeded, enis: held.enis, warm: held.addresses - podsAtPeak - held.enis, used: held.addresses };
      if (held.addresses > usable) {
        // Spare addresses once `pods` pods and their nodes have theirs; negative when they do not fit.
        const spareAddresses = (pods: number): number => usable - ipv4NodeHoldings(groups, fillNodeGroups(groups, pods), pods).addresses;
        fix = moveAppsFix(cluster.name, demand, spareAddresses, ipv6Clusters);
      }
    } else {
      ipv4Addresses = { subnets, usable, pods: 0, nodes: nodesNeeded, enis: nodesNeeded, warm: 0, used: nodesNeeded };
      if (nodesNeeded > usable) {
        const missing = nodesNeeded - usable;
        fix = {
          action: 'add-ipv4-addresses',
          missing,
          text: `add IPv4 blocks of ${count(missing)} more addresses to ${path}.ipv4Subnets (larger subnets, or more of them), or use larger instance types so fewer nodes run the same pods`,
        };
      }
    }
  }
  if (!fix && nodesNeeded > nodesMax) {
    const [first] = nodeGroups;
    fix = { action: 'raise-max-size', nodeGroup: first.name, maxSize: first.nodesNeeded, text: `raise maxSize of ${first.name} to ${first.nodesNeeded}` };
  }
  const loadBalancerAddresses = planLoadBalancerAddresses(cluster, demand, path, context.publicSubnetLoads);
  const publicSubnetFix: ClusterFix | null = loadBalancerAddresses?.missing && demand.apps.length
    ? { action: 'free-public-addresses', missing: loadBalancerAddresses.missing, text: publicSubnetFixText(cluster, loadBalancerAddresses) }
    : null;
  const loadBalancers = planLoadBalancers(cluster, demand);
  const loadBalancerFix = loadBalancers.overTargetQuota.length ? targetQuotaFix(cluster, loadBalancers.overTargetQuota[0], context) : null;
  const sharedLoadBalancerFixes = loadBalancers.overQuota.map((alb) => sharedAlbFix(cluster, alb, context));
  const requests = planRequests(nodeGroups, demand.apps);
  const verdict: Verdict = fix?.action === 'move-apps' || fix?.action === 'add-ipv4-addresses' || publicSubnetFix ? 'out of IPv4 addresses'
    : fix || requests?.cpuOver ? 'node-group max too small'
      : loadBalancerFix || sharedLoadBalancerFixes.length ? 'load balancer quota exceeded' : 'fits';
  return {
    cluster: cluster.name,
    pending: !isCluster(cluster),
    path,
    accountId: cluster.accountId,
    region: cluster.region,
    ipFamily: cluster.ipFamily,
    apps: demand.apps,
    addons: demand.addons,
    podsWanted,
    podsAtPeak,
    nodeGroups,
    nodesNeeded,
    nodesMax,
    podCapacity,
    ipv4Addresses,
    loadBalancerAddresses,
    loadBalancers,
    requests,
    verdict,
    fix,
    publicSubnetFix,
    loadBalancerFix,
    sharedLoadBalancerFixes,
  };
}

/** The ALBs of each account and region against its "Application Load Balancers per Region" quota: those of the clusters that exist. */
function planRegions(fleet: Fleet, plans: ReadonlyMap<string, ClusterPlan>): RegionPlan[] {
  const regions = new Map<string, RegionPlan>();
  for (const cluster of allClusters(fleet)) {
    const key = `${cluster.accountId}/${cluster.region}`;
    const region = regions.get(key) ?? {
      accountId: cluster.accountId,
      region: cluster.region,
      clusters: [],
      loadBalancers: 0,
      quota: cluster.loadBalancerQuotas.loadBalancersPerRegion,
      targetGroups: 0,
      targetGroupQuota: cluster.loadBalancerQuotas.targetGroupsPerRegion,
      targetGroupsByCluster: [],
      quotaDeclarations: [],
    };
    const declaration = { cluster: cluster.name, index: cluster.index, path: `${formatFieldPath(['clusters', cluster.index])}.loadBalancerQuotas.loadBalancersPerRegion` };
    const exists = isCluster(cluster);
    const loadBalancers = plans.get(cluster.name)!.loadBalancers;
    const targetGroups = exists ? sum(loadBalancers.albs.map((alb) => alb.targetGroups)) : 0;
    regions.set(key, {
      ...region,
      clusters: exists ? [...region.clusters, cluster.name] : region.clusters,
      loadBalancers: region.loadBalancers + (exists ? loadBalancers.loadBalancers : 0),
      targetGroups: region.targetGroups + targetGroups,
      targetGroupsByCluster: exists ? [...region.targetGroupsByCluster, { cluster: cluster.name, targetGroups }] : region.targetGroupsByCluster,
      quotaDeclarations: [...region.quotaDeclarations, declaration],
    });
  }
  return [...regions.values()].filter((region) => region.clusters.length)
    .map((region) => ({ ...region, targetGroupsByCluster: [...region.targetGroupsByCluster].sort((a, b) => b.targetGroups - a.targetGroups) }));
}

/** Plans every cluster of a valid fleet, pending ones for what they will hold once they exist. */
export function planFleet(fleet: Fleet): FleetPlan {
  const demands = fleet.clusters.map((cluster) => ({ cluster, demand: clusterDemand(fleet, cluster) }));
  const pendingDemands = fleet.pendingClusters.map((cluster) => ({ cluster, demand: clusterDemand(fleet, cluster) }));
  const loads = publicSubnetLoads(demands);
  const appPaths = new Map(fleet.apps.map((app, index) => [app.name, formatFieldPath(['apps', index])]));
  const appIndexes = new Map(fleet.apps.map((app, index) => [app.name, index]));
  const peers = quotaPeersOf([...demands, ...pendingDemands]);
  const plan = ({ cluster, demand }: { readonly cluster: ClusterSpec; readonly demand: ClusterDemand }, ipv6Clusters?: readonly string[]) =>
    planCluster(cluster, demand, {
      ipv6Clusters, path: formatFieldPath(['clusters', cluster.index]), publicSubnetLoads: loads, appPaths, appIndexes, quotaPeers: peers.get(`${cluster.accountId}/${cluster.region}`),
    });
  const ipv6Plans = new Map(demands.filter(({ cluster }) => cluster.ipFamily === 'ipv6').map((entry) => [entry.cluster.name, plan(entry)]));
  // Apps leaving an IPv4 cluster go where most pods are spare.
  const ipv6Clusters = [...ipv6Plans.values()]
    .sort((a, b) => (b.podCapacity - b.podsAtPeak) - (a.podCapacity - a.podsAtPeak))
    .map((ipv6Plan) => ipv6Plan.cluster);
  const plans = new Map(demands.map((entry) => [entry.cluster.name, ipv6Plans.get(entry.cluster.name) ?? plan(entry, ipv6Clusters)]));
  for (const entry of pendingDemands) plans.set(entry.cluster.name, plan(entry));
  const clusters = allClusters(fleet).map((cluster) => plans.get(cluster.name)!);
  return { daemonSetPodsPerNode, clusters, regions: planRegions(fleet, plans), vpcOverlaps: overlappingVpcs(fleet) };
}
