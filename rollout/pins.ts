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

function git(repoRoot: string, args: readonly string[]): string {
  return execFileSync('git', ['-C', repoRoot, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
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
  const sharedFiles = new Set(listed.filter(isWaveSharedFile));
  const addonVersions = new Map<string, string>();
  for (const chart of addonKeys.map((addon) => addonCatalog[addon].chart)) {
    const path = distLayout.applicationSet(chart);
    if (!listed.includes(path)) continue;
    const version = firstWaveVersion(git(repoRoot, ['show', `${revision}:${prefix}${path}`]));
    if (version) addonVersions.set(chart, version);
  }
  // Each service's source version, as its Namespace recorded it then (catalog/test-app.ts sourceVersionAnnotation), in one git process.
  const services = fleet.apps.filter((app) => app.kind === 'service' && sharedFiles.has(appSharedPath(app.name)));
  const texts = readBlobs(repoRoot, services.map((app) => `${revision}:${prefix}${appSharedPath(app.name)}`));
  const serviceVersions = new Map<string, string>();
  services.forEach((app, index) => {
    const text = texts[index];
    const namespace = text === undefined ? undefined : parseAllDocuments(text).map((document) => document.toJS()).find((object) => object?.kind === 'Namespace');
    const version = namespace?.metadata?.annotations?.[sourceVersionAnnotation];
    if (typeof version === 'string') serviceVersions.set(app.name, version);
  });
  return { wave: wave.name, revision, sharedFiles, addonVersions, serviceVersions };
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
