import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { execFileSync } from 'child_process';
import { walkCheck } from '../../app/checks';
import { synthesize } from '../../app/synth';
import { renderFleet } from '../../app/render';
import { planFleet } from '../../capacity/plan';
import { formatPlanTable } from '../../capacity/report';
import { groupNameAnnotation } from '../../catalog/test-app';
import { groupOrderAnnotation, unpublished } from '../../charts/test-app-placement';
import { FleetConfigError } from '../../config/load';
import { groupWarnings } from '../../config/messages';
import { formatLoadBalancerChanges, loadBalancerGroupsBefore, loadBalancerGroupsOf, loadBalancerWalk } from '../../diff/load-balancers';
import { fleetRecords } from '../../verify/dns-records';
import { parseManifests } from '../../verify/rendered';
import { demoFleet, demoFleetText, lineOf, locatedProblemsOf, setReplicas } from '../support/fixtures';

/** The demo fleet with `extra` fleet.yaml lines on app2 (after its replicas). */
const app2With = (extra: string) => (text: string) => {
  const at = text.indexOf('  - name: app2');
  return text.slice(0, at) + text.slice(at).replace('    replicas: 5\n', `    replicas: 5\n${extra}`);
};

/** The walk of app2 on the demo's ipv6-east from the shared ALB shared-0 to an ALB of its own. */
const steps = {
  shared: demoFleetText,
  next: app2With('    nextLoadBalancer: own\n')(demoFleetText),
  switched: app2With('    loadBalancer: own\n    previousLoadBalancer: shared\n')(demoFleetText),
  own: app2With('    loadBalancer: own\n')(demoFleetText),
};

const app2File = 'apps/app2/clusters/ipv6-east.yaml';

/** app2's Ingresses on ipv6-east at a step: name, ALB, whether external-dns publishes it, group.order. */
function ingressesAt(text: string): string[][] {
  const files = renderFleet(demoFleet(() => text));
  return parseManifests(files.get(app2File)!).filter((object) => object.kind === 'Ingress').map((ingress) => {
    const annotations = ingress.metadata.annotations;
    const dns = annotations['external-dns.alpha.kubernetes.io/ingress-hostname-source'] === unpublished['external-dns.alpha.kubernetes.io/ingress-hostname-source'] ? 'no DNS' : 'DNS';
    return [ingress.metadata.name, annotations[groupNameAnnotation], dns, annotations[groupOrderAnnotation] ?? '0'];
  });
}

/** A synth of `text` into `outdir`, as npm run synth runs it. */
async function synth(outdir: string, text: string) {
  const configFile = join(mkdtempSync(join(tmpdir(), 'walk-')), 'fleet.yaml');
  writeFileSync(configFile, text);
  return { configFile, result: synthesize({ configFile, outdir }) };
}

