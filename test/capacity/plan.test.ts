import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fieldLines, FleetConfigError, parseFleet } from '../../config/load';
import { defaultInstanceSource, instanceDataFile, instanceDataText, vcpusFromSizeName } from '../../scripts/refresh-instance-data';
import { daemonSetPodsPerNode, ipv4NodeEnis, maxPodsPerNode, planFleet, rolloutPeak, spreadPods, type ClusterPlan, type FleetPlan } from '../../capacity/plan';
import { formatPlanTable, planProblems } from '../../capacity/report';
import { checkCapacity } from '../../app/synth';
import { addonCatalog } from '../../catalog/addons';
import { testAppRollingUpdate } from '../../catalog/test-app';
import { instanceTypeData, UnknownInstanceTypeError } from '../../config/instance-types';
import { largeFleetRegions, largeFleetYaml } from '../fixtures/large-fleet';
import { demoFleet, findObject, lineOf, renderParsed, setReplicas } from '../support/fixtures';

const projectRoot = join(__dirname, '..', '..');

// Fixtures: the blog's two clusters, each with one m5.large node group unless a test gives others.
const m5LargeGroup = (maxSize: number, extra = '') => `[{ name: default, instanceType: m5.large, minSize: 3, maxSize: ${maxSize}${extra} }]`;

/** An EKS endpoint's id for a cluster name: hex, as EKS gives it. */
const endpointId = (name: string) => Buffer.from(name).toString('hex').toUpperCase().padEnd(32, '0').slice(0, 32);

function ipv4Cluster(nodeGroups = m5LargeGroup(30), name = 'legacy-ipv4', extra = ''): string {
  return `
  - name: ${name}
    ipFamily: ipv4
    kubernetesVersion: "1.33"
    server: https://${endpointId(name)}.gr7.us-east-2.eks.amazonaws.com
    region: us-east-2
    accountId: "111122223333"
    vpcId: vpc-0a1b2c3d4e5f60718
    subnets: [10.230.16.0/22, 10.230.20.0/22, 10.230.24.0/22]
    register: false
    nodeGroups: ${nodeGroups}${extra}`;
}

function ipv6Cluster(nodeGroups = m5LargeGroup(120), name = 'ipv6-east', extra = ''): string {
  // Each cluster's own /64s, from its name: two clusters never share a subnet.
  const site = [...name].reduce((sum, character) => sum + character.charCodeAt(0), 0).toString(16);
  return `
  - name: ${name}
    ipFamily: ipv6
    kubernetesVersion: "1.33"
    server: https://${endpointId(name)}.gr7.us-east-2.eks.amazonaws.com
    region: us-east-2
    accountId: "111122223333"
    vpcId: vpc-0f1e2d3c4b5a69788
    subnets: ["2600:1f16:${site}:8b03::/64", "2600:1f16:${site}:8b04::/64", "2600:1f16:${site}:8b05::/64"]
    register: false
    nodeGroups: ${nodeGroups}${extra}`;
}

/** An IPv6 cluster the project created (provisioning: create) and imported: its private and public IPv4 blocks are its VPC's. */
function createdIpv6Cluster(vpcCidr: string, nodeGroups = m5LargeGroup(120), name = 'ipv6-east', extra = ''): string {
  return ipv6Cluster(nodeGroups, name, `\n    provisioning: create\n    vpc: { cidr: ${vpcCidr} }${extra}`);
}

/** The IPv4 blocks of an existing IPv6 cluster's dual-stack and public subnets, so the plan counts every IPv4 address. */
const ipv6Blocks = '\n    ipv4Subnets: [10.240.16.0/22, 10.240.20.0/22, 10.240.24.0/22]\n    publicSubnets: [10.240.0.0/24, 10.240.1.0/24, 10.240.2.0/24]';

/** apps: YAML list items, e.g. `{ name: app2, ..., replicas: 10000, clusters: [legacy-ipv4] }`. */
function fleetYaml(clusters: readonly string[], apps: readonly string[]): string {
  return `repo: { url: https://github.com/example-org/eks-ipv6-gitops.git }
domain: apps.example.com
administrators: [arn:aws:iam::111122223333:role/platform-admin]
clusters:${clusters.join('')}
apps:${apps.map((app) => `\n  - ${app}`).join('') || ' []'}
`;
}

const app = (name: string, replicas: number, clusters?: string) =>
  `{ name: ${name}, backgroundColor: blue, containerPort: 80, replicas: ${replicas}${clusters ? `, clusters: ${clusters}` : ''} }`;

/** An app with an ALB of its own (loadBalancer: own): each such app takes an ALB, its public addresses and a share of the region's quota. */
const ownApp = (name: string, replicas: number, clusters?: string) => app(name, replicas, clusters).replace(/ }$/, ', loadBalancer: own }');

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

describe('ipv4NodeEnis: the VPC CNI\'s ENIs on an IPv4 node (WARM_ENI_TARGET=1)', () => {
  // The cases of amazon-vpc-cni-k8s docs/eni-and-ip-target.md with WARM_ENI_TARGET=1: t3.small (3 ENIs, 4 addresses
  // each, 3 of them secondary) and p3dn.24xlarge (15 ENIs, 50 each).
  test.each([
    ['t3.small', 0, 1],
    ['t3.small', 5, 3],
    ['t3.small', 9, 3],
    ['p3dn.24xlarge', 0, 1],
    ['p3dn.24xlarge', 3, 2],
    ['p3dn.24xlarge', 95, 3],
  ])('%s with %d pods holds %d ENIs', (instanceType, pods, enis) => {
    expect(ipv4NodeEnis(instanceTypeData(instanceType), pods)).toBe(enis);
  });

  test('a full m5.large (26 pods) holds all 3 ENIs, 30 addresses', () => {
    expect(ipv4NodeEnis(instanceTypeData('m5.large'), 29 - 3)).toBe(3);
  });

  test('a node whose pods exactly fill its ENIs still attaches a warm one', () => {
    // m5.large: 9 secondary addresses per ENI; 9 pods fill the first ENI, so a second one is attached warm
    expect(ipv4NodeEnis(instanceTypeData('m5.large'), 9)).toBe(2);
    expect(ipv4NodeEnis(instanceTypeData('m5.large'), 10)).toBe(3);
  });
});

describe('spreadPods: pods spread over the nodes as the scheduler spreads them', () => {
  test('evenly over one group: the remainder one pod more on as many nodes', () => {
    expect(spreadPods([{ usablePodsPerNode: 26 }], [3], 7)).toEqual([{ group: 0, nodes: 1, podsPerNode: 3 }, { group: 0, nodes: 2, podsPerNode: 2 }]);
  });

  test('a group with fewer pods per node fills up first, the others share the rest', () => {
    // GIVEN 2 nodes of 10 pods and 2 of 100: 201 pods fill the small ones, the big ones take 91 and 90
    const shares = spreadPods([{ usablePodsPerNode: 100 }, { usablePodsPerNode: 10 }], [2, 2], 201);
    expect(shares).toEqual([{ group: 1, nodes: 2, podsPerNode: 10 }, { group: 0, nodes: 1, podsPerNode: 91 }, { group: 0, nodes: 1, podsPerNode: 90 }]);
  });
});

describe('rolloutPeak: the pods of a rolling update at its peak (maxSurge 5% up, maxUnavailable 5% down)', () => {
  test.each([
    [10000, 500, 1000, 11500],
    [5, 1, 1, 7],
    [2850, 143, 285, 3278],
    [0, 0, 0, 0],
  ])('%d replicas: %d surge, %d draining, %d at the peak', (replicas, surge, draining, pods) => {
    expect(rolloutPeak(replicas)).toEqual({ surge, draining, pods });
  });

  test('the plan counts the strategy the chart renders', () => {
    const { objects } = renderParsed(demoFleet());
    expect(findObject(objects, 'Deployment', 'app0').spec.strategy.rollingUpdate)
      .toEqual({ maxSurge: `${testAppRollingUpdate.maxSurgePercent}%`, maxUnavailable: `${testAppRollingUpdate.maxUnavailablePercent}%` });
  });
});

