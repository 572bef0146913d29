import { readFileSync } from 'fs';
import { join } from 'path';
import { eksVersions, eksVersionStatus, extendedSupportWarning, fleetToday } from '../../config/eks-versions';
import { fleetWarnings } from '../../config/fleet-warnings';
import { calendarRows, eksVersionDataText } from '../../scripts/refresh-eks-versions';
import { demoFleet, fixtureFleet, projectRoot } from '../support/fixtures';

describe('the EKS version calendar', () => {
  test('a version\'s support on a day: standard, then extended from the end-of-standard-support day, then ended', () => {
    // GIVEN 1.34, which left standard support on 2026-12-02 (EKS User Guide's calendar)
    expect(eksVersionStatus('1.34', '2026-12-01')).toEqual({ support: 'standard', until: '2026-12-02' });
    expect(eksVersionStatus('1.34', '2026-12-02')).toEqual({ support: 'extended', since: '2026-12-02', until: '2027-12-02' });
    expect(eksVersionStatus('1.34', '2027-12-02')).toEqual({ support: 'ended', since: '2027-12-02' });
    expect(eksVersionStatus('1.99', '2026-12-07')).toEqual({ support: 'unknown' });
  });

  test('today is FLEET_TODAY when set (the tests set 2026-12-07), and a bad one is refused', () => {
    expect(fleetToday({ FLEET_TODAY: '2027-01-15' })).toBe('2027-01-15');
    expect(fleetToday({})).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(() => fleetToday({ FLEET_TODAY: 'tomorrow' })).toThrow('expected a date such as 2026-12-07');
  });

  test('synth and plan warn of a cluster in extended support, with its cost, its end and the versions to go to', () => {
    // GIVEN the demo with ipv6-east on 1.34, on 2026-12-07
    const fleet = demoFleet((text) => text.replace(/(- name: ipv6-east\n {4}ipFamily: ipv6\n {4}kubernetesVersion: )"1\.35"/, '$1"1.34"'));
    expect(fleetWarnings(fleet, '2026-12-07')).toEqual([
      'ipv6-east: Kubernetes 1.34 is in EKS extended support since 2026-12-02, which bills the control plane about six times the standard price, and ends on 2027-12-02 '
        + '(EKS then upgrades the cluster itself). Fix: upgrade the cluster one minor version at a time to one in standard support (1.35, 1.36), then set kubernetesVersion.',
    ]);
    // The day before, nothing to say.
    expect(fleetWarnings(fleet, '2026-12-01')).toEqual([]);
    expect(extendedSupportWarning({ name: 'x', kubernetesVersion: '1.35' }, '2026-12-07')).toBeUndefined();
  });

  test('the demo fleet is on a version in standard support', () => {
    for (const cluster of demoFleet().clusters) expect([cluster.name, eksVersionStatus(cluster.kubernetesVersion, '2026-12-07').support]).toEqual([cluster.name, 'standard']);
    expect(readFileSync(join(projectRoot, 'fleet.yaml'), 'utf8')).not.toMatch(/kubernetesVersion: "1\.3[0-4]"/);
  });

  test('the refresh script reads the EKS User Guide\'s calendar (asciidoc or markdown), keeps versions the page dropped, and records the source', () => {
    const adoc = '|===\n|Kubernetes version\n|Upstream release\n|Amazon EKS release\n|End of standard support\n|End of extended support\n\n|`1.40`\n|April 1, 2028\n|May 2028\n|July 29, 2029\n|July 29, 2030\n|===\n';
    const markdown = '| Kubernetes version | Upstream release | Amazon EKS release | End of standard support | End of extended support |\n| --- | --- | --- | --- | --- |\n|  `1.40`  |  April 1, 2028  |  May 2028  |  July 29, 2029  |  July 29, 2030  |\n';
    const row = { eksRelease: '2028-05-01', endOfStandardSupport: '2029-07-29', endOfExtendedSupport: '2030-07-29' };
    expect([...calendarRows(adoc)]).toEqual([['1.40', row]]);
    expect([...calendarRows(markdown)]).toEqual([['1.40', row]]);
    const data = JSON.parse(eksVersionDataText(markdown, 'the guide, read 2028-06-01', eksVersions)).versions;
    expect(data['1.40']).toEqual({ ...row, source: 'the guide, read 2028-06-01' });
    expect(data['1.31']).toEqual(eksVersions['1.31']);
    expect(Object.keys(data)[0]).toBe('1.40');
    expect(() => eksVersionDataText('no table here', 'x', eksVersions)).toThrow('no release calendar rows found');
    // Every entry says where its dates come from.
    for (const [version, dates] of Object.entries(eksVersions)) expect([version, dates.source.length > 0]).toEqual([version, true]);
  });
});

