import { allClusters, Fleet } from '../config/fleet';
import { resources, singleStack, Values } from './addon-values';

/** Clusters one application controller shard reconciles; each cluster belongs to exactly one shard. */
export const clustersPerControllerShard = 10;

/** The replicas of each Argo CD component, sized from the fleet. */
export interface ArgocdReplicas {
  readonly controller: number;
  readonly server: number;
  readonly repoServer: number;
  readonly applicationSet: number;
  /** notifications, redis and dex: one each, the chart has no more. */
  readonly singles: number;
}

/**
 * Argo CD's replicas: two of every stateless component, so a node drain or a crash never stops
 * syncs or the UI, and one application controller shard per ten clusters (the in-cluster one
 * included), since a shard holds the watches and the cache of all its clusters.
 */
export function argocdReplicas(fleet: Fleet): ArgocdReplicas {
  const clusters = fleet.clusters.filter((cluster) => cluster.register).length + 1;
  return { controller: Math.ceil(clusters / clustersPerControllerShard), server: 2, repoServer: 2, applicationSet: 2, singles: 3 };
}

/** The pods Argo CD runs, for the capacity plan. */
export function argocdPods(fleet: Fleet): number {
  const replicas = argocdReplicas(fleet);
  return replicas.controller + replicas.server + replicas.repoServer + replicas.applicationSet + replicas.singles;
}

/** At most one replica of a component away at a time during a drain (the chart's default minAvailable 0 protects nothing). */
const disruptionBudget = { enabled: true, maxUnavailable: 1 };

/**
 * Helm values of Argo CD, dist/addons/argo-cd/values.yaml, for the cluster it runs on
 * (fleet.argocd.cluster): every Service in that cluster's IP family.
 *
 * Redis: the chart's single redis, not redis-ha, whose HAProxy front end does not work on
 * IPv6-only clusters (Argo CD's high-availability docs say the HA manifests do not support
 * IPv6-only clusters). Redis is only a cache here: a restarted redis is refilled by the
 * controllers. It listens on both families ("* -::*", redis's own default, made explicit so a
 * value like the chart's commented `--bind 0.0.0.0` example can never make it IPv4-only while
 * its localhost probes still pass).
 */
export function argocdValues(fleet: Fleet): Values {
  const home = allClusters(fleet).find((cluster) => cluster.name === fleet.argocd.cluster)!;
  const family = home.ipFamily;
  const replicas = argocdReplicas(fleet);
  // argocd-k8s-auth signs its EKS tokens with the SDK's default configuration, which has no
  // region unless the environment gives one (it takes no region flag); EKS Pod Identity does
  // not set one, unlike IRSA's webhook.
  const region = { name: 'AWS_REGION', value: home.region };
  return {
    global: { dualStack: singleStack(family) },
    configs: {
      // Round-robin spreads the clusters evenly over the shards (the default hashes them).
      params: { 'controller.sharding.algorithm': 'round-robin' },
    },
    controller: {
      // Also sets ARGOCD_CONTROLLER_REPLICAS, which sharding reads (chart statefulset.yaml).
      replicas: replicas.controller,
      env: [region],
      resources: resources('500m', '1Gi'),
      pdb: disruptionBudget,
    },
    server: {
      replicas: replicas.server,
      // Argo CD's HA guidance: the API server divides its rate limits by this.
      env: [{ name: 'ARGOCD_API_SERVER_REPLICAS', value: String(replicas.server) }, region],
      resources: resources('100m', '256Mi'),
      pdb: disruptionBudget,
    },
    repoServer: {
      replicas: replicas.repoServer,
      resources: resources('250m', '512Mi'),
      // The init container would otherwise ask for the repo-server's requests (chart default).
      copyutil: { resources: resources('10m', '32Mi') },
      pdb: disruptionBudget,
    },
    applicationSet: {
      // More than one switches on leader election (chart _helpers.tpl).
      replicas: replicas.applicationSet,
      extraEnv: [region],
      resources: resources('100m', '256Mi'),
      pdb: disruptionBudget,
    },
    notifications: { resources: resources('10m', '64Mi') },
    dex: { resources: resources('10m', '64Mi'), initImage: { resources: resources('10m', '32Mi') } },
    'redis-ha': { enabled: false },
    redis: { enabled: true, extraArgs: ['--bind', '* -::*'], resources: resources('100m', '128Mi') },
    redisSecretInit: { resources: resources('10m', '32Mi') },
  };
}
