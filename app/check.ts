/**
 * npm run check: the checks of the team's own fleet, which CI runs beside `npm test` (which tests
 * the generator on fixture fleets). fleet.yaml is valid, the capacity plan accepts it, dist/ is
 * what it renders, every rendered object is valid, every add-on and Argo CD chart renders with
 * helm into what the clusters accept, and every app's page works with the real nginx and
 * Chromium.
 *
 *   npm run check            FLEET_CONFIG (default fleet.yaml), CDK8S_OUTDIR (default dist)
 *
 * Exit status: 0 when every check passes, 1 when one fails, 2 when fleet.yaml is not valid.
 * Without nginx or Chromium (or helm, on another platform than linux x64) that check is skipped
 * with a warning, except on CI (CI=true), where it fails.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { planFleet } from '../capacity/plan';
import { planProblems } from '../capacity/report';
import { Fleet } from '../config/fleet';
import { FleetConfigError, loadFleet } from '../config/load';
import { synthOptionsFromEnv } from '../config/locations';
import { count } from '../config/messages';
import { byPath, markerText, outputMarker, readOutput } from '../output/write-dist';
import { checkCharts } from '../verify/chart-checks';
import { helmUnavailable } from '../verify/helm';
import { renderedObjectProblems } from '../verify/objects';
import { checkPages, missingPagePrograms } from '../verify/pages';
import { renderFleet } from './render';

/** The outcome of one check: passed, failed or skipped, with what to say. */
export interface CheckResult {
  readonly status: 'ok' | 'failed' | 'skipped';
  readonly summary: string;
  /** What failed, one line each, or why it was skipped. */
  readonly details?: readonly string[];
}

/** At most this many lines of one check's details are printed; the rest are counted. */
const maxDetails = 20;

/** Whether rendered files, and the marker that lists them, are what the output folder holds; lists what differs. */
export function syncCheck(outdir: string, rendered: ReadonlyMap<string, string>): CheckResult {
  if (!existsSync(outdir)) return { status: 'failed', summary: `${outdir}/ does not exist: run npm run synth and commit it` };
  const onDisk = readOutput(outdir);
  const markerFile = join(outdir, outputMarker);
  const marker = existsSync(markerFile) ? readFileSync(markerFile, 'utf8') : undefined;
  const changed = [...rendered.keys()].filter((path) => onDisk.has(path) && onDisk.get(path) !== rendered.get(path));
  if (marker !== undefined && marker !== markerText(rendered.keys())) changed.push(outputMarker);
  const missing = [...(marker === undefined ? [outputMarker] : []), ...[...rendered.keys()].filter((path) => !onDisk.has(path))];
  const extra = [...onDisk.keys()].filter((path) => !rendered.has(path));
  if (!changed.length && !missing.length && !extra.length) return { status: 'ok', summary: `${outdir}/ is what fleet.yaml renders (${count(rendered.size)} files and ${outputMarker})` };
  return {
    status: 'failed',
    summary: `${outdir}/ is not what fleet.yaml renders: run npm run synth and commit ${outdir}/`,
    details: [
      ...changed.map((path) => `differs: ${path}`),
      ...missing.map((path) => `missing: ${path}`),
      ...extra.map((path) => `not rendered by fleet.yaml: ${path}`),
    ].sort(byPath),
  };
}

