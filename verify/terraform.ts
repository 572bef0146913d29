/**
 * Checks that dist/terraform/ and the rest of dist/ agree, read from the rendered files alone (as
 * Terraform and Argo CD would read them), since no Terraform CLI runs here:
 *
 * - terraformProblems: every module call fits its pinned module (terraform-modules.ts); a root
 *   module exists for every cluster and account and no other; each says what fleet.yaml says
 *   (names, regions, accounts, IP families, versions, node groups, the VPC and its zones, the
 *   administrators, the public endpoint's CIDRs); every root module has a state key of its own; every cluster
 *   Secret's role is one Argo CD's own role may assume, trusts it back, and has the cluster's
 *   access entry; IAM's size quotas of the policies the modules will write hold.
 * - identityProblems: every ServiceAccount that calls AWS, as the charts render (helm), and every
 *   one a service of fleet.yaml names (aws.serviceAccount) on the clusters it is placed on, has an
 *   identity for exactly its namespace and name on its cluster, with a role that trusts it and
 *   the policies it needs; and no association or IRSA role is there for a ServiceAccount that
 *   does not exist.
 */
import { addonCatalog, addonsWithIamRole, argocdChart } from '../catalog/addons';
import { distLayout, isTerraformFile, pathPattern } from '../catalog/dist-layout';
import { addonServiceAccount, argocdAccessPolicy, argocdAwsComponents, externalDnsZoneRole, maxRoleNameLength, roleArn, roleNames } from '../catalog/identities';
import { allClusters, ClusterSpec, Fleet, isCluster } from '../config/fleet';
import { awsServicesOn, podIdentityTags } from '../terraform/identities';
import { terraformModules } from '../terraform/json';
import { irsaRoleAnnotation } from '../values/addon-values';
import { annotatedServiceRole, serviceIdentityValues } from '../values/service-identity';
import { ChartRender } from './chart-renders';
import { parseManifests } from './rendered';
import { moduleCallProblems } from './terraform-modules';

type Json = Record<string, any>;

/** The rendered root modules, parsed, by path under dist/. */
function terraformDocuments(files: ReadonlyMap<string, string>): Map<string, Json> {
  const documents = new Map<string, Json>();
  for (const [path, text] of files) if (isTerraformFile(path)) documents.set(path, JSON.parse(text));
  return documents;
}

const sourceOf = (name: keyof typeof terraformModules) => terraformModules[name].source;

/** The module calls of a root module of one pinned module. */
function callsOf(document: Json | undefined, module: keyof typeof terraformModules): Array<[string, Json]> {
  return Object.entries<Json>(document?.module ?? {}).filter(([, call]) => call.source === sourceOf(module));
}

/** The expression of a string that is exactly one interpolation, e.g. `module.x.arn` for "${module.x.arn}". */
function expressionOf(value: unknown): string | undefined {
  return typeof value === 'string' ? /^\$\{([^{}]*)\}$/.exec(value)?.[1] : undefined;
}

/** An IAM role ARN's account and name. */
function parseRoleArn(arn: string): { accountId: string; name: string } | undefined {
  const match = /^arn:[\w-]+:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn);
  return match ? { accountId: match[1], name: match[2] } : undefined;
}

/** IAM's quotas (IAM User Guide, "IAM and AWS STS quotas"): characters of a JSON policy, whitespace not counted. */
export const iamPolicyQuotas = { trustPolicy: 2048, managedPolicy: 6144 } as const;

/**
 * The trust policy the eks-pod-identity module writes for a call (its main.tf: one statement,
 * Service pods.eks.amazonaws.com, sts:AssumeRole and sts:TagSession, the call's conditions), as
 * IAM counts it: minified JSON.
 */
function podIdentityTrustPolicyLength(call: Json): number {
  const conditions: Record<string, Record<string, string[]>> = {};
  for (const condition of call.trust_policy_conditions ?? []) (conditions[condition.test] ??= {})[condition.variable] = condition.values;
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'EKS', Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:TagSession', 'sts:AssumeRole'], Condition: conditions }],
  }).length;
}

/** The custom policy of a call (its policy_statements), as IAM counts it. */
function customPolicyLength(call: Json): number {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: (call.policy_statements ?? []).map((statement: Json) => ({ Sid: statement.sid, Effect: 'Allow', Action: statement.actions, Resource: statement.resources })),
  }).length;
}

/** What a cluster's root module says the cluster is named: the eks module's name or the data source's. */
function stackClusterName(document: Json): string | undefined {
  return document.module?.eks?.name ?? document.data?.aws_eks_cluster?.this?.name;
}

/** Whether an expression names this stack's own cluster (its literal name, the eks module's, or the data source's). */
function namesOwnCluster(value: unknown, cluster: string): boolean {
  return value === cluster || ['module.eks.cluster_name', 'data.aws_eks_cluster.this.name'].includes(expressionOf(value) ?? '');
}

function conditionsText(block: Json | undefined): string {
  return JSON.stringify(block?.lifecycle?.postcondition ?? []);
}

