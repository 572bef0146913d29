import { AddonValues } from './addon-values';

export const certManagerValues: AddonValues = {
  // crds.enabled replaces the deprecated installCRDs; keep leaves the CRDs (and so every
  // Certificate) in place if the release is ever removed.
  fleet: () => ({ crds: { enabled: true, keep: true } }),
  cluster: () => undefined,
};
