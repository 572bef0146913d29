/**
 * dist/terraform/: the AWS side of the fleet as Terraform root modules in JSON syntax, built
 * from fleet.yaml with the pinned community modules (terraform/json.ts).
 *
 *     accounts/<accountId>/   IAM roles the account's clusters share: Argo CD's own role (in
 *                             the Argo CD cluster's account), one Pod Identity role per add-on
 *                             and per service that calls AWS, the VPC CNI's role. Applied first.
 *     clusters/<cluster>/     one cluster: its VPC, EKS cluster and node groups (provisioning:
 *                             create) with fleet.yaml's administrators, or data sources that
 *                             read and check it (existing); the role Argo CD assumes for it and
 *                             its access entry; the Pod Identity associations or IRSA roles of
 *                             the add-ons and of the services that call AWS there (both while a
 *                             switch between them is under way).
 *     bootstrap/              Argo CD itself on its cluster, with the helm provider: applied once
 *                             by an administrator; from then on Argo CD manages itself, and no
 *                             other root module needs access to a Kubernetes API to plan.
 *
 * Each root module works in one account (allowed_account_ids), so one cluster's apply cannot
 * touch another's. Role names are fixed (catalog/identities.ts), so a module knows the ARNs of
 * the others' roles without remote state, and looks the ones of its own account up with a
 * data source: a plan fails with "role not found" when accounts/ was not applied first.
 *
 * Backend and credentials stay the team's: `backend "s3"` names only each root module's own
 * state key (its path under dist/), so two root modules can never share a state; bucket, region
 * and locking (use_lockfile) come from terraform init -backend-config=..., and the providers read
 * credentials from the environment.
 */
import { AddonWithIamRole, addonCatalog, addonsWithIamRole, argocdChart } from '../catalog/addons';
import { distLayout, relativeDistPath } from '../catalog/dist-layout';
import { addonServiceAccount, argocdAccessPolicy, argocdAwsComponents, externalDnsZoneRole as externalDnsZoneRoleOf, partitionOf, roleArn, roleNames } from '../catalog/identities';
import { allClusters, ClusterSpec, Fleet, hasIdentity, isCluster } from '../config/fleet';
import { databaseIpv4Subnets, ipv6SubnetPrefixes, publicIpv4Subnets } from '../config/vpc-layout';
import { certificateParts, remoteCertificateAccounts } from './certificates';
import { addonPolicies, awsServicesOn, AwsService, podIdentityTrust, serviceIdentityKey, servicePolicyAttachments } from './identities';
import { identifier, quoted, ref, terraformModules, terraformRequirements, TfObject, TfValue } from './json';

/** One root module: its path under dist/ and its JSON. */
export interface TerraformFile {
  readonly path: string;
  readonly json: TfObject;
}

/** The comment every root module starts with (a "//" key is ignored in a block body, the root included). */
export const terraformComment = 'Generated from fleet.yaml by `npm run synth`: edit fleet.yaml, not this file.';

function moduleCall(name: keyof typeof terraformModules, inputs: TfObject): TfObject {
  return { ...terraformModules[name], ...inputs };
}

/** The state key of the root module at `path` (its folder under dist/): one state per root module, whatever backend config the team reuses. */
export function stateKey(path: string): string {
  return `${path.slice(0, path.lastIndexOf('/'))}/terraform.tfstate`;
}

function rootSettings(path: string, accountId: string, region: string, providers: ReadonlyArray<'helm' | 'time'> = []): TfObject {
  return {
    terraform: {
      required_version: terraformRequirements.terraform,
      required_providers: { aws: terraformRequirements.aws, ...Object.fromEntries(providers.map((name) => [name, terraformRequirements[name]])) },
      // Partial configuration: the bucket, region and locking (use_lockfile = true) come from
      // terraform init -backend-config; the key is the root module's own.
      backend: { s3: { key: stateKey(path) } },
    },
    provider: {
      aws: { region, allowed_account_ids: [accountId], default_tags: { tags: { 'managed-by': 'fleet.yaml' } } },
    },
  };
}

/** The clusters of one account that run an add-on under Pod Identity: its shared role serves exactly them. */
function podIdentityUsers(clusters: readonly ClusterSpec[], addon: AddonWithIamRole): string[] {
  return clusters.filter((cluster) => hasIdentity(cluster, 'podIdentity') && cluster.addons[addon]).map((cluster) => cluster.name);
}

/** Whether the credentials of the cluster's add-ons or services come from associations, so the Pod Identity agent must run there. */
function usesPodIdentity(fleet: Fleet, cluster: ClusterSpec): boolean {
  return cluster.name === fleet.argocd.cluster || cluster.provisioning === 'create'
    || (hasIdentity(cluster, 'podIdentity') && (addonsWithIamRole.some((addon) => cluster.addons[addon]) || awsServicesOn(fleet, cluster).length > 0));
}

/** The services that call AWS under Pod Identity on some cluster of the account, in fleet.yaml's order: each gets the account's role of its name. */
function podIdentityServices(fleet: Fleet, clusters: readonly ClusterSpec[]): AwsService[] {
  const services = new Set<AwsService>();
  for (const cluster of clusters.filter((candidate) => hasIdentity(candidate, 'podIdentity'))) awsServicesOn(fleet, cluster).forEach((app) => services.add(app));
  const order = new Map(fleet.apps.map((app, index) => [app.name, index]));
  return [...services].sort((a, b) => order.get(a.name)! - order.get(b.name)!);
}

