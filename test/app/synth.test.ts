import { spawnSync } from 'child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { fleetSchemaDocument } from '../../config/editor-schema';
import { parseFleet } from '../../config/load';
import { largeFleetYaml } from '../fixtures/large-fleet';
import { backgroundStagingMinApps } from '../../output/background-staging';
import { renderFleet } from '../../app/render';
import { markerText, outputMarker, readOutput, writeDist } from '../../output/write-dist';
import { folderState } from '../support/dist-state';
import { demoFleet, demoFleetText, fixtureText, outputFiles, parseManifests, projectRoot, runSynth, scratchDist, setReplicas, writeTempFleet } from '../support/fixtures';

/** Every changed line between two renders, as `file: -old / +new`. */
function changedLines(before: Map<string, string>, after: Map<string, string>): string[] {
  const changes: string[] = [];
  for (const file of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(file)?.split('\n') ?? [];
    const b = after.get(file)?.split('\n') ?? [];
    for (let index = 0; index < Math.max(a.length, b.length); index++) {
      if (a[index] !== b[index]) changes.push(`${file}: -${a[index]} / +${b[index]}`);
    }
  }
  return changes;
}

describe('npm run synth', () => {
  test('writes dist/ from fleet.yaml, and a second run changes nothing', () => {
    // GIVEN an empty output folder
    const outdir = join(mkdtempSync(join(tmpdir(), 'fleet-out-')), 'dist');
    // WHEN synth runs twice
    const first = runSynth({ CDK8S_OUTDIR: outdir });
    const state = folderState(outdir);
    const second = runSynth({ CDK8S_OUTDIR: outdir });
    // THEN the first writes everything and the second touches nothing
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/dist\/: \d+ added, 0 changed, 0 removed, 0 unchanged files/);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/: 0 added, 0 changed, 0 removed, \d+ unchanged files/);
    expect(folderState(outdir)).toEqual(state);
    const rendered = renderFleet(demoFleet());
    expect(Object.keys(state).sort()).toEqual(outputFiles(rendered));
    expect(state[outputMarker].text).toBe(markerText(rendered.keys()));
  });

  test('warns, and still writes, when a cluster is in EKS extended support on the day it runs, or Argo CD cannot reach it', () => {
    // GIVEN legacy-ipv4 on 1.34, on 2026-12-07 (FLEET_TODAY); and the accounts fleet with ipv6-west's endpoint private
    const outdir = join(mkdtempSync(join(tmpdir(), 'fleet-out-')), 'dist');
    const old = runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: writeTempFleet(demoFleetText.replace('    kubernetesVersion: "1.35"\n', '    kubernetesVersion: "1.34"\n')) });
    expect(old.status).toBe(0);
    expect(old.stderr).toContain('warning: legacy-ipv4: Kubernetes 1.34 is in EKS extended support since 2026-12-02');
    const closed = fixtureText('accounts').replace('    endpointPublicAccessCidrs:\n      - 198.51.100.0/28\n', '');
    const unreachable = runSynth({ CDK8S_OUTDIR: join(mkdtempSync(join(tmpdir(), 'fleet-out-')), 'dist'), FLEET_CONFIG: writeTempFleet(closed) });
    expect(unreachable.status).toBe(0);
    expect(unreachable.stderr).toContain('warning: ipv6-west: Argo CD (on ipv6-hub) cannot reach the API server');
  });

  test('writes a fleet large enough for a staging thread exactly as one thread renders it', () => {
    // GIVEN a fleet above the size at which synth stages files on a second thread
    const text = largeFleetYaml(backgroundStagingMinApps + 37, 8);
    const outdir = join(mkdtempSync(join(tmpdir(), 'fleet-out-')), 'dist');
    // WHEN synth runs
    const result = runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: writeTempFleet(text) });
    // THEN dist/ holds exactly what a single-threaded render in this process produces
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const written = folderState(outdir);
    const expected = renderFleet(parseFleet(text));
    expect(Object.keys(written).sort()).toEqual(outputFiles(expected));
    for (const [path, content] of expected) expect(written[path].text).toBe(content);
  });

  test('a large fleet whose staging fails leaves dist/ exactly as it was', () => {
    // GIVEN a dist/ of a large fleet, where one file has become a folder
    const text = largeFleetYaml(backgroundStagingMinApps + 37, 8);
    const outdir = join(mkdtempSync(join(tmpdir(), 'fleet-out-')), 'dist');
    expect(runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: writeTempFleet(text) }).status).toBe(0);
    // (and remembered beside it: a second synth, 60 ms on, compares the files and records them)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60);
    expect(runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: writeTempFleet(text) }).status).toBe(0);
    rmSync(join(outdir, 'apps/app5/app.yaml'));
    mkdirSync(join(outdir, 'apps/app5/app.yaml'));
    const before = folderState(outdir);
    const cache = readFileSync(join(outdir, '..', '.dist.cache'), 'utf8');
    // WHEN synth runs on a changed fleet
    const result = runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: writeTempFleet(setReplicas(text, 3, 9)) });
    // THEN the staging thread's error fails the synth, and nothing was written or left behind
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/synth failed; .*dist\/ was left as it was\.\napps\/app5\/app\.yaml in the output folder is not a plain file \(a FIFO, a device, a socket or a folder\): synth writes only files there; remove it\n$/);
    expect(folderState(outdir)).toEqual(before);
    expect(readdirSync(join(outdir, '..'))).toEqual(['.dist.cache', 'dist']);
    expect(readFileSync(join(outdir, '..', '.dist.cache'), 'utf8')).toBe(cache);
  });

  test('says in one line per cluster which apps and pods a change adds, removes or scales there', () => {
    // GIVEN a dist/ of the demo fleet
    const outdir = join(mkdtempSync(join(tmpdir(), 'fleet-out-')), 'dist');
    const first = runSynth({ CDK8S_OUTDIR: outdir });
    expect(first.stdout).toContain('Apps and pods per cluster:\n  ipv6-east: adds app0, app1, app2 and 1 more (+19 pods); 0 -> 19 pods\n');
    // WHEN app2 is scaled to 10,000 and app1 taken off the fleet
    const text = setReplicas(demoFleetText, 2, 10_000).replace(/ {2}- name: app1\n( {4}.*\n)+/, '');
    const second = runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: writeTempFleet(text) });
    // THEN the cluster says both, with the pods before and after
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('Apps and pods per cluster:\n  ipv6-east: removes app1 (-5 pods); scales app2 5 -> 10,000 (+9,995 pods); 19 -> 10,009 pods\n');
    // AND a synth that changes nothing says nothing of clusters
    expect(runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: writeTempFleet(text) }).stdout).not.toContain('Apps and pods per cluster');
  });

  test('an app moving to another cluster says so on both, on the staging thread\'s path too', () => {
    // GIVEN a large fleet written once
    const text = largeFleetYaml(backgroundStagingMinApps + 37, 8);
    const outdir = join(mkdtempSync(join(tmpdir(), 'fleet-out-')), 'dist');
    expect(runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: writeTempFleet(text) }).status).toBe(0);
    // WHEN app3 moves from its cluster to another, and a new domain has every app rendered again (on the staging thread)
    const moved = text.replace(/( {2}- name: app3\n(?: {4}.*\n)*? {4}clusters: )\[ipv6-07\]/, '$1[ipv6-01]').replace('domain: apps.example.com', 'domain: apps.example.org');
    expect(moved).not.toBe(text);
    const result = runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: writeTempFleet(moved) });
    // THEN both clusters say it
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/\n {2}ipv6-01: adds app3 \(\+5 pods\); [\d,]+ -> [\d,]+ pods\n/);
    expect(result.stdout).toMatch(/\n {2}ipv6-07: removes app3 \(-5 pods\); [\d,]+ -> [\d,]+ pods\n/);
  });

  test('exits non-zero with the config error and leaves dist/ exactly as it was', () => {
    const outdir = scratchDist();
    const before = folderState(outdir);
    const result = runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: writeTempFleet(demoFleetText.replace('replicas: 5', 'replicas: lots')) });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/synth failed; .*dist\/ was left as it was\./);
    expect(result.stderr).toMatch(/fleet\.yaml:\d+:15: apps\[0\]\.replicas: expected an integer from 0 to 100000, got "lots" \(text\)/);
    expect(folderState(outdir)).toEqual(before);
  });

  test('exits non-zero when the fleet file does not exist, leaving dist/ alone', () => {
    const outdir = scratchDist();
    const before = folderState(outdir);
    const result = runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: '/nonexistent/fleet.yaml' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('/nonexistent/fleet.yaml:1:1: cannot be read');
    expect(folderState(outdir)).toEqual(before);
  });
});

