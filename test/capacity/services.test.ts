import { clusterDemand, parseQuantity, planFleet, reservedCpuMillicores, rolloutPeak, type ClusterPlan } from '../../capacity/plan';
import { formatPlanTable, planProblems } from '../../capacity/report';
import { serviceRollingUpdate } from '../../catalog/test-app';
import { Fleet } from '../../config/fleet';
import { demoFleet, testAppsFleetText } from '../support/fixtures';

/** A chart service of the demo fleet: `extra` are more YAML lines of the app (4 spaces in). */
function service(name: string, replicas: number, extra = '', clusters = '[ipv6-east]'): string {
  return `  - name: ${name}
    source:
      chart: { repoURL: https://charts.example.com/stable, name: ${name}, version: 1.0.0 }
    expose: { service: ${name}, port: 8080 }
    replicas: ${replicas}
    clusters: ${clusters}
${extra}`;
}

/** The demo fleet's test apps (app0..app2 on ipv6-east, 5 replicas each; its podinfo, the last app, taken out) with services added. */
function withServices(...services: string[]): Fleet {
  return demoFleet(() => `${testAppsFleetText}${services.join('')}`);
}

function clusterPlan(fleet: Fleet, cluster: string): ClusterPlan {
  return planFleet(fleet).clusters.find((plan) => plan.cluster === cluster)!;
}

describe('a service\'s pods are counted as the test apps\' are, with its own rollout strategy', () => {
  test('its rollout peak is Kubernetes\' default 25% surge and 25% unavailable, not the test page\'s 5%/5%', () => {
    // GIVEN a service of 8 replicas beside the test apps
    const fleet = withServices(service('podinfo', 8));
    const east = fleet.clusters.find((cluster) => cluster.name === 'ipv6-east')!;
    // WHEN the plan counts the cluster's pods
    const apps = clusterDemand(fleet, east).apps;
    // THEN 8 + 2 surge + (2 + 2) draining for the service; 5 + 1 + (1 + 0) for a test app
    expect(apps.find((app) => app.app === 'podinfo')!.rollout).toEqual({ surge: 2, draining: 4, pods: 14 });
    expect(apps.find((app) => app.app === 'app0')!.rollout).toEqual(rolloutPeak(5));
    expect(rolloutPeak(8, serviceRollingUpdate)).toEqual({ surge: 2, draining: 4, pods: 14 });
    const plan = clusterPlan(fleet, 'ipv6-east');
    expect(plan.podsWanted).toBe(8 + 15 + plan.addons.reduce((total, addon) => total + addon.pods, 0));
    expect(plan.podsAtPeak - plan.podsWanted).toBe(6 + 3 * 2);
    expect(formatPlanTable(planFleet(fleet))).toContain('(replicas + a surge of 5% (app0, app1 and app2) and 25% (podinfo) + a step\'s old pods draining)');
  });

  test('a service on several clusters is counted on every one: its pods, the IPv4 addresses they hold on the IPv4 cluster, its targets on each ALB', () => {
    // GIVEN podinfo migrating from legacy-ipv4 to ipv6-east with weights
    const fleet = withServices(service('podinfo', 40, '', '[{ name: legacy-ipv4, weight: 50 }, { name: ipv6-east, weight: 50 }]'));
    const before = planFleet(withServices());
    const plan = planFleet(fleet);
    const peak = rolloutPeak(40, serviceRollingUpdate).pods;
    for (const name of ['legacy-ipv4', 'ipv6-east']) {
      const cluster = plan.clusters.find((candidate) => candidate.cluster === name)!;
      const was = before.clusters.find((candidate) => candidate.cluster === name)!;
      // THEN all 40 replicas run on each, and at a rollout's peak each of its ALBs holds every pod as a target
      expect(cluster.apps.find((app) => app.app === 'podinfo')).toMatchObject({ pods: 40, rollout: { pods: peak }, clusters: ['legacy-ipv4', 'ipv6-east'] });
      expect(cluster.podsAtPeak - was.podsAtPeak).toBe(peak);
      const alb = cluster.loadBalancers.albs.find((candidate) => candidate.apps.some((app) => app.app === 'podinfo'))!;
      expect(alb.targets - (was.loadBalancers.albs.find((candidate) => candidate.group === alb.group)?.targets ?? 0)).toBe(peak);
    }
    // AND on the IPv4 cluster every one of its pods holds an IPv4 address
    const legacy = plan.clusters.find((candidate) => candidate.cluster === 'legacy-ipv4')!;
    expect(legacy.ipv4Addresses!.pods).toBe(before.clusters[0].ipv4Addresses!.pods + peak);
  });

  test('a service with its own ALB: one rule, one target group and its pods at the peak as targets, on an ALB of its own', () => {
    const fleet = withServices(service('podinfo', 10, '    loadBalancer: own\n'));
    const albs = clusterPlan(fleet, 'ipv6-east').loadBalancers.albs;
    const own = albs.find((alb) => alb.group === 'own-podinfo')!;
    expect(own).toMatchObject({ reason: 'asked', rules: 1, targetGroups: 1, targets: rolloutPeak(10, serviceRollingUpdate).pods });
    expect(own.apps.map((app) => app.app)).toEqual(['podinfo']);
    expect(albs.filter((alb) => alb.group !== 'own-podinfo').flatMap((alb) => alb.apps.map((app) => app.app))).not.toContain('podinfo');
  });

  test('a service whose 25% peak passes what a shared ALB takes of one app gets an ALB of its own in the plan, as its Ingress does', () => {
    // 420 replicas: 483 targets at the test page's 5%/5% (shared), 735 at a service's 25%/25% (over the 500 an app may take of a shared ALB)
    expect(rolloutPeak(420).pods).toBeLessThanOrEqual(500);
    const albs = clusterPlan(withServices(service('big', 420)), 'ipv6-east').loadBalancers.albs;
    expect(albs.find((alb) => alb.group === 'own-big')).toMatchObject({ reason: 'targets', targets: 735 });
  });

  test('two services over the targets an ALB and its target group may hold: both named, with the 25% surge, and the quotas to request', () => {
    // GIVEN two services of 900 replicas: 1,575 targets each at a rollout's peak, over the default 1,000
    const fleet = withServices(service('orders', 900), service('payments', 900));
    const plan = clusterPlan(fleet, 'ipv6-east');
    // THEN
    expect(plan.loadBalancers.overTargetQuota.map((app) => `${app.app} ${app.rollout.pods}`)).toEqual(['orders 1575', 'payments 1575']);
    expect(plan.verdict).toBe('load balancer quota exceeded');
    const { warnings } = planProblems(planFleet(fleet));
    const warning = warnings.find((text) => text.startsWith('ipv6-east: load balancer quota exceeded'))!;
    expect(warning).toContain('orders: 1,575, payments: 1,575 IP targets at a rollout\'s peak (the pods, their 25% surge and the old pods still draining)');
    expect(warning).toContain('request "Targets per Application Load Balancer" and "Targets per Target Group per Region" of 1,575');
  });
});