/** The Route 53 zone of fleet.yaml's domain, which external-dns writes into. */
function hostedZone(fleet: Fleet): TfObject {
  return { aws_route53_zone: { domain: { name: fleet.domain, private_zone: false } } };
}

const hostedZoneArn = ref('data.aws_route53_zone.domain.arn');

/** The zone role external-dns of a cluster in this account assumes, or undefined in the zone's account. */
function externalDnsZoneRoleArn(fleet: Fleet, accountId: string): string | undefined {
  const home = allClusters(fleet).find((cluster) => cluster.name === fleet.argocd.cluster)!;
  return externalDnsZoneRoleOf({ accountId, region: home.region }, fleet.domainAccountId);
}

/** The roles external-dns runs under on clusters outside the hosted zone's account: they assume its zone role. */
function remoteExternalDnsRoles(fleet: Fleet): string[] {
  const remote = allClusters(fleet).filter((cluster) => cluster.addons.externalDns && cluster.accountId !== fleet.domainAccountId);
  // While a cluster switches identity, external-dns may run under either model's role.
  const roles = remote.flatMap((cluster) => [
    ...(hasIdentity(cluster, 'irsa') ? [roleArn(cluster, roleNames.irsaAddon('externalDns', cluster.name))] : []),
    ...(hasIdentity(cluster, 'podIdentity') ? [roleArn(cluster, roleNames.podIdentityAddon('externalDns'))] : []),
  ]);
  return [...new Set(roles)].sort();
}

/**
 * The role in the hosted zone's account through which external-dns of the other accounts writes
 * records. It trusts those accounts, narrowed to exactly their external-dns roles by
 * aws:PrincipalArn: a condition, unlike a role principal, need not exist when the policy is
 * written, so the accounts' root modules can be applied in any order.
 */
function externalDnsZoneRole(fleet: Fleet, remoteRoles: readonly string[]): TfObject {
  const accounts = [...new Set(remoteRoles.map((arn) => arn.split(':')[4]))].sort();
  const partition = remoteRoles[0].split(':')[1];
  return moduleCall('iamRole', {
    name: roleNames.externalDnsZone,
    use_name_prefix: false,
    description: `external-dns of the fleet's other accounts: records of ${fleet.domain}`,
    trust_policy_permissions: {
      ExternalDns: {
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        principals: [{ type: 'AWS', identifiers: accounts.map((account) => `arn:${partition}:iam::${account}:root`) }],
        condition: [{ test: 'ArnEquals', variable: 'aws:PrincipalArn', values: [...remoteRoles] }],
      },
    },
    // The permissions of external-dns's AWS tutorial, on the one zone.
    create_inline_policy: true,
    inline_policy_permissions: {
      ChangeRecords: { actions: ['route53:ChangeResourceRecordSets'], resources: [hostedZoneArn] },
      ReadZones: { actions: ['route53:ListHostedZones', 'route53:ListResourceRecordSets', 'route53:ListTagsForResource', 'route53:ListTagsForResources'], resources: ['*'] },
    },
  });
}

