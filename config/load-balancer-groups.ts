/**
 * Which ALB an app's Ingress is on, per cluster: the IngressGroup (alb.ingress.kubernetes.io/group.name) the AWS Load
 * Balancer Controller merges it into, one listener rule and one target group per app on a shared ALB.
 *
 * The assignment of an app depends on nothing but the app itself and the cluster's fixed settings (its
 * sharedLoadBalancers and targets quota), never on the other apps: adding, removing, scaling or migrating an app never
 * moves another app to another ALB, which would change that app's DNS target while resolvers still hold the old one.
 * A shared ALB that fills up is reported by the capacity plan (capacity/plan.ts), never emptied by moving apps.
 */
import { rolloutPeak } from '../catalog/test-app';
import { App, appsOn, Cluster, Fleet } from './fleet';

/** What the assignment reads of a cluster. */
export type LoadBalancerCluster = Pick<Cluster, 'sharedLoadBalancers' | 'loadBalancerQuotas'>;

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
  /** shared: one of the cluster's shared ALBs; asked: fleet.yaml's loadBalancer: own; targets: its targets at a rollout's peak exceed a shared ALB's quota. */
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
 * FNV-1a (32 bits) of the app's name: fixed forever, the same in every process and version of Node.js, so an app's
 * shared ALB changes only when the cluster's sharedLoadBalancers does.
 */
export function nameHash(name: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < name.length; index++) {
    hash ^= name.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The shared ALB of a cluster an app goes to when it shares one: its name's hash, modulo the cluster's shared ALBs. */
export function sharedBucket(app: string, sharedLoadBalancers: number): number {
  return nameHash(app) % sharedLoadBalancers;
}

/**
 * The most targets an app may have at a rollout's peak and still share an ALB: half the targets an ALB may hold. An app
 * above would leave its neighbours too little room, and grown a little more would take the whole quota, after which the
 * ALB registers no new pod of any app on it (TooManyTargets): it goes on an ALB of its own, whose quota is its alone.
 * Half, not all, also keeps such an app on its own ALB once the account raises the quota to hold its targets.
 */
export function sharedTargetsPerApp(cluster: LoadBalancerCluster): number {
  return Math.floor(cluster.loadBalancerQuotas.targetsPerLoadBalancer / 2);
}

/** The app's ALB on a cluster. */
export function loadBalancerAssignment(app: Pick<App, 'name' | 'replicas' | 'loadBalancer'>, cluster: LoadBalancerCluster): LoadBalancerAssignment {
  if (app.loadBalancer === 'own') return { group: ownGroupName(app.name), reason: 'asked' };
  if (rolloutPeak(app.replicas).pods > sharedTargetsPerApp(cluster)) return { group: ownGroupName(app.name), reason: 'targets' };
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