describe('planFleet: IPv4 addresses', () => {
  test('three /22 subnets give 3 x (1024 - 5) = 3,057 usable addresses', () => {
    const legacy = clusterPlan(plan(fleetYaml([ipv4Cluster(), ipv6Cluster()], blogApps(5))), 'legacy-ipv4');
    expect(legacy.ipv4Addresses?.subnets.map((subnet) => subnet.usable)).toEqual([1024 - 5, 1024 - 5, 1024 - 5]);
    expect(legacy.ipv4Addresses?.usable).toBe(3 * (1024 - 5));
    expect(legacy.ipv4Addresses?.usable).toBe(3057);
  });

  test('every node holds whole ENIs: the pods\' addresses, the ENIs\' primary ones and a warm ENI\'s', () => {
    // GIVEN only the add-ons on legacy-ipv4 (the apps default to IPv6 clusters)
    const legacy = clusterPlan(plan(fleetYaml([ipv4Cluster(), ipv6Cluster()], blogApps(5))), 'legacy-ipv4');
    // THEN 7 pods spread over the 3 nodes minSize keeps (3, 2, 2): each node has pods on its primary ENI and a warm
    // second ENI, 2 x 10 addresses
    expect(legacy.podsWanted).toBe(addonPodsPerCluster);
    expect(legacy.nodesNeeded).toBe(3);
    expect(legacy.ipv4Addresses).toMatchObject({ pods: 7, nodes: 3, enis: 3 * 2, warm: 60 - 7 - 6, used: 3 * 2 * 10 });
  });

  test('110 full m5.large nodes hold 3 ENIs x 10 = 3,300 addresses, more than three /22s have', () => {
    // GIVEN app1 at 2,480 replicas: 2,480 + 124 surge + 248 draining + 7 add-ons = 2,859 pods at a rollout's peak,
    // ceil(2,859 / 26) = 110 nodes, each with 25 or 26 pods: all 3 ENIs
    const fleetPlan = plan(fleetYaml([ipv4Cluster(m5LargeGroup(200)), ipv6Cluster()], [app('app1', 2480, '[legacy-ipv4]')]));
    const legacy = clusterPlan(fleetPlan, 'legacy-ipv4');
    expect(legacy.podsAtPeak).toBe(2859);
    expect(legacy.nodesNeeded).toBe(110);
    // THEN 3,300 > 3,057, where one address per pod and per node would have been 2,969
    expect(legacy.ipv4Addresses).toMatchObject({ pods: 2859, nodes: 110, enis: 330, used: 3300, usable: 3057 });
    expect(legacy.verdict).toBe('out of IPv4 addresses');
    expect(planProblems(fleetPlan).errors).toEqual([
      'legacy-ipv4: out of IPv4 addresses: 2,859 pods at a rollout\'s peak (app1: 2,852, add-ons: 7) on 110 nodes hold 3,300 addresses with their 330 ENIs '
      + '(the VPC CNI attaches whole ENIs and keeps one warm), the 3 subnets have 3,057. Fix: place app1 on ipv6-east instead of legacy-ipv4.',
    ]);
  });

  test('app2 at 10000 replicas on the IPv4 cluster is refused, and the fix places it on the IPv6 cluster', () => {
    // GIVEN
    const fleetPlan = plan(fleetYaml([ipv4Cluster(), ipv6Cluster()], blogApps(10000, '[legacy-ipv4]')));
    // WHEN
    const legacy = clusterPlan(fleetPlan, 'legacy-ipv4');
    const { errors, warnings } = planProblems(fleetPlan);
    // THEN pods at a rollout's peak: 11,500 + 7 add-ons = 11,507; m5.large on IPv4: 29 - 3 DaemonSet = 26 pods per node;
    // nodes: ceil(11,507 / 26) = 443, each with 25 or 26 pods, so all 3 ENIs of 10 addresses: 13,290 > 3,057
    expect(legacy.podsWanted).toBe(10000 + 7);
    expect(legacy.podsAtPeak).toBe(11500 + 7);
    expect(legacy.nodeGroups[0].usablePodsPerNode).toBe(29 - 3);
    expect(legacy.nodesNeeded).toBe(Math.ceil(11507 / 26));
    expect(legacy.nodesNeeded).toBe(443);
    expect(legacy.ipv4Addresses).toMatchObject({ pods: 11507, nodes: 443, enis: 443 * 3, used: 443 * 3 * 10 });
    expect(legacy.verdict).toBe('out of IPv4 addresses');
    expect(legacy.fix).toMatchObject({ action: 'move-apps', moves: [{ app: 'app2', pods: 10000, to: 'ipv6-east', alreadyThere: false }], addressesStillMissing: 0 });
    expect(errors).toEqual([
      'legacy-ipv4: out of IPv4 addresses: 11,507 pods at a rollout\'s peak (app2: 11,500, add-ons: 7) on 443 nodes hold 13,290 addresses with their 1,329 ENIs '
      + '(the VPC CNI attaches whole ENIs and keeps one warm), the 3 subnets have 3,057. Fix: place app2 on ipv6-east instead of legacy-ipv4.',
    ]);
    // ... and 11,500 targets behind one ALB are over its target quotas, wherever it runs
    expect(warnings).toContainEqual(expect.stringMatching(/^legacy-ipv4: load balancer quota exceeded: app2: 11,500 IP targets at a rollout's peak/));
  });

  test('apps with most replicas move first, and only until the rest fits', () => {
    // GIVEN app2 2,000 (2,300 at the peak) + app1 1,500 (1,725) + 7 add-ons = 4,032 pods on ceil(4,032 / 26) = 156 full nodes:
    // 4,680 addresses > 3,057
    const apps = [app('app1', 1500, '[legacy-ipv4]'), app('app2', 2000, '[legacy-ipv4]')];
    const legacy = clusterPlan(plan(fleetYaml([ipv4Cluster(), ipv6Cluster()], apps)), 'legacy-ipv4');
    expect(legacy.ipv4Addresses?.used).toBe(156 * 30);
    // THEN without app2: 1,732 pods on 67 full nodes, 2,010 addresses, which fit; app1 stays
    expect(legacy.verdict).toBe('out of IPv4 addresses');
    expect(legacy.fix).toMatchObject({ moves: [{ app: 'app2', to: 'ipv6-east' }] });
  });

  test('an app that already runs on an IPv6 cluster only leaves the IPv4 cluster', () => {
    const weighted = '[{ name: legacy-ipv4, weight: 100 }, { name: ipv6-east, weight: 0 }]';
    const fleetPlan = plan(fleetYaml([ipv4Cluster(), ipv6Cluster()], blogApps(10000, weighted)));
    expect(clusterPlan(fleetPlan, 'legacy-ipv4').fix?.text).toBe("take legacy-ipv4 out of app2's clusters (it runs on ipv6-east too)");
    // Every cluster an app is placed on runs all its replicas.
    expect(clusterPlan(fleetPlan, 'ipv6-east').apps).toContainEqual({ app: 'app2', pods: 10000, rollout: { surge: 500, draining: 1000, pods: 11500 }, clusters: ['legacy-ipv4', 'ipv6-east'], loadBalancer: 'shared' });
  });

  test('the fix names the IPv6 cluster with most spare pods', () => {
    // GIVEN ipv6-small holds 10 x 107 pods, ipv6-big 120 x 107
    const clusters = [ipv4Cluster(), ipv6Cluster(m5LargeGroup(10), 'ipv6-small'), ipv6Cluster(m5LargeGroup(120), 'ipv6-big')];
    const fleetPlan = plan(fleetYaml(clusters, blogApps(10000, '[legacy-ipv4]')).replace('\nclusters:', '\nargocd: { cluster: ipv6-big }\nclusters:'));
    expect(clusterPlan(fleetPlan, 'legacy-ipv4').fix?.text).toBe('place app2 on ipv6-big instead of legacy-ipv4');
  });

  test('without an IPv6 cluster the fix says to add one', () => {
    const fleetPlan = plan(fleetYaml([ipv4Cluster()], [app('app2', 10000, '[legacy-ipv4]')]));
    expect(clusterPlan(fleetPlan, 'legacy-ipv4').fix?.text).toBe('move app2 to an IPv6 cluster (the fleet has none yet: add one)');
  });

  test('when the add-ons and nodes alone do not fit, the fix also asks for subnets', () => {
    // GIVEN one /28: 16 - 5 = 11 usable; add-ons 7 + Argo CD 10 = 17 pods on 3 nodes (6, 6, 5) of 2 ENIs each hold 60
    const tiny = ipv4Cluster().replace('[10.230.16.0/22, 10.230.20.0/22, 10.230.24.0/22]', '[10.230.16.0/28]');
    const legacy = clusterPlan(plan(fleetYaml([tiny], [app('app2', 5, '[legacy-ipv4]')])), 'legacy-ipv4');
    expect(legacy.fix).toMatchObject({ action: 'move-apps', addressesStillMissing: 3 * 2 * 10 - 11 });
    expect(legacy.fix?.text).toMatch(/add IPv4 subnets: the add-ons and their nodes alone still lack 49 addresses$/);
  });

  test('a fix that moves 1,000 apps names the three largest and counts the rest, in the table and in the error', () => {
    // GIVEN 1,000 apps of 5 replicas on the IPv4 cluster, the first one larger
    const apps = [app('big', 50, '[legacy-ipv4]'), ...Array.from({ length: 999 }, (_, index) => app(`svc${index}`, 5, '[legacy-ipv4]'))];
    const spread = '\n    sharedLoadBalancers: 20';
    const fleetPlan = plan(fleetYaml([ipv4Cluster(m5LargeGroup(30), 'legacy-ipv4', spread), ipv6Cluster()], apps));
    const legacy = clusterPlan(fleetPlan, 'legacy-ipv4');
    // THEN the moves are all there for machines, the text names three
    expect(legacy.fix?.action === 'move-apps' && legacy.fix.moves.length).toBeGreaterThan(500);
    expect(legacy.fix?.text).toMatch(/^place big, svc0, svc1 and [\d,]+ more on ipv6-east instead of legacy-ipv4$/);
    const [error] = planProblems(fleetPlan).errors;
    expect(error.length).toBeLessThan(400);
    const fixLine = formatPlanTable(fleetPlan).split('\n').find((line) => line.startsWith('  fix') && line.includes('legacy-ipv4'))!;
    expect(fixLine.length).toBeLessThan(200);
  });

  test('apps that already run on IPv6 clusters leave in one phrase, the first three named', () => {
    const weighted = '[{ name: legacy-ipv4, weight: 100 }, { name: ipv6-east, weight: 0 }]';
    const apps = Array.from({ length: 500 }, (_, index) => app(`svc${index}`, 10, weighted));
    const fix = clusterPlan(plan(fleetYaml([ipv4Cluster(), ipv6Cluster(m5LargeGroup(200))], apps)), 'legacy-ipv4').fix;
    expect(fix?.text).toMatch(/^take legacy-ipv4 out of the clusters of svc0, svc1, svc2 and [\d,]+ more \(they run on ipv6-east too\)$/);
  });
});

describe('planFleet: nodes', () => {
  // app0 5 + app1 5 + app2 10,000 + 7 add-ons + 10 Argo CD pods (Argo CD runs on the first IPv6 cluster)
  const ipv6Pods = 5 + 5 + 10000 + addonPodsPerCluster + argocdPods;
  // at a rollout's peak: app0 and app1 7 each (1 surge, 1 draining), app2 11,500 (500 surge, 1,000 draining)
  const ipv6PeakPods = 7 + 7 + 11500 + addonPodsPerCluster + argocdPods;

  test('app2 at 10000 on the IPv6 cluster needs ceil(11,531 / (110 - 3)) = 108 m5.large nodes at a rollout\'s peak, below maxSize 120', () => {
    const east = clusterPlan(plan(fleetYaml([ipv4Cluster(), ipv6Cluster(m5LargeGroup(120))], blogApps(10000))), 'ipv6-east');
    expect(east.podsWanted).toBe(ipv6Pods);
    expect(east.podsAtPeak).toBe(ipv6PeakPods);
    expect(east.podsAtPeak).toBe(11531);
    expect(east.nodeGroups[0].usablePodsPerNode).toBe(110 - daemonSetPodsPerNode);
    expect(east.nodesNeeded).toBe(Math.ceil(ipv6PeakPods / (110 - 3)));
    expect(east.nodesNeeded).toBe(108);
    // Without ipv4Subnets the plan does not know the IPv4 blocks; the node groups fit, the ALB's target quotas do not.
    expect(east.ipv4Addresses).toBeNull();
    expect(east.fix).toBeNull();
    expect(east.verdict).toBe('load balancer quota exceeded');
  });

  test('nodes for the rollout\'s surge: 100 nodes hold the 10,027 pods (94 nodes) but not the 11,531 of a rollout', () => {
    const fleetPlan = plan(fleetYaml([ipv6Cluster(m5LargeGroup(100))], blogApps(10000)));
    expect(Math.ceil(ipv6Pods / 107)).toBe(94);
    expect(clusterPlan(fleetPlan, 'ipv6-east').fix).toEqual({ action: 'raise-max-size', nodeGroup: 'default', maxSize: 108, text: 'raise maxSize of default to 108' });
  });

  test('a node-group maxSize below the nodes needed is a warning with the maxSize to set', () => {
    // GIVEN maxSize 50: 50 x 107 = 5,350 pods < 11,531
    const fleetPlan = plan(fleetYaml([ipv4Cluster(), ipv6Cluster(m5LargeGroup(50), 'ipv6-east', ipv6Blocks)], blogApps(10000)));
    // WHEN
    const east = clusterPlan(fleetPlan, 'ipv6-east');
    const { errors, warnings } = planProblems(fleetPlan);
    // THEN
    expect(east.verdict).toBe('node-group max too small');
    expect(east.podCapacity).toBe(50 * 107);
    expect(east.fix).toEqual({ action: 'raise-max-size', nodeGroup: 'default', maxSize: 108, text: 'raise maxSize of default to 108' });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      'ipv6-east: node-group max too small: 10,027 pods (app2: 10,000, app0: 5, app1: 5, add-ons: 17), 11,531 at a rollout\'s peak, need 108 nodes, but node group default '
      + 'stops at 50 m5.large nodes of 107 pods (max pods - 3 DaemonSet pods), 5,350 pods in all. Fix: raise maxSize of default to 108.',
      expect.stringMatching(/^ipv6-east: load balancer quota exceeded: /),
    ]);
  });

  test('capacity.nodeGroupMaxTooSmall: error turns the node-group warning into an error', () => {
    const { errors } = planProblems(plan(fleetYaml([ipv4Cluster(), ipv6Cluster(m5LargeGroup(50))], blogApps(10000))), { nodeGroupMaxTooSmall: 'error', loadBalancerQuotaExceeded: 'warning' });
    expect(errors).toEqual([expect.stringMatching(/^ipv6-east: node-group max too small: .* Fix: raise maxSize of default to 108\.$/)]);
  });

  test('a node group\'s maxPods overrides the instance type\'s', () => {
    // 58 - 3 = 55 pods per node: ceil(11,531 / 55) = 210 nodes (55 x 209 = 11,495)
    const east = clusterPlan(plan(fleetYaml([ipv4Cluster(), ipv6Cluster(m5LargeGroup(250, ', maxPods: 58'))], blogApps(10000))), 'ipv6-east');
    expect(east.nodeGroups[0]).toMatchObject({ maxPods: 58, maxPodsOverridden: true, ipv6Cap: null, usablePodsPerNode: 58 - 3 });
    expect(east.nodesNeeded).toBe(Math.ceil(ipv6PeakPods / 55));
    expect(east.nodesNeeded).toBe(210);
  });

  test('several node groups: minSize nodes first, then the group with most pods per node fills first', () => {
    // GIVEN small: m5.large, 107 pods per node, min 2; big: m5.8xlarge, 250 - 3 = 247 pods per node, min 0
    const groups = '[{ name: small, instanceType: m5.large, minSize: 2, maxSize: 50 }, { name: big, instanceType: m5.8xlarge, minSize: 0, maxSize: 10 }]';
    const east = clusterPlan(plan(fleetYaml([ipv6Cluster(groups)], [app('app2', 2000)])), 'ipv6-east');
    // THEN 2,300 at a rollout's peak + 17 = 2,317 pods; 2 small nodes hold 214; big takes ceil((2,317 - 214) / 247) = 9 nodes
    expect(east.podsAtPeak).toBe(2300 + 17);
    expect(east.nodeGroups.map((group) => [group.name, group.nodesNeeded])).toEqual([['big', Math.ceil((2317 - 2 * 107) / 247)], ['small', 2]]);
    expect(east.fix).toBeNull();
  });

  test('with several node groups, pods beyond every max go to the group with most pods per node', () => {
    // GIVEN 11,517 pods at a rollout's peak; at max: big 10 x 247 + small 50 x 107 = 7,820; 3,697 left: ceil(3,697 / 247) = 15 more big nodes
    const groups = '[{ name: small, instanceType: m5.large, minSize: 2, maxSize: 50 }, { name: big, instanceType: m5.8xlarge, minSize: 1, maxSize: 10 }]';
    const east = clusterPlan(plan(fleetYaml([ipv6Cluster(groups)], [app('app2', 10000)])), 'ipv6-east');
    expect(east.podCapacity).toBe(10 * 247 + 50 * 107);
    expect(east.fix).toMatchObject({ action: 'raise-max-size', nodeGroup: 'big', maxSize: 10 + Math.ceil((11517 - 7820) / 247) });
  });
});

