/**
 * Shows what a change to fleet.yaml does to dist/, object by object, and which clusters each
 * affected Argo CD source goes to. Exits 0 when nothing differs, 1 when something does, 2 on errors.
 */
import { execFileSync } from 'child_process';
import { existsSync } from 'fs';
import { parseArgs } from 'util';
import { FleetConfigError, loadFleet, parseFleet } from '../config/load';
import { synthOptionsFromEnv } from '../config/locations';
import { compareDist, hasDifferences } from '../diff/compare';
import { DiffLabels, formatMarkdown, formatText } from '../diff/format';
import { formatLoadBalancerChanges, loadBalancerGroupsBefore, loadBalancerGroupsOf } from '../diff/load-balancers';
import { clusterChanges, formatClusterChanges, placementsBefore, placementsOf, previousPlacementTexts } from '../diff/placements';
import { OutputError, readOutput } from '../output/write-dist';
import { renderFleet, renderForComparison } from './render';

const usage = `Usage: npm run diff -- [--base <git rev>] [--markdown]

Renders fleet.yaml in memory and compares the result with dist/, object by object
(Kubernetes objects by apiVersion, kind, namespace and name; Helm values files by path),
listing each change under the Argo CD source it belongs to and the clusters that source goes to.
A Secret's data is never printed, only that it changed.

  (no option)     compare the render of fleet.yaml with the committed dist/ on disk
  --base <rev>    compare the renders of fleet.yaml at git revision <rev> (git show <rev>:fleet.yaml)
                  and of the working tree's fleet.yaml. Both are rendered with the CURRENT code,
                  so this shows what the fleet.yaml change does, not what a code change since
                  <rev> does to dist/ (the committed dist/ and its staleness check show that).
  --markdown      print a Markdown section for a pull-request comment
  -h, --help      print this help

Environment: FLEET_CONFIG (default fleet.yaml) and CDK8S_OUTDIR (default dist), as for npm run synth.
Exit status: 0 when nothing differs, 1 when something differs, 2 on errors.`;

/** A failure the person running the diff can fix; printed without a stack trace. */
class DiffError extends Error {}

function readDist(outdir: string): Map<string, string> {
  if (!existsSync(outdir)) throw new DiffError(`${outdir}/ does not exist: run \`npm run synth\` first, or compare two revisions with --base <rev>`);
  return readOutput(outdir);
}

function fleetAtRevision(revision: string): string {
  try {
    return execFileSync('git', ['show', `${revision}:fleet.yaml`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new DiffError(`cannot read fleet.yaml at ${revision}: ${stderr || (error as Error).message}`);
  }
}

function main(args: string[]): number {
  let options;
  try {
    options = parseArgs({
      args,
      options: { base: { type: 'string' }, markdown: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (options.help) {
    console.log(usage);
    return 0;
  }

  const { configFile, outdir } = synthOptionsFromEnv(process.env);
  try {
    const afterFleet = loadFleet(configFile);
    let after: Map<string, string>;
    let before: Map<string, string>;
    let labels: DiffLabels;
    if (options.base !== undefined) {
      [before, after] = renderForComparison(parseFleet(fleetAtRevision(options.base), `fleet.yaml at ${options.base}`), afterFleet);
      labels = { before: `fleet.yaml at ${options.base}`, after: configFile, note: 'Both sides rendered with the current code.' };
    } else {
      after = renderFleet(afterFleet);
      before = readDist(outdir);
      labels = { before: `${outdir.replace(/\/+$/, '')}/`, after: configFile };
    }
    const diff = compareDist(before, after);
    const placementsAfter = placementsOf(afterFleet);
    const previous = previousPlacementTexts(before, after);
    const albsAfter = loadBalancerGroupsOf(afterFleet);
    const clusters = [
      ...formatClusterChanges(clusterChanges(placementsBefore(placementsAfter, previous), placementsAfter)),
      ...formatLoadBalancerChanges(loadBalancerGroupsBefore(albsAfter, previous), albsAfter),
    ];
    process.stdout.write(options.markdown ? formatMarkdown(diff, labels, clusters) : formatText(diff, labels, clusters));
    return hasDifferences(diff) ? 1 : 0;
  } catch (error) {
    if (error instanceof FleetConfigError) console.error(`diff failed: ${error.problems[0]?.file ?? configFile} is not valid:\n${error.message}`);
    else if (error instanceof DiffError || error instanceof OutputError) console.error(`diff failed: ${error.message}`);
    else console.error(`diff failed:\n${String((error as Error).stack ?? error)}`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
