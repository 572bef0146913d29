/**
 * The way back from AWS into fleet.yaml: writes the server, caData, vpcId and subnets of the
 * clusters that terraform or the AWS CLI describe into fleet.yaml, in place.
 *
 *   npm run import-clusters -- <file> [<file> ...]
 *
 * Reads FLEET_CONFIG (default fleet.yaml). Prints one line per changed field, then writes the file.
 * Exit status: 0 when fleet.yaml was updated or had nothing to change, 1 when the import was refused
 * (nothing written), 2 on a usage error, a file it cannot read or recognise, or an invalid fleet.yaml.
 */
import { readFileSync, renameSync, writeFileSync } from 'fs';
import { parseArgs } from 'util';
import { formatChange, ImportInput, ImportInputError, ImportRefusedError, importClusters } from '../config/import-clusters';
import { FleetConfigError } from '../config/load';
import { synthOptionsFromEnv } from '../config/locations';

const usage = `Usage: npm run import-clusters -- <file> [<file> ...]

Writes server, caData, vpcId and subnets of the clusters the files describe into fleet.yaml, in
place: every other line, comments included, stays as it is. Each file is the JSON of one of
  terraform -chdir=dist/terraform/clusters/<cluster> output -json
  aws eks describe-cluster --name <cluster> --output json  (give its subnets' file too:)
  aws ec2 describe-subnets --subnet-ids <its subnet ids> --output json
It refuses, writing nothing, a cluster fleet.yaml does not have, or one whose IP family, region,
account or Kubernetes version is not what fleet.yaml says.

Environment: FLEET_CONFIG (default fleet.yaml), as for npm run synth.
Exit status: 0 when fleet.yaml was updated or had nothing to change, 1 when the import was refused,
2 on a usage error, a file that cannot be read or recognised, or an invalid fleet.yaml.`;

/** A file that cannot be read; printed without a stack trace. */
class UnreadableError extends Error {}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UnreadableError(`${file} cannot be read: ${(error as Error).message}`);
  }
}

/** Renamed into place, so an interrupted write never leaves half a fleet.yaml. */
function writeInPlace(file: string, text: string): void {
  const staged = `${file}.import-${process.pid}`;
  writeFileSync(staged, text);
  renameSync(staged, file);
}

function main(args: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(usage);
    return 0;
  }
  if (!parsed.positionals.length) {
    console.error(`name at least one file to import\n\n${usage}`);
    return 2;
  }

  const { configFile } = synthOptionsFromEnv(process.env);
  try {
    const fleetText = read(configFile);
    const inputs: ImportInput[] = parsed.positionals.map((file) => ({ file, text: read(file) }));
    const { changes, text } = importClusters(fleetText, configFile, inputs);
    if (!changes.length) {
      console.log(`nothing to change: ${configFile} already says what ${inputs.length === 1 ? 'the file says' : `the ${inputs.length} files say`}`);
      return 0;
    }
    writeInPlace(configFile, text);
    for (const change of changes) console.log(formatChange(change));
    const clusters = [...new Set(changes.map((change) => change.cluster))];
    console.log(`${configFile}: ${changes.length} field${changes.length === 1 ? '' : 's'} of ${clusters.join(', ')} updated`);
    return 0;
  } catch (error) {
    if (error instanceof ImportRefusedError) console.error(`import-clusters refused; ${configFile} was left as it was:\n${error.message}`);
    else if (error instanceof FleetConfigError) console.error(`import-clusters failed: ${configFile} is not valid:\n${error.message}`);
    else if (error instanceof ImportInputError || error instanceof UnreadableError) console.error(`import-clusters failed; ${configFile} was left as it was:\n${error.message}`);
    else console.error(`import-clusters failed:\n${String((error as Error).stack ?? error)}`);
    return error instanceof ImportRefusedError ? 1 : 2;
  }
}

process.exitCode = main(process.argv.slice(2));
