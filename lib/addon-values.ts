import { Cluster, Fleet } from '../config/fleet';
import { AddonKey } from '../config/fleet-schema';

type Values = Record<string, unknown>;

const irsaAnnotation = (roleArn: string) => ({ 'eks.amazonaws.com/role-arn': roleArn });

/**
 * Helm values shared by every cluster running the add-on. Each key exists in the pinned chart's
 * values.yaml (a test checks it: Helm ignores misspelt keys silently).
 */
export function fleetAddonValues(addon: AddonKey, fleet: Fleet): Values {
  switch (addon) {
    case 'certManager':
      // crds.enabled replaces the deprecated installCRDs; keep leaves the CRDs (and so every
      // Certificate) in place if the release is ever removed.
      return { crds: { enabled: true, keep: true } };
    case 'awsLoadBalancerController':
      return {
        replicaCount: 2,
        // IPv6 pods can only be IP targets; instance targets would need IPv4 NodePorts.
        defaultTargetType: 'ip',
        serviceAccount: { create: true, name: 'aws-load-balancer-controller' },
      };
    case 'clusterAutoscaler':
      return {
        cloudProvider: 'aws',
        rbac: { serviceAccount: { create: true, name: 'cluster-autoscaler' } },
        extraArgs: {
          logtostderr: true,
          stderrthreshold: 'info',
          v: 4,
          // Scale out in one step to the ~100 nodes that 10000 test pods need, spread evenly
          // over the zones' node groups, and let nodes with emptyDir pods scale down again.
          'balance-similar-node-groups': true,
          expander: 'least-waste',
          'max-node-provision-time': '15m',
          'skip-nodes-with-local-storage': false,
          'skip-nodes-with-system-pods': false,
          'scale-down-unneeded-time': '10m',
        },
      };
    case 'externalDns':
      return {
        provider: { name: 'aws' },
        sources: ['ingress', 'service'],
        // sync deletes only records whose TXT ownership record carries this cluster's
        // txtOwnerId, so during a migration each cluster manages its own weighted record and
        // never another cluster's; removing a placement removes that cluster's record.
        policy: 'sync',
        registry: 'txt',
        domainFilters: [fleet.domain],
        // AAAA: dual-stack ALBs get an A and an AAAA alias record.
        managedRecordTypes: ['A', 'AAAA', 'CNAME'],
        serviceAccount: { create: true, name: 'external-dns' },
      };
  }
}

/**
 * Helm values of one cluster: what pods in an IPv6 cluster cannot discover from the instance
 * metadata service, and their IAM roles. Undefined when the add-on needs none for this cluster
 * (the Application tolerates the missing file).
 */
export function clusterAddonValues(addon: AddonKey, cluster: Cluster): Values | undefined {
  switch (addon) {
    case 'certManager':
      return undefined;
    case 'awsLoadBalancerController':
      return {
        clusterName: cluster.name,
        region: cluster.region,
        vpcId: cluster.vpcId,
        serviceAccount: { annotations: irsaAnnotation(cluster.iamRoles.awsLoadBalancerController) },
        // With cert-manager the webhook certificate is a Certificate, not a secret generated on
        // every render (which Argo CD would show as OutOfSync forever).
        enableCertManager: cluster.addons.certManager,
        ingressClassParams: { spec: { ipAddressType: cluster.ipFamily === 'ipv6' ? 'dualstack' : 'ipv4' } },
      };
    case 'clusterAutoscaler':
      return {
        autoDiscovery: { clusterName: cluster.name },
        awsRegion: cluster.region,
        rbac: { serviceAccount: { annotations: irsaAnnotation(cluster.iamRoles.clusterAutoscaler) } },
        extraArgs: { 'max-nodes-total': cluster.nodeGroups.reduce((total, group) => total + group.maxSize, 0) },
      };
    case 'externalDns':
      return {
        txtOwnerId: cluster.name,
        env: [{ name: 'AWS_DEFAULT_REGION', value: cluster.region }],
        serviceAccount: { annotations: irsaAnnotation(cluster.iamRoles.externalDns) },
      };
  }
}
