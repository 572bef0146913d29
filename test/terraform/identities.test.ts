import { renderFleet } from '../../app/render';
import { distLayout } from '../../catalog/dist-layout';
import { literal } from '../../terraform/json';
import { addonPolicies, PolicyContext, podIdentityTags, podIdentityTrust } from '../../terraform/identities';
import { demoFleet, fixtureFleet } from '../support/fixtures';

type Json = Record<string, any>;

const stackOf = (files: ReadonlyMap<string, string>, path: string): Json => JSON.parse(files.get(path)!);

const context: PolicyContext = {
  roleName: 'fleet-role',
  clusters: ['east', 'west'],
  hostedZoneArn: 'arn:aws:route53:::hostedzone/Z1',
};
const outsideZoneAccount: PolicyContext = { ...context, zoneRoleArn: 'arn:aws:iam::111122223333:role/fleet-external-dns-zone' };
const assumeZoneRole = { sid: 'AssumeHostedZoneRole', actions: ['sts:AssumeRole', 'sts:TagSession'], resources: ['arn:aws:iam::111122223333:role/fleet-external-dns-zone'] };

describe('the policy each add-on\'s role attaches', () => {
  test('the load balancer controller: the module\'s policy, named after the role (a fixed default name would collide in the account)', () => {
    expect(addonPolicies.awsLoadBalancerController.podIdentity(context)).toEqual({ attach_aws_lb_controller_policy: true, aws_lb_controller_policy_name: 'fleet-role' });
    expect(addonPolicies.awsLoadBalancerController.irsa(context)).toEqual({ attach_load_balancer_controller_policy: true, policy_name: 'fleet-role' });
  });

  test('external-dns in the hosted zone\'s account: the module\'s Route 53 policy on that zone only', () => {
    expect(addonPolicies.externalDns.podIdentity(context)).toEqual({
      attach_external_dns_policy: true,
      external_dns_policy_name: 'fleet-role',
      external_dns_hosted_zone_arns: ['arn:aws:route53:::hostedzone/Z1'],
    });
    expect(addonPolicies.externalDns.irsa(context)).toEqual({
      attach_external_dns_policy: true,
      external_dns_hosted_zone_arns: ['arn:aws:route53:::hostedzone/Z1'],
      policy_name: 'fleet-role',
    });
  });

  test('external-dns outside the hosted zone\'s account: no Route 53 policy at all, only assuming the zone\'s role (with TagSession for Pod Identity\'s transitive tags)', () => {
    expect(addonPolicies.externalDns.podIdentity(outsideZoneAccount)).toEqual({ attach_custom_policy: true, policy_statements: [assumeZoneRole] });
    expect(addonPolicies.externalDns.irsa(outsideZoneAccount)).toEqual({ permissions: { AssumeHostedZoneRole: assumeZoneRole }, policy_name: 'fleet-role' });
  });

  test('cluster-autoscaler under Pod Identity: the module\'s read statement for no cluster by name, and scaling only of groups tagged with the session\'s own cluster', () => {
    expect(addonPolicies.clusterAutoscaler.podIdentity(context)).toEqual({
      attach_cluster_autoscaler_policy: true,
      cluster_autoscaler_policy_name: 'fleet-role',
      cluster_autoscaler_cluster_names: [],
      policy_statements: [{
        sid: 'ScaleOwnClusterOnly',
        actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        resources: ['*'],
        condition: [{ test: 'StringEquals', variable: 'aws:ResourceTag/eks:cluster-name', values: [literal('${aws:PrincipalTag/eks-cluster-name}')] }],
      }],
    });
    // the IAM policy variable reaches IAM as it is: Terraform reads $${ as a literal ${
    expect(literal('${aws:PrincipalTag/eks-cluster-name}')).toBe('$${aws:PrincipalTag/eks-cluster-name}');
  });

  test('cluster-autoscaler under IRSA: the module\'s policy for exactly the role\'s clusters', () => {
    const policy = addonPolicies.clusterAutoscaler.irsa(context);
    expect(policy).toEqual({ attach_cluster_autoscaler_policy: true, cluster_autoscaler_cluster_names: ['east', 'west'], policy_name: 'fleet-role' });
    // a copy: the role's list is not the caller's array
    expect(policy.cluster_autoscaler_cluster_names).not.toBe(context.clusters);
  });
});

