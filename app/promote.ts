/**
 * Moves a wave of the fleet (fleet.yaml waves) and renders dist/ again:
 *
 *   npm run promote -- <wave>          pin the wave to what the wave before it runs, once that wave has baked
 *   npm run promote -- <wave> --undo   pin the wave back to what it ran before its last promotion
 *   npm run promote -- --init          pin every later wave without a revision to HEAD (changes nothing they run)
 *
 * Reads FLEET_CONFIG (default fleet.yaml) and its git history; with ARGOCD_SERVER and
 * ARGOCD_AUTH_TOKEN, asks Argo CD whether the wave before is Synced and Healthy at the change.
 * Prints what the wave receives. Exit status: 0 when fleet.yaml and dist/ were updated, 1 when
 * the promotion is refused (the reason is printed), 2 on a bad argument or an invalid fleet.yaml.
 */
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { relative, resolve } from 'path';
import { parseArgs } from 'util';
import { parse as parseYaml } from 'yaml';
import { FleetConfigError, loadFleet, parseFleet } from '../config/load';
import { synthOptionsFromEnv } from '../config/locations';
import { updateFleetFile } from '../output/fleet-file';
import { ArgoCdApiError, fetchApplications } from '../rollout/argocd-health';
import { initWaves, Promotion, PromotionContext, PromotionError, promoteWave, undoWave } from '../rollout/promote';
import { synthesize } from './synth';
import { committedDist } from '../diff/baseline';
import { generatedApplications } from '../verify/objects';
import { renderedObjects } from '../verify/rendered';

/** The Applications dist/ at HEAD generates (its ApplicationSets expanded), each with its cluster. */
function expectedApplications(outdir: string): Array<{ name: string; cluster: string }> {
  const files = committedDist(outdir) ?? new Map<string, string>();
  return generatedApplications(renderedObjects(files)).map((application) => ({ name: String(application.metadata?.name), cluster: String(application.metadata?.labels?.['fleet/cluster'] ?? '') }));
}

/**
 * Fetches the branch Argo CD tracks from origin, so that what the first wave runs is the remote's
 * newest (rollout/promote.ts firstWaveCommit reads origin/<branch>); without an origin or the
 * network, says so and goes on with what the clone has.
 */
function fetchTrackedBranch(repoRoot: string, fleetText: string): void {
  const branch = String(parseYaml(fleetText)?.repo?.revision ?? 'main');
  try {
    execFileSync('git', ['-C', repoRoot, 'remote', 'get-url', 'origin'], { stdio: 'ignore' });
  } catch {
    return;
  }
  try {
    execFileSync('git', ['-C', repoRoot, 'fetch', '--quiet', 'origin', branch], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  } catch (error) {
    console.error(`warning: could not fetch ${branch} from origin (${String((error as { stderr?: unknown }).stderr ?? (error as Error).message).trim().split('\n')[0]}): using what this clone has of it`);
  }
}

const usage = 'usage: npm run promote -- <wave> [--undo] | --init';

async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { undo: { type: 'boolean' }, init: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`${(error as Error).message}: ${usage}`);
    return 2;
  }
  const [wave, ...rest] = parsed.positionals;
  if (rest.length || (parsed.values.init ? wave !== undefined || parsed.values.undo : wave === undefined)) {
    console.error(usage);
    return 2;
  }
  const options = synthOptionsFromEnv(process.env);
  const repoRoot = execFileSync('git', ['-C', resolve(options.configFile, '..'), 'rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
  const fleetText = readFileSync(options.configFile, 'utf8');
  fetchTrackedBranch(repoRoot, fleetText);
  let promotion: Promotion;
  try {
    if (parsed.values.init) {
      promotion = initWaves(fleetText, repoRoot);
      // Pinned, the fleet must be valid.
      parseFleet(promotion.text, options.configFile);
    } else {
      const fleet = loadFleet(options.configFile);
      const server = process.env.ARGOCD_SERVER;
      const token = process.env.ARGOCD_AUTH_TOKEN;
      const context: PromotionContext = {
        fleet,
        fleetText,
        fleetPath: relative(repoRoot, resolve(options.configFile)),
        repoRoot,
        now: Math.floor(Date.now() / 1000),
        applications: server && token && !parsed.values.undo ? await fetchApplications(server, token, fleet.repo.url) : undefined,
        // What dist/ as committed generates: the Applications Argo CD must list.
        expectedApplications: server && token && !parsed.values.undo ? expectedApplications(options.outdir) : undefined,
      };
      promotion = parsed.values.undo ? undoWave(context, wave!) : promoteWave(context, wave!);
    }
  } catch (error) {
    if (error instanceof FleetConfigError) {
      console.error(`${options.configFile} is not valid:\n${error.message}`);
      return 2;
    }
    if (error instanceof PromotionError || error instanceof ArgoCdApiError) {
      console.error(`${parsed.values.undo ? 'undo' : 'promotion'} refused: ${error.message}`);
      return 1;
    }
    throw error;
  }
  updateFleetFile(options.configFile, () => ({ text: promotion.text, result: undefined }));
  for (const line of promotion.lines) console.log(line);
  const { added, changed, removed } = await synthesize(options);
  console.log(`${options.outdir}/: ${added.length} added, ${changed.length} changed, ${removed.length} removed (from ${options.configFile}); commit both and open a pull request`);
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error) => {
  console.error(String((error as Error).stack ?? error));
  process.exitCode = 1;
});
