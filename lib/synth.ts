import { App } from 'cdk8s';
import { FleetControlCharts, TestAppCharts } from '../charts/fleet';
import { Fleet } from '../config/fleet';
import { loadFleet } from '../config/load';
import { SynthOptions } from '../config/locations';
import { BackgroundStager, backgroundStagingMinApps } from './background-staging';
import { planFleet, planProblems } from './capacity';
import { FileContent, fileText } from './file-content';
import { fileContents } from './render';
import { byPath, DistWrite, StagedFiles, Stager, WriteSummary, writeDist } from './write-dist';

/** Renders a fleet to the text of every file of dist/, sorted by path, without touching the disk. */
export function renderFleet(fleet: Fleet): Map<string, string> {
  const files = new Map<string, string>();
  buildFleetInSlices(fleet, (contents) => {
    for (const content of contents) {
      if (files.has(content.path)) throw new Error(`two charts render ${content.path}`);
      files.set(content.path, fileText(content));
    }
  });
  return new Map([...files].sort(([a], [b]) => byPath(a, b)));
}

/** Test apps built at a time by buildFleetInSlices. */
const appsPerSlice = 50;

/**
 * Builds every chart of the fleet and hands over the file contents a slice at a time, with the
 * number of slices still to come: the Argo CD and add-on charts, then 50 test apps after 50,
 * each slice built in an App of its own and dropped once its objects are JSON, so memory holds
 * data rather than constructs.
 */
export function buildFleetInSlices(fleet: Fleet, take: (contents: FileContent[], slicesLeft: number) => void): void {
  const control = new App();
  new FleetControlCharts(control, 'control', fleet);
  const slices = Math.ceil(fleet.apps.length / appsPerSlice);
  take(fileContents(control), slices);
  for (let index = 0; index < slices; index++) {
    const slice = new App();
    new TestAppCharts(slice, 'apps', { fleet, apps: fleet.apps.slice(index * appsPerSlice, (index + 1) * appsPerSlice) });
    take(fileContents(slice), slices - index - 1);
  }
}

/** The fleet cannot schedule: an IPv4 cluster is out of addresses, or (when set to refuse) a node group is too small. */
export class CapacityError extends Error {
  constructor(readonly errors: readonly string[], readonly warnings: readonly string[]) {
    super(errors.join('\n'));
    this.name = 'CapacityError';
  }
}

/** Applies the capacity plan (npm run plan): throws CapacityError on errors, returns the warnings. */
export function checkCapacity(fleet: Fleet): readonly string[] {
  const { errors, warnings } = planProblems(planFleet(fleet), fleet.capacity.nodeGroupMaxTooSmall === 'error');
  if (errors.length) throw new CapacityError(errors, warnings);
  return warnings;
}

export interface SynthResult extends WriteSummary {
  /** Capacity warnings, for the person who runs synth. */
  readonly warnings: readonly string[];
}

/**
 * Loads the fleet, checks its capacity, renders it and, only if all of that succeeded, writes
 * the output folder. Given the bundle it runs from (`workerScript`), a large fleet is built on
 * this thread while a second one serialises and stages its files.
 */
export async function synthesize(options: SynthOptions, workerScript?: string): Promise<SynthResult> {
  const fleet = loadFleet(options.configFile);
  const warnings = checkCapacity(fleet);
  if (!workerScript || fleet.apps.length < backgroundStagingMinApps) {
    return { ...writeDist(options.outdir, renderFleet(fleet)), warnings };
  }
  const write = DistWrite.begin(options.outdir);
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
  return { ...write.commit(staged), warnings };
}
