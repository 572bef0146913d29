/**
 * The way back from AWS into fleet.yaml: writes the server, caData, vpcId and subnets of the
 * clusters that terraform or the AWS CLI describe into fleet.yaml, in place (import-clusters-cli.ts).
 *
 *   npm run import-clusters -- <file> [<file> ...]
 */
import { importClustersCommand } from './import-clusters-cli';

process.exitCode = importClustersCommand(process.argv.slice(2));
