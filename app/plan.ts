/**
 * Prints, for every cluster of the fleet, whether what fleet.yaml places on it fits, and why not.
 *
 *   npm run plan -- [--json | --markdown]
 *
 * Reads FLEET_CONFIG (default fleet.yaml). Prints a table per cluster (or, with --json, the plan with its errors and
 * warnings as one JSON document), then the errors and warnings.
 * Exit status: 0 when the plan accepts the fleet (warnings included), 1 when it refuses it, 2 when fleet.yaml is
 * not valid or an argument is unknown (with --json, a document with `valid: false` and the problems).
 */
import { planFleet } from '../capacity/plan';
import { formatPlanTable, planProblems } from '../capacity/report';
import { fieldLines, FleetConfigError, loadFleet } from '../config/load';
import { fleetToday } from '../config/eks-versions';
import { fleetWarnings } from '../config/fleet-warnings';
import { synthOptionsFromEnv } from '../config/locations';
import { nodeGroupWarnings } from './fleet-warnings';

const usage = 'usage: npm run plan -- [--json | --markdown]';

function main(args: readonly string[]): number {
  const unknown = args.filter((arg) => arg !== '--json' && arg !== '--markdown');
  if (unknown.length) {
    console.error(`unknown argument ${unknown.join(' ')}: ${usage}`);
    return 2;
  }
  const json = args.includes('--json');
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
  if (json) {
    console.log(JSON.stringify({ configFile, valid: true, ...plan, errors, warnings }, null, 2));
  } else if (args.includes('--markdown')) {
    // A section for a pull-request comment: the same table, then the problems as a list.
    const problems = [...errors.map((error) => `- **error**: ${error}`), ...warnings.map((warning) => `- warning: ${warning}`)];
    console.log(['## Capacity plan', '', '```', formatPlanTable(plan), '```', ...(problems.length ? ['', ...problems] : [])].join('\n'));
  } else {
    console.log(`Capacity plan of ${configFile}\n\n${formatPlanTable(plan)}`);
    for (const error of errors) console.error(`error: ${error}`);
    for (const warning of warnings) console.error(`warning: ${warning}`);
  }
  return errors.length ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
