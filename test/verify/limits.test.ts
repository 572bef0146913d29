import { buildFleetInSlices, renderFleet } from '../../app/render';
import { synthesize } from '../../app/synth';
import { Fleet } from '../../config/fleet';
import { expandApplicationSet } from '../../diff/applicationset';
import { parseFleet } from '../../config/load';
import { maxAnnotationBytes, maxObjectBytes, ObjectLimitError, objectLimitProblems } from '../../verify/limits';
import { writeDist } from '../../output/write-dist';
import { folderState } from '../support/dist-state';
import { demoFleetText, scratchDist, writeTempFleet } from '../support/fixtures';

/** The demo fleet with `count` more apps, all on ipv6-east, named `prefix<n>`. */
function withAppsOnOneCluster(count: number, prefix = 'svc'): string {
  const apps = Array.from({ length: count }, (_, index) =>
    `  - { name: ${prefix}${index}, backgroundColor: green, containerPort: 8080, replicas: 1, clusters: [ipv6-east] }`);
  return `${demoFleetText}${apps.join('\n')}\n`;
}

const jsonBytes = (object: unknown) => Buffer.byteLength(JSON.stringify(object));

/** Every object synth renders for a fleet, as JSON, with its file. */
function objectsOf(fleet: Fleet): Array<{ file: string; object: Record<string, any> }> {
  const objects: Array<{ file: string; object: Record<string, any> }> = [];
  buildFleetInSlices(fleet, (contents) => {
    for (const content of contents) if ('objects' in content) objects.push(...content.objects.map((object) => ({ file: content.path, object })));
  });
  return objects;
}

describe('objectLimitProblems', () => {
  const configMap = (data: Record<string, string>, metadata: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'x', ...metadata }, data });

  test('refuses an object over 1 MiB of JSON, and only measures it when its file could hold one', () => {
    const big = configMap({ page: 'x'.repeat(maxObjectBytes) });
    expect(objectLimitProblems(big)).toEqual([expect.stringMatching(/^ConfigMap x\/big is 1\.00 MiB of JSON: the API server stores objects of up to 1\.5 MiB/)]);
    expect(objectLimitProblems(big, 1000)).toEqual([]);
  });

  test('refuses annotations over 256 KiB in all', () => {
    const annotated = configMap({}, { annotations: { a: 'x'.repeat(maxAnnotationBytes / 2), b: 'y'.repeat(maxAnnotationBytes / 2) } });
    expect(objectLimitProblems(annotated)).toEqual(['ConfigMap x/big: its annotations take 257 KiB, over the API server\'s 256 KiB']);
  });

  test('refuses names and labels the API server would', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's'.repeat(64), labels: { 'fleet/app': 'v'.repeat(64), 'bad key!': 'x' } } };
    expect(objectLimitProblems(service)).toEqual([
      `Service ${'s'.repeat(64)}: metadata.name is not a valid name for a Service (a DNS label of at most 63 characters)`,
      `Service ${'s'.repeat(64)}: label fleet/app has the value "${'v'.repeat(64)}": a label value is at most 63 letters, digits, "-", "_" or "."`,
      `Service ${'s'.repeat(64)}: label key "bad key!" is not a valid label key`,
    ]);
  });
});

