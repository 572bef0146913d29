import { AddonKey } from '../catalog/addons';
import { resolveWaves, Wave, WavePins } from './waves';
import { RollingUpdate, serviceRollingUpdate, testAppRollingUpdate } from '../catalog/test-app';
import { FreeMapping } from './schema-builder';
import { privateIpv4Subnets, publicIpv4Subnets } from './vpc-layout';
import { AppFile, ClusterFile, FleetFileWithDefaults, IdentityModel, IpFamily, LoadBalancerMode, PodSecurityLevel, ProvisioningMode } from './schema';

/** A managed node group, as cluster-autoscaler sees it. */
export interface NodeGroup {
  readonly name: string;
  readonly instanceType: string;
  readonly minSize: number;
  readonly maxSize: number;
  /** Set only where fleet.yaml overrides the pods per node of the instance type. */
  readonly maxPods?: number;
}

/** Who can reach an existing cluster's API server, as `aws eks describe-cluster` says. */
export interface EndpointAccess {
  /** Whether it has a public endpoint; false: private-only. */
  readonly public: boolean;
  /** The CIDR blocks its public endpoint admits. */
  readonly publicCidrs?: readonly string[];
}

/** The VPC the project creates for a cluster (provisioning: create). */
export interface VpcSettings {
  /** The VPC's IPv4 block. */
  readonly cidr: string;
  readonly dns64: boolean;
  /** The availability zones it spans (3, or 2 where the region offers the account only two). */
  readonly zones: number;
  /** The IPv4 blocks of its private subnets, one per zone: fleet.yaml's (ipv4Subnets, or subnets on an IPv4 cluster) or those of config/vpc-layout.ts. */
  readonly privateIpv4Subnets: readonly string[];
}

/**
 * What fleet.yaml says of an EKS cluster, defaults applied, before it exists: enough for
 * dist/terraform/ to create it (provisioning: create) or to read it (existing).
 */
export interface ClusterSpec {
  readonly name: string;
  /** The cluster's index in fleet.yaml's clusters, for messages that point at it. */
  readonly index: number;
  readonly ipFamily: IpFamily;
  /** The Kubernetes minor version, e.g. "1.33". */
  readonly kubernetesVersion: string;
  readonly environment: string;
  readonly region: string;
  readonly accountId: string;
  readonly provisioning: ProvisioningMode;
  /** How the add-ons get AWS credentials. */
  readonly identity: IdentityModel;
  /** Step 1 of an identity switch: the model Terraform adds beside identity, while the add-ons' values stay on identity. */
  readonly nextIdentity?: IdentityModel;
  /** Step 2 of an identity switch: the model running pods may still use, whose roles stay until fleet.yaml drops it. */
  readonly previousIdentity?: IdentityModel;
  /** The IAM principals with cluster admin and KMS key administration on a cluster the project creates: fleet.yaml's fleet-wide ones, then the cluster's. */
  readonly administrators: readonly string[];
  /** The CIDR blocks that may reach a created cluster's public endpoint; absent: the endpoint is private. */
  readonly endpointPublicAccessCidrs?: readonly string[];
  /** On a cluster that exists: who can reach its API server, as import-clusters read it from describe-cluster; absent when not read. */
  readonly endpointAccess?: EndpointAccess;
  /** Whether Argo CD's cluster reaches this cluster's private endpoint (a shared VPC, peering or transit gateway the fleet sets up). */
  readonly argocdReachesPrivateEndpoint: boolean;
  /** Set on a cluster the project creates. */
  readonly vpc?: VpcSettings;
  /**
   * On an IPv6 cluster, the IPv4 blocks of its dual-stack subnets, where nodes and load balancers
   * take IPv4 addresses: from fleet.yaml, or for a VPC the project creates the blocks it gives
   * its private subnets; absent when neither says.
   */
  readonly ipv4Subnets?: readonly string[];
  /**
   * The IPv4 blocks of the public subnets the load balancer controller puts the apps' internet-facing
   * ALBs in, one per zone: for a VPC the project creates its layout's (config/vpc-layout.ts), else
   * fleet.yaml's publicSubnets; absent when neither says.
   */
  readonly publicSubnets?: readonly string[];
  /** The load balancer quotas of the cluster's account and region. */
  readonly loadBalancerQuotas: LoadBalancerQuotas;
  /** How many shared ALBs (IngressGroups) the cluster's apps are spread over (config/load-balancer-groups.ts). */
  readonly sharedLoadBalancers: number;
  readonly nodeGroups: readonly NodeGroup[];
  readonly register: boolean;
  readonly addons: Readonly<Record<AddonKey, boolean>>;
  /** Whether the apps without `clusters` run here (an IPv6 cluster that did not opt out: takesDefaultApps). */
  readonly defaultApps: boolean;
  /** Whether Argo CD lets go of the cluster's apps: deleting their Applications leaves them running (charts/cluster-apps.ts). */
  readonly release: boolean;
}