describe('planFleet: demand', () => {
  test('the demo fleet fits everywhere', () => {
    // GIVEN
    const fleetPlan = planFleet(demoFleet());
    // THEN legacy-ipv4 runs the 7 add-on pods; ipv6-east app0-2 at 5 each, podinfo's 4, 7 add-on and 10 Argo CD pods
    expect(fleetPlan.clusters.map((cluster) => [cluster.cluster, cluster.podsWanted, cluster.verdict])).toEqual([
      ['legacy-ipv4', addonPodsPerCluster, 'fits'],
      ['ipv6-east', 3 * 5 + 4 + addonPodsPerCluster + argocdPods, 'fits'],
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

  test('an IPv4 cluster shows addresses held and usable, ALB addresses, pods, the rollout peak, pods per node, nodes, load balancers, verdict and fix', () => {
    expect(block('legacy-ipv4').split('\n')).toEqual([
      'legacy-ipv4 (IPv4)',
      '  IPv4 addresses  13,290 held by 1,329 ENIs of 443 nodes (11,507 pods + 1,329 ENI primary addresses + 454 warm) of 3,057 usable in 3 subnets',
      '  ALB addresses   not planned: fleet.yaml gives no public subnets (clusters[0].publicSubnets), where 1 ALB takes an address in each zone',
      '  IPv6 addresses  none (IPv4 cluster)',
      '  pods wanted     10,007 = app2 10,000 + add-ons 7 (cert-manager 3, aws-load-balancer-controller 2, cluster-autoscaler 1, external-dns 1)',
      '  rollout peak    11,507 = app2 11,500 + add-ons 7 (replicas + 5% surge + a step\'s old pods draining)',
      '  pods per node   default (m5.large): 29 (3 ENIs x (10 - 1) + 2) - 3 DaemonSet = 26',
      '  nodes needed    443 of node-group max 30 (min 3)',
      '  load balancers  1 ALB (0 shared, 1 of an app\'s own; IP targets), the busiest: own-app2 (app2): 1 rule, 1 target group, 11,500 targets at a rollout\'s peak, '
      + '0 certificates beside the default one. Per ALB: 100 rules, 100 target groups, 1,000 targets, 25 certificates; 1,000 targets per target group',
      '  verdict         out of IPv4 addresses',
      '  fix             place app2 on ipv6-east instead of legacy-ipv4; and request "Targets per Application Load Balancer" and '
      + '"Targets per Target Group per Region" of 11,500 (app2\'s 10,000 pods and, in a rollout, 500 surge and 1,000 draining) for account 111122223333 in us-east-2 '
      + '(Service Quotas, Elastic Load Balancing), then declare them on every cluster of that account and region, which must all declare the same quotas: '
      + 'clusters[0].loadBalancerQuotas.targetsPerLoadBalancer: 11500, clusters[0].loadBalancerQuotas.targetsPerTargetGroup: 11500 (legacy-ipv4) and '
      + 'clusters[1].loadBalancerQuotas.targetsPerLoadBalancer: 11500, clusters[1].loadBalancerQuotas.targetsPerTargetGroup: 11500 (ipv6-east)',
    ]);
  });

  test('an IPv6 cluster shows both families: IPv4 not planned without ipv4Subnets, and the cap that applied', () => {
    expect(block('ipv6-east')).toContain('  IPv4 addresses  not planned: fleet.yaml gives no IPv4 blocks of the subnets (clusters[1].ipv4Subnets), where 3 nodes take one address each');
    expect(block('ipv6-east')).toContain('  IPv6 addresses  a /64 per subnet: never the limit\n');
    expect(block('ipv6-east')).toContain('default (m5.large): 110 (3 ENIs x (10 - 1) x 16 + 2, capped at 110: 2 vCPUs by the size name) - 3 DaemonSet = 107');
    expect(block('ipv6-east')).toContain('  verdict         fits\n  fix             -');
  });

  test('a created cluster shows its VPC\'s public subnets, where its ALBs and NAT gateways are', () => {
    const created = formatPlanTable(plan(fleetYaml([createdIpv6Cluster('10.231.0.0/16')], blogApps(5))));
    expect(created).toContain('  ALB addresses   1 ALB and 1 NAT gateway take 2 of 251 in 10.231.0.0/24, the tightest of 3 public subnets (clusters[0].vpc.cidr); the controller needs 8 free\n');
    expect(created).toContain('  IPv4 addresses  3 used (3 nodes, one each) of 12,273 usable in 3 subnets\n');
  });

  test('the regions\' ALBs against their quota', () => {
    expect(table).toContain('load balancers by account and region\n  us-east-2 (account 111122223333): 2 ALBs of 50 per region, 3 target groups of 3,000 per region, for legacy-ipv4 and ipv6-east\n');
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
  const quotaWarnings = (warnings: readonly string[]) => warnings.filter((warning) => warning.includes('load balancer quota exceeded'));

  test('app2 at 10,000 pods behind one ALB exceeds the default target quotas: a warning that names the quotas to request and the line to declare', () => {
    // GIVEN app2 at 10,000 on the IPv6 cluster, whose account has AWS's default quotas
    const fleetPlan = plan(fleetYaml([ipv4Cluster(), ipv6Cluster(m5LargeGroup(120), 'ipv6-east', ipv6Blocks)], blogApps(10000)));
    // WHEN
    const east = clusterPlan(fleetPlan, 'ipv6-east');
    const { errors, warnings } = planProblems(fleetPlan);
    // THEN every pod is one IP target of app2's ALB and its target group, and a rollout adds 500 surge and 1,000 draining
    expect(east.loadBalancers).toMatchObject({ loadBalancers: 2, mostTargets: 11500, quotas: { targetsPerLoadBalancer: 1000, targetsPerTargetGroup: 1000 } });
    expect(east.loadBalancers.overTargetQuota.map((demand) => demand.app)).toEqual(['app2']);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      'ipv6-east: load balancer quota exceeded: app2: 11,500 IP targets at a rollout\'s peak (the pods, their 5% surge and the old pods still draining) behind an ALB of their own, '
      + 'over the 1,000 an ALB and its target group may hold: the load balancer controller registers 1,000 (TooManyTargets) and, with readiness gates, the pods beyond '
      + 'never become ready, so the rollout stops there. Fix: request "Targets per Application Load Balancer" and "Targets per Target Group per Region" of 11,500 '
      + '(app2\'s 10,000 pods and, in a rollout, 500 surge and 1,000 draining) for account 111122223333 in us-east-2 (Service Quotas, Elastic Load Balancing), '
      + 'then declare them on every cluster of that account and region, which must all declare the same quotas: '
      + 'clusters[0].loadBalancerQuotas.targetsPerLoadBalancer: 11500, clusters[0].loadBalancerQuotas.targetsPerTargetGroup: 11500 (legacy-ipv4) and '
      + 'clusters[1].loadBalancerQuotas.targetsPerLoadBalancer: 11500, clusters[1].loadBalancerQuotas.targetsPerTargetGroup: 11500 (ipv6-east).',
    ]);
  });

  test('replicas equal to the target quota do not fit: a rollout registers its surge and still holds its draining pods', () => {
    // GIVEN quotas of 10,000 and app2 at 10,000 replicas
    const fleetPlan = plan(fleetYaml([ipv6Cluster(m5LargeGroup(120), 'ipv6-east', ipv6Blocks + quotas(10000))], blogApps(10000)));
    const east = clusterPlan(fleetPlan, 'ipv6-east');
    // THEN 11,500 targets at the peak: the fix asks for that much
    expect(east.verdict).toBe('load balancer quota exceeded');
    expect(east.loadBalancerFix).toMatchObject({ action: 'raise-target-quotas', targets: 11500 });
    expect(quotaWarnings(planProblems(fleetPlan).warnings)).toEqual([expect.stringContaining(' of 11,500 (app2\'s 10,000 pods and, in a rollout, 500 surge and 1,000 draining) ')]);
  });

  test('capacity.loadBalancerQuotaExceeded: error refuses the same fleet', () => {
    const fleetPlan = plan(fleetYaml([ipv4Cluster(), ipv6Cluster()], blogApps(10000)));
    const { errors, warnings } = planProblems(fleetPlan, { nodeGroupMaxTooSmall: 'warning', loadBalancerQuotaExceeded: 'error' });
    expect(errors).toEqual([expect.stringMatching(/^ipv6-east: load balancer quota exceeded: app2: 11,500 IP targets/)]);
    expect(quotaWarnings(warnings)).toEqual([]);
  });

  test('the same fleet is clean once quotas with the rollout\'s headroom are declared', () => {
    const fleetPlan = plan(fleetYaml([ipv6Cluster(m5LargeGroup(120), 'ipv6-east', ipv6Blocks + quotas(11500))], blogApps(10000)));
    expect(clusterPlan(fleetPlan, 'ipv6-east').verdict).toBe('fits');
    expect(planProblems(fleetPlan)).toEqual({ errors: [], warnings: [] });
  });

  test('a quota raised for only one of the two names only that one', () => {
    const partly = '\n    loadBalancerQuotas: { targetsPerLoadBalancer: 20000 }';
    const east = clusterPlan(plan(fleetYaml([ipv6Cluster(m5LargeGroup(120), 'ipv6-east', partly)], blogApps(10000))), 'ipv6-east');
    expect(east.loadBalancerFix?.text).toBe('request "Targets per Target Group per Region" of 11,500 (app2\'s 10,000 pods and, in a rollout, 500 surge and 1,000 draining) '
      + 'for account 111122223333 in us-east-2 (Service Quotas, Elastic Load Balancing), then declare it on every cluster of that account and region, which must all declare the same quotas: '
      + 'clusters[0].loadBalancerQuotas.targetsPerTargetGroup: 11500 (ipv6-east)');
  });

  test('51 apps with ALBs of their own in one account and region exceed its 50 "Application Load Balancers per Region"', () => {
    const apps = Array.from({ length: 51 }, (_, index) => ownApp(`svc${index}`, 1));
    const { warnings } = planProblems(plan(fleetYaml([ipv6Cluster(m5LargeGroup(120), 'ipv6-east', ipv6Blocks)], apps)));
    expect(warnings).toEqual([
      'us-east-2 (account 111122223333): load balancer quota exceeded: ipv6-east run 51 ALBs (shared ones and apps\' own), over the 50 "Application Load Balancers per Region". '
      + 'Fix: request "Application Load Balancers per Region" of 51 for account 111122223333 in us-east-2, then declare it on every cluster of that account and region, '
      + 'which must all declare the same quotas: clusters[0].loadBalancerQuotas.loadBalancersPerRegion: 51 (ipv6-east); '
      + 'or let apps with ALBs of their own (apps[].loadBalancer: own) share their clusters\' ALBs.',
    ]);
  });

  describe('"Target Groups per Region": one per app on each cluster it runs on, counted per account and region', () => {
    // Two IPv6 clusters of one account and region, 40 shared ALBs each (the region's 80 ALBs declared), and an IPv4 cluster
    // elsewhere whose apps do not count here.
    const spread = '\n    sharedLoadBalancers: 40\n    loadBalancerQuotas: { loadBalancersPerRegion: 80 }';
    const clusters = [
      ipv6Cluster(m5LargeGroup(120), 'ipv6-east', `${ipv6Blocks}${spread}`),
      ipv6Cluster(m5LargeGroup(120), 'ipv6-west', `\n    ipv4Subnets: [10.241.16.0/22, 10.241.20.0/22, 10.241.24.0/22]\n    publicSubnets: [10.241.0.0/24, 10.241.1.0/24, 10.241.2.0/24]${spread}`),
      ipv4Cluster(m5LargeGroup(30), 'legacy-ipv4', '\n    publicSubnets: [10.230.0.0/24, 10.230.1.0/24, 10.230.2.0/24]').replace(/us-east-2/g, 'eu-west-1'),
    ];
    /** 1,500 apps on both IPv6 clusters (3,000 target groups), `more` on ipv6-east alone, one on the IPv4 cluster. */
    const fleet = (more: number) => fleetYaml(clusters, [
      ...Array.from({ length: 1500 }, (_, index) => app(`svc${index}`, 1)),
      ...Array.from({ length: more }, (_, index) => app(`extra${index}`, 1, '[ipv6-east]')),
      app('legacy', 1, '[legacy-ipv4]'),
    ]).replace('clusters:', 'argocd: { cluster: ipv6-east }\nclusters:');

    test('at exactly 3,000 the region fits, and the plan table says so', () => {
      const fleetPlan = plan(fleet(0));
      expect(fleetPlan.regions.map(({ region, targetGroups, targetGroupQuota }) => [region, targetGroups, targetGroupQuota])).toEqual([['us-east-2', 3000, 3000], ['eu-west-1', 1, 3000]]);
      expect(planProblems(fleetPlan)).toEqual({ errors: [], warnings: [] });
      expect(formatPlanTable(fleetPlan)).toContain('  us-east-2 (account 111122223333): 80 ALBs of 80 per region, 3,000 target groups of 3,000 per region, for ipv6-east and ipv6-west\n');
    });

    test('one over: a warning naming the largest clusters, every cluster\'s declaration with its line, and the fix; an error where capacity says so', () => {
      // GIVEN
      const text = fleet(1);
      const fleetPlan = plan(text);
      const file = join(mkdtempSync(join(tmpdir(), 'plan-')), 'fleet.yaml');
      writeFileSync(file, text);
      // Each cluster's loadBalancerQuotas, where the new key goes
      const at = (name: string) => `${file}:${lineOf(text.slice(text.indexOf(`- name: ${name}`)), 'loadBalancerQuotas') + lineOf(text, `- name: ${name}`) - 1}`;
      // WHEN
      const { errors, warnings } = planProblems(fleetPlan, undefined, fieldLines(file));
      // THEN
      expect(fleetPlan.regions[0]).toMatchObject({ targetGroups: 3001, targetGroupsByCluster: [{ cluster: 'ipv6-east', targetGroups: 1501 }, { cluster: 'ipv6-west', targetGroups: 1500 }] });
      expect(errors).toEqual([]);
      expect(warnings).toEqual([
        'us-east-2 (account 111122223333): load balancer quota exceeded: 3,001 target groups (one per app on each cluster it runs on; ipv6-east: 1,501, ipv6-west: 1,500), '
        + 'over the 3,000 "Target Groups per Region" that the account\'s ALBs and NLBs there share. The load balancer controller cannot create the target groups beyond '
        + '(TooManyTargetGroups), and the ALBs that need them take no change until it can. Fix: request "Target Groups per Region" of 3,001 for account 111122223333 in us-east-2, '
        + 'then declare it on every cluster of that account and region, which must all declare the same quotas: '
        + `clusters[0].loadBalancerQuotas.targetGroupsPerRegion: 3001 (ipv6-east, ${at('ipv6-east')}) and clusters[1].loadBalancerQuotas.targetGroupsPerRegion: 3001 (ipv6-west, ${at('ipv6-west')}); `
        + 'or place some of the apps on clusters of another account or region.',
      ]);
      expect(planProblems(fleetPlan, { nodeGroupMaxTooSmall: 'warning', loadBalancerQuotaExceeded: 'error' }).errors).toEqual([expect.stringContaining('"Target Groups per Region"')]);
      // synth warns of it, and refuses the fleet where capacity.loadBalancerQuotaExceeded says error, at fleet.yaml's clusters
      expect(checkCapacity(parseFleet(text), file)).toEqual(warnings);
      const strict = text.replace('clusters:', 'capacity: { loadBalancerQuotaExceeded: error }\nclusters:');
      writeFileSync(file, strict);
      expect(() => checkCapacity(parseFleet(strict), file)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: clusters: us-east-2 \\(account 111122223333\\): load balancer quota exceeded: 3,001 target groups`));
      // and declared once AWS has granted it, the region fits
      const granted = text.replace(/loadBalancersPerRegion: 80 \}/g, 'loadBalancersPerRegion: 80, targetGroupsPerRegion: 3001 }');
      expect(planProblems(plan(granted))).toEqual({ errors: [], warnings: [] });
    });
  });

  test('clusters in the same account and region must declare the same quotas', () => {
    const yaml = fleetYaml([ipv4Cluster(), ipv6Cluster(m5LargeGroup(120), 'ipv6-east', quotas(5000))], blogApps(5));
    expect(() => plan(yaml)).toThrow(/clusters\[1\]\.loadBalancerQuotas: differ from those of clusters\[0\] \(legacy-ipv4\), in the same account 111122223333 and region us-east-2/);
  });
});

describe('planFleet: the ALBs\' addresses in the public subnets', () => {
  const manyApps = (count: number, clusters?: string) => Array.from({ length: count }, (_, index) => ownApp(`svc${index}`, 2, clusters));
  const publicBlocks = (blocks: string) => `\n    publicSubnets: ${blocks}`;

  test('ALBs take no address from the private blocks: 260 apps fit an IPv6 cluster of three /24 ipv4Subnets', () => {
    // GIVEN 260 small apps on an existing IPv6 cluster whose dual-stack subnets have /24 IPv4 blocks (753 usable)
    const cluster = ipv6Cluster(m5LargeGroup(30), 'ipv6-west', '\n    ipv4Subnets: [10.40.16.0/24, 10.40.17.0/24, 10.40.18.0/24]\n    loadBalancerQuotas: { loadBalancersPerRegion: 300 }');
    const fleetPlan = plan(fleetYaml([cluster], manyApps(260)));
    const west = clusterPlan(fleetPlan, 'ipv6-west');
    // THEN its nodes alone take private addresses; the ALBs are not planned, and a warning names the key that plans them
    expect(west.ipv4Addresses).toMatchObject({ nodes: west.nodesNeeded, used: west.nodesNeeded, usable: 753 });
    expect(west.loadBalancerAddresses).toBeNull();
    expect(west.verdict).toBe('fits');
    const { errors, warnings } = planProblems(fleetPlan);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      'ipv6-west: IPv4 addresses not planned: its 260 ALBs take at least one in each zone from its public subnets, and fleet.yaml does not say their IPv4 blocks. '
      + 'Fix: add them as clusters[0].publicSubnets.',
    ]);
  });

  test('a created /19 VPC has public /27s of 27 addresses: 45 apps are refused, and the fix names vpc.cidr', () => {
    // GIVEN the VPC layout's public subnets of 10.231.0.0/19: 10.231.0.0/27, .32/27, .64/27, each with a NAT gateway
    const fleetPlan = plan(fleetYaml([createdIpv6Cluster('10.231.0.0/19')], Array.from({ length: 45 }, (_, index) => ownApp(`svc${index}`, 10))));
    const east = clusterPlan(fleetPlan, 'ipv6-east');
    // THEN 45 ALBs + 1 NAT gateway leave 27 - 46 free, and the controller needs 8: 27 too many
    expect(east.loadBalancerAddresses).toMatchObject({ source: 'clusters[0].vpc.cidr', missing: 8 - (27 - 46) });
    expect(east.loadBalancerAddresses?.subnets.map((subnet) => [subnet.cidr, subnet.usable, subnet.loadBalancers, subnet.natGateways]))
      .toEqual([['10.231.0.0/27', 27, 45, 1], ['10.231.0.32/27', 27, 45, 1], ['10.231.0.64/27', 27, 45, 1]]);
    // ... and the private blocks (the layout's /23s) carry the nodes only
    expect(east.ipv4Addresses).toMatchObject({ used: east.nodesNeeded, usable: 3 * (512 - 5) });
    expect(east.verdict).toBe('out of IPv4 addresses');
    expect(planProblems(fleetPlan).errors).toEqual([
      'ipv6-east: out of IPv4 addresses in its public subnets: 45 ALBs and 1 NAT gateway take at least 46 of the 27 addresses of 10.231.0.0/27 '
      + '(clusters[0].vpc.cidr), and the load balancer controller puts an ALB only in a subnet with 8 free. Fix: run 27 fewer ALBs on ipv6-east (each ALB takes '
      + 'an address in each public subnet: fewer apps with ALBs of their own, or fewer sharedLoadBalancers, which moves apps to other ALBs with no walk: minutes of 404s each), or recreate its VPC with a /18 clusters[0].vpc.cidr, whose public subnets are /26s (changing vpc.cidr replaces the VPC and the cluster in it).',
    ]);
  });

  test('the controller keeps 8 free: a public /27 with its NAT gateway holds 18 ALBs, not 19', () => {
    const fits = (apps: number) => clusterPlan(plan(fleetYaml([createdIpv6Cluster('10.231.0.0/19')], manyApps(apps))), 'ipv6-east');
    expect(fits(18)).toMatchObject({ verdict: 'fits', publicSubnetFix: null });
    expect(fits(19)).toMatchObject({ verdict: 'out of IPv4 addresses', publicSubnetFix: { action: 'free-public-addresses', missing: 1 } });
  });

  test('a created /16 VPC\'s public /24s hold the same 45 apps', () => {
    const east = clusterPlan(plan(fleetYaml([createdIpv6Cluster('10.231.0.0/16')], manyApps(45))), 'ipv6-east');
    expect(east.loadBalancerAddresses?.subnets[0]).toMatchObject({ cidr: '10.231.0.0/24', usable: 251, loadBalancers: 45, natGateways: 1, free: 251 - 46 });
    expect(east.verdict).toBe('fits');
  });

  test('a cluster that exists counts its ALBs against publicSubnets, and the fix names that key', () => {
    // GIVEN an IPv4 cluster whose ALBs go into public /27s (27 usable, no NAT gateway the plan knows of)
    const cluster = ipv4Cluster(m5LargeGroup(30), 'legacy-ipv4', publicBlocks('[10.230.0.0/27, 10.230.0.32/27, 10.230.0.64/27]'));
    const accepted = clusterPlan(plan(fleetYaml([cluster, ipv6Cluster()], manyApps(19, '[legacy-ipv4]'))), 'legacy-ipv4');
    expect(accepted.loadBalancerAddresses).toMatchObject({ source: 'clusters[0].publicSubnets', missing: 0 });
    expect(accepted.ipv4Addresses?.used).toBe(accepted.ipv4Addresses!.pods + accepted.ipv4Addresses!.enis + accepted.ipv4Addresses!.warm);
    const refused = plan(fleetYaml([cluster, ipv6Cluster()], manyApps(20, '[legacy-ipv4]')));
    expect(planProblems(refused).errors).toEqual([
      'legacy-ipv4: out of IPv4 addresses in its public subnets: 20 ALBs take at least 20 of the 27 addresses of 10.230.0.0/27 (clusters[0].publicSubnets), '
      + 'and the load balancer controller puts an ALB only in a subnet with 8 free. Fix: run 1 fewer ALBs on legacy-ipv4 (each ALB takes an address in each public subnet: fewer apps with ALBs of their own, or fewer sharedLoadBalancers, which moves apps to other ALBs with no walk: minutes of 404s each), '
      + 'or give the ALBs public subnets (tagged kubernetes.io/role/elb) of 1 more addresses each and list their IPv4 blocks in clusters[0].publicSubnets.',
    ]);
  });

  test('clusters of one VPC that list the same public subnets share them: their ALBs add up', () => {
    // GIVEN two IPv4 clusters in one VPC, 10 apps each, both with the same public /27s
    const shared = publicBlocks('[10.230.0.0/27, 10.230.0.32/27, 10.230.0.64/27]');
    const second = ipv4Cluster(m5LargeGroup(30), 'legacy-b', shared).replace('[10.230.16.0/22, 10.230.20.0/22, 10.230.24.0/22]', '[10.230.32.0/22]');
    const apps = [...manyApps(10, '[legacy-ipv4]'), ...Array.from({ length: 10 }, (_, index) => ownApp(`other${index}`, 2, '[legacy-b]'))];
    const fleetPlan = plan(fleetYaml([ipv4Cluster(m5LargeGroup(30), 'legacy-ipv4', shared), second, ipv6Cluster()], apps));
    // THEN 20 ALBs in each /27: 7 free, one too many, for each of them
    const legacy = clusterPlan(fleetPlan, 'legacy-ipv4');
    expect(legacy.loadBalancerAddresses).toMatchObject({ sharedWith: ['legacy-b'], missing: 1 });
    expect(legacy.loadBalancerAddresses?.subnets[0]).toMatchObject({ loadBalancers: 20, free: 7 });
    expect(legacy.publicSubnetFix?.text).toMatch(/^run 1 fewer ALBs on legacy-ipv4 or legacy-b, which share its public subnets /);
    expect(clusterPlan(fleetPlan, 'legacy-b').verdict).toBe('out of IPv4 addresses');
  });

  test('publicSubnets: IPv4 blocks an ALB can use, not the private ones, and only on a cluster that exists', () => {
    const withPublic = (blocks: string) => plan(fleetYaml([ipv4Cluster(m5LargeGroup(30), 'legacy-ipv4', publicBlocks(blocks))], []));
    expect(() => withPublic('[10.230.0.0/28]')).toThrow(/clusters\[0\]\.publicSubnets\[0\]: "10\.230\.0\.0\/28" is a \/28: an ALB's subnet is between \/16 and \/27/);
    expect(() => withPublic('["2600:1f16:5de:8b00::/64"]')).toThrow(/clusters\[0\]\.publicSubnets\[0\]: "2600:1f16:5de:8b00::\/64" is an IPv6 block/);
    expect(() => withPublic('[10.230.16.0/24]')).toThrow(/clusters\[0\]\.publicSubnets\[0\]: "10\.230\.16\.0\/24" overlaps clusters\[0\]\.subnets\[0\] \(10\.230\.16\.0\/22\), a private subnet of the nodes/);
    expect(() => withPublic('[10.230.0.0/24, 10.230.0.128/25]')).toThrow(/clusters\[0\]\.publicSubnets\[1\]: "10\.230\.0\.128\/25" overlaps "10\.230\.0\.0\/24"/);
    expect(() => plan(fleetYaml([createdIpv6Cluster('10.231.0.0/16', m5LargeGroup(120), 'ipv6-east', publicBlocks('[10.231.0.0/24]'))], [])))
      .toThrow(/clusters\[0\]\.publicSubnets: is set on a cluster the project creates, whose public subnets are its VPC's/);
  });
});

describe('planFleet: the IPv4 addresses of an IPv6 cluster', () => {
  const ipv4Blocks = (blocks: string) => `\n    ipv4Subnets: ${blocks}`;

  test('nodes of a dual-stack cluster take one IPv4 address each from its subnets\' IPv4 blocks, the ALBs none', () => {
    // GIVEN app2 at 10,000 on ipv6-east, with three /22s as its subnets' IPv4 blocks
    const cluster = ipv6Cluster(m5LargeGroup(120), 'ipv6-east', ipv4Blocks('[10.240.16.0/22, 10.240.20.0/22, 10.240.24.0/22]'));
    const east = clusterPlan(plan(fleetYaml([cluster], blogApps(10000))), 'ipv6-east');
    // THEN 108 nodes at a rollout's peak: 108 of 3,057; pods take none (they have IPv6 addresses only), nor do the ALBs (public subnets)
    expect(east.ipv4Addresses).toMatchObject({ pods: 0, nodes: 108, enis: 108, warm: 0, used: 108, usable: 3057 });
    expect(east.fix).toBeNull();
  });

  test('a node budget exhausted: out of IPv4 addresses on an IPv6 cluster, an error with the fix', () => {
    // GIVEN one /26 (59 usable) for 108 nodes
    const cluster = ipv6Cluster(m5LargeGroup(120), 'ipv6-east', ipv4Blocks('[10.240.16.0/26]'));
    const fleetPlan = plan(fleetYaml([cluster], blogApps(10000)));
    const east = clusterPlan(fleetPlan, 'ipv6-east');
    expect(east.verdict).toBe('out of IPv4 addresses');
    expect(east.ipv4Addresses).toMatchObject({ nodes: 108, used: 108, usable: 59 });
    expect(planProblems(fleetPlan).errors).toEqual([
      'ipv6-east: out of IPv4 addresses: 108 nodes take 108 addresses, one each, the subnet has 59. '
      + 'Fix: add IPv4 blocks of 49 more addresses to clusters[0].ipv4Subnets (larger subnets, or more of them), or use larger instance types so fewer nodes run the same pods.',
    ]);
  });

  test('an existing IPv6 cluster without ipv4Subnets: a warning that its nodes\' IPv4 addresses are not planned, naming the key', () => {
    const fleetPlan = plan(fleetYaml([ipv6Cluster(m5LargeGroup(120), 'ipv6-east', '\n    publicSubnets: [10.240.0.0/24, 10.240.1.0/24, 10.240.2.0/24]')], blogApps(10000)));
    expect(planProblems(fleetPlan).warnings).toContainEqual('ipv6-east: IPv4 addresses not planned: its 108 nodes take one each from its dual-stack subnets, '
      + 'and fleet.yaml does not say their IPv4 blocks. Fix: add them as clusters[0].ipv4Subnets.');
  });

  test('without ipv4Subnets nor publicSubnets the one warning names both keys', () => {
    const { warnings } = planProblems(plan(fleetYaml([ipv6Cluster()], blogApps(10000))));
    expect(warnings).toContainEqual('ipv6-east: IPv4 addresses not planned: its 108 nodes take one each from its dual-stack subnets and its 2 ALBs take at least one '
      + 'in each zone from its public subnets, and fleet.yaml does not say their IPv4 blocks. Fix: add them as clusters[0].ipv4Subnets and clusters[0].publicSubnets.');
  });

  test('with both given, nothing is left unplanned', () => {
    const { warnings } = planProblems(plan(fleetYaml([ipv6Cluster(m5LargeGroup(120), 'ipv6-east', ipv6Blocks)], blogApps(5))));
    expect(warnings).toEqual([]);
  });

  test('ipv4Subnets belong to IPv6 clusters, and hold IPv4 blocks', () => {
    expect(() => plan(fleetYaml([ipv4Cluster().replace('register: false', 'register: false\n    ipv4Subnets: [10.1.0.0/22]')], []))).toThrow(/clusters\[0\]\.ipv4Subnets: is set on an IPv4 cluster/);
    expect(() => plan(fleetYaml([ipv6Cluster(m5LargeGroup(120), 'ipv6-east', ipv4Blocks('[2600:1f16:5de:8b03::/64]'))], []))).toThrow(/clusters\[0\]\.ipv4Subnets\[0\]: "2600:1f16:5de:8b03::\/64" is an IPv6 block/);
  });
});

describe('messages name the largest contributors and count the rest', () => {
  test('3,000 apps on a cluster too small: three apps named, 2,997 counted', () => {
    const apps = [app('app2', 10000), ...Array.from({ length: 2999 }, (_, index) => app(`svc${index}`, 5))];
    const quotas = '\n    loadBalancerQuotas: { targetsPerLoadBalancer: 20000, targetsPerTargetGroup: 20000, loadBalancersPerRegion: 3000 }\n    sharedLoadBalancers: 60';
    const { errors, warnings } = planProblems(plan(fleetYaml([ipv6Cluster(m5LargeGroup(50), 'ipv6-east', quotas)], apps)));
    expect(warnings).toContainEqual(expect.stringContaining('pods (app2: 10,000, svc0: 5, svc1: 5 and 2,997 more apps: 14,985, add-ons: 17), '));
    expect([...errors, ...warnings].every((message) => message.length < 400)).toBe(true);
  });

  test('3,000 apps on an IPv4 cluster: the error and its fix stay short', () => {
    const apps = Array.from({ length: 3000 }, (_, index) => app(`svc${index}`, 5, '[legacy-ipv4]'));
    const spread = '\n    loadBalancerQuotas: { loadBalancersPerRegion: 3000 }\n    sharedLoadBalancers: 60';
    const fleetPlan = plan(fleetYaml([ipv4Cluster(m5LargeGroup(30), 'legacy-ipv4', spread), ipv6Cluster(m5LargeGroup(120), 'ipv6-east', spread)], apps));
    const { errors, warnings } = planProblems(fleetPlan);
    expect(errors).toHaveLength(1);
    expect([...errors, ...warnings].every((message) => message.length < 400)).toBe(true);
    expect(formatPlanTable(fleetPlan).split('\n').every((line) => line.length < 400)).toBe(true);
  });
});

describe('planFleet: shared ALBs against the quotas AWS sets per ALB', () => {
  test('the 3,000-app, 72-cluster fleet fits the default Elastic Load Balancing quotas in created VPCs: one shared ALB per IPv6 cluster, 9 ALBs and about 750 target groups in each of 4 regions', () => {
    // GIVEN the large fleet of test/fixtures/large-fleet.ts, which declares no load balancer quota, its IPv6 clusters created by the project
    const text = largeFleetYaml(3000, 72);
    expect(text).not.toContain('loadBalancerQuotas');
    // WHEN
    const fleetPlan = plan(text);
    // THEN
    expect(planProblems(fleetPlan)).toEqual({ errors: [], warnings: [] });
    expect(fleetPlan.regions.map(({ region, loadBalancers, quota, targetGroups, targetGroupQuota }) => [region, loadBalancers, quota, targetGroups, targetGroupQuota])).toEqual([
      ['us-east-2', 9, 50, 756, 3000], ['us-west-2', 9, 50, 750, 3000], ['eu-west-1', 9, 50, 747, 3000], ['ap-southeast-2', 9, 50, 747, 3000],
    ]);
    expect(fleetPlan.regions.reduce((total, region) => total + region.targetGroups, 0)).toBe(3000);
    const busiest = fleetPlan.clusters.flatMap((cluster) => cluster.loadBalancers.albs).reduce((most, alb) => (alb.rules > most.rules ? alb : most));
    expect(busiest).toMatchObject({ group: 'shared-0', rules: 84, targetGroups: 84, targets: 84 * 7, certificates: 0, exceeded: [] });
    expect(fleetPlan.clusters.every((cluster) => cluster.verdict === 'fits')).toBe(true);
    // Every IPv6 cluster's ALB and NAT gateway in the public subnets of the VPC the project created: a /24 each of its /16
    const ipv6 = fleetPlan.clusters.filter((cluster) => cluster.ipFamily === 'ipv6');
    expect(ipv6).toHaveLength(36);
    // Each region's IPv6 subnets from that region's Amazon-provided pool
    const fleet = parseFleet(text);
    const pools = new Map(largeFleetRegions.map((region) => [region, new Set(fleet.clusters.filter((cluster) => cluster.region === region && cluster.ipFamily === 'ipv6').flatMap((cluster) => cluster.subnets.map((subnet) => subnet.split(':').slice(0, 2).join(':'))))]));
    expect([...pools].map(([region, prefixes]) => [region, [...prefixes]])).toEqual([['us-east-2', ['2600:1f16']], ['us-west-2', ['2600:1f14']], ['eu-west-1', ['2a05:d018']], ['ap-southeast-2', ['2406:da1c']]]);
    for (const cluster of ipv6) {
      expect(cluster.loadBalancerAddresses).toMatchObject({ source: `${cluster.path}.vpc.cidr`, missing: 0 });
      expect(cluster.loadBalancerAddresses!.subnets.map(({ loadBalancers, natGateways, usable }) => [loadBalancers, natGateways, usable])).toEqual([[1, 1, 251], [1, 1, 251], [1, 1, 251]]);
    }
  });

  test('a shared ALB takes one address in each public subnet, however many apps it holds: 45 apps fit a created /19 VPC', () => {
    const east = clusterPlan(plan(fleetYaml([createdIpv6Cluster('10.231.0.0/19')], Array.from({ length: 45 }, (_, index) => app(`svc${index}`, 10)))), 'ipv6-east');
    expect(east.loadBalancerAddresses?.subnets[0]).toMatchObject({ cidr: '10.231.0.0/27', loadBalancers: 1, natGateways: 1 });
    expect(east.publicSubnetFix).toBeNull();
  });

  test('120 apps on one shared ALB exceed its rules and target groups: a warning that names the ALB, its largest apps and the keys that relieve it', () => {
    // GIVEN 120 apps, svc7 the largest, on a cluster with one shared ALB
    const apps = Array.from({ length: 120 }, (_, index) => app(`svc${index}`, index === 7 ? 50 : 2));
    const fleetPlan = plan(fleetYaml([ipv6Cluster(m5LargeGroup(120), 'ipv6-east', ipv6Blocks)], apps));
    // WHEN
    const east = clusterPlan(fleetPlan, 'ipv6-east');
    const { warnings } = planProblems(fleetPlan);
    // THEN
    expect(east.verdict).toBe('load balancer quota exceeded');
    expect(east.loadBalancers.overQuota).toMatchObject([{ group: 'shared-0', rules: 120, targetGroups: 120, appsOver: 20 }]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^ipv6-east: load balancer quota exceeded: the shared ALB shared-0 \(IngressGroup shared-0\) holds 120 apps \(targets at a rollout's peak: svc7: 58, svc0: 4, svc1: 4 and 117 more apps: 468\): 120 rules of the 100 "Rules per Application Load Balancer" and 120 target groups of the 100 "Target Groups per Application Load Balancer" \(not adjustable\)\./);
    expect(warnings[0]).toContain('Fix: give svc7, svc0, svc1 and 17 more ALBs of their own (apps[7].loadBalancer: own, apps[0].loadBalancer: own, apps[1].loadBalancer: own, ...), which moves only them, each by the walk (README, "Moving an app to another ALB");');
    // sharedLoadBalancers is named for what it is: no walk on a running cluster
    expect(warnings[0]).toContain('a new cluster can take more clusters[0].sharedLoadBalancers from the start, but on a running one changing it moves about 1 in k + 1 of its apps to another ALB with no walk (minutes of 404s each)');
    // and given fleet.yaml's lines, each key at its app's line, as the other fixes name theirs
    const text = fleetYaml([ipv6Cluster(m5LargeGroup(120), 'ipv6-east', ipv6Blocks)], apps);
    const file = join(mkdtempSync(join(tmpdir(), 'plan-')), 'fleet.yaml');
    writeFileSync(file, text);
    const located = planProblems(fleetPlan, undefined, fieldLines(file)).warnings[0];
    const at = (app: string) => `${file}:${lineOf(text, `name: ${app},`)}`;
    expect(located).toContain(`(apps[7].loadBalancer: own (${at('svc7')}), apps[0].loadBalancer: own (${at('svc0')}), apps[1].loadBalancer: own (${at('svc1')}), ...)`);
  });

  test('a shared ALB over its targets because of an app\'s walk: the fix names the walk\'s key, never a loadBalancer: own already set', () => {
    // GIVEN a (420 replicas, 483 targets at a rollout's peak) at step 2 of its walk to an ALB of its own, still on shared-0 through a-previous, beside b and c
    const walking = app('a', 420).replace(/ }$/, ', loadBalancer: own, previousLoadBalancer: shared }');
    const fleetPlan = plan(fleetYaml([ipv6Cluster(m5LargeGroup(120), 'ipv6-east', ipv6Blocks)], [walking, app('b', 400), app('c', 400)]));
    // WHEN
    const [alb] = clusterPlan(fleetPlan, 'ipv6-east').loadBalancers.overQuota;
    const fix = planProblems(fleetPlan, { nodeGroupMaxTooSmall: 'warning', loadBalancerQuotaExceeded: 'error' }).errors[0];
    // THEN
    expect(alb).toMatchObject({ group: 'shared-0', appsOver: 1 });
    expect(fix).toContain('Fix: give a ALBs of their own (remove apps[0].previousLoadBalancer), which moves only them, each by the walk');
    expect(fix).not.toContain('apps[0].loadBalancer: own');
    // AND the same app at step 1 of a walk onto shared-0 (nextLoadBalancer: shared) is named by that key
    const arriving = app('a', 420).replace(/ }$/, ', loadBalancer: own, nextLoadBalancer: shared }');
    const arrivingPlan = plan(fleetYaml([ipv6Cluster(m5LargeGroup(120), 'ipv6-east', ipv6Blocks)], [arriving, app('b', 400), app('c', 400)]));
    expect(planProblems(arrivingPlan, { nodeGroupMaxTooSmall: 'warning', loadBalancerQuotaExceeded: 'error' }).errors[0]).toContain('(remove apps[0].nextLoadBalancer)');
  });

  test('shared apps whose targets add up beyond an ALB\'s 1,000: the largest leave until the rest fit', () => {
    // GIVEN three apps of 400 replicas (460 targets each at a rollout's peak, under half the quota, so each shares)
    const fleetPlan = plan(fleetYaml([ipv6Cluster(m5LargeGroup(120), 'ipv6-east', ipv6Blocks)], [app('a', 400), app('b', 400), app('c', 400)]));
    // WHEN
    const [alb] = clusterPlan(fleetPlan, 'ipv6-east').loadBalancers.overQuota;
    // THEN
    expect(alb).toMatchObject({ group: 'shared-0', targets: 3 * 460, appsOver: 1, exceeded: ['1,380 targets at a rollout\'s peak of the 1,000 "Targets per Application Load Balancer"'] });
    expect(planProblems(fleetPlan, { nodeGroupMaxTooSmall: 'warning', loadBalancerQuotaExceeded: 'error' }).errors[0]).toContain('Fix: give a ALBs of their own (apps[0].loadBalancer: own)');
  });

  test('an app with more than half a shared ALB\'s targets gets its own, whose targets alone are checked', () => {
    // GIVEN app2 at 10,000 replicas beside app0 and app1 on the demo's ipv6-east
    const east = clusterPlan(planFleet(demoFleet((text) => setReplicas(text, 2, 10000))), 'ipv6-east');
    // THEN one shared ALB for app0, app1 and podinfo (7 + 7 + 7 targets at their peaks), one of app2's own, and only app2's targets over the quota
    expect(east.loadBalancers.albs.map((alb) => [alb.group, alb.reason, alb.apps.map((demand) => demand.app), alb.targets])).toEqual([
      ['shared-0', 'shared', ['app0', 'app1', 'podinfo'], 21],
      ['own-app2', 'targets', ['app2'], 11500],
    ]);
    expect(east.loadBalancers.overQuota).toEqual([]);
    expect(east.loadBalancers.overTargetQuota.map((demand) => demand.app)).toEqual(['app2']);
  });
});
