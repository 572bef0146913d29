import { App } from 'cdk8s';
import { FleetCharts, FleetControlCharts, TestAppCharts } from '../charts/fleet';
import { Fleet } from '../config/fleet';
import { loadFleet } from '../config/load';
import { SynthOptions } from '../config/locations';
import { BackgroundStager, backgroundStagingMinApps } from './background-staging';
import { planFleet, planProblems } from './capacity';
import { addRenderedFiles, renderFiles } from './render';
import { DistWrite, StagedFiles, WriteSummary, writeDist } from './write-dist';

/** Renders a fleet to the text of every file of dist/, without touching the disk. */
export function renderFleet(fleet: Fleet): Map<string, string> {
  const app = new App();
  new FleetCharts(app, 'fleet', fleet);
  return renderFiles(app);
}

/** Test apps rendered at a time by renderFleetInSlices. */
const appsPerSlice = 50;

/**
 * Renders what renderFleet renders, handing the files over a slice at a time: the Argo CD and
 * add-on charts, then 50 test apps after 50, each slice built in an App of its own and
 * dropped once rendered, so memory holds files rather than constructs.
 */
export function renderFleetInSlices(fleet: Fleet, take: (files: Map<string, string>) => void): void {
  const control = new App();
  new FleetControlCharts(control, 'control', fleet);
  take(addRenderedFiles(control, new Map()));
  for (let from = 0; from < fleet.apps.length; from += appsPerSlice) {
    const slice = new App();
    new TestAppCharts(slice, 'apps', { fleet, apps: fleet.apps.slice(from, from + appsPerSlice) });
    take(addRenderedFiles(slice, new Map()));
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
 * the output folder. Given the bundle it runs from (`workerScript`), a large fleet's files are
 * staged on a second thread while this one renders.
 */
export async function synthesize(options: SynthOptions, workerScript?: string): Promise<SynthResult> {
  const fleet = loadFleet(options.configFile);
  const warnings = checkCapacity(fleet);
  if (!workerScript || fleet.apps.length < backgroundStagingMinApps) {
    return { ...writeDist(options.outdir, renderFleet(fleet)), warnings };
  }
  const write = DistWrite.begin(options.outdir);
  const stager = new BackgroundStager(workerScript, write.target);
  let staged: StagedFiles;
  try {
    renderFleetInSlices(fleet, (files) => stager.stage(files));
    staged = await stager.finish();
  } catch (error) {
    await stager.cancel();
    write.abort();
    throw error;
  }
  return { ...write.commit([staged]), warnings };
}
