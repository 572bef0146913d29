/**
 * The clusters a change touches: what a pull-request comment shows the capacity plan of, so that
 * on a fleet of 72 clusters a change of one app shows the clusters of that app, not all 72.
 */
import { distLayout } from '../catalog/dist-layout';
import { ClusterSpec } from '../config/fleet';
import { DistDiff } from './compare';
import { ClusterChange } from './placements';

/** `terraform/clusters/`: the folder of the clusters' own root modules, each named after its cluster. */
const terraformClustersDir = distLayout.terraformCluster('\u0000').split('\u0000')[0];

/**
 * The names of the clusters a change touches, sorted: those an Argo CD source with a changed
 * object goes to, those whose apps or pods change (`placements`, diff/placements.ts), those whose
 * Terraform root module changes, and, when both fleets are known, those whose entry in fleet.yaml
 * changes (a quota or a node group the plan reads, even where nothing rendered differs).
 */
export function touchedClusters(diff: DistDiff, placements: readonly ClusterChange[], clusters?: { readonly before: readonly ClusterSpec[]; readonly after: readonly ClusterSpec[] }): string[] {
  const touched = new Set<string>();
  for (const entry of diff.changes) entry.clusters.forEach((cluster) => touched.add(cluster));
  for (const change of placements) touched.add(change.cluster);
  for (const file of [...diff.changes.map((entry) => entry.file), ...diff.addedFiles, ...diff.removedFiles]) {
    if (file.startsWith(terraformClustersDir)) touched.add(file.slice(terraformClustersDir.length).split('/')[0]);
  }
  if (clusters) {
    // A cluster's place in the list is not its configuration: inserting one must not touch those after it.
    const entries = (list: readonly ClusterSpec[]) => new Map(list.map((cluster) => [cluster.name, JSON.stringify({ ...cluster, index: undefined })]));
    const before = entries(clusters.before);
    const after = entries(clusters.after);
    for (const name of new Set([...before.keys(), ...after.keys()])) {
      if (before.get(name) !== after.get(name)) touched.add(name);
    }
  }
  return [...touched].sort();
}
