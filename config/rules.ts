/** The rules of fleet.yaml that span fields, and what a field's pattern cannot check; the schema checks each field's form. */
import { addonCatalog, addonKeys, addonsWithIamRole, argocdChart, clusterAutoscalerImageTags } from '../catalog/addons';
import { inClusterName, inClusterServer, platformApplicationNames, servicePlatformApplication, systemNamespaces } from '../catalog/argocd';
import { fleetRolePrefix, maxRoleNameLength, partitionOf, roleNames, servicePolicyProblem, serviceRoleNameProblem } from '../catalog/identities';
import { formatFieldPath, PathSegment } from '../output/field-path';
import { caDataProblem } from './certificates';
import { count, firstNames } from './messages';
import { currentMode, maxSharedReplicas, sharedTargetsPerApp } from './load-balancer-groups';
import { rolloutPeak, serviceRollingUpdate, testAppRollingUpdate } from '../catalog/test-app';
import { Cidr, cidrContains, cidrsOverlap, overlaps, parseCidr } from './cidr';
import { argocdCandidates, minimumDrainSeconds, minimumShutdownSeconds, resolveRollout, takesDefaultApps } from './fleet';
import { instanceTypeData, UnknownInstanceTypeError } from './instance-types';
import { eksVersionStatus, fleetToday } from './eks-versions';
import { awsRegionProblem } from './regions';
import { chartRepoUrlPattern, ClusterFile, FleetFile, FleetFileWithDefaults, gitUrlPattern } from './schema';
import { databaseIpv4Subnets, narrowestVpcPrefix, publicIpv4Subnets, widestVpcPrefix } from './vpc-layout';

/** Reports a problem at a field path. */
export type Report = (path: PathSegment[], message: string) => void;

function checkUnique(report: Report, names: readonly string[], path: (index: number) => PathSegment[], what: string): void {
  const first = new Map<string, number>();
  names.forEach((name, index) => {
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, index);
    else report(path(index), `${what} "${name}" is already used by ${formatFieldPath(path(earlier))}: names must be unique`);
  });
}

/** What owns a namespace an app must not take (its Namespace would relabel the owner's), by namespace. */
function reservedNamespaces(argocdNamespace: string): Map<string, string> {
  const owners = new Map<string, string>(systemNamespaces.map((namespace) => [namespace, 'a namespace of Kubernetes itself']));
  for (const key of addonKeys) if (!owners.has(addonCatalog[key].namespace)) owners.set(addonCatalog[key].namespace, `the namespace of ${addonCatalog[key].chart}`);
  owners.set(argocdChart.namespace, 'the namespace Argo CD installs into by default');
  owners.set(argocdNamespace, 'the namespace Argo CD runs in (argocd.namespace)');
  return owners;
}

/** Who owns `namespace`, if an app may not take it: the system, an add-on or Argo CD; every kube-* is Kubernetes'. */
function namespaceOwner(namespace: string, owners: ReadonlyMap<string, string>): string | undefined {
  return owners.get(namespace) ?? (namespace.startsWith('kube-') ? 'a namespace Kubernetes reserves (kube-*)' : undefined);
}

/** The DNS domain of each partition's service endpoints (AWS General Reference, "AWS service endpoints"; the isolated partitions' as the AWS SDKs' partitions.json has them). */
const partitionDomains: Readonly<Record<string, string>> = {
  'aws': 'amazonaws.com',
  'aws-us-gov': 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-iso': 'c2s.ic.gov',
  'aws-iso-b': 'sc2s.sgov.gov',
};

/**
 * Whether a URL is an EKS API endpoint of the region: EKS names every endpoint
 * <id>.<zone>.<region>.eks.<the partition's domain> (amazonaws.com; amazonaws.com.cn in China), or an IPv6 cluster's
 * dual-stack <id>.<zone>.<region>.api.aws. Argo CD sends the cluster's token
 * to this address, so nothing else may stand here: not Argo CD's in-cluster address, not the
 * instance metadata service.
 */
function isEksEndpoint(server: string, region: string, ipFamily: string): boolean {
  const host = /^https:\/\/([^/:]+)/.exec(server)?.[1]?.toLowerCase() ?? '';
  const at = `^[a-z0-9]+\\.[a-z0-9]+\\.${region.replace(/[.-]/g, '\\$&')}\\.`;
  // The partition's own domain follows, and nothing else: Argo CD sends the cluster's token there.
  const domain = partitionDomains[partitionOf(region)].replace(/\./g, '\\.');
  if (new RegExp(`${at}eks\\.${domain}$`).test(host)) return true;
  // An IPv6 cluster created since October 2024 has a dual-stack endpoint in api.aws (China:
  // api.amazonwebservices.com.cn): EKS user guide, "Cluster API server endpoint", "IPv6 cluster endpoint format".
  return ipFamily === 'ipv6' && new RegExp(`${at}(api\\.aws|api\\.amazonwebservices\\.com\\.cn)$`).test(host);
}

/** A cluster's subnet, parsed, with where it is: in subnets, or (the IPv4 blocks of an IPv6 cluster's dual-stack subnets) in ipv4Subnets. */
interface LocatedSubnet {
  readonly cidr: Cidr;
  readonly text: string;
  readonly clusterIndex: number;
  readonly field: 'subnets' | 'ipv4Subnets';
  readonly subnetIndex: number;
}

/**
 * Subnets that share addresses: the capacity plan would count those addresses twice. Within a
 * cluster any overlap is an error. Across clusters, an IPv6 block is the same subnet wherever it
 * is (AWS hands out globally unique /64s), an IPv4 one only within the same VPC: VPCs often reuse
 * private ranges.
 */
function checkSubnetOverlaps(file: FleetFileWithDefaults, subnets: readonly LocatedSubnet[], report: Report): void {
  subnets.forEach((second, index) => {
    // The first it overlaps is enough to say; subnets are few (three per cluster), so every pair is compared.
    // (a cluster not created yet has no VPC id: its VPC is a new one)
    const sameVpc = (a: LocatedSubnet, b: LocatedSubnet) => {
      const [first, second] = [file.clusters[a.clusterIndex].vpcId, file.clusters[b.clusterIndex].vpcId];
      return first !== undefined && first === second;
    };
    const first = subnets.slice(0, index).find((earlier) => overlaps(earlier.cidr, second.cidr)
      && (earlier.clusterIndex === second.clusterIndex || second.cidr.family === 'ipv6' || sameVpc(earlier, second)));
    if (!first) return;
    const where = formatFieldPath(['clusters', first.clusterIndex, first.field, first.subnetIndex]);
    const same = first.text === second.text ? `is also ${where}` : `overlaps ${where} (${first.text})`;
    const path: PathSegment[] = ['clusters', second.clusterIndex, second.field, second.subnetIndex];
    if (first.clusterIndex === second.clusterIndex) report(path, `"${second.text}" ${same}: a subnet's addresses are there once, so list each subnet once`);
    else report(path, `"${second.text}" ${same}, a subnet of cluster ${file.clusters[first.clusterIndex].name}: two clusters in one subnet share its addresses, which the capacity plan would count twice; give each cluster subnets of its own`);
  });
}

