import { FleetConfigError } from '../config/load';
import { synthOptionsFromEnv } from '../config/locations';
import { printable, printableLines } from '../config/messages';
import { fileSystemProblem } from '../output/file-errors';
import { OutputError, PartialWriteError } from '../output/write-dist';
import { ObjectLimitError } from '../verify/limits';
import { bundleVersion } from './fingerprint';
import { CapacityError, synthesize } from './synth';

/**
 * `npm run synth`: synthesizes with the options from the environment, prints what changed in
 * the output folder (or why nothing did) and sets the exit code. `workerScript` is the bundle
 * synth runs from: the script of the staging thread, and by its hash the version of the code.
 */
export async function runSynth(workerScript?: string): Promise<void> {
  const options = synthOptionsFromEnv(process.env);
  const outdir = printable(options.outdir);
  const configFile = printable(options.configFile);
  try {
    const { added, changed, removed, unchanged, warnings, clusterChanges } = await synthesize(options, {
      workerScript,
      generator: workerScript === undefined ? undefined : bundleVersion(workerScript),
      notice: (message) => console.error(printable(message)),
    });
    for (const warning of warnings) console.error(`warning: ${printable(warning)}`);
    console.log(`${outdir}/: ${added.length} added, ${changed.length} changed, ${removed.length} removed, ${unchanged} unchanged files (from ${configFile})`);
    if (clusterChanges.length) console.log(['Apps and pods per cluster:', ...clusterChanges.map((line) => `  ${printable(line)}`)].join('\n'));
  } catch (error) {
    let reason: string;
    if (error instanceof FleetConfigError) reason = `${configFile} is not valid:\n${error.message}`;
    else if (error instanceof CapacityError) reason = `${configFile} does not fit its clusters (npm run plan shows the plan):\n${error.message}`;
    else if (error instanceof ObjectLimitError) reason = `${configFile} renders objects the Kubernetes API server would refuse:\n${printableLines(error.message)}`;
    else if (error instanceof OutputError) reason = printableLines(error.message);
    else if (error instanceof PartialWriteError) reason = printableLines(`${error.message}\n${fileSystemProblem(error.cause) ?? String(error.cause)}`);
    else reason = printableLines(fileSystemProblem(error) ?? String((error as Error).stack ?? error));
    const state = error instanceof PartialWriteError
      ? `${outdir}/ is partly written, and the next synth finishes the write`
      : `${outdir}/ was left as it was`;
    console.error(`synth failed; ${state}.\n${reason}`);
    process.exitCode = 1;
  }
}
