// The capacity plan at its edges: exactly full and one over (addresses, node-group maxSize, the
// move fix), pods over several node groups, the VPC size it advises, the app that sizes a quota
// request, and where the apps leaving an IPv4 cluster go. The plan is called on the demo fleet's
// clusters with the demand a test gives, so each number below is the test's own.
import { AppDemand, ClusterDemand, clusterDemand, planCluster, planFleet, rolloutPeak, spreadPods } from '../../capacity/plan';
import { argocdPods } from '../../values/argo-cd';
import { Cluster } from '../../config/fleet';
import { parseFleet } from '../../config/load';
import { demoFleet, demoFleetText, fixtureFleet } from '../support/fixtures';

const demo = demoFleet();
const demoCluster = (name: string): Cluster => demo.clusters.find((cluster) => cluster.name === name)!;
const m5Large = (minSize: number, maxSize: number, name = 'default') => ({ name, instanceType: 'm5.large', minSize, maxSize });

/** An IPv4 cluster of one m5.large group (29 max pods, 26 for apps; 3 ENIs of 10 addresses) and the subnets given. */
function ipv4Cluster(subnets: readonly string[], maxSize = 1000): Cluster {
  return { ...demoCluster('legacy-ipv4'), subnets, nodeGroups: [m5Large(1, maxSize)] };
}

/** An IPv6 cluster of one m5.large group (110 max pods, 107 for apps) and the IPv4 blocks given. */
function ipv6Cluster(ipv4Subnets: readonly string[] | undefined, maxSize = 1000): Cluster {
  const east = demoCluster('ipv6-east');
  // Target quotas raised, so that only the addresses and node groups decide the verdict.
  const loadBalancerQuotas = { ...east.loadBalancerQuotas, targetsPerLoadBalancer: 100000, targetsPerTargetGroup: 100000 };
  return { ...east, ipv4Subnets, nodeGroups: [m5Large(1, maxSize)], loadBalancerQuotas };
}

const appOn = (app: string, pods: number, clusters: readonly string[] = ['legacy-ipv4']): AppDemand => ({ app, pods, rollout: rolloutPeak(pods), clusters });
const demandOf = (...apps: AppDemand[]): ClusterDemand => ({ apps, addons: [] });

describe('IPv4 addresses of an IPv4 cluster: exactly full fits, one address more does not', () => {
  // 91 replicas peak at 91 + 5 surge + 9 draining = 105 pods on ceil(105 / 26) = 5 nodes of 21 pods each
  // (3 ENIs: 3 x 9 = 27 addresses for pods at most), 5 x 3 x 10 = 150 addresses. A /25 and a /27
  // leave 123 + 27 = 150 usable.
  const exact = ['10.230.16.0/25', '10.230.16.128/27'];

  test('91 replicas hold 150 addresses of 150 usable: it fits, with no fix', () => {
    const plan = planCluster(ipv4Cluster(exact), demandOf(appOn('app0', 91)));
    expect(plan.ipv4Addresses).toMatchObject({ usable: 150, pods: 105, nodes: 5, enis: 15, warm: 30, used: 150 });
    expect([plan.verdict, plan.fix]).toEqual(['fits', null]);
  });

  test('one more /28 less: 139 usable, the same pods are out of addresses and move to the IPv6 cluster', () => {
    const plan = planCluster(ipv4Cluster(['10.230.16.0/25', '10.230.16.128/28']), demandOf(appOn('app0', 91)), { ipv6Clusters: ['ipv6-east'] });
    expect(plan.verdict).toBe('out of IPv4 addresses');
    expect(plan.fix).toEqual({
      action: 'move-apps',
      moves: [{ app: 'app0', pods: 91, to: 'ipv6-east', alreadyThere: false }],
      addressesStillMissing: 0,
      text: 'place app0 on ipv6-east instead of legacy-ipv4',
    });
  });

  test('the move fix stops at exactly full: app0 leaves, app1 whose nodes take exactly the usable 150 stays', () => {
    const plan = planCluster(ipv4Cluster(exact), demandOf(appOn('app1', 91), appOn('app0', 200)), { ipv6Clusters: ['ipv6-east'] });
    expect(plan.fix).toMatchObject({ action: 'move-apps', moves: [{ app: 'app0', to: 'ipv6-east' }], addressesStillMissing: 0 });
    expect(plan.fix?.text).toBe('place app0 on ipv6-east instead of legacy-ipv4');
  });

  test('an app of no replicas is never moved, and moves go most replicas first', () => {
    const plan = planCluster(ipv4Cluster(exact), demandOf(appOn('idle', 0), appOn('small', 91), appOn('mid', 150), appOn('big', 300)), { ipv6Clusters: ['ipv6-east'] });
    expect(plan.fix).toMatchObject({ moves: [{ app: 'big' }, { app: 'mid' }], addressesStillMissing: 0 });
  });
});