/** Rules that span fields: uniqueness, references, reserved names, CIDR families and overlaps, sizes, instance types, regions, certificates. */
export function checkRelations(file: FleetFileWithDefaults, report: Report): void {
  const clusterNames = file.clusters.map((cluster) => cluster.name);
  checkUnique(report, clusterNames, (index) => ['clusters', index, 'name'], 'cluster name');
  checkUnique(report, file.apps.map((app) => app.name), (index) => ['apps', index, 'name'], 'app name');

  const argocdNamespace = file.argocd.namespace;
  const owners = reservedNamespaces(argocdNamespace);
  // Apps whose name is already refused (a namespace taken over, a name used twice) are not refused again for their Applications' names.
  const refusedApps = new Set<number>();
  // The first index of each name, from one pass: a search per app would be quadratic (1.6 s at 30,000 apps).
  const firstIndex = new Map<string, number>();
  file.apps.forEach((app, appIndex) => {
    if (!firstIndex.has(app.name)) firstIndex.set(app.name, appIndex);
  });
  file.apps.forEach((app, appIndex) => {
    const owner = namespaceOwner(app.name, owners);
    if (owner) report(['apps', appIndex, 'name'], `"${app.name}" is ${owner}: an app's name is its namespace, whose Namespace object would take that one over; choose another name`);
    if (owner || firstIndex.get(app.name) !== appIndex) refusedApps.add(appIndex);
  });
  const argocdOwner = argocdNamespace === argocdChart.namespace ? undefined : namespaceOwner(argocdNamespace, reservedNamespaces(argocdChart.namespace));
  if (argocdOwner) {
    report(['argocd', 'namespace'], `"${argocdNamespace}" is ${argocdOwner}: Argo CD needs a namespace of its own, such as ${argocdChart.namespace}`);
  }

  const subnets: LocatedSubnet[] = [];
  file.clusters.forEach((cluster, clusterIndex) => {
    const at = (...rest: PathSegment[]): PathSegment[] => ['clusters', clusterIndex, ...rest];
    const regionProblem = awsRegionProblem(cluster.region);
    if (regionProblem) report(at('region'), regionProblem);
    else if (cluster.server !== undefined && !isEksEndpoint(cluster.server, cluster.region, cluster.ipFamily)) {
      report(at('server'), `is ${JSON.stringify(cluster.server)}, not the endpoint of an EKS cluster in ${cluster.region}: expected https://<id>.<zone>.${cluster.region}.eks.${partitionDomains[partitionOf(cluster.region)]}${cluster.ipFamily === 'ipv6' ? ` or, for an IPv6 cluster's dual-stack endpoint, https://<id>.<zone>.${cluster.region}.api.aws` : ''} (aws eks describe-cluster, cluster.endpoint), so that Argo CD can reach nothing else with the cluster's token`);
    }
    const caProblem = cluster.caData === undefined ? undefined : caDataProblem(cluster.caData);
    if (caProblem) report(at('caData'), caProblem);
    (cluster.subnets ?? []).forEach((subnet, subnetIndex) => {
      const parsed = parseCidr(subnet);
      if (typeof parsed === 'object' && parsed.family === cluster.ipFamily) subnets.push({ cidr: parsed, text: subnet, clusterIndex, field: 'subnets', subnetIndex });
      if (typeof parsed !== 'object') {
        report(at('subnets', subnetIndex), `"${subnet}" ${parsed}`);
      } else if (parsed.family !== cluster.ipFamily) {
        report(at('subnets', subnetIndex), `"${subnet}" is an ${parsed.family === 'ipv6' ? 'IPv6' : 'IPv4'} block, but the cluster's ipFamily is ${cluster.ipFamily}: expected ${cluster.ipFamily === 'ipv6' ? 'an IPv6 /64' : 'an IPv4 block'}`);
      } else if (parsed.family === 'ipv6' && parsed.prefixLength !== 64) {
        report(at('subnets', subnetIndex), `"${subnet}" is a /${parsed.prefixLength}: AWS gives every IPv6 subnet a /64`);
      } else if (parsed.family === 'ipv4' && (parsed.prefixLength < 16 || parsed.prefixLength > 28)) {
        report(at('subnets', subnetIndex), `"${subnet}" is a /${parsed.prefixLength}: an AWS subnet is between /16 and /28`);
      }
    });
    checkUnique(report, cluster.nodeGroups.map((group) => group.name), (index) => at('nodeGroups', index, 'name'), 'node group name');
    cluster.nodeGroups.forEach((group, groupIndex) => {
      try {
        instanceTypeData(group.instanceType);
      } catch (error) {
        if (!(error instanceof UnknownInstanceTypeError)) throw error;
        report(at('nodeGroups', groupIndex, 'instanceType'), error.message);
      }
      if (group.minSize > group.maxSize) {
        report(at('nodeGroups', groupIndex, 'minSize'), `is ${group.minSize}, above maxSize ${group.maxSize}: expected minSize <= maxSize`);
      }
    });
    const support = eksVersionStatus(cluster.kubernetesVersion, fleetToday());
    if (support.support === 'ended') {
      report(at('kubernetesVersion'), `is "${cluster.kubernetesVersion}", whose EKS extended support ended on ${support.since}: EKS upgrades such a cluster itself and creates none; upgrade it and set the version it runs (data/eks-versions.json, the EKS release calendar)`);
    } else if (support.support === 'unknown') {
      report(at('kubernetesVersion'), `is "${cluster.kubernetesVersion}", which the EKS release calendar in data/eks-versions.json does not list: expected one of ${Object.keys(clusterAutoscalerImageTags).join(', ')}; if EKS released it since, refresh the data (npm run refresh:eks-versions)`);
    } else if (cluster.addons.clusterAutoscaler && !Object.hasOwn(clusterAutoscalerImageTags, cluster.kubernetesVersion)) {
      const known = Object.keys(clusterAutoscalerImageTags);
      report(at('kubernetesVersion'), `is "${cluster.kubernetesVersion}", which no cluster-autoscaler release of this project supports (its minor version must match the cluster's): expected one of ${known.join(', ')}`);
    }
    if (cluster.register && !cluster.caData && !isPending(cluster)) {
      report(at(), 'is registered with Argo CD (register is not false) but has no caData: add the cluster\'s certificateAuthority.data from aws eks describe-cluster');
    }
  });

  file.clusters.forEach((cluster, clusterIndex) => {
    if (cluster.ipFamily !== 'ipv6') return;
    (cluster.ipv4Subnets ?? []).forEach((subnet, subnetIndex) => {
      const parsed = parseCidr(subnet);
      if (typeof parsed === 'object' && parsed.family === 'ipv4') subnets.push({ cidr: parsed, text: subnet, clusterIndex, field: 'ipv4Subnets', subnetIndex });
    });
  });
  checkSubnetOverlaps(file, subnets, report);

  const known = `expected one of ${clusterNames.join(', ')}`;
  const clusterNameSet = new Set(clusterNames);
  if (file.argocd.cluster && !clusterNames.includes(file.argocd.cluster)) {
    report(['argocd', 'cluster'], `cluster "${file.argocd.cluster}" is not in clusters: ${known}`);
  }
  const pending = new Set(file.clusters.filter(isPending).map((cluster) => cluster.name));
  const hasDefaultCluster = file.clusters.some(takesDefaultApps);
  // The test apps' Ingresses are ALBs, which only the load balancer controller makes.
  const withoutLoadBalancers = new Set(file.clusters.filter((cluster) => !cluster.addons.awsLoadBalancerController).map((cluster) => cluster.name));
  const defaultPlaced = file.apps.filter((app) => !app.clusters).map((app) => app.name);
  checkApplicationNames(file, pending, refusedApps, report);
  file.clusters.forEach((cluster, clusterIndex) => {
    if (defaultPlaced.length && takesDefaultApps(cluster) && withoutLoadBalancers.has(cluster.name) && !pending.has(cluster.name)) {
      report(['clusters', clusterIndex, 'addons', 'awsLoadBalancerController'], `is false, but ${firstNames(defaultPlaced)} run on every IPv6 cluster by default, this one too: their Ingresses would get no ALB and their namespaces could not be deleted; give those apps clusters of their own, set defaultApps: false on this cluster, or turn the add-on on`);
    }
  });
  file.apps.forEach((app, appIndex) => {
    if (!app.clusters) {
      if (!hasDefaultCluster) report(['apps', appIndex], 'has no clusters and the fleet has no IPv6 cluster that takes apps by default (defaultApps) to place it on: add clusters: [<name>]');
      return;
    }
    const names = app.clusters.map((entry) => (typeof entry === 'string' ? entry : entry.name));
    names.forEach((name, index) => {
      if (!clusterNameSet.has(name)) report(['apps', appIndex, 'clusters', index], `cluster "${name}" is not in clusters: ${known}`);
      else if (pending.has(name)) report(['apps', appIndex, 'clusters', index], `cluster "${name}" is not created yet (it has no server): run terraform apply in dist/terraform/clusters/${name} and npm run import-clusters, then place apps on it`);
      else if (withoutLoadBalancers.has(name)) report(['apps', appIndex, 'clusters', index], `cluster "${name}" runs no AWS Load Balancer Controller (addons.awsLoadBalancerController: false): the app's Ingress would get no ALB, its pods' readiness gates would never pass, and its namespace could not be deleted (the Ingress finalizer): place it elsewhere, or turn the add-on on`);
    });
    checkUnique(report, names, (index) => ['apps', appIndex, 'clusters', index], 'cluster');
    if (app.clusters.length > 1 && app.clusters.some((entry) => typeof entry === 'string')) {
      report(['apps', appIndex, 'clusters'], 'names several clusters: give each a weight ({ name: <cluster>, weight: 0-255 }) so the app\'s DNS name is a weighted record per cluster');
    }
  });
  checkEndpoints(file, report);
}