describe('every rendered object stays far under the API server\'s limits', () => {
  test('with 3,000 apps on one IPv6 cluster, the largest object is under a quarter of the limit', () => {
    // GIVEN 3,000 apps on ipv6-east: its project lists 3,003 destinations, its ApplicationSet 3,003 elements
    const objects = objectsOf(parseFleet(withAppsOnOneCluster(3000)));
    // WHEN every object is measured
    const sizes = objects.map(({ file, object }) => ({ file, kind: object.kind, bytes: jsonBytes(object) }));
    const largest = sizes.reduce((a, b) => (a.bytes > b.bytes ? a : b));
    // THEN the largest (the cluster's test apps) is far under 1 MiB, and every object passes every limit
    expect(largest.file).toBe('argocd/apps/ipv6-east.yaml');
    expect(largest.bytes).toBeLessThan(maxObjectBytes / 4);
    expect(objects.flatMap(({ object }) => objectLimitProblems(object))).toEqual([]);
  });

  test('with 3,000 services on one IPv6 cluster, of the longest names, half of them git services each from a repository of its own, its objects and the Applications Argo CD generates pass every limit', () => {
    // GIVEN 1,500 chart services from 15 Helm repositories and 1,500 git services each from its own repository, all with 40-character names, on ipv6-east
    const long = (index: number) => `s${String(index).padStart(5, '0')}${'x'.repeat(33)}z`;
    const services = Array.from({ length: 1500 }, (_, index) => [
      `  - { name: ${long(index)}, source: { chart: { repoURL: https://charts-${index % 15}.example-org.example.com/stable, name: ${'c'.repeat(40)}, version: 10.100.1000-rc.${index} } }, expose: { service: ${long(index)}, port: 8080, healthCheckPath: /healthz }, replicas: 1, clusters: [ipv6-east], clusterResources: [{ group: rbac.authorization.k8s.io, kind: ClusterRole }] }`,
      `  - { name: g${long(index).slice(1)}, source: { git: { repoURL: https://github.com/example-org/${long(index)}.git, revision: ${index.toString(16).padStart(40, 'a')}, path: deploy/overlays/production-us-east-2 } }, expose: { service: web, port: 8080 }, replicas: 1, clusters: [ipv6-east] }`,
    ].join('\n'));
    const fleet = parseFleet(`${demoFleetText}${services.join('\n')}\n`);
    // WHEN every object is measured, and the Applications the ApplicationSets generate
    const objects = objectsOf(fleet);
    const appFile = objects.filter(({ file }) => file === 'argocd/apps/ipv6-east.yaml');
    // THEN the project and each ApplicationSet stay under the project's 1 MiB; every object and every Application passes every limit
    expect(appFile.map(({ object }) => `${object.kind}/${object.metadata.name}`)).toEqual(['AppProject/fleet-apps-ipv6-east', 'ApplicationSet/test-apps-ipv6-east', 'AppProject/fleet-services-ipv6-east', 'ApplicationSet/services-platform-ipv6-east', 'ApplicationSet/services-charts-ipv6-east', 'ApplicationSet/services-git-ipv6-east']);
    for (const { object } of appFile) expect([object.metadata.name, jsonBytes(object) < maxObjectBytes * 0.75]).toEqual([object.metadata.name, true]);
    expect(objects.flatMap(({ object }) => objectLimitProblems(object))).toEqual([]);
    const applications = appFile.filter(({ object }) => object.kind === 'ApplicationSet').flatMap(({ object }) => expandApplicationSet(object, []));
    expect(applications).toHaveLength(3 + 2 * (1 + 3000)); // the test apps; podinfo and the 3,000, each a source and a platform Application
    expect(applications.flatMap((application) => objectLimitProblems(application))).toEqual([]);
  });

  test('3,000 services each from a repository of its own at the longest URL fleet.yaml allows: no project grows with them (each service has its own), the cluster\'s git ApplicationSet does and synth refuses it, naming the object', () => {
    const services = Array.from({ length: 3000 }, (_, index) =>
      `  - { name: s${index}, source: { git: { repoURL: https://github.com/example-org/${String(index).padStart(5, '0')}${'r'.repeat(460)}.git, revision: v1.0.0, path: deploy } }, expose: { service: web, port: 8080 }, replicas: 1, clusters: [ipv6-east] }`);
    const fleet = parseFleet(`${demoFleetText}${services.join('\n')}\n`);
    expect(() => objectsOf(fleet)).toThrow(/^argocd\/apps\/ipv6-east\.yaml: ApplicationSet argocd\/services-git-ipv6-east is \d\.\d\d MiB of JSON[^\n]*$/);
  });

  test('a test app\'s objects at the longest names, colour and domain fleet.yaml allows stay small', () => {
    // GIVEN a 40-character app name, the longest colour form and a 200-character domain
    const name = `a${'b'.repeat(38)}c`;
    const domain = `${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(63)}.example.com`.slice(-200);
    const text = withAppsOnOneCluster(0)
      .replace('domain: apps.example.com', `domain: ${domain.replace(/^\./, 'x')}`)
      .replace('  - name: app0\n    backgroundColor: yellow', `  - name: ${name}\n    backgroundColor: "hsla(359.999, 100.999%, 100.999%, 0.999)"`);
    const objects = objectsOf(parseFleet(text)).filter(({ file }) => file.startsWith(`apps/${name}/`));
    expect(objects.length).toBeGreaterThan(5);
    // THEN each is under 16 KiB: synth need not measure them (app/render.ts)
    for (const { object } of objects) expect([object.kind, jsonBytes(object) < 16 * 1024]).toEqual([object.kind, true]);
  });
});

describe('synth refuses a fleet whose objects the API server would refuse', () => {
  test('an ApplicationSet over 1 MiB: an error naming the file, the object and the limit; dist/ untouched', async () => {
    // GIVEN 3,000 git services each from a repository at the longest URL fleet.yaml allows, on ipv6-east: ~1.6 MB of elements
    const services = Array.from({ length: 3000 }, (_, index) =>
      `  - { name: s${index}, source: { git: { repoURL: https://github.com/example-org/${String(index).padStart(5, '0')}${'r'.repeat(460)}.git, revision: v1.0.0, path: deploy } }, expose: { service: web, port: 8080 }, replicas: 1, clusters: [ipv6-east] }`);
    const outdir = scratchDist();
    writeDist(outdir, renderFleet(parseFleet(demoFleetText)));
    const before = folderState(outdir);
    // WHEN synth runs
    const result = synthesize({ configFile: writeTempFleet(`${demoFleetText}${services.join('\n')}\n`), outdir });
    // THEN it fails before writing anything
    await expect(result).rejects.toThrow(ObjectLimitError);
    await expect(result).rejects.toThrow(/^argocd\/apps\/ipv6-east\.yaml: ApplicationSet argocd\/services-git-ipv6-east is 1\.\d\d MiB of JSON/m);
    expect(folderState(outdir)).toEqual(before);
  }, 60_000);

  test('no AppProject grows with the apps of a cluster: 3,000 more leave the cluster\'s projects as they were', () => {
    const projects = (fleet: Fleet) => objectsOf(fleet).filter(({ object }) => object.kind === 'AppProject' && object.metadata.name.endsWith('-ipv6-east')).map(({ object }) => jsonBytes(object));
    expect(projects(parseFleet(withAppsOnOneCluster(3000)))).toEqual(projects(parseFleet(demoFleetText)));
  });
});
