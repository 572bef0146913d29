import { addonCatalog } from '../catalog/addons';
import { AddonValues, awsServiceAccount, resources, restrictedContainer } from './addon-values';

export const awsLoadBalancerControllerValues: AddonValues = {
  fleet: () => ({
    replicaCount: 2,
    // IPv6 pods can only be IP targets; instance targets would need IPv4 NodePorts.
    defaultTargetType: 'ip',
    serviceAccount: { create: true, name: addonCatalog.awsLoadBalancerController.awsServiceAccount },
    // The Service mutator webhook (mservice.elbv2.k8s.aws, failurePolicy Fail on every Service
    // CREATE in the cluster) only sets loadBalancerClass on LoadBalancer Services, which this
    // fleet does not use (its apps use ALB Ingresses). Left on, it rejects cert-manager's
    // Services until the controller runs, while the controller waits for cert-manager to issue
    // its webhook certificate: neither starts on an empty cluster (chart templates/webhook.yaml).
    enableServiceMutatorWebhook: false,
    resources: resources('100m', '128Mi'),
    // Rendered only when replicaCount > 1 (chart templates/pdb.yaml).
    podDisruptionBudget: { maxUnavailable: 1 },
    // A pod created while the webhook is down would get no readiness gate and count as ready
    // before the ALB checks it (the chart's default Ignore; its pod readiness gate docs advise
    // Fail). It selects only namespaces labelled for injection (the test apps'), so the
    // controller's own pods and every add-on start without it.
    podMutatorWebhookConfig: { failurePolicy: 'Fail' },
    // Merged with the chart's defaults (non-root, read-only root file system).
    securityContext: { capabilities: restrictedContainer.capabilities, seccompProfile: restrictedContainer.seccompProfile },
  }),
  cluster: (cluster) => ({
    clusterName: cluster.name,
    region: cluster.region,
    vpcId: cluster.vpcId,
    serviceAccount: awsServiceAccount(cluster, 'awsLoadBalancerController'),
    // With cert-manager the webhook certificate is a Certificate, not a secret generated on
    // every render (which Argo CD would show as OutOfSync forever).
    enableCertManager: cluster.addons.certManager,
    // The ALB's IP address type is the cluster's, whatever an Ingress says: IngressClassParams'
    // ipAddressType wins over the Ingress annotation (v3.5.0 pkg/ingress/model_build_load_balancer.go,
    // buildLoadBalancerIPAddressType), so the Ingresses carry none and every Ingress of a group
    // agrees. Every ALB of an IPv6 cluster is dual-stack: IPv6 pods can only be targets of a
    // dual-stack ALB. external-dns publishes A and AAAA either way (values/external-dns.ts).
    ingressClassParams: { spec: { ipAddressType: cluster.ipFamily === 'ipv6' ? 'dualstack' : 'ipv4' } },
  }),
};
