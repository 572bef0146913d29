import { execFileSync } from 'child_process';
import { parseAllDocuments } from 'yaml';
import { argocdChart } from '../../catalog/addons';
import { renderFleet } from '../../app/render';
import { isManifestFile } from '../../catalog/dist-layout';
import { chartArchive, renderCharts, renderChartsByCluster } from '../../verify/chart-renders';
import { helmBinary, helmUnavailable } from '../../verify/helm';
import { argocdObjects, parseManifests, parseStream, renderedObjects } from '../../verify/rendered';
import { fixtureFleet, fixtureNames, largeFleetFixture } from '../support/fixtures';

// What `npm run check` does to stay within 30 s and 512 MiB at 3,000 apps on 72 clusters (docs/performance.md, "npm run check at
// scale"), each without checking less.
const unavailable = helmUnavailable();
const onCi = Boolean(process.env.CI) && process.env.CI !== 'false';
const describeHelm = unavailable && !onCi ? describe.skip : describe;
jest.setTimeout(120_000);

/** What the `yaml` package's document model reads: what the checks read before they read with js-yaml. */
const documentModel = (text: string) => parseAllDocuments(text).map((document) => document.toJS({ maxAliasCount: -1 })).filter((object) => object !== null);

describe('reading rendered YAML', () => {
  test.each(fixtureNames)('%s: every file of dist/ reads as the yaml document model reads it', (name) => {
    // GIVEN the fixture's render
    const files = renderFleet(fixtureFleet(name));
    for (const [file, text] of files) {
      if (!isManifestFile(file)) continue;
      // THEN js-yaml's core schema gives the same objects
      expect({ file, objects: parseManifests(text) }).toEqual({ file, objects: documentModel(text) });
    }
  });

  test('a stream is cut between documents only, so a "---" inside a block scalar stays in it', () => {
    const stream = 'a: 1\n---\nkind: ConfigMap\ndata:\n  page: |\n    ---\n    not a document\n--- \nb: 2\n';
    expect(parseStream(stream)).toEqual(documentModel(stream));
    expect(parseStream(stream)).toHaveLength(3);
  });

  test('a long document seen again is not parsed again: both streams share its objects', () => {
    // GIVEN a long document (a CRD) in two streams, beside documents of their own
    const crd = `---\nkind: CustomResourceDefinition\nmetadata:\n  name: big\nspec:\n  description: "${'x'.repeat(5000)}"\n`;
    const first = parseStream(`${crd}---\nkind: A\n`);
    const second = parseStream(`---\nkind: B\n${crd}`);
    // THEN the CRD is one object, the others are each stream's
    expect(first[0]).toBe(second[1]);
    expect(first.map((object) => object.kind)).toEqual(['CustomResourceDefinition', 'A']);
    expect(second.map((object) => object.kind)).toEqual(['B', 'CustomResourceDefinition']);
  });

  test('Argo CD\'s objects of a render are its Applications, ApplicationSets, AppProjects and Secrets, read once', () => {
    const files = renderFleet(fixtureFleet('demo'));
    const expected = renderedObjects(files).filter((object) => ['Application', 'ApplicationSet', 'AppProject', 'Secret'].includes(object.kind));
    expect(argocdObjects(files)).toEqual(expected);
    expect(argocdObjects(files)).toBe(argocdObjects(files));
  });
});

describeHelm('rendering the charts of many clusters', () => {
  test('a chart\'s render reads as the yaml document model reads it', () => {
    // GIVEN Argo CD's chart, the largest render (its CRDs), as helm prints it
    const output = execFileSync(helmBinary(), ['template', 'argocd', chartArchive(argocdChart.chart, argocdChart.version), '--include-crds'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    // THEN the stream reader gives the document model's objects
    expect(parseStream(output)).toEqual(documentModel(output));
  });

  test('clusters whose Applications ask for the same render share one helm run; the others render their own', async () => {
    // GIVEN 4 clusters, two of each IP family: cert-manager's values differ by IP family only
    const fleet = largeFleetFixture(8, 4);
    const renders = await renderCharts(fleet, renderFleet(fleet));
    const of = (chart: string, cluster: string) => renders.find((render) => render.chart === chart && render.cluster === cluster)!;
    // THEN the IPv6 clusters share cert-manager's objects, and the IPv4 clusters theirs
    expect(of('cert-manager', 'ipv6-01').objects).toBe(of('cert-manager', 'ipv6-03').objects);
    expect(of('cert-manager', 'ipv4-00').objects).toBe(of('cert-manager', 'ipv4-02').objects);
    expect(of('cert-manager', 'ipv4-00').objects).not.toBe(of('cert-manager', 'ipv6-01').objects);
    // AND a chart whose values name the cluster is rendered for each, its long CRD documents read once
    const lbc = [of('aws-load-balancer-controller', 'ipv6-01'), of('aws-load-balancer-controller', 'ipv6-03')];
    expect(lbc[0].objects).not.toBe(lbc[1].objects);
    const crd = (objects: readonly Record<string, any>[]) => objects.find((object) => object.kind === 'CustomResourceDefinition');
    expect(crd(lbc[0].objects)).toBeDefined();
    expect(crd(lbc[0].objects)).toBe(crd(lbc[1].objects));
  });

  test('the renders are handed over cluster by cluster, each cluster once with all its Applications', async () => {
    const fleet = largeFleetFixture(8, 4);
    const files = renderFleet(fleet);
    const all = await renderCharts(fleet, files);
    const visits: Array<{ clusters: string[]; applications: string[] }> = [];
    await renderChartsByCluster(fleet, files, (renders) => visits.push({ clusters: [...new Set(renders.map((render) => render.cluster))], applications: renders.map((render) => render.application) }));
    expect(visits.every((visit) => visit.clusters.length === 1)).toBe(true);
    expect(visits.map((visit) => visit.clusters[0]).sort()).toEqual([...new Set(all.map((render) => render.cluster))].sort());
    expect(visits.flatMap((visit) => visit.applications).sort()).toEqual(all.map((render) => render.application).sort());
  });
});
