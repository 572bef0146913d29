/** The capacity plan in words: a table per cluster for `npm run plan`, and the errors and warnings synth prints. */
import { testAppRollingUpdate } from '../catalog/test-app';
import { Fleet } from '../config/fleet';
import { VcpuSource } from '../config/instance-types';
import { count, firstNames, joinWords, largestFirst } from '../config/messages';
import { IpFamily } from '../config/schema';
import { VpcBlock, VpcOverlap } from '../config/vpc-overlaps';
import { formatFieldPath } from '../output/field-path';
import { AlbPlan, albFreeAddressesPerSubnet, AppDemand, ClusterPlan, daemonSetPodsPerNode, FieldLines, fixText, FleetPlan, LoadBalancerAddressPlan, NodeGroupPlan, podsPerPrefix, PublicSubnetPlan, RegionPlan, sum, targetGroupsPerLoadBalancer } from './plan';

/**
 * What makes up a cluster's pods, the largest apps first: "app2: 10,000, app7: 40, app1: 5 and 2,997 more apps:
 * 14,990, add-ons: 7"; at a rollout's peak with `peak`.
 */
function demandText(cluster: ClusterPlan, peak = false): string {
  const apps = cluster.apps.filter((app) => app.pods > 0).map((app) => ({ name: app.app, amount: peak ? app.rollout.pods : app.pods }));
  const addons = sum(cluster.addons.map((addon) => addon.pods));
  return [...(apps.length ? [largestFirst(apps, 'apps')] : []), ...(addons ? [`add-ons: ${count(addons)}`] : [])].join(', ');
}

function plural(amount: number, word: string): string {
  return `${count(amount)} ${word}${amount === 1 ? '' : 's'}`;
}

/** "1 node takes", "3 nodes take". */
function pluralTake(amount: number, word: string): string {
  return `${plural(amount, word)} ${amount === 1 ? 'takes' : 'take'}`;
}

/** The IPv4 row: what holds the private subnets' addresses at a rollout's peak, against what they have. */
function ipv4Text(cluster: ClusterPlan): string {
  const addresses = cluster.ipv4Addresses;
  if (!addresses) {
    return `not planned: fleet.yaml gives no IPv4 blocks of the subnets (${cluster.path}.ipv4Subnets), where ${pluralTake(cluster.nodesNeeded, 'node')} one address each on a dual-stack cluster`;
  }
  const of = `of ${count(addresses.usable)} usable in ${plural(addresses.subnets.length, 'subnet')}`;
  if (cluster.ipFamily === 'ipv6') return `${count(addresses.used)} used (${plural(addresses.nodes, 'node')}, one each) ${of}`;
  return `${count(addresses.used)} held by ${count(addresses.enis)} ENIs of ${plural(addresses.nodes, 'node')} (${count(addresses.pods)} pods + `
    + `${count(addresses.enis)} ENI primary addresses + ${count(addresses.warm)} warm) ${of}`;
}

/** The public subnet most taken: the one that keeps the fewest addresses free. */
function tightestSubnet(addresses: LoadBalancerAddressPlan): PublicSubnetPlan {
  return addresses.subnets.reduce((tightest, subnet) => (subnet.free < tightest.free ? subnet : tightest));
}

/** The ALB row: what the ALBs take in the public subnets, against what the controller needs free there. */
function albAddressText(cluster: ClusterPlan): string {
  const addresses = cluster.loadBalancerAddresses;
  const albs = cluster.loadBalancers.loadBalancers;
  if (!albs) return 'none (no apps)';
  if (!addresses) return `not planned: fleet.yaml gives no public subnets (${cluster.path}.publicSubnets), where ${pluralTake(albs, 'ALB')} an address in each zone`;
  const tightest = tightestSubnet(addresses);
  const takers = [
    plural(tightest.loadBalancers, 'ALB'),
    ...(tightest.natGateways ? [plural(tightest.natGateways, 'NAT gateway')] : []),
  ];
  const shared = addresses.sharedWith.length ? ` (with ${firstNames(addresses.sharedWith)})` : '';
  return `${joinWords(takers)}${shared} take ${count(tightest.loadBalancers + tightest.natGateways)} of ${count(tightest.usable)} in ${tightest.cidr}, `
    + `the tightest of ${plural(addresses.subnets.length, 'public subnet')} (${addresses.source}); the controller needs ${albFreeAddressesPerSubnet} free`;
}

