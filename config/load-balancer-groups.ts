/**
 * Which ALB an app's Ingress is on, per cluster: the IngressGroup (alb.ingress.kubernetes.io/group.name) the AWS Load
 * Balancer Controller merges it into, one listener rule and one target group per app on a shared ALB.
 *
 * The assignment of an app depends on nothing but the app itself and the cluster's sharedLoadBalancers, never on the
 * cluster's declared quotas nor on the other apps: adding, removing, scaling or migrating an app never
 * moves another app to another ALB, which would change that app's DNS target while resolvers still hold the old one.
 * A shared ALB that fills up is reported by the capacity plan (capacity/plan.ts), never emptied by moving apps.
 */
import { RollingUpdate, rolloutPeak } from '../catalog/test-app';
import { App, appsOn, Cluster, Fleet } from './fleet';
import { LoadBalancerMode } from './schema';

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
  if (currentMode(app) === 'own') return { group: ownGroupName(app.name), reason: 'targets' };
  return { group: sharedGroupName(sharedBucket(app.name, cluster.sharedLoadBalancers)), reason: 'shared' };
}

/**
 * The kind of ALB an app is on, on every cluster it runs on: its own when fleet.yaml asks for one or its targets at a
 * rollout's peak exceed sharedTargetsPerApp, else a shared one. What loadBalancerAssignment decides, the cluster aside.
 */
export function currentMode(app: Pick<App, 'replicas' | 'loadBalancer'> & Partial<Pick<App, 'rollingUpdate'>>): LoadBalancerMode {
  return app.loadBalancer === 'own' || rolloutPeak(app.replicas, app.rollingUpdate).pods > sharedTargetsPerApp ? 'own' : 'shared';
}

/** The most replicas an app may have and still share an ALB: its targets at a rollout's peak at most sharedTargetsPerApp. */
export function maxSharedReplicas(strategy?: RollingUpdate): number {
  let replicas = 0;
  while (rolloutPeak(replicas + 1, strategy).pods <= sharedTargetsPerApp) replicas += 1;
  return replicas;
}

/** The ALB an app would have on a cluster with loadBalancer: `mode`, its targets aside: what nextLoadBalancer and previousLoadBalancer name. */
export function modeAssignment(app: Pick<App, 'name'>, mode: LoadBalancerMode, cluster: LoadBalancerCluster): LoadBalancerAssignment {
  return mode === 'own' ? { group: ownGroupName(app.name), reason: 'asked' } : { group: sharedGroupName(sharedBucket(app.name, cluster.sharedLoadBalancers)), reason: 'shared' };
}

/** What an Ingress of an app is for: its own (which owns DNS), or a walk's second one on the ALB it moves to or from. */
export const ingressRoles = ['app', 'next', 'previous'] as const;
export type IngressRole = typeof ingressRoles[number];

/** One Ingress of an app on a cluster. */
export interface AppIngress extends LoadBalancerAssignment {
  /** `<app>`, `<app>-next` or `<app>-previous`: each keeps its name, and so its target group, for as long as it is on its ALB. */
  readonly name: string;
  readonly role: IngressRole;
  /** Whether external-dns publishes the app's host for it: only the app's own Ingress. */
  readonly publishesDns: boolean;
}

/** The name of an app's Ingress of a role. */
export function ingressName(app: string, role: IngressRole): string {
  return role === 'app' ? app : `${app}-${role}`;
}

/**
 * The Ingresses of an app on a cluster: its own, on its ALB, which owns DNS; and while it moves to another ALB, two
 * that external-dns does not publish, so that no ALB ever answers its host with a 404 and no target group is created
 * on an ALB that serves it (the load balancer controller makes a target group per Ingress, v3.5.0
 * pkg/ingress/model_build_target_group.go buildTargetGroupResourceID; a new one serves only once its targets pass their
 * first health checks):
 *
 *   step                                      old ALB A                         new ALB B
 *   0  loadBalancer: a                        <app> (DNS)
 *   1  nextLoadBalancer: b                    <app> (DNS), <app>-previous       <app>-next
 *   2  loadBalancer: b, previousLoadBalancer: a  <app>-previous                 <app>-next (first), <app> (DNS)
 *   3  loadBalancer: b                                                          <app> (DNS)
 *
 * Step 1 creates B and warms both second Ingresses' target groups; step 2 moves only <app>, so its DNS record's target
 * changes from A to B in one external-dns update, A still serves clients that hold its address through <app>-previous,
 * and on B <app>-next's warm rule comes first (group.order) while <app>'s new target group warms up; step 3 removes the
 * two, leaving what a fleet that never moved renders. Where the named ALB is the one the app is on, there is no move.
 */
export function appIngresses(app: Pick<App, 'name' | 'replicas' | 'loadBalancer' | 'nextLoadBalancer' | 'previousLoadBalancer'> & Partial<Pick<App, 'rollingUpdate'>>, cluster: LoadBalancerCluster): AppIngress[] {
  const current = loadBalancerAssignment(app, cluster);
  const own: AppIngress = { ...current, name: app.name, role: 'app', publishesDns: true };
  const next = app.nextLoadBalancer && modeAssignment(app, app.nextLoadBalancer, cluster);
  if (next && next.group !== current.group) {
    return [own, { ...current, name: ingressName(app.name, 'previous'), role: 'previous', publishesDns: false }, { ...next, name: ingressName(app.name, 'next'), role: 'next', publishesDns: false }];
  }
  const previous = app.previousLoadBalancer && modeAssignment(app, app.previousLoadBalancer, cluster);
  if (previous && previous.group !== current.group) {
    return [own, { ...previous, name: ingressName(app.name, 'previous'), role: 'previous', publishesDns: false }, { ...current, name: ingressName(app.name, 'next'), role: 'next', publishesDns: false }];
  }
  return [own];
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
    // An app moving between ALBs is on both (appIngresses), once on each.
    for (const { group, reason } of appIngresses(app, cluster)) {
      const entry = groups.get(group) ?? { reason, apps: [] };
      if (!entry.apps.includes(app)) entry.apps.push(app);
      groups.set(group, entry);
    }
  }
  return [...groups].map(([group, { reason, apps }]) => ({ group, shared: reason === 'shared', apps, reason }));
}
