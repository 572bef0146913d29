import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FleetConfigError, parseFleet } from '../../config/load';
import { defaultInstanceSource, instanceDataFile, instanceDataText, vcpusFromSizeName } from '../../scripts/refresh-instance-data';
import { daemonSetPodsPerNode, maxPodsPerNode, planFleet, type ClusterPlan, type FleetPlan } from '../../capacity/plan';
import { formatPlanTable, planProblems } from '../../capacity/report';
import { addonCatalog } from '../../catalog/addons';
import { instanceTypeData, UnknownInstanceTypeError } from '../../config/instance-types';
import { demoFleet } from '../support/fixtures';

const projectRoot = join(__dirname, '..', '..');

// Fixtures: the blog's two clusters, each with one m5.large node group unless a test gives others.
const m5LargeGroup = (maxSize: number, extra = '') => `[{ name: default, instanceType: m5.large, minSize: 3, maxSize: ${maxSize}${extra} }]`;

function ipv4Cluster(nodeGroups = m5LargeGroup(30), name = 'legacy-ipv4'): string {
  return `
  - name: ${name}
    ipFamily: ipv4
    kubernetesVersion: "1.33"
    server: https://${name}.example.com
    region: us-east-2
    accountId: "111122223333"
    vpcId: vpc-0a1b2c3d4e5f60718
    subnets: [10.230.16.0/22, 10.230.20.0/22, 10.230.24.0/22]
    register: false
    nodeGroups: ${nodeGroups}`;
}

function ipv6Cluster(nodeGroups = m5LargeGroup(120), name = 'ipv6-east', extra = ''): string {
  // Each cluster's own /64s, from its name: two clusters never share a subnet.
  const site = [...name].reduce((sum, character) => sum + character.charCodeAt(0), 0).toString(16);
  return `
  - name: ${name}
    ipFamily: ipv6
    kubernetesVersion: "1.33"
    server: https://${name}.example.com
    region: us-east-2
    accountId: "111122223333"
    vpcId: vpc-0f1e2d3c4b5a69788
    subnets: ["2600:1f16:${site}:8b03::/64", "2600:1f16:${site}:8b04::/64", "2600:1f16:${site}:8b05::/64"]
    register: false
    nodeGroups: ${nodeGroups}${extra}`;
}

/** apps: YAML list items, e.g. `{ name: app2, ..., replicas: 10000, clusters: [legacy-ipv4] }`. */
function fleetYaml(clusters: readonly string[], apps: readonly string[]): string {
  return `repo: { url: https://github.com/example-org/eks-ipv6-gitops.git }
domain: apps.example.com
clusters:${clusters.join('')}
apps:${apps.map((app) => `\n  - ${app}`).join('') || ' []'}
`;
}

const app = (name: string, replicas: number, clusters?: string) =>
  `{ name: ${name}, backgroundColor: blue, containerPort: 80, replicas: ${replicas}${clusters ? `, clusters: ${clusters}` : ''} }`;

/** The blog's apps: app0 and app1 at 5 replicas on the IPv6 clusters, app2 as the test says. */
const blogApps = (app2Replicas: number, app2Clusters?: string) => [app('app0', 5), app('app1', 5), app('app2', app2Replicas, app2Clusters)];

function plan(yaml: string): FleetPlan {
  return planFleet(parseFleet(yaml, 'fixture.yaml'));
}

function clusterPlan(fleetPlan: FleetPlan, name: string): ClusterPlan {
  const found = fleetPlan.clusters.find((cluster) => cluster.cluster === name);
  if (!found) throw new Error(`no cluster ${name} in the plan`);
  return found;
}

// Add-on pods by hand: cert-manager 3 + aws-load-balancer-controller 2 + cluster-autoscaler 1 + external-dns 1.
const addonPodsPerCluster = 3 + 2 + 1 + 1;
// Argo CD: one application controller shard (up to ten clusters), two each of server, repo-server and
// applicationset controller, and one each of notifications, redis and dex.
const argocdPods = 1 + 2 + 2 + 2 + 3;