/** The root modules against fleet.yaml: one per cluster and per account, each saying what fleet.yaml says. */
function agreementProblems(fleet: Fleet, documents: ReadonlyMap<string, Json>): string[] {
  const problems: string[] = [];
  const clusters = allClusters(fleet);
  const accounts = new Set(clusters.map((cluster) => cluster.accountId));
  const clusterPath = pathPattern(distLayout.terraformCluster);
  const accountPath = pathPattern(distLayout.terraformAccount);
  for (const path of documents.keys()) {
    const cluster = clusterPath.exec(path)?.[1];
    const account = accountPath.exec(path)?.[1];
    if (cluster !== undefined && !clusters.some((candidate) => candidate.name === cluster)) problems.push(`${path}: cluster ${cluster} is not in fleet.yaml`);
    else if (account !== undefined && !accounts.has(account)) problems.push(`${path}: account ${account} has no cluster in fleet.yaml`);
    else if (cluster === undefined && account === undefined && path !== distLayout.terraformBootstrap) problems.push(`${path}: not a root module of the layout (${distLayout.terraformAccount('<account>')}, ${distLayout.terraformCluster('<cluster>')}, ${distLayout.terraformBootstrap})`);
  }
  // Every root module has a state of its own: one -backend-config reused for two would let the second plan destroy the first's resources.
  const keys = new Map<string, string>();
  for (const [path, document] of documents) {
    const key = document.terraform?.backend?.s3?.key;
    if (typeof key !== 'string' || !key) problems.push(`${path}: backend "s3" names no key: every root module needs a state of its own`);
    else if (keys.has(key)) problems.push(`${path}: backend "s3" key ${key} is also ${keys.get(key)}'s: two root modules would share (and destroy) one state`);
    else keys.set(key, path);
  }
  for (const accountId of accounts) {
    const path = distLayout.terraformAccount(accountId);
    const document = documents.get(path);
    if (!document) problems.push(`${path} is missing: the roles of account ${accountId}'s clusters`);
    else {
      // Beside its own provider, an account's root module may have one per other region (aliased) and, outside the
      // hosted zone's account, one in that account for the certificate's validation record (terraform/certificates.ts).
      const providers: Array<Record<string, any>> = [document.provider?.aws ?? {}].flat();
      for (const provider of providers) {
        const expected = provider.alias === 'zone' ? fleet.domainAccountId : accountId;
        if (JSON.stringify(provider.allowed_account_ids) !== JSON.stringify([expected])) {
          problems.push(`${path}: provider aws${provider.alias ? `.${provider.alias}` : ''} may act in ${JSON.stringify(provider.allowed_account_ids)}, expected exactly ["${expected}"]`);
        }
      }
    }
  }
  for (const cluster of clusters) {
    const path = distLayout.terraformCluster(cluster.name);
    const document = documents.get(path);
    if (!document) {
      problems.push(`${path} is missing: clusters[${cluster.index}] (${cluster.name}) has no root module`);
      continue;
    }
    const at = `${path}: clusters[${cluster.index}]`;
    const provider = document.provider?.aws ?? {};
    if (provider.region !== cluster.region) problems.push(`${at}.region is ${cluster.region}, but the provider's region is ${provider.region}`);
    if (JSON.stringify(provider.allowed_account_ids) !== JSON.stringify([cluster.accountId])) problems.push(`${at}.accountId is ${cluster.accountId}, but the provider may act in ${JSON.stringify(provider.allowed_account_ids)}`);
    if (stackClusterName(document) !== cluster.name) problems.push(`${at} is ${cluster.name}, but the root module is of cluster ${stackClusterName(document)}`);
    problems.push(...(cluster.provisioning === 'create' ? createdClusterProblems(at, cluster, document) : existingClusterProblems(at, cluster, document)));
  }
  return problems;
}

function nodeGroupProblems(at: string, cluster: ClusterSpec, groups: Json, describe: (group: Json) => { instanceTypes?: unknown; minSize?: unknown; maxSize?: unknown } | string): string[] {
  const problems: string[] = [];
  const names = Object.keys(groups);
  const expected = cluster.nodeGroups.map((group) => group.name);
  if (JSON.stringify([...names].sort()) !== JSON.stringify([...expected].sort())) problems.push(`${at}.nodeGroups are ${expected.join(', ')}, but the root module has ${names.join(', ') || 'none'}`);
  cluster.nodeGroups.forEach((group, index) => {
    const rendered = groups[group.name];
    if (!rendered) return;
    const seen = describe(rendered);
    const where = `${at}.nodeGroups[${index}] (${group.name})`;
    if (typeof seen === 'string') {
      // The numbers the postconditions compare with, read whole (min_size == 3 is no check of 30).
      const checked = (field: string) => [...seen.matchAll(new RegExp(`${field} == (\\d+)(?!\\d)`, 'g'))].map((match) => Number(match[1]));
      if (!seen.includes(`\\"${group.instanceType}\\"`)) problems.push(`${where}: the node group's postconditions do not check instance type ${group.instanceType}`);
      if (JSON.stringify(checked('min_size')) !== JSON.stringify([group.minSize])) problems.push(`${where}: the node group's postconditions check min_size ${checked('min_size').join(', ') || 'not at all'}, not ${group.minSize}`);
      if (JSON.stringify(checked('max_size')) !== JSON.stringify([group.maxSize])) problems.push(`${where}: the node group's postconditions check max_size ${checked('max_size').join(', ') || 'not at all'}, not ${group.maxSize}`);
      return;
    }
    if (JSON.stringify(seen.instanceTypes) !== JSON.stringify([group.instanceType])) problems.push(`${where}.instanceType is ${group.instanceType}, but the node group has ${JSON.stringify(seen.instanceTypes)}`);
    if (seen.minSize !== group.minSize || seen.maxSize !== group.maxSize) problems.push(`${where} scales ${group.minSize}-${group.maxSize}, but the node group ${seen.minSize}-${seen.maxSize}`);
  });
  return problems;
}

/**
 * Who administers a created cluster and who reaches its API server: fleet.yaml's administrators
 * (access entries with cluster admin, the KMS key's administrators), never the caller of an apply
 * (eks 21.19.0 gives the creator's entry and the key to whoever applies: main.tf,
 * data.aws_iam_session_context.current); a public endpoint only for fleet.yaml's CIDRs (the
 * module's default is 0.0.0.0/0).
 */
function accessProblems(at: string, cluster: ClusterSpec, eks: Json): string[] {
  const problems: string[] = [];
  if (eks.enable_cluster_creator_admin_permissions !== false) problems.push(`${at}: the eks module gives cluster admin to whoever applies (enable_cluster_creator_admin_permissions), and moves it to the next principal that applies`);
  if (JSON.stringify(eks.kms_key_administrators) !== JSON.stringify(cluster.administrators)) problems.push(`${at}.administrators are ${JSON.stringify(cluster.administrators)}, but the KMS key's administrators are ${JSON.stringify(eks.kms_key_administrators ?? 'whoever applies')}`);
  const admin = (entry: Json) => Object.values<Json>(entry.policy_associations ?? {}).some((association) => String(association.policy_arn).endsWith(`/${argocdAccessPolicy}`) && association.access_scope?.type === 'cluster');
  const admins = Object.values<Json>(eks.access_entries ?? {}).filter(admin).map((entry) => entry.principal_arn);
  for (const principal of cluster.administrators.filter((arn) => !admins.includes(arn))) problems.push(`${at}: administrator ${principal} has no access entry with ${argocdAccessPolicy} on the whole cluster`);
  const publicCidrs = cluster.endpointPublicAccessCidrs;
  if (eks.endpoint_public_access !== Boolean(publicCidrs) || (publicCidrs && JSON.stringify(eks.endpoint_public_access_cidrs) !== JSON.stringify(publicCidrs))) {
    problems.push(`${at}.endpointPublicAccessCidrs is ${JSON.stringify(publicCidrs ?? 'absent (private endpoint)')}, but the eks module's public endpoint is ${eks.endpoint_public_access ? `open to ${JSON.stringify(eks.endpoint_public_access_cidrs ?? ['0.0.0.0/0'])}` : 'off'}`);
  }
  return problems;
}

