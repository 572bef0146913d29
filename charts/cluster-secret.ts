// The L1 constructs only: the package's index also loads the whole L2 library.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { clusterLabelKeys, rootSyncWaves } from '../catalog/argocd';
import { roleArn, roleNames } from '../catalog/identities';
import { distLayout } from '../catalog/dist-layout';
import { Cluster, waveOf } from '../config/fleet';
import { clusterAnnotations, clusterLabels } from '../values/cluster-registration';
import { ArgoCdProps } from './argocd-root';
import { FileChart } from './file-chart';
import { syncWaveAnnotation } from '../catalog/argocd';

export interface ClusterSecretProps extends ArgoCdProps {
  /** The cluster Argo CD registers. */
  readonly cluster: Cluster;
}

/**
 * Registers one EKS cluster with Argo CD. Argo CD's pods hold the fleet's Argo CD role (EKS Pod
 * Identity); `argocd-k8s-auth aws` assumes the cluster's `<cluster>-argocd` role from it and
 * presigns an EKS token (argo-cd cmd/argocd-k8s-auth/commands/aws.go), which the cluster's
 * access entry for that role admits. dist/terraform/ creates both roles and the entry. So the
 * Secret holds no token, password or key: only the endpoint, the role and the public CA.
 */
export class ClusterSecretChart extends FileChart {
  constructor(scope: Construct, id: string, { fleet, cluster }: ClusterSecretProps) {
    super(scope, id, distLayout.clusterSecret(cluster.name));
    const config = {
      awsAuthConfig: { clusterName: cluster.name, roleARN: roleArn(cluster, roleNames.argocdAccess(cluster.name)) },
      tlsClientConfig: { insecure: false, caData: cluster.caData },
    };
    new k8s.KubeSecret(this, 'secret', {
      metadata: {
        name: `cluster-${cluster.name}`,
        namespace: fleet.argocd.namespace,
        labels: { [clusterLabelKeys.secretType]: 'cluster', ...clusterLabels(cluster, waveOf(fleet, cluster.name)?.name) },
        // Registered before, and removed after, the projects and ApplicationSets that name it (rootSyncWaves).
        annotations: { ...clusterAnnotations(cluster), [syncWaveAnnotation]: rootSyncWaves.clusterSecret },
      },
      type: 'Opaque',
      stringData: { name: cluster.name, server: cluster.server, config: JSON.stringify(config) },
    });
  }
}
