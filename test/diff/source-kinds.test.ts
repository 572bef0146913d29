import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { sourceKindCheck } from '../../app/checks';
import { renderFleet } from '../../app/render';
import { synthesize } from '../../app/synth';
import { FleetConfigError, parseFleet } from '../../config/load';
import { sourceKindSwitches } from '../../diff/source-kinds';
import { fixtureText, lineOf } from '../support/fixtures';

// A service that changes kind (chart <-> git path) keeps its Application name <app>-<cluster> but moves to the other
// ApplicationSet of its cluster: at argo-cd v3.4.4 the new set cannot take the Application over and the old one
// deletes it with the running service (diff/source-kinds.ts). Synth and npm run check refuse it where the app runs.
jest.setTimeout(120_000);

const chartSource = `    source:
      chart:
        repoURL: oci://ghcr.io/stefanprodan/charts
        name: podinfo
        version: 6.14.1
        archive: vendor/charts/podinfo-6.14.1.tgz
    values:
      podSecurityContext: { runAsNonRoot: true, runAsUser: 100, runAsGroup: 101, seccompProfile: { type: RuntimeDefault } }
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: [ALL] } }
`;
const gitSource = `    source:
      git:
        repoURL: https://github.com/example-org/podinfo-deploy.git
        revision: v6.14.1
        path: deploy/production
`;

/** The services fixture: hello (a git path) and podinfo-oci (a chart), both on ipv6-east. */
const steps = {
  chart: fixtureText('services-sources'),
  git: fixtureText('services-sources').replace(chartSource, gitSource),
  // podinfo-oci taken off ipv6-east (its only cluster): the app leaves fleet.yaml.
  removed: fixtureText('services-sources').slice(0, fixtureText('services-sources').indexOf('  # An OCI chart service')),
  // The git source as a new app beside the chart one.
  beside: `${fixtureText('services-sources')}${fixtureText('services-sources').slice(fixtureText('services-sources').indexOf('  - name: podinfo-oci')).replace(chartSource, gitSource).replace(/podinfo-oci/g, 'podinfo-git')}`,
};
const fleetOf = (text: string) => parseFleet(text, 'fleet.yaml');
const clusterFile = 'argocd/apps/ipv6-east.yaml';

/** A synth of `text` into `outdir`, as npm run synth runs it. */
function synth(outdir: string, text: string) {
  const configFile = join(mkdtempSync(join(tmpdir(), 'kinds-')), 'fleet.yaml');
  writeFileSync(configFile, text);
  return { configFile, result: synthesize({ configFile, outdir }) };
}

async function refusal(result: Promise<unknown>): Promise<FleetConfigError> {
  return result.then(() => { throw new Error('accepted'); }, (caught: FleetConfigError) => caught);
}

