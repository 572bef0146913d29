/** The capacity plan in words: a table per cluster for `npm run plan`, and the errors and warnings synth prints. */
import { count, joinWords } from '../config/messages';
import { VcpuSource } from '../config/instance-types';
import { IpFamily } from '../config/schema';
import { ClusterPlan, daemonSetPodsPerNode, FleetPlan, NodeGroupPlan, podsPerPrefix, sum } from './plan';

/** What makes up a cluster's pods, biggest app first: "app2: 10,000, app0: 5, add-ons: 7". */
function demandText(cluster: ClusterPlan): string {
  const apps = cluster.apps.filter((app) => app.pods > 0).sort((a, b) => b.pods - a.pods);
  const addons = sum(cluster.addons.map((addon) => addon.pods));
  return [...apps.map((app) => `${app.app}: ${count(app.pods)}`), ...(addons ? [`add-ons: ${count(addons)}`] : [])].join(', ');
}

const vcpuSourceText: Record<Exclude<VcpuSource, 'unknown'>, string> = {
  'size-name': 'by the size name',
  'family-largest': "as the family's largest size",
  'ec2-api': 'from the EC2 API',
};

function maxPodsText(group: NodeGroupPlan, ipFamily: IpFamily): string {
  const { enis, ipv4PerEni, vcpus, vcpuSource } = group.instance;
  if (group.maxPodsOverridden) return `${group.maxPods} (maxPods in fleet.yaml)`;
  if (ipFamily === 'ipv4') return `${group.maxPods} (${enis} ENIs x (${ipv4PerEni} - 1) + 2)`;
  const formula = `${enis} ENIs x (${ipv4PerEni} - 1) x ${podsPerPrefix} + 2`;
  if (group.maxPods !== group.ipv6Cap) return `${group.maxPods} (${formula})`;
  const vcpuText = vcpuSource === 'unknown' ? 'vCPUs unknown' : `${vcpus} vCPUs ${vcpuSourceText[vcpuSource]}`;
  return `${group.maxPods} (${formula}, capped at ${group.ipv6Cap}: ${vcpuText})`;
}

/** A text table per cluster: addresses, pods, pods per node, nodes, verdict and fix. */
export function formatPlanTable(plan: FleetPlan): string {
  return plan.clusters.map((cluster) => {
    const addresses = cluster.ipv4Addresses;
    const addons = sum(cluster.addons.map((addon) => addon.pods));
    const podParts = [
      ...cluster.apps.map((app) => `${app.app} ${count(app.pods)}`),
      ...(addons ? [`add-ons ${addons} (${cluster.addons.map((addon) => `${addon.chart} ${addon.pods}`).join(', ')})`] : []),
    ];
    const several = cluster.nodeGroups.length > 1;
    const rows: [string, string][] = [
      ['addresses', addresses
        ? `${count(addresses.used)} used (${count(cluster.podsWanted)} pods + ${count(cluster.nodesNeeded)} nodes) of ${count(addresses.usable)} usable in ${addresses.subnets.length} subnet${addresses.subnets.length === 1 ? '' : 's'}`
        : 'n/a (IPv6 /64)'],
      ['pods wanted', `${count(cluster.podsWanted)}${podParts.length ? ` = ${podParts.join(' + ')}` : ''}`],
      ...cluster.nodeGroups.map((group, index): [string, string] => [
        index === 0 ? 'pods per node' : '',
        `${group.name} (${group.instanceType}): ${maxPodsText(group, cluster.ipFamily)} - ${plan.daemonSetPodsPerNode} DaemonSet = ${group.usablePodsPerNode}`,
      ]),
      ['nodes needed', `${count(cluster.nodesNeeded)} of node-group max ${count(cluster.nodesMax)}${several
        ? `, filling the most pods per node first: ${cluster.nodeGroups.map((group) => `${group.name} ${count(group.nodesNeeded)} (min ${group.minSize}, max ${group.maxSize})`).join(', ')}`
        : ` (min ${cluster.nodeGroups[0].minSize})`}`],
      ['verdict', cluster.verdict],
      ['fix', cluster.fix?.text ?? '-'],
    ];
    const width = Math.max(...rows.map(([label]) => label.length)) + 2;
    return [`${cluster.cluster} (${cluster.ipFamily === 'ipv6' ? 'IPv6' : 'IPv4'})`, ...rows.map(([label, value]) => `  ${label.padEnd(width)}${value}`)].join('\n');
  }).join('\n\n') + '\n';
}

function nodeGroupsText(cluster: ClusterPlan): string {
  const groups = cluster.nodeGroups;
  const names = groups.length === 1 ? `node group ${groups[0].name} stops` : `node groups ${joinWords(groups.map((group) => group.name))} stop`;
  const sizes = joinWords(groups.map((group) => `${count(group.maxSize)} ${group.instanceType} nodes of ${group.usablePodsPerNode} pods`));
  return `${names} at ${sizes} (max pods - ${daemonSetPodsPerNode} DaemonSet pods), ${count(cluster.podCapacity)} pods in all`;
}

/**
 * Sentences for the person editing fleet.yaml: an IPv4 cluster out of addresses is an error, a node-group max
 * too small is a warning, or an error with `nodeGroupMaxIsError`.
 */
export function planProblems(plan: FleetPlan, nodeGroupMaxIsError = false): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const cluster of plan.clusters) {
    const { ipv4Addresses: addresses, fix } = cluster;
    if (!fix) continue;
    if (cluster.verdict === 'out of IPv4 addresses' && addresses) {
      const subnets = addresses.subnets.length === 1 ? 'the subnet has' : `the ${addresses.subnets.length} subnets have`;
      errors.push(`${cluster.cluster}: out of IPv4 addresses: ${count(cluster.podsWanted)} pods (${demandText(cluster)}) + ${count(cluster.nodesNeeded)} nodes `
        + `need ${count(addresses.used)} addresses, ${subnets} ${count(addresses.usable)}. Fix: ${fix.text}.`);
    } else {
      (nodeGroupMaxIsError ? errors : warnings).push(`${cluster.cluster}: node-group max too small: ${count(cluster.podsWanted)} pods `
        + `(${demandText(cluster)}) need ${count(cluster.nodesNeeded)} nodes, but ${nodeGroupsText(cluster)}. Fix: ${fix.text}.`);
    }
  }
  return { errors, warnings };
}
