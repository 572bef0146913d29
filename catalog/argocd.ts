import { AddonKey } from './addons';

/** The annotation Argo CD orders a sync by: lower waves first, each healthy before the next. */
export const syncWaveAnnotation = 'argocd.argoproj.io/sync-wave';

/** Argo CD's name for the cluster it runs in. */
export const inClusterServer = 'https://kubernetes.default.svc';
/** Argo CD's cluster name for inClusterServer. */
export const inClusterName = 'in-cluster';

export const projectNames = {
  /** The root app and what it syncs: projects, ApplicationSets, cluster Secrets. */
  bootstrap: 'fleet-bootstrap',
  /** The NGINX test apps on one cluster. */
  apps: (cluster: string) => `fleet-apps-${cluster}`,
  /**
   * What the generator renders for the services (apps with a source) on one cluster: their
   * Namespaces and Ingresses, from this repository only.
   */
  services: (cluster: string) => `fleet-services-${cluster}`,
  /** One service's own source, wherever it is placed: only its repository, its namespace and the cluster-scoped kinds it declares. */
  service: (app: string) => `fleet-service-${app}`,
  /** The cluster add-ons. */
  addons: 'fleet-addons',
  /** Argo CD managing itself. */
  argocd: 'fleet-argocd',
  /** The admission policies every registered cluster enforces for the services (charts/admission.ts). */
  admission: 'fleet-admission',
} as const;

/** The Applications of the platform's own: Argo CD's, the root app, and on every cluster its admission policies' (charts/admission.ts). */
export const platformApplicationNames = {
  argocd: 'argo-cd',
  root: 'fleet-root',
  admission: (cluster: string) => `fleet-admission-${cluster}`,
} as const;

/**
 * The Application of a service's Namespace and Ingresses on a cluster (charts/cluster-apps.ts
 * ServiceApps), beside `<app>-<cluster>`, its source's.
 */
export function servicePlatformApplication(app: string, cluster: string): string {
  return `${app}-${cluster}-platform`;
}

/**
 * The sync waves of what the root app syncs (`argocd.argoproj.io/sync-wave`): a cluster's
 * registration, then the projects, then the ApplicationSets and Applications (wave 0, Argo CD's
 * default, so unannotated). Argo CD applies lower waves first, and prunes in the reverse order:
 * gitops-engine swaps the waves of the prune tasks end for end, by the wave each pruned object
 * carries live, and starts a wave only once every object pruned before it is gone
 * (gitops-engine/pkg/sync/sync_context.go at argo-cd v3.4.4, getSyncTasks and Sync, "if pruned
 * tasks pending deletion, then wait"), deleting with foreground propagation (getDeleteOptions),
 * so an ApplicationSet is gone only once its Applications are. When a cluster's apps or the
 * cluster itself leave dist/ in one sync, the ApplicationSet goes first, its Applications
 * finalized (their apps deleted, or left where released) while their project and their cluster's
 * registration still exist; then the project; the registration last. No finalizer then waits
 * for a project that is gone, and none is skipped because the cluster went first.
 */
export const rootSyncWaves = { clusterSecret: '-2', project: '-1' } as const;

/**
 * Annotations of the root app that record what the whole fleet hangs on, so that synth and
 * npm run diff can tell when a change moves it (diff/fleet-moves.ts).
 */
export const fleetAnnotationKeys = {
  /** The cluster Argo CD runs on (argocd.cluster). */
  argocdCluster: 'fleet/argocd-cluster',
  /** The account of the Route 53 hosted zone (domainAccountId). */
  domainAccountId: 'fleet/domain-account-id',
} as const;

/** The labels and annotations ApplicationSets select clusters by and template from. */
export const clusterLabelKeys = {
  secretType: 'argocd.argoproj.io/secret-type',
  ipFamily: 'ip-family',
  environment: 'environment',
  /** The wave of a fleet with waves (fleet.yaml waves): the add-on ApplicationSets give each wave's clusters that wave's chart version and values. */
  wave: 'fleet/wave',
} as const;