/** An EKS cluster that exists, with every default of fleet.yaml applied: what Argo CD registers and apps run on. */
export interface Cluster extends ClusterSpec {
  readonly server: string;
  readonly vpcId: string;
  readonly subnets: readonly string[];
  readonly caData?: string;
}

/** Elastic Load Balancing quotas of an account and region. */
export interface LoadBalancerQuotas {
  readonly targetsPerLoadBalancer: number;
  readonly targetsPerTargetGroup: number;
  readonly loadBalancersPerRegion: number;
  readonly targetGroupsPerRegion: number;
  readonly rulesPerLoadBalancer: number;
  readonly certificatesPerLoadBalancer: number;
}

/** How an app's pods leave the ALB without dropping a request. */
export interface Rollout {
  /** The target group's deregistration delay. */
  readonly deregistrationDelaySeconds: number;
  /** How long a going pod keeps serving before nginx gets its stop signal (the preStop pause). */
  readonly drainSeconds: number;
  readonly terminationGracePeriodSeconds: number;
}

/** Time nginx gets, after the preStop pause, to finish what it serves before Kubernetes kills the pod. */
export const nginxShutdownSeconds = 15;

/** The shortest time nginx may get after the pause: it finishes its requests in flight (a graceful quit). */
export const minimumShutdownSeconds = 5;

/**
 * The shortest preStop pause, whatever the deregistration delay: a going pod leaves the
 * Service's endpoints at once, but the load balancer controller deregisters it from the target
 * group only when it next reconciles, and the ALB takes a few seconds more to stop sending it
 * requests (its pod graceful shutdown docs advise a preStop sleep for this). With a delay of 0
 * nginx would otherwise stop while requests still arrive.
 */
export const minimumDrainSeconds = 10;

/** An app's rollout with its derived values: a pause of the deregistration delay (at least minimumDrainSeconds), a grace period of the pause plus nginx's shutdown. */
export function resolveRollout(rollout: { readonly deregistrationDelaySeconds: number; readonly terminationGracePeriodSeconds?: number }): Rollout {
  const drainSeconds = Math.max(rollout.deregistrationDelaySeconds, minimumDrainSeconds);
  return {
    deregistrationDelaySeconds: rollout.deregistrationDelaySeconds,
    drainSeconds,
    terminationGracePeriodSeconds: rollout.terminationGracePeriodSeconds ?? drainSeconds + nginxShutdownSeconds,
  };
}

/** Where an app runs; a weight makes its DNS record a weighted one. */
export interface Placement {
  readonly cluster: string;
  readonly weight?: number;
}

/** What every app has, test page or service, with its placements resolved: what placement, DNS, ALBs and the plan read. */
interface AppBase {
  readonly name: string;
  /** The pods per cluster it runs on. */
  readonly replicas: number;
  /** Whether the app asks for an ALB of its own on every cluster it runs on (fleet.yaml's loadBalancer). */
  readonly loadBalancer: LoadBalancerMode;
  /** Step 1 of a move to another ALB: the ALB the app gets a second, unpublished Ingress on (config/load-balancer-groups.ts appIngresses). */
  readonly nextLoadBalancer?: LoadBalancerMode;
  /** Step 2 of a move to another ALB: the ALB an unpublished Ingress keeps serving the app on. */
  readonly previousLoadBalancer?: LoadBalancerMode;
  readonly placements: readonly Placement[];
  /** Whether fleet.yaml gives the app no clusters, so that it runs on every IPv6 cluster: a new one takes it too. */
  readonly placedByDefault: boolean;
  /** How its Deployment rolls out, which the plan's rollout peak counts: the test page's 5%/5%, a service's Kubernetes default 25%/25%. */
  readonly rollingUpdate: RollingUpdate;
}

/** An NGINX test app (fleet.yaml's app without source). */
export interface TestApp extends AppBase {
  readonly kind: 'test';
  readonly backgroundColor: string;
  readonly containerPort: number;
  readonly rollout: Rollout;
}

/** A Helm chart from a Helm repository (https://) or an OCI registry (oci://), at an exact version. */
export interface ChartSource {
  readonly type: 'chart';
  readonly repoURL: string;
  readonly name: string;
  readonly version: string;
  /** The chart archive vendored in this repository, from its root: npm run check renders it offline. */
  readonly archive?: string;
}

