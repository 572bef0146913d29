import { App, Fleet, Placement, TestApp } from '../../config/fleet';
import { groupNamePattern, jumpHash, loadBalancerAssignment, loadBalancersOn, maxGroupNameLength, nameKey, sharedBucket, sharedTargetsPerApp } from '../../config/load-balancer-groups';
import { loadBalancerAnnotations } from '../../charts/test-app-placement';
import { groupNameAnnotation } from '../../catalog/test-app';
import { resolveRollout } from '../../config/fleet';
import { demoFleet, largeFleetFixture, renderParsed, setReplicas } from '../support/fixtures';

/** Every Ingress of a render by cluster and group: `<cluster> <group>` to the Ingresses' annotations and file. */
function ingressesByAlb(fleet: Fleet): Map<string, Array<{ file: string; name: string; annotations: Record<string, string>; ingressClassName: string }>> {
  const albs = new Map<string, Array<{ file: string; name: string; annotations: Record<string, string>; ingressClassName: string }>>();
  for (const object of renderParsed(fleet).objects.filter((candidate) => candidate.kind === 'Ingress')) {
    const cluster = /clusters\/([^/]+)\.yaml$/.exec(object.file)![1];
    const key = `${cluster} ${object.metadata.annotations[groupNameAnnotation]}`;
    albs.set(key, [...(albs.get(key) ?? []), { file: object.file, name: object.metadata.name, annotations: object.metadata.annotations, ingressClassName: object.spec.ingressClassName }]);
  }
  return albs;
}

/**
 * The annotations the load balancer controller v3.5.0 reads per ALB or per listener rather than per Ingress: it
 * merges them over a group's Ingresses and refuses the group when they differ (pkg/ingress/model_build_load_balancer.go,
 * model_build_load_balancer_attributes.go, model_build_load_balancer_addons.go, model_build_tags.go,
 * model_builder.go mergeListenPortConfigs and buildSSLRedirectConfig, model_build_listener.go).
 */
const perAlbAnnotations = [
  'scheme', 'ip-address-type', 'load-balancer-name', 'subnets', 'security-groups', 'manage-backend-security-group-rules',
  'load-balancer-attributes', 'listener-attributes.HTTP-80', 'listener-attributes.HTTPS-443', 'tags', 'customer-owned-ipv4-pool',
  'wafv2-acl-arn', 'wafv2-acl-name', 'waf-acl-id', 'shield-advanced-protection', 'listen-ports', 'ssl-redirect', 'ssl-policy',
  'certificate-arn', 'inbound-cidrs', 'security-group-prefix-lists', 'mutual-authentication', 'ipam-ipv4-pool-id',
].map((name) => `alb.ingress.kubernetes.io/${name}`);

/** A large fleet whose clusters spread their apps over `shared` ALBs each. */
function largeFleet(apps: number, clusters: number, shared: number): Fleet {
  return largeFleetFixture(apps, clusters, (text) => text.replace(/\n {4}nodeGroups:/g, `\n    sharedLoadBalancers: ${shared}\n    nodeGroups:`));
}

/** Every app's ALB on every cluster it is placed on: `<app>@<cluster>` to the group. */
function assignments(fleet: Fleet): Map<string, string> {
  const groups = new Map<string, string>();
  for (const cluster of fleet.clusters) {
    for (const alb of loadBalancersOn(fleet, cluster)) {
      for (const app of alb.apps) groups.set(`${app.name}@${cluster.name}`, alb.group);
    }
  }
  return groups;
}