describe('maxPodsPerNode', () => {
  test('m5.large (3 ENIs, 10 IPv4 each) runs 29 pods on IPv4 and 110 on IPv6', () => {
    // GIVEN m5.large: 3 ENIs, 10 IPv4 addresses each, 2 vCPUs
    // WHEN / THEN IPv4: 3 x (10 - 1) + 2; IPv6: 3 x (10 - 1) x 16 + 2 = 434, capped at 110 below 30 vCPUs
    expect(maxPodsPerNode('m5.large', 'ipv4')).toBe(3 * (10 - 1) + 2);
    expect(maxPodsPerNode('m5.large', 'ipv4')).toBe(29);
    expect(3 * (10 - 1) * 16 + 2).toBeGreaterThan(110);
    expect(maxPodsPerNode('m5.large', 'ipv6')).toBe(110);
  });

  test('a type with 30 vCPUs or more gets the 250 cap on IPv6: m5.8xlarge (32 vCPUs)', () => {
    // 8 ENIs x (30 - 1) x 16 + 2 = 3,714, above both caps; 8xlarge = 8 x 4 vCPUs = 32 >= 30
    expect(instanceTypeData('m5.8xlarge')).toEqual({ enis: 8, ipv4PerEni: 30, vcpus: 8 * 4, vcpuSource: 'size-name' });
    expect(maxPodsPerNode('m5.8xlarge', 'ipv6')).toBe(250);
  });

  test('a 16-vCPU type stays at the 110 cap on IPv6: m5.4xlarge', () => {
    // 8 ENIs x (30 - 1) x 16 + 2 = 3,714; 4xlarge = 4 x 4 vCPUs = 16 < 30
    expect(instanceTypeData('m5.4xlarge').vcpus).toBe(4 * 4);
    expect(maxPodsPerNode('m5.4xlarge', 'ipv6')).toBe(110);
  });

  test('on IPv6 the formula stands where it is below the cap: t3.nano', () => {
    // 2 ENIs x (2 - 1) x 16 + 2 = 34
    expect(maxPodsPerNode('t3.nano', 'ipv6')).toBe(2 * (2 - 1) * 16 + 2);
  });

  test('on IPv4 there is no cap: m5.24xlarge runs 15 x (50 - 1) + 2 = 737 pods', () => {
    expect(maxPodsPerNode('m5.24xlarge', 'ipv4')).toBe(15 * (50 - 1) + 2);
  });

  test('a metal size without sibling sizes has unknown vCPUs and gets the lower cap', () => {
    expect(instanceTypeData('mac1.metal')).toMatchObject({ vcpus: null, vcpuSource: 'unknown' });
    expect(maxPodsPerNode('mac1.metal', 'ipv6')).toBe(110);
  });

  test('an override replaces the instance type\'s max pods', () => {
    expect(maxPodsPerNode('m5.large', 'ipv6', 58)).toBe(58);
    expect(maxPodsPerNode('m5.large', 'ipv4', 58)).toBe(58);
  });

  test('an unknown instance type is an error that names it and suggests the family\'s sizes', () => {
    // WHEN
    const lookUp = () => maxPodsPerNode('m5.larg', 'ipv6');
    // THEN
    expect(lookUp).toThrow(UnknownInstanceTypeError);
    expect(lookUp).toThrow(/"m5\.larg" is not in data\/ec2-instance-types\.json\. Did you mean m5\.large, /);
  });

  test('an unknown family suggests the same size in the families with the longest shared prefix', () => {
    // WHEN
    let error: unknown;
    try {
      maxPodsPerNode('m5q.large', 'ipv4');
    } catch (thrown) {
      error = thrown;
    }
    // THEN
    expect(error).toBeInstanceOf(UnknownInstanceTypeError);
    const { instanceType, suggestions } = error as UnknownInstanceTypeError;
    expect(instanceType).toBe('m5q.large');
    expect(suggestions).toContain('m5.large');
    expect(suggestions.every((name) => name.startsWith('m5') && name.endsWith('.large'))).toBe(true);
  });

  test('an unknown instance type errors even with an override: a misspelt type fails at node-group creation', () => {
    expect(() => maxPodsPerNode('m5.larg', 'ipv6', 58)).toThrow(/"m5\.larg"/);
  });
});

describe('vCPUs from the size name (scripts/refresh-instance-data.ts)', () => {
  test.each([
    ['t3.nano', 1],
    ['m7g.medium', 1],
    ['t3.medium', 2],
    ['m5.large', 2],
    ['m5.xlarge', 4],
    ['m5.24xlarge', 4 * 24],
    ['m7i.metal-48xl', 4 * 48],
  ])('%s: %d', (instanceType, vcpus) => {
    expect(vcpusFromSizeName(instanceType)).toBe(vcpus);
  });

  test('a plain metal size has no vCPUs of its own: the data gives it the family\'s largest size', () => {
    expect(vcpusFromSizeName('m5.metal')).toBeUndefined();
    // m5.24xlarge is the largest m5: 24 x 4 vCPUs
    expect(instanceTypeData('m5.metal')).toMatchObject({ vcpus: 24 * 4, vcpuSource: 'family-largest' });
  });
});

