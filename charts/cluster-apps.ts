import { Construct } from 'constructs';
import { projectNames, resourcesFinalizer, rootSyncWaves, serviceBlacklist, servicePlatformApplication, syncRetry } from '../catalog/argocd';
import { appSharedPath, distLayout } from '../catalog/dist-layout';
import { App, ChartSource, Cluster, Fleet, GitSource, isService, ServiceApp, TestApp } from '../config/fleet';
import { ApplicationSet, ApplicationSetSpecTemplateSpecSource, ApplicationSetSpecTemplateSpecSources, AppProject } from '../imports/argocd-argoproj.io';
import { FileChart } from './file-chart';
import { clusterPin, sharedPath } from './waves';
import { WavePin } from '../config/waves';
import { syncWaveAnnotation } from '../catalog/argocd';

export interface ClusterAppsProps {
  /** The validated fleet, every default applied. */
  readonly fleet: Fleet;
  /** The cluster whose apps these are. */
  readonly cluster: Cluster;
  /** The apps placed on the cluster, in fleet.yaml order. */
  readonly apps: readonly App[];
}

/**
 * The apps of one cluster. Its test apps: an AppProject that allows this repository on the cluster, and an
 * ApplicationSet with one Application per app, from a list rendered out of fleet.yaml: the
 * placement is reviewed in git as a line of this file, and a cluster registered elsewhere works
 * as long as its Argo CD name matches. Its services (ServiceApps, below): projects and
 * ApplicationSets of their own.
 *
 * One pair per cluster keeps each object small as the fleet grows (the API server refuses an
 * object over etcd's 1.5 MiB request limit): its size grows with the apps of one cluster, not of
 * the fleet.
 */
export class ClusterAppsChart extends FileChart {
  constructor(scope: Construct, id: string, { fleet, cluster, apps }: ClusterAppsProps) {
    super(scope, id, distLayout.clusterApps(cluster.name));
    const testApps = apps.filter((app): app is TestApp => app.kind === 'test');
    const services = apps.filter(isService);
    if (testApps.length) this.testApps(fleet, cluster, testApps);
    if (services.length) new ServiceApps(this, 'services', { fleet, cluster, services });
  }

  private testApps(fleet: Fleet, cluster: Cluster, apps: readonly TestApp[]): void {
    const project = projectNames.apps(cluster.name);

    generatorProject(this, fleet, cluster, project, `The NGINX test apps on ${cluster.name}, from this repository only.`, [
      { group: '', kind: 'ConfigMap' },
      { group: '', kind: 'Service' },
      { group: 'apps', kind: 'Deployment' },
      { group: 'policy', kind: 'PodDisruptionBudget' },
      { group: 'networking.k8s.io', kind: 'Ingress' },
    ]);

    const pin = clusterPin(fleet, cluster.name);
    clusterApplicationSet(this, 'applicationset', fleet, cluster, {
      name: `test-apps-${cluster.name}`,
      partOf: 'test-apps',
      elements: apps.map((app) => ({ app: app.name, ...sharedElement(fleet, pin, appSharedPath(app.name)) })),
      application: `{{.app}}-${cluster.name}`,
      project,
      // What all clusters share, plus this cluster's Service and Ingress.
      ...appFolderSources(fleet, cluster, pin),
      // A sync that would apply what another Application already manages (an app named like
      // another's namespace) fails instead of taking it over (argo-cd v3.4.4 controller/sync.go,
      // FailOnSharedResource=true with the SharedResourceWarning condition).
      syncOptions: ['FailOnSharedResource=true'],
    });
  }
}

/**
 * A project of what the generator renders for one cluster's apps (the test apps, the services'
 * Namespaces and Ingresses): this repository only; every namespace of the cluster; the Namespace
 * kind and `namespacedKinds`. Not narrowed to the apps placed there: its only source is this
 * repository's dist/, and a project that narrowed as apps leave would strand their removal. Argo
 * CD deletes an Application's objects only where its project still permits them (argo-cd v3.4.4
 * controller/appcontroller.go getPermittedAppLiveObjects), and the root app updates projects
 * (wave -1) before the ApplicationSets whose change deletes the Application.
 */
function generatorProject(scope: Construct, fleet: Fleet, cluster: Cluster, name: string, description: string, namespacedKinds: Array<{ group: string; kind: string }>): void {
  new AppProject(scope, 'project', {
    metadata: { annotations: { [syncWaveAnnotation]: rootSyncWaves.project }, finalizers: [resourcesFinalizer], name, namespace: fleet.argocd.namespace },
    spec: {
      description,
      sourceRepos: [fleet.repo.url],
      destinations: [{ name: cluster.name, namespace: '*' }],
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      namespaceResourceWhitelist: namespacedKinds,
    },
  });
}

