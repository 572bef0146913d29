/**
 * The add-on and Argo CD charts as they render (verify/chart-renders.ts), checked the way the
 * API server, the scheduler, Pod Security admission and Argo CD would take them. Every problem
 * names the Application (chart and cluster), the object and the field.
 */
import { appClusterPath, appSharedPath } from '../catalog/dist-layout';
import { appsOn, Fleet } from '../config/fleet';
import { IpFamily } from '../config/schema';
import { Json } from '../diff/applicationset';
import { ChartRender, renderCharts } from './chart-renders';
import { crdSchemas, manifestErrors } from './manifests';
import { podSpecOf, restrictedViolations } from './pod-security';
import { argocdObjects, Manifest, renderedFileObjects } from './rendered';

/** A label selector (matchLabels and matchExpressions), as webhooks, PDBs and Services use them. */
export function selects(selector: Json | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  return byLabels && (selector.matchExpressions ?? []).every((expression: Json) => {
    const value = labels[expression.key];
    switch (expression.operator) {
      case 'In': return value !== undefined && expression.values.includes(value);
      case 'NotIn': return value === undefined || !expression.values.includes(value);
      case 'Exists': return value !== undefined;
      case 'DoesNotExist': return value === undefined;
      default: return false;
    }
  });
}

function objectName(object: Manifest, namespace?: string): string {
  const ns = object.metadata?.namespace ?? namespace;
  return `${object.kind} ${ns ? `${ns}/` : ''}${object.metadata?.name}`;
}

const workloadKinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'];

/** The built-in kinds that are not namespaced, of those charts render; custom kinds say so in their CRD. */
const builtInClusterScopedKinds = [
  'Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration', 'IngressClass', 'PriorityClass', 'StorageClass', 'APIService',
];

/** The kinds that are not namespaced on a cluster: the built-in ones, and those of the CRDs with `scope: Cluster`. */
function clusterScopedKindsOf(objects: readonly Manifest[]): Set<string> {
  return new Set([
    ...builtInClusterScopedKinds,
    ...objects.filter((object) => object.kind === 'CustomResourceDefinition' && object.spec?.scope === 'Cluster').map((crd) => crd.spec.names.kind),
  ]);
}

/** Helm hooks that Argo CD runs and deletes (helm.sh/hook): they do not stay running. */
function isHook(object: Manifest): boolean {
  return Boolean(object.metadata?.annotations?.['helm.sh/hook']);
}

/** The objects a render leaves running: hooks excluded. */
function lasting(render: ChartRender): Manifest[] {
  return render.objects.filter((object) => !isHook(object));
}

type Report = (object: Manifest, field: string, message: string) => void;

/** Every container, init container included, needs CPU and memory requests: without them the pod is BestEffort, evicted first. */
function checkRequests(render: ChartRender, report: Report): void {
  for (const object of render.objects) {
    const pod = podSpecOf(object);
    if (!pod) continue;
    for (const [list, containers] of [['initContainers', pod.initContainers], ['containers', pod.containers]] as const) {
      (containers ?? []).forEach((container: Json, index: number) => {
        for (const resource of ['cpu', 'memory']) {
          if (container.resources?.requests?.[resource] === undefined) {
            report(object, `spec.template.spec.${list}[${index}] (${container.name}).resources.requests.${resource}`, 'is not set: every container needs CPU and memory requests');
          }
        }
      });
    }
  }
}