describe('planFleet: IPv4 addresses', () => {
  test('three /22 subnets give 3 x (1024 - 5) = 3,057 usable addresses', () => {
    const legacy = clusterPlan(plan(fleetYaml([ipv4Cluster(), ipv6Cluster()], blogApps(5))), 'legacy-ipv4');
    expect(legacy.ipv4Addresses?.subnets.map((subnet) => subnet.usable)).toEqual([1024 - 5, 1024 - 5, 1024 - 5]);
    expect(legacy.ipv4Addresses?.usable).toBe(3 * (1024 - 5));
    expect(legacy.ipv4Addresses?.usable).toBe(3057);
  });

  test('every pod and every node takes one address', () => {
    // GIVEN only the add-ons on legacy-ipv4 (the apps default to IPv6 clusters)
    const legacy = clusterPlan(plan(fleetYaml([ipv4Cluster(), ipv6Cluster()], blogApps(5))), 'legacy-ipv4');
    // THEN 7 pods fit on one node, but minSize keeps 3 nodes: 7 + 3 addresses
    expect(legacy.podsWanted).toBe(addonPodsPerCluster);
    expect(legacy.nodesNeeded).toBe(3);
    expect(legacy.ipv4Addresses?.used).toBe(addonPodsPerCluster + 3);
  });

  test('app2 at 10000 replicas on the IPv4 cluster is refused, and the fix places it on the IPv6 cluster', () => {
    // GIVEN
    const fleetPlan = plan(fleetYaml([ipv4Cluster(), ipv6Cluster()], blogApps(10000, '[legacy-ipv4]')));
    // WHEN
    const legacy = clusterPlan(fleetPlan, 'legacy-ipv4');
    const { errors, warnings } = planProblems(fleetPlan);
    // THEN pods: 10,000 + 7 add-ons = 10,007; m5.large on IPv4: 29 - 3 DaemonSet = 26 pods per node;
    // nodes: ceil(10,007 / 26) = 385 (26 x 385 = 10,010); app2's ALB: one address in each of the 3 zones;
    // addresses: 10,007 + 385 + 3 = 10,395 > 3,057
    expect(legacy.podsWanted).toBe(10000 + 7);
    expect(legacy.nodeGroups[0].usablePodsPerNode).toBe(29 - 3);
    expect(legacy.nodesNeeded).toBe(Math.ceil(10007 / 26));
    expect(legacy.nodesNeeded).toBe(385);
    expect(legacy.ipv4Addresses).toMatchObject({ pods: 10007, nodes: 385, loadBalancers: 3, used: 10007 + 385 + 3 });
    expect(legacy.verdict).toBe('out of IPv4 addresses');
    expect(legacy.fix).toMatchObject({ action: 'move-apps', moves: [{ app: 'app2', pods: 10000, to: 'ipv6-east', alreadyThere: false }], addressesStillMissing: 0 });
    expect(errors).toEqual([
      'legacy-ipv4: out of IPv4 addresses: 10,007 pods (app2: 10,000, add-ons: 7), 385 nodes and 1 load balancer in 3 zones need 10,395 addresses, '
      + 'the 3 subnets have 3,057. Fix: place app2 on ipv6-east instead of legacy-ipv4.',
    ]);
    // ... and 10,000 pods behind one ALB are over its target quotas, wherever it runs
    expect(warnings).toEqual([expect.stringMatching(/^legacy-ipv4: load balancer quota exceeded: app2: 10,000 pods behind one ALB each/)]);
  });

  test('apps with most replicas move first, and only until the rest fits', () => {
    // GIVEN app2 2,000 + app1 1,500 + 7 add-ons = 3,507 pods, ceil(3,507 / 26) = 135 nodes, 2 ALBs in 3 zones:
    // 3,648 addresses > 3,057
    const apps = [app('app1', 1500, '[legacy-ipv4]'), app('app2', 2000, '[legacy-ipv4]')];
    const legacy = clusterPlan(plan(fleetYaml([ipv4Cluster(), ipv6Cluster()], apps)), 'legacy-ipv4');
    expect(legacy.ipv4Addresses?.used).toBe(3507 + Math.ceil(3507 / 26) + 2 * 3);
    // THEN without app2: 1,507 pods + ceil(1,507 / 26) = 58 nodes + 3 = 1,568 addresses, which fit; app1 stays
    expect(legacy.verdict).toBe('out of IPv4 addresses');
    expect(legacy.fix).toMatchObject({ moves: [{ app: 'app2', to: 'ipv6-east' }] });
  });

  test('an app that already runs on an IPv6 cluster only leaves the IPv4 cluster', () => {
    const weighted = '[{ name: legacy-ipv4, weight: 100 }, { name: ipv6-east, weight: 0 }]';
    const fleetPlan = plan(fleetYaml([ipv4Cluster(), ipv6Cluster()], blogApps(10000, weighted)));
    expect(clusterPlan(fleetPlan, 'legacy-ipv4').fix?.text).toBe("take legacy-ipv4 out of app2's clusters (it runs on ipv6-east too)");
    // Every cluster an app is placed on runs all its replicas.
    expect(clusterPlan(fleetPlan, 'ipv6-east').apps).toContainEqual({ app: 'app2', pods: 10000, clusters: ['legacy-ipv4', 'ipv6-east'] });
  });

  test('the fix names the IPv6 cluster with most spare pods', () => {
    // GIVEN ipv6-small holds 10 x 107 pods, ipv6-big 120 x 107
    const clusters = [ipv4Cluster(), ipv6Cluster(m5LargeGroup(10), 'ipv6-small'), ipv6Cluster(m5LargeGroup(120), 'ipv6-big')];
    const fleetPlan = plan(fleetYaml(clusters, blogApps(10000, '[legacy-ipv4]')));
    expect(clusterPlan(fleetPlan, 'legacy-ipv4').fix?.text).toBe('place app2 on ipv6-big instead of legacy-ipv4');
  });

  test('without an IPv6 cluster the fix says to add one', () => {
    const fleetPlan = plan(fleetYaml([ipv4Cluster()], [app('app2', 10000, '[legacy-ipv4]')]));
    expect(clusterPlan(fleetPlan, 'legacy-ipv4').fix?.text).toBe('move app2 to an IPv6 cluster (the fleet has none yet: add one)');
  });

  test('when the add-ons and nodes alone do not fit, the fix also asks for subnets', () => {
    // GIVEN one /28: 16 - 5 = 11 usable; add-ons 7 + Argo CD 10 = 17 pods on 3 nodes need 20
    const tiny = ipv4Cluster().replace('[10.230.16.0/22, 10.230.20.0/22, 10.230.24.0/22]', '[10.230.16.0/28]');
    const legacy = clusterPlan(plan(fleetYaml([tiny], [app('app2', 5, '[legacy-ipv4]')])), 'legacy-ipv4');
    expect(legacy.fix).toMatchObject({ action: 'move-apps', addressesStillMissing: 7 + argocdPods + 3 - 11 });
    expect(legacy.fix?.text).toMatch(/add IPv4 subnets: the add-ons, nodes and load balancers alone still lack 9 addresses$/);
  });
});