/** Names in code-unit order, the same on every machine (not the locale's). */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The roles one account's clusters share, and in the hosted zone's account the zone role. */
export function accountStack(fleet: Fleet, accountId: string): TfObject {
  const clusters = allClusters(fleet).filter((cluster) => cluster.accountId === accountId);
  const home = allClusters(fleet).find((cluster) => cluster.name === fleet.argocd.cluster)!;
  const modules: Record<string, TfValue> = {};
  const outputs: Record<string, TfValue> = {};
  let needsZone = false;
  const zoneRole = externalDnsZoneRoleArn(fleet, accountId);

  if (home.accountId === accountId) {
    // Argo CD's own identity: its three ServiceAccounts on its cluster, allowed to assume the
    // role of every cluster it registers (and to tag that session: Pod Identity's session tags
    // are transitive, so every AssumeRole from it passes them on, EKS User Guide "pod-id-abac").
    // By name: reordering fleet.yaml's clusters changes nothing here.
    const registered = allClusters(fleet).filter((cluster) => cluster.register).sort((a, b) => compareNames(a.name, b.name));
    modules.argocd = moduleCall('eksPodIdentity', {
      name: roleNames.argocdHub,
      use_name_prefix: false,
      description: 'Argo CD: assumes the <cluster>-argocd role of every cluster it syncs',
      trust_policy_conditions: podIdentityTrust(fleet.argocd.namespace, argocdAwsComponents.map((component) => component.serviceAccount), [home.name]),
      attach_custom_policy: true,
      policy_statements: [{
        sid: 'AssumeClusterRoles',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: registered.map((cluster) => roleArn(cluster, roleNames.argocdAccess(cluster.name))),
      }],
    });
    outputs.argocd_role_arn = { value: ref('module.argocd.iam_role_arn') };
  }

  for (const addon of addonsWithIamRole) {
    const users = podIdentityUsers(clusters, addon);
    if (!users.length) continue;
    const { namespace, name } = addonServiceAccount(addon);
    const roleName = roleNames.podIdentityAddon(addon);
    if (addon === 'externalDns' && !zoneRole) needsZone = true;
    const key = identifier(roleName);
    modules[key] = moduleCall('eksPodIdentity', {
      name: roleName,
      use_name_prefix: false,
      description: `${addonCatalog[addon].chart} on the account's clusters (EKS Pod Identity)`,
      trust_policy_conditions: podIdentityTrust(namespace, [name]),
      ...addonPolicies[addon].podIdentity({ roleName, clusters: users, hostedZoneArn, zoneRoleArn: zoneRole }),
    });
    outputs[`${key}_role_arn`] = { value: ref(`module.${key}.iam_role_arn`) };
  }

  // A service's role, as an add-on's: its namespace (the app's) and ServiceAccount on whichever of
  // the account's clusters an association names it; its managed policies attached.
  for (const app of podIdentityServices(fleet, clusters)) {
    const key = serviceIdentityKey(app.name);
    modules[key] = moduleCall('eksPodIdentity', {
      name: roleNames.podIdentityService(app.name),
      use_name_prefix: false,
      description: `Service ${app.name} on the account's clusters (EKS Pod Identity)`,
      trust_policy_conditions: podIdentityTrust(app.name, [app.aws.serviceAccount]),
      additional_policy_arns: servicePolicyAttachments(app.aws),
    });
    outputs[`${key}_role_arn`] = { value: ref(`module.${key}.iam_role_arn`) };
  }

  // The VPC CNI of the clusters the project creates runs as aws-node with this role, so no node
  // role needs the CNI policy (and the account no one-off AmazonEKS_CNI_IPv6_Policy, which the
  // eks module can create only once per account: its node_groups.tf).
  const created = clusters.filter((cluster) => cluster.provisioning === 'create');
  if (created.length) {
    modules.aws_vpc_cni = moduleCall('eksPodIdentity', {
      name: roleNames.vpcCni,
      use_name_prefix: false,
      description: 'The VPC CNI (aws-node) on the clusters the project creates in the account (EKS Pod Identity)',
      trust_policy_conditions: podIdentityTrust('kube-system', ['aws-node']),
      attach_aws_vpc_cni_policy: true,
      aws_vpc_cni_policy_name: roleNames.vpcCni,
      aws_vpc_cni_enable_ipv4: created.some((cluster) => cluster.ipFamily === 'ipv4'),
      aws_vpc_cni_enable_ipv6: created.some((cluster) => cluster.ipFamily === 'ipv6'),
    });
    outputs.aws_vpc_cni_role_arn = { value: ref('module.aws_vpc_cni.iam_role_arn') };
  }

  const remoteRoles = accountId === fleet.domainAccountId ? remoteExternalDnsRoles(fleet) : [];
  if (remoteRoles.length) {
    needsZone = true;
    modules.external_dns_zone = externalDnsZoneRole(fleet, remoteRoles);
    outputs.external_dns_zone_role_arn = { value: ref('module.external_dns_zone.arn') };
  }

  // IAM and Route 53 are global: an account without clusters of its own (the hosted zone's) works from Argo CD's region.
  // Not from fleet.yaml's order, so a reorder moves nothing: Argo CD's cluster's region in its account, else the first
  // of the account's regions in sorted order (the first of its certificates' regions too: terraform/certificates.ts).
  const region = home.accountId === accountId ? home.region : clusters.map((cluster) => cluster.region).sort(compareNames)[0] ?? home.region;
  const settings = rootSettings(distLayout.terraformAccount(accountId), accountId, region);
  const certificates = certificateParts(fleet, accountId, region, (inputs) => moduleCall('iamRole', inputs));
  const zone = needsZone ? (hostedZone(fleet).aws_route53_zone as TfObject) : {};
  const data = { ...certificates.data, ...(needsZone || certificates.data.aws_route53_zone ? { aws_route53_zone: { ...zone, ...(certificates.data.aws_route53_zone as TfObject) } } : {}) };
  Object.assign(modules, certificates.module);
  Object.assign(outputs, certificates.output);
  return {
    '//': terraformComment,
    terraform: settings.terraform,
    provider: certificates.providers.length ? { aws: [(settings.provider as TfObject).aws, ...certificates.providers] } : settings.provider,
    ...(Object.keys(data).length ? { data } : {}),
    ...(Object.keys(modules).length ? { module: modules } : {}),
    ...(Object.keys(certificates.resource).length ? { resource: certificates.resource } : {}),
    ...(Object.keys(outputs).length ? { output: outputs } : {}),
  };
}

/** How a stack refers to its cluster (Terraform expressions): the eks module it creates, or the data source that reads it. */
interface ClusterRefs {
  readonly name: string;
  readonly endpoint: string;
  readonly certificateAuthority: string;
  readonly oidcProviderArn: string;
}

const createdRefs: ClusterRefs = {
  name: 'module.eks.cluster_name',
  endpoint: 'module.eks.cluster_endpoint',
  certificateAuthority: 'module.eks.cluster_certificate_authority_data',
  oidcProviderArn: 'module.eks.oidc_provider_arn',
};

const existingRefs: ClusterRefs = {
  name: 'data.aws_eks_cluster.this.name',
  endpoint: 'data.aws_eks_cluster.this.endpoint',
  certificateAuthority: 'data.aws_eks_cluster.this.certificate_authority[0].data',
  oidcProviderArn: 'data.aws_iam_openid_connect_provider.this.arn',
};

