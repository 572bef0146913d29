import { Fleet, ServiceApp, TestApp } from '../../config/fleet';
import { FleetConfigError, parseFleet, parseFleetLocatingProblems } from '../../config/load';
import { fleetSchemaDocument } from '../../config/editor-schema';
import { lineOf, locatedProblemsOf, podinfoChartSource, testAppsFleetText } from '../support/fixtures';
import { renderFleet } from '../../app/render';
import { parseManifests } from '../../verify/rendered';

/** The demo fleet's test apps and clusters, without its podinfo, which these tests write each their own way. */
const testAppsOnly = testAppsFleetText;

/** The demo fleet without podinfo, with `app` (YAML lines of one apps item, indented as the file's) added at the end of apps. */
const withApp = (app: string) => `${testAppsOnly}${app}`;

const podinfo = `  - name: podinfo
${podinfoChartSource}    expose: { service: podinfo, port: 9898 }
    replicas: 2
    clusters: [ipv6-east]
`;

const payments = `  - name: payments
    source:
      git:
        repoURL: https://github.com/example-org/payments.git
        revision: 0123456789abcdef0123456789abcdef01234567
        path: deploy/production
    expose: { service: payments, port: 8080, healthCheckPath: /ready }
    replicas: 3
    clusters: [ipv6-east]
`;

/** The problems of an invalid fleet as `path: message`, from both readers, which must agree. */
function problemsOf(text: string): string[] {
  const read = (reader: (text: string) => Fleet) => {
    try {
      reader(text);
    } catch (error) {
      expect(error).toBeInstanceOf(FleetConfigError);
      return (error as FleetConfigError).problems.map((problem) => `${problem.path}: ${problem.message}`);
    }
    throw new Error('the fleet was accepted');
  };
  const problems = read(parseFleet);
  expect(read(parseFleetLocatingProblems)).toEqual(problems);
  return problems;
}

/** The app named `name` of a fleet both readers accept alike. */
function appOf(text: string, name: string) {
  const fleet = parseFleet(text);
  expect(parseFleetLocatingProblems(text)).toEqual(fleet);
  return fleet.apps.find((app) => app.name === name)!;
}

