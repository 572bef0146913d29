import { FleetConfigError } from '../config/load';
import { synthOptionsFromEnv } from '../config/locations';
import { ObjectLimitError } from '../verify/limits';
import { CapacityError, synthesize } from './synth';

/**
 * `npm run synth`: synthesizes with the options from the environment, prints what changed in
 * the output folder (or why nothing did) and sets the exit code. `workerScript` is the bundle
 * synth runs from, for the staging thread of a large fleet.
 */
export async function runSynth(workerScript?: string): Promise<void> {
  const options = synthOptionsFromEnv(process.env);
  try {
    const { added, changed, removed, unchanged, warnings } = await synthesize(options, workerScript);
    for (const warning of warnings) console.error(`warning: ${warning}`);
    console.log(`${options.outdir}/: ${added.length} added, ${changed.length} changed, ${removed.length} removed, ${unchanged} unchanged files (from ${options.configFile})`);
  } catch (error) {
    let reason: string;
    if (error instanceof FleetConfigError) reason = `${options.configFile} is not valid:\n${error.message}`;
    else if (error instanceof CapacityError) reason = `${options.configFile} does not fit its clusters (npm run plan shows the plan):\n${error.message}`;
    else if (error instanceof ObjectLimitError) reason = `${options.configFile} renders objects the Kubernetes API server would refuse:\n${error.message}`;
    else reason = String((error as Error).stack ?? error);
    console.error(`synth failed; ${options.outdir}/ was left as it was.\n${reason}`);
    process.exitCode = 1;
  }
}
