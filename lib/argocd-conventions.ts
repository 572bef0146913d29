import { Cluster, Fleet } from '../config/fleet';
import { AddonKey, addonKeys } from '../config/fleet-schema';

/** Argo CD's name for the cluster it runs in. */
export const inClusterServer = 'https://kubernetes.default.svc';

export const projectNames = {
  /** The root app and what it syncs: projects, ApplicationSets, cluster Secrets. */
  bootstrap: 'fleet-bootstrap',
  /** The NGINX test apps. */
  apps: 'fleet-apps',
  /** The cluster add-ons and Argo CD itself. */
  addons: 'fleet-addons',
} as const;

/** The labels and annotations ApplicationSets select clusters by and template from. */
export const clusterLabelKeys = {
  ipFamily: 'ip-family',
  environment: 'environment',
} as const;

export const clusterAnnotationKeys = {
  region: 'aws-region',
  accountId: 'aws-account-id',
  vpcId: 'vpc-id',
  clusterName: 'aws-cluster-name',
} as const;

/** `enable_cert_manager` for certManager: the label an add-on's ApplicationSet selects clusters by. */
export function addonEnableLabel(addon: AddonKey): string {
  return `enable_${addon.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)}`;
}

/** The labels a cluster's Argo CD Secret carries; a cluster registered elsewhere needs the same. */
export function clusterLabels(cluster: Cluster): Record<string, string> {
  return {
    [clusterLabelKeys.ipFamily]: cluster.ipFamily,
    [clusterLabelKeys.environment]: cluster.environment,
    ...Object.fromEntries(addonKeys.map((addon) => [addonEnableLabel(addon), String(cluster.addons[addon])])),
  };
}

export function clusterAnnotations(cluster: Cluster): Record<string, string> {
  return {
    [clusterAnnotationKeys.region]: cluster.region,
    [clusterAnnotationKeys.accountId]: cluster.accountId,
    [clusterAnnotationKeys.vpcId]: cluster.vpcId,
    [clusterAnnotationKeys.clusterName]: cluster.name,
  };
}

/** Where the Argo CD part of dist/ lives in the repository: the root app's source path. */
export function argocdPath(fleet: Fleet): string {
  return `${fleet.repo.path}/argocd`;
}

/** Retries with exponential backoff: how a sync converges when what it needs is not there yet. */
export const syncRetry = { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } } as const;