/** Whether an instance type is Graviton (arm64): a1, and the families with a "g" after their generation (m7g, c7gn, t4g, x2gd, g5g). */
export function isArm64(instanceType: string): boolean {
  const family = instanceType.split('.')[0];
  return family === 'a1' || /^[a-z]+\d+g[a-z]*$/.test(family);
}

/** The kubelet's --max-pods as nodeadm takes it (AL2023's NodeConfig, awslabs/amazon-eks-ami "nodeadm"). */
function maxPodsConfig(maxPods: number): TfObject[] {
  const content = ['---', 'apiVersion: node.eks.aws/v1alpha1', 'kind: NodeConfig', 'spec:', '  kubelet:', '    config:', `      maxPods: ${maxPods}`, ''].join('\n');
  return [{ content_type: 'application/node.eks.aws', content }];
}

/** The eks module's managed node groups, one per fleet.yaml node group, across the private subnets. */
function nodeGroups(cluster: ClusterSpec): TfObject {
  return Object.fromEntries(cluster.nodeGroups.map((group) => [group.name, {
    name: group.name,
    instance_types: [group.instanceType],
    ami_type: isArm64(group.instanceType) ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD',
    min_size: group.minSize,
    max_size: group.maxSize,
    // The module's default desired size (1) can be below min_size; cluster-autoscaler owns it
    // afterwards (the module ignores changes to it: modules/eks-managed-node-group main.tf).
    desired_size: group.minSize,
    // The VPC CNI has its own role (Pod Identity), not the node's.
    iam_role_attach_cni_policy: false,
    ...(group.maxPods ? { cloudinit_pre_nodeadm: maxPodsConfig(group.maxPods) } : {}),
  }]));
}

/** The access entry that lets the cluster's Argo CD role in, as the eks module takes it. */
function argocdAccessEntry(cluster: ClusterSpec): TfObject {
  return {
    principal_arn: ref('module.argocd_access.arn'),
    type: 'STANDARD',
    policy_associations: {
      cluster_admin: { policy_arn: accessPolicyArn(cluster), access_scope: { type: 'cluster' } },
    },
  };
}

/** An access entry per administrator, keyed by its ARN so that adding one never re-keys the others. */
function administratorEntries(cluster: ClusterSpec): TfObject {
  return Object.fromEntries(cluster.administrators.map((principal) => [`admin_${identifier(principal.split(':').slice(4).join('_'))}`, {
    principal_arn: principal,
    type: 'STANDARD',
    policy_associations: {
      cluster_admin: { policy_arn: accessPolicyArn(cluster), access_scope: { type: 'cluster' } },
    },
  }]));
}

function accessPolicyArn(cluster: ClusterSpec): string {
  return `arn:${partitionOf(cluster.region)}:eks::aws:cluster-access-policy/${argocdAccessPolicy}`;
}

/**
 * The zones the region offers the account, checked against fleet.yaml's count: a plan stops here
 * with the fix rather than at the vpc module's slice ("end index must not be greater than the
 * length of the list").
 */
function availabilityZones(cluster: ClusterSpec): TfObject {
  const zones = cluster.vpc!.zones;
  return {
    state: 'available',
    filter: { name: 'opt-in-status', values: ['opt-in-not-required'] },
    lifecycle: {
      postcondition: [{
        condition: ref(`length(self.names) >= ${zones}`),
        error_message: `Cluster ${cluster.name}: ${cluster.region} offers this account fewer than the ${zones} availability zones fleet.yaml gives its VPC: set vpc.availabilityZones to the number aws ec2 describe-availability-zones --region ${cluster.region} lists (2 at least)`,
      }],
    },
  };
}

/** The VPC of a cluster the project creates: dual-stack, fleet.yaml's zones (three by default), IPv6 egress without NAT, IPv4 egress through one NAT gateway per zone. */
function vpcModule(cluster: ClusterSpec): TfObject {
  const vpc = cluster.vpc!;
  const prefixes = ipv6SubnetPrefixes(vpc.zones);
  return moduleCall('vpc', {
    name: cluster.name,
    cidr: vpc.cidr,
    azs: ref(`slice(data.aws_availability_zones.available.names, 0, ${vpc.zones})`),
    public_subnets: publicIpv4Subnets(vpc.cidr, vpc.zones),
    private_subnets: [...vpc.privateIpv4Subnets],
    database_subnets: databaseIpv4Subnets(vpc.cidr, vpc.zones),
    enable_ipv6: true,
    public_subnet_ipv6_prefixes: prefixes.public,
    private_subnet_ipv6_prefixes: prefixes.private,
    database_subnet_ipv6_prefixes: prefixes.database,
    public_subnet_assign_ipv6_address_on_creation: true,
    private_subnet_assign_ipv6_address_on_creation: true,
    database_subnet_assign_ipv6_address_on_creation: true,
    // The module turns DNS64 on with IPv6 (its main.tf): only where fleet.yaml asks for it.
    // The module routes 64:ff9b::/96 to the NAT gateways from the private and database subnets
    // only (its main.tf): public subnets never get DNS64, or their IPv6 clients would get
    // synthesized addresses that lead nowhere.
    public_subnet_enable_dns64: false,
    private_subnet_enable_dns64: vpc.dns64,
    database_subnet_enable_dns64: vpc.dns64,
    create_egress_only_igw: true,
    enable_nat_gateway: true,
    one_nat_gateway_per_az: true,
    enable_dns_hostnames: true,
    enable_dns_support: true,
    // The load balancer controller puts internet-facing ALBs in the subnets tagged elb,
    // internal ones in those tagged internal-elb (its subnet discovery docs).
    public_subnet_tags: { 'kubernetes.io/role/elb': '1' },
    private_subnet_tags: { 'kubernetes.io/role/internal-elb': '1' },
  });
}