/** A seeded PRNG (mulberry32): the same edits on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

describe('load balancer groups', () => {
  test('the demo fleet puts app0, app1, app2 and podinfo on one shared ALB of ipv6-east', () => {
    // GIVEN
    const albs = ingressesByAlb(demoFleet());
    // THEN
    expect([...albs.keys()]).toEqual(['ipv6-east shared-0']);
    expect(albs.get('ipv6-east shared-0')!.map((ingress) => ingress.file)).toEqual(['app0', 'app1', 'app2', 'podinfo'].map((app) => `apps/${app}/clusters/ipv6-east.yaml`));
  });

  test('app2 at 10,000 replicas gets an ALB of its own, app0, app1 and podinfo keep theirs', () => {
    // GIVEN: 11,500 targets at a rollout's peak, over a shared ALB's 1,000
    const fleet = demoFleet((text) => setReplicas(text, 2, 10000));
    // WHEN
    const albs = ingressesByAlb(fleet);
    // THEN
    expect([...albs.keys()].sort()).toEqual(['ipv6-east own-app2', 'ipv6-east shared-0']);
    expect(albs.get('ipv6-east shared-0')!.map((ingress) => ingress.file)).toEqual(['apps/app0/clusters/ipv6-east.yaml', 'apps/app1/clusters/ipv6-east.yaml', 'apps/podinfo/clusters/ipv6-east.yaml']);
    expect(loadBalancersOn(fleet, fleet.clusters[1]).map(({ group, reason }) => [group, reason])).toEqual([['shared-0', 'shared'], ['own-app2', 'targets']]);
  });

  test('the threshold for an ALB of its own is a fixed 500 targets, whatever quotas the cluster declares', () => {
    // GIVEN the demo's ipv6-east with AWS's default 1,000 targets per ALB, then with quotas raised far beyond
    const east = demoFleet().clusters[1];
    const raised = { ...east, loadBalancerQuotas: { ...east.loadBalancerQuotas, targetsPerLoadBalancer: 11500, targetsPerTargetGroup: 11500 } };
    const lowered = { ...east, loadBalancerQuotas: { ...east.loadBalancerQuotas, targetsPerLoadBalancer: 600 } };
    // THEN: half of AWS's default 1,000, not half of the declared quota
    expect(sharedTargetsPerApp).toBe(500);
    for (const cluster of [east, raised, lowered]) {
      // 434 replicas (499 targets at a rollout's peak) share; 476 (476 + 24 surge + 47 draining = 547) do not
      expect(loadBalancerAssignment({ name: 'a', replicas: 434, loadBalancer: 'shared' }, cluster).reason).toBe('shared');
      expect(loadBalancerAssignment({ name: 'a', replicas: 476, loadBalancer: 'shared' }, cluster)).toEqual({ group: 'own-a', reason: 'targets' });
      // app2 at 10,000 (11,500 targets) stays on its own ALB when the account's quota holds it
      expect(loadBalancerAssignment({ name: 'app2', replicas: 10000, loadBalancer: 'shared' }, cluster)).toEqual({ group: 'own-app2', reason: 'targets' });
    }
    // An app of 2,000 targets at its peak would go back to a shared ALB if the threshold were half of a raised 11,500.
    expect(loadBalancerAssignment({ name: 'a', replicas: 1700, loadBalancer: 'shared' }, raised)).toEqual({ group: 'own-a', reason: 'targets' });
  });

  test('an app with loadBalancer: own in fleet.yaml gets an ALB of its own', () => {
    // GIVEN
    const fleet = demoFleet((text) => text.replace('backgroundColor: red\n', 'backgroundColor: red\n    loadBalancer: own\n'));
    // THEN
    expect(fleet.apps[1].loadBalancer).toBe('own');
    expect([...ingressesByAlb(fleet).keys()].sort()).toEqual(['ipv6-east own-app1', 'ipv6-east shared-0']);
  });

  test('an app shares the ALB its name hashes to among the cluster\'s sharedLoadBalancers', () => {
    // GIVEN
    const fleet = demoFleet((text) => text.replace('    nodeGroups:\n      - name: default\n        instanceType: m5.large\n        minSize: 3\n        maxSize: 120', '    sharedLoadBalancers: 7\n    nodeGroups:\n      - name: default\n        instanceType: m5.large\n        minSize: 3\n        maxSize: 120'));
    // THEN
    expect(fleet.clusters[1].sharedLoadBalancers).toBe(7);
    const albs = ingressesByAlb(fleet);
    for (const app of ['app0', 'app1', 'app2']) {
      const group = `shared-${jumpHash(nameKey(app), 7)}`;
      expect(albs.get(`ipv6-east ${group}`)!.map((ingress) => ingress.file)).toContain(`apps/${app}/clusters/ipv6-east.yaml`);
    }
    // The key and the bucket are fixed: an app's bucket must never change with a Node.js version or a refactoring.
    // Expected values from the paper's C++ reference (figure 1) and FNV-1a 64 in C (uint64_t), compiled with g++.
    expect(['app0', 'app1', 'app2'].map((app) => sharedBucket(app, 7))).toEqual([5, 0, 3]);
    expect([nameKey(''), nameKey('a'), nameKey('app0')]).toEqual([0xcbf29ce484222325n, 0xaf63dc4c8601ec8cn, 0x76dcab8433fdd874n]);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 1000].map((buckets) => jumpHash(nameKey('app0'), buckets))).toEqual([0, 1, 1, 1, 1, 5, 5, 5, 633]);
    expect([jumpHash(0xffffffffffffffffn, 100000), jumpHash(123456789n, 7), jumpHash(1n, 1000000)]).toEqual([18311, 0, 985611]);
  });

  test('raising sharedLoadBalancers from k to k + 1 moves about 1/(k + 1) of the apps, all onto the new ALB', () => {
    // GIVEN 10,000 app names
    const names = Array.from({ length: 10000 }, (_, index) => `app${index}`);
    for (const k of [1, 2, 3, 4, 7, 15]) {
      // WHEN
      const moves = names.filter((name) => sharedBucket(name, k) !== sharedBucket(name, k + 1));
      // THEN: every app that moves goes to shared-<k>, and about 1/(k + 1) of them move (within 15%)
      expect(new Set(moves.map((name) => sharedBucket(name, k + 1)))).toEqual(new Set([k]));
      expect(Math.abs(moves.length - names.length / (k + 1))).toBeLessThan(0.15 * names.length / (k + 1));
      // and the k + 1 ALBs are about evenly filled
      const sizes = Array.from({ length: k + 1 }, (_, bucket) => names.filter((name) => sharedBucket(name, k + 1) === bucket).length);
      for (const size of sizes) expect(Math.abs(size - names.length / (k + 1))).toBeLessThan(0.15 * names.length / (k + 1));
    }
  });

  test('every group name is one the controller takes: at most 63 characters of its alphabet', () => {
    // GIVEN: the longest app name fleet.yaml allows (40 characters)
    const longest = 'a'.repeat(40);
    // THEN
    for (const group of [loadBalancerAssignment({ name: longest, replicas: 1, loadBalancer: 'own' }, demoFleet().clusters[1]).group, 'shared-99']) {
      expect(group.length).toBeLessThanOrEqual(maxGroupNameLength);
      expect(group).toMatch(groupNamePattern);
    }
  });

  test('every Ingress of a group says the same of its ALB, those of apps moving between ALBs too, and what it says is the controller\'s per-ALB set', () => {
    // GIVEN: 120 apps on 4 clusters, 3 shared ALBs each, some apps with ALBs of their own, and some moving between ALBs:
    // step 1 (nextLoadBalancer) and step 2 (previousLoadBalancer) of the walk, to and from ALBs of their own
    const fleet = largeFleet(120, 4, 3);
    const edited: Fleet = {
      ...fleet,
      apps: fleet.apps.map((app, index) => (index % 10 === 0 ? { ...app, loadBalancer: 'own' }
        : index % 10 === 1 ? { ...app, nextLoadBalancer: 'own' }
          : index % 10 === 2 ? { ...app, loadBalancer: 'own', previousLoadBalancer: 'shared' }
            : index % 10 === 3 ? { ...app, loadBalancer: 'own', nextLoadBalancer: 'shared' } : app)),
    };
    // WHEN
    const albs = ingressesByAlb(edited);
    // THEN: every ALB's Ingresses, the walks' second ones among them
    expect(albs.size).toBe(2 * 3 + 12 * 4);
    const walking = [...albs.values()].flat().filter((ingress) => /^app\d+-(next|previous)$/.test(ingress.name));
    expect(walking).toHaveLength(3 * 12 * 2);
    for (const [alb, ingresses] of albs) {
      const perAlb = ingresses.map(({ annotations, ingressClassName }) =>
        JSON.stringify([ingressClassName, perAlbAnnotations.map((key) => annotations[key] ?? null)]));
      expect({ alb, distinct: [...new Set(perAlb)] }).toEqual({ alb, distinct: [perAlb[0]] });
    }
    // Every annotation the charts put on every Ingress alike is one the controller reads per ALB.
    expect(Object.keys(loadBalancerAnnotations).filter((key) => !perAlbAnnotations.includes(key))).toEqual([]);
  });

  test('a few hundred random edits of a 3,000-app fleet, its apps and its clusters\' quotas, never move an app they do not edit to another ALB', () => {
    // GIVEN: 3,000 apps on 36 IPv6 clusters, 4 shared ALBs each
    // and a fifth of the apps between 300 and 1,500 replicas, near any threshold a declared quota could set
    const large = largeFleet(3000, 72, 4);
    const base: Fleet = { ...large, apps: large.apps.map((app, index) => (index % 5 === 0 ? { ...app, replicas: [300, 500, 900, 1500][index % 4] } : app)) };
    const random = prng(23);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const ipv6 = base.clusters.filter((cluster) => cluster.ipFamily === 'ipv6').map((cluster) => cluster.name);
    const placementsOn = (count: number): Placement[] => {
      const clusters = [...new Set(Array.from({ length: count }, () => pick(ipv6)))];
      return clusters.map((cluster) => (clusters.length > 1 ? { cluster, weight: Math.floor(random() * 256) } : { cluster }));
    };
    let fleet = base;
    let before = assignments(fleet);
    let moved = 0;
    const kinds = new Map<string, number>();
    // WHEN
    for (let edit = 0; edit < 300; edit++) {
      const apps = [...fleet.apps];
      const index = Math.floor(random() * apps.length);
      const kind = pick(['add', 'remove', 'scale', 'migrate', 'own', 'share', 'quota'] as const);
      let editedApp: string;
      let clusters = fleet.clusters;
      if (kind === 'quota') {
        // The cluster's declared quotas, raised or lowered as the capacity plan asks: no app of it may move.
        const cluster = clusters.findIndex((candidate) => candidate.name === pick(ipv6));
        const quota = pick(['targetsPerLoadBalancer', 'targetsPerTargetGroup', 'rulesPerLoadBalancer'] as const);
        const value = pick(quota === 'rulesPerLoadBalancer' ? [100, 150, 200, 500] : [500, 1000, 2000, 11500, 50000]);
        clusters = clusters.map((candidate, position) => (position === cluster ? { ...candidate, loadBalancerQuotas: { ...candidate.loadBalancerQuotas, [quota]: value } } : candidate));
        editedApp = '';
      } else if (kind === 'add') {
        const app: App = { ...(apps[index] as TestApp), name: `new${edit}`, replicas: pick([0, 5, 50, 900, 10000]), rollout: resolveRollout({ deregistrationDelaySeconds: 30 }), placements: placementsOn(1 + Math.floor(random() * 2)) };
        apps.splice(index, 0, app);
        editedApp = app.name;
      } else if (kind === 'remove') {
        editedApp = apps.splice(index, 1)[0].name;
      } else {
        const app = apps[index];
        editedApp = app.name;
        apps[index] = kind === 'scale' ? { ...app, replicas: pick([0, 1, 5, 500, 1000, 10000]) }
          : kind === 'migrate' ? { ...app, placements: placementsOn(1 + Math.floor(random() * 3)) }
            : { ...app, loadBalancer: kind === 'own' ? 'own' : 'shared' };
      }
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      fleet = { ...fleet, apps, clusters };
      const after = assignments(fleet);
      for (const [placement, group] of after) {
        if (editedApp && placement.startsWith(`${editedApp}@`)) continue;
        if (before.has(placement) && before.get(placement) !== group) moved++;
      }
      before = after;
    }
    // THEN
    expect([...kinds.keys()].sort()).toEqual(['add', 'migrate', 'own', 'quota', 'remove', 'scale', 'share']);
    expect(kinds.get('quota')).toBeGreaterThan(20);
    expect(moved).toBe(0);
  });
});
