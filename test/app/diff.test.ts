import { execFileSync, spawnSync } from 'child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { renderFleet, renderForComparison } from '../../app/render';
import { parseFleet } from '../../config/load';
import { compareDist } from '../../diff/compare';
import { previousPlacementTexts } from '../../diff/placements';
import { largeFleetYaml } from '../fixtures/large-fleet';
import { committedDist } from '../../diff/baseline';
import { readOutput } from '../../output/write-dist';
import { demoFleetText, projectRoot, runSynth, scratchDist, setReplicas, writeTempFleet } from '../support/fixtures';

function runDiff(args: readonly string[], env: Record<string, string>, cwd = projectRoot) {
  return spawnSync(process.execPath, [join(projectRoot, 'scripts', 'run.mjs'), 'app/diff.ts', ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

/** A git repository whose one commit holds the demo fleet as fleet.yaml, as a team's GitOps repository would. */
function repositoryWithDemoFleet(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-repo-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  writeFileSync(join(dir, 'fleet.yaml'), demoFleetText);
  git('add', 'fleet.yaml');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'the fleet');
  return dir;
}

describe('npm run diff against dist/ on disk', () => {
  test('exits 0 and says "no changes" when fleet.yaml renders to dist/', () => {
    // GIVEN a copy of dist/ and an unedited fleet.yaml
    const env = { CDK8S_OUTDIR: scratchDist(), FLEET_CONFIG: writeTempFleet(demoFleetText) };
    // WHEN the diff runs
    const result = runDiff([], env);
    // THEN nothing differs, and the diff says it compared with the folder on disk, outside git
    expect(result.stdout).toMatch(/\/dist\/ -> [^\n]*: no changes\n[^\n]*dist\/ is not in a git repository: compared with [^\n]*dist\/ on disk as the last synth wrote it \(after `npm run synth` it shows no changes\)\.\n$/);
    expect(result.status).toBe(0);
  });

  test('exits 1 and prints the changed field when app2 goes to 10000 replicas', () => {
    const env = { CDK8S_OUTDIR: scratchDist(), FLEET_CONFIG: writeTempFleet(setReplicas(demoFleetText, 2, 10000)) };
    const result = runDiff([], env);
    expect(result.stdout).toContain('\napps/app2 -> ipv6-east\n  apps/app2  Deployment app2/app2  spec.replicas: 5 -> 10000\n');
    expect(result.status).toBe(1);
  });

  test('--markdown prints the Markdown section, with the same exit status', () => {
    const env = { CDK8S_OUTDIR: scratchDist(), FLEET_CONFIG: writeTempFleet(setReplicas(demoFleetText, 2, 10000)) };
    const result = runDiff(['--markdown'], env);
    expect(result.stdout.startsWith('## Fleet diff\n')).toBe(true);
    expect(result.stdout).toContain('  - `spec.replicas`: `5` → `10000`\n');
    expect(result.stdout).toContain('**Apps and pods per cluster:**\n\n- ipv6-east: scales app2 5 -&gt; 10,000 (+9,995 pods); 19 -&gt; 10,014 pods\n');
    expect(result.status).toBe(1);
  });

  test('says in one line per cluster which apps and pods a change adds or removes there', () => {
    // GIVEN app0 moved from ipv6-east onto legacy-ipv4, and app2 scaled
    const moved = setReplicas(demoFleetText, 2, 10000).replace('    replicas: 5\n  - name: app1', '    replicas: 5\n    clusters: [legacy-ipv4]\n  - name: app1');
    const result = runDiff([], { CDK8S_OUTDIR: scratchDist(), FLEET_CONFIG: writeTempFleet(moved) });
    expect(result.stdout).toContain('\nApps and pods per cluster:\n  legacy-ipv4: adds app0 (+5 pods); 0 -> 5 pods\n  ipv6-east: removes app0 (-5 pods); scales app2 5 -> 10,000 (+9,995 pods); 19 -> 10,009 pods\n');
  });

  test('says which ALBs a change adds or removes on each cluster', () => {
    // GIVEN app0 moved onto legacy-ipv4 (the first ALB there) and app2 at 10,000 replicas (an ALB of its own)
    const moved = setReplicas(demoFleetText, 2, 10000).replace('    replicas: 5\n  - name: app1', '    replicas: 5\n    clusters: [legacy-ipv4]\n  - name: app1');
    // WHEN
    const result = runDiff([], { CDK8S_OUTDIR: scratchDist(), FLEET_CONFIG: writeTempFleet(moved) });
    // THEN
    expect(result.stdout).toContain('  legacy-ipv4: ALBs 0 -> 1: adds shared-0 (app0)\n  ipv6-east: ALBs 1 -> 2: adds own-app2 (app2); app2 moves from ALB shared-0 to ALB own-app2\n');
    // and warns that app2 moves without the walk, which would have avoided its 404s
    expect(result.stdout).toMatch(/warning: ipv6-east\/app2: an app moves to another ALB without the walk: app2 moves from ALB shared-0 to ALB own-app2 on ipv6-east .*404 .*nextLoadBalancer: own/);
    // and without apps, the shared ALB goes; one app less leaves it
    const none = runDiff([], { CDK8S_OUTDIR: scratchDist(), FLEET_CONFIG: writeTempFleet(`${demoFleetText.slice(0, demoFleetText.indexOf('\napps:'))}\napps: []\n`) });
    expect(none.stdout).toContain('  ipv6-east: ALBs 1 -> 0: removes shared-0 (had app0, app1, app2 and 1 more)\n');
    const fewer = runDiff([], { CDK8S_OUTDIR: scratchDist(), FLEET_CONFIG: writeTempFleet(demoFleetText.replace(/\n {2}- name: app2[\s\S]*$/, '\n')) });
    expect(fewer.stdout).toContain('ipv6-east: removes app2');
    expect(fewer.stdout).not.toContain('ALBs');
  });

  test('exits 2 with the fleet.yaml problem when fleet.yaml is not valid', () => {
    const env = { CDK8S_OUTDIR: scratchDist(), FLEET_CONFIG: writeTempFleet(demoFleetText.replace('replicas: 5', 'replicas: lots')) };
    const result = runDiff([], env);
    expect(result.stderr).toMatch(/fleet\.yaml:\d+:15: apps\[0\]\.replicas: expected an integer from 0 to 100000, got "lots" \(text\)/);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(2);
  });

  test('exits 2 when the output folder does not exist, or on an unknown option', () => {
    const missing = runDiff([], { CDK8S_OUTDIR: join(tmpdir(), 'no-such-dist-folder'), FLEET_CONFIG: writeTempFleet(demoFleetText) });
    expect(missing.stderr).toContain('no-such-dist-folder/ does not exist');
    expect(missing.status).toBe(2);
    const unknown = runDiff(['--colour'], {});
    expect(unknown.stderr).toContain('Usage: npm run diff');
    expect(unknown.status).toBe(2);
  });
});

/** A git repository that commits the demo fleet's fleet.yaml and dist/, as a team's GitOps repository does after its first synth. */
function repositoryWithCommittedDist(): string {
  const dir = repositoryWithDemoFleet();
  cpSync(scratchDist(), join(dir, 'dist'), { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('add', 'dist');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'dist/ of the fleet');
  return dir;
}

describe('npm run diff compares with the dist/ committed at HEAD', () => {
  test('after an edit and a synth, the daily loop\'s diff shows the change the commit holds', () => {
    // GIVEN a repository whose committed dist/ renders its fleet.yaml
    const repository = repositoryWithCommittedDist();
    writeFileSync(join(repository, 'fleet.yaml'), setReplicas(demoFleetText, 2, 10000));
    // WHEN app2 is scaled, synth writes dist/, and the diff runs in the repository
    const synth = runSynth({ FLEET_CONFIG: join(repository, 'fleet.yaml'), CDK8S_OUTDIR: join(repository, 'dist') });
    expect(synth.status).toBe(0);
    const result = runDiff([], { FLEET_CONFIG: 'fleet.yaml', CDK8S_OUTDIR: 'dist' }, repository);
    // THEN it compares with dist/ at HEAD, not with the dist/ synth just wrote, and shows the change
    expect(result.stdout).toContain('dist/ at HEAD -> fleet.yaml: 2 changed, 0 added, 0 removed objects');
    expect(result.stdout).toContain('  apps/app2  Deployment app2/app2  spec.replicas: 5 -> 10000\n');
    expect(result.stdout).toContain('ipv6-east: scales app2 5 -> 10,000 (+9,995 pods)');
    expect(result.status).toBe(1);
  });

  test('exits 0 once the change is committed', () => {
    const repository = repositoryWithCommittedDist();
    const result = runDiff([], { FLEET_CONFIG: 'fleet.yaml', CDK8S_OUTDIR: 'dist' }, repository);
    expect(result.stdout).toBe('dist/ at HEAD -> fleet.yaml: no changes\n');
    expect(result.status).toBe(0);
  });

  test('reads the committed files with git, byte for byte as they are on disk after the commit, without the marker', () => {
    const repository = repositoryWithCommittedDist();
    expect(committedDist(join(repository, 'dist'))).toEqual(readOutput(join(repository, 'dist')));
    expect([...committedDist(join(repository, 'dist'))!.keys()]).not.toContain('.fleet-synth');
  });

  test('falls back to dist/ on disk, saying so, when dist/ is not committed', () => {
    // GIVEN a repository that commits fleet.yaml only, and a synthesized dist/ beside it
    const repository = repositoryWithDemoFleet();
    cpSync(scratchDist(), join(repository, 'dist'), { recursive: true });
    const result = runDiff([], { FLEET_CONFIG: 'fleet.yaml', CDK8S_OUTDIR: 'dist' }, repository);
    expect(committedDist(join(repository, 'dist'))).toBeUndefined();
    expect(result.stdout).toBe('dist/ -> fleet.yaml: no changes\ndist/ is not committed at HEAD: compared with dist/ on disk as the last synth wrote it (after `npm run synth` it shows no changes).\n');
    expect(result.status).toBe(0);
  });

  test('exits 2 when dist/ is neither committed nor on disk', () => {
    const repository = repositoryWithDemoFleet();
    const result = runDiff([], { FLEET_CONFIG: 'fleet.yaml', CDK8S_OUTDIR: 'dist' }, repository);
    expect(result.stderr).toContain('diff failed: dist/ does not exist and is not committed at HEAD: run `npm run synth` first');
    expect(result.status).toBe(2);
  });
});

describe('npm run diff --base <rev>', () => {
  const repository = repositoryWithDemoFleet();
  const committedFleet = demoFleetText;

  test('compares fleet.yaml at the revision with the working tree\'s, both rendered with the current code', () => {
    const result = runDiff(['--base', 'HEAD'], { FLEET_CONFIG: writeTempFleet(setReplicas(committedFleet, 2, 10000)) }, repository);
    expect(result.stdout).toContain('fleet.yaml at HEAD -> ');
    expect(result.stdout).toContain('  apps/app2  Deployment app2/app2  spec.replicas: 5 -> 10000\n');
    expect(result.status).toBe(1);
  });

  test('exits 0 when fleet.yaml did not change since the revision', () => {
    const result = runDiff(['--base', 'HEAD'], { FLEET_CONFIG: writeTempFleet(committedFleet) }, repository);
    expect(result.stdout).toContain(': no changes\n');
    expect(result.status).toBe(0);
  });

  test('exits 2 when the revision does not exist', () => {
    const result = runDiff(['--base', 'no-such-revision'], {}, repository);
    expect(result.stderr).toContain('cannot read fleet.yaml at no-such-revision');
    expect(result.status).toBe(2);
  });
});

describe('the two renders --base compares', () => {
  /** Edits of fleet.yaml a pull request makes, each compared with the fleet before it. */
  const large = largeFleetYaml(60, 8);
  const edits: Array<[string, string, (text: string) => string]> = [
    ['nothing', large, (text) => text],
    ['one app scaled', large, (text) => setReplicas(text, 7, 12)],
    ['an app moved', large, (text) => text.replace(/( {2}- name: app3\n(?: {4}.*\n)*? {4}clusters: )\[ipv6-07\]/, '$1[ipv6-01]')],
    ['an app added and one removed', large, (text) => text.replace(/ {2}- name: app5\n( {4}.*\n)+?(?= {2}- )/, '').replace('apps:\n', 'apps:\n  - { name: new, backgroundColor: red, containerPort: 80, replicas: 2, clusters: [ipv6-03] }\n')],
    ['a cluster changed', large, (text) => text.replace(/( {2}- name: ipv6-03\n(?: {4}.*\n)*? {4}kubernetesVersion: )"1\.35"/, '$1"1.36"')],
    ['the domain', demoFleetText, (text) => text.replace('domain: apps.example.com', 'domain: apps.example.org')],
    ['the repository', demoFleetText, (text) => text.replace('example-org/eks-ipv6-gitops.git', 'example-org/fleet.git')],
  ];

  test.each(edits)('%s: the diff and the per-cluster lines are those of two whole renders', (name, text, edit) => {
    // GIVEN a fleet and its edit
    expect(edit(text) === text).toBe(name === 'nothing');
    const [before, after] = [parseFleet(text), parseFleet(edit(text))];
    // WHEN both are rendered for comparison, and in whole
    const [partBefore, partAfter] = renderForComparison(before, after);
    const [wholeBefore, wholeAfter] = [renderFleet(before), renderFleet(after)];
    // THEN the test apps both render alike are left out of both, and the comparison is the same
    expect(partAfter.size).toBeLessThanOrEqual(wholeAfter.size);
    expect(compareDist(partBefore, partAfter)).toEqual(compareDist(wholeBefore, wholeAfter));
    expect(previousPlacementTexts(partBefore, partAfter)).toEqual(previousPlacementTexts(wholeBefore, wholeAfter));
  });

  test('leaves out every app both fleets render alike, and no other', () => {
    const [before, after] = [parseFleet(large), parseFleet(setReplicas(large, 7, 12))];
    const [partBefore, partAfter] = renderForComparison(before, after);
    const apps = (files: Map<string, string>) => [...new Set([...files.keys()].filter((path) => path.startsWith('apps/')).map((path) => path.split('/')[1]))];
    expect(apps(partBefore)).toEqual(['app7']);
    expect(apps(partAfter)).toEqual(['app7']);
  });
});