/** A Deployment or StatefulSet of several replicas needs a PodDisruptionBudget, or a node drain may take them all at once. */
function checkDisruptionBudgets(render: ChartRender, report: Report): void {
  const budgets = lasting(render).filter((object) => object.kind === 'PodDisruptionBudget');
  for (const object of lasting(render).filter((candidate) => candidate.kind === 'Deployment' || candidate.kind === 'StatefulSet')) {
    const replicas = object.spec?.replicas ?? 1;
    if (replicas <= 1) continue;
    const labels = object.spec?.template?.metadata?.labels ?? {};
    const selecting = budgets.filter((budget) => selects(budget.spec?.selector, labels));
    if (!selecting.length) {
      report(object, 'spec.replicas', `is ${replicas}, but no PodDisruptionBudget selects its pods: a drain (cluster-autoscaler scaling down) may evict every replica at once`);
      continue;
    }
    for (const budget of selecting) {
      const allowed = allowedDisruptions(budget.spec ?? {}, replicas);
      if (allowed < 1) report(budget, 'spec', `allows ${allowed} of the ${replicas} pods of ${object.kind} ${object.metadata?.name} to be evicted at full health: a drain never finishes (node upgrades and cluster-autoscaler's scale-down wait forever); allow at least one`);
    }
  }
}

/**
 * The evictions a budget allows when every pod is healthy, as the disruption controller counts
 * them: maxUnavailable, or the pods above minAvailable; percentages of the replicas, rounded up
 * (kubernetes.io, "Specifying a Disruption Budget for your Application").
 */
export function allowedDisruptions(spec: { readonly minAvailable?: number | string; readonly maxUnavailable?: number | string }, replicas: number): number {
  const count = (value: number | string) => (typeof value === 'number' ? value : Math.ceil((Number.parseFloat(value) / 100) * replicas));
  if (spec.maxUnavailable !== undefined) return count(spec.maxUnavailable);
  if (spec.minAvailable !== undefined) return replicas - count(spec.minAvailable);
  return replicas;
}

/** Images must name a version: a tag other than latest, or a digest. */
function checkImages(render: ChartRender, report: Report): void {
  for (const object of render.objects) {
    const pod = podSpecOf(object);
    for (const container of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
      const image: string = container.image ?? '';
      const reference = image.includes('@') ? 'digest' : image.slice(image.lastIndexOf('/') + 1).split(':')[1];
      if (!reference || reference === 'latest') report(object, `container ${container.name}.image`, `is ${JSON.stringify(image)}: pin a version (a tag other than latest, or a digest)`);
    }
  }
}

/**
 * Every Service in the cluster's IP family only. Where a chart sets no ipFamilyPolicy or
 * ipFamilies, the API server defaults to SingleStack in the cluster's primary family
 * (kubernetes.io, "IPv4/IPv6 dual-stack", Services), which is the cluster's family on EKS.
 */
function checkServiceFamilies(render: ChartRender, family: IpFamily, report: Report): void {
  const expected = family === 'ipv6' ? 'IPv6' : 'IPv4';
  for (const service of lasting(render).filter((object) => object.kind === 'Service')) {
    const policy = service.spec?.ipFamilyPolicy ?? 'SingleStack';
    const families: string[] = service.spec?.ipFamilies ?? [expected];
    if (policy !== 'SingleStack') report(service, 'spec.ipFamilyPolicy', `is ${policy}: the cluster is ${expected} only, so the API server rejects it`);
    if (families.length !== 1 || families[0] !== expected) report(service, 'spec.ipFamilies', `is [${families.join(', ')}]: the cluster is ${expected} only`);
  }
}

/** Every pod passes Pod Security "restricted"; every namespace the fleet creates enforces it. */
function checkPodSecurity(render: ChartRender, report: Report): void {
  for (const object of render.objects) {
    const pod = podSpecOf(object);
    if (!pod) continue;
    for (const violation of restrictedViolations(pod)) report(object, 'spec.template.spec', `Pod Security "restricted": ${violation}`);
  }
}

/** The labels the Application gives the namespace it creates (syncPolicy.managedNamespaceMetadata). */
function namespaceLabels(render: ChartRender): Record<string, string> {
  return { 'kubernetes.io/metadata.name': render.namespace, ...(render.applicationSpec.syncPolicy?.managedNamespaceMetadata?.labels ?? {}) };
}

/** The namespace an Application creates must enforce "restricted": kube-system is EKS's and is left as it is. */
function checkNamespaceLevel(render: ChartRender): string[] {
  if (render.namespace === 'kube-system') return [];
  const level = namespaceLabels(render)['pod-security.kubernetes.io/enforce'];
  return level === 'restricted' ? [] : [`namespace ${render.namespace}: enforces Pod Security ${level ?? 'nothing (no label)'}: the Application's managedNamespaceMetadata must label it pod-security.kubernetes.io/enforce: restricted`];
}