describe('planFleet: nodes', () => {
  // app0 5 + app1 5 + app2 10,000 + 7 add-ons + 10 Argo CD pods (Argo CD runs on the first IPv6 cluster)
  const ipv6Pods = 5 + 5 + 10000 + addonPodsPerCluster + argocdPods;

  test('app2 at 10000 on the IPv6 cluster needs ceil(10,027 / (110 - 3)) = 94 m5.large nodes and fits below maxSize 120', () => {
    const east = clusterPlan(plan(fleetYaml([ipv4Cluster(), ipv6Cluster(m5LargeGroup(120))], blogApps(10000))), 'ipv6-east');
    expect(east.podsWanted).toBe(ipv6Pods);
    expect(east.nodeGroups[0].usablePodsPerNode).toBe(110 - daemonSetPodsPerNode);
    expect(east.nodesNeeded).toBe(Math.ceil(ipv6Pods / (110 - 3)));
    expect(east.nodesNeeded).toBe(94);
    // Without ipv4Subnets the plan does not know the IPv4 blocks; the node groups fit, the ALB's target quotas do not.
    expect(east.ipv4Addresses).toBeNull();
    expect(east.fix).toBeNull();
    expect(east.verdict).toBe('load balancer quota exceeded');
  });

  test('a node-group maxSize below the nodes needed is a warning with the maxSize to set', () => {
    // GIVEN maxSize 50: 50 x 107 = 5,350 pods < 10,027
    const fleetPlan = plan(fleetYaml([ipv4Cluster(), ipv6Cluster(m5LargeGroup(50))], blogApps(10000)));
    // WHEN
    const east = clusterPlan(fleetPlan, 'ipv6-east');
    const { errors, warnings } = planProblems(fleetPlan);
    // THEN
    expect(east.verdict).toBe('node-group max too small');
    expect(east.podCapacity).toBe(50 * 107);
    expect(east.fix).toEqual({ action: 'raise-max-size', nodeGroup: 'default', maxSize: 94, text: 'raise maxSize of default to 94' });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      'ipv6-east: node-group max too small: 10,027 pods (app2: 10,000, app0: 5, app1: 5, add-ons: 17) need 94 nodes, but node group default '
      + 'stops at 50 m5.large nodes of 107 pods (max pods - 3 DaemonSet pods), 5,350 pods in all. Fix: raise maxSize of default to 94.',
      expect.stringMatching(/^ipv6-east: load balancer quota exceeded: /),
    ]);
  });

  test('capacity.nodeGroupMaxTooSmall: error turns the node-group warning into an error', () => {
    const { errors } = planProblems(plan(fleetYaml([ipv4Cluster(), ipv6Cluster(m5LargeGroup(50))], blogApps(10000))), { nodeGroupMaxTooSmall: 'error', loadBalancerQuotaExceeded: 'warning' });
    expect(errors).toEqual([expect.stringMatching(/^ipv6-east: node-group max too small: .* Fix: raise maxSize of default to 94\.$/)]);
  });

  test('a node group\'s maxPods overrides the instance type\'s', () => {
    // 58 - 3 = 55 pods per node: ceil(10,027 / 55) = 183 nodes (55 x 182 = 10,010)
    const east = clusterPlan(plan(fleetYaml([ipv4Cluster(), ipv6Cluster(m5LargeGroup(200, ', maxPods: 58'))], blogApps(10000))), 'ipv6-east');
    expect(east.nodeGroups[0]).toMatchObject({ maxPods: 58, maxPodsOverridden: true, ipv6Cap: null, usablePodsPerNode: 58 - 3 });
    expect(east.nodesNeeded).toBe(Math.ceil(ipv6Pods / 55));
    expect(east.nodesNeeded).toBe(183);
  });

  test('several node groups: minSize nodes first, then the group with most pods per node fills first', () => {
    // GIVEN small: m5.large, 107 pods per node, min 2; big: m5.8xlarge, 250 - 3 = 247 pods per node, min 0
    const groups = '[{ name: small, instanceType: m5.large, minSize: 2, maxSize: 50 }, { name: big, instanceType: m5.8xlarge, minSize: 0, maxSize: 10 }]';
    const east = clusterPlan(plan(fleetYaml([ipv6Cluster(groups)], [app('app2', 2000)])), 'ipv6-east');
    // THEN 2,000 + 17 = 2,017 pods; 2 small nodes hold 214; big takes ceil((2,017 - 214) / 247) = 8 nodes
    expect(east.podsWanted).toBe(2000 + 17);
    expect(east.nodeGroups.map((group) => [group.name, group.nodesNeeded])).toEqual([['big', Math.ceil((2017 - 2 * 107) / 247)], ['small', 2]]);
    expect(east.fix).toBeNull();
  });

  test('with several node groups, pods beyond every max go to the group with most pods per node', () => {
    // GIVEN 10,017 pods; at max: big 10 x 247 + small 50 x 107 = 7,820; 2,197 left: ceil(2,197 / 247) = 9 more big nodes
    const groups = '[{ name: small, instanceType: m5.large, minSize: 2, maxSize: 50 }, { name: big, instanceType: m5.8xlarge, minSize: 1, maxSize: 10 }]';
    const east = clusterPlan(plan(fleetYaml([ipv6Cluster(groups)], [app('app2', 10000)])), 'ipv6-east');
    expect(east.podCapacity).toBe(10 * 247 + 50 * 107);
    expect(east.fix).toMatchObject({ action: 'raise-max-size', nodeGroup: 'big', maxSize: 10 + Math.ceil((10017 - 7820) / 247) });
  });
});

