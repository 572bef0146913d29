/**
 * The IAM side of the add-ons that call AWS, for the pinned modules: which policy each attaches,
 * under EKS Pod Identity (eks-pod-identity 2.8.1) and under IRSA (iam 6.5.0,
 * iam-role-for-service-accounts). Both modules carry the upstream policies (the load balancer
 * controller's iam_policy.json, external-dns's and cluster-autoscaler's documented ones).
 */
import { AddonWithIamRole } from '../catalog/addons';
import { appsOn, ClusterSpec, Fleet, isCluster, isService, ServiceApp, ServiceAws, takesDefaultApps } from '../config/fleet';
import { identifier, literal, TfObject } from './json';

/** What an add-on's role needs to know beyond its name. */
export interface PolicyContext {
  /** The role's name, which its policy is named after too (policy names are per account, like role names). */
  readonly roleName: string;
  /** The clusters the role serves: cluster-autoscaler may only scale their node groups. */
  readonly clusters: readonly string[];
  /** The Route 53 hosted zone external-dns writes app records into, when it is in the role's account. */
  readonly hostedZoneArn: string;
  /** Outside the hosted zone's account: the role there that external-dns assumes to write records. */
  readonly zoneRoleArn?: string;
}

/** Assuming the hosted zone's role: with sts:TagSession, since EKS Pod Identity's session tags are transitive. */
function assumeZoneRole(zoneRoleArn: string): TfObject {
  return { sid: 'AssumeHostedZoneRole', actions: ['sts:AssumeRole', 'sts:TagSession'], resources: [zoneRoleArn] };
}

/** The module inputs that attach an add-on's policy, for one model. */
export interface AddonPolicy {
  readonly podIdentity: (context: PolicyContext) => TfObject;
  readonly irsa: (context: PolicyContext) => TfObject;
}

/**
 * With use_name_prefix off, the pod identity module names each policy by a fixed default
 * ("AmazonEKS_LoadBalancerController", its aws_lb_controller.tf) unless told otherwise, so a
 * second role of the kind in the account would collide: every policy is named after its role.
 */
export const addonPolicies: Readonly<Record<AddonWithIamRole, AddonPolicy>> = {
  awsLoadBalancerController: {
    podIdentity: ({ roleName }) => ({ attach_aws_lb_controller_policy: true, aws_lb_controller_policy_name: roleName }),
    irsa: ({ roleName }) => ({ attach_load_balancer_controller_policy: true, policy_name: roleName }),
  },
  externalDns: {
    // A hosted zone belongs to one account: elsewhere external-dns writes through the role the
    // zone's account gives it (external-dns's AWS tutorial, "Assume Role").
    podIdentity: ({ roleName, hostedZoneArn, zoneRoleArn }): TfObject => (zoneRoleArn
      ? { attach_custom_policy: true, policy_statements: [assumeZoneRole(zoneRoleArn)] }
      : { attach_external_dns_policy: true, external_dns_policy_name: roleName, external_dns_hosted_zone_arns: [hostedZoneArn] }),
    irsa: ({ roleName, hostedZoneArn, zoneRoleArn }): TfObject => (zoneRoleArn
      ? { permissions: { AssumeHostedZoneRole: assumeZoneRole(zoneRoleArn) }, policy_name: roleName }
      : { attach_external_dns_policy: true, external_dns_hosted_zone_arns: [hostedZoneArn], policy_name: roleName }),
  },
  clusterAutoscaler: {
    // The module's policy grants SetDesiredCapacity and TerminateInstanceInAutoScalingGroup in
    // one statement per cluster name (its cluster_autoscaler.tf), about 210 characters each: a
    // role shared by 30 clusters would pass IAM's 6,144 of a managed policy. So the shared role
    // takes only the module's read statement, and scales by attribute instead: only groups whose
    // eks:cluster-name tag (EKS tags the Auto Scaling group of every managed node group so) is
    // the cluster the session comes from, a tag EKS Pod Identity sets on every session. The
    // statement goes into the module's base document, which its cluster-autoscaler policy
    // includes (source_policy_documents); attach_custom_policy would make a second policy of
    // the role's name, which IAM refuses (EntityAlreadyExists).
    podIdentity: ({ roleName }) => ({
      attach_cluster_autoscaler_policy: true,
      cluster_autoscaler_policy_name: roleName,
      cluster_autoscaler_cluster_names: [],
      policy_statements: [{
        sid: 'ScaleOwnClusterOnly',
        actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        resources: ['*'],
        condition: [{ test: 'StringEquals', variable: 'aws:ResourceTag/eks:cluster-name', values: [literal('${aws:PrincipalTag/eks-cluster-name}')] }],
      }],
    }),
    irsa: ({ roleName, clusters }) => ({ attach_cluster_autoscaler_policy: true, cluster_autoscaler_cluster_names: [...clusters], policy_name: roleName }),
  },
};