export const clusterAnnotationKeys = {
  region: 'aws-region',
  accountId: 'aws-account-id',
  vpcId: 'vpc-id',
  clusterName: 'aws-cluster-name',
} as const;

/** `enable_cert_manager` for certManager: the label an add-on's ApplicationSet selects clusters by. */
export function addonEnableLabel(addon: AddonKey): string {
  return `enable_${addon.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)}`;
}

/**
 * The finalizer that makes deleting an Application delete what it deployed, and deleting an
 * AppProject wait until no Application uses it (Argo CD's declarative-setup docs, "Projects";
 * argo-cd #3967). Without it on a project, pruning the project together with its Applications
 * (one file of dist/ holds both) can remove the project first, and Argo CD then cannot finalize
 * the Applications: their deletion fails and what they deployed stays (argo-cd #4369).
 */
export const resourcesFinalizer = 'resources-finalizer.argocd.argoproj.io';

/**
 * Retries with exponential backoff, without end: how a sync converges when what it needs is not
 * there yet (a CRD another Application installs, a webhook whose pods are still starting). A
 * negative limit retries forever (Argo CD's Application spec: "unlimited number of attempts if
 * less than 0"); a finite one gives up after it and waits for a human. `refresh` retries with the
 * newest revision, so a fix pushed meanwhile is picked up.
 */
export const syncRetry = { limit: -1, refresh: true, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } } as const;

/** The labels that make a namespace enforce (and warn and audit) a Pod Security level: a service's, restricted unless it declares baseline. */
export function podSecurityLabels(level: 'restricted' | 'baseline'): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/warn': level,
    'pod-security.kubernetes.io/audit': level,
  };
}

/** The labels that make a namespace enforce (and warn and audit) Pod Security "restricted". */
export const restrictedNamespaceLabels: Readonly<Record<string, string>> = podSecurityLabels('restricted');

/** Namespaces of the cluster's own (EKS), which an Application must not relabel. */
export const systemNamespaces = ['kube-system', 'kube-public', 'kube-node-lease', 'default'] as const;

/**
 * The namespaced kinds a service's source may not apply (charts/cluster-apps.ts ServiceProjectChart; the clusters' delete hooks policy too, catalog/admission.ts): Argo CD's own; the
 * Ingress and whatever else reaches a load balancer or a DNS name: the AWS Load Balancer
 * Controller's kinds (TargetGroupBinding; v3's Gateway API configuration in gateway.k8s.aws, its
 * Global Accelerator kinds in aga.k8s.aws), the Gateway API's routes and gateways, and
 * cert-manager's, whose ACME HTTP-01 solver creates an Ingress (or adds a rule to one) with the
 * host and the annotations an Issuer gives it (cert-manager v1.21 pkg/issuer/acme/http/ingress.go).
 */
export const serviceBlacklist = [
  { group: 'argoproj.io', kind: '*' },
  { group: 'networking.k8s.io', kind: 'Ingress' },
  { group: 'elbv2.k8s.aws', kind: '*' },
  { group: 'gateway.k8s.aws', kind: '*' },
  { group: 'aga.k8s.aws', kind: '*' },
  { group: 'gateway.networking.k8s.io', kind: '*' },
  { group: 'cert-manager.io', kind: '*' },
  { group: 'acme.cert-manager.io', kind: '*' },
  // A Service without a selector and endpoints of the source's own would send its host on the shared
  // ALB to any address: the load balancer controller registers what an EndpointSlice says
  // (aws-load-balancer-controller v3.5.0 pkg/backend/endpoint_resolver.go); core Endpoints are
  // mirrored into EndpointSlices.
  { group: 'discovery.k8s.io', kind: 'EndpointSlice' },
  { group: '', kind: 'Endpoints' },
] as const;
