import { execFileSync, spawnSync } from 'child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { renderFleet } from '../../app/render';
import { addonsTurnedOff, previousClusterSecrets } from '../../diff/addons-off';
import { demoFleet, demoFleetText, fixtureFleet, fixtureText, projectRoot, runSynth, scratchDist } from '../support/fixtures';
import { Fleet } from '../../config/fleet';

/** What the diff from one fleet's render to another's says of add-ons turned off. */
function turnedOff(before: Fleet, after: Fleet): string[] {
  return addonsTurnedOff(previousClusterSecrets(renderFleet(before), renderFleet(after)), after);
}

/** The demo fleet with `addons` set on one of its clusters. */
function withAddons(cluster: 'legacy-ipv4' | 'ipv6-east', addons: string): string {
  return demoFleetText.replace(`  - name: ${cluster}\n`, `  - name: ${cluster}\n    addons: { ${addons} }\n`);
}

function commitAll(repository: string): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repository, stdio: 'ignore' });
  git('add', '.');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'the fleet');
}

/** A git repository that commits the demo fleet and its dist/. */
function repositoryWithCommittedDemo(): string {
  const repository = mkdtempSync(join(tmpdir(), 'fleet-repo-'));
  execFileSync('git', ['init', '-q'], { cwd: repository });
  writeFileSync(join(repository, 'fleet.yaml'), demoFleetText);
  cpSync(scratchDist(), join(repository, 'dist'), { recursive: true });
  commitAll(repository);
  return repository;
}

describe('turning an add-on off says what it leaves running and what stops working', () => {
  test('external-dns off on a cluster that serves apps: its pods stay, its identity goes, the apps\' records are no longer managed', () => {
    // GIVEN the demo fleet, then external-dns turned off on ipv6-east, where app0, app1, app2 and podinfo run
    const sentences = turnedOff(demoFleet(), demoFleet(() => withAddons('ipv6-east', 'externalDns: false')));
    // THEN one sentence says so
    expect(sentences).toEqual([
      'ipv6-east: external-dns turned off: Argo CD deletes its Application but leaves its pods running (preserveResourcesOnDeletion), and dist/terraform/ removes its Pod Identity association, '
      + 'so it can no longer call AWS once terraform apply runs; the DNS records of app0, app1, app2 and 1 more (their hosts in apps.example.com) it serves are no longer managed: they keep pointing where they point, '
      + 'are not updated when an ALB changes, and are not deleted when an app leaves the cluster. To remove it, delete what it installed on ipv6-east by hand: '
      + 'helm template of the external-dns chart with release external-dns, namespace external-dns and its values files, piped to kubectl delete -f -.',
    ]);
  });

  test('the add-ons the addons-off fixture turns off, each with what stops working: cluster-autoscaler, external-dns, and cert-manager beside the load balancer controller', () => {
    const sentences = turnedOff(demoFleet(), fixtureFleet('addons-off'));
    expect(sentences.map((sentence) => sentence.split(':').slice(0, 2).join(':'))).toEqual([
      'legacy-ipv4: cluster-autoscaler turned off', 'legacy-ipv4: external-dns turned off', 'ipv6-east: cert-manager turned off',
    ]);
    expect(sentences[0]).toContain('its node groups are no longer scaled: pods that do not fit stay Pending and idle nodes stay');
    expect(sentences[1]).toContain('no app of the fleet runs there, but any record it owns is no longer managed');
    expect(sentences[2]).toContain('it has no AWS identity to lose; the load balancer controller\'s webhook certificate is no longer issued by cert-manager');
  });

  test('the load balancer controller off on a cluster without apps; an IRSA cluster loses its role', () => {
    const after = demoFleet(() => withAddons('legacy-ipv4', 'awsLoadBalancerController: false').replace('    ipFamily: ipv4\n', '    ipFamily: ipv4\n    identity: irsa\n'));
    const before = demoFleet((text) => text.replace('    ipFamily: ipv4\n', '    ipFamily: ipv4\n    identity: irsa\n'));
    expect(turnedOff(before, after)).toEqual([expect.stringMatching(/^legacy-ipv4: aws-load-balancer-controller turned off: .*dist\/terraform\/ removes its IRSA role legacy-ipv4-aws-load-balancer-controller, .*Ingresses and Services of type LoadBalancer there are no longer reconciled/)]);
  });

  test('nothing turned off, or an add-on turned on, says nothing', () => {
    expect(turnedOff(demoFleet(), demoFleet())).toEqual([]);
    expect(turnedOff(fixtureFleet('addons-off'), demoFleet())).toEqual([]);
  });

  test('synth warns, against the dist/ it replaces', () => {
    // GIVEN a dist/ of the demo fleet WHEN synth renders the addons-off fixture into it
    const result = runSynth({ CDK8S_OUTDIR: scratchDist(), FLEET_CONFIG: join(projectRoot, 'test', 'fixtures', 'addons-off.yaml') });
    // THEN it writes and says what each add-on turned off leaves
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^warning: legacy-ipv4: external-dns turned off: Argo CD deletes its Application but leaves its pods running/m);
    expect(result.stderr.match(/^warning: .* turned off: /gm)).toHaveLength(3);
  });

  test('in a repository, synth says it at every synth until the change is committed', () => {
    // GIVEN the demo fleet's dist/ committed, then the add-ons turned off
    const repository = repositoryWithCommittedDemo();
    writeFileSync(join(repository, 'fleet.yaml'), fixtureText('addons-off'));
    const synth = () => runSynth({ FLEET_CONFIG: join(repository, 'fleet.yaml'), CDK8S_OUTDIR: join(repository, 'dist') });
    // WHEN synth runs twice THEN both say it (the second finds dist/ as the first left it, but not committed)
    expect(synth().stderr.match(/^warning: .* turned off: /gm)).toHaveLength(3);
    expect(synth().stderr.match(/^warning: .* turned off: /gm)).toHaveLength(3);
    // WHEN the change is committed THEN synth says nothing more
    commitAll(repository);
    expect(synth().stderr).not.toContain('turned off');
  });

  test('npm run diff says it after synth, against the committed dist/', () => {
    // GIVEN a repository with the demo fleet's dist/ committed, then the add-ons turned off and synthesized
    const repository = repositoryWithCommittedDemo();
    writeFileSync(join(repository, 'fleet.yaml'), fixtureText('addons-off'));
    expect(runSynth({ FLEET_CONFIG: join(repository, 'fleet.yaml'), CDK8S_OUTDIR: join(repository, 'dist') }).status).toBe(0);
    // WHEN the diff runs, in text and in Markdown
    const diff = (args: string[]) => spawnSync(process.execPath, [join(projectRoot, 'scripts', 'run.mjs'), 'app/diff.ts', ...args], { cwd: repository, encoding: 'utf8' });
    const text = diff([]).stdout;
    const markdown = diff(['--markdown']).stdout;
    // THEN both list the add-ons turned off
    expect(text).toMatch(/\nAdd-ons turned off \(their pods keep running\):\n {2}legacy-ipv4: cluster-autoscaler turned off: .*\n {2}legacy-ipv4: external-dns turned off: .*\n {2}ipv6-east: cert-manager turned off: .*\n$/);
    expect(markdown).toContain('\n**Add-ons turned off (their pods keep running):**\n\n- legacy-ipv4: cluster-autoscaler turned off: ');
  });
});
