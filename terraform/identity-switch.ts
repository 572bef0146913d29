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
 * one-change switch, or step 1 skipped), read from the committed stack; and, given the committed
 * values, step 3 straight after step 1 (the values and the old roles switching in one apply),
 * which Terraform alone cannot tell from step 3 after step 2. A restart not yet done it cannot
 * see: the README says to restart before step 3.
 */
import { addonCatalog, addonsWithIamRole } from '../catalog/addons';
import { allClusters, ClusterSpec, Fleet, hasIdentity } from '../config/fleet';
import { IdentityModel } from '../config/schema';
import { PathSegment } from '../output/field-path';
import { awsServicesOn, serviceIdentityKey } from './identities';
import { identifier, TfObject } from './json';
import { distLayout } from '../catalog/dist-layout';

/** The ServiceAccount annotation of IRSA, in the add-ons' values while they use it. */
const irsaAnnotation = 'eks.amazonaws.com/role-arn';

type Json = Record<string, any>;

/** Who calls AWS on a cluster, by the label of its identity in the cluster's root module: its add-ons that do, and its services that do. */
function callersOn(fleet: Fleet, cluster: ClusterSpec): Array<{ readonly name: string; readonly key: string }> {
  return [
    ...addonsWithIamRole.filter((addon) => cluster.addons[addon]).map((addon) => ({ name: addonCatalog[addon].chart, key: identifier(addonCatalog[addon].chart) })),
    ...awsServicesOn(fleet, cluster).map((app) => ({ name: `service ${app.name}`, key: serviceIdentityKey(app.name) })),
  ];
}

/** The identity models a cluster stack gives an add-on or service (by its label): an IRSA role module, a Pod Identity association. */
function modelsIn(stack: Json, key: string): IdentityModel[] {
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
export function identitySwitchProblems(
  fleet: Fleet,
  previousStack: (cluster: ClusterSpec) => TfObject | undefined,
  /** A committed values file of dist/ (such as addons/external-dns/clusters/<cluster>.yaml), undefined when missing. */
  previousValues: (path: string) => string | undefined = () => undefined,
): LocatedMessage[] {
  const problems: LocatedMessage[] = [];
  for (const cluster of allClusters(fleet)) {
    const before = previousStack(cluster);
    if (!before) continue;
    // The values switch to cluster.identity in this change: the committed stack must give it already.
    const switched = callersOn(fleet, cluster)
      .flatMap((caller) => {
        const models = modelsIn(before, caller.key);
        return models.length && !models.includes(cluster.identity) ? [{ caller, model: models[0] }] : [];
      });
    if (!switched.length) {
      // Step 3 after step 1: the committed values still give the old identity, and its roles go now.
      const skipped = cluster.previousIdentity || cluster.nextIdentity ? [] : addonsWithIamRole.filter((addon) => cluster.addons[addon]).flatMap((addon) => {
        const old = modelsIn(before, identifier(addonCatalog[addon].chart)).find((model) => model !== cluster.identity);
        const values = old && previousValues(distLayout.chartClusterValues(addonCatalog[addon].chart, cluster.name));
        if (!old || values === undefined) return [];
        return values.includes(irsaAnnotation) === (old === 'irsa') ? [{ addon, old }] : [];
      });
      if (skipped.length) {
        const old = skipped[0].old;
        problems.push({
          path: ['clusters', cluster.index, 'identity'],
          message: `is ${cluster.identity} alone, but the committed dist/ still gives ${skipped.map(({ addon }) => addonCatalog[addon].chart).join(', ')} the ${old} identity in their values (nextIdentity: ${cluster.identity} was step 1): `
            + `the values would switch and the ${old} roles go in the same apply, so their running pods would get AccessDenied until restarted. `
            + `Fix: for this change, set previousIdentity: ${old} (the values switch, both identities stay); restart the add-ons; then remove it (README, "Switching a cluster's identity")`,
        });
      }
      continue;
    }
    const old = switched[0].model;
    const given = (model: IdentityModel) => (model === 'irsa' ? 'IRSA roles' : 'Pod Identity associations');
    problems.push({
      path: ['clusters', cluster.index, 'identity'],
      message: `is ${cluster.identity}, but the committed dist/ gives ${switched.map(({ caller }) => caller.name).join(', ')} ${given(old)} only, `
        + `which their running pods use until restarted: Argo CD would switch their ServiceAccounts to ${cluster.identity} at merge, before terraform apply creates its ${given(cluster.identity)}, so pods started in between would have no credentials`
        + `${hasIdentity(cluster, old) ? '' : ', and the old ones would go with the same apply (AccessDenied)'}. `
        + `Fix: for this change, keep identity: ${old} and add nextIdentity: ${cluster.identity}; apply; then set identity: ${cluster.identity} with previousIdentity: ${old}, restart the add-ons, then remove previousIdentity (README, "Switching a cluster's identity")`,
    });
  }
  return problems;
}
