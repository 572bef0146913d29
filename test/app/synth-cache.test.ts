import { spawnSync } from 'child_process';
import { lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { testAppInputs } from '../../charts/fleet';
import { parseFleet } from '../../config/load';
import { renderFleet, testAppPaths } from '../../app/render';
import { synthesize, SynthResult } from '../../app/synth';
import { outputMarker, writeDist } from '../../output/write-dist';
import { largeFleetYaml } from '../fixtures/large-fleet';
import { folderState } from '../support/dist-state';
import { demoFleetText, fixtureNames, fixturePath, fixtureText, projectRoot, runSynth, setReplicas, writeTempFleet } from '../support/fixtures';

jest.setTimeout(60_000);

const newOutdir = () => join(mkdtempSync(join(tmpdir(), 'fleet-out-')), 'dist');

/** A synth in this process of `text` into `outdir`, by the code of version `generator`. */
function synth(outdir: string, text: string, generator = 'v1'): Promise<SynthResult> {
  return synthesize({ configFile: writeTempFleet(text), outdir }, { generator });
}

/** The texts of an output folder. */
function texts(outdir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(folderState(outdir)).map(([path, { text }]) => [path, text]));
}

/** The texts a fresh synth of `text` writes, into a folder of its own. */
function freshRender(text: string): Record<string, string> {
  const outdir = newOutdir();
  writeDist(outdir, renderFleet(parseFleet(text)));
  return texts(outdir);
}

const appNames = (text: string) => parseFleet(text).apps.map((app) => app.name);

/** 24 apps on 8 clusters: app<n> is on the IPv6 cluster n % 4 (ipv6-01, -03, -05, -07). */
const largeFleet = largeFleetYaml(24, 8);
const appsOn = (cluster: string) => parseFleet(largeFleet).apps.filter((app) => app.placements.some((placement) => placement.cluster === cluster)).map((app) => app.name);