/** The capacity plan's verdict on the fleet: errors fail, warnings pass but are listed. */
export function capacityCheck(fleet: Fleet): CheckResult {
  const { errors, warnings } = planProblems(planFleet(fleet), fleet.capacity.nodeGroupMaxTooSmall === 'error');
  if (errors.length) return { status: 'failed', summary: 'the capacity plan refuses the fleet (npm run plan shows it)', details: [...errors, ...warnings.map((warning) => `warning: ${warning}`)] };
  const summary = `the capacity plan accepts the fleet${warnings.length ? ` with ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : ''}`;
  return { status: 'ok', summary, details: warnings.map((warning) => `warning: ${warning}`) };
}

/** Schemas and Pod Security of every rendered object and generated Application. */
export function objectsCheck(rendered: ReadonlyMap<string, string>): CheckResult {
  const problems = renderedObjectProblems(rendered);
  if (problems.length) return { status: 'failed', summary: 'rendered objects are not valid', details: problems };
  return { status: 'ok', summary: 'every rendered object and generated Application matches its schema; every pod template passes Pod Security "restricted"' };
}

/** The add-on and Argo CD charts rendered with helm as their Applications ask (verify/chart-checks.ts). */
export async function chartsCheck(fleet: Fleet, rendered: ReadonlyMap<string, string>, onCi: boolean): Promise<CheckResult> {
  const unavailable = helmUnavailable();
  if (unavailable) {
    return onCi ? { status: 'failed', summary: 'the charts cannot be rendered', details: [unavailable] } : { status: 'skipped', summary: 'the charts were not rendered', details: [unavailable] };
  }
  const problems = await checkCharts(fleet, rendered);
  if (problems.length) return { status: 'failed', summary: 'the charts render what a cluster, Pod Security or Argo CD would refuse', details: problems };
  return { status: 'ok', summary: 'every chart renders with helm, as its Application asks, into objects the clusters accept: schemas, requests, budgets, pinned images, IP families, Pod Security, projects, no webhook deadlock' };
}

/** The apps' pages with the real nginx and Chromium. */
export async function pagesCheck(fleet: Fleet, rendered: ReadonlyMap<string, string>, onCi: boolean): Promise<CheckResult> {
  const missing = missingPagePrograms();
  if (missing.length) {
    const why = `${missing.join(' and ')} not installed: run scripts/install-e2e-deps.sh`;
    return onCi ? { status: 'failed', summary: 'the apps\' pages cannot be checked', details: [why] } : { status: 'skipped', summary: 'the apps\' pages were not checked', details: [why] };
  }
  const problems = await checkPages(rendered, fleet.apps);
  const apps = `${count(fleet.apps.length)} app${fleet.apps.length === 1 ? '' : 's'}`;
  if (problems.length) return { status: 'failed', summary: `the pages of ${apps} do not all work`, details: problems };
  return { status: 'ok', summary: `the pages of ${apps} work: nginx serves them over IPv6 and IPv4, Chromium paints their colours` };
}

function print(result: CheckResult): void {
  const mark = { ok: 'ok     ', failed: 'FAILED ', skipped: 'skipped' }[result.status];
  const details = result.details ?? [];
  const shown = details.slice(0, maxDetails).map((line) => `          ${line.replace(/\n/g, '\n          ')}`);
  if (details.length > maxDetails) shown.push(`          and ${count(details.length - maxDetails)} more`);
  (result.status === 'failed' ? console.error : console.log)([`${mark} ${result.summary}`, ...shown].join('\n'));
}

async function main(): Promise<number> {
  const { configFile, outdir } = synthOptionsFromEnv(process.env);
  const onCi = Boolean(process.env.CI) && process.env.CI !== 'false';
  let fleet: Fleet;
  try {
    fleet = loadFleet(configFile);
  } catch (error) {
    if (!(error instanceof FleetConfigError)) throw error;
    print({ status: 'failed', summary: `${configFile} is not valid`, details: error.message.split('\n') });
    return 2;
  }
  print({ status: 'ok', summary: `${configFile} is valid (${count(fleet.clusters.length)} clusters, ${count(fleet.apps.length)} apps)` });
  const rendered = renderFleet(fleet);
  const results = [capacityCheck(fleet), syncCheck(outdir, rendered), objectsCheck(rendered)];
  results.forEach(print);
  const slow = [await chartsCheck(fleet, rendered, onCi), await pagesCheck(fleet, rendered, onCi)];
  slow.forEach(print);
  return [...results, ...slow].some((result) => result.status === 'failed') ? 1 : 0;
}

main().then((code) => {
  process.exitCode = code;
}, (error: Error) => {
  console.error(`check failed:\n${error.stack ?? error}`);
  process.exitCode = 1;
});
