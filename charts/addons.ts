import { Construct } from 'constructs';
import { Fleet } from '../config/fleet';
import { AddonKey } from '../config/fleet-schema';
import { ApplicationSet } from '../imports/argocd-argoproj.io';
import { clusterAddonValues, fleetAddonValues } from '../lib/addon-values';
import { addonEnableLabel, projectNames, syncRetry } from '../lib/argocd-conventions';
import { addonCharts } from '../lib/helm-charts';
import { FileChart, ValuesFile } from './file-chart';

/** Where an add-on's values live in dist/: fleet-wide, and per cluster beside them. */
export function addonValuesFiles(addon: AddonKey): { fleet: string; cluster: (clusterName: string) => string } {
  const dir = `addons/${addonCharts[addon].chart}`;
  return { fleet: `${dir}/values.yaml`, cluster: (clusterName) => `${dir}/clusters/${clusterName}.yaml` };
}

/**
 * The webhook certificate of the AWS Load Balancer Controller: without cert-manager the chart
 * generates a new one on every render, so these fields would never match.
 */
const lbcGeneratedCertificateFields = [
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
  { group: '', kind: 'Secret', name: 'aws-load-balancer-tls', jsonPointers: ['/data'] },
];

export interface AddonProps {
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
  constructor(scope: Construct, id: string, { fleet, addon }: AddonProps) {
    const chart = addonCharts[addon];
    super(scope, id, `argocd/applicationsets/${chart.chart}.yaml`);
    const files = addonValuesFiles(addon);

    new ValuesFile(this, 'fleet-values', files.fleet, fleetAddonValues(addon, fleet));
    for (const cluster of fleet.clusters.filter((candidate) => candidate.addons[addon])) {
      const values = clusterAddonValues(addon, cluster);
      if (values) new ValuesFile(this, `values-${cluster.name}`, files.cluster(cluster.name), values);
    }

    new ApplicationSet(this, 'applicationset', {
      metadata: { name: `addon-${chart.chart}`, namespace: fleet.argocd.namespace },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [{ clusters: { selector: { matchLabels: { [addonEnableLabel(addon)]: 'true' } } } }],
        template: {
          metadata: {
            name: `${chart.chart}-{{.name}}`,
            labels: { 'app.kubernetes.io/part-of': 'cluster-addons', 'fleet/addon': chart.chart, 'fleet/cluster': '{{.name}}' },
            finalizers: ['resources-finalizer.argocd.argoproj.io'],
          },
          spec: {
            project: projectNames.addons,
            sources: [
              {
                repoUrl: chart.repoURL,
                chart: chart.chart,
                targetRevision: chart.version,
                helm: {
                  releaseName: chart.releaseName,
                  valueFiles: [`$values/${fleet.repo.path}/${files.fleet}`, `$values/${fleet.repo.path}/${files.cluster('{{.name}}')}`],
                  ignoreMissingValueFiles: true,
                },
              },
              { repoUrl: fleet.repo.url, targetRevision: fleet.repo.revision, ref: 'values' },
            ],
            destination: { server: '{{.server}}', namespace: chart.namespace },
            ignoreDifferences: addon === 'awsLoadBalancerController' ? lbcGeneratedCertificateFields : undefined,
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
