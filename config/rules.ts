/** The rules of fleet.yaml that span fields; the schema checks each field on its own. */
import { clusterAutoscalerImageTags } from '../catalog/addons';
import { formatFieldPath, PathSegment } from '../output/field-path';
import { parseCidr } from './cidr';
import { instanceTypeData, UnknownInstanceTypeError } from './instance-types';
import { resolveRollout } from './fleet';
import { FleetFileWithDefaults } from './schema';

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

/** Rules that span fields: uniqueness, references, CIDR families, sizes, instance types. */
export function checkRelations(file: FleetFileWithDefaults, report: Report): void {
  const clusterNames = file.clusters.map((cluster) => cluster.name);
  checkUnique(report, clusterNames, (index) => ['clusters', index, 'name'], 'cluster name');
  checkUnique(report, file.apps.map((app) => app.name), (index) => ['apps', index, 'name'], 'app name');

  file.clusters.forEach((cluster, clusterIndex) => {
    const at = (...rest: PathSegment[]): PathSegment[] => ['clusters', clusterIndex, ...rest];
    cluster.subnets.forEach((subnet, subnetIndex) => {
      const parsed = parseCidr(subnet);
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
    if (cluster.addons.clusterAutoscaler && !Object.hasOwn(clusterAutoscalerImageTags, cluster.kubernetesVersion)) {
      const known = Object.keys(clusterAutoscalerImageTags);
      report(at('kubernetesVersion'), `is "${cluster.kubernetesVersion}", which no cluster-autoscaler release of this project supports (its minor version must match the cluster's): expected one of ${known.join(', ')}, or addons.clusterAutoscaler: false`);
    }
    if (cluster.register && !cluster.caData) {
      report(at(), 'is registered with Argo CD (register is not false) but has no caData: add the cluster\'s certificateAuthority.data from aws eks describe-cluster');
    }
  });

  const known = `expected one of ${clusterNames.join(', ')}`;
  if (file.argocd.cluster && !clusterNames.includes(file.argocd.cluster)) {
    report(['argocd', 'cluster'], `cluster "${file.argocd.cluster}" is not in clusters: ${known}`);
  }
  const hasIpv6 = file.clusters.some((cluster) => cluster.ipFamily === 'ipv6');
  file.apps.forEach((app, appIndex) => {
    if (!app.clusters) {
      if (!hasIpv6) report(['apps', appIndex], 'has no clusters and the fleet has no IPv6 cluster to place it on by default: add clusters: [<name>]');
      return;
    }
    const names = app.clusters.map((entry) => (typeof entry === 'string' ? entry : entry.name));
    names.forEach((name, index) => {
      if (!clusterNames.includes(name)) report(['apps', appIndex, 'clusters', index], `cluster "${name}" is not in clusters: ${known}`);
    });
    checkUnique(report, names, (index) => ['apps', appIndex, 'clusters', index], 'cluster');
    if (app.clusters.length > 1 && app.clusters.some((entry) => typeof entry === 'string')) {
      report(['apps', appIndex, 'clusters'], 'names several clusters: give each a weight ({ name: <cluster>, weight: 0-255 }) so the app\'s DNS name is a weighted record per cluster');
    }
  });
}

/** The rules of the capacity-related fields: dual-stack subnets, load balancer quotas, rollouts. */
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
    const { deregistrationDelaySeconds, terminationGracePeriodSeconds } = resolveRollout(app.rollout);
    if (terminationGracePeriodSeconds <= deregistrationDelaySeconds) {
      report(['apps', appIndex, 'rollout', 'terminationGracePeriodSeconds'], `is ${terminationGracePeriodSeconds}, not longer than the deregistration delay of ${deregistrationDelaySeconds} s: pods would be killed while the ALB still sends them requests. Expected more than ${deregistrationDelaySeconds}`);
    }
  });
}
