/**
 * Prints, for every cluster of the fleet, whether what fleet.yaml places on it fits, and why not.
 *
 *   npm run plan -- [--json | --markdown]
 *
 * Reads FLEET_CONFIG (default fleet.yaml). Prints a table per cluster (or, with --json, the plan with its errors and
 * warnings as one JSON document), then the errors and warnings; exits 1 when there are errors or fleet.yaml is invalid.
 */
import { FleetConfigError, loadFleet } from '../config/load';
import { synthOptionsFromEnv } from '../config/locations';
import { planFleet } from '../capacity/plan';
import { formatPlanTable, planProblems } from '../capacity/report';

function main(args: readonly string[]): number {
  const unknown = args.filter((arg) => arg !== '--json' && arg !== '--markdown');
  if (unknown.length) {
    console.error(`unknown argument ${unknown.join(' ')}: usage: npm run plan -- [--json | --markdown]`);
    return 1;
  }
  const { configFile } = synthOptionsFromEnv(process.env);
  try {
    const fleet = loadFleet(configFile);
    const plan = planFleet(fleet);
    const { errors, warnings } = planProblems(plan, fleet.capacity.nodeGroupMaxTooSmall === 'error');
    if (args.includes('--json')) {
      console.log(JSON.stringify({ configFile, ...plan, errors, warnings }, null, 2));
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
  } catch (error) {
    if (error instanceof FleetConfigError) console.error(`${configFile} is not valid:\n${error.message}`);
    else throw error;
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