/**
 * This repository's folder of an app, as an Application's source on one cluster: what every
 * cluster shares (app.yaml) and that cluster's file; a chart service's values files beside them
 * are data, left out. On a cluster of a later wave, two sources: the shared file at the revision
 * the element names (`shared`, sharedElement), the cluster's own at repo.revision.
 */
function appFolderSources(fleet: Fleet, cluster: Cluster, pin: WavePin | undefined): { source?: ApplicationSetSpecTemplateSpecSource; sources?: ApplicationSetSpecTemplateSpecSources[] } {
  const path = `${fleet.repo.path}/${distLayout.appDir('{{.app}}')}`;
  if (!pin) {
    return { source: { repoUrl: fleet.repo.url, targetRevision: fleet.repo.revision, path, directory: { recurse: true, include: `{${distLayout.appSharedFile},${distLayout.appClusterFile(cluster.name)}}` } } };
  }
  return {
    sources: [
      { repoUrl: fleet.repo.url, targetRevision: fleet.repo.revision, path: '{{.shared}}', directory: { include: distLayout.appSharedFile } },
      { repoUrl: fleet.repo.url, targetRevision: fleet.repo.revision, path, directory: { recurse: true, include: distLayout.appClusterFile(cluster.name) } },
    ],
  };
}

/** An element's `shared`: the folder a cluster of a later wave reads the shared file `path` in (its wave's copy, or the app's folder); nothing on the first wave. */
function sharedElement(fleet: Fleet, pin: WavePin | undefined, path: string): Record<string, string> {
  return pin ? { shared: sharedPath(fleet, pin, path).replace(/\/[^/]+$/, '') } : {};
}

/** An ApplicationSet of one cluster's apps: one Application per element (`app`, and what its sources template). */
interface ClusterApplicationSet {
  readonly name: string;
  /** The Applications' app.kubernetes.io/part-of label. */
  readonly partOf: 'test-apps' | 'services';
  readonly elements: readonly Record<string, string>[];
  /** The generated Application's name, a template of the element. */
  readonly application: string;
  readonly project: string;
  readonly source?: ApplicationSetSpecTemplateSpecSource;
  readonly sources?: ApplicationSetSpecTemplateSpecSources[];
  readonly syncOptions?: string[];
}

/**
 * What every ApplicationSet of a cluster's apps shares: a list generator, Go templates that fail
 * on a missing key, the labels Argo CD's UI and `kubectl -l` select by, the destination (the app's
 * namespace on the cluster), automated sync with pruning and self-heal, and retries without end.
 */
function clusterApplicationSet(scope: Construct, id: string, fleet: Fleet, cluster: Cluster, set: ClusterApplicationSet): void {
  new ApplicationSet(scope, id, {
    metadata: { name: set.name, namespace: fleet.argocd.namespace },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      // A released cluster (release: true): deleting an Application leaves its app running. Both
      // are needed: the ApplicationSet controller gives the resources finalizer to every
      // Application whose template has none unless preserveResourcesOnDeletion is set, and it
      // sets the finalizers of existing Applications to the template's (argo-cd v3.4.4,
      // applicationset/utils/utils.go RenderTemplateParams; controllers/applicationset_controller.go
      // createOrUpdateInCluster), so the next sync takes the finalizer off the running apps.
      syncPolicy: cluster.release ? { preserveResourcesOnDeletion: true } : undefined,
      generators: [{ list: { elements: [...set.elements] } }],
      template: {
        metadata: {
          name: set.application,
          labels: { 'app.kubernetes.io/part-of': set.partOf, 'fleet/app': '{{.app}}', 'fleet/cluster': cluster.name },
          // Deleting an Application deletes what it deployed: removing a placement, or every app
          // of a cluster before the cluster is removed, cleans up the cluster (README, "Removing
          // a cluster"); synth refuses to remove a cluster that still runs apps.
          finalizers: cluster.release ? undefined : [resourcesFinalizer],
        },
        spec: {
          project: set.project,
          source: set.source,
          sources: set.sources,
          destination: { name: cluster.name, namespace: '{{.app}}' },
          syncPolicy: { automated: { prune: true, selfHeal: true }, retry: syncRetry, syncOptions: set.syncOptions },
        },
      },
    },
  });
}

/**
 * The repoURL an Application gives a chart: a Helm repository's as written; an OCI registry's
 * without "oci://", which is how Argo CD tells an OCI Helm repository: one whose URL parses with
 * no host (argo-cd v3.4.4 util/helm/client.go IsHelmOciRepo, which
 * reposerver/repository/repository.go newHelmClientResolveRevision reads to pull the chart over
 * OCI; docs/user-guide/helm.md, "the oci:// syntax is not included"). A public registry needs no
 * repository Secret; a private one needs one with enableOCI: "true" (docs/operator-manual/declarative-setup.md).
 */
