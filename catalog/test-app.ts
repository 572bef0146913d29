/**
 * How a test app's Deployment rolls out: charts/test-app.ts renders it, the capacity plan counts the pods and ALB
 * targets it adds. Percentages, so a step scales with replicas: one extra pod at 5 replicas, 500 at 10,000.
 */
export const testAppRollingUpdate = { maxSurgePercent: 5, maxUnavailablePercent: 5 } as const;