describe('planFleet: demand', () => {
  test('the demo fleet fits everywhere', () => {
    // GIVEN
    const fleetPlan = planFleet(demoFleet());
    // THEN legacy-ipv4 runs the 7 add-on pods; ipv6-east app0-2 at 5 each, 7 add-on and 10 Argo CD pods
    expect(fleetPlan.clusters.map((cluster) => [cluster.cluster, cluster.podsWanted, cluster.verdict])).toEqual([
      ['legacy-ipv4', addonPodsPerCluster, 'fits'],
      ['ipv6-east', 3 * 5 + addonPodsPerCluster + argocdPods, 'fits'],
    ]);
    expect(planProblems(fleetPlan)).toEqual({ errors: [], warnings: [] });
  });

  test('add-ons turned off in fleet.yaml run no pods', () => {
    const cluster = ipv6Cluster(m5LargeGroup(120), 'ipv6-east', '\n    addons: { certManager: false, externalDns: false }');
    const east = clusterPlan(plan(fleetYaml([cluster], [])), 'ipv6-east');
    expect(east.addons.map((addon) => addon.chart)).toEqual(['aws-load-balancer-controller', 'cluster-autoscaler', 'argo-cd']);
    expect(east.podsWanted).toBe(2 + 1 + argocdPods);
  });

  test('an unknown instance type in fleet.yaml is a config error at its line, naming the type', () => {
    const yaml = fleetYaml([ipv4Cluster(), ipv6Cluster('[{ name: workers, instanceType: m5.larg, minSize: 1, maxSize: 5 }]')], blogApps(5));
    expect(() => plan(yaml)).toThrow(FleetConfigError);
    expect(() => plan(yaml)).toThrow(/^fixture\.yaml:\d+:\d+: clusters\[1\]\.nodeGroups\[0\]\.instanceType: instance type "m5\.larg" is not in data\/ec2-instance-types\.json\. Did you mean m5\.large/);
  });

  test('a maxPods that leaves no room beside the DaemonSet pods is a config error', () => {
    const yaml = fleetYaml([ipv6Cluster(m5LargeGroup(10, ', maxPods: 3'))], []);
    expect(() => plan(yaml)).toThrow(/clusters\[0\]\.nodeGroups\[0\]\.maxPods: expected an integer from 4 to 737, got 3/);
  });

  test('the plan survives JSON as it is', () => {
    const fleetPlan = plan(fleetYaml([ipv4Cluster(), ipv6Cluster()], blogApps(10000, '[legacy-ipv4]')));
    expect(JSON.parse(JSON.stringify(fleetPlan))).toEqual(fleetPlan);
  });
});

