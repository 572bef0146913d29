import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { synthesize } from '../../app/synth';
import { renderFleet } from '../../app/render';
import { planFleet } from '../../capacity/plan';
import { formatPlanTable } from '../../capacity/report';
import { groupNameAnnotation } from '../../catalog/test-app';
import { groupOrderAnnotation, unpublished } from '../../charts/test-app-placement';
import { FleetConfigError } from '../../config/load';
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
    // podinfo shares shared-0 throughout: a rule, a target group and its 4 targets at its 25%/25% peak.
    expect(albs(steps.shared)).toEqual([['shared-0', 4, 4, 25]]);
    expect(albs(steps.next)).toEqual([['shared-0', 5, 5, 32], ['own-app2', 1, 1, 7]]);
    expect(albs(steps.switched)).toEqual([['shared-0', 4, 4, 25], ['own-app2', 2, 2, 14]]);
    expect(albs(steps.own)).toEqual([['shared-0', 3, 3, 18], ['own-app2', 1, 1, 7]]);
    expect(planFleet(demoFleet(() => steps.next)).regions[0]).toMatchObject({ loadBalancers: 2, targetGroups: 6 });
    // The table names the walk's Ingress among the ALB's
    expect(formatPlanTable(planFleet(demoFleet(() => steps.switched)))).toContain('the busiest: shared-0 (app0, app1, app2-previous and 1 more): 4 rules, 4 target groups, 25 targets');
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
    expect(error.message).toContain('apps[2].previousLoadBalancer: is shared with loadBalancer: own, but on ipv6-east the committed dist/ has app2 on ALB shared-0 only, not on own-app2');
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

  test('a move without the walk still renders, with a warning naming the app, the cluster, both ALBs, the 404s and the walk: app2 to 10,000 by one number', () => {
    // GIVEN the demo's dist/ and app2 scaled past the 500 targets an app may have on a shared ALB
    const fleet = demoFleet((text) => setReplicas(text, 2, 10000));
    const after = renderFleet(fleet);
    const previous = new Map([[app2File, renderFleet(demoFleet()).get(app2File)]]);
    // WHEN
    const walk = loadBalancerWalk(fleet, previous);
    // THEN
    expect(walk.problems).toEqual([]);
    expect(walk.warnings).toEqual([
      'ipv6-east: an app moves to another ALB without the walk: app2 moves from ALB shared-0 to ALB own-app2 on ipv6-east (its targets at a rollout\'s peak are over the 500 an app may have on a shared ALB). '
      + 'Its rule leaves shared-0 in this sync, but DNS points at shared-0 until own-app2 serves its host and external-dns moves the record, and resolvers hold the old address a minute more: '
      + 'meanwhile shared-0 answers app2\'s clients 404 (minutes). To move without 404s, walk it instead: nextLoadBalancer: own (ALB own-app2 is created and warms up beside shared-0); '
      + 'then loadBalancer: own with previousLoadBalancer: shared (DNS moves to own-app2, shared-0 still serves); then, once resolvers have let go of shared-0\'s address, remove previousLoadBalancer (README, "Moving an app to another ALB").',
    ]);
    expect(after.get(app2File)).toContain(`${groupNameAnnotation}: own-app2`);
    const groups = loadBalancerGroupsOf(fleet);
    expect(formatLoadBalancerChanges(loadBalancerGroupsBefore(groups, previous), groups)).toEqual(['ipv6-east: ALBs 1 -> 2: adds own-app2 (app2); app2 moves from ALB shared-0 to ALB own-app2']);
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
    expect(warnings.map((warning) => /without the walk: (.*?) on ipv6-east\./.exec(warning)![1])).toEqual(['app0 moves from ALB shared-0 to ALB shared-5', 'app2 moves from ALB shared-0 to ALB shared-3']);
    for (const warning of warnings) expect(warning).toContain('It moves because clusters[1].sharedLoadBalancers changed');
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
