/**
 * The IAM side of the add-ons that call AWS, for the pinned modules: which policy each attaches,
 * under EKS Pod Identity (eks-pod-identity 2.8.1) and under IRSA (iam 6.5.0,
 * iam-role-for-service-accounts). Both modules carry the upstream policies (the load balancer
 * controller's iam_policy.json, external-dns's and cluster-autoscaler's documented ones).
 */
import { AddonWithIamRole } from '../catalog/addons';
import { literal, TfObject } from './json';

/** What an add-on's role needs to know beyond its name. */
export interface PolicyContext {
  /** The role's name, which its policy is named after too (policy names are per account, like role names). */
  readonly roleName: string;
  /** The clusters the role serves: cluster-autoscaler may only scale their node groups. */
  readonly clusters: readonly string[];
  /** The Route 53 hosted zone external-dns writes app records into. */
  readonly hostedZoneArn: string;
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
    podIdentity: ({ roleName, hostedZoneArn }) => ({
      attach_external_dns_policy: true,
      external_dns_policy_name: roleName,
      external_dns_hosted_zone_arns: [hostedZoneArn],
    }),
    irsa: ({ roleName, hostedZoneArn }) => ({ attach_external_dns_policy: true, external_dns_hosted_zone_arns: [hostedZoneArn], policy_name: roleName }),
  },
  clusterAutoscaler: {
    // The module's policy grants SetDesiredCapacity and TerminateInstanceInAutoScalingGroup in
    // one statement per cluster name (its cluster_autoscaler.tf), about 210 characters each: a
    // role shared by 30 clusters would pass IAM's 6,144 of a managed policy. So the shared role
    // takes only the module's read statement, and scales by attribute instead: only groups whose
    // eks:cluster-name tag (EKS tags the Auto Scaling group of every managed node group so) is
    // the cluster the session comes from, a tag EKS Pod Identity sets on every session.
    podIdentity: ({ roleName }) => ({
      attach_cluster_autoscaler_policy: true,
      cluster_autoscaler_policy_name: roleName,
      cluster_autoscaler_cluster_names: [],
      attach_custom_policy: true,
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

/** A pod identity role's trust, narrowed to exactly these clusters, namespace and ServiceAccounts. */
export function podIdentityTrust(clusters: readonly string[], namespace: string, serviceAccounts: readonly string[]): TfObject[] {
  return [
    { test: 'StringEquals', variable: podIdentityTags.clusterName, values: [...clusters] },
    { test: 'StringEquals', variable: podIdentityTags.namespace, values: [namespace] },
    { test: 'StringEquals', variable: podIdentityTags.serviceAccount, values: [...serviceAccounts] },
  ];
}