/**
 * The Applications Argo CD generates must have names of their own: an app's is
 * `<app>-<cluster>`, an add-on's `<chart>-<cluster>` (charts/cluster-apps.ts, addon-appset.ts),
 * Argo CD's own `argo-cd`. Two ApplicationSets generating one name fight over it: one of them
 * replaces the other's Application, or never creates its own. (An app named cluster-autoscaler
 * would take that add-on's Application on every cluster it runs on.)
 */
function checkApplicationNames(file: FleetFileWithDefaults, pending: ReadonlySet<string>, refusedApps: ReadonlySet<number>, report: Report): void {
  const owners = new Map<string, string>([[platformApplicationNames.argocd, 'Argo CD\'s own Application'], [platformApplicationNames.root, 'the root app']]);
  for (const cluster of file.clusters) {
    owners.set(platformApplicationNames.admission(cluster.name), `the Application of the admission policies of ${cluster.name}`);
    for (const addon of addonKeys.filter((key) => cluster.addons[key])) owners.set(`${addonCatalog[addon].chart}-${cluster.name}`, `the Application of add-on ${addonCatalog[addon].chart} on ${cluster.name}`);
  }
  const defaultClusters = file.clusters.filter((cluster) => takesDefaultApps(cluster) && !pending.has(cluster.name)).map((cluster) => cluster.name);
  const addonCharts: readonly string[] = addonKeys.map((key) => addonCatalog[key].chart);
  file.apps.forEach((app, appIndex) => {
    if (refusedApps.has(appIndex)) return;
    // A service's Application on a cluster where the add-on is off would still bear the add-on's name, which the
    // cluster's delete hooks policy leaves to the add-on's project (charts/admission.ts platformApplicationsOn).
    if (app.source && addonCharts.includes(app.name)) {
      report(['apps', appIndex, 'name'], `"${app.name}" is the name of an add-on: a service's Application <app>-<cluster> would be the add-on's on any cluster, whose delete hooks each cluster's admission policy leaves to the add-on's project; choose another name`);
      return;
    }
    const clusters = app.clusters ? app.clusters.map((entry) => (typeof entry === 'string' ? entry : entry.name)) : defaultClusters;
    // A cluster listed twice is refused as such (checkRelations): its one Application is not a second app's.
    for (const cluster of new Set(clusters)) {
      // A service has a second Application there, of its Namespace and Ingresses.
      const names = app.source ? [[`${app.name}-${cluster}`, 'the Application'], [servicePlatformApplication(app.name, cluster), 'the Namespace and Ingress Application']] : [[`${app.name}-${cluster}`, 'the Application']];
      for (const [name, what] of names) {
        const owner = owners.get(name);
        if (owner) {
          report(['apps', appIndex, 'name'], `"${app.name}" on ${cluster} makes the Application ${name}, which is already ${owner}: the two would take over each other's Application; choose another name`);
          return;
        }
        owners.set(name, `${what} of app ${app.name} on ${cluster}`);
      }
    }
  });
}

/**
 * The fields that tell a created cluster exists: npm run import-clusters writes them (with caData,
 * config/import-clusters.ts existenceFields, which is checked on its own: registered clusters need it).
 */
const existenceFields = ['server', 'vpcId', 'subnets'] as const;

/**
 * The imported fields a cluster the project creates has not got yet. An IPv4 one may list its
 * private subnets before it exists: they are the VPC's blocks then (config/vpc-layout.ts), and
 * the import writes the same ones back.
 */
function fieldsToImport(cluster: ClusterFile): Array<typeof existenceFields[number]> {
  return existenceFields.filter((field) => cluster[field] === undefined);
}

/** Whether a cluster is one the project creates that has not been imported into fleet.yaml yet. */
function isPending(cluster: ClusterFile): boolean {
  if (cluster.provisioning !== 'create') return false;
  const missing = fieldsToImport(cluster);
  return missing.length === existenceFields.length || (cluster.ipFamily === 'ipv4' && missing.length === existenceFields.length - 1 && !missing.includes('subnets'));
}

/**
 * The longest names the pinned modules take for a cluster the project creates: the eks module
 * names the cluster's IAM role with the prefix "<name>-cluster-" and each node group's with
 * "<group>-eks-node-group-" (its main.tf and modules/eks-managed-node-group/main.tf), and the
 * AWS provider allows a role name prefix of 38 characters (64 less a 26-character suffix).
 */
export const createdNameLimits = { cluster: 38 - '-cluster-'.length, nodeGroup: 38 - '-eks-node-group-'.length } as const;

/**
 * Rules of how clusters are made and reached: imported fields, the VPC the project creates,
 * identities and IAM role names. `written` is fleet.yaml as written, before defaults, to tell a
 * `vpc` the file sets from the one defaults fill in.
 */
