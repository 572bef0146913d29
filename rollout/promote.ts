/**
 * npm run promote: moves a later wave to what the wave before it runs, as an edit of fleet.yaml
 * (waves[i].revision) that a pull request reviews. The first wave runs repo.revision: what is
 * merged. A later wave is pinned to a commit; promoting it pins it to the commit the wave before
 * runs (HEAD for the wave after the first), once that wave has run it for its bake time (from
 * git history: the commit that gave it the change) and, given an Argo CD, once every one of its
 * Applications is Synced and Healthy at it. Undoing a wave pins it back to the commit it ran
 * before its last promotion, from fleet.yaml's history.
 */
import { execFileSync } from 'child_process';
import { parse, parseDocument, Scalar, YAMLMap } from 'yaml';
import { addonCatalog, addonKeys } from '../catalog/addons';
import { distLayout } from '../catalog/dist-layout';
import { Fleet } from '../config/fleet';
import { bakeText, Wave } from '../config/waves';
import { ApplicationHealth, unhealthyApplications } from './argocd-health';
import { git } from './pins';
import { sharedChanges } from '../diff/waves';

/** A promotion or an undo refused, with the reason and what to do. */
export class PromotionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromotionError';
  }
}

export interface PromotionContext {
  readonly fleet: Fleet;
  /** fleet.yaml's text, as it is in the working tree. */
  readonly fleetText: string;
  /** fleet.yaml's path inside the repository, to read its history. */
  readonly fleetPath: string;
  readonly repoRoot: string;
  /** Now, in seconds since the epoch (git's commit times are). */
  readonly now: number;
  /** The Applications Argo CD reports, when it was asked (an address and a token given); undefined otherwise. */
  readonly applications?: readonly ApplicationHealth[];
  /** The Applications dist/ (as committed) generates, by name, with their cluster: each of the previous wave's must be listed. */
  readonly expectedApplications?: ReadonlyArray<{ readonly name: string; readonly cluster: string }>;
}

/** What a promotion or an undo changes: the new fleet.yaml text, and what to say. */
export interface Promotion {
  readonly text: string;
  readonly lines: readonly string[];
}


