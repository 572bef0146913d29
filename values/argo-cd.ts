import { Values } from './addon-values';

/** Helm values of Argo CD for an IPv6 cluster: dist/addons/argo-cd/values.yaml. */
export function argocdValues(): Values {
  return {
    global: {
      // Every Service of the chart gets an IPv6 ClusterIP, as the cluster only has IPv6.
      dualStack: { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'] },
    },
    // redis-ha's HAProxy does not support IPv6-only clusters: one redis, bound to IPv6 and IPv4.
    // (Argo CD's own Go servers listen on a wildcard address, which Go opens dual-stack.)
    'redis-ha': { enabled: false },
    redis: { enabled: true, extraArgs: ['--bind', '* -::*'] },
  };
}