export function checkProvisioning(file: FleetFileWithDefaults, written: FleetFile, report: Report): void {
  const argocdCluster = file.argocd.cluster ?? argocdCandidates(file.clusters)[0].name;
  file.clusters.forEach((cluster, clusterIndex) => {
    const at = (...rest: PathSegment[]): PathSegment[] => ['clusters', clusterIndex, ...rest];
    const missing = fieldsToImport(cluster);
    if (cluster.provisioning === 'existing' && missing.length) {
      report(at(), `has no ${missing.join(', ')}: a cluster that exists (provisioning: existing, the default) needs them; npm run import-clusters writes them from aws eks describe-cluster and aws ec2 describe-subnets`);
    } else if (cluster.provisioning === 'create' && missing.length && !isPending(cluster)) {
      report(at(), `has ${existenceFields.filter((field) => !missing.includes(field)).join(', ')} but no ${missing.join(', ')}: npm run import-clusters writes all of them from terraform output -json once the cluster is created; until then leave all out`);
    }
    if (cluster.name === fleetRolePrefix) {
      report(at('name'), `is "${fleetRolePrefix}", the prefix of the IAM roles the fleet shares (such as ${roleNames.argocdHub}): choose another name`);
    }
    if (cluster.previousIdentity === cluster.identity) {
      report(at('previousIdentity'), `is ${cluster.identity}, the identity the cluster has: previousIdentity names the one its add-ons are switching from; remove it once they have restarted`);
    }
    if (cluster.nextIdentity === cluster.identity) {
      report(at('nextIdentity'), `is ${cluster.identity}, the identity the cluster has: nextIdentity names the one its add-ons are switching to; remove it`);
    } else if (cluster.nextIdentity !== undefined && cluster.previousIdentity !== undefined) {
      report(at('nextIdentity'), `and previousIdentity are both set: a switch is one step at a time (README, "Switching a cluster's identity"): first identity: ${cluster.identity} with nextIdentity: ${cluster.nextIdentity}, applied; then identity: ${cluster.nextIdentity} with previousIdentity: ${cluster.identity}; then neither`);
    }
    if (cluster.identity === 'irsa' || cluster.previousIdentity === 'irsa' || cluster.nextIdentity === 'irsa') {
      for (const addon of addonsWithIamRole.filter((key) => cluster.addons[key])) {
        const role = roleNames.irsaAddon(addon, cluster.name);
        if (role.length > maxRoleNameLength) {
          report(at('name'), `makes the IRSA role name ${role} ${role.length} characters long, above IAM's ${maxRoleNameLength}: shorten the name to ${maxRoleNameLength - (role.length - cluster.name.length)} characters or use identity: podIdentity`);
          break;
        }
      }
      if (cluster.name === argocdCluster) {
        report(at('identity'), 'is irsa on the cluster Argo CD runs on, whose own pods get their AWS identity from EKS Pod Identity: expected podIdentity here');
      }
    }
    if (cluster.provisioning === 'existing') {
      if (written.clusters[clusterIndex]?.vpc !== undefined) {
        report(at('vpc'), 'is set on a cluster that exists (provisioning: existing): the project creates no VPC for it; remove vpc or set provisioning: create');
      }
      if (cluster.endpointPublicAccessCidrs) {
        report(at('endpointPublicAccessCidrs'), 'is set on a cluster that exists (provisioning: existing), whose endpoint the project does not manage: remove it (aws eks update-cluster-config --resources-vpc-config publicAccessCidrs=... changes the cluster\'s own)');
      }
      const access = cluster.endpointAccess;
      if (access.publicCidrs && access.public !== true) {
        report(at('endpointAccess', 'publicCidrs'), `is set, but endpointAccess.public is ${access.public ?? 'absent'}: CIDRs admit callers to a public endpoint only; write what aws eks describe-cluster says (npm run import-clusters does)`);
      }
      (access.publicCidrs ?? []).forEach((block, blockIndex) => {
        const parsed = parseCidr(block);
        if (typeof parsed !== 'object') report(at('endpointAccess', 'publicCidrs', blockIndex), `"${block}" ${parsed}`);
      });
      if (written.clusters[clusterIndex]?.administrators !== undefined) {
        report(at('administrators'), 'is set on a cluster that exists (provisioning: existing), whose access entries the project does not manage: remove it');
      }
      return;
    }
    if (!cluster.administrators && !file.administrators) {
      report(at(), 'is created by the project but names no administrators: with the creator\'s implicit access off, nobody could run kubectl on it or administer its KMS key. Add administrators: [<IAM role ARN>] here, or fleet-wide at the top of fleet.yaml (a CI role, an operators\' SSO role)');
    }
    if (written.clusters[clusterIndex]?.endpointAccess !== undefined) {
      report(at('endpointAccess'), 'is set on a cluster the project creates: endpointAccess records what import-clusters read from a cluster that exists; a created cluster\'s endpoint is private unless endpointPublicAccessCidrs lists who may reach it. Remove endpointAccess');
    }
    (cluster.endpointPublicAccessCidrs ?? []).forEach((block, blockIndex) => {
      const parsed = parseCidr(block);
      if (typeof parsed !== 'object') report(at('endpointPublicAccessCidrs', blockIndex), `"${block}" ${parsed}`);
      // EKS admits IPv6 blocks only where the public endpoint is dual-stack: on IPv6 clusters created after October 2024
      // (EKS API reference, VpcConfigRequest.publicAccessCidrs), as every IPv6 cluster the project creates is.
      else if (parsed.family === 'ipv6' && cluster.ipFamily === 'ipv4') report(at('endpointPublicAccessCidrs', blockIndex), `"${block}" is an IPv6 block, but the endpoint of an IPv4 cluster is IPv4 only, and EKS refuses IPv6 blocks for it: list IPv4 blocks (Argo CD's NAT gateways' addresses)`);
      else if (parsed.prefixLength === 0) report(at('endpointPublicAccessCidrs', blockIndex), `"${block}" is the whole internet: list the networks that need the API server (Argo CD's egress addresses, the administrators'), or leave the endpoint private`);
    });
    checkCreatedVpc(cluster, at, report);
    if (cluster.name.length > createdNameLimits.cluster) {
      report(at('name'), `is ${cluster.name.length} characters long: the eks module names the cluster's IAM role with the prefix "${cluster.name}-cluster-", over the 38 characters IAM allows a name prefix; expected at most ${createdNameLimits.cluster} for a cluster the project creates`);
    }
    cluster.nodeGroups.forEach((group, groupIndex) => {
      if (group.name.length > createdNameLimits.nodeGroup) {
        report(at('nodeGroups', groupIndex, 'name'), `is ${group.name.length} characters long: the eks module names the node group's IAM role with the prefix "${group.name}-eks-node-group-", over the 38 characters IAM allows a name prefix; expected at most ${createdNameLimits.nodeGroup}`);
      }
    });
  });
}

/** The VPC of a cluster the project creates: its IPv4 block, and the private blocks fleet.yaml gives it. */
function checkCreatedVpc(cluster: ClusterFile, at: (...rest: PathSegment[]) => PathSegment[], report: Report): void {
  const vpcCidr = parseCidr(cluster.vpc.cidr);
  if (typeof vpcCidr !== 'object') {
    report(at('vpc', 'cidr'), `"${cluster.vpc.cidr}" ${vpcCidr}`);
    return;
  }
  if (vpcCidr.family !== 'ipv4' || vpcCidr.prefixLength < widestVpcPrefix || vpcCidr.prefixLength > narrowestVpcPrefix) {
    report(at('vpc', 'cidr'), `is "${cluster.vpc.cidr}": expected an IPv4 block from /${widestVpcPrefix} (AWS's widest VPC) to /${narrowestVpcPrefix} (public subnets of at least /27, as ALBs need)`);
    return;
  }
  const field = cluster.ipFamily === 'ipv6' ? 'ipv4Subnets' : 'subnets';
  const given = cluster.ipFamily === 'ipv6' ? cluster.ipv4Subnets : cluster.subnets;
  if (!given) return;
  const zones = cluster.vpc.availabilityZones;
  if (given.length !== zones) {
    report(at(field), `lists ${given.length} blocks: a VPC the project creates has one private subnet in each of its ${zones} availability zones (vpc.availabilityZones), expected ${zones}`);
  }
  const reserved = [...publicIpv4Subnets(cluster.vpc.cidr, zones), ...databaseIpv4Subnets(cluster.vpc.cidr, zones)];
  given.forEach((subnet, subnetIndex) => {
    const parsed = parseCidr(subnet);
    if (typeof parsed !== 'object' || parsed.family !== 'ipv4') return;
    if (!cidrContains(cluster.vpc.cidr, subnet)) {
      report(at(field, subnetIndex), `"${subnet}" is not inside the VPC's block ${cluster.vpc.cidr} (vpc.cidr)`);
      return;
    }
    const clash = reserved.find((other) => cidrsOverlap(other, subnet));
    if (clash) report(at(field, subnetIndex), `"${subnet}" overlaps ${clash}, which the VPC's public or database subnets take (the first /${vpcCidr.prefixLength + 4} of ${cluster.vpc.cidr}): choose blocks after it`);
    // (the blocks are compared with each other, and with other clusters', by checkSubnetOverlaps)
  });
}

/** The narrowest subnet Elastic Load Balancing takes for an ALB ("Subnets for your load balancer": at least a /27). */
const narrowestLoadBalancerSubnet = 27;

