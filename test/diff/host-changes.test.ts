import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { walkCheck } from '../../app/checks';
import { renderFleet } from '../../app/render';
import { synthesize } from '../../app/synth';
import { appClusterPath } from '../../catalog/dist-layout';
import { hostChanges } from '../../diff/host-changes';
import { fleetRecords } from '../../verify/dns-records';
import { demoFleet, demoFleetText, lineOf, projectRoot } from '../support/fixtures';

/** The demo with podinfo at another host. */
const renamedText = demoFleetText.replace('      service: podinfo\n      port: 9898\n', '      service: podinfo\n      port: 9898\n      host: web\n');
const podinfoFile = appClusterPath('podinfo', 'ipv6-east');

/** The previous texts of the files `after` rewrites, as synth and diff hand them over. */
function previousOf(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Map<string, string | undefined> {
  return new Map([...after].filter(([path, text]) => before.get(path) !== text).map(([path]) => [path, before.get(path)]));
}

describe('an app whose DNS name changes where it runs', () => {
  const before = renderFleet(demoFleet());
  const renamed = demoFleet(() => renamedText);
  const after = renderFleet(renamed);

  test('the fixture: podinfo\'s records move from podinfo.apps.example.com to web.apps.example.com, which external-dns would delete and create', () => {
    expect(renamedText).not.toBe(demoFleetText);
    const names = (fleet: typeof renamed, files: ReadonlyMap<string, string>) => [...new Set(fleetRecords(fleet, files).filter((record) => record.ingress.startsWith('podinfo/')).map((record) => record.name))];
    expect(names(demoFleet(), before)).toEqual(['podinfo.apps.example.com']);
    expect(names(renamed, after)).toEqual(['web.apps.example.com']);
  });

  test('is reported at apps[i].expose.host with the clusters, the old and new names, and how to keep the clients', () => {
    expect(hostChanges(renamed, previousOf(before, after))).toEqual([{
      path: ['apps', 3, 'expose', 'host'],
      message: 'moves podinfo from podinfo.apps.example.com to web.apps.example.com on ipv6-east, where it runs: external-dns deletes the records of podinfo.apps.example.com as it publishes web.apps.example.com, '
        + 'so every client still calling podinfo.apps.example.com fails (nothing answers that name any more). Move the clients to web.apps.example.com first, or keep expose.host: podinfo.',
    }]);
  });

  test('not for a new placement, an unchanged host, or a host set to the name it already had', () => {
    expect(hostChanges(demoFleet(), previousOf(before, before))).toEqual([]);
    expect(hostChanges(renamed, new Map([[podinfoFile, undefined]]))).toEqual([]);
    const explicit = demoFleet(() => demoFleetText.replace('      service: podinfo\n      port: 9898\n', '      service: podinfo\n      port: 9898\n      host: podinfo\n'));
    expect(hostChanges(explicit, previousOf(before, renderFleet(explicit)))).toEqual([]);
  });

  test('a new domain renames every app: one message at domain, naming them and the records left in the old zone', () => {
    const moved = demoFleet((text) => text.replace('domain: apps.example.com', 'domain: web.example.org'));
    const messages = hostChanges(moved, previousOf(before, renderFleet(moved)));
    expect(messages).toHaveLength(1);
    expect(messages[0].path).toEqual(['domain']);
    expect(messages[0].message).toMatch(/^moves app0, app1, app2 and 1 more from apps\.example\.com to web\.example\.org on the clusters they run on: .* delete those records from apps\.example\.com's hosted zone\.$/);
    // A parent domain is a new domain too, not four hosts
    const parent = demoFleet((text) => text.replace('domain: apps.example.com', 'domain: example.com'));
    expect(hostChanges(parent, previousOf(before, renderFleet(parent))).map((message) => message.path)).toEqual([['domain']]);
  });

  test('synth warns with the line of expose.host; npm run check warns against the pull request\'s base', async () => {
    // GIVEN a repository that committed the demo fleet and its dist/
    const repository = mkdtempSync(join(tmpdir(), 'host-repo-'));
    const configFile = join(repository, 'fleet.yaml');
    const outdir = join(repository, 'dist');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repository, stdio: 'ignore' });
    writeFileSync(configFile, demoFleetText);
    await synthesize({ configFile, outdir });
    git('init', '-q');
    git('add', '-A');
    git('-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'base');
    // WHEN podinfo's host changes
    writeFileSync(configFile, renamedText);
    const { warnings } = await synthesize({ configFile, outdir });
    // THEN synth warns at the line of expose.host
    expect(warnings.filter((warning) => warning.includes('web.apps.example.com'))).toEqual([
      expect.stringMatching(new RegExp(`^${configFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${lineOf(renamedText, 'host: web')}:\\d+: apps\\[3\\]\\.expose\\.host: moves podinfo from podinfo\\.apps\\.example\\.com to web\\.apps\\.example\\.com on ipv6-east`)),
    ]);
    // AND the check passes with the warning, against the committed base
    const check = walkCheck(renamed, outdir, renderFleet(renamed), 'HEAD', configFile);
    expect(check.status).toBe('ok');
    expect(check.summary).toMatch(/but for 1 DNS name changed where it runs$/);
    expect(check.details).toEqual([expect.stringMatching(/^warning: .*apps\[3\]\.expose\.host: moves podinfo from podinfo\.apps\.example\.com to web\.apps\.example\.com/)]);
  });

  test('npm run diff says it', () => {
    const repository = mkdtempSync(join(tmpdir(), 'host-diff-'));
    const configFile = join(repository, 'fleet.yaml');
    const outdir = join(repository, 'dist');
    writeFileSync(configFile, demoFleetText);
    execFileSync(process.execPath, [join(projectRoot, 'scripts', 'run.mjs'), 'main.ts'], { cwd: projectRoot, env: { ...process.env, FLEET_CONFIG: configFile, CDK8S_OUTDIR: outdir }, stdio: 'ignore' });
    writeFileSync(configFile, renamedText);
    const diff = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'run.mjs'), 'app/diff.ts'], { cwd: projectRoot, env: { ...process.env, FLEET_CONFIG: configFile, CDK8S_OUTDIR: outdir }, encoding: 'utf8' });
    expect(diff.stdout).toMatch(/warning: apps\[3\]\.expose\.host moves podinfo from podinfo\.apps\.example\.com to web\.apps\.example\.com on ipv6-east/);
  });
});
