import { addonCatalog } from '../catalog/addons';
import { externalDnsZoneRole } from '../catalog/identities';
import { AddonValues, awsServiceAccount, resources, singleStack } from './addon-values';

export const externalDnsValues: AddonValues = {
  fleet: (fleet) => ({
    provider: { name: 'aws' },
    // Ingresses only: every name the fleet publishes comes from an Ingress the generator renders
    // (a service's source may not render one: its project refuses the kind). A Service source would
    // let any chart publish any name of the zone, another app's too, by an
    // external-dns.alpha.kubernetes.io/hostname annotation on a Service of its own.
    sources: ['ingress'],
    // sync deletes only records whose TXT ownership record carries this cluster's
    // txtOwnerId, so during a migration each cluster manages its own weighted record and
    // never another cluster's; removing a placement removes that cluster's record.
    policy: 'sync',
    registry: 'txt',
    // Every cluster, whatever its family, owns an AAAA record beside each A record, of the same
    // set identifier and weight: external-dns v0.21.0 adds an AAAA alias beside the A alias of
    // every load balancer (provider/aws/aws.go, AdjustEndpoints; since v0.16.0, #5111), and the
    // Ingress's ip-address-type no longer changes that. On an IPv4 cluster the AAAA alias of its
    // IPv4 ALB answers empty (docs/tutorials/aws.md, v0.21.0), so during a migration the IPv6
    // clients of that cluster's share fall back to its A record, and Route 53 weighs the AAAA
    // records of every placement as it weighs the A ones. Left out on one cluster, the other
    // cluster's AAAA would be the only one of the name and take every client that prefers IPv6
    // (verify/dns-records.ts checks every app's records for that).
    managedRecordTypes: ['A', 'AAAA', 'CNAME'],
    domainFilters: [fleet.domain],
    serviceAccount: { create: true, name: addonCatalog.externalDns.awsServiceAccount },
    resources: resources('10m', '64Mi'),
  }),
  cluster: (cluster, fleet) => {
    // Outside the hosted zone's account, records are written through its zone role (external-dns's AWS tutorial, "Assume Role").
    const zoneRole = externalDnsZoneRole(cluster, fleet.domainAccountId);
    return {
      txtOwnerId: cluster.name,
      env: [{ name: 'AWS_DEFAULT_REGION', value: cluster.region }],
      serviceAccount: awsServiceAccount(cluster, 'externalDns'),
      service: singleStack(cluster.ipFamily),
      ...(zoneRole ? { extraArgs: { 'aws-assume-role': zoneRole } } : {}),
    };
  },
};