/** The public subnets of a cluster that exists: IPv4 blocks an ALB can use, none of them one of the cluster's private blocks or listed twice. */
function checkPublicSubnets(cluster: ClusterFile, at: (...rest: PathSegment[]) => PathSegment[], report: Report): void {
  const given = cluster.publicSubnets;
  if (!given) return;
  if (cluster.provisioning === 'create') {
    report(at('publicSubnets'), 'is set on a cluster the project creates, whose public subnets are its VPC\'s (the first sixteenth of vpc.cidr, see docs/aws.md): remove publicSubnets');
    return;
  }
  const privateField = cluster.ipFamily === 'ipv6' ? 'ipv4Subnets' : 'subnets';
  const privateBlocks = (cluster.ipFamily === 'ipv6' ? cluster.ipv4Subnets : cluster.subnets) ?? [];
  const isIpv4Block = (text: string) => {
    const parsed = parseCidr(text);
    return typeof parsed === 'object' && parsed.family === 'ipv4';
  };
  given.forEach((subnet, subnetIndex) => {
    const parsed = parseCidr(subnet);
    if (typeof parsed !== 'object') report(at('publicSubnets', subnetIndex), `"${subnet}" ${parsed}`);
    else if (parsed.family !== 'ipv4') report(at('publicSubnets', subnetIndex), `"${subnet}" is an IPv6 block: expected the IPv4 block of a public subnet, such as 10.230.0.0/24 (an ALB takes IPv4 addresses there in either family)`);
    else if (parsed.prefixLength < 16 || parsed.prefixLength > narrowestLoadBalancerSubnet) {
      report(at('publicSubnets', subnetIndex), `"${subnet}" is a /${parsed.prefixLength}: an ALB's subnet is between /16 and /${narrowestLoadBalancerSubnet}`);
    } else {
      const privateIndex = privateBlocks.findIndex((block) => isIpv4Block(block) && cidrsOverlap(block, subnet));
      const earlier = given.slice(0, subnetIndex).find((block) => isIpv4Block(block) && cidrsOverlap(block, subnet));
      if (privateIndex >= 0) {
        report(at('publicSubnets', subnetIndex), `"${subnet}" overlaps ${formatFieldPath(at(privateField, privateIndex))} (${privateBlocks[privateIndex]}), a private subnet of the nodes: expected the public subnets tagged kubernetes.io/role/elb, where the ALBs go`);
      } else if (earlier) {
        report(at('publicSubnets', subnetIndex), `"${subnet}" overlaps "${earlier}": expected blocks that do not overlap, one per zone`);
      }
    }
  });
}

/** The rules of the capacity-related fields: dual-stack and public subnets, load balancer quotas, rollouts. */
export function checkCapacitySettings(file: FleetFileWithDefaults, report: Report): void {
  file.clusters.forEach((cluster, clusterIndex) => {
    const at = (...rest: PathSegment[]): PathSegment[] => ['clusters', clusterIndex, ...rest];
    if (cluster.ipv4Subnets && cluster.ipFamily === 'ipv4') {
      report(at('ipv4Subnets'), 'is set on an IPv4 cluster, whose subnets already are its IPv4 blocks: list them in subnets only');
    }
    (cluster.ipv4Subnets ?? []).forEach((subnet, subnetIndex) => {
      const parsed = parseCidr(subnet);
      if (typeof parsed !== 'object') report(at('ipv4Subnets', subnetIndex), `"${subnet}" ${parsed}`);
      else if (parsed.family !== 'ipv4') report(at('ipv4Subnets', subnetIndex), `"${subnet}" is an IPv6 block: expected the IPv4 block of a dual-stack subnet, such as 10.230.32.0/22`);
      else if (parsed.prefixLength < 16 || parsed.prefixLength > 28) report(at('ipv4Subnets', subnetIndex), `"${subnet}" is a /${parsed.prefixLength}: an AWS subnet is between /16 and /28`);
    });
    checkPublicSubnets(cluster, at, report);
  });
  // Quotas belong to an account and a region: clusters that share both must declare the same.
  const declared = new Map<string, { index: number; quotas: string }>();
  file.clusters.forEach((cluster, clusterIndex) => {
    const key = `${cluster.accountId}/${cluster.region}`;
    const quotas = JSON.stringify(cluster.loadBalancerQuotas);
    const first = declared.get(key);
    if (!first) declared.set(key, { index: clusterIndex, quotas });
    else if (first.quotas !== quotas) {
      report(['clusters', clusterIndex, 'loadBalancerQuotas'], `differ from those of ${formatFieldPath(['clusters', first.index])} (${file.clusters[first.index].name}), in the same account ${cluster.accountId} and region ${cluster.region}: quotas belong to an account and region, declare the same values`);
    }
  });
  file.apps.forEach((app, appIndex) => {
    if (app.nextLoadBalancer && app.previousLoadBalancer) {
      report(['apps', appIndex, 'previousLoadBalancer'], `is set beside nextLoadBalancer: a move to another ALB is one step at a time: nextLoadBalancer: ${app.nextLoadBalancer} (step 1, the new ALB warms up), then loadBalancer: ${app.nextLoadBalancer} with previousLoadBalancer: ${app.loadBalancer} (step 2, DNS moves), then neither (step 3); keep the one of the step you are at (README, "Moving an app to another ALB")`);
    }
    checkLoadBalancerWalk(app, appIndex, report);
    // A service's pods are its chart's: checkServices refuses a rollout on it.
    if (app.source) return;
    const { drainSeconds, terminationGracePeriodSeconds } = resolveRollout(app.rollout);
    if (terminationGracePeriodSeconds < drainSeconds + minimumShutdownSeconds) {
      report(['apps', appIndex, 'rollout', 'terminationGracePeriodSeconds'], `is ${terminationGracePeriodSeconds}, but a going pod keeps serving for ${drainSeconds} s (the deregistration delay, at least ${minimumDrainSeconds} s) and nginx needs ${minimumShutdownSeconds} s more to finish its requests: pods would be killed while they still serve. Expected at least ${drainSeconds + minimumShutdownSeconds}`);
    }
  });
}

const walkGuide = 'README, "Moving an app to another ALB"';

/**
 * A walk to another ALB (nextLoadBalancer, step 1; previousLoadBalancer, step 2) must name an ALB the app is not on, and
 * never a shared one for an app whose targets at a rollout's peak do not fit it: its walk Ingress would bring all its
 * targets onto the shared ALB beside the cluster's other apps (config/load-balancer-groups.ts appIngresses).
 */
function checkLoadBalancerWalk(app: FleetFileWithDefaults['apps'][number], appIndex: number, report: Report): void {
  const key = app.nextLoadBalancer ? 'nextLoadBalancer' : 'previousLoadBalancer';
  const mode = app[key];
  if (!mode) return;
  // A service rolls out with Kubernetes' default 25%/25%, the test page with its 5%/5% (catalog/test-app.ts).
  const rollingUpdate = app.source ? serviceRollingUpdate : testAppRollingUpdate;
  const peak = rolloutPeak(app.replicas, rollingUpdate).pods;
  const targets = `its ${count(peak)} targets at a rollout's peak (replicas: ${app.replicas}) are over the ${sharedTargetsPerApp} an app may have on a shared ALB`;
  const under = `at most ${count(maxSharedReplicas(rollingUpdate))} replicas`;
  const walkTo = (to: string, from: string) => `nextLoadBalancer: ${to}; then loadBalancer: ${to} with previousLoadBalancer: ${from}; then remove previousLoadBalancer`;
  const current = currentMode({ ...app, rollingUpdate });
  if (mode === current && app.loadBalancer !== current) {
    // Only the targets put an app on an ALB of its own that fleet.yaml does not ask for.
    report(['apps', appIndex, key], `is own, the ALB ${app.name} is already on: ${targets}, which puts it on an ALB of its own whatever loadBalancer says, so there is nothing to walk and nothing would warm up. `
      + (key === 'nextLoadBalancer'
        ? `Fix: scale in this order: keep replicas as they are in the dist/ you deploy (${under}, so it still shares), walk it to its own ALB first (${walkTo('own', 'shared')}), each step merged and synced, and raise replicas after (${walkGuide})`
        : `Fix: remove previousLoadBalancer and set loadBalancer: own; an app this large stays on an ALB of its own`));
  } else if (mode === current) {
    const scaleDown = mode === 'shared' && key === 'nextLoadBalancer'
      ? `; if it is on an ALB of its own only because of its targets and you are scaling it down, do it in this order: set loadBalancer: own and lower replicas (${under}) in one change, then walk to shared (${walkTo('shared', 'own')})`
      : '';
    report(['apps', appIndex, key], `is ${mode}, the ALB ${app.name} is already on (loadBalancer: ${app.loadBalancer}${mode === 'shared' ? `, and ${app.replicas} replicas fit a shared ALB` : ''}): a walk names the ALB the app goes to (nextLoadBalancer) or leaves (previousLoadBalancer), which must be another. `
      + `Fix: remove ${key}, or name the other kind of ALB${scaleDown} (${walkGuide})`);
  } else if (mode === 'shared' && peak > sharedTargetsPerApp) {
    report(['apps', appIndex, key], `is shared, but ${targets}: its Ingress ${app.name}-${key === 'nextLoadBalancer' ? 'next' : 'previous'} would put all of them on a shared ALB beside the cluster's other apps, past AWS's default 1,000 targets per ALB `
      + `(TooManyTargets: the ALB then registers no new pod of any app on it, and their rollouts stall). Fix: keep it on its own ALB (remove ${key}); to share an ALB again, first lower replicas to ${under} with loadBalancer: own, then walk to shared (${walkGuide})`);
  }
}

