import { parse } from 'yaml';
import { dnsCheck } from '../../app/checks';
import { renderFleet } from '../../app/render';
import { addonCatalog } from '../../catalog/addons';
import { distLayout } from '../../catalog/dist-layout';
import { fileText } from '../../output/file-content';
import { renderCharts } from '../../verify/chart-renders';
import { mergeHelmValues } from '../../verify/chart-values';
import { dnsProblems, externalDnsArgs, externalDnsFlags, fleetRecords, OwnedRecord, ownedRecords, route53DefaultCaching, trafficShares, transitionOutcome } from '../../verify/dns-records';
import { helmUnavailable } from '../../verify/helm';
import { podSpecOf } from '../../verify/pod-security';
import { demoFleet, fixtureFleet } from '../support/fixtures';

const externalDns = addonCatalog.externalDns.chart;
const app2 = 'app2.apps.example.com';

/** The demo fleet with app2 placed as `clusters` says: a step of the README's migration walk. */
const app2On = (clusters: string) => demoFleet((text) =>
  text.replace('backgroundColor: blue\n    containerPort: 80\n    replicas: 5\n', `backgroundColor: blue\n    containerPort: 80\n    replicas: 5\n    clusters: ${clusters}\n`));

/** The render with one values file edited, as a defect put back would leave it. */
function withValues(files: ReadonlyMap<string, string>, path: string, edit: (values: Record<string, any>) => void): Map<string, string> {
  const values = parse(files.get(path) ?? '{}') ?? {};
  edit(values);
  return new Map([...files, [path, fileText({ path, values })]]);
}

/** What matters of a record to Route 53's weighted answer. */
const summary = (records: readonly OwnedRecord[]) => records.map(({ cluster, type, setIdentifier, weight, alb, answers }) => [cluster, type, setIdentifier ?? '-', weight ?? '-', alb, answers ? 'answers' : 'empty']);

// The README's walk ("Migrating an app from IPv4 to IPv6"), each step's placements of app2 and
// the records external-dns v0.21.0 on each cluster would own for app2.<domain>.
const walk: Array<[string, string, Array<Array<string | number>>]> = [
  ['1. start', '[legacy-ipv4]', [
    ['legacy-ipv4', 'A', 'legacy-ipv4', 1, 'ipv4', 'answers'],
    ['legacy-ipv4', 'AAAA', 'legacy-ipv4', 1, 'ipv4', 'empty'],
  ]],
  ['2. the IPv6 cluster added at 10', '[{ name: legacy-ipv4, weight: 90 }, { name: ipv6-east, weight: 10 }]', [
    ['legacy-ipv4', 'A', 'legacy-ipv4', 90, 'ipv4', 'answers'],
    ['legacy-ipv4', 'AAAA', 'legacy-ipv4', 90, 'ipv4', 'empty'],
    ['ipv6-east', 'A', 'ipv6-east', 10, 'dualstack', 'answers'],
    ['ipv6-east', 'AAAA', 'ipv6-east', 10, 'dualstack', 'answers'],
  ]],
  ['3. traffic shifted to 50/50', '[{ name: legacy-ipv4, weight: 50 }, { name: ipv6-east, weight: 50 }]', [
    ['legacy-ipv4', 'A', 'legacy-ipv4', 50, 'ipv4', 'answers'],
    ['legacy-ipv4', 'AAAA', 'legacy-ipv4', 50, 'ipv4', 'empty'],
    ['ipv6-east', 'A', 'ipv6-east', 50, 'dualstack', 'answers'],
    ['ipv6-east', 'AAAA', 'ipv6-east', 50, 'dualstack', 'answers'],
  ]],
  ['3. traffic shifted to 0/255', '[{ name: legacy-ipv4, weight: 0 }, { name: ipv6-east, weight: 255 }]', [
    ['legacy-ipv4', 'A', 'legacy-ipv4', 0, 'ipv4', 'answers'],
    ['legacy-ipv4', 'AAAA', 'legacy-ipv4', 0, 'ipv4', 'empty'],
    ['ipv6-east', 'A', 'ipv6-east', 255, 'dualstack', 'answers'],
    ['ipv6-east', 'AAAA', 'ipv6-east', 255, 'dualstack', 'answers'],
  ]],
  ['4. the old placement removed', '[ipv6-east]', [
    ['ipv6-east', 'A', 'ipv6-east', 1, 'dualstack', 'answers'],
    ['ipv6-east', 'AAAA', 'ipv6-east', 1, 'dualstack', 'answers'],
  ]],
];

