import { AddonKey } from '../catalog/addons';
import { AddonValues } from './addon-values';
import { awsLoadBalancerControllerValues } from './aws-load-balancer-controller';
import { certManagerValues } from './cert-manager';
import { clusterAutoscalerValues } from './cluster-autoscaler';
import { externalDnsValues } from './external-dns';

/** The values builder of every add-on of the catalog. */
export const addonValues: Readonly<Record<AddonKey, AddonValues>> = {
  certManager: certManagerValues,
  awsLoadBalancerController: awsLoadBalancerControllerValues,
  clusterAutoscaler: clusterAutoscalerValues,
  externalDns: externalDnsValues,
};