describe('IPv4 addresses of an IPv6 cluster: one per node', () => {
  // 11 usable in a /28; 934 replicas peak at 934 + 47 + 93 = 1,074 pods, ceil(1,074 / 107) = 11 nodes; 1,030 replicas 1,185 pods, 12 nodes
  test('11 nodes in 11 usable addresses fit', () => {
    const plan = planCluster(ipv6Cluster(['10.240.16.0/28']), demandOf(appOn('app0', 934, ['ipv6-east'])));
    expect(plan.ipv4Addresses).toMatchObject({ usable: 11, pods: 0, nodes: 11, enis: 11, warm: 0, used: 11 });
    expect([plan.verdict, plan.fix]).toEqual(['fits', null]);
  });

  test('12 nodes lack one address: the fix asks for 1 more, naming the key', () => {
    const plan = planCluster(ipv6Cluster(['10.240.16.0/28']), demandOf(appOn('app0', 1030, ['ipv6-east'])), { path: 'clusters[3]' });
    expect(plan.nodesNeeded).toBe(12);
    expect(plan.verdict).toBe('out of IPv4 addresses');
    expect(plan.fix).toEqual({
      action: 'add-ipv4-addresses',
      missing: 1,
      text: 'add IPv4 blocks of 1 more addresses to clusters[3].ipv4Subnets (larger subnets, or more of them), or use larger instance types so fewer nodes run the same pods',
    });
  });

  test('without IPv4 blocks the IPv4 addresses are not planned', () => {
    const plan = planCluster(ipv6Cluster(undefined), demandOf(appOn('app0', 1030, ['ipv6-east'])));
    expect([plan.ipv4Addresses, plan.fix, plan.verdict]).toEqual([null, null, 'fits']);
  });
});

describe('node-group maxSize: exactly full fits, one node more does not', () => {
  // 934 replicas need 11 nodes (above); 1,030 need 12
  test('11 nodes needed of maxSize 11: fits', () => {
    const plan = planCluster(ipv6Cluster(undefined, 11), demandOf(appOn('app0', 934, ['ipv6-east'])));
    expect([plan.nodesNeeded, plan.nodesMax, plan.podCapacity, plan.verdict, plan.fix]).toEqual([11, 11, 11 * 107, 'fits', null]);
  });

  test('12 nodes needed of maxSize 11: the fix raises maxSize to 12', () => {
    const plan = planCluster(ipv6Cluster(undefined, 11), demandOf(appOn('app0', 1030, ['ipv6-east'])));
    expect(plan.verdict).toBe('node-group max too small');
    expect(plan.fix).toEqual({ action: 'raise-max-size', nodeGroup: 'default', maxSize: 12, text: 'raise maxSize of default to 12' });
  });

  test('out of addresses and max too small: the address fix comes first, the verdict is the addresses\'', () => {
    const plan = planCluster(ipv6Cluster(['10.240.16.0/28'], 11), demandOf(appOn('app0', 1030, ['ipv6-east'])));
    expect([plan.verdict, plan.fix?.action]).toEqual(['out of IPv4 addresses', 'add-ipv4-addresses']);
  });
});

