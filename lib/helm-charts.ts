import { AddonKey } from '../config/fleet-schema';

/** An upstream Helm chart at a pinned version, and where its release goes. */
export interface HelmChart {
  readonly chart: string;
  readonly repoURL: string;
  readonly version: string;
  readonly releaseName: string;
  readonly namespace: string;
}

/**
 * The pinned add-on charts: upgrading one is a version bump here (then `npm run refresh:charts`
 * with the new chart's defaults, and the tests).
 */
export const addonCharts: Readonly<Record<AddonKey, HelmChart>> = {
  certManager: { chart: 'cert-manager', repoURL: 'https://charts.jetstack.io', version: 'v1.21.1', releaseName: 'cert-manager', namespace: 'cert-manager' },
  awsLoadBalancerController: { chart: 'aws-load-balancer-controller', repoURL: 'https://aws.github.io/eks-charts', version: '3.5.0', releaseName: 'aws-load-balancer-controller', namespace: 'kube-system' },
  clusterAutoscaler: { chart: 'cluster-autoscaler', repoURL: 'https://kubernetes.github.io/autoscaler', version: '9.59.0', releaseName: 'cluster-autoscaler', namespace: 'kube-system' },
  externalDns: { chart: 'external-dns', repoURL: 'https://kubernetes-sigs.github.io/external-dns/', version: '1.21.1', releaseName: 'external-dns', namespace: 'external-dns' },
};

/** Argo CD's own chart; the release name matches a first install done with `helm install argocd ...`. */
export const argocdChart: HelmChart = {
  chart: 'argo-cd',
  repoURL: 'https://argoproj.github.io/argo-helm',
  version: '10.1.1',
  releaseName: 'argocd',
  namespace: 'argocd',
};
