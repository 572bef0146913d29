import { roleArn, roleNames } from '../catalog/identities';
import { ClusterSpec, ServiceApp } from '../config/fleet';
import { irsaRoleAnnotation, Values } from './addon-values';

/**
 * The Helm values a chart service that calls AWS needs on one cluster, for its ServiceAccount's
 * identity: on an IRSA cluster the role ARN of dist/terraform/ at the values path the app names
 * (aws.irsaAnnotationsValue, such as serviceAccount.annotations), nested as Helm reads a path;
 * anywhere else nothing ({}), since under Pod Identity the association binds the role to the
 * namespace and ServiceAccount, and an annotation left behind would even win (web identity
 * comes before the container credentials in the SDKs' chain). As the add-ons' values, it follows
 * the cluster's `identity` alone: during a switch the roles of both models exist in Terraform,
 * and the values move in step 2 (terraform/identity-switch.ts).
 *
 * These are over the app's values and clusterValues: a deep merge keeps the chart's other
 * annotations there.
 */
export function serviceIdentityValues(app: ServiceApp, cluster: Pick<ClusterSpec, 'name' | 'identity' | 'accountId' | 'region'>): Values {
  const path = app.aws?.irsaAnnotationsValue;
  if (!path || cluster.identity !== 'irsa') return {};
  const annotation: Values = { [irsaRoleAnnotation]: roleArn(cluster, roleNames.irsaService(app.name, cluster.name)) };
  return path.split('.').reduceRight<Values>((inner, key) => ({ [key]: inner }), annotation);
}

/** The IRSA role ARN that values of serviceIdentityValues give the ServiceAccount, undefined when they give none. */
export function annotatedServiceRole(values: Values, path: string | undefined): string | undefined {
  if (!path) return undefined;
  let node: unknown = values;
  for (const key of path.split('.')) node = typeof node === 'object' && node !== null ? (node as Values)[key] : undefined;
  const role = typeof node === 'object' && node !== null ? (node as Values)[irsaRoleAnnotation] : undefined;
  return typeof role === 'string' ? role : undefined;
}