describe('rendering', () => {
  test('does not depend on the environment: CDK8S_DISABLE_SORT changes nothing', () => {
    const expected = renderFleet(demoFleet());
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      expect(renderFleet(demoFleet())).toEqual(expected);
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
  });

  test('is deterministic: two renders are byte-identical', () => {
    expect(renderFleet(demoFleet())).toEqual(renderFleet(demoFleet()));
  });

  test('scaling app2 to 10000 changes exactly one field in dist/, and app2\'s ALB', () => {
    // GIVEN the default fleet WHEN app2's replicas go from 5 to 10000
    const changes = changedLines(renderFleet(demoFleet()), renderFleet(demoFleet((text) => setReplicas(text, 2, 10000))));
    // THEN only the Deployment's replicas differ (the pods are not rolled), and app2's Ingress leaves the shared ALB for its own
    expect(changes).toEqual([
      'apps/app2/app.yaml: -  replicas: 5 / +  replicas: 10000',
      'apps/app2/clusters/ipv6-east.yaml: -    alb.ingress.kubernetes.io/group.name: shared-0 / +    alb.ingress.kubernetes.io/group.name: own-app2',
    ]);
  });

  test('app2 at 10000 replicas renders a Deployment of 10000', () => {
    const files = renderFleet(demoFleet((text) => setReplicas(text, 2, 10000)));
    const deployment = parseManifests(files.get('apps/app2/app.yaml')!).find((object) => object.kind === 'Deployment')!;
    expect(deployment.spec.replicas).toBe(10000);
  });

  test('recolouring an app changes its page and rolls its pods', () => {
    const changes = changedLines(renderFleet(demoFleet()), renderFleet(demoFleet((text) => text.replace('backgroundColor: red', 'backgroundColor: green'))));
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatch(/^apps\/app1\/app\.yaml: .*background-color: red;.*background-color: green;/);
    expect(changes[1]).toMatch(/^apps\/app1\/app\.yaml: -        checksum\/content: "?[0-9a-f]{64}"? \/ \+        checksum\/content: "?[0-9a-f]{64}"?$/);
  });
});

