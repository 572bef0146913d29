/**
 * What a fleet change does to the ALBs of each cluster: the IngressGroups that appear (an ALB AWS creates, with its
 * hourly cost, an address in each public subnet and a share of the region's quota) or go (an ALB deleted, and the
 * DNS names on it moved), and the apps that move from one ALB to another. Read like diff/placements.ts: after from the
 * fleet, before from the previous text of the per-cluster files of the apps the change touches
 * (apps/<app>/clusters/<cluster>.yaml, their Ingresses).
 *
 * An app moving between ALBs in one change gets 404s (its rule leaves the old ALB while DNS still points there), so
 * such a move is warned of, with the walk that avoids them (config/load-balancer-groups.ts appIngresses, README "Moving
 * an app to another ALB"); a walk with a step skipped is refused, judged by synth against the dist/ it replaces, as the
 * identity switch is (terraform/identity-switch.ts), and by npm run check against the pull request's base (app/checks.ts
 * walkCheck): what the clusters run is what was merged, not what a branch synthesized along the way.
 */
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { appClusterPath } from '../catalog/dist-layout';
import { Fleet } from '../config/fleet';
import { appIngresses, ingressName, ownGroupName, sharedTargetsPerApp } from '../config/load-balancer-groups';
import { firstNames } from '../config/messages';
import { groupNameAnnotation } from '../catalog/test-app';
import { LocatedMessage } from '../terraform/identity-switch';
import { formatFieldPath } from '../output/field-path';

/** One Ingress of an app on a cluster, as dist/ renders it. */
export interface IngressOnAlb {
  readonly name: string;
  /** Its IngressGroup: the ALB. */
  readonly group: string;
}

/** The Ingresses of every app on every cluster: cluster -> app -> its Ingresses, the app's own first. */
export type LoadBalancerGroups = Map<string, Map<string, readonly IngressOnAlb[]>>;

/** The ALBs of a fleet as it renders. */
export function loadBalancerGroupsOf(fleet: Fleet): LoadBalancerGroups {
  const clusters = new Map(fleet.clusters.map((cluster) => [cluster.name, cluster]));
  const groups: LoadBalancerGroups = new Map(fleet.clusters.map((cluster) => [cluster.name, new Map()]));
  for (const app of fleet.apps) {
    for (const placement of app.placements) {
      groups.get(placement.cluster)!.set(app.name, appIngresses(app, clusters.get(placement.cluster)!).map(({ name, group }) => ({ name, group })));
    }
  }
  return groups;
}

/** An app's file for one cluster (diff/placements.ts tellsPlacements keeps the previous text of those that change). */
const appClusterFile = /^apps\/([^/]+)\/clusters\/([^/]+)\.yaml$/;

