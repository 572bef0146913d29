/** Node groups whose maxPods the ENIs of their instance type cannot give: a warning of synth, plan and check beside the capacity plan's. */
import { maxPodsPerNode, podsPerPrefix } from './plan';
import { allClusters, Fleet } from '../config/fleet';
import { count } from '../config/messages';

/**
 * The most pods the ENIs of an instance type give a node: the VPC CNI's formula without a cap,
 * secondary IPv4 addresses on IPv4, /80 prefixes on IPv6 (capacity/plan.ts maxPodsPerNode). A
 * kubelet told more schedules pods that never get an address.
 */
function eniPods(instanceType: string, family: 'ipv4' | 'ipv6'): number {
  const ipv4 = maxPodsPerNode(instanceType, 'ipv4');
  return family === 'ipv4' ? ipv4 : (ipv4 - 2) * podsPerPrefix + 2;
}

/**
 * A node group whose maxPods is above what its instance type's ENIs give in the cluster's family:
 * the capacity plan counts pods the nodes cannot hold. A warning, not an error: a cluster set up
 * with IPv4 prefix delegation (which the project does not set up) gives more.
 */
export function nodeGroupWarnings(fleet: Fleet): string[] {
  const warnings: string[] = [];
  for (const cluster of allClusters(fleet)) {
    for (const group of cluster.nodeGroups) {
      if (group.maxPods === undefined) continue;
      const limit = eniPods(group.instanceType, cluster.ipFamily);
      if (group.maxPods <= limit) continue;
      warnings.push(`${cluster.name}: maxPods above what the ENIs give: node group ${group.name} sets maxPods ${count(group.maxPods)}, but ${group.instanceType}'s ENIs give `
        + `${count(limit)} pods on ${cluster.ipFamily === 'ipv6' ? 'IPv6 (prefix delegation)' : 'IPv4 (one secondary address each, no prefix delegation)'}: `
        + `pods beyond never get an address, and the capacity plan counts them. Fix: remove maxPods (clusters[${cluster.index}].nodeGroups), or set at most ${count(limit)}.`);
    }
  }
  return warnings;
}
