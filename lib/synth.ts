import { App } from 'cdk8s';
import { FleetCharts } from '../charts/fleet';
import { Fleet } from '../config/fleet';
import { loadFleet } from '../config/load';
import { renderFiles } from './render';
import { WriteSummary, writeDist } from './write-dist';

/** Where synth reads and writes, from the environment as `npm run synth` and `cdk8s synth` set it. */
export interface SynthOptions {
  /** The fleet file; FLEET_CONFIG, default fleet.yaml. */
  readonly configFile: string;
  /** The output folder; CDK8S_OUTDIR, default dist. */
  readonly outdir: string;
}

export function synthOptionsFromEnv(env: NodeJS.ProcessEnv): SynthOptions {
  return { configFile: env.FLEET_CONFIG || 'fleet.yaml', outdir: env.CDK8S_OUTDIR || 'dist' };
}

/** Renders a fleet to the text of every file of dist/, without touching the disk. */
export function renderFleet(fleet: Fleet): Map<string, string> {
  const app = new App();
  new FleetCharts(app, 'fleet', fleet);
  return renderFiles(app);
}

/** Loads the fleet, renders it and, only if all of that succeeded, writes the output folder. */
export function synthesize(options: SynthOptions): WriteSummary {
  return writeDist(options.outdir, renderFleet(loadFleet(options.configFile)));
}
