// The rules of config/rules.ts's checkRelations at their edges, each on the demo fleet with one
// field edited: the sizes AWS gives a subnet, the family of a cluster's subnets, node group sizes,
// apps with nowhere to go, a cluster Argo CD does not register.
import { parseFleet } from '../../config/load';
import { demoFleetText, fixtureText, lineOf, locatedProblemsOf } from '../support/fixtures';

const legacySubnet = '      - 10.230.16.0/22\n';
const eastSubnet = '      - 2600:1f16:5de:8b03::/64\n';
/** The problem at the first subnet of legacy-ipv4 (IPv4) or of ipv6-east (IPv6), located. */
const atLegacySubnet = (text: string, message: string) => `${lineOf(text, '- 10.230.20.0/22') - 1}:9 clusters[0].subnets[0]: ${message}`;
const atEastSubnet = (text: string, message: string) => `${lineOf(text, '- 2600:1f16:5de:8b04::/64') - 1}:9 clusters[1].subnets[0]: ${message}`;

describe('subnets: the sizes AWS gives, the family of the cluster', () => {
  test.each(['10.228.0.0/15', '10.230.16.0/29'])('an IPv4 subnet %s is refused: an AWS subnet is between /16 and /28', (block) => {
    const text = demoFleetText.replace(legacySubnet, `      - ${block}\n`);
    expect(locatedProblemsOf(text)).toEqual([atLegacySubnet(text, `"${block}" is a /${block.split('/')[1]}: an AWS subnet is between /16 and /28`)]);
  });

  test('IPv4 subnets of exactly /16 and /28 are accepted', () => {
    const text = demoFleetText.replace(legacySubnet, '      - 10.228.0.0/16\n').replace('      - 10.230.20.0/22\n', '      - 10.230.20.0/28\n');
    expect(parseFleet(text).clusters[0].subnets).toEqual(['10.228.0.0/16', '10.230.20.0/28', '10.230.24.0/22']);
  });

  test.each(['2600:1f16:5de:8b06::/63', '2600:1f16:5de:8b03::/65'])('an IPv6 subnet %s is refused: AWS gives every IPv6 subnet a /64', (block) => {
    const text = demoFleetText.replace(eastSubnet, `      - ${block}\n`);
    expect(locatedProblemsOf(text)).toEqual([atEastSubnet(text, `"${block}" is a /${block.split('/')[1]}: AWS gives every IPv6 subnet a /64`)]);
  });

  test('a subnet of the other family is refused, naming both families and what is expected, either way', () => {
    const ipv6OnIpv4 = demoFleetText.replace(legacySubnet, '      - 2600:1f16:5de:8c00::/64\n');
    expect(locatedProblemsOf(ipv6OnIpv4)).toEqual([atLegacySubnet(ipv6OnIpv4, '"2600:1f16:5de:8c00::/64" is an IPv6 block, but the cluster\'s ipFamily is ipv4: expected an IPv4 block')]);
    const ipv4OnIpv6 = demoFleetText.replace(eastSubnet, '      - 10.231.64.0/22\n');
    expect(locatedProblemsOf(ipv4OnIpv6)).toEqual([atEastSubnet(ipv4OnIpv6, '"10.231.64.0/22" is an IPv4 block, but the cluster\'s ipFamily is ipv6: expected an IPv6 /64')]);
  });
});