describe('an app that changes between a chart and a git path on a cluster where it runs', () => {
  test('the fixtures render the two kinds in the two ApplicationSets of the cluster, under the same Application name', () => {
    const sets = (text: string) => [...renderFleet(fleetOf(text)).get(clusterFile)!.matchAll(/^ {2}name: (services-\S+)$|^ {10}- app: (\S+)$/gm)].map((match) => match[1] ?? match[2]);
    expect(sets(steps.chart)).toEqual(['app0', 'app1', 'app2', 'services-platform-ipv6-east', 'hello', 'podinfo-oci', 'services-charts-ipv6-east', 'podinfo-oci', 'services-git-ipv6-east', 'hello']);
    expect(sets(steps.git)).toEqual(['app0', 'app1', 'app2', 'services-platform-ipv6-east', 'hello', 'podinfo-oci', 'services-git-ipv6-east', 'hello', 'podinfo-oci']);
  });

  test('sourceKindSwitches names the app, its clusters and both ways that keep it running, at apps[i].source; either direction', () => {
    const chartFiles = renderFleet(fleetOf(steps.chart));
    const problems = sourceKindSwitches(fleetOf(steps.git), new Map([[clusterFile, chartFiles.get(clusterFile)]]));
    expect(problems).toEqual([{ path: ['apps', 4, 'source'], message: expect.stringContaining('moves podinfo-oci from a chart to a git path on ipv6-east, where the dist/ this synth replaces runs it: the ApplicationSet services-git-ipv6-east cannot take over the Application podinfo-oci-ipv6-east that services-charts-ipv6-east owns') }]);
    expect(problems[0].message).toContain('add the new source as a new app beside it');
    expect(problems[0].message).toContain('remove podinfo-oci\'s placement on ipv6-east in one change');
    const back = sourceKindSwitches(fleetOf(steps.chart), new Map([[clusterFile, renderFleet(fleetOf(steps.git)).get(clusterFile)]]));
    expect(back.map((problem) => problem.message.split(':')[0])).toEqual(['moves podinfo-oci from a git path to a chart on ipv6-east, where the dist/ this synth replaces runs it']);
    // Unchanged kinds, a cluster file that did not exist, and other files say nothing
    expect(sourceKindSwitches(fleetOf(steps.chart), new Map([[clusterFile, chartFiles.get(clusterFile)]]))).toEqual([]);
    expect(sourceKindSwitches(fleetOf(steps.git), new Map([[clusterFile, undefined], ['apps/podinfo-oci/values.yaml', '{}']]))).toEqual([]);
  });

  test('a test page that becomes a service on its cluster is refused the same way: test-apps-<cluster> owns its Application', () => {
    // GIVEN app0, a test page on ipv6-east, turned into a git service there
    const service = steps.chart.replace('  - name: app0\n    backgroundColor: yellow\n    containerPort: 80\n    replicas: 5\n', `  - name: app0\n${gitSource}    expose: { service: app0, port: 8080 }\n    replicas: 5\n    clusters: [ipv6-east]\n`);
    expect(service).not.toBe(steps.chart);
    // WHEN
    const problems = sourceKindSwitches(fleetOf(service), new Map([[clusterFile, renderFleet(fleetOf(steps.chart)).get(clusterFile)]]));
    // THEN
    expect(problems).toEqual([{ path: ['apps', 0, 'source'], message: expect.stringContaining('moves app0 from a test page to a git path on ipv6-east, where the dist/ this synth replaces runs it: the ApplicationSet services-git-ipv6-east cannot take over the Application app0-ipv6-east that test-apps-ipv6-east owns') }]);
  });

  test('synth refuses the switch against the dist/ it replaces, at the app\'s source line, and leaves dist/ as it was', async () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'kinds-')), 'dist');
    await synth(outdir, steps.chart).result;
    const before = readFileSync(join(outdir, clusterFile), 'utf8');
    const { configFile, result } = synth(outdir, steps.git);
    const error = await refusal(result);
    expect(error).toBeInstanceOf(FleetConfigError);
    const sourceLine = steps.git.split('\n').findIndex((line, index, lines) => line === '    source:' && lines[index - 1] === '  - name: podinfo-oci') + 1;
    // (located at the value under source:, as every field's problem is)
    expect(error.message).toContain(`${configFile}:${sourceLine + 1}:`);
    expect(error.message).toContain('apps[4].source: moves podinfo-oci from a chart to a git path on ipv6-east');
    expect(readFileSync(join(outdir, clusterFile), 'utf8')).toBe(before);
    expect(existsSync(join(outdir, 'apps', 'podinfo-oci', 'values.yaml'))).toBe(true);
  });

  test('synth takes the ways that keep it running: the new source beside the old under a new name; the placement removed, then added back', async () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'kinds-')), 'dist');
    await synth(outdir, steps.chart).result;
    await expect(synth(outdir, steps.beside).result).resolves.toBeDefined();
    await expect(synth(outdir, steps.removed).result).resolves.toBeDefined();
    await expect(synth(outdir, steps.git).result).resolves.toBeDefined();
    expect(readFileSync(join(outdir, clusterFile), 'utf8')).not.toContain('services-charts-ipv6-east');
  });

  test('npm run check judges it against the pull request\'s base: the switch fails; the removal merged first, the switch passes', async () => {
    // GIVEN a repository that commits the chart service and its dist/, as the pull request's base
    const repository = mkdtempSync(join(tmpdir(), 'kinds-repo-'));
    const outdir = join(repository, 'dist');
    const configFile = join(repository, 'fleet.yaml');
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: repository, stdio: 'ignore' });
    const commit = async (text: string) => {
      writeFileSync(configFile, text);
      await synthesize({ configFile, outdir });
      git('add', '-A');
      git('commit', '-q', '-m', 'a step');
    };
    git('init', '-q');
    await commit(steps.chart);
    const check = (text: string) => sourceKindCheck(fleetOf(text), outdir, renderFleet(fleetOf(text)), 'HEAD', configFile);
    // WHEN the branch switches podinfo-oci to its git source
    writeFileSync(configFile, steps.git);
    const switched = check(steps.git);
    // THEN
    expect(switched.status).toBe('failed');
    expect(switched.details).toEqual([expect.stringMatching(new RegExp(`^${configFile}:${lineOf(steps.git, 'path: deploy/production') - 3}:7: apps\\[4\\].source: moves podinfo-oci from a chart to a git path on ipv6-east, where ${outdir}/ at HEAD runs it`))]);
    // AND the base with podinfo-oci removed (merged), the switch adds it back: nothing runs to delete
    await commit(steps.removed);
    expect(check(steps.git).status).toBe('ok');
    expect(check(steps.chart).status).toBe('ok');
  });
});
