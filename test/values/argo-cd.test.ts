// Argo CD's values that matter, asserted by name beside the snapshots of dist/ (main.test.ts) and the
// rendered checks of test/charts/argocd.test.ts: accepting a snapshot update cannot let one through.
import { Cluster } from '../../config/fleet';
import { resources } from '../../values/addon-values';
import { argocdPods, argocdReplicas, argocdValues, clustersPerControllerShard } from '../../values/argo-cd';
import { demoFleet, fixtureFleet, largeFleetFixture } from '../support/fixtures';

type Json = Record<string, any>;

/** Argo CD on ipv6-hub, beside clusters in two other regions: what is the hub's must be the hub's. */
const accounts = fixtureFleet('accounts');
const hub = accounts.clusters.find((cluster) => cluster.name === 'ipv6-hub')!;
const values = argocdValues(accounts) as Json;
const hubRegion = { name: 'AWS_REGION', value: hub.region };
const oneUnavailable = { enabled: true, maxUnavailable: 1 };

describe('Argo CD values', () => {
  test('the fixture puts other clusters in other regions than Argo CD\'s', () => {
    expect(accounts.clusters.filter((cluster: Cluster) => cluster.region !== hub.region).length).toBeGreaterThan(0);
  });

  test('every Service in the family of the cluster Argo CD runs on, single-stack', () => {
    expect(values.global).toEqual({ dualStack: { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'] } });
  });

  test('the components that sign EKS tokens get the region of Argo CD\'s own cluster (argocd-k8s-auth takes no region flag; Pod Identity sets none)', () => {
    expect(values.controller.env).toEqual([hubRegion]);
    expect(values.applicationSet.extraEnv).toEqual([hubRegion]);
    expect(values.server.env).toEqual([{ name: 'ARGOCD_API_SERVER_REPLICAS', value: '2' }, hubRegion]);
  });

  test('the API server is told how many replicas share its rate limits: as many as it runs', () => {
    expect(values.server.env[0]).toEqual({ name: 'ARGOCD_API_SERVER_REPLICAS', value: String(values.server.replicas) });
  });

  test('clusters are spread over the controller shards round-robin, not by hash', () => {
    expect(values.configs).toEqual({ params: { 'controller.sharding.algorithm': 'round-robin' } });
  });

  test('two replicas of each stateless component and one shard per ten clusters, each with a PodDisruptionBudget of one unavailable', () => {
    expect(values.controller.replicas).toBe(argocdReplicas(accounts).controller);
    for (const component of ['server', 'repoServer', 'applicationSet']) {
      expect([component, values[component].replicas]).toEqual([component, 2]);
    }
    for (const component of ['controller', 'server', 'repoServer', 'applicationSet']) {
      expect([component, values[component].pdb]).toEqual([component, oneUnavailable]);
    }
  });

  test('a single redis, not redis-ha (whose HAProxy does not work on IPv6-only clusters), listening on both families', () => {
    expect(values['redis-ha']).toEqual({ enabled: false });
    expect(values.redis).toEqual({ enabled: true, extraArgs: ['--bind', '* -::*'], resources: resources('100m', '128Mi') });
  });

  test('every container requests CPU and memory and has a memory limit, the init containers their own small ones', () => {
    expect({
      controller: values.controller.resources,
      server: values.server.resources,
      repoServer: values.repoServer.resources,
      copyutil: values.repoServer.copyutil,
      applicationSet: values.applicationSet.resources,
      notifications: values.notifications,
      dex: values.dex,
      redisSecretInit: values.redisSecretInit,
    }).toEqual({
      controller: resources('500m', '1Gi'),
      server: resources('100m', '256Mi'),
      repoServer: resources('250m', '512Mi'),
      copyutil: { resources: resources('10m', '32Mi') },
      applicationSet: resources('100m', '256Mi'),
      notifications: { resources: resources('10m', '64Mi') },
      dex: { resources: resources('10m', '64Mi'), initImage: { resources: resources('10m', '32Mi') } },
      redisSecretInit: { resources: resources('10m', '32Mi') },
    });
  });

  test('nothing else: every key is one of the above', () => {
    expect(Object.keys(values)).toEqual(['global', 'configs', 'controller', 'server', 'repoServer', 'applicationSet', 'notifications', 'dex', 'redis-ha', 'redis', 'redisSecretInit']);
  });
});

describe('Argo CD sized from the fleet', () => {
  test('ten clusters per controller shard', () => {
    expect(clustersPerControllerShard).toBe(10);
  });

  test('a cluster registered elsewhere (register: false) is not one of Argo CD\'s clusters and takes no shard room', () => {
    // GIVEN ten registered clusters and the in-cluster one: two shards
    const ten = largeFleetFixture(1, 10);
    expect(argocdReplicas(ten)).toEqual({ controller: 2, server: 2, repoServer: 2, applicationSet: 2, singles: 3 });
    // WHEN one of them is registered elsewhere THEN ten clusters are left: one shard
    const oneElsewhere = { ...ten, clusters: ten.clusters.map((cluster, index) => (index === 0 ? { ...cluster, register: false } : cluster)) };
    expect(argocdReplicas(oneElsewhere).controller).toBe(1);
  });

  test('the pods Argo CD runs, for the capacity plan: every component\'s replicas and the three single ones (notifications, redis, dex)', () => {
    const demo = demoFleet();
    expect(argocdPods(demo)).toBe(1 + 2 + 2 + 2 + 3);
  });
});
