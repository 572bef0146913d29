import { addonCatalog, clusterAutoscalerImageTags } from '../catalog/addons';
import { AddonValues, awsServiceAccount, resources, restrictedContainer } from './addon-values';

/** The unprivileged user the distroless cluster-autoscaler image runs as ("nobody"). */
const nobody = 65534;

export const clusterAutoscalerValues: AddonValues = {
  fleet: () => ({
    cloudProvider: 'aws',
    rbac: { serviceAccount: { create: true, name: addonCatalog.clusterAutoscaler.awsServiceAccount } },
    resources: resources('100m', '300Mi'),
    securityContext: { runAsNonRoot: true, runAsUser: nobody, runAsGroup: nobody, seccompProfile: restrictedContainer.seccompProfile },
    containerSecurityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: restrictedContainer.capabilities,
    },
    extraArgs: {
      logtostderr: true,
      stderrthreshold: 'info',
      v: 4,
      // Scale out in one step to the ~100 nodes that 10000 test pods need, spread evenly
      // over the zones' node groups, and let nodes with emptyDir pods scale down again.
      'balance-similar-node-groups': true,
      expander: 'least-waste',
      'max-node-provision-time': '15m',
      'skip-nodes-with-local-storage': false,
      'skip-nodes-with-system-pods': false,
      'scale-down-unneeded-time': '10m',
    },
  }),
  cluster: (cluster) => {
    const serviceAccount = awsServiceAccount(cluster, 'clusterAutoscaler');
    return {
      // The release made for the cluster's Kubernetes minor version (config/rules.ts refuses a
      // version without one).
      image: { tag: clusterAutoscalerImageTags[cluster.kubernetesVersion] },
      autoDiscovery: { clusterName: cluster.name },
      awsRegion: cluster.region,
      ...(serviceAccount && { rbac: { serviceAccount } }),
      extraArgs: { 'max-nodes-total': cluster.nodeGroups.reduce((total, group) => total + group.maxSize, 0) },
    };
  },
};