describe('services: apps with a source, resolved beside the test apps', () => {
  test('a chart service resolves to a service with Kubernetes\' rolling update, restricted Pod Security and the default health check path', () => {
    // GIVEN podinfo from its Helm repository
    const app = appOf(withApp(podinfo), 'podinfo') as ServiceApp;
    // THEN
    expect(app.kind).toBe('service');
    expect(app.source).toEqual({ type: 'chart', repoURL: 'https://stefanprodan.github.io/podinfo', name: 'podinfo', version: '6.14.1' });
    expect(app.expose).toEqual({ service: 'podinfo', port: 9898, host: 'podinfo', healthCheckPath: '/', deregistrationDelaySeconds: 30 });
    expect(app.rollingUpdate).toEqual({ maxSurgePercent: 25, maxUnavailablePercent: 25 });
    expect(app.podSecurity).toBe('restricted');
    expect(app).toMatchObject({ values: {}, clusterValues: {}, clusterResources: [], rbac: false, replicas: 2, placements: [{ cluster: 'ipv6-east' }], loadBalancer: 'shared' });
    expect((appOf(withApp(podinfo.replace('    replicas: 2\n', '    replicas: 2\n    rbac: true\n')), 'podinfo') as ServiceApp).rbac).toBe(true);
    expect(app).not.toHaveProperty('aws');
    expect(app).not.toHaveProperty('rollout');
  });

  test('a git service resolves with its pinned path', () => {
    const app = appOf(withApp(payments), 'payments') as ServiceApp;
    expect(app.source).toEqual({ type: 'git', repoURL: 'https://github.com/example-org/payments.git', revision: '0123456789abcdef0123456789abcdef01234567', path: 'deploy/production' });
    expect(app.expose.healthCheckPath).toBe('/ready');
  });

  test('the test apps stay test apps with their 5%/5% rolling update', () => {
    const app = appOf(withApp(podinfo), 'app0') as TestApp;
    expect(app).toMatchObject({ kind: 'test', backgroundColor: 'yellow', containerPort: 80, rollingUpdate: { maxSurgePercent: 5, maxUnavailablePercent: 5 } });
  });

  test('values and clusterValues are passed on as written: any keys, nested, lists, numbers and text as YAML 1.2 reads them', () => {
    const text = withApp(podinfo.replace('    replicas: 2\n', `    replicas: 2
    values:
      ui: { message: "hello", color: "#34577c" }
      podAnnotations: { "example.com/x": "yes" }
      extraArgs: [--level=debug, 010]
      resources: null
    clusterValues:
      ipv6-east: { replicaCount: 2 }
`));
    const app = appOf(text, 'podinfo') as ServiceApp;
    expect(app.values).toEqual({ ui: { message: 'hello', color: '#34577c' }, podAnnotations: { 'example.com/x': 'yes' }, extraArgs: ['--level=debug', 10], resources: null });
    expect(app.clusterValues).toEqual({ 'ipv6-east': { replicaCount: 2 } });
  });

  test('podSecurity, clusterResources, resources and aws resolve as written', () => {
    const text = withApp(podinfo.replace('    replicas: 2\n', `    replicas: 2
    podSecurity: baseline
    resources: { cpu: 100m, memory: 64Mi }
    clusterResources:
      - { group: rbac.authorization.k8s.io, kind: ClusterRole }
    aws:
      serviceAccount: podinfo
      policyArns: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]
      irsaAnnotationsValue: serviceAccount.annotations
`));
    const app = appOf(text, 'podinfo') as ServiceApp;
    expect(app.podSecurity).toBe('baseline');
    expect(app.resources).toEqual({ cpu: '100m', memory: '64Mi' });
    expect(app.clusterResources).toEqual([{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' }]);
    expect(app.aws).toEqual({ serviceAccount: 'podinfo', policyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'], irsaAnnotationsValue: 'serviceAccount.annotations' });
  });

  test('the editor schema takes values as any mapping and names the source kinds', () => {
    const schema = JSON.parse(fleetSchemaDocument());
    const app = schema.properties.apps.items;
    expect(app.properties.values).toMatchObject({ type: 'object', additionalProperties: true });
    expect(app.properties.clusterValues).toMatchObject({ type: 'object', additionalProperties: true });
    expect(Object.keys(app.properties.source.properties)).toEqual(['chart', 'git']);
    expect(app.required).toEqual(['name', 'replicas']);
    expect(JSON.stringify(schema)).not.toContain('x-keep-absent');
  });
});

describe('services: the rules of config/rules.ts, each a located error', () => {
  test.each([
    ['backgroundColor', '    backgroundColor: red\n'],
    ['containerPort', '    containerPort: 80\n'],
    ['rollout', '    rollout: { deregistrationDelaySeconds: 30 }\n'],
  ])('the test page\'s %s is refused on a service', (field, line) => {
    const text = withApp(podinfo.replace('    replicas: 2\n', `    replicas: 2\n${line}`));
    expect(problemsOf(text)).toEqual([`apps[3].${field}: is a field of the NGINX test page, but the app has source: a service is what its chart or git path renders. Remove ${field}`]);
    const podinfoLine = lineOf(text, '- name: podinfo');
    expect(locatedProblemsOf(text)[0]).toMatch(new RegExp(`^${podinfoLine + lineOf(text.split("- name: podinfo")[1], line.trim()) - 1}:\\d+ apps\\[3\\]`));
  });

  test('a test app without its colour or port is told what it needs, or to add a source', () => {
    const text = testAppsOnly.replace('    backgroundColor: yellow\n    containerPort: 80\n', '');
    expect(problemsOf(text)).toEqual([
      'apps[0].backgroundColor: is missing: the NGINX test page (an app without source) needs its background colour, such as yellow; or add source to make the app a service of your own',
      'apps[0].containerPort: is missing: the NGINX test page (an app without source) needs the port nginx listens on, such as 80; or add source to make the app a service of your own',
    ]);
  });

  test.each([
    ['expose', '    expose: { service: app0, port: 80 }\n'],
    ['values', '    values: { a: 1 }\n'],
    ['podSecurity', '    podSecurity: baseline\n'],
    ['rbac', '    rbac: true\n'],
    ['aws', '    aws: { serviceAccount: app0, policyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess] }\n'],
  ])('a service\'s %s on a test app is refused', (field, line) => {
    const text = testAppsOnly.replace('    replicas: 5\n  - name: app1', `    replicas: 5\n${line}  - name: app1`);
    expect(problemsOf(text)).toEqual([`apps[0].${field}: is set on an app without source, the NGINX test page: ${field} belongs to a service. Add source (a chart or a git path) to make the app a service, or remove ${field}`]);
  });

  test('a service without expose, or with no or two sources, is refused', () => {
    expect(problemsOf(withApp(podinfo.replace('    expose: { service: podinfo, port: 9898 }\n', '')))).toEqual([
      'apps[3].expose: is missing: a service names the Service its source renders and its port (expose: { service: <name>, port: <port> }), which the generator\'s Ingress routes https://<host>.<domain> to (host: the app\'s name unless expose.host says)',
    ]);
    expect(problemsOf(withApp(podinfo.replace(/ {4}source:\n( {6}.*\n)+/, '    source: {}\n')))).toEqual([
      'apps[3].source: has neither chart nor git: expected source: { chart: { repoURL, name, version } } or source: { git: { repoURL, revision, path } }',
    ]);
    const both = podinfo.replace('    source:\n', `    source:\n      git: { repoURL: https://github.com/example-org/payments.git, revision: v1.2.3, path: deploy }\n`);
    expect(problemsOf(withApp(both))).toEqual(['apps[3].source: has both chart and git: a service comes from one source; keep one']);
  });

  test.each(['^6.14.0', '~6.14', '6.x', '6.14.*', '>=6.0.0', '6', '6.14', '>6.0.0 <7.0.0', '6.14.1 || 6.15.0'])('a chart version range %s is refused', (version) => {
    const text = withApp(podinfo.replace('version: 6.14.1', `version: ${JSON.stringify(version)}`));
    const problems = problemsOf(text);
    expect(problems).toEqual([expect.stringMatching(/^apps\[3\]\.source\.chart\.version: is a version range: Argo CD would install whichever version matches it when it syncs/)]);
  });

  test.each(['6.14.1', 'v1.21.1', '1.0.0-rc.1', '1.0.0+build.5'])('an exact chart version %s is accepted', (version) => {
    expect((appOf(withApp(podinfo.replace('version: 6.14.1', `version: ${version}`)), 'podinfo') as ServiceApp).source).toMatchObject({ version });
  });

  test('a chart version that is no version is refused as such', () => {
    expect(problemsOf(withApp(podinfo.replace('version: 6.14.1', 'version: latest')))).toEqual(['apps[3].source.chart.version: is not a chart version: expected an exact SemVer version such as 6.14.1']);
  });

  test.each(['main', 'release/1.2', 'HEAD', 'refs/heads/main'])('a git revision %s that moves is refused', (revision) => {
    expect(problemsOf(withApp(payments.replace('revision: 0123456789abcdef0123456789abcdef01234567', `revision: ${revision}`)))).toEqual([
      'apps[3].source.git.revision: is not pinned: a branch (or any other ref) moves, so what runs would change without a change to fleet.yaml. Pin a full commit SHA (git rev-parse HEAD) or a semver tag such as v1.2.3',
    ]);
  });

  test('a short commit SHA is refused with the fix', () => {
    expect(problemsOf(withApp(payments.replace('revision: 0123456789abcdef0123456789abcdef01234567', 'revision: 0123abc')))).toEqual([
      'apps[3].source.git.revision: is a short or upper-case commit SHA: write the full 40-digit SHA in lower case (git rev-parse <sha>), which names one commit for good',
    ]);
  });

  test.each(['v1.2.3', '1.2.3', 'v2.0.0-rc.1'])('a git revision pinned to the tag %s is accepted', (revision) => {
    expect((appOf(withApp(payments.replace('revision: 0123456789abcdef0123456789abcdef01234567', `revision: ${revision}`)), 'payments') as ServiceApp).source).toMatchObject({ revision });
  });

  test.each([
    ['https://user:ghp_SECRET@charts.example.com/stable', 'chart'],
    ['oci://robot:SECRET@registry.example.com/charts', 'chart'],
    ['https://charts.example.com/stable?token=SECRET', 'chart'],
    ['https://x-access-token:ghp_SECRET@github.com/example-org/payments.git', 'git'],
    ['ssh://git:SECRET@github.com/example-org/payments.git', 'git'],
  ])('a repoURL with credentials (%s) is refused without showing them', (url, kind) => {
    const text = kind === 'chart'
      ? withApp(podinfo.replace('repoURL: https://stefanprodan.github.io/podinfo', `repoURL: ${JSON.stringify(url)}`))
      : withApp(payments.replace('repoURL: https://github.com/example-org/payments.git', `repoURL: ${JSON.stringify(url)}`));
    const problems = problemsOf(text);
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^apps\\[3\\]\\.source\\.${kind}\\.repoURL: has (user information \\(user:token@\\) before its host|a query \\(\\?\\.\\.\\.\\)), which may be a credential`))]);
    expect(problems.join('\n')).not.toContain('SECRET');
  });

  test.each(['http://charts.example.com', 'ftp://charts.example.com/x', 'oci://registry.example.com', 'charts.example.com/stable'])('a chart repoURL %s that is no https:// or oci:// path is refused', (url) => {
    expect(problemsOf(withApp(podinfo.replace('repoURL: https://stefanprodan.github.io/podinfo', `repoURL: ${url}`)))).toEqual([expect.stringMatching(/^apps\[3\]\.source\.chart\.repoURL: is not /)]);
  });

  test.each(['https://stefanprodan.github.io/podinfo', 'https://charts.example.com', 'oci://ghcr.io/stefanprodan/charts', 'oci://123456789012.dkr.ecr.us-east-2.amazonaws.com/charts'])('a chart repoURL %s is accepted', (url) => {
    expect((appOf(withApp(podinfo.replace('repoURL: https://stefanprodan.github.io/podinfo', `repoURL: ${url}`)), 'podinfo') as ServiceApp).source).toMatchObject({ repoURL: url });
  });

  test('clusterValues for a cluster the app is not placed on are refused', () => {
    const text = withApp(podinfo.replace('    replicas: 2\n', '    replicas: 2\n    clusterValues:\n      legacy-ipv4: { replicaCount: 1 }\n'));
    expect(problemsOf(text)).toEqual(['apps[3].clusterValues.legacy-ipv4: names cluster "legacy-ipv4", which the app is not placed on (ipv6-east): per-cluster values are for the clusters in the app\'s clusters; remove them or place the app there']);
    expect(locatedProblemsOf(text)[0]).toMatch(new RegExp(`^${lineOf(text, 'legacy-ipv4: { replicaCount')}:`));
  });

  test('clusterValues for a cluster of the default placement are accepted, and one that is not a mapping is refused', () => {
    const defaultPlaced = podinfo.replace('    clusters: [ipv6-east]\n', '');
    expect((appOf(withApp(defaultPlaced.replace('    replicas: 2\n', '    replicas: 2\n    clusterValues: { ipv6-east: { a: 1 } }\n')), 'podinfo') as ServiceApp).clusterValues).toEqual({ 'ipv6-east': { a: 1 } });
    expect(problemsOf(withApp(defaultPlaced.replace('    replicas: 2\n', '    replicas: 2\n    clusterValues: { ipv6-east: [1] }\n')))).toEqual(['apps[3].clusterValues.ipv6-east: expected a mapping of Helm values for cluster ipv6-east, got a list']);
  });

  test('values and clusterValues on a git service are refused', () => {
    expect(problemsOf(withApp(payments.replace('    replicas: 3\n', '    replicas: 3\n    values: { a: 1 }\n')))).toEqual([
      'apps[3].values: is set on a git service: Helm values are for a chart; Argo CD renders the git path (deploy/production) as it is. Remove values, or change the manifests in that path',
    ]);
  });

  test('a merge key inside values is refused by both readers', () => {
    const text = withApp(podinfo.replace('    replicas: 2\n', '    replicas: 2\n    values:\n      ui:\n        <<: { a: 1 }\n'));
    expect(problemsOf(text)).toEqual(['apps[3].values.ui: has a merge key (<<): fleet.yaml is read as YAML 1.2, which has no merge keys; write the keys out']);
  });

  test('values that are no mapping are refused', () => {
    expect(problemsOf(withApp(podinfo.replace('    replicas: 2\n', '    replicas: 2\n    values: [a]\n')))).toEqual(['apps[3].values: expected a mapping, got a list']);
  });

  test('clusterResources may not list the Namespace, which the generator renders, nor a kind twice', () => {
    const text = withApp(podinfo.replace('    replicas: 2\n', `    replicas: 2
    clusterResources:
      - { group: "", kind: Namespace }
      - { group: rbac.authorization.k8s.io, kind: ClusterRole }
      - { group: rbac.authorization.k8s.io, kind: ClusterRole }
`));
    expect(problemsOf(text)).toEqual([
      'apps[3].clusterResources[0]: is Namespace: the generator renders the app\'s namespace (podinfo) itself, and a source that created others would place objects outside what its project allows. Remove this entry',
      'apps[3].clusterResources[2]: is rbac.authorization.k8s.io/ClusterRole again, already apps[3].clusterResources[1]: list each kind once',
    ]);
  });

  test('clusterResources may not list a kind that reaches past the service (bindings, webhooks, CRDs, ingress classes, cluster issuers)', () => {
    const text = withApp(podinfo.replace('    replicas: 2\n', `    replicas: 2
    clusterResources:
      - { group: rbac.authorization.k8s.io, kind: ClusterRoleBinding }
      - { group: admissionregistration.k8s.io, kind: MutatingWebhookConfiguration }
      - { group: apiextensions.k8s.io, kind: CustomResourceDefinition }
      - { group: networking.k8s.io, kind: IngressClass }
      - { group: cert-manager.io, kind: ClusterIssuer }
      - { group: rbac.authorization.k8s.io, kind: ClusterRole }
`));
    const problems = problemsOf(text);
    expect(problems.map((problem) => problem.slice(0, problem.indexOf(':', problem.indexOf(': ') + 2)))).toEqual([0, 1, 2, 3, 4].map((index) => expect.stringMatching(new RegExp(`^apps\\[3\\]\\.clusterResources\\[${index}\\]: is `))));
    expect(problems[0]).toBe('apps[3].clusterResources[0]: is rbac.authorization.k8s.io/ClusterRoleBinding: a ClusterRoleBinding binds any ClusterRole, cluster-admin too, to any subject; a service\'s source may declare only ClusterRoles (Argo CD syncs as an administrator of the cluster). Remove this entry, and have the platform team install what it needs');
  });

  test('only ClusterRoles may be declared: a PriorityClass or StorageClass is shared by every app', () => {
    const text = withApp(podinfo.replace('    replicas: 2\n', '    replicas: 2\n    clusterResources: [{ group: scheduling.k8s.io, kind: PriorityClass }, { group: storage.k8s.io, kind: StorageClass }]\n'));
    expect(problemsOf(text)).toEqual([0, 1].map((index) => expect.stringMatching(new RegExp(`^apps\\[3\\]\\.clusterResources\\[${index}\\]: is .*: a cluster-scoped \\w+ is shared by every app of the cluster`))));
  });

  test('an app that declares ClusterRoles may not be named so that <app> or <app>-* is another\'s ClusterRole: Kubernetes\', an add-on\'s, another app\'s', () => {
    const declaring = (name: string) => withApp(podinfo.replace('name: podinfo\n    source', `name: ${name}\n    source`).replace('    replicas: 2\n', '    replicas: 2\n    clusterResources: [{ group: rbac.authorization.k8s.io, kind: ClusterRole }]\n'));
    expect(problemsOf(declaring('cluster'))).toEqual([expect.stringMatching(/^apps\[3\]\.name: "cluster" declares clusterResources, which its project admits named cluster or cluster-\*, and "cluster-admin" and "cluster-autoscaler" are such a name/)]);
    expect(problemsOf(declaring('view'))).toEqual([expect.stringMatching(/^apps\[3\]\.name: "view" declares clusterResources/)]);
    expect(problemsOf(declaring('cert'))).toEqual([expect.stringMatching(/"cert-manager" is such a name/)]);
    // Another app's name under <app>-*
    expect(problemsOf(`${declaring('web')}  - name: web-admin\n    backgroundColor: red\n    containerPort: 8080\n    replicas: 1\n`)).toEqual([expect.stringMatching(/"web-admin" is such a name/)]);
    expect(() => parseFleet(declaring('podinfo'))).not.toThrow();
  });

  test('privileged Pod Security is refused', () => {
    expect(problemsOf(withApp(podinfo.replace('    replicas: 2\n', '    replicas: 2\n    podSecurity: privileged\n')))).toEqual(['apps[3].podSecurity: expected one of restricted, baseline, got "privileged" (text)']);
  });

  describe('AWS access on IRSA clusters', () => {
    const irsaEast = (text: string) => text.replace('    provisioning: create\n', '    provisioning: create\n    identity: irsa\n').replace('argocd:\n  cluster: ipv6-east', 'argocd:\n  cluster: legacy-ipv4');
    const aws = '    aws: { serviceAccount: podinfo, policyArns: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess] }\n';

    test('a git service that calls AWS is refused on an IRSA cluster', () => {
      const text = irsaEast(withApp(payments.replace('    replicas: 3\n', `    replicas: 3\n${aws}`)));
      expect(problemsOf(text)).toEqual([
        'apps[3].aws: is set on a git service placed on ipv6-east, an IRSA cluster (identity: irsa): its ServiceAccount needs the eks.amazonaws.com/role-arn annotation, which the generator can write only into a chart\'s values. Place it on Pod Identity clusters, or annotate the ServiceAccount in its manifests',
      ]);
      // On a Pod Identity cluster it is accepted.
      expect((appOf(withApp(payments.replace('    replicas: 3\n', `    replicas: 3\n${aws}`)), 'payments') as ServiceApp).aws?.serviceAccount).toBe('podinfo');
    });

    test('a chart service that calls AWS on an IRSA cluster names where its annotations go', () => {
      const text = irsaEast(withApp(podinfo.replace('    replicas: 2\n', `    replicas: 2\n${aws}`)));
      expect(problemsOf(text)).toEqual([
        'apps[3].aws.irsaAnnotationsValue: is missing, and the app is placed on ipv6-east, an IRSA cluster (identity: irsa): name the values path of the ServiceAccount\'s annotations (such as serviceAccount.annotations), where the generator writes its role ARN',
      ]);
      const named = irsaEast(withApp(podinfo.replace('    replicas: 2\n', `    replicas: 2\n${aws.replace(' }\n', ', irsaAnnotationsValue: serviceAccount.annotations }\n')}`)));
      expect((appOf(named, 'podinfo') as ServiceApp).aws?.irsaAnnotationsValue).toBe('serviceAccount.annotations');
    });

    test('a service whose IRSA role name would pass IAM\'s 64 characters is refused on an IRSA cluster', () => {
      const cluster = `ipv6-east-${'x'.repeat(19)}`;
      const named = aws.replace(' }\n', ', irsaAnnotationsValue: serviceAccount.annotations }\n');
      const longer = (app: string) => irsaEast(withApp(podinfo.replace('name: podinfo\n    source', `name: ${app}\n    source`).replace('    replicas: 2\n', `    replicas: 2\n${named}`))).replaceAll('ipv6-east', cluster);
      const role = `${cluster}.p${'o'.repeat(38)}d`;
      expect(problemsOf(longer(`p${'o'.repeat(38)}d`))).toEqual([`apps[3].name: makes the IRSA role name ${role} of ${cluster} ${role.length} characters long, above IAM's 64: shorten the app's name to 34 characters (or the cluster's to 23), or use identity: podIdentity on ${cluster}`]);
      expect((appOf(longer(`p${'o'.repeat(28)}d`), `p${'o'.repeat(28)}d`) as ServiceApp).aws?.irsaAnnotationsValue).toBe('serviceAccount.annotations');
    });

    test('irsaAnnotationsValue on a git service is refused', () => {
      const text = withApp(payments.replace('    replicas: 3\n', `    replicas: 3\n${aws.replace(' }\n', ', irsaAnnotationsValue: serviceAccount.annotations }\n')}`));
      expect(problemsOf(text)).toEqual(['apps[3].aws.irsaAnnotationsValue: is set on a git service: it names a Helm values path, which a git path has none of; remove it']);
    });
  });

  test('a service named like a namespace of Kubernetes or an add-on is refused as a test app is', () => {
    expect(problemsOf(withApp(podinfo.replace('name: podinfo\n    source', 'name: cert-manager\n    source')))).toEqual([
      expect.stringMatching(/^apps\[3\]\.name: "cert-manager" is the namespace of cert-manager: an app's name is its namespace/),
    ]);
  });
});

describe('a service\'s host', () => {
  test('defaults to the app\'s name; expose.host keeps the name its clients already use, and the Ingress routes it', () => {
    expect((parseFleet(withApp(podinfo)).apps.find((app) => app.name === 'podinfo') as ServiceApp).expose.host).toBe('podinfo');
    const text = withApp(podinfo.replace('expose: { service: podinfo, port: 9898 }', 'expose: { service: podinfo, port: 9898, host: www }'));
    expect((parseFleet(text).apps.find((app) => app.name === 'podinfo') as ServiceApp).expose.host).toBe('www');
    const ingress = parseManifests(renderFleet(parseFleet(text)).get('apps/podinfo/clusters/ipv6-east.yaml')!).find((object) => object.kind === 'Ingress')!;
    expect(ingress.spec.rules.map((rule: { host: string }) => rule.host)).toEqual(['www.apps.example.com']);
  });

  test('two apps on one host are refused at the service\'s expose.host, whichever comes first', () => {
    const taken = withApp(podinfo.replace('expose: { service: podinfo, port: 9898 }', 'expose: { service: podinfo, port: 9898, host: app1 }'));
    expect(problemsOf(taken)).toEqual(['apps[3].expose.host: is "app1", the host of apps[1] (app1) too: two apps on one host would share its DNS name and its rule on the ALB. Choose another host']);
    const twice = withApp(`${podinfo.replace('expose: { service: podinfo, port: 9898 }', 'expose: { service: podinfo, port: 9898, host: www }')}${payments.replace('expose: { service: payments, port: 8080, healthCheckPath: /ready }', 'expose: { service: payments, port: 8080, host: www }')}`);
    expect(problemsOf(twice)).toEqual(['apps[4].expose.host: is "www", the host of apps[3] (podinfo) too: two apps on one host would share its DNS name and its rule on the ALB. Choose another host']);
  });
});

describe('the names a service gives of its objects, as Kubernetes validates them', () => {
  const exposing = (expose: string) => withApp(podinfo.replace('expose: { service: podinfo, port: 9898 }', `expose: { ${expose} }`));

  test('expose.service is a Service name: a DNS-1035 label of up to 63 characters, starting with a letter', () => {
    const longest = `s${'e'.repeat(61)}z`;
    expect((appOf(exposing(`service: ${longest}, port: 9898`), 'podinfo') as ServiceApp).expose.service).toBe(longest);
    for (const refused of [`s${'e'.repeat(62)}z`, '9podinfo', 'pod.info', 'podinfo-']) {
      expect(problemsOf(exposing(`service: ${refused}, port: 9898`))).toEqual([expect.stringMatching(/^apps\[3\]\.expose\.service: .*a Service name \(lower-case letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters\)/)]);
    }
  });

  test('expose.host is a DNS label of up to 63 characters', () => {
    expect((appOf(exposing(`service: podinfo, port: 9898, host: w${'w'.repeat(62)}`), 'podinfo') as ServiceApp).expose.host).toHaveLength(63);
    expect(problemsOf(exposing(`service: podinfo, port: 9898, host: w${'w'.repeat(63)}`))).toEqual([expect.stringMatching(/^apps\[3\]\.expose\.host: /)]);
  });

  test('aws.serviceAccount is a ServiceAccount name: a DNS-1123 subdomain of up to 253 characters, dots allowed', () => {
    const aws = (name: string) => withApp(podinfo.replace('    replicas: 2\n', `    replicas: 2\n    aws: { serviceAccount: ${name}, policyArns: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess], irsaAnnotationsValue: serviceAccount.annotations }\n`));
    const dotted = `team.podinfo-${'a'.repeat(50)}`;
    expect((appOf(aws(dotted), 'podinfo') as ServiceApp).aws!.serviceAccount).toBe(dotted);
    const longest = `${Array.from({ length: 4 }, () => 'a'.repeat(62)).join('.')}aa`;
    expect((appOf(aws(longest), 'podinfo') as ServiceApp).aws!.serviceAccount).toHaveLength(253);
    for (const refused of [`${longest}a`, 'Team', 'team..podinfo', '-team', 'team.']) {
      expect(problemsOf(aws(refused))).toEqual([expect.stringMatching(/^apps\[3\]\.aws\.serviceAccount: .*a ServiceAccount name/)]);
    }
  });

  test('expose.deregistrationDelaySeconds: 30 unless given, 0 to 3600, on the Ingress as the target group\'s drain', () => {
    const ingressOf = (text: string) => parseManifests(renderFleet(parseFleet(text)).get('apps/podinfo/clusters/ipv6-east.yaml')!).find((object) => object.kind === 'Ingress')!;
    expect(ingressOf(withApp(podinfo)).metadata.annotations['alb.ingress.kubernetes.io/target-group-attributes']).toBe('deregistration_delay.timeout_seconds=30');
    expect(ingressOf(exposing('service: podinfo, port: 9898, deregistrationDelaySeconds: 0')).metadata.annotations['alb.ingress.kubernetes.io/target-group-attributes']).toBe('deregistration_delay.timeout_seconds=0');
    expect(problemsOf(exposing('service: podinfo, port: 9898, deregistrationDelaySeconds: 3601'))).toEqual([expect.stringMatching(/^apps\[3\]\.expose\.deregistrationDelaySeconds: /)]);
  });
});
