// The add-ons' values that matter, asserted by name beside the snapshots of dist/ (main.test.ts):
// accepting a snapshot update cannot let one of them through unnoticed. What the charts render from
// them, helm and all, is checked in test/verify/chart-checks.test.ts.
import { addonCatalog, clusterAutoscalerImageTags } from '../../catalog/addons';
import { Cluster } from '../../config/fleet';
import { awsServiceAccount, irsaRoleAnnotation, resources, restrictedContainer, singleStack } from '../../values/addon-values';
import { addonValues } from '../../values/addons';
import { awsLoadBalancerControllerValues } from '../../values/aws-load-balancer-controller';
import { certManagerValues } from '../../values/cert-manager';
import { clusterAutoscalerValues } from '../../values/cluster-autoscaler';
import { externalDnsValues } from '../../values/external-dns';
import { demoFleet, fixtureFleet } from '../support/fixtures';

const demo = demoFleet();
const accounts = fixtureFleet('accounts');
const clusterOf = (fleet: typeof demo, name: string): Cluster => fleet.clusters.find((cluster) => cluster.name === name)!;
const legacy = clusterOf(demo, 'legacy-ipv4');
const east = clusterOf(demo, 'ipv6-east');
/** An IRSA cluster in another account than the hosted zone's. */
const partner = clusterOf(accounts, 'partner-ipv4');
/** A Pod Identity IPv6 cluster in the hosted zone's account. */
const hub = clusterOf(accounts, 'ipv6-hub');

/** The restricted container settings the charts lack: no capability, the runtime's seccomp profile. */
const droppedCapabilities = { drop: ['ALL'] };
const runtimeDefaultSeccomp = { type: 'RuntimeDefault' };

describe('every add-on has a values builder', () => {
  test('the catalog\'s four add-ons, each with its own builder', () => {
    expect(addonValues).toEqual({
      certManager: certManagerValues,
      awsLoadBalancerController: awsLoadBalancerControllerValues,
      clusterAutoscaler: clusterAutoscalerValues,
      externalDns: externalDnsValues,
    });
  });
});

