/**
 * Shows what a change to fleet.yaml does to dist/, object by object, and which clusters each
 * affected Argo CD source goes to. Exits 0 when nothing differs, 1 when something does, 2 on errors.
 */
import { execFileSync } from 'child_process';
import { writeFileSync } from 'fs';
import { parseArgs } from 'util';
import { allClusters, Fleet } from '../config/fleet';
import { FleetConfigError, loadFleet, parseFleet } from '../config/load';
import { synthOptionsFromEnv } from '../config/locations';
import { addonsTurnedOff, formatAddonsTurnedOff, previousClusterSecrets } from '../diff/addons-off';
import { BaselineError, diffBaseline } from '../diff/baseline';
import { compareDist, hasDifferences } from '../diff/compare';
import { DiffLabels, formatMarkdown, formatText } from '../diff/format';
import { hostChanges } from '../diff/host-changes';
import { formatLoadBalancerChanges, loadBalancerGroupsBefore, loadBalancerGroupsOf, loadBalancerWalk } from '../diff/load-balancers';
import { formatFieldPath } from '../output/field-path';
import { clusterChanges, formatClusterChanges, placementsBefore, placementsOf, previousPlacementTexts } from '../diff/placements';
import { fleetMoves, leavingClusters, leavingProblem, releasedLines } from '../diff/fleet-changes';
import { distLayout } from '../catalog/dist-layout';
import { OutputError } from '../output/write-dist';
import { touchedClusters } from '../diff/touched';
import { sharedChanges, waveMoves, waveReach } from '../diff/waves';
import { renderFleet, renderForComparison, withWaveCopies } from './render';
import { dirname, resolve } from 'path';
import { WavePinError } from '../rollout/pins';
import { promotionLines } from '../rollout/promote';

const usage = `Usage: npm run diff -- [--base <git rev>] [--markdown]

Renders fleet.yaml in memory and compares the result with dist/, object by object
(Kubernetes objects by apiVersion, kind, namespace and name; Helm values files by path),
listing each change under the Argo CD source it belongs to and the clusters that source goes to.
A Secret's data is never printed, only that it changed.

  (no option)     compare the render of fleet.yaml with dist/ as committed at git HEAD (read with
                  git, offline), so that after npm run synth it shows what the commit will change;
                  outside a git repository, or when dist/ is not committed, with dist/ on disk
                  (which then shows no changes right after a synth: the output says so)
  --base <rev>    compare the renders of fleet.yaml at git revision <rev> (git show <rev>:fleet.yaml)
                  and of the working tree's fleet.yaml. Both are rendered with the CURRENT code,
                  so this shows what the fleet.yaml change does, not what a code change since
                  <rev> does to dist/ (the committed dist/ and its staleness check show that).
  --markdown      print a Markdown section for a pull-request comment
  --touched <file>  write the names of the clusters the change touches to <file>, one a line
                  (what app/pr-comment.ts shows the capacity plan of)
  -h, --help      print this help

Environment: FLEET_CONFIG (default fleet.yaml) and CDK8S_OUTDIR (default dist), as for npm run synth.
Exit status: 0 when nothing differs, 1 when something differs, 2 on errors.`;

/** A failure the person running the diff can fix; printed without a stack trace. */
class DiffError extends Error {}

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
      options: { base: { type: 'string' }, markdown: { type: 'boolean' }, touched: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
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
    // A later wave's pinned commit is read from the repository fleet.yaml is in.
    const repoRoot = dirname(resolve(configFile));
    const afterFleet = withWaveCopies(loadFleet(configFile), repoRoot);
    let after: Map<string, string>;
    let before: Map<string, string>;
    let labels: DiffLabels;
    let beforeFleet: Fleet | undefined;
    if (options.base !== undefined) {
      beforeFleet = withWaveCopies(parseFleet(fleetAtRevision(options.base), `fleet.yaml at ${options.base}`), repoRoot);
      [before, after] = renderForComparison(beforeFleet, afterFleet);
      labels = { before: `fleet.yaml at ${options.base}`, after: configFile, note: 'Both sides rendered with the current code.' };
    } else {
      after = renderFleet(afterFleet);
      const baseline = diffBaseline(outdir);
      before = baseline.files;
      labels = { before: baseline.label, after: configFile, ...(baseline.note ? { note: baseline.note } : {}) };
    }
    const diff = compareDist(before, after);
    const placementsAfter = placementsOf(afterFleet);
    // Said loudly: Argo CD or the zone moving, clusters leaving with apps (which synth refuses unless released).
    const leaving = leavingClusters(afterFleet, [...before.keys()], (path) => before.get(path));
    const released = new Set(leaving.filter((cluster) => cluster.released).map((cluster) => cluster.cluster));
    const previous = previousPlacementTexts(before, after);
    const changes = clusterChanges(placementsBefore(placementsAfter, previous), placementsAfter)
      .filter((change) => !released.has(change.cluster));
    const albsAfter = loadBalancerGroupsOf(afterFleet);
    const clusters = [...formatClusterChanges(changes), ...formatLoadBalancerChanges(loadBalancerGroupsBefore(albsAfter, previous), albsAfter)];
    if (options.touched !== undefined) {
      const fleets = beforeFleet && { before: allClusters(beforeFleet), after: allClusters(afterFleet) };
      writeFileSync(options.touched, touchedClusters(diff, changes, fleets).map((cluster) => `${cluster}\n`).join(''));
    }
    // Apps moving between ALBs: a walk's skipped step (which synth refuses) and a move without the walk (404s for minutes).
    const albWalk = loadBalancerWalk(afterFleet, previous);
    const walkLines = [
      ...albWalk.problems.map((problem) => `synth refuses ${formatFieldPath(problem.path)}: ${problem.message}`),
      ...albWalk.warnings.map((warning) => `warning: ${warning}`),
      ...hostChanges(afterFleet, previous).map((problem) => `warning: ${formatFieldPath(problem.path)} ${problem.message}`),
    ];
    const moves = [...fleetMoves(before.get(distLayout.argocdRoot), afterFleet), ...leaving.flatMap((cluster) => leavingProblem(cluster) ?? []), ...releasedLines(leaving), ...walkLines];
    // Which waves a change to what clusters share reaches now, and which wait for a promotion.
    // And what a promotion or an undo (a wave's revision changed) gives the wave it moves.
    let committedFleet = beforeFleet;
    if (!committedFleet) {
      try {
        committedFleet = parseFleet(fleetAtRevision('HEAD'), 'fleet.yaml at HEAD');
      } catch {
        committedFleet = undefined;
      }
    }
    const waves = [
      ...waveMoves(afterFleet, (path) => before.get(path)),
      ...(committedFleet ? promotionLines(committedFleet, afterFleet, repoRoot) : []),
      ...waveReach(afterFleet, sharedChanges((path) => before.get(path), after, after.keys())),
    ];
    process.stdout.write(options.markdown ? formatMarkdown(diff, labels, clusters, moves, waves) : formatText(diff, labels, clusters, moves, waves));
    process.stdout.write(formatAddonsTurnedOff(addonsTurnedOff(previousClusterSecrets(before, after), afterFleet), options.markdown ?? false));
    return hasDifferences(diff) ? 1 : 0;
  } catch (error) {
    if (error instanceof FleetConfigError) console.error(`diff failed: ${error.problems[0]?.file ?? configFile} is not valid:\n${error.message}`);
    else if (error instanceof DiffError || error instanceof BaselineError || error instanceof OutputError || error instanceof WavePinError) console.error(`diff failed: ${error.message}`);
    else console.error(`diff failed:\n${String((error as Error).stack ?? error)}`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