/** A path of plain manifests or a kustomization in a Git repository, at a pinned revision (a full commit SHA or a semver tag). */
export interface GitSource {
  readonly type: 'git';
  readonly repoURL: string;
  readonly revision: string;
  readonly path: string;
}

export type ServiceSource = ChartSource | GitSource;

/** The Service the generator's Ingress routes https://<host>.<domain> to, in the app's namespace. */
export interface Expose {
  readonly service: string;
  readonly port: number;
  /** The first label of its hostname: fleet.yaml's expose.host, else the app's name. */
  readonly host: string;
  readonly healthCheckPath: string;
  /** The target group's deregistration delay (expose.deregistrationDelaySeconds, default 30). */
  readonly deregistrationDelaySeconds: number;
}

/** A cluster-scoped kind a service's source may create. */
export interface ClusterResource {
  /** The API group, '' for the core group. */
  readonly group: string;
  readonly kind: string;
}

/** What a service that calls AWS needs: its pods' ServiceAccount and the managed policies of its role. */
export interface ServiceAws {
  readonly serviceAccount: string;
  readonly policyArns: readonly string[];
  /** Chart services: the values path (keys joined by dots) of that ServiceAccount's annotations, where an IRSA cluster's values file gets the role ARN. */
  readonly irsaAnnotationsValue?: string;
}

/** A service of the team's own (fleet.yaml's app with source), placed as the test apps are. */
export interface ServiceApp extends AppBase {
  readonly kind: 'service';
  readonly source: ServiceSource;
  /** Chart services: Helm values on every cluster ({} for git services). */
  readonly values: FreeMapping;
  /** Chart services: Helm values per cluster over values, by cluster name; only clusters the app is placed on. */
  readonly clusterValues: Readonly<Record<string, FreeMapping>>;
  readonly expose: Expose;
  /** What each pod requests, where fleet.yaml says. */
  readonly resources?: { readonly cpu?: string; readonly memory?: string };
  readonly podSecurity: PodSecurityLevel;
  /** Cluster-scoped kinds the source may create, beside the Namespace the generator renders. */
  readonly clusterResources: readonly ClusterResource[];
  /** Whether the source may render Roles and RoleBindings in its namespace (fleet.yaml's rbac, default false). */
  readonly rbac: boolean;
  readonly aws?: ServiceAws;
}

/** An app of fleet.yaml: every consumer decides what it does with each kind. */
export type App = TestApp | ServiceApp;

/** Whether an app is the NGINX test page (has no source). */
export function isTestApp(app: App): app is TestApp {
  return app.kind === 'test';
}

/** Whether an app is a service (has a source), as opposed to the NGINX test page. */
export function isService(app: App): app is ServiceApp {
  return app.kind === 'service';
}

/** The validated fleet, every default applied: what charts render from. */
export interface Fleet {
  readonly repo: { readonly url: string; readonly revision: string; readonly path: string };
  readonly domain: string;
  /** The account whose Route 53 hosted zone holds `domain`. */
  readonly domainAccountId: string;
  /** Argo CD's cluster (which may still be pending) and namespace. */
  readonly argocd: { readonly cluster: string; readonly namespace: string };
  /** Whether a node-group max too small, or a load balancer quota exceeded, stops synth ('error') or is reported ('warning'). */
  readonly capacity: { readonly nodeGroupMaxTooSmall: 'warning' | 'error'; readonly loadBalancerQuotaExceeded: 'warning' | 'error' };
  /** The clusters that exist: Argo CD registers them and apps run on them. */
  readonly clusters: readonly Cluster[];
  /**
   * The clusters the project creates that `terraform apply` and `npm run import-clusters` have
   * not brought into fleet.yaml yet: only dist/terraform/ renders them.
   */
  readonly pendingClusters: readonly ClusterSpec[];
  readonly apps: readonly App[];
  /** The waves a shared change reaches in turn (config/waves.ts); none without fleet.yaml's waves. */
  readonly waves: readonly Wave[];
  /** What each later wave's pinned commit holds, read with git before rendering (rollout/pins.ts withWavePins). */
  readonly wavePins?: WavePins;
}

/** The wave a cluster is in; undefined in a fleet without waves. */
export function waveOf(fleet: Fleet, cluster: string): Wave | undefined {
  return fleet.waves.find((wave) => wave.clusters.includes(cluster));
}

const appsByCluster = new WeakMap<Fleet, ReadonlyMap<string, readonly App[]>>();

/**
 * The apps placed on a cluster, in fleet.yaml's order. Indexed once per fleet: filtering every
 * app for every cluster would be millions of steps at 100,000 apps.
 */
