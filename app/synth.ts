import { ClusterPlan, planFleet } from '../capacity/plan';
import { planProblems } from '../capacity/report';
import { allClusters, Fleet } from '../config/fleet';
import { formatProblem, loadFleet, locateProblems } from '../config/load';
import { SynthOptions } from '../config/locations';
import { count } from '../config/messages';
import { BackgroundStager, backgroundStagingMinApps } from '../output/background-staging';
import { fileText } from '../output/file-content';
import { DistWrite, finishInterruptedWrite, OutputLock, StagedFiles, Stager, WriteSummary, writeFiles } from '../output/write-dist';
import { clusterChanges, formatClusterChanges, placementFilesPattern, placementsBefore, placementsOf } from '../diff/placements';
import { buildFleetInSlices, renderFleet } from './render';

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
  const { errors, warnings } = planProblems(plan, fleet.capacity);
  if (!errors.length) return warnings;
  // Each cluster's errors at that cluster (its index in fleet.yaml: pending clusters have no plan),
  // and those of a region (an account's load balancers there) at the clusters list.
  const indexes = new Map(allClusters(fleet).map((cluster) => [cluster.name, cluster.index]));
  const perCluster = (cluster: ClusterPlan) => planProblems({ ...plan, clusters: [cluster], regions: [] }, fleet.capacity).errors;
  const located = locateProblems(configFile, [
    ...plan.clusters.flatMap((cluster) => perCluster(cluster).map((message) => ({ path: ['clusters', indexes.get(cluster.cluster)!], message }))),
    ...planProblems({ ...plan, clusters: [] }, fleet.capacity).errors.map((message) => ({ path: ['clusters'], message })),
  ]);
  throw new CapacityError(located.map(formatProblem), warnings);
}

export interface SynthResult extends WriteSummary {
  /** Capacity warnings, for the person who runs synth. */
  readonly warnings: readonly string[];
  /** One line per cluster whose apps or pods the change adds or removes (diff/placements.ts). */
  readonly clusterChanges: readonly string[];
}

/** How a synth runs, beyond where it reads and writes. */
export interface SynthRun {
  /** The bundle synth runs from: given it, a large fleet is staged on a second thread. */
  readonly workerScript?: string;
  /** Told, in a sentence, what happens to the output folder before this synth writes it: a wait for another synth, an interrupted write finished. */
  readonly notice?: (message: string) => void;
  /** How long to wait for another synth writing the same folder. */
  readonly lockWaitMs?: number;
}

/**
 * Holds the output folder's lock for the whole run: finishes a write an interrupted synth had
 * begun, then loads the fleet, checks its capacity, renders it and, only if all of that
 * succeeded, writes the output folder. Given the bundle it runs from, a large fleet is built on
 * this thread while a second one serialises and stages its files.
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
    const result = await synthesizeLocked(options, lock, run.workerScript);
    return finished ? { ...result, finished } : result;
  } finally {
    lock.release();
  }
}

async function synthesizeLocked(options: SynthOptions, lock: OutputLock, workerScript?: string): Promise<SynthResult> {
  const fleet = loadFleet(options.configFile);
  const warnings = checkCapacity(fleet, options.configFile);
  // What the change does to each cluster, from the previous texts of the files that say where
  // apps run and with how many pods, which the write reads anyway to compare.
  const changesOf = (summary: WriteSummary) => {
    const after = placementsOf(fleet);
    return formatClusterChanges(clusterChanges(placementsBefore(after, new Map(summary.previous)), after));
  };
  if (!workerScript || fleet.apps.length < backgroundStagingMinApps) {
    const summary = writeFiles(lock, renderFleet(fleet), placementFilesPattern);
    return { ...summary, warnings, clusterChanges: changesOf(summary) };
  }
  const write = DistWrite.begin(lock, placementFilesPattern);
  const background = new BackgroundStager(workerScript, write.target);
  const here = new Stager(write.target);
  let staged: StagedFiles[];
  try {
    buildFleetInSlices(fleet, (contents, slicesLeft) => {
      // Near the end, a slice the staging thread would only reach after this thread has built
      // the rest is staged here instead, so both finish together (a fresh dist/ on a slow disk).
      if (background.backlog > slicesLeft + 1) for (const content of contents) here.stage(content.path, fileText(content));
      else background.stage(contents);
    });
    staged = [await background.finish(), here.staged];
  } catch (error) {
    await background.cancel();
    write.abort();
    throw error;
  }
  const summary = write.commit(staged);
  return { ...summary, warnings, clusterChanges: changesOf(summary) };
}
