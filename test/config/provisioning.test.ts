import { renderFleet } from '../../app/render';
import { planFleet } from '../../capacity/plan';
import { distLayout } from '../../catalog/dist-layout';
import { cidrContains, cidrsOverlap, ipv4Subnet } from '../../config/cidr';
import { parseFleet } from '../../config/load';
import { clusterAutoscalerImageTags } from '../../catalog/addons';
import { supportedEksVersions } from '../../config/eks-versions';
import { databaseIpv4Subnets, privateIpv4Subnets, publicIpv4Subnets } from '../../config/vpc-layout';
import { demoFleetText, fixtureText, lineOf, locatedProblemsOf } from '../support/fixtures';

/** ipv6-east of the demo fleet, edited: `edit` gets the lines from its name to its nodeGroups. */
const editIpv6East = (edit: (block: string) => string) => demoFleetText.replace(/ {2}- name: ipv6-east\n[\s\S]*?(?= {4}nodeGroups:)/, edit);
/** The demo fleet's ipv6-east before terraform apply: no endpoint, VPC, subnets or CA yet. */
const pendingIpv6East = editIpv6East((block) => block.replace(/ {4}server: .*\n/, '').replace(/ {4}vpcId: .*\n/, '').replace(/ {4}subnets:\n( {6}- .*\n)+/, ''))
  .replace(/ {4}caData: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJmVENDQVNX\S*\n/, '');