/** The rollout row: the pods every app's rolling update adds at its peak. */
function rolloutText(cluster: ClusterPlan): string {
  if (!cluster.apps.length) return 'the same (no apps)';
  const apps = cluster.apps.map((app) => ({ name: app.app, amount: app.rollout.pods }));
  const addons = sum(cluster.addons.map((addon) => addon.pods));
  const parts = [largestFirst(apps, 'apps').replace(/: /g, ' '), ...(addons ? [`add-ons ${addons}`] : [])];
  return `${count(cluster.podsAtPeak)} = ${parts.join(' + ')} (replicas + ${surgeText(cluster.apps)} + a step's old pods draining)`;
}

/** The surge of a rollout of the apps: "5% surge" with the test apps' strategy alone, each strategy's apps named with several. */
function surgeText(apps: readonly AppDemand[]): string {
  const percents = [...new Set(apps.map((app) => (app.rollingUpdate ?? testAppRollingUpdate).maxSurgePercent))].sort((a, b) => a - b);
  if (percents.length <= 1) return `${percents[0] ?? testAppRollingUpdate.maxSurgePercent}% surge`;
  return `a surge of ${joinWords(percents.map((percent) => `${percent}% (${firstNames(apps.filter((app) => (app.rollingUpdate ?? testAppRollingUpdate).maxSurgePercent === percent).map((app) => app.app))})`))}`;
}

/** Millicores as CPU: "2,400m (2.4 vCPUs)". */
function cpuText(millicores: number): string {
  return `${count(millicores)}m (${Number((millicores / 1000).toFixed(2))} vCPUs)`;
}

/** Bytes as Kubernetes writes memory: "1.5Gi", "512Mi". */
function memoryText(bytes: number): string {
  const units = ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const;
  for (const [index, unit] of units.entries()) {
    const size = 2 ** (10 * (units.length - index));
    if (bytes >= size) return `${Number((bytes / size).toFixed(2))}${unit}`;
  }
  return `${bytes}`;
}

/** The requests row: what the services that declare requests ask at a rollout's peak against the node groups' CPU at maxSize. */
function requestsText(cluster: ClusterPlan): string {
  const requests = cluster.requests;
  if (!requests) return 'none declared (no service on the cluster declares resources)';
  const apps = firstNames(requests.apps.map((app) => app.app));
  const cpu = requests.cpuRequested === null ? 'no CPU declared'
    : requests.cpuAllocatable === null ? `CPU ${cpuText(requests.cpuRequested)}, not compared: the vCPUs of ${joinWords([...requests.unknownVcpus])} are unknown`
      : `CPU ${cpuText(requests.cpuRequested)} of the ${cpuText(requests.cpuAllocatable)} the node groups leave to pods at maxSize`;
  const memory = requests.memoryRequested === null ? '' : `; memory ${memoryText(requests.memoryRequested)}, not compared: the instance data has no memory`;
  return `${cpu}${memory} (${apps} at a rollout's peak; the add-ons' and test apps' requests not counted)`;
}

/** An ALB in words: "shared-0 (app0, app1 and 81 more): 83 rules, 83 target groups, 581 targets at a rollout's peak, 0 certificates". */
function albText(alb: AlbPlan): string {
  return `${alb.group} (${firstNames(alb.apps.map((app) => app.ingress ?? app.app))}): ${plural(alb.rules, 'rule')}, ${plural(alb.targetGroups, 'target group')}, `
    + `${plural(alb.targets, 'target')} at a rollout's peak, ${plural(alb.certificates, 'certificate')} beside the default one`;
}

