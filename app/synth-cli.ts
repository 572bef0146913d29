import { setFlagsFromString } from 'v8';
import { FleetConfigError } from '../config/load';
import { synthOptionsFromEnv } from '../config/locations';
import { groupWarnings, printable, printableLines } from '../config/messages';
import { fileSystemProblem } from '../output/file-errors';
import { OutputError, PartialWriteError } from '../output/write-dist';
import { ObjectLimitError } from '../verify/limits';
import { bundleVersion } from './fingerprint';
import { moveMark } from '../diff/fleet-changes';
import { CapacityError, ClusterRemovalError, synthesize } from './synth';
import { WavePinError } from '../rollout/pins';

/**
 * How V8 manages synth's heap, set before any work (they apply to the staging thread too). By
 * default V8 lets the old generation grow to four times what survived its last full collection,
 * and allocates there directly the objects of code whose objects lived long before. Rendering a
 * fleet slice after slice defeats both guesses: the fleet is read once and lives, every slice's
 * objects die young, yet the same code builds both, so many slice objects are born where only a
 * full collection frees them, and V8 waits until there are four fleets of them. Collecting once
 * the old generation grew by half, and no such pretenuring, take the peak heap of 100,000 apps
 * from ~350 MB to ~170 MB; with the cache's identities of a cold 100,000-app synth, growing by
 * half (not by 100%) keeps its peak RSS at ~375 MiB (from ~405), for ~5% more time (docs/performance.md).
 */
export const heapFlags = ['--heap-growing-percent=50', '--no-allocation-site-pretenuring'];

/**
 * `npm run synth`: synthesizes with the options from the environment, prints what changed in
 * the output folder (or why nothing did) and sets the exit code. `workerScript` is the bundle
 * synth runs from: the script of the staging thread, and by its hash the version of the code.
 */
export async function runSynth(workerScript?: string): Promise<void> {
  for (const flag of heapFlags) setFlagsFromString(flag);
  const options = synthOptionsFromEnv(process.env);
  const outdir = printable(options.outdir);
  const configFile = printable(options.configFile);
  try {
    const { added, changed, removed, unchanged, warnings, clusterChanges, moves, waves } = await synthesize(options, {
      workerScript,
      replaceFleet: process.argv.slice(2).includes('--replace-fleet'),
      // The hash scripts/run.mjs took of the bytes it runs, or else of the bundle on disk.
      generator: workerScript === undefined ? undefined : (globalThis as { fleetBundleVersion?: string }).fleetBundleVersion ?? bundleVersion(workerScript),
      notice: (message) => console.error(printable(message)),
    });
    for (const warning of groupWarnings(warnings)) console.error(`warning: ${printable(warning)}`);
    console.log(`${outdir}/: ${added.length} added, ${changed.length} changed, ${removed.length} removed, ${unchanged} unchanged files (from ${configFile})`);
    for (const move of moves) console.log(`${moveMark} ${printable(move)}`);
    if (clusterChanges.length) console.log(['Apps and pods per cluster:', ...clusterChanges.map((line) => `  ${printable(line)}`)].join('\n'));
    for (const line of waves) console.log(printable(line));
  } catch (error) {
    let reason: string;
    if (error instanceof FleetConfigError) reason = `${configFile} is not valid:\n${error.message}`;
    else if (error instanceof CapacityError) reason = `${configFile} does not fit its clusters (npm run plan shows the plan):\n${error.message}`;
    else if (error instanceof ClusterRemovalError) reason = `${configFile} removes clusters that still run apps in ${outdir}/ (or, with it missing or empty, in ${outdir}/ committed at HEAD):\n${error.message}\n`
      + 'To replace the whole fleet on purpose (a team adopting the project drops the demo clusters), run npm run synth -- --replace-fleet: it names each cluster it drops and its apps.';
    else if (error instanceof ObjectLimitError) reason = `${configFile} renders objects the Kubernetes API server would refuse:\n${printableLines(error.message)}`;
    else if (error instanceof OutputError || error instanceof WavePinError) reason = printableLines(error.message);
    else if (error instanceof PartialWriteError) reason = printableLines(`${error.message}\n${fileSystemProblem(error.cause) ?? String(error.cause)}`);
    else reason = printableLines(fileSystemProblem(error) ?? String((error as Error).stack ?? error));
    const state = error instanceof PartialWriteError
      ? `${outdir}/ is partly written, and the next synth finishes the write`
      : `${outdir}/ was left as it was`;
    console.error(`synth failed; ${state}.\n${reason}`);
    process.exitCode = 1;
  }
}