describe('clusters the project creates and clusters that exist', () => {
  test('a cluster that exists needs its endpoint, VPC and subnets', () => {
    const text = demoFleetText.replace(/( {2}- name: legacy-ipv4\n[\s\S]*?) {4}server: .*\n/, '$1');
    expect(locatedProblemsOf(text)).toEqual([`${lineOf(text, '- name: legacy-ipv4') + 0}:5 clusters[0]: has no server: a cluster that exists (provisioning: existing, the default) needs them; npm run import-clusters writes them from aws eks describe-cluster and aws ec2 describe-subnets`]);
  });

  test('a cluster that exists with none of the imported fields is not one waiting to be created: its missing caData is refused too', () => {
    const text = demoFleetText.replace(/( {2}- name: legacy-ipv4\n[\s\S]*?) {4}server: .*\n/, '$1')
      .replace(/ {4}vpcId: vpc-0a1b2c3d4e5f60718\n {4}subnets:\n( {6}- .*\n)+/, '')
      .replace(/ {4}caData: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJmekNDQVNX\S*\n/, '');
    const at = lineOf(text, '- name: legacy-ipv4');
    expect(locatedProblemsOf(text)).toEqual([
      `${at}:5 clusters[0]: is registered with Argo CD (register is not false) but has no caData: add the cluster's certificateAuthority.data from aws eks describe-cluster`,
      `${at}:5 clusters[0]: has no server, vpcId, subnets: a cluster that exists (provisioning: existing, the default) needs them; npm run import-clusters writes them from aws eks describe-cluster and aws ec2 describe-subnets`,
    ]);
  });

  test('a cluster the project creates, before terraform apply: accepted, rendered only in dist/terraform/, no app placed on it by default', () => {
    const fleet = parseFleet(pendingIpv6East);
    expect(fleet.clusters.map((cluster) => cluster.name)).toEqual(['legacy-ipv4']);
    expect(fleet.pendingClusters.map((cluster) => cluster.name)).toEqual(['ipv6-east']);
    // Argo CD's cluster by default is the first IPv6 cluster, pending or not: its values and its install by Terraform are rendered.
    expect(fleet.argocd.cluster).toBe('ipv6-east');
    const files = renderFleet(fleet);
    expect([...files.keys()].filter((path) => path.includes('ipv6-east'))).toEqual([distLayout.terraformCluster('ipv6-east')]);
    expect(files.has(distLayout.chartValues('argo-cd'))).toBe(true);
    expect(JSON.parse(files.get(distLayout.terraformBootstrap)!).resource.helm_release.argocd).toBeDefined();
    expect(fleet.apps.every((app) => app.placements.length === 0)).toBe(true);
  });

  test('an app placed on a cluster that is not created yet is refused, saying what to do', () => {
    const text = pendingIpv6East.replace('    replicas: 5\n  - name: app1', '    replicas: 5\n    clusters: [ipv6-east]\n  - name: app1');
    expect(locatedProblemsOf(text)).toEqual([expect.stringMatching(/apps\[0\]\.clusters\[0\]: cluster "ipv6-east" is not created yet \(it has no server\): run terraform apply in dist\/terraform\/clusters\/ipv6-east and npm run import-clusters, then place apps on it$/)]);
  });

  test('an IPv6 cluster the project creates that lists only its subnets is half imported, not pending: only an IPv4 one may list its blocks before it exists', () => {
    const text = editIpv6East((block) => block.replace(/ {4}server: .*\n/, '').replace(/ {4}vpcId: .*\n/, ''));
    expect(locatedProblemsOf(text)).toContainEqual(expect.stringMatching(/clusters\[1\]: has subnets but no server, vpcId: npm run import-clusters writes all of them/));
  });

  test('half an import is refused: the four fields come together', () => {
    const text = editIpv6East((block) => block.replace(/ {4}vpcId: .*\n/, ''));
    expect(locatedProblemsOf(text)).toEqual([expect.stringMatching(/clusters\[1\]: has server, subnets but no vpcId: npm run import-clusters writes all of them/)]);
  });

  test('a vpc on a cluster that exists is refused, not ignored', () => {
    const text = demoFleetText.replace('    ipFamily: ipv4\n', '    ipFamily: ipv4\n    vpc:\n      cidr: 10.230.0.0/16\n');
    expect(locatedProblemsOf(text)).toEqual([expect.stringMatching(/clusters\[0\]\.vpc: is set on a cluster that exists \(provisioning: existing\)/)]);
  });

  test.each([
    ['10.230.0.0/15', 'expected an IPv4 block from /16'],
    ['10.231.0.0/20', 'expected an IPv4 block from /16'],
    ['10.231.0.1/16', 'has host bits set'],
  ])('vpc.cidr %s is refused: %s', (cidr, message) => {
    const text = demoFleetText.replace('      cidr: 10.231.0.0/16', `      cidr: ${cidr}`).replace(/ {4}ipv4Subnets:\n( {6}- .*\n)+/, '');
    expect(locatedProblemsOf(text).join('\n')).toContain(message);
  });

  test('private blocks outside the VPC, over its public subnets, or not one per zone are refused', () => {
    const outside = demoFleetText.replace('      - 10.231.24.0/22', '      - 10.232.24.0/22');
    expect(locatedProblemsOf(outside)).toEqual([expect.stringContaining('clusters[1].ipv4Subnets[2]: "10.232.24.0/22" is not inside the VPC\'s block 10.231.0.0/16 (vpc.cidr)')]);
    const overPublic = demoFleetText.replace('      - 10.231.16.0/22', '      - 10.231.0.0/22');
    expect(locatedProblemsOf(overPublic)).toEqual([expect.stringContaining('clusters[1].ipv4Subnets[0]: "10.231.0.0/22" overlaps 10.231.0.0/24, which the VPC\'s public or database subnets take')]);
    const two = demoFleetText.replace('      - 10.231.24.0/22\n', '');
    expect(locatedProblemsOf(two)).toEqual([expect.stringContaining('clusters[1].ipv4Subnets: lists 2 blocks: a VPC the project creates has one private subnet in each of its 3 availability zones')]);
  });

  test('without ipv4Subnets, a created VPC\'s private IPv4 blocks are the layout\'s, and the capacity plan counts them', () => {
    const fleet = parseFleet(demoFleetText.replace(/ {4}# The same subnets' IPv4 blocks.*\n {4}ipv4Subnets:\n( {6}- .*\n)+/, ''));
    const east = fleet.clusters.find((cluster) => cluster.name === 'ipv6-east')!;
    expect(east.ipv4Subnets).toEqual(['10.231.16.0/20', '10.231.32.0/20', '10.231.48.0/20']);
    expect(planFleet(fleet).clusters.find((plan) => plan.cluster === 'ipv6-east')!.ipv4Addresses!.usable).toBe(3 * (4096 - 5));
  });
});

describe('names the pinned modules take for a cluster the project creates', () => {
  test('a cluster name over 29 characters, a node group name over 22, are refused with the limit', () => {
    const text = demoFleetText.replace(/ipv6-east/g, 'ipv6-east-in-the-new-vpc-of-2026').replace('      - name: default\n        instanceType: m5.large\n        minSize: 3\n        maxSize: 120', '      - name: general-purpose-graviton4\n        instanceType: m5.large\n        minSize: 3\n        maxSize: 120');
    expect(locatedProblemsOf(text)).toEqual([
      expect.stringContaining('clusters[1].name: is 32 characters long: the eks module names the cluster\'s IAM role with the prefix "ipv6-east-in-the-new-vpc-of-2026-cluster-", over the 38 characters IAM allows a name prefix; expected at most 29'),
      expect.stringContaining('clusters[1].nodeGroups[0].name: is 25 characters long: the eks module names the node group\'s IAM role with the prefix "general-purpose-graviton4-eks-node-group-"'),
    ]);
  });

  test('a created cluster name of exactly 29 characters and a node group name of exactly 22 are accepted', () => {
    const [cluster, group] = ['ipv6-east-in-the-new-vpc-2026', 'general-purpose-gravi4'];
    expect([cluster.length, group.length]).toEqual([29, 22]);
    const text = demoFleetText.replace(/ipv6-east/g, cluster).replace('      - name: default\n        instanceType: m5.large\n        minSize: 3\n        maxSize: 120', `      - name: ${group}\n        instanceType: m5.large\n        minSize: 3\n        maxSize: 120`);
    expect(parseFleet(text).clusters[1]).toMatchObject({ name: cluster, nodeGroups: [{ name: group }] });
  });

  test('a cluster that exists may have longer names: its roles are not the module\'s', () => {
    expect(() => parseFleet(demoFleetText.replace(/legacy-ipv4/g, 'legacy-ipv4-in-the-old-datacentre'))).not.toThrow();
  });

  test('an IPv4 cluster the project creates is pending with its subnets alone; with the server or the VPC id too it is half imported', () => {
    const created = demoFleetText.replace(/( {2}- name: legacy-ipv4\n {4}ipFamily: ipv4\n)/, '$1    provisioning: create\n    vpc:\n      cidr: 10.230.0.0/16\n');
    const without = (text: string, field: string) => text.replace(new RegExp(`( {2}- name: legacy-ipv4\\n[\\s\\S]*?) {4}${field}: .*\\n`), '$1');
    expect(locatedProblemsOf(without(created, 'vpcId'))).toContainEqual(expect.stringMatching(/ clusters\[0\]: has server, subnets but no vpcId: /));
    const vpcIdOnly = without(created, 'server').replace(/( {2}- name: legacy-ipv4\n[\s\S]*?) {4}subnets:\n( {6}- .*\n)+/, '$1');
    expect(locatedProblemsOf(vpcIdOnly)).toContainEqual(expect.stringMatching(/ clusters\[0\]: has vpcId but no server, subnets: /));
  });

  test('an IPv4 cluster the project creates may list its private subnets before it exists', () => {
    const text = demoFleetText.replace(/( {2}- name: legacy-ipv4\n {4}ipFamily: ipv4\n)/, '$1    provisioning: create\n    vpc:\n      cidr: 10.230.0.0/16\n')
      .replace(/( {2}- name: legacy-ipv4\n[\s\S]*?) {4}server: .*\n/, '$1').replace(/( {2}- name: legacy-ipv4\n[\s\S]*?) {4}vpcId: .*\n/, '$1')
      .replace(/( {2}- name: legacy-ipv4\n[\s\S]*?) {4}caData: \S+\n/, '$1');
    const fleet = parseFleet(text);
    expect(fleet.pendingClusters.map((cluster) => [cluster.name, cluster.vpc?.privateIpv4Subnets])).toEqual([['legacy-ipv4', ['10.230.16.0/22', '10.230.20.0/22', '10.230.24.0/22']]]);
  });
});

describe('identities', () => {
  test('a cluster may not be named like the roles the fleet shares', () => {
    const text = demoFleetText.replace(/legacy-ipv4/g, 'fleet');
    expect(locatedProblemsOf(text)).toEqual([expect.stringContaining('clusters[0].name: is "fleet", the prefix of the IAM roles the fleet shares (such as fleet-argocd): choose another name')]);
  });

  test('IRSA: a role name over IAM\'s 64 characters is refused, naming the longest name that fits', () => {
    const name = 'legacy-ipv4-in-the-old-datacentre-vpc';
    const text = demoFleetText.replace(/legacy-ipv4/g, name).replace('    ipFamily: ipv4\n', '    ipFamily: ipv4\n    identity: irsa\n');
    expect(locatedProblemsOf(text)).toEqual([expect.stringContaining(`clusters[0].name: makes the IRSA role name ${name}-aws-load-balancer-controller 66 characters long, above IAM's 64: shorten the name to 35 characters or use identity: podIdentity`)]);
    // Under Pod Identity the add-ons' roles are the fleet's, whatever the cluster is named.
    expect(() => parseFleet(demoFleetText.replace(/legacy-ipv4/g, name))).not.toThrow();
  });

  test('IRSA: a role name of exactly 64 characters is accepted', () => {
    const name = 'legacy-ipv4-in-the-old-datacentre-v';
    expect(`${name}-aws-load-balancer-controller`).toHaveLength(64);
    expect(() => parseFleet(demoFleetText.replace(/legacy-ipv4/g, name).replace('    ipFamily: ipv4\n', '    ipFamily: ipv4\n    identity: irsa\n'))).not.toThrow();
  });

  test.each([
    ['switching to IRSA (nextIdentity: irsa)', '    nextIdentity: irsa\n'],
    ['switching from IRSA (previousIdentity: irsa)', '    previousIdentity: irsa\n'],
  ])('IRSA role names are checked while a cluster is %s: its IRSA roles exist then too', (_, fields) => {
    const name = 'legacy-ipv4-in-the-old-datacentre-vpc';
    const text = demoFleetText.replace(/legacy-ipv4/g, name).replace('    ipFamily: ipv4\n', `    ipFamily: ipv4\n${fields}`);
    expect(locatedProblemsOf(text)).toEqual([expect.stringContaining(`clusters[0].name: makes the IRSA role name ${name}-aws-load-balancer-controller 66 characters long`)]);
  });

  test('the cluster Argo CD runs on must use Pod Identity, which Argo CD\'s own pods use', () => {
    const text = editIpv6East((block) => block.replace('    provisioning: create\n', '    provisioning: create\n    identity: irsa\n'));
    expect(locatedProblemsOf(text)).toEqual([expect.stringContaining('clusters[1].identity: is irsa on the cluster Argo CD runs on')]);
  });

  test('the accounts fixture, with a cluster of each kind, is valid', () => {
    expect(() => parseFleet(fixtureText('accounts'))).not.toThrow();
  });
});

describe('the VPC layout and CIDR arithmetic', () => {
  test('a /16: public and database /24s in its first /20, three private /20s after it', () => {
    expect(publicIpv4Subnets('10.231.0.0/16')).toEqual(['10.231.0.0/24', '10.231.1.0/24', '10.231.2.0/24']);
    expect(databaseIpv4Subnets('10.231.0.0/16')).toEqual(['10.231.8.0/24', '10.231.9.0/24', '10.231.10.0/24']);
    expect(privateIpv4Subnets('10.231.0.0/16')).toEqual(['10.231.16.0/20', '10.231.32.0/20', '10.231.48.0/20']);
  });

  test('a /19, the narrowest: public subnets of /27, the smallest an ALB accepts', () => {
    expect(publicIpv4Subnets('10.0.32.0/19')).toEqual(['10.0.32.0/27', '10.0.32.32/27', '10.0.32.64/27']);
    expect(privateIpv4Subnets('10.0.32.0/19')).toEqual(['10.0.34.0/23', '10.0.36.0/23', '10.0.38.0/23']);
  });

  test('the tiers never overlap', () => {
    const all = [...publicIpv4Subnets('10.0.0.0/16'), ...databaseIpv4Subnets('10.0.0.0/16'), ...privateIpv4Subnets('10.0.0.0/16')];
    all.forEach((a, i) => all.slice(i + 1).forEach((b) => expect([a, b, cidrsOverlap(a, b)]).toEqual([a, b, false])));
    for (const subnet of all) expect(cidrContains('10.0.0.0/16', subnet)).toBe(true);
  });

  test('ipv4Subnet is Terraform\'s cidrsubnet', () => {
    // cidrsubnet("10.1.0.0/16", 8, 2) = "10.1.2.0/24" (Terraform's docs)
    expect(ipv4Subnet('10.1.0.0/16', 8, 2)).toBe('10.1.2.0/24');
    expect(() => ipv4Subnet('10.1.0.0/16', 2, 4)).toThrow('has no 4th /18');
  });
});

describe('Kubernetes versions and the add-ons a cluster can run', () => {
  const withVersion = (version: string) => demoFleetText.replace('    kubernetesVersion: "1.35"\n', `    kubernetesVersion: "${version}"\n`);

  test('a version past EKS extended support is refused for that reason, whatever the add-ons (1.31 ended on 2026-11-26)', () => {
    const text = withVersion('1.31');
    const refused = [expect.stringContaining('clusters[0].kubernetesVersion: is "1.31", whose EKS extended support ended on 2026-11-26: EKS upgrades such a cluster itself and creates none')];
    expect(locatedProblemsOf(text)).toEqual(refused);
    expect(locatedProblemsOf(text.replace('  - name: legacy-ipv4\n', '  - name: legacy-ipv4\n    addons:\n      clusterAutoscaler: false\n'))).toEqual(refused);
  });

  test('the day decides: the day before 1.31\'s extended support ended, only its missing cluster-autoscaler release refused it', () => {
    const before = process.env.FLEET_TODAY;
    process.env.FLEET_TODAY = '2026-11-25';
    try {
      const text = withVersion('1.31');
      expect(locatedProblemsOf(text)).toEqual([expect.stringContaining('clusters[0].kubernetesVersion: is "1.31", which no cluster-autoscaler release of this project supports')]);
      expect(() => parseFleet(text.replace('  - name: legacy-ipv4\n', '  - name: legacy-ipv4\n    addons:\n      clusterAutoscaler: false\n'))).not.toThrow();
    } finally {
      process.env.FLEET_TODAY = before;
    }
  });

  test('a version the calendar does not know is refused with the refresh to run', () => {
    expect(locatedProblemsOf(withVersion('1.39'))).toEqual([expect.stringContaining('clusters[0].kubernetesVersion: is "1.39", which the EKS release calendar in data/eks-versions.json does not list')]);
  });

  test('every version EKS supports today has a cluster-autoscaler release, 1.36 included', () => {
    expect(supportedEksVersions('2026-12-07')).toEqual(['1.32', '1.33', '1.34', '1.35', '1.36']);
    for (const version of supportedEksVersions('2026-12-07')) expect([version, clusterAutoscalerImageTags[version]]).toEqual([version, expect.stringMatching(new RegExp(`^v${version.replace('.', '\\.')}\\.\\d+$`))]);
    expect(() => parseFleet(withVersion('1.36'))).not.toThrow();
  });
});

describe('administrators, endpoints and identity switches', () => {
  test('a created cluster without administrators is refused: with the creator\'s access off nobody could administer it', () => {
    const text = demoFleetText.replace(/administrators:\n( {2}- .*\n)+/, '');
    expect(locatedProblemsOf(text)).toEqual([expect.stringContaining('clusters[1]: is created by the project but names no administrators')]);
    // Per cluster is enough.
    expect(() => parseFleet(text.replace('    provisioning: create\n', '    provisioning: create\n    administrators: [arn:aws:iam::111122223333:role/ops]\n'))).not.toThrow();
  });

  test('administrators and public endpoint CIDRs on a cluster that exists are refused: the project does not manage them there', () => {
    const text = demoFleetText.replace('    ipFamily: ipv4\n', '    ipFamily: ipv4\n    administrators: [arn:aws:iam::111122223333:role/ops]\n    endpointPublicAccessCidrs: [203.0.113.0/24]\n');
    expect(locatedProblemsOf(text)).toEqual([
      expect.stringContaining('clusters[0].administrators: is set on a cluster that exists'),
      expect.stringContaining('clusters[0].endpointPublicAccessCidrs: is set on a cluster that exists'),
    ]);
  });

  test('a public endpoint open to the whole internet is refused', () => {
    const text = demoFleetText.replace('      - 203.0.113.0/24\n', '      - 0.0.0.0/0\n');
    expect(locatedProblemsOf(text)).toEqual([expect.stringContaining('clusters[1].endpointPublicAccessCidrs[0]: "0.0.0.0/0" is the whole internet')]);
  });

  test('IPv6 blocks of public endpoint CIDRs: accepted on an IPv6 cluster (its endpoint is dual-stack), refused on an IPv4 one, whose endpoint EKS keeps IPv4', () => {
    // GIVEN the demo's created IPv6 cluster admitting Argo CD's NAT gateway and its VPC's /56
    const dualStack = demoFleetText.replace('      - 203.0.113.0/24\n', '      - 203.0.113.0/24\n      - 2600:1f16:5de:8b00::/56\n');
    expect(parseFleet(dualStack).clusters[1].endpointPublicAccessCidrs).toEqual(['203.0.113.0/24', '2600:1f16:5de:8b00::/56']);
    // WHEN the same cluster is IPv4 THEN the IPv6 block is refused, located
    const at = dualStack.indexOf('  - name: ipv6-east');
    const ipv4 = dualStack.slice(0, at) + dualStack.slice(at).replace('ipFamily: ipv6', 'ipFamily: ipv4').replace(/ {4}subnets:\n( {6}- 2600.*\n)+/, '')
      .replace(/ {4}(server|vpcId|caData): .*\n/g, '').replace('    ipv4Subnets:', '    subnets:');
    expect(locatedProblemsOf(ipv4)).toContainEqual(expect.stringContaining('clusters[1].endpointPublicAccessCidrs[1]: "2600:1f16:5de:8b00::/56" is an IPv6 block, but the endpoint of an IPv4 cluster is IPv4 only'));
    // and ::/0 is the whole internet too
    expect(locatedProblemsOf(demoFleetText.replace('      - 203.0.113.0/24\n', '      - ::/0\n'))).toEqual([expect.stringContaining('clusters[1].endpointPublicAccessCidrs[0]: "::/0" is the whole internet')]);
  });

  test('endpointAccess is what import-clusters read from a cluster that exists: refused on a created one, and CIDRs without a public endpoint are refused', () => {
    expect(parseFleet(demoFleetText.replace('    ipFamily: ipv4\n', '    ipFamily: ipv4\n    endpointAccess: { public: true, publicCidrs: [0.0.0.0/0, 198.51.100.0/24] }\n')).clusters[0].endpointAccess)
      .toEqual({ public: true, publicCidrs: ['0.0.0.0/0', '198.51.100.0/24'] });
    expect(locatedProblemsOf(demoFleetText.replace('    provisioning: create\n', '    provisioning: create\n    endpointAccess: { public: false }\n')))
      .toEqual([expect.stringContaining('clusters[1].endpointAccess: is set on a cluster the project creates')]);
    expect(locatedProblemsOf(demoFleetText.replace('    ipFamily: ipv4\n', '    ipFamily: ipv4\n    endpointAccess: { public: false, publicCidrs: [0.0.0.0/0] }\n')))
      .toEqual([expect.stringContaining('clusters[0].endpointAccess.publicCidrs: is set, but endpointAccess.public is false')]);
  });

  test('previousIdentity equal to identity is refused', () => {
    const text = demoFleetText.replace('  - name: legacy-ipv4\n', '  - name: legacy-ipv4\n    previousIdentity: podIdentity\n');
    expect(locatedProblemsOf(text)).toEqual([expect.stringContaining('clusters[0].previousIdentity: is podIdentity, the identity the cluster has')]);
  });

  test('nextIdentity equal to identity is refused, and so is a switch both from and to another identity at once', () => {
    const withIdentities = (fields: string) => demoFleetText.replace('  - name: legacy-ipv4\n', `  - name: legacy-ipv4\n${fields}`);
    expect(locatedProblemsOf(withIdentities('    nextIdentity: podIdentity\n'))).toEqual([
      `${lineOf(demoFleetText, '- name: legacy-ipv4') + 1}:19 clusters[0].nextIdentity: is podIdentity, the identity the cluster has: nextIdentity names the one its add-ons are switching to; remove it`,
    ]);
    expect(locatedProblemsOf(withIdentities('    previousIdentity: irsa\n    nextIdentity: irsa\n'))).toEqual([
      `${lineOf(demoFleetText, '- name: legacy-ipv4') + 2}:19 clusters[0].nextIdentity: and previousIdentity are both set: a switch is one step at a time (README, "Switching a cluster's identity"): first identity: podIdentity with nextIdentity: irsa, applied; then identity: irsa with previousIdentity: podIdentity; then neither`,
    ]);
    // One step at a time is accepted, either way.
    expect(() => parseFleet(withIdentities('    nextIdentity: irsa\n'))).not.toThrow();
    expect(() => parseFleet(withIdentities('    identity: irsa\n    previousIdentity: podIdentity\n'))).not.toThrow();
  });

  test('a two-zone VPC takes two private blocks, not three', () => {
    const text = editIpv6East((block) => block.replace('      cidr: 10.231.0.0/16\n', '      cidr: 10.231.0.0/16\n      availabilityZones: 2\n'));
    expect(locatedProblemsOf(text)).toEqual([expect.stringContaining('clusters[1].ipv4Subnets: lists 3 blocks: a VPC the project creates has one private subnet in each of its 2 availability zones (vpc.availabilityZones), expected 2')]);
    const fleet = parseFleet(text.replace('      - 10.231.24.0/22\n', ''));
    const cluster = fleet.clusters.find((candidate) => candidate.name === 'ipv6-east')!;
    expect(cluster.publicSubnets).toEqual(publicIpv4Subnets('10.231.0.0/16', 2));
    expect(cluster.vpc!.privateIpv4Subnets).toEqual(['10.231.16.0/22', '10.231.20.0/22']);
  });
});

describe('apps need the load balancer controller where they run', () => {
  test('an app placed on a cluster without it is refused', () => {
    const text = demoFleetText
      .replace('  - name: legacy-ipv4\n', '  - name: legacy-ipv4\n    addons:\n      awsLoadBalancerController: false\n')
      .replace('    replicas: 5\n  - name: app1', '    replicas: 5\n    clusters: [legacy-ipv4]\n  - name: app1');
    expect(locatedProblemsOf(text)).toEqual([expect.stringContaining('apps[0].clusters[0]: cluster "legacy-ipv4" runs no AWS Load Balancer Controller (addons.awsLoadBalancerController: false)')]);
  });

  test('an IPv6 cluster without it, where apps run by default, is refused at the add-on', () => {
    const text = editIpv6East((block) => block.replace('    provisioning: create\n', '    provisioning: create\n    addons:\n      awsLoadBalancerController: false\n'));
    expect(locatedProblemsOf(text)).toEqual([expect.stringContaining('clusters[1].addons.awsLoadBalancerController: is false, but app0, app1, app2 and 1 more run on every IPv6 cluster by default, this one too')]);
    // A cluster without apps may run without it.
    expect(() => parseFleet(demoFleetText.replace('  - name: legacy-ipv4\n', '  - name: legacy-ipv4\n    addons:\n      awsLoadBalancerController: false\n'))).not.toThrow();
  });
});
