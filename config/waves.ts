/**
 * Waves (fleet.yaml `waves`): ordered sets of clusters that a change shared by several clusters
 * reaches in turn. The first wave runs repo.revision, as every cluster does without waves; each
 * later wave runs the shared files of the commit its `revision` pins (npm run promote writes it).
 * What is shared and what is a cluster's own: charts/waves.ts.
 */
import { PathSegment } from '../output/field-path';
import { FleetFileWithDefaults } from './schema';

/** A wave, resolved: its clusters by name (existing and pending), in fleet.yaml's order. */
export interface Wave {
  readonly name: string;
  readonly index: number;
  readonly clusters: readonly string[];
  /** How long the wave runs a change before the next may be promoted to it. */
  readonly bakeMinutes: number;
  /** The commit whose shared files the wave runs; undefined for the first wave, which runs repo.revision. */
  readonly revision?: string;
}

/** What one later wave's pinned commit holds of the shared files (read by rollout/pins.ts). */
export interface WavePin {
  readonly wave: string;
  readonly revision: string;
  /**
   * The text of each shared file (isWaveSharedFile, by its path in dist/) the wave runs: as the
   * revision has it, or, for one added since, as the first commit that added it has it.
   */
  readonly heldTexts: ReadonlyMap<string, string>;
  /** The shared files whose held text differs from the current one: the wave reads its copy (distLayout.waveCopy); set when the fleet is rendered. */
  readonly copies?: ReadonlySet<string>;
  /** Each add-on's chart version at the revision, by chart; absent where the add-on was not rendered then. */
  readonly addonVersions: ReadonlyMap<string, string>;
  /** Each service's source version (chart version or git revision) at the revision, by app; absent where it was not a service then. */
  readonly serviceVersions: ReadonlyMap<string, string>;
}

/** The pins of a fleet's later waves, by wave name: what the charts render those waves' Applications from. */
export type WavePins = ReadonlyMap<string, WavePin>;

/**
 * Whether a file of dist/ is what waves hold back: shared by the clusters an app or add-on runs
 * on (an app's shared file, a chart service's fleet-wide values, an add-on's fleet-wide values).
 * A cluster's own files (its Ingress, its values) go out at once.
 */
export function isWaveSharedFile(path: string): boolean {
  // Not Argo CD's own values: Argo CD is not rolled out in waves.
  return /^apps\/[^/]+\/(?:app|values)\.yaml$/.test(path) || (/^addons\/[^/]+\/values\.yaml$/.test(path) && path !== 'addons/argo-cd/values.yaml');
}

type Report = (path: PathSegment[], message: string) => void;

const minutesPer: Readonly<Record<string, number>> = { m: 1, h: 60, d: 24 * 60 };

/** Minutes of a bake time such as 30m, 4h or 1d. */
export function bakeMinutes(text: string): number {
  return Number(text.slice(0, -1)) * minutesPer[text.slice(-1)];
}

/** A bake time as fleet.yaml writes it: 90 minutes is 90m, 120 is 2h, 1440 is 1d. */
export function bakeText(minutes: number): string {
  if (minutes && minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes && minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

/** The waves a cluster is in, by index: by name, or by environment. */
function wavesOf(file: FleetFileWithDefaults, cluster: FleetFileWithDefaults['clusters'][number]): number[] {
  return (file.waves ?? []).flatMap((wave, index) => ((wave.clusters ?? []).includes(cluster.name) || wave.environment === cluster.environment ? [index] : []));
}

/**
 * Every cluster in exactly one wave; each wave names clusters or an environment (one of them), of
 * clusters that exist in fleet.yaml, and has a cluster; names unique; the first wave has no
 * revision (it runs repo.revision) and every later one has one.
 */
export function checkWaves(file: FleetFileWithDefaults, report: Report): void {
  const waves = file.waves;
  if (!waves) return;
  const names = new Set(file.clusters.map((cluster) => cluster.name));
  const environments = new Set(file.clusters.map((cluster) => cluster.environment));
  const seen = new Map<string, number>();
  waves.forEach((wave, index) => {
    const at = (...rest: PathSegment[]): PathSegment[] => ['waves', index, ...rest];
    if (seen.has(wave.name)) report(at('name'), `wave name "${wave.name}" is already used by waves[${seen.get(wave.name)}].name: names must be unique`);
    seen.set(wave.name, index);
    if ((wave.clusters === undefined) === (wave.environment === undefined)) {
      report(at(), 'names its clusters in neither or both of clusters and environment: give one, clusters: [<name>, ...] or environment: <environment>');
    }
    (wave.clusters ?? []).forEach((name, clusterIndex) => {
      if (!names.has(name)) report(at('clusters', clusterIndex), `cluster "${name}" is not in clusters`);
    });
    if (wave.environment !== undefined && !environments.has(wave.environment)) {
      report(at('environment'), `no cluster has environment ${wave.environment} (clusters[].environment, default production)`);
    }
    if (index === 0 && wave.revision !== undefined) {
      report(at('revision'), `is set on the first wave, which runs repo.revision (${file.repo.revision}) as every change is merged: remove it`);
    }
    if (index > 0 && wave.revision === undefined) {
      report(at(), `has no revision: a later wave runs the shared files of a commit it is pinned to; run npm run promote -- --init to pin every later wave to the commit at HEAD, which changes nothing they run`);
    }
  });
  file.clusters.forEach((cluster, clusterIndex) => {
    const found = wavesOf(file, cluster);
    if (found.length === 0) report(['clusters', clusterIndex, 'name'], `cluster ${cluster.name} is in no wave: name it in a wave's clusters, or give it the environment of one`);
    if (found.length > 1) report(['clusters', clusterIndex, 'name'], `cluster ${cluster.name} is in ${found.length} waves (${found.map((index) => waves[index].name).join(', ')}): a cluster is in exactly one`);
  });
}

/** The waves of a valid fleet file: none without `waves`. */
export function resolveWaves(file: FleetFileWithDefaults): Wave[] {
  return (file.waves ?? []).map((wave, index) => ({
    name: wave.name,
    index,
    clusters: file.clusters.filter((cluster) => wavesOf(file, cluster)[0] === index).map((cluster) => cluster.name),
    bakeMinutes: bakeMinutes(wave.bakeTime),
    revision: wave.revision,
  }));
}
