import { Construct } from 'constructs';
import { projectNames, resourcesFinalizer, syncRetry } from '../catalog/argocd';
import { distLayout } from '../catalog/dist-layout';
import { App, Cluster, Fleet } from '../config/fleet';
import { ApplicationSet, AppProject } from '../imports/argocd-argoproj.io';
import { FileChart } from './file-chart';

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
      metadata: { finalizers: [resourcesFinalizer], name: project, namespace },
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
        generators: [{ list: { elements: apps.map((app) => ({ app: app.name })) } }],
        template: {
          metadata: {
            name: `{{.app}}-${cluster.name}`,
            labels: { 'app.kubernetes.io/part-of': 'test-apps', 'fleet/app': '{{.app}}', 'fleet/cluster': cluster.name },
            // Deleting an Application deletes what it deployed: removing a placement cleans up the
            // cluster. (Removing the cluster itself deletes nothing there: Argo CD drops the
            // finalizer of an Application whose cluster is no longer registered.)
            finalizers: [resourcesFinalizer],
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