function createdClusterProblems(at: string, cluster: ClusterSpec, document: Json): string[] {
  const problems: string[] = [];
  const eks = document.module?.eks;
  const vpc = document.module?.vpc;
  if (!eks || eks.source !== sourceOf('eks')) return [`${at} has provisioning: create, but the root module calls no eks module`];
  if (!vpc || vpc.source !== sourceOf('vpc')) problems.push(`${at} has provisioning: create, but the root module calls no vpc module`);
  if (eks.ip_family !== cluster.ipFamily) problems.push(`${at}.ipFamily is ${cluster.ipFamily}, but the eks module creates ${eks.ip_family}`);
  if (eks.kubernetes_version !== cluster.kubernetesVersion) problems.push(`${at}.kubernetesVersion is ${cluster.kubernetesVersion}, but the eks module creates ${eks.kubernetes_version}`);
  if (expressionOf(eks.vpc_id) !== 'module.vpc.vpc_id' || expressionOf(eks.subnet_ids) !== 'module.vpc.private_subnets') problems.push(`${at}: the eks module is not in the vpc module's private subnets`);
  if (vpc) {
    if (vpc.cidr !== cluster.vpc!.cidr) problems.push(`${at}.vpc.cidr is ${cluster.vpc!.cidr}, but the vpc module creates ${vpc.cidr}`);
    if (JSON.stringify(vpc.private_subnets) !== JSON.stringify(cluster.vpc!.privateIpv4Subnets)) problems.push(`${at}: the private subnets are ${cluster.vpc!.privateIpv4Subnets.join(', ')}, but the vpc module creates ${JSON.stringify(vpc.private_subnets)}`);
    if (vpc.enable_ipv6 !== true) problems.push(`${at}: the vpc module creates no IPv6 /56 (enable_ipv6)`);
    if (expressionOf(vpc.azs) !== `slice(data.aws_availability_zones.available.names, 0, ${cluster.vpc!.zones})`) problems.push(`${at}.vpc.availabilityZones is ${cluster.vpc!.zones}, but the vpc module spans ${JSON.stringify(vpc.azs)}`);
  }
  problems.push(...accessProblems(at, cluster, eks));
  problems.push(...nodeGroupProblems(at, cluster, eks.eks_managed_node_groups ?? {}, (group) => ({ instanceTypes: group.instance_types, minSize: group.min_size, maxSize: group.max_size })));
  return problems;
}

function existingClusterProblems(at: string, cluster: ClusterSpec, document: Json): string[] {
  const problems: string[] = [];
  if (document.module?.eks || document.module?.vpc) problems.push(`${at} exists (provisioning: existing), but the root module would create a cluster or VPC`);
  const data = document.data?.aws_eks_cluster?.this;
  if (!data) return [...problems, `${at} exists, but the root module does not read it (data aws_eks_cluster this)`];
  const checked = conditionsText(data);
  const expected = [cluster.ipFamily, cluster.kubernetesVersion, ...(isCluster(cluster) ? [cluster.vpcId, cluster.server] : [])];
  for (const value of expected) if (!checked.includes(`\\"${value}\\"`)) problems.push(`${at}: the cluster's postconditions do not check ${value}, which fleet.yaml says`);
  problems.push(...nodeGroupProblems(at, cluster, document.data?.aws_eks_node_group ?? {}, (group) => conditionsText(group)));
  return problems;
}

/** The hub role, as the account stack of the Argo CD cluster's account defines it. */
function argocdHub(fleet: Fleet, documents: ReadonlyMap<string, Json>): { arn: string; call?: Json; path: string } {
  const home = allClusters(fleet).find((cluster) => cluster.name === fleet.argocd.cluster)!;
  const path = distLayout.terraformAccount(home.accountId);
  const call = callsOf(documents.get(path), 'eksPodIdentity').find(([, candidate]) => candidate.name === roleNames.argocdHub)?.[1];
  return { arn: roleArn(home, roleNames.argocdHub), call, path };
}

