import { Construct } from 'constructs';
import { addonCatalog, addonKeys, argocdChart, clusterScopedKinds } from '../catalog/addons';
import { inClusterServer, projectNames, resourcesFinalizer, rootSyncWaves } from '../catalog/argocd';
import { distLayout } from '../catalog/dist-layout';
import { AppProject } from '../imports/argocd-argoproj.io';
import { ArgoCdProps } from './argocd-root';
import { FileChart } from './file-chart';
import { syncWaveAnnotation } from '../catalog/argocd';

/** Argo CD's own kinds: only the root app may create them, so no chart can rewrite the projects or register clusters. */
const argoprojKinds = [{ group: 'argoproj.io', kind: '*' }];

/**
 * Least-privilege projects of the add-ons and of Argo CD itself: each allows only its sources,
 * destinations and kinds. (The test apps have a project per cluster, charts/cluster-apps.ts.)
 */
export class ArgoProjectsChart extends FileChart {
  constructor(scope: Construct, id: string, { fleet }: ArgoCdProps) {
    super(scope, id, distLayout.argocdProjects);
    const namespace = fleet.argocd.namespace;

    // By cluster name, not fleet.yaml's order: reordering clusters changes nothing here.
    const addonDestinations = [...fleet.clusters].sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap((cluster) => {
      const namespaces = [...new Set(addonKeys.filter((addon) => cluster.addons[addon]).map((addon) => addonCatalog[addon].namespace))];
      return namespaces.map((addonNamespace) => ({ name: cluster.name, namespace: addonNamespace }));
    });
    new AppProject(this, 'addons', {
      metadata: { annotations: { [syncWaveAnnotation]: rootSyncWaves.project }, finalizers: [resourcesFinalizer], name: projectNames.addons, namespace },
      spec: {
        description: 'Cluster add-ons from their pinned upstream charts, each in its own namespace, never Argo CD\'s objects.',
        sourceRepos: [fleet.repo.url, ...addonKeys.map((addon) => addonCatalog[addon].repoURL)],
        destinations: addonDestinations,
        clusterResourceWhitelist: clusterScopedKinds(addonKeys.map((addon) => addonCatalog[addon])),
        namespaceResourceBlacklist: argoprojKinds,
      },
    });

    new AppProject(this, 'argocd', {
      metadata: { annotations: { [syncWaveAnnotation]: rootSyncWaves.project }, finalizers: [resourcesFinalizer], name: projectNames.argocd, namespace },
      spec: {
        description: 'Argo CD managing itself from its pinned chart: only its own namespace on its own cluster.',
        sourceRepos: [fleet.repo.url, argocdChart.repoURL],
        destinations: [{ server: inClusterServer, namespace }],
        clusterResourceWhitelist: clusterScopedKinds([argocdChart]),
        namespaceResourceBlacklist: argoprojKinds,
      },
    });
  }
}
