/**
 * The ACM certificate the apps' ALBs serve HTTPS with: one wildcard certificate of `*.<domain>` per account and region
 * whose clusters run the AWS Load Balancer Controller (certificates are regional, and an ALB uses only its own
 * account's), validated by DNS in the hosted zone. The controller finds it by host (certificate discovery: an Ingress
 * with an HTTPS listen port and no certificate-arn gets every ISSUED certificate whose domain matches its host,
 * aws-load-balancer-controller v3.5.0 pkg/ingress/model_build_listener.go computeIngressInferredTLSCertARNs and
 * pkg/certs/cert_discovery.go), with acm:ListCertificates and acm:DescribeCertificate, which the controller policy the
 * eks-pod-identity and iam modules attach grants. Being the only match, it is every ALB's one (default) certificate.
 *
 * The hosted zone may be in another account (fleet.yaml's domainAccountId): that account's root module then creates a
 * role the other accounts assume to write the validation records, and nothing else, into the zone.
 */
import { fleetRolePrefix, partitionOf } from '../catalog/identities';
import { allClusters, ClusterSpec, Fleet } from '../config/fleet';
import { identifier, ref, TfObject, TfValue } from './json';

/** The role in the hosted zone's account through which the other accounts' root modules write certificate validation records. */
export const certificateValidationRole = `${fleetRolePrefix}-certificate-validation`;

/** The provider alias of a region other than the root module's own. */
function regionAlias(region: string): string {
  return identifier(region);
}

/** The name of a region's certificate resource. */
export function certificateResource(region: string): string {
  return `apps_${identifier(region)}`;
}

/** The regions, sorted (reordering fleet.yaml's clusters changes nothing), where an account's clusters run the load balancer controller, hence ALBs. */
export function certificateRegions(fleet: Fleet, accountId: string): string[] {
  const clusters = allClusters(fleet).filter((cluster) => cluster.accountId === accountId && cluster.addons.awsLoadBalancerController);
  return [...new Set(clusters.map((cluster) => cluster.region))].sort();
}

/** Whether some account other than the hosted zone's needs certificates, so the zone's account creates the validation role. */
export function remoteCertificateAccounts(fleet: Fleet): string[] {
  const accounts = allClusters(fleet).filter((cluster: ClusterSpec) => cluster.accountId !== fleet.domainAccountId && cluster.addons.awsLoadBalancerController)
    .map((cluster) => cluster.accountId);
  return [...new Set(accounts)].sort();
}

/** What the certificates add to an account's root module: providers, the zone, the resources, the validation role and outputs. */
export interface CertificateParts {
  /** Provider configurations beside the root module's own aws provider: one per other region, and the hosted zone's account. */
  readonly providers: readonly TfObject[];
  readonly data: Record<string, TfValue>;
  readonly resource: Record<string, TfValue>;
  readonly module: Record<string, TfValue>;
  readonly output: Record<string, TfValue>;
}

/**
 * The record names ACM validates a certificate of `*.<domain>` with: `_` and 32 hexadecimal characters (an MD5 digest)
 * directly under the domain (ACM User Guide, "DNS validation"). In StringLike `?` is exactly one character, so this
 * matches those names only, never `_acme-challenge.<name>` (another CA's validation) or `_dmarc` and the like.
 */
export function acmValidationRecordNames(domain: string): string {
  return `_${'?'.repeat(32)}.${domain}`;
}

/** The validation role of the hosted zone's account: the fleet's other accounts may write ACM's DNS validation records (CNAMEs `_<32 hex>.<domain>`), nothing else. */
function validationRoleModule(fleet: Fleet, accounts: readonly string[], partition: string, moduleCall: (inputs: TfObject) => TfObject): TfObject {
  return moduleCall({
    name: certificateValidationRole,
    use_name_prefix: false,
    description: `Terraform of the fleet's other accounts: ACM validation records in ${fleet.domain}`,
    trust_policy_permissions: {
      FleetAccounts: {
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'AWS', identifiers: accounts.map((account) => `arn:${partition}:iam::${account}:root`) }],
      },
    },
    create_inline_policy: true,
    inline_policy_permissions: {
      ValidationRecords: {
        actions: ['route53:ChangeResourceRecordSets'],
        resources: [ref('data.aws_route53_zone.certificates.arn')],
        // Route 53's condition keys for record changes (Route 53 Developer Guide, "Using IAM policy conditions for fine-grained access control").
        condition: [
          { test: 'ForAllValues:StringEquals', variable: 'route53:ChangeResourceRecordSetsRecordTypes', values: ['CNAME'] },
          { test: 'ForAllValues:StringLike', variable: 'route53:ChangeResourceRecordSetsNormalizedRecordNames', values: [acmValidationRecordNames(fleet.domain)] },
          // `?` also matches a dot: no name of two labels or more under the domain (`_acme-challenge.<17 characters>` fits the 32).
          { test: 'ForAllValues:StringNotLike', variable: 'route53:ChangeResourceRecordSetsNormalizedRecordNames', values: [`_*.*.${fleet.domain}`] },
          // Terraform's aws_route53_record creates (UPSERT with allow_overwrite), replaces and destroys the record.
          { test: 'ForAllValues:StringEquals', variable: 'route53:ChangeResourceRecordSetsActions', values: ['CREATE', 'UPSERT', 'DELETE'] },
        ],
      },
      ReadZone: {
        actions: ['route53:GetHostedZone', 'route53:ListHostedZones', 'route53:ListResourceRecordSets', 'route53:GetChange', 'route53:ListTagsForResource'],
        resources: ['*'],
      },
    },
  });
}