describe('who can reach the API servers', () => {
  test('the plan says when Argo CD cannot reach a created cluster whose endpoint is private-only, unless the fleet declares the route', () => {
    // GIVEN ipv6-west (us-west-1, another VPC) without public CIDRs
    const closed = fixtureFleet('accounts', (text) => text.replace('    endpointPublicAccessCidrs:\n      - 198.51.100.0/28\n', ''));
    expect(fleetWarnings(closed, '2026-12-07').filter((warning) => warning.includes('cannot reach'))).toEqual([expect.stringMatching(/^ipv6-west: Argo CD \(on ipv6-hub\) cannot reach the API server: the cluster's endpoint is private/)]);
    // Argo CD's own cluster, a public endpoint, or a declared route: nothing to say.
    expect(fleetWarnings(fixtureFleet('accounts'), '2026-12-07').filter((warning) => warning.includes('cannot reach'))).toEqual([]);
    const routed = fixtureFleet('accounts', (text) => text.replace('    endpointPublicAccessCidrs:\n      - 198.51.100.0/28\n', '    argocdReachesPrivateEndpoint: true\n'));
    expect(fleetWarnings(routed, '2026-12-07').filter((warning) => warning.includes('cannot reach'))).toEqual([]);
    const demoClosed = demoFleet((text) => text.replace('    endpointPublicAccessCidrs:\n      - 203.0.113.0/24\n', ''));
    expect(fleetWarnings(demoClosed, '2026-12-07')).toEqual([]);
  });

  test('the fix for an IPv6 cluster names Argo CD\'s VPC /56 beside its NAT gateways: the endpoint is dual-stack, and Argo CD\'s IPv6 pods call it over IPv6', () => {
    // GIVEN ipv6-west (IPv6, created) private-only, Argo CD on ipv6-hub (IPv6)
    const closed = fixtureFleet('accounts', (text) => text.replace('    endpointPublicAccessCidrs:\n      - 198.51.100.0/28\n', ''));
    // THEN the fix lists both families of Argo CD's egress
    const [warning] = fleetWarnings(closed, '2026-12-07').filter((line) => line.includes('cannot reach'));
    expect(warning).toContain('Fix: add Argo CD\'s egress addresses (its NAT gateways\' public IPv4 addresses, and its VPC\'s IPv6 /56: the endpoint of an IPv6 cluster is dual-stack, and Argo CD\'s IPv6 pods call it over IPv6) to endpointPublicAccessCidrs, or route the VPCs together');
  });

  /** The accounts fleet with partner-ipv4 (a cluster that exists, in another VPC than Argo CD's) given an endpointAccess. */
  const partnerWith = (access: string, extra = '') => fixtureFleet('accounts', (text) => text.replace('  - name: partner-ipv4\n', `  - name: partner-ipv4\n    endpointAccess: ${access}\n${extra}`));
  const unreachable = (fleet: ReturnType<typeof fixtureFleet>) => fleetWarnings(fleet, '2026-12-07').filter((warning) => warning.includes('cannot reach'));

  test('a cluster that exists whose endpoint import-clusters read as private-only, in another VPC, is one Argo CD cannot reach', () => {
    // WHEN partner-ipv4's endpoint is private-only THEN the plan says so, with the fix for a cluster the project does not manage
    expect(unreachable(partnerWith('{ public: false }'))).toEqual([
      'partner-ipv4: Argo CD (on ipv6-hub) cannot reach the API server: the cluster\'s endpoint is private (endpointAccess.public: false, as import-clusters read it) and in another VPC than ipv6-hub\'s, so every sync to it fails. '
        + 'Fix: open its public endpoint to Argo CD\'s egress addresses (its NAT gateways\' public IPv4 addresses: the endpoint of an IPv4 cluster is IPv4 only) (aws eks update-cluster-config --resources-vpc-config endpointPublicAccess=true,publicAccessCidrs=...), then npm run import-clusters of its describe-cluster, '
        + 'or route the VPCs together (peering, transit gateway) and set argocdReachesPrivateEndpoint: true.',
    ]);
    // a declared route, a public endpoint (whatever its CIDRs: Argo CD's egress addresses are not in fleet.yaml), or an endpoint never read: nothing to say
    expect(unreachable(partnerWith('{ public: false }', '    argocdReachesPrivateEndpoint: true\n'))).toEqual([]);
    expect(unreachable(partnerWith('{ public: true, publicCidrs: [203.0.113.0/24] }'))).toEqual([]);
    expect(unreachable(partnerWith('{}'))).toEqual([]);
    expect(unreachable(fixtureFleet('accounts'))).toEqual([]);
    // in Argo CD's own VPC it reaches the private endpoint
    expect(unreachable(fixtureFleet('accounts', (text) => text.replace('  - name: partner-ipv4\n', '  - name: partner-ipv4\n    endpointAccess: { public: false }\n').replace('vpc-0fedcba9876543210', 'vpc-0123456789abcdef0')))).toEqual([]);
  });
});
