import { FleetConfigError } from './config/load';
import { synthesize, synthOptionsFromEnv } from './lib/synth';

const options = synthOptionsFromEnv(process.env);
try {
  const { added, changed, removed, unchanged } = synthesize(options);
  console.log(`${options.outdir}/: ${added.length} added, ${changed.length} changed, ${removed.length} removed, ${unchanged} unchanged (from ${options.configFile})`);
} catch (error) {
  const reason = error instanceof FleetConfigError ? `${options.configFile} is not valid:\n${error.message}` : String((error as Error).stack ?? error);
  console.error(`synth failed; ${options.outdir}/ was left as it was.\n${reason}`);
  process.exitCode = 1;
}
