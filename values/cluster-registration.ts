import { addonEnableLabel, clusterAnnotationKeys, clusterLabelKeys } from '../catalog/argocd';
import { addonKeys } from '../catalog/addons';
import { Cluster } from '../config/fleet';

/** The labels a cluster's Argo CD Secret carries (its wave's, in a fleet with waves); a cluster registered elsewhere needs the same. */
export function clusterLabels(cluster: Cluster, wave?: string): Record<string, string> {
  return {
    [clusterLabelKeys.ipFamily]: cluster.ipFamily,
    [clusterLabelKeys.environment]: cluster.environment,
    ...(wave ? { [clusterLabelKeys.wave]: wave } : {}),
    ...Object.fromEntries(addonKeys.map((addon) => [addonEnableLabel(addon), String(cluster.addons[addon])])),
  };
}

/** The annotations a cluster's Argo CD Secret carries, which add-on ApplicationSets template from. */
export function clusterAnnotations(cluster: Cluster): Record<string, string> {
  return {
    [clusterAnnotationKeys.region]: cluster.region,
    [clusterAnnotationKeys.accountId]: cluster.accountId,
    [clusterAnnotationKeys.vpcId]: cluster.vpcId,
    [clusterAnnotationKeys.clusterName]: cluster.name,
  };
}
