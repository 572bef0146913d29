import { Construct } from 'constructs';
import { addonCatalog, addonKeys, argocdChart, clusterScopedKinds } from '../catalog/addons';
import { inClusterServer, projectNames } from '../catalog/argocd';
import { distLayout } from '../catalog/dist-layout';
import { AppProject } from '../imports/argocd-argoproj.io';
import { ArgoCdProps } from './argocd-root';
import { FileChart } from './file-chart';

/** Least-privilege projects: each allows only its sources, destinations and kinds. */
export class ArgoProjectsChart extends FileChart {
  constructor(scope: Construct, id: string, { fleet }: ArgoCdProps) {
    super(scope, id, distLayout.argocdProjects);
    const namespace = fleet.argocd.namespace;

    new AppProject(this, 'apps', {
      metadata: { name: projectNames.apps, namespace },
      spec: {
        description: 'The NGINX test apps, each only in its own namespace on the clusters fleet.yaml places it on.',
        sourceRepos: [fleet.repo.url],
        destinations: fleet.apps.flatMap((app) => app.placements.map((placement) => ({ name: placement.cluster, namespace: app.name }))),
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

    const addonDestinations = fleet.clusters.flatMap((cluster) => {
      const namespaces = [...new Set(addonKeys.filter((addon) => cluster.addons[addon]).map((addon) => addonCatalog[addon].namespace))];
      return namespaces.map((addonNamespace) => ({ name: cluster.name, namespace: addonNamespace }));
    });
    new AppProject(this, 'addons', {
      metadata: { name: projectNames.addons, namespace },
      spec: {
        description: 'Cluster add-ons from their pinned upstream charts, and Argo CD itself.',
        sourceRepos: [fleet.repo.url, argocdChart.repoURL, ...addonKeys.map((addon) => addonCatalog[addon].repoURL)],
        destinations: [{ server: inClusterServer, namespace }, ...addonDestinations],
        clusterResourceWhitelist: clusterScopedKinds(),
      },
    });
  }
}
