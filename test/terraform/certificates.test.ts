import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { renderFleet } from '../../app/render';
import { certificateValidationRole } from '../../terraform/certificates';
import { defaultTerraformDir } from '../../scripts/refresh-terraform-modules';
import { demoFleet, fixtureFleet, renderParsed } from '../support/fixtures';
import { tlsSecurityPolicy } from '../../charts/test-app-placement';
import { groupNameAnnotation } from '../../catalog/test-app';

type Json = Record<string, any>;

function accountStacks(files: ReadonlyMap<string, string>): Map<string, Json> {
  return new Map([...files].filter(([path]) => path.startsWith('terraform/accounts/')).map(([path, text]) => [path.split('/')[2], JSON.parse(text)]));
}

describe('HTTPS on the apps\' ALBs', () => {
  const ingresses = renderParsed(demoFleet()).objects.filter((object) => object.kind === 'Ingress');

  test('every Ingress listens on 443 with a TLS 1.3/1.2 policy and HTTP/2, and redirects 80 there', () => {
    // (app0, app1, app2 and podinfo)
    expect(ingresses).toHaveLength(4);
    for (const ingress of ingresses) {
      const annotations = ingress.metadata.annotations;
      expect(JSON.parse(annotations['alb.ingress.kubernetes.io/listen-ports'])).toEqual([{ HTTP: 80 }, { HTTPS: 443 }]);
      expect(annotations['alb.ingress.kubernetes.io/ssl-redirect']).toBe('443');
      expect(annotations['alb.ingress.kubernetes.io/ssl-policy']).toBe('ELBSecurityPolicy-TLS13-1-2-Res-2021-06');
      expect(annotations['alb.ingress.kubernetes.io/load-balancer-attributes'].split(',')).toContain('routing.http2.enabled=true');
      expect(annotations[groupNameAnnotation]).toBe('shared-0');
    }
    // The restricted (Res) TLS 1.3/1.2 policy: forward-secret (ECDHE) ciphers only for TLS 1.2.
    expect(tlsSecurityPolicy).toBe('ELBSecurityPolicy-TLS13-1-2-Res-2021-06');
  });

  test('the certificate is discovered by host: no Ingress names one, and every host is one label under the wildcard', () => {
    for (const ingress of ingresses) {
      expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/certificate-arn']).toBeUndefined();
      for (const rule of ingress.spec.rules) expect(rule.host).toMatch(/^[a-z0-9-]+\.apps\.example\.com$/);
    }
  });
});