/** Every object validates against its Kubernetes schema, or its CRD's from any chart on the cluster. */
function checkSchemas(render: ChartRender, crds: ReadonlyMap<string, Json>, report: Report): void {
  for (const object of render.objects) {
    for (const problem of manifestErrors(object, crds)) report(object, '', problem.slice(problem.indexOf(': ') + 2));
  }
}

/** The AppProject of the Application permits every kind it renders, as Argo CD checks before it syncs. */
function checkProjectPermits(render: ChartRender, projects: readonly Manifest[], clusterScoped: ReadonlySet<string>, report: Report): void {
  const project = projects.find((candidate) => candidate.metadata?.name === render.applicationSpec.project);
  if (!project) {
    report({ kind: 'Application', metadata: { name: render.application } }, 'spec.project', `names ${render.applicationSpec.project}, which is not in dist/`);
    return;
  }
  const matches = (entry: Json, object: Manifest) => {
    const group = String(object.apiVersion).includes('/') ? String(object.apiVersion).split('/')[0] : '';
    return (entry.group === '*' || entry.group === group) && (entry.kind === '*' || entry.kind === object.kind);
  };
  for (const object of lasting(render)) {
    if (clusterScoped.has(object.kind)) {
      if (!(project.spec.clusterResourceWhitelist ?? []).some((entry: Json) => matches(entry, object))) {
        report(object, 'kind', `is cluster-scoped and not in the clusterResourceWhitelist of AppProject ${project.metadata.name}: Argo CD refuses to sync it`);
      }
      continue;
    }
    const whitelist: Json[] | undefined = project.spec.namespaceResourceWhitelist;
    const blacklist: Json[] = project.spec.namespaceResourceBlacklist ?? [];
    if ((whitelist && !whitelist.some((entry) => matches(entry, object))) || blacklist.some((entry) => matches(entry, object))) {
      report(object, 'kind', `is not permitted in AppProject ${project.metadata.name}: Argo CD refuses to sync it`);
    }
  }
}

/** What a rendered object is to a webhook: its resource, namespace and labels. Workloads also stand for the pods they create. */
interface Admitted {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly namespace?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly what: string;
}

