/**
 * Who calls AWS in the fleet, and the IAM roles they get: the one place role names are made, so
 * the Helm values (IRSA annotations), the Argo CD cluster Secrets and dist/terraform/ agree.
 *
 * Roles are named, never name-prefixed, so an ARN is known at synth time from fleet.yaml alone
 * (`arn:<partition>:iam::<accountId>:role/<name>`), across root modules and without remote state.
 */
import type { IdentityModel } from '../config/schema';
import { AddonWithIamRole, addonCatalog } from './addons';

/** The prefix of the roles the fleet shares (per account); a cluster may not be named so. */
export const fleetRolePrefix = 'fleet';

function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/**
 * Between the scope of a service's role (the account's clusters, or one cluster) and the app's
 * name. IAM allows "." in a role name, and no name of fleet.yaml has one (clusters and apps are
 * DNS labels), so a service's role can never be named as another role of the fleet, whatever
 * clusters and apps are called: "-" would make app b-external-dns on cluster a and the
 * external-dns role of a cluster a-app-b one name.
 */
const serviceRoleSeparator = '.';

export const roleNames = {
  /** Argo CD's own identity (Pod Identity on its pods), in the Argo CD cluster's account. */
  argocdHub: `${fleetRolePrefix}-argocd`,
  /** The role Argo CD assumes to reach one cluster, in that cluster's account: the cluster's access entry names it. */
  argocdAccess: (cluster: string) => `${cluster}-argocd`,
  /** An add-on's role under EKS Pod Identity: one per account, shared by its clusters. */
  podIdentityAddon: (addon: AddonWithIamRole) => `${fleetRolePrefix}-${kebabCase(addon)}`,
  /** An add-on's role under IRSA: one per cluster, trusting that cluster's OIDC provider. */
  irsaAddon: (addon: AddonWithIamRole, cluster: string) => `${cluster}-${kebabCase(addon)}`,
  /** The VPC CNI's role (Pod Identity on aws-node) in the accounts of clusters the project creates. */
  vpcCni: `${fleetRolePrefix}-aws-vpc-cni`,
  /** The role in the hosted zone's account that external-dns of the other accounts assumes to write records. */
  externalDnsZone: `${fleetRolePrefix}-external-dns-zone`,
  /** A service's role under EKS Pod Identity (fleet.yaml's app with aws): one per account, shared by its clusters. */
  podIdentityService: (app: string) => `${fleetRolePrefix}${serviceRoleSeparator}${app}`,
  /** A service's role under IRSA: one per cluster, trusting that cluster's OIDC provider. */
  irsaService: (app: string, cluster: string) => `${cluster}${serviceRoleSeparator}${app}`,
} as const;

/** IAM's longest role name (IAM User Guide, "IAM object quotas"). */
export const maxRoleNameLength = 64;

/** A cluster as the role names of a service on it depend on: its name and the identity models Terraform gives it. */
export interface ServiceRoleScope {
  readonly name: string;
  readonly identity: IdentityModel;
  readonly nextIdentity?: IdentityModel;
  readonly previousIdentity?: IdentityModel;
}

/**
 * Why the roles of a service that calls AWS would not fit IAM on the clusters it is placed on, if
 * they would not: the IRSA role of each cluster with that model (while a cluster switches
 * identity, both models' roles exist) is named after the cluster and the app, which together
 * may pass IAM's 64 characters; the Pod Identity role never does (DNS labels of fleet.yaml are at
 * most 40). For config/rules.ts, at the app's name.
 */
export function serviceRoleNameProblem(app: string, clusters: readonly ServiceRoleScope[]): string | undefined {
  for (const cluster of clusters) {
    if (![cluster.identity, cluster.nextIdentity, cluster.previousIdentity].includes('irsa')) continue;
    const role = roleNames.irsaService(app, cluster.name);
    if (role.length <= maxRoleNameLength) continue;
    const over = role.length - maxRoleNameLength;
    return `makes the IRSA role name ${role} of ${cluster.name} ${role.length} characters long, above IAM's ${maxRoleNameLength}: `
      + `shorten the app's name to ${app.length - over} characters (or the cluster's to ${cluster.name.length - over}), or use identity: podIdentity on ${cluster.name}`;
  }
  return undefined;
}

/** A cluster as the policies a service's role may attach depend on: its account and region (the partition). */
export interface ServicePolicyScope {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
}

/**
 * Why a managed policy of a service's aws.policyArns cannot be attached to its role on one of the
 * clusters it is placed on, if it cannot: IAM attaches to a role the AWS managed policies
 * (arn:<partition>:iam::aws:policy/...) of its partition and the customer managed policies of its
 * own account only (AttachRolePolicy takes a policy ARN that must exist where the role is). For
 * config/rules.ts, at the policy's entry.
 */
export function servicePolicyProblem(policyArn: string, clusters: readonly ServicePolicyScope[]): string | undefined {
  const [, partition, , , owner] = policyArn.split(':');
  for (const cluster of clusters) {
    if (partition !== partitionOf(cluster.region)) {
      return `is a policy of partition ${partition}, but ${cluster.name} is in ${cluster.region}, partition ${partitionOf(cluster.region)}: a role attaches policies of its own partition only; write arn:${partitionOf(cluster.region)}:iam::...`;
    }
    if (owner !== 'aws' && owner !== cluster.accountId) {
      return `is a customer managed policy of account ${owner}, but ${cluster.name} is in account ${cluster.accountId}, where the app's role is: IAM attaches to a role only the policies of its own account (or AWS managed ones). `
        + `Place the app only on clusters of account ${owner}, or use an AWS managed policy`;
    }
  }
  return undefined;
}

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
