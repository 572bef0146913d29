import { Construct } from 'constructs';
import { distLayout } from '../catalog/dist-layout';
import { Fleet, waveOf } from '../config/fleet';
import { Wave, WavePin } from '../config/waves';
import { TextFile } from './file-chart';

/**
 * Waves in the charts. A cluster of a later wave runs the files its clusters share (an app's shared
 * file, a chart service's and an add-on's fleet-wide values) as its wave's pinned commit has them
 * (WavePin.heldTexts): where that text differs from the current one, dist/ holds a copy of it,
 * byte for byte, at distLayout.waveCopy, and the wave's Applications read the copy; where it is
 * the same, they read the file itself. Everything is read at repo.revision: Argo CD refuses an
 * Application whose sources reference one repository at two revisions (argo-cd v3.4.4
 * reposerver/repository/repository.go, "cannot reference multiple revisions for the same
 * repository"). An add-on's chart version, and a service's, are the ones of the pinned commit.
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
  if (!pin?.copies) throw new Error(`wave ${wave.name}: the files of its pinned commit were not read and compared (app/render.ts withWaveCopies)`);
  return pin;
}

/** Where in the repository a cluster of `pin`'s wave reads the shared file `path` of dist/: the wave's copy where it holds one, else the file. */
export function sharedPath(fleet: Fleet, pin: WavePin | undefined, path: string): string {
  return `${fleet.repo.path}/${pin?.copies?.has(path) ? distLayout.waveCopy(pin.wave, path) : path}`;
}

/** The later waves' copies of the shared files whose text they hold back. */
export class WaveCopies extends Construct {
  constructor(scope: Construct, id: string, fleet: Fleet) {
    super(scope, id);
    for (const pin of fleet.wavePins?.values() ?? []) {
      for (const path of [...pin.copies ?? []].sort()) new TextFile(this, `${pin.wave}/${path}`, distLayout.waveCopy(pin.wave, path), pin.heldTexts.get(path)!);
    }
  }
}
