import { spawnSync } from 'child_process';
import { join } from 'path';
import { capacityCheck } from '../../app/checks';
import { planFleet } from '../../capacity/plan';
import { planProblems } from '../../capacity/report';
import { parseFleet } from '../../config/load';
import { demoFleetText, lineOf, projectRoot, setReplicas, writeTempFleet } from '../support/fixtures';

function runPlan(args: readonly string[], fleetFile: string) {
  return spawnSync(process.execPath, [join(projectRoot, 'scripts', 'run.mjs'), 'app/plan.ts', ...args], {
    cwd: projectRoot,
    env: { ...process.env, FLEET_CONFIG: fleetFile },
    encoding: 'utf8',
  });
}

/** ipv6-east of the demo fleet before terraform apply: no endpoint, VPC, subnets or CA yet. */
const demoWithPendingIpv6East = demoFleetText
  .replace(/( {2}- name: ipv6-east\n[\s\S]*?) {4}server: .*\n/, '$1')
  .replace(/( {2}- name: ipv6-east\n[\s\S]*?) {4}vpcId: .*\n/, '$1')
  .replace(/( {2}- name: ipv6-east\n[\s\S]*?) {4}subnets:\n( {6}- .*\n)+/, '$1')
  .replace(/ {4}caData: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJmVENDQVNX\S*\n/, '');

/** A third cluster of the demo's account and region, pending: the project creates it (IPv6, its own VPC). */
const pendingIpv6West = `  - name: ipv6-west
    ipFamily: ipv6
    kubernetesVersion: "1.33"
    provisioning: create
    vpc:
      cidr: 10.232.0.0/16
    region: us-east-2
    accountId: "111122223333"
    nodeGroups:
      - name: default
        instanceType: m5.large
        minSize: 3
        maxSize: 60

`;

const withIpv6West = (text: string) => text.replace('\n# The NGINX test apps.', `\n${pendingIpv6West}# The NGINX test apps.`.replace('\n\n# The', '\n# The'));

