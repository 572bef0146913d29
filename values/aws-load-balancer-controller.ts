import { addonCatalog } from '../catalog/addons';
import { AddonValues, irsaAnnotation } from './addon-values';

export const awsLoadBalancerControllerValues: AddonValues = {
  fleet: () => ({
    replicaCount: 2,
    // IPv6 pods can only be IP targets; instance targets would need IPv4 NodePorts.
    defaultTargetType: 'ip',
    serviceAccount: { create: true, name: addonCatalog.awsLoadBalancerController.awsServiceAccount },
  }),
  cluster: (cluster) => ({
    clusterName: cluster.name,
    region: cluster.region,
    vpcId: cluster.vpcId,
    serviceAccount: { annotations: irsaAnnotation(cluster.iamRoles.awsLoadBalancerController) },
    // With cert-manager the webhook certificate is a Certificate, not a secret generated on
    // every render (which Argo CD would show as OutOfSync forever).
    enableCertManager: cluster.addons.certManager,
    ingressClassParams: { spec: { ipAddressType: cluster.ipFamily === 'ipv6' ? 'dualstack' : 'ipv4' } },
  }),
};
