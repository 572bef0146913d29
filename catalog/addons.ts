/**
 * The add-on catalog: every upstream Helm chart the fleet installs, pinned, with what the rest
 * of the generator needs to know about it. Adding an add-on is one entry here, its values
 * builder (values/) and its chart data (data/charts/); the compiler points at the rest.
 */

/** An upstream Helm chart at a pinned version, and where its release goes. */
export interface HelmChart {
  readonly chart: string;
  readonly repoURL: string;
  readonly version: string;
  readonly releaseName: string;
  readonly namespace: string;
}

/** A Kubernetes kind, as AppProjects and ignoreDifferences name it. */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** A field Argo CD must not count as drift (an Application's spec.ignoreDifferences entry). */
export interface IgnoredDifference extends GroupKind {
  readonly name?: string;
  readonly jsonPointers?: readonly string[];
  readonly jqPathExpressions?: readonly string[];
}

/** One chart: its pin and what the fleet's Argo CD projects and IAM need of it. */
export interface CatalogEntry extends HelmChart {
  /** The kinds outside a namespace the chart creates. */
  readonly clusterScopedKinds: readonly GroupKind[];
  /** Fields the cluster or the chart changes after every sync. */
  readonly ignoreDifferences?: readonly IgnoredDifference[];
  /** The chart's ServiceAccount that calls AWS APIs, when the add-on does. */
  readonly awsServiceAccount?: string;
}

/** A cluster add-on: a chart every cluster may run, and the pods it runs there. */
export interface AddonEntry extends CatalogEntry {
  /** Pods the chart runs at the replica counts its values set (hook Jobs that finish are not counted); a test counts them in its render. */
  readonly pods: number;
}

const rbac: readonly GroupKind[] = [
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
];
const webhooks: readonly GroupKind[] = [
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
];

/**
 * The add-ons, by their key in fleet.yaml (`clusters[].addons.<key>`). Upgrading one is a version
 * bump here, then `npm run refresh:charts` with the new chart, and the tests.
 */
export const addonCatalog = {
  certManager: {
    chart: 'cert-manager',
    repoURL: 'https://charts.jetstack.io',
    version: 'v1.21.1',
    releaseName: 'cert-manager',
    namespace: 'cert-manager',
    // controller, webhook, cainjector
    pods: 3,
    clusterScopedKinds: [...rbac, ...webhooks],
  },
  awsLoadBalancerController: {
    chart: 'aws-load-balancer-controller',
    repoURL: 'https://aws.github.io/eks-charts',
    version: '3.5.0',
    releaseName: 'aws-load-balancer-controller',
    namespace: 'kube-system',
    pods: 2,
    clusterScopedKinds: [
      ...rbac,
      ...webhooks,
      { group: 'networking.k8s.io', kind: 'IngressClass' },
      { group: 'elbv2.k8s.aws', kind: 'IngressClassParams' },
    ],
    // Without cert-manager the chart generates a new webhook certificate on every render, so
    // these fields would never match.
    ignoreDifferences: [
      { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
      { group: '', kind: 'Secret', name: 'aws-load-balancer-tls', jsonPointers: ['/data'] },
    ],
    awsServiceAccount: 'aws-load-balancer-controller',
  },
  clusterAutoscaler: {
    chart: 'cluster-autoscaler',
    repoURL: 'https://kubernetes.github.io/autoscaler',
    version: '9.59.0',
    releaseName: 'cluster-autoscaler',
    namespace: 'kube-system',
    pods: 1,
    clusterScopedKinds: rbac.slice(1),
    awsServiceAccount: 'cluster-autoscaler',
  },
  externalDns: {
    chart: 'external-dns',
    repoURL: 'https://kubernetes-sigs.github.io/external-dns/',
    version: '1.21.1',
    releaseName: 'external-dns',
    namespace: 'external-dns',
    pods: 1,
    clusterScopedKinds: rbac.slice(1),
    awsServiceAccount: 'external-dns',
  },
} as const satisfies Record<string, AddonEntry>;

export type AddonKey = keyof typeof addonCatalog;
export const addonKeys = Object.keys(addonCatalog) as AddonKey[];

/** The add-ons that call AWS APIs, and so need an IAM role. */
export type AddonWithIamRole = { [K in AddonKey]: typeof addonCatalog[K] extends { readonly awsServiceAccount: string } ? K : never }[AddonKey];
export const addonsWithIamRole = addonKeys.filter((key): key is AddonWithIamRole => 'awsServiceAccount' in addonCatalog[key]);

/**
 * Argo CD's own chart; the release name matches a first install done with `helm install argocd ...`.
 * It runs on fleet.argocd.cluster only, with replicas sized from the fleet (values/argo-cd.ts).
 */
export const argocdChart = {
  chart: 'argo-cd',
  repoURL: 'https://argoproj.github.io/argo-helm',
  version: '10.1.1',
  releaseName: 'argocd',
  namespace: 'argocd',
  clusterScopedKinds: rbac,
} as const satisfies CatalogEntry;

/** Every chart the fleet installs: the add-ons, then Argo CD. */
export const allCharts: readonly CatalogEntry[] = [...addonKeys.map((key) => addonCatalog[key]), argocdChart];
export type ChartName = typeof addonCatalog[AddonKey]['chart'] | typeof argocdChart['chart'];
export const chartNames = allCharts.map((entry) => entry.chart) as ChartName[];

/** The kinds outside a namespace that the charts create, plus the namespaces Argo CD creates for them. */
export function clusterScopedKinds(charts: readonly CatalogEntry[]): GroupKind[] {
  const kinds: GroupKind[] = [{ group: '', kind: 'Namespace' }];
  for (const kind of charts.flatMap((entry) => entry.clusterScopedKinds)) {
    if (!kinds.some((known) => known.group === kind.group && known.kind === kind.kind)) kinds.push(kind);
  }
  return kinds;
}

/**
 * The cluster-autoscaler image tag for each Kubernetes minor version: its minor versions match
 * Kubernetes' exactly and are tested against that version only (kubernetes/autoscaler,
 * cluster-autoscaler/README.md, "Releases"). The chart's own default, v1.35.0, is right for 1.35
 * clusters alone. Patch releases from kubernetes/autoscaler's releases (promoted to
 * registry.k8s.io). A cluster of another version with cluster-autoscaler on is a fleet.yaml error.
 */
export const clusterAutoscalerImageTags: Readonly<Record<string, string>> = {
  '1.32': 'v1.32.5',
  '1.33': 'v1.33.5',
  '1.34': 'v1.34.4',
  '1.35': 'v1.35.1',
  // kubernetes/autoscaler tag cluster-autoscaler-1.36.1 (EKS supports 1.36 since June 2026).
  '1.36': 'v1.36.1',
};
