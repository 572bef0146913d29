import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, normalize } from 'path';
import { synthesize } from '../../app/synth';
import { identitySwitchProblems } from '../../terraform/identity-switch';
import { renderFleet } from '../../app/render';
import { argocdChart } from '../../catalog/addons';
import { distLayout } from '../../catalog/dist-layout';
import { roleArn, roleNames } from '../../catalog/identities';
import { allClusters } from '../../config/fleet';
import { parseFleet } from '../../config/load';
import { certificateValidationRole } from '../../terraform/certificates';
import { isArm64, terraformComment } from '../../terraform/stacks';
import { literal, terraformModules } from '../../terraform/json';
import { demoFleet, demoFleetText, findObject, fixtureFleet, fixtureNames, fixtureText, largeFleetFixture, parseManifests, writeTempFleet } from '../support/fixtures';

type Json = Record<string, any>;

/** Every key of a JSON value, at any depth. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
}

function stacksOf(files: ReadonlyMap<string, string>): Map<string, Json> {
  return new Map([...files].filter(([path]) => path.startsWith('terraform/')).map(([path, text]) => [path, JSON.parse(text)]));
}

const demo = demoFleet();
const demoFiles = renderFleet(demo);
const demoStacks = stacksOf(demoFiles);
const ipv6East = demoStacks.get(distLayout.terraformCluster('ipv6-east'))!;
const legacy = demoStacks.get(distLayout.terraformCluster('legacy-ipv4'))!;
const account = demoStacks.get(distLayout.terraformAccount('111122223333'))!;

describe('the layout of dist/terraform/', () => {
  test('one root module per account and per cluster, each starting with the generated-file comment', () => {
    expect([...demoStacks.keys()].sort()).toEqual([
      'terraform/accounts/111122223333/main.tf.json',
      'terraform/bootstrap/main.tf.json',
      'terraform/clusters/ipv6-east/main.tf.json',
      'terraform/clusters/legacy-ipv4/main.tf.json',
    ]);
    for (const stack of demoStacks.values()) expect(Object.keys(stack)[0]).toBe('//');
    for (const stack of demoStacks.values()) expect(stack['//']).toBe(terraformComment);
  });

  test.each(fixtureNames)('%s: every root module works in one account, in its cluster\'s region, with an S3 state key of its own and no credentials', (name) => {
    const fleet = fixtureFleet(name);
    const stacks = stacksOf(renderFleet(fleet));
    for (const cluster of allClusters(fleet)) {
      const stack = stacks.get(distLayout.terraformCluster(cluster.name))!;
      expect(stack.provider.aws).toMatchObject({ region: cluster.region, allowed_account_ids: [cluster.accountId] });
    }
    for (const [path, stack] of stacks) {
      // Only the key: bucket, region and use_lockfile stay the team's (-backend-config).
      expect([path, stack.terraform.backend]).toEqual([path, { s3: { key: `${dirname(path)}/terraform.tfstate` } }]);
      // The team's own credentials: no keys, profiles, roles to assume or tokens in any provider, but the hosted
      // zone's account's certificate validation role for the ACM validation records (terraform/certificates.ts).
      const own = [stack.provider.aws].flat().filter((provider: Json) => provider.alias !== 'zone');
      expect([path, keysOf(own).filter((key) => /access_key|secret_key|token|profile|assume_role|shared_credentials|password/.test(key))]).toEqual([path, []]);
      const zone = [stack.provider.aws].flat().find((provider: Json) => provider.alias === 'zone');
      if (zone) expect(zone.assume_role).toEqual([{ role_arn: `arn:aws:iam::${fleet.domainAccountId}:role/${certificateValidationRole}`, session_name: expect.stringMatching(/^fleet-certificates-\d{12}$/) }]);
    }
    // One backend config reused for every root module still gives each its own state.
    const keys = [...stacks.values()].map((stack) => stack.terraform.backend.s3.key);
    expect(new Set(keys).size).toBe(stacks.size);
  });

  test('a cluster in another account gets a root module of that account, and its account the shared roles', () => {
    const fleet = fixtureFleet('accounts');
    const stacks = stacksOf(renderFleet(fleet));
    expect([...stacks.keys()].filter((path) => path.startsWith('terraform/accounts/'))).toEqual([
      'terraform/accounts/111122223333/main.tf.json',
      'terraform/accounts/444455556666/main.tf.json',
    ]);
    const other = stacks.get(distLayout.terraformAccount('444455556666'))!;
    // Argo CD's own role lives in its cluster's account only.
    expect(Object.keys(other.module)).not.toContain('argocd');
    // The cluster's access role trusts Argo CD's account, narrowed to Argo CD's role by its ARN:
    // a role principal is bound to the role's unique id, and would not survive its recreation.
    const partner = stacks.get(distLayout.terraformCluster('partner-ipv4'))!;
    expect(partner.module.argocd_access.trust_policy_permissions.ArgoCd).toEqual({
      actions: ['sts:AssumeRole', 'sts:TagSession'],
      principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:root'] }],
      condition: [{ test: 'ArnEquals', variable: 'aws:PrincipalArn', values: ['arn:aws:iam::111122223333:role/fleet-argocd'] }],
    });
  });

  test('every module source is a registry module at its exact pinned version', () => {
    const pinned = Object.values(terraformModules).map((module) => `${module.source}@${module.version}`);
    for (const stack of demoStacks.values()) {
      for (const call of Object.values<Json>(stack.module ?? {})) expect(pinned).toContain(`${call.source}@${call.version}`);
    }
  });
});

describe('the IPv6 cluster the project creates (ipv6-east)', () => {
  test('a dual-stack VPC: Amazon-provided /56, a /64 per subnet, egress-only IGW, NAT for IPv4, no DNS64, ALB subnet tags, IPv6 on by default', () => {
    expect(ipv6East.module.vpc).toMatchObject({
      source: 'terraform-aws-modules/vpc/aws',
      version: '6.6.0',
      cidr: '10.231.0.0/16',
      enable_ipv6: true,
      public_subnet_ipv6_prefixes: [0, 1, 2],
      private_subnet_ipv6_prefixes: [3, 4, 5],
      database_subnet_ipv6_prefixes: [6, 7, 8],
      private_subnet_assign_ipv6_address_on_creation: true,
      public_subnet_assign_ipv6_address_on_creation: true,
      create_egress_only_igw: true,
      enable_nat_gateway: true,
      private_subnet_enable_dns64: false,
      public_subnet_enable_dns64: false,
      public_subnet_tags: { 'kubernetes.io/role/elb': '1' },
      private_subnet_tags: { 'kubernetes.io/role/internal-elb': '1' },
    });
    // The private IPv4 blocks are fleet.yaml's ipv4Subnets, which the capacity plan counts.
    expect(ipv6East.module.vpc.private_subnets).toEqual(['10.231.16.0/22', '10.231.20.0/22', '10.231.24.0/22']);
  });

  test('the EKS cluster: IPv6, the version of fleet.yaml, its node groups, the VPC CNI and the Pod Identity agent before the nodes, no OIDC provider', () => {
    const eks = ipv6East.module.eks;
    expect(eks).toMatchObject({ source: 'terraform-aws-modules/eks/aws', version: '21.19.0', name: 'ipv6-east', ip_family: 'ipv6', kubernetes_version: '1.35', enable_irsa: false });
    expect(eks.addons['vpc-cni']).toEqual({ before_compute: true, pod_identity_association: [{ role_arn: '${data.aws_iam_role.aws_vpc_cni.arn}', service_account: 'aws-node' }] });
    expect(eks.addons['eks-pod-identity-agent']).toEqual({ before_compute: true });
    expect(ipv6East.data.aws_iam_role.aws_vpc_cni).toEqual({ name: roleNames.vpcCni });
    expect(eks.eks_managed_node_groups).toEqual({
      default: { name: 'default', instance_types: ['m5.large'], ami_type: 'AL2023_x86_64_STANDARD', min_size: 3, max_size: 120, desired_size: 3, iam_role_attach_cni_policy: false },
    });
    // The VPC CNI's role may call the IPv6 APIs (the account's shared role).
    expect(account.module.aws_vpc_cni).toMatchObject({ attach_aws_vpc_cni_policy: true, aws_vpc_cni_enable_ipv6: true, aws_vpc_cni_enable_ipv4: false });
  });

  test('once imported, a check warns (never blocks) when the cluster is no longer what fleet.yaml says', () => {
    expect(ipv6East.check.fleet_yaml.assert).toEqual([
      expect.objectContaining({ condition: '${module.eks.cluster_endpoint == "https://9E8D7C6B5A4F3E2D1C0B9A8F7E6D5C4B.gr7.us-east-2.eks.amazonaws.com"}' }),
      expect.objectContaining({ condition: '${module.vpc.vpc_id == "vpc-0f1e2d3c4b5a69788"}' }),
    ]);
  });

  test('Argo CD installed by a bootstrap root module of its own, from dist/addons/argo-cd/values.yaml, the chart its own Application pins', () => {
    const bootstrap = demoStacks.get(distLayout.terraformBootstrap)!;
    const release = bootstrap.resource.helm_release.argocd;
    const self = findObject(parseManifests(demoFiles.get(distLayout.argocdSelf)!), 'Application', 'argo-cd');
    const source = self.spec.sources.find((candidate: Json) => candidate.chart);
    expect(release).toMatchObject({ name: source.helm.releaseName, namespace: demo.argocd.namespace, repository: source.repoURL, chart: source.chart, version: source.targetRevision });
    // path.module is the root module's folder: the values file it names is the one the Application reads.
    const [, relative] = /^\$\{file\("\$\{path\.module\}\/(.+)"\)\}$/.exec(release.values[0])!;
    expect(normalize(join(dirname(distLayout.terraformBootstrap), relative))).toBe(distLayout.chartValues(argocdChart.chart));
    expect(demoFiles.has(distLayout.chartValues(argocdChart.chart))).toBe(true);
    // Argo CD manages itself afterwards: a later apply must not fight it.
    expect(release.lifecycle).toEqual({ ignore_changes: 'all' });
    expect(bootstrap.provider.helm.kubernetes.exec.args).toEqual(['eks', 'get-token', '--cluster-name', 'ipv6-east', '--region', 'us-east-2']);
    expect(bootstrap.provider.aws).toMatchObject({ region: 'us-east-2', allowed_account_ids: ['111122223333'] });
  });

  test('no cluster root module holds a Kubernetes resource, so anyone with AWS access plans it; the Argo CD cluster\'s waits out its associations\' propagation', () => {
    for (const [path, stack] of demoStacks) {
      if (path === distLayout.terraformBootstrap) continue;
      expect([path, stack.resource?.helm_release]).toEqual([path, undefined]);
    }
    expect(legacy.provider.helm).toBeUndefined();
    // A state from before the bootstrap module still holds the release: it is forgotten, never uninstalled.
    expect(ipv6East.removed).toEqual([{ from: 'helm_release.argocd', lifecycle: { destroy: false } }]);
    expect(ipv6East.terraform.required_version).toBe('>= 1.7');
    expect(legacy.removed).toBeUndefined();
    // EKS documents Pod Identity associations as eventually consistent: the apply ends only once they have propagated.
    expect(ipv6East.resource.time_sleep.argocd_pod_identity).toEqual({
      create_duration: '30s',
      depends_on: ['aws_eks_pod_identity_association.argocd_application_controller', 'aws_eks_pod_identity_association.argocd_applicationset_controller', 'aws_eks_pod_identity_association.argocd_server'],
    });
    expect(ipv6East.terraform.required_providers.time).toEqual({ source: 'hashicorp/time', version: '>= 0.9' });
    expect(legacy.resource.time_sleep).toBeUndefined();
  });

  test('explicit administrators, fleet-wide and per cluster: access entries with cluster admin and the KMS key\'s administrators; nothing for whoever applies', () => {
    const eks = ipv6East.module.eks;
    expect(eks.enable_cluster_creator_admin_permissions).toBe(false);
    expect(eks.kms_key_administrators).toEqual(['arn:aws:iam::111122223333:role/platform-ci', 'arn:aws:iam::111122223333:role/platform-admin']);
    const admins = Object.values<Json>(eks.access_entries).filter((entry) => !String(entry.principal_arn).startsWith('${'));
    expect(admins.map((entry) => entry.principal_arn)).toEqual(eks.kms_key_administrators);
    for (const entry of admins) {
      expect(entry.policy_associations.cluster_admin).toEqual({ policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', access_scope: { type: 'cluster' } });
    }
    // A cluster's own administrators come after the fleet's.
    const west = stacksOf(renderFleet(fixtureFleet('accounts'))).get(distLayout.terraformCluster('ipv6-west'))!;
    expect(west.module.eks.kms_key_administrators).toEqual(['arn:aws:iam::111122223333:role/platform-ci', 'arn:aws:iam::444455556666:role/partner-admin']);
    expect(Object.keys(west.module.eks.access_entries)).toEqual(expect.arrayContaining(['admin__111122223333_role_platform_ci', 'admin__444455556666_role_partner_admin', 'argocd']));
  });

  test('the API server is private, public only to the CIDRs fleet.yaml declares', () => {
    expect(ipv6East.module.eks).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, endpoint_public_access_cidrs: ['203.0.113.0/24'] });
    const closed = stacksOf(renderFleet(demoFleet((text) => text.replace('    endpointPublicAccessCidrs:\n      - 203.0.113.0/24\n', ''))));
    const eks = closed.get(distLayout.terraformCluster('ipv6-east'))!.module.eks;
    expect(eks).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    // The module's default list is 0.0.0.0/0: it is never left to apply.
    expect(eks.endpoint_public_access_cidrs).toBeUndefined();
  });
});

describe('the cluster that exists (legacy-ipv4)', () => {
  test('only read: no VPC, no cluster; fleet.yaml\'s IP family, version, VPC, endpoint, CA and node groups checked at plan time', () => {
    expect(legacy.module.vpc).toBeUndefined();
    expect(legacy.module.eks).toBeUndefined();
    const conditions = JSON.stringify(legacy.data.aws_eks_cluster.this.lifecycle.postcondition);
    for (const expected of ['ip_family == \\"ipv4\\"', 'version == \\"1.35\\"', 'vpc_id == \\"vpc-0a1b2c3d4e5f60718\\"', '\\"https://4B1D7A3E9C2F6A8B0D5E7C1F3A9B2D4E.gr7.us-east-2.eks.amazonaws.com\\"', 'authentication_mode != \\"CONFIG_MAP\\"']) {
      expect(conditions).toContain(expected);
    }
    expect(conditions).toContain(demo.clusters.find((cluster) => cluster.name === 'legacy-ipv4')!.caData);
    expect(JSON.stringify(legacy.data.aws_eks_node_group.default.lifecycle.postcondition)).toContain('min_size == 3 && self.scaling_config[0].max_size == 30');
    expect(legacy.data.aws_eks_addon.pod_identity_agent).toEqual({ cluster_name: 'legacy-ipv4', addon_name: 'eks-pod-identity-agent' });
  });

  test('Argo CD\'s access entry: its role for this cluster, cluster admin on the whole cluster', () => {
    expect(legacy.resource.aws_eks_access_entry.argocd).toEqual({ cluster_name: '${data.aws_eks_cluster.this.name}', principal_arn: '${module.argocd_access.arn}', type: 'STANDARD' });
    expect(legacy.resource.aws_eks_access_policy_association.argocd).toMatchObject({
      policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      access_scope: { type: 'cluster' },
    });
    expect(legacy.module.argocd_access.name).toBe('legacy-ipv4-argocd');
  });

  test('the outputs npm run import-clusters reads, from the data sources', () => {
    expect(Object.keys(legacy.output)).toEqual(expect.arrayContaining([
      'cluster_name', 'region', 'account_id', 'ip_family', 'cluster_endpoint', 'cluster_certificate_authority_data', 'vpc_id', 'private_subnets_cidr_blocks', 'private_subnets_ipv6_cidr_blocks',
    ]));
    expect(legacy.output.vpc_id.value).toBe('${data.aws_eks_cluster.this.vpc_config[0].vpc_id}');
  });
});

describe('identities', () => {
  test('Pod Identity: one role per add-on for the account\'s clusters, trusting exactly its namespace and ServiceAccount, named after the role with its policy', () => {
    const lbc = account.module.fleet_aws_load_balancer_controller;
    expect(lbc).toMatchObject({ name: 'fleet-aws-load-balancer-controller', use_name_prefix: false, attach_aws_lb_controller_policy: true, aws_lb_controller_policy_name: 'fleet-aws-load-balancer-controller' });
    // Namespace and ServiceAccount, as the EKS User Guide's pod-id-role example: the clusters are
    // those whose associations name the role, so the trust policy does not grow with the fleet.
    expect(lbc.trust_policy_conditions).toEqual([
      { test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-namespace', values: ['kube-system'] },
      { test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-service-account', values: ['aws-load-balancer-controller'] },
    ]);
    expect(account.module.fleet_external_dns.external_dns_hosted_zone_arns).toEqual(['${data.aws_route53_zone.domain.arn}']);
    expect(account.data.aws_route53_zone.domain).toEqual({ name: 'apps.example.com', private_zone: false });
    for (const stack of [legacy, ipv6East]) {
      expect(stack.resource.aws_eks_pod_identity_association.aws_load_balancer_controller).toMatchObject({ namespace: 'kube-system', service_account: 'aws-load-balancer-controller', role_arn: '${data.aws_iam_role.aws_load_balancer_controller.arn}' });
    }
    // Every add-on role, and the VPC CNI's, trusts exactly the namespace and ServiceAccount its chart renders (verify/terraform.ts checks the renders)
    const trusted = (module: { trust_policy_conditions: Array<{ variable: string; values: string[] }> }) => Object.fromEntries(module.trust_policy_conditions.map(({ variable, values }) => [variable, values]));
    for (const [module, namespace, serviceAccount] of [
      ['fleet_aws_load_balancer_controller', 'kube-system', 'aws-load-balancer-controller'],
      ['fleet_cluster_autoscaler', 'kube-system', 'cluster-autoscaler'],
      ['fleet_external_dns', 'external-dns', 'external-dns'],
      ['aws_vpc_cni', 'kube-system', 'aws-node'],
    ]) {
      expect([module, trusted(account.module[module])]).toEqual([module, { 'aws:RequestTag/kubernetes-namespace': [namespace], 'aws:RequestTag/kubernetes-service-account': [serviceAccount] }]);
    }
    for (const [association, namespace, serviceAccount] of [['cluster_autoscaler', 'kube-system', 'cluster-autoscaler'], ['external_dns', 'external-dns', 'external-dns']]) {
      expect(ipv6East.resource.aws_eks_pod_identity_association[association]).toMatchObject({ namespace, service_account: serviceAccount });
    }
  });

  test('cluster-autoscaler\'s shared role scales only the node groups of the cluster the session comes from, in one statement for any number of clusters', () => {
    const autoscaler = account.module.fleet_cluster_autoscaler;
    expect(autoscaler.cluster_autoscaler_cluster_names).toEqual([]);
    // The statement goes into the module's base document, which its cluster-autoscaler policy
    // includes: a custom policy would take the role's name, which the autoscaler policy has.
    expect(autoscaler.attach_custom_policy).toBeUndefined();
    expect(autoscaler.policy_statements).toEqual([expect.objectContaining({
      actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
      // An IAM policy variable, escaped so Terraform does not read it as its own interpolation.
      condition: [{ test: 'StringEquals', variable: 'aws:ResourceTag/eks:cluster-name', values: ['$${aws:PrincipalTag/eks-cluster-name}'] }],
    })]);
  });

  test('Argo CD: its own role for its three ServiceAccounts on its cluster, allowed to assume every registered cluster\'s role, which the Secrets name', () => {
    const hub = account.module.argocd;
    expect(hub.name).toBe(roleNames.argocdHub);
    expect(hub.trust_policy_conditions).toContainEqual({ test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-service-account', values: ['argocd-application-controller', 'argocd-applicationset-controller', 'argocd-server'] });
    expect(hub.policy_statements[0]).toMatchObject({ actions: ['sts:AssumeRole', 'sts:TagSession'], resources: ['arn:aws:iam::111122223333:role/ipv6-east-argocd', 'arn:aws:iam::111122223333:role/legacy-ipv4-argocd'] });
    for (const cluster of demo.clusters) {
      const secret = findObject(parseManifests(demoFiles.get(distLayout.clusterSecret(cluster.name))!), 'Secret', `cluster-${cluster.name}`);
      expect(JSON.parse(secret.stringData.config).awsAuthConfig).toEqual({ clusterName: cluster.name, roleARN: roleArn(cluster, roleNames.argocdAccess(cluster.name)) });
    }
    expect(Object.keys(ipv6East.resource.aws_eks_pod_identity_association)).toEqual(expect.arrayContaining(['argocd_application_controller', 'argocd_applicationset_controller', 'argocd_server']));
    expect(legacy.resource.aws_eks_pod_identity_association.argocd_server).toBeUndefined();
  });

  test('Argo CD\'s pods get the region their SDK signs EKS tokens in', () => {
    const values = demoFiles.get(distLayout.chartValues(argocdChart.chart))!;
    expect(values.match(/name: AWS_REGION\n\s+value: us-east-2/g)).toHaveLength(3);
  });

  test('IRSA on a cluster that uses it: a role per add-on trusting the cluster\'s OIDC provider for exactly its ServiceAccount, and the annotation naming it', () => {
    const fleet = fixtureFleet('accounts');
    const files = renderFleet(fleet);
    const partner = stacksOf(files).get(distLayout.terraformCluster('partner-ipv4'))!;
    expect(partner.module.irsa_aws_load_balancer_controller).toMatchObject({
      source: 'terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts',
      name: 'partner-ipv4-aws-load-balancer-controller',
      use_name_prefix: false,
      policy_name: 'partner-ipv4-aws-load-balancer-controller',
      attach_load_balancer_controller_policy: true,
      oidc_providers: { this: { provider_arn: '${data.aws_iam_openid_connect_provider.this.arn}', namespace_service_accounts: ['kube-system:aws-load-balancer-controller'] } },
    });
    expect(partner.data.aws_iam_openid_connect_provider.this.url).toBe('${data.aws_eks_cluster.this.identity[0].oidc[0].issuer}');
    expect(partner.resource.aws_eks_pod_identity_association).toBeUndefined();
    expect(files.get(distLayout.chartClusterValues('aws-load-balancer-controller', 'partner-ipv4'))).toContain('eks.amazonaws.com/role-arn: arn:aws:iam::444455556666:role/partner-ipv4-aws-load-balancer-controller');
    // Under Pod Identity the ServiceAccount is not annotated: an annotation would win over the association.
    expect(files.get(distLayout.chartClusterValues('aws-load-balancer-controller', 'ipv6-hub'))).not.toContain('eks.amazonaws.com/role-arn');
  });

  test('an add-on off on a cluster: no association there; off on every cluster of the account: no role', () => {
    const fleet = demoFleet((text) => text.replace('  - name: legacy-ipv4\n', '  - name: legacy-ipv4\n    addons:\n      externalDns: false\n'));
    const stacks = stacksOf(renderFleet(fleet));
    expect(stacks.get(distLayout.terraformCluster('legacy-ipv4'))!.resource.aws_eks_pod_identity_association.external_dns).toBeUndefined();
    expect(stacks.get(distLayout.terraformCluster('ipv6-east'))!.resource.aws_eks_pod_identity_association.external_dns).toBeDefined();
    const none = demoFleet((text) => text.replace(/( {2}- name: (legacy-ipv4|ipv6-east)\n)/g, '$1    addons:\n      externalDns: false\n'));
    const shared = stacksOf(renderFleet(none)).get(distLayout.terraformAccount('111122223333'))!;
    expect(shared.module.fleet_external_dns).toBeUndefined();
    // Only the certificate's validation looks the zone up.
    expect(Object.keys(shared.data.aws_route53_zone)).toEqual(['certificates']);
  });

  test('external-dns outside the hosted zone\'s account writes through the zone\'s role, which trusts exactly those roles', () => {
    const fleet = fixtureFleet('accounts');
    const files = renderFleet(fleet);
    const stacks = stacksOf(files);
    const zoneAccount = stacks.get(distLayout.terraformAccount('111122223333'))!;
    const other = stacks.get(distLayout.terraformAccount('444455556666'))!;
    expect(zoneAccount.module.external_dns_zone).toMatchObject({
      name: 'fleet-external-dns-zone',
      trust_policy_permissions: { ExternalDns: {
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::444455556666:root'] }],
        condition: [{ test: 'ArnEquals', variable: 'aws:PrincipalArn', values: ['arn:aws:iam::444455556666:role/fleet-external-dns', 'arn:aws:iam::444455556666:role/partner-ipv4-external-dns'] }],
      } },
      create_inline_policy: true,
    });
    expect(zoneAccount.module.external_dns_zone.inline_policy_permissions.ChangeRecords).toEqual({ actions: ['route53:ChangeResourceRecordSets'], resources: ['${data.aws_route53_zone.domain.arn}'] });
    // The other account looks up the zone only through the zone account (for its certificates' validation), and its role may only assume the zone's role.
    expect(other.data).toEqual({ aws_route53_zone: { certificates: { name: 'apps.example.com', private_zone: false, provider: 'aws.zone' } } });
    expect(other.module.fleet_external_dns).toMatchObject({ attach_custom_policy: true, policy_statements: [{ actions: ['sts:AssumeRole', 'sts:TagSession'], resources: ['arn:aws:iam::111122223333:role/fleet-external-dns-zone'] }] });
    expect(other.module.fleet_external_dns.attach_external_dns_policy).toBeUndefined();
    const partner = stacks.get(distLayout.terraformCluster('partner-ipv4'))!;
    expect(partner.module.irsa_external_dns.permissions.AssumeHostedZoneRole.resources).toEqual(['arn:aws:iam::111122223333:role/fleet-external-dns-zone']);
    expect(partner.data.aws_route53_zone).toBeUndefined();
    // The pods name the role to assume.
    expect(files.get(distLayout.chartClusterValues('external-dns', 'partner-ipv4'))).toContain('extraArgs:\n  aws-assume-role: arn:aws:iam::111122223333:role/fleet-external-dns-zone\n');
    expect(files.get(distLayout.chartClusterValues('external-dns', 'ipv6-hub'))).not.toContain('aws-assume-role');
  });

  test('the hosted zone in an account without clusters: a root module of its own holds the zone role', () => {
    const fleet = fixtureFleet('accounts', (text) => text.replace('domainAccountId: "111122223333"\n', 'domainAccountId: "777788889999"\n'));
    const stacks = stacksOf(renderFleet(fleet));
    const dns = stacks.get(distLayout.terraformAccount('777788889999'))!;
    expect(dns.provider.aws).toMatchObject({ allowed_account_ids: ['777788889999'], region: 'us-east-2' });
    expect(dns.module.external_dns_zone.trust_policy_permissions.ExternalDns.principals[0].identifiers).toEqual(['arn:aws:iam::111122223333:root', 'arn:aws:iam::444455556666:root']);
    expect(dns.module.argocd).toBeUndefined();
  });
});

describe('a cluster the project creates, before terraform apply (pending)', () => {
  const fleet = fixtureFleet('accounts');
  const files = renderFleet(fleet);
  const west = stacksOf(files).get(distLayout.terraformCluster('ipv6-west'))!;

  test('only dist/terraform/ renders it: no Secret, no values, no apps; its stack creates it with the VPC of fleet.yaml', () => {
    expect(fleet.pendingClusters.map((cluster) => cluster.name)).toEqual(['ipv6-west']);
    expect([...files.keys()].filter((path) => path.includes('ipv6-west'))).toEqual([distLayout.terraformCluster('ipv6-west')]);
    expect(west.module.vpc).toMatchObject({ cidr: '10.40.0.0/16', private_subnets: ['10.40.16.0/20', '10.40.32.0/20'], public_subnets: ['10.40.0.0/24', '10.40.1.0/24'], database_subnets: ['10.40.8.0/24', '10.40.9.0/24'] });
    // DNS64 where fleet.yaml asks for it (the module then routes 64:ff9b::/96 to the NAT gateways).
    expect(west.module.vpc.private_subnet_enable_dns64).toBe(true);
    expect(west.check).toBeUndefined();
    // cluster-autoscaler is off there: no association for it.
    expect(west.resource.aws_eks_pod_identity_association.cluster_autoscaler).toBeUndefined();
  });

  test('in a region where the account sees two zones (us-west-1): two zones of subnets, and a plan that says so where the region offers fewer than fleet.yaml says', () => {
    const cluster = fleet.pendingClusters[0];
    expect(cluster.vpc!.zones).toBe(2);
    expect(west.module.vpc).toMatchObject({
      azs: '${slice(data.aws_availability_zones.available.names, 0, 2)}',
      public_subnet_ipv6_prefixes: [0, 1],
      private_subnet_ipv6_prefixes: [3, 4],
      database_subnet_ipv6_prefixes: [6, 7],
    });
    // The capacity plan counts the same private and public blocks Terraform creates.
    expect(cluster.ipv4Subnets).toEqual(west.module.vpc.private_subnets);
    expect(cluster.publicSubnets).toEqual(west.module.vpc.public_subnets);
    expect(west.data.aws_availability_zones.available.lifecycle.postcondition).toEqual([{
      condition: '${length(self.names) >= 2}',
      error_message: expect.stringContaining('set vpc.availabilityZones'),
    }]);
    // Three zones by default, checked the same way.
    expect(ipv6East.module.vpc.azs).toBe('${slice(data.aws_availability_zones.available.names, 0, 3)}');
    expect(ipv6East.data.aws_availability_zones.available.lifecycle.postcondition[0].condition).toBe('${length(self.names) >= 3}');
  });

  test('its node groups on Graviton get the ARM AMI, and maxPods reaches the kubelet through nodeadm', () => {
    const hub = stacksOf(files).get(distLayout.terraformCluster('ipv6-hub'))!;
    const group = hub.module.eks.eks_managed_node_groups.general;
    expect(group.ami_type).toBe('AL2023_ARM_64_STANDARD');
    expect(group.cloudinit_pre_nodeadm).toEqual([{ content_type: 'application/node.eks.aws', content: expect.stringContaining('kind: NodeConfig\nspec:\n  kubelet:\n    config:\n      maxPods: 110\n') }]);
  });
});

test.each([
  ['m5.large', false], ['m7g.large', true], ['c7gn.xlarge', true], ['t4g.micro', true], ['x2gd.large', true], ['a1.medium', true],
  ['g4dn.xlarge', false], ['g5g.xlarge', true], ['im4gn.large', true], ['c7i.large', false], ['inf2.xlarge', false],
])('%s is arm64: %s', (instanceType, arm) => {
  expect(isArm64(instanceType)).toBe(arm);
});

test('literal escapes Terraform\'s template sequences, so IAM policy variables pass through', () => {
  expect(literal('${aws:username} and %{if}')).toBe('$${aws:username} and %%{if}');
});

test('72 clusters in one account: one root module each, and every shared role within IAM\'s policy quotas (npm run check counts them)', () => {
  const fleet = largeFleetFixture(72, 72);
  const stacks = stacksOf(renderFleet(fleet));
  expect([...stacks.keys()].filter((path) => path.startsWith('terraform/clusters/'))).toHaveLength(72);
  const shared = stacks.get(distLayout.terraformAccount('111122223333'))!;
  expect(shared.module.argocd.policy_statements[0].resources).toHaveLength(72);
});

test('a fleet.yaml without the Terraform fields renders what it did: every cluster exists, Pod Identity', () => {
  const fleet = parseFleet(demoFleetText.replace(/ {4}provisioning: create\n {4}vpc:\n {6}cidr: .*\n(?: {4}#.*\n)? {4}endpointPublicAccessCidrs:\n {6}- .*\n/, ''));
  expect(fleet.clusters.map((cluster) => [cluster.name, cluster.provisioning, cluster.identity])).toEqual([['legacy-ipv4', 'existing', 'podIdentity'], ['ipv6-east', 'existing', 'podIdentity']]);
});

describe('switching a cluster from IRSA to Pod Identity is a walk that never removes a role a running pod may use, nor switches the values before Terraform created the new identity', () => {
  // partner-ipv4 (accounts fixture) runs its add-ons under IRSA; external-dns there writes through the zone role.
  const switchTo = (extra: string) => (text: string) => text.replace('    identity: irsa\n', `    identity: podIdentity\n${extra}`);
  const addNext = (text: string) => text.replace('    identity: irsa\n', '    identity: irsa\n    nextIdentity: podIdentity\n');
  const steps = {
    irsa: fixtureFleet('accounts'),
    oneChange: fixtureFleet('accounts', switchTo('')),
    next: fixtureFleet('accounts', addNext),
    both: fixtureFleet('accounts', switchTo('    previousIdentity: irsa\n')),
    podIdentity: fixtureFleet('accounts', switchTo('')),
  };
  const partnerPath = distLayout.terraformCluster('partner-ipv4');
  const renders = Object.fromEntries(Object.entries(steps).map(([step, fleet]) => [step, renderFleet(fleet)])) as Record<keyof typeof steps, Map<string, string>>;
  const stacks = Object.fromEntries(Object.entries(renders).map(([step, files]) => [step, stacksOf(files)])) as Record<keyof typeof steps, Map<string, Json>>;
  const partnerOf = (step: keyof typeof steps) => stacks[step].get(partnerPath)!;
  const previous = (step: keyof typeof steps) => (cluster: { name: string }) => stacks[step].get(distLayout.terraformCluster(cluster.name));
  const irsaModules = (stack: Json) => Object.keys(stack.module ?? {}).filter((key) => key.startsWith('irsa_')).sort();
  const associations = (stack: Json) => Object.keys(stack.resource?.aws_eks_pod_identity_association ?? {}).sort();
  const addonKeys = ['aws_load_balancer_controller', 'cluster_autoscaler', 'external_dns'];
  const annotated = (step: keyof typeof steps) => ['external-dns', 'aws-load-balancer-controller', 'cluster-autoscaler']
    .map((chart) => renders[step].get(distLayout.chartClusterValues(chart, 'partner-ipv4'))!.includes('eks.amazonaws.com/role-arn'));

  test('step 0, IRSA: a role per add-on, no association; the ServiceAccounts are annotated', () => {
    expect(irsaModules(partnerOf('irsa'))).toEqual(addonKeys.map((key) => `irsa_${key}`));
    expect(associations(partnerOf('irsa'))).toEqual([]);
    expect(annotated('irsa')).toEqual([true, true, true]);
  });

  test('the switch in one change is refused at the cluster\'s identity, naming the add-ons and the walk', () => {
    expect(identitySwitchProblems(steps.oneChange, previous('irsa'))).toEqual([{
      path: ['clusters', 1, 'identity'],
      message: expect.stringMatching(/^is podIdentity, but the committed dist\/ gives aws-load-balancer-controller, cluster-autoscaler, external-dns IRSA roles only, which their running pods use until restarted.*and the old ones would go with the same apply.*Fix: for this change, keep identity: irsa and add nextIdentity: podIdentity; apply; then set identity: podIdentity with previousIdentity: irsa/),
    }]);
  });

  test('step 1 skipped (the values switched while Terraform only adds Pod Identity) is refused too: pods started before the apply would have no identity', () => {
    expect(identitySwitchProblems(steps.both, previous('irsa'))).toEqual([{
      path: ['clusters', 1, 'identity'],
      message: expect.stringMatching(/^is podIdentity, but the committed dist\/ gives .* IRSA roles only, .*Argo CD would switch their ServiceAccounts to podIdentity at merge, before terraform apply creates its Pod Identity associations, so pods started in between would have no credentials\. Fix: for this change, keep identity: irsa and add nextIdentity: podIdentity/),
    }]);
  });

  test('step 1, nextIdentity: podIdentity: Terraform adds the associations beside the IRSA roles, and the values keep the IRSA annotation', () => {
    expect(identitySwitchProblems(steps.next, previous('irsa'))).toEqual([]);
    const partner = partnerOf('next');
    expect(irsaModules(partner)).toEqual(irsaModules(partnerOf('irsa')));
    for (const key of irsaModules(partner)) expect(partner.module[key]).toEqual(partnerOf('irsa').module[key]);
    expect(associations(partner)).toEqual(addonKeys);
    const account = stacks.next.get(distLayout.terraformAccount('444455556666'))!;
    expect(Object.keys(account.module)).toEqual(expect.arrayContaining(['fleet_aws_load_balancer_controller', 'fleet_external_dns']));
    // Argo CD syncs the values at merge, before the apply: they are byte for byte those of IRSA.
    for (const chart of ['external-dns', 'aws-load-balancer-controller', 'cluster-autoscaler']) {
      const path = distLayout.chartClusterValues(chart, 'partner-ipv4');
      expect(renders.next.get(path)).toBe(renders.irsa.get(path));
    }
    expect(annotated('next')).toEqual([true, true, true]);
  });

  test('step 2, identity: podIdentity with previousIdentity: irsa: the values switch once the associations exist; both identities stay, so pods started before and after have credentials', () => {
    expect(identitySwitchProblems(steps.both, previous('next'))).toEqual([]);
    const partner = partnerOf('both');
    expect(partner).toEqual(partnerOf('next'));
    expect(irsaModules(partner)).toEqual(irsaModules(partnerOf('irsa')));
    expect(associations(partner)).toEqual(addonKeys);
    // The OIDC provider the IRSA roles trust is still read; the account's shared roles now serve the cluster.
    expect(partner.data.aws_iam_openid_connect_provider).toBeDefined();
    // The zone role trusts external-dns under either role while the switch runs.
    const zone = stacks.both.get(distLayout.terraformAccount('111122223333'))!.module.external_dns_zone;
    expect(zone.trust_policy_permissions.ExternalDns.condition[0].values).toEqual(expect.arrayContaining([
      'arn:aws:iam::444455556666:role/partner-ipv4-external-dns',
      'arn:aws:iam::444455556666:role/fleet-external-dns',
    ]));
    // New pods get Pod Identity: the ServiceAccounts lose the IRSA annotation in this step.
    expect(annotated('both')).toEqual([false, false, false]);
  });

  test('step 3, previousIdentity removed (after the restart): only then the IRSA roles go', () => {
    expect(identitySwitchProblems(steps.podIdentity, previous('both'))).toEqual([]);
    expect(identitySwitchProblems(steps.podIdentity, previous('both'), (path) => renders.both.get(path))).toEqual([]);
    expect(irsaModules(partnerOf('podIdentity'))).toEqual([]);
    expect(associations(partnerOf('podIdentity'))).toEqual(addonKeys);
  });

  test('step 3 straight after step 1 (step 2 skipped) is refused, read from the committed values: the annotation and the IRSA roles would go in one apply', () => {
    expect(identitySwitchProblems(steps.podIdentity, previous('next'), (path) => renders.next.get(path))).toEqual([{
      path: ['clusters', 1, 'identity'],
      message: expect.stringMatching(/^is podIdentity alone, but the committed dist\/ still gives aws-load-balancer-controller, cluster-autoscaler, external-dns the irsa identity in their values .*AccessDenied until restarted\. Fix: for this change, set previousIdentity: irsa/),
    }]);
  });

  test('nextIdentity with previousIdentity, or equal to identity, is refused', () => {
    const both = fixtureText('accounts').replace('    identity: irsa\n', '    identity: irsa\n    nextIdentity: podIdentity\n    previousIdentity: podIdentity\n');
    expect(() => parseFleet(both)).toThrow(/clusters\[1\]\.nextIdentity: and previousIdentity are both set: a switch is one step at a time/);
    const same = fixtureText('accounts').replace('    identity: irsa\n', '    identity: irsa\n    nextIdentity: irsa\n');
    expect(() => parseFleet(same)).toThrow(/clusters\[1\]\.nextIdentity: is irsa, the identity the cluster has/);
  });

  test('synth refuses the one-change switch, the skipped step 1 and the skipped step 2 against the dist/ it would replace, located in fleet.yaml; the three steps pass', async () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'fleet-identity-')), 'dist');
    await synthesize({ configFile: writeTempFleet(fixtureText('accounts')), outdir });
    const oneChange = switchTo('')(fixtureText('accounts'));
    const both = switchTo('    previousIdentity: irsa\n')(fixtureText('accounts'));
    await expect(synthesize({ configFile: writeTempFleet(oneChange), outdir })).rejects.toThrow(/:\d+:\d+: clusters\[1\]\.identity: is podIdentity, but the committed dist\/ gives .* IRSA roles/);
    await expect(synthesize({ configFile: writeTempFleet(both), outdir })).rejects.toThrow(/:\d+:\d+: clusters\[1\]\.identity: is podIdentity, but the committed dist\/ gives .* IRSA roles only/);
    await synthesize({ configFile: writeTempFleet(addNext(fixtureText('accounts'))), outdir });
    await expect(synthesize({ configFile: writeTempFleet(oneChange), outdir })).rejects.toThrow(/:\d+:\d+: clusters\[1\]\.identity: is podIdentity alone, but the committed dist\/ still gives .* the irsa identity in their values/);
    await synthesize({ configFile: writeTempFleet(both), outdir });
    await synthesize({ configFile: writeTempFleet(oneChange), outdir });
  });
});

test('72 created clusters in two accounts and two regions, one with two zones: every root module its own state key, explicit administrators, no creator access', () => {
  // GIVEN 36 clusters in us-east-2 (account A) and 36 in us-west-1 (account B, two zones, every third on IRSA), before terraform apply
  const clusters = Array.from({ length: 72 }, (_, index) => {
    const west = index >= 36;
    return [
      `  - name: c${String(index).padStart(2, '0')}`,
      '    ipFamily: ipv6',
      '    kubernetesVersion: "1.35"',
      '    provisioning: create',
      `    vpc: { cidr: 10.${index}.0.0/16${west ? ', availabilityZones: 2' : ''} }`,
      ...(west && index % 3 === 0 ? ['    identity: irsa'] : []),
      '    endpointPublicAccessCidrs: [198.51.100.0/28]',
      `    region: ${west ? 'us-west-1' : 'us-east-2'}`,
      `    accountId: "${west ? '444455556666' : '111122223333'}"`,
      '    nodeGroups: [{ name: default, instanceType: m5.large, minSize: 3, maxSize: 30 }]',
    ].join('\n');
  });
  const text = ['repo: { url: https://github.com/example-org/eks-ipv6-gitops.git }', 'domain: apps.example.com',
    'domainAccountId: "111122223333"', 'argocd: { cluster: c00 }',
    'administrators: [arn:aws:iam::111122223333:role/platform-ci]', 'clusters:', ...clusters, 'apps: []', ''].join('\n');
  const stacks = stacksOf(renderFleet(parseFleet(text)));
  // THEN 2 account root modules, 72 cluster ones and the bootstrap, each with a state of its own
  expect(stacks.size).toBe(75);
  expect(new Set([...stacks.values()].map((stack) => stack.terraform.backend.s3.key)).size).toBe(75);
  for (let index = 0; index < 72; index++) {
    const eks = stacks.get(distLayout.terraformCluster(`c${String(index).padStart(2, '0')}`))!.module.eks;
    expect(eks.enable_cluster_creator_admin_permissions).toBe(false);
    expect(eks.kms_key_administrators).toEqual(['arn:aws:iam::111122223333:role/platform-ci']);
    expect(eks.access_entries.admin__111122223333_role_platform_ci.principal_arn).toBe('arn:aws:iam::111122223333:role/platform-ci');
  }
  expect(stacks.get(distLayout.terraformCluster('c40'))!.module.vpc.azs).toBe('${slice(data.aws_availability_zones.available.names, 0, 2)}');
  expect(Object.keys(stacks.get(distLayout.terraformCluster('c39'))!.module).filter((key) => key.startsWith('irsa_'))).toHaveLength(3);
});