/** Every cluster Secret's role: Argo CD's own role may assume it, it trusts that role, and the cluster lets it in as cluster admin. */
function argocdReachProblems(fleet: Fleet, files: ReadonlyMap<string, string>, documents: ReadonlyMap<string, Json>): string[] {
  const problems: string[] = [];
  const hub = argocdHub(fleet, documents);
  if (!hub.call) problems.push(`${hub.path} defines no role ${roleNames.argocdHub}: Argo CD's pods have no AWS identity`);
  else if (hub.call.attach_custom_policy !== true) problems.push(`${hub.path}: role ${roleNames.argocdHub} has its statements but no policy of them (attach_custom_policy): Argo CD may assume no cluster's role`);
  const secretPath = pathPattern(distLayout.clusterSecret);
  for (const [path, text] of files) {
    if (!secretPath.test(path)) continue;
    for (const secret of parseManifests(text).filter((object) => object.kind === 'Secret')) {
      const config = JSON.parse(secret.stringData?.config ?? '{}');
      const clusterName: string | undefined = config.awsAuthConfig?.clusterName;
      const arn: string | undefined = config.awsAuthConfig?.roleARN;
      const where = `${path}: Secret ${secret.metadata?.name}`;
      if (!clusterName || !arn) {
        problems.push(`${where} has no awsAuthConfig with clusterName and roleARN: Argo CD would reach the cluster without an EKS identity`);
        continue;
      }
      const role = parseRoleArn(arn);
      const cluster = allClusters(fleet).find((candidate) => candidate.name === clusterName);
      const stackPath = distLayout.terraformCluster(clusterName);
      const stack = documents.get(stackPath);
      if (!role || !cluster || !stack) {
        problems.push(`${where}: role ${arn} of cluster ${clusterName}, which dist/terraform/ does not create (${stackPath})`);
        continue;
      }
      if (role.accountId !== cluster.accountId) problems.push(`${where}: role ${arn} is in account ${role.accountId}, but the cluster (and its access entry) in ${cluster.accountId}`);
      const access = callsOf(stack, 'iamRole').find(([, call]) => call.name === role.name);
      if (!access) {
        problems.push(`${where}: role ${arn}, which ${stackPath} does not create`);
        continue;
      }
      const [key, call] = access;
      // Trust in Argo CD's account, narrowed to its role by aws:PrincipalArn: a role principal would be bound to the role's unique id.
      const hubAccount = parseRoleArn(hub.arn)?.accountId;
      const statements = Object.values<Json>(call.trust_policy_permissions ?? {}).filter((statement) => (statement.effect ?? 'Allow') === 'Allow'
        && ['sts:AssumeRole', 'sts:TagSession'].every((action) => statement.actions?.includes(action)));
      const byRole = statements.some((statement) => (statement.principals ?? []).some((principal: Json) => principal.type === 'AWS' && principal.identifiers?.includes(hub.arn)));
      const byAccount = statements.some((statement) => (statement.principals ?? []).some((principal: Json) => principal.type === 'AWS'
          && principal.identifiers?.some((identifier: string) => identifier.endsWith(`:iam::${hubAccount}:root`)))
        && (statement.condition ?? []).some((condition: Json) => condition.test === 'ArnEquals' && condition.variable === 'aws:PrincipalArn' && condition.values?.includes(hub.arn)));
      if (byRole) problems.push(`${where}: role ${arn} trusts ${hub.arn} (Argo CD's own role) as a principal, which IAM binds to the role's unique id: recreating it would break this trust; trust account ${hubAccount} with an aws:PrincipalArn condition instead`);
      else if (!byAccount) problems.push(`${where}: role ${arn} does not let ${hub.arn} (Argo CD's own role) assume it with sts:AssumeRole and sts:TagSession (Pod Identity's session tags are transitive)`);
      const allowed = (hub.call?.policy_statements ?? []).some((statement: Json) => (statement.effect ?? 'Allow') === 'Allow'
        && ['sts:AssumeRole', 'sts:TagSession'].every((action) => statement.actions?.includes(action)) && statement.resources?.includes(arn));
      if (hub.call && !allowed) problems.push(`${where}: Argo CD's own role ${hub.arn} (${hub.path}) may not assume ${arn}`);
      if (!hasAccessEntry(stack, `module.${key}.arn`)) problems.push(`${where}: ${stackPath} gives role ${arn} no access entry with ${argocdAccessPolicy} on the whole cluster`);
    }
  }
  return problems;
}

/** Whether a cluster's root module gives the principal (an expression) an access entry with cluster admin on the whole cluster. */
function hasAccessEntry(stack: Json, principal: string): boolean {
  const admin = (association: Json) => String(association.policy_arn).endsWith(`/${argocdAccessPolicy}`) && association.access_scope?.type === 'cluster';
  const viaModule = Object.values<Json>(stack.module?.eks?.access_entries ?? {})
    .some((entry) => expressionOf(entry.principal_arn) === principal && Object.values<Json>(entry.policy_associations ?? {}).some(admin));
  const entries = Object.entries<Json>(stack.resource?.aws_eks_access_entry ?? {}).filter(([, entry]) => expressionOf(entry.principal_arn) === principal);
  const viaResources = entries.some(([key]) => Object.values<Json>(stack.resource?.aws_eks_access_policy_association ?? {})
    .some((association) => expressionOf(association.principal_arn) === `aws_eks_access_entry.${key}.principal_arn` && admin(association)));
  return viaModule || viaResources;
}

/** The policies the modules will write, against IAM's size quotas; the roles' names, against its 64 characters. */
function iamQuotaProblems(documents: ReadonlyMap<string, Json>): string[] {
  const problems: string[] = [];
  for (const [path, document] of documents) {
    for (const [key, call] of Object.entries<Json>(document.module ?? {})) {
      if (typeof call.name === 'string' && call.use_name_prefix === false && call.name.length > maxRoleNameLength) {
        problems.push(`${path}: module ${key}: role name ${call.name} is ${call.name.length} characters long, above IAM's ${maxRoleNameLength}: IAM refuses to create it`);
      }
    }
    for (const [key, call] of callsOf(document, 'eksPodIdentity')) {
      const trust = podIdentityTrustPolicyLength(call);
      if (trust > iamPolicyQuotas.trustPolicy) {
        problems.push(`${path}: module ${key}: the trust policy of role ${call.name} is about ${trust} characters, above IAM's ${iamPolicyQuotas.trustPolicy} (raise the "Role trust policy length" quota to 4096, or spread the account's clusters over more accounts)`);
      }
      const custom = call.attach_custom_policy ? customPolicyLength(call) : 0;
      if (custom > iamPolicyQuotas.managedPolicy) problems.push(`${path}: module ${key}: the policy of role ${call.name} is about ${custom} characters, above IAM's ${iamPolicyQuotas.managedPolicy} for a managed policy`);
    }
  }
  return problems;
}

/**
 * The VPC CNI of every cluster the project creates: installed before the nodes with a Pod
 * Identity association for aws-node (the node roles have no CNI policy), the agent before the
 * nodes too, and the account's role with the CNI policy for the cluster's IP family, trusting
 * kube-system/aws-node. Without it no pod gets an address.
 */
