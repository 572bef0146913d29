/**
 * How a test app's Deployment rolls out: charts/test-app.ts renders it, the capacity plan counts the pods and ALB
 * targets it adds. Percentages, so a step scales with replicas: one extra pod at 5 replicas, 500 at 10,000.
 */
export const testAppRollingUpdate = { maxSurgePercent: 5, maxUnavailablePercent: 5 } as const;

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

/** The peak of a rolling update of `replicas` pods with the test app's strategy (catalog/test-app.ts). */
export function rolloutPeak(replicas: number): RolloutPeak {
  const surge = Math.ceil((replicas * testAppRollingUpdate.maxSurgePercent) / 100);
  const unavailable = Math.floor((replicas * testAppRollingUpdate.maxUnavailablePercent) / 100);
  const draining = Math.min(replicas, surge + unavailable);
  return { surge, draining, pods: replicas + surge + draining };
}

/** The annotation that puts an Ingress on the ALB of an IngressGroup, which the load balancer controller shares between the group's Ingresses. */
export const groupNameAnnotation = 'alb.ingress.kubernetes.io/group.name';