describe('writing dist/', () => {
  test('removing an app from fleet.yaml removes its files', () => {
    const outdir = scratchDist();
    const withoutApp1 = renderFleet(demoFleet((text) => text.replace(/  - name: app1\n(    .*\n)+/, '')));
    const summary = writeDist(outdir, withoutApp1);
    expect(summary.removed).toEqual(['apps/app1/app.yaml', 'apps/app1/clusters/ipv6-east.yaml']);
    expect(existsSync(join(outdir, 'apps', 'app1'))).toBe(false);
    expect(Object.keys(folderState(outdir)).sort()).toEqual(outputFiles(withoutApp1));
  });

  test('a one-app change rewrites only that app\'s files; the rest keep their mtime', () => {
    const outdir = scratchDist();
    const before = folderState(outdir);
    const summary = writeDist(outdir, renderFleet(demoFleet((text) => setReplicas(text, 2, 10000))));
    expect(summary.changed).toEqual(['apps/app2/app.yaml', 'apps/app2/clusters/ipv6-east.yaml']);
    const after = folderState(outdir);
    for (const file of Object.keys(before).filter((name) => !name.startsWith('apps/app2/'))) expect(after[file]).toEqual(before[file]);
    expect(after['apps/app2/app.yaml'].text).toContain('replicas: 10000');
  });

  /**
   * What a write whose process died left beside outdir: its staged files and, once it had
   * committed, the list of files it was writing (`rendered`) and its journal.
   */
  function interruptedWrite(outdir: string, staged: Record<string, string>, rendered?: Iterable<string>): string {
    const work = join(outdir, '..', '.dist.synth');
    for (const [path, text] of Object.entries(staged)) {
      mkdirSync(join(work, 'new', path, '..'), { recursive: true });
      writeFileSync(join(work, 'new', path), text);
    }
    if (rendered) {
      writeFileSync(join(work, 'new', outputMarker), markerText(rendered));
      writeFileSync(join(work, 'journal'), 'committed\n');
    }
    return work;
  }

  /** A dist/ whose write (app0 at 7 and app2 at 10000 replicas, app9 retired) died after its journal, having moved app2's file in. */
  function writeInterruptedAfterApp2(): { outdir: string; target: Map<string, string>; staging: string } {
    const outdir = scratchDist();
    const target = renderFleet(demoFleet((text) => setReplicas(setReplicas(text, 0, 7), 2, 10000)));
    mkdirSync(join(outdir, 'apps/app9/clusters'), { recursive: true });
    writeFileSync(join(outdir, 'apps/app9/clusters/ipv6-east.yaml'), 'retired');
    writeFileSync(join(outdir, outputMarker), markerText([...target.keys(), 'apps/app9/clusters/ipv6-east.yaml']));
    writeFileSync(join(outdir, 'apps/app2/app.yaml'), target.get('apps/app2/app.yaml')!);
    const staging = interruptedWrite(outdir, { 'apps/app0/app.yaml': target.get('apps/app0/app.yaml')! }, target.keys());
    return { outdir, target, staging };
  }

  test('finishes a write that was interrupted after its journal was written, and says what it finished', () => {
    // GIVEN a write (app0 at 7 and app2 at 10000 replicas, app9 retired) that died after moving app2's file in
    const { outdir, target, staging } = writeInterruptedAfterApp2();
    // WHEN the next write of the same render runs
    const summary = writeDist(outdir, target);
    // THEN the interrupted write was completed first, so this one has nothing left to do, and it says what it completed
    expect(summary).toEqual({ added: [], changed: [], removed: [], unchanged: target.size, finished: { written: 1, removed: 1 }, previous: [] });
    expect(existsSync(join(outdir, 'apps', 'app9'))).toBe(false);
    expect(existsSync(staging)).toBe(false);
    expect(readFileSync(join(outdir, outputMarker), 'utf8')).toBe(markerText(target.keys()));
  });

  test('a finish of an interrupted write that fails keeps its journal, and the next synth finishes it', () => {
    // GIVEN the interrupted write above, whose finish cannot move app9's retired file out (its folder unchangeable)
    const { outdir, target, staging } = writeInterruptedAfterApp2();
    const folder = join(outdir, 'apps/app9/clusters');
    const root = process.getuid?.() === 0;
    const locked = root ? spawnSync('chattr', ['+i', folder]).status === 0 : (chmodSync(folder, 0o555), true);
    if (!locked) return console.warn('skipped: neither chmod nor chattr +i can make a folder unchangeable here');
    try {
      // WHEN a synth runs THEN finishing fails, and says the next synth finishes the write
      expect(() => writeDist(outdir, target)).toThrow(/could not finish the write an interrupted synth had begun .*the next synth finishes the write/);
      // AND the journal is still there for it
      expect(existsSync(join(staging, 'journal'))).toBe(true);
    } finally {
      if (root) spawnSync('chattr', ['-i', folder]);
      else chmodSync(folder, 0o755);
    }
    // WHEN the cause is gone and synth runs again THEN the write is finished: dist/ is exactly the render
    writeDist(outdir, target);
    expect(existsSync(join(outdir, 'apps', 'app9'))).toBe(false);
    expect(existsSync(staging)).toBe(false);
    const state = folderState(outdir);
    expect(Object.keys(state).sort()).toEqual(outputFiles(target));
    for (const [path, text] of target) expect(state[path].text).toBe(text);
  });

  test('a FIFO in dist/ is refused with a sentence, not waited on for ever', () => {
    const outdir = scratchDist();
    rmSync(join(outdir, 'apps/app0/app.yaml'));
    expect(spawnSync('mkfifo', [join(outdir, 'apps/app0/app.yaml')]).status).toBe(0);
    const result = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'run.mjs'), 'main.ts'], {
      cwd: projectRoot, env: { ...process.env, CDK8S_OUTDIR: outdir, FLEET_CONFIG: writeTempFleet(demoFleetText) }, encoding: 'utf8', timeout: 30_000,
    });
    expect(result.signal).toBeNull();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('apps/app0/app.yaml in the output folder is not a plain file (a FIFO, a device, a socket or a folder)');
    expect(() => readOutput(outdir)).toThrow(/is not a plain file/);
  });

  test('discards a write that was interrupted before its journal was written', () => {
    const outdir = scratchDist();
    const before = folderState(outdir);
    const staging = interruptedWrite(outdir, { 'apps/app2/app.yaml': 'half a render' });
    const summary = writeDist(outdir, renderFleet(demoFleet()));
    expect(summary.changed).toEqual([]);
    expect(folderState(outdir)).toEqual(before);
    expect(existsSync(staging)).toBe(false);
  });

  test('a write that fails while staging leaves dist/ exactly as it was', () => {
    // GIVEN a render that cannot be written: one path is both a file and a folder
    const outdir = scratchDist();
    const before = folderState(outdir);
    const files = new Map(renderFleet(demoFleet((text) => setReplicas(text, 2, 10000))));
    files.set('apps/app2/app.yaml/nested.yaml', 'x');
    // WHEN it is written THEN it fails, and dist/ and its folder are as they were
    expect(() => writeDist(outdir, files)).toThrow(/EISDIR|ENOTDIR|EEXIST/);
    expect(folderState(outdir)).toEqual(before);
    expect(readdirSync(join(outdir, '..'))).toEqual(['dist']);
  });

  test('leaves no staging folders behind', () => {
    const outdir = scratchDist();
    writeDist(outdir, renderFleet(demoFleet((text) => setReplicas(text, 0, 7))));
    const siblings = readdirSync(join(outdir, '..'));
    expect(siblings).toEqual(['dist']);
  });
});

