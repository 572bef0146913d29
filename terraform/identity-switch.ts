/**
 * Switching a cluster's add-ons between IRSA and EKS Pod Identity without AccessDenied: running
 * pods keep the credentials they started with until restarted (the IRSA webhook and the Pod
 * Identity webhook set them in the pod spec at admission), so the roles of the model a cluster
 * leaves must outlive its pods. The walk (README, "Switching a cluster's identity"):
 *
 *   1. identity: <new>, previousIdentity: <old>   both models' roles and associations exist;
 *                                                 the ServiceAccounts move to the new one, and
 *                                                 pods started from now on use it.
 *   2. restart the add-ons (kubectl rollout restart), check they use the new identity.
 *   3. remove previousIdentity                    the old roles go.
 *
 * Synth refuses the one-change switch: a cluster whose committed stack gives an add-on only an
 * identity of the model fleet.yaml no longer names. Once the stack held both (step 1), dropping
 * the old one is step 3, which synth cannot tell from a restart not yet done: the README says
 * to restart first.
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
    const dropped = addonsWithIamRole.filter((addon) => cluster.addons[addon])
      .flatMap((addon) => {
        const models = modelsIn(before, addon);
        // Pods could have started with the cluster's identity only if the stack already gave it.
        if (models.includes(cluster.identity)) return [];
        return models.filter((model) => !hasIdentity(cluster, model)).map((model) => ({ addon, model }));
      });
    if (!dropped.length) continue;
    const old = dropped[0].model;
    problems.push({
      path: ['clusters', cluster.index, 'identity'],
      message: `is ${cluster.identity}, but the committed dist/ gives ${dropped.map(({ addon }) => addonCatalog[addon].chart).join(', ')} ${old === 'irsa' ? 'IRSA roles' : 'Pod Identity associations'}, `
        + `which their running pods use until restarted: switching in one change would leave them with AccessDenied. `
        + `Fix: add previousIdentity: ${old} for this change (both identities), apply, restart the add-ons, then remove it (README, "Switching a cluster's identity")`,
    });
  }
  return problems;
}