describe('server: only an EKS endpoint of the cluster\'s region gets its token', () => {
  const legacyServer = 'https://4B1D7A3E9C2F6A8B0D5E7C1F3A9B2D4E.gr7.us-east-2.eks.amazonaws.com';
  const withServer = (server: string, region = 'us-east-2') => demoFleetText.replace(legacyServer, server)
    .replace('    region: us-east-2\n    accountId: "111122223333"\n    vpcId: vpc-0a1b2c3d4e5f60718', `    region: ${region}\n    accountId: "111122223333"\n    vpcId: vpc-0a1b2c3d4e5f60718`);
  const refusal = (text: string, server: string) => `${lineOf(text, `server: ${server}`)}:13 clusters[0].server: is "${server}", not the endpoint of an EKS cluster in us-east-2: expected https://<id>.<zone>.us-east-2.eks.amazonaws.com (aws eks describe-cluster, cluster.endpoint), so that Argo CD can reach nothing else with the cluster's token`;

  test('an endpoint in the China partition (amazonaws.com.cn) is accepted in a China region', () => {
    const server = 'https://4B1D7A3E9C2F6A8B0D5E7C1F3A9B2D4E.yl4.cn-north-1.eks.amazonaws.com.cn';
    expect(parseFleet(withServer(server, 'cn-north-1')).clusters[0]).toMatchObject({ server, region: 'cn-north-1' });
  });

  test.each([
    ['a label before the id', 'https://x.4B1D7A3E9C2F6A8B0D5E7C1F3A9B2D4E.gr7.us-east-2.eks.amazonaws.com'],
    ['no id', 'https://gr7.us-east-2.eks.amazonaws.com'],
    ['no top-level domain after the partition\'s name', 'https://4B1D7A3E9C2F6A8B0D5E7C1F3A9B2D4E.gr7.us-east-2.eks.amazonaws'],
    ['a character, not a dot, between region and eks', 'https://4B1D7A3E9C2F6A8B0D5E7C1F3A9B2D4E.gr7.us-east-2Xeks.amazonaws.com'],
    ['an endpoint of another region and partition (cn-north-1)', 'https://4B1D7A3E9C2F6A8B0D5E7C1F3A9B2D4E.yl4.cn-north-1.eks.amazonaws.com.cn'],
  ])('%s is refused, at server', (_, server) => {
    const text = withServer(server);
    expect(locatedProblemsOf(text)).toEqual([refusal(text, server)]);
  });

  test('a region that is not AWS\'s is refused at region, and the server is not checked against it', () => {
    const text = withServer(legacyServer, 'us-east-9');
    expect(locatedProblemsOf(text)).toEqual([expect.stringMatching(/^\d+:13 clusters\[0\]\.region: "us-east-9" is not an AWS region in data\/aws-regions\.json\. Did you mean us-east-1\?/)]);
  });
});

describe('argocd.cluster', () => {
  test('a cluster that is not in clusters is refused, listing those that are', () => {
    const text = demoFleetText.replace('  cluster: ipv6-east\n', '  cluster: ipv6-west\n');
    expect(locatedProblemsOf(text)).toEqual([`${lineOf(text, 'cluster: ipv6-west')}:12 argocd.cluster: cluster "ipv6-west" is not in clusters: expected one of legacy-ipv4, ipv6-east`]);
  });
});

describe('an app\'s clusters', () => {
  test('a cluster listed twice is refused as listed twice, not as an Application another app already makes', () => {
    const text = demoFleetText.replace('    replicas: 5\n  - name: app1', '    replicas: 5\n    clusters: [{ name: ipv6-east, weight: 1 }, { name: ipv6-east, weight: 2 }]\n  - name: app1');
    expect(locatedProblemsOf(text)).toEqual([`${lineOf(text, 'clusters: [{ name: ipv6-east')}:48 apps[0].clusters[1]: cluster "ipv6-east" is already used by apps[0].clusters[0]: names must be unique`]);
  });
});

describe('node groups', () => {
  test('minSize equal to maxSize is accepted; one above it is refused at minSize', () => {
    const sized = (min: number) => demoFleetText.replace('        minSize: 3\n        maxSize: 30\n', `        minSize: ${min}\n        maxSize: 30\n`);
    expect(parseFleet(sized(30)).clusters[0].nodeGroups[0]).toMatchObject({ minSize: 30, maxSize: 30 });
    expect(locatedProblemsOf(sized(31))).toEqual([`${lineOf(sized(31), 'minSize: 31')}:18 clusters[0].nodeGroups[0].minSize: is 31, above maxSize 30: expected minSize <= maxSize`]);
  });
});