/** The EKS cluster the project creates. */
function eksModule(cluster: ClusterSpec): TfObject {
  return moduleCall('eks', {
    name: cluster.name,
    kubernetes_version: cluster.kubernetesVersion,
    ip_family: cluster.ipFamily,
    vpc_id: ref('module.vpc.vpc_id'),
    subnet_ids: ref('module.vpc.private_subnets'),
    // The API server is reachable from the VPC; from elsewhere only from the CIDRs fleet.yaml
    // declares (the module's default list is 0.0.0.0/0).
    endpoint_private_access: true,
    endpoint_public_access: Boolean(cluster.endpointPublicAccessCidrs),
    ...(cluster.endpointPublicAccessCidrs ? { endpoint_public_access_cidrs: [...cluster.endpointPublicAccessCidrs] } : {}),
    authentication_mode: 'API',
    // Administrators are fleet.yaml's, never whoever happens to apply: in eks 21.19.0 the creator's
    // access entry and the KMS key's administrators follow the caller (main.tf,
    // data.aws_iam_session_context.current), so another principal's apply would take them over.
    enable_cluster_creator_admin_permissions: false,
    kms_key_administrators: [...cluster.administrators],
    // The OIDC provider exists only for IRSA (also while pods may still use it); Pod Identity needs none.
    enable_irsa: hasIdentity(cluster, 'irsa'),
    addons: {
      'vpc-cni': { before_compute: true, pod_identity_association: [{ role_arn: ref('data.aws_iam_role.aws_vpc_cni.arn'), service_account: 'aws-node' }] },
      'eks-pod-identity-agent': { before_compute: true },
      'kube-proxy': {},
      coredns: {},
    },
    access_entries: { ...administratorEntries(cluster), ...(cluster.register ? { argocd: argocdAccessEntry(cluster) } : {}) },
    eks_managed_node_groups: nodeGroups(cluster),
  });
}

/** The data source reading a cluster that exists, with what fleet.yaml says of it as postconditions: a plan stops where they disagree. */
function existingClusterData(cluster: ClusterSpec): TfObject {
  // By name, never by its index in fleet.yaml: a cluster added above another leaves this file as it was.
  const at = `cluster ${cluster.name}:`;
  const conditions: Array<[string, string]> = [
    [`self.kubernetes_network_config[0].ip_family == ${quoted(cluster.ipFamily)}`, `${at} ipFamily is ${cluster.ipFamily} in fleet.yaml, but EKS says otherwise (the IP family is fixed when a cluster is created)`],
    [`self.version == ${quoted(cluster.kubernetesVersion)}`, `${at} kubernetesVersion is ${cluster.kubernetesVersion} in fleet.yaml, but the cluster runs another version: correct fleet.yaml`],
    [`self.access_config[0].authentication_mode != "CONFIG_MAP"`, `${cluster.name} authenticates with the aws-auth ConfigMap only: access entries need authentication mode API_AND_CONFIG_MAP or API (aws eks update-cluster-config --access-config authenticationMode=API_AND_CONFIG_MAP)`],
  ];
  if (isCluster(cluster)) {
    conditions.push(
      [`self.vpc_config[0].vpc_id == ${quoted(cluster.vpcId)}`, `${at} vpcId is ${cluster.vpcId} in fleet.yaml, but the cluster is in another VPC: run npm run import-clusters`],
      [`trimsuffix(self.endpoint, "/") == ${quoted(cluster.server)}`, `${at} server is ${cluster.server} in fleet.yaml, but the cluster's endpoint differs: run npm run import-clusters`],
    );
    if (cluster.caData) {
      conditions.push([`self.certificate_authority[0].data == ${quoted(cluster.caData)}`, `${at} caData in fleet.yaml is not the cluster's certificate authority: run npm run import-clusters`]);
    }
  }
  return {
    name: cluster.name,
    lifecycle: { postcondition: conditions.map(([condition, message]) => ({ condition: ref(condition), error_message: message })) },
  };
}

/** Node groups of a cluster that exists, checked against fleet.yaml's (the capacity plan counts on their sizes). */
function existingNodeGroupData(cluster: ClusterSpec): TfObject {
  return Object.fromEntries(cluster.nodeGroups.map((group) => [identifier(group.name), {
    cluster_name: ref(existingRefs.name),
    node_group_name: group.name,
    lifecycle: {
      postcondition: [
        {
          // A node group launched from a launch template that names the type has no instance_types.
          condition: ref(`self.instance_types == null || contains(coalesce(self.instance_types, []), ${quoted(group.instanceType)})`),
          error_message: `cluster ${cluster.name}: node group ${group.name} has instanceType ${group.instanceType} in fleet.yaml, but runs other instance types`,
        },
        {
          condition: ref(`self.scaling_config[0].min_size == ${group.minSize} && self.scaling_config[0].max_size == ${group.maxSize}`),
          error_message: `cluster ${cluster.name}: node group ${group.name} has minSize ${group.minSize} and maxSize ${group.maxSize} in fleet.yaml, but scales between other sizes`,
        },
      ],
    },
  }]));
}