test('fleet.schema.json is generated from the config schema (run `npm run schema` when this fails)', () => {
  expect(readFileSync(join(projectRoot, 'fleet.schema.json'), 'utf8')).toBe(fleetSchemaDocument());
});

describe('the capacity plan inside synth', () => {
  const app2 = (replicas: number, clusters: string) => (text: string) =>
    text.replace('backgroundColor: blue\n    containerPort: 80\n    replicas: 5\n', `backgroundColor: blue\n    containerPort: 80\n    replicas: ${replicas}\n    clusters: ${clusters}\n`);

  test('refuses app2 at 10000 replicas on the IPv4 cluster, naming cluster, app, numbers and fix; dist/ untouched', () => {
    const outdir = scratchDist();
    const before = folderState(outdir);
    const result = runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: writeTempFleet(app2(10000, '[legacy-ipv4]')(demoFleetText)) });
    // 3 x (1024 - 5) = 3,057 addresses; 11,507 pods at a rollout's peak need ceil(11,507 / (29 - 3)) = 443 nodes of 3 ENIs x 10 addresses: 13,290
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('legacy-ipv4: out of IPv4 addresses: 11,507 pods at a rollout\'s peak (app2: 11,500, add-ons: 7) on 443 nodes hold 13,290 addresses '
      + 'with their 1,329 ENIs (the VPC CNI attaches whole ENIs and keeps one warm), the 3 subnets have 3,057. Fix: place app2 on ipv6-east');
    expect(folderState(outdir)).toEqual(before);
  });

  test('renders app2 at 10000 on the IPv6 cluster', () => {
    const outdir = scratchDist();
    const result = runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: writeTempFleet(app2(10000, '[ipv6-east]')(demoFleetText)) });
    expect(result.status).toBe(0);
    // The whole truth: 10,000 pods, 11,500 in a rollout, are more IP targets than the default quotas let one ALB hold.
    expect(result.stderr).toMatch(/^warning: ipv6-east: load balancer quota exceeded: app2: 11,500 IP targets at a rollout's peak.* Fix: request "Targets per Application Load Balancer"/);
    expect(readFileSync(join(outdir, 'apps/app2/app.yaml'), 'utf8')).toContain('replicas: 10000');
  });

  const tooSmall = (text: string) => app2(10000, '[ipv6-east]')(text).replace('minSize: 3\n        maxSize: 120', 'minSize: 3\n        maxSize: 50');

  test('warns, and still renders, when a node group max is too small', () => {
    const result = runSynth({ CDK8S_OUTDIR: scratchDist(), FLEET_CONFIG: writeTempFleet(tooSmall(demoFleetText)) });
    // at a rollout's peak (11,500 + 7 + 7 + 17 pods) / 107 pods per m5.large node = 107.8, so 108 nodes
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^warning: ipv6-east: node-group max too small: .*Fix: raise maxSize of default to 108\.$/m);
  });

  test('refuses a node group max that is too small when fleet.yaml says capacity.nodeGroupMaxTooSmall: error', () => {
    const outdir = scratchDist();
    const before = folderState(outdir);
    const strict = `${tooSmall(demoFleetText)}\ncapacity:\n  nodeGroupMaxTooSmall: error\n`;
    const result = runSynth({ CDK8S_OUTDIR: outdir, FLEET_CONFIG: writeTempFleet(strict) });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Fix: raise maxSize of default to 108.');
    expect(folderState(outdir)).toEqual(before);
  });
});