describe('apps with nowhere to go', () => {
  test('without an IPv6 cluster that takes apps by default, each app without clusters is refused at itself', () => {
    const text = demoFleetText.replace('    provisioning: create\n', '    provisioning: create\n    defaultApps: false\n');
    const message = 'has no clusters and the fleet has no IPv6 cluster that takes apps by default (defaultApps) to place it on: add clusters: [<name>]';
    expect(locatedProblemsOf(text)).toEqual(['app0', 'app1', 'app2', 'podinfo'].map((app, index) => `${lineOf(text, `- name: ${app}`)}:5 apps[${index}]: ${message}`));
    // Placed by name instead, they are accepted.
    expect(() => parseFleet(text.replace(/(\n {4}replicas: [45]\n)/g, '$1    clusters: [ipv6-east]\n'))).not.toThrow();
  });
});

describe('registration with Argo CD', () => {
  test('a cluster Argo CD does not register (register: false) needs no caData', () => {
    const text = demoFleetText.replace(/ {4}caData: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJmekNDQVNX\S*\n/, '    register: false\n');
    expect(parseFleet(text).clusters[0]).toMatchObject({ name: 'legacy-ipv4', register: false, caData: undefined });
  });
});

// checkProvisioning, checkCreatedVpc, checkPublicSubnets and checkCapacitySettings: the fields of clusters the project creates,
// and the IPv4 blocks of dual-stack and public subnets. two-ipv6's ipv6-west is an IPv6 cluster that exists, with both.
const twoIpv6 = fixtureText('two-ipv6');
const westPublic = 'publicSubnets: [10.232.0.0/24, 10.232.1.0/24, 10.232.2.0/24]';
/** legacy-ipv4 as a cluster the project creates, not created yet: a VPC, its private blocks, no server, VPC id or CA. */
const createdIpv4 = demoFleetText.replace(/( {2}- name: legacy-ipv4\n {4}ipFamily: ipv4\n)/, '$1    provisioning: create\n    vpc:\n      cidr: 10.230.0.0/16\n')
  .replace(/( {2}- name: legacy-ipv4\n[\s\S]*?) {4}server: .*\n/, '$1').replace(/( {2}- name: legacy-ipv4\n[\s\S]*?) {4}vpcId: .*\n/, '$1')
  .replace(/( {2}- name: legacy-ipv4\n[\s\S]*?) {4}caData: \S+\n/, '$1');
const located = (text: string, line: string, column: number, rest: string) => `${lineOf(text, line)}:${column} ${rest}`;

describe('the cluster Argo CD runs on is the one argocd.cluster names', () => {
  test('IRSA is refused on the named cluster, and accepted on another IPv6 cluster listed before it', () => {
    const onWest = twoIpv6.replace('  cluster: ipv6-east\n', '  cluster: ipv6-west\n');
    expect(() => parseFleet(onWest.replace(/( {2}- name: ipv6-east\n)/, '$1    identity: irsa\n'))).not.toThrow();
    const irsaWest = onWest.replace(/( {2}- name: ipv6-west\n)/, '$1    identity: irsa\n');
    expect(locatedProblemsOf(irsaWest)).toEqual([located(irsaWest, 'identity: irsa', 15, 'clusters[2].identity: is irsa on the cluster Argo CD runs on, whose own pods get their AWS identity from EKS Pod Identity: expected podIdentity here')]);
  });

  test('an add-on turned off has no IRSA role, so its role name is not checked', () => {
    const name = 'legacy-ipv4-in-the-old-datacentre-vpc';
    const text = demoFleetText.replace(/legacy-ipv4/g, name).replace('    ipFamily: ipv4\n', '    ipFamily: ipv4\n    identity: irsa\n    addons: { awsLoadBalancerController: false }\n');
    expect(parseFleet(text).clusters[0]).toMatchObject({ name, identity: 'irsa' });
  });
});

