/**
 * What a change of fleet.yaml does that no count of files says, read from the output folder as
 * it was (the committed dist/, unless synth ran since) and the fleet as it is now:
 * - a cluster that leaves dist/ while apps still run on it there (synth refuses it unless the
 *   cluster is released, README "Removing a cluster");
 * - Argo CD moving to another cluster, the hosted zone to another account (said loudly).
 */
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { argocdChart } from '../catalog/addons';
import { fleetAnnotationKeys, resourcesFinalizer } from '../catalog/argocd';
import { appSharedPath, distLayout, pathPattern } from '../catalog/dist-layout';
import { declaredReplicas } from '../catalog/test-app';
import { Fleet } from '../config/fleet';
import { count, firstNames, largestFirst } from '../config/messages';
import { expandApplicationSet, Json } from './applicationset';

/** The objects of a YAML file of dist/; undefined when it does not parse. */
function documents(text: string): Json[] | undefined {
  try {
    return loadAll(text, null, { schema: CORE_SCHEMA }).filter((object): object is Json => object !== null && typeof object === 'object');
  } catch {
    return undefined;
  }
}

/** A cluster of the output folder that the fleet no longer has, with what dist/ still runs there. */
export interface LeavingCluster {
  readonly cluster: string;
  /** The apps dist/ places on it, with their pods (the replicas of apps/<app>/app.yaml), in the ApplicationSet's order. */
  readonly apps: readonly { readonly name: string; readonly pods: number }[];
  /**
   * Whether its Applications are released: generated without the resources finalizer
   * (release: true), so deleting them leaves the apps running. undefined when dist/ has no
   * ApplicationSet of its apps to tell (a file edited by hand).
   */
  readonly released: boolean | undefined;
}

const clusterAppsFile = pathPattern(distLayout.clusterApps);
const clusterSecretFile = pathPattern(distLayout.clusterSecret);

/**
 * The clusters the output folder registers or runs apps on that are not clusters of `fleet` (a
 * cluster removed from fleet.yaml, or one that lost its server and is pending again). `paths` are
 * the files synth wrote there (its marker), `read` gives a file's text (undefined when missing).
 */
export function leavingClusters(fleet: Fleet, paths: readonly string[], read: (path: string) => string | undefined): LeavingCluster[] {
  const staying = new Set(fleet.clusters.map((cluster) => cluster.name));
  const leaving = new Set<string>();
  for (const path of paths) {
    const cluster = clusterAppsFile.exec(path)?.[1] ?? clusterSecretFile.exec(path)?.[1];
    if (cluster !== undefined && !staying.has(cluster)) leaving.add(cluster);
  }
  const listed = new Set(paths);
  return [...leaving].sort().map((cluster) => {
    const path = distLayout.clusterApps(cluster);
    const text = listed.has(path) ? read(path) : undefined;
    if (text === undefined) return { cluster, apps: [], released: false };
    // The test apps' ApplicationSet and the services' (platform, charts, git): every Application of the cluster.
    const appSets = documents(text)?.filter((object) => object.kind === 'ApplicationSet') ?? [];
    if (!appSets.length) return { cluster, apps: [], released: undefined };
    let applications: Json[];
    try {
      applications = appSets.flatMap((appSet) => expandApplicationSet(appSet, []));
    } catch {
      return { cluster, apps: [], released: undefined };
    }
    // A service has two Applications there (its source's and its Namespace's): one app.
    const names = [...new Set(applications.map((application) => String(application.metadata?.labels?.['fleet/app'] ?? application.metadata?.name)))];
    const apps = names.map((name) => {
      const shared = read(appSharedPath(name));
      return { name, pods: shared === undefined ? 0 : declaredReplicas(documents(shared) ?? []) };
    });
    const released = applications.every((application) => !(application.metadata?.finalizers ?? []).includes(resourcesFinalizer));
    return { cluster, apps, released };
  });
}

/** Why a leaving cluster may not leave in this change, or undefined when it may: no apps, or released ones. */
export function leavingProblem(leaving: LeavingCluster): string | undefined {
  const { cluster, apps, released } = leaving;
  if (released === undefined) {
    return `${cluster} is no longer in clusters, and ${distLayout.clusterApps(cluster)} in the output folder is not an ApplicationSet synth wrote, so whether apps still run on it cannot be told: restore the file from git, then synth again`;
  }
  if (!apps.length || released) return undefined;
  const pods = apps.reduce((total, app) => total + app.pods, 0);
  return `${cluster} is no longer in clusters, but the output folder still runs ${count(apps.length)} ${apps.length === 1 ? 'app' : 'apps'} on it `
    + `(${count(pods)} pods: ${largestFirst(apps.map((app) => ({ name: app.name, amount: app.pods })), 'apps')}). `
    + 'Removed in one change, its registration, project and ApplicationSet would be pruned together, and whether those apps are deleted would not be yours to decide. '
    + `Keep ${cluster} in clusters for one more change and say which you mean: either take its apps off it `
    + `(defaultApps: false on it, and it out of every app's clusters): Argo CD deletes them there, then remove the cluster; `
    + 'or set release: true on it: Argo CD lets go of them, then remove the cluster and they stay running there, unmanaged (README, "Removing a cluster")';
}