function isAncestor(repoRoot: string, ancestor: string, descendant: string): boolean {
  try {
    execFileSync('git', ['-C', repoRoot, 'merge-base', '--is-ancestor', ancestor, descendant], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * fleet.yaml's text with waves[index].revision set, every other byte kept: the revision's value
 * replaced where it is written, else a line added to the wave's block (at its keys' column), or
 * a key to its flow mapping (`{ name: rest, ... }`).
 */
export function withRevision(text: string, index: number, revision: string): string {
  const document = parseDocument(text);
  const existing = document.getIn(['waves', index, 'revision'], true) as Scalar | undefined;
  if (existing?.range) return `${text.slice(0, existing.range[0])}${revision}${text.slice(existing.range[1])}`;
  const item = document.getIn(['waves', index], true) as YAMLMap<Scalar, Scalar>;
  if (item.flow) {
    const close = text.lastIndexOf('}', item.range![1]);
    return `${text.slice(0, close).replace(/[ \t]*$/, '')}, revision: ${revision} ${text.slice(close)}`;
  }
  const firstKey = item.items[0].key;
  const column = firstKey.range![0] - (text.lastIndexOf('\n', firstKey.range![0] - 1) + 1);
  const lastEnd = item.items[item.items.length - 1].value!.range![1];
  const lineEnd = text.indexOf('\n', lastEnd - 1);
  const at = lineEnd < 0 ? text.length : lineEnd + 1;
  return `${text.slice(0, at)}${' '.repeat(column)}revision: ${revision}\n${text.slice(at)}`;
}

function findWave(fleet: Fleet, name: string): Wave {
  const wave = fleet.waves.find((candidate) => candidate.name === name);
  if (!wave) throw new PromotionError(fleet.waves.length ? `no wave ${name}: the waves are ${fleet.waves.map((candidate) => candidate.name).join(', ')}` : 'fleet.yaml declares no waves: every cluster runs what is merged');
  if (wave.index === 0) throw new PromotionError(`${name} is the first wave: it runs what is merged (repo.revision); to take a change back from it, revert the change`);
  return wave;
}

/** The pathspecs of the shared files of dist/ and the add-ons' ApplicationSets (their chart versions). */
function sharedPathspecs(fleet: Fleet): string[] {
  const prefix = fleet.repo.path;
  return [`:(glob)${prefix}/apps/*/app.yaml`, `:(glob)${prefix}/apps/*/values.yaml`, `:(glob)${prefix}/addons/*/values.yaml`, ...addonKeys.map((addon) => `${prefix}/${distLayout.applicationSet(addonCatalog[addon].chart)}`)];
}

/**
 * The newest commit at or before `revision`, on its first-parent line (a merged pull request counts
 * from its merge, not from its branch's commits), that changed what clusters share (waveChanges of
 * it against its first parent is not empty: a commit that only rewrote the ApplicationSets, say,
 * does not count), and its time; the oldest candidate when none did.
 */
function lastSharedChange(context: PromotionContext, revision: string): { commit: string; time: number } {
  const log = git(context.repoRoot, ['log', '--first-parent', '--format=%H %ct %P', revision, '--', ...sharedPathspecs(context.fleet)]).split('\n').filter(Boolean);
  let last: { commit: string; time: number } | undefined;
  for (const line of log) {
    const [commit, time, parent] = line.split(' ');
    last = { commit, time: Number(time) };
    if (!parent || waveChanges(context, parent, commit).length) return last;
  }
  return last ?? { commit: revision, time: Number(git(context.repoRoot, ['log', '-1', '--format=%ct', revision])) };
}

/** The revision the wave of this name has at each commit of fleet.yaml's history (first parents), newest first (undefined where it had none, or there was no such wave). */
function revisionHistory(context: PromotionContext, name: string): Array<{ commit: string; time: number; revision?: string }> {
  const log = git(context.repoRoot, ['log', '--first-parent', '--format=%H %ct', '--', context.fleetPath]);
  return log.split('\n').filter(Boolean).map((line) => {
    const [commit, time] = line.split(' ');
    let revision: string | undefined;
    try {
      revision = (parse(git(context.repoRoot, ['show', `${commit}:${context.fleetPath}`]))?.waves ?? []).find((wave: { name?: string }) => wave?.name === name)?.revision;
    } catch {
      revision = undefined;
    }
    return { commit, time: Number(time), revision };
  });
}

/** Since when (a commit and its time) the wave has run `revision`: the oldest commit of the run of fleet.yaml commits, newest first, that pin it there. */
function pinnedSince(context: PromotionContext, wave: Wave, revision: string): { commit: string; time: number } | undefined {
  let since: { commit: string; time: number } | undefined;
  for (const entry of revisionHistory(context, wave.name)) {
    if (entry.revision !== revision) break;
    since = { commit: entry.commit, time: entry.time };
  }
  return since;
}

function duration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours}h${minutes % 60 ? ` ${minutes % 60}m` : ''}` : `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** What moving a wave from one commit to another changes of what it runs: add-on chart versions, and the shared files that differ. */
export function waveChanges(context: PromotionContext, from: string, to: string): string[] {
  const prefix = `${context.fleet.repo.path}/`;
  const show = (revision: string, path: string): string | undefined => {
    try {
      return execFileSync('git', ['-C', context.repoRoot, 'show', `${revision}:${prefix}${path}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
    } catch {
      return undefined;
    }
  };
  const changed = git(context.repoRoot, ['diff', '--name-only', from, to, '--', `${prefix}apps`, `${prefix}addons`, `${prefix}${distLayout.argocdDir}/applicationsets`])
    .split('\n').filter(Boolean).map((path) => path.slice(prefix.length));
  const after = new Map(changed.flatMap((path) => {
    const text = show(to, path);
    return text === undefined ? [] : [[path, text] as const];
  }));
  return sharedChanges((path) => show(from, path), after, changed);
}

/**
 * The commit the first wave runs: the branch Argo CD tracks (repo.revision) as this clone knows it,
 * the remote's first (origin/<branch>), so that a wave is never pinned to a commit of a branch
 * that a merge may drop; HEAD where the clone has neither.
 */
function firstWaveCommit(repoRoot: string, branch: string): string {
  for (const ref of [`refs/remotes/origin/${branch}`, branch, 'HEAD']) {
    try {
      return git(repoRoot, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    } catch {
      // the next
    }
  }
  throw new PromotionError(`this clone has neither ${branch} nor a HEAD commit`);
}

/**
 * Pins every later wave that has no revision to what the wave before it runs: on first declaring
 * waves, the commit the first wave runs, which changes nothing they run (they ran repo.revision's
 * files). Works on fleet.yaml's text, which is not valid until they are pinned.
 */
export function initWaves(fleetText: string, repoRoot: string): Promotion {
  const written = parse(fleetText) ?? {};
  const head = firstWaveCommit(repoRoot, written.repo?.revision ?? 'main');
  let text = fleetText;
  const lines: string[] = [];
  // Each to what the wave before it runs: never newer than that wave (a wave added after a pinned one takes its commit).
  let before = head;
  (written.waves ?? []).forEach((wave: { name?: string; revision?: string }, index: number) => {
    if (index > 0 && wave?.revision === undefined) {
      text = withRevision(text, index, before);
      lines.push(`wave ${wave?.name}: pinned to ${before}, what wave ${written.waves[index - 1]?.name} runs`);
    }
    if (index > 0) before = wave?.revision ?? before;
  });
  if (!lines.length) throw new PromotionError('no later wave is without a revision: nothing to pin');
  return { text, lines };
}

/**
 * Promotes a later wave to the commit the wave before it runs. Refused while that wave has had the
 * change for less than its bake time, or while any of its Applications that Argo CD reports is
 * not Synced and Healthy at it.
 */
export function promoteWave(context: PromotionContext, name: string): Promotion {
  const { fleet, repoRoot } = context;
  const wave = findWave(fleet, name);
  const previous = fleet.waves[wave.index - 1];
  const head = firstWaveCommit(repoRoot, fleet.repo.revision);
  const target = previous.index === 0 ? head : previous.revision!;
  if (wave.revision === target) throw new PromotionError(`wave ${wave.name} already runs ${target}, what wave ${previous.name} runs: nothing to promote`);
  if (wave.revision && !isAncestor(repoRoot, wave.revision, target)) {
    throw new PromotionError(`wave ${wave.name} runs ${wave.revision}, which ${target} (what wave ${previous.name} runs) does not contain: promoting would take changes back from it; undo wave ${previous.name} first, or correct the revisions`);
  }
  const changes = wave.revision ? waveChanges(context, wave.revision, target) : [];
  const heading = `wave ${wave.name} (${clusterCount(wave.clusters.length)}: ${wave.clusters.slice(0, 5).join(', ')}${wave.clusters.length > 5 ? ', ...' : ''}): ${wave.revision ? wave.revision.slice(0, 12) : '(unpinned)'} -> ${target.slice(0, 12)}`;
  // Nothing it runs would change (the commits since touched no file the clusters share).
  if (wave.revision && !changes.length) throw new PromotionError(`wave ${wave.name} runs what wave ${previous.name} runs already (${target.slice(0, 12)} changes no file the clusters share since ${wave.revision.slice(0, 12)}): nothing to promote`);
  // Since when the previous wave has had it.
  let since: { commit: string; time: number };
  if (previous.index === 0) {
    since = lastSharedChange(context, target);
  } else {
    const pinned = pinnedSince(context, previous, target);
    if (!pinned) throw new PromotionError(`wave ${previous.name}'s revision ${target} is not committed: commit and merge its promotion first, and let it bake`);
    since = pinned;
  }
  const baked = context.now - since.time;
  if (baked < previous.bakeMinutes * 60) {
    throw new PromotionError(`wave ${previous.name} has had the change for ${duration(Math.max(0, baked))} of its ${bakeText(previous.bakeMinutes)} bake time (since ${since.commit.slice(0, 12)}): promote ${wave.name} after ${new Date((since.time + previous.bakeMinutes * 60) * 1000).toISOString()}`);
  }
  const lines: string[] = [];
  if (context.applications) {
    const expected = (context.expectedApplications ?? []).filter((application) => previous.clusters.includes(application.cluster)).map((application) => application.name);
    const unhealthy = unhealthyApplications(context.applications, previous.clusters, (revision) => isAncestor(repoRoot, since.commit, revision), expected);
    if (unhealthy.length) {
      throw new PromotionError(`wave ${previous.name} is not Synced and Healthy at ${since.commit.slice(0, 12)} in Argo CD:\n${unhealthy.map((line) => `  ${line}`).join('\n')}\nwait for it, or fix it and promote again`);
    }
    lines.push(`wave ${previous.name}: ${context.applications.filter((application) => previous.clusters.includes(application.cluster)).length} Applications Synced and Healthy at ${since.commit.slice(0, 12)} or later`);
  } else {
    lines.push(`wave ${previous.name}: health not checked (set ARGOCD_SERVER and ARGOCD_AUTH_TOKEN to have Argo CD asked)`);
  }
  lines.unshift(heading, ...changes.map((line) => `  ${line}`));
  return { text: withRevision(context.fleetText, wave.index, target), lines };
}

/** Pins a later wave back to the commit it ran before its last promotion (fleet.yaml's history); never forward. */
export function undoWave(context: PromotionContext, name: string): Promotion {
  const wave = findWave(context.fleet, name);
  // The revision before the current one, going back: one the current revision contains (an undo never moves a wave forward).
  const before = revisionHistory(context, wave.name).find((entry) => entry.revision !== undefined && entry.revision !== wave.revision && isAncestor(context.repoRoot, entry.revision, wave.revision!));
  if (!before?.revision) throw new PromotionError(`wave ${wave.name} has run ${wave.revision} since it was first pinned: there is no earlier revision to go back to`);
  const changes = waveChanges(context, wave.revision!, before.revision);
  return {
    text: withRevision(context.fleetText, wave.index, before.revision),
    lines: [`wave ${wave.name} (${clusterCount(wave.clusters.length)}): ${wave.revision!.slice(0, 12)} -> ${before.revision.slice(0, 12)}, what it ran before`, ...(changes.length ? changes.map((line) => `  ${line}`) : ['  nothing it runs changes'])],
  };
}

function clusterCount(n: number): string {
  return `${n} cluster${n === 1 ? '' : 's'}`;
}

/**
 * What a change to the waves' revisions (a promotion, an undo) gives each wave it moves, for npm run
 * diff and the pull-request comment: `wave early: 1f0c7e2b9a10 -> 66d4400dc869 receives: ...`.
 */
export function promotionLines(before: Fleet, after: Fleet, repoRoot: string): string[] {
  const context = { fleet: after, fleetText: '', fleetPath: '', repoRoot, now: 0 };
  return after.waves.flatMap((wave) => {
    const old = before.waves.find((candidate) => candidate.name === wave.name)?.revision;
    if (!old || !wave.revision || old === wave.revision) return [];
    let changes: string[];
    try {
      changes = waveChanges(context, old, wave.revision);
    } catch {
      return [`wave ${wave.name}: ${old.slice(0, 12)} -> ${wave.revision.slice(0, 12)} (not both in this clone: what it receives is not known)`];
    }
    return [`wave ${wave.name} (${clusterCount(wave.clusters.length)}): ${old.slice(0, 12)} -> ${wave.revision.slice(0, 12)} ${isAncestor(repoRoot, old, wave.revision) ? 'receives' : 'goes back to'}: ${changes.join('; ') || 'nothing it runs changes'}`];
  });
}