/**
 * The endpoint two cluster entries would share, compared as Argo CD's cluster cache keys them
 * less the case of the host, a default port or a trailing slash: `https://<host>[:port][/path]`.
 * Undefined for a server that is no URL (refused on its own).
 */
function endpointKey(server: string): string | undefined {
  try {
    const url = new URL(server);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return undefined;
  }
}

/**
 * One EKS endpoint is one cluster: two entries with the same `server` (a copied block whose
 * server was not replaced) make two cluster Secrets for one endpoint, and Argo CD looks a cluster
 * up by its server, taking the first Secret that matches (argo-cd util/db/cluster.go,
 * getClusterSecret). Refused at both entries, each naming the other.
 */
export function checkEndpoints(file: FleetFileWithDefaults, report: Report): void {
  const byEndpoint = new Map<string, number[]>();
  file.clusters.forEach((cluster, clusterIndex) => {
    const key = cluster.server === undefined ? undefined : endpointKey(cluster.server);
    if (key !== undefined) byEndpoint.set(key, [...byEndpoint.get(key) ?? [], clusterIndex]);
  });
  for (const indexes of byEndpoint.values()) {
    if (indexes.length < 2) continue;
    for (const clusterIndex of indexes) {
      const others = indexes.filter((other) => other !== clusterIndex)
        .map((other) => `${formatFieldPath(['clusters', other, 'server'])} (cluster ${file.clusters[other].name})`);
      report(['clusters', clusterIndex, 'server'], `is the endpoint of ${firstNames(others)} too: every EKS cluster has an endpoint of its own, and Argo CD finds a cluster by its endpoint, so the apps and add-ons of both entries would go to one cluster, with the identity of one of their two cluster Secrets; `
        + `set each cluster's own (aws eks describe-cluster --name ${file.clusters[clusterIndex].name}, cluster.endpoint, or npm run import-clusters)`);
    }
  }
}

/**
 * What must not follow from the order of clusters: where Argo CD runs and which account holds the
 * hosted zone. Each has a default only while the fleet offers one candidate (one cluster Argo CD
 * may run on, one account); with more, fleet.yaml names it, so that a cluster added above another
 * (alphabetical order is how a long list is kept) never moves Argo CD's helm_release, its role
 * and every cluster's trust in it, nor the zone role. Also: defaultApps concerns IPv6 clusters only.
 */
export function checkFleetChoices(file: FleetFileWithDefaults, written: FleetFile, report: Report): void {
  const candidates = argocdCandidates(file.clusters).map((cluster) => cluster.name);
  if (file.argocd.cluster === undefined && candidates.length > 1) {
    const kind = file.clusters.some((cluster) => cluster.ipFamily === 'ipv6') ? 'IPv6 clusters' : 'clusters';
    // Located at the clusters that offer the choice: the key to add may not be in the file at all.
    report(['clusters'], `has ${candidates.length} ${kind} Argo CD could run on (${firstNames(candidates)}), and argocd.cluster does not name one: which one must not follow from their order here, or a cluster added above would move Argo CD. Add argocd: { cluster: <name> } naming the cluster it runs on`);
  }
  const accounts = [...new Set(file.clusters.map((cluster) => cluster.accountId))];
  if (file.domainAccountId === undefined && accounts.length > 1) {
    report(['domain'], `is in a Route 53 hosted zone of one AWS account, and the clusters are in ${accounts.length} (${firstNames(accounts)}) while domainAccountId does not name it: the zone's account must not follow from where Argo CD runs. Add domainAccountId: "<account>" beside domain`);
  }
  file.clusters.forEach((cluster, clusterIndex) => {
    if (cluster.ipFamily === 'ipv4' && written.clusters[clusterIndex]?.defaultApps === true) {
      report(['clusters', clusterIndex, 'defaultApps'], 'is true on an IPv4 cluster: apps without clusters run on IPv6 clusters only; list this cluster in their clusters instead, and remove defaultApps');
    }
  });
}

/**
 * Argo CD's own name for the cluster it runs on: a fleet cluster of that name would make two
 * clusters of one name in Argo CD, and a destination by name could reach either.
 */
export function checkReservedClusterNames(file: FleetFileWithDefaults, report: Report): void {
  file.clusters.forEach((cluster, clusterIndex) => {
    if (cluster.name === inClusterName) {
      report(['clusters', clusterIndex, 'name'], `is "${inClusterName}", the name Argo CD gives the cluster it runs on (${inClusterServer}): Argo CD would hold two clusters of that name, and a destination by name could reach either; choose another name`);
    }
  });
}

/** The fields of the NGINX test page: required on an app without source, refused on a service. */
const testPageFields = ['backgroundColor', 'containerPort', 'rollout'] as const;

/**
 * Why a service's source may not create a cluster-scoped kind, even under its own name (the project
 * admits a declared kind only as <app> or <app>-*): each reaches past the service's namespace.
 * Only ClusterRole may be declared; kinds not listed here get the general reason.
 */
const reachingClusterKinds: ReadonlyMap<string, string> = new Map([
  ['rbac.authorization.k8s.io/ClusterRoleBinding', 'a ClusterRoleBinding binds any ClusterRole, cluster-admin too, to any subject'],
  ['admissionregistration.k8s.io/MutatingWebhookConfiguration', 'a mutating webhook rewrites other apps\' objects as they are admitted'],
  ['admissionregistration.k8s.io/ValidatingWebhookConfiguration', 'a validating webhook sees, and can refuse, other apps\' objects'],
  ['admissionregistration.k8s.io/MutatingAdmissionPolicy', 'an admission policy rewrites other apps\' objects'],
  ['admissionregistration.k8s.io/MutatingAdmissionPolicyBinding', 'an admission policy binding applies a policy to other apps\' objects'],
  ['admissionregistration.k8s.io/ValidatingAdmissionPolicy', 'an admission policy judges other apps\' objects'],
  ['admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding', 'an admission policy binding applies a policy to other apps\' objects'],
  ['apiextensions.k8s.io/CustomResourceDefinition', 'a CRD changes an API every app of the cluster shares'],
  ['apiregistration.k8s.io/APIService', 'an APIService takes over an API group of the cluster'],
  ['networking.k8s.io/IngressClass', 'an IngressClass decides how the cluster\'s Ingresses reach a load balancer'],
  ['elbv2.k8s.aws/IngressClassParams', 'IngressClassParams set the group, scheme and subnets of the cluster\'s ALBs'],
  ['gateway.networking.k8s.io/GatewayClass', 'a GatewayClass puts Gateways on load balancers'],
  ['cert-manager.io/ClusterIssuer', 'a ClusterIssuer\'s ACME solver creates Ingresses with the hosts and annotations it names'],
  ['/Node', 'Nodes are the cluster\'s'],
  ['/PersistentVolume', 'a PersistentVolume can mount another app\'s storage'],
]);

/**
 * Names of ClusterRoles that are not a service's: Kubernetes' user-facing roles, EKS's, the add-ons' and Argo CD's (their
 * charts name theirs after the chart or the release), matched as <app> or <app>-<rest> by a service project's glob.
 */