/** The Ingresses of a per-cluster file, the app's own first; an Ingress rendered before groups had an ALB of its own. */
function ingressesIn(text: string, app: string): IngressOnAlb[] | undefined {
  let objects: any[];
  try {
    objects = loadAll(text, null, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  const ingresses = objects.filter((object) => object?.kind === 'Ingress')
    .map((ingress) => ({ name: String(ingress.metadata?.name ?? app), group: String(ingress.metadata?.annotations?.[groupNameAnnotation] ?? ownGroupName(app)) }));
  return ingresses.length ? ingresses.sort((a, b) => Number(b.name === app) - Number(a.name === app)) : undefined;
}

/** The ALBs before a change, from those after it and the previous text of every per-cluster file that differs (undefined: it did not exist). */
export function loadBalancerGroupsBefore(after: LoadBalancerGroups, previous: ReadonlyMap<string, string | undefined>): LoadBalancerGroups {
  const before: LoadBalancerGroups = new Map([...after].map(([cluster, apps]) => [cluster, new Map(apps)]));
  for (const [path, text] of previous) {
    const match = appClusterFile.exec(path);
    if (!match || path !== appClusterPath(match[1], match[2])) continue;
    const [, app, cluster] = match;
    const apps = before.get(cluster) ?? new Map<string, readonly IngressOnAlb[]>();
    const ingresses = text === undefined ? undefined : ingressesIn(text, app);
    if (ingresses === undefined) apps.delete(app);
    else apps.set(app, ingresses);
    before.set(cluster, apps);
  }
  return before;
}

/** The apps of each ALB of a cluster. */
function albsOf(apps: ReadonlyMap<string, readonly IngressOnAlb[]> | undefined): Map<string, string[]> {
  const albs = new Map<string, string[]>();
  for (const [app, ingresses] of apps ?? []) {
    for (const group of new Set(ingresses.map((ingress) => ingress.group))) albs.set(group, [...(albs.get(group) ?? []), app]);
  }
  return albs;
}

/** An app whose own Ingress (the one that owns its DNS record) is on another ALB after a change. */
export interface AlbMove {
  readonly cluster: string;
  readonly app: string;
  readonly from: string;
  readonly to: string;
  /** The Ingresses the app had before the change. */
  readonly before: readonly IngressOnAlb[];
}

/** The apps whose own Ingress changes ALB, cluster by cluster. */
export function albMoves(before: LoadBalancerGroups, after: LoadBalancerGroups): AlbMove[] {
  return [...after].flatMap(([cluster, apps]) => [...apps].flatMap(([app, ingresses]) => {
    const had = before.get(cluster)?.get(app);
    const from = had?.find((ingress) => ingress.name === app)?.group;
    const to = ingresses[0].group;
    return had && from !== undefined && from !== to ? [{ cluster, app, from, to, before: had }] : [];
  }));
}

/** "app2 moves from ALB shared-0 to ALB own-app2". */
function moveText(move: AlbMove): string {
  return `${move.app} moves from ALB ${move.from} to ALB ${move.to}`;
}

/** One line per cluster whose ALBs a change adds or removes, or whose apps it moves: "ipv6-east: ALBs 1 -> 2: adds own-app2 (app2); app2 moves from ALB shared-0 to ALB own-app2". */
export function formatLoadBalancerChanges(before: LoadBalancerGroups, after: LoadBalancerGroups): string[] {
  const clusters = [...new Set([...after.keys(), ...before.keys()])];
  const moves = albMoves(before, after);
  return clusters.flatMap((cluster) => {
    const old = albsOf(before.get(cluster));
    const now = albsOf(after.get(cluster));
    const added = [...now].filter(([group]) => !old.has(group));
    const removed = [...old].filter(([group]) => !now.has(group));
    const moved = moves.filter((move) => move.cluster === cluster);
    if (!added.length && !removed.length && !moved.length) return [];
    // A few ALBs with their apps; many (a new cluster's, or sharedLoadBalancers changed) named and counted.
    const listed = (albs: Array<[string, string[]]>, had: string) => (albs.length <= 3
      ? albs.map(([group, apps]) => `${group} (${had}${firstNames(apps)})`).join(', ')
      : firstNames(albs.map(([group]) => group)));
    const parts = [
      ...(added.length ? [`adds ${listed(added, '')}`] : []),
      ...(removed.length ? [`removes ${listed(removed, 'had ')}`] : []),
      ...(moved.length <= 3 ? moved.map(moveText) : [`${firstNames(moved.map((move) => move.app))} move to other ALBs`]),
    ];
    return [`${cluster}: ${old.size === now.size ? '' : `ALBs ${old.size} -> ${now.size}: `}${parts.join('; ')}`];
  });
}

/** The fleet.yaml mode of an ALB. */
function modeOf(group: string): 'own' | 'shared' {
  return group.startsWith('own-') ? 'own' : 'shared';
}

/** What a change does to the walks of apps between ALBs: the skipped steps synth refuses, the moves without a walk it warns of. */
export interface LoadBalancerWalk {
  readonly problems: readonly LocatedMessage[];
  readonly warnings: readonly string[];
  /**
   * The moves without the walk that a walk would have avoided (all but those of sharedLoadBalancers, which has none),
   * at the app's key: npm run check refuses them against the pull request's base, where each is what Argo CD syncs.
   */
  readonly unwalked: readonly UnwalkedMove[];
}

/** A move of an app between ALBs on a cluster without the walk, located at the app's key. */
export interface UnwalkedMove extends LocatedMessage {
  readonly app: string;
  readonly cluster: string;
}

/** What synth judges a walk against: the output folder it replaces, which may hold steps that were never merged. */
export const replacedDist = 'the dist/ this synth replaces';

/**
 * The walks of the apps a change moves between ALBs, judged against the dist/ it replaces (`previous`: the previous
 * text of the per-cluster files that differ). Refused: step 2 (previousLoadBalancer) without step 1 in that dist/ (the
 * new ALB neither exists nor serves yet), and step 3 straight after step 1 (the old ALB's rules go as DNS moves).
 * Warned of: a move without the walk (loadBalancer changed, the 500-target threshold crossed, sharedLoadBalancers
 * changed), which still works, with 404s for minutes.
 */
export function loadBalancerWalk(fleet: Fleet, previous: ReadonlyMap<string, string | undefined>, baseline = replacedDist): LoadBalancerWalk {
  const after = loadBalancerGroupsOf(fleet);
  const before = loadBalancerGroupsBefore(after, previous);
  const apps = new Map(fleet.apps.map((app, index) => [app.name, { app, index }]));
  const clusters = new Map(fleet.clusters.map((cluster) => [cluster.name, cluster]));
  const problems: LocatedMessage[] = [];
  const warnings: string[] = [];
  const unwalked: UnwalkedMove[] = [];
  const walk = (to: string, from: string) => `nextLoadBalancer: ${modeOf(to)} (ALB ${to} is created and warms up beside ${from}); then loadBalancer: ${modeOf(to)} with previousLoadBalancer: ${modeOf(from)} `
    + `(DNS moves to ${to}, ${from} still serves); then, once resolvers have let go of ${from}'s address, remove previousLoadBalancer (README, "Moving an app to another ALB")`;
  // Step 2 where the dist/ it replaces lacks step 1: the app's Ingresses there are not yet on both ALBs.
  for (const [cluster, placed] of after) {
    for (const [name, ingresses] of placed) {
      const { app, index } = apps.get(name)!;
      const had = before.get(cluster)?.get(name);
      const previousGroup = ingresses.find((ingress) => ingress.name === ingressName(name, 'previous'))?.group;
      if (!app.previousLoadBalancer || !had || previousGroup === undefined) continue;
      const to = ingresses[0].group;
      const missing = [to, previousGroup].filter((group) => !had.some((ingress) => ingress.group === group));
      if (!missing.length) continue;
      problems.push({
        path: ['apps', index, 'previousLoadBalancer'],
        message: `is ${app.previousLoadBalancer} with loadBalancer: ${app.loadBalancer}, but on ${cluster} ${baseline} has ${name} on ALB ${had[0].group} only, not on ${missing.join(' and ')}: `
          + `DNS would move to ALB ${to} before it exists and serves (its ALB takes minutes to create), so ${name}'s clients would get errors. `
          + `Fix: for this change, keep loadBalancer: ${modeOf(had[0].group)} and set nextLoadBalancer: ${modeOf(to)} instead (step 1: ALB ${to} is created and warms up); `
          + `once it serves, set loadBalancer: ${modeOf(to)} with previousLoadBalancer: ${modeOf(had[0].group)}, then remove previousLoadBalancer (README, "Moving an app to another ALB")`,
      });
    }
  }
  for (const move of albMoves(before, after)) {
    const { app, index } = apps.get(move.app)!;
    const walking = app.previousLoadBalancer && after.get(move.cluster)!.get(move.app)!.some((ingress) => ingress.name === ingressName(move.app, 'previous'));
    if (walking) continue;
    const reverted = move.before.some((ingress) => ingress.name === ingressName(move.app, 'previous') && ingress.group === move.to);
    if (reverted) {
      // Step 2 back to step 1: <app> rejoins the old ALB with a new target group (its old one went at step 2, v3.5.0
      // pkg/deploy/elbv2/target_group_synthesizer.go deletes the target groups no Ingress builds any more), and its rule,
      // of the same group.order, sorts by name before <app>-previous's warm one (pkg/ingress/group_loader.go sortGroupMembers).
      problems.push({
        path: ['apps', index, app.nextLoadBalancer ? 'nextLoadBalancer' : 'loadBalancer'],
        message: `takes ${move.app} on ${move.cluster} back from ALB ${move.from} to ALB ${move.to} in one change, from step 2 (previousLoadBalancer) to step 1: `
          + `its Ingress would rejoin ${move.to} with a new target group, whose rule comes before the warm one of ${ingressName(move.app, 'previous')} while DNS moves back, `
          + `so ${move.to} would send its clients to targets it has not health-checked yet. `
          + `Fix: keep loadBalancer: ${modeOf(move.from)} with previousLoadBalancer: ${modeOf(move.to)} (step 2) for this change; once resolvers have let go of ${move.to}'s address, `
          + `walk back: nextLoadBalancer: ${modeOf(move.to)} in place of previousLoadBalancer (${move.to} warms a new rule while DNS stays on ${move.from}), `
          + `then loadBalancer: ${modeOf(move.to)} with previousLoadBalancer: ${modeOf(move.from)}, then remove previousLoadBalancer, each step merged and synced before the next (README, "Moving an app to another ALB")`,
      });
      continue;
    }
    const warmed = move.before.some((ingress) => ingress.name === ingressName(move.app, 'next') && ingress.group === move.to);
    if (warmed) {
      // Step 3 straight after step 1: the new ALB is warm, but the old one would lose the app's rule as DNS moves.
      problems.push({
        path: ['apps', index, app.nextLoadBalancer ? 'nextLoadBalancer' : 'loadBalancer'],
        message: `moves ${move.app} on ${move.cluster} from ALB ${move.from} to ALB ${move.to} and drops its Ingress on ${move.from} in one change, straight after step 1 (nextLoadBalancer): `
          + `DNS moves to ${move.to} while resolvers still hold ${move.from}'s address for minutes, and ${move.from} would answer them 404. `
          + `Fix: for this change, set loadBalancer: ${modeOf(move.to)} with previousLoadBalancer: ${modeOf(move.from)} (DNS moves, ${move.from} still serves); then remove previousLoadBalancer (README, "Moving an app to another ALB")`,
      });
      continue;
    }
    // Onto an ALB of its own that fleet.yaml does not ask for: its targets put it there. Off one, onto a shared ALB, the
    // dist/ does not say whether loadBalancer: own went or the replicas dropped under the threshold: both are told.
    const overThreshold = modeOf(move.to) === 'own' && app.loadBalancer !== 'own';
    const leavesOwn = modeOf(move.from) === 'own' && modeOf(move.to) === 'shared';
    const cause = overThreshold ? ` (its targets at a rollout's peak are over the ${sharedTargetsPerApp} an app may have on a shared ALB)` : '';
    const sharedOnly = modeOf(move.from) === 'shared' && modeOf(move.to) === 'shared';
    // When no Ingress is left on the old ALB (an app's own, or a shared one sharedLoadBalancers dropped), the controller deletes it: clients that resolve to it cannot connect at all.
    const deleted = ![...after.get(move.cluster)!.values()].some((ingresses) => ingresses.some((ingress) => ingress.group === move.from));
    const failure = deleted ? `${move.from} is deleted, so ${move.app}'s clients that still resolve to it fail to connect (minutes)` : `meanwhile ${move.from} answers ${move.app}'s clients 404 (minutes)`;
    const fix = sharedOnly
      ? `It moves because ${formatFieldPath(['clusters', clusters.get(move.cluster)!.index])}.sharedLoadBalancers changed, and that move has no walk: `
        + 'changing sharedLoadBalancers always costs the apps it moves minutes of 404s (about 1 in k + 1 of them on raising it from k to k + 1). '
        + 'To avoid it, put it back and relieve a full shared ALB by walking its largest apps to ALBs of their own instead (loadBalancer: own, one app at a time); '
        + 'or change it in a change of its own, when the moved apps can take a few minutes of 404s.'
      : overThreshold ? `To move without errors, do it in this order instead: keep replicas as they were for now, walk it to an ALB of its own (${walk(move.to, move.from)}), each step merged and synced, and only then raise replicas.`
        : `To move without errors, walk it instead: ${walk(move.to, move.from)}, each step merged and synced.`
          + (leavesOwn ? ` If it leaves ${move.from} because its replicas dropped under the ${sharedTargetsPerApp} targets an app may have on a shared ALB, do it in this order: set loadBalancer: own with the new replicas (it stays on ${move.from}), then walk it to shared.` : '');
    // Subject cluster/app: config/messages.ts groupWarnings names the subjects of the warnings it folds into one line.
    const consequence = `Its rule leaves ${move.from} in this sync, but DNS points at ${move.from} until ${move.to} serves its host and external-dns moves the record, `
      + `and resolvers hold the old address a minute more: ${failure}. ${fix}`;
    warnings.push(`${move.cluster}/${move.app}: an app moves to another ALB without the walk: ${moveText(move)} on ${move.cluster}${cause}. ${consequence}`);
    if (!sharedOnly) {
      unwalked.push({
        app: move.app,
        cluster: move.cluster,
        path: ['apps', index, overThreshold ? 'replicas' : 'loadBalancer'],
        message: `moves ${move.app} on ${move.cluster} from ALB ${move.from} to ALB ${move.to}${cause} in one step, against ${baseline}: Argo CD syncs what is merged, `
          + `so steps of a walk synthesized one after another in one branch reach the cluster as this one move. ${consequence}`,
      });
    }
  }
  return { problems, warnings, unwalked };
}
