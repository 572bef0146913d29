import { parse } from 'yaml';
import { renderFleet } from '../../app/render';
import { addonCatalog, argocdChart } from '../../catalog/addons';
import { distLayout, isTerraformFile } from '../../catalog/dist-layout';
import { Fleet } from '../../config/fleet';
import { fileText } from '../../output/file-content';
import { ChartRender, renderCharts } from '../../verify/chart-renders';
import { helmUnavailable } from '../../verify/helm';
import { awsCallers, identityProblems, iamPolicyQuotas, terraformProblems } from '../../verify/terraform';
import { demoFleet, fixtureFleet, fixtureNames, largeFleetFixture } from '../support/fixtures';

type Json = Record<string, any>;

// The identity checks read the charts as helm renders them; on CI a missing helm fails them,
// elsewhere (another platform) they are skipped with a message.
const unavailable = helmUnavailable();
const onCi = Boolean(process.env.CI) && process.env.CI !== 'false';
if (unavailable && !onCi) console.warn(`Skipping the identity checks on rendered charts: ${unavailable}.`);
const describeHelm = unavailable && !onCi ? describe.skip : describe;
jest.setTimeout(60_000);

/** The render with one root module edited, as a defect put back would leave it. */
function withStack(files: ReadonlyMap<string, string>, path: string, edit: (stack: Json) => void): Map<string, string> {
  const stack = JSON.parse(files.get(path)!);
  edit(stack);
  return new Map([...files, [path, `${JSON.stringify(stack, null, 2)}\n`]]);
}

/** The render with one values file edited. */
function withValues(files: ReadonlyMap<string, string>, path: string, edit: (values: Json) => void): Map<string, string> {
  const values = parse(files.get(path)!) ?? {};
  edit(values);
  return new Map([...files, [path, fileText({ path, values })]]);
}

/** dist/ of `charts`, with the dist/terraform/ of `terraform`: the two sides rendered from different fleets. */
function mixed(charts: ReadonlyMap<string, string>, terraform: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...[...charts].filter(([path]) => !isTerraformFile(path)), ...[...terraform].filter(([path]) => isTerraformFile(path))]);
}

const demo = demoFleet();
const demoFiles = renderFleet(demo);
const clusterStack = (cluster: string) => distLayout.terraformCluster(cluster);
const accountStack = distLayout.terraformAccount('111122223333');

