/**
 * The checks npm run check runs on the team's fleet (app/check.ts), one function each, so tests
 * can run them on their own.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { planFleet } from '../capacity/plan';
import { planProblems } from '../capacity/report';
import { Fleet, isService, isTestApp } from '../config/fleet';
import { fieldLines, formatProblem, locateProblems } from '../config/load';
import { loadBalancerWalk, UnwalkedMove } from '../diff/load-balancers';
import { sourceKindSwitches } from '../diff/source-kinds';
import { hostChanges } from '../diff/host-changes';
import { LocatedMessage } from '../terraform/identity-switch';
import { ingressName, IngressRole } from '../config/load-balancer-groups';
import { formatFieldPath } from '../output/field-path';
import { count } from '../config/messages';
import { appClusterPath } from '../catalog/dist-layout';
import { committedDist, committedVersionsSince } from '../diff/baseline';
import { leavingClusters, leavingProblem, replacedLines } from '../diff/fleet-changes';
import { byPath, markerText, outputMarker, readOutput } from '../output/write-dist';
import { chartProblems } from '../verify/chart-checks';
import { renderChartsByCluster } from '../verify/chart-renders';
import { valuesProblems } from '../verify/chart-values';
import { dnsProblems, fleetRecords } from '../verify/dns-records';
import { helmUnavailable } from '../verify/helm';
import { serviceFindings } from '../verify/service-readiness';
import { clusterPolicy } from '../verify/admission';
import { admissionPolicyNames } from '../catalog/admission';
import { appFieldPath, AppFieldLocator, renderServices } from '../verify/service-renders';
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

/**
 * The walks of apps between ALBs (diff/load-balancers.ts), judged against the dist/ committed at `base` (the pull
 * request's base; HEAD by default), which is what the clusters run once it was merged and synced: synth judges them
 * against the output folder it replaces, which holds any step synthesized in this branch but never merged. A skipped
 * step fails. A move without the walk is what a change of one number does (app2 to 10,000 replicas): a warning, as in
 * synth, unless the branch's own commits took steps of that app's walk (an Ingress <app>-next or <app>-previous in a
 * commit after `base`), which Argo CD would never sync one at a time: then it fails, as a walk squashed into one merge.
 */
export function walkCheck(fleet: Fleet, outdir: string, rendered: ReadonlyMap<string, string>, base = 'HEAD', configFile?: string): CheckResult {
  let committed;
  try {
    committed = committedDist(outdir, base);
  } catch (error) {
    return { status: 'failed', summary: `${outdir}/ at ${base} cannot be read`, details: [(error as Error).message] };
  }
  if (!committed) return { status: 'ok', summary: `no app walks between ALBs: ${outdir}/ is not committed at ${base}` };
  const previous = new Map<string, string | undefined>();
  for (const path of new Set([...rendered.keys(), ...committed.keys()])) {
    if (path.startsWith('apps/') && path.includes('/clusters/') && rendered.get(path) !== committed.get(path)) previous.set(path, committed.get(path));
  }
  const { problems, warnings, unwalked } = loadBalancerWalk(fleet, previous, `${outdir}/ at ${base}`);
  const walkedInBranch = (move: UnwalkedMove) => committedVersionsSince(outdir, base, appClusterPath(move.app, move.cluster))
    .some((text) => ['next', 'previous'].some((role) => text.includes(`\n  name: ${ingressName(move.app, role as IngressRole)}\n`)));
  const squashed = unwalked.filter(walkedInBranch);
  const locate = (messages: readonly LocatedMessage[]) => (configFile === undefined ? messages.map((problem) => `${formatFieldPath(problem.path)}: ${problem.message}`) : locateProblems(configFile, messages).map(formatProblem));
  const located = locate([...problems, ...squashed.map((move) => ({ ...move, message: `${move.message} This branch took steps of ${move.app}'s walk in commits of its own, which Argo CD never syncs one at a time: merge each step before the next.` }))]);
  const plain = unwalked.filter((move) => !squashed.includes(move));
  // A DNS name that changes where the app runs (diff/host-changes.ts): read from the same files.
  const unwalkedWarnings = [...locate(plain), ...warnings.filter((warning) => warning.includes('.sharedLoadBalancers changed'))];
  const renamed = locate(hostChanges(fleet, previous));
  const warned = [...unwalkedWarnings, ...renamed].map((warning) => `warning: ${warning}`);
  if (located.length) {
    return { status: 'failed', summary: `fleet.yaml moves apps between ALBs in steps the clusters would not get one at a time (against ${outdir}/ at ${base}): merge and sync each step of a walk before the next`, details: [...located, ...warned] };
  }
  const but = [unwalkedWarnings.length ? `${count(unwalkedWarnings.length)} moved without one` : '', renamed.length ? `${count(renamed.length)} DNS name${renamed.length === 1 ? '' : 's'} changed where ${renamed.length === 1 ? 'it runs' : 'they run'}` : ''].filter(Boolean);
  return { status: 'ok', summary: `every app that changes ALB against ${outdir}/ at ${base} takes the next step of its walk${but.length ? `, but for ${but.join(' and ')}` : ''}`, details: warned };
}