export function appsOn(fleet: Fleet, cluster: string): readonly App[] {
  let index = appsByCluster.get(fleet);
  if (!index) {
    const placed = new Map<string, App[]>();
    for (const app of fleet.apps) {
      for (const placement of app.placements) {
        const apps = placed.get(placement.cluster) ?? [];
        if (apps[apps.length - 1] !== app) apps.push(app);
        placed.set(placement.cluster, apps);
      }
    }
    appsByCluster.set(fleet, (index = placed));
  }
  return index.get(cluster) ?? [];
}

/** Every cluster of the fleet, existing and pending, in fleet.yaml's order. */
export function allClusters(fleet: Fleet): ClusterSpec[] {
  return [...fleet.clusters, ...fleet.pendingClusters].sort((a, b) => a.index - b.index);
}

/** Whether a cluster exists (has its endpoint, VPC and subnets), as opposed to pending. */
export function isCluster(cluster: ClusterSpec): cluster is Cluster {
  return 'server' in cluster;
}

/** Whether the apps without `clusters` run on a cluster: every IPv6 cluster but those that opt out (defaultApps: false). */
export function takesDefaultApps(cluster: { readonly ipFamily: IpFamily; readonly defaultApps: boolean }): boolean {
  return cluster.ipFamily === 'ipv6' && cluster.defaultApps;
}

/**
 * The clusters Argo CD runs on when fleet.yaml does not say (argocd.cluster): the IPv6 ones, or
 * every cluster of a fleet without one. With one candidate the choice is implied; with more,
 * fleet.yaml must name it (config/rules.ts), so that adding or reordering clusters never moves Argo CD.
 */
export function argocdCandidates<T extends { readonly ipFamily: IpFamily }>(clusters: readonly T[]): T[] {
  const ipv6 = clusters.filter((cluster) => cluster.ipFamily === 'ipv6');
  return ipv6.length ? ipv6 : [...clusters];
}

/**
 * Whether a cluster's add-ons have roles of this identity model in Terraform: its own, the one it
 * is switching to (created before the values switch), or the one running pods may still use.
 * The add-ons' values (the IRSA annotation) follow `identity` alone.
 */
export function hasIdentity(cluster: ClusterSpec, model: IdentityModel): boolean {
  return cluster.identity === model || cluster.nextIdentity === model || cluster.previousIdentity === model;
}

function resolveClusterSpec(cluster: ClusterFile, index: number, fleetAdministrators: readonly string[]): ClusterSpec {
  const given = cluster.ipFamily === 'ipv6' ? cluster.ipv4Subnets : cluster.subnets;
  const zones = cluster.vpc.availabilityZones;
  const vpc = cluster.provisioning === 'create'
    ? { cidr: cluster.vpc.cidr, dns64: cluster.vpc.dns64, zones, privateIpv4Subnets: given ?? privateIpv4Subnets(cluster.vpc.cidr, zones) }
    : undefined;
  const ipv4Subnets = cluster.ipFamily === 'ipv6' ? vpc?.privateIpv4Subnets ?? cluster.ipv4Subnets : undefined;
  const publicSubnets = vpc ? publicIpv4Subnets(vpc.cidr, vpc.zones) : cluster.publicSubnets;
  return {
    name: cluster.name,
    index,
    ipFamily: cluster.ipFamily,
    kubernetesVersion: cluster.kubernetesVersion,
    environment: cluster.environment,
    region: cluster.region,
    accountId: cluster.accountId,
    provisioning: cluster.provisioning,
    identity: cluster.identity,
    nextIdentity: cluster.nextIdentity,
    previousIdentity: cluster.previousIdentity,
    administrators: [...new Set([...fleetAdministrators, ...(cluster.administrators ?? [])])],
    endpointPublicAccessCidrs: cluster.endpointPublicAccessCidrs,
    endpointAccess: cluster.endpointAccess.public === undefined ? undefined : { public: cluster.endpointAccess.public, publicCidrs: cluster.endpointAccess.publicCidrs },
    argocdReachesPrivateEndpoint: cluster.argocdReachesPrivateEndpoint,
    vpc,
    ipv4Subnets,
    publicSubnets,
    loadBalancerQuotas: cluster.loadBalancerQuotas,
    sharedLoadBalancers: cluster.sharedLoadBalancers,
    nodeGroups: cluster.nodeGroups,
    register: cluster.register,
    addons: cluster.addons,
    defaultApps: cluster.defaultApps,
    release: cluster.release,
  };
}