describe('formatPlanTable', () => {
  const table = formatPlanTable(plan(fleetYaml([ipv4Cluster(), ipv6Cluster()], blogApps(10000, '[legacy-ipv4]'))));
  const block = (cluster: string) => table.split('\n\n').find((text) => text.startsWith(`${cluster} `))!;

  test('an IPv4 cluster shows addresses used and usable, pods, pods per node, nodes, load balancers, verdict and fix', () => {
    expect(block('legacy-ipv4').split('\n')).toEqual([
      'legacy-ipv4 (IPv4)',
      '  IPv4 addresses  10,395 used (10,007 pods + 385 nodes + 3 for 1 load balancer in 3 zones) of 3,057 usable in 3 subnets',
      '  IPv6 addresses  none (IPv4 cluster)',
      '  pods wanted     10,007 = app2 10,000 + add-ons 7 (cert-manager 3, aws-load-balancer-controller 2, cluster-autoscaler 1, external-dns 1)',
      '  pods per node   default (m5.large): 29 (3 ENIs x (10 - 1) + 2) - 3 DaemonSet = 26',
      '  nodes needed    385 of node-group max 30 (min 3)',
      '  load balancers  1 ALB (one per app, IP targets); most targets: 10,000 (app2) of 1,000 per ALB and 1,000 per target group',
      '  verdict         out of IPv4 addresses',
      '  fix             place app2 on ipv6-east instead of legacy-ipv4; and request "Targets per Application Load Balancer" and '
      + '"Targets per Target Group per Region" of 10,000 for account 111122223333 in us-east-2 (Service Quotas, Elastic Load Balancing), '
      + 'then declare them in fleet.yaml: clusters[0].loadBalancerQuotas.targetsPerLoadBalancer: 10000 and clusters[0].loadBalancerQuotas.targetsPerTargetGroup: 10000',
    ]);
  });

  test('an IPv6 cluster shows both families: IPv4 unknown without ipv4Subnets, and the cap that applied', () => {
    expect(block('ipv6-east')).toContain('  IPv4 addresses  not known: fleet.yaml gives no IPv4 blocks of the subnets (clusters[1].ipv4Subnets); 3 nodes and 2 load balancers');
    expect(block('ipv6-east')).toContain('  IPv6 addresses  a /64 per subnet: never the limit\n');
    expect(block('ipv6-east')).toContain('default (m5.large): 110 (3 ENIs x (10 - 1) x 16 + 2, capped at 110: 2 vCPUs by the size name) - 3 DaemonSet = 107');
    expect(block('ipv6-east')).toContain('  verdict         fits\n  fix             -');
  });

  test('the regions\' ALBs against their quota', () => {
    expect(table).toContain('load balancers by account and region\n  us-east-2 (account 111122223333): 3 ALBs of 50 per region, for legacy-ipv4 and ipv6-east\n');
  });
});

describe('add-on pods against the chart defaults in data/charts', () => {
  const chartDefaults = (chart: string) => JSON.parse(readFileSync(join(projectRoot, 'data/charts', `${chart}.json`), 'utf8')).defaults;
  if (!existsSync(join(projectRoot, 'data/charts'))) {
    test.skip('skipped: data/charts is absent in this checkout', () => {});
    return;
  }

  test('cert-manager: controller, webhook and cainjector replicas', () => {
    const values = chartDefaults('cert-manager');
    expect(values.replicaCount + values.webhook.replicaCount + values.cainjector.replicaCount).toBe(addonCatalog.certManager.pods);
  });

  test('aws-load-balancer-controller and cluster-autoscaler: replicaCount', () => {
    expect(chartDefaults('aws-load-balancer-controller').replicaCount).toBe(addonCatalog.awsLoadBalancerController.pods);
    expect(chartDefaults('cluster-autoscaler').replicaCount).toBe(addonCatalog.clusterAutoscaler.pods);
  });
});

describe(`data/ec2-instance-types.json against scripts/refresh-instance-data.ts run on ${defaultInstanceSource}`, () => {
  if (!existsSync(defaultInstanceSource)) {
    test.skip(`skipped: ${defaultInstanceSource} is absent in this checkout, so there is nothing to derive from`, () => {});
    return;
  }
  test('the committed file is what the script writes', () => {
    expect(readFileSync(instanceDataFile, 'utf8')).toBe(instanceDataText([defaultInstanceSource]));
  });
});

