/**
 * The checks npm run check runs on the team's fleet (app/check.ts), one function each, so tests
 * can run them on their own.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { planFleet } from '../capacity/plan';
import { planProblems } from '../capacity/report';
import { Fleet } from '../config/fleet';
import { fieldLines } from '../config/load';
import { count } from '../config/messages';
import { committedDist } from '../diff/baseline';
import { leavingClusters, leavingProblem, replacedLines } from '../diff/fleet-changes';
import { byPath, markerText, outputMarker, readOutput } from '../output/write-dist';
import { chartProblems } from '../verify/chart-checks';
import { renderChartsByCluster } from '../verify/chart-renders';
import { valuesProblems } from '../verify/chart-values';
import { dnsProblems, fleetRecords } from '../verify/dns-records';
import { helmUnavailable } from '../verify/helm';
import { renderedObjectProblemsInTurns } from '../verify/objects';
import { checkPages, missingPagePrograms } from '../verify/pages';
import { argocdObjects } from '../verify/rendered';
import { AwsCaller, awsCallers, callerIdentityProblems, terraformProblems } from '../verify/terraform';

/** The outcome of one check: passed, failed or skipped, with what to say. */
export interface CheckResult {
  readonly status: 'ok' | 'failed' | 'skipped';
  readonly summary: string;
  /** What failed, one line each, or why it was skipped. */
  readonly details?: readonly string[];
}

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

/**
 * No cluster leaves with apps that are not released (diff/fleet-changes.ts), relative to the dist/
 * committed at `base` (the pull request's base; HEAD by default): synth refuses it against the
 * output folder, and this catches a dist/ deleted and synthesized afresh, which synth cannot see.
 * A fleet without a committed dist/ (new, or not in git) has nothing to lose. `replaceFleet`: the
 * change replaces the fleet on purpose (npm run synth -- --replace-fleet); the clusters are listed.
 */
export function removalCheck(fleet: Fleet, outdir: string, base = 'HEAD', replaceFleet = false): CheckResult {
  let committed;
  try {
    committed = committedDist(outdir, base);
  } catch (error) {
    return { status: 'failed', summary: `${outdir}/ at ${base} cannot be read`, details: [(error as Error).message] };
  }
  if (!committed) return { status: 'ok', summary: `no cluster leaves with its apps: ${outdir}/ is not committed at ${base}` };
  const leaving = leavingClusters(fleet, [...committed.keys()], (path) => committed.get(path));
  if (replaceFleet) return { status: 'ok', summary: `the fleet is replaced (--replace-fleet): ${count(leaving.length)} clusters of ${outdir}/ at ${base} leave`, details: replacedLines(leaving) };
  const problems = leaving.flatMap((cluster) => leavingProblem(cluster) ?? []);
  if (problems.length) return { status: 'failed', summary: `fleet.yaml removes clusters that still run apps in ${outdir}/ at ${base}`, details: problems };
  return { status: 'ok', summary: `no cluster leaves ${outdir}/ at ${base} with apps that are not released` };
}

/** The capacity plan's verdict on the fleet: errors fail, warnings pass but are listed; given the fleet's file, a fix that names several of its fields gives their lines. */
export function capacityCheck(fleet: Fleet, configFile?: string): CheckResult {
  const { errors, warnings } = planProblems(planFleet(fleet), fleet.capacity, configFile === undefined ? undefined : fieldLines(configFile));
  if (errors.length) return { status: 'failed', summary: 'the capacity plan refuses the fleet (npm run plan shows it)', details: [...errors, ...warnings.map((warning) => `warning: ${warning}`)] };
  const summary = `the capacity plan accepts the fleet${warnings.length ? ` with ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : ''}`;
  return { status: 'ok', summary, details: warnings.map((warning) => `warning: ${warning}`) };
}

/** Schemas, limits and Pod Security of every rendered object and generated Application, and the Helm values against their charts. */
export async function objectsCheck(rendered: ReadonlyMap<string, string>): Promise<CheckResult> {
  // Giving way every few files lets work started before (a caller's helm runs) go on meanwhile.
  const problems = [...await renderedObjectProblemsInTurns(rendered, () => new Promise((resolve) => setImmediate(resolve))), ...valuesProblems(rendered)];
  if (problems.length) return { status: 'failed', summary: 'rendered objects are not valid', details: problems };
  return { status: 'ok', summary: 'every rendered object and generated Application matches its schema and the API server\'s limits; every pod template passes Pod Security "restricted"; every values key exists in its chart' };
}

/**
 * The Route 53 records each cluster's external-dns would own for the apps (verify/dns-records.ts):
 * every weighted name answers clients of both IP families by its weights.
 */
export function dnsCheck(fleet: Fleet, rendered: ReadonlyMap<string, string>): CheckResult {
  const records = fleetRecords(fleet, rendered);
  const problems = dnsProblems(records);
  if (problems.length) return { status: 'failed', summary: 'Route 53 would not answer every app\'s name by its weights', details: problems };
  const names = new Set(records.map((record) => record.name)).size;
  return { status: 'ok', summary: `external-dns would publish ${count(records.length)} records of ${count(names)} app names; every weighted name has an A and an AAAA record of each placement, with its weight` };
}

/**
 * The add-on and Argo CD charts rendered with helm as their Applications ask (verify/chart-checks.ts), checked cluster
 * by cluster as they render; of the renders, only the ServiceAccounts that call AWS are kept, for the identity check.
 */
export async function chartsCheck(fleet: Fleet, rendered: ReadonlyMap<string, string>, onCi: boolean): Promise<CheckResult & { readonly callers?: readonly AwsCaller[] }> {
  const unavailable = helmUnavailable();
  if (unavailable) {
    return onCi ? { status: 'failed', summary: 'the charts cannot be rendered', details: [unavailable] } : { status: 'skipped', summary: 'the charts were not rendered', details: [unavailable] };
  }
  const projects = argocdObjects(rendered).filter((object) => object.kind === 'AppProject');
  const problems: string[] = [];
  const callers: AwsCaller[] = [];
  await renderChartsByCluster(fleet, rendered, (renders) => {
    problems.push(...chartProblems(fleet, rendered, renders, projects));
    callers.push(...awsCallers(renders));
  });
  if (problems.length) return { status: 'failed', summary: 'the charts render what a cluster, Pod Security or Argo CD would refuse', details: problems, callers };
  return { status: 'ok', summary: 'every chart renders with helm, as its Application asks, into objects the clusters accept: schemas, requests, budgets, pinned images, IP families, Pod Security, projects, no webhook deadlock', callers };
}

/**
 * dist/terraform/ against fleet.yaml and the rest of dist/ (verify/terraform.ts): module inputs,
 * pinned sources, what each root module says, Argo CD's way into every cluster, IAM's quotas,
 * and with the ServiceAccounts the charts render calling AWS (chartsCheck) every one against its identity.
 */
export function terraformCheck(fleet: Fleet, rendered: ReadonlyMap<string, string>, callers: readonly AwsCaller[] | undefined): CheckResult {
  const problems = [...terraformProblems(fleet, rendered), ...(callers ? callerIdentityProblems(fleet, rendered, callers) : [])];
  if (problems.length) return { status: 'failed', summary: 'dist/terraform/ does not agree with fleet.yaml and the rest of dist/', details: problems };
  const identities = callers ? 'every ServiceAccount that calls AWS has exactly its identity' : 'the ServiceAccounts\' identities were not checked (no chart renders)';
  return { status: 'ok', summary: `dist/terraform/ agrees with fleet.yaml: module inputs and pins, names, regions, accounts, versions, node groups, Argo CD's access to every cluster; ${identities}` };
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