function vpcCniProblems(fleet: Fleet, documents: ReadonlyMap<string, Json>): string[] {
  const problems: string[] = [];
  for (const cluster of allClusters(fleet).filter((candidate) => candidate.provisioning === 'create')) {
    const path = distLayout.terraformCluster(cluster.name);
    const stack = documents.get(path);
    const addons = stack?.module?.eks?.addons ?? {};
    if (!stack?.module?.eks) continue;
    if (addons['eks-pod-identity-agent']?.before_compute !== true) problems.push(`${path}: the eks module installs no eks-pod-identity-agent before the nodes: no association gives credentials`);
    const cni = addons['vpc-cni'];
    const association = (cni?.pod_identity_association ?? []).find((candidate: Json) => candidate.service_account === 'aws-node');
    const roleData = /^data\.aws_iam_role\.(\w+)\.arn$/.exec(expressionOf(association?.role_arn) ?? '')?.[1];
    const roleName = roleData ? stack.data?.aws_iam_role?.[roleData]?.name : undefined;
    if (cni?.before_compute !== true || !association) {
      problems.push(`${path}: the VPC CNI has no Pod Identity association for kube-system/aws-node before the nodes, and the node roles no CNI policy: no pod gets an address`);
      continue;
    }
    if (roleName !== roleNames.vpcCni) {
      problems.push(`${path}: the VPC CNI's association names role ${roleName ?? association.role_arn}, not ${roleNames.vpcCni}`);
      continue;
    }
    const accountPath = distLayout.terraformAccount(cluster.accountId);
    const call = callsOf(documents.get(accountPath), 'eksPodIdentity').find(([, candidate]) => candidate.name === roleNames.vpcCni)?.[1];
    if (!call) problems.push(`${accountPath} creates no ${roleNames.vpcCni}, which ${cluster.name}'s VPC CNI runs as`);
    else if (call.attach_aws_vpc_cni_policy !== true || call[`aws_vpc_cni_enable_${cluster.ipFamily}`] !== true) problems.push(`${accountPath}: role ${roleNames.vpcCni} may not manage ${cluster.ipFamily === 'ipv6' ? 'IPv6' : 'IPv4'} addresses (attach_aws_vpc_cni_policy, aws_vpc_cni_enable_${cluster.ipFamily}), which ${cluster.name} needs`);
    else if (!admits(call, podIdentityTags.namespace, 'kube-system') || !admits(call, podIdentityTags.serviceAccount, 'aws-node') || !admits(call, podIdentityTags.clusterName, cluster.name)) problems.push(`${accountPath}: role ${roleNames.vpcCni} does not trust kube-system/aws-node on ${cluster.name}`);
  }
  return problems;
}

/**
 * The managed policies each module call creates, by name, across the root modules of one
 * account: IAM refuses a second policy of a name (EntityAlreadyExists). Names as the modules
 * make them with use_name_prefix off: eks-pod-identity names its custom policy after the role and
 * each attached one `<x>_policy_name` or a fixed AmazonEKS_ default (its *.tf files);
 * iam-role-for-service-accounts names its one policy policy_name or a fixed default.
 */
function policyNameProblems(documents: ReadonlyMap<string, Json>): string[] {
  const problems: string[] = [];
  const byAccount = new Map<string, Map<string, string>>();
  const add = (accountId: string, name: string, where: string) => {
    const names = byAccount.get(accountId) ?? new Map<string, string>();
    byAccount.set(accountId, names);
    const earlier = names.get(name);
    if (earlier) problems.push(`${where} creates IAM policy ${name}, as ${earlier} does in account ${accountId}: IAM refuses the second (EntityAlreadyExists)`);
    else names.set(name, where);
  };
  const podIdentityPolicies: Array<[string, string, string]> = [
    ['attach_aws_lb_controller_policy', 'aws_lb_controller_policy_name', 'LoadBalancerController'],
    ['attach_external_dns_policy', 'external_dns_policy_name', 'ExternalDNS'],
    ['attach_cluster_autoscaler_policy', 'cluster_autoscaler_policy_name', 'ClusterAutoscaler'],
    ['attach_cert_manager_policy', 'cert_manager_policy_name', 'CertManager'],
    ['attach_aws_vpc_cni_policy', 'aws_vpc_cni_policy_name', 'AWS_VPC_CNI'],
  ];
  const accountOf = (path: string, document: Json) => String(document.provider?.aws?.allowed_account_ids?.[0] ?? path);
  for (const [path, document] of documents) {
    const accountId = accountOf(path, document);
    for (const [key, call] of callsOf(document, 'eksPodIdentity')) {
      if (call.use_name_prefix !== false) continue;
      const where = `${path}: module ${key}`;
      if (call.attach_custom_policy) add(accountId, call.name, where);
      for (const [flag, nameInput, suffix] of podIdentityPolicies) if (call[flag]) add(accountId, call[nameInput] ?? `${call.policy_name_prefix ?? 'AmazonEKS_'}${suffix}`, where);
    }
    for (const [key, call] of callsOf(document, 'iamRoleForServiceAccounts')) {
      if (call.use_name_prefix === false && call.create_policy !== false) add(accountId, call.policy_name ?? call.name, `${path}: module ${key}`);
    }
  }
  return problems;
}

/** Every problem of dist/terraform/ that needs no chart render (see the file's comment). */
export function terraformProblems(fleet: Fleet, files: ReadonlyMap<string, string>): string[] {
  const documents = terraformDocuments(files);
  return [
    ...[...documents].flatMap(([path, document]) => moduleCallProblems(path, document).map((problem) => (problem.startsWith(path) ? problem : `${path}: ${problem}`))),
    ...agreementProblems(fleet, documents),
    ...argocdReachProblems(fleet, files, documents),
    ...vpcCniProblems(fleet, documents),
    ...trustConditionProblems(documents),
    ...policyNameProblems(documents),
    ...iamQuotaProblems(documents),
  ];
}

/** A ServiceAccount that calls AWS, on a cluster, and the IRSA role its annotation names if any. */
export interface AwsCaller {
  readonly cluster: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The chart that runs it. */
  readonly chart: string;
  /** The chart and Application that render it, or where fleet.yaml alone says it will be. */
  readonly origin: string;
  readonly annotatedRole?: string;
  /** The role its pods' `--aws-assume-role` names (external-dns outside the hosted zone's account); absent when no render says. */
  readonly assumedRole?: string | null;
  /** A service's: the managed policies fleet.yaml gives its role (aws.policyArns), exactly those attached. */
  readonly policyArns?: readonly string[];
}

const workloadKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/**
 * The ServiceAccounts that call AWS in chart renders: those the pods of an add-on that calls AWS
 * run as, and on Argo CD's cluster those of the components that reach EKS clusters (found by
 * their app.kubernetes.io/component label, so a renamed ServiceAccount is still found).
 */
