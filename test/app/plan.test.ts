import { spawnSync } from 'child_process';
import { join } from 'path';
import { demoFleetText, projectRoot, setReplicas, writeTempFleet } from '../support/fixtures';
import { largeFleetYaml } from '../fixtures/large-fleet';

function runPlan(args: readonly string[], fleetText: string) {
  return spawnSync(process.execPath, [join(projectRoot, 'scripts', 'run.mjs'), 'app/plan.ts', ...args], {
    cwd: projectRoot,
    env: { ...process.env, FLEET_CONFIG: writeTempFleet(fleetText) },
    encoding: 'utf8',
  });
}

/** app2 at 10000 replicas on the IPv4 cluster: out of addresses. */
const refused = setReplicas(demoFleetText, 2, 10000).replace(/(  - name: app2\n(    .*\n)+)/, '$1    clusters: [legacy-ipv4]\n');

describe('npm run plan', () => {
  test('exits 0 and prints a table per cluster when the fleet fits', () => {
    const result = runPlan([], demoFleetText);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('legacy-ipv4 (IPv4)');
    expect(result.stdout).toContain('ipv6-east (IPv6)');
  });

  test('warns (exit 0) of a cluster in EKS extended support on the day it runs', () => {
    // GIVEN legacy-ipv4 on 1.34, on 2026-12-07 (FLEET_TODAY, set for the tests)
    const text = demoFleetText.replace('    kubernetesVersion: "1.35"\n', '    kubernetesVersion: "1.34"\n');
    const result = runPlan([], text);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('warning: legacy-ipv4: Kubernetes 1.34 is in EKS extended support since 2026-12-02');
    expect(runPlan(['--json'], text).stdout).toContain('legacy-ipv4: Kubernetes 1.34 is in EKS extended support');
    // A day before standard support ended: nothing to say.
    const earlier = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'run.mjs'), 'app/plan.ts'], {
      cwd: projectRoot,
      env: { ...process.env, FLEET_CONFIG: writeTempFleet(text), FLEET_TODAY: '2026-12-01' },
      encoding: 'utf8',
    });
    expect(earlier.stderr).not.toContain('extended support');
  });

  test('exits 1 when the plan refuses the fleet, with the error and its fix', () => {
    const result = runPlan([], refused);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('error: legacy-ipv4: out of IPv4 addresses');
    expect(result.stderr).toContain('Fix: place app2 on ipv6-east instead of legacy-ipv4.');
  });

  test('exits 2 on an invalid fleet.yaml; with --json it prints a document saying so', () => {
    const invalid = demoFleetText.replace('replicas: 5', 'replicas: lots');
    const text = runPlan([], invalid);
    expect(text.status).toBe(2);
    expect(text.stderr).toContain('apps[0].replicas: expected an integer');
    const json = runPlan(['--json'], invalid);
    expect(json.status).toBe(2);
    const document = JSON.parse(json.stdout);
    expect(document.valid).toBe(false);
    expect(document.problems[0]).toMatchObject({ path: 'apps[0].replicas' });
  });

  test('--json prints the plan with its verdicts for machines', () => {
    const document = JSON.parse(runPlan(['--json'], refused).stdout);
    expect(document.valid).toBe(true);
    expect(document.clusters.map((cluster: { cluster: string; verdict: string }) => [cluster.cluster, cluster.verdict]))
      .toEqual([['legacy-ipv4', 'out of IPv4 addresses'], ['ipv6-east', 'fits']]);
    expect(document.errors).toHaveLength(1);
  });

  test('text, --json and --markdown count each account and region\'s target groups against "Target Groups per Region"', () => {
    // app0, app1, app2 and podinfo on ipv6-east: four target groups in us-east-2, none on legacy-ipv4
    const line = '  us-east-2 (account 111122223333): 1 ALB of 50 per region, 4 target groups of 3,000 per region, for legacy-ipv4 and ipv6-east\n';
    expect(runPlan([], demoFleetText).stdout).toContain(line);
    expect(runPlan(['--markdown'], demoFleetText).stdout).toContain(line);
    expect(JSON.parse(runPlan(['--json'], demoFleetText).stdout).regions).toMatchObject([{
      region: 'us-east-2', targetGroups: 4, targetGroupQuota: 3000, targetGroupsByCluster: [{ cluster: 'ipv6-east', targetGroups: 4 }, { cluster: 'legacy-ipv4', targetGroups: 0 }],
    }]);
  });

  test('exits 1 when the ALBs do not fit a created VPC\'s public subnets, naming vpc.cidr; --markdown says the same for a comment', () => {
    // GIVEN ipv6-east's VPC narrowed to a /19 (public /27s of 27 addresses) and 45 more apps on it
    const apps = Array.from({ length: 45 }, (_, index) => `  - { name: svc${index}, backgroundColor: blue, containerPort: 80, replicas: 2, loadBalancer: own }\n`).join('');
    const crowded = `${demoFleetText.replace('cidr: 10.231.0.0/16', 'cidr: 10.231.0.0/19')}${apps}`;
    const text = runPlan([], crowded);
    expect(text.status).toBe(1);
    expect(text.stderr).toMatch(/^error: ipv6-east: out of IPv4 addresses in its public subnets: 46 ALBs .* of 10\.231\.0\.0\/27 \(clusters\[1\]\.vpc\.cidr\)/m);
    const markdown = runPlan(['--markdown'], crowded);
    expect(markdown.status).toBe(1);
    expect(markdown.stdout).toMatch(/^## Capacity plan\n\n```\n/);
    expect(markdown.stdout).toContain('- **error**: ipv6-east: out of IPv4 addresses in its public subnets: ');
  });

  test('--markdown --clusters shows the tables of those clusters, every error, and counts the warnings of the others', () => {
    // GIVEN legacy-ipv4 out of addresses (an error) with two warnings (its ALB's addresses not planned, a target quota)
    expect(runPlan(['--markdown'], refused).stdout).toContain('- warning: legacy-ipv4: IPv4 addresses not planned');
    // WHEN only ipv6-east is asked for, then only legacy-ipv4
    const east = runPlan(['--markdown', '--clusters', 'ipv6-east'], refused);
    const legacy = runPlan(['--markdown', '--clusters', 'legacy-ipv4'], refused);
    // THEN each shows its own table, the error always, and the warnings of the cluster not shown as a count
    expect(east.status).toBe(1);
    expect(east.stdout).toContain('1 of 2 clusters: ipv6-east.');
    expect(east.stdout).toContain('ipv6-east (IPv6)');
    expect(east.stdout).not.toContain('legacy-ipv4 (IPv4)');
    expect(east.stdout).toContain('- **error**: legacy-ipv4: out of IPv4 addresses');
    expect(east.stdout).not.toContain('- warning: legacy-ipv4');
    expect(east.stdout).toContain('- and 2 warnings of the clusters not shown');
    expect(legacy.stdout).toContain('legacy-ipv4 (IPv4)');
    expect(legacy.stdout).not.toContain('ipv6-east (IPv6)');
    expect(legacy.stdout).toContain('- warning: legacy-ipv4: IPv4 addresses not planned');
    expect(legacy.stdout).not.toContain('warnings of the clusters not shown');
  });

  test('exits 2 on an unknown argument', () => {
    const result = runPlan(['--yaml'], demoFleetText);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: npm run plan');
  });
});

