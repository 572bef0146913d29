// The edges of the fleet-wide rules of config/rules.ts that the fixtures do not reach: which
// endpoints are one, what must be named once the fleet offers a choice, Argo CD's reserved cluster
// name. The rules are called directly on the few fields they read.
import { PathSegment } from '../../output/field-path';
import { checkEndpoints, checkFleetChoices, checkReservedClusterNames } from '../../config/rules';
import { FleetFile, FleetFileWithDefaults } from '../../config/schema';

interface ClusterFields {
  readonly name: string;
  readonly ipFamily?: 'ipv4' | 'ipv6';
  readonly accountId?: string;
  readonly server?: string;
  readonly defaultApps?: boolean;
}

/** A fleet of these clusters, with only the fields the rules under test read. */
function fleetOf(clusters: readonly ClusterFields[], top: { argocdCluster?: string; domainAccountId?: string } = {}): FleetFileWithDefaults {
  return {
    argocd: { namespace: 'argocd', ...(top.argocdCluster ? { cluster: top.argocdCluster } : {}) },
    domainAccountId: top.domainAccountId,
    clusters: clusters.map((cluster) => ({ ipFamily: 'ipv6', accountId: '111122223333', ...cluster })),
    apps: [],
  } as unknown as FleetFileWithDefaults;
}

/** fleet.yaml as written: only defaultApps, where given. */
function writtenOf(clusters: readonly ClusterFields[]): FleetFile {
  return { clusters: clusters.map((cluster) => (cluster.defaultApps === undefined ? {} : { defaultApps: cluster.defaultApps })) } as unknown as FleetFile;
}

/** The problems a rule reports, as "path: message". */
function reported(rule: (report: (path: PathSegment[], message: string) => void) => void): string[] {
  const problems: string[] = [];
  rule((path, message) => problems.push(`${path.join('.')}: ${message}`));
  return problems;
}

const endpoint = 'https://4B1D7A3E9C2F6A8B0D5E7C1F3A9B2D4E.gr7.us-east-2.eks.amazonaws.com';
const endpointProblems = (servers: readonly (string | undefined)[]) => {
  const fleet = fleetOf(servers.map((server, index) => ({ name: `c${index}`, server })));
  return reported((report) => checkEndpoints(fleet, report));
};

describe('one EKS endpoint is one cluster: which servers are the same endpoint', () => {
  test('a trailing slash, or several, is the same endpoint', () => {
    expect(endpointProblems([endpoint, `${endpoint}//`])).toHaveLength(2);
  });

  test('a path with trailing slashes is the same endpoint as without them', () => {
    expect(endpointProblems([`${endpoint}/k8s`, `${endpoint}/k8s//`])).toHaveLength(2);
    expect(endpointProblems([`${endpoint}/a/b`, `${endpoint}/ab`])).toEqual([]);
  });

  test('another path on the host is another endpoint for Argo CD, which keys clusters by the whole URL', () => {
    expect(endpointProblems([endpoint, `${endpoint}/other`])).toEqual([]);
  });

  test('clusters without a server, or with one that is no URL, share no endpoint', () => {
    expect(endpointProblems([undefined, undefined, 'not a url', 'not a url'])).toEqual([]);
  });

  test('three clusters on one endpoint: each is refused, naming the two others', () => {
    const problems = endpointProblems([endpoint, `${endpoint}/`, endpoint.toLowerCase()]);
    expect(problems.map((problem) => problem.split(' too:')[0])).toEqual([
      'clusters.0.server: is the endpoint of clusters[1].server (cluster c1) and clusters[2].server (cluster c2)',
      'clusters.1.server: is the endpoint of clusters[0].server (cluster c0) and clusters[2].server (cluster c2)',
      'clusters.2.server: is the endpoint of clusters[0].server (cluster c0) and clusters[1].server (cluster c1)',
    ]);
    expect(problems[1]).toMatch(/set each cluster's own \(aws eks describe-cluster --name c1, cluster\.endpoint, or npm run import-clusters\)$/);
  });
});

describe('what is named once the fleet offers a choice', () => {
  const choices = (clusters: readonly ClusterFields[], top: { argocdCluster?: string; domainAccountId?: string } = {}) =>
    reported((report) => checkFleetChoices(fleetOf(clusters, top), writtenOf(clusters), report));

  test('one IPv6 cluster beside IPv4 ones, in one account: nothing to name', () => {
    expect(choices([{ name: 'a', ipFamily: 'ipv4' }, { name: 'b' }, { name: 'c', ipFamily: 'ipv4' }])).toEqual([]);
  });

  test('a fleet of IPv4 clusters only: Argo CD could run on any, so it is named ("clusters", not "IPv6 clusters")', () => {
    expect(choices([{ name: 'a', ipFamily: 'ipv4' }, { name: 'b', ipFamily: 'ipv4' }])).toEqual([
      'clusters: has 2 clusters Argo CD could run on (a and b), and argocd.cluster does not name one: which one must not follow from their order here, or a cluster added above would move Argo CD. Add argocd: { cluster: <name> } naming the cluster it runs on',
    ]);
  });

  test('several IPv6 clusters: the IPv6 ones are the candidates, the first few named and the rest counted', () => {
    const clusters = [{ name: 'v4', ipFamily: 'ipv4' as const }, ...['a', 'b', 'c', 'd', 'e'].map((name) => ({ name }))];
    expect(choices(clusters)[0]).toMatch(/^clusters: has 5 IPv6 clusters Argo CD could run on \(a, b, c and 2 more\), /);
    expect(choices(clusters, { argocdCluster: 'c' })).toEqual([]);
  });

  test('clusters in several accounts: the hosted zone\'s account is named, the accounts counted and named once each', () => {
    const clusters = [{ name: 'a', accountId: '111122223333' }, { name: 'b', accountId: '444455556666', ipFamily: 'ipv4' as const }, { name: 'c', accountId: '111122223333', ipFamily: 'ipv4' as const }];
    expect(choices(clusters)).toEqual([
      'domain: is in a Route 53 hosted zone of one AWS account, and the clusters are in 2 (111122223333 and 444455556666) while domainAccountId does not name it: the zone\'s account must not follow from where Argo CD runs. Add domainAccountId: "<account>" beside domain',
    ]);
    expect(choices(clusters, { domainAccountId: '444455556666' })).toEqual([]);
  });

  test('defaultApps: true is refused on an IPv4 cluster only; false there, and true on an IPv6 cluster, are accepted', () => {
    expect(choices([{ name: 'a', ipFamily: 'ipv4', defaultApps: true }, { name: 'b', defaultApps: true }])).toEqual([
      'clusters.0.defaultApps: is true on an IPv4 cluster: apps without clusters run on IPv6 clusters only; list this cluster in their clusters instead, and remove defaultApps',
    ]);
    expect(choices([{ name: 'a', ipFamily: 'ipv4', defaultApps: false }, { name: 'b' }])).toEqual([]);
  });
});

describe('Argo CD\'s own name for its cluster', () => {
  test('only the exact name in-cluster is refused, at the cluster that takes it', () => {
    const fleet = fleetOf([{ name: 'in-cluster-2' }, { name: 'in-cluster' }, { name: 'cluster-in' }]);
    expect(reported((report) => checkReservedClusterNames(fleet, report))).toEqual([
      'clusters.1.name: is "in-cluster", the name Argo CD gives the cluster it runs on (https://kubernetes.default.svc): Argo CD would hold two clusters of that name, and a destination by name could reach either; choose another name',
    ]);
  });
});
