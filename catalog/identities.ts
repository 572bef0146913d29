/**
 * Who calls AWS in the fleet, and the IAM roles they get: the one place role names are made, so
 * the Helm values (IRSA annotations), the Argo CD cluster Secrets and dist/terraform/ agree.
 *
 * Roles are named, never name-prefixed, so an ARN is known at synth time from fleet.yaml alone
 * (`arn:<partition>:iam::<accountId>:role/<name>`), across root modules and without remote state.
 */
import { AddonWithIamRole, addonCatalog } from './addons';

/** The prefix of the roles the fleet shares (per account); a cluster may not be named so. */
export const fleetRolePrefix = 'fleet';

function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

export const roleNames = {
  /** Argo CD's own identity (Pod Identity on its pods), in the Argo CD cluster's account. */
  argocdHub: `${fleetRolePrefix}-argocd`,
  /** The role Argo CD assumes to reach one cluster, in that cluster's account: the cluster's access entry names it. */
  argocdAccess: (cluster: string) => `${cluster}-argocd`,
  /** An add-on's role under EKS Pod Identity: one per account, shared by its clusters. */
  podIdentityAddon: (addon: AddonWithIamRole) => `${fleetRolePrefix}-${kebabCase(addon)}`,
  /** An add-on's role under IRSA: one per cluster, trusting that cluster's OIDC provider. */
  irsaAddon: (addon: AddonWithIamRole, cluster: string) => `${cluster}-${kebabCase(addon)}`,
  /**
   * A service's role under IRSA on one cluster (its chart's values annotate its ServiceAccount with
   * it); "-app-" keeps it apart from an add-on's IRSA role of the same cluster.
   */
  irsaService: (app: string, cluster: string) => `${cluster}-app-${app}`,
  /** The VPC CNI's role (Pod Identity on aws-node) in the accounts of clusters the project creates. */
  vpcCni: `${fleetRolePrefix}-aws-vpc-cni`,
  /** The role in the hosted zone's account that external-dns of the other accounts assumes to write records. */
  externalDnsZone: `${fleetRolePrefix}-external-dns-zone`,
} as const;

/** IAM's longest role name (IAM User Guide, "IAM object quotas"). */
export const maxRoleNameLength = 64;

/** The AWS partition of a region: aws, aws-us-gov, aws-cn, aws-iso, aws-iso-b. */
export function partitionOf(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (/^[a-z]{2}-isob-/.test(region)) return 'aws-iso-b';
  if (/^[a-z]{2}-iso-/.test(region)) return 'aws-iso';
  return 'aws';
}

/** A role's ARN from where it lives and its name. */
export function roleArn(place: { readonly accountId: string; readonly region: string }, name: string): string {
  return `arn:${partitionOf(place.region)}:iam::${place.accountId}:role/${name}`;
}

/** The role external-dns of a cluster outside the hosted zone's account assumes (`--aws-assume-role`), or undefined in that account. */
export function externalDnsZoneRole(cluster: { readonly accountId: string; readonly region: string }, domainAccountId: string): string | undefined {
  return cluster.accountId === domainAccountId ? undefined : roleArn({ accountId: domainAccountId, region: cluster.region }, roleNames.externalDnsZone);
}

/** A ServiceAccount, as an association or a trust policy names it. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

/** The ServiceAccount an add-on that calls AWS runs as, as its values set it (values/). */
export function addonServiceAccount(addon: AddonWithIamRole): ServiceAccountRef {
  const entry = addonCatalog[addon];
  return { namespace: entry.namespace, name: entry.awsServiceAccount };
}

/**
 * Argo CD's pods that call AWS: `argocd-k8s-auth aws` runs in them to get a token for an EKS
 * cluster (Argo CD's declarative-setup docs, "EKS": the controller syncs, the server shows live
 * state and logs, the ApplicationSet controller is named there too). `component` is the
 * app.kubernetes.io/component label the argo-cd chart gives their pods, `valuesKey` their section
 * of its values, and `serviceAccount` the name those values give them.
 */
export const argocdAwsComponents = [
  { component: 'application-controller', valuesKey: 'controller', serviceAccount: 'argocd-application-controller' },
  { component: 'applicationset-controller', valuesKey: 'applicationSet', serviceAccount: 'argocd-applicationset-controller' },
  { component: 'server', valuesKey: 'server', serviceAccount: 'argocd-server' },
] as const;

/** The EKS access policy Argo CD gets on every cluster: it installs CRDs, webhooks and RBAC (Argo CD's declarative-setup docs, "EKS"). */
export const argocdAccessPolicy = 'AmazonEKSClusterAdminPolicy';
