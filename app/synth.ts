import { planFleet } from '../capacity/plan';
import { planProblems } from '../capacity/report';
import { Fleet } from '../config/fleet';
import { loadFleet } from '../config/load';
import { SynthOptions } from '../config/locations';
import { BackgroundStager, backgroundStagingMinApps } from '../output/background-staging';
import { fileText } from '../output/file-content';
import { DistWrite, StagedFiles, Stager, WriteSummary, writeDist } from '../output/write-dist';
import { buildFleetInSlices, renderFleet } from './render';

/** The fleet cannot schedule: an IPv4 cluster is out of addresses, or (when set to refuse) a node group is too small. */
export class CapacityError extends Error {
  constructor(readonly errors: readonly string[], readonly warnings: readonly string[]) {
    super(errors.join('\n'));
    this.name = 'CapacityError';
  }
}

/** Applies the capacity plan (npm run plan): throws CapacityError on errors, returns the warnings. */
export function checkCapacity(fleet: Fleet): readonly string[] {
  const { errors, warnings } = planProblems(planFleet(fleet), fleet.capacity);
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
