/**
 * What a later wave runs of what clusters share, read from the commit its `revision` pins
 * (fleet.yaml waves): which shared files exist there (an app or add-on added since is not held
 * back: its placement goes out at once) and each add-on's chart version there. Read with git
 * from the repository fleet.yaml is in; the first wave runs repo.revision and needs nothing read.
 */
import { execFileSync } from 'child_process';
import { addonCatalog, addonKeys } from '../catalog/addons';
import { appSharedPath, distLayout } from '../catalog/dist-layout';
import { sourceVersionAnnotation } from '../catalog/test-app';
import { parseAllDocuments } from 'yaml';
import { firstWaveVersion } from '../diff/waves';
import { Fleet } from '../config/fleet';
import { isWaveSharedFile, Wave, WavePin, WavePins } from '../config/waves';

/** A wave's pinned commit cannot be read: not in this clone, or not a commit of it. */
export class WavePinError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavePinError';
  }
}

/** git in `repoRoot`, its output trimmed: what the rollout reads of the repository's history. */
export function git(repoRoot: string, args: readonly string[]): string {
  return execFileSync('git', ['-C', repoRoot, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 }).trim();
}

/** The texts of blobs (`<revision>:<path>`) in one `git cat-file --batch`; undefined for one that is missing. */
function readBlobs(repoRoot: string, specs: readonly string[]): Array<string | undefined> {
  if (!specs.length) return [];
  const output = execFileSync('git', ['-C', repoRoot, 'cat-file', '--batch'], { input: `${specs.join('\n')}\n`, maxBuffer: 1024 * 1024 * 1024 });
  const texts: Array<string | undefined> = [];
  let at = 0;
  for (let index = 0; index < specs.length; index++) {
    const end = output.indexOf(0x0a, at);
    const header = output.subarray(at, end).toString('utf8');
    at = end + 1;
    if (header.endsWith(' missing')) {
      texts.push(undefined);
      continue;
    }
    const size = Number(header.split(' ')[2]);
    texts.push(output.subarray(at, at + size).toString('utf8'));
    at += size + 1;
  }
  return texts;
}

/** The pin of one later wave, read with git in `repoRoot`. */
export function readWavePin(fleet: Fleet, wave: Wave, repoRoot: string): WavePin {
  const revision = wave.revision!;
  try {
    git(repoRoot, ['cat-file', '-e', `${revision}^{commit}`]);
  } catch {
    throw new WavePinError(`wave ${wave.name} is pinned to ${revision}, which is not a commit of this clone: fetch it (git fetch, or git fetch --unshallow in a shallow clone), or correct waves[${wave.index}].revision`);
  }
  const prefix = `${fleet.repo.path}/`;
  const listed = git(repoRoot, ['ls-tree', '-r', '--name-only', revision, '--', `${prefix}${distLayout.valuesDir}`, `${prefix}apps`, `${prefix}${distLayout.argocdDir}/applicationsets`])
    .split('\n').filter(Boolean).map((path) => path.slice(prefix.length));
  // The shared files the fleet has now, each as the revision has it or, added since, as the first commit (first parents) that added it.
  const current = sharedPaths(fleet);
  const atRevision = new Set(listed.filter(isWaveSharedFile));
  const added = addedSince(repoRoot, revision, prefix, current.filter((path) => !atRevision.has(path)));
  const held = current.filter((path) => atRevision.has(path) || added.has(path));
  const texts = readBlobs(repoRoot, held.map((path) => `${atRevision.has(path) ? revision : added.get(path)}:${prefix}${path}`));
  const heldTexts = new Map(held.flatMap((path, index) => (texts[index] === undefined ? [] : [[path, texts[index]!] as const])));
  const addonVersions = new Map<string, string>();
  for (const chart of addonKeys.map((addon) => addonCatalog[addon].chart)) {
    const path = distLayout.applicationSet(chart);
    if (!listed.includes(path)) continue;
    const version = firstWaveVersion(git(repoRoot, ['show', `${revision}:${prefix}${path}`]));
    if (version) addonVersions.set(chart, version);
  }
  // Each service's source version, as its held Namespace records it (catalog/test-app.ts sourceVersionAnnotation).
  const serviceVersions = new Map<string, string>();
  for (const app of fleet.apps.filter((candidate) => candidate.kind === 'service')) {
    const text = heldTexts.get(appSharedPath(app.name));
    const namespace = text === undefined ? undefined : parseAllDocuments(text).map((document) => document.toJS()).find((object) => object?.kind === 'Namespace');
    const version = namespace?.metadata?.annotations?.[sourceVersionAnnotation];
    if (typeof version === 'string') serviceVersions.set(app.name, version);
  }
  return { wave: wave.name, revision, heldTexts, addonVersions, serviceVersions };
}

/** The shared files of dist/ the fleet renders now (isWaveSharedFile). */
function sharedPaths(fleet: Fleet): string[] {
  return [
    ...fleet.apps.flatMap((app) => [appSharedPath(app.name), ...(app.kind === 'service' && app.source.type === 'chart' ? [distLayout.serviceValues(app.name)] : [])]),
    ...addonKeys.map((addon) => distLayout.chartValues(addonCatalog[addon].chart)),
  ].filter(isWaveSharedFile);
}

/** For each of `paths` (in dist/) added on the first-parent line after `revision`, the first commit that has it. */
function addedSince(repoRoot: string, revision: string, prefix: string, paths: readonly string[]): Map<string, string> {
  const added = new Map<string, string>();
  if (!paths.length) return added;
  const wanted = new Set(paths);
  const log = git(repoRoot, ['log', '--first-parent', '--reverse', '--diff-filter=A', '--format=commit %H', '--name-only', `${revision}..HEAD`, '--', `${prefix}apps`, `${prefix}${distLayout.valuesDir}`]);
  let commit = '';
  for (const line of log.split('\n')) {
    if (line.startsWith('commit ')) commit = line.slice('commit '.length);
    else if (line && wanted.has(line.slice(prefix.length)) && !added.has(line.slice(prefix.length))) added.set(line.slice(prefix.length), commit);
  }
  return added;
}

/** The pins of every later wave of the fleet; none for a fleet without waves (no git is run). */
export function readWavePins(fleet: Fleet, repoRoot: string = process.cwd()): WavePins {
  return new Map(fleet.waves.filter((wave) => wave.index > 0).map((wave) => [wave.name, readWavePin(fleet, wave, repoRoot)]));
}

/** The fleet with its later waves' pins read (fleet.wavePins), unless it has them or no later wave. */
export function withWavePins(fleet: Fleet, repoRoot?: string): Fleet {
  if (fleet.wavePins || fleet.waves.length < 2) return fleet;
  return { ...fleet, wavePins: readWavePins(fleet, repoRoot) };
}
