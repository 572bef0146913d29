import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { removalCheck } from '../../app/checks';
import { renderFleet } from '../../app/render';
import { ClusterRemovalError, synthesize } from '../../app/synth';
import { FleetConfigError, parseFleet } from '../../config/load';
import { expandApplicationSet } from '../../diff/applicationset';
import { readOutput } from '../../output/write-dist';
import { RenderedObject, renderedObjects } from '../../verify/rendered';
import { LiveObject, pruneOrder } from '../../verify/sync-order';
import { folderState } from '../support/dist-state';
import { demoFleetText, fixtureFleet, fixtureText, parseManifests, projectRoot, runSynth, writeTempFleet } from '../support/fixtures';

/** The fleet with two IPv6 clusters: app0 and app1 on both by default, app2 on ipv6-west only. */
const twoIpv6 = fixtureText('two-ipv6');

const westStart = '  # A second IPv6 cluster';
const appsStart = '\n# The NGINX test apps.';

/** The ipv6-west entry of clusters, as written. */
function westBlock(text: string): string {
  return text.slice(text.indexOf(westStart), text.indexOf(appsStart));
}

/** Sets a field of the ipv6-west cluster (a line after its name). */
function onWest(text: string, line: string): string {
  return text.replace('  - name: ipv6-west\n', `  - name: ipv6-west\n    ${line}\n`);
}

/** app2 placed on ipv6-east instead of ipv6-west. */
function app2OnEast(text: string): string {
  return text.replace('    clusters: [ipv6-west]', '    clusters: [ipv6-east]');
}

/** ipv6-west gone from clusters (and app2, which named it, moved to ipv6-east). */
function withoutWest(text: string): string {
  return app2OnEast(text).replace(westBlock(text), '');
}

function newOutdir(): string {
  return join(mkdtempSync(join(tmpdir(), 'fleet-change-')), 'dist');
}

async function synth(text: string, outdir: string) {
  return synthesize({ configFile: writeTempFleet(text), outdir });
}

async function refusal(text: string, outdir: string): Promise<ClusterRemovalError> {
  try {
    await synth(text, outdir);
  } catch (error) {
    if (error instanceof ClusterRemovalError) return error;
    throw error;
  }
  throw new Error('synth did not refuse');
}

/** The objects of argocd/ (what the root app syncs) in a render. */
function rootObjects(files: ReadonlyMap<string, string>): Array<RenderedObject & LiveObject> {
  return renderedObjects(new Map([...files].filter(([path]) => path.startsWith('argocd/')))) as Array<RenderedObject & LiveObject>;
}

/** What the root app prunes going from one render to the next: objects of argocd/ the second no longer has. */
function prunedBetween(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>) {
  const key = (object: RenderedObject) => `${object.kind}/${object.metadata.name}`;
  const kept = new Set(rootObjects(after).map(key));
  return rootObjects(before).filter((object) => !kept.has(key(object)));
}

function applicationSetOf(files: ReadonlyMap<string, string>, cluster: string) {
  return rootObjects(files).find((object) => object.kind === 'ApplicationSet' && object.metadata.name === `test-apps-${cluster}`)!;
}