describe('Pod Identity trust', () => {
  test('the session tags EKS Pod Identity sets, as the trust policy reads them', () => {
    expect(podIdentityTags).toEqual({
      clusterName: 'aws:RequestTag/eks-cluster-name',
      namespace: 'aws:RequestTag/kubernetes-namespace',
      serviceAccount: 'aws:RequestTag/kubernetes-service-account',
    });
  });

  test('exactly the namespace and ServiceAccounts, and the clusters when given', () => {
    expect(podIdentityTrust('kube-system', ['aws-node'])).toEqual([
      { test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-namespace', values: ['kube-system'] },
      { test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-service-account', values: ['aws-node'] },
    ]);
    expect(podIdentityTrust('argocd', ['a', 'b'], ['hub'])).toEqual([
      { test: 'StringEquals', variable: 'aws:RequestTag/eks-cluster-name', values: ['hub'] },
      { test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-namespace', values: ['argocd'] },
      { test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-service-account', values: ['a', 'b'] },
    ]);
  });

  test('the Argo CD hub role trusts its three ServiceAccounts in its namespace on its own cluster only, not on every cluster of the account', () => {
    const files = renderFleet(demoFleet());
    const hub = stackOf(files, distLayout.terraformAccount('111122223333')).module.argocd;
    expect(hub.trust_policy_conditions).toEqual([
      { test: 'StringEquals', variable: 'aws:RequestTag/eks-cluster-name', values: ['ipv6-east'] },
      { test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-namespace', values: ['argocd'] },
      { test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-service-account', values: ['argocd-application-controller', 'argocd-applicationset-controller', 'argocd-server'] },
    ]);
  });
});

describe('an IRSA cluster in the hosted zone\'s own account', () => {
  // The accounts fixture with the zone in partner-ipv4's account (444455556666): partner-ipv4 (IRSA)
  // writes records itself, ipv6-hub (Pod Identity, 111122223333) through the zone's role.
  const fleet = fixtureFleet('accounts', (text) => text.replace('domainAccountId: "111122223333"\n', 'domainAccountId: "444455556666"\n'));
  const files = renderFleet(fleet);
  const partner = stackOf(files, distLayout.terraformCluster('partner-ipv4'));

  test('its external-dns role gets the module\'s Route 53 policy on the zone, which the cluster\'s root module looks up', () => {
    expect(partner.module.irsa_external_dns).toMatchObject({
      name: 'partner-ipv4-external-dns',
      oidc_providers: { this: { namespace_service_accounts: ['external-dns:external-dns'] } },
      attach_external_dns_policy: true,
      external_dns_hosted_zone_arns: ['${data.aws_route53_zone.domain.arn}'],
      policy_name: 'partner-ipv4-external-dns',
    });
    expect(partner.module.irsa_external_dns.permissions).toBeUndefined();
    expect(partner.data.aws_route53_zone).toEqual({ domain: { name: 'apps.example.com', private_zone: false } });
    expect(files.get(distLayout.chartClusterValues('external-dns', 'partner-ipv4'))).not.toContain('aws-assume-role');
  });

  test('the zone\'s role in that account trusts the other account\'s external-dns role, which assumes it', () => {
    const zoneAccount = stackOf(files, distLayout.terraformAccount('444455556666'));
    expect(zoneAccount.module.external_dns_zone.trust_policy_permissions.ExternalDns.condition).toEqual([
      { test: 'ArnEquals', variable: 'aws:PrincipalArn', values: ['arn:aws:iam::111122223333:role/fleet-external-dns'] },
    ]);
    const hubAccount = stackOf(files, distLayout.terraformAccount('111122223333'));
    expect(hubAccount.module.fleet_external_dns).toMatchObject({ attach_custom_policy: true, policy_statements: [{ ...assumeZoneRole, resources: ['arn:aws:iam::444455556666:role/fleet-external-dns-zone'] }] });
    expect(files.get(distLayout.chartClusterValues('external-dns', 'ipv6-hub'))).toContain('aws-assume-role: arn:aws:iam::444455556666:role/fleet-external-dns-zone');
  });
});
