import { Fleet, waveOf } from '../config/fleet';
import { Wave, WavePin } from '../config/waves';

/**
 * Waves in the charts: a cluster of a later wave reads the files its clusters share (an app's
 * shared file, a chart service's and an add-on's fleet-wide values) at its wave's pinned commit,
 * and its own files (its Ingress, its values) at repo.revision, as every cluster of the first
 * wave reads everything. An add-on's chart version is the one rendered at that commit.
 */

/** The pin of a cluster's wave when it is a later one; undefined on the first wave and without waves. */
export function clusterPin(fleet: Fleet, cluster: string): WavePin | undefined {
  const wave = waveOf(fleet, cluster);
  return wave && wavePin(fleet, wave);
}

/** The pin of a later wave; undefined for the first. */
export function wavePin(fleet: Fleet, wave: Wave): WavePin | undefined {
  if (wave.index === 0) return undefined;
  const pin = fleet.wavePins?.get(wave.name);
  if (!pin) throw new Error(`wave ${wave.name}: the files of its pinned commit were not read (rollout/pins.ts withWavePins)`);
  return pin;
}

/** The revision a cluster of `pin`'s wave reads a shared file of dist/ at: the pinned commit where the file is there, else repo.revision (an app added since goes out at once). */
export function sharedRevision(fleet: Fleet, pin: WavePin | undefined, path: string): string {
  return pin?.sharedFiles.has(path) ? pin.revision : fleet.repo.revision;
}
