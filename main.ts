import { FleetConfigError } from './config/load';
import { synthOptionsFromEnv } from './config/locations';
import { isStagingWorker, serveStaging } from './lib/background-staging';
import { CapacityError, synthesize } from './lib/synth';

async function main(): Promise<void> {
  const options = synthOptionsFromEnv(process.env);
  try {
    // The bundle is also the staging thread's script (a large fleet is written while it
    // renders); run from TypeScript source, synth stays on one thread.
    const workerScript = __filename.endsWith('.js') ? __filename : undefined;
    const { added, changed, removed, unchanged, warnings } = await synthesize(options, workerScript);
    for (const warning of warnings) console.error(`warning: ${warning}`);
    console.log(`${options.outdir}/: ${added.length} added, ${changed.length} changed, ${removed.length} removed, ${unchanged} unchanged (from ${options.configFile})`);
  } catch (error) {
    let reason: string;
    if (error instanceof FleetConfigError) reason = `${options.configFile} is not valid:\n${error.message}`;
    else if (error instanceof CapacityError) reason = `${options.configFile} does not fit its clusters (npm run plan shows the plan):\n${error.message}`;
    else reason = String((error as Error).stack ?? error);
    console.error(`synth failed; ${options.outdir}/ was left as it was.\n${reason}`);
    process.exitCode = 1;
  }
}

if (isStagingWorker()) serveStaging();
else void main();