/**
 * Apps that change kind (a chart, a git path, a test page) on a cluster where they run (diff/source-kinds.ts), judged
 * against the dist/ committed at `base` (the pull request's base; HEAD by default), which is what the clusters run:
 * the ApplicationSet that gains the app cannot take over its Application, and the one that loses it deletes the running app.
 */
export function sourceKindCheck(fleet: Fleet, outdir: string, rendered: ReadonlyMap<string, string>, base = 'HEAD', configFile?: string): CheckResult {
  let committed;
  try {
    committed = committedDist(outdir, base, 'argocd/apps');
  } catch (error) {
    return { status: 'failed', summary: `${outdir}/ at ${base} cannot be read`, details: [(error as Error).message] };
  }
  if (!committed) return { status: 'ok', summary: `no app changes kind where it runs: ${outdir}/ is not committed at ${base}` };
  const previous = new Map<string, string | undefined>();
  // Only the clusters' files the change rewrites: an app that changes kind rewrites its cluster's.
  for (const [path, text] of committed) if (rendered.get(path) !== text) previous.set(path, text);
  const problems = sourceKindSwitches(fleet, previous, `${outdir}/ at ${base}`);
  if (problems.length) {
    const details = configFile === undefined ? problems.map((problem) => `${formatFieldPath(problem.path)}: ${problem.message}`) : locateProblems(configFile, problems).map(formatProblem);
    return { status: 'failed', summary: `fleet.yaml switches apps between a chart, a git path and a test page where they run (against ${outdir}/ at ${base}): their ApplicationSets would delete the running apps`, details };
  }
  return { status: 'ok', summary: `no app changes between a chart, a git path and a test page on a cluster where ${outdir}/ at ${base} runs it` };
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
 * The team's own services rendered offline as Argo CD would render them on each cluster
 * (verify/service-renders.ts: a vendored chart archive, a path of this repository) and checked for
 * what breaks on the cluster's IP family and what the cluster, Pod Security, the services' project,
 * the Ingress and the plan would refuse or miscount (verify/service-readiness.ts). A service the
 * check cannot reach offline is listed as not checked, with the reason; address literals are warnings.
 * `repoRoot`: the repository the sources' paths and archives are in (this project by default).
 */
export async function servicesCheck(fleet: Fleet, rendered: ReadonlyMap<string, string>, onCi: boolean, options: { readonly repoRoot?: string; readonly configFile?: string } = {}): Promise<CheckResult> {
  const services = fleet.apps.filter(isService);
  if (!services.length) return { status: 'ok', summary: 'no services to check (every app is a test page)' };
  const unavailable = helmUnavailable();
  if (unavailable) {
    const details = [unavailable, ...services.map((app) => `${app.name}: not checked: helm is not available`)];
    return onCi ? { status: 'failed', summary: 'the services cannot be rendered', details } : { status: 'skipped', summary: `the ${count(services.length)} services were not rendered`, details };
  }
  const locate = serviceLocator(fleet, options.configFile);
  const outcome = await renderServices(fleet, rendered, { repoRoot: options.repoRoot, locate });
  const errors = [...outcome.errors];
  const warnings: string[] = [];
  for (const render of outcome.renders) {
    const findings = serviceFindings(render, locate(render.app, []), clusterPolicy(rendered, render.cluster.name, admissionPolicyNames.deleteHooks));
    errors.push(...findings.errors);
    warnings.push(...findings.warnings);
  }
  const checked = new Set(outcome.renders.map((render) => render.app.name)).size;
  const notChecked = outcome.notChecked.length ? `; ${count(outcome.notChecked.length)} not checked (listed: not reachable offline)` : '';
  const details = [...errors, ...warnings.map((warning) => `warning: ${warning}`), ...outcome.notChecked];
  const summaryStart = `${count(checked)} of ${count(services.length)} services rendered as Argo CD would on ${count(outcome.renders.length)} placements`;
  if (errors.length) return { status: 'failed', summary: `${summaryStart}: they would break on their clusters${notChecked}`, details };
  return { status: 'ok', summary: `${summaryStart}: IP families, hostNetwork and hostPort, Pod Security, schemas, project scope, the exposed Service, replicas and identities are what the clusters take, and nothing reaches past its namespace and host or holds a secret${warnings.length ? ` (${count(warnings.length)} warnings)` : ''}${notChecked}`, details };
}

/** Names an app's field as `fleet.yaml:LINE: apps[i].field` when the fleet's file is known. */
function serviceLocator(fleet: Fleet, configFile: string | undefined): AppFieldLocator {
  const path = appFieldPath(fleet);
  if (configFile === undefined) return path;
  const lines = fieldLines(configFile);
  const indexes = new Map(fleet.apps.map((app, index) => [app.name, index]));
  return (app, field) => {
    let line: string;
    try {
      [line] = lines([['apps', indexes.get(app.name)!, ...(field.length ? field : ['name'])]]);
    } catch {
      return path(app, field);
    }
    return `${line}: ${path(app, field)}`;
  };
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
  const testApps = fleet.apps.filter(isTestApp);
  const problems = await checkPages(rendered, testApps);
  const apps = `${count(testApps.length)} app${testApps.length === 1 ? '' : 's'}`;
  if (problems.length) return { status: 'failed', summary: `the pages of ${apps} do not all work`, details: problems };
  return { status: 'ok', summary: `the pages of ${apps} work: nginx serves them over IPv6 and IPv4, Chromium paints their colours` };
}
