import { ChildProcess, spawn, spawnSync, SpawnSyncReturns } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { renderFleet } from '../../app/render';
import { Fleet } from '../../config/fleet';
import { FleetConfigError, parseFleet } from '../../config/load';
import { outputMarker, writeDist } from '../../output/write-dist';
import { RenderedObject, renderedObjects } from '../../verify/rendered';
import { largeFleetYaml } from '../fixtures/large-fleet';

export { findObject, parseManifests } from '../../verify/rendered';
export type { Manifest } from '../../verify/rendered';

export const projectRoot = join(__dirname, '..', '..');
const fixturesDir = join(projectRoot, 'test', 'fixtures');

/**
 * The fixture fleets the generator is tested on (test/fixtures/<name>.yaml). They are the tests'
 * own: a team's edits of fleet.yaml never change what `npm test` checks.
 */
export const fixtureNames = ['demo', 'migration', 'addons-off', 'ipv4-argocd', 'accounts', 'services-migration', 'services-sources'] as const;
/** Fixture fleets for tests of one kind of change (adding, removing, reordering clusters), not snapshotted and checked as a whole like fixtureNames. */
export const changeFixtureNames = ['two-ipv6'] as const;
export type FixtureName = typeof fixtureNames[number] | typeof changeFixtureNames[number];

export function fixturePath(name: FixtureName): string {
  return join(fixturesDir, `${name}.yaml`);
}

export function fixtureText(name: FixtureName): string {
  return readFileSync(fixturePath(name), 'utf8');
}

/** The demo fleet fleet.yaml ships with: one IPv4 and one IPv6 cluster, app0 yellow, app1 red, app2 blue. */
export const demoFleetText = fixtureText('demo');

/** The demo fleet with its test apps alone: its podinfo (the last app, from its comment on) taken out, for tests that add the services they need. */
export const testAppsFleetText = (() => {
  const at = demoFleetText.indexOf('  # A service of the team\'s own');
  if (at < 0) throw new Error('test/fixtures/demo.yaml no longer introduces podinfo with "# A service of the team\'s own": update testAppsFleetText');
  return demoFleetText.slice(0, at);
})();

/** A fixture fleet, optionally edited as text first (a test's one-line change). */
export function fixtureFleet(name: FixtureName, edit: (text: string) => string = (text) => text): Fleet {
  return parseFleet(edit(fixtureText(name)), `test/fixtures/${name}.yaml`);
}

/** A large fleet: `apps` apps over `clusters` clusters, half of them IPv6 (test/fixtures/large-fleet.ts). */
export function largeFleetFixture(apps: number, clusters: number, edit: (text: string) => string = (text) => text): Fleet {
  return parseFleet(edit(largeFleetYaml(apps, clusters)), 'large-fleet.yaml');
}

/** The demo fleet, optionally edited as text first. */
export function demoFleet(edit: (text: string) => string = (text) => text): Fleet {
  return fixtureFleet('demo', edit);
}

/** The real synth, as `npm run synth` runs it (the bundle, in a process of its own), on the demo fleet unless FLEET_CONFIG says otherwise. */
export function runSynth(env: Record<string, string>): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [join(projectRoot, 'scripts', 'run.mjs'), 'main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, FLEET_CONFIG: fixturePath('demo'), ...env },
    encoding: 'utf8',
  });
}

/** runSynth without waiting for it: for synths that run at the same time. */
export function startSynth(env: Record<string, string>, onSpawn?: (child: ChildProcess) => void): Promise<{ status: number | null; stdout: string; stderr: string; endedAt: number }> {
  const child = spawn(process.execPath, [join(projectRoot, 'scripts', 'run.mjs'), 'main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, FLEET_CONFIG: fixturePath('demo'), ...env },
  });
  onSpawn?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr, endedAt: Date.now() })));
}

/** Writes fleet text to a fleet.yaml in a new temp folder, for a test that runs a command on it. */
export function writeTempFleet(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'fleet-test-')), 'fleet.yaml');
  writeFileSync(file, text);
  return file;
}

/** A dist/ in a new temp folder, synthesized from the demo fleet, for tests that run synth against one. */
export function scratchDist(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'fleet-test-')), 'dist');
  writeDist(dir, renderFleet(demoFleet()));
  return dir;
}

/** Every file an output folder holds once synth wrote `files` into it: the rendered files and the marker, in path order. */
export function outputFiles(files: ReadonlyMap<string, string>): string[] {
  return [outputMarker, ...files.keys()];
}

/** Every file of dist/ for a fleet, with its objects parsed. */
export function renderParsed(fleet: Fleet): { files: Map<string, string>; objects: RenderedObject[] } {
  const files = renderFleet(fleet);
  return { files, objects: renderedObjects(files) };
}

/** Replaces the n-th (0-based) `replicas: 5` of fleet.yaml, i.e. app n's replicas. */
export function setReplicas(text: string, appIndex: number, replicas: number): string {
  let seen = -1;
  return text.replace(/replicas: 5\b/g, (match) => (++seen === appIndex ? `replicas: ${replicas}` : match));
}

/** The 1-based line of the first line of `text` that holds `fragment` (0 when none does). */
export function lineOf(text: string, fragment: string): number {
  return text.split('\n').findIndex((line) => line.includes(fragment)) + 1;
}

/** The problems fleet.yaml validation finds in `text`, each as `path: message`; a fleet it accepts fails the test. */
export function problemsOf(text: string): string[] {
  return locatedProblemsOf(text).map((problem) => problem.slice(problem.indexOf(' ') + 1));
}

/** The problems fleet.yaml validation finds in `text`, each as `line:column path: message`; a fleet it accepts fails the test. */
export function locatedProblemsOf(text: string): string[] {
  try {
    parseFleet(text);
  } catch (error) {
    expect(error).toBeInstanceOf(FleetConfigError);
    return (error as FleetConfigError).problems.map((problem) => `${problem.line}:${problem.column} ${problem.path}: ${problem.message}`);
  }
  throw new Error('the fleet was accepted');
}

/** The `source` of a podinfo service in an apps item (its chart at the demo's version, not vendored), as fleet.yaml indents it. */
export const podinfoChartSource = `    source:
      chart:
        repoURL: https://stefanprodan.github.io/podinfo
        name: podinfo
        version: 6.14.1
`;