describe('removing a cluster from fleet.yaml', () => {
  test('a cluster that still runs apps in dist/ cannot disappear in one edit: synth refuses, naming its apps, their pods and the fix, and leaves dist/ as it was', () => {
    // GIVEN dist/ of the fleet with ipv6-west, which runs app0, app1 and app2
    const outdir = newOutdir();
    expect(runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: writeTempFleet(twoIpv6) }).status).toBe(0);
    const state = folderState(outdir);
    // WHEN ipv6-west is deleted from fleet.yaml in one edit
    const result = runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: writeTempFleet(withoutWest(twoIpv6)) });
    // THEN synth exits 1, located at clusters, naming the apps with their pods and both ways out
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const firstCluster = withoutWest(twoIpv6).split('\n').indexOf('  - name: legacy-ipv4') + 1;
    expect(result.stderr).toContain('synth failed; ');
    expect(result.stderr).toContain('dist/ was left as it was.\n');
    expect(result.stderr).toContain('removes clusters that still run apps in ');
    expect(result.stderr).toMatch(new RegExp(`fleet\\.yaml:${firstCluster}:3: clusters: ipv6-west is no longer in clusters, but the output folder still runs 3 apps on it \\(17 pods: app2: 7, app0: 5, app1: 5\\)`));
    expect(result.stderr).toContain('defaultApps: false on it');
    expect(result.stderr).toContain('release: true');
    expect(folderState(outdir)).toEqual(state);
  });

  test('the apps removed first: the cluster stays, without apps, so Argo CD deletes them with the cluster still registered; then it goes', async () => {
    // GIVEN dist/ of the fleet with ipv6-west
    const outdir = newOutdir();
    await synth(twoIpv6, outdir);
    // WHEN ipv6-west first opts out of default placement and app2 moves off it
    const stepOne = onWest(app2OnEast(twoIpv6), 'defaultApps: false');
    const first = await synth(stepOne, outdir);
    // THEN its ApplicationSet and project go, its registration stays, synth says what goes
    const afterFirst = readOutput(outdir);
    expect(afterFirst.has('argocd/apps/ipv6-west.yaml')).toBe(false);
    expect(afterFirst.has('argocd/clusters/ipv6-west.yaml')).toBe(true);
    expect(first.clusterChanges).toContain('ipv6-west: removes app2, app0 and app1 (-17 pods); 17 -> 0 pods');
    // AND WHEN the cluster is removed in the next change
    const second = await synth(withoutWest(twoIpv6), outdir);
    // THEN synth accepts it: dist/ runs nothing there any more
    expect(second.removed).toContain('argocd/clusters/ipv6-west.yaml');
    expect(existsSync(join(outdir, 'argocd/clusters/ipv6-west.yaml'))).toBe(false);
    expect(second.moves).toEqual([]);
  });

  test('the cluster released: its Applications lose the resources finalizer, then it is removed and its apps are left running', async () => {
    // GIVEN dist/ of the fleet with ipv6-west
    const outdir = newOutdir();
    await synth(twoIpv6, outdir);
    // WHEN ipv6-west is released
    await synth(onWest(twoIpv6, 'release: true'), outdir);
    // THEN its ApplicationSet preserves resources on deletion and generates Applications without
    // the finalizer (Argo CD's ApplicationSet controller takes it off the running ones), and
    // ipv6-east's Applications keep it
    const released = readOutput(outdir);
    const westSet = applicationSetOf(released, 'ipv6-west');
    expect(westSet.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
    const westApps = expandApplicationSet(westSet, []);
    expect(westApps.map((application) => [application.metadata.name, application.metadata.finalizers])).toEqual([
      ['app0-ipv6-west', undefined], ['app1-ipv6-west', undefined], ['app2-ipv6-west', undefined],
    ]);
    for (const application of expandApplicationSet(applicationSetOf(released, 'ipv6-east'), [])) {
      expect(application.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    }
    // AND WHEN the cluster is removed in the next change
    const removed = await synth(withoutWest(twoIpv6), outdir);
    // THEN synth accepts it and says loudly what stays running there, and nowhere that it removes them
    expect(removed.removed).toEqual(expect.arrayContaining(['argocd/apps/ipv6-west.yaml', 'argocd/clusters/ipv6-west.yaml']));
    expect(removed.clusterChanges).toEqual(['ipv6-east: adds app2 (+7 pods); 10 -> 17 pods', 'ipv6-west: ALBs 1 -> 0: removes shared-0 (had app0, app1 and app2)']);
    expect(removed.moves).toEqual([
      'ipv6-west leaves the fleet with its apps released: app0, app1 and app2 (17 pods) stay running there, no longer managed by Argo CD, and external-dns there keeps their records',
    ]);
  });

  test('released, then put back to managed: the removal is refused again, since the Applications would delete the apps', async () => {
    const outdir = newOutdir();
    await synth(onWest(twoIpv6, 'release: true'), outdir);
    await synth(twoIpv6, outdir);
    expect((await refusal(withoutWest(twoIpv6), outdir)).problems).toEqual([expect.stringContaining('clusters: ipv6-west is no longer in clusters, but the output folder still runs 3 apps on it')]);
  });

  test('a fresh fleet (no dist/ yet) has no cluster to lose: synth writes it', async () => {
    const outdir = newOutdir();
    expect(existsSync(outdir)).toBe(false);
    const result = await synth(withoutWest(twoIpv6), outdir);
    expect(result.added.length).toBeGreaterThan(10);
  });

  test('a cluster that becomes pending again (its server removed) is a cluster leaving dist/: refused while it runs apps', async () => {
    const outdir = newOutdir();
    // GIVEN ipv6-west as a cluster the project created (its public subnets are its VPC's)
    const created = twoIpv6.replace(/  - name: ipv6-west\n/, '  - name: ipv6-west\n    provisioning: create\n    vpc: { cidr: 10.232.0.0/16 }\n').replace(/    publicSubnets: .*\n/, '');
    await synth(created, outdir);
    // WHEN it loses its server, VPC and subnets in fleet.yaml: pending again
    const pending = app2OnEast(created)
      .replace(/    server: https:\/\/5A4B.*\n/, '').replace('    vpcId: vpc-0a9b8c7d6e5f40312\n', '').replace(/    subnets:\n(      - 2600:1f14.*\n)+/, '').replace(/    ipv4Subnets:\n(      - 10\.232.*\n)+/, '');
    expect(parseFleet(pending).pendingClusters.map((cluster) => cluster.name)).toEqual(['ipv6-west']);
    expect((await refusal(pending, outdir)).problems).toEqual([expect.stringContaining('ipv6-west is no longer in clusters, but the output folder still runs 3 apps on it')]);
  });
});

