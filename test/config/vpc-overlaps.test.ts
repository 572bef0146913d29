import { spawnSync } from 'child_process';
import { join } from 'path';
import { planFleet } from '../../capacity/plan';
import { planProblems } from '../../capacity/report';
import { parseFleet } from '../../config/load';
import { overlappingVpcs } from '../../config/vpc-overlaps';
import { demoFleetText, lineOf, projectRoot, writeTempFleet } from '../support/fixtures';

/** The demo fleet with a second created VPC, ipv6-west's, pending, in `region`. */
function withSecondVpc(cidr: string, region = 'us-east-2', text = demoFleetText, name = 'ipv6-west'): string {
  const west = `  - name: ${name}
    ipFamily: ipv6
    kubernetesVersion: "1.33"
    provisioning: create
    vpc:
      cidr: ${cidr}
    region: ${region}
    accountId: "111122223333"
    nodeGroups:
      - name: default
        instanceType: m5.large
        minSize: 3
        maxSize: 60
`;
  return text.replace('\n# The NGINX test apps.', `\n${west}\n# The NGINX test apps.`);
}

const overlapWarnings = (text: string) => planProblems(planFleet(parseFleet(text))).warnings.filter((warning) => warning.includes('overlaps'));

describe('a created VPC whose block overlaps another VPC of its account and region', () => {
  test('the same block as another created VPC: a warning at both lines, with a free block to take', () => {
    // GIVEN ipv6-west created with ipv6-east's 10.231.0.0/16
    const text = withSecondVpc('10.231.0.0/16');
    const file = writeTempFleet(text);
    // WHEN the plan runs (synth prints the same warnings)
    const result = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'run.mjs'), 'app/plan.ts'], { cwd: projectRoot, env: { ...process.env, FLEET_CONFIG: file }, encoding: 'utf8' });
    // THEN it is accepted with a warning that locates both blocks and names a free one
    expect(result.status).toBe(0);
    const westLine = text.split('\n').findIndex((line, index) => index + 1 > lineOf(text, '- name: ipv6-west') && line.includes('cidr: 10.231.0.0/16')) + 1;
    expect(result.stderr).toContain(`warning: ipv6-west: its VPC 10.231.0.0/16 (clusters[2].vpc.cidr, ${file}:${westLine}) overlaps the VPC 10.231.0.0/16 the project creates for ipv6-east `
      + `(clusters[1].vpc.cidr, ${file}:${lineOf(text, 'cidr: 10.231.0.0/16')}), in the same account 111122223333 and region us-east-2: `
      + 'VPC peering refuses VPCs whose IPv4 blocks overlap and a transit gateway cannot route between them, so the two can never be connected over IPv4. '
      + 'Fix: give clusters[2].vpc.cidr a block no other VPC of the account and region overlaps, such as 10.0.0.0/16, before terraform apply creates it.\n');
  });

  test('a block inside another created VPC\'s overlaps too, not only the same one', () => {
    expect(overlapWarnings(withSecondVpc('10.231.128.0/17'))).toEqual([expect.stringMatching(/^ipv6-west: its VPC 10\.231\.128\.0\/17 \(clusters\[2\]\.vpc\.cidr\) overlaps the VPC 10\.231\.0\.0\/16 the project creates for ipv6-east/)]);
  });

  test('a block over the subnets of a cluster that exists overlaps its VPC', () => {
    expect(overlapWarnings(withSecondVpc('10.230.0.0/16'))).toEqual([expect.stringMatching(/^ipv6-west: its VPC 10\.230\.0\.0\/16 \(clusters\[2\]\.vpc\.cidr\) overlaps 10\.230\.16\.0\/22, a subnet of legacy-ipv4's VPC \(clusters\[0\]\.subnets\[0\]\)/)]);
  });

  test('blocks apart, or in another region, are no warning', () => {
    expect(overlapWarnings(withSecondVpc('10.232.0.0/16'))).toEqual([]);
    expect(overlapWarnings(withSecondVpc('10.231.0.0/16', 'eu-west-1'))).toEqual([]);
    expect(overlappingVpcs(parseFleet(demoFleetText))).toEqual([]);
  });

  test('the free block suggested overlaps nothing of the account and region', () => {
    // GIVEN two more created VPCs, both 10.0.0.0/16, the first free /16 of 10.0.0.0/8 without them
    const text = withSecondVpc('10.0.0.0/16', 'us-east-2', withSecondVpc('10.0.0.0/16'), 'ipv6-north');
    const overlaps = overlappingVpcs(parseFleet(text));
    expect(overlaps.map((overlap) => [overlap.block.cluster, overlap.overlapped.cluster, overlap.free])).toEqual([['ipv6-north', 'ipv6-west', '10.1.0.0/16']]);
  });
});