describe('refresh-instance-data.ts reading aws ec2 describe-instance-types', () => {
  const folder = mkdtempSync(join(tmpdir(), 'instance-data-'));
  const csv = join(folder, 'limits.csv');
  const json = join(folder, 'describe-instance-types.json');
  writeFileSync(csv, 'instance_type,eni_limit,ipv4_per_eni,hypervisor,bare_metal\nm5.large,3,10,nitro,false\nx9.metal,4,15,unknown,true\n');
  writeFileSync(json, JSON.stringify({
    InstanceTypes: [
      { InstanceType: 'm5.large', VCpuInfo: { DefaultVCpus: 2 }, NetworkInfo: { MaximumNetworkInterfaces: 3, Ipv4AddressesPerInterface: 10 } },
      {
        InstanceType: 'p4d.24xlarge',
        VCpuInfo: { DefaultVCpus: 96 },
        NetworkInfo: {
          MaximumNetworkInterfaces: 60,
          Ipv4AddressesPerInterface: 50,
          DefaultNetworkCardIndex: 0,
          NetworkCards: [0, 1, 2, 3].map((index) => ({ NetworkCardIndex: index, MaximumNetworkInterfaces: 15 })),
        },
      },
    ],
  }));
  const types = (files: string[]) => JSON.parse(instanceDataText(files)).instanceTypes;
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  test('takes vCPUs from the EC2 API and ENIs from the default network card, as the VPC CNI does', () => {
    expect(types([json])).toEqual({
      'm5.large': { enis: 3, ipv4PerEni: 10, vcpus: 2, vcpuSource: 'ec2-api' },
      'p4d.24xlarge': { enis: 15, ipv4PerEni: 50, vcpus: 96, vcpuSource: 'ec2-api' },
    });
  });

  test('a later file replaces an earlier file\'s types; a metal size without siblings has unknown vCPUs', () => {
    expect(types([csv, json])).toEqual({
      'm5.large': { enis: 3, ipv4PerEni: 10, vcpus: 2, vcpuSource: 'ec2-api' },
      'p4d.24xlarge': { enis: 15, ipv4PerEni: 50, vcpus: 96, vcpuSource: 'ec2-api' },
      'x9.metal': { enis: 4, ipv4PerEni: 15, vcpus: null, vcpuSource: 'unknown' },
    });
  });
});

describe('planFleet: load balancers', () => {
  const quotas = (targets: number) => `\n    loadBalancerQuotas: { targetsPerLoadBalancer: ${targets}, targetsPerTargetGroup: ${targets} }`;

  test('app2 at 10,000 pods behind one ALB exceeds the default target quotas: a warning that names the quotas to request and the line to declare', () => {
    // GIVEN app2 at 10,000 on the IPv6 cluster, whose account has AWS's default quotas
    const fleetPlan = plan(fleetYaml([ipv4Cluster(), ipv6Cluster()], blogApps(10000)));
    // WHEN
    const east = clusterPlan(fleetPlan, 'ipv6-east');
    const { errors, warnings } = planProblems(fleetPlan);
    // THEN every pod is one IP target of app2's ALB and its target group
    expect(east.loadBalancers).toMatchObject({ loadBalancers: 3, mostTargets: 10000, quotas: { targetsPerLoadBalancer: 1000, targetsPerTargetGroup: 1000 } });
    expect(east.loadBalancers.overTargetQuota.map((demand) => demand.app)).toEqual(['app2']);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      'ipv6-east: load balancer quota exceeded: app2: 10,000 pods behind one ALB each, over the 1,000 IP targets an ALB and its target group may hold: '
      + 'the load balancer controller registers 1,000 (TooManyTargets) and, with readiness gates, the other pods never become ready, so their rollout stops there. '
      + 'Fix: request "Targets per Application Load Balancer" and "Targets per Target Group per Region" of 10,000 for account 111122223333 in us-east-2 '
      + '(Service Quotas, Elastic Load Balancing), then declare them in fleet.yaml: clusters[1].loadBalancerQuotas.targetsPerLoadBalancer: 10000 and '
      + 'clusters[1].loadBalancerQuotas.targetsPerTargetGroup: 10000.',
    ]);
  });

  test('capacity.loadBalancerQuotaExceeded: error refuses the same fleet', () => {
    const fleetPlan = plan(fleetYaml([ipv4Cluster(), ipv6Cluster()], blogApps(10000)));
    const { errors, warnings } = planProblems(fleetPlan, { nodeGroupMaxTooSmall: 'warning', loadBalancerQuotaExceeded: 'error' });
    expect(errors).toEqual([expect.stringMatching(/^ipv6-east: load balancer quota exceeded: app2: 10,000 pods/)]);
    expect(warnings).toEqual([]);
  });

  test('the same fleet is clean once the raised quotas are declared', () => {
    const fleetPlan = plan(fleetYaml([ipv6Cluster(m5LargeGroup(120), 'ipv6-east', quotas(10000))], blogApps(10000)));
    expect(clusterPlan(fleetPlan, 'ipv6-east').verdict).toBe('fits');
    expect(planProblems(fleetPlan)).toEqual({ errors: [], warnings: [] });
  });

  test('a quota raised for only one of the two names only that one', () => {
    const partly = '\n    loadBalancerQuotas: { targetsPerLoadBalancer: 20000 }';
    const east = clusterPlan(plan(fleetYaml([ipv6Cluster(m5LargeGroup(120), 'ipv6-east', partly)], blogApps(10000))), 'ipv6-east');
    expect(east.loadBalancerFix?.text).toBe('request "Targets per Target Group per Region" of 10,000 for account 111122223333 in us-east-2 (Service Quotas, '
      + 'Elastic Load Balancing), then declare it in fleet.yaml: clusters[0].loadBalancerQuotas.targetsPerTargetGroup: 10000');
  });

  test('every app has an ALB of its own: 51 apps in one account and region exceed its 50 "Application Load Balancers per Region"', () => {
    const apps = Array.from({ length: 51 }, (_, index) => app(`svc${index}`, 1));
    const { warnings } = planProblems(plan(fleetYaml([ipv6Cluster()], apps)));
    expect(warnings).toEqual([
      'us-east-2 (account 111122223333): load balancer quota exceeded: ipv6-east place 51 apps, one ALB each, over the 50 "Application Load Balancers per Region". '
      + 'Fix: request "Application Load Balancers per Region" of 51 for account 111122223333 in us-east-2, then declare it in fleet.yaml: '
      + 'clusters[0].loadBalancerQuotas.loadBalancersPerRegion: 51 (the same on every cluster of that account and region).',
    ]);
  });

  test('clusters in the same account and region must declare the same quotas', () => {
    const yaml = fleetYaml([ipv4Cluster(), ipv6Cluster(m5LargeGroup(120), 'ipv6-east', quotas(5000))], blogApps(5));
    expect(() => plan(yaml)).toThrow(/clusters\[1\]\.loadBalancerQuotas: differ from those of clusters\[0\] \(legacy-ipv4\), in the same account 111122223333 and region us-east-2/);
  });
});