export function applicationChartRepo(repoURL: string): string {
  return repoURL.replace(/^oci:\/\//, '');
}

/** What a cluster's services are rendered from. */
export interface ServiceAppsProps {
  readonly fleet: Fleet;
  readonly cluster: Cluster;
  /** The services placed on the cluster, in fleet.yaml order. */
  readonly services: readonly ServiceApp[];
}

/**
 * The services of one cluster, each as two Applications, because what confines a source is its
 * Application's project, and one project cannot hold a source to its own namespace and host:
 *
 * - `<app>-<cluster>`, the service's own source in its own project `fleet-service-<app>`
 *   (ServiceProjectChart): the chart with the values files of apps/<app>/ through `$values`
 *   (argo-cd v3.4.4 docs/user-guide/multiple_sources.md, "Helm value files from external Git
 *   repository"), or the git path. That project admits only the app's namespace, no Namespace,
 *   no Ingress: a chart that cannot be checked offline (a remote one) still cannot write into
 *   another service's namespace or put a rule for another app's host on a shared ALB.
 * - `<app>-<cluster>-platform`, what the generator renders for it (its Namespace and this
 *   cluster's Ingresses, from apps/<app>/), in the cluster's project `fleet-services-<cluster>`,
 *   which admits exactly those kinds, from this repository only.
 *
 * The source's Application cannot sync before its Namespace exists (the API server refuses an
 * object in a missing namespace) and retries until it does (syncRetry), so its pods are always
 * created in a namespace that carries the Pod Security labels and the readiness gate.
 */
export class ServiceApps extends Construct {
  constructor(scope: Construct, id: string, { fleet, cluster, services }: ServiceAppsProps) {
    super(scope, id);
    const project = projectNames.services(cluster.name);

    generatorProject(this, fleet, cluster, project, `What the generator renders for the services on ${cluster.name}: their Namespaces and Ingresses, from this repository only (each service's source has a project of its own).`, [
      { group: 'networking.k8s.io', kind: 'Ingress' },
    ]);

    const pin = clusterPin(fleet, cluster.name);
    clusterApplicationSet(this, 'applicationset-platform', fleet, cluster, {
      name: `services-platform-${cluster.name}`,
      partOf: 'services',
      elements: services.map((app) => ({ app: app.name, ...sharedElement(fleet, pin, appSharedPath(app.name)) })),
      application: servicePlatformApplication('{{.app}}', cluster.name),
      project,
      // The Namespace and this cluster's Ingresses. Deleting the Application (the placement
      // removed) deletes the Namespace, and with it what the source ran there.
      ...appFolderSources(fleet, cluster, pin),
    });

    const charts = services.filter((app) => app.source.type === 'chart');
    const gits = services.filter((app) => app.source.type === 'git');
    if (charts.length) {
      this.applicationSet(fleet, cluster, 'charts', charts.map((app) => {
        const source = app.source as ChartSource;
        // A later wave runs the version its pinned commit has (charts/waves.ts).
        return { app: app.name, repoURL: applicationChartRepo(source.repoURL), chart: source.name, version: pin?.serviceVersions.get(app.name) ?? source.version, ...(pin ? { values: sharedPath(fleet, pin, distLayout.serviceValues(app.name)) } : {}) };
      }), [
        {
          repoUrl: '{{.repoURL}}',
          chart: '{{.chart}}',
          targetRevision: '{{.version}}',
          helm: {
            releaseName: '{{.app}}',
            valueFiles: [
              // A later wave's clusters: the fleet-wide values their wave holds (the element's `values`, charts/waves.ts).
              pin ? '$values/{{.values}}' : `$values/${fleet.repo.path}/${distLayout.serviceValues('{{.app}}')}`,
              `$values/${fleet.repo.path}/${distLayout.serviceClusterValues('{{.app}}', cluster.name)}`,
            ],
          },
        },
        { repoUrl: fleet.repo.url, targetRevision: fleet.repo.revision, ref: 'values' },
      ]);
    }
    if (gits.length) {
      this.applicationSet(fleet, cluster, 'git', gits.map((app) => {
        const source = app.source as GitSource;
        return { app: app.name, repoURL: source.repoURL, revision: pin?.serviceVersions.get(app.name) ?? source.revision, path: source.path };
      }), [
        { repoUrl: '{{.repoURL}}', targetRevision: '{{.revision}}', path: '{{.path}}' },
      ]);
    }
  }

  private applicationSet(fleet: Fleet, cluster: Cluster, kind: 'charts' | 'git', elements: readonly Record<string, string>[], sources: ApplicationSetSpecTemplateSpecSources[]): void {
    clusterApplicationSet(this, `applicationset-${kind}`, fleet, cluster, {
      name: `services-${kind}-${cluster.name}`,
      partOf: 'services',
      elements,
      application: `{{.app}}-${cluster.name}`,
      // Each service's own project (a templated project is rendered like any other field:
      // argo-cd v3.4.4 applicationset/utils/utils.go RenderTemplateParams renders the whole template).
      project: projectNames.service('{{.app}}'),
      sources,
      // A source naming an object another Application manages (the generator's Namespace or
      // Ingress, an add-on's object in the same namespace name) fails its sync instead of
      // taking the object over (argo-cd v3.4.4 controller/sync.go, FailOnSharedResource=true
      // with the SharedResourceWarning condition).
      syncOptions: ['FailOnSharedResource=true'],
    });
  }
}

/** What a service's project is rendered from. */
export interface ServiceProjectProps {
  readonly fleet: Fleet;
  /** The service, with its placements. */
  readonly app: ServiceApp;
}

/**
 * The project of one service's own source (the Application `<app>-<cluster>` on every cluster it
 * is placed on): its repository, and this one for its values files; its namespace on any cluster
 * (the ApplicationSets choose them); no cluster-scoped kind but the ClusterRoles it declares
 * (clusterResources), named after it, so no Namespace; and in its namespace anything but
 * serviceBlacklist (Argo CD's kinds, and whatever reaches a load balancer or a DNS name).
 * npm run check holds each render it can reach to the same (verify/service-readiness.ts).
 *
 * Roles and RoleBindings only where the app declares rbac: true. What a project cannot stop then: a
 * Role of the source's own that lets its pods create those objects, or relabel their Namespace,
 * themselves (Argo CD applies as a cluster administrator, so Kubernetes' RBAC escalation check
 * does not apply), and the source's delete hooks, which Argo CD creates without the project's
 * check: each cluster's admission policies stop both (charts/admission.ts); npm run check also
 * refuses such a Role where it reaches the source.
 */
export class ServiceProjectChart extends FileChart {
  constructor(scope: Construct, id: string, { fleet, app }: ServiceProjectProps) {
    super(scope, id, distLayout.serviceProject(app.name));
    const repo = app.source.type === 'chart' ? applicationChartRepo(app.source.repoURL) : app.source.repoURL;
    new AppProject(this, 'project', {
      metadata: {
        // Pruned last: when the service leaves the fleet, its project goes in the same root sync as the
        // ApplicationSet entries whose removal deletes its Applications, which are only updated (wave 0):
        // pruned in its own wave (-1), the project would wait for Applications that wait for that wave
        // (argo-cd v3.4.4 gitops-engine pkg/sync/sync_context.go: prune waves are reversed among prune
        // tasks only, and a pruned object still being deleted holds the next wave; PruneLast moves its
        // prune after every other task).
        annotations: { [syncWaveAnnotation]: rootSyncWaves.project, 'argocd.argoproj.io/sync-options': 'PruneLast=true' },
        finalizers: [resourcesFinalizer],
        name: projectNames.service(app.name),
        namespace: fleet.argocd.namespace,
      },
      spec: {
        description: `The source of service ${app.name}: only its namespace, only the cluster-scoped objects it declares, named after it.`,
        sourceRepos: app.source.type === 'chart' ? [repo, fleet.repo.url] : [repo],
        // Its namespace on any cluster: the ApplicationSets pick the clusters, and a project that
        // narrowed as placements leave would strand their removal (see the platform project above).
        destinations: [{ name: '*', namespace: app.name }],
        // The kinds it declares, by name: its own (<app> or <app>-...), never another's such as
        // system:discovery (Argo CD matches `name` as a glob, types.go isNamedResourceInList).
        clusterResourceWhitelist: app.clusterResources.flatMap(({ group, kind }) => [{ group, kind, name: app.name }, { group, kind, name: `${app.name}-*` }]),
        // Without rbac, no Role or RoleBinding: what the source renders cannot grant its own pods rights to write
        // what this project refuses Argo CD (Argo CD applies as a cluster administrator, so Kubernetes' RBAC
        // escalation check would not stop a Role that grants more than the source's author holds).
        namespaceResourceBlacklist: [...serviceBlacklist, ...(app.rbac ? [] : namespaceRbacKinds)].map((entry) => ({ ...entry })),
      },
    });
  }
}

/** The namespaced RBAC kinds, refused to a service's source unless the app declares rbac: true. */
export const namespaceRbacKinds = [
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
] as const;
