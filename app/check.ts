/**
 * npm run check: the checks of the team's own fleet, which CI runs beside `npm test` (which tests
 * the generator on fixture fleets). fleet.yaml is valid, the capacity plan accepts it, every app
 * that changes ALB takes one step of its walk from the base's dist/, dist/ is
 * what it renders, every rendered object is valid, every add-on and Argo CD chart renders with
 * helm into what the clusters accept, every service the check can reach offline (a vendored chart,
 * a path of this repository) renders as Argo CD would into what its clusters take on their IP
 * family (the others are listed as not checked), every app's DNS name answers clients of both IP families by
 * its weights, dist/terraform/ agrees with fleet.yaml and gives exactly the
 * ServiceAccounts that call AWS their identities, and every app's page works with the real nginx
 * and Chromium.
 *
 *   npm run check [-- --base <git rev>] [--replace-fleet]     FLEET_CONFIG (default fleet.yaml), CDK8S_OUTDIR (default dist)
 *
 * --base: the revision whose committed dist/ no cluster may leave with apps still on it, and against
 * which each app that changes ALB must take the next step of its walk (default HEAD; CI passes the
 * pull request's base). --replace-fleet: the change replaces the fleet on purpose.
 *
 * Exit status: 0 when every check passes, 1 when one fails, 2 when fleet.yaml is not valid.
 * Without nginx or Chromium (or helm, on another platform than linux x64) that check is skipped
 * with a warning, except on CI (CI=true), where it fails.
 */
import { parseArgs } from 'util';
import { setFlagsFromString } from 'v8';
import { Fleet } from '../config/fleet';
import { FleetConfigError, loadFleet } from '../config/load';
import { synthOptionsFromEnv } from '../config/locations';
import { count, groupWarningLines } from '../config/messages';
import { capacityCheck, chartsCheck, CheckResult, dnsCheck, objectsCheck, pagesCheck, removalCheck, servicesCheck, sourceKindCheck, syncCheck, terraformCheck, walkCheck } from './checks';
import { renderFleet, withWaveCopies } from './render';
import { dirname, resolve } from 'path';
import { WavePinError } from '../rollout/pins';
import { heapFlags } from './synth-cli';
import { OutputError } from '../output/write-dist';

/** At most this many lines of one check's details are printed; the rest are counted. */
const maxDetails = 20;

function print(result: CheckResult): void {
  const mark = { ok: 'ok     ', failed: 'FAILED ', skipped: 'skipped' }[result.status];
  const details = groupWarningLines(result.details ?? []);
  const shown = details.slice(0, maxDetails).map((line) => `          ${line.replace(/\n/g, '\n          ')}`);
  if (details.length > maxDetails) shown.push(`          and ${count(details.length - maxDetails)} more`);
  (result.status === 'failed' ? console.error : console.log)([`${mark} ${result.summary}`, ...shown].join('\n'));
}

async function main(): Promise<number> {
  // The fleet lives through the check while each file's and each cluster's objects die young, as in synth.
  // The objects of dist/, read once and shared by the checks (verify/rendered.ts), live through it too, and
  // the heap grows by less before a full collection: at 3,000 apps ~35 MiB less peak RSS for ~1.5 s of CPU.
  for (const flag of [...heapFlags, '--heap-growing-percent=30']) setFlagsFromString(flag);
  const { configFile, outdir } = synthOptionsFromEnv(process.env);
  let args;
  try {
    args = parseArgs({ args: process.argv.slice(2), options: { base: { type: 'string' }, 'replace-fleet': { type: 'boolean' } }, strict: true }).values;
  } catch (error) {
    console.error(`${(error as Error).message}: usage: npm run check [-- --base <git rev>] [--replace-fleet]`);
    return 2;
  }
  const onCi = Boolean(process.env.CI) && process.env.CI !== 'false';
  let fleet: Fleet;
  try {
    // A later wave's pinned commit is read from the repository fleet.yaml is in.
    fleet = withWaveCopies(loadFleet(configFile), dirname(resolve(configFile)));
  } catch (error) {
    if (error instanceof WavePinError) {
      print({ status: 'failed', summary: 'a wave\'s pinned commit cannot be read', details: [error.message] });
      return 1;
    }
    if (!(error instanceof FleetConfigError)) throw error;
    print({ status: 'failed', summary: `${configFile} is not valid`, details: error.message.split('\n') });
    return 2;
  }
  print({ status: 'ok', summary: `${configFile} is valid (${count(fleet.clusters.length)} clusters, ${count(fleet.apps.length)} apps)` });
  const rendered = renderFleet(fleet);
  const quick = [capacityCheck(fleet, configFile), removalCheck(fleet, outdir, args.base, args['replace-fleet']), walkCheck(fleet, outdir, rendered, args.base, configFile), sourceKindCheck(fleet, outdir, rendered, args.base, configFile), syncCheck(outdir, rendered), dnsCheck(fleet, rendered)];
  quick.forEach(print);
  // One after the other: helm's few runs (a render per distinct values) hide little of the objects check, and
  // the objects of both checks at once made the peak of memory.
  const results = [...quick, await objectsCheck(rendered)];
  print(results[results.length - 1]);
  const charts = await chartsCheck(fleet, rendered, onCi);
  const slow = [charts, await servicesCheck(fleet, rendered, onCi, { configFile }), terraformCheck(fleet, rendered, charts.callers), await pagesCheck(fleet, rendered, onCi)];
  slow.forEach(print);
  return [...results, ...slow].some((result) => result.status === 'failed') ? 1 : 0;
}

main().then((code) => {
  process.exitCode = code;
}, (error: Error) => {
  console.error(error instanceof OutputError ? `check failed: ${error.message}` : `check failed:\n${error.stack ?? error}`);
  process.exitCode = 1;
});
