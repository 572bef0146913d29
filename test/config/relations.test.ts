// The rules of config/rules.ts's checkRelations at their edges, each on the demo fleet with one
// field edited: the sizes AWS gives a subnet, the family of a cluster's subnets, node group sizes,
// apps with nowhere to go, a cluster Argo CD does not register.
import { parseFleet } from '../../config/load';
import { demoFleetText, lineOf, locatedProblemsOf } from '../support/fixtures';

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
    expect(locatedProblemsOf(text)).toEqual(['app0', 'app1', 'app2'].map((app, index) => `${lineOf(text, `- name: ${app}`)}:5 apps[${index}]: ${message}`));
    // Placed by name instead, they are accepted.
    expect(() => parseFleet(text.replace(/(\n {4}replicas: 5)/g, '$1\n    clusters: [ipv6-east]'))).not.toThrow();
  });
});

describe('registration with Argo CD', () => {
  test('a cluster Argo CD does not register (register: false) needs no caData', () => {
    const text = demoFleetText.replace(/ {4}caData: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJmekNDQVNX\S*\n/, '    register: false\n');
    expect(parseFleet(text).clusters[0]).toMatchObject({ name: 'legacy-ipv4', register: false, caData: undefined });
  });
});