/** Loud lines for the clusters that leave with released apps: what stays running there. */
export function releasedLines(leaving: readonly LeavingCluster[]): string[] {
  return leaving.filter((entry) => entry.released && entry.apps.length).map(({ cluster, apps }) => {
    const pods = apps.reduce((total, app) => total + app.pods, 0);
    return `${cluster} leaves the fleet with its apps released: ${firstNames(apps.map((app) => app.name))} (${count(pods)} pods) stay running there, no longer managed by Argo CD, and external-dns there keeps their records`;
  });
}

/** Loud lines of `--replace-fleet`: each cluster that leaves, with what ran on it (its apps are deleted there unless released). */
export function replacedLines(leaving: readonly LeavingCluster[]): string[] {
  return leaving.map(({ cluster, apps, released }) => {
    const pods = apps.reduce((total, app) => total + app.pods, 0);
    const what = apps.length
      ? `with ${count(apps.length)} ${apps.length === 1 ? 'app' : 'apps'} (${count(pods)} pods: ${firstNames(apps.map((app) => app.name))})${released ? ', released: they stay running there, unmanaged' : ': an Argo CD that still manages them deletes them'}`
      : 'with no apps';
    return `--replace-fleet: ${cluster} leaves the fleet ${what}`;
  });
}

/** The annotations of the root app (argocd/root.yaml) that say where Argo CD runs and which account holds the zone. */
function fleetAnnotations(rootText: string | undefined): { argocdCluster?: string; domainAccountId?: string } {
  const root = rootText === undefined ? undefined : documents(rootText)?.find((object) => object.kind === 'Application');
  const annotations = root?.metadata?.annotations ?? {};
  return { argocdCluster: annotations[fleetAnnotationKeys.argocdCluster], domainAccountId: annotations[fleetAnnotationKeys.domainAccountId] };
}

/** The prefix that marks a line about a move of the whole fleet in synth's and diff's output. */
export const moveMark = '!!';

/**
 * Loud lines when a change moves Argo CD to another cluster or the hosted zone to another account:
 * from the root app's text before (absent, or written before it said: nothing to compare) to the fleet.
 */
export function fleetMoves(rootBefore: string | undefined, fleet: Pick<Fleet, 'argocd' | 'domainAccountId'>): string[] {
  const before = fleetAnnotations(rootBefore);
  const after = { argocdCluster: fleet.argocd.cluster, domainAccountId: fleet.domainAccountId };
  const lines: string[] = [];
  if (before.argocdCluster !== undefined && before.argocdCluster !== after.argocdCluster) {
    const bootstrap = distLayout.terraformBootstrap.replace(/\/[^/]*$/, '/');
    const { from, to } = { from: before.argocdCluster, to: after.argocdCluster };
    lines.push(`Argo CD moves from ${from} to ${to} (argocd.cluster): ${bootstrap} now installs it on ${to}, and the role fleet-argocd that every cluster's <cluster>-argocd role trusts becomes the one of ${to}'s account. `
      + `In this order: apply the accounts' modules, then every cluster's (${to}'s gives Argo CD its associations); in ${bootstrap}, \`terraform state rm helm_release.argocd\` (its state still holds the release on ${from}: forgotten, not uninstalled), `
      + `then an administrator applies it, installing Argo CD on ${to}; scale ${from}'s Argo CD controllers to 0, apply dist/argocd/root.yaml on ${to}, and once it has synced, \`helm uninstall ${argocdChart.releaseName} -n ${fleet.argocd.namespace}\` on ${from} (no controller runs there, so its Applications delete nothing)`);
  }
  if (before.domainAccountId !== undefined && before.domainAccountId !== after.domainAccountId) {
    lines.push(`The hosted zone's account changes from ${before.domainAccountId} to ${after.domainAccountId} (domainAccountId): external-dns of every other account writes the records through fleet-external-dns-zone in ${after.domainAccountId}, and the zone must be there`);
  }
  return lines;
}