describe('pods over several node groups', () => {
  test('spread evenly over two groups whose nodes do not fill up: every pod and every node counted once', () => {
    // 43 pods over 2 + 3 nodes: 8 each and 3 nodes with one more, the group with fewer pods per node first
    const shares = spreadPods([{ usablePodsPerNode: 26 }, { usablePodsPerNode: 50 }], [2, 3], 43);
    expect(shares).toEqual([
      { group: 0, nodes: 2, podsPerNode: 9 },
      { group: 1, nodes: 1, podsPerNode: 9 },
      { group: 1, nodes: 2, podsPerNode: 8 },
    ]);
    expect(shares.reduce((pods, share) => pods + share.nodes * share.podsPerNode, 0)).toBe(43);
  });

  test('a small group fills up, the next shares the rest; a group without nodes gets none', () => {
    const shares = spreadPods([{ usablePodsPerNode: 50 }, { usablePodsPerNode: 10 }, { usablePodsPerNode: 5 }], [2, 2, 0], 70);
    expect(shares).toEqual([
      { group: 1, nodes: 2, podsPerNode: 10 },
      { group: 0, nodes: 2, podsPerNode: 25 },
    ]);
  });

  test('every group full: no even share is left', () => {
    expect(spreadPods([{ usablePodsPerNode: 10 }, { usablePodsPerNode: 20 }], [1, 1], 30)).toEqual([
      { group: 0, nodes: 1, podsPerNode: 10 },
      { group: 1, nodes: 1, podsPerNode: 20 },
    ]);
  });

  test('an IPv4 cluster of two groups holds the ENIs of each group\'s nodes once', () => {
    // 91 replicas, 105 pods at the peak, over m5.large (26 per node) and t3.medium (17 - 3 = 14 per node), one node minimum each:
    // the m5.large group fills first: 1 + 4 = 5 nodes of m5.large, 1 of t3.medium; spread 105 over 6 nodes:
    // the t3.medium takes 14 (full: 3 ENIs of 6), the 5 m5.large 91 (18 or 19 each: 3 ENIs of 10).
    const cluster = { ...ipv4Cluster(['10.230.16.0/22']), nodeGroups: [m5Large(1, 10), { name: 'small', instanceType: 't3.medium', minSize: 1, maxSize: 10 }] };
    const plan = planCluster(cluster, demandOf(appOn('app0', 91)));
    expect(plan.nodeGroups.map((group) => [group.name, group.usablePodsPerNode, group.nodesNeeded])).toEqual([['default', 26, 4], ['small', 14, 1]]);
    expect(plan.ipv4Addresses).toMatchObject({ pods: 105, nodes: 5, enis: 4 * 3 + 3, used: 4 * 30 + 3 * 6 });
  });
});

describe('the public subnets of a created VPC', () => {
  /** A created IPv6 cluster with `apps` apps of one replica, each with an ALB of its own (loadBalancer: own): one ALB each in every public subnet. */
  function createdWith(vpcCidr: string, apps: number) {
    // The demo's ipv6-east (provisioning: create, imported) in a VPC of the block given, its layout's public subnets.
    const fleet = parseFleet(demoFleetText.replace('      cidr: 10.231.0.0/16', `      cidr: ${vpcCidr}`).replace(/ {4}ipv4Subnets:\n( {6}- .*\n)+/, ''));
    const created = fleet.clusters.find((cluster) => cluster.name === 'ipv6-east')!;
    expect(created.provisioning).toBe('create');
    const demand = demandOf(...Array.from({ length: apps }, (_, index) => ({ ...appOn(`app${index}`, 1, ['ipv6-east']), loadBalancer: 'own' as const })));
    return planCluster(created, demand, { path: 'clusters[1]' });
  }

  test('a /19 VPC: public /27s of 27 usable, one NAT gateway each, 18 ALBs keep the 8 free the controller needs', () => {
    const plan = createdWith('10.231.0.0/19', 18);
    expect(plan.loadBalancerAddresses).toMatchObject({ source: 'clusters[1].vpc.cidr', missing: 0 });
    expect(plan.loadBalancerAddresses!.subnets[0]).toEqual({ cidr: '10.231.0.0/27', usable: 27, loadBalancers: 18, natGateways: 1, free: 8 });
    expect(plan.publicSubnetFix).toBeNull();
  });

  test('19 ALBs in a /19 VPC\'s /27s: the advice is a /18 VPC, whose public subnets are /26s', () => {
    const plan = createdWith('10.231.0.0/19', 19);
    expect(plan.publicSubnetFix).toEqual({
      action: 'free-public-addresses',
      missing: 1,
      text: 'run 1 fewer ALBs on ipv6-east (each ALB takes an address in each public subnet: fewer apps with ALBs of their own, or fewer sharedLoadBalancers, which moves apps to other ALBs with no walk: minutes of 404s each), or recreate its VPC with a /18 clusters[1].vpc.cidr, '
        + 'whose public subnets are /26s (changing vpc.cidr replaces the VPC and the cluster in it)',
    });
  });

  test('the advised VPC is the narrowest whose public subnets hold the ALBs: 51 + 1 NAT + 8 free + 5 reserved = 65 need a /25, so a /17', () => {
    expect(createdWith('10.231.0.0/19', 50).publicSubnetFix?.text).toContain('recreate its VPC with a /18 clusters[1].vpc.cidr, whose public subnets are /26s');
    expect(createdWith('10.231.0.0/19', 51).publicSubnetFix?.text).toContain('recreate its VPC with a /17 clusters[1].vpc.cidr, whose public subnets are /25s');
  });

  test('more ALBs than even a /16 VPC\'s public /24s hold: no VPC to advise', () => {
    const plan = createdWith('10.231.0.0/16', 243);
    expect(plan.loadBalancerAddresses!.subnets[0]).toMatchObject({ usable: 251, loadBalancers: 243, free: 7 });
    expect(plan.publicSubnetFix?.text).toBe('run 1 fewer ALBs on ipv6-east (each ALB takes an address in each public subnet: fewer apps with ALBs of their own, or fewer sharedLoadBalancers, which moves apps to other ALBs with no walk: minutes of 404s each): even a /16 clusters[1].vpc.cidr has public subnets too small for them');
  });
});