/**
 * The certificates of an account's regions, validated in the hosted zone, and in the zone's account the role the
 * other accounts assume for it. `region` is the root module's own provider region; `moduleCall` makes the pinned iam-role call.
 */
export function certificateParts(fleet: Fleet, accountId: string, region: string, moduleCall: (inputs: TfObject) => TfObject): CertificateParts {
  const regions = certificateRegions(fleet, accountId);
  const partition = partitionOf(region);
  const remote = accountId === fleet.domainAccountId ? remoteCertificateAccounts(fleet) : [];
  const zoneProvider = accountId === fleet.domainAccountId ? undefined : 'aws.zone';
  const parts = { providers: [] as TfObject[], data: {} as Record<string, TfValue>, resource: {} as Record<string, TfValue>, module: {} as Record<string, TfValue>, output: {} as Record<string, TfValue> };
  if (regions.length || remote.length) {
    parts.data.aws_route53_zone = { certificates: { name: fleet.domain, private_zone: false, ...(zoneProvider ? { provider: zoneProvider } : {}) } };
  }
  if (remote.length) parts.module.certificate_validation = validationRoleModule(fleet, remote, partition, moduleCall);
  if (!regions.length) return parts;

  if (zoneProvider) {
    parts.providers.push({
      alias: 'zone',
      region,
      allowed_account_ids: [fleet.domainAccountId],
      assume_role: [{ role_arn: `arn:${partition}:iam::${fleet.domainAccountId}:role/${certificateValidationRole}`, session_name: `fleet-certificates-${accountId}` }],
      default_tags: [{ tags: { 'managed-by': 'fleet.yaml' } }],
    });
  }
  const certificates: Record<string, TfValue> = {};
  const validations: Record<string, TfValue> = {};
  for (const certificateRegion of regions) {
    const name = certificateResource(certificateRegion);
    const provider: TfObject = certificateRegion === region ? {} : { provider: `aws.${regionAlias(certificateRegion)}` };
    if (certificateRegion !== region) {
      parts.providers.push({ alias: regionAlias(certificateRegion), region: certificateRegion, allowed_account_ids: [accountId], default_tags: [{ tags: { 'managed-by': 'fleet.yaml' } }] });
    }
    certificates[name] = {
      ...provider,
      domain_name: `*.${fleet.domain}`,
      validation_method: 'DNS',
      // A renewal or a change makes the new certificate before the ALBs let go of the old one.
      lifecycle: [{ create_before_destroy: true }],
    };
    validations[name] = {
      ...provider,
      certificate_arn: ref(`aws_acm_certificate.${name}.arn`),
      validation_record_fqdns: [ref('aws_route53_record.apps_certificate_validation.fqdn')],
    };
    parts.output[`${name}_certificate_arn`] = { value: ref(`aws_acm_certificate_validation.${name}.certificate_arn`) };
  }
  // ACM gives an account one validation CNAME per domain name, the same in every region (a second record of it would
  // collide: hashicorp/terraform-provider-aws#13653), so one record validates every region's certificate.
  const first = certificateResource(regions[0]);
  const challenge = `tolist(aws_acm_certificate.${first}.domain_validation_options)[0]`;
  parts.resource.aws_acm_certificate = certificates;
  parts.resource.aws_route53_record = {
    apps_certificate_validation: {
      ...(zoneProvider ? { provider: zoneProvider } : {}),
      zone_id: ref('data.aws_route53_zone.certificates.zone_id'),
      name: ref(`${challenge}.resource_record_name`),
      type: ref(`${challenge}.resource_record_type`),
      records: [ref(`${challenge}.resource_record_value`)],
      ttl: 300,
      // The record may exist already: an earlier certificate of the account for the same name made it.
      allow_overwrite: true,
    },
  };
  parts.resource.aws_acm_certificate_validation = validations;
  return parts;
}
