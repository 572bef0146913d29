import { Construct } from 'constructs';
import { argocdChart } from '../catalog/addons';
import { inClusterServer, platformApplicationNames, projectNames, restrictedNamespaceLabels, syncRetry } from '../catalog/argocd';
import { distLayout } from '../catalog/dist-layout';
import { Application } from '../imports/argocd-argoproj.io';
import { argocdValues } from '../values/argo-cd';
import { ArgoCdProps } from './argocd-root';
import { FileChart, ValuesFile } from './file-chart';

/** Argo CD manages itself after the first install: its chart, pinned, with values from dist/. */
export class ArgoSelfManagementChart extends FileChart {
  constructor(scope: Construct, id: string, { fleet }: ArgoCdProps) {
    super(scope, id, distLayout.argocdSelf);
    const valuesFile = distLayout.chartValues(argocdChart.chart);
    new ValuesFile(this, 'values', valuesFile, argocdValues(fleet));
    new Application(this, 'argo-cd', {
      metadata: { name: platformApplicationNames.argocd, namespace: fleet.argocd.namespace },
      spec: {
        project: projectNames.argocd,
        sources: [
          {
            repoUrl: argocdChart.repoURL,
            chart: argocdChart.chart,
            targetRevision: argocdChart.version,
            helm: { releaseName: argocdChart.releaseName, valueFiles: [`$values/${fleet.repo.path}/${valuesFile}`] },
          },
          { repoUrl: fleet.repo.url, targetRevision: fleet.repo.revision, ref: 'values' },
        ],
        destination: { server: inClusterServer, namespace: fleet.argocd.namespace },
        // Pruning Argo CD's own objects could cut the branch it sits on; drift is still healed.
        // Its CRDs are too large for client-side apply's last-applied annotation. Its namespace,
        // created at bootstrap, enforces Pod Security "restricted" from then on.
        syncPolicy: {
          automated: { prune: false, selfHeal: true },
          syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
          managedNamespaceMetadata: { labels: { ...restrictedNamespaceLabels } },
          retry: syncRetry,
        },
      },
    });
  }
}
