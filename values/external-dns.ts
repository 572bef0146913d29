import { addonCatalog } from '../catalog/addons';
import { AddonValues, irsaAnnotation } from './addon-values';

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
    // AAAA: dual-stack ALBs get an A and an AAAA alias record.
    managedRecordTypes: ['A', 'AAAA', 'CNAME'],
    serviceAccount: { create: true, name: addonCatalog.externalDns.awsServiceAccount },
  }),
  cluster: (cluster) => ({
    txtOwnerId: cluster.name,
    env: [{ name: 'AWS_DEFAULT_REGION', value: cluster.region }],
    serviceAccount: { annotations: irsaAnnotation(cluster.iamRoles.externalDns) },
  }),
};