describe('endpoints of clusters: CIDRs that are no block', () => {
  test('endpointAccess.publicCidrs without endpointAccess.public says public is absent', () => {
    const text = demoFleetText.replace('    ipFamily: ipv4\n', '    ipFamily: ipv4\n    endpointAccess: { publicCidrs: [198.51.100.0/24] }\n');
    expect(locatedProblemsOf(text)).toEqual([located(text, 'endpointAccess:', 36, 'clusters[0].endpointAccess.publicCidrs: is set, but endpointAccess.public is absent: CIDRs admit callers to a public endpoint only; write what aws eks describe-cluster says (npm run import-clusters does)')]);
  });

  test('a block with host bits set is refused in endpointAccess.publicCidrs and in endpointPublicAccessCidrs, at the block', () => {
    const access = demoFleetText.replace('    ipFamily: ipv4\n', '    ipFamily: ipv4\n    endpointAccess: { public: true, publicCidrs: [198.51.100.1/24] }\n');
    expect(locatedProblemsOf(access)).toEqual([located(access, 'endpointAccess:', 51, 'clusters[0].endpointAccess.publicCidrs[0]: "198.51.100.1/24" has host bits set: did you mean 198.51.100.0/24?')]);
    const created = demoFleetText.replace('      - 203.0.113.0/24\n', '      - 203.0.113.1/24\n');
    expect(locatedProblemsOf(created)).toEqual([located(created, '- 203.0.113.1/24', 9, 'clusters[1].endpointPublicAccessCidrs[0]: "203.0.113.1/24" has host bits set: did you mean 203.0.113.0/24?')]);
  });

  test('IPv4 blocks are accepted on the endpoint of an IPv4 cluster the project creates', () => {
    const text = createdIpv4.replace('    provisioning: create\n', '    provisioning: create\n    endpointPublicAccessCidrs: [198.51.100.0/24]\n');
    expect(parseFleet(text).pendingClusters[0]).toMatchObject({ name: 'legacy-ipv4', endpointPublicAccessCidrs: ['198.51.100.0/24'] });
  });
});

describe('the VPC of a cluster the project creates', () => {
  test('vpc.cidr with host bits set, or wider than /16, is refused at vpc.cidr; a /19 is accepted', () => {
    const withVpc = (cidr: string) => demoFleetText.replace('      cidr: 10.231.0.0/16', `      cidr: ${cidr}`).replace(/ {4}ipv4Subnets:\n( {6}- .*\n)+/, '');
    expect(locatedProblemsOf(withVpc('10.231.0.1/16'))).toEqual([located(withVpc('10.231.0.1/16'), 'cidr: 10.231.0.1/16', 13, 'clusters[1].vpc.cidr: "10.231.0.1/16" has host bits set: did you mean 10.231.0.0/16?')]);
    expect(locatedProblemsOf(withVpc('10.230.0.0/15'))).toEqual([located(withVpc('10.230.0.0/15'), 'cidr: 10.230.0.0/15', 13, 'clusters[1].vpc.cidr: is "10.230.0.0/15": expected an IPv4 block from /16 (AWS\'s widest VPC) to /19 (public subnets of at least /27, as ALBs need)')]);
    expect(parseFleet(withVpc('10.231.0.0/19')).clusters[1].vpc!.cidr).toBe('10.231.0.0/19');
  });

  test('an IPv4 cluster\'s private blocks are checked in subnets, where it lists them', () => {
    const text = createdIpv4.replace('      - 10.230.24.0/22\n', '      - 10.232.24.0/22\n');
    expect(locatedProblemsOf(text)).toEqual([located(text, '- 10.232.24.0/22', 9, 'clusters[0].subnets[2]: "10.232.24.0/22" is not inside the VPC\'s block 10.230.0.0/16 (vpc.cidr)')]);
  });

  test('a private block over the public or database subnets names the first sixteenth of the VPC they take', () => {
    const text = demoFleetText.replace('      - 10.231.16.0/22', '      - 10.231.0.0/22');
    expect(locatedProblemsOf(text)).toEqual([located(text, '- 10.231.0.0/22', 9, 'clusters[1].ipv4Subnets[0]: "10.231.0.0/22" overlaps 10.231.0.0/24, which the VPC\'s public or database subnets take (the first /20 of 10.231.0.0/16): choose blocks after it')]);
  });

  test('an IPv6 block, or one with host bits set, among a created VPC\'s ipv4Subnets is refused once, for what it is', () => {
    const ipv6 = demoFleetText.replace('      - 10.231.24.0/22\n', '      - 2600:1f16:5de:8c00::/64\n');
    expect(locatedProblemsOf(ipv6)).toEqual([located(ipv6, '- 2600:1f16:5de:8c00::/64', 9, 'clusters[1].ipv4Subnets[2]: "2600:1f16:5de:8c00::/64" is an IPv6 block: expected the IPv4 block of a dual-stack subnet, such as 10.230.32.0/22')]);
    const hostBits = demoFleetText.replace('      - 10.231.24.0/22\n', '      - 10.231.24.1/22\n');
    expect(locatedProblemsOf(hostBits)).toEqual([located(hostBits, '- 10.231.24.1/22', 9, 'clusters[1].ipv4Subnets[2]: "10.231.24.1/22" has host bits set: did you mean 10.231.24.0/22?')]);
  });
});