function pluralOf(kind: string, plurals: ReadonlyMap<string, string>): string {
  const known = plurals.get(kind);
  if (known) return known;
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

function admittedObjects(objects: readonly Manifest[], namespace: string, plurals: ReadonlyMap<string, string>, clusterScoped: ReadonlySet<string>): Admitted[] {
  return objects.flatMap((object) => {
    const [group, version] = String(object.apiVersion).includes('/') ? String(object.apiVersion).split('/') : ['', String(object.apiVersion)];
    const ns = clusterScoped.has(object.kind) ? undefined : (object.metadata?.namespace ?? namespace);
    const self: Admitted = { group, version, resource: pluralOf(object.kind, plurals), namespace: ns, labels: object.metadata?.labels ?? {}, what: objectName(object, ns) };
    const template = workloadKinds.includes(object.kind) ? (object.kind === 'CronJob' ? object.spec?.jobTemplate?.spec?.template : object.spec?.template) : undefined;
    const pods: Admitted[] = template ? [{ group: '', version: 'v1', resource: 'pods', namespace: ns, labels: template.metadata?.labels ?? {}, what: `the pods of ${objectName(object, ns)}` }] : [];
    return [self, ...pods];
  });
}

/** Whether a webhook (admissionregistration.k8s.io/v1) intercepts the creation of `object`. */
function intercepts(webhook: Json, object: Admitted, namespaces: ReadonlyMap<string, Record<string, string>>): boolean {
  const ruleMatches = (webhook.rules ?? []).some((rule: Json) =>
    (rule.operations ?? []).some((operation: string) => operation === '*' || operation === 'CREATE')
    && (rule.apiGroups ?? []).some((group: string) => group === '*' || group === object.group)
    && (rule.apiVersions ?? []).some((version: string) => version === '*' || version === object.version)
    && (rule.resources ?? []).some((resource: string) => resource === '*' || resource === object.resource || resource === '*/*')
    && (rule.scope === undefined || rule.scope === '*' || rule.scope === (object.namespace ? 'Namespaced' : 'Cluster')));
  if (!ruleMatches) return false;
  // A namespaceSelector applies to namespaced objects only (and to a Namespace by its own labels).
  const namespaceMatches = object.namespace === undefined || selects(webhook.namespaceSelector, namespaces.get(object.namespace) ?? { 'kubernetes.io/metadata.name': object.namespace });
  return namespaceMatches && selects(webhook.objectSelector, object.labels);
}

/** One Application on a cluster, for the webhook ordering check: a chart, or a test app's files. */
export interface ClusterApplication {
  readonly name: string;
  readonly namespace: string;
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly objects: readonly Manifest[];
}

/**
 * No admission webhook with failurePolicy Fail may stand in a cycle: Application B waits for
 * A when A's Fail webhook intercepts objects B creates (A's pods must serve it first), and A
 * waits for B when A creates custom resources whose CRD B installs (e.g. cert-manager's
 * Certificate for A's own webhook certificate). A cycle means neither ever starts on an empty
 * cluster. Without one, every Application converges by retrying.
 */
export function webhookCycles(applications: readonly ClusterApplication[]): string[] {
  const all = applications.flatMap((application) => application.objects);
  const plurals = new Map<string, string>(all.filter((object) => object.kind === 'CustomResourceDefinition')
    .map((crd) => [crd.spec?.names?.kind, crd.spec?.names?.plural]));
  const clusterScoped = clusterScopedKindsOf(all);
  const namespaces = new Map(applications.map((application) => [application.namespace, { ...application.namespaceLabels }]));
  for (const object of all.filter((candidate) => candidate.kind === 'Namespace')) {
    namespaces.set(object.metadata.name, { 'kubernetes.io/metadata.name': object.metadata.name, ...(object.metadata.labels ?? {}) });
  }
  const crdOwners = new Map<string, string>();
  for (const application of applications) {
    for (const crd of application.objects.filter((object) => object.kind === 'CustomResourceDefinition')) crdOwners.set(crd.spec?.group, application.name);
  }
  /** waitsFor.get(B) holds A and why, when B needs A first. */
  const waitsFor = new Map<string, Map<string, string>>(applications.map((application) => [application.name, new Map()]));
  const admitted = new Map(applications.map((application) => [application, admittedObjects(application.objects, application.namespace, plurals, clusterScoped)]));
  for (const owner of applications) {
    const webhooks = owner.objects
      .filter((object) => object.kind === 'MutatingWebhookConfiguration' || object.kind === 'ValidatingWebhookConfiguration')
      .flatMap((configuration) => (configuration.webhooks ?? []).map((webhook: Json) => ({ configuration, webhook })))
      .filter(({ webhook }) => (webhook.failurePolicy ?? 'Fail') === 'Fail');
    for (const other of applications.filter((candidate) => candidate !== owner)) {
      for (const object of admitted.get(other)!) {
        const webhook = webhooks.find(({ webhook: candidate }) => intercepts(candidate, object, namespaces));
        if (webhook && !waitsFor.get(other.name)!.has(owner.name)) {
          waitsFor.get(other.name)!.set(owner.name, `the ${webhook.configuration.kind} ${webhook.configuration.metadata.name} webhook ${webhook.webhook.name} (failurePolicy Fail) of ${owner.name} intercepts ${object.what} of ${other.name}`);
        }
      }
    }
    for (const object of owner.objects) {
      const group = String(object.apiVersion).split('/')[0];
      const crdOwner = crdOwners.get(group);
      if (crdOwner && crdOwner !== owner.name && !waitsFor.get(owner.name)!.has(crdOwner)) {
        waitsFor.get(owner.name)!.set(crdOwner, `${owner.name} creates ${objectName(object, owner.namespace)}, whose CRD ${crdOwner} installs`);
      }
    }
  }
  const problems: string[] = [];
  const reported = new Set<string>();
  for (const start of applications.map((application) => application.name)) {
    // Depth-first search for a path back to `start`.
    const path: string[] = [];
    const visit = (name: string, seen: Set<string>): boolean => {
      for (const [next, why] of waitsFor.get(name) ?? []) {
        path.push(why);
        if (next === start) return true;
        if (!seen.has(next)) {
          seen.add(next);
          if (visit(next, seen)) return true;
        }
        path.pop();
      }
      return false;
    };
    if (visit(start, new Set([start]))) {
      const key = [...path].sort().join('|');
      if (!reported.has(key)) {
        reported.add(key);
        problems.push(`deadlock on an empty cluster: ${path.join('; and ')}`);
      }
    }
  }
  return problems;
}

/** The test apps placed on a cluster, as Applications of the objects they sync there. */
export function testAppApplications(fleet: Fleet, files: ReadonlyMap<string, string>, cluster: string): ClusterApplication[] {
  return appsOn(fleet, cluster).map((app) => {
    const objects = [appSharedPath(app.name), appClusterPath(app.name, cluster)].flatMap((path) => renderedFileObjects(files, path));
    const namespace = objects.find((object) => object.kind === 'Namespace');
    return { name: `${app.name}-${cluster}`, namespace: app.name, namespaceLabels: { 'kubernetes.io/metadata.name': app.name, ...(namespace?.metadata?.labels ?? {}) }, objects };
  });
}

/**
 * Every problem of the fleet's charts as they render, each naming the Application, the object
 * and the field; the test apps of each cluster take part in the webhook ordering check.
 */
export function chartProblems(fleet: Fleet, files: ReadonlyMap<string, string>, renders: readonly ChartRender[], projects: readonly Manifest[]): string[] {
  const problems: string[] = [];
  const clusters = new Map(fleet.clusters.map((cluster) => [cluster.name, cluster]));
  for (const cluster of new Set(renders.map((render) => render.cluster))) {
    const onCluster = renders.filter((render) => render.cluster === cluster);
    const crds = crdSchemas(onCluster.flatMap((render) => render.objects));
    const clusterScoped = clusterScopedKindsOf(onCluster.flatMap((render) => render.objects));
    for (const render of onCluster) {
      const where = `${render.chart} on ${cluster} (Application ${render.application})`;
      const report: Report = (object, field, message) => problems.push(`${where}: ${objectName(object, clusterScoped.has(object.kind) ? undefined : render.namespace)}: ${field ? `${field}: ` : ''}${message}`);
      checkSchemas(render, crds, report);
      checkRequests(render, report);
      checkDisruptionBudgets(render, report);
      checkImages(render, report);
      checkServiceFamilies(render, clusters.get(cluster)!.ipFamily, report);
      checkPodSecurity(render, report);
      checkProjectPermits(render, projects, clusterScoped, report);
      problems.push(...checkNamespaceLevel(render).map((problem) => `${where}: ${problem}`));
    }
    const applications: ClusterApplication[] = [
      ...onCluster.map((render) => ({ name: render.application, namespace: render.namespace, namespaceLabels: namespaceLabels(render), objects: lasting(render) })),
      ...testAppApplications(fleet, files, cluster),
    ];
    problems.push(...webhookCycles(applications).map((problem) => `${cluster}: ${problem}`));
  }
  return problems;
}

/** Renders every chart of a render of dist/ (or the Applications `only` names) with helm and returns every problem (chartProblems). */
export async function checkCharts(fleet: Fleet, files: ReadonlyMap<string, string>, only?: (application: string) => boolean): Promise<string[]> {
  const renders = await renderCharts(fleet, files, only);
  const projects = argocdObjects(files).filter((object) => object.kind === 'AppProject');
  return chartProblems(fleet, files, renders, projects);
}