export function awsCallers(renders: readonly ChartRender[]): AwsCaller[] {
  const callingCharts = new Set<string>(addonsWithIamRole.map((addon) => addonCatalog[addon].chart));
  const argocdComponents = new Set<string>(argocdAwsComponents.map((component) => component.component));
  const callers: AwsCaller[] = [];
  for (const render of renders) {
    const isArgocd = render.chart === argocdChart.chart;
    if (!isArgocd && !callingCharts.has(render.chart)) continue;
    const accounts = new Map(render.objects.filter((object) => object.kind === 'ServiceAccount').map((object) => [`${object.metadata?.namespace ?? render.namespace}/${object.metadata?.name}`, object]));
    for (const workload of render.objects.filter((object) => workloadKinds.has(object.kind))) {
      const template = workload.spec?.template ?? {};
      if (isArgocd && !argocdComponents.has(template.metadata?.labels?.['app.kubernetes.io/component'])) continue;
      const namespace = workload.metadata?.namespace ?? render.namespace;
      const serviceAccount = template.spec?.serviceAccountName ?? 'default';
      if (callers.some((caller) => caller.cluster === render.cluster && caller.namespace === namespace && caller.serviceAccount === serviceAccount)) continue;
      const args: string[] = (template.spec?.containers ?? []).flatMap((container: Json) => container.args ?? []);
      callers.push({
        cluster: render.cluster,
        namespace,
        serviceAccount,
        chart: render.chart,
        assumedRole: args.find((arg) => arg.startsWith('--aws-assume-role='))?.slice('--aws-assume-role='.length) ?? null,
        origin: `${render.chart} (Application ${render.application}, ${workload.kind} ${workload.metadata?.name})`,
        annotatedRole: accounts.get(`${namespace}/${serviceAccount}`)?.metadata?.annotations?.[irsaRoleAnnotation],
      });
    }
  }
  return callers;
}

/**
 * The callers of a cluster Argo CD does not render charts for yet (one the project creates that
 * is not imported, or one registered elsewhere): the ServiceAccounts the values name, as the
 * renders of the clusters that exist prove them.
 */
export function expectedCallers(fleet: Fleet, cluster: ClusterSpec): AwsCaller[] {
  const origin = 'fleet.yaml (no render: the cluster is not registered yet)';
  const annotated = (role: string) => (cluster.identity === 'irsa' ? roleArn(cluster, role) : undefined);
  return [
    ...addonsWithIamRole.filter((addon) => cluster.addons[addon]).map((addon) => ({
      cluster: cluster.name, ...pick(addonServiceAccount(addon)), chart: addonCatalog[addon].chart, origin, annotatedRole: annotated(roleNames.irsaAddon(addon, cluster.name)),
    })),
    ...(cluster.name === fleet.argocd.cluster
      ? argocdAwsComponents.map((component) => ({ cluster: cluster.name, namespace: fleet.argocd.namespace, serviceAccount: component.serviceAccount, chart: argocdChart.chart, origin }))
      : []),
  ];
}

function pick(account: { namespace: string; name: string }): { namespace: string; serviceAccount: string } {
  return { namespace: account.namespace, serviceAccount: account.name };
}

/** An identity dist/terraform/ gives one ServiceAccount on one cluster. */
interface Identity {
  readonly cluster: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly kind: 'association' | 'irsa';
  /** The role's name. */
  readonly role: string;
  readonly where: string;
  /** The IRSA role's module call. */
  readonly call?: Json;
}

/** The Pod Identity associations and IRSA roles of every cluster's root module. */
function identitiesOf(fleet: Fleet, documents: ReadonlyMap<string, Json>): { identities: Identity[]; problems: string[] } {
  const identities: Identity[] = [];
  const problems: string[] = [];
  for (const cluster of allClusters(fleet)) {
    const path = distLayout.terraformCluster(cluster.name);
    const stack = documents.get(path);
    if (!stack) continue;
    for (const [key, association] of Object.entries<Json>(stack.resource?.aws_eks_pod_identity_association ?? {})) {
      const where = `${path}: aws_eks_pod_identity_association.${key}`;
      if (!namesOwnCluster(association.cluster_name, cluster.name)) problems.push(`${where} is for cluster ${association.cluster_name}, not ${cluster.name}`);
      const roleData = /^data\.aws_iam_role\.(\w+)\.arn$/.exec(expressionOf(association.role_arn) ?? '')?.[1];
      const role = roleData ? stack.data?.aws_iam_role?.[roleData]?.name : parseRoleArn(String(association.role_arn))?.name;
      if (!role) problems.push(`${where}: role_arn ${association.role_arn} names no role this check can follow`);
      identities.push({ cluster: cluster.name, namespace: association.namespace, serviceAccount: association.service_account, kind: 'association', role: role ?? '?', where });
    }
    for (const [key, call] of callsOf(stack, 'iamRoleForServiceAccounts')) {
      const where = `${path}: module ${key}`;
      for (const provider of Object.values<Json>(call.oidc_providers ?? {})) {
        const own = ['module.eks.oidc_provider_arn', 'data.aws_iam_openid_connect_provider.this.arn'].includes(expressionOf(provider.provider_arn) ?? '');
        if (!own) problems.push(`${where} trusts OIDC provider ${provider.provider_arn}, not ${cluster.name}'s`);
        for (const subject of provider.namespace_service_accounts ?? []) {
          const [namespace, serviceAccount] = String(subject).split(':');
          identities.push({ cluster: cluster.name, namespace, serviceAccount, kind: 'irsa', role: call.name, where, call });
        }
      }
    }
  }
  return { identities, problems };
}

/**
 * Whether a pod identity role's trust admits a session tag's value: a condition on it must list
 * the value (StringEquals); no condition on it admits any. Conditions of another kind are
 * refused by trustConditionProblems, so this never reads one it does not understand.
 */
function admits(call: Json, variable: string, value: string): boolean {
  const conditions = (call.trust_policy_conditions ?? []).filter((candidate: Json) => candidate.variable === variable);
  return conditions.every((condition: Json) => condition.values?.includes(value));
}

/** The session tags of EKS Pod Identity a trust condition may test here, and how. */
const understoodTrustTags = new Set(Object.values(podIdentityTags));

/** Trust conditions these checks cannot read: another operator, or a key that is not a Pod Identity session tag (aws:PrincipalTag/... is no request tag). */
function trustConditionProblems(documents: ReadonlyMap<string, Json>): string[] {
  const problems: string[] = [];
  for (const [path, document] of documents) {
    for (const [key, call] of callsOf(document, 'eksPodIdentity')) {
      for (const condition of call.trust_policy_conditions ?? []) {
        if (condition.test !== 'StringEquals' || !understoodTrustTags.has(condition.variable)) {
          problems.push(`${path}: module ${key}: trust condition ${condition.test} ${condition.variable} is not a StringEquals on a session tag EKS Pod Identity sets (${[...understoodTrustTags].join(', ')}): IAM would refuse or ignore what this check cannot prove`);
        }
      }
    }
  }
  return problems;
}