describe('the requests the services declare, against the CPU the node groups leave to pods at maxSize', () => {
  test('the kubelet\'s reservation of the EKS AMIs: 6% of the first core, 1% of the second, 0.5% of the third and fourth, 0.25% beyond', () => {
    expect(reservedCpuMillicores(1)).toBe(60);
    expect(reservedCpuMillicores(2)).toBe(70);
    expect(reservedCpuMillicores(4)).toBe(80);
    expect(reservedCpuMillicores(8)).toBe(90);
  });

  test('quantities as Kubernetes writes them', () => {
    expect(parseQuantity('100m')).toBeCloseTo(0.1);
    expect(parseQuantity('1.5')).toBe(1.5);
    expect(parseQuantity('64Mi')).toBe(64 * 2 ** 20);
    expect(parseQuantity('1G')).toBe(1e9);
  });

  test('requests that fit are shown with the memory not compared, since the instance data has none', () => {
    const fleet = withServices(service('podinfo', 8, '    resources: { cpu: 250m, memory: 64Mi }\n'));
    const plan = clusterPlan(fleet, 'ipv6-east');
    // m5.large: 2 vCPUs, 1,930m left to pods; 120 nodes at maxSize
    expect(plan.requests).toMatchObject({ cpuRequested: 14 * 250, cpuAllocatable: 120 * 1930, memoryRequested: 14 * 64 * 2 ** 20, cpuOver: false, podsTooLarge: [] });
    expect(plan.verdict).toBe('fits');
    expect(formatPlanTable(planFleet(fleet))).toContain('requests        CPU 3,500m (3.5 vCPUs) of the 231,600m (231.6 vCPUs) the node groups leave to pods at maxSize; memory 896Mi, not compared: the instance data has no memory (podinfo at a rollout\'s peak; the add-ons\' and test apps\' requests not counted)');
    expect(clusterPlan(fleet, 'legacy-ipv4').requests).toBeNull();
  });

  test('two services whose requests pass the node groups\' maximum: the nodes to add, as a warning or an error as capacity.nodeGroupMaxTooSmall says', () => {
    // GIVEN two services of 100 replicas at 1 vCPU each on legacy-ipv4 (30 m5.large nodes: 57,900m)
    const fleet = withServices(
      service('orders', 100, '    resources: { cpu: "1" }\n', '[legacy-ipv4]'),
      service('payments', 100, '    resources: { cpu: 1000m }\n', '[legacy-ipv4]'),
    );
    const plan = clusterPlan(fleet, 'legacy-ipv4');
    // THEN 2 x 175 pods at the peak x 1,000m = 350,000m, 292,100m more than 57,900m: 152 more nodes of 1,930m
    expect(plan.requests).toMatchObject({ cpuRequested: 350_000, cpuAllocatable: 57_900, cpuOver: true, nodesShort: 152 });
    expect(plan.verdict).not.toBe('fits');
    const message = 'legacy-ipv4: node-group max too small for the requests: orders and payments request 350,000m (350 vCPUs) of CPU at a rollout\'s peak, above the 57,900m (57.9 vCPUs) '
      + 'the node groups leave to pods at maxSize (vCPUs less the kubelet\'s reservation), and the add-ons\' and test apps\' requests take their share too: '
      + 'cluster-autoscaler stops at maxSize and the pods beyond stay Pending. Fix: raise maxSize of default to 182, or lower the services\' requests or replicas.';
    expect(planProblems(planFleet(fleet)).warnings).toContain(message);
    expect(planProblems(planFleet(fleet), { nodeGroupMaxTooSmall: 'error', loadBalancerQuotaExceeded: 'warning' }).errors).toContain(message);
  });

  test('a pod that requests more CPU than any node leaves to pods is never scheduled, whatever maxSize', () => {
    const fleet = withServices(service('batch', 1, '    resources: { cpu: "2" }\n'));
    const plan = clusterPlan(fleet, 'ipv6-east');
    expect(plan.requests).toMatchObject({ largestNodeCpu: 1930, podsTooLarge: ['batch'], cpuOver: true });
    expect(planProblems(planFleet(fleet)).warnings).toContain('ipv6-east: node-group max too small for the requests: one pod of batch requests more CPU than the 1,930m (1.93 vCPUs) any node leaves to pods, so it is never scheduled. '
      + 'Fix: lower the CPU batch request, or add a node group of a larger instance type.');
  });
});
