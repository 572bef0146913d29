/**
 * The way back from AWS into fleet.yaml: writes the server, caData, vpcId and subnets of the
 * clusters that terraform or the AWS CLI describe into fleet.yaml, in place.
 *
 *   npm run import-clusters -- <file> [<file> ...]
 *
 * Reads FLEET_CONFIG (default fleet.yaml), under its lock (output/fleet-file.ts: one import at a
 * time, written through links, atomically, with its mode), writes it, then prints one line per
 * changed field. Everything printed is escaped and cut (config/messages.ts).
 * Exit status: 0 when fleet.yaml was updated or had nothing to change, 1 when the import was refused
 * (nothing written), 2 on a usage error, a file it cannot read or recognise, an invalid or read-only
 * fleet.yaml, or a file system error (nothing written).
 */
import { readFileSync } from 'fs';
import { parseArgs } from 'util';
import { formatAddition, formatChange, ImportInput, ImportInputError, ImportRefusedError, importClusters } from '../config/import-clusters';
import { decodeFleetText, FleetConfigError } from '../config/load';
import { synthOptionsFromEnv } from '../config/locations';
import { printable, printableLines } from '../config/messages';
import { fileSystemProblem } from '../output/file-errors';
import { updateFleetFile } from '../output/fleet-file';
import { OutputError } from '../output/write-dist';

const usage = `Usage: npm run import-clusters -- [--add] <file> [<file> ...]

Writes server, caData, vpcId and subnets of the clusters the files describe into fleet.yaml, in
place, and for a cluster that exists endpointAccess from its describe-cluster: every other line,
comments included, stays as it is. Each file is the JSON of one of
  terraform -chdir=dist/terraform/clusters/<cluster> output -json
  aws eks describe-cluster --name <cluster> --output json  (give its subnets' file too:)
  aws ec2 describe-subnets --subnet-ids <its subnet ids> --output json
It refuses, writing nothing, a cluster fleet.yaml does not have, or one whose IP family, region,
account or Kubernetes version is not what fleet.yaml says.

  --add  adds the clusters fleet.yaml does not have, from their describe-cluster and
         describe-subnets files and an
           aws eks describe-nodegroup --cluster-name <cluster> --nodegroup-name <group> --output json
         of each node group, at the end of clusters (also into clusters: []),
         printing each it added.

Environment: FLEET_CONFIG (default fleet.yaml), as for npm run synth.
Exit status: 0 when fleet.yaml was updated or had nothing to change, 1 when the import was refused,
2 on a usage error, a file that cannot be read or recognised, or an invalid fleet.yaml.`;

/** A file that cannot be read; printed without a stack trace. */
class UnreadableError extends Error {}

function read(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new UnreadableError(`${printable(file)} cannot be read: ${(error as Error).message}`);
  }
}

/**
 * `npm run import-clusters -- <files>`: imports the files into the fleet file `env` names,
 * printing what it changed (or why it changed nothing); returns the exit status.
 */
export function importClustersCommand(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { help: { type: 'boolean', short: 'h' }, add: { type: 'boolean' } }, strict: true, allowPositionals: true });
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

  const { configFile } = synthOptionsFromEnv(env);
  const shownFile = printable(configFile);
  try {
    const inputs: ImportInput[] = parsed.positionals.map((file) => ({ file, text: read(file) }));
    // fleet.yaml is read under its lock: a second import edits what the first wrote.
    const { result: { changes, added }, written, removedLeftovers } = updateFleetFile(configFile, (bytes) => {
      const imported = importClusters(decodeFleetText(bytes, configFile), configFile, inputs, { add: parsed.values.add });
      return { result: imported, text: imported.changes.length || imported.added.length ? imported.text : undefined };
    }, (holder) => console.error(`waiting for another import-clusters${holder ? ` (pid ${holder})` : ''} to finish writing ${shownFile}`));
    for (const leftover of removedLeftovers) console.error(`removed ${printable(leftover)}, which an import that is gone had left`);
    if (!written) {
      console.log(`nothing to change: ${shownFile} already says what ${inputs.length === 1 ? 'the file says' : `the ${inputs.length} files say`}`);
      return 0;
    }
    for (const change of changes) console.log(formatChange(change));
    for (const cluster of added) console.log(formatAddition(cluster));
    const clusters = [...new Set(changes.map((change) => change.cluster))];
    const updated = changes.length ? `${changes.length} field${changes.length === 1 ? '' : 's'} of ${printable(clusters.join(', '))} updated` : '';
    const addedText = added.length ? `${added.length} cluster${added.length === 1 ? '' : 's'} added` : '';
    console.log(`${shownFile}: ${[updated, addedText].filter(Boolean).join(', ')}`);
    return 0;
  } catch (error) {
    const left = `${shownFile} was left as it was`;
    if (error instanceof ImportRefusedError) console.error(`import-clusters refused; ${left}:\n${error.reasons.map(printableLines).join('\n')}`);
    else if (error instanceof FleetConfigError) console.error(`import-clusters failed: ${shownFile} is not valid; it was left as it was:\n${error.message}`);
    else if (error instanceof ImportInputError || error instanceof UnreadableError || error instanceof OutputError) console.error(`import-clusters failed; ${left}:\n${printableLines(error.message)}`);
    else {
      const problem = fileSystemProblem(error, 'import');
      console.error(`import-clusters failed; ${left}:\n${printableLines(problem ?? String((error as Error).stack ?? error))}`);
    }
    return error instanceof ImportRefusedError ? 1 : 2;
  }
}

