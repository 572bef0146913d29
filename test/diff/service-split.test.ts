import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { renderFleet } from '../../app/render';
import { synthesize } from '../../app/synth';
import { distLayout } from '../../catalog/dist-layout';
import { serviceSplitWarnings } from '../../diff/service-split';
import { demoFleet, demoFleetText } from '../support/fixtures';

const clusterFile = distLayout.clusterApps('ipv6-east');

/**
 * The demo's ipv6-east file as the generator rendered it when one Application held a service's source and its app
 * folder: the app folder a third source of services-charts-ipv6-east's template, and no services-platform-ipv6-east.
 */
function singleApplicationLayout(text: string): string {
  const documents = parseAllDocuments(text).map((document) => document.toJS());
  const platform = documents.find((object) => object.metadata.name === 'services-platform-ipv6-east');
  expect(platform).toBeDefined();
  return documents.filter((object) => object !== platform).map((object) => {
    if (object.metadata.name === 'services-charts-ipv6-east') object.spec.template.spec.sources.push(platform.spec.template.spec.source);
    return stringify(object);
  }).join('---\n');
}

describe('services placed when one Application held their source and their Namespace', () => {
  const now = renderFleet(demoFleet()).get(clusterFile)!;
  const before = singleApplicationLayout(now);

  test('moving them to two Applications is a warning per cluster, with what to annotate first', () => {
    expect(serviceSplitWarnings(new Map([[clusterFile, before]]), () => now)).toEqual([
      'ipv6-east: the Namespace and Ingress of podinfo move from <app>-ipv6-east to the Applications <app>-ipv6-east-platform; if <app>-ipv6-east syncs first it prunes them, '
      + 'and the Namespace takes the service with it. Before this change syncs, on ipv6-east, for each of them: kubectl annotate namespace podinfo argocd.argoproj.io/sync-options=Prune=false '
      + '&& kubectl -n podinfo annotate ingress podinfo argocd.argoproj.io/sync-options=Prune=false (docs/services.md, "Services placed before the split")',
    ]);
  });

  test('not once they have two, nor for a cluster that had no services', () => {
    expect(serviceSplitWarnings(new Map([[clusterFile, now]]), () => now)).toEqual([]);
    expect(serviceSplitWarnings(new Map([[clusterFile, undefined]]), () => now)).toEqual([]);
    expect(serviceSplitWarnings(new Map([[clusterFile, before]]), () => before)).toEqual([]);
  });

  test('synth warns when it rewrites such a file', async () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'split-')), 'dist');
    const configFile = join(outdir, '..', 'fleet.yaml');
    writeFileSync(configFile, demoFleetText);
    await synthesize({ configFile, outdir });
    writeFileSync(join(outdir, clusterFile), `# Generated from fleet.yaml by \`npm run synth\`: edit fleet.yaml, not this file.\n${before}`);
    const { warnings } = await synthesize({ configFile, outdir });
    expect(warnings.filter((warning) => warning.includes('-platform'))).toEqual([expect.stringMatching(/^ipv6-east: the Namespace and Ingress of podinfo move/)]);
  });
});