describe('public subnets and dual-stack IPv4 blocks of a cluster that exists', () => {
  test('a public subnet over an IPv6 cluster\'s private IPv4 block names that block in ipv4Subnets', () => {
    const text = twoIpv6.replace(westPublic, 'publicSubnets: [10.232.20.0/24, 10.232.1.0/24, 10.232.2.0/24]');
    expect(locatedProblemsOf(text)).toEqual([located(text, 'publicSubnets: [10.232.20.0/24', 21, 'clusters[2].publicSubnets[0]: "10.232.20.0/24" overlaps clusters[2].ipv4Subnets[1] (10.232.20.0/22), a private subnet of the nodes: expected the public subnets tagged kubernetes.io/role/elb, where the ALBs go')]);
  });

  test('a public subnet with host bits set is refused once, and the valid ones after it are compared with it no more', () => {
    const text = twoIpv6.replace(westPublic, 'publicSubnets: [10.232.0.1/24, 10.232.0.0/24, 10.232.2.0/24]');
    expect(locatedProblemsOf(text)).toEqual([located(text, 'publicSubnets: [10.232.0.1/24', 21, 'clusters[2].publicSubnets[0]: "10.232.0.1/24" has host bits set: did you mean 10.232.0.0/24?')]);
  });

  test('public subnets from /16 to /27 are accepted; a /15 is refused', () => {
    expect(parseFleet(twoIpv6.replace(westPublic, 'publicSubnets: [10.234.0.0/16]')).clusters[2].publicSubnets).toEqual(['10.234.0.0/16']);
    expect(parseFleet(twoIpv6.replace(westPublic, 'publicSubnets: [10.232.0.0/27, 10.232.1.0/27]')).clusters[2].publicSubnets).toEqual(['10.232.0.0/27', '10.232.1.0/27']);
    const wide = twoIpv6.replace(westPublic, 'publicSubnets: [10.234.0.0/15]');
    expect(locatedProblemsOf(wide)).toEqual([located(wide, 'publicSubnets: [10.234.0.0/15]', 21, 'clusters[2].publicSubnets[0]: "10.234.0.0/15" is a /15: an ALB\'s subnet is between /16 and /27')]);
  });

  test.each([
    ['10.232.24.1/22', 'has host bits set: did you mean 10.232.24.0/22?'],
    ['10.234.0.0/15', 'is a /15: an AWS subnet is between /16 and /28'],
    ['10.232.24.0/29', 'is a /29: an AWS subnet is between /16 and /28'],
  ])('an IPv6 cluster\'s ipv4Subnets block %s is refused: %s', (block, message) => {
    const text = twoIpv6.replace('      - 10.232.24.0/22\n', `      - ${block}\n`);
    expect(locatedProblemsOf(text)).toEqual([located(text, `- ${block}`, 9, `clusters[2].ipv4Subnets[2]: "${block}" ${message}`)]);
  });

  test('ipv4Subnets blocks of exactly /16 and /28 are accepted', () => {
    const text = twoIpv6.replace('      - 10.232.24.0/22\n', '      - 10.233.0.0/16\n').replace('      - 10.232.20.0/22\n', '      - 10.232.20.0/28\n');
    expect(parseFleet(text).clusters[2].ipv4Subnets).toEqual(['10.232.16.0/22', '10.232.20.0/28', '10.233.0.0/16']);
  });
});