describe('the migration walk, as each cluster\'s external-dns would publish it', () => {
  const steps = walk.map(([step, clusters, expected]) => {
    const fleet = app2On(clusters);
    const files = renderFleet(fleet);
    return { step, fleet, files, expected, records: fleetRecords(fleet, files) };
  });

  test.each(steps.map((step) => [step.step, step]))('%s: each placement owns an A and an AAAA record of app2, of its weight', (_, { records, expected }) => {
    // THEN
    expect(summary(records.filter((record) => record.name === app2))).toEqual(expected);
  });

  test.each(steps.map((step) => [step.step, step]))('%s: no family of clients ignores the weights (no type with records of some placements only, no weight differing between A and AAAA)', (_, { records }) => {
    expect(dnsProblems(records)).toEqual([]);
  });

  test.each(steps.slice(1).map((step, index) => [steps[index].step, step.step, steps[index], step]))('from %s to %s: every cluster\'s change takes effect at its first sync, whatever the order', (_, __, before, after) => {
    expect(transitionOutcome(before.records, after.records)).toEqual({ stuck: [], retried: [] });
  });

  // The start as it was rendered before placements were always weighted: app2's Ingress on
  // legacy-ipv4 without set identifier and weight, so a simple A and AAAA.
  const simpleStart = () => {
    const path = 'apps/app2/clusters/legacy-ipv4.yaml';
    const simple = new Map(steps[0].files);
    simple.set(path, simple.get(path)!.replace(/\n {4}external-dns\.alpha\.kubernetes\.io\/(aws-weight|set-identifier): .*/g, ''));
    return fleetRecords(steps[0].fleet, simple);
  };

  test('a simple record at the start: the IPv6 cluster\'s weighted records are refused until the legacy cluster has replaced its simple ones (delete and create in one batch), then created on retry', () => {
    // GIVEN
    const before = simpleStart();
    expect(summary(before.filter((record) => record.name === app2))).toEqual([['legacy-ipv4', 'A', '-', '-', 'ipv4', 'answers'], ['legacy-ipv4', 'AAAA', '-', '-', 'ipv4', 'empty']]);
    // WHEN
    const outcome = transitionOutcome(before, steps[1].records);
    // THEN
    expect(outcome.stuck).toEqual([]);
    expect(outcome.retried).toEqual(['A', 'AAAA'].map((type) =>
      `${type} ${app2}: Route 53 refuses ipv6-east's weighted record while the simple one of legacy-ipv4 is there; external-dns retries it at its next sync, and it succeeds once legacy-ipv4 has synced`));
  });

  test('a simple record whose owner converts it alone (the upgrade without a new placement) takes effect at once', () => {
    expect(transitionOutcome(simpleStart(), steps[0].records)).toEqual({ stuck: [], retried: [] });
  });

  test('a change that would leave a simple record beside weighted ones never takes effect', () => {
    // GIVEN step 2 with the legacy cluster's records still simple at the end (an Ingress that lost its annotations)
    const after = steps[1].records.map((record) => (record.cluster === 'legacy-ipv4' ? { ...record, setIdentifier: undefined, weight: undefined } : record));
    // WHEN
    const outcome = transitionOutcome(simpleStart(), after);
    // THEN
    expect(outcome.stuck).toEqual(['A', 'AAAA'].map((type) =>
      `${type} ${app2}: ipv6-east can never apply its change: Route 53 refuses a weighted record beside a simple one of the same name and type, and external-dns retries it at every sync in vain`));
    expect(dnsProblems(after).length).toBeGreaterThan(0);
  });

  test.each(steps.map((step) => [step.step, step]))('%s: clients with IPv4 go by the weights, clients with IPv6 only by the weights of the clusters that can serve them', (_, { records, fleet }) => {
    // GIVEN
    const placements = fleet.apps.find((app) => app.name === 'app2')!.placements;
    const weightOf = (cluster: string) => {
      const placement = placements.find((candidate) => candidate.cluster === cluster);
      return placement ? placement.weight ?? 1 : 0;
    };
    const share = (cluster: string) => weightOf(cluster) / (weightOf('legacy-ipv4') + weightOf('ipv6-east'));
    // WHEN
    const shares = trafficShares(records, app2);
    // THEN
    for (const cluster of ['legacy-ipv4', 'ipv6-east']) expect(shares.ipv4Only.byCluster[cluster] ?? 0).toBeCloseTo(share(cluster));
    expect(shares.ipv6Only.byCluster['legacy-ipv4']).toBeUndefined();
    expect(shares.ipv6Only.byCluster['ipv6-east'] ?? 0).toBeCloseTo(share('ipv6-east'));
    expect(shares.ipv6Only.unreachable).toBeCloseTo(share('legacy-ipv4'));
  });

  test('per query, a dual-stack client takes the IPv6 cluster by its AAAA pick or, when that answers empty, by its A pick: 19% at 90/10, 75% at 50/50, all at 0/255 (the numbers of docs/argocd.md)', () => {
    const dualStack = (index: number) => trafficShares(steps[index].records, app2).dualStack;
    expect(dualStack(1).byCluster['ipv6-east']).toBeCloseTo(0.19);
    expect(dualStack(2).byCluster['ipv6-east']).toBeCloseTo(0.75);
    expect(dualStack(3).byCluster['ipv6-east']).toBeCloseTo(1);
    expect(dualStack(1).unreachable).toBeCloseTo(0);
    // A weight of 5 in 100 sends about 10% of them (1 - 0.95²).
    const fiveIn100 = app2On('[{ name: legacy-ipv4, weight: 95 }, { name: ipv6-east, weight: 5 }]');
    expect(trafficShares(fleetRecords(fiveIn100, renderFleet(fiveIn100)), app2).dualStack.byCluster['ipv6-east']).toBeCloseTo(0.0975);
  });

  test('behind a busy shared resolver of a zone with Route 53\'s default SOA, the empty AAAA is kept 900 s against 60 s: IPv6-only clients reach the IPv6 cluster 0.7% at 90/10 and 6% at 50/50, dual-stack ones mostly by their A pick (11%, 53%) (the numbers of docs/argocd.md)', () => {
    const cached = (index: number) => trafficShares(steps[index].records, app2, route53DefaultCaching);
    expect(route53DefaultCaching).toEqual({ answerTtl: 60, emptyTtl: 900 });
    expect(cached(1).ipv6Only.byCluster['ipv6-east']).toBeCloseTo(600 / 81600, 4);
    expect(cached(1).ipv6Only.unreachable).toBeCloseTo(81000 / 81600, 4);
    expect(cached(2).ipv6Only.byCluster['ipv6-east']).toBeCloseTo(0.0625, 4);
    expect(cached(1).dualStack.byCluster['ipv6-east']).toBeCloseTo(0.107, 3);
    expect(cached(2).dualStack.byCluster['ipv6-east']).toBeCloseTo(0.531, 3);
    // IPv4-only clients go by the weights: every A answer is kept 60 s.
    expect(cached(1).ipv4Only.byCluster['ipv6-east']).toBeCloseTo(0.1);
    // With the SOA's negative TTL lowered to 60 s the split is the per-query one again.
    expect(trafficShares(steps[1].records, app2, { answerTtl: 60, emptyTtl: 60 })).toEqual(trafficShares(steps[1].records, app2));
    // With no empty answer left (0/255) caching changes nothing.
    expect(cached(3).ipv6Only.byCluster['ipv6-east']).toBeCloseTo(1);
  });

  test('with the IPv4 cluster\'s external-dns managing no AAAA (the old values), the IPv6 cluster\'s AAAA alone takes every IPv6 client at 90/10', () => {
    // GIVEN
    const { fleet, files } = steps[1];
    const old = withValues(files, distLayout.chartClusterValues(externalDns, 'legacy-ipv4'), (values) => { values.managedRecordTypes = ['A', 'CNAME']; });
    // WHEN
    const records = fleetRecords(fleet, old);
    // THEN
    expect(dnsProblems(records)).toEqual([
      `AAAA ${app2} has weighted records of ipv6-east (weight 10) only, none of legacy-ipv4 (weight 90): every client that asks for AAAA goes to ipv6-east whatever the weights say`,
    ]);
    expect(trafficShares(records, app2).dualStack.byCluster['ipv6-east']).toBeCloseTo(1);
    expect(dnsCheck(fleet, old).status).toBe('failed');
  });

  test('npm run check\'s DNS check passes on every step', () => {
    for (const { fleet, files } of steps) expect(dnsCheck(fleet, files)).toMatchObject({ status: 'ok' });
  });
});

