import { parse } from 'yaml';
import { renderFleet } from '../../app/render';
import { resourcesFinalizer } from '../../catalog/argocd';
import { distLayout, isManifestFile, isValuesFile } from '../../catalog/dist-layout';
import { applicationChartRepo } from '../../charts/cluster-apps';
import { ServiceApp } from '../../config/fleet';
import { ApplicationSetError, expandApplicationSet, Json, refValueFiles } from '../../diff/applicationset';
import { leavingClusters, leavingProblem } from '../../diff/fleet-changes';
import { clusterChanges, formatClusterChanges, placementsBefore, placementsOf, previousPlacementTexts } from '../../diff/placements';
import { dnsProblems, fleetRecords, transitionOutcome } from '../../verify/dns-records';
import { helmTemplate, helmUnavailable } from '../../verify/helm';
import { podSpecOf, restrictedViolations } from '../../verify/pod-security';
import { clusterSecrets, generatedApplications } from '../../verify/objects';
import { renderedObjects } from '../../verify/rendered';
import { projectRefusal } from '../../verify/project-permits';
import { rolloutPeak, serviceRollingUpdate } from '../../catalog/test-app';
import { demoFleet, findObject, fixtureFleet, parseManifests, setReplicas } from '../support/fixtures';

const demo = demoFleet();
const demoFiles = renderFleet(demo);
const sourcesFleet = fixtureFleet('services-sources');
const sourcesFiles = renderFleet(sourcesFleet);

/** The Applications the ApplicationSets of a render generate, by name. */
function applicationsOf(files: ReadonlyMap<string, string>): Map<string, Json> {
  return new Map(generatedApplications(renderedObjects(files)).map((application) => [application.metadata.name, application]));
}

/** The objects of one file of a render. */
const objectsOf = (files: ReadonlyMap<string, string>, path: string) => parseManifests(files.get(path)!);