/**
 * The cluster, or undefined while it is pending: a cluster the project creates whose endpoint,
 * VPC and subnets are not in fleet.yaml yet (config/rules.ts refuses a cluster that exists
 * without them, and a half-imported one).
 */
function resolveCluster(spec: ClusterSpec, cluster: ClusterFile): Cluster | undefined {
  if (cluster.server === undefined || cluster.vpcId === undefined || cluster.subnets === undefined) return undefined;
  return { ...spec, server: cluster.server.replace(/\/$/, ''), vpcId: cluster.vpcId, subnets: cluster.subnets, caData: cluster.caData };
}

function resolvePlacements(app: AppFile, clusters: readonly ClusterSpec[]): Placement[] {
  if (!app.clusters) {
    return clusters.filter(takesDefaultApps).map((cluster) => ({ cluster: cluster.name }));
  }
  return app.clusters.map((entry) => (typeof entry === 'string' ? { cluster: entry } : { cluster: entry.name, weight: entry.weight }));
}

/** The source of a service, as fleet.yaml has it (config/rules.ts holds it to exactly one of chart or git). */
function resolveSource(source: NonNullable<AppFile['source']>): ServiceSource {
  if (source.chart) {
    const { repoURL, name, version, archive } = source.chart;
    return { type: 'chart', repoURL, name, version, ...(archive === undefined ? {} : { archive }) };
  }
  const { repoURL, revision, path } = source.git!;
  return { type: 'git', repoURL, revision, path };
}

/** An app of fleet.yaml, resolved: a test app without source, a service with it (config/rules.ts has checked which fields each has). */
function resolveApp(app: AppFile, clusters: readonly ClusterSpec[]): App {
  const base = {
    name: app.name,
    replicas: app.replicas,
    loadBalancer: app.loadBalancer,
    ...(app.nextLoadBalancer ? { nextLoadBalancer: app.nextLoadBalancer } : {}),
    ...(app.previousLoadBalancer ? { previousLoadBalancer: app.previousLoadBalancer } : {}),
    placements: resolvePlacements(app, clusters),
    placedByDefault: !app.clusters,
  };
  if (!app.source) {
    return {
      kind: 'test',
      ...base,
      rollingUpdate: testAppRollingUpdate,
      backgroundColor: app.backgroundColor!,
      containerPort: app.containerPort!,
      rollout: resolveRollout(app.rollout),
    };
  }
  const expose = app.expose!;
  return {
    kind: 'service',
    ...base,
    rollingUpdate: serviceRollingUpdate,
    source: resolveSource(app.source),
    values: app.values ?? {},
    clusterValues: (app.clusterValues ?? {}) as Readonly<Record<string, FreeMapping>>,
    expose: { service: expose.service, port: expose.port, host: expose.host ?? app.name, healthCheckPath: expose.healthCheckPath, deregistrationDelaySeconds: expose.deregistrationDelaySeconds },
    ...(app.resources ? { resources: app.resources } : {}),
    podSecurity: app.podSecurity ?? 'restricted',
    clusterResources: app.clusterResources ?? [],
    rbac: app.rbac ?? false,
    ...(app.aws ? {
      aws: {
        serviceAccount: app.aws.serviceAccount,
        policyArns: app.aws.policyArns,
        ...(app.aws.irsaAnnotationsValue ? { irsaAnnotationsValue: app.aws.irsaAnnotationsValue } : {}),
      },
    } : {}),
  };
}

/**
 * The fleet charts render from: the validated file, its schema defaults filled in, with what
 * depends on other fields derived (role ARNs, placements, the Argo CD cluster).
 */
export function resolveFleet(file: FleetFileWithDefaults): Fleet {
  const specs = file.clusters.map((cluster, index) => resolveClusterSpec(cluster, index, file.administrators ?? []));
  const clusters: Cluster[] = [];
  const pendingClusters: ClusterSpec[] = [];
  specs.forEach((spec, index) => {
    const cluster = resolveCluster(spec, file.clusters[index]);
    if (cluster) clusters.push(cluster);
    else pendingClusters.push(spec);
  });
  // Without argocd.cluster there is one candidate (config/rules.ts refuses more), and so one account.
  const argocdCluster = file.argocd.cluster ?? argocdCandidates(specs)[0].name;
  return {
    repo: file.repo,
    domain: file.domain,
    domainAccountId: file.domainAccountId ?? specs.find((cluster) => cluster.name === argocdCluster)!.accountId,
    argocd: { cluster: argocdCluster, namespace: file.argocd.namespace },
    capacity: file.capacity,
    clusters,
    pendingClusters,
    apps: file.apps.map((app) => resolveApp(app, clusters)),
    waves: resolveWaves(file),
  };
}