/** The session tags EKS Pod Identity puts on every role session (EKS User Guide, "pod-id-abac"); a trust policy can require them. */
export const podIdentityTags = {
  clusterName: 'aws:RequestTag/eks-cluster-name',
  namespace: 'aws:RequestTag/kubernetes-namespace',
  serviceAccount: 'aws:RequestTag/kubernetes-service-account',
} as const;

/**
 * A pod identity role's trust, narrowed to exactly this namespace and these ServiceAccounts, as
 * the EKS User Guide's "pod-id-role" example does, and to `clusters` when given. A role the
 * account's clusters share names none: which clusters use it is what their associations say
 * (creating one needs iam:PassRole on the role), and a list of every cluster would outgrow the
 * trust policy's 2,048 characters at fleet scale.
 */
export function podIdentityTrust(namespace: string, serviceAccounts: readonly string[], clusters?: readonly string[]): TfObject[] {
  return [
    ...(clusters ? [{ test: 'StringEquals', variable: podIdentityTags.clusterName, values: [...clusters] }] : []),
    { test: 'StringEquals', variable: podIdentityTags.namespace, values: [namespace] },
    { test: 'StringEquals', variable: podIdentityTags.serviceAccount, values: [...serviceAccounts] },
  ];
}

/** A service that calls AWS (fleet.yaml's app with aws). */
export type AwsService = ServiceApp & { readonly aws: ServiceAws };

const awsServicesByCluster = new WeakMap<Fleet, Map<string, readonly AwsService[]>>();

/**
 * The services that call AWS on a cluster, in fleet.yaml's order: those placed on it; on a
 * pending cluster, those it will run once imported (placed by default, where it takes the
 * default apps), so that their roles and associations exist before their pods start, as the
 * add-ons' do. Their identities are on exactly these clusters.
 */
export function awsServicesOn(fleet: Fleet, cluster: ClusterSpec): readonly AwsService[] {
  const known = awsServicesByCluster.get(fleet) ?? new Map<string, readonly AwsService[]>();
  awsServicesByCluster.set(fleet, known);
  let services = known.get(cluster.name);
  if (!services) {
    const placed = isCluster(cluster) ? appsOn(fleet, cluster.name) : takesDefaultApps(cluster) ? fleet.apps.filter((app) => app.placedByDefault) : [];
    services = placed.filter((app): app is AwsService => isService(app) && app.aws !== undefined);
    known.set(cluster.name, services);
  }
  return services;
}

/** The Terraform label of a service's identity in a root module: its module, data source or association (add-ons' are their charts', which never start with app_). */
export function serviceIdentityKey(app: string): string {
  return identifier(`app-${app}`);
}

/**
 * A service's managed policies as the modules attach them (eks-pod-identity's
 * additional_policy_arns, iam-role-for-service-accounts' policies: a map whose keys name the
 * attachments in the plan). Keyed by the ARN itself: known at plan time, one per policy, and
 * unchanged when another is added or removed.
 */
export function servicePolicyAttachments(aws: ServiceAws): TfObject {
  return Object.fromEntries(aws.policyArns.map((arn) => [arn, arn]));
}