describe('shared helpers', () => {
  test('resources: the requests given, and a memory limit of twice the request in the same unit', () => {
    expect(resources('100m', '128Mi')).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    expect(resources('1', '2Gi')).toEqual({ requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '4Gi' } });
  });

  test('resources: a memory that is not a whole number of Mi or Gi is refused, never doubled from a part of it (1.5Gi is not 10Gi)', () => {
    expect(() => resources('10m', '1.5Gi')).toThrow();
    expect(() => resources('10m', '128Mix')).toThrow();
    expect(() => resources('10m', 'x64Mi')).toThrow();
    expect(() => resources('10m', '128M')).toThrow();
  });

  test('restrictedContainer: what Pod Security "restricted" asks of a container', () => {
    expect(restrictedContainer).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: droppedCapabilities,
      seccompProfile: runtimeDefaultSeccomp,
    });
  });

  test('singleStack: a Service of the cluster\'s family only', () => {
    expect(singleStack('ipv6')).toEqual({ ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'] });
    expect(singleStack('ipv4')).toEqual({ ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] });
  });

  test('awsServiceAccount: under IRSA the role annotation of the cluster\'s own role; under Pod Identity nothing (an annotation would win over the association)', () => {
    expect(irsaRoleAnnotation).toBe('eks.amazonaws.com/role-arn');
    expect(awsServiceAccount(partner, 'externalDns')).toEqual({ annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::444455556666:role/partner-ipv4-external-dns' } });
    expect(hub.identity).toBe('podIdentity');
    expect(awsServiceAccount(hub, 'externalDns')).toBeUndefined();
  });
});

describe('AWS Load Balancer Controller', () => {
  const values = awsLoadBalancerControllerValues.fleet(demo) as Record<string, any>;

  test('the Service mutator webhook is off: left on it fails every Service CREATE until the controller runs, which waits for cert-manager\'s Services (first-install deadlock)', () => {
    expect(values.enableServiceMutatorWebhook).toBe(false);
  });

  test('the pod readiness-gate webhook fails closed: a pod made while it is down would count as ready before the ALB checks it', () => {
    expect(values.podMutatorWebhookConfig).toEqual({ failurePolicy: 'Fail' });
  });

  test('two replicas and a PodDisruptionBudget of one unavailable, so a drain never takes both', () => {
    expect(values.replicaCount).toBe(2);
    expect(values.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
  });

  test('its ServiceAccount is created, under the name the IAM role trusts', () => {
    expect(values.serviceAccount).toEqual({ create: true, name: addonCatalog.awsLoadBalancerController.awsServiceAccount });
  });

  test('its container drops every capability and uses the runtime\'s seccomp profile', () => {
    expect(values.securityContext).toEqual({ capabilities: droppedCapabilities, seccompProfile: runtimeDefaultSeccomp });
  });

  test('IP targets (IPv6 pods cannot be instance targets), and requests with a memory limit', () => {
    expect(values.defaultTargetType).toBe('ip');
    expect(values.resources).toEqual(resources('100m', '128Mi'));
  });

  test('per cluster: name, region and VPC (no instance metadata from IPv6 pods), the webhook certificate from cert-manager, a dual-stack ALB on IPv6', () => {
    expect(awsLoadBalancerControllerValues.cluster(east, demo)).toEqual({
      clusterName: 'ipv6-east',
      region: east.region,
      vpcId: east.vpcId,
      serviceAccount: undefined,
      enableCertManager: true,
      ingressClassParams: { spec: { ipAddressType: 'dualstack' } },
    });
    expect((awsLoadBalancerControllerValues.cluster(legacy, demo) as Record<string, any>).ingressClassParams).toEqual({ spec: { ipAddressType: 'ipv4' } });
  });

  test('per cluster: without cert-manager the chart makes its own certificate; under IRSA the role annotation', () => {
    const noCertManager = { ...partner, addons: { ...partner.addons, certManager: false } };
    const values = awsLoadBalancerControllerValues.cluster(noCertManager, accounts) as Record<string, any>;
    expect(values.enableCertManager).toBe(false);
    expect(values.serviceAccount).toEqual({ annotations: { [irsaRoleAnnotation]: 'arn:aws:iam::444455556666:role/partner-ipv4-aws-load-balancer-controller' } });
  });
});

describe('external-dns', () => {
  const values = externalDnsValues.fleet(demo) as Record<string, any>;

  test('sources: Ingresses only (the generator\'s, on the ALBs), never Services: a service\'s chart could publish any name of the zone, another app\'s too, by a hostname annotation on a Service of its own', () => {
    expect(values.sources).toEqual(['ingress']);
  });

  test('on AWS, in sync with a TXT registry (it deletes only the records it owns), inside the fleet\'s domain', () => {
    expect(values.provider).toEqual({ name: 'aws' });
    expect(values.policy).toBe('sync');
    expect(values.registry).toBe('txt');
    expect(values.domainFilters).toEqual([demo.domain]);
  });

  test('every cluster, IPv4 or IPv6, owns AAAA records beside its A records (external-dns adds an AAAA alias to every load balancer; one left out would leave the other placement the only AAAA of the name)', () => {
    expect(values.managedRecordTypes).toEqual(['A', 'AAAA', 'CNAME']);
  });

  test('its ServiceAccount is created, under the name the IAM role trusts, with requests and a memory limit', () => {
    expect(values.serviceAccount).toEqual({ create: true, name: addonCatalog.externalDns.awsServiceAccount });
    expect(values.resources).toEqual(resources('10m', '64Mi'));
  });

  test('per cluster in the zone\'s account: its own owner id, the region, a Service of its family, no zone role', () => {
    expect(externalDnsValues.cluster(hub, accounts)).toEqual({
      txtOwnerId: 'ipv6-hub',
      env: [{ name: 'AWS_DEFAULT_REGION', value: hub.region }],
      serviceAccount: undefined,
      service: { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'] },
    });
  });

  test('per cluster in another account: the IRSA role, and the zone\'s role to assume', () => {
    expect(externalDnsValues.cluster(partner, accounts)).toEqual({
      txtOwnerId: 'partner-ipv4',
      env: [{ name: 'AWS_DEFAULT_REGION', value: partner.region }],
      serviceAccount: { annotations: { [irsaRoleAnnotation]: 'arn:aws:iam::444455556666:role/partner-ipv4-external-dns' } },
      service: { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] },
      extraArgs: { 'aws-assume-role': `arn:aws:iam::${accounts.domainAccountId}:role/fleet-external-dns-zone` },
    });
  });
});

describe('cert-manager', () => {
  test('CRDs installed and kept if the release is removed (every Certificate with them); requests with memory limits', () => {
    expect(certManagerValues.fleet(demo)).toEqual({
      crds: { enabled: true, keep: true },
      resources: resources('50m', '128Mi'),
      webhook: { resources: resources('20m', '64Mi') },
      cainjector: { resources: resources('20m', '128Mi') },
      startupapicheck: { resources: resources('10m', '32Mi') },
    });
  });

  test('the webhook\'s Service in the cluster\'s family only', () => {
    expect(certManagerValues.cluster(east, demo)).toEqual({ webhook: { serviceIPFamilyPolicy: 'SingleStack', serviceIPFamilies: ['IPv6'] } });
    expect(certManagerValues.cluster(legacy, demo)).toEqual({ webhook: { serviceIPFamilyPolicy: 'SingleStack', serviceIPFamilies: ['IPv4'] } });
  });
});

describe('cluster-autoscaler', () => {
  const values = clusterAutoscalerValues.fleet(demo) as Record<string, any>;

  test('its pod runs as the image\'s nobody (65534), non-root, with the runtime\'s seccomp profile', () => {
    expect(values.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: runtimeDefaultSeccomp });
  });

  test('its container cannot escalate, writes no root file system and drops every capability', () => {
    expect(values.containerSecurityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: droppedCapabilities });
  });

  test('its ServiceAccount is created, under the name the IAM role trusts, on AWS, with requests and a memory limit', () => {
    expect(values.cloudProvider).toBe('aws');
    expect(values.rbac).toEqual({ serviceAccount: { create: true, name: addonCatalog.clusterAutoscaler.awsServiceAccount } });
    expect(values.resources).toEqual(resources('100m', '300Mi'));
  });

  test('scales out in one step over similar node groups with least waste, and scales nodes with emptyDir or system pods down', () => {
    expect(values.extraArgs).toEqual({
      logtostderr: true,
      stderrthreshold: 'info',
      v: 4,
      'balance-similar-node-groups': true,
      expander: 'least-waste',
      'max-node-provision-time': '15m',
      'skip-nodes-with-local-storage': false,
      'skip-nodes-with-system-pods': false,
      'scale-down-unneeded-time': '10m',
    });
  });

  test('per cluster: the release of its Kubernetes version, its own node groups, its region, and a total no more than the groups\' maxSize', () => {
    const partnerValues = clusterAutoscalerValues.cluster(partner, accounts) as Record<string, any>;
    expect(partnerValues).toEqual({
      image: { tag: clusterAutoscalerImageTags[partner.kubernetesVersion] },
      autoDiscovery: { clusterName: 'partner-ipv4' },
      awsRegion: partner.region,
      rbac: { serviceAccount: { annotations: { [irsaRoleAnnotation]: 'arn:aws:iam::444455556666:role/partner-ipv4-cluster-autoscaler' } } },
      extraArgs: { 'max-nodes-total': partner.nodeGroups.reduce((total, group) => total + group.maxSize, 0) },
    });
    // Under Pod Identity the fleet-wide rbac.serviceAccount stays as it is: no per-cluster rbac key.
    expect(clusterAutoscalerValues.cluster(hub, accounts)).not.toHaveProperty('rbac');
  });

  test('max-nodes-total adds up every node group\'s maxSize', () => {
    const twoGroups = { ...east, nodeGroups: [{ ...east.nodeGroups[0], maxSize: 7 }, { ...east.nodeGroups[0], name: 'second', maxSize: 5 }] };
    expect((clusterAutoscalerValues.cluster(twoGroups, demo) as Record<string, any>).extraArgs).toEqual({ 'max-nodes-total': 12 });
  });
});
