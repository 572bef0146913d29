/**
 * Whether an AppProject lets an Application apply an object, as Argo CD decides before a sync
 * (argo-cd v3.4.4 pkg/apis/application/v1alpha1/app_project_types.go IsResourcePermitted,
 * IsGroupKindNamePermitted, IsDestinationPermitted; types.go isResourceInList and
 * isNamedResourceInList):
 *
 * - a namespaced kind: allowed when the namespace whitelist is absent or lists it, and the
 *   blacklist does not; an empty whitelist (`[]`, not absent) allows nothing;
 * - a cluster-scoped kind: only when the cluster whitelist lists it, by group, kind and, where the
 *   entry has one, name (an entry without a name matches every object of the kind);
 * - a namespaced object: only in a namespace of a destination the project lists for its cluster.
 *
 * Group, kind, name and namespace patterns are Go filepath.Match globs (`*`, `?`, `[...]`).
 */
import { Json } from '../diff/applicationset';

/** What Argo CD knows of an object when it checks it against the project. */
export interface ProjectObject {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  /** Absent for a cluster-scoped object. */
  readonly namespace?: string;
}

/** Go's filepath.Match for the patterns projects use: `*` and `?` within a name (no "/" in these), and `[...]` classes. */
export function globMatches(pattern: string, value: string): boolean {
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index];
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const end = pattern.indexOf(']', index + 1);
      if (end < 0) return false;
      source += `[${pattern.slice(index + 1, end)}]`;
      index = end;
    } else if (char === '\\' && index + 1 < pattern.length) {
      index += 1;
      source += pattern[index].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`).test(value);
}

function inList(list: readonly Json[], object: ProjectObject, byName: boolean): boolean {
  return list.some((entry) => globMatches(String(entry.kind), object.kind) && globMatches(String(entry.group), object.group)
    && (!byName || !entry.name || globMatches(String(entry.name), object.name)));
}

/**
 * Why the project refuses the object on the cluster (an Application's destination name), or
 * undefined when Argo CD would apply it.
 */
export function projectRefusal(project: Json, object: ProjectObject, cluster: string): string | undefined {
  const spec = project.spec ?? {};
  const what = `${object.kind} (group ${object.group === '' ? 'core ""' : object.group})`;
  if (object.namespace === undefined) {
    const whitelisted = inList(spec.clusterResourceWhitelist ?? [], object, true);
    const blacklisted = inList(spec.clusterResourceBlacklist ?? [], object, true);
    if (!whitelisted || blacklisted) return `${what} ${object.name} is cluster-scoped and not in the clusterResourceWhitelist of AppProject ${project.metadata?.name}`;
    return undefined;
  }
  const whitelist: Json[] | undefined = spec.namespaceResourceWhitelist;
  const whitelisted = whitelist === undefined || whitelist === null || (whitelist.length !== 0 && inList(whitelist, object, false));
  if (!whitelisted || inList(spec.namespaceResourceBlacklist ?? [], object, false)) return `${what} is not permitted in AppProject ${project.metadata?.name}`;
  const destinations: Json[] = spec.destinations ?? [];
  if (!destinations.some((destination) => destination.name !== undefined && globMatches(String(destination.name), cluster) && globMatches(String(destination.namespace ?? ''), object.namespace!))) {
    return `namespace ${object.namespace} on ${cluster} is not a destination of AppProject ${project.metadata?.name}`;
  }
  return undefined;
}
