import { Fleet } from '../../config/fleet';
import { expandApplicationSet } from '../../diff/applicationset';
import { argocdValues } from '../../values/argo-cd';
import { demoFleet, findObject, largeFleetFixture, Manifest, renderParsed } from '../support/fixtures';
import { manifestErrors } from '../../verify/manifests';

function argo(fleet: Fleet) {
  const rendered = renderParsed(fleet);
  const secrets = rendered.objects.filter((object) => object.kind === 'Secret' && object.metadata.labels?.['argocd.argoproj.io/secret-type'] === 'cluster');
  const appSets = rendered.objects.filter((object) => object.kind === 'ApplicationSet');
  const generated = appSets.flatMap((appSet) => expandApplicationSet(appSet, secrets));
  return { ...rendered, secrets, appSets, generated };
}

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

describe('Argo CD objects of the default fleet', () => {
  const fleet = demoFleet();
  const { files, objects, secrets, generated } = argo(fleet);
  const testApps = generated.filter((application) => application.metadata.labels?.['app.kubernetes.io/part-of'] === 'test-apps');

  test('every Argo CD object, and every Application the ApplicationSets generate, validates against the v3.5.1 CRDs', () => {
    const argoObjects = [...objects.filter((object) => object.apiVersion === 'argoproj.io/v1alpha1'), ...generated];
    expect(argoObjects.length).toBeGreaterThan(5);
    expect(argoObjects.flatMap(({ file, ...object }) => manifestErrors(object))).toEqual([]);
  });

  test('every ApplicationSet templates with Go templates that fail on a missing key, never rendering "<no value>"', () => {
    const appSets = objects.filter((object) => object.kind === 'ApplicationSet');
    expect(appSets.length).toBeGreaterThan(4);
    for (const appSet of appSets) {
      expect([appSet.metadata.name, appSet.spec.goTemplate, appSet.spec.goTemplateOptions]).toEqual([appSet.metadata.name, true, ['missingkey=error']]);
    }
  });

  test('the test-app ApplicationSet generates one Application per (app, cluster) placement', () => {
    expect(testApps.map((application) => application.metadata.name)).toEqual(['app0-ipv6-east', 'app1-ipv6-east', 'app2-ipv6-east']);
    expect(testApps).toMatchSnapshot();
  });

  test('each generated Application points at files that exist in dist/ and at an IPv6 fleet cluster', () => {
    for (const application of testApps) {
      const { source, destination } = application.spec;
      expect(source.repoURL).toBe(fleet.repo.url);
      expect(source.targetRevision).toBe(fleet.repo.revision);
      const dir = source.path.replace(/^dist\//, '');
      const included = (source.directory.include as string).replace(/^\{|\}$/g, '').split(',');
      for (const file of included) expect(files.has(`${dir}/${file}`)).toBe(true);
      const cluster = fleet.clusters.find((candidate) => candidate.name === destination.name);
      expect(cluster?.ipFamily).toBe('ipv6');
      expect(destination.namespace).toBe(application.metadata.labels['fleet/app']);
    }
  });

  test('generated Application names are unique, valid and short enough for a label value', () => {
    const names = generated.map((application) => application.metadata.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(dnsSubdomain);
      expect(name.length).toBeLessThanOrEqual(63);
    }
  });

  test('test apps sync automatically with prune, self-heal and retry with backoff, and clean up when removed', () => {
    for (const application of testApps) {
      expect(application.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      expect(application.spec.syncPolicy.retry.backoff).toEqual({ duration: '10s', factor: 2, maxDuration: '5m' });
      expect(application.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    }
  });

  test('a test app syncs its Namespace, then its Service and Ingress, then its pods: readiness gates need the target group binding first', () => {
    const wave = (object: Manifest) => object.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0';
    for (const app of ['app0', 'app1', 'app2']) {
      const appObjects = objects.filter((object) => object.file.startsWith(`apps/${app}/`));
      const waves = Object.fromEntries(appObjects.map((object) => [object.kind, Number(wave(object))]));
      expect(waves.Namespace).toBeLessThan(waves.Service);
      expect(waves.Service).toBe(waves.Ingress);
      expect(waves.Ingress).toBeLessThan(waves.Deployment);
      expect(waves.ConfigMap).toBeLessThanOrEqual(waves.Deployment);
    }
  });

  test('every AppProject waits for its Applications before it goes: a project pruned with them cannot strand their deletion', () => {
    // argocd/apps/<cluster>.yaml holds a cluster's project and ApplicationSet: removing the
    // cluster's last app prunes both at once. Argo CD finalizes an Application through its
    // project (controller finalizeApplicationDeletion); the finalizer keeps the project until
    // no Application uses it (declarative-setup docs, "Projects").
    const projects = objects.filter((object) => object.kind === 'AppProject');
    expect(projects.map((project) => project.metadata.name).sort()).toEqual(['fleet-addons', 'fleet-admission', 'fleet-apps-ipv6-east', 'fleet-argocd', 'fleet-bootstrap', 'fleet-service-podinfo', 'fleet-services-ipv6-east']);
    for (const project of projects) expect([project.metadata.name, project.metadata.finalizers]).toEqual([project.metadata.name, ['resources-finalizer.argocd.argoproj.io']]);
  });

  test('every Application retries without end, with the newest revision: none gives up before what it needs exists', () => {
    const applications = [...objects.filter((object) => object.kind === 'Application'), ...generated];
    expect(applications.length).toBeGreaterThan(10);
    for (const application of applications) {
      expect([application.metadata.name, application.spec.syncPolicy.retry.limit]).toEqual([application.metadata.name, -1]);
      expect(application.spec.syncPolicy.retry.refresh).toBe(true);
    }
  });

  test('the root app applies server-side: no last-applied annotation caps its objects at 256 KiB', () => {
    expect(findObject(objects, 'Application', 'fleet-root').spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
  });

  test('the root app syncs the Argo CD part of dist/, itself included', () => {
    const root = findObject(objects, 'Application', 'fleet-root');
    expect(root.spec.source.path).toBe('dist/argocd');
    expect(root.spec.source.directory.recurse).toBe(true);
    expect(root.file).toBe('argocd/root.yaml');
    const argoFiles = [...files.keys()].filter((file) => file.startsWith('argocd/'));
    expect(argoFiles).toEqual(expect.arrayContaining(['argocd/root.yaml', 'argocd/projects.yaml', 'argocd/apps/ipv6-east.yaml', 'argocd/clusters/ipv6-east.yaml']));
    for (const object of objects.filter((candidate) => candidate.file.startsWith('argocd/'))) {
      expect(['Application', 'ApplicationSet', 'AppProject', 'Secret']).toContain(object.kind);
      expect(object.metadata.namespace).toBe('argocd');
    }
  });

  test('no Application uses the default project', () => {
    const applications = [...objects.filter((object) => object.kind === 'Application'), ...generated];
    for (const application of applications) expect(application.spec.project).not.toBe('default');
  });

  test('each cluster\'s apps project allows only the GitOps repo, that cluster and the kinds the apps create', () => {
    expect(objects.filter((object) => object.kind === 'AppProject' && object.metadata.name.startsWith('fleet-apps')).map((project) => project.metadata.name)).toEqual(['fleet-apps-ipv6-east']);
    const project = findObject(objects, 'AppProject', 'fleet-apps-ipv6-east');
    expect(project.spec.sourceRepos).toEqual([fleet.repo.url]);
    // Every namespace of the cluster: a project that narrowed as apps leave would strand their deletion (Argo CD
    // deletes an Application's objects only where its project still permits them, appcontroller.go getPermittedAppLiveObjects).
    expect(project.spec.destinations).toEqual([{ name: 'ipv6-east', namespace: '*' }]);
    expect(project.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
    const renderedKinds = new Set(objects.filter((object) => object.file.startsWith('apps/') && object.kind !== 'Namespace').map((object) => object.kind));
    expect(project.spec.namespaceResourceWhitelist.map((entry: Manifest) => entry.kind).sort()).toEqual([...renderedKinds].sort());
    for (const application of testApps) expect(application.spec.project).toBe(`fleet-apps-${application.spec.destination.name}`);
  });

  test('no chart may create Argo CD\'s own objects: the add-ons\' and Argo CD\'s projects deny argoproj.io, and only the root app may create them', () => {
    for (const name of ['fleet-addons', 'fleet-argocd']) {
      expect(findObject(objects, 'AppProject', name).spec.namespaceResourceBlacklist).toEqual([{ group: 'argoproj.io', kind: '*' }]);
    }
    expect(findObject(objects, 'AppProject', 'fleet-addons').spec.destinations.map((destination: Manifest) => destination.namespace)).not.toContain('argocd');
    expect(findObject(objects, 'Application', 'argo-cd').spec.project).toBe('fleet-argocd');
    expect(findObject(objects, 'AppProject', 'fleet-argocd').spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'argocd' }]);
    const bootstrap = findObject(objects, 'AppProject', 'fleet-bootstrap');
    expect(bootstrap.spec.namespaceResourceWhitelist).toEqual(expect.arrayContaining([{ group: 'argoproj.io', kind: 'AppProject' }]));
  });

  test('each registered cluster has a Secret with EKS IAM auth, its CA, labels and annotations', () => {
    expect(secrets.map((secret) => secret.metadata.name).sort()).toEqual(['cluster-ipv6-east', 'cluster-legacy-ipv4']);
    const ipv6 = findObject(secrets, 'Secret', 'cluster-ipv6-east');
    const config = JSON.parse(ipv6.stringData.config);
    expect(config).toEqual({
      awsAuthConfig: { clusterName: 'ipv6-east', roleARN: 'arn:aws:iam::111122223333:role/ipv6-east-argocd' },
      tlsClientConfig: { insecure: false, caData: fleet.clusters[1].caData },
    });
    expect(ipv6.metadata.labels).toMatchObject({ 'ip-family': 'ipv6', environment: 'production', enable_cert_manager: 'true', enable_external_dns: 'true' });
    expect(ipv6.metadata.annotations).toEqual({
      'aws-region': 'us-east-2', 'aws-account-id': '111122223333', 'vpc-id': 'vpc-0f1e2d3c4b5a69788', 'aws-cluster-name': 'ipv6-east', 'argocd.argoproj.io/sync-wave': '-2',
    });
  });

  test('no Secret in dist/ carries a credential field', () => {
    const credential = /"?(token|password|bearerToken|keyData|certData|secretAccessKey|privateKey)"?\s*:/i;
    for (const secret of objects.filter((object) => object.kind === 'Secret')) {
      expect(secret.data).toBeUndefined();
      for (const [key, value] of Object.entries(secret.stringData as Record<string, string>)) {
        expect(key).not.toMatch(/token|password|key$/i);
        expect(value).not.toMatch(credential);
      }
    }
  });

  test('Argo CD manages itself from IPv6 values with a single, dual-stack redis', () => {
    const self = findObject(objects, 'Application', 'argo-cd');
    expect(self.spec.sources[0]).toMatchObject({ chart: 'argo-cd', repoURL: 'https://argoproj.github.io/argo-helm', targetRevision: '10.1.1' });
    expect(self.spec.sources[0].helm.valueFiles).toEqual(['$values/dist/addons/argo-cd/values.yaml']);
    expect(self.spec.sources[1]).toMatchObject({ repoURL: fleet.repo.url, ref: 'values' });
    const values = require('yaml').parse(files.get('addons/argo-cd/values.yaml')!);
    expect(values.global.dualStack).toEqual({ ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'] });
    expect(values['redis-ha'].enabled).toBe(false);
    expect([values.server.replicas, values.repoServer.replicas, values.applicationSet.replicas]).toEqual([2, 2, 2]);
    expect(values.redis.extraArgs).toEqual(['--bind', '* -::*']);
    expect(JSON.stringify(values)).not.toContain('0.0.0.0');
  });
});

describe('migrating app2 from the IPv4 cluster to the IPv6 cluster', () => {
  const app2On = (clusters: string) => demoFleet((text) =>
    text.replace('backgroundColor: blue\n    containerPort: 80\n    replicas: 5\n', `backgroundColor: blue\n    containerPort: 80\n    replicas: 5\n    clusters: ${clusters}\n`));
  const placements = (fleet: Fleet) => argo(fleet).generated.filter((application) => application.metadata.labels['fleet/app'] === 'app2');

  test('step 1: on the IPv4 cluster only, with an IPv4 Service and an ALB of the cluster\'s family', () => {
    const { objects, generated } = argo(app2On('[legacy-ipv4]'));
    expect(generated.filter((application) => application.metadata.labels['fleet/app'] === 'app2').map((application) => application.spec.destination.name)).toEqual(['legacy-ipv4']);
    const service = findObject(objects, 'Service', 'app2', 'apps/app2/clusters/legacy-ipv4.yaml');
    expect(service.spec.ipFamilies).toEqual(['IPv4']);
    const ingress = findObject(objects, 'Ingress', 'app2', 'apps/app2/clusters/legacy-ipv4.yaml');
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/ip-address-type']).toBeUndefined();
    // Weighted even alone, so the next step only adds a record beside it and changes its weight.
    expect(ingress.metadata.annotations['external-dns.alpha.kubernetes.io/set-identifier']).toBe('legacy-ipv4');
    expect(ingress.metadata.annotations['external-dns.alpha.kubernetes.io/aws-weight']).toBe('1');
  });

  test('step 2: on both clusters, each Ingress a weighted DNS record named after its cluster', () => {
    const fleet = app2On('[{ name: legacy-ipv4, weight: 90 }, { name: ipv6-east, weight: 10 }]');
    const { objects } = argo(fleet);
    expect(placements(fleet).map((application) => application.metadata.name).sort()).toEqual(['app2-ipv6-east', 'app2-legacy-ipv4']);
    for (const [cluster, weight] of [['legacy-ipv4', '90'], ['ipv6-east', '10']]) {
      const ingress = findObject(objects, 'Ingress', 'app2', `apps/app2/clusters/${cluster}.yaml`);
      expect(ingress.metadata.annotations['external-dns.alpha.kubernetes.io/set-identifier']).toBe(cluster);
      expect(ingress.metadata.annotations['external-dns.alpha.kubernetes.io/aws-weight']).toBe(weight);
      expect(ingress.spec.rules[0].host).toBe('app2.apps.example.com');
    }
    expect(findObject(objects, 'AppProject', 'fleet-apps-legacy-ipv4').spec.destinations).toEqual([{ name: 'legacy-ipv4', namespace: '*' }]);
    expect(findObject(objects, 'AppProject', 'fleet-apps-ipv6-east').spec.destinations).toEqual([{ name: 'ipv6-east', namespace: '*' }]);
  });

  test('an Ingress is the same at every step but for its weight: the records it gets are test/verify/dns-records.test.ts\'s walk', () => {
    const annotations = (fleet: Fleet) => findObject(argo(fleet).objects, 'Ingress', 'app2', 'apps/app2/clusters/ipv6-east.yaml').metadata.annotations;
    const during = annotations(app2On('[{ name: legacy-ipv4, weight: 90 }, { name: ipv6-east, weight: 10 }]'));
    expect([during['external-dns.alpha.kubernetes.io/set-identifier'], during['external-dns.alpha.kubernetes.io/aws-weight']]).toEqual(['ipv6-east', '10']);
    expect(annotations(app2On('[ipv6-east]'))).toEqual({ ...during, 'external-dns.alpha.kubernetes.io/aws-weight': '1' });
  });

  test('step 3: on the IPv6 cluster only; the shared files do not change at any step', () => {
    const shared = (fleet: Fleet) => argo(fleet).files.get('apps/app2/app.yaml');
    const final = app2On('[ipv6-east]');
    expect(placements(final).map((application) => application.spec.destination.name)).toEqual(['ipv6-east']);
    expect(shared(final)).toBe(shared(app2On('[legacy-ipv4]')));
    expect(shared(final)).toBe(shared(app2On('[{ name: legacy-ipv4, weight: 0 }, { name: ipv6-east, weight: 255 }]')));
  });
});

test('a cluster registered elsewhere (register: false) gets no Secret but can still run apps', () => {
  const fleet = demoFleet((text) => text.replace('  - name: ipv6-east\n    ipFamily: ipv6\n', '  - name: ipv6-east\n    ipFamily: ipv6\n    register: false\n'));
  const { secrets, generated } = argo(fleet);
  expect(secrets.map((secret) => secret.metadata.name)).toEqual(['cluster-legacy-ipv4']);
  expect(expandApplicationSet(findObject(argo(fleet).appSets, 'ApplicationSet', 'test-apps-ipv6-east'), [])).toHaveLength(3);
  expect(generated.filter((application) => application.spec.destination.name === 'ipv6-east').length).toBeGreaterThan(0);
});

describe('Argo CD sized from the fleet', () => {
  test.each([[2, 1], [9, 1], [10, 2], [19, 2], [72, 8]])('%i registered clusters (and the in-cluster one): %i application controller shards, at most ten clusters each', (clusters, shards) => {
    const fleet = largeFleetFixture(1, clusters);
    const values = argocdValues(fleet) as { controller: { replicas: number }; server: { replicas: number } };
    expect(values.controller.replicas).toBe(shards);
    // Each shard holds the watches and caches of its clusters: round-robin gives each at most ten.
    expect(Math.ceil((clusters + 1) / values.controller.replicas)).toBeLessThanOrEqual(10);
    expect(values.server.replicas).toBe(2);
  });
});