/** Outputs every cluster stack has: npm run import-clusters reads them (terraform output -json) into fleet.yaml. */
function clusterOutputs(cluster: ClusterSpec): TfObject {
  const created = cluster.provisioning === 'create';
  const refs = created ? createdRefs : existingRefs;
  const subnets = (attribute: 'cidr_block' | 'ipv6_cidr_block') => (created
    ? ref(`module.vpc.private_subnets_${attribute === 'cidr_block' ? 'cidr_blocks' : 'ipv6_cidr_blocks'}`)
    // The cluster's subnets but the public ones, as npm run import-clusters takes them from describe-subnets.
    : ref(`[for subnet in data.aws_subnet.cluster : subnet.${attribute} if lookup(subnet.tags, "kubernetes.io/role/elb", "") != "1"]`));
  // Region and account from the cluster's ARN (arn:<partition>:eks:<region>:<account>:cluster/<name>),
  // not from fleet.yaml: npm run import-clusters refuses outputs of another region or account.
  const arn = created ? 'module.eks.cluster_arn' : 'data.aws_eks_cluster.this.arn';
  return {
    cluster_name: { value: ref(refs.name) },
    region: { value: ref(`split(":", ${arn})[3]`) },
    account_id: { value: ref(`split(":", ${arn})[4]`) },
    ip_family: { value: created ? ref('module.eks.cluster_ip_family') : ref('data.aws_eks_cluster.this.kubernetes_network_config[0].ip_family') },
    kubernetes_version: { value: created ? ref('module.eks.cluster_version') : ref('data.aws_eks_cluster.this.version') },
    cluster_endpoint: { value: ref(refs.endpoint) },
    cluster_certificate_authority_data: { value: ref(refs.certificateAuthority) },
    vpc_id: { value: created ? ref('module.vpc.vpc_id') : ref('data.aws_eks_cluster.this.vpc_config[0].vpc_id') },
    private_subnets_cidr_blocks: { value: subnets('cidr_block') },
    private_subnets_ipv6_cidr_blocks: { value: subnets('ipv6_cidr_block') },
  };
}

/**
 * For a cluster the project created and fleet.yaml has imported: whether fleet.yaml still says
 * what the cluster is. A check block warns and never blocks an apply, so the outputs that
 * npm run import-clusters reads stay current even when fleet.yaml is behind.
 */
function importedClusterChecks(cluster: ClusterSpec): TfObject | undefined {
  if (cluster.provisioning !== 'create' || !isCluster(cluster)) return undefined;
  const assert = (expression: string, expected: string, what: string): TfObject => ({
    condition: ref(`${expression} == ${quoted(expected)}`),
    error_message: `${what} is not what cluster ${cluster.name} in fleet.yaml says (${expected}): run npm run import-clusters`,
  });
  return {
    fleet_yaml: {
      assert: [
        assert('module.eks.cluster_endpoint', cluster.server, 'The cluster endpoint'),
        assert('module.vpc.vpc_id', cluster.vpcId, 'The VPC id'),
      ],
    },
  };
}

/**
 * How long the cluster stack waits after creating Argo CD's Pod Identity associations: EKS
 * documents them as eventually consistent ("may take several seconds" after the API call
 * returns, EKS User Guide "pod-id-association"), and pods started before they propagate get no
 * credentials until restarted.
 */
export const podIdentityPropagationSeconds = 30;

/** The helm provider for a cluster, authenticating as whoever runs Terraform (aws eks get-token). */
function helmProvider(cluster: ClusterSpec, refs: ClusterRefs): TfObject {
  return {
    kubernetes: {
      host: ref(refs.endpoint),
      cluster_ca_certificate: ref(`base64decode(${refs.certificateAuthority})`),
      exec: {
        api_version: 'client.authentication.k8s.io/v1beta1',
        command: 'aws',
        args: ['eks', 'get-token', '--cluster-name', cluster.name, '--region', cluster.region],
      },
    },
  };
}

/**
 * Argo CD's release was once in the Argo CD cluster's root module. Where a state still holds it,
 * Terraform forgets it (never uninstalls Argo CD) the next time that module is applied: the one
 * plan that still reads it from the cluster, by an administrator. Afterwards, and in a new
 * fleet from the start, the block does nothing and no plan of the module needs the cluster.
 * (`removed` is Terraform 1.7's; the helm provider stays configured to read the release that once.)
 */
function forgetArgocdRelease(cluster: ClusterSpec, refs: ClusterRefs): TfObject {
  return {
    provider: { helm: helmProvider(cluster, refs) },
    removed: [{ from: 'helm_release.argocd', lifecycle: { destroy: false } }],
  };
}

/**
 * Argo CD installed once by the helm provider from the values Argo CD later manages itself with
 * (dist/addons/argo-cd/values.yaml), in a root module of its own: the release is read from the
 * cluster on every plan of the module that holds it, so only this one needs access to a
 * Kubernetes API, and it is applied once, by an administrator, after the cluster's root module
 * (whose apply ends only once Argo CD's associations have propagated).
 */