function allows(statements: readonly Json[] | undefined, actions: readonly string[], resource: string): boolean {
  return (statements ?? []).some((statement) => (statement.effect ?? 'Allow') === 'Allow'
    && actions.every((action) => statement.actions?.includes(action)) && statement.resources?.includes(resource));
}

/**
 * Whether an add-on's role may do what the add-on does: its upstream policy attached, on the
 * hosted zone for external-dns in the zone's account, and elsewhere the zone role to assume,
 * which trusts exactly it and which the pods name (--aws-assume-role).
 */
function permissionProblems(fleet: Fleet, caller: AwsCaller, cluster: ClusterSpec, call: Json, kind: 'association' | 'irsa', documents: ReadonlyMap<string, Json>): string[] {
  if (caller.policyArns) return servicePolicyProblems(caller.policyArns, call, kind);
  const addon = addonsWithIamRole.find((candidate) => addonCatalog[candidate].chart === caller.chart);
  if (!addon) return [];
  const role = `role ${call.name}`;
  const problems: string[] = [];
  if (addon === 'awsLoadBalancerController' && call[kind === 'association' ? 'attach_aws_lb_controller_policy' : 'attach_load_balancer_controller_policy'] !== true) {
    problems.push(`${role} has no load balancer controller policy attached`);
  }
  if (addon === 'clusterAutoscaler') {
    const abac = (call.policy_statements ?? []).some((statement: Json) => (statement.condition ?? []).some((condition: Json) => condition.variable === 'aws:ResourceTag/eks:cluster-name' && condition.values?.includes('$${aws:PrincipalTag/eks-cluster-name}')));
    if (call.attach_cluster_autoscaler_policy !== true) problems.push(`${role} has no cluster-autoscaler policy attached`);
    else if (!abac && !(call.cluster_autoscaler_cluster_names ?? []).includes(cluster.name)) problems.push(`${role} may not scale the node groups of ${cluster.name}`);
  }
  if (addon === 'externalDns') {
    const zoneRole = externalDnsZoneRole(cluster, fleet.domainAccountId);
    if (!zoneRole) {
      if (call.attach_external_dns_policy !== true || !(call.external_dns_hosted_zone_arns ?? []).length) problems.push(`${role} may not change records of the hosted zone of ${fleet.domain}`);
    } else {
      const statements = kind === 'association' ? (call.attach_custom_policy ? call.policy_statements : []) : Object.values<Json>(call.permissions ?? {});
      if (!allows(statements, ['sts:AssumeRole', 'sts:TagSession'], zoneRole)) problems.push(`${role} may not assume ${zoneRole}, the hosted zone's role in account ${fleet.domainAccountId}`);
      if (caller.assumedRole !== undefined && caller.assumedRole !== zoneRole) problems.push(`its pods assume ${caller.assumedRole ?? 'no role'} (--aws-assume-role), not the hosted zone's role ${zoneRole}`);
      const zonePath = distLayout.terraformAccount(fleet.domainAccountId);
      const zone = callsOf(documents.get(zonePath), 'iamRole').find(([, candidate]) => candidate.name === roleNames.externalDnsZone)?.[1];
      const me = roleArn(cluster, call.name);
      const trusted = Object.values<Json>(zone?.trust_policy_permissions ?? {}).some((statement) => ['sts:AssumeRole', 'sts:TagSession'].every((action) => statement.actions?.includes(action))
        && (statement.principals ?? []).some((principal: Json) => principal.identifiers?.includes(`arn:${me.split(':')[1]}:iam::${cluster.accountId}:root`) || principal.identifiers?.includes(me))
        && (statement.condition ?? []).every((condition: Json) => condition.variable !== 'aws:PrincipalArn' || condition.values?.includes(me)));
      const writes = Object.values<Json>(zone?.inline_policy_permissions ?? {}).some((statement) => statement.actions?.includes('route53:ChangeResourceRecordSets'));
      if (!zone) problems.push(`${zonePath} creates no ${roleNames.externalDnsZone} for external-dns of other accounts`);
      else if (!trusted) problems.push(`${roleNames.externalDnsZone} in ${zonePath} does not let ${me} assume it`);
      else if (!writes || zone.create_inline_policy !== true) problems.push(`${roleNames.externalDnsZone} in ${zonePath} may not change records`);
    }
  }
  return problems;
}

/**
 * Whether a service's role has exactly the managed policies fleet.yaml gives it (eks-pod-identity's
 * additional_policy_arns, iam-role-for-service-accounts' policies) and no policy of the module's
 * own: one missing is AccessDenied, one more is access fleet.yaml does not show.
 */
function servicePolicyProblems(policyArns: readonly string[], call: Json, kind: 'association' | 'irsa'): string[] {
  const attached = new Set(Object.values<string>(call[kind === 'association' ? 'additional_policy_arns' : 'policies'] ?? {}));
  const role = `role ${call.name}`;
  const problems = [
    ...policyArns.filter((arn) => !attached.has(arn)).map((arn) => `${role} does not attach ${arn}, which fleet.yaml gives it`),
    ...[...attached].filter((arn) => !policyArns.includes(arn)).map((arn) => `${role} attaches ${arn}, which fleet.yaml does not give it`),
  ];
  const ownPolicy = kind === 'association'
    ? call.attach_custom_policy === true || Object.keys(call).some((input) => /^attach_.*_policy$/.test(input) && call[input] === true)
    : call.create_policy !== false && (call.permissions !== undefined || Object.keys(call).some((input) => /^attach_.*_policy$/.test(input) && call[input] === true));
  if (ownPolicy) problems.push(`${role} has a policy of its module's own beside the managed policies fleet.yaml gives it`);
  return problems;
}

/**
 * The ServiceAccounts of the services that call AWS, on every cluster they are placed on (and on
 * a pending cluster, those it will run), as fleet.yaml names them: in the app's namespace, on an
 * IRSA cluster annotated with the role that the values of the cluster's values file give
 * (values/service-identity.ts).
 */