describe('dist/terraform/ agrees with fleet.yaml and Argo CD can reach every cluster', () => {
  test.each(fixtureNames)('%s: no problem', (name) => {
    const fleet = fixtureFleet(name);
    expect(terraformProblems(fleet, renderFleet(fleet))).toEqual([]);
  });

  test('72 clusters: no problem, IAM\'s quotas included', () => {
    const fleet = largeFleetFixture(72, 72);
    expect(terraformProblems(fleet, renderFleet(fleet))).toEqual([]);
  });

  test('a misspelt module input, which Terraform would reject or drop, is named with its path', () => {
    const edited = withStack(demoFiles, clusterStack('ipv6-east'), (stack) => {
      stack.module.eks.cluster_version = stack.module.eks.kubernetes_version;
      stack.module.eks.eks_managed_node_groups.default.instance_type = 'm5.large';
    });
    const problems = terraformProblems(demo, edited);
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^terraform\/clusters\/ipv6-east\/main\.tf\.json: .*cluster_version.*/),
      expect.stringMatching(/instance_type/),
    ]));
  });

  test('a module source that is not pinned', () => {
    const edited = withStack(demoFiles, clusterStack('ipv6-east'), (stack) => {
      stack.module.vpc.version = '~> 6.0';
    });
    expect(terraformProblems(demo, edited).join('\n')).toMatch(/module "vpc" .*6\.6\.0/);
  });

  test('fleet.yaml and the Terraform disagree on the version, the IP family, the node groups or the region', () => {
    // GIVEN dist/ of a fleet whose ipv6-east runs 1.34 with a larger node group, beside the Terraform of the demo fleet
    const changed = demoFleet((text) => text.replace(/(- name: ipv6-east\n {4}ipFamily: ipv6\n {4}kubernetesVersion: )"1\.35"/, '$1"1.36"').replace('maxSize: 120', 'maxSize: 150'));
    const problems = terraformProblems(changed, mixed(renderFleet(changed), demoFiles));
    expect(problems).toEqual(expect.arrayContaining([
      'terraform/clusters/ipv6-east/main.tf.json: clusters[1].kubernetesVersion is 1.36, but the eks module creates 1.35',
      'terraform/clusters/ipv6-east/main.tf.json: clusters[1].nodeGroups[0] (default) scales 3-150, but the node group 3-120',
    ]));
    const moved = demoFleet((text) => text.replace(/region: us-east-2/g, 'region: us-west-2').replace(/us-east-2\.eks/g, 'us-west-2.eks'));
    expect(terraformProblems(moved, mixed(renderFleet(moved), demoFiles))).toContain('terraform/clusters/legacy-ipv4/main.tf.json: clusters[0].region is us-west-2, but the provider\'s region is us-east-2');
  });

  test('an existing cluster whose read no longer checks what fleet.yaml says', () => {
    const edited = withStack(demoFiles, clusterStack('legacy-ipv4'), (stack) => {
      stack.data.aws_eks_cluster.this.lifecycle.postcondition = stack.data.aws_eks_cluster.this.lifecycle.postcondition.filter((condition: Json) => !condition.condition.includes('vpc_id'));
    });
    expect(terraformProblems(demo, edited)).toContain('terraform/clusters/legacy-ipv4/main.tf.json: clusters[0]: the cluster\'s postconditions do not check vpc-0a1b2c3d4e5f60718, which fleet.yaml says');
  });

  test('a cluster in another account: the Secret\'s role must be in that account, trust Argo CD\'s role, and be one it may assume', () => {
    const fleet = fixtureFleet('accounts');
    const files = renderFleet(fleet);
    const partner = clusterStack('partner-ipv4');
    // GIVEN the Terraform of a fleet where partner-ipv4 was still in Argo CD's account
    const before = fixtureFleet('accounts', (text) => text.replace('accountId: "444455556666"\n    vpcId: vpc-0fedcba9876543210', 'accountId: "111122223333"\n    vpcId: vpc-0fedcba9876543210'));
    const stale = mixed(files, renderFleet(before));
    expect(terraformProblems(fleet, stale)).toEqual(expect.arrayContaining([
      `${partner}: clusters[1].accountId is 444455556666, but the provider may act in ["111122223333"]`,
      expect.stringMatching(/^argocd\/clusters\/partner-ipv4\.yaml: Secret cluster-partner-ipv4: Argo CD's own role arn:aws:iam::111122223333:role\/fleet-argocd .* may not assume arn:aws:iam::444455556666:role\/partner-ipv4-argocd$/),
    ]));
    // GIVEN the cluster's role trusting another principal
    const untrusted = withStack(files, partner, (stack) => {
      stack.module.argocd_access.trust_policy_permissions.ArgoCd.condition[0].values = ['arn:aws:iam::444455556666:role/fleet-argocd'];
    });
    expect(terraformProblems(fleet, untrusted)).toEqual([expect.stringMatching(/partner-ipv4-argocd does not let arn:aws:iam::111122223333:role\/fleet-argocd \(Argo CD's own role\) assume it/)]);
    // GIVEN the role without sts:TagSession (Pod Identity's session tags are transitive, so AssumeRole alone is refused)
    const noTags = withStack(files, partner, (stack) => {
      stack.module.argocd_access.trust_policy_permissions.ArgoCd.actions = ['sts:AssumeRole'];
    });
    expect(terraformProblems(fleet, noTags)).toHaveLength(1);
    // GIVEN no access entry for it
    const noEntry = withStack(files, partner, (stack) => {
      delete stack.resource.aws_eks_access_policy_association;
    });
    expect(terraformProblems(fleet, noEntry)).toEqual([expect.stringMatching(/gives role arn:aws:iam::444455556666:role\/partner-ipv4-argocd no access entry with AmazonEKSClusterAdminPolicy/)]);
  });

  test('a cluster role that trusts Argo CD\'s role as a principal, which recreating that role would break', () => {
    // GIVEN the trust written as it was: Argo CD's role by ARN, no condition
    const byRole = withStack(demoFiles, clusterStack('legacy-ipv4'), (stack) => {
      stack.module.argocd_access.trust_policy_permissions.ArgoCd = {
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:role/fleet-argocd'] }],
      };
    });
    expect(terraformProblems(demo, byRole)).toEqual([expect.stringMatching(/legacy-ipv4-argocd trusts arn:aws:iam::111122223333:role\/fleet-argocd \(Argo CD's own role\) as a principal, which IAM binds to the role's unique id/)]);
  });

  test('a created cluster administered by whoever applies, open to the internet, or in other zones than fleet.yaml says', () => {
    const edited = withStack(demoFiles, clusterStack('ipv6-east'), (stack) => {
      stack.module.eks.enable_cluster_creator_admin_permissions = true;
      delete stack.module.eks.kms_key_administrators;
      delete stack.module.eks.access_entries.admin__111122223333_role_platform_ci;
      delete stack.module.eks.endpoint_public_access_cidrs;
      stack.module.vpc.azs = '${slice(data.aws_availability_zones.available.names, 0, 2)}';
    });
    const at = `${clusterStack('ipv6-east')}: clusters[1]`;
    expect(terraformProblems(demo, edited)).toEqual([
      `${at}.vpc.availabilityZones is 3, but the vpc module spans "\${slice(data.aws_availability_zones.available.names, 0, 2)}"`,
      `${at}: the eks module gives cluster admin to whoever applies (enable_cluster_creator_admin_permissions), and moves it to the next principal that applies`,
      `${at}.administrators are ["arn:aws:iam::111122223333:role/platform-ci","arn:aws:iam::111122223333:role/platform-admin"], but the KMS key's administrators are "whoever applies"`,
      `${at}: administrator arn:aws:iam::111122223333:role/platform-ci has no access entry with AmazonEKSClusterAdminPolicy on the whole cluster`,
      `${at}.endpointPublicAccessCidrs is ["203.0.113.0/24"], but the eks module's public endpoint is open to ["0.0.0.0/0"]`,
    ]);
  });

  test('two root modules sharing one state (no key, or the same key) are caught', () => {
    const noKey = withStack(demoFiles, clusterStack('legacy-ipv4'), (stack) => {
      stack.terraform.backend = { s3: {} };
    });
    expect(terraformProblems(demo, noKey)).toEqual([`${clusterStack('legacy-ipv4')}: backend "s3" names no key: every root module needs a state of its own`]);
    const sameKey = withStack(demoFiles, clusterStack('legacy-ipv4'), (stack) => {
      stack.terraform.backend.s3.key = 'terraform/clusters/ipv6-east/terraform.tfstate';
    });
    expect(terraformProblems(demo, sameKey)).toEqual([expect.stringContaining('key terraform/clusters/ipv6-east/terraform.tfstate is also')]);
  });

  test('Argo CD\'s own role missing', () => {
    const edited = withStack(demoFiles, accountStack, (stack) => {
      delete stack.module.argocd;
    });
    expect(terraformProblems(demo, edited)).toContain(`${accountStack} defines no role fleet-argocd: Argo CD's pods have no AWS identity`);
  });

  test('a root module of a cluster fleet.yaml does not have, and a missing one', () => {
    const fleet = demoFleet((text) => text.replace('  - name: legacy-ipv4\n', '  - name: legacy-ipv5\n'));
    const problems = terraformProblems(fleet, mixed(renderFleet(fleet), demoFiles));
    expect(problems).toEqual(expect.arrayContaining([
      'terraform/clusters/legacy-ipv4/main.tf.json: cluster legacy-ipv4 is not in fleet.yaml',
      'terraform/clusters/legacy-ipv5/main.tf.json is missing: clusters[0] (legacy-ipv5) has no root module',
    ]));
  });

  test('the VPC CNI of a created cluster: its association, its role\'s IPv6 policy, the agent before the nodes', () => {
    const noAssociation = withStack(demoFiles, clusterStack('ipv6-east'), (stack) => {
      delete stack.module.eks.addons['vpc-cni'].pod_identity_association;
    });
    expect(terraformProblems(demo, noAssociation)).toEqual([expect.stringContaining('terraform/clusters/ipv6-east/main.tf.json: the VPC CNI has no Pod Identity association for kube-system/aws-node before the nodes')]);
    const ipv4Only = withStack(demoFiles, accountStack, (stack) => {
      stack.module.aws_vpc_cni.aws_vpc_cni_enable_ipv6 = false;
    });
    expect(terraformProblems(demo, ipv4Only)).toEqual([expect.stringContaining('role fleet-aws-vpc-cni may not manage IPv6 addresses')]);
    const noAgent = withStack(demoFiles, clusterStack('ipv6-east'), (stack) => {
      delete stack.module.eks.addons['eks-pod-identity-agent'];
    });
    expect(terraformProblems(demo, noAgent)).toEqual([expect.stringContaining('installs no eks-pod-identity-agent before the nodes')]);
  });

  test('a trust condition these checks cannot read is refused, not taken as "any"', () => {
    const edited = withStack(demoFiles, accountStack, (stack) => {
      stack.module.fleet_external_dns.trust_policy_conditions[0].variable = 'aws:PrincipalTag/kubernetes-namespace';
    });
    expect(terraformProblems(demo, edited)).toEqual([expect.stringContaining('module fleet_external_dns: trust condition StringEquals aws:PrincipalTag/kubernetes-namespace is not a StringEquals on a session tag EKS Pod Identity sets')]);
  });

  test('two policies of one name in an account (IAM refuses the second) are caught', () => {
    const edited = withStack(demoFiles, accountStack, (stack) => {
      stack.module.fleet_cluster_autoscaler.attach_custom_policy = true;
    });
    expect(terraformProblems(demo, edited)).toEqual([expect.stringContaining('creates IAM policy fleet-cluster-autoscaler, as terraform/accounts/111122223333/main.tf.json: module fleet_cluster_autoscaler does in account 111122223333: IAM refuses the second')]);
  });

  test('Argo CD\'s role with its statements but no policy of them', () => {
    const edited = withStack(demoFiles, accountStack, (stack) => {
      delete stack.module.argocd.attach_custom_policy;
    });
    expect(terraformProblems(demo, edited)).toEqual([`${accountStack}: role fleet-argocd has its statements but no policy of them (attach_custom_policy): Argo CD may assume no cluster's role`]);
  });

  test('node group sizes are compared as numbers: a check of 30 is no check of 3', () => {
    const edited = withStack(demoFiles, clusterStack('legacy-ipv4'), (stack) => {
      const condition = stack.data.aws_eks_node_group.default.lifecycle.postcondition[1];
      condition.condition = condition.condition.replace('min_size == 3 ', 'min_size == 30 ');
    });
    expect(terraformProblems(demo, edited)).toEqual(['terraform/clusters/legacy-ipv4/main.tf.json: clusters[0].nodeGroups[0] (default): the node group\'s postconditions check min_size 30, not 3']);
  });

  test('a trust policy over IAM\'s quota is caught before apply', () => {
    const edited = withStack(demoFiles, accountStack, (stack) => {
      stack.module.fleet_external_dns.trust_policy_conditions[1].values = Array.from({ length: 200 }, (_, index) => `service-account-${index}`);
    });
    expect(terraformProblems(demo, edited).join('\n')).toMatch(new RegExp(`role fleet-external-dns is about \\d+ characters, above IAM's ${iamPolicyQuotas.trustPolicy}`));
  });
});

describeHelm('every ServiceAccount that calls AWS, as the charts render, has exactly its identity', () => {
  const rendersOf = new Map<string, Promise<ChartRender[]>>();
  const renders = (fleet: Fleet, files: ReadonlyMap<string, string>, key: string) => {
    if (!rendersOf.has(key)) rendersOf.set(key, renderCharts(fleet, files));
    return rendersOf.get(key)!;
  };

  test.each(fixtureNames)('%s: no problem', async (name) => {
    const fleet = fixtureFleet(name);
    const files = renderFleet(fleet);
    expect(identityProblems(fleet, files, await renders(fleet, files, name))).toEqual([]);
  });

  test('while the Argo CD cluster is still being created, the checks of npm run check pass and expect its identities', async () => {
    // GIVEN the demo fleet before terraform apply created ipv6-east, which runs Argo CD
    const pending = demoFleet((text) => text
      .replace(/( {2}- name: ipv6-east\n[\s\S]*?) {4}server: .*\n/, '$1')
      .replace(/( {2}- name: ipv6-east\n[\s\S]*?) {4}vpcId: .*\n {4}subnets:\n( {6}- .*\n)+/, '$1')
      .replace(/( {2}- name: ipv6-east\n[\s\S]*?) {4}caData: \S+\n/, '$1'));
    expect(pending.pendingClusters.map((cluster) => cluster.name)).toEqual(['ipv6-east']);
    const files = renderFleet(pending);
    // WHEN the charts are rendered and the identities checked, as npm run check does
    const chartRenders = await renderCharts(pending, files);
    // THEN Argo CD's chart is not rendered for a cluster that does not exist, and its identities are expected from fleet.yaml
    expect(chartRenders.map((render) => render.application)).not.toContain('argo-cd');
    expect(terraformProblems(pending, files)).toEqual([]);
    expect(identityProblems(pending, files, chartRenders)).toEqual([]);
    const withoutArgocdIdentity = withStack(files, clusterStack('ipv6-east'), (stack) => {
      delete stack.resource.aws_eks_pod_identity_association.argocd_server;
    });
    expect(identityProblems(pending, withoutArgocdIdentity, chartRenders)).toEqual([expect.stringMatching(/^ipv6-east: ServiceAccount argocd\/argocd-server of fleet\.yaml \(no render: the cluster is not registered yet\) calls AWS but has no identity/)]);
  });

  test('the callers are found in the renders: the AWS add-ons\' ServiceAccounts, and Argo CD\'s three on its cluster', async () => {
    const callers = awsCallers(await renders(demo, demoFiles, 'demo'));
    expect(callers.map((caller) => `${caller.cluster} ${caller.namespace}/${caller.serviceAccount}`).sort()).toEqual([
      'ipv6-east argocd/argocd-application-controller',
      'ipv6-east argocd/argocd-applicationset-controller',
      'ipv6-east argocd/argocd-server',
      'ipv6-east external-dns/external-dns',
      'ipv6-east kube-system/aws-load-balancer-controller',
      'ipv6-east kube-system/cluster-autoscaler',
      'legacy-ipv4 external-dns/external-dns',
      'legacy-ipv4 kube-system/aws-load-balancer-controller',
      'legacy-ipv4 kube-system/cluster-autoscaler',
    ]);
  });

  test('a ServiceAccount renamed in the values: the renamed one has no identity, the association has no user', async () => {
    // GIVEN the load balancer controller's ServiceAccount renamed in its fleet-wide values
    const edited = withValues(demoFiles, distLayout.chartValues(addonCatalog.awsLoadBalancerController.chart), (values) => {
      values.serviceAccount.name = 'lbc';
    });
    const only = (application: string) => application.startsWith('aws-load-balancer-controller-');
    const problems = identityProblems(demo, edited, await renderCharts(demo, edited, only));
    // THEN on both clusters, both ways
    for (const cluster of ['ipv6-east', 'legacy-ipv4']) {
      expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^${cluster}: ServiceAccount kube-system/lbc of aws-load-balancer-controller .* calls AWS but has no identity`)));
      expect(problems).toContainEqual(`${clusterStack(cluster)}: aws_eks_pod_identity_association.aws_load_balancer_controller: an identity for kube-system/aws-load-balancer-controller on ${cluster}, where no ServiceAccount of that name calls AWS (as the charts render)`);
    }
  });

  test('Argo CD\'s controller under another ServiceAccount name is still found by its component, and has no identity', async () => {
    const edited = withValues(demoFiles, distLayout.chartValues(argocdChart.chart), (values) => {
      values.controller.serviceAccount = { name: 'argocd-controller' };
    });
    const problems = identityProblems(demo, edited, await renderCharts(demo, edited, (application) => application === 'argo-cd'));
    expect(problems).toContainEqual(expect.stringMatching(/^ipv6-east: ServiceAccount argocd\/argocd-controller of argo-cd .*StatefulSet argocd-application-controller\) calls AWS but has no identity/));
  });

  test('an add-on disabled on one cluster: an identity without a user there, or a user without an identity the other way round', async () => {
    const without = demoFleet((text) => text.replace('  - name: legacy-ipv4\n', '  - name: legacy-ipv4\n    addons:\n      externalDns: false\n'));
    const withoutFiles = renderFleet(without);
    const withoutRenders = await renders(without, withoutFiles, 'without-external-dns');
    // GIVEN the add-on off in fleet.yaml (so Argo CD installs no external-dns there), but the Terraform of before
    const stale = identityProblems(without, mixed(withoutFiles, demoFiles), withoutRenders);
    expect(stale).toContain(`${clusterStack('legacy-ipv4')}: aws_eks_pod_identity_association.external_dns: an identity for external-dns/external-dns on legacy-ipv4, where no ServiceAccount of that name calls AWS (as the charts render)`);
    expect(stale).toHaveLength(1);
    // GIVEN the add-on on again, but the Terraform rendered while it was off
    const missing = identityProblems(demo, mixed(demoFiles, withoutFiles), await renders(demo, demoFiles, 'demo'));
    expect(missing).toEqual([expect.stringMatching(/^legacy-ipv4: ServiceAccount external-dns\/external-dns of external-dns .* calls AWS but has no identity/)]);
  });

  test('a shared role that trusts a cluster it serves nothing on', async () => {
    const edited = withStack(demoFiles, accountStack, (stack) => {
      stack.module.fleet_external_dns.trust_policy_conditions.unshift({ test: 'StringEquals', variable: 'aws:RequestTag/eks-cluster-name', values: ['legacy-ipv4', 'ipv6-east', 'ipv6-west'] });
    });
    const problems = identityProblems(demo, edited, await renders(demo, demoFiles, 'demo'));
    expect(problems).toEqual([`${accountStack}: role fleet-external-dns trusts cluster ipv6-west, where no ServiceAccount is associated with it`]);
  });

  test('a role that does not trust the ServiceAccount it is associated with', async () => {
    const edited = withStack(demoFiles, accountStack, (stack) => {
      stack.module.fleet_cluster_autoscaler.trust_policy_conditions[1].values = ['autoscaler'];
    });
    const problems = identityProblems(demo, edited, await renders(demo, demoFiles, 'demo'));
    expect(problems).toContainEqual(expect.stringMatching(/^ipv6-east: ServiceAccount kube-system\/cluster-autoscaler .*: role fleet-cluster-autoscaler does not trust it \(its trust policy admits no kubernetes-service-account cluster-autoscaler\)$/));
  });

  test('a role whose permissions are missing: no add-on policy attached, no hosted zone, no zone role to assume', async () => {
    const noLbc = withStack(demoFiles, accountStack, (stack) => {
      delete stack.module.fleet_aws_load_balancer_controller.attach_aws_lb_controller_policy;
      stack.module.fleet_external_dns.external_dns_hosted_zone_arns = [];
      stack.module.fleet_cluster_autoscaler.policy_statements = [];
    });
    const problems = identityProblems(demo, noLbc, await renders(demo, demoFiles, 'demo'));
    expect(problems).toContainEqual(expect.stringMatching(/^ipv6-east: ServiceAccount kube-system\/aws-load-balancer-controller .*: role fleet-aws-load-balancer-controller has no load balancer controller policy attached$/));
    expect(problems).toContainEqual(expect.stringMatching(/^legacy-ipv4: ServiceAccount external-dns\/external-dns .*: role fleet-external-dns may not change records of the hosted zone of apps\.example\.com$/));
    expect(problems).toContainEqual(expect.stringMatching(/^ipv6-east: ServiceAccount kube-system\/cluster-autoscaler .*: role fleet-cluster-autoscaler may not scale the node groups of ipv6-east$/));
    // Across accounts: the zone role must let the other account's role in, and the pods must name it.
    const fleet = fixtureFleet('accounts');
    const files = renderFleet(fleet);
    const untrusted = withStack(files, accountStack, (stack) => {
      stack.module.external_dns_zone.trust_policy_permissions.ExternalDns.condition[0].values = ['arn:aws:iam::444455556666:role/fleet-external-dns'];
    });
    expect(identityProblems(fleet, untrusted, await renders(fleet, files, 'accounts'))).toEqual([
      expect.stringMatching(/^partner-ipv4: ServiceAccount external-dns\/external-dns .*: fleet-external-dns-zone in terraform\/accounts\/111122223333\/main\.tf\.json does not let arn:aws:iam::444455556666:role\/partner-ipv4-external-dns assume it$/),
    ]);
    const unnamed = withValues(files, distLayout.chartClusterValues('external-dns', 'partner-ipv4'), (values) => {
      delete values.extraArgs;
    });
    const problemsUnnamed = identityProblems(fleet, unnamed, await renderCharts(fleet, unnamed, (application) => application === 'external-dns-partner-ipv4'));
    expect(problemsUnnamed).toContainEqual(expect.stringMatching(/^partner-ipv4: ServiceAccount external-dns\/external-dns .*: its pods assume no role \(--aws-assume-role\), not the hosted zone's role arn:aws:iam::111122223333:role\/fleet-external-dns-zone$/));
  });

  test('an association naming a role the account does not create', async () => {
    const edited = withStack(demoFiles, accountStack, (stack) => {
      delete stack.module.fleet_aws_load_balancer_controller;
    });
    const problems = identityProblems(demo, edited, await renders(demo, demoFiles, 'demo'));
    expect(problems).toContainEqual(expect.stringMatching(/names role fleet-aws-load-balancer-controller, which terraform\/accounts\/111122223333\/main\.tf\.json does not create$/));
  });

  test('IRSA: an annotation naming a role the cluster\'s root module does not create for that ServiceAccount', async () => {
    const fleet = fixtureFleet('accounts');
    const files = renderFleet(fleet);
    const edited = withStack(files, clusterStack('partner-ipv4'), (stack) => {
      stack.module.irsa_external_dns.oidc_providers.this.namespace_service_accounts = ['external-dns:dns'];
    });
    const problems = identityProblems(fleet, edited, await renders(fleet, files, 'accounts'));
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^partner-ipv4: ServiceAccount external-dns\/external-dns .* is annotated with IRSA role arn:aws:iam::444455556666:role\/partner-ipv4-external-dns, which terraform\/clusters\/partner-ipv4\/main\.tf\.json does not create trusting external-dns:external-dns$/),
      expect.stringMatching(/an identity for external-dns\/dns on partner-ipv4, where no ServiceAccount of that name calls AWS/),
    ]));
  });
});

describeHelm('switching a cluster\'s identity: at every step, the ServiceAccounts helm renders have an identity Terraform gives', () => {
  // partner-ipv4 (accounts fixture) runs its add-ons under IRSA.
  const steps: Record<string, (text: string) => string> = {
    'step 1, identity: irsa with nextIdentity: podIdentity (annotation and association)': (text) => text.replace('    identity: irsa\n', '    identity: irsa\n    nextIdentity: podIdentity\n'),
    'step 2, identity: podIdentity with previousIdentity: irsa (no annotation, both identities)': (text) => text.replace('    identity: irsa\n', '    identity: podIdentity\n    previousIdentity: irsa\n'),
    'back, step 1, identity: podIdentity with nextIdentity: irsa (no annotation, both identities)': (text) => text.replace('    identity: irsa\n', '    identity: podIdentity\n    nextIdentity: irsa\n'),
    'back, step 2, identity: irsa with previousIdentity: podIdentity (annotation and association)': (text) => text.replace('    identity: irsa\n', '    identity: irsa\n    previousIdentity: podIdentity\n'),
  };
  test.each(Object.keys(steps))('%s: no problem', async (step) => {
    const fleet = fixtureFleet('accounts', steps[step]);
    const files = renderFleet(fleet);
    const renders = await renderCharts(fleet, files);
    expect(awsCallers(renders).filter((caller) => caller.cluster === 'partner-ipv4')).toHaveLength(3);
    expect(terraformProblems(fleet, files)).toEqual([]);
    expect(identityProblems(fleet, files, renders)).toEqual([]);
  });
});