/** A git repository whose HEAD commits `text` as fleet.yaml and the dist/ synth renders of it. */
async function repositoryWithCommittedDist(text: string): Promise<string> {
  const repository = mkdtempSync(join(tmpdir(), 'fleet-repo-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repository, stdio: 'ignore' });
  git('init', '-q');
  writeFileSync(join(repository, 'fleet.yaml'), text);
  await synthesize({ configFile: join(repository, 'fleet.yaml'), outdir: join(repository, 'dist') });
  git('add', '.');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'the fleet');
  return repository;
}

describe('removing a cluster with dist/ deleted: the dist/ committed at HEAD (or the pull request\'s base) still tells', () => {
  test('rm -rf dist, then synth without ipv6-west: refused against dist/ at HEAD; --replace-fleet drops it, naming it and its apps', async () => {
    // GIVEN a repository that commits the fleet with ipv6-west (app0, app1, app2) and its dist/
    const repository = await repositoryWithCommittedDist(twoIpv6);
    const outdir = join(repository, 'dist');
    const fleetFile = join(repository, 'fleet.yaml');
    writeFileSync(fleetFile, withoutWest(twoIpv6));
    // WHEN dist/ is deleted and synth runs without ipv6-west
    rmSync(outdir, { recursive: true });
    const refused = runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: fleetFile });
    // THEN it is refused as it is with dist/ on disk, and says how to replace the fleet on purpose
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/clusters: ipv6-west is no longer in clusters, but the output folder still runs 3 apps on it \(17 pods/);
    expect(refused.stderr).toContain('npm run synth -- --replace-fleet');
    expect(existsSync(join(outdir, 'argocd'))).toBe(false);
    // AND an empty dist/ is no different
    execFileSync('mkdir', ['-p', outdir]);
    expect(runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: fleetFile }).status).toBe(1);
    // WHEN the fleet is replaced on purpose
    const replaced = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'run.mjs'), 'main.ts', '--replace-fleet'], { env: { ...process.env, CDK8S_OUTDIR: outdir, FLEET_CONFIG: fleetFile }, encoding: 'utf8' });
    // THEN synth writes, naming the cluster it drops and its apps
    expect(replaced.status).toBe(0);
    expect(replaced.stdout).toMatch(/^!! --replace-fleet: ipv6-west leaves the fleet with 3 apps \(17 pods: app0, app1 and app2\): an Argo CD that still manages them deletes them$/m);
  });

  test('npm run check fails when a cluster leaves dist/ at HEAD (or --base) with its apps, whatever dist/ on disk says; --replace-fleet and released apps pass', async () => {
    // GIVEN a repository that commits the fleet with ipv6-west and its dist/, then dist/ deleted and synthesized without ipv6-west
    const repository = await repositoryWithCommittedDist(twoIpv6);
    const outdir = join(repository, 'dist');
    rmSync(outdir, { recursive: true });
    const fleet = parseFleet(withoutWest(twoIpv6));
    await synthesize({ configFile: writeTempFleet(withoutWest(twoIpv6)), outdir }, { replaceFleet: true });
    // THEN the check against HEAD fails, naming the cluster and its apps
    const failed = removalCheck(fleet, outdir);
    expect(failed.status).toBe('failed');
    expect(failed.summary).toBe('fleet.yaml removes clusters that still run apps in ' + outdir + '/ at HEAD');
    expect(failed.details!.join('\n')).toMatch(/ipv6-west is no longer in clusters, but the output folder still runs 3 apps on it/);
    // AND once that dist/ is committed, against the pull request's base (the commit before) it still fails
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repository, stdio: 'ignore' });
    git('add', '-A');
    git('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'ipv6-west gone');
    expect(removalCheck(fleet, outdir).status).toBe('ok');
    expect(removalCheck(fleet, outdir, 'HEAD~1').status).toBe('failed');
    // AND --replace-fleet passes, listing what leaves
    const replaced = removalCheck(fleet, outdir, 'HEAD~1', true);
    expect(replaced.status).toBe('ok');
    expect(replaced.details).toEqual(['--replace-fleet: ipv6-west leaves the fleet with 3 apps (17 pods: app0, app1 and app2): an Argo CD that still manages them deletes them']);
    // AND the fleet itself, with ipv6-west still in it, passes
    expect(removalCheck(parseFleet(twoIpv6), outdir, 'HEAD~1').status).toBe('ok');
  });

  test('a fresh fleet not in git, or without a committed dist/, has nothing to lose: synth writes and the check passes', async () => {
    const outdir = newOutdir();
    expect(removalCheck(parseFleet(withoutWest(twoIpv6)), outdir).status).toBe('ok');
    const repository = mkdtempSync(join(tmpdir(), 'fleet-repo-'));
    execFileSync('git', ['init', '-q'], { cwd: repository });
    const result = await synth(withoutWest(twoIpv6), join(repository, 'dist'));
    expect(result.added.length).toBeGreaterThan(10);
    expect(removalCheck(parseFleet(withoutWest(twoIpv6)), join(repository, 'dist')).status).toBe('ok');
  });
});