describe('npx cdk8s synth', () => {
  // A project folder with this repo's cdk8s.yaml and fleet.yaml; the app's scripts are linked in.
  function cdk8sProject(fleetText: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-cdk8s-'));
    copyFileSync(join(projectRoot, 'cdk8s.yaml'), join(dir, 'cdk8s.yaml'));
    writeFileSync(join(dir, 'fleet.yaml'), fleetText);
    symlinkSync(join(projectRoot, 'scripts'), join(dir, 'scripts'));
    return dir;
  }
  const cdk8sSynth = (cwd: string) => spawnSync(process.execPath, [join(projectRoot, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), 'synth', '--no-check-upgrade'], {
    cwd,
    env: { ...process.env, CDK8S_OUTDIR: '' },
    encoding: 'utf8',
  });

  test('renders dist/ and hands the CLI a copy of its files in its scratch folder', () => {
    const dir = cdk8sProject(demoFleetText);
    const result = cdk8sSynth(dir);
    expect(result.status).toBe(0);
    const expected = outputFiles(renderFleet(demoFleet()));
    expect(Object.keys(folderState(join(dir, 'dist'))).sort()).toEqual(expected);
    expect(Object.keys(folderState(join(dir, '.cdk8s.out'))).sort()).toEqual(expected);
    // A copy, not hard links: editing the CLI's folder must not edit dist/.
    const file = expected[1];
    expect(statSync(join(dir, '.cdk8s.out', file)).ino).not.toBe(statSync(join(dir, 'dist', file)).ino);
    writeFileSync(join(dir, '.cdk8s.out', file), 'edited');
    expect(readFileSync(join(dir, 'dist', file), 'utf8')).not.toBe('edited');
  });

  test('fails on a bad fleet.yaml and leaves dist/ as it was, although the CLI empties its own output folder', () => {
    const dir = cdk8sProject(demoFleetText);
    expect(cdk8sSynth(dir).status).toBe(0);
    const before = folderState(join(dir, 'dist'));
    writeFileSync(join(dir, 'fleet.yaml'), demoFleetText.replace('replicas: 5', 'replicas: lots'));
    const result = cdk8sSynth(dir);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('apps[0].replicas: expected an integer from 0 to 100000');
    expect(folderState(join(dir, 'dist'))).toEqual(before);
  });
});
