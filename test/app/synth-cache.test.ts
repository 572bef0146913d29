import { spawnSync } from 'child_process';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { appInputs } from '../../charts/fleet';
import { parseFleet } from '../../config/load';
import { bundleVersion, appFingerprint } from '../../app/fingerprint';
import { renderFleet, appPaths } from '../../app/render';
import { synthesize, SynthResult } from '../../app/synth';
import { DistWrite, outputMarker, Stager, writeDist, WriteSummary } from '../../output/write-dist';
import { largeFleetYaml } from '../fixtures/large-fleet';
import { folderState } from '../support/dist-state';
import { demoFleetText, fixtureNames, fixturePath, fixtureText, projectRoot, runSynth, setReplicas, writeTempFleet } from '../support/fixtures';

jest.setTimeout(60_000);

const newOutdir = () => join(mkdtempSync(join(tmpdir(), 'fleet-out-')), 'dist');

/** When the last synth of these tests ended. */
let lastSynthEnded = 0;

/**
 * Waits until 60 ms have passed since the last synth ended: a file is remembered only if it last
 * changed in an earlier tick of the file system's clock than the synth that compares it began
 * (RenderCache), and a person's next synth comes later than that.
 */
async function settle(): Promise<void> {
  const wait = lastSynthEnded + 60 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/** A synth in this process of `text` into `outdir`, by the code of version `generator`, once the last one's files have settled. */
async function synth(outdir: string, text: string, generator = 'v1'): Promise<SynthResult> {
  await settle();
  try {
    return await synthesize({ configFile: writeTempFleet(text), outdir }, { generator });
  } finally {
    lastSynthEnded = Date.now();
  }
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

/**
 * A dist/ of `text` that synth remembers whole: the first synth writes it, and remembers none
 * of the files it wrote; a second one compares them and remembers them. Returns the two
 * synths' results.
 */
async function remembered(outdir: string, text: string, generator?: string): Promise<[SynthResult, SynthResult]> {
  return [await synth(outdir, text, generator), await synth(outdir, text, generator)];
}

/** Waits `ms` milliseconds. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A dist/ of `text` written long ago that synth does not remember (a fresh clone): every app is compared. */
async function forgotten(outdir: string, text: string): Promise<void> {
  await remembered(outdir, text);
  rmSync(join(outdir, '..', '.dist.cache'));
  await pause(60);
}

/**
 * A synth of `text` whose commit runs through `through`, given the real commit: to act on dist/
 * just before or just after it, as another program would while synth runs.
 */
async function synthCommittingThrough(outdir: string, text: string, through: (commit: () => WriteSummary) => WriteSummary): Promise<SynthResult> {
  const commit = DistWrite.prototype.commit;
  const during = jest.spyOn(DistWrite.prototype, 'commit').mockImplementation(function (this: DistWrite, staged) {
    return through(() => commit.call(this, staged));
  });
  try {
    return await synth(outdir, text);
  } finally {
    during.mockRestore();
  }
}

const appNames = (text: string) => parseFleet(text).apps.map((app) => app.name);

/** 24 apps on 8 clusters: app<n> is on the IPv6 cluster n % 4 (ipv6-01, -03, -05, -07). */
// Existing clusters only: a test turns an IPv6 one into an IPv4 one, which a created VPC's layout would not follow.
const largeFleet = largeFleetYaml(24, 8, { createdVpcs: false });
const appsOn = (cluster: string) => parseFleet(largeFleet).apps.filter((app) => app.placements.some((placement) => placement.cluster === cluster)).map((app) => app.name);

describe('synth renders only the test apps that changed', () => {
  test('a synth of the same fleet renders no test app once synth remembers its files, and changes nothing', async () => {
    // GIVEN a dist/ synth wrote, then compared (a synth remembers none of the files it writes)
    const outdir = newOutdir();
    const [first, second] = await remembered(outdir, demoFleetText);
    const state = folderState(outdir);
    // WHEN it runs again
    const third = await synth(outdir, demoFleetText);
    // THEN the first rendered every app, the second too (and changed nothing), the third none, and not a file was touched
    expect(first.renderedApps).toEqual(['app0', 'app1', 'app2', 'podinfo']);
    expect(second.renderedApps).toEqual(['app0', 'app1', 'app2', 'podinfo']);
    expect([second.added, second.changed, second.removed]).toEqual([[], [], []]);
    expect(third.renderedApps).toEqual([]);
    expect(third.unchanged).toBe(first.added.length);
    expect(folderState(outdir)).toEqual(state);
  });

  test('an app on several clusters, placed in another order than their names, is remembered too', async () => {
    // (app0 of the migration fleet runs on legacy-ipv4 and ipv6-east, in that order)
    const outdir = newOutdir();
    await remembered(outdir, fixtureText('migration'));
    expect((await synth(outdir, fixtureText('migration'))).renderedApps).toEqual([]);
  });

  test('scaling one app renders that app alone', async () => {
    const outdir = newOutdir();
    await remembered(outdir, demoFleetText);
    const result = await synth(outdir, setReplicas(demoFleetText, 2, 10_000));
    expect(result.renderedApps).toEqual(['app2']);
    // At 10,000 replicas app2's targets leave the shared ALB for one of its own (config/load-balancer-groups.ts).
    expect(result.changed).toEqual(['apps/app2/app.yaml', 'apps/app2/clusters/ipv6-east.yaml']);
    expect(result.clusterChanges).toEqual(['ipv6-east: scales app2 5 -> 10,000 (+9,995 pods); 19 -> 10,014 pods', 'ipv6-east: ALBs 1 -> 2: adds own-app2 (app2); app2 moves from ALB shared-0 to ALB own-app2']);
  });

  test('a change of the code renders every app again', async () => {
    const outdir = newOutdir();
    await remembered(outdir, demoFleetText, 'v1');
    const result = await synth(outdir, demoFleetText, 'v2');
    expect(result.renderedApps).toEqual(['app0', 'app1', 'app2', 'podinfo']);
    expect(result.unchanged).toBe(Object.keys(freshRender(demoFleetText)).length - 1);
  });

  test('a change of the domain renders every app again; a change of the repository none, and its files all the same', async () => {
    // GIVEN a dist/ of the large fleet
    const outdir = newOutdir();
    await remembered(outdir, largeFleet);
    // WHEN the domain changes THEN every app is rendered and its per-cluster file (the Ingress host) rewritten
    const domain = largeFleet.replace('domain: apps.example.com', 'domain: apps.example.org');
    const [moved] = await remembered(outdir, domain);
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

  test("a change of what a cluster's apps read of it renders the apps placed on it, and only those; a change of anything else none", async () => {
    // GIVEN a dist/ of the large fleet
    const outdir = newOutdir();
    await remembered(outdir, largeFleet);
    const ipv603 = /( {2}- name: ipv6-03\n(?: {4}.*\n| {6}.*\n)*?)(?= {2}- name:)/;
    // WHEN one cluster's node group grows
    const grown = largeFleet.replace(ipv603, (block) => block.replace(/maxSize: 200/, 'maxSize: 300'));
    expect(grown).not.toBe(largeFleet);
    // THEN no app is rendered again: their files read nothing of it
    const [resized] = await remembered(outdir, grown);
    expect(resized.renderedApps).toEqual([]);
    expect(resized.changed.filter((path) => path.startsWith('apps/'))).toEqual([]);
    // WHEN the cluster becomes an IPv4 one
    const ipv4 = grown.replace(ipv603, (block) => block
      .replace('ipFamily: ipv6', 'ipFamily: ipv4')
      .replace(/2600:1f16:3:(\d)::\/64/g, (_, subnet) => `10.3.${Number(subnet) * 4}.0/22`)
      .replace(/ {4}ipv4Subnets: .*\n/, ''));
    expect(ipv4).toContain('ipFamily: ipv4\n    kubernetesVersion: "1.35"\n    server: https://00000000000000000000000000000003.');
    const result = await synth(outdir, ipv4);
    // THEN the apps placed on it are rendered again, their per-cluster files rewritten (the Service's family), no other
    expect(result.renderedApps).toEqual(appsOn('ipv6-03'));
    expect(result.renderedApps).toHaveLength(6);
    expect(result.changed.filter((path) => path.startsWith('apps/')).sort()).toEqual(appsOn('ipv6-03').map((app) => `apps/${app}/clusters/ipv6-03.yaml`).sort());
    expect(texts(outdir)).toEqual(freshRender(ipv4));
  });

  test('moving an app renders it, and both clusters say so', async () => {
    const outdir = newOutdir();
    await remembered(outdir, largeFleet);
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
    await remembered(outdir, demoFleetText);
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
    await remembered(outdir, demoFleetText);
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

  test('a file edited while synth runs, after synth compared it, is written again by the next synth', async () => {
    // GIVEN a dist/ synth wrote long ago, and no memory of it (a fresh clone): every app is compared
    const outdir = newOutdir();
    await forgotten(outdir, demoFleetText);
    const file = join(outdir, 'apps/app1/app.yaml');
    const original = readFileSync(file, 'utf8');
    // WHEN someone edits app1's file while synth runs, once synth has compared it (an editor saving, a git pull)
    await synthCommittingThrough(outdir, demoFleetText, (commit) => {
      writeFileSync(file, `${original}# edited while synth ran\n`);
      return commit();
    });
    // THEN that synth did not remember the edited file as its own: the next one renders app1, finds the edit and puts the file back
    const next = await synth(outdir, demoFleetText);
    expect(next.renderedApps).toContain('app1');
    expect(next.changed).toEqual(['apps/app1/app.yaml']);
    expect(texts(outdir)).toEqual(freshRender(demoFleetText));
  });

  test('a file synth wrote, replaced at once by an older copy (mv keeps its times), is written again by the next synth', async () => {
    // GIVEN a dist/ synth remembers, and an older copy of app0's file with an edit
    const outdir = newOutdir();
    await remembered(outdir, demoFleetText);
    const file = join(outdir, 'apps/app0/app.yaml');
    const older = join(outdir, '..', 'app0-older.yaml');
    writeFileSync(older, `${readFileSync(file, 'utf8')}# an older copy\n`);
    await pause(60);
    // WHEN a synth writes app0's file, and just after its commit the older copy is moved in over it
    const scaled = setReplicas(demoFleetText, 0, 7);
    const written = await synthCommittingThrough(outdir, scaled, (commit) => {
      const summary = commit();
      renameSync(older, file);
      return summary;
    });
    expect(written.changed).toEqual(['apps/app0/app.yaml']);
    // THEN the next synth renders app0 again, finds the copy and puts its file back
    const next = await synth(outdir, scaled);
    expect(next.renderedApps).toEqual(['app0']);
    expect(next.changed).toEqual(['apps/app0/app.yaml']);
    expect(texts(outdir)).toEqual(freshRender(scaled));
  });

  test("an app's folder swapped for an older copy while synth runs (a rename keeps every file's times) is written again by the next synth", async () => {
    // GIVEN a dist/ synth wrote long ago, an edited copy of app1's folder with the same times, and no memory (every app is compared)
    const outdir = newOutdir();
    await remembered(outdir, demoFleetText);
    const folder = join(outdir, 'apps/app1');
    const copy = join(outdir, '..', 'app1-copy');
    cpSync(folder, copy, { recursive: true, preserveTimestamps: true });
    writeFileSync(join(copy, 'app.yaml'), readFileSync(join(copy, 'app.yaml'), 'utf8').replace('replicas: 5', 'replicas: 42'));
    rmSync(join(outdir, '..', '.dist.cache'));
    await pause(60);
    // WHEN the copy is swapped in once synth compared app1's files
    await synthCommittingThrough(outdir, demoFleetText, (commit) => {
      renameSync(folder, join(outdir, '..', 'app1-away'));
      renameSync(copy, folder);
      return commit();
    });
    // THEN the next synth renders app1 again and puts its file back
    const next = await synth(outdir, demoFleetText);
    expect(next.renderedApps).toContain('app1');
    expect(next.changed).toEqual(['apps/app1/app.yaml']);
    expect(texts(outdir)).toEqual(freshRender(demoFleetText));
  });

  test('a file rewritten as it was after synth began, before synth read it, is compared again by the next synth', async () => {
    // GIVEN a dist/ synth wrote long ago, and no memory of it (every app is compared)
    const outdir = newOutdir();
    await forgotten(outdir, demoFleetText);
    // WHEN app1's file is written again, with the same text, after synth began and just before synth reads it
    // (in the same tick of the file system's clock as the read, an edit after it could keep every time)
    const file = join(outdir, 'apps/app1/app.yaml');
    const stage = Stager.prototype.stage;
    const during = jest.spyOn(Stager.prototype, 'stage').mockImplementation(function (this: Stager, path, text) {
      if (path === 'apps/app1/app.yaml') writeFileSync(file, readFileSync(file, 'utf8'));
      return stage.call(this, path, text);
    });
    let result: SynthResult;
    try {
      result = await synth(outdir, demoFleetText);
    } finally {
      during.mockRestore();
    }
    expect(result.changed).toEqual([]);
    // THEN synth did not remember it, though it found it as rendered: the next one compares app1 again, and only app1
    const next = await synth(outdir, demoFleetText);
    expect(next.renderedApps).toEqual(['app1']);
    expect(next.changed).toEqual([]);
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
    await remembered(outdir, scaled);
    const cache = join(outdir, '..', '.dist.cache');
    const planted = readFileSync(cache, 'utf8');
    await remembered(outdir, demoFleetText);
    writeFileSync(cache, planted);
    // WHEN synth renders the scaled fleet THEN app1 is found out and written
    const result = await synth(outdir, scaled);
    expect(result.changed).toEqual(['apps/app1/app.yaml']);
    expect(texts(outdir)).toEqual(freshRender(scaled));
    // AND a cache that is garbage, or a link, means every app is rendered, and the link is replaced, not written through
    writeFileSync(cache, 'garbage\n\u0000\t\t\n');
    expect((await synth(outdir, scaled)).renderedApps).toEqual(['app0', 'app1', 'app2', 'podinfo']);
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'fleet-outside-')), 'cache');
    writeFileSync(elsewhere, planted);
    rmSync(cache);
    symlinkSync(elsewhere, cache);
    expect((await synth(outdir, scaled)).renderedApps).toEqual(['app0', 'app1', 'app2', 'podinfo']);
    expect(readFileSync(elsewhere, 'utf8')).toBe(planted);
    expect(lstatSync(cache).isFile()).toBe(true);
  });

  test('a cache that cannot be written fails nothing: the write stands, and the next synth renders every app', async () => {
    // GIVEN a folder where the cache would go
    const outdir = newOutdir();
    await remembered(outdir, demoFleetText);
    const cache = join(outdir, '..', '.dist.cache');
    rmSync(cache);
    mkdirSync(cache);
    // WHEN synth writes a change THEN it succeeds, and the next synth, with nothing remembered, renders every app
    const scaled = setReplicas(demoFleetText, 0, 7);
    expect((await synth(outdir, scaled)).changed).toEqual(['apps/app0/app.yaml']);
    expect((await synth(outdir, scaled)).renderedApps).toEqual(['app0', 'app1', 'app2', 'podinfo']);
    expect(texts(outdir)).toEqual(freshRender(scaled));
    expect(lstatSync(cache).isDirectory()).toBe(true);
  });

  test('what a synth killed while it wrote the cache left beside the folder is removed, and nothing else', async () => {
    const outdir = newOutdir();
    await synth(outdir, demoFleetText);
    const parent = join(outdir, '..');
    writeFileSync(join(parent, '.dist.cache.4242.0123456789ab'), 'half a cache');
    writeFileSync(join(parent, '.dist.cache.notes'), 'a file of someone else');
    await synth(outdir, demoFleetText);
    expect(readdirSync(parent).sort()).toEqual(['.dist.cache', '.dist.cache.notes', 'dist']);
  });

  test('the files an app renders are the ones the cache is asked about', () => {
    for (const text of [demoFleetText, fixtureText('migration'), largeFleet]) {
      const fleet = parseFleet(text);
      const rendered = [...renderFleet(fleet, appInputs(fleet)).keys()].filter((path) => path.startsWith('apps/'));
      expect(fleet.apps.flatMap(appPaths).sort()).toEqual(rendered.sort());
    }
  });

  test('the marker still lists every file when apps are left as they were', async () => {
    const outdir = newOutdir();
    await remembered(outdir, demoFleetText);
    await synth(outdir, setReplicas(demoFleetText, 0, 3));
    expect(readFileSync(join(outdir, outputMarker), 'utf8')).toBe(freshRender(setReplicas(demoFleetText, 0, 3))[outputMarker]);
  });
});

describe('npm run synth', () => {
  test('a change of the bundle renders every app again', () => {
    // GIVEN a dist/ written by the bundle, and remembered by the next synth
    const outdir = newOutdir();
    expect(runSynth({ CDK8S_OUTDIR: outdir }).status).toBe(0);
    expect(runSynth({ CDK8S_OUTDIR: outdir }).status).toBe(0);
    const cache = join(outdir, '..', '.dist.cache');
    const before = readFileSync(cache, 'utf8');
    expect(runSynth({ CDK8S_OUTDIR: outdir }).status).toBe(0);
    expect(readFileSync(cache, 'utf8')).toBe(before);
    // (the version in each fingerprint is the hash of the bundle that ran)
    const demo = parseFleet(demoFleetText);
    const fingerprint = appFingerprint(bundleVersion(join(projectRoot, '.build', 'main.js')));
    expect(before.split('\n').slice(1, -1).map((line) => line.split('\t').slice(0, 2))).toEqual(appInputs(demo).map((inputs) => [inputs.app.name, fingerprint(inputs)]));
    // WHEN another bundle (the same code and a comment more) writes it
    const bundle = join(mkdtempSync(join(tmpdir(), 'fleet-bundle-')), 'main.js');
    writeFileSync(bundle, `${readFileSync(join(projectRoot, '.build', 'main.js'), 'utf8')}\n// another version\n`);
    const result = spawnSync(process.execPath, [bundle], { env: { ...process.env, FLEET_CONFIG: fixturePath('demo'), CDK8S_OUTDIR: outdir }, encoding: 'utf8' });
    // THEN it changes no file, but every app's fingerprint
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/: 0 added, 0 changed, 0 removed, \d+ unchanged files/);
    const fingerprints = (text: string) => text.split('\n').slice(1, -1).map((line) => line.split('\t').slice(0, 2));
    const [old, now] = [fingerprints(before), fingerprints(readFileSync(cache, 'utf8'))];
    expect(now.map(([app]) => app)).toEqual(['app0', 'app1', 'app2', 'podinfo']);
    for (const [index, [, fingerprint]] of now.entries()) expect(fingerprint).not.toBe(old[index][1]);
  });
});
