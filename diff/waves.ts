/**
 * Which waves a change reaches now and which wait (fleet.yaml waves): a change to what clusters
 * share (an app's shared file, a chart service's or an add-on's fleet-wide values, an add-on's chart
 * version) reaches the first wave when it is merged, and each later wave when npm run promote pins
 * it there; what a change does to one cluster (placements, weights, its values) reaches it at once.
 * Said by synth, npm run diff and the pull-request comment, from the texts before and after.
 */
import { parseAllDocuments } from 'yaml';
import { addonCatalog, addonKeys } from '../catalog/addons';
import { distLayout } from '../catalog/dist-layout';
import { Fleet, waveOf } from '../config/fleet';
import { clusterLabelKeys } from '../catalog/argocd';
import { count, firstNames } from '../config/messages';
import { bakeText, isWaveSharedFile } from '../config/waves';

/** The files whose previous texts tell what a change does to the waves: the shared files and the add-ons' ApplicationSets. */
export const waveFilesPattern = `^apps/[^/]+/(?:app|values)\\.yaml$|^addons/[^/]+/values\\.yaml$|^${distLayout.argocdDir}/applicationsets/[^/]+\\.yaml$`;

/** The chart version an add-on ApplicationSet's text installs on the first wave (or on every cluster, without waves). */
export function firstWaveVersion(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  for (const document of parseAllDocuments(text)) {
    const object = document.toJS() as Record<string, any> | null;
    if (object?.kind !== 'ApplicationSet') continue;
    const literal = object.spec?.template?.spec?.sources?.[0]?.targetRevision;
    if (typeof literal === 'string' && !literal.includes('{{')) return literal;
    const version = object.spec?.generators?.[0]?.clusters?.values?.chartVersion;
    if (typeof version === 'string') return version;
  }
  return undefined;
}

/** What a change does to what clusters share: each add-on's chart version that changes, and the shared files that change (not those added or removed, which are placements). */
export function sharedChanges(before: (path: string) => string | undefined, after: ReadonlyMap<string, string>, paths: Iterable<string>): string[] {
  const lines: string[] = [];
  for (const addon of addonKeys) {
    const path = distLayout.applicationSet(addonCatalog[addon].chart);
    const [from, to] = [firstWaveVersion(before(path)), firstWaveVersion(after.get(path))];
    if (from !== undefined && to !== undefined && from !== to) lines.push(`${addonCatalog[addon].chart} chart ${from} -> ${to}`);
  }
  const changed = [...paths].filter((path) => isWaveSharedFile(path) && before(path) !== undefined && after.has(path) && before(path) !== after.get(path));
  const addons = changed.filter((path) => path.startsWith(`${distLayout.valuesDir}/`)).map((path) => path.split('/')[1]);
  const apps = [...new Set(changed.filter((path) => path.startsWith('apps/')).map((path) => path.split('/')[1]))];
  if (addons.length) lines.push(`fleet-wide values of ${firstNames(addons)}`);
  if (apps.length) lines.push(`what the clusters share of ${apps.length === 1 ? 'app' : `${count(apps.length)} apps:`} ${firstNames(apps)}`);
  return lines;
}

/** The line that says which waves a shared change reaches now and which wait; none without waves or without such a change. */
export function waveReach(fleet: Fleet, changes: readonly string[]): string[] {
  if (fleet.waves.length < 2 || !changes.length) return [];
  const [first, ...later] = fleet.waves;
  const clusters = (n: number) => `${count(n)} cluster${n === 1 ? '' : 's'}`;
  return [`waves: ${changes.join('; ')}: reaches wave ${first.name} (${clusters(first.clusters.length)}) when merged; `
    + `${later.map((wave) => `${wave.name} (${clusters(wave.clusters.length)}, at ${wave.revision?.slice(0, 12)})`).join(', ')} wait: npm run promote -- ${later[0].name} once ${first.name} has run it for its bake time (${bakeText(first.bakeMinutes)})`];
}

/** Each wave, its clusters and what it runs of what clusters share: for npm run plan. None without waves. */
export function waveLines(fleet: Fleet): string[] {
  return fleet.waves.map((wave) => `${wave.name} (${count(wave.clusters.length)} cluster${wave.clusters.length === 1 ? '' : 's'}: ${firstNames(wave.clusters)}): `
    + `${wave.revision ? `runs ${wave.revision.slice(0, 12)}` : `runs ${fleet.repo.revision}, what is merged`}; bake time ${bakeText(wave.bakeMinutes)}`);
}

/**
 * Each cluster whose wave changes (its registration's `fleet/wave` label before, its wave now): it
 * runs what its new wave runs from then on, which may be an older or a newer commit than before.
 */
export function waveMoves(fleet: Fleet, before: (path: string) => string | undefined): string[] {
  return fleet.clusters.flatMap((cluster) => {
    const wave = waveOf(fleet, cluster.name);
    const text = before(distLayout.clusterSecret(cluster.name));
    if (!wave || text === undefined) return [];
    const secret = parseAllDocuments(text).map((document) => document.toJS() as Record<string, any> | null).find((object) => object?.kind === 'Secret');
    const was = secret?.metadata?.labels?.[clusterLabelKeys.wave];
    if (was === undefined || was === wave.name) return [];
    return [`waves: cluster ${cluster.name} moves from wave ${was} to wave ${wave.name}: it runs what ${wave.name} runs (${wave.revision ? wave.revision.slice(0, 12) : `${fleet.repo.revision}, what is merged`}) from then on, older or newer than what it ran`];
  });
}