describe('load balancer quotas belong to an account and a region', () => {
  test('clusters in other regions, or other accounts, may declare other quotas', () => {
    const otherRegion = twoIpv6.replace(/( {2}- name: ipv6-west\n)/, '$1    loadBalancerQuotas: { targetsPerLoadBalancer: 2000 }\n');
    expect(parseFleet(otherRegion).clusters[2]).toMatchObject({ region: 'us-west-2', loadBalancerQuotas: { targetsPerLoadBalancer: 2000 } });
    const otherAccount = demoFleetText.replace(/( {2}- name: legacy-ipv4\n)/, '$1    loadBalancerQuotas: { targetsPerLoadBalancer: 2000 }\n')
      .replace('    accountId: "111122223333"\n    vpcId: vpc-0a1b2c3d4e5f60718', '    accountId: "444455556666"\n    vpcId: vpc-0a1b2c3d4e5f60718');
    expect(parseFleet(otherAccount).clusters[0]).toMatchObject({ accountId: '444455556666', loadBalancerQuotas: { targetsPerLoadBalancer: 2000 } });
  });
});

describe('subnets shared between clusters, and within one', () => {
  test('an IPv6 /64 of another cluster in another VPC is refused: IPv6 blocks are unique across VPCs', () => {
    const text = twoIpv6.replace('      - 2600:1f14:7e1:a203::/64\n', '      - 2600:1f16:5de:8b03::/64\n');
    expect(locatedProblemsOf(text)).toEqual([expect.stringMatching(/^\d+:9 clusters\[2\]\.subnets\[0\]: "2600:1f16:5de:8b03::\/64" is also clusters\[1\]\.subnets\[0\], a subnet of cluster ipv6-east: two clusters in one subnet share its addresses/)]);
  });

  test('a cluster not created yet (no VPC id) may not list overlapping blocks of its own', () => {
    const text = createdIpv4.replace('      - 10.230.20.0/22\n', '      - 10.230.16.0/23\n');
    expect(locatedProblemsOf(text)).toEqual([located(text, '- 10.230.16.0/23', 9, 'clusters[0].subnets[1]: "10.230.16.0/23" overlaps clusters[0].subnets[0] (10.230.16.0/22): a subnet\'s addresses are there once, so list each subnet once')]);
  });

  test('two clusters not created yet may take the same IPv4 blocks: each gets a VPC of its own', () => {
    const east = /( {2}- name: ipv6-east\n[\s\S]*?)(?= {4}nodeGroups:)/;
    const text = createdIpv4.replace(east, (block) => block.replace(/ {4}(server|vpcId|caData): .*\n/g, '').replace(/ {4}subnets:\n( {6}- 2600.*\n)+/, '')
      .replace('      cidr: 10.231.0.0/16', '      cidr: 10.230.0.0/16').replace(/10\.231\./g, '10.230.'))
      .replace(/( {2}- name: ipv6-east\n[\s\S]*?) {4}caData: \S+\n/, '$1');
    const fleet = parseFleet(text);
    expect(fleet.pendingClusters.map((cluster) => [cluster.name, cluster.vpc!.privateIpv4Subnets])).toEqual([
      ['legacy-ipv4', ['10.230.16.0/22', '10.230.20.0/22', '10.230.24.0/22']],
      ['ipv6-east', ['10.230.16.0/22', '10.230.20.0/22', '10.230.24.0/22']],
    ]);
  });
});

