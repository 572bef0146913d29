import { Construct } from 'constructs';
import { projectNames, resourcesFinalizer, syncRetry } from '../catalog/argocd';
import { distLayout } from '../catalog/dist-layout';
import { ApplicationSet } from '../imports/argocd-argoproj.io';
import { ArgoCdProps } from './argocd-root';
import { FileChart } from './file-chart';

/**
 * One Application per (app, cluster) placement, from a list rendered out of fleet.yaml: the
 * placement is reviewed in git as a line of this file, and a cluster registered elsewhere
 * works as long as its Argo CD name matches.
 */
export class TestAppsApplicationSetChart extends FileChart {
  constructor(scope: Construct, id: string, { fleet }: ArgoCdProps) {
    super(scope, id, distLayout.applicationSet('test-apps'));
    new ApplicationSet(this, 'test-apps', {
      metadata: { name: 'test-apps', namespace: fleet.argocd.namespace },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [{
          list: {
            elements: fleet.apps.flatMap((app) => app.placements.map((placement) => ({ app: app.name, cluster: placement.cluster }))),
          },
        }],
        template: {
          metadata: {
            name: '{{.app}}-{{.cluster}}',
            labels: { 'app.kubernetes.io/part-of': 'test-apps', 'fleet/app': '{{.app}}', 'fleet/cluster': '{{.cluster}}' },
            // Deleting an Application deletes what it deployed: removing a placement cleans up the old cluster.
            finalizers: [resourcesFinalizer],
          },
          spec: {
            project: projectNames.apps,
            source: {
              repoUrl: fleet.repo.url,
              targetRevision: fleet.repo.revision,
              path: `${fleet.repo.path}/${distLayout.appDir('{{.app}}')}`,
              // What all clusters share, plus this cluster's Service and Ingress.
              directory: { recurse: true, include: `{${distLayout.appSharedFile},${distLayout.appClusterFile('{{.cluster}}')}}` },
            },
            destination: { name: '{{.cluster}}', namespace: '{{.app}}' },
            syncPolicy: { automated: { prune: true, selfHeal: true }, retry: syncRetry },
          },
        },
      },
    });
  }
}
