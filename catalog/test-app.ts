/**
 * How a test app's Deployment rolls out: charts/test-app.ts renders it, the capacity plan counts the pods and ALB
 * targets it adds. Percentages, so a step scales with replicas: one extra pod at 5 replicas, 500 at 10,000.
 */
export const testAppRollingUpdate: RollingUpdate = { maxSurgePercent: 5, maxUnavailablePercent: 5 };

/** A Deployment's rolling update in percentages of its replicas. */
export interface RollingUpdate {
  readonly maxSurgePercent: number;
  readonly maxUnavailablePercent: number;
}

/**
 * A service's Deployment strategy as the plan counts it: Kubernetes' default for a Deployment
 * that sets none (maxSurge 25%, maxUnavailable 25%; k8s.io/api apps/v1 DeploymentStrategy), which
 * most charts keep. npm run check compares it with the rendered Deployment where it renders one.
 */
export const serviceRollingUpdate: RollingUpdate = { maxSurgePercent: 25, maxUnavailablePercent: 25 };

/** What a rolling update of an app adds to its pods at its peak. */
export interface RolloutPeak {
  /** New pods beyond the replicas: maxSurge, rounded up as Kubernetes rounds it. */
  readonly surge: number;
  /**
   * Old pods still draining from the ALB (its deregistration delay, which their preStop pause waits out) while
   * their replacements already run: a step's maxSurge + maxUnavailable (rounded down). The Deployment does not count
   * terminating pods, so it creates the replacements at once; they keep their node slot, address and ALB target.
   */
  readonly draining: number;
  /** replicas + surge + draining: the pods, and the ALB's IP targets, at the peak. */
  readonly pods: number;
}

/** The peak of a rolling update of `replicas` pods with an app's strategy: the test app's (the default) or a service's. */
export function rolloutPeak(replicas: number, strategy: RollingUpdate = testAppRollingUpdate): RolloutPeak {
  const surge = Math.ceil((replicas * strategy.maxSurgePercent) / 100);
  const unavailable = Math.floor((replicas * strategy.maxUnavailablePercent) / 100);
  const draining = Math.min(replicas, surge + unavailable);
  return { surge, draining, pods: replicas + surge + draining };
}

/**
 * The annotation of a service's Namespace (apps/<app>/app.yaml) that records the pods per cluster
 * fleet.yaml declares for it, as a test app's Deployment does with its replicas: synth and
 * npm run diff read what moves from dist/.
 */
export const replicasAnnotation = 'fleet/replicas';

/**
 * The annotation of a service's Namespace that records the version of its source (a chart's
 * version, a git path's revision): the Namespace is in what the clusters share, so a later wave
 * reads the version its pinned commit has there (rollout/pins.ts).
 */
export const sourceVersionAnnotation = 'fleet/source-version';

/** The pods an app's shared file declares: its Deployment's replicas (a test app), or its Namespace's replicasAnnotation (a service). */
export function declaredReplicas(objects: readonly any[]): number {
  const deployment = objects.find((object) => object?.kind === 'Deployment');
  if (deployment) return Number(deployment.spec?.replicas ?? 0);
  const namespace = objects.find((object) => object?.kind === 'Namespace');
  return Number(namespace?.metadata?.annotations?.[replicasAnnotation] ?? 0);
}

/** The annotation that puts an Ingress on the ALB of an IngressGroup, which the load balancer controller shares between the group's Ingresses. */
export const groupNameAnnotation = 'alb.ingress.kubernetes.io/group.name';