describe('the load balancer quota fix names every cluster of the account and region', () => {
  // GIVEN the demo's account and region with a pending third cluster, and 50 more apps on ipv6-east with ALBs of their own:
  // with the shared ALB of the demo's apps, 51 ALBs over the default 50
  const apps = Array.from({ length: 50 }, (_, index) => `  - { name: svc${index}, backgroundColor: blue, containerPort: 80, replicas: 1, clusters: [ipv6-east], loadBalancer: own }\n`).join('');
  const crowded = `${withIpv6West(demoFleetText)}${apps}`;

  test('with each one\'s fleet.yaml line, and following it as written gives a valid fleet that fits', () => {
    // WHEN the plan runs
    const file = writeTempFleet(crowded);
    const result = runPlan([], file);
    // THEN the fix names the three clusters' quota fields, each at its line
    const fix = /^warning: us-east-2 \(account 111122223333\): load balancer quota exceeded: .* Fix: (.*)$/m.exec(result.stderr)?.[1];
    expect(fix).toBe('request "Application Load Balancers per Region" of 51 for account 111122223333 in us-east-2, then declare it on every cluster of that account and region, which must all declare the same quotas: '
      + `clusters[0].loadBalancerQuotas.loadBalancersPerRegion: 51 (legacy-ipv4, ${file}:${lineOf(crowded, '- name: legacy-ipv4')}), `
      + `clusters[1].loadBalancerQuotas.loadBalancersPerRegion: 51 (ipv6-east, ${file}:${lineOf(crowded, '- name: ipv6-east')}) and `
      + `clusters[2].loadBalancerQuotas.loadBalancersPerRegion: 51 (ipv6-west, ${file}:${lineOf(crowded, '- name: ipv6-west')}); `
      + 'or let apps with ALBs of their own (apps[].loadBalancer: own) share their clusters\' ALBs.');
    // WHEN the fix is followed as written, at every field it names
    let fixed = crowded;
    for (const [, cluster] of fix!.matchAll(/loadBalancersPerRegion: 51 \(([a-z0-9-]+),/g)) {
      fixed = fixed.replace(new RegExp(`( {2}- name: ${cluster}\\n(?: {4}.*\\n)*? {4}region: .*\\n)`), '$1    loadBalancerQuotas: { loadBalancersPerRegion: 51 }\n');
    }
    // THEN fleet.yaml is valid and the plan has no quota warning left
    const fleet = parseFleet(fixed);
    expect(planProblems(planFleet(fleet)).warnings.filter((warning) => warning.includes('quota'))).toEqual([]);
  });

  test('npm run check lists the same fix, with the lines', () => {
    const file = writeTempFleet(crowded);
    const details = capacityCheck(parseFleet(crowded), file).details ?? [];
    expect(details.join('\n')).toContain(`clusters[2].loadBalancerQuotas.loadBalancersPerRegion: 51 (ipv6-west, ${file}:${lineOf(crowded, '- name: ipv6-west')});`);
  });

  test('following the fix on one cluster only is what validation refuses', () => {
    const once = crowded.replace(/( {2}- name: legacy-ipv4\n(?: {4}.*\n)*? {4}region: .*\n)/, '$1    loadBalancerQuotas: { loadBalancersPerRegion: 51 }\n');
    expect(() => parseFleet(once)).toThrow(/loadBalancerQuotas: differ from those of clusters\[0\] \(legacy-ipv4\), in the same account 111122223333 and region us-east-2/);
  });
});

describe('npm run plan shows a pending cluster, marked pending, with what it will hold', () => {
  test('text: its apps (every app placed by default, on IPv6), pods, nodes and addresses', () => {
    // GIVEN the demo fleet whose IPv6 cluster is not created yet
    const result = runPlan([], writeTempFleet(demoWithPendingIpv6East));
    // THEN its table is there, marked pending, with the apps it takes once imported and its VPC's addresses
    expect(result.status).toBe(0);
    const table = result.stdout.split('\n\n').find((part) => part.startsWith('ipv6-east'));
    expect(table).toBeDefined();
    expect(table!.split('\n')[0]).toBe('ipv6-east (IPv6, pending: not created yet; what it will hold once created and imported)');
    expect(table).toMatch(/ {2}pods wanted +\d+ = app0 5, app1 5, app2 5 and 1 more apps 4 \+ add-ons \d+ \(/);
    expect(table).toMatch(/ {2}IPv4 addresses +3 used \(3 nodes, one each\) of 3,057 usable in 3 subnets\n/);
    expect(table).toMatch(/ {2}nodes needed +3 of node-group max 120 \(min 3\)\n/);
    expect(table).toMatch(/ {2}ALB addresses +1 ALB and 1 NAT gateway take 2 of \d+ in 10\.231\.0\.0\/24/);
    expect(table).toContain('load balancers  1 ALB (1 shared, 0 of an app\'s own; IP targets)');
  });

  test('--json: the pending cluster is in the plan, with pending: true and its apps', () => {
    const document = JSON.parse(runPlan(['--json'], writeTempFleet(demoWithPendingIpv6East)).stdout);
    expect(document.clusters.map((cluster: { cluster: string; pending: boolean }) => [cluster.cluster, cluster.pending])).toEqual([['legacy-ipv4', false], ['ipv6-east', true]]);
    expect(document.clusters[1].apps.map((app: { app: string }) => app.app)).toEqual(['app0', 'app1', 'app2', 'podinfo']);
    expect(document.clusters[1].nodesNeeded).toBe(3);
  });

  test('--markdown: the same table, marked pending', () => {
    const markdown = runPlan(['--markdown'], writeTempFleet(demoWithPendingIpv6East)).stdout;
    expect(markdown).toContain('\nipv6-east (IPv6, pending: not created yet; what it will hold once created and imported)\n');
  });

  test('a pending IPv4 cluster holds its add-ons only (apps are not placed on an IPv4 cluster by default), and its problems refuse nothing', () => {
    // GIVEN a pending IPv6 cluster whose node group cannot hold the apps it will take
    const tooSmall = withIpv6West(demoFleetText).replace('        maxSize: 60\n', '        maxSize: 3\n').replace(/replicas: 5/g, 'replicas: 200');
    const plan = planFleet(parseFleet(tooSmall));
    const west = plan.clusters.find((cluster) => cluster.cluster === 'ipv6-west')!;
    expect(west.pending).toBe(true);
    expect(west.apps.map((app) => app.app)).toEqual(['app0', 'app1', 'app2', 'podinfo']);
    // THEN the plan says so as a warning of the pending cluster, not an error that stops synth
    const { errors, warnings } = planProblems(plan, { nodeGroupMaxTooSmall: 'error', loadBalancerQuotaExceeded: 'error' });
    expect(errors.filter((error) => error.includes('ipv6-west'))).toEqual([]);
    expect(warnings).toContainEqual(expect.stringMatching(/^ipv6-west \(pending, once created and imported\): node-group max too small: /));
    // AND a pending IPv4 cluster takes no app
    const ipv4 = withIpv6West(demoFleetText).replace('    ipFamily: ipv6\n    kubernetesVersion: "1.33"\n    provisioning: create\n    vpc:\n      cidr: 10.232.0.0/16', '    ipFamily: ipv4\n    kubernetesVersion: "1.33"\n    provisioning: create\n    vpc:\n      cidr: 10.232.0.0/16');
    expect(planFleet(parseFleet(ipv4)).clusters.find((cluster) => cluster.cluster === 'ipv6-west')!.apps).toEqual([]);
  });
});

describe('the target quota fix names every cluster of the account and region', () => {
  // GIVEN the demo fleet with app2 at 10,000 replicas: its own ALB's targets over the default quotas
  const crowded = setReplicas(demoFleetText, 2, 10000);

  test('with each one\'s fleet.yaml line, and following it as written gives a valid fleet with no quota warning left', () => {
    // WHEN the plan runs
    const file = writeTempFleet(crowded);
    const result = runPlan([], file);
    const fix = /^warning: ipv6-east: load balancer quota exceeded: app2: .* Fix: (.*)$/m.exec(result.stderr)?.[1];
    // THEN the fix names both clusters' quota fields, each at its line
    expect(fix).toContain(`clusters[0].loadBalancerQuotas.targetsPerLoadBalancer: 11500, clusters[0].loadBalancerQuotas.targetsPerTargetGroup: 11500 (legacy-ipv4, ${file}:${lineOf(crowded, '- name: legacy-ipv4')})`);
    expect(fix).toContain(`clusters[1].loadBalancerQuotas.targetsPerLoadBalancer: 11500, clusters[1].loadBalancerQuotas.targetsPerTargetGroup: 11500 (ipv6-east, ${file}:${lineOf(crowded, '- name: ipv6-east')})`);
    // WHEN the fix is followed as written, at every field it names
    const declared = new Map<string, string[]>();
    for (const [, index, key, value] of fix!.matchAll(/clusters\[(\d+)\]\.loadBalancerQuotas\.(\w+): (\d+)/g)) {
      declared.set(index, [...(declared.get(index) ?? []), `${key}: ${value}`]);
    }
    let fixed = crowded;
    const names = [...fix!.matchAll(/\(([a-z0-9-]+), /g)].map(([, name]) => name);
    [...declared.values()].forEach((fields, position) => {
      fixed = fixed.replace(new RegExp(`( {2}- name: ${names[position]}\\n(?: {4}.*\\n)*? {4}region: .*\\n)`), `$1    loadBalancerQuotas: { ${fields.join(', ')} }\n`);
    });
    // THEN fleet.yaml is valid and the plan has no quota warning left
    const fleet = parseFleet(fixed);
    expect(planProblems(planFleet(fleet)).warnings.filter((warning) => warning.includes('quota'))).toEqual([]);
  });

  test('a shared ALB over its rules: the rules quota fix names every cluster too, and following it validates', () => {
    // GIVEN an account whose rules quota is 50, and 60 more one-replica apps on ipv6-east's shared ALB: 64 rules (the demo's four apps too)
    const apps = Array.from({ length: 60 }, (_, index) => `  - { name: svc${index}, backgroundColor: blue, containerPort: 80, replicas: 1, clusters: [ipv6-east] }\n`).join('');
    let text = `${demoFleetText}${apps}`;
    for (const name of ['legacy-ipv4', 'ipv6-east']) {
      text = text.replace(new RegExp(`( {2}- name: ${name}\\n(?: {4}.*\\n)*? {4}region: .*\\n)`), '$1    loadBalancerQuotas: { rulesPerLoadBalancer: 50 }\n');
    }
    const plan = planFleet(parseFleet(text));
    const east = plan.clusters.find((cluster) => cluster.cluster === 'ipv6-east')!;
    const fixes = east.sharedLoadBalancerFixes.filter((fix) => fix.action === 'relieve-shared-alb' && fix.declare);
    expect(fixes.length).toBeGreaterThan(0);
    const [fix] = fixes;
    expect(fix.text).toMatch(/clusters\[0\]\.loadBalancerQuotas\.rulesPerLoadBalancer: \d+ \(legacy-ipv4\) and clusters\[1\]\.loadBalancerQuotas\.rulesPerLoadBalancer: \d+ \(ipv6-east\)/);
    const rules = /rulesPerLoadBalancer: (\d+)/.exec(fix.text)![1];
    expect(rules).toBe('64');
    const fixed = text.replace(/rulesPerLoadBalancer: 50/g, `rulesPerLoadBalancer: ${rules}`);
    expect(planProblems(planFleet(parseFleet(fixed))).warnings.filter((warning) => warning.includes('Rules per'))).toEqual([]);
  });
});

describe('a pending cluster that does not take the default apps', () => {
  test('holds no app: defaultApps: false keeps the apps placed by default off it', () => {
    // GIVEN ipv6-west, pending, with defaultApps: false
    const text = withIpv6West(demoFleetText).replace('    provisioning: create\n    vpc:\n      cidr: 10.232.0.0/16\n', '    provisioning: create\n    defaultApps: false\n    vpc:\n      cidr: 10.232.0.0/16\n');
    const plan = planFleet(parseFleet(text));
    const west = plan.clusters.find((cluster) => cluster.cluster === 'ipv6-west')!;
    expect(west.pending).toBe(true);
    expect(west.apps).toEqual([]);
    // and without it, the same cluster takes every app placed by default
    const taking = planFleet(parseFleet(withIpv6West(demoFleetText))).clusters.find((cluster) => cluster.cluster === 'ipv6-west')!;
    expect(taking.apps.length).toBeGreaterThan(0);
  });
});
