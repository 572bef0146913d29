import { existsSync, readFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { ClusterPlan, planFleet } from '../capacity/plan';
import { planProblems } from '../capacity/report';
import { AppInputs, appInputs } from '../charts/fleet';
import { allClusters, Fleet } from '../config/fleet';
import { fieldLines, FleetConfigError, formatProblem, loadFleet, locateProblems } from '../config/load';
import { identitySwitchProblems } from '../terraform/identity-switch';
import { sourceKindSwitches } from '../diff/source-kinds';
import { hostChanges } from '../diff/host-changes';
import { SynthOptions } from '../config/locations';
import { count } from '../config/messages';
import { fleetToday } from '../config/eks-versions';
import { fleetWarnings } from '../config/fleet-warnings';
import { BackgroundStager, backgroundStagingMinApps } from '../output/background-staging';
import { FileContent, fileText } from '../output/file-content';
import { RenderCache } from '../output/render-cache';
import { DistWrite, finishInterruptedWrite, OutputLock, StagedFiles, Stager, unchangedFiles, WriteSummary, WriteTarget } from '../output/write-dist';
import { formatLoadBalancerChanges, loadBalancerGroupsBefore, loadBalancerGroupsOf, LoadBalancerWalk, loadBalancerWalk } from '../diff/load-balancers';
import { clusterChanges as changesBetween, formatClusterChanges, placementFilesPattern, placementsBefore, placementsOf } from '../diff/placements';
import { addonsTurnedOff, clusterSecretFilesPattern, committedClusterSecrets, hasAddonsOff } from '../diff/addons-off';
import { fleetMoves, leavingClusters, leavingProblem, releasedLines, replacedLines } from '../diff/fleet-changes';
import { committedDist } from '../diff/baseline';
import { distLayout } from '../catalog/dist-layout';
import { nodeGroupWarnings } from '../capacity/max-pods';
import { sourceVersion, appFingerprint } from './fingerprint';
import { buildFleetInSlices, appPaths, withWaveCopies } from './render';
import { sharedChanges, waveFilesPattern, waveMoves, waveReach } from '../diff/waves';

/** The fleet cannot schedule: an IPv4 cluster is out of addresses, or (when set to refuse) a node group is too small. */
export class CapacityError extends Error {
  constructor(readonly errors: readonly string[], readonly warnings: readonly string[]) {
    super(errors.join('\n'));
    this.name = 'CapacityError';
  }
}

/**
 * Applies the capacity plan (npm run plan): throws CapacityError on errors, each located at its
 * cluster in `configFile` as fleet.yaml's own problems are, and returns the warnings.
 */
export function checkCapacity(fleet: Fleet, configFile: string): readonly string[] {
  const plan = planFleet(fleet);
  const lines = fieldLines(configFile);
  const { errors, warnings } = planProblems(plan, fleet.capacity, lines);
  if (!errors.length) return warnings;
  // Each cluster's errors at that cluster (its index in fleet.yaml),
  // and those of a region (an account's load balancers there) at the clusters list.
  const indexes = new Map(allClusters(fleet).map((cluster) => [cluster.name, cluster.index]));
  const perCluster = (cluster: ClusterPlan) => planProblems({ ...plan, clusters: [cluster], regions: [] }, fleet.capacity).errors;
  const located = locateProblems(configFile, [
    ...plan.clusters.flatMap((cluster) => perCluster(cluster).map((message) => ({ path: ['clusters', indexes.get(cluster.cluster)!], message }))),
    ...planProblems({ ...plan, clusters: [] }, fleet.capacity, lines).errors.map((message) => ({ path: ['clusters'], message })),
  ]);
  throw new CapacityError(located.map(formatProblem), warnings);
}

/**
 * The change removes clusters that still run apps in the output folder, without saying what
 * becomes of those apps (README, "Removing a cluster"): each message located at fleet.yaml's clusters.
 */
export class ClusterRemovalError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ClusterRemovalError';
  }
}

