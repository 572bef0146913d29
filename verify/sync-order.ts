/**
 * The order in which Argo CD prunes the objects one sync of an Application removes, as
 * gitops-engine orders it (argo-cd v3.4.4, gitops-engine/pkg/sync/sync_context.go):
 * - a prune task's wave is the `argocd.argoproj.io/sync-wave` of the live object (sync_task.go,
 *   wave(); syncwaves/waves.go), 0 without one;
 * - getSyncTasks swaps the prune waves end for end ("reorder waves for pruning tasks using
 *   symmetric swap on prune waves"): the highest wave is pruned first;
 * - Sync runs one wave at a time and starts the next only once every object pruned before is
 *   gone ("if pruned tasks pending deletion, then wait"), deleting with foreground propagation
 *   (getDeleteOptions), so an ApplicationSet is gone only once the Applications it owns are.
 * Objects of one wave are pruned together, in no order that matters.
 * An object whose live annotations say PruneLast is pruned after every other task of the sync: its prune's
 * wave becomes the last wave of the sync phase plus one (sync_context.go, "for pruneLast tasks"); a
 * service's project is one (charts/cluster-apps.ts ServiceProjectChart).
 */
import { syncWaveAnnotation } from '../catalog/argocd';

/** An object as Argo CD sees it live: what its prune order depends on. */
export interface LiveObject {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly annotations?: Readonly<Record<string, string>> };
}

function wave(object: LiveObject): number {
  const text = object.metadata.annotations?.[syncWaveAnnotation];
  const value = text === undefined ? NaN : Number.parseInt(text, 10);
  return Number.isInteger(value) && String(value) === text?.trim() ? value : 0;
}

/** The objects a sync prunes, grouped in the order Argo CD prunes them: each group only once the one before is gone. */
export function pruneOrder<T extends LiveObject>(all: readonly T[]): T[][] {
  const last = all.filter((object) => (object.metadata.annotations?.['argocd.argoproj.io/sync-options'] ?? '').split(',').map((option) => option.trim()).includes('PruneLast=true'));
  const pruned = all.filter((object) => !last.includes(object));
  return [...inWaves(pruned), ...(last.length ? [last] : [])];
}

function inWaves<T extends LiveObject>(pruned: readonly T[]): T[][] {
  const waves = [...new Set(pruned.map(wave))].sort((a, b) => a - b);
  const swapped = new Map(waves.map((value, index) => [value, waves[waves.length - 1 - index]]));
  const order = [...new Set(pruned.map((object) => swapped.get(wave(object))!))].sort((a, b) => a - b);
  return order.map((value) => pruned.filter((object) => swapped.get(wave(object)) === value));
}