describe('the model of external-dns v0.21.0 and the load balancer controller v3.5.0', () => {
  const ingress = (annotations: Record<string, string> = {}, ingressClassName = 'alb') => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'web', annotations },
    spec: { ingressClassName, rules: [{ host: 'web.apps.example.com' }] },
  });
  const flags = (...args: string[]) => externalDnsFlags(['--source=ingress', '--txt-owner-id=east', '--domain-filter=apps.example.com', ...args], 'east');
  const types = (records: readonly OwnedRecord[]) => records.map((record) => record.type);

  test('without --managed-record-types, A, AAAA and CNAME are managed (the default of types.go): an A and an AAAA alias per hostname', () => {
    expect(types(ownedRecords({ cluster: 'east', externalDns: flags(), albs: { ingressClass: 'alb' }, ingresses: [ingress()] }))).toEqual(['A', 'AAAA']);
  });

  test('--exclude-record-types=AAAA and --managed-record-types without AAAA leave the A record only; --aws-prefer-cname makes a CNAME', () => {
    const albs = { ingressClass: 'alb' };
    expect(types(ownedRecords({ cluster: 'east', externalDns: flags('--exclude-record-types=AAAA'), albs, ingresses: [ingress()] }))).toEqual(['A']);
    expect(types(ownedRecords({ cluster: 'east', externalDns: flags('--managed-record-types=A', '--managed-record-types=CNAME'), albs, ingresses: [ingress()] }))).toEqual(['A']);
    expect(types(ownedRecords({ cluster: 'east', externalDns: flags('--aws-prefer-cname'), albs, ingresses: [ingress()] }))).toEqual(['CNAME']);
  });

  test('the Ingress\'s ip-address-type changes nothing of the records, and IngressClassParams decide the ALB\'s family over it', () => {
    const records = ownedRecords({ cluster: 'east', externalDns: flags(), albs: { ingressClass: 'alb', ipAddressType: 'dualstack' }, ingresses: [ingress({ 'alb.ingress.kubernetes.io/ip-address-type': 'ipv4' })] });
    expect(records.map((record) => [record.type, record.alb, record.answers])).toEqual([['A', 'dualstack', true], ['AAAA', 'dualstack', true]]);
    const annotatedOnly = ownedRecords({ cluster: 'east', externalDns: flags(), albs: { ingressClass: 'alb' }, ingresses: [ingress({ 'alb.ingress.kubernetes.io/ip-address-type': 'ipv4' })] });
    expect(annotatedOnly.map((record) => [record.type, record.alb, record.answers])).toEqual([['A', 'ipv4', true], ['AAAA', 'ipv4', false]]);
  });

  test('no records for an Ingress of another class, a hostname outside the domain filter, or a cluster without external-dns', () => {
    expect(ownedRecords({ cluster: 'east', externalDns: flags(), albs: { ingressClass: 'alb' }, ingresses: [ingress({}, 'nginx')] })).toEqual([]);
    expect(ownedRecords({ cluster: 'east', externalDns: flags('--domain-filter=other.example.com'), albs: { ingressClass: 'alb' }, ingresses: [{ ...ingress(), spec: { ingressClassName: 'alb', rules: [{ host: 'web.example.org' }] } }] })).toEqual([]);
    expect(ownedRecords({ cluster: 'east', albs: { ingressClass: 'alb' }, ingresses: [ingress()] })).toEqual([]);
  });

  test('a flag or annotation it does not model is an error, not a guess', () => {
    expect(() => flags('--annotation-filter=team=web')).toThrow('external-dns on east has --annotation-filter: verify/dns-records.ts does not model');
    expect(() => ownedRecords({ cluster: 'east', externalDns: flags(), albs: { ingressClass: 'alb' }, ingresses: [ingress({ 'external-dns.alpha.kubernetes.io/target': 'elsewhere.example.com' })] })).toThrow('does not model');
  });

  test('weights that differ between the A and the AAAA of one placement, two owners of one record, and simple beside weighted records are problems', () => {
    const record = (cluster: string, type: 'A' | 'AAAA', weight?: number): OwnedRecord => ({
      cluster, name: 'web.apps.example.com', type, alb: 'dualstack', answers: true, ingress: 'web/web',
      ...(weight === undefined ? {} : { setIdentifier: cluster, weight }),
    });
    expect(dnsProblems([record('east', 'A', 10), record('east', 'AAAA', 20), record('west', 'A', 90), record('west', 'AAAA', 90)])).toEqual([
      'web.apps.example.com (set identifier east) has weights 10 and 20 on its east records of different types: clients of one family get another share than the other\'s',
    ]);
    expect(dnsProblems([record('east', 'A'), record('west', 'A')])).toEqual(['A web.apps.example.com is claimed by east and west: only the first to write it owns it']);
    expect(dnsProblems([record('east', 'A'), record('west', 'A', 10)])).toEqual(['A web.apps.example.com has weighted records (west (weight 10)) beside a simple one (east): Route 53 refuses the second kind']);
  });
});