describe('moving an app to another ALB without 404s: a walk of three changes', () => {
  test('each step\'s Ingresses: the app\'s own owns DNS; the walk\'s two are unpublished and keep their ALB from step 1 to step 3', () => {
    expect(ingressesAt(steps.shared)).toEqual([['app2', 'shared-0', 'DNS', '0']]);
    expect(ingressesAt(steps.next)).toEqual([['app2', 'shared-0', 'DNS', '0'], ['app2-previous', 'shared-0', 'no DNS', '0'], ['app2-next', 'own-app2', 'no DNS', '-1']]);
    expect(ingressesAt(steps.switched)).toEqual([['app2', 'own-app2', 'DNS', '0'], ['app2-previous', 'shared-0', 'no DNS', '0'], ['app2-next', 'own-app2', 'no DNS', '-1']]);
    expect(ingressesAt(steps.own)).toEqual([['app2', 'own-app2', 'DNS', '0']]);
    // Step 3 renders what a fleet that never moved renders: byte for byte
    expect(renderFleet(demoFleet(() => steps.own)).get(app2File)).toBe(renderFleet(demoFleet(app2With('    loadBalancer: own\n'))).get(app2File));
    // From one step to the next, only one Ingress changes: step 1 adds two, step 2 moves app2's own, step 3 removes the two
    const text = (step: string) => renderFleet(demoFleet(() => step)).get(app2File)!;
    const documents = (step: string) => text(step).split('\n---\n');
    const changed = (from: string, to: string) => documents(to).filter((document) => !documents(from).includes(document)).map((document) => /\n {2}name: (\S+)/.exec(document)![1]);
    expect(changed(steps.next, steps.switched)).toEqual(['app2']);
  });

  test('external-dns publishes app2\'s host once per cluster at every step, from app2\'s own Ingress: its target moves in one update at step 2', () => {
    for (const step of Object.values(steps)) {
      const fleet = demoFleet(() => step);
      const records = fleetRecords(fleet, renderFleet(fleet)).filter((record) => record.name === 'app2.apps.example.com');
      expect(records.map((record) => [record.cluster, record.type, record.ingress])).toEqual([['ipv6-east', 'A', 'app2/app2'], ['ipv6-east', 'AAAA', 'app2/app2']]);
    }
  });

  test('the capacity plan counts the walk\'s rule, target group and targets on each ALB', () => {
    const albs = (text: string) => planFleet(demoFleet(() => text)).clusters[1].loadBalancers.albs.map((alb) => [alb.group, alb.rules, alb.targetGroups, alb.targets]);
    // podinfo shares shared-0 throughout: a rule, a target group and its 7 targets at its 25%/25% peak.
    expect(albs(steps.shared)).toEqual([['shared-0', 4, 4, 28]]);
    expect(albs(steps.next)).toEqual([['shared-0', 5, 5, 35], ['own-app2', 1, 1, 7]]);
    expect(albs(steps.switched)).toEqual([['shared-0', 4, 4, 28], ['own-app2', 2, 2, 14]]);
    expect(albs(steps.own)).toEqual([['shared-0', 3, 3, 21], ['own-app2', 1, 1, 7]]);
    expect(planFleet(demoFleet(() => steps.next)).regions[0]).toMatchObject({ loadBalancers: 2, targetGroups: 6 });
    // app2's three (app0's and app1's two besides), as fleet.yaml's reference of the quota says
    const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fleet.schema.json'), 'utf8'));
    expect(JSON.stringify(schema)).toContain('one per app on each cluster it runs on, three while it walks to another ALB: its own Ingress\'s and the walk\'s two');
    // The table names the walk's Ingress among the ALB's
    expect(formatPlanTable(planFleet(demoFleet(() => steps.switched)))).toContain('the busiest: shared-0 (app0, app1, app2-previous and 1 more): 4 rules, 4 target groups, 28 targets');
  });

  test('synth takes the walk step by step, and says that app2 moves ALB at step 2', async () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'walk-')), 'dist');
    await (await synth(outdir, steps.shared)).result;
    const first = await (await synth(outdir, steps.next)).result;
    expect(first.clusterChanges).toEqual(['ipv6-east: ALBs 1 -> 2: adds own-app2 (app2)']);
    const second = await (await synth(outdir, steps.switched)).result;
    expect(second.clusterChanges).toEqual(['ipv6-east: app2 moves from ALB shared-0 to ALB own-app2']);
    const third = await (await synth(outdir, steps.own)).result;
    expect([...first.warnings, ...second.warnings, ...third.warnings].filter((warning) => warning.includes('ALB'))).toEqual([]);
    expect(readFileSync(join(outdir, app2File), 'utf8')).toBe(renderFleet(demoFleet(() => steps.own)).get(app2File));
  });

  test('synth refuses step 2 without step 1 in the dist/ it replaces, at previousLoadBalancer\'s line, and leaves dist/ as it was', async () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'walk-')), 'dist');
    await (await synth(outdir, steps.shared)).result;
    const before = readFileSync(join(outdir, app2File), 'utf8');
    const { configFile, result } = await synth(outdir, steps.switched);
    const error: FleetConfigError = await result.then(() => { throw new Error('accepted'); }, (caught) => caught);
    expect(error).toBeInstanceOf(FleetConfigError);
    expect(error.message).toContain(`${configFile}:${lineOf(steps.switched, 'previousLoadBalancer')}:`);
    expect(error.message).toContain('apps[2].previousLoadBalancer: is shared with loadBalancer: own, but on ipv6-east the dist/ this synth replaces has app2 on ALB shared-0 only, not on own-app2');
    expect(error.message).toContain('Fix: for this change, keep loadBalancer: shared and set nextLoadBalancer: own instead');
    expect(readFileSync(join(outdir, app2File), 'utf8')).toBe(before);
  });

  test('synth refuses step 3 straight after step 1, at loadBalancer\'s line', async () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'walk-')), 'dist');
    await (await synth(outdir, steps.shared)).result;
    await (await synth(outdir, steps.next)).result;
    const { configFile, result } = await synth(outdir, steps.own);
    const error: FleetConfigError = await result.then(() => { throw new Error('accepted'); }, (caught) => caught);
    expect(error.message).toContain(`${configFile}:${lineOf(steps.own, 'loadBalancer: own')}:`);
    expect(error.message).toContain('apps[2].loadBalancer: moves app2 on ipv6-east from ALB shared-0 to ALB own-app2 and drops its Ingress on shared-0 in one change, straight after step 1');
    expect(error.message).toContain('Fix: for this change, set loadBalancer: own with previousLoadBalancer: shared');
  });

  test('app2 to 10,000 by one number moves it without the walk: it still renders, warned of with the order that works: walk to its own ALB first, then scale', () => {
    // GIVEN the demo's dist/ and app2 scaled past the 500 targets an app may have on a shared ALB
    const fleet = demoFleet((text) => setReplicas(text, 2, 10000));
    const after = renderFleet(fleet);
    const previous = new Map([[app2File, renderFleet(demoFleet()).get(app2File)]]);
    // WHEN
    const walk = loadBalancerWalk(fleet, previous);
    // THEN
    expect(walk.problems).toEqual([]);
    expect(walk.warnings).toEqual([
      'ipv6-east/app2: an app moves to another ALB without the walk: app2 moves from ALB shared-0 to ALB own-app2 on ipv6-east (its targets at a rollout\'s peak are over the 500 an app may have on a shared ALB). '
      + 'Its rule leaves shared-0 in this sync, but DNS points at shared-0 until own-app2 serves its host and external-dns moves the record, and resolvers hold the old address a minute more: '
      + 'meanwhile shared-0 answers app2\'s clients 404 (minutes). To move without errors, do it in this order instead: keep replicas as they were for now, walk it to an ALB of its own '
      + '(nextLoadBalancer: own (ALB own-app2 is created and warms up beside shared-0); then loadBalancer: own with previousLoadBalancer: shared (DNS moves to own-app2, shared-0 still serves); '
      + 'then, once resolvers have let go of shared-0\'s address, remove previousLoadBalancer (README, "Moving an app to another ALB")), each step merged and synced, and only then raise replicas.',
    ]);
    expect(walk.unwalked).toEqual([{ app: 'app2', cluster: 'ipv6-east', path: ['apps', 2, 'replicas'], message: expect.stringContaining('moves app2 on ipv6-east from ALB shared-0 to ALB own-app2') }]);
    expect(after.get(app2File)).toContain(`${groupNameAnnotation}: own-app2`);
    const groups = loadBalancerGroupsOf(fleet);
    expect(formatLoadBalancerChanges(loadBalancerGroupsBefore(groups, previous), groups)).toEqual(['ipv6-east: ALBs 1 -> 2: adds own-app2 (app2); app2 moves from ALB shared-0 to ALB own-app2']);
  });

  test('the order the warning gives works: after the walk to own-app2, app2 scales to 10,000 and back to 5 with no move, and walks back to shared once scaled down', () => {
    const judged = (from: string, to: string) => loadBalancerWalk(demoFleet(() => to), new Map([[app2File, renderFleet(demoFleet(() => from)).get(app2File)]]));
    const scaledUp = setReplicas(steps.own, 2, 10000);
    expect(judged(steps.own, scaledUp)).toEqual({ problems: [], warnings: [], unwalked: [] });
    expect(judged(scaledUp, steps.own)).toEqual({ problems: [], warnings: [], unwalked: [] });
    expect(judged(steps.own, steps.own.replace('    loadBalancer: own\n', '    loadBalancer: own\n    nextLoadBalancer: shared\n'))).toEqual({ problems: [], warnings: [], unwalked: [] });
  });

  test('fleet.yaml refuses a walk to the ALB app2 is already on: nextLoadBalancer: own at 10,000 replicas says to walk first and scale after', () => {
    // GIVEN app2 at 10,000 replicas (on own-app2 by its targets) and nextLoadBalancer: own, as the scaling warning once said
    const text = setReplicas(app2With('    nextLoadBalancer: own\n')(demoFleetText), 2, 10000);
    // THEN
    expect(locatedProblemsOf(text)).toEqual([expect.stringMatching(new RegExp(`^${lineOf(text, 'nextLoadBalancer')}:\\d+ apps\\[2\\]\\.nextLoadBalancer: is own, the ALB app2 is already on: its 11,500 targets at a rollout's peak \\(replicas: 10000\\) are over the 500`))]);
    expect(locatedProblemsOf(text)[0]).toContain('Fix: scale in this order: keep replicas as they are in the dist/ you deploy (at most 435 replicas, so it still shares), walk it to its own ALB first (nextLoadBalancer: own; then loadBalancer: own with previousLoadBalancer: shared; then remove previousLoadBalancer), each step merged and synced, and raise replicas after');
  });

  test('fleet.yaml refuses nextLoadBalancer: shared for an app already on a shared ALB, with the scale-down order: pin own, scale down, then walk', () => {
    const text = app2With('    nextLoadBalancer: shared\n')(demoFleetText);
    const [problem, ...rest] = locatedProblemsOf(text);
    expect(rest).toEqual([]);
    expect(problem).toMatch(new RegExp(`^${lineOf(text, 'nextLoadBalancer')}:\\d+ apps\\[2\\]\\.nextLoadBalancer: is shared, the ALB app2 is already on \\(loadBalancer: shared, and 5 replicas fit a shared ALB\\)`));
    expect(problem).toContain('do it in this order: set loadBalancer: own and lower replicas (at most 435 replicas) in one change, then walk to shared (nextLoadBalancer: shared; then loadBalancer: shared with previousLoadBalancer: own; then remove previousLoadBalancer)');
    // and previousLoadBalancer naming the ALB it is on
    const own = app2With('    loadBalancer: own\n    previousLoadBalancer: own\n')(demoFleetText);
    expect(locatedProblemsOf(own)).toEqual([expect.stringMatching(new RegExp(`^${lineOf(own, 'previousLoadBalancer')}:\\d+ apps\\[2\\]\\.previousLoadBalancer: is own, the ALB app2 is already on \\(loadBalancer: own\\)`))]);
  });

  test('fleet.yaml refuses a walk that would put an app over 500 targets on a shared ALB: nextLoadBalancer or previousLoadBalancer: shared at 10,000 replicas', () => {
    for (const walk of ['    loadBalancer: own\n    nextLoadBalancer: shared\n', '    loadBalancer: own\n    previousLoadBalancer: shared\n', '    previousLoadBalancer: shared\n']) {
      const text = setReplicas(app2With(walk)(demoFleetText), 2, 10000);
      const key = walk.includes('next') ? 'nextLoadBalancer' : 'previousLoadBalancer';
      const [problem, ...rest] = locatedProblemsOf(text);
      expect(rest).toEqual([]);
      expect(problem).toMatch(new RegExp(`^${lineOf(text, key)}:\\d+ apps\\[2\\]\\.${key}: is shared, but its 11,500 targets at a rollout's peak \\(replicas: 10000\\) are over the 500 an app may have on a shared ALB: .*TooManyTargets`));
      expect(problem).toContain('first lower replicas to at most 435 replicas with loadBalancer: own, then walk to shared');
    }
  });

  test('synth refuses taking step 2 back to step 1, at nextLoadBalancer\'s line, with the way back, and leaves dist/ as it was', async () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'walk-')), 'dist');
    for (const step of [steps.shared, steps.next, steps.switched]) await (await synth(outdir, step)).result;
    const before = readFileSync(join(outdir, app2File), 'utf8');
    // WHEN fleet.yaml goes back to step 1 (app2's own Ingress would rejoin shared-0 with a cold target group sorted before app2-previous)
    const { configFile, result } = await synth(outdir, steps.next);
    const error: FleetConfigError = await result.then(() => { throw new Error('accepted'); }, (caught) => caught);
    // THEN
    expect(error).toBeInstanceOf(FleetConfigError);
    expect(error.message).toContain(`${configFile}:${lineOf(steps.next, 'nextLoadBalancer')}:`);
    expect(error.message).toContain('apps[2].nextLoadBalancer: takes app2 on ipv6-east back from ALB own-app2 to ALB shared-0 in one change, from step 2 (previousLoadBalancer) to step 1');
    expect(error.message).toContain('Fix: keep loadBalancer: own with previousLoadBalancer: shared (step 2) for this change; once resolvers have let go of shared-0\'s address, walk back: nextLoadBalancer: shared in place of previousLoadBalancer');
    expect(error.message).not.toContain('404');
    expect(readFileSync(join(outdir, app2File), 'utf8')).toBe(before);
    // AND the way back it gives is accepted, step by step
    const back = [app2With('    loadBalancer: own\n    nextLoadBalancer: shared\n')(demoFleetText), app2With('    previousLoadBalancer: own\n')(demoFleetText), demoFleetText];
    for (const step of back) expect((await (await synth(outdir, step)).result).warnings.filter((warning) => warning.includes('ALB'))).toEqual([]);
  });

  test('npm run check judges the walk against the pull request\'s base: steps 1, 2 and 3 committed in one branch fail, one number is a warning, each step merged before the next passes', async () => {
    // GIVEN a repository that commits the demo fleet (step 0) and its dist/, as the pull request's base
    const repository = mkdtempSync(join(tmpdir(), 'walk-repo-'));
    const outdir = join(repository, 'dist');
    const configFile = join(repository, 'fleet.yaml');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repository, stdio: 'ignore' });
    const head = () => execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repository, encoding: 'utf8' }).trim();
    const commit = async (text: string) => {
      writeFileSync(configFile, text);
      await synthesize({ configFile, outdir });
      git('add', '-A');
      git('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'a step');
    };
    git('init', '-q');
    await commit(steps.shared);
    const base = head();
    const check = (text: string, against = 'HEAD') => walkCheck(demoFleet(() => text), outdir, renderFleet(demoFleet(() => text)), against, configFile);
    // WHEN the branch commits steps 1, 2 and 3 one after another (synth takes each against the dist/ it replaces)
    git('checkout', '-q', '-b', 'walk');
    for (const step of [steps.next, steps.switched, steps.own]) await commit(step);
    // THEN the check against the base fails: Argo CD would go from step 0 to step 3 in one sync
    const jumped = check(steps.own, base);
    expect(jumped.status).toBe('failed');
    expect(jumped.summary).toContain('merge and sync each step of a walk before the next');
    expect(jumped.details).toEqual([expect.stringContaining(`${configFile}:${lineOf(steps.own, 'loadBalancer: own')}:`)]);
    expect(jumped.details![0]).toContain(`apps[2].loadBalancer: moves app2 on ipv6-east from ALB shared-0 to ALB own-app2 in one step, against ${outdir}/ at ${base}: Argo CD syncs what is merged`);
    expect(jumped.details![0]).toContain('This branch took steps of app2\'s walk in commits of its own');
    // AND a branch that stops at step 2 skips step 1, as the base has it
    const skipped = check(steps.switched, base);
    expect(skipped.status).toBe('failed');
    expect(skipped.details![0]).toContain(`apps[2].previousLoadBalancer: is shared with loadBalancer: own, but on ipv6-east ${outdir}/ at ${base} has app2 on ALB shared-0 only, not on own-app2`);
    // AND the same move by one change (no walk in the branch) passes with the warning synth gives: app2 to 10,000 by one number
    git('checkout', '-q', base);
    git('checkout', '-q', '-b', 'one-number');
    const scaled = setReplicas(steps.shared, 2, 10000);
    await commit(scaled);
    const oneNumber = check(scaled, base);
    expect(oneNumber.status).toBe('ok');
    expect(oneNumber.details).toHaveLength(1);
    expect(oneNumber.details![0].startsWith(`warning: ${configFile}:${lineOf(scaled, 'replicas: 10000')}:`)).toBe(true);
    expect(oneNumber.details![0]).toContain('apps[2].replicas: moves app2 on ipv6-east from ALB shared-0 to ALB own-app2');
    // AND step by step, each merged before the next, every step passes
    git('checkout', '-q', base);
    git('checkout', '-q', '-b', 'stepwise');
    expect(check(steps.next).status).toBe('ok');
    await commit(steps.next);
    expect(check(steps.switched).status).toBe('ok');
    await commit(steps.switched);
    expect(check(steps.own).status).toBe('ok');
  });

  test('an app leaving its own ALB for a shared one: the warning says its own ALB is deleted and clients fail to connect, not 404', () => {
    const walk = loadBalancerWalk(demoFleet(), new Map([[app2File, renderFleet(demoFleet(() => steps.own)).get(app2File)]]));
    expect(walk.warnings).toHaveLength(1);
    expect(walk.warnings[0]).toContain('own-app2 is deleted, so app2\'s clients that still resolve to it fail to connect (minutes)');
    expect(walk.warnings[0]).not.toContain('404 (minutes)');
    // and scaled down under 500 targets, the order that works: pin own while scaling down, then walk
    const scaledDown = loadBalancerWalk(demoFleet(), new Map([[app2File, renderFleet(demoFleet((text) => setReplicas(text, 2, 10000))).get(app2File)]]));
    expect(scaledDown.warnings[0]).toContain('If it leaves own-app2 because its replicas dropped under the 500 targets an app may have on a shared ALB, do it in this order: set loadBalancer: own with the new replicas (it stays on own-app2), then walk it to shared.');
  });

  test('raising sharedLoadBalancers moves apps between shared ALBs: a warning for each, which says what moved them', () => {
    // GIVEN ipv6-east from 1 shared ALB to 7: app0 goes to shared-5, app2 to shared-3, app1 stays on shared-0
    const fleet = demoFleet((text) => text.replace('    nodeGroups:\n      - name: default\n        instanceType: m5.large\n        minSize: 3\n        maxSize: 120', '    sharedLoadBalancers: 7\n    nodeGroups:\n      - name: default\n        instanceType: m5.large\n        minSize: 3\n        maxSize: 120'));
    const committed = renderFleet(demoFleet());
    const previous = new Map(['app0', 'app1', 'app2'].map((app) => [`apps/${app}/clusters/ipv6-east.yaml`, committed.get(`apps/${app}/clusters/ipv6-east.yaml`)]));
    // WHEN
    const { problems, warnings } = loadBalancerWalk(fleet, previous);
    // THEN
    expect(problems).toEqual([]);
    expect(warnings.map((warning) => /^(\S+): an app moves to another ALB without the walk: (.*?) on ipv6-east\./.exec(warning)!.slice(1))).toEqual([['ipv6-east/app0', 'app0 moves from ALB shared-0 to ALB shared-5'], ['ipv6-east/app2', 'app2 moves from ALB shared-0 to ALB shared-3']]);
    for (const warning of warnings) {
      expect(warning).toContain('It moves because clusters[1].sharedLoadBalancers changed, and that move has no walk: changing sharedLoadBalancers always costs the apps it moves minutes of 404s');
      expect(warning).toContain('relieve a full shared ALB by walking its largest apps to ALBs of their own instead');
    }
    // Folded into one line, the warnings still name each app: the subject is cluster/app
    expect(groupWarnings(warnings, 0)).toEqual(['and 2 more: an app moves to another ALB without the walk: ipv6-east/app0 and ipv6-east/app2']);
    const groups = loadBalancerGroupsOf(fleet);
    expect(formatLoadBalancerChanges(loadBalancerGroupsBefore(groups, previous), groups)).toEqual([
      'ipv6-east: ALBs 1 -> 3: adds shared-5 (app0), shared-3 (app2); app0 moves from ALB shared-0 to ALB shared-5; app2 moves from ALB shared-0 to ALB shared-3',
    ]);
  });

  test('fleet.yaml refuses nextLoadBalancer and previousLoadBalancer together', () => {
    const text = app2With('    nextLoadBalancer: own\n    previousLoadBalancer: shared\n')(demoFleetText);
    expect(locatedProblemsOf(text)).toEqual([expect.stringMatching(new RegExp(`^${lineOf(text, 'previousLoadBalancer')}:\\d+ apps\\[2\\]\\.previousLoadBalancer: is set beside nextLoadBalancer: a move to another ALB is one step at a time`))]);
  });
});
