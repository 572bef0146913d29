import { distLayout } from '../../catalog/dist-layout';
import { maxRoleNameLength, roleNames, servicePolicyProblem, serviceRoleNameProblem } from '../../catalog/identities';
import { allClusters, Fleet } from '../../config/fleet';
import { identitySwitchProblems } from '../../terraform/identity-switch';
import { terraformFiles } from '../../terraform/stacks';
import { irsaRoleAnnotation } from '../../values/addon-values';
import { serviceIdentityValues } from '../../values/service-identity';
import { AwsCaller, callerIdentityProblems, expectedCallers, serviceCallers, terraformProblems } from '../../verify/terraform';
import { fixtureFleet, podinfoChartSource } from '../support/fixtures';

type Json = Record<string, any>;

/**
 * The accounts fixture (ipv6-hub: Pod Identity, account 1111...; partner-ipv4: IRSA, account
 * 4444...; ipv6-west: Pod Identity, pending, account 4444...) with services: podinfo calls AWS on
 * ipv6-hub and partner-ipv4, reports (a git path) on every IPv6 cluster by default, static calls
 * nothing.
 */
const services = `  - name: podinfo
${podinfoChartSource}    expose: { service: podinfo, port: 9898 }
    replicas: 2
    aws:
      serviceAccount: podinfo
      policyArns: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess, arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess]
      irsaAnnotationsValue: serviceAccount.annotations
    clusters: [{ name: ipv6-hub, weight: 200 }, { name: partner-ipv4, weight: 55 }]
  - name: reports
    source:
      git:
        repoURL: https://github.com/example-org/reports.git
        revision: v1.2.3
        path: deploy
    expose: { service: reports, port: 8080 }
    replicas: 3
    aws:
      serviceAccount: reports-writer
      policyArns: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]
  - name: static
    source:
      chart:
        repoURL: oci://ghcr.io/example-org/charts
        name: static
        version: 1.0.0
    expose: { service: static, port: 8080 }
    replicas: 2
    clusters: [partner-ipv4]
`;

/** The accounts fixture with the services, optionally edited as text first. */
function servicesFleet(edit: (text: string) => string = (text) => text): Fleet {
  return fixtureFleet('accounts', (text) => edit(`${text}${services}`));
}

/** dist/terraform/ of a fleet, as synth writes it. */
function terraformOf(fleet: Fleet): Map<string, string> {
  return new Map(terraformFiles(fleet).map((file) => [file.path, `${JSON.stringify(file.json, null, 2)}\n`]));
}

function stackOf(files: ReadonlyMap<string, string>, path: string): Json {
  return JSON.parse(files.get(path)!);
}

function withStack(files: ReadonlyMap<string, string>, path: string, edit: (stack: Json) => void): Map<string, string> {
  const stack = stackOf(files, path);
  edit(stack);
  return new Map([...files, [path, JSON.stringify(stack)]]);
}

const hub = distLayout.terraformCluster('ipv6-hub');
const partner = distLayout.terraformCluster('partner-ipv4');
const west = distLayout.terraformCluster('ipv6-west');
const hubAccount = distLayout.terraformAccount('111122223333');
const partnerAccount = distLayout.terraformAccount('444455556666');
const s3 = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
const sqs = 'arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess';

const fleet = servicesFleet();
const files = terraformOf(fleet);

/**
 * The identity check of npm run check, with the add-ons' and Argo CD's callers as fleet.yaml
 * names them (what their renders give, as test/verify/terraform.test.ts proves with helm), so it
 * runs without helm; the services' callers are fleet.yaml's in any case.
 */
function identityProblemsOf(checked: Fleet, checkedFiles: ReadonlyMap<string, string>): string[] {
  const addonCallers: AwsCaller[] = allClusters(checked).flatMap((cluster) => expectedCallers(checked, cluster));
  return callerIdentityProblems(checked, checkedFiles, addonCallers);
}