describe('npm run plan groups the warnings of many clusters as synth does', () => {
  // GIVEN 40 clusters, the 20 IPv4 ones with maxPods: 200 on their m5.large nodes (above what the ENIs give)
  const text = largeFleetYaml(40, 40).replace(/( {2}- name: ipv4-\d+\n(?: {4}.*\n)*? {6}- \{ name: default, instanceType: m5\.large, minSize: 3, maxSize: 200)/g, '$1, maxPods: 200');
  const maxPodsLines = (output: string) => output.split('\n').filter((line) => line.includes('maxPods above what the ENIs give'));

  test('text: the first 3 whole, the other 17 clusters on one line', () => {
    const result = runPlan([], text);
    expect(result.status).toBe(0);
    const lines = maxPodsLines(result.stderr);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^warning: and 17 more: .*ipv4-\d+/);
  });

  test('--markdown: the same grouping', () => {
    const result = runPlan(['--markdown'], text);
    const lines = maxPodsLines(result.stdout);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/and 17 more: .*ipv4-\d+/);
  });

  test('--json keeps every warning, one per cluster, for machines', () => {
    const result = runPlan(['--json'], text);
    const { warnings } = JSON.parse(result.stdout) as { warnings: string[] };
    expect(warnings.filter((warning) => warning.includes('maxPods'))).toHaveLength(20);
  });
});
