/**
 * Which ALB an app's Ingress is on, per cluster: the IngressGroup (alb.ingress.kubernetes.io/group.name) the AWS Load
 * Balancer Controller merges it into, one listener rule and one target group per app on a shared ALB.
 *
 * The assignment of an app depends on nothing but the app itself and the cluster's sharedLoadBalancers, never on the
 * cluster's declared quotas nor on the other apps: adding, removing, scaling or migrating an app never
 * moves another app to another ALB, which would change that app's DNS target while resolvers still hold the old one.
 * A shared ALB that fills up is reported by the capacity plan (capacity/plan.ts), never emptied by moving apps.
 */
import { rolloutPeak } from '../catalog/test-app';
import { App, appsOn, Cluster, Fleet } from './fleet';

/** What the assignment reads of a cluster. */
export type LoadBalancerCluster = Pick<Cluster, 'sharedLoadBalancers'>;

/**
 * The longest IngressGroup name the controller takes, and the characters it allows: lower-case letters, digits, "-"
 * and ".", starting and ending with a letter or digit (v3.5.0 pkg/ingress/group_loader.go, maxGroupNameLength and
 * groupNameRegex; a longer or other name is refused and the Ingress gets no ALB).
 */
export const maxGroupNameLength = 63;
export const groupNamePattern = /^([a-z0-9][-a-z0-9.]*)?[a-z0-9]$/;

/** Why an app has the ALB it has. */
export const loadBalancerReasons = ['shared', 'asked', 'targets'] as const;
export type LoadBalancerReason = typeof loadBalancerReasons[number];

/** An app's ALB on one cluster. */
export interface LoadBalancerAssignment {
  /** The IngressGroup: `shared-<n>` for a shared ALB, `own-<app>` for an ALB of the app's own. */
  readonly group: string;
  /** shared: one of the cluster's shared ALBs; asked: fleet.yaml's loadBalancer: own; targets: its targets at a rollout's peak exceed sharedTargetsPerApp. */
  readonly reason: LoadBalancerReason;
}

/** The group of the shared ALB number `bucket` of a cluster. */
export function sharedGroupName(bucket: number): string {
  return `shared-${bucket}`;
}

/** The group of an app's own ALB: app names are DNS labels of at most 40 characters, so at most 44 characters. */
export function ownGroupName(app: string): string {
  return `own-${app}`;
}

/**
 * FNV-1a (64 bits, http://www.isthe.com/chongo/tech/comp/fnv/) of the UTF-8 bytes of the app's name, in BigInt: fixed
 * forever, the same in every process, platform and version of Node.js, so an app's key never changes.
 */
export function nameKey(name: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(name, 'utf8')) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash;
}

/**
 * Jump consistent hash (Lamping and Veach 2014, "A Fast, Minimal Memory, Consistent Hash Algorithm",
 * https://arxiv.org/abs/1406.2294, figure 1): the bucket in [0, buckets) of a 64-bit key. Going from k buckets to k + 1
 * moves only about 1/(k + 1) of the keys, and every key it moves goes to the new bucket k; the others stay where they were.
 * The linear congruential step is the paper's, on 64 bits (BigInt); the division is the paper's, in doubles.
 */
export function jumpHash(key: bigint, buckets: number): number {
  let state = key & 0xffffffffffffffffn;
  let bucket = -1;
  let next = 0;
  while (next < buckets) {
    bucket = next;
    state = (state * 2862933555777941757n + 1n) & 0xffffffffffffffffn;
    next = Math.floor((bucket + 1) * (2147483648 / (Number(state >> 33n) + 1)));
  }
  return bucket;
}

/**
 * The shared ALB of a cluster an app goes to when it shares one: the jump consistent hash of its name's key over the
 * cluster's shared ALBs. Raising sharedLoadBalancers from k to k + 1 moves about 1/(k + 1) of the cluster's sharing apps,
 * all onto the new ALB `shared-<k>`; lowering it from k + 1 to k moves only the apps of `shared-<k>`.
 */
export function sharedBucket(app: string, sharedLoadBalancers: number): number {
  return jumpHash(nameKey(app), sharedLoadBalancers);
}

/**
 * The most targets an app may have at a rollout's peak and still share an ALB: half of AWS's default 1,000 "Targets per
 * Application Load Balancer" (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html).
 * An app above would leave its neighbours too little room, and grown a little more would take the whole default quota,
 * after which the ALB registers no new pod of any app on it (TooManyTargets): it goes on an ALB of its own, whose quota
 * is its alone. Fixed, never read from the cluster's declared loadBalancerQuotas: the capacity plan tells users to raise
 * those, and a threshold that followed them would move every app between the old and the new value to another ALB (a
 * DNS change) though nobody edited it.
 */
export const sharedTargetsPerApp = 500;

/** The app's ALB on a cluster; its rollout peak with its own strategy (the test app's when not given). */
export function loadBalancerAssignment(app: Pick<App, 'name' | 'replicas' | 'loadBalancer'> & Partial<Pick<App, 'rollingUpdate'>>, cluster: LoadBalancerCluster): LoadBalancerAssignment {
  if (app.loadBalancer === 'own') return { group: ownGroupName(app.name), reason: 'asked' };
  if (rolloutPeak(app.replicas, app.rollingUpdate).pods > sharedTargetsPerApp) return { group: ownGroupName(app.name), reason: 'targets' };
  return { group: sharedGroupName(sharedBucket(app.name, cluster.sharedLoadBalancers)), reason: 'shared' };
}

/** One ALB of a cluster: its IngressGroup and the apps whose Ingresses it merges, in fleet.yaml order. */
export interface ClusterLoadBalancer {
  readonly group: string;
  /** Whether the ALB is one of the cluster's shared ones, as opposed to an app's own. */
  readonly shared: boolean;
  readonly apps: readonly App[];
  /** Why the ALB is an app's own (asked in fleet.yaml, or its targets); 'shared' for a shared ALB. */
  readonly reason: LoadBalancerReason;
}

/** The ALBs the apps placed on a cluster make, in the order their first app comes in fleet.yaml. */
export function loadBalancersOn(fleet: Fleet, cluster: Cluster): ClusterLoadBalancer[] {
  const groups = new Map<string, { reason: LoadBalancerReason; apps: App[] }>();
  for (const app of appsOn(fleet, cluster.name)) {
    const { group, reason } = loadBalancerAssignment(app, cluster);
    const entry = groups.get(group) ?? { reason, apps: [] };
    entry.apps.push(app);
    groups.set(group, entry);
  }
  return [...groups].map(([group, { reason, apps }]) => ({ group, shared: reason === 'shared', apps, reason }));
}