/** The previous texts a write keeps: the files that tell placements, and the root app, which tells where Argo CD runs and the zone's account. */
const keptFilesPattern = `${placementFilesPattern}|${waveFilesPattern}|^${distLayout.argocdRoot.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;

export interface SynthResult extends WriteSummary {
  /** Capacity warnings, for the person who runs synth. */
  readonly warnings: readonly string[];
  /** One line per cluster whose apps or pods the change adds or removes (diff/placements.ts). */
  readonly clusterChanges: readonly string[];
  /** The test apps rendered; every other one was left as the last synth wrote it (RenderCache). */
  readonly renderedApps: readonly string[];
  /** Loud lines: Argo CD or the hosted zone moving, a cluster leaving with its apps released (diff/fleet-changes.ts). */
  readonly moves: readonly string[];
  /** Which waves a change to what clusters share reaches now, and which wait (diff/waves.ts). */
  readonly waves: readonly string[];
}

/** How a synth runs, beyond where it reads and writes. */
export interface SynthRun {
  /** The bundle synth runs from: given it, a large fleet is staged on a second thread. */
  readonly workerScript?: string;
  /**
   * The version of the code that renders, part of every app's fingerprint: a hash of the bundle synth runs from (bundleVersion).
   * @default a hash of the sources, as synth runs from them in the tests (sourceVersion)
   */
  readonly generator?: string;
  /** Told, in a sentence, what happens to the output folder before this synth writes it: a wait for another synth, an interrupted write finished. */
  readonly notice?: (message: string) => void;
  /** How long to wait for another synth writing the same folder. */
  readonly lockWaitMs?: number;
  /**
   * `npm run synth -- --replace-fleet`: the clusters that leave may leave with their apps (a team
   * replacing the demo fleet with its own); each is named, with its apps, in the loud lines.
   */
  readonly replaceFleet?: boolean;
}

/**
 * Holds the output folder's lock for the whole run: finishes a write an interrupted synth had
 * begun, then loads the fleet, checks its capacity, renders it and, only if all of that
 * succeeded, writes the output folder. Only the test apps that changed since the last synth are
 * rendered (RenderCache); the Argo CD, add-on and Terraform files always are. Given the bundle
 * it runs from, many apps are rendered on this thread while a second one stages their files.
 */
export async function synthesize(options: SynthOptions, run: SynthRun = {}): Promise<SynthResult> {
  const lock = OutputLock.acquire(options.outdir, run.lockWaitMs, (holder) => {
    run.notice?.(`waiting for another synth${holder ? ` (pid ${holder})` : ''} to finish writing ${options.outdir}/`);
  });
  try {
    const finished = finishInterruptedWrite(lock);
    if (finished) {
      run.notice?.(`${options.outdir}/: finished the write an interrupted synth had begun: ${count(finished.written)} files and folders moved in, ${count(finished.removed)} removed`);
    }
    const result = await synthesizeLocked(options, lock, run);
    return finished ? { ...result, finished } : result;
  } finally {
    lock.release();
  }
}

async function synthesizeLocked(options: SynthOptions, lock: OutputLock, run: SynthRun): Promise<SynthResult> {
  // A later wave's pinned commit is read from the repository fleet.yaml is in.
  const fleet = withWaveCopies(loadFleet(options.configFile), dirname(resolve(options.configFile)));
  const warnings = [...checkCapacity(fleet, options.configFile), ...fleetWarnings(fleet, fleetToday()), ...nodeGroupWarnings(fleet)];
  // An identity switch is refused against the dist/ this synth replaces (what was last applied, or is about to be).
  const switched = identitySwitchProblems(fleet, (cluster) => {
    const path = join(options.outdir, distLayout.terraformCluster(cluster.name));
    return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
  }, (file) => {
    const path = join(options.outdir, file);
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  });
  if (switched.length) throw new FleetConfigError(locateProblems(options.configFile, switched));
  const fingerprint = appFingerprint(run.generator ?? sourceVersion());
  const write = DistWrite.begin(lock, `${keptFilesPattern}|${clusterSecretFilesPattern}`);
  let cache: RenderCache;
  const rendered: AppInputs[] = [];
  const fingerprints: string[] = [];
  let staged: StagedFiles[];
  let leaving: ReturnType<typeof leavingClusters>;
  let albWalk: LoadBalancerWalk;
  try {
    // A cluster that leaves while the output folder still runs apps on it must say what becomes of them.
    // With the output folder missing or empty (deleted, or never synthesized in this clone), the
    // dist/ committed at HEAD tells what runs where: deleting dist/ does not drop a cluster's apps.
    const committed = write.previousPaths.length ? undefined : committedDist(options.outdir);
    leaving = committed
      ? leavingClusters(fleet, [...committed.keys()], (path) => committed.get(path))
      : leavingClusters(fleet, write.previousPaths, (path) => write.previousText(path));
    const problems = run.replaceFleet ? [] : leaving.flatMap((cluster) => leavingProblem(cluster) ?? []);
    if (problems.length) throw new ClusterRemovalError(locateProblems(options.configFile, problems.map((message) => ({ path: ['clusters'], message }))).map(formatProblem));
    // An app whose fingerprint and files are as the last synth left them is neither rendered nor compared.
    cache = RenderCache.read(lock, write.target.outdirExists);
    const kept: string[] = [];
    for (const inputs of appInputs(fleet)) {
      const paths = appPaths(inputs.app);
      const appFingerprint = fingerprint(inputs);
      if (cache.holds(inputs.app.name, appFingerprint, paths)) {
        for (const path of paths) kept.push(path);
      } else {
        rendered.push(inputs);
        fingerprints.push(appFingerprint);
      }
    }
    staged = [...await stageFleet(fleet, rendered, { ...write.target, units: cache.units }, run.workerScript), unchangedFiles(kept)];
    // An app moving between ALBs is judged against the dist/ this synth replaces: its per-cluster files that change
    // (npm run check judges it against the pull request's base, which is what the clusters run: app/checks.ts walkCheck).
    // So is an app changing kind (a chart, a git path, a test page) on a cluster where it runs (diff/source-kinds.ts).
    const replaced = new Map(staged.flatMap((part) => part.previous));
    albWalk = loadBalancerWalk(fleet, replaced);
    const unsafe = [...albWalk.problems, ...sourceKindSwitches(fleet, replaced)];
    if (unsafe.length) throw new FleetConfigError(locateProblems(options.configFile, unsafe));
  } catch (error) {
    write.abort();
    throw error;
  }
  const summary = write.commit(staged);
  // The apps whose files the write found as rendered, with their identities as they were read.
  const found = new Map<string, string>();
  for (const part of staged) for (let index = 0; index < part.units.length; index += 2) found.set(part.units[index], part.units[index + 1]);
  rendered.forEach(({ app }, index) => cache.record(app.name, fingerprints[index], appPaths(app), found.get(app.name)));
  cache.save();
  // What the change does to each cluster, from the previous texts of the files that say where
  // apps run and with how many pods, which the write reads anyway to compare.
  const after = placementsOf(fleet);
  const previous = new Map(summary.previous);
  // A cluster leaving with released apps removes none of them: its loud line says what stays running.
  const released = new Set(leaving.filter((cluster) => cluster.released).map((cluster) => cluster.cluster));
  const albsAfter = loadBalancerGroupsOf(fleet);
  const clusterChanges = [
    ...formatClusterChanges(changesBetween(placementsBefore(after, previous), after).filter((change) => !released.has(change.cluster))),
    ...formatLoadBalancerChanges(loadBalancerGroupsBefore(albsAfter, previous), albsAfter),
  ];
  // (the root app's previous text is kept only when it changed: unchanged, nothing moved)
  const moves = [...fleetMoves(previous.get(distLayout.argocdRoot), fleet), ...(run.replaceFleet ? replacedLines(leaving) : releasedLines(leaving))];
  // An add-on turned off leaves its pods running without their AWS identity: said with the
  // warnings until committed, as npm run diff says it (else against the dist/ this synth replaced).
  const addonsOff = hasAddonsOff(fleet) ? addonsTurnedOff(committedClusterSecrets(options.outdir) ?? previous, fleet) : [];
  // A host that changes where the app runs: its clients' old name stops answering (diff/host-changes.ts).
  const renamed = locateProblems(options.configFile, hostChanges(fleet, previous)).map(formatProblem);
  // A change to what clusters share reaches the first wave now; the later ones wait for a promotion.
  let waves: string[] = [];
  if (fleet.waves.length > 1) {
    const wavePaths = [...previous.keys()].filter((path) => new RegExp(waveFilesPattern).test(path) && existsSync(join(options.outdir, path)));
    const written = new Map(wavePaths.map((path) => [path, readFileSync(join(options.outdir, path), 'utf8')]));
    waves = [...waveMoves(fleet, (path) => previous.get(path)), ...waveReach(fleet, sharedChanges((path) => previous.get(path), written, wavePaths))];
  }
  return { ...summary, warnings: [...warnings, ...albWalk.warnings, ...renamed, ...addonsOff], clusterChanges, moves, waves, renderedApps: rendered.map(({ app }) => app.name) };
}

/**
 * Renders the fleet's Argo CD, add-on and Terraform files and those of `apps`, and stages them
 * for `target`. With the bundle synth runs from and enough apps, a second thread compares and
 * stages the files while this one renders and serialises the next slices.
 */
async function stageFleet(fleet: Fleet, apps: readonly AppInputs[], target: WriteTarget, workerScript?: string): Promise<StagedFiles[]> {
  const here = new Stager(target);
  const stageHere = (contents: readonly FileContent[]) => {
    for (const content of contents) here.stage(content.path, fileText(content));
  };
  if (!workerScript || apps.length < backgroundStagingMinApps) {
    buildFleetInSlices(fleet, stageHere, apps);
    return [here.staged];
  }
  const background = new BackgroundStager(workerScript, target);
  try {
    buildFleetInSlices(fleet, (contents, slicesLeft) => {
      // A slice the staging thread would only reach after this thread has built the rest, or
      // one that would queue more texts in memory than a few slices hold, is staged here
      // instead: both threads finish together, and a slow disk holds up no more than that.
      if (background.backlog > Math.min(slicesLeft + 1, maxBacklogSlices)) stageHere(contents);
      else background.stage(contents.map((content) => [content.path, fileText(content)] as const));
    }, apps);
    return [await background.finish(), here.staged];
  } catch (error) {
    await background.cancel();
    throw error;
  }
}

/** Slices handed to the staging thread and not staged yet, at most. */
const maxBacklogSlices = 8;
