/**
 * The layout of dist/: where every file goes, in one place. One folder per Argo CD source, so an
 * Application points at a path:
 *
 *     argocd/                      what the root app syncs into Argo CD's namespace
 *     apps/<app>/                  one app: app.yaml (every cluster) and clusters/<cluster>.yaml; a chart
 *                                  service's Helm values too: values.yaml and values/<cluster>.yaml
 *     addons/<chart>/              Helm values: values.yaml (fleet-wide) and clusters/<cluster>.yaml
 *     admission/<cluster>.yaml     the admission policies a cluster enforces for the services
 *     waves/<wave>/<path>          a later wave's copy of a shared file whose text it holds back
 *     terraform/accounts/<id>/     a Terraform root module per AWS account: the IAM roles its clusters share
 *     terraform/clusters/<name>/   a Terraform root module per cluster: VPC and EKS (or reads them), access, associations
 */
export const distLayout = {
  /** The folder the root app syncs. */
  argocdDir: 'argocd',
  /** The root app and its project: applied once by hand. */
  argocdRoot: 'argocd/root.yaml',
  argocdProjects: 'argocd/projects.yaml',
  /** The Application through which Argo CD manages itself. */
  argocdSelf: 'argocd/argo-cd.yaml',
  clusterSecret: (cluster: string) => `argocd/clusters/${cluster}.yaml`,
  applicationSet: (name: string) => `argocd/applicationsets/${name}.yaml`,
  /** The apps of one cluster: their AppProjects and ApplicationSets. */
  clusterApps: (cluster: string) => `argocd/apps/${cluster}.yaml`,
  /** The AppProject of one service's own source, on every cluster it is placed on. */
  serviceProject: (app: string) => `argocd/services/${app}.yaml`,

  /** A test app's folder: the source path of its Applications. */
  appDir: (app: string) => `apps/${app}`,
  /** Inside appDir: what every cluster the app runs on shares. */
  appSharedFile: 'app.yaml',
  /** Inside appDir: what differs on one cluster. */
  appClusterFile: (cluster: string) => `clusters/${cluster}.yaml`,

  /** A chart service's Helm values on every cluster, in its app folder (data: never applied as objects). */
  serviceValues: (app: string) => `apps/${app}/values.yaml`,
  /** A chart service's Helm values on one cluster. */
  serviceClusterValues: (app: string, cluster: string) => `apps/${app}/values/${cluster}.yaml`,

  /** A later wave's copy of a shared file whose text it holds back (charts/waves.ts): what its Applications read instead. */
  waveCopy: (wave: string, path: string) => `waves/${wave}/${path}`,

  /** The folder of every cluster's admission policies: the source path of the fleet-admission Applications. */
  admissionDir: 'admission',
  /** The admission policies one cluster enforces for the services (charts/admission.ts). */
  admissionPolicies: (cluster: string) => `admission/${cluster}.yaml`,

  /** The folder of every chart's Helm values. */
  valuesDir: 'addons',
  /** A chart's fleet-wide Helm values. */
  chartValues: (chart: string) => `addons/${chart}/values.yaml`,
  /** A chart's Helm values for one cluster, beside the fleet-wide ones. */
  chartClusterValues: (chart: string, cluster: string) => `addons/${chart}/clusters/${cluster}.yaml`,

  /** The folder of the Terraform root modules; Argo CD never reads it. */
  terraformDir: 'terraform',
  /** The root module of what one AWS account's clusters share (Argo CD's role, the add-ons' Pod Identity roles). */
  terraformAccount: (accountId: string) => `terraform/accounts/${accountId}/main.tf.json`,
  /** The root module of one cluster: its own apply touches no other cluster. */
  terraformCluster: (cluster: string) => `terraform/clusters/${cluster}/main.tf.json`,
  /** The root module that installs Argo CD once on its cluster: the only one that talks to a Kubernetes API. */
  terraformBootstrap: 'terraform/bootstrap/main.tf.json',
} as const;

/** Whether a file of dist/ is Terraform (JSON syntax) rather than Kubernetes objects or Helm values. */
export function isTerraformFile(path: string): boolean {
  return path.startsWith(`${distLayout.terraformDir}/`);
}

/** Whether a file of dist/ holds Kubernetes objects, which Argo CD applies. */
export function isManifestFile(path: string): boolean {
  return !isValuesFile(path) && !isTerraformFile(path);
}

/** `to`, relative to the folder of `from` (both paths under dist/), as a file of one may name the other. */
export function relativeDistPath(from: string, to: string): string {
  const depth = from.split('/').length - 1;
  return `${'../'.repeat(depth)}${to}`;
}

/**
 * A pattern matching the paths `path` builds, capturing the name: `pathPattern(distLayout.clusterApps)` matches
 * `argocd/apps/ipv6-east.yaml` and captures `ipv6-east`.
 */
export function pathPattern(path: (name: string) => string): RegExp {
  const placeholder = '\u0000';
  const [before, after] = path(placeholder).split(placeholder).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${before}([^/]+)${after}$`);
}

/** A chart service's values files in its app folder (distLayout.serviceValues, serviceClusterValues). */
const serviceValuesFile = /^(?:waves\/[^/]+\/)?apps\/[^/]+\/(?:values\.yaml|values\/[^/]+\.yaml)$/;

/** Whether a file of dist/ holds Helm values (data) rather than Kubernetes objects: an add-on's, or a chart service's. */
export function isValuesFile(path: string): boolean {
  return path.startsWith(`${distLayout.valuesDir}/`) || /^waves\/[^/]+\/addons\//.test(path) || serviceValuesFile.test(path);
}

/** Whether a file of dist/ belongs to the root app, which is where Argo CD objects live. */
export function isArgocdFile(path: string): boolean {
  return path.startsWith(`${distLayout.argocdDir}/`);
}

/** The path of a test app's shared file under dist/, e.g. `apps/app0/app.yaml`. */
export function appSharedPath(app: string): string {
  return `${distLayout.appDir(app)}/${distLayout.appSharedFile}`;
}

/** The path of a test app's file for one cluster under dist/, e.g. `apps/app0/clusters/ipv6-east.yaml`. */
export function appClusterPath(app: string, cluster: string): string {
  return `${distLayout.appDir(app)}/${distLayout.appClusterFile(cluster)}`;
}