// The flags the model reads are the ones helm renders from dist/'s values (the chart's template, mirrored by externalDnsArgs).
const unavailable = helmUnavailable();
const onCi = Boolean(process.env.CI) && process.env.CI !== 'false';
(unavailable && !onCi ? describe.skip : describe)('external-dns\'s arguments, as helm renders the chart with the migration fixture\'s values', () => {
  jest.setTimeout(60_000);
  test('are the ones the model derives from the values, on each cluster', async () => {
    // GIVEN
    const fleet = fixtureFleet('migration');
    const files = renderFleet(fleet);
    // WHEN
    const renders = await renderCharts(fleet, files, (application) => application.startsWith(`${externalDns}-`));
    // THEN
    expect(renders.map((render) => render.cluster).sort()).toEqual(['ipv6-east', 'legacy-ipv4']);
    for (const render of renders) {
      const values = mergeHelmValues(parse(files.get(distLayout.chartValues(externalDns))!), parse(files.get(distLayout.chartClusterValues(externalDns, render.cluster))!));
      const rendered: string[] = podSpecOf(render.objects.find((object) => object.kind === 'Deployment')!)!.containers[0].args;
      expect(rendered).toEqual(expect.arrayContaining(externalDnsArgs(values)));
      expect(externalDnsFlags(rendered, render.cluster).managedRecordTypes).toEqual(['A', 'AAAA', 'CNAME']);
    }
  });
});