describe('a service that calls AWS gets its identity on exactly the clusters it is placed on', () => {
  test('on a Pod Identity cluster: the account\'s role of the service, trusting its namespace and ServiceAccount, with its policies, and the association in the cluster\'s root module', () => {
    // GIVEN podinfo on ipv6-hub (Pod Identity)
    // WHEN dist/terraform/ is rendered
    const role = stackOf(files, hubAccount).module.app_podinfo;
    const hubStack = stackOf(files, hub);
    // THEN the account's root module has the role, shared by its clusters like the add-ons' roles
    expect(role).toMatchObject({
      source: 'terraform-aws-modules/eks-pod-identity/aws',
      name: 'fleet.podinfo',
      use_name_prefix: false,
      trust_policy_conditions: [
        { test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-namespace', values: ['podinfo'] },
        { test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-service-account', values: ['podinfo'] },
      ],
      additional_policy_arns: { [s3]: s3, [sqs]: sqs },
    });
    expect(role).not.toHaveProperty('attach_custom_policy');
    expect(stackOf(files, hubAccount).output.app_podinfo_role_arn).toEqual({ value: '${module.app_podinfo.iam_role_arn}' });
    // AND the cluster's root module associates it with podinfo/podinfo there
    expect(hubStack.resource.aws_eks_pod_identity_association.app_podinfo).toEqual({
      cluster_name: '${module.eks.cluster_name}', namespace: 'podinfo', service_account: 'podinfo', role_arn: '${data.aws_iam_role.app_podinfo.arn}',
    });
    expect(hubStack.data.aws_iam_role.app_podinfo).toEqual({ name: 'fleet.podinfo' });
  });

  test('on an IRSA cluster: a role of its own trusting that cluster\'s OIDC provider for system:serviceaccount:<app>:<serviceAccount>, with its policies and none of the module\'s', () => {
    const partnerStack = stackOf(files, partner);
    expect(partnerStack.module.irsa_app_podinfo).toEqual({
      source: 'terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts',
      version: '6.5.0',
      name: 'partner-ipv4.podinfo',
      use_name_prefix: false,
      description: 'Service podinfo on partner-ipv4 (IRSA)',
      oidc_providers: { this: { provider_arn: '${data.aws_iam_openid_connect_provider.this.arn}', namespace_service_accounts: ['podinfo:podinfo'] } },
      policies: { [s3]: s3, [sqs]: sqs },
      create_policy: false,
    });
    // no association, and no Pod Identity role for podinfo in partner-ipv4's account
    expect(partnerStack.resource?.aws_eks_pod_identity_association?.app_podinfo).toBeUndefined();
    expect(stackOf(files, partnerAccount).module.app_podinfo).toBeUndefined();
  });

  test('nowhere else: not on the clusters it is not placed on, not for a service that does not call AWS', () => {
    const everything = [...files.values()].join('\n');
    expect(everything).not.toMatch(/app_static|static/);
    // podinfo is on ipv6-hub and partner-ipv4 only
    expect(files.get(west)).not.toContain('podinfo');
  });

  test('a pending cluster that takes the default apps gets the identities of the services placed by default, before their pods start', () => {
    // reports has no clusters: ipv6-hub, and ipv6-west (pending, Pod Identity, account 4444...) once imported
    expect(fleet.pendingClusters.map((cluster) => cluster.name)).toEqual(['ipv6-west']);
    expect(stackOf(files, west).resource.aws_eks_pod_identity_association.app_reports).toMatchObject({ namespace: 'reports', service_account: 'reports-writer' });
    expect(stackOf(files, partnerAccount).module.app_reports).toMatchObject({ name: 'fleet.reports', additional_policy_arns: { [s3]: s3 } });
    expect(stackOf(files, hubAccount).module.app_reports).toMatchObject({ name: 'fleet.reports' });
    expect(stackOf(files, partner).module.irsa_app_reports).toBeUndefined();
  });

  test('during an identity switch the service\'s roles follow the add-ons\' walk: both models in Terraform at steps 1 and 2, the values on identity alone', () => {
    const step = (identities: string) => servicesFleet((text) => text.replace(/( {4})identity: irsa\n/, `$1${identities}\n`));
    const next = step('identity: irsa\n    nextIdentity: podIdentity');
    const previous = step('identity: podIdentity\n    previousIdentity: irsa');
    const done = step('identity: podIdentity');
    for (const walked of [next, previous]) {
      const stacks = terraformOf(walked);
      expect(stackOf(stacks, partner).module.irsa_app_podinfo).toBeDefined();
      expect(stackOf(stacks, partner).resource.aws_eks_pod_identity_association.app_podinfo).toBeDefined();
      expect(stackOf(stacks, partnerAccount).module.app_podinfo).toBeDefined();
      expect(terraformProblems(walked, stacks)).toEqual([]);
      expect(identityProblemsOf(walked, stacks)).toEqual([]);
    }
    const after = terraformOf(done);
    expect(stackOf(after, partner).module?.irsa_app_podinfo).toBeUndefined();
    expect(stackOf(after, partner).resource.aws_eks_pod_identity_association.app_podinfo).toBeDefined();
    // the annotation goes with step 2, when identity becomes podIdentity
    const partnerOf = (walked: Fleet) => walked.clusters.find((cluster) => cluster.name === 'partner-ipv4')!;
    const podinfoOf = (walked: Fleet) => walked.apps.find((app) => app.name === 'podinfo')! as Parameters<typeof serviceIdentityValues>[0];
    expect(serviceIdentityValues(podinfoOf(next), partnerOf(next))).toEqual({ serviceAccount: { annotations: { [irsaRoleAnnotation]: 'arn:aws:iam::444455556666:role/partner-ipv4.podinfo' } } });
    expect(serviceIdentityValues(podinfoOf(previous), partnerOf(previous))).toEqual({});
  });

  test('a switch in one change is refused naming the services that would lose their identity beside the add-ons', () => {
    // GIVEN partner-ipv4's committed IRSA stack
    // WHEN fleet.yaml switches it to Pod Identity in one change
    const oneChange = servicesFleet((text) => text.replace(/( {4})identity: irsa\n/, '$1identity: podIdentity\n'));
    const problems = identitySwitchProblems(oneChange, (cluster) => (cluster.name === 'partner-ipv4' ? stackOf(files, partner) : undefined));
    // THEN
    expect(problems).toEqual([expect.objectContaining({
      path: ['clusters', 1, 'identity'],
      message: expect.stringMatching(/^is podIdentity, but the committed dist\/ gives aws-load-balancer-controller, cluster-autoscaler, external-dns, service podinfo IRSA roles only/),
    })]);
  });
});

describe('the identity check of dist/terraform/ (verify/terraform.ts) covers the services', () => {
  test('the fleet with services: no problem', () => {
    expect(terraformProblems(fleet, files)).toEqual([]);
    expect(identityProblemsOf(fleet, files)).toEqual([]);
  });

  test('the services\' callers are fleet.yaml\'s: the app\'s namespace and ServiceAccount on each of its clusters, annotated on IRSA clusters as the values say', () => {
    expect(serviceCallers(fleet).map((caller) => `${caller.cluster} ${caller.namespace}/${caller.serviceAccount} ${caller.annotatedRole ?? '-'}`)).toEqual([
      'ipv6-hub podinfo/podinfo -',
      'ipv6-hub reports/reports-writer -',
      'partner-ipv4 podinfo/podinfo arn:aws:iam::444455556666:role/partner-ipv4.podinfo',
      'ipv6-west reports/reports-writer -',
    ]);
  });

  test('an association missing is a ServiceAccount without identity', () => {
    const edited = withStack(files, hub, (stack) => delete stack.resource.aws_eks_pod_identity_association.app_podinfo);
    expect(identityProblemsOf(fleet, edited)).toEqual([
      expect.stringMatching(/^ipv6-hub: ServiceAccount podinfo\/podinfo of service podinfo \(fleet\.yaml apps\[2\]\.aws\) calls AWS but has no identity/),
      `${hubAccount}: role fleet.podinfo is associated with no ServiceAccount in the account's clusters`,
    ]);
  });

  test('an association naming a role the account does not create, or one that does not trust the ServiceAccount, is named', () => {
    const noRole = withStack(files, hubAccount, (stack) => delete stack.module.app_podinfo);
    expect(identityProblemsOf(fleet, noRole)).toEqual([expect.stringContaining('names role fleet.podinfo, which terraform/accounts/111122223333/main.tf.json does not create')]);
    const otherAccount = withStack(files, hubAccount, (stack) => {
      stack.module.app_podinfo.trust_policy_conditions[1].values = ['default'];
    });
    expect(identityProblemsOf(fleet, otherAccount)).toEqual([expect.stringContaining('role fleet.podinfo does not trust it (its trust policy admits no kubernetes-service-account podinfo)')]);
  });

  test('an IRSA role for another ServiceAccount, or missing, leaves the annotated role without a role in Terraform', () => {
    const otherSubject = withStack(files, partner, (stack) => {
      stack.module.irsa_app_podinfo.oidc_providers.this.namespace_service_accounts = ['podinfo:default'];
    });
    expect(identityProblemsOf(fleet, otherSubject)).toEqual([
      expect.stringContaining('partner-ipv4: ServiceAccount podinfo/podinfo of service podinfo (fleet.yaml apps[2].aws) is annotated with IRSA role arn:aws:iam::444455556666:role/partner-ipv4.podinfo, which terraform/clusters/partner-ipv4/main.tf.json does not create trusting podinfo:podinfo'),
      expect.stringContaining('an identity for podinfo/default on partner-ipv4, where no ServiceAccount of that name calls AWS'),
    ]);
  });

  test('the role\'s policies are exactly fleet.yaml\'s, under either model', () => {
    const fewer = withStack(files, hubAccount, (stack) => delete stack.module.app_podinfo.additional_policy_arns[sqs]);
    expect(identityProblemsOf(fleet, fewer)).toEqual([expect.stringContaining(`role fleet.podinfo does not attach ${sqs}, which fleet.yaml gives it`)]);
    const more = withStack(files, partner, (stack) => {
      stack.module.irsa_app_podinfo.policies['arn:aws:iam::aws:policy/AdministratorAccess'] = 'arn:aws:iam::aws:policy/AdministratorAccess';
    });
    expect(identityProblemsOf(fleet, more)).toEqual([expect.stringContaining('role partner-ipv4.podinfo attaches arn:aws:iam::aws:policy/AdministratorAccess, which fleet.yaml does not give it')]);
    const ownPolicy = withStack(files, partner, (stack) => delete stack.module.irsa_app_podinfo.create_policy);
    expect(identityProblemsOf(fleet, ownPolicy)).toEqual([]);
    const custom = withStack(files, hubAccount, (stack) => {
      stack.module.app_podinfo.attach_custom_policy = true;
      stack.module.app_podinfo.policy_statements = [{ actions: ['s3:*'], resources: ['*'] }];
    });
    expect(identityProblemsOf(fleet, custom)).toEqual([expect.stringContaining('role fleet.podinfo has a policy of its module\'s own')]);
  });

  test('an identity for a service that no longer calls AWS there is an identity without a user', () => {
    // GIVEN the rendered Terraform, and fleet.yaml taking partner-ipv4 out of podinfo's clusters
    const moved = servicesFleet((text) => text.replace('clusters: [{ name: ipv6-hub, weight: 200 }, { name: partner-ipv4, weight: 55 }]', 'clusters: [ipv6-hub]'));
    expect(identityProblemsOf(moved, files)).toEqual([expect.stringContaining('terraform/clusters/partner-ipv4/main.tf.json: module irsa_app_podinfo: an identity for podinfo/podinfo on partner-ipv4, where no ServiceAccount of that name calls AWS')]);
    // AND the Terraform of the change has none there
    expect(identityProblemsOf(moved, terraformOf(moved))).toEqual([]);
  });

  test('a role name above IAM\'s 64 characters is named, wherever it comes from', () => {
    const edited = withStack(files, partner, (stack) => {
      stack.module.irsa_app_podinfo.name = `${'x'.repeat(maxRoleNameLength - 'podinfo'.length)}.podinfo`;
    });
    expect(terraformProblems(fleet, edited)).toEqual([`${partner}: module irsa_app_podinfo: role name ${'x'.repeat(57)}.podinfo is 65 characters long, above IAM's 64: IAM refuses to create it`]);
  });
});

describe('the role names and policies of a service (catalog/identities.ts, for config/rules.ts)', () => {
  test('a service\'s roles are named so that no other role of the fleet can have the name: "." is in no name of fleet.yaml', () => {
    expect(roleNames.podIdentityService('podinfo')).toBe('fleet.podinfo');
    expect(roleNames.irsaService('podinfo', 'partner-ipv4')).toBe('partner-ipv4.podinfo');
    // the add-ons' IRSA roles of a cluster a-app-b, and a service b-external-dns on cluster a, would collide with "-"
    expect(roleNames.irsaService('b-external-dns', 'a')).not.toBe(roleNames.irsaAddon('externalDns', 'a-app-b'));
  });

  test('an IRSA role name above 64 characters is refused with the lengths that fit; Pod Identity clusters never', () => {
    const cluster = { name: 'c'.repeat(40), identity: 'irsa' as const };
    const app = 'a'.repeat(30);
    expect(serviceRoleNameProblem(app, [cluster])).toBe(`makes the IRSA role name ${cluster.name}.${app} of ${cluster.name} 71 characters long, above IAM's 64: `
      + `shorten the app's name to 23 characters (or the cluster's to 33), or use identity: podIdentity on ${cluster.name}`);
    expect(serviceRoleNameProblem('a'.repeat(23), [cluster])).toBeUndefined();
    expect(serviceRoleNameProblem(app, [{ ...cluster, identity: 'podIdentity' }])).toBeUndefined();
    // a switch to or from IRSA has the IRSA roles too
    expect(serviceRoleNameProblem(app, [{ ...cluster, identity: 'podIdentity', previousIdentity: 'irsa' }])).toMatch(/^makes the IRSA role name/);
    expect(serviceRoleNameProblem('a'.repeat(40), [{ name: 'c'.repeat(40), identity: 'podIdentity' }])).toBeUndefined();
    expect(roleNames.podIdentityService('a'.repeat(40)).length).toBeLessThanOrEqual(maxRoleNameLength);
  });

  test('a customer managed policy of another account, or a policy of another partition, cannot be attached', () => {
    const clusters = [{ name: 'ipv6-hub', accountId: '111122223333', region: 'us-east-2' }, { name: 'partner-ipv4', accountId: '444455556666', region: 'eu-west-1' }];
    expect(servicePolicyProblem(s3, clusters)).toBeUndefined();
    expect(servicePolicyProblem('arn:aws:iam::111122223333:policy/reports-bucket', clusters.slice(0, 1))).toBeUndefined();
    expect(servicePolicyProblem('arn:aws:iam::111122223333:policy/reports-bucket', clusters)).toMatch(/^is a customer managed policy of account 111122223333, but partner-ipv4 is in account 444455556666, where the app's role is/);
    expect(servicePolicyProblem(s3, [{ name: 'gov', accountId: '111122223333', region: 'us-gov-west-1' }])).toMatch(/^is a policy of partition aws, but gov is in us-gov-west-1, partition aws-us-gov/);
  });
});

describe('the Helm values of a chart service\'s identity (values/service-identity.ts)', () => {
  const podinfo = fleet.apps.find((app) => app.name === 'podinfo') as Parameters<typeof serviceIdentityValues>[0];
  const clusterOf = (name: string) => allClusters(fleet).find((cluster) => cluster.name === name)!;

  test('on an IRSA cluster: the role of dist/terraform/ at the values path the app names, nested', () => {
    const values = serviceIdentityValues(podinfo, clusterOf('partner-ipv4'));
    expect(values).toEqual({ serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::444455556666:role/partner-ipv4.podinfo' } } });
    expect(stackOf(files, partner).module.irsa_app_podinfo.name).toBe('partner-ipv4.podinfo');
  });

  test('on a Pod Identity cluster, and for a service that does not call AWS: nothing', () => {
    expect(serviceIdentityValues(podinfo, clusterOf('ipv6-hub'))).toEqual({});
    const staticApp = fleet.apps.find((app) => app.name === 'static') as typeof podinfo;
    expect(serviceIdentityValues(staticApp, clusterOf('partner-ipv4'))).toEqual({});
  });

  test('a deeper path nests every key', () => {
    const nested = { ...podinfo, aws: { ...podinfo.aws!, irsaAnnotationsValue: 'server.serviceAccount.annotations' } };
    expect(serviceIdentityValues(nested, clusterOf('partner-ipv4'))).toEqual({ server: { serviceAccount: { annotations: { [irsaRoleAnnotation]: 'arn:aws:iam::444455556666:role/partner-ipv4.podinfo' } } } });
  });
});