describe('planFleet: the IPv4 addresses of an IPv6 cluster', () => {
  const ipv4Blocks = (blocks: string) => `\n    ipv4Subnets: ${blocks}`;

  test('nodes and load balancers of a dual-stack cluster take IPv4 addresses from its subnets\' IPv4 blocks', () => {
    // GIVEN app2 at 10,000 on ipv6-east, with three /22s as its subnets' IPv4 blocks
    const cluster = ipv6Cluster(m5LargeGroup(120), 'ipv6-east', ipv4Blocks('[10.240.16.0/22, 10.240.20.0/22, 10.240.24.0/22]'));
    const east = clusterPlan(plan(fleetYaml([cluster], blogApps(10000))), 'ipv6-east');
    // THEN 94 nodes and 3 ALBs in 3 zones: 103 of 3,057; pods take none (they have IPv6 addresses only)
    expect(east.ipv4Addresses).toMatchObject({ pods: 0, nodes: 94, loadBalancers: 9, used: 103, usable: 3057 });
    expect(east.fix).toBeNull();
  });

  test('a node budget exhausted: out of IPv4 addresses on an IPv6 cluster, an error with the fix', () => {
    // GIVEN one /26 (59 usable) for 94 nodes and 3 ALBs
    const cluster = ipv6Cluster(m5LargeGroup(120), 'ipv6-east', ipv4Blocks('[10.240.16.0/26]'));
    const fleetPlan = plan(fleetYaml([cluster], blogApps(10000)));
    const east = clusterPlan(fleetPlan, 'ipv6-east');
    expect(east.verdict).toBe('out of IPv4 addresses');
    expect(east.ipv4Addresses).toMatchObject({ nodes: 94, loadBalancers: 3, used: 97, usable: 59 });
    expect(planProblems(fleetPlan).errors).toEqual([
      'ipv6-east: out of IPv4 addresses: 94 nodes and 3 load balancers in 1 zone need 97 addresses, the subnet has 59. '
      + 'Fix: add IPv4 blocks of 38 more addresses to clusters[0].ipv4Subnets (larger subnets, or more of them), or use larger instance types so fewer nodes run the same pods.',
    ]);
  });

  test('ipv4Subnets belong to IPv6 clusters, and hold IPv4 blocks', () => {
    expect(() => plan(fleetYaml([ipv4Cluster().replace('register: false', 'register: false\n    ipv4Subnets: [10.1.0.0/22]')], []))).toThrow(/clusters\[0\]\.ipv4Subnets: is set on an IPv4 cluster/);
    expect(() => plan(fleetYaml([ipv6Cluster(m5LargeGroup(120), 'ipv6-east', ipv4Blocks('[2600:1f16:5de:8b03::/64]'))], []))).toThrow(/clusters\[0\]\.ipv4Subnets\[0\]: "2600:1f16:5de:8b03::\/64" is an IPv6 block/);
  });
});

describe('messages name the largest contributors and count the rest', () => {
  test('3,000 apps on a cluster too small: three apps named, 2,997 counted', () => {
    const apps = [app('app2', 10000), ...Array.from({ length: 2999 }, (_, index) => app(`svc${index}`, 5))];
    const { warnings } = planProblems(plan(fleetYaml([ipv6Cluster(m5LargeGroup(50), 'ipv6-east', '\n    loadBalancerQuotas: { targetsPerLoadBalancer: 10000, targetsPerTargetGroup: 10000, loadBalancersPerRegion: 3000 }')], apps)));
    expect(warnings).toEqual([expect.stringContaining('pods (app2: 10,000, svc0: 5, svc1: 5 and 2,997 more apps: 14,985, add-ons: 17) need')]);
    expect(warnings[0].length).toBeLessThan(400);
  });
});
