import { Construct } from 'constructs';
import { projectNames, resourcesFinalizer, rootSyncWaves, syncRetry } from '../catalog/argocd';
import { distLayout } from '../catalog/dist-layout';
import { App, Cluster, Fleet } from '../config/fleet';
import { ApplicationSet, AppProject } from '../imports/argocd-argoproj.io';
import { FileChart } from './file-chart';
import { syncWaveAnnotation } from '../catalog/argocd';

export interface ClusterAppsProps {
  /** The validated fleet, every default applied. */
  readonly fleet: Fleet;
  /** The cluster whose test apps these are. */
  readonly cluster: Cluster;
  /** The apps placed on the cluster, in fleet.yaml order. */
  readonly apps: readonly App[];
}

/**
 * The test apps of one cluster: an AppProject that allows exactly their namespaces there, and an
 * ApplicationSet with one Application per app, from a list rendered out of fleet.yaml: the
 * placement is reviewed in git as a line of this file, and a cluster registered elsewhere works
 * as long as its Argo CD name matches.
 *
 * One pair per cluster keeps each object small as the fleet grows (the API server refuses an
 * object over etcd's 1.5 MiB request limit): its size grows with the apps of one cluster, not of
 * the fleet.
 */
export class ClusterAppsChart extends FileChart {
  constructor(scope: Construct, id: string, { fleet, cluster, apps }: ClusterAppsProps) {
    super(scope, id, distLayout.clusterApps(cluster.name));
    const namespace = fleet.argocd.namespace;
    const project = projectNames.apps(cluster.name);

    new AppProject(this, 'project', {
      metadata: { annotations: { [syncWaveAnnotation]: rootSyncWaves.project }, finalizers: [resourcesFinalizer], name: project, namespace },
      spec: {
        description: `The NGINX test apps on ${cluster.name}, each only in its own namespace.`,
        sourceRepos: [fleet.repo.url],
        destinations: apps.map((app) => ({ name: cluster.name, namespace: app.name })),
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
        namespaceResourceWhitelist: [
          { group: '', kind: 'ConfigMap' },
          { group: '', kind: 'Service' },
          { group: 'apps', kind: 'Deployment' },
          { group: 'policy', kind: 'PodDisruptionBudget' },
          { group: 'networking.k8s.io', kind: 'Ingress' },
        ],
      },
    });

    new ApplicationSet(this, 'applicationset', {
      metadata: { name: `test-apps-${cluster.name}`, namespace },
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
        generators: [{ list: { elements: apps.map((app) => ({ app: app.name })) } }],
        template: {
          metadata: {
            name: `{{.app}}-${cluster.name}`,
            labels: { 'app.kubernetes.io/part-of': 'test-apps', 'fleet/app': '{{.app}}', 'fleet/cluster': cluster.name },
            // Deleting an Application deletes what it deployed: removing a placement, or every app
            // of a cluster before the cluster is removed, cleans up the cluster (README, "Removing
            // a cluster"); synth refuses to remove a cluster that still runs apps.
            finalizers: cluster.release ? undefined : [resourcesFinalizer],
          },
          spec: {
            project,
            source: {
              repoUrl: fleet.repo.url,
              targetRevision: fleet.repo.revision,
              path: `${fleet.repo.path}/${distLayout.appDir('{{.app}}')}`,
              // What all clusters share, plus this cluster's Service and Ingress.
              directory: { recurse: true, include: `{${distLayout.appSharedFile},${distLayout.appClusterFile(cluster.name)}}` },
            },
            destination: { name: cluster.name, namespace: '{{.app}}' },
            syncPolicy: { automated: { prune: true, selfHeal: true }, retry: syncRetry },
          },
        },
      },
    });
  }
}