/** The load balancer row: the ALBs, the busiest ones first, against the per-ALB quotas. */
function loadBalancerText(cluster: ClusterPlan): string {
  const { loadBalancers, albs, quotas } = cluster.loadBalancers;
  if (!loadBalancers) return 'none';
  const shared = albs.filter((alb) => alb.reason === 'shared').length;
  const busiest = albs.reduce((most, alb) => (alb.targets > most.targets ? alb : most));
  return `${plural(loadBalancers, 'ALB')} (${count(shared)} shared, ${count(loadBalancers - shared)} of an app's own; IP targets), the busiest: ${albText(busiest)}. `
    + `Per ALB: ${count(quotas.rulesPerLoadBalancer)} rules, `
    + `${targetGroupsPerLoadBalancer} target groups, ${count(quotas.targetsPerLoadBalancer)} targets, ${count(quotas.certificatesPerLoadBalancer)} certificates; `
    + `${count(quotas.targetsPerTargetGroup)} targets per target group`;
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

/** "ipv6-west (IPv6)", and for a pending cluster what its table is of. */
function clusterTitle(cluster: ClusterPlan): string {
  const family = cluster.ipFamily === 'ipv6' ? 'IPv6' : 'IPv4';
  return cluster.pending ? `${cluster.cluster} (${family}, pending: not created yet; what it will hold once created and imported)` : `${cluster.cluster} (${family})`;
}

/** A text table per cluster: addresses of both families, pods, pods per node, nodes, load balancers, verdict and fix; then the regions' ALBs. */
export function formatPlanTable(plan: FleetPlan): string {
  const clusters = plan.clusters.map((cluster) => {
    const addons = sum(cluster.addons.map((addon) => addon.pods));
    const apps = cluster.apps.map((app) => ({ name: app.app, amount: app.pods }));
    const podParts = [
      ...(apps.length ? [largestFirst(apps, 'apps').replace(/: /g, ' ')] : []),
      ...(addons ? [`add-ons ${addons} (${cluster.addons.map((addon) => `${addon.chart} ${addon.pods}`).join(', ')})`] : []),
    ];
    const several = cluster.nodeGroups.length > 1;
    const fixes = [cluster.fix, cluster.publicSubnetFix, cluster.loadBalancerFix, ...cluster.sharedLoadBalancerFixes].filter((fix) => fix).map((fix) => fix!.text);
    const rows: [string, string][] = [
      ['IPv4 addresses', ipv4Text(cluster)],
      ['ALB addresses', albAddressText(cluster)],
      ['IPv6 addresses', cluster.ipFamily === 'ipv6' ? 'a /64 per subnet: never the limit' : 'none (IPv4 cluster)'],
      ['pods wanted', `${count(cluster.podsWanted)}${podParts.length ? ` = ${podParts.join(' + ')}` : ''}`],
      ['rollout peak', rolloutText(cluster)],
      ...cluster.nodeGroups.map((group, index): [string, string] => [
        index === 0 ? 'pods per node' : '',
        `${group.name} (${group.instanceType}): ${maxPodsText(group, cluster.ipFamily)} - ${plan.daemonSetPodsPerNode} DaemonSet = ${group.usablePodsPerNode}`,
      ]),
      ['nodes needed', `${count(cluster.nodesNeeded)} of node-group max ${count(cluster.nodesMax)}${several
        ? `, filling the most pods per node first: ${cluster.nodeGroups.map((group) => `${group.name} ${count(group.nodesNeeded)} (min ${group.minSize}, max ${group.maxSize})`).join(', ')}`
        : ` (min ${cluster.nodeGroups[0].minSize})`}`],
      ['load balancers', loadBalancerText(cluster)],
      ...(cluster.requests ? [['requests', requestsText(cluster)] as [string, string]] : []),
      ['verdict', cluster.verdict],
      ['fix', fixes.length ? fixes.join('; and ') : '-'],
    ];
    const width = Math.max(...rows.map(([label]) => label.length)) + 2;
    return [clusterTitle(cluster), ...rows.map(([label, value]) => `  ${label.padEnd(width)}${value}`)].join('\n');
  });
  const regions = plan.regions.map((region) => `  ${region.region} (account ${region.accountId}): ${plural(region.loadBalancers, 'ALB')} of `
    + `${count(region.quota)} per region, ${plural(region.targetGroups, 'target group')} of ${count(region.targetGroupQuota)} per region, for ${firstNames(region.clusters)}`);
  return `${[...clusters, ['load balancers by account and region', ...regions].join('\n')].join('\n\n')}\n`;
}

function nodeGroupsText(cluster: ClusterPlan): string {
  const groups = cluster.nodeGroups;
  const names = groups.length === 1 ? `node group ${groups[0].name} stops` : `node groups ${joinWords(groups.map((group) => group.name))} stop`;
  const sizes = joinWords(groups.map((group) => `${count(group.maxSize)} ${group.instanceType} nodes of ${group.usablePodsPerNode} pods`));
  return `${names} at ${sizes} (max pods - ${daemonSetPodsPerNode} DaemonSet pods), ${count(cluster.podCapacity)} pods in all`;
}

/** How strictly the plan is applied: fleet.yaml's `capacity`. Running out of IPv4 addresses is always an error. */
export type PlanStrictness = Fleet['capacity'];

/** What takes a cluster's IPv4 addresses that fleet.yaml does not say where: the fields to add, and who needs them. */
function unplannedIpv4(cluster: ClusterPlan): { fields: string[]; takers: string[] } {
  const fields: string[] = [];
  const takers: string[] = [];
  if (!cluster.ipv4Addresses && cluster.nodesNeeded) {
    fields.push(`${cluster.path}.ipv4Subnets`);
    takers.push(`its ${pluralTake(cluster.nodesNeeded, 'node')} one each from its dual-stack subnets`);
  }
  if (!cluster.loadBalancerAddresses && cluster.loadBalancers.loadBalancers) {
    fields.push(`${cluster.path}.publicSubnets`);
    takers.push(`its ${pluralTake(cluster.loadBalancers.loadBalancers, 'ALB')} at least one in each zone from its public subnets`);
  }
  return { fields, takers };
}

export type { FieldLines } from './plan';

/**
 * Where every cluster of an account and region declares its quota per region, with its line when `lines` is given:
 * "clusters[0].loadBalancerQuotas.loadBalancersPerRegion: 60 (legacy-ipv4, fleet.yaml:15)".
 */
function quotaDeclarationsText(region: RegionPlan, key: 'loadBalancersPerRegion' | 'targetGroupsPerRegion', value: number, lines?: FieldLines): string {
  const located = lines?.(region.quotaDeclarations.map((declaration) => ['clusters', declaration.index, 'loadBalancerQuotas', key]));
  return joinWords(region.quotaDeclarations.map((declaration, index) => `${formatFieldPath(['clusters', declaration.index])}.loadBalancerQuotas.${key}: ${value} `
    + `(${declaration.cluster}${located ? `, ${located[index]}` : ''})`));
}

/**
 * Sentences for the person editing fleet.yaml: a cluster out of IPv4 addresses is an error; a node-group max too
 * small and a load balancer quota exceeded are warnings, or errors where fleet.yaml's `capacity` says so; IPv4
 * addresses the plan cannot count are a warning. A pending cluster's problems are warnings, of what it will hold.
 * Given `lines`, a fix that names several fields of fleet.yaml gives their lines.
 */
export function planProblems(plan: FleetPlan, strictness: PlanStrictness = { nodeGroupMaxTooSmall: 'warning', loadBalancerQuotaExceeded: 'warning' }, lines?: FieldLines): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  const addFleet = (level: 'warning' | 'error', message: string) => (level === 'error' ? errors : warnings).push(message);
  for (const plannedCluster of plan.clusters) {
    // A pending cluster runs nothing yet: what it will hold is said, and refuses nothing.
    const add = (level: 'warning' | 'error', message: string) => addFleet(plannedCluster.pending ? 'warning' : level, message);
    const cluster = plannedCluster.pending ? { ...plannedCluster, cluster: `${plannedCluster.cluster} (pending, once created and imported)` } : plannedCluster;
    const { ipv4Addresses: addresses, fix } = cluster;
    if (fix && (fix.action === 'move-apps' || fix.action === 'add-ipv4-addresses') && addresses) {
      const subnets = addresses.subnets.length === 1 ? 'the subnet has' : `the ${addresses.subnets.length} subnets have`;
      const need = cluster.ipFamily === 'ipv4'
        ? `${count(cluster.podsAtPeak)} pods at a rollout's peak (${demandText(cluster, true)}) on ${plural(cluster.nodesNeeded, 'node')} hold ${count(addresses.used)} addresses `
          + `with their ${count(addresses.enis)} ENIs (the VPC CNI attaches whole ENIs and keeps one warm)`
        : `${pluralTake(cluster.nodesNeeded, 'node')} ${count(addresses.used)} addresses, one each`;
      add('error', `${cluster.cluster}: out of IPv4 addresses: ${need}, ${subnets} ${count(addresses.usable)}. Fix: ${fix.text}.`);
    } else if (fix) {
      add(strictness.nodeGroupMaxTooSmall, `${cluster.cluster}: node-group max too small: ${count(cluster.podsWanted)} pods (${demandText(cluster)}), `
        + `${count(cluster.podsAtPeak)} at a rollout's peak, need ${count(cluster.nodesNeeded)} nodes, but ${nodeGroupsText(cluster)}. Fix: ${fix.text}.`);
    }
    const requests = cluster.requests;
    if (requests?.cpuOver) {
      const first = cluster.nodeGroups[0];
      const tooLarge = requests.podsTooLarge.length
        ? `one pod of ${joinWords([...requests.podsTooLarge])} requests more CPU than the ${cpuText(requests.largestNodeCpu!)} any node leaves to pods, so it is never scheduled`
        : `${firstNames(requests.apps.map((app) => app.app))} request ${cpuText(requests.cpuRequested!)} of CPU at a rollout's peak, above the ${cpuText(requests.cpuAllocatable!)} `
          + 'the node groups leave to pods at maxSize (vCPUs less the kubelet\'s reservation), and the add-ons\' and test apps\' requests take their share too: '
          + 'cluster-autoscaler stops at maxSize and the pods beyond stay Pending';
      const fixText = requests.podsTooLarge.length
        ? `lower the CPU ${joinWords([...requests.podsTooLarge])} request, or add a node group of a larger instance type`
        : `raise maxSize of ${first.name} to ${first.maxSize + requests.nodesShort}, or lower the services' requests or replicas`;
      add(strictness.nodeGroupMaxTooSmall, `${cluster.cluster}: node-group max too small for the requests: ${tooLarge}. Fix: ${fixText}.`);
    }
    if (cluster.publicSubnetFix && cluster.loadBalancerAddresses) {
      const tightest = tightestSubnet(cluster.loadBalancerAddresses);
      const shared = cluster.loadBalancerAddresses.sharedWith.length ? ` (its own and ${firstNames(cluster.loadBalancerAddresses.sharedWith)}'s)` : '';
      const nat = tightest.natGateways ? ` and ${plural(tightest.natGateways, 'NAT gateway')}` : '';
      add('error', `${cluster.cluster}: out of IPv4 addresses in its public subnets: ${plural(tightest.loadBalancers, 'ALB')}${shared}${nat} take at least `
        + `${count(tightest.loadBalancers + tightest.natGateways)} of the ${count(tightest.usable)} addresses of ${tightest.cidr} (${cluster.loadBalancerAddresses.source}), `
        + `and the load balancer controller puts an ALB only in a subnet with ${albFreeAddressesPerSubnet} free. Fix: ${cluster.publicSubnetFix.text}.`);
    }
    const unplanned = unplannedIpv4(cluster);
    if (unplanned.fields.length) {
      add('warning', `${cluster.cluster}: IPv4 addresses not planned: ${joinWords(unplanned.takers)}, and fleet.yaml does not say their IPv4 blocks. `
        + `Fix: add them as ${joinWords(unplanned.fields)}.`);
    }
    if (cluster.loadBalancerFix) {
      const { overTargetQuota, quotas } = cluster.loadBalancers;
      const limit = Math.min(quotas.targetsPerLoadBalancer, quotas.targetsPerTargetGroup);
      const apps = largestFirst(overTargetQuota.map((app) => ({ name: app.app, amount: app.rollout.pods })), 'apps');
      add(strictness.loadBalancerQuotaExceeded, `${cluster.cluster}: load balancer quota exceeded: ${apps} IP targets at a rollout's peak (the pods, `
        + `their ${surgeText(overTargetQuota)} and the old pods still draining) behind an ALB of their own, over the ${count(limit)} an ALB and its target group may hold: `
        + `the load balancer controller registers ${count(limit)} (TooManyTargets) and, with readiness gates, the pods beyond never become ready, so the rollout stops there. `
        + `Fix: ${fixText(cluster.loadBalancerFix, lines)}.`);
    }
    cluster.loadBalancers.overQuota.forEach((alb, index) => {
      const apps = largestFirst(alb.apps.map((app) => ({ name: app.ingress ?? app.app, amount: app.rollout.pods })), 'apps');
      add(strictness.loadBalancerQuotaExceeded, `${cluster.cluster}: load balancer quota exceeded: the shared ALB ${alb.group} (IngressGroup ${alb.group}) holds `
        + `${plural(alb.apps.length, 'app')} (targets at a rollout's peak: ${apps}): ${joinWords([...alb.exceeded])}. The load balancer controller cannot add `
        + `what is beyond to the ALB, and every app of the group waits on it. Fix: ${fixText(cluster.sharedLoadBalancerFixes[index], lines)}.`);
    });
  }
  for (const region of plan.regions.filter((candidate) => candidate.loadBalancers > candidate.quota)) {
    addFleet(strictness.loadBalancerQuotaExceeded, `${region.region} (account ${region.accountId}): load balancer quota exceeded: ${firstNames(region.clusters)} `
      + `run ${plural(region.loadBalancers, 'ALB')} (shared ones and apps' own), over the ${count(region.quota)} "Application Load Balancers per Region". `
      + `Fix: request "Application Load Balancers per Region" of ${count(region.loadBalancers)} for account ${region.accountId} in ${region.region}, `
      + `then declare it on every cluster of that account and region, which must all declare the same quotas: ${quotaDeclarationsText(region, 'loadBalancersPerRegion', region.loadBalancers, lines)}; `
      + 'or let apps with ALBs of their own (apps[].loadBalancer: own) share their clusters\' ALBs.');
  }
  for (const region of plan.regions.filter((candidate) => candidate.targetGroups > candidate.targetGroupQuota)) {
    const clusters = largestFirst(region.targetGroupsByCluster.map(({ cluster, targetGroups }) => ({ name: cluster, amount: targetGroups })), 'clusters');
    addFleet(strictness.loadBalancerQuotaExceeded, `${region.region} (account ${region.accountId}): load balancer quota exceeded: ${count(region.targetGroups)} target groups `
      + `(one per app on each cluster it runs on; ${clusters}), over the ${count(region.targetGroupQuota)} "Target Groups per Region" that the account's ALBs and NLBs there share. `
      + 'The load balancer controller cannot create the target groups beyond (TooManyTargetGroups), and the ALBs that need them take no change until it can. '
      + `Fix: request "Target Groups per Region" of ${count(region.targetGroups)} for account ${region.accountId} in ${region.region}, `
      + `then declare it on every cluster of that account and region, which must all declare the same quotas: ${quotaDeclarationsText(region, 'targetGroupsPerRegion', region.targetGroups, lines)}; `
      + 'or place some of the apps on clusters of another account or region.');
  }
  for (const overlap of plan.vpcOverlaps) warnings.push(vpcOverlapText(overlap, lines));
  return { errors, warnings };
}

