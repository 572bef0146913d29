import { spawnSync } from 'child_process';
import { join } from 'path';
import { demoFleetText, projectRoot, setReplicas, writeTempFleet } from '../support/fixtures';

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

  test('exits 2 on an unknown argument', () => {
    const result = runPlan(['--yaml'], demoFleetText);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: npm run plan');
  });
});
