import { Construct } from 'constructs';
import { AddonKey, addonCatalog } from '../catalog/addons';
import { addonEnableLabel, clusterLabelKeys, projectNames, restrictedNamespaceLabels, syncRetry, systemNamespaces } from '../catalog/argocd';
import { distLayout } from '../catalog/dist-layout';
import { Fleet } from '../config/fleet';
import { ApplicationSet, ApplicationSetSpecTemplateSpecIgnoreDifferences } from '../imports/argocd-argoproj.io';
import { addonValues } from '../values/addons';
import { FileChart, ValuesFile } from './file-chart';
import { sharedPath, wavePin } from './waves';

export interface AddonChartProps {
  /** The validated fleet, every default applied. */
  readonly fleet: Fleet;
  /** The add-on of the catalog (catalog/addons.ts) this chart installs. */
  readonly addon: AddonKey;
}

/**
 * One add-on: its values files, and an ApplicationSet that installs the pinned upstream chart
 * on every registered cluster labelled `enable_<add-on>: "true"`, with the fleet-wide values
 * file and the cluster's own. (A cluster registered elsewhere with the label needs its values
 * file too: a missing one fails the sync rather than rendering the chart's defaults.)
 *
 * Ordering: the load balancer controller's Certificate needs cert-manager's CRDs, which another
 * Application installs. SkipDryRunOnMissingResource lets the sync start before they exist; the
 * sync then fails on those objects and retries, with backoff and without end, until cert-manager
 * is up. No fixed sleep, no retry limit that gives up; no admission webhook with failurePolicy
 * Fail stands between two add-ons both ways (verify/chart-checks.ts, webhookCycles).
 *
 * Deletion: turning the add-on off for a cluster, or removing the cluster, deletes its
 * Application but never what the chart installed (preserveResourcesOnDeletion, and no resources
 * finalizer): CRDs, their custom resources, webhooks and the controllers that clear finalizers
 * stay. Removing an add-on on purpose is a step of its own (README, "Turning an add-on off"; docs/argocd.md, "Cluster add-ons").
 */
export class AddonChart extends FileChart {
  constructor(scope: Construct, id: string, { fleet, addon }: AddonChartProps) {
    const entry = addonCatalog[addon];
    super(scope, id, distLayout.applicationSet(entry.chart));
    const values = addonValues[addon];

    new ValuesFile(this, 'fleet-values', distLayout.chartValues(entry.chart), values.fleet(fleet));
    for (const cluster of fleet.clusters.filter((candidate) => candidate.addons[addon])) {
      new ValuesFile(this, `values-${cluster.name}`, distLayout.chartClusterValues(entry.chart, cluster.name), values.cluster(cluster, fleet));
    }

    // The catalog's lists are read-only; the generated construct types do not say so.
    const ignoreDifferences = ('ignoreDifferences' in entry ? entry.ignoreDifferences : undefined) as
      ApplicationSetSpecTemplateSpecIgnoreDifferences[] | undefined;
    const createsNamespace = !(systemNamespaces as readonly string[]).includes(entry.namespace);
    const waves = fleet.waves.length > 0;
    new ApplicationSet(this, 'applicationset', {
      metadata: { name: `addon-${entry.chart}`, namespace: fleet.argocd.namespace },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        syncPolicy: { preserveResourcesOnDeletion: true },
        generators: fleet.waves.length
          // One generator per wave: its clusters, its chart version and its fleet-wide values file (charts/waves.ts).
          ? fleet.waves.map((wave) => {
            const pin = wavePin(fleet, wave);
            return {
              clusters: {
                selector: { matchLabels: { [addonEnableLabel(addon)]: 'true', [clusterLabelKeys.wave]: wave.name } },
                values: { chartVersion: pin?.addonVersions.get(entry.chart) ?? entry.version, valuesFile: sharedPath(fleet, pin, distLayout.chartValues(entry.chart)) },
              },
            };
          })
          : [{ clusters: { selector: { matchLabels: { [addonEnableLabel(addon)]: 'true' } } } }],
        template: {
          metadata: {
            name: `${entry.chart}-{{.name}}`,
            labels: { 'app.kubernetes.io/part-of': 'cluster-addons', 'fleet/addon': entry.chart, 'fleet/cluster': '{{.name}}' },
          },
          spec: {
            project: projectNames.addons,
            sources: [
              {
                repoUrl: entry.repoURL,
                chart: entry.chart,
                targetRevision: waves ? '{{.values.chartVersion}}' : entry.version,
                helm: {
                  releaseName: entry.releaseName,
                  valueFiles: [
                    waves ? '$values/{{.values.valuesFile}}' : `$values/${fleet.repo.path}/${distLayout.chartValues(entry.chart)}`,
                    `$values/${fleet.repo.path}/${distLayout.chartClusterValues(entry.chart, '{{.name}}')}`,
                  ],
                },
              },
              { repoUrl: fleet.repo.url, targetRevision: fleet.repo.revision, ref: 'values' },
            ],
            destination: { server: '{{.server}}', namespace: entry.namespace },
            ignoreDifferences,
            syncPolicy: {
              automated: { prune: true, selfHeal: true },
              // CRDs of these charts are too large for client-side apply's annotation.
              syncOptions: [...(createsNamespace ? ['CreateNamespace=true'] : []), 'ServerSideApply=true', 'SkipDryRunOnMissingResource=true', 'RespectIgnoreDifferences=true'],
              // The add-on's own namespace enforces Pod Security "restricted"; kube-system is EKS's.
              managedNamespaceMetadata: createsNamespace ? { labels: { ...restrictedNamespaceLabels } } : undefined,
              retry: syncRetry,
            },
          },
        },
      },
    });
  }
}