const reservedClusterRoleNames = ['admin', 'edit', 'view', 'cluster-admin', 'aws-node', 'eks', 'system', 'vpc-resource-controller-role', 'cert-manager', 'aws-load-balancer-controller', 'external-dns', 'cluster-autoscaler', 'argocd', 'argo-cd'];

/** The fields of a service: refused on an app without source (the test page). */
const serviceFields = ['values', 'clusterValues', 'expose', 'resources', 'podSecurity', 'clusterResources', 'rbac', 'aws'] as const;

/** An exact SemVer 2 version, as Helm requires of a chart's version, with the "v" some charts carry (cert-manager's v1.21.1). */
const exactVersion = /^v?(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** A full commit SHA (SHA-1, or SHA-256 in a repository of that format). */
const fullCommitSha = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** A semver tag: v1.2.3, 1.2.3, with a pre-release or build part. */
const semverTag = exactVersion;

/** What a URL carries that may be a credential: user information before "@" in its authority, or a query. */
function credentialsIn(url: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(url)) return 'user information (user:token@) before its host';
  if (url.includes('?')) return 'a query (?...)';
  return undefined;
}

/** What is wrong with a chart's repoURL, if anything. */
function chartRepoProblem(url: string): string | undefined {
  const credentials = credentialsIn(url);
  if (credentials) return `has ${credentials}, which may be a credential: dist/ is public to whoever reads the repository. Write the URL without it, and give Argo CD the credentials in a repository Secret (docs/argocd.md)`;
  if (!/^(?:https|oci):\/\//.test(url)) return 'is not an https:// Helm repository or an oci:// registry path: expected such as https://stefanprodan.github.io/podinfo or oci://ghcr.io/stefanprodan/charts (plain http:// is refused: anyone on the way could change the chart)';
  if (!chartRepoUrlPattern.test(url)) return 'is not a URL of a Helm repository (https://host[/path]) or of an OCI registry path (oci://host/path): a DNS name with an optional port, then path parts of letters, digits, ".", "_", "~" and "-"';
  return undefined;
}

/** What is wrong with a git source's repoURL, if anything. */
function gitRepoProblem(url: string): string | undefined {
  const credentials = /^(?:https|http):\/\/[^/?#]*@/i.test(url) || /^ssh:\/\/[^/@?#]*:[^/@?#]*@/i.test(url) ? 'user information (user:token@) before its host'
    : url.includes('?') ? 'a query (?...)' : undefined;
  if (credentials) return `has ${credentials}, which may be a credential: dist/ is public to whoever reads the repository. Write the URL without it, and give Argo CD the credentials in a repository Secret (docs/argocd.md)`;
  if (!gitUrlPattern.test(url)) return 'is not a Git URL Argo CD clones: expected https://host/path, ssh://git@host/path or git@host:path, such as https://github.com/example-org/payments.git';
  return undefined;
}

/** Why a chart version is not exact, if it is not. */
function versionProblem(version: string): string | undefined {
  if (exactVersion.test(version)) return undefined;
  const range = /[\^~*<>=|]|(?:^|\.)[xX](?:\.|$)|\s-\s/.test(version) || /^v?\d+(?:\.\d+)?$/.test(version);
  return range
    ? 'is a version range: Argo CD would install whichever version matches it when it syncs, a different chart on each cluster over time. Pin an exact version such as 6.14.1 (helm search repo <chart> --versions lists them)'
    : 'is not a chart version: expected an exact SemVer version such as 6.14.1';
}

/** Why a git revision is not pinned, if it is not. */
function revisionProblem(revision: string): string | undefined {
  if (fullCommitSha.test(revision) || semverTag.test(revision)) return undefined;
  if (/^[0-9a-f]{7,39}$/i.test(revision)) return 'is a short or upper-case commit SHA: write the full 40-digit SHA in lower case (git rev-parse <sha>), which names one commit for good';
  return 'is not pinned: a branch (or any other ref) moves, so what runs would change without a change to fleet.yaml. Pin a full commit SHA (git rev-parse HEAD) or a semver tag such as v1.2.3';
}

/**
 * Rules of services (apps with source): the test page's fields or the service's, never both; one
 * source, pinned, from a URL without credentials; per-cluster values for clusters the app is
 * placed on; cluster-scoped kinds declared once, never the Namespace the generator renders; and
 * AWS access that works on the clusters it is placed on. `written` is fleet.yaml as written,
 * to tell a rollout the file sets from the one defaults fill in.
 */
/** Helm value names that hold a secret: such a value would be written as it is to dist/ (apps/<app>/values/), which is in git. */
const secretValueName = /password|passwd|secret|token|apikey|api_key|privatekey|private_key|accesskey|access_key|sessionkey|signingkey|encryptionkey|credentials|connectionstring|dsn$/i;
/**
 * Value names that point at a Secret or at a setting rather than hold a secret: the name of an
 * existing Secret (existingSecret, secretName, tokenSecretRef, tlsSecret, imagePullSecrets), of a key
 * in it (existingSecretPasswordKey, userPasswordKey), of a file (passwordFile, tokenPath), or a
 * setting about one (tokenUrl, passwordPolicy, secretStore, secretsManagerArn). apiKey, privateKey,
 * accessKey and secretKey hold the key itself.
 */
const secretReferenceName = /^existing|(name|ref|file|path|url|policy|store|arn|enabled)$|(password|passwd|token|credentials)key$|^(tls|imagepull)secrets?$/i;

/** Names whose number is the secret itself (a numeric password or PIN). */
const secretNumberName = /(password|passwd|secret|token|key|pin)$/i;

/** Whether a string carries a password in a URL's user information (postgres://user:password@host/db). */
const urlWithPassword = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

/**
 * Each value of `values` that is a secret, by its path below `at`: a non-empty string or a number
 * under a name that holds a secret (or a list of them), the value of an environment variable so
 * named ({ name: DB_PASSWORD, value: ... }), and any string with a password in a URL.
 */
function secretValues(values: unknown, at: PathSegment[]): PathSegment[][] {
  if (Array.isArray(values)) return values.flatMap((item, index) => secretValues(item, [...at, index]));
  if (typeof values !== 'object' || values === null) return typeof values === 'string' && urlWithPassword.test(values) ? [at] : [];
  const entry = values as Record<string, unknown>;
  const envSecret = typeof entry.name === 'string' && secretValueName.test(entry.name) && !secretReferenceName.test(entry.name)
    && (typeof entry.value === 'string' ? entry.value !== '' : typeof entry.value === 'number');
  return Object.entries(entry).flatMap(([key, value]): PathSegment[][] => {
    if (key === 'value' && envSecret) return [[...at, key]];
    const named = secretValueName.test(key) && !secretReferenceName.test(key);
    // A number is a secret only under a name that ends as one (password: 12345678), not a setting's (tokenTTL: 300).
    const held = (leaf: unknown) => (typeof leaf === 'string' ? leaf !== '' : typeof leaf === 'number' && secretNumberName.test(key));
    if (named && held(value)) return [[...at, key]];
    if (named && Array.isArray(value) && value.some(held)) return [[...at, key]];
    return secretValues(value, [...at, key]);
  });
}

export function checkServices(file: FleetFileWithDefaults, written: FleetFile, report: Report): void {
  const pending = new Set(file.clusters.filter(isPending).map((cluster) => cluster.name));
  const defaultClusters = file.clusters.filter((cluster) => takesDefaultApps(cluster) && !pending.has(cluster.name)).map((cluster) => cluster.name);
  const clustersByName = new Map(file.clusters.map((cluster) => [cluster.name, cluster]));
  // Every app's hostname is <host>.<domain>: its name, or a service's expose.host. Two apps on one host would publish one
  // weighted DNS name between them and put two rules for one host on a shared ALB.
  const hostOf = (app: FleetFileWithDefaults['apps'][number]) => (app.source ? app.expose?.host : undefined) ?? app.name;
  const hostOwners = new Map<string, number>();
  file.apps.forEach((app, appIndex) => {
    const host = hostOf(app);
    const owner = hostOwners.get(host);
    if (owner === undefined) hostOwners.set(host, appIndex);
    // Equal names are refused as names; a host differs from the name only by a service's expose.host.
    else if (host !== app.name || hostOf(file.apps[owner]) !== file.apps[owner].name) {
      const where: PathSegment[] = host !== app.name ? ['apps', appIndex, 'expose', 'host'] : ['apps', owner, 'expose', 'host'];
      const other = host !== app.name ? owner : appIndex;
      report(where, `is "${host}", the host of apps[${other}] (${file.apps[other].name}) too: two apps on one host would share its DNS name and its rule on the ALB. Choose another host`);
    }
  });
  file.apps.forEach((app, appIndex) => {
    const at = (...rest: PathSegment[]): PathSegment[] => ['apps', appIndex, ...rest];
    const given = written.apps[appIndex] as Record<string, unknown> | undefined;
    if (!app.source) {
      for (const field of serviceFields) {
        if (given?.[field] !== undefined) report(at(field), `is set on an app without source, the NGINX test page: ${field} belongs to a service. Add source (a chart or a git path) to make the app a service, or remove ${field}`);
      }
      if (app.backgroundColor === undefined) report(at('backgroundColor'), 'is missing: the NGINX test page (an app without source) needs its background colour, such as yellow; or add source to make the app a service of your own');
      if (app.containerPort === undefined) report(at('containerPort'), 'is missing: the NGINX test page (an app without source) needs the port nginx listens on, such as 80; or add source to make the app a service of your own');
      return;
    }
    for (const field of testPageFields) {
      if (given?.[field] !== undefined) report(at(field), `is a field of the NGINX test page, but the app has source: a service is what its chart or git path renders. Remove ${field}`);
    }
    const { chart, git } = app.source;
    if (chart && git) report(at('source'), 'has both chart and git: a service comes from one source; keep one');
    else if (!chart && !git) report(at('source'), 'has neither chart nor git: expected source: { chart: { repoURL, name, version } } or source: { git: { repoURL, revision, path } }');
    if (!app.expose) report(at('expose'), 'is missing: a service names the Service its source renders and its port (expose: { service: <name>, port: <port> }), which the generator\'s Ingress routes https://<host>.<domain> to (host: the app\'s name unless expose.host says)');
    if (chart) {
      const repoProblem = chartRepoProblem(chart.repoURL);
      if (repoProblem) report(at('source', 'chart', 'repoURL'), repoProblem);
      const problem = versionProblem(chart.version);
      if (problem) report(at('source', 'chart', 'version'), problem);
    }
    if (git && !chart) {
      const repoProblem = gitRepoProblem(git.repoURL);
      if (repoProblem) report(at('source', 'git', 'repoURL'), repoProblem);
      const problem = revisionProblem(git.revision);
      if (problem) report(at('source', 'git', 'revision'), problem);
      for (const field of ['values', 'clusterValues'] as const) {
        if (app[field] !== undefined) report(at(field), `is set on a git service: Helm values are for a chart; Argo CD renders the git path (${git.path}) as it is. Remove ${field}, or change the manifests in that path`);
      }
      if (app.aws?.irsaAnnotationsValue !== undefined) report(at('aws', 'irsaAnnotationsValue'), 'is set on a git service: it names a Helm values path, which a git path has none of; remove it');
    }
    for (const path of [...secretValues(app.values, at('values')), ...secretValues(app.clusterValues, at('clusterValues'))]) {
      report(path, `holds a secret (its name says so): values are written as they are to dist/apps/${app.name}/values/, which is in git. Fix: leave it out and reference an existing Secret (most charts take existingSecret, or a secretName), or have External Secrets create it from your secret store`);
    }
    const placed = app.clusters ? app.clusters.map((entry) => (typeof entry === 'string' ? entry : entry.name)) : defaultClusters;
    const placedSet = new Set(placed);
    for (const [cluster, values] of Object.entries(app.clusterValues ?? {})) {
      if (!placedSet.has(cluster)) {
        report(at('clusterValues', cluster), `names cluster "${cluster}", which the app is not placed on (${placed.length ? firstNames(placed) : 'none'}): per-cluster values are for the clusters in the app's clusters; remove them or place the app there`);
      } else if (typeof values !== 'object' || values === null || Array.isArray(values)) {
        report(at('clusterValues', cluster), `expected a mapping of Helm values for cluster ${cluster}, got ${Array.isArray(values) ? 'a list' : values === null ? 'nothing' : JSON.stringify(values)}`);
      }
    }
    const kinds = new Map<string, number>();
    (app.clusterResources ?? []).forEach((resource, resourceIndex) => {
      const key = `${resource.group}/${resource.kind}`;
      if (resource.group === '' && resource.kind === 'Namespace') {
        report(at('clusterResources', resourceIndex), `is Namespace: the generator renders the app's namespace (${app.name}) itself, and a source that created others would place objects outside what its project allows. Remove this entry`);
      } else if (key !== 'rbac.authorization.k8s.io/ClusterRole') {
        const why = reachingClusterKinds.get(key) ?? `a cluster-scoped ${resource.kind} is shared by every app of the cluster (a default PriorityClass or StorageClass, an API priority level, a runtime class)`;
        report(at('clusterResources', resourceIndex), `is ${resource.group || 'core'}/${resource.kind}: ${why}; a service's source may declare only ClusterRoles (Argo CD syncs as an administrator of the cluster). Remove this entry, and have the platform team install what it needs`);
      } else if (kinds.has(key)) {
        report(at('clusterResources', resourceIndex), `is ${resource.group || 'core'}/${resource.kind} again, already ${formatFieldPath(at('clusterResources', kinds.get(key)!))}: list each kind once`);
      } else {
        kinds.set(key, resourceIndex);
      }
    });
    if (kinds.size) {
      // The project admits the declared kinds named <app> or <app>-* (a glob): never a name someone else's ClusterRole has.
      const covered = [...reservedClusterRoleNames, ...file.apps.filter((other) => other !== app).map((other) => other.name)]
        .filter((name) => name === app.name || name.startsWith(`${app.name}-`));
      if (covered.length) {
        report(at('name'), `"${app.name}" declares clusterResources, which its project admits named ${app.name} or ${app.name}-*, and ${firstNames(covered.map((name) => `"${name}"`))} ${covered.length === 1 ? 'is' : 'are'} such a name of another's (Kubernetes', an add-on's or another app's ClusterRoles): its source could overwrite them. Choose a name that is not a prefix of theirs`);
      }
    }
    if (app.aws) {
      for (const name of placed) {
        const cluster = clustersByName.get(name);
        // Its values follow identity; nextIdentity is the model they take in the next step (terraform/identity-switch.ts).
        if (cluster?.identity !== 'irsa' && cluster?.nextIdentity !== 'irsa') continue;
        if (git && !chart) {
          report(at('aws'), `is set on a git service placed on ${name}, an IRSA cluster (identity: irsa): its ServiceAccount needs the eks.amazonaws.com/role-arn annotation, which the generator can write only into a chart's values. Place it on Pod Identity clusters, or annotate the ServiceAccount in its manifests`);
          break;
        }
        if (app.aws.irsaAnnotationsValue === undefined) {
          report(at('aws', 'irsaAnnotationsValue'), `is missing, and the app is placed on ${name}, an IRSA cluster (identity: irsa): name the values path of the ServiceAccount's annotations (such as serviceAccount.annotations), where the generator writes its role ARN`);
          break;
        }
      }
      const scopes = placed.map((name) => clustersByName.get(name)).filter((cluster) => cluster !== undefined);
      const roleProblem = serviceRoleNameProblem(app.name, scopes);
      if (roleProblem) report(at('name'), roleProblem);
      app.aws.policyArns.forEach((arn, arnIndex) => {
        const policyProblem = servicePolicyProblem(arn, scopes);
        if (policyProblem) report(at('aws', 'policyArns', arnIndex), policyProblem);
      });
    }
  });
}
