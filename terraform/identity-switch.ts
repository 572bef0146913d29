/**
 * Switching a cluster's add-ons between IRSA and EKS Pod Identity without AccessDenied. Running
 * pods keep the credentials they started with until restarted (the IRSA webhook and the Pod
 * Identity webhook set them in the pod spec at admission), and Argo CD syncs the add-ons' values
 * (the ServiceAccounts' eks.amazonaws.com/role-arn annotation) at merge, before anyone runs
 * terraform apply. So the new identity must exist in AWS before the values switch to it, and the
 * old one must outlive the pods started under it. The walk (README, "Switching a cluster's identity"):
 *
 *   1. identity: <old>, nextIdentity: <new>       Terraform adds the new model's roles and
 *                                                 associations; the values stay on the old one.
 *                                                 Apply.
 *   2. identity: <new>, previousIdentity: <old>   the values switch (pods started from now on use
 *                                                 the new identity), both models stay in
 *                                                 Terraform; restart the add-ons.
 *   3. remove previousIdentity                    the old roles go.
 *
 * Synth refuses a values switch to an identity the dist/ it replaces does not give yet (the
 * one-change switch, or step 1 skipped), read from the committed stack. Step 3 after step 1
 * (skipping step 2) leaves Terraform's two models as they were in both, so synth cannot tell it
 * from step 3 after step 2, nor a restart not yet done: the README says to do them in turn.
 */
import { addonCatalog, AddonWithIamRole, addonsWithIamRole } from '../catalog/addons';
import { allClusters, ClusterSpec, Fleet, hasIdentity } from '../config/fleet';
import { IdentityModel } from '../config/schema';
import { PathSegment } from '../output/field-path';
import { identifier, TfObject } from './json';

type Json = Record<string, any>;

/** The identity models a cluster stack gives an add-on: an IRSA role module, a Pod Identity association. */
function modelsIn(stack: Json, addon: AddonWithIamRole): IdentityModel[] {
  const key = identifier(addonCatalog[addon].chart);
  return [
    ...(stack.module?.[`irsa_${key}`] ? ['irsa' as const] : []),
    ...(stack.resource?.aws_eks_pod_identity_association?.[key] ? ['podIdentity' as const] : []),
  ];
}

/** A problem of fleet.yaml at a field path. */
export interface LocatedMessage {
  readonly path: PathSegment[];
  readonly message: string;
}

/** The clusters whose add-ons would lose, in this change, the identity their running pods use. */
export function identitySwitchProblems(fleet: Fleet, previousStack: (cluster: ClusterSpec) => TfObject | undefined): LocatedMessage[] {
  const problems: LocatedMessage[] = [];
  for (const cluster of allClusters(fleet)) {
    const before = previousStack(cluster);
    if (!before) continue;
    // The values switch to cluster.identity in this change: the committed stack must give it already.
    const switched = addonsWithIamRole.filter((addon) => cluster.addons[addon])
      .flatMap((addon) => {
        const models = modelsIn(before, addon);
        return models.length && !models.includes(cluster.identity) ? [{ addon, model: models[0] }] : [];
      });
    if (!switched.length) continue;
    const old = switched[0].model;
    const given = (model: IdentityModel) => (model === 'irsa' ? 'IRSA roles' : 'Pod Identity associations');
    problems.push({
      path: ['clusters', cluster.index, 'identity'],
      message: `is ${cluster.identity}, but the committed dist/ gives ${switched.map(({ addon }) => addonCatalog[addon].chart).join(', ')} ${given(old)} only, `
        + `which their running pods use until restarted: Argo CD would switch their ServiceAccounts to ${cluster.identity} at merge, before terraform apply creates its ${given(cluster.identity)}, so pods started in between would have no credentials`
        + `${hasIdentity(cluster, old) ? '' : ', and the old ones would go with the same apply (AccessDenied)'}. `
        + `Fix: for this change, keep identity: ${old} and add nextIdentity: ${cluster.identity}; apply; then set identity: ${cluster.identity} with previousIdentity: ${old}, restart the add-ons, then remove previousIdentity (README, "Switching a cluster's identity")`,
    });
  }
  return problems;
}
