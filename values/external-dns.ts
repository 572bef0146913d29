import { addonCatalog } from '../catalog/addons';
import { externalDnsZoneRole } from '../catalog/identities';
import { AddonValues, awsServiceAccount, resources, singleStack } from './addon-values';

export const externalDnsValues: AddonValues = {
  fleet: (fleet) => ({
    provider: { name: 'aws' },
    sources: ['ingress', 'service'],
    // sync deletes only records whose TXT ownership record carries this cluster's
    // txtOwnerId, so during a migration each cluster manages its own weighted record and
    // never another cluster's; removing a placement removes that cluster's record.
    policy: 'sync',
    registry: 'txt',
    domainFilters: [fleet.domain],
    serviceAccount: { create: true, name: addonCatalog.externalDns.awsServiceAccount },
    resources: resources('10m', '64Mi'),
  }),
  cluster: (cluster, fleet) => {
    // Outside the hosted zone's account, records are written through its zone role (external-dns's AWS tutorial, "Assume Role").
    const zoneRole = externalDnsZoneRole(cluster, fleet.domainAccountId);
    return {
      txtOwnerId: cluster.name,
      // AAAA only where the ALB is dual-stack (IPv6 clusters): an IPv4 ALB has no IPv6 address,
      // so an AAAA alias record would answer empty.
      managedRecordTypes: cluster.ipFamily === 'ipv6' ? ['A', 'AAAA', 'CNAME'] : ['A', 'CNAME'],
      env: [{ name: 'AWS_DEFAULT_REGION', value: cluster.region }],
      serviceAccount: awsServiceAccount(cluster, 'externalDns'),
      service: singleStack(cluster.ipFamily),
      ...(zoneRole ? { extraArgs: { 'aws-assume-role': zoneRole } } : {}),
    };
  },
};