describe('a service\'s files in dist/', () => {
  test('podinfo\'s Namespace enforces Pod Security restricted, gets the readiness gate, and records its pods', () => {
    const [namespace] = objectsOf(demoFiles, 'apps/podinfo/app.yaml');
    expect(namespace).toMatchObject({ kind: 'Namespace', metadata: { name: 'podinfo' } });
    expect(namespace.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled',
      'app.kubernetes.io/part-of': 'services',
    });
    expect(namespace.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-2', 'fleet/replicas': '4', 'fleet/source-version': '6.14.1' });
  });

  test('a service that declares baseline gets a baseline namespace, never privileged', () => {
    const [namespace] = objectsOf(sourcesFiles, 'apps/podinfo-oci/app.yaml');
    expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(namespace.metadata.labels['pod-security.kubernetes.io/audit']).toBe('baseline');
  });

  test('podinfo\'s Ingress joins ipv6-east\'s shared ALB over HTTPS with the test apps\' annotations, routed to the Service and port it names', () => {
    const [ingress] = objectsOf(demoFiles, 'apps/podinfo/clusters/ipv6-east.yaml');
    const [testIngress] = objectsOf(demoFiles, 'apps/app0/clusters/ipv6-east.yaml').filter((object) => object.kind === 'Ingress');
    const shared = ['scheme', 'listen-ports', 'ssl-redirect', 'ssl-policy', 'load-balancer-attributes', 'group.name', 'target-type'].map((key) => `alb.ingress.kubernetes.io/${key}`);
    for (const key of shared) expect([key, ingress.metadata.annotations[key]]).toEqual([key, testIngress.metadata.annotations[key]]);
    expect(ingress.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/group.name': 'shared-0',
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
      'alb.ingress.kubernetes.io/healthcheck-path': '/readyz',
      'external-dns.alpha.kubernetes.io/set-identifier': 'ipv6-east',
      'external-dns.alpha.kubernetes.io/aws-weight': '1',
    });
    expect(ingress.spec.rules).toEqual([{ host: 'podinfo.apps.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'podinfo', port: { number: 9898 } } } }] } }]);
    // No earlier wave than the chart's Service: the controller builds no ALB before it exists.
    expect(ingress.metadata.annotations['argocd.argoproj.io/sync-wave']).toBeUndefined();
  });

  test('a chart service\'s values are files of data: values.yaml as fleet.yaml says, and one per placement, {} when it gives none', () => {
    expect(parse(demoFiles.get('apps/podinfo/values.yaml')!)).toEqual((demo.apps.find((app) => app.name === 'podinfo') as ServiceApp).values);
    expect(parse(demoFiles.get('apps/podinfo/values/ipv6-east.yaml')!)).toEqual({});
    const migration = renderFleet(fixtureFleet('services-migration'));
    expect(parse(migration.get('apps/podinfo/values/legacy-ipv4.yaml')!)).toEqual({ ui: { message: 'legacy-ipv4' } });
    expect(parse(migration.get('apps/podinfo/values/ipv6-east.yaml')!)).toEqual({ ui: { message: 'ipv6-east' } });
  });

  test('values files are data, never read as Kubernetes objects; the Namespace and Ingress files are manifests', () => {
    for (const path of ['apps/podinfo/values.yaml', 'apps/podinfo/values/ipv6-east.yaml']) {
      expect([path, isValuesFile(path), isManifestFile(path)]).toEqual([path, true, false]);
    }
    for (const path of ['apps/podinfo/app.yaml', 'apps/podinfo/clusters/ipv6-east.yaml', 'apps/values/app.yaml']) {
      expect([path, isValuesFile(path), isManifestFile(path)]).toEqual([path, false, true]);
    }
    // A values file holding what looks like an object is not an object of the render.
    expect(renderedObjects(demoFiles).filter((object) => object.file.startsWith('apps/podinfo/')).map((object) => `${object.file} ${object.kind}`))
      .toEqual(['apps/podinfo/app.yaml Namespace', 'apps/podinfo/clusters/ipv6-east.yaml Ingress']);
  });

  test('a git service has no values files', () => {
    expect([...sourcesFiles.keys()].filter((path) => path.startsWith('apps/hello/'))).toEqual(['apps/hello/app.yaml', 'apps/hello/clusters/ipv6-east.yaml']);
  });

  test('on an IRSA cluster, the per-cluster values carry the service\'s role at irsaAnnotationsValue, beside what fleet.yaml gives there', () => {
    const irsa = demoFleet((text) => text
      .replace('    provisioning: create\n', '    provisioning: create\n    identity: irsa\n')
      .replace('argocd:\n  cluster: ipv6-east', 'argocd:\n  cluster: legacy-ipv4')
      .replace('    replicas: 4\n    resources:', `    replicas: 4
    clusterValues:
      ipv6-east: { serviceAccount: { enabled: true, annotations: { example.com/team: web } } }
    aws:
      serviceAccount: podinfo
      policyArns: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]
      irsaAnnotationsValue: serviceAccount.annotations
    resources:`));
    const values = parse(renderFleet(irsa).get('apps/podinfo/values/ipv6-east.yaml')!);
    expect(values).toEqual({ serviceAccount: { enabled: true, annotations: { 'example.com/team': 'web', 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/ipv6-east.podinfo' } } });
    // On a Pod Identity cluster, no annotation: the association gives the role.
    const podIdentity = demoFleet((text) => text.replace('    replicas: 4\n    resources:', '    replicas: 4\n    aws: { serviceAccount: podinfo, policyArns: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess], irsaAnnotationsValue: serviceAccount.annotations }\n    resources:'));
    expect(parse(renderFleet(podIdentity).get('apps/podinfo/values/ipv6-east.yaml')!)).toEqual({});
  });
});

describe('the projects of services: one per service for its source, one per cluster for what the generator renders', () => {
  test('fleet-services-<cluster> allows only this repository, that cluster, the Namespace and the Ingress kinds', () => {
    const project = findObject(renderedObjects(sourcesFiles), 'AppProject', 'fleet-services-ipv6-east');
    expect(project.metadata.finalizers).toEqual([resourcesFinalizer]);
    expect(project.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    expect(project.spec.sourceRepos).toEqual(['https://github.com/example-org/eks-ipv6-gitops.git']);
    // Not narrowed to the services there: as one leaves, its platform Application must still be let delete its objects.
    expect(project.spec.destinations).toEqual([{ name: 'ipv6-east', namespace: '*' }]);
    expect(project.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
    expect(project.spec.namespaceResourceWhitelist).toEqual([{ group: 'networking.k8s.io', kind: 'Ingress' }]);
  });

  test('fleet-service-<app> allows the service\'s repository (an OCI one as Argo CD writes it) and this one for its values, its namespace, the kinds it declares under its own name, and nothing that reaches a load balancer or Argo CD; it is pruned last', () => {
    const objects = renderedObjects(sourcesFiles);
    const oci = findObject(objects, 'AppProject', 'fleet-service-podinfo-oci');
    expect(oci.metadata.finalizers).toEqual([resourcesFinalizer]);
    expect(oci.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1', 'argocd.argoproj.io/sync-options': 'PruneLast=true' });
    expect(oci.spec.sourceRepos).toEqual(['ghcr.io/stefanprodan/charts', 'https://github.com/example-org/eks-ipv6-gitops.git']);
    expect(oci.spec.destinations).toEqual([{ name: '*', namespace: 'podinfo-oci' }]);
    expect(oci.spec.clusterResourceWhitelist).toEqual([{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'podinfo-oci' }, { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'podinfo-oci-*' }]);
    expect(oci.spec.namespaceResourceBlacklist.map((entry: { group: string; kind: string }) => `${entry.group}/${entry.kind}`)).toEqual([
      'argoproj.io/*', 'networking.k8s.io/Ingress', 'elbv2.k8s.aws/*', 'gateway.k8s.aws/*', 'aga.k8s.aws/*', 'gateway.networking.k8s.io/*', 'cert-manager.io/*', 'acme.cert-manager.io/*',
      'discovery.k8s.io/EndpointSlice', '/Endpoints', 'rbac.authorization.k8s.io/Role', 'rbac.authorization.k8s.io/RoleBinding',
    ]);
    expect(oci.spec.namespaceResourceWhitelist).toBeUndefined();
    // A git service reads no values files from this repository.
    expect(findObject(objects, 'AppProject', 'fleet-service-hello').spec.sourceRepos).toEqual(['https://github.com/example-org/eks-ipv6-gitops.git']);
    expect(findObject(objects, 'AppProject', 'fleet-service-hello').spec.clusterResourceWhitelist).toEqual([]);
    // In a file of its own, the same wherever the service is placed.
    const migration = renderFleet(fixtureFleet('services-migration'));
    expect(parseManifests(migration.get(distLayout.serviceProject('podinfo'))!)[0].spec.destinations).toEqual([{ name: '*', namespace: 'podinfo' }]);
  });

  test('a fleet without services has no services projects; the demo has podinfo\'s', () => {
    const names = (files: ReadonlyMap<string, string>) => renderedObjects(files).filter((object) => object.kind === 'AppProject' && /^fleet-services?-/.test(object.metadata.name)).map((object) => object.metadata.name);
    expect(names(demoFiles)).toEqual(['fleet-services-ipv6-east', 'fleet-service-podinfo']);
    expect(names(renderFleet(fixtureFleet('services-migration', (text) => text.replace(/\n  - name: podinfo\n[\s\S]*$/, '\n'))))).toEqual([]);
  });

  test('the test apps keep their project and ApplicationSet; a cluster with services only has none of theirs', () => {
    const onlyServices = demoFleet((text) => text.replace(/ {4}replicas: 5\n/g, '    replicas: 5\n    clusters: [legacy-ipv4]\n'));
    const objects = parseManifests(renderFleet(onlyServices).get('argocd/apps/ipv6-east.yaml')!);
    expect(objects.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual(['AppProject/fleet-services-ipv6-east', 'ApplicationSet/services-platform-ipv6-east', 'ApplicationSet/services-charts-ipv6-east']);
  });

  test('every source of every service Application is one its project allows, and its destination one of the project\'s', () => {
    for (const files of [demoFiles, sourcesFiles, renderFleet(fixtureFleet('services-migration'))]) {
      const objects = renderedObjects(files);
      const services = [...applicationsOf(files).values()].filter((application) => application.metadata.labels['app.kubernetes.io/part-of'] === 'services');
      expect(services.length).toBeGreaterThan(0);
      for (const application of services) {
        const project = findObject(objects, 'AppProject', application.spec.project);
        for (const source of application.spec.sources ?? [application.spec.source]) expect(project.spec.sourceRepos).toContain(source.repoURL);
        const { name, namespace } = application.spec.destination;
        const object = application.metadata.name.endsWith('-platform') ? { group: 'networking.k8s.io', kind: 'Ingress' } : { group: '', kind: 'ConfigMap' };
        expect(projectRefusal(project, { ...object, name: 'x', namespace }, name)).toBeUndefined();
      }
    }
  });
});

describe('the Applications Argo CD generates for services', () => {
  test('podinfo on ipv6-east: the chart with its release name and both values files through $values and this repository as ref, in its own project', () => {
    const application = applicationsOf(demoFiles).get('podinfo-ipv6-east')!;
    expect(application.metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'services', 'fleet/app': 'podinfo', 'fleet/cluster': 'ipv6-east' });
    expect(application.metadata.finalizers).toEqual([resourcesFinalizer]);
    expect(application.spec.project).toBe('fleet-service-podinfo');
    expect(application.spec.destination).toEqual({ name: 'ipv6-east', namespace: 'podinfo' });
    expect(application.spec.sources).toEqual([
      {
        repoURL: 'https://stefanprodan.github.io/podinfo', chart: 'podinfo', targetRevision: '6.14.1',
        helm: { releaseName: 'podinfo', valueFiles: ['$values/dist/apps/podinfo/values.yaml', '$values/dist/apps/podinfo/values/ipv6-east.yaml'] },
      },
      { repoURL: 'https://github.com/example-org/eks-ipv6-gitops.git', targetRevision: 'main', ref: 'values' },
    ]);
    expect(application.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });

  test('podinfo-ipv6-east-platform: the app folder with its Namespace and this cluster\'s Ingress, in the cluster\'s services project, deleted with its placement', () => {
    const application = applicationsOf(demoFiles).get('podinfo-ipv6-east-platform')!;
    expect(application.metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'services', 'fleet/app': 'podinfo', 'fleet/cluster': 'ipv6-east' });
    expect(application.metadata.finalizers).toEqual([resourcesFinalizer]);
    expect(application.spec.project).toBe('fleet-services-ipv6-east');
    expect(application.spec.destination).toEqual({ name: 'ipv6-east', namespace: 'podinfo' });
    expect(application.spec.source).toEqual({ repoURL: 'https://github.com/example-org/eks-ipv6-gitops.git', targetRevision: 'main', path: 'dist/apps/podinfo', directory: { recurse: true, include: '{app.yaml,clusters/ipv6-east.yaml}' } });
    expect(application.spec.syncPolicy).toMatchObject({ automated: { prune: true, selfHeal: true }, retry: { limit: -1 } });
  });

  test('every values file an Application names through $values is a file of the render, in this repository at its revision', () => {
    for (const [fleet, files] of [[demo, demoFiles], [sourcesFleet, sourcesFiles]] as const) {
      const valueFiles = [...applicationsOf(files).values()].flatMap(refValueFiles);
      expect(valueFiles.length).toBeGreaterThan(0);
      for (const { repoURL, targetRevision, path } of valueFiles) {
        expect([repoURL, targetRevision]).toEqual([fleet.repo.url, fleet.repo.revision]);
        expect(path.startsWith(`${fleet.repo.path}/`)).toBe(true);
        expect([path, files.has(path.slice(fleet.repo.path.length + 1))]).toEqual([path, true]);
      }
    }
  });

  test('$values that names no ref source, or a ref source with a chart, is an error as Argo CD makes it', () => {
    const application = applicationsOf(demoFiles).get('podinfo-ipv6-east')!;
    const withoutRef = { ...application, spec: { ...application.spec, sources: application.spec.sources.filter((source: Json) => !source.ref) } };
    expect(() => refValueFiles(withoutRef)).toThrow(ApplicationSetError);
    const chartRef = { ...application, spec: { ...application.spec, sources: application.spec.sources.map((source: Json) => (source.ref ? { ...source, chart: 'x' } : source)) } };
    expect(() => refValueFiles(chartRef)).toThrow(/also has a chart/);
  });

  test('an OCI chart is written without oci:// (Argo CD\'s OCI Helm form), a git service takes its path at its revision; the app folder is its platform Application\'s', () => {
    const applications = applicationsOf(sourcesFiles);
    expect(applications.get('podinfo-oci-ipv6-east')!.spec.sources[0]).toMatchObject({ repoURL: 'ghcr.io/stefanprodan/charts', chart: 'podinfo', targetRevision: '6.14.1', helm: { releaseName: 'podinfo-oci' } });
    expect(applications.get('hello-ipv6-east')!.spec.sources).toEqual([
      { repoURL: 'https://github.com/example-org/eks-ipv6-gitops.git', targetRevision: '6d61710b9c569fb9834f44dd8c030c1612d0deab', path: 'test/fixtures/services/hello' },
    ]);
    expect(applications.get('hello-ipv6-east-platform')!.spec.source.path).toBe('dist/apps/hello');
    expect(applicationChartRepo('oci://registry.example.com:5000/charts')).toBe('registry.example.com:5000/charts');
    expect(applicationChartRepo('https://charts.example.com')).toBe('https://charts.example.com');
  });

  test('the git path of the fixture is a folder of this repository with the manifests Argo CD applies', () => {
    const { readdirSync } = jest.requireActual('fs');
    expect(readdirSync('test/fixtures/services/hello').sort()).toEqual(['deployment.yaml', 'kustomization.yaml', 'service.yaml']);
  });

  test('a released cluster\'s service Applications lose the resources finalizer and their ApplicationSets preserve what they deployed', () => {
    const released = demoFleet((text) => text.replace('    provisioning: create\n', '    provisioning: create\n    release: true\n'));
    const files = renderFleet(released);
    const appSet = findObject(renderedObjects(files), 'ApplicationSet', 'services-charts-ipv6-east');
    expect(appSet.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
    const [application] = expandApplicationSet(appSet, clusterSecrets(renderedObjects(files)));
    expect(application.metadata.finalizers).toBeUndefined();
  });
});

describe('moving a service: placements, the weighted IPv4 -> IPv6 walk, removal', () => {
  const podinfoOn = (clusters: string) => fixtureFleet('services-migration', (text) => text.replace(/ {4}clusters:\n {6}- \{ name: legacy-ipv4, weight: 90 \}\n {6}- \{ name: ipv6-east, weight: 10 \}\n(?![\s\S]*- name: podinfo)/, `    clusters: ${clusters}\n`)
    .replace(/ {4}clusterValues:\n( {6}.*\n)+/, ''));
  const steps = [
    ['start', '[legacy-ipv4]'],
    ['the IPv6 cluster at 10', '[{ name: legacy-ipv4, weight: 90 }, { name: ipv6-east, weight: 10 }]'],
    ['50/50', '[{ name: legacy-ipv4, weight: 50 }, { name: ipv6-east, weight: 50 }]'],
    ['0/255', '[{ name: legacy-ipv4, weight: 0 }, { name: ipv6-east, weight: 255 }]'],
    ['the old placement removed', '[ipv6-east]'],
  ].map(([step, clusters]) => {
    const fleet = podinfoOn(clusters);
    const files = renderFleet(fleet);
    return { step, fleet, files, records: fleetRecords(fleet, files).filter((record) => record.name === 'podinfo.apps.example.com') };
  });

  test('the fixture places podinfo on both clusters at 90/10 and app0 as before', () => {
    expect(steps[1].fleet.apps.find((app) => app.name === 'podinfo')!.placements).toEqual([{ cluster: 'legacy-ipv4', weight: 90 }, { cluster: 'ipv6-east', weight: 10 }]);
    expect(fixtureFleet('services-migration').apps.find((app) => app.name === 'podinfo')!.placements).toEqual([{ cluster: 'legacy-ipv4', weight: 90 }, { cluster: 'ipv6-east', weight: 10 }]);
  });

  test.each(steps.map((step) => [step.step, step]))('%s: each placement of podinfo owns an A and an AAAA of its weight, from the Ingress on its cluster\'s ALB', (_, { records, fleet }) => {
    const placements = fleet.apps.find((app) => app.name === 'podinfo')!.placements;
    expect(records.map(({ cluster, type, weight, setIdentifier }) => [cluster, type, weight, setIdentifier])).toEqual(
      placements.flatMap((placement) => ['A', 'AAAA'].map((type) => [placement.cluster, type, placement.weight ?? 1, placement.cluster])));
    expect(dnsProblems(records)).toEqual([]);
  });

  test.each(steps.slice(1).map((step, index) => [steps[index].step, step.step, steps[index], step]))('from %s to %s: every cluster\'s change takes effect at its first sync', (_, __, before, after) => {
    expect(transitionOutcome(before.records, after.records)).toEqual({ stuck: [], retried: [] });
  });

  test('synth and diff say per cluster what moves: podinfo added on ipv6-east with its pods, then taken off legacy-ipv4', () => {
    const change = (before: typeof steps[number], after: typeof steps[number]) => {
      const afterPlacements = placementsOf(after.fleet);
      return formatClusterChanges(clusterChanges(placementsBefore(afterPlacements, previousPlacementTexts(before.files, after.files)), afterPlacements));
    };
    expect(change(steps[0], steps[1])).toEqual(['ipv6-east: adds podinfo (+2 pods); 15 -> 17 pods']);
    expect(change(steps[3], steps[4])).toEqual(['legacy-ipv4: removes podinfo (-2 pods); 7 -> 5 pods']);
    expect(change(steps[1], steps[2])).toEqual([]);
  });

  test('a cluster that leaves while it runs a service is refused as one that runs apps; released, it may go', () => {
    // GIVEN dist/ of the 90/10 step, then a fleet without legacy-ipv4 (app0 and podinfo on ipv6-east alone)
    const files = steps[1].files;
    const without = steps[4].fleet;
    const withoutLegacy = { ...without, clusters: without.clusters.filter((cluster) => cluster.name !== 'legacy-ipv4') };
    const [leaving] = leavingClusters(withoutLegacy, [...files.keys()], (path) => files.get(path));
    expect(leaving.apps).toEqual([{ name: 'app0', pods: 5 }, { name: 'podinfo', pods: 2 }]);
    expect(leavingProblem(leaving)).toMatch(/^legacy-ipv4 is no longer in clusters, but the output folder still runs 2 apps on it \(7 pods: app0: 5, podinfo: 2\)/);
    // Only the service left there: still refused.
    const serviceOnly = new Map(files);
    const clusterFile = distLayout.clusterApps('legacy-ipv4');
    serviceOnly.set(clusterFile, files.get(clusterFile)!.split('\n---\n').filter((document) => !document.includes('test-apps-legacy-ipv4') && !document.includes('fleet-apps-legacy-ipv4')).join('\n---\n'));
    const [onlyService] = leavingClusters(withoutLegacy, [...serviceOnly.keys()], (path) => serviceOnly.get(path));
    expect(onlyService.apps).toEqual([{ name: 'podinfo', pods: 2 }]);
    expect(leavingProblem(onlyService)).toMatch(/still runs 1 app on it \(2 pods: podinfo: 2\)/);
  });
});

const helmMissing = helmUnavailable();
const onCi = Boolean(process.env.CI) && process.env.CI !== 'false';
(helmMissing && !onCi ? describe.skip : describe)('podinfo as helm renders the vendored chart with the rendered values, as its Application asks', () => {
  const render = (files: ReadonlyMap<string, string>, cluster: string) => {
    const application = applicationsOf(files).get(`podinfo-${cluster}`)!;
    const texts = refValueFiles(application).map(({ path }) => files.get(path.slice('dist/'.length))!);
    return helmTemplate({ releaseName: application.spec.sources[0].helm.releaseName, namespace: application.spec.destination.namespace, chartArchive: 'vendor/charts/podinfo-6.14.1.tgz', values: texts, kubeVersion: '1.35' });
  };

  test('the demo\'s values make a Deployment of 2 pods that passes Pod Security restricted and a Service named as expose says, of the cluster\'s family, on its port', async () => {
    const objects = await render(demoFiles, 'ipv6-east');
    const deployment = objects.find((object) => object.kind === 'Deployment')!;
    expect(deployment.spec.replicas).toBe(4);
    expect(restrictedViolations(podSpecOf(deployment)!)).toEqual([]);
    const service = objects.find((object) => object.kind === 'Service')!;
    expect(service.metadata.name).toBe('podinfo');
    expect(service.spec.ports.map((port: Json) => port.port)).toContain(9898);
    // No family forced: the Service takes the cluster's (IPv6 on ipv6-east).
    expect(service.spec.ipFamilies).toBeUndefined();
    expect(service.spec.ipFamilyPolicy).toBeUndefined();
    // podinfo listens on every address: no --host=0.0.0.0.
    expect(deployment.spec.template.spec.containers[0].command.filter((arg: string) => arg.startsWith('--host'))).toEqual([]);
  });

  test('without the demo\'s security contexts the chart\'s pods would not pass restricted: the values are what make it so', async () => {
    const bare = new Map(demoFiles);
    bare.set('apps/podinfo/values.yaml', 'replicaCount: 2\n');
    const deployment = (await render(bare, 'ipv6-east')).find((object) => object.kind === 'Deployment')!;
    expect(restrictedViolations(podSpecOf(deployment)!)).not.toEqual([]);
  });

  test('the migration fixture\'s per-cluster values reach each cluster\'s render', async () => {
    const files = renderFleet(fixtureFleet('services-migration'));
    for (const cluster of ['legacy-ipv4', 'ipv6-east']) {
      const deployment = (await render(files, cluster)).find((object) => object.kind === 'Deployment')!;
      expect(deployment.spec.template.spec.containers[0].env).toContainEqual({ name: 'PODINFO_UI_MESSAGE', value: cluster });
    }
  });
});

describe('a service on the ALBs', () => {
  test('its rollout peak is counted with Kubernetes\' 25%/25%, so it leaves the shared ALB at fewer replicas than a test app', () => {
    // GIVEN podinfo and app2 at 300 replicas each on ipv6-east
    const fleet = demoFleet((text) => setReplicas(text, 2, 300).replace('    replicas: 4\n    resources:', '    replicas: 300\n    resources:'));
    const files = renderFleet(fleet);
    const group = (app: string) => parseManifests(files.get(`apps/${app}/clusters/ipv6-east.yaml`)!).find((object) => object.kind === 'Ingress')!.metadata.annotations['alb.ingress.kubernetes.io/group.name'];
    // THEN podinfo's peak (300 + 75 surge + 150 draining = 525) passes the 500 a shared ALB takes of an app; app2's (300 + 15 + 30 = 345) does not
    expect(rolloutPeak(300, serviceRollingUpdate).pods).toBe(525);
    expect(group('podinfo')).toBe('own-podinfo');
    expect(group('app2')).toBe('shared-0');
  });

  test('loadBalancer: own gives a service an ALB of its own', () => {
    const files = renderFleet(demoFleet((text) => text.replace('    replicas: 4\n    resources:', '    replicas: 4\n    loadBalancer: own\n    resources:')));
    expect(parseManifests(files.get('apps/podinfo/clusters/ipv6-east.yaml')!)[0].metadata.annotations['alb.ingress.kubernetes.io/group.name']).toBe('own-podinfo');
  });
});