describe('the target quotas to request', () => {
  // The demo's ipv6-east: the default quotas of 1,000 targets per ALB and per target group.
  const cluster = { ...demoCluster('ipv6-east'), nodeGroups: [m5Large(1, 1000)] };

  test('two apps over the quota: the busiest sizes the request, whatever their order in fleet.yaml', () => {
    for (const apps of [[appOn('mid', 2000, ['ipv6-east']), appOn('big', 3000, ['ipv6-east'])], [appOn('big', 3000, ['ipv6-east']), appOn('mid', 2000, ['ipv6-east'])]]) {
      const plan = planCluster(cluster, demandOf(...apps), { path: 'clusters[1]' });
      expect(plan.loadBalancers.overTargetQuota.map((app) => app.app)).toEqual(['big', 'mid']);
      expect(plan.loadBalancers.mostTargets).toBe(3450);
      expect(plan.loadBalancerFix).toMatchObject({ action: 'raise-target-quotas', targets: 3450 });
      expect(plan.loadBalancerFix?.text).toContain('of 3,450 (big\'s 3,000 pods and, in a rollout, 150 surge and 300 draining)');
    }
  });

  test('targets exactly at the quota fit; one over does not', () => {
    // 869 replicas peak at 869 + 44 + 86 = 999 targets; 870 at 870 + 44 + 87 = 1,001
    expect(planCluster(cluster, demandOf(appOn('app0', 869, ['ipv6-east']))).loadBalancerFix).toBeNull();
    expect(rolloutPeak(870).pods).toBe(1001);
    expect(planCluster(cluster, demandOf(appOn('app0', 870, ['ipv6-east']))).loadBalancerFix).toMatchObject({ targets: 1001 });
  });
});

