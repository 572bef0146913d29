/**
 * What a fleet change does to each cluster: the apps (test pages and services) it gains or loses
 * there, the apps whose pods change, and the pods it runs in all. Read from dist/: a cluster's apps
 * are the elements of its ApplicationSets (argocd/apps/<cluster>.yaml: the test apps', the
 * services'), an app's pods the replicas of its Deployment or the pods its Namespace declares
 * (apps/<app>/app.yaml), so a new cluster that quietly takes every default-placed app says so.
 */
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { appSharedPath, distLayout, pathPattern } from '../catalog/dist-layout';
import { declaredReplicas } from '../catalog/test-app';
import { Fleet } from '../config/fleet';
import { count, firstNames, largestShown } from '../config/messages';

/** The apps of each cluster with their pods: cluster -> app -> replicas. */
export type Placements = Map<string, Map<string, number>>;

/** The placements of a fleet as it renders. */
export function placementsOf(fleet: Fleet): Placements {
  const placements: Placements = new Map(fleet.clusters.map((cluster) => [cluster.name, new Map()]));
  for (const app of fleet.apps) {
    for (const placement of app.placements) placements.get(placement.cluster)!.set(app.name, app.replicas);
  }
  return placements;
}

const clusterAppsFile = pathPattern(distLayout.clusterApps);
const appFile = pathPattern(appSharedPath);
/** An app's file for one cluster, whose Ingress names the app's ALB there (diff/load-balancers.ts). */
const appClusterFile = /^apps\/([^/]+)\/clusters\/([^/]+)\.yaml$/;

/** Whether a file of dist/ tells where apps run, how many pods they have, or which ALB they are on. */
export function tellsPlacements(path: string): boolean {
  return clusterAppsFile.test(path) || appFile.test(path) || appClusterFile.test(path);
}

/** The regular expression of tellsPlacements, for code that cannot import this module (the staging thread). */
export const placementFilesPattern = `${clusterAppsFile.source}|${appFile.source}|${appClusterFile.source}`;

/** The objects of a file of dist/ (js-yaml, which synth has warmed up reading fleet.yaml); none when it is not YAML. */
function documents(text: string): any[] {
  try {
    return loadAll(text, null, { schema: CORE_SCHEMA }).filter((object) => object);
  } catch {
    return [];
  }
}

/** The apps the ApplicationSets of argocd/apps/<cluster>.yaml list: the test apps', then the services'. */
function appsListed(text: string): string[] {
  return documents(text).filter((object) => object.kind === 'ApplicationSet')
    .flatMap((appSet) => (appSet.spec?.generators ?? []).flatMap((generator: any) => (generator.list?.elements ?? []).map((element: any) => String(element.app))));
}

/** The pods apps/<app>/app.yaml declares per cluster. */
function replicasIn(text: string): number {
  return declaredReplicas(documents(text));
}

/**
 * The placements before a change, from those after it and the previous text of every file that
 * tells placements and differs (undefined: the file did not exist before).
 */
export function placementsBefore(after: Placements, previous: ReadonlyMap<string, string | undefined>): Placements {
  const replicasAfter = new Map<string, number>();
  for (const apps of after.values()) for (const [app, replicas] of apps) replicasAfter.set(app, replicas);
  const replicasBefore = new Map(replicasAfter);
  for (const [path, text] of previous) {
    const app = appFile.exec(path)?.[1];
    if (app === undefined) continue;
    if (text === undefined) replicasBefore.delete(app);
    else replicasBefore.set(app, replicasIn(text));
  }
  const before: Placements = new Map([...after].map(([cluster, apps]) => [cluster, new Map([...apps].map(([app]) => [app, replicasBefore.get(app) ?? 0]))]));
  for (const [path, text] of previous) {
    const cluster = clusterAppsFile.exec(path)?.[1];
    if (cluster === undefined) continue;
    before.set(cluster, new Map((text === undefined ? [] : appsListed(text)).map((app) => [app, replicasBefore.get(app) ?? 0])));
  }
  return before;
}

/** What a change does to one cluster. */
export interface ClusterChange {
  readonly cluster: string;
  /** Apps placed on the cluster by the change, with their pods. */
  readonly added: ReadonlyMap<string, number>;
  /** Apps taken off it, with the pods they had. */
  readonly removed: ReadonlyMap<string, number>;
  /** Apps that stay, whose pods change: [before, after]. */
  readonly scaled: ReadonlyMap<string, readonly [number, number]>;
  readonly podsBefore: number;
  readonly podsAfter: number;
}

function podsIn(apps: ReadonlyMap<string, number> | undefined): number {
  return [...(apps ?? new Map<string, number>()).values()].reduce((total, pods) => total + pods, 0);
}

/** The clusters a change touches, in the order of `after` and then of clusters that are gone. */
export function clusterChanges(before: Placements, after: Placements): ClusterChange[] {
  const clusters = [...new Set([...after.keys(), ...before.keys()])];
  return clusters.flatMap((cluster) => {
    const old = before.get(cluster) ?? new Map<string, number>();
    const now = after.get(cluster) ?? new Map<string, number>();
    const added = new Map([...now].filter(([app]) => !old.has(app)));
    const removed = new Map([...old].filter(([app]) => !now.has(app)));
    const scaled = new Map([...now].filter(([app, pods]) => old.has(app) && old.get(app) !== pods).map(([app, pods]) => [app, [old.get(app)!, pods] as const]));
    if (!added.size && !removed.size && !scaled.size) return [];
    return [{ cluster, added, removed, scaled, podsBefore: podsIn(old), podsAfter: podsIn(now) }];
  });
}

function signed(amount: number): string {
  return `${amount < 0 ? '-' : '+'}${count(Math.abs(amount))}`;
}

function byPods<T>(entries: ReadonlyMap<string, T>, pods: (value: T) => number): string[] {
  return [...entries].sort((a, b) => pods(b[1]) - pods(a[1])).map(([app]) => app);
}

/**
 * One line per cluster a change touches: "ipv6-west: adds app0, app1, app2 and 1 more (+10,015 pods); 0 -> 10,015 pods".
 * The largest apps are named, the rest counted.
 */
export function formatClusterChanges(changes: readonly ClusterChange[]): string[] {
  return changes.map((change) => {
    const parts: string[] = [];
    if (change.added.size) parts.push(`adds ${firstNames(byPods(change.added, (pods) => pods))} (${signed(podsIn(change.added))} pods)`);
    if (change.removed.size) parts.push(`removes ${firstNames(byPods(change.removed, (pods) => pods))} (${signed(-podsIn(change.removed))} pods)`);
    if (change.scaled.size) {
      const apps = byPods(change.scaled, ([before, after]) => Math.abs(after - before));
      const named = apps.slice(0, largestShown).map((app) => `${app} ${count(change.scaled.get(app)![0])} -> ${count(change.scaled.get(app)![1])}`);
      const rest = apps.length > largestShown ? ` and ${count(apps.length - largestShown)} more` : '';
      const delta = [...change.scaled.values()].reduce((total, [before, after]) => total + after - before, 0);
      parts.push(`scales ${named.join(', ')}${rest} (${signed(delta)} pods)`);
    }
    return `${change.cluster}: ${parts.join('; ')}; ${count(change.podsBefore)} -> ${count(change.podsAfter)} pods`;
  });
}

/** The previous text of every file that tells placements and differs between two renders. */
export function previousPlacementTexts(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Map<string, string | undefined> {
  const previous = new Map<string, string | undefined>();
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    if (tellsPlacements(path) && before.get(path) !== after.get(path)) previous.set(path, before.get(path));
  }
  return previous;
}
