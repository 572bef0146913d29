// The L1 constructs only: the package's index also loads the whole L2 library.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { Cluster, Fleet } from '../config/fleet';
import { addonKeys } from '../config/fleet-schema';
import { Application, ApplicationSet, AppProject } from '../imports/argocd-argoproj.io';
import {
  argocdPath, clusterAnnotations, clusterLabels, inClusterServer, projectNames, syncRetry,
} from '../lib/argocd-conventions';
import { addonCharts, argocdChart } from '../lib/helm-charts';
import { placementFile, testAppDir, testAppFile } from './test-app';
import { FileChart, ValuesFile } from './file-chart';

const automatedSync = { automated: { prune: true, selfHeal: true }, retry: syncRetry };

/** Deleting an Application deletes what it deployed: removing a placement cleans up the old cluster. */
const cascadeDelete = ['resources-finalizer.argocd.argoproj.io'];

export interface ArgoCdProps {
  readonly fleet: Fleet;
}

/**
 * The root "app of apps" and its project, applied once by hand: from then on the root app
 * syncs the Argo CD part of dist/ — itself included, so later changes arrive from git too.
 */
export class ArgoRootChart extends FileChart {
  static readonly file = 'argocd/root.yaml';

  constructor(scope: Construct, id: string, { fleet }: ArgoCdProps) {
    super(scope, id, ArgoRootChart.file);
    const namespace = fleet.argocd.namespace;
    new AppProject(this, 'project', {
      metadata: { name: projectNames.bootstrap, namespace },
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
      metadata: { name: 'fleet-root', namespace },
      spec: {
        project: projectNames.bootstrap,
        source: {
          repoUrl: fleet.repo.url,
          targetRevision: fleet.repo.revision,
          path: argocdPath(fleet),
          directory: { recurse: true },
        },
        destination: { server: inClusterServer, namespace },
        syncPolicy: automatedSync,
      },
    });
  }
}

/** The kinds the add-on charts and Argo CD's chart create outside a namespace, and nothing else. */
const addonClusterResources = [
  { group: '', kind: 'Namespace' },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
  { group: 'networking.k8s.io', kind: 'IngressClass' },
  { group: 'elbv2.k8s.aws', kind: 'IngressClassParams' },
];

/** Least-privilege projects: each allows only its sources, destinations and kinds. */
export class ArgoProjectsChart extends FileChart {
  constructor(scope: Construct, id: string, { fleet }: ArgoCdProps) {
    super(scope, id, 'argocd/projects.yaml');
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
      const namespaces = [...new Set(addonKeys.filter((addon) => cluster.addons[addon]).map((addon) => addonCharts[addon].namespace))];
      return namespaces.map((addonNamespace) => ({ name: cluster.name, namespace: addonNamespace }));
    });
    new AppProject(this, 'addons', {
      metadata: { name: projectNames.addons, namespace },
      spec: {
        description: 'Cluster add-ons from their pinned upstream charts, and Argo CD itself.',
        sourceRepos: [fleet.repo.url, argocdChart.repoURL, ...addonKeys.map((addon) => addonCharts[addon].repoURL)],
        destinations: [{ server: inClusterServer, namespace }, ...addonDestinations],
        clusterResourceWhitelist: addonClusterResources,
      },
    });
  }
}

/**
 * Registers one EKS cluster with Argo CD. Argo CD authenticates with `aws eks get-token` under
 * the cluster's role (IRSA on Argo CD's pods), so the Secret holds no token, password or key:
 * only the endpoint, the role and the public CA certificate.
 */
export class ClusterSecretChart extends FileChart {
  constructor(scope: Construct, id: string, props: ArgoCdProps & { readonly cluster: Cluster }) {
    const { fleet, cluster } = props;
    super(scope, id, `argocd/clusters/${cluster.name}.yaml`);
    const config = {
      awsAuthConfig: { clusterName: cluster.name, roleARN: cluster.argocdRoleArn },
      tlsClientConfig: { insecure: false, caData: cluster.caData },
    };
    new k8s.KubeSecret(this, 'secret', {
      metadata: {
        name: `cluster-${cluster.name}`,
        namespace: fleet.argocd.namespace,
        labels: { 'argocd.argoproj.io/secret-type': 'cluster', ...clusterLabels(cluster) },
        annotations: clusterAnnotations(cluster),
      },
      type: 'Opaque',
      stringData: { name: cluster.name, server: cluster.server, config: JSON.stringify(config) },
    });
  }
}

/**
 * One Application per (app, cluster) placement, from a list rendered out of fleet.yaml: the
 * placement is reviewed in git as a line of this file, and a cluster registered elsewhere
 * works as long as its Argo CD name matches.
 */
export class TestAppsApplicationSetChart extends FileChart {
  constructor(scope: Construct, id: string, { fleet }: ArgoCdProps) {
    super(scope, id, 'argocd/applicationsets/test-apps.yaml');
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
            finalizers: cascadeDelete,
          },
          spec: {
            project: projectNames.apps,
            source: {
              repoUrl: fleet.repo.url,
              targetRevision: fleet.repo.revision,
              path: `${fleet.repo.path}/${testAppDir('{{.app}}')}`,
              // What all clusters share, plus this cluster's Service and Ingress.
              directory: { recurse: true, include: `{${testAppFile},${placementFile('{{.cluster}}')}}` },
            },
            destination: { name: '{{.cluster}}', namespace: '{{.app}}' },
            syncPolicy: automatedSync,
          },
        },
      },
    });
  }
}

/** Helm values of Argo CD for an IPv6 cluster. */
export function argocdValues(): Record<string, unknown> {
  return {
    global: {
      // Every Service of the chart gets an IPv6 ClusterIP, as the cluster only has IPv6.
      dualStack: { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'] },
    },
    // redis-ha's HAProxy does not support IPv6-only clusters: one redis, bound to IPv6 and IPv4.
    // (Argo CD's own Go servers listen on a wildcard address, which Go opens dual-stack.)
    'redis-ha': { enabled: false },
    redis: { enabled: true, extraArgs: ['--bind', '* -::*'] },
  };
}

/** Argo CD manages itself after the first install: its chart, pinned, with values from dist/. */
export class ArgoSelfManagementChart extends FileChart {
  static readonly valuesFile = 'addons/argo-cd/values.yaml';

  constructor(scope: Construct, id: string, { fleet }: ArgoCdProps) {
    super(scope, id, 'argocd/argo-cd.yaml');
    new ValuesFile(this, 'values', ArgoSelfManagementChart.valuesFile, argocdValues());
    new Application(this, 'argo-cd', {
      metadata: { name: 'argo-cd', namespace: fleet.argocd.namespace },
      spec: {
        project: projectNames.addons,
        sources: [
          {
            repoUrl: argocdChart.repoURL,
            chart: argocdChart.chart,
            targetRevision: argocdChart.version,
            helm: { releaseName: argocdChart.releaseName, valueFiles: [`$values/${fleet.repo.path}/${ArgoSelfManagementChart.valuesFile}`] },
          },
          { repoUrl: fleet.repo.url, targetRevision: fleet.repo.revision, ref: 'values' },
        ],
        destination: { server: inClusterServer, namespace: fleet.argocd.namespace },
        // Pruning Argo CD's own objects could cut the branch it sits on; drift is still healed.
        // Its CRDs are too large for client-side apply's last-applied annotation.
        syncPolicy: {
          automated: { prune: false, selfHeal: true },
          syncOptions: ['ServerSideApply=true'],
          retry: syncRetry,
        },
      },
    });
  }
}
