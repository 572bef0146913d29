import { App } from 'cdk8s';
import { FleetCharts } from '../charts/fleet';
import { Fleet } from '../config/fleet';
import { loadFleet } from '../config/load';
import { SynthOptions } from '../config/locations';
import { planFleet, planProblems } from './capacity';
import { parallelRenderMinApps, renderFleetInParallel } from './parallel-render';
import { renderFiles } from './render';
import { WriteSummary, writeDist } from './write-dist';

/** Renders a fleet to the text of every file of dist/, without touching the disk. */
export function renderFleet(fleet: Fleet): Map<string, string> {
  const app = new App();
  new FleetCharts(app, 'fleet', fleet);
  return renderFiles(app);
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
 * the output folder. Given the bundle it runs from, a large fleet renders on two threads.
 */
export async function synthesize(options: SynthOptions, renderWorkerScript?: string): Promise<SynthResult> {
  const fleet = loadFleet(options.configFile);
  const warnings = checkCapacity(fleet);
  const files = renderWorkerScript && fleet.apps.length >= parallelRenderMinApps
    ? await renderFleetInParallel(fleet, renderWorkerScript)
    : renderFleet(fleet);
  return { ...writeDist(options.outdir, files), warnings };
}
