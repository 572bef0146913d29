import { Construct } from 'constructs';
import { AddonKey, addonCatalog } from '../catalog/addons';
import { addonEnableLabel, projectNames, resourcesFinalizer, syncRetry } from '../catalog/argocd';
import { distLayout } from '../catalog/dist-layout';
import { Fleet } from '../config/fleet';
import { ApplicationSet, ApplicationSetSpecTemplateSpecIgnoreDifferences } from '../imports/argocd-argoproj.io';
import { addonValues } from '../values/addons';
import { FileChart, ValuesFile } from './file-chart';

export interface AddonChartProps {
  readonly fleet: Fleet;
  readonly addon: AddonKey;
}

/**
 * One add-on: its values files, and an ApplicationSet that installs the pinned upstream chart
 * on every registered cluster labelled `enable_<add-on>: "true"`, with the fleet-wide values
 * file and the cluster's own (which may be absent).
 *
 * Ordering: the controller's Certificate needs cert-manager's CRDs, which another Application
 * installs. SkipDryRunOnMissingResource lets the sync start before they exist; the sync then
 * fails on those objects and retries with backoff until cert-manager is up. No fixed sleep.
 */
export class AddonChart extends FileChart {
  constructor(scope: Construct, id: string, { fleet, addon }: AddonChartProps) {
    const entry = addonCatalog[addon];
    super(scope, id, distLayout.applicationSet(entry.chart));
    const values = addonValues[addon];

    new ValuesFile(this, 'fleet-values', distLayout.chartValues(entry.chart), values.fleet(fleet));
    for (const cluster of fleet.clusters.filter((candidate) => candidate.addons[addon])) {
      const clusterValues = values.cluster(cluster, fleet);
      if (clusterValues) new ValuesFile(this, `values-${cluster.name}`, distLayout.chartClusterValues(entry.chart, cluster.name), clusterValues);
    }

    // The catalog's lists are read-only; the generated construct types do not say so.
    const ignoreDifferences = ('ignoreDifferences' in entry ? entry.ignoreDifferences : undefined) as
      ApplicationSetSpecTemplateSpecIgnoreDifferences[] | undefined;
    new ApplicationSet(this, 'applicationset', {
      metadata: { name: `addon-${entry.chart}`, namespace: fleet.argocd.namespace },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [{ clusters: { selector: { matchLabels: { [addonEnableLabel(addon)]: 'true' } } } }],
        template: {
          metadata: {
            name: `${entry.chart}-{{.name}}`,
            labels: { 'app.kubernetes.io/part-of': 'cluster-addons', 'fleet/addon': entry.chart, 'fleet/cluster': '{{.name}}' },
            finalizers: [resourcesFinalizer],
          },
          spec: {
            project: projectNames.addons,
            sources: [
              {
                repoUrl: entry.repoURL,
                chart: entry.chart,
                targetRevision: entry.version,
                helm: {
                  releaseName: entry.releaseName,
                  valueFiles: [
                    `$values/${fleet.repo.path}/${distLayout.chartValues(entry.chart)}`,
                    `$values/${fleet.repo.path}/${distLayout.chartClusterValues(entry.chart, '{{.name}}')}`,
                  ],
                  ignoreMissingValueFiles: true,
                },
              },
              { repoUrl: fleet.repo.url, targetRevision: fleet.repo.revision, ref: 'values' },
            ],
            destination: { server: '{{.server}}', namespace: entry.namespace },
            ignoreDifferences,
            syncPolicy: {
              automated: { prune: true, selfHeal: true },
              // CRDs of these charts are too large for client-side apply's annotation.
              syncOptions: ['CreateNamespace=true', 'ServerSideApply=true', 'SkipDryRunOnMissingResource=true', 'RespectIgnoreDifferences=true'],
              retry: syncRetry,
            },
          },
        },
      },
    });
  }
}