export function serviceCallers(fleet: Fleet): AwsCaller[] {
  const appIndex = new Map(fleet.apps.map((app, index) => [app.name, index]));
  return allClusters(fleet).flatMap((cluster) => awsServicesOn(fleet, cluster).map((app) => ({
    cluster: cluster.name,
    namespace: app.name,
    serviceAccount: app.aws.serviceAccount,
    chart: app.source.type === 'chart' ? app.source.name : app.source.path,
    origin: `service ${app.name} (fleet.yaml apps[${appIndex.get(app.name)}].aws)`,
    annotatedRole: annotatedServiceRole(serviceIdentityValues(app, cluster), app.aws.irsaAnnotationsValue),
    policyArns: app.aws.policyArns,
  })));
}

/**
 * Every ServiceAccount that calls AWS (in `renders`, the charts of every registered cluster as
 * Argo CD renders them; fleet.yaml's for the clusters without; the services' from fleet.yaml,
 * serviceCallers) against the identities of
 * dist/terraform/: exactly one per caller, for exactly its namespace and name, with a role that
 * trusts it; none without a caller; no shared role trusting a cluster that does not use it.
 */
export function identityProblems(fleet: Fleet, files: ReadonlyMap<string, string>, renders: readonly ChartRender[]): string[] {
  return callerIdentityProblems(fleet, files, awsCallers(renders));
}

/** identityProblems of the callers found in the renders (awsCallers), which is all a check has to keep of them. */
export function callerIdentityProblems(fleet: Fleet, files: ReadonlyMap<string, string>, renderedCallers: readonly AwsCaller[]): string[] {
  const documents = terraformDocuments(files);
  const { identities, problems } = identitiesOf(fleet, documents);
  const rendered = new Set(fleet.clusters.filter((cluster) => cluster.register).map((cluster) => cluster.name));
  const callers = [
    ...renderedCallers.filter((caller) => rendered.has(caller.cluster)),
    ...allClusters(fleet).filter((cluster) => !rendered.has(cluster.name)).flatMap((cluster) => expectedCallers(fleet, cluster)),
    ...serviceCallers(fleet),
  ];
  const clusters = new Map(allClusters(fleet).map((cluster) => [cluster.name, cluster]));
  const accountRoles = (accountId: string) => new Map(callsOf(documents.get(distLayout.terraformAccount(accountId)), 'eksPodIdentity').map(([, call]) => [call.name as string, call]));
  const same = (identity: Identity, caller: AwsCaller) => identity.cluster === caller.cluster && identity.namespace === caller.namespace && identity.serviceAccount === caller.serviceAccount;

  for (const caller of callers) {
    const cluster = clusters.get(caller.cluster)!;
    const who = `${caller.cluster}: ServiceAccount ${caller.namespace}/${caller.serviceAccount} of ${caller.origin}`;
    const mine = identities.filter((identity) => same(identity, caller));
    const association = mine.find((identity) => identity.kind === 'association');
    if (caller.annotatedRole) {
      const role = parseRoleArn(caller.annotatedRole);
      const irsa = mine.find((identity) => identity.kind === 'irsa' && identity.role === role?.name);
      if (!role || role.accountId !== cluster.accountId || !irsa) {
        problems.push(`${who} is annotated with IRSA role ${caller.annotatedRole}, which ${distLayout.terraformCluster(caller.cluster)} does not create trusting ${caller.namespace}:${caller.serviceAccount}`);
      } else {
        problems.push(...permissionProblems(fleet, caller, cluster, irsa.call!, 'irsa', documents).map((problem) => `${who}: ${problem}`));
      }
      // (while a cluster switches between IRSA and Pod Identity, the association serves the pods started
      // before the values switch to IRSA, or those started after they switch to Pod Identity)
      if (association && cluster.previousIdentity !== 'podIdentity' && cluster.nextIdentity !== 'podIdentity') problems.push(`${who} has an IRSA annotation and a Pod Identity association (${association.where}): the annotation wins (web identity comes first in the SDKs' credential chain), the association is dead`);
      continue;
    }
    if (!association) {
      problems.push(`${who} calls AWS but has no identity: ${distLayout.terraformCluster(caller.cluster)} has no Pod Identity association for ${caller.namespace}/${caller.serviceAccount} (and the ServiceAccount no IRSA annotation)`);
      continue;
    }
    const call = accountRoles(cluster.accountId).get(association.role);
    if (!call) {
      problems.push(`${who}: ${association.where} names role ${association.role}, which ${distLayout.terraformAccount(cluster.accountId)} does not create`);
      continue;
    }
    const refused = [
      ['eks-cluster-name', caller.cluster],
      ['kubernetes-namespace', caller.namespace],
      ['kubernetes-service-account', caller.serviceAccount],
    ].filter(([tag, value]) => !admits(call, `aws:RequestTag/${tag}`, value));
    if (refused.length) problems.push(`${who}: role ${association.role} does not trust it (its trust policy admits no ${refused.map(([tag, value]) => `${tag} ${value}`).join(', ')})`);
    problems.push(...permissionProblems(fleet, caller, cluster, call, 'association', documents).map((problem) => `${who}: ${problem}`));
  }

  for (const identity of identities) {
    if (!callers.some((caller) => same(identity, caller))) {
      problems.push(`${identity.where}: an identity for ${identity.namespace}/${identity.serviceAccount} on ${identity.cluster}, where no ServiceAccount of that name calls AWS (as the charts render)`);
    }
  }
  // A shared role no ServiceAccount is associated with, or trusting a cluster it serves nothing on, is an identity without a user too.
  for (const accountId of new Set(allClusters(fleet).map((cluster) => cluster.accountId))) {
    for (const [name, call] of accountRoles(accountId)) {
      if (name === roleNames.vpcCni) continue;
      const users = identities.filter((identity) => identity.kind === 'association' && identity.role === name && clusters.get(identity.cluster)?.accountId === accountId);
      const trusted: string[] = (call.trust_policy_conditions ?? []).find((condition: Json) => condition.variable === podIdentityTags.clusterName)?.values ?? [];
      const path = distLayout.terraformAccount(accountId);
      if (!users.length) problems.push(`${path}: role ${name} is associated with no ServiceAccount in the account's clusters`);
      for (const cluster of trusted.filter((candidate) => !users.some((identity) => identity.cluster === candidate))) {
        problems.push(`${path}: role ${name} trusts cluster ${cluster}, where no ServiceAccount is associated with it`);
      }
    }
  }
  return problems;
}
