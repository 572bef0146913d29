/**
 * Services placed when one Application `<app>-<cluster>` held both their source and the generator's Namespace and
 * Ingress (the ApplicationSets services-charts-<cluster> and services-git-<cluster> with this repository's app folder
 * among their sources). Now the Namespace and Ingress move to `<app>-<cluster>-platform` (charts/cluster-apps.ts
 * ServiceApps): if `<app>-<cluster>` syncs first it prunes them (automated prune), and the Namespace takes the
 * service with it. Argo CD skips the prune of an object whose live annotations say Prune=false (gitops-engine
 * pkg/sync/sync_context.go isPruningDisabled, at argo-cd v3.4.4), so the warning says to annotate both on each
 * cluster before the change syncs (docs/services.md, "Services placed before the split").
 */
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { distLayout, pathPattern } from '../catalog/dist-layout';
import { firstNames } from '../config/messages';

const clusterAppsFile = pathPattern(distLayout.clusterApps);

/** The apps listed by the ApplicationSets of a cluster's file that `matches`. */
function appsOf(text: string | undefined, matches: (appSet: any) => boolean): string[] {
  let objects: any[];
  try {
    objects = text === undefined ? [] : loadAll(text, null, { schema: CORE_SCHEMA });
  } catch {
    return [];
  }
  return objects.filter((object) => object?.kind === 'ApplicationSet' && matches(object))
    .flatMap((appSet) => (appSet.spec?.generators ?? []).flatMap((generator: any) => (generator.list?.elements ?? []).map((element: any) => String(element.app))));
}

/** The services whose Applications carry this repository's app folder beside their source (the single Application). */
function servicesWithFolder(text: string, cluster: string): string[] {
  return appsOf(text, (appSet) => [`services-charts-${cluster}`, `services-git-${cluster}`].includes(String(appSet.metadata?.name))
    && (appSet.spec?.template?.spec?.sources ?? []).some((source: any) => source?.directory));
}

/**
 * One warning per cluster whose services move from the single Application to the two, judged from the previous text
 * of the clusters' ApplicationSet files the change rewrites (`previous`; undefined: the file did not exist), with the
 * commands that keep the move from pruning them.
 */
export function serviceSplitWarnings(previous: ReadonlyMap<string, string | undefined>, current: (path: string) => string | undefined): string[] {
  const warnings: string[] = [];
  for (const [path, text] of previous) {
    const cluster = clusterAppsFile.exec(path)?.[1];
    if (cluster === undefined || text === undefined) continue;
    const now = current(path);
    const platform = new Set(appsOf(now, (appSet) => appSet.metadata?.name === `services-platform-${cluster}`));
    const moving = servicesWithFolder(text, cluster).filter((app) => platform.has(app));
    if (!moving.length) continue;
    const example = moving[0];
    warnings.push(`${cluster}: the Namespace and Ingress of ${firstNames(moving)} move from <app>-${cluster} to the Applications <app>-${cluster}-platform; `
      + `if <app>-${cluster} syncs first it prunes them, and the Namespace takes the service with it. Before this change syncs, on ${cluster}, for each of them: `
      + `kubectl annotate namespace ${example} argocd.argoproj.io/sync-options=Prune=false && kubectl -n ${example} annotate ingress ${example} argocd.argoproj.io/sync-options=Prune=false `
      + '(docs/services.md, "Services placed before the split")');
  }
  return warnings;
}
