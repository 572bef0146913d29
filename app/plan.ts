/**
 * Prints, for every cluster of the fleet, whether what fleet.yaml places on it fits, and why not.
 *
 *   npm run plan -- [--json | --markdown [--clusters <name,...>]]
 *
 * Reads FLEET_CONFIG (default fleet.yaml). Prints a table per cluster (or, with --json, the plan with its errors and
 * warnings as one JSON document), then the errors and warnings. With --clusters, the Markdown shows the tables of
 * those clusters only (a pull-request comment shows the clusters its change touches, app/pr-comment.ts), every error,
 * and the warnings of those clusters and of regions; the other clusters' warnings are counted.
 * Exit status: 0 when the plan accepts the fleet (warnings included), 1 when it refuses it, 2 when fleet.yaml is
 * not valid or an argument is unknown (with --json, a document with `valid: false` and the problems).
 */
import { parseArgs } from 'util';
import { FleetPlan, planFleet } from '../capacity/plan';
import { formatPlanTable, planProblems } from '../capacity/report';
import { fieldLines, FleetConfigError, loadFleet } from '../config/load';
import { fleetToday } from '../config/eks-versions';
import { fleetWarnings } from '../config/fleet-warnings';
import { synthOptionsFromEnv } from '../config/locations';
import { nodeGroupWarnings } from '../capacity/max-pods';
import { count, groupWarnings } from '../config/messages';
import { waveLines } from '../diff/waves';

const usage = 'usage: npm run plan -- [--json | --markdown [--clusters <name,...>]]';

/**
 * The plan as a Markdown section for a pull-request comment: the table of each cluster in `shown` (every cluster
 * when undefined), then every error, and the warnings of the clusters shown and of the regions, grouped (groupWarnings).
 */
function planMarkdown(plan: FleetPlan, errors: readonly string[], warnings: readonly string[], shown?: ReadonlySet<string>): string {
  const clusters = shown ? plan.clusters.filter((cluster) => shown.has(cluster.cluster)) : plan.clusters;
  // Every problem of a cluster starts with its name; a region's with the region.
  const ofHidden = (problem: string) => plan.clusters.some((cluster) => !clusters.includes(cluster) && problem.startsWith(`${cluster.cluster}: `));
  const hiddenWarnings = warnings.filter(ofHidden).length;
  const problems = [
    ...errors.map((error) => `- **error**: ${error}`),
    // The shown ones grouped as synth prints them: a kind of warning on many clusters is one line naming them.
    ...groupWarnings(warnings.filter((warning) => !ofHidden(warning))).map((warning) => `- warning: ${warning}`),
    ...(hiddenWarnings ? [`- and ${count(hiddenWarnings)} warning${hiddenWarnings === 1 ? '' : 's'} of the clusters not shown`] : []),
  ];
  const selection = clusters.length === plan.clusters.length ? [] : [`${count(clusters.length)} of ${count(plan.clusters.length)} clusters: ${clusters.length ? clusters.map((cluster) => cluster.cluster).join(', ') : 'none'}.`, ''];
  return ['## Capacity plan', '', ...selection, '```', formatPlanTable({ ...plan, clusters }), '```', ...(problems.length ? ['', ...problems] : [])].join('\n');
}

function main(args: string[]): number {
  let options;
  try {
    options = parseArgs({ args, options: { json: { type: 'boolean' }, markdown: { type: 'boolean' }, clusters: { type: 'string' } }, strict: true }).values;
  } catch (error) {
    console.error(`${(error as Error).message}: ${usage}`);
    return 2;
  }
  if (options.clusters !== undefined && !options.markdown) {
    console.error(`--clusters selects the clusters of --markdown: ${usage}`);
    return 2;
  }
  const json = Boolean(options.json);
  const { configFile } = synthOptionsFromEnv(process.env);
  let fleet;
  try {
    fleet = loadFleet(configFile);
  } catch (error) {
    if (!(error instanceof FleetConfigError)) throw error;
    if (json) console.log(JSON.stringify({ configFile, valid: false, problems: error.problems }, null, 2));
    console.error(`${configFile} is not valid:\n${error.message}`);
    return 2;
  }
  const plan = planFleet(fleet);
  const problems = planProblems(plan, fleet.capacity, fieldLines(configFile));
  const errors = problems.errors;
  const warnings = [...problems.warnings, ...fleetWarnings(fleet, fleetToday()), ...nodeGroupWarnings(fleet)];
  const waves = waveLines(fleet);
  if (json) {
    console.log(JSON.stringify({ configFile, valid: true, ...plan, waves: fleet.waves, errors, warnings }, null, 2));
  } else if (options.markdown) {
    const shown = options.clusters === undefined ? undefined : new Set(options.clusters.split(',').filter(Boolean));
    console.log(planMarkdown(plan, errors, warnings, shown));
    if (waves.length) console.log(['', '## Waves', '', ...waves.map((line) => `- ${line}`)].join('\n'));
  } else {
    console.log(`Capacity plan of ${configFile}\n\n${formatPlanTable(plan)}`);
    if (waves.length) console.log(['', 'Waves (npm run promote -- <wave> moves one to what the wave before runs):', ...waves.map((line) => `  ${line}`)].join('\n'));
    for (const error of errors) console.error(`error: ${error}`);
    // As synth prints them: a kind of warning on many clusters is one line naming them; --json keeps every warning.
    for (const warning of groupWarnings(warnings)) console.error(`warning: ${warning}`);
  }
  return errors.length ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