/** The warning of a created VPC whose block overlaps another VPC's of its account and region, both blocks at their lines when `lines` is given. */
function vpcOverlapText(overlap: VpcOverlap, lines?: FieldLines): string {
  const [here, there] = lines?.([overlap.block.path, overlap.overlapped.path]) ?? [];
  const where = (block: VpcBlock, line?: string) => `${formatFieldPath(block.path)}${line ? `, ${line}` : ''}`;
  const other = overlap.overlapped.created
    ? `the VPC ${overlap.overlapped.cidr} the project creates for ${overlap.overlapped.cluster} (${where(overlap.overlapped, there)})`
    : `${overlap.overlapped.cidr}, a subnet of ${overlap.overlapped.cluster}'s VPC (${where(overlap.overlapped, there)})`;
  const replaces = overlap.pending ? 'before terraform apply creates it' : 'which replaces its VPC and the cluster in it';
  const choice = overlap.free ? `a block no other VPC of the account and region overlaps, such as ${overlap.free}` : 'a block no other VPC of the account and region overlaps';
  return `${overlap.block.cluster}: its VPC ${overlap.block.cidr} (${where(overlap.block, here)}) overlaps ${other}, in the same account ${overlap.accountId} and region ${overlap.region}: `
    + 'VPC peering refuses VPCs whose IPv4 blocks overlap and a transit gateway cannot route between them, so the two can never be connected over IPv4. '
    + `Fix: give ${formatFieldPath(overlap.block.path)} ${choice}, ${replaces}.`;
}
