import { addonCatalog } from '../catalog/addons';
import { AddonValues, irsaAnnotation } from './addon-values';

export const clusterAutoscalerValues: AddonValues = {
  fleet: () => ({
    cloudProvider: 'aws',
    rbac: { serviceAccount: { create: true, name: addonCatalog.clusterAutoscaler.awsServiceAccount } },
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
  cluster: (cluster) => ({
    autoDiscovery: { clusterName: cluster.name },
    awsRegion: cluster.region,
    rbac: { serviceAccount: { annotations: irsaAnnotation(cluster.iamRoles.clusterAutoscaler) } },
    extraArgs: { 'max-nodes-total': cluster.nodeGroups.reduce((total, group) => total + group.maxSize, 0) },
  }),
};