describe('names given twice, and what is not refused twice for it', () => {
  test('two clusters of one name are refused at the second, by its field', () => {
    const text = demoFleetText.replace('  - name: ipv6-east\n', '  - name: legacy-ipv4\n');
    expect(locatedProblemsOf(text)).toEqual(expect.arrayContaining([expect.stringMatching(/ clusters\[1\]\.name: cluster name "legacy-ipv4" is already used by clusters\[0\]\.name: names must be unique$/)]));
  });

  test('two node groups of one name on a cluster are refused at the second', () => {
    const group = '      - name: default\n        instanceType: m5.large\n        minSize: 3\n        maxSize: 30\n';
    const text = demoFleetText.replace(group, `${group}${group}`);
    expect(locatedProblemsOf(text)).toEqual([expect.stringMatching(/ clusters\[0\]\.nodeGroups\[1\]\.name: node group name "default" is already used by clusters\[0\]\.nodeGroups\[0\]\.name: names must be unique$/)]);
  });

  test('an app named twice is refused as such at the second; the first is still held to its Application\'s name', () => {
    // Both named after an add-on: the first's Application would take the add-on's over, the second is a name used twice.
    const text = demoFleetText.replace('  - name: app0\n', '  - name: cluster-autoscaler\n').replace('  - name: app1\n', '  - name: cluster-autoscaler\n');
    const problems = locatedProblemsOf(text).map((problem) => problem.slice(problem.indexOf(' ') + 1));
    expect(problems).toEqual([
      'apps[0].name: "cluster-autoscaler" on ipv6-east makes the Application cluster-autoscaler-ipv6-east, which is already the Application of add-on cluster-autoscaler on ipv6-east: the two would take over each other\'s Application; choose another name',
      'apps[1].name: app name "cluster-autoscaler" is already used by apps[0].name: names must be unique',
    ]);
  });
});

describe('subnets of the other family take no part in the overlap checks', () => {
  test('an IPv4 block on the IPv6 cluster that is also legacy-ipv4\'s is refused for its family only', () => {
    const text = demoFleetText.replace(eastSubnet, '      - 10.230.16.0/22\n');
    expect(locatedProblemsOf(text)).toEqual([atEastSubnet(text, '"10.230.16.0/22" is an IPv4 block, but the cluster\'s ipFamily is ipv6: expected an IPv6 /64')]);
  });
});

describe('weights', () => {
  test('an app on several clusters with one weighted and one not is told to weigh each', () => {
    const text = demoFleetText.replace('    replicas: 5\n  - name: app1\n', '    replicas: 5\n    clusters: [{ name: ipv6-east, weight: 1 }, legacy-ipv4]\n  - name: app1\n');
    expect(locatedProblemsOf(text)).toEqual([expect.stringMatching(/ apps\[0\]\.clusters: names several clusters: give each a weight/)]);
  });
});

describe('a subnet of the other family beside the cluster\'s own dual-stack blocks', () => {
  test('is refused for its family, and not also as an overlap of the cluster\'s ipv4Subnets', () => {
    const text = demoFleetText.replace(eastSubnet, '      - 10.231.16.0/22\n');
    expect(locatedProblemsOf(text)).toEqual([atEastSubnet(text, '"10.231.16.0/22" is an IPv4 block, but the cluster\'s ipFamily is ipv6: expected an IPv6 /64')]);
  });
});