export function bootstrapStack(fleet: Fleet): TfObject {
  const cluster = allClusters(fleet).find((candidate) => candidate.name === fleet.argocd.cluster)!;
  const valuesPath = relativeDistPath(distLayout.terraformBootstrap, distLayout.chartValues(argocdChart.chart));
  const settings = rootSettings(distLayout.terraformBootstrap, cluster.accountId, cluster.region, ['helm']);
  return {
    '//': terraformComment,
    terraform: settings.terraform,
    provider: { ...(settings.provider as TfObject), helm: helmProvider(cluster, existingRefs) },
    data: {
      aws_eks_cluster: { this: { name: cluster.name } },
      // Argo CD's role exists once the account's root module is applied; its associations come with the cluster's.
      aws_iam_role: { argocd: { name: roleNames.argocdHub } },
    },
    resource: {
      helm_release: {
        argocd: {
          name: argocdChart.releaseName,
          namespace: fleet.argocd.namespace,
          create_namespace: true,
          repository: argocdChart.repoURL,
          chart: argocdChart.chart,
          version: argocdChart.version,
          values: [ref(`file("\${path.module}/${valuesPath}")`)],
          depends_on: ['data.aws_iam_role.argocd'],
          // A bootstrap: from then on Argo CD's own Application (dist/argocd/argo-cd.yaml) owns
          // the release, so a later apply must not roll it back or fight it.
          lifecycle: { ignore_changes: 'all' },
        },
      },
    },
  };
}