describe('the order in which the root app prunes a cluster', () => {
  const full = renderFleet(parseFleet(twoIpv6));

  test('removing a released cluster prunes its ApplicationSet first, then its project, its registration last', () => {
    // GIVEN the committed render of a released ipv6-west, and the fleet without it
    const before = renderFleet(parseFleet(onWest(twoIpv6, 'release: true')));
    const after = renderFleet(parseFleet(withoutWest(twoIpv6)));
    // WHEN the root app prunes what is gone, as gitops-engine orders it by the live objects' waves
    const order = pruneOrder(prunedBetween(before, after)).map((group) => group.map((object) => `${object.kind} ${object.metadata.name}`));
    // THEN the Applications go (with their ApplicationSet) while the project and the cluster's registration exist
    expect(order).toEqual([['ApplicationSet test-apps-ipv6-west'], ['AppProject fleet-apps-ipv6-west'], ['Secret cluster-ipv6-west']]);
  });

  test('removing the apps first prunes the ApplicationSet before the project, and leaves the registration', () => {
    const after = renderFleet(parseFleet(onWest(app2OnEast(twoIpv6), 'defaultApps: false')));
    const order = pruneOrder(prunedBetween(full, after)).map((group) => group.map((object) => `${object.kind} ${object.metadata.name}`));
    expect(order).toEqual([['ApplicationSet test-apps-ipv6-west'], ['AppProject fleet-apps-ipv6-west']]);
  });

  test('a cluster is registered before its project, and its project before its ApplicationSet: the waves of everything the root app syncs', () => {
    const waves = rootObjects(full).map((object) => [object.kind, object.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0']);
    for (const [kind, wave] of waves) {
      expect([kind, wave]).toEqual([kind, { Secret: '-2', AppProject: '-1', ApplicationSet: '0', Application: '0' }[kind as string]]);
    }
  });

  test('removing a service while another stays on the cluster prunes its project last, after the ApplicationSet changes that delete its Applications', () => {
    // GIVEN the services fixture (hello and podinfo-oci on ipv6-east), then without podinfo-oci
    const before = renderFleet(fixtureFleet('services-sources'));
    const after = renderFleet(fixtureFleet('services-sources', (text) => text.replace(/\n  - name: podinfo-oci\n(?: {4}.*\n| {6}.*\n)+/, '\n')));
    expect([...after.keys()].some((path) => path.startsWith('apps/podinfo-oci/'))).toBe(false);
    // WHEN the root app prunes what is gone
    const order = pruneOrder(prunedBetween(before, after)).map((group) => group.map((object) => `${object.kind} ${object.metadata.name}`));
    // THEN the project goes last, after the cluster's chart ApplicationSet (podinfo-oci was its only element) and after
    // every update: in its own wave (-1) it would come before the ApplicationSets' update (wave 0), and its finalizer
    // would wait for Applications that only that update deletes (sync_context.go, "if pruned tasks pending deletion")
    expect(order).toEqual([['ApplicationSet services-charts-ipv6-east'], ['AppProject fleet-service-podinfo-oci']]);
    const project = parseManifests(before.get('argocd/services/podinfo-oci.yaml')!)[0];
    expect(project.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('PruneLast=true');
  });

  test('the model puts PruneLast objects after every wave', () => {
    const object = (name: string, wave?: string, last = false): LiveObject => ({ kind: 'ConfigMap', metadata: { name, annotations: { ...(wave === undefined ? {} : { 'argocd.argoproj.io/sync-wave': wave }), ...(last ? { 'argocd.argoproj.io/sync-options': 'PruneLast=true' } : {}) } } });
    const names = (groups: LiveObject[][]) => groups.map((group) => group.map((item) => item.metadata.name));
    expect(names(pruneOrder([object('p', '-1', true), object('a', '-2'), object('c')]))).toEqual([['c'], ['a'], ['p']]);
  });

  test('the model of gitops-engine reverses prune waves end for end, whichever waves take part', () => {
    const object = (name: string, wave?: string): LiveObject => ({ kind: 'ConfigMap', metadata: { name, annotations: wave === undefined ? {} : { 'argocd.argoproj.io/sync-wave': wave } } });
    const names = (groups: LiveObject[][]) => groups.map((group) => group.map((item) => item.metadata.name));
    expect(names(pruneOrder([object('a', '-2'), object('b', '-1'), object('c'), object('d', '5')]))).toEqual([['d'], ['c'], ['b'], ['a']]);
    expect(names(pruneOrder([object('a', '-2'), object('c'), object('c2', '0')]))).toEqual([['c', 'c2'], ['a']]);
  });
});

describe('Argo CD\'s expansion of an ApplicationSet', () => {
  test('an Application whose template has no finalizer gets the resources finalizer unless the ApplicationSet preserves resources on deletion', () => {
    const appSet = (syncPolicy?: object) => ({
      metadata: { name: 'x', namespace: 'argocd' },
      spec: { goTemplate: true, syncPolicy, generators: [{ list: { elements: [{ app: 'a' }] } }], template: { metadata: { name: '{{.app}}' }, spec: {} } },
    });
    expect(expandApplicationSet(appSet(), [])[0].metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(expandApplicationSet(appSet({ preserveResourcesOnDeletion: false }), [])[0].metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(expandApplicationSet(appSet({ preserveResourcesOnDeletion: true }), [])[0].metadata.finalizers).toBeUndefined();
  });
});

/** The clusters of a fleet text in another order: the entries of clusters, reversed. */
function clustersReversed(text: string): string {
  const start = text.indexOf('\nclusters:\n') + '\nclusters:\n'.length;
  const end = text.indexOf(appsStart);
  const entries = text.slice(start, end).trim().split(/\n\n/);
  return `${text.slice(0, start)}${[...entries].reverse().join('\n\n')}\n${text.slice(end)}`;
}

/** A new IPv6 cluster, ipv6-central, listed first (alphabetical order would put it above ipv6-east). */
function centralInserted(text: string, extra = ''): string {
  const central = westBlock(text)
    .replace('  # A second IPv6 cluster, in another region: it takes the apps placed by default too.\n', '')
    .replace(/ipv6-west/g, 'ipv6-central').replace('5A4B3C2D1E0F9A8B', '0C0C3C2D1E0F9A8B').replace(/us-west-2/g, 'us-east-1')
    .replace('vpc-0a9b8c7d6e5f40312', 'vpc-0c0c8c7d6e5f40312').replace(/2600:1f14:7e1:a2/g, '2600:1f18:7e1:a2').replace(/10\.232\./g, '10.233.');
  return text.replace('\nclusters:\n', `\nclusters:\n${central.replace('  - name: ipv6-central\n', `  - name: ipv6-central\n${extra}`)}\n`);
}

/** Files of a render that differ from another's, and those only one of them has. */
function changes(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>) {
  return {
    changed: [...before.keys()].filter((path) => after.has(path) && after.get(path) !== before.get(path)),
    removed: [...before.keys()].filter((path) => !after.has(path)),
    added: [...after.keys()].filter((path) => !before.has(path)),
  };
}

describe('moves nobody asked for', () => {
  const before = renderFleet(parseFleet(twoIpv6));

  test('a reordered fleet renders the same dist/, byte for byte', () => {
    const reordered = clustersReversed(twoIpv6);
    expect(parseFleet(reordered).clusters.map((cluster) => cluster.name)).toEqual(['ipv6-west', 'ipv6-east', 'legacy-ipv4']);
    const after = renderFleet(parseFleet(reordered));
    expect(changes(before, after)).toEqual({ changed: [], removed: [], added: [] });
  });

  test('an account without Argo CD\'s cluster takes its provider region from its regions sorted, not its clusters\' order', () => {
    // GIVEN legacy-ipv4 (us-east-2) and ipv6-west (us-west-2) in a second account
    const inAccount = (text: string, name: string) => text.replace(new RegExp(`( {2}- name: ${name}\\n(?: {4}.*\\n)*? {4}accountId: )"111122223333"`), '$1"444455556666"');
    const twoAccounts = inAccount(inAccount(twoIpv6, 'legacy-ipv4'), 'ipv6-west');
    const account = 'terraform/accounts/444455556666/main.tf.json';
    const original = renderFleet(parseFleet(twoAccounts));
    // WHEN the clusters are reversed
    const reversed = renderFleet(parseFleet(clustersReversed(twoAccounts)));
    // THEN the account's module is the same, its provider in us-east-2, the first of its regions sorted (ipv6-west's us-west-2 is first after the reverse)
    expect(changes(original, reversed)).toEqual({ changed: [], removed: [], added: [] });
    const provider = (JSON.parse(original.get(account)!) as { provider: { aws: { region?: string; alias?: string }[] | { region: string } } }).provider.aws;
    expect((Array.isArray(provider) ? provider.find((entry) => !entry.alias)! : provider).region).toBe('us-east-2');
  });

  test('a cluster inserted above the others leaves every other cluster\'s files byte for byte, and names clusters by name in dist/terraform/', () => {
    const after = renderFleet(parseFleet(centralInserted(twoIpv6)));
    const { changed, removed, added } = changes(before, after);
    // Only the files that list every cluster change; the new cluster's files are added.
    expect(changed).toEqual(['argocd/projects.yaml', 'terraform/accounts/111122223333/main.tf.json']);
    expect(removed).toEqual([]);
    expect(added.every((path) => path.includes('ipv6-central'))).toBe(true);
    for (const [path, text] of after) expect([path, text.includes('clusters[')]).toEqual([path, false]);
    expect(after.get('terraform/clusters/legacy-ipv4/main.tf.json')).toContain('"error_message": "cluster legacy-ipv4: ipFamily is ipv4 in fleet.yaml, but EKS says otherwise');
  });

  test('where Argo CD runs is named once the fleet has a choice: without argocd.cluster, a second IPv6 cluster is refused, naming the key and the candidates', () => {
    const unnamed = twoIpv6.replace('argocd:\n  cluster: ipv6-east\n', '');
    let error: unknown;
    try {
      parseFleet(unnamed);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FleetConfigError);
    const line = unnamed.split('\n').indexOf('  - name: legacy-ipv4') + 1;
    expect((error as FleetConfigError).message).toBe(`fleet.yaml:${line}:3: clusters: has 2 IPv6 clusters Argo CD could run on (ipv6-east and ipv6-west), and argocd.cluster does not name one: `
      + 'which one must not follow from their order here, or a cluster added above would move Argo CD. Add argocd: { cluster: <name> } naming the cluster it runs on');
  });

  test('one candidate keeps the defaults: the demo fleet without argocd.cluster and domainAccountId runs Argo CD on its one IPv6 cluster, the zone in its one account', () => {
    const fleet = parseFleet(demoFleetText.replace('argocd:\n  cluster: ipv6-east\n', '').replace('domainAccountId: "111122223333"\n', ''));
    expect([fleet.argocd.cluster, fleet.domainAccountId]).toEqual(['ipv6-east', '111122223333']);
  });

  test('the hosted zone\'s account is named once the clusters are in two accounts', () => {
    const text = fixtureText('accounts').replace('domainAccountId: "111122223333"\n', '');
    expect(() => parseFleet(text)).toThrow(/fleet\.yaml:\d+:\d+: domain: is in a Route 53 hosted zone of one AWS account, and the clusters are in 2 \(111122223333 and 444455556666\) while domainAccountId does not name it: .*Add domainAccountId: "<account>" beside domain/);
  });

  test('synth and diff say loudly when Argo CD moves to another cluster or the zone to another account', async () => {
    // GIVEN dist/ of the fleet
    const outdir = newOutdir();
    await synth(twoIpv6, outdir);
    // WHEN argocd.cluster and domainAccountId change
    const moved = twoIpv6.replace('argocd:\n  cluster: ipv6-east\n', 'argocd:\n  cluster: ipv6-west\n').replace('domainAccountId: "111122223333"', 'domainAccountId: "777788889999"');
    const fleetFile = writeTempFleet(moved);
    const diff = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'run.mjs'), 'app/diff.ts'], { env: { ...process.env, CDK8S_OUTDIR: outdir, FLEET_CONFIG: fleetFile }, encoding: 'utf8' });
    const result = runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: fleetFile });
    // THEN both print a marked line for each
    const argocd = /^!! Argo CD moves from ipv6-east to ipv6-west \(argocd\.cluster\): terraform\/bootstrap\/ now installs it on ipv6-west, .*apply the accounts' modules, then every cluster's .*in terraform\/bootstrap\/, `terraform state rm helm_release\.argocd` \(its state still holds the release on ipv6-east: forgotten, not uninstalled\), then an administrator applies it, installing Argo CD on ipv6-west; .*`helm uninstall argocd -n argocd` on ipv6-east/m;
    const zone = /^!! The hosted zone's account changes from 111122223333 to 777788889999 \(domainAccountId\)/m;
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(argocd);
    expect(result.stdout).toMatch(zone);
    expect(diff.status).toBe(1);
    expect(diff.stdout).toMatch(argocd);
    expect(diff.stdout).toMatch(zone);
    // AND no cluster module holds Argo CD's release: the line names none of them
    expect(result.stdout).not.toContain('terraform/clusters/');
    // AND the next synth, which moves nothing, says nothing of it
    expect(runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: fleetFile }).stdout).not.toContain('!!');
  });

  test('defaultApps: false keeps a new IPv6 cluster out of default placement; by default it takes every default-placed app and synth says so', async () => {
    const outdir = newOutdir();
    await synth(twoIpv6, outdir);
    const optedOut = await synth(centralInserted(twoIpv6, '    defaultApps: false\n'), outdir);
    expect(optedOut.clusterChanges).toEqual([]);
    expect(readOutput(outdir).has('argocd/apps/ipv6-central.yaml')).toBe(false);
    const optedIn = await synth(centralInserted(twoIpv6), outdir);
    expect(optedIn.clusterChanges).toEqual(['ipv6-central: adds app0 and app1 (+10 pods); 0 -> 10 pods', 'ipv6-central: ALBs 0 -> 1: adds shared-0 (app0 and app1)']);
  });

  test('defaultApps: true on an IPv4 cluster is refused: apps without clusters run on IPv6 clusters only', () => {
    const text = twoIpv6.replace('  - name: legacy-ipv4\n', '  - name: legacy-ipv4\n    defaultApps: true\n');
    expect(() => parseFleet(text)).toThrow(/clusters\[0\]\.defaultApps: is true on an IPv4 cluster/);
  });
});