describe('synth renders only the test apps that changed', () => {
  test('a second synth of the same fleet renders no test app, and changes nothing', async () => {
    // GIVEN a dist/ synth wrote
    const outdir = newOutdir();
    const first = await synth(outdir, demoFleetText);
    const state = folderState(outdir);
    // WHEN it runs again
    const second = await synth(outdir, demoFleetText);
    // THEN the first rendered every app, the second none, and not a file was touched
    expect(first.renderedApps).toEqual(['app0', 'app1', 'app2']);
    expect(second.renderedApps).toEqual([]);
    expect(second.unchanged).toBe(first.added.length);
    expect(folderState(outdir)).toEqual(state);
  });

  test('scaling one app renders that app alone', async () => {
    const outdir = newOutdir();
    await synth(outdir, demoFleetText);
    const result = await synth(outdir, setReplicas(demoFleetText, 2, 10_000));
    expect(result.renderedApps).toEqual(['app2']);
    expect(result.changed).toEqual(['apps/app2/app.yaml']);
    expect(result.clusterChanges).toEqual(['ipv6-east: scales app2 5 -> 10,000 (+9,995 pods); 15 -> 10,010 pods']);
  });

  test('a change of the code renders every app again', async () => {
    const outdir = newOutdir();
    await synth(outdir, demoFleetText, 'v1');
    const result = await synth(outdir, demoFleetText, 'v2');
    expect(result.renderedApps).toEqual(['app0', 'app1', 'app2']);
    expect(result.unchanged).toBe(Object.keys(freshRender(demoFleetText)).length - 1);
  });

  test('a change of the domain renders every app again; a change of the repository none, and its files all the same', async () => {
    // GIVEN a dist/ of the large fleet
    const outdir = newOutdir();
    await synth(outdir, largeFleet);
    // WHEN the domain changes THEN every app is rendered and its per-cluster file (the Ingress host) rewritten
    const domain = largeFleet.replace('domain: apps.example.com', 'domain: apps.example.org');
    const moved = await synth(outdir, domain);
    expect(moved.renderedApps).toEqual(appNames(largeFleet));
    expect(moved.changed.filter((path) => path.startsWith('apps/'))).toEqual(moved.changed.filter((path) => /^apps\/[^/]+\/clusters\//.test(path)));
    expect(moved.changed.filter((path) => path.startsWith('apps/'))).toHaveLength(24);
    // WHEN the repository changes THEN no app is rendered, and the Argo CD files that name it are rewritten
    const repo = domain.replace('example-org/eks-ipv6-gitops.git', 'example-org/fleet.git');
    const elsewhere = await synth(outdir, repo);
    expect(elsewhere.renderedApps).toEqual([]);
    expect(elsewhere.changed).toContain('argocd/apps/ipv6-01.yaml');
    expect(elsewhere.changed.filter((path) => path.startsWith('apps/'))).toEqual([]);
    expect(texts(outdir)).toEqual(freshRender(repo));
  });

  test('a change of a cluster renders the apps placed on it, and only those', async () => {
    // GIVEN a dist/ of the large fleet
    const outdir = newOutdir();
    await synth(outdir, largeFleet);
    // WHEN one cluster's node group grows
    const grown = largeFleet.replace(/( {2}- name: ipv6-03\n(?: {4}.*\n)*? {6}- \{ name: default, instanceType: m5\.large, minSize: 3, maxSize: )200/, '$1300');
    expect(grown).not.toBe(largeFleet);
    const result = await synth(outdir, grown);
    // THEN the apps placed on it are rendered again (their files are the same), no other
    expect(result.renderedApps).toEqual(appsOn('ipv6-03'));
    expect(result.renderedApps).toHaveLength(6);
    expect(result.changed.filter((path) => path.startsWith('apps/'))).toEqual([]);
  });

  test('moving an app renders it, and both clusters say so', async () => {
    const outdir = newOutdir();
    await synth(outdir, largeFleet);
    const moved = largeFleet.replace(/( {2}- name: app3\n(?: {4}.*\n)*? {4}clusters: )\[ipv6-07\]/, '$1[ipv6-01]');
    expect(moved).not.toBe(largeFleet);
    const result = await synth(outdir, moved);
    expect(result.renderedApps).toEqual(['app3']);
    expect(result.added).toEqual(['apps/app3/clusters/ipv6-01.yaml']);
    expect(result.removed).toEqual(['apps/app3/clusters/ipv6-07.yaml']);
    expect(result.clusterChanges).toEqual([expect.stringMatching(/^ipv6-01: adds app3 \(\+5 pods\); 30 -> 35 pods$/), expect.stringMatching(/^ipv6-07: removes app3 \(-5 pods\); 30 -> 25 pods$/)]);
    expect(texts(outdir)).toEqual(freshRender(moved));
  });
});

describe('a file of dist/ changed by anyone but synth is found and written again', () => {
  test('an edit that keeps the file\'s size and modification time', async () => {
    // GIVEN a dist/ synth wrote, and app1's shared file edited to the same size, its mtime put back
    const outdir = newOutdir();
    await synth(outdir, demoFleetText);
    const file = join(outdir, 'apps/app1/app.yaml');
    const { atime, mtime } = statSync(file);
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('replicas: 5', 'replicas: 6'));
    utimesSync(file, atime, mtime);
    // WHEN synth runs on the same fleet
    const result = await synth(outdir, demoFleetText);
    // THEN it rendered app1, found the edit and put the file back
    expect(result.renderedApps).toEqual(['app1']);
    expect(result.changed).toEqual(['apps/app1/app.yaml']);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  test('a deleted file, and a file replaced by a copy of itself', async () => {
    const outdir = newOutdir();
    await synth(outdir, demoFleetText);
    const state = texts(outdir);
    rmSync(join(outdir, 'apps/app0/clusters/ipv6-east.yaml'));
    const copied = join(outdir, 'apps/app2/app.yaml');
    const text = readFileSync(copied, 'utf8');
    rmSync(copied);
    writeFileSync(copied, text);
    const result = await synth(outdir, demoFleetText);
    expect(result.renderedApps).toEqual(['app0', 'app2']);
    expect(result.added).toEqual(['apps/app0/clusters/ipv6-east.yaml']);
    expect(result.changed).toEqual([]);
    expect(texts(outdir)).toEqual(state);
  });

  test('a file replaced by a link to an identical one is refused, as every link is', async () => {
    const outdir = newOutdir();
    await synth(outdir, setReplicas(demoFleetText, 0, 7));
    const file = join(outdir, 'apps/app0/app.yaml');
    const outside = join(mkdtempSync(join(tmpdir(), 'fleet-outside-')), 'app.yaml');
    writeFileSync(outside, readFileSync(file, 'utf8'));
    rmSync(file);
    symlinkSync(outside, file);
    await expect(synth(outdir, setReplicas(demoFleetText, 0, 7))).rejects.toThrow(/apps\/app0\/app\.yaml in the output folder is a symbolic link/);
  });
});

describe('what synth writes does not depend on what it remembers', () => {
  /** Edits of a fleet, each applied to the one before. */
  const edits: Array<[string, (text: string) => string]> = [
    ['scale the first app', (text) => text.replace(/replicas: \d+/, 'replicas: 9')],
    ['recolour every app', (text) => text.replace(/backgroundColor: \w+/g, 'backgroundColor: teal')],
    ['change the domain', (text) => text.replace(/^domain: .*$/m, 'domain: fleet.example.net')],
    ['remove the last app', (text) => text.replace(/\n {2}- (?:\{ )?name: [^\n]*(?:\n {4}[^\n]*)*\n?$/, '\n')],
  ];

  test.each([...fixtureNames.map((name) => [name, fixtureText(name)]), ['a fleet of 237 apps on 8 clusters', largeFleetYaml(237, 8)]])(
    '%s: after every edit, dist/ is byte for byte a fresh render of it',
    async (_, fixture) => {
      const outdir = newOutdir();
      let text = fixture;
      await synth(outdir, text);
      for (const [, edit] of edits) {
        const edited = edit(text);
        text = appNames(edited).length ? edited : text;
        await synth(outdir, text);
        expect(texts(outdir)).toEqual(freshRender(text));
      }
    },
  );

  test('a cache synth did not write is checked, not believed', async () => {
    // GIVEN a dist/ whose cache beside it claims every app's files hold another render
    const outdir = newOutdir();
    const scaled = setReplicas(demoFleetText, 1, 8);
    await synth(outdir, scaled);
    const cache = join(outdir, '..', '.dist.cache');
    const planted = readFileSync(cache, 'utf8');
    await synth(outdir, demoFleetText);
    writeFileSync(cache, planted);
    // WHEN synth renders the scaled fleet THEN app1 is found out and written
    const result = await synth(outdir, scaled);
    expect(result.changed).toEqual(['apps/app1/app.yaml']);
    expect(texts(outdir)).toEqual(freshRender(scaled));
    // AND a cache that is garbage, or a link, means every app is rendered, and the link is replaced, not written through
    writeFileSync(cache, 'garbage\n\u0000\t\t\n');
    expect((await synth(outdir, scaled)).renderedApps).toEqual(['app0', 'app1', 'app2']);
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'fleet-outside-')), 'cache');
    writeFileSync(elsewhere, planted);
    rmSync(cache);
    symlinkSync(elsewhere, cache);
    expect((await synth(outdir, scaled)).renderedApps).toEqual(['app0', 'app1', 'app2']);
    expect(readFileSync(elsewhere, 'utf8')).toBe(planted);
    expect(lstatSync(cache).isFile()).toBe(true);
  });

  test('the files an app renders are the ones the cache is asked about', () => {
    for (const text of [demoFleetText, fixtureText('migration'), largeFleet]) {
      const fleet = parseFleet(text);
      const rendered = [...renderFleet(fleet, testAppInputs(fleet)).keys()].filter((path) => path.startsWith('apps/'));
      expect(fleet.apps.flatMap(testAppPaths).sort()).toEqual(rendered.sort());
    }
  });

  test('the marker still lists every file when apps are left as they were', async () => {
    const outdir = newOutdir();
    await synth(outdir, demoFleetText);
    await synth(outdir, setReplicas(demoFleetText, 0, 3));
    expect(readFileSync(join(outdir, outputMarker), 'utf8')).toBe(freshRender(setReplicas(demoFleetText, 0, 3))[outputMarker]);
  });
});

describe('npm run synth', () => {
  test('a change of the bundle renders every app again', () => {
    // GIVEN a dist/ written by the bundle
    const outdir = newOutdir();
    expect(runSynth({ CDK8S_OUTDIR: outdir }).status).toBe(0);
    const cache = join(outdir, '..', '.dist.cache');
    const before = readFileSync(cache, 'utf8');
    expect(runSynth({ CDK8S_OUTDIR: outdir }).status).toBe(0);
    expect(readFileSync(cache, 'utf8')).toBe(before);
    // WHEN another bundle (the same code and a comment more) writes it
    const bundle = join(mkdtempSync(join(tmpdir(), 'fleet-bundle-')), 'main.js');
    writeFileSync(bundle, `${readFileSync(join(projectRoot, '.build', 'main.js'), 'utf8')}\n// another version\n`);
    const result = spawnSync(process.execPath, [bundle], { env: { ...process.env, FLEET_CONFIG: fixturePath('demo'), CDK8S_OUTDIR: outdir }, encoding: 'utf8' });
    // THEN it changes no file, but every app's fingerprint
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/: 0 added, 0 changed, 0 removed, \d+ unchanged files/);
    const fingerprints = (text: string) => text.split('\n').slice(1, -1).map((line) => line.split('\t').slice(0, 2));
    const [old, now] = [fingerprints(before), fingerprints(readFileSync(cache, 'utf8'))];
    expect(now.map(([app]) => app)).toEqual(['app0', 'app1', 'app2']);
    for (const [index, [, fingerprint]] of now.entries()) expect(fingerprint).not.toBe(old[index][1]);
  });
});