describe('the ACM certificate in dist/terraform/', () => {
  test('the demo account requests *.<domain>, validates it by DNS in the hosted zone, and outputs its ARN once issued', () => {
    // GIVEN
    const account = accountStacks(renderFleet(demoFleet())).get('111122223333')!;
    // THEN
    expect(account.resource.aws_acm_certificate).toEqual({
      apps_us_east_2: { domain_name: '*.apps.example.com', validation_method: 'DNS', lifecycle: [{ create_before_destroy: true }] },
    });
    expect(account.data.aws_route53_zone.certificates).toEqual({ name: 'apps.example.com', private_zone: false });
    expect(account.resource.aws_route53_record.apps_certificate_validation).toMatchObject({
      zone_id: '${data.aws_route53_zone.certificates.zone_id}',
      name: '${tolist(aws_acm_certificate.apps_us_east_2.domain_validation_options)[0].resource_record_name}',
      records: ['${tolist(aws_acm_certificate.apps_us_east_2.domain_validation_options)[0].resource_record_value}'],
      allow_overwrite: true,
    });
    expect(account.resource.aws_route53_record.apps_certificate_validation.provider).toBeUndefined();
    expect(account.resource.aws_acm_certificate_validation.apps_us_east_2).toEqual({
      certificate_arn: '${aws_acm_certificate.apps_us_east_2.arn}',
      validation_record_fqdns: ['${aws_route53_record.apps_certificate_validation.fqdn}'],
    });
    expect(account.output.apps_us_east_2_certificate_arn).toEqual({ value: '${aws_acm_certificate_validation.apps_us_east_2.certificate_arn}' });
    expect(account.module.certificate_validation).toBeUndefined();
  });

  test('an account outside the zone\'s gets a certificate in each of its regions and writes the validation record through the zone account\'s role', () => {
    // GIVEN the accounts fixture: the zone in 111122223333, clusters of 444455556666 in eu-west-1 and us-west-1
    const stacks = accountStacks(renderFleet(fixtureFleet('accounts')));
    const remote = stacks.get('444455556666')!;
    const zone = stacks.get('111122223333')!;
    // THEN a certificate per region, the second through a provider of its region
    expect(Object.keys(remote.resource.aws_acm_certificate)).toEqual(['apps_eu_west_1', 'apps_us_west_1']);
    expect(remote.resource.aws_acm_certificate.apps_us_west_1.provider).toBe('aws.us_west_1');
    expect(remote.resource.aws_acm_certificate_validation.apps_us_west_1.provider).toBe('aws.us_west_1');
    expect(remote.provider.aws).toEqual(expect.arrayContaining([
      expect.objectContaining({ region: 'eu-west-1', allowed_account_ids: ['444455556666'] }),
      expect.objectContaining({ alias: 'us_west_1', region: 'us-west-1', allowed_account_ids: ['444455556666'] }),
      expect.objectContaining({ alias: 'zone', allowed_account_ids: ['111122223333'], assume_role: [expect.objectContaining({ role_arn: `arn:aws:iam::111122223333:role/${certificateValidationRole}` })] }),
    ]));
    // and the zone and the record through the zone account
    expect(remote.data.aws_route53_zone.certificates.provider).toBe('aws.zone');
    expect(remote.resource.aws_route53_record.apps_certificate_validation.provider).toBe('aws.zone');
    // the zone account's role trusts exactly the other account, for validation CNAMEs in the zone only
    const role = zone.module.certificate_validation;
    expect(role.name).toBe(certificateValidationRole);
    expect(role.trust_policy_permissions.FleetAccounts.principals).toEqual([{ type: 'AWS', identifiers: ['arn:aws:iam::444455556666:root'] }]);
    expect(role.inline_policy_permissions.ValidationRecords).toEqual({
      actions: ['route53:ChangeResourceRecordSets'],
      resources: ['${data.aws_route53_zone.certificates.arn}'],
      condition: [
        { test: 'ForAllValues:StringEquals', variable: 'route53:ChangeResourceRecordSetsRecordTypes', values: ['CNAME'] },
        { test: 'ForAllValues:StringLike', variable: 'route53:ChangeResourceRecordSetsNormalizedRecordNames', values: ['_????????????????????????????????.apps.example.com'] },
        { test: 'ForAllValues:StringNotLike', variable: 'route53:ChangeResourceRecordSetsNormalizedRecordNames', values: ['_*.*.apps.example.com'] },
        { test: 'ForAllValues:StringEquals', variable: 'route53:ChangeResourceRecordSetsActions', values: ['CREATE', 'UPSERT', 'DELETE'] },
      ],
    });
    expect(Object.keys(zone.resource.aws_acm_certificate)).toEqual(['apps_us_east_2']);
  });

  test('the validation role lets the other accounts write ACM\'s validation CNAMEs and nothing else of the zone', () => {
    // GIVEN the zone account's role, and IAM's StringLike: `*` any characters, `?` exactly one (IAM User Guide, "String condition operators")
    const policy = accountStacks(renderFleet(fixtureFleet('accounts'))).get('111122223333')!.module.certificate_validation.inline_policy_permissions.ValidationRecords;
    const like = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value);
    const values = (test: string, variable: string): string[] => policy.condition.find((entry: Json) => entry.test === test && entry.variable === variable).values;
    const names = 'route53:ChangeResourceRecordSetsNormalizedRecordNames';
    // A change batch of one record: every ForAllValues condition holds for it.
    const allowed = (name: string, type: string, action: string) =>
      values('ForAllValues:StringLike', names).some((pattern) => like(pattern, name))
      && !values('ForAllValues:StringNotLike', names).some((pattern) => like(pattern, name))
      && values('ForAllValues:StringEquals', 'route53:ChangeResourceRecordSetsRecordTypes').includes(type)
      && values('ForAllValues:StringEquals', 'route53:ChangeResourceRecordSetsActions').includes(action);
    // THEN ACM's record of *.apps.example.com (`_` and an MD5 in hex), created, overwritten and destroyed by Terraform
    const acm = '_3639ac514e785e898d2646601fa951d5.apps.example.com';
    for (const action of ['CREATE', 'UPSERT', 'DELETE']) expect(allowed(acm, 'CNAME', action)).toBe(true);
    // and no other name: another CA's challenge (of any length), an app's host, a deeper name, another type
    for (const name of ['_acme-challenge.app0.apps.example.com', '_acme-challenge.abcdefghijklmnopq.apps.example.com', '_dmarc.apps.example.com',
      'app0.apps.example.com', '_3639ac514e785e898d2646601fa951d5.x.apps.example.com', '_3639ac514e785e898d2646601fa951d5.apps.example.com.evil.com']) {
      expect({ name, allowed: allowed(name, 'CNAME', 'UPSERT') }).toEqual({ name, allowed: false });
    }
    expect(allowed(acm, 'TXT', 'UPSERT')).toBe(false);
  });

  test('a fleet without the load balancer controller requests no certificate', () => {
    const withoutController = (text: string) => `${text.slice(0, text.indexOf('\napps:'))}\napps: []\n`.replace(/\n {4}nodeGroups:/g, '\n    addons: { awsLoadBalancerController: false }\n    nodeGroups:');
    const stacks = accountStacks(renderFleet(demoFleet(withoutController)));
    expect(stacks.size).toBe(1);
    for (const stack of stacks.values()) expect(stack.resource?.aws_acm_certificate).toBeUndefined();
  });

  const podIdentityPolicy = join(defaultTerraformDir, 'eks-pod-identity-2.8.1', 'aws_lb_controller.tf');
  (existsSync(podIdentityPolicy) ? test : test.skip)('the controller\'s policy from the pinned eks-pod-identity module lets it discover certificates', () => {
    // The IRSA model's policy (terraform-aws-iam v6.5.0 modules/iam-role-for-service-accounts/policies.tf) grants the same two.
    const policy = readFileSync(podIdentityPolicy, 'utf8');
    expect(policy).toContain('"acm:ListCertificates"');
    expect(policy).toContain('"acm:DescribeCertificate"');
  });
});
