import { AddonKey } from './addons';

/** Argo CD's name for the cluster it runs in. */
export const inClusterServer = 'https://kubernetes.default.svc';
/** Argo CD's cluster name for inClusterServer. */
export const inClusterName = 'in-cluster';

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
  secretType: 'argocd.argoproj.io/secret-type',
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

/** The finalizer that makes deleting an Application delete what it deployed. */
export const resourcesFinalizer = 'resources-finalizer.argocd.argoproj.io';

/** Retries with exponential backoff: how a sync converges when what it needs is not there yet. */
export const syncRetry = { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } } as const;
