import { moduleCallProblems, type TerraformModulesData } from '../../verify/terraform-modules';

const file = 'dist/terraform/clusters/ipv6-west/main.tf.json';

/** A cluster root in create mode, as the renderer writes one: VPC, EKS, a pod identity role, their outputs. */
function clusterRoot(): Record<string, any> {
  return {
    '//': 'Generated from fleet.yaml; do not edit.',
    terraform: { required_version: '>= 1.5.7', required_providers: { aws: { source: 'hashicorp/aws', version: '>= 6.28' } } },
    provider: { aws: { region: 'us-west-2', allowed_account_ids: ['111122223333'] } },
    module: {
      vpc: {
        source: 'terraform-aws-modules/vpc/aws',
        version: '6.6.0',
        name: 'ipv6-west',
        cidr: '10.0.0.0/16',
        azs: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
        private_subnets: ['10.0.0.0/19', '10.0.32.0/19', '10.0.64.0/19'],
        public_subnets: ['10.0.96.0/24', '10.0.97.0/24', '10.0.98.0/24'],
        enable_ipv6: true,
        // Numbers where the module declares list(string): Terraform converts them.
        public_subnet_ipv6_prefixes: [0, 1, 2],
        private_subnet_ipv6_prefixes: [3, 4, 5],
        enable_nat_gateway: true,
        single_nat_gateway: true,
        public_subnet_tags: { 'kubernetes.io/role/elb': '1' },
        private_subnet_tags: { 'kubernetes.io/role/internal-elb': 1 },
      },
      eks: {
        source: 'terraform-aws-modules/eks/aws',
        version: '21.19.0',
        name: 'ipv6-west',
        kubernetes_version: '1.34',
        ip_family: 'ipv6',
        vpc_id: '${module.vpc.vpc_id}',
        subnet_ids: '${module.vpc.private_subnets}',
        control_plane_subnet_ids: ['${module.vpc.private_subnets[0]}', '${element(module.vpc.private_subnets, 1)}'],
        endpoint_public_access: true,
        addons: { 'vpc-cni': { before_compute: true }, 'eks-pod-identity-agent': { before_compute: true }, 'kube-proxy': {}, coredns: {} },
        access_entries: {
          argocd: {
            principal_arn: 'arn:aws:iam::111122223333:role/ipv6-west-argocd',
            policy_associations: {
              admin: { policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', access_scope: { type: 'cluster' } },
            },
          },
        },
        eks_managed_node_groups: {
          default: {
            instance_types: ['m6i.large'],
            ami_type: 'AL2023_x86_64_STANDARD',
            min_size: 3,
            max_size: 120,
            desired_size: 3,
            subnet_ids: '${module.vpc.private_subnets}',
            labels: { 'fleet.example.com/pool': 'default' },
            iam_role_attach_cni_policy: true,
            cloudinit_pre_nodeadm: [{ content_type: 'application/node.eks.aws', content: 'apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  kubelet:\n    config:\n      maxPods: 110\n' }],
          },
        },
        depends_on: ['module.vpc'],
      },
      aws_load_balancer_controller: {
        source: 'terraform-aws-modules/eks-pod-identity/aws',
        version: '2.8.1',
        name: 'ipv6-west-aws-load-balancer-controller',
        use_name_prefix: false,
        attach_aws_lb_controller_policy: true,
        aws_lb_controller_policy_name: 'ipv6-west-aws-load-balancer-controller',
        associations: {
          this: { cluster_name: '${module.eks.cluster_name}', namespace: 'kube-system', service_account: 'aws-load-balancer-controller' },
        },
      },
    },
    output: {
      cluster_endpoint: { value: '${module.eks.cluster_endpoint}' },
      node_group_role: { value: '${module.eks.eks_managed_node_groups["default"].iam_role_arn}' },
      summary: { value: 'endpoint ${module.eks.cluster_endpoint}, VPC ${module.vpc.vpc_id}' },
    },
  };
}

describe('moduleCallProblems', () => {
  test('passes a sound VPC, EKS and pod identity root', () => {
    expect(moduleCallProblems(file, clusterRoot())).toEqual([]);
  });

  test('passes a fleet root of IAM roles that trust each other by reference', () => {
    // GIVEN an IRSA role and a plain role whose trust names the first by its output
    const fleet = {
      module: {
        irsa: {
          source: 'terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts',
          version: '6.5.0',
          name: 'legacy-ipv4-external-dns',
          attach_external_dns_policy: true,
          oidc_providers: { main: { provider_arn: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-2.amazonaws.com/id/ABC', namespace_service_accounts: ['external-dns:external-dns'] } },
        },
        argocd_ipv6_east: {
          source: 'terraform-aws-modules/iam/aws//modules/iam-role',
          version: '6.5.0',
          name: 'ipv6-east-argocd',
          use_name_prefix: false,
          trust_policy_permissions: {
            HubAssumes: { actions: ['sts:AssumeRole', 'sts:TagSession'], principals: [{ type: 'AWS', identifiers: ['${module.irsa.arn}'] }] },
          },
        },
      },
    };
    // WHEN it is checked THEN nothing is reported
    expect(moduleCallProblems('dist/terraform/fleet/main.tf.json', fleet)).toEqual([]);
  });

  test('reports a v20 input name of the eks module, suggesting the v21 one', () => {
    // GIVEN the cluster named as v20 of the module called it
    const root = clusterRoot();
    delete root.module.eks.name;
    root.module.eks.cluster_name = 'ipv6-west';
    // WHEN it is checked THEN the input is reported, with its v21 name
    expect(moduleCallProblems(file, root)).toEqual([
      `${file}: module "eks" sets cluster_name, which is not a variable of terraform-aws-modules/eks/aws 21.19.0; did you mean name?`,
    ]);
  });

  test('reports a misspelt node group attribute, which Terraform would drop without a word', () => {
    // GIVEN instance_type where the module reads instance_types
    const root = clusterRoot();
    const nodeGroup = root.module.eks.eks_managed_node_groups.default;
    delete nodeGroup.instance_types;
    nodeGroup.instance_type = 'm6i.large';
    // WHEN it is checked
    const problems = moduleCallProblems(file, root);
    // THEN the attribute is named with its path, the intended attribute and the known ones
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^dist\/terraform\/clusters\/ipv6-west\/main\.tf\.json: module "eks", argument eks_managed_node_groups\.default: unknown attribute instance_type, which Terraform would drop without a word; did you mean instance_types\? Expected one of: create, kubernetes_version, name, .*, instance_types, .*\.$/,
    );
  });

  test('reports a value of the wrong type at its path', () => {
    const root = clusterRoot();
    root.module.eks.eks_managed_node_groups.default.min_size = 'three';
    expect(moduleCallProblems(file, root)).toEqual([
      `${file}: module "eks", argument eks_managed_node_groups.default.min_size: expected a number, got "three".`,
    ]);
  });

  test('reports a required attribute missing inside an argument', () => {
    const root = clusterRoot();
    delete root.module.eks.access_entries.argocd.principal_arn;
    expect(moduleCallProblems(file, root)).toEqual([
      `${file}: module "eks", argument access_entries.argocd: lacks the required attribute principal_arn (a string).`,
    ]);
  });

  // None of the pinned modules has a required variable (every one has a default), so a module that has one
  // is given here instead of the committed data.
  test('reports a required variable that a call does not set, or sets to null', () => {
    // GIVEN a module with a required variable, and calls without it and with null
    const modules: TerraformModulesData = {
      generatedBy: 'test',
      modules: { 'example/role/aws': { version: '1.0.0', variables: { role_name: { type: 'string', required: true }, tags: { type: 'map(string)', required: false } }, outputs: [] } },
    };
    const root = { module: { unset: { source: 'example/role/aws', version: '1.0.0' }, nulled: { source: 'example/role/aws', version: '1.0.0', role_name: null, tags: null } } };
    // WHEN it is checked
    const problems = moduleCallProblems(file, root, modules);
    // THEN both are reported, and the null of a variable with a default is not
    expect(problems).toEqual([
      `${file}: module "unset" does not set role_name, a required variable of example/role/aws 1.0.0.`,
      `${file}: module "nulled" sets role_name to null, but it is a required variable of example/role/aws 1.0.0; give it a value.`,
    ]);
  });

  test('reports a version range or a missing version, asking for the pinned version', () => {
    const root = clusterRoot();
    root.module.eks.version = '~> 21.0';
    delete root.module.vpc.version;
    expect(moduleCallProblems(file, root)).toEqual([
      `${file}: module "vpc" has no version, so Terraform would take the newest release; pin it to exactly "6.6.0", the version data/terraform-modules.json was derived from.`,
      `${file}: module "eks" has version "~> 21.0"; pin it to exactly "21.19.0", the version data/terraform-modules.json was derived from.`,
    ]);
  });

  test('reports a source that is not a pinned module, and checks no arguments of it', () => {
    const root = clusterRoot();
    root.module.vpc.source = 'terraform-aws-modules/vpc/awz';
    expect(moduleCallProblems(file, root)).toEqual([
      `${file}: module "vpc" uses source "terraform-aws-modules/vpc/awz", which is not a pinned module; use one of terraform-aws-modules/vpc/aws, terraform-aws-modules/eks/aws, terraform-aws-modules/eks-pod-identity/aws, terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts, terraform-aws-modules/iam/aws//modules/iam-role, or add it to scripts/refresh-terraform-modules.ts.`,
    ]);
  });

  test('reports a reference to an output the module does not have, where it is', () => {
    // GIVEN an output that reads oidc_arn, the eks module's output being oidc_provider_arn
    const root = clusterRoot();
    root.output.oidc = { value: '${module.eks.oidc_arn}' };
    // WHEN it is checked THEN the reference is reported with the place it is in
    expect(moduleCallProblems(file, root)).toEqual([
      `${file}: output.oidc.value refers to module.eks.oidc_arn, but oidc_arn is not an output of module "eks" (terraform-aws-modules/eks/aws 21.19.0).`,
    ]);
  });

  test('reports references to a module that is not declared, in interpolations and depends_on', () => {
    // GIVEN an argument and a depends_on that name module.network, which the root does not declare
    const root = clusterRoot();
    root.module.eks.subnet_ids = '${concat(module.network.private_subnets, [])}';
    root.module.eks.depends_on = ['module.network'];
    // WHEN it is checked THEN both places are reported
    expect(moduleCallProblems(file, root)).toEqual([
      `${file}: module.eks.subnet_ids refers to module.network.private_subnets, but no module "network" is declared.`,
      `${file}: module.eks.depends_on[0] names module.network, but no module "network" is declared.`,
    ]);
  });

  test('checks every reference of a string, and ignores text that only looks like one', () => {
    // GIVEN a string with two references, one wrong, and a quoted string and an escape that look like references
    const root = clusterRoot();
    root.output.summary.value = 'x ${module.eks.cluster_endpoint} ${module.vpc.vpc_idd} ${format("module.ghost.%s", "a")} $${module.ghost.b}';
    // WHEN it is checked THEN only the wrong reference is reported, with a guess
    expect(moduleCallProblems(file, root)).toEqual([
      `${file}: output.summary.value refers to module.vpc.vpc_idd, but vpc_idd is not an output of module "vpc" (terraform-aws-modules/vpc/aws 6.6.0); did you mean vpc_id?`,
    ]);
  });

  test('reports depends_on of resources that names an undeclared module', () => {
    const root = clusterRoot();
    root.resource = { aws_eks_access_entry: { argocd: { cluster_name: '${module.eks.cluster_name}', principal_arn: 'arn:aws:iam::1:role/a', depends_on: ['module.ekss'] } } };
    expect(moduleCallProblems(file, root)).toEqual([
      `${file}: resource.aws_eks_access_entry.argocd.depends_on[0] names module.ekss, but no module "ekss" is declared.`,
    ]);
  });

  test('says so when the document is not a Terraform JSON configuration', () => {
    expect(moduleCallProblems(file, [])).toEqual([`${file} is not a JSON object, so it is not a Terraform JSON configuration.`]);
    expect(moduleCallProblems(file, { module: [] })).toEqual([`${file}: "module" must be an object of module calls by name, not an array.`]);
  });
});
