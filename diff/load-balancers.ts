/**
 * What a fleet change does to the ALBs of each cluster: the IngressGroups that appear (an ALB AWS creates, with its
 * hourly cost, an address in each public subnet and a share of the region's quota) or go (an ALB deleted, and the
 * DNS names on it moved). Read like diff/placements.ts: after from the fleet, before from the previous text of the
 * per-cluster files of the apps the change touches (apps/<app>/clusters/<cluster>.yaml, their Ingress).
 */
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { appClusterPath } from '../catalog/dist-layout';
import { Fleet } from '../config/fleet';
import { loadBalancerAssignment, ownGroupName } from '../config/load-balancer-groups';
import { firstNames } from '../config/messages';
import { groupNameAnnotation } from '../catalog/test-app';

/** The ALB of every app on every cluster: cluster -> app -> IngressGroup. */
export type LoadBalancerGroups = Map<string, Map<string, string>>;

/** The ALBs of a fleet as it renders. */
export function loadBalancerGroupsOf(fleet: Fleet): LoadBalancerGroups {
  const clusters = new Map(fleet.clusters.map((cluster) => [cluster.name, cluster]));
  const groups: LoadBalancerGroups = new Map(fleet.clusters.map((cluster) => [cluster.name, new Map()]));
  for (const app of fleet.apps) {
    for (const placement of app.placements) groups.get(placement.cluster)!.set(app.name, loadBalancerAssignment(app, clusters.get(placement.cluster)!).group);
  }
  return groups;
}

/** An app's file for one cluster (diff/placements.ts tellsPlacements keeps the previous text of those that change). */
const appClusterFile = /^apps\/([^/]+)\/clusters\/([^/]+)\.yaml$/;

/** The IngressGroup of the Ingress of a per-cluster file; an Ingress rendered before groups had an ALB of its own. */
function groupIn(text: string, app: string): string | undefined {
  let objects: any[];
  try {
    objects = loadAll(text, null, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  const ingress = objects.find((object) => object?.kind === 'Ingress');
  return ingress ? String(ingress.metadata?.annotations?.[groupNameAnnotation] ?? ownGroupName(app)) : undefined;
}

/** The ALBs before a change, from those after it and the previous text of every per-cluster file that differs (undefined: it did not exist). */
export function loadBalancerGroupsBefore(after: LoadBalancerGroups, previous: ReadonlyMap<string, string | undefined>): LoadBalancerGroups {
  const before: LoadBalancerGroups = new Map([...after].map(([cluster, apps]) => [cluster, new Map(apps)]));
  for (const [path, text] of previous) {
    const match = appClusterFile.exec(path);
    if (!match || path !== appClusterPath(match[1], match[2])) continue;
    const [, app, cluster] = match;
    const apps = before.get(cluster) ?? new Map<string, string>();
    const group = text === undefined ? undefined : groupIn(text, app);
    if (group === undefined) apps.delete(app);
    else apps.set(app, group);
    before.set(cluster, apps);
  }
  return before;
}

/** The apps of each ALB of a cluster. */
function albsOf(apps: ReadonlyMap<string, string> | undefined): Map<string, string[]> {
  const albs = new Map<string, string[]>();
  for (const [app, group] of apps ?? []) albs.set(group, [...(albs.get(group) ?? []), app]);
  return albs;
}

/** One line per cluster whose ALBs a change adds or removes: "ipv6-east: ALBs 1 -> 2: adds own-app2 (app2)". */
export function formatLoadBalancerChanges(before: LoadBalancerGroups, after: LoadBalancerGroups): string[] {
  const clusters = [...new Set([...after.keys(), ...before.keys()])];
  return clusters.flatMap((cluster) => {
    const old = albsOf(before.get(cluster));
    const now = albsOf(after.get(cluster));
    const added = [...now].filter(([group]) => !old.has(group));
    const removed = [...old].filter(([group]) => !now.has(group));
    if (!added.length && !removed.length) return [];
    // A few ALBs with their apps; many (a new cluster's, or sharedLoadBalancers changed) named and counted.
    const listed = (albs: Array<[string, string[]]>, had: string) => (albs.length <= 3
      ? albs.map(([group, apps]) => `${group} (${had}${firstNames(apps)})`).join(', ')
      : firstNames(albs.map(([group]) => group)));
    const parts = [...(added.length ? [`adds ${listed(added, '')}`] : []), ...(removed.length ? [`removes ${listed(removed, 'had ')}`] : [])];
    return [`${cluster}: ALBs ${old.size} -> ${now.size}: ${parts.join('; ')}`];
  });
}