/** One cluster's root module. */
export function clusterStack(fleet: Fleet, cluster: ClusterSpec): TfObject {
  const created = cluster.provisioning === 'create';
  const refs = created ? createdRefs : existingRefs;
  const isArgocdCluster = cluster.name === fleet.argocd.cluster;
  const home = allClusters(fleet).find((candidate) => candidate.name === fleet.argocd.cluster)!;
  const data: Record<string, Record<string, TfValue>> = {};
  const modules: Record<string, TfValue> = {};
  const resources: Record<string, Record<string, TfValue>> = {};
  const put = (into: Record<string, Record<string, TfValue>>, type: string, name: string, body: TfValue) => {
    (into[type] ??= {})[name] = body;
  };

  if (created) {
    put(data, 'aws_availability_zones', 'available', availabilityZones(cluster));
    put(data, 'aws_iam_role', 'aws_vpc_cni', { name: roleNames.vpcCni });
    modules.vpc = vpcModule(cluster);
    modules.eks = eksModule(cluster);
  } else {
    put(data, 'aws_eks_cluster', 'this', existingClusterData(cluster));
    for (const [name, body] of Object.entries(existingNodeGroupData(cluster))) put(data, 'aws_eks_node_group', name, body);
    put(data, 'aws_subnet', 'cluster', { for_each: ref('toset(data.aws_eks_cluster.this.vpc_config[0].subnet_ids)'), id: ref('each.value') });
    if (usesPodIdentity(fleet, cluster)) {
      // Associations give no credentials without the agent: a plan fails here if it is missing.
      put(data, 'aws_eks_addon', 'pod_identity_agent', { cluster_name: cluster.name, addon_name: 'eks-pod-identity-agent' });
    }
    if (hasIdentity(cluster, 'irsa')) put(data, 'aws_iam_openid_connect_provider', 'this', { url: ref('data.aws_eks_cluster.this.identity[0].oidc[0].issuer') });
  }

  if (cluster.register) {
    // The role Argo CD assumes for this cluster; it needs no permissions in IAM, only the access
    // entry below (Argo CD's declarative-setup docs, "EKS"). It trusts Argo CD's account, narrowed
    // to Argo CD's own role by aws:PrincipalArn: a role principal is bound to the role's unique
    // id, so recreating fleet-argocd would silently break the trust of every cluster until each
    // stack were applied again; a condition on the ARN survives it.
    const hub = roleArn(home, roleNames.argocdHub);
    modules.argocd_access = moduleCall('iamRole', {
      name: roleNames.argocdAccess(cluster.name),
      use_name_prefix: false,
      description: `Argo CD's access to EKS cluster ${cluster.name}`,
      trust_policy_permissions: {
        ArgoCd: {
          actions: ['sts:AssumeRole', 'sts:TagSession'],
          principals: [{ type: 'AWS', identifiers: [`arn:${partitionOf(home.region)}:iam::${home.accountId}:root`] }],
          condition: [{ test: 'ArnEquals', variable: 'aws:PrincipalArn', values: [hub] }],
        },
      },
    });
    if (!created) {
      put(resources, 'aws_eks_access_entry', 'argocd', { cluster_name: ref(refs.name), principal_arn: ref('module.argocd_access.arn'), type: 'STANDARD' });
      put(resources, 'aws_eks_access_policy_association', 'argocd', {
        cluster_name: ref(refs.name),
        principal_arn: ref('aws_eks_access_entry.argocd.principal_arn'),
        policy_arn: accessPolicyArn(cluster),
        access_scope: { type: 'cluster' },
      });
    }
  }

  const associations: string[] = [];
  for (const addon of addonsWithIamRole.filter((key) => cluster.addons[key])) {
    const { namespace, name } = addonServiceAccount(addon);
    const key = identifier(addonCatalog[addon].chart);
    if (hasIdentity(cluster, 'podIdentity')) {
      put(data, 'aws_iam_role', key, { name: roleNames.podIdentityAddon(addon) });
      put(resources, 'aws_eks_pod_identity_association', key, { cluster_name: ref(refs.name), namespace, service_account: name, role_arn: ref(`data.aws_iam_role.${key}.arn`) });
    }
    // While the cluster switches identity, both: the roles its running pods still use stay.
    if (hasIdentity(cluster, 'irsa')) {
      const roleName = roleNames.irsaAddon(addon, cluster.name);
      const zoneRoleArn = addon === 'externalDns' ? externalDnsZoneRoleOf(cluster, fleet.domainAccountId) : undefined;
      if (addon === 'externalDns' && !zoneRoleArn) Object.assign(data, hostedZone(fleet));
      modules[`irsa_${key}`] = moduleCall('iamRoleForServiceAccounts', {
        name: roleName,
        use_name_prefix: false,
        description: `${addonCatalog[addon].chart} on ${cluster.name} (IRSA)`,
        oidc_providers: { this: { provider_arn: ref(refs.oidcProviderArn), namespace_service_accounts: [`${namespace}:${name}`] } },
        ...addonPolicies[addon].irsa({ roleName, clusters: [cluster.name], hostedZoneArn, zoneRoleArn }),
      });
    }
  }

  // The services that call AWS here, in the app's namespace: the same models as the add-ons, both while the cluster switches.
  for (const app of awsServicesOn(fleet, cluster)) {
    const key = serviceIdentityKey(app.name);
    const { serviceAccount } = app.aws;
    if (hasIdentity(cluster, 'podIdentity')) {
      put(data, 'aws_iam_role', key, { name: roleNames.podIdentityService(app.name) });
      put(resources, 'aws_eks_pod_identity_association', key, { cluster_name: ref(refs.name), namespace: app.name, service_account: serviceAccount, role_arn: ref(`data.aws_iam_role.${key}.arn`) });
    }
    if (hasIdentity(cluster, 'irsa')) {
      modules[`irsa_${key}`] = moduleCall('iamRoleForServiceAccounts', {
        name: roleNames.irsaService(app.name, cluster.name),
        use_name_prefix: false,
        description: `Service ${app.name} on ${cluster.name} (IRSA)`,
        oidc_providers: { this: { provider_arn: ref(refs.oidcProviderArn), namespace_service_accounts: [`${app.name}:${serviceAccount}`] } },
        policies: servicePolicyAttachments(app.aws),
        // The managed policies only, no policy of the module's own (with nothing to put in one it makes none, but
        // the policy names of an account are checked by what a call may create: verify/terraform.ts).
        create_policy: false,
      });
    }
  }

  if (isArgocdCluster) {
    put(data, 'aws_iam_role', 'argocd', { name: roleNames.argocdHub });
    for (const component of argocdAwsComponents) {
      const key = `argocd_${identifier(component.component)}`;
      put(resources, 'aws_eks_pod_identity_association', key, {
        cluster_name: ref(refs.name),
        namespace: fleet.argocd.namespace,
        service_account: component.serviceAccount,
        role_arn: ref('data.aws_iam_role.argocd.arn'),
      });
      associations.push(`aws_eks_pod_identity_association.${key}`);
    }
    // The apply ends only once the associations have propagated: the bootstrap root module,
    // applied next, starts Argo CD's pods, which must get their credentials at once.
    put(resources, 'time_sleep', 'argocd_pod_identity', { create_duration: `${podIdentityPropagationSeconds}s`, depends_on: [...associations] });
  }

  const settings = rootSettings(distLayout.terraformCluster(cluster.name), cluster.accountId, cluster.region, isArgocdCluster ? ['helm', 'time'] : []);
  const checks = importedClusterChecks(cluster);
  const forget = isArgocdCluster ? forgetArgocdRelease(cluster, refs) : undefined;
  return {
    '//': terraformComment,
    terraform: forget ? { ...(settings.terraform as TfObject), required_version: '>= 1.7' } : settings.terraform,
    provider: { ...(settings.provider as TfObject), ...(forget?.provider as TfObject | undefined) },
    ...(Object.keys(data).length ? { data } : {}),
    ...(Object.keys(modules).length ? { module: modules } : {}),
    ...(Object.keys(resources).length ? { resource: resources } : {}),
    ...(forget ? { removed: forget.removed } : {}),
    ...(checks ? { check: checks } : {}),
    output: clusterOutputs(cluster),
  };
}

/** Every root module of the fleet: one per account, then one per cluster. */
export function terraformFiles(fleet: Fleet): TerraformFile[] {
  const clusters = allClusters(fleet);
  // The hosted zone's account has a root module even without clusters, when external-dns of another account writes through it.
  const zoneAccount = remoteExternalDnsRoles(fleet).length || remoteCertificateAccounts(fleet).length ? [fleet.domainAccountId] : [];
  const accounts = [...new Set([...clusters.map((cluster) => cluster.accountId), ...zoneAccount])].sort();
  return [
    ...accounts.map((accountId) => ({ path: distLayout.terraformAccount(accountId), json: accountStack(fleet, accountId) })),
    ...clusters.map((cluster) => ({ path: distLayout.terraformCluster(cluster.name), json: clusterStack(fleet, cluster) })),
    { path: distLayout.terraformBootstrap, json: bootstrapStack(fleet) },
  ];
}