describe('where the apps leaving an IPv4 cluster go', () => {
  test('an app already on an IPv6 cluster only leaves the IPv4 cluster, even when another IPv6 cluster has more spare pods', () => {
    const legacy = planCluster(demoCluster('legacy-ipv4'), demandOf(appOn('app2', 10000, ['legacy-ipv4', 'ipv6-east'])), { ipv6Clusters: ['ipv6-big', 'ipv6-east'] });
    expect(legacy.fix).toMatchObject({ moves: [{ app: 'app2', to: 'ipv6-east', alreadyThere: true }] });
    expect(legacy.fix?.text).toBe('take legacy-ipv4 out of app2\'s clusters (it runs on ipv6-east too)');
  });

  test('an app on no IPv6 cluster goes to the first one given', () => {
    const legacy = planCluster(demoCluster('legacy-ipv4'), demandOf(appOn('app2', 10000)), { ipv6Clusters: ['ipv6-big', 'ipv6-east'] });
    expect(legacy.fix).toMatchObject({ moves: [{ app: 'app2', to: 'ipv6-big', alreadyThere: false }] });
  });

  test('two apps already on different IPv6 clusters: one phrase naming both clusters', () => {
    const legacy = planCluster(ipv4Cluster(['10.230.16.0/25', '10.230.16.128/28']), demandOf(appOn('a', 300, ['legacy-ipv4', 'ipv6-east']), appOn('b', 200, ['legacy-ipv4', 'ipv6-west'])), { ipv6Clusters: ['ipv6-east', 'ipv6-west'] });
    expect(legacy.fix?.text).toBe('take legacy-ipv4 out of the clusters of a and b (they run on IPv6 clusters (ipv6-east and ipv6-west) too)');
  });

  test.each([['after', false], ['before', true]])('planFleet sends them to the IPv6 cluster with most spare pods at the peak, not the one of most capacity (listed %s it)', (_where, first) => {
    // ipv6-east: 120 x 107 = 12,840 pods, 11,500 of them app1's at its peak; ipv6-idle: 30 x 107 = 3,210, no app
    const idle = ipv6ClusterYaml('ipv6-idle', 30, '9c');
    const clusters = first ? demoFleetText.replace('  - name: ipv6-east\n', `${idle.slice(1)}\n  - name: ipv6-east\n`) : demoFleetText.replace('\napps:', `${idle}\napps:`);
    const fleet = parseFleet(clusters.replace(/\napps:\n[\s\S]*$/, `
apps:
  - { name: app1, backgroundColor: blue, containerPort: 80, replicas: 10000, clusters: [ipv6-east] }
  - { name: app2, backgroundColor: green, containerPort: 80, replicas: 3000, clusters: [legacy-ipv4] }
`));
    const legacy = planFleet(fleet).clusters.find((cluster) => cluster.cluster === 'legacy-ipv4')!;
    expect(legacy.fix?.text).toBe('place app2 on ipv6-idle instead of legacy-ipv4');
  });
});

/** An IPv6 cluster that exists, for the demo fleet's clusters list: `site` makes its subnets its own. */
function ipv6ClusterYaml(name: string, maxSize: number, site: string): string {
  const endpoint = Buffer.from(name).toString('hex').toUpperCase().padEnd(32, '0').slice(0, 32);
  return `
  - name: ${name}
    ipFamily: ipv6
    kubernetesVersion: "1.33"
    server: https://${endpoint}.gr7.us-east-2.eks.amazonaws.com
    region: us-east-2
    accountId: "111122223333"
    vpcId: vpc-0f1e2d3c4b5a6${site}88
    subnets: ["2600:1f16:5de:${site}03::/64", "2600:1f16:5de:${site}04::/64", "2600:1f16:5de:${site}05::/64"]
    register: false
    nodeGroups: [{ name: default, instanceType: m5.large, minSize: 3, maxSize: ${maxSize} }]`;
}

