import { AddonValues, resources, singleStack } from './addon-values';

export const certManagerValues: AddonValues = {
  fleet: () => ({
    // crds.enabled replaces the deprecated installCRDs; keep leaves the CRDs (and so every
    // Certificate) in place if the release is ever removed.
    crds: { enabled: true, keep: true },
    resources: resources('50m', '128Mi'),
    webhook: { resources: resources('20m', '64Mi') },
    cainjector: { resources: resources('20m', '128Mi') },
    startupapicheck: { resources: resources('10m', '32Mi') },
  }),
  // The webhook's Service has an IP family knob (the cainjector's has none and takes the
  // cluster's default, which is the cluster's family on EKS).
  cluster: (cluster) => ({
    webhook: { serviceIPFamilyPolicy: singleStack(cluster.ipFamily).ipFamilyPolicy, serviceIPFamilies: singleStack(cluster.ipFamily).ipFamilies },
  }),
};
