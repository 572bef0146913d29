/**
 * An app that changes kind on a cluster where it runs: from a chart to a git path, or the other way (or between a
 * test page and a service). Each kind has its own ApplicationSet per cluster (argocd/apps/<cluster>.yaml:
 * test-apps-<cluster>, services-charts-<cluster>, services-git-<cluster>, charts/cluster-apps.ts), and every one of
 * them generates the same Application name, <app>-<cluster>. At argo-cd v3.4.4 the set that gains the app cannot take
 * over the Application the other set owns (applicationset/controllers/applicationset_controller.go
 * createOrUpdateInCluster: controllerutil.SetControllerReference fails on an object another controller owns), and
 * the set that lost it deletes it (deleteInCluster), whose resources finalizer deletes the running service: an
 * outage until the new set creates the Application again and it syncs. Such a change is refused, judged as the ALB
 * walk is (diff/load-balancers.ts): by synth against the dist/ it replaces, by npm run check against the pull
 * request's base, from the previous text of the clusters' ApplicationSet files the change rewrites.
 */
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { distLayout, pathPattern } from '../catalog/dist-layout';
import { App, Fleet } from '../config/fleet';
import { firstNames } from '../config/messages';
import { LocatedMessage } from '../terraform/identity-switch';
import { replacedDist } from './load-balancers';

/** What renders an app on a cluster, by the ApplicationSet that lists it. */
export type AppKind = 'test' | 'chart' | 'git';

const kindNames: Readonly<Record<AppKind, string>> = { test: 'a test page', chart: 'a chart', git: 'a git path' };

/** The ApplicationSet of each kind on a cluster (charts/cluster-apps.ts). */
function kindOfSet(name: string, cluster: string): AppKind | undefined {
  if (name === `test-apps-${cluster}`) return 'test';
  if (name === `services-charts-${cluster}`) return 'chart';
  if (name === `services-git-${cluster}`) return 'git';
  return undefined;
}

/** The kind of an app as the fleet renders it. */
export function appKind(app: App): AppKind {
  return app.kind === 'test' ? 'test' : app.source.type;
}

const clusterAppsFile = pathPattern(distLayout.clusterApps);

/** app -> kind on the cluster, from the text of argocd/apps/<cluster>.yaml. */
function kindsIn(text: string, cluster: string): Map<string, AppKind> {
  let objects: any[];
  try {
    objects = loadAll(text, null, { schema: CORE_SCHEMA }).filter((object) => object);
  } catch {
    return new Map();
  }
  const kinds = new Map<string, AppKind>();
  for (const appSet of objects.filter((object) => object.kind === 'ApplicationSet')) {
    const kind = kindOfSet(String(appSet.metadata?.name), cluster);
    if (!kind) continue;
    for (const generator of appSet.spec?.generators ?? []) for (const element of generator.list?.elements ?? []) kinds.set(String(element.app), kind);
  }
  return kinds;
}

/**
 * The apps whose kind changes on a cluster they ran on in the baseline: one message per app, at apps[i].source (at
 * apps[i] when it becomes a test page), naming the clusters and the ways that keep it running. `previous`: the
 * previous text of each file of dist/ the change rewrites (undefined: it did not exist); only the clusters' ApplicationSet
 * files are read.
 */
export function sourceKindSwitches(fleet: Fleet, previous: ReadonlyMap<string, string | undefined>, baseline = replacedDist): LocatedMessage[] {
  const before = new Map<string, Map<string, AppKind>>();
  for (const [path, text] of previous) {
    const cluster = clusterAppsFile.exec(path)?.[1];
    if (cluster !== undefined && text !== undefined) before.set(cluster, kindsIn(text, cluster));
  }
  if (!before.size) return [];
  const problems: LocatedMessage[] = [];
  fleet.apps.forEach((app, index) => {
    const now = appKind(app);
    const switched = app.placements.flatMap(({ cluster }) => {
      const was = before.get(cluster)?.get(app.name);
      return was !== undefined && was !== now ? [{ cluster, was }] : [];
    });
    if (!switched.length) return;
    const was = switched[0].was;
    const clusters = switched.map(({ cluster }) => cluster);
    const sets = (kind: AppKind, cluster: string) => (kind === 'test' ? `test-apps-${cluster}` : `services-${kind === 'chart' ? 'charts' : 'git'}-${cluster}`);
    problems.push({
      path: now === 'test' ? ['apps', index] : ['apps', index, 'source'],
      message: `moves ${app.name} from ${kindNames[was]} to ${kindNames[now]} on ${firstNames(clusters)}, where ${baseline} runs it: `
        + `the ApplicationSet ${sets(now, clusters[0])} cannot take over the Application ${app.name}-${clusters[0]} that ${sets(was, clusters[0])} owns (Argo CD v3.4.4), `
        + `so ${sets(was, clusters[0])} deletes it and its finalizer deletes the running ${app.name} before the new one is created. `
        + `Fix: keep ${app.name} as it is and add the new source as a new app beside it (its own name and hostname) on the same clusters, move its clients over, then remove ${app.name}; `
        + `or, where an outage is acceptable, remove ${app.name}'s placement on ${firstNames(clusters)} in one change, merge and let it sync, then add it back with the new source (docs/services.md, "Switching a service between a chart and a git path")`,
    });
  });
  return problems;
}
