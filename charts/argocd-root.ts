import { Construct } from 'constructs';
import { fleetAnnotationKeys, inClusterServer, platformApplicationNames, projectNames, resourcesFinalizer, rootSyncWaves, syncRetry } from '../catalog/argocd';
import { distLayout } from '../catalog/dist-layout';
import { Fleet } from '../config/fleet';
import { Application, AppProject } from '../imports/argocd-argoproj.io';
import { FileChart } from './file-chart';
import { syncWaveAnnotation } from '../catalog/argocd';

export interface ArgoCdProps {
  /** The validated fleet, every default applied. */
  readonly fleet: Fleet;
}

/**
 * The root "app of apps" and its project, applied once by hand: from then on the root app
 * syncs the Argo CD part of dist/ — itself included, so later changes arrive from git too.
 */
export class ArgoRootChart extends FileChart {
  constructor(scope: Construct, id: string, { fleet }: ArgoCdProps) {
    super(scope, id, distLayout.argocdRoot);
    const namespace = fleet.argocd.namespace;
    new AppProject(this, 'project', {
      metadata: { annotations: { [syncWaveAnnotation]: rootSyncWaves.project }, finalizers: [resourcesFinalizer], name: projectNames.bootstrap, namespace },
      spec: {
        description: 'The root app: Argo CD projects, ApplicationSets and cluster registrations of the fleet.',
        sourceRepos: [fleet.repo.url],
        destinations: [{ server: inClusterServer, namespace }],
        clusterResourceWhitelist: [],
        namespaceResourceWhitelist: [
          { group: 'argoproj.io', kind: 'AppProject' },
          { group: 'argoproj.io', kind: 'Application' },
          { group: 'argoproj.io', kind: 'ApplicationSet' },
          { group: '', kind: 'Secret' },
        ],
      },
    });
    new Application(this, 'root', {
      metadata: {
        name: platformApplicationNames.root,
        namespace,
        annotations: { [fleetAnnotationKeys.argocdCluster]: fleet.argocd.cluster, [fleetAnnotationKeys.domainAccountId]: fleet.domainAccountId },
      },
      spec: {
        project: projectNames.bootstrap,
        source: {
          repoUrl: fleet.repo.url,
          targetRevision: fleet.repo.revision,
          path: `${fleet.repo.path}/${distLayout.argocdDir}`,
          directory: { recurse: true },
        },
        destination: { server: inClusterServer, namespace },
        // Server-side apply: client-side apply keeps a copy of every object in its
        // last-applied-configuration annotation, which caps an object at 256 KiB.
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'], retry: syncRetry },
      },
    });
  }
}