describe('more of the fixes\' words', () => {
  const tight = ['10.230.16.0/25', '10.230.16.128/28'];

  test('a move and a leave in one fix: two phrases, joined by a semicolon', () => {
    const plan = planCluster(ipv4Cluster(tight), demandOf(appOn('big', 300, ['legacy-ipv4', 'ipv6-west']), appOn('mid', 200)), { ipv6Clusters: ['ipv6-east', 'ipv6-west'] });
    expect(plan.fix?.text).toBe('place mid on ipv6-east instead of legacy-ipv4; take legacy-ipv4 out of big\'s clusters (it runs on ipv6-west too)');
  });

  test('without IPv6 clusters given, the apps have nowhere to go: the fix says to add one', () => {
    const plan = planCluster(ipv4Cluster(tight), demandOf(appOn('big', 300)));
    expect(plan.fix).toMatchObject({ moves: [{ app: 'big', to: null, alreadyThere: false }] });
    expect(plan.fix?.text).toBe('move big to an IPv6 cluster (the fleet has none yet: add one)');
  });

  test('when even no app fits, every app with pods moves, an app of 0 replicas stays, and subnets are asked for', () => {
    // a /29 (3 usable): one m5.large node without pods still holds an ENI (the warm one), 10 addresses
    const plan = planCluster(ipv4Cluster(['10.230.16.0/29']), demandOf(appOn('idle', 0), appOn('app0', 5)), { ipv6Clusters: ['ipv6-east'] });
    expect(plan.fix).toMatchObject({ moves: [{ app: 'app0' }], addressesStillMissing: 10 - 3 });
    expect(plan.fix?.text).toBe('place app0 on ipv6-east instead of legacy-ipv4; add IPv4 subnets: the add-ons and their nodes alone still lack 7 addresses');
  });

  test('without a path the fix names the key under clusters', () => {
    const plan = planCluster(ipv6Cluster(['10.240.16.0/28']), demandOf(appOn('app0', 1030, ['ipv6-east'])));
    expect(plan.path).toBe('clusters');
    expect(plan.fix?.text).toContain(' to clusters.ipv4Subnets ');
  });

  test('a subnet that is not a valid block is a bug, not a plan: the cluster and the block are named', () => {
    expect(() => planCluster(ipv4Cluster(['10.230.16.1/24']), demandOf())).toThrow('legacy-ipv4: subnet "10.230.16.1/24" has host bits set: did you mean 10.230.16.0/24?');
  });

  test('a quota exactly at the busiest app\'s targets is not asked for; the other is', () => {
    const cluster = { ...demoCluster('ipv6-east'), nodeGroups: [m5Large(1, 1000)], loadBalancerQuotas: { ...demoCluster('ipv6-east').loadBalancerQuotas, targetsPerLoadBalancer: 3450 } };
    const plan = planCluster(cluster, demandOf(appOn('big', 3000, ['ipv6-east'])), { path: 'clusters[1]' });
    expect(plan.loadBalancerFix?.text).toBe('request "Targets per Target Group per Region" of 3,450 (big\'s 3,000 pods and, in a rollout, 150 surge and 300 draining) '
      + 'for account 111122223333 in us-east-2 (Service Quotas, Elastic Load Balancing), then declare it on every cluster of that account and region, which must all declare the same quotas: '
      + 'clusters[1].loadBalancerQuotas.targetsPerTargetGroup: 3450 (ipv6-east)');
    const other = { ...cluster, loadBalancerQuotas: { ...cluster.loadBalancerQuotas, targetsPerLoadBalancer: 1000, targetsPerTargetGroup: 3450 } };
    expect(planCluster(other, demandOf(appOn('big', 3000, ['ipv6-east'])), { path: 'clusters[1]' }).loadBalancerFix?.text)
      .toMatch(/^request "Targets per Application Load Balancer" of 3,450 .* clusters\[1\]\.loadBalancerQuotas\.targetsPerLoadBalancer: 3450 \(ipv6-east\)$/);
  });

  test('200 ALBs in a /19 VPC: the advice is the widest VPC, a /16 of public /24s', () => {
    // 200 apps with ALBs of their own (loadBalancer: own)
    const fleet = parseFleet(demoFleetText.replace('      cidr: 10.231.0.0/16', '      cidr: 10.231.0.0/19').replace(/ {4}ipv4Subnets:\n( {6}- .*\n)+/, ''));
    const created = fleet.clusters.find((cluster) => cluster.name === 'ipv6-east')!;
    const plan = planCluster(created, demandOf(...Array.from({ length: 200 }, (_, index) => ({ ...appOn(`app${index}`, 1, ['ipv6-east']), loadBalancer: 'own' as const }))), { path: 'clusters[1]' });
    expect(plan.publicSubnetFix?.text).toContain('recreate its VPC with a /16 clusters[1].vpc.cidr, whose public subnets are /24s');
  });
});

describe('demand and regions', () => {
  test('Argo CD\'s cluster runs its pods, under its chart\'s name', () => {
    const fleet = demoFleet();
    const argocdCluster = fleet.clusters.find((cluster) => cluster.name === fleet.argocd.cluster)!;
    expect(clusterDemand(fleet, argocdCluster).addons).toContainEqual({ addon: 'argocd', chart: 'argo-cd', pods: argocdPods(fleet) });
    const other = fleet.clusters.find((cluster) => cluster.name !== fleet.argocd.cluster)!;
    expect(clusterDemand(fleet, other).addons.map((addon) => addon.addon)).not.toContain('argocd');
  });

  test('each account and region counts its own ALBs against its quota, declared at every cluster of it', () => {
    const fleet = fixtureFleet('accounts');
    const regions = planFleet(fleet).regions;
    expect(regions.map((region) => [region.accountId, region.region, region.clusters, region.quotaDeclarations.map((declaration) => declaration.path)])).toEqual([
      ['111122223333', 'us-east-2', ['ipv6-hub'], ['clusters[0].loadBalancerQuotas.loadBalancersPerRegion']],
      ['444455556666', 'eu-west-1', ['partner-ipv4'], ['clusters[1].loadBalancerQuotas.loadBalancersPerRegion']],
    ]);
  });
});
