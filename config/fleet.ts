import { AddonKey, addonsWithIamRole, AddonWithIamRole } from '../catalog/addons';
import { AppFile, ClusterFile, FleetFileWithDefaults, IpFamily } from './schema';

/** A managed node group, as cluster-autoscaler sees it. */
export interface NodeGroup {
  readonly name: string;
  readonly instanceType: string;
  readonly minSize: number;
  readonly maxSize: number;
  /** Set only where fleet.yaml overrides the pods per node of the instance type. */
  readonly maxPods?: number;
}

/** An EKS cluster with every default of fleet.yaml applied. */
export interface Cluster {
  readonly name: string;
  readonly ipFamily: IpFamily;
  /** The Kubernetes minor version, e.g. "1.33". */
  readonly kubernetesVersion: string;
  readonly environment: string;
  readonly server: string;
  readonly region: string;
  readonly accountId: string;
  readonly vpcId: string;
  readonly subnets: readonly string[];
  /** On an IPv6 cluster, the IPv4 blocks of its dual-stack subnets, where nodes and load balancers take IPv4 addresses; absent when fleet.yaml does not say. */
  readonly ipv4Subnets?: readonly string[];
  /** The load balancer quotas of the cluster's account and region. */
  readonly loadBalancerQuotas: LoadBalancerQuotas;
  readonly nodeGroups: readonly NodeGroup[];
  readonly register: boolean;
  /** The role Argo CD assumes to reach the cluster (aws eks get-token --role-arn). */
  readonly argocdRoleArn: string;
  readonly caData?: string;
  readonly addons: Readonly<Record<AddonKey, boolean>>;
  readonly iamRoles: Readonly<Record<AddonWithIamRole, string>>;
}

/** Elastic Load Balancing quotas of an account and region. */
export interface LoadBalancerQuotas {
  readonly targetsPerLoadBalancer: number;
  readonly targetsPerTargetGroup: number;
  readonly loadBalancersPerRegion: number;
}

/** How an app's pods leave the ALB without dropping a request. */
export interface Rollout {
  /** The target group's deregistration delay, which the pod's preStop pause also waits out. */
  readonly deregistrationDelaySeconds: number;
  readonly terminationGracePeriodSeconds: number;
}

/** Time nginx gets, after the preStop pause, to finish what it serves before Kubernetes kills the pod. */
export const nginxShutdownSeconds = 15;

/** An app's rollout with its derived default: a grace period of the deregistration delay plus nginx's shutdown. */
export function resolveRollout(rollout: { readonly deregistrationDelaySeconds: number; readonly terminationGracePeriodSeconds?: number }): Rollout {
  return {
    deregistrationDelaySeconds: rollout.deregistrationDelaySeconds,
    terminationGracePeriodSeconds: rollout.terminationGracePeriodSeconds ?? rollout.deregistrationDelaySeconds + nginxShutdownSeconds,
  };
}

/** Where an app runs; a weight makes its DNS record a weighted one. */
export interface Placement {
  readonly cluster: string;
  readonly weight?: number;
}

/** An NGINX test app with its placements resolved. */
export interface App {
  readonly name: string;
  readonly backgroundColor: string;
  readonly containerPort: number;
  readonly replicas: number;
  readonly rollout: Rollout;
  readonly placements: readonly Placement[];
}

/** The validated fleet, every default applied: what charts render from. */
export interface Fleet {
  readonly repo: { readonly url: string; readonly revision: string; readonly path: string };
  readonly domain: string;
  readonly argocd: { readonly cluster: string; readonly namespace: string };
  /** Whether a node-group max too small, or a load balancer quota exceeded, stops synth ('error') or is reported ('warning'). */
  readonly capacity: { readonly nodeGroupMaxTooSmall: 'warning' | 'error'; readonly loadBalancerQuotaExceeded: 'warning' | 'error' };
  readonly clusters: readonly Cluster[];
  readonly apps: readonly App[];
}

function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** The IAM role name an add-on gets by default: <cluster>-<add-on in kebab-case>. */
export function defaultIamRoleArn(cluster: Pick<ClusterFile, 'name' | 'accountId'>, addon: AddonWithIamRole | 'argocd'): string {
  return `arn:aws:iam::${cluster.accountId}:role/${cluster.name}-${kebabCase(addon)}`;
}

function resolveCluster(cluster: ClusterFile): Cluster {
  const iamRoles = Object.fromEntries(
    addonsWithIamRole.map((key) => [key, cluster.iamRoles[key] ?? defaultIamRoleArn(cluster, key)]),
  ) as Record<AddonWithIamRole, string>;
  return {
    name: cluster.name,
    ipFamily: cluster.ipFamily,
    kubernetesVersion: cluster.kubernetesVersion,
    environment: cluster.environment,
    server: cluster.server.replace(/\/$/, ''),
    region: cluster.region,
    accountId: cluster.accountId,
    vpcId: cluster.vpcId,
    subnets: cluster.subnets,
    ipv4Subnets: cluster.ipv4Subnets,
    loadBalancerQuotas: cluster.loadBalancerQuotas,
    nodeGroups: cluster.nodeGroups,
    register: cluster.register,
    argocdRoleArn: cluster.argocdRoleArn ?? defaultIamRoleArn(cluster, 'argocd'),
    caData: cluster.caData,
    addons: cluster.addons,
    iamRoles,
  };
}

function resolvePlacements(app: AppFile, clusters: readonly Cluster[]): Placement[] {
  if (!app.clusters) {
    return clusters.filter((cluster) => cluster.ipFamily === 'ipv6').map((cluster) => ({ cluster: cluster.name }));
  }
  return app.clusters.map((entry) => (typeof entry === 'string' ? { cluster: entry } : { cluster: entry.name, weight: entry.weight }));
}

/**
 * The fleet charts render from: the validated file, its schema defaults filled in, with what
 * depends on other fields derived (role ARNs, placements, the Argo CD cluster).
 */
export function resolveFleet(file: FleetFileWithDefaults): Fleet {
  const clusters = file.clusters.map(resolveCluster);
  const firstIpv6 = clusters.find((cluster) => cluster.ipFamily === 'ipv6') ?? clusters[0];
  return {
    repo: file.repo,
    domain: file.domain,
    argocd: { cluster: file.argocd.cluster ?? firstIpv6.name, namespace: file.argocd.namespace },
    capacity: file.capacity,
    clusters,
    apps: file.apps.map((app) => ({
      name: app.name,
      backgroundColor: app.backgroundColor,
      containerPort: app.containerPort,
      replicas: app.replicas,
      rollout: resolveRollout(app.rollout),
      placements: resolvePlacements(app, clusters),
    })),
  };
}
