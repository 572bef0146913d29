/**
 * What synth and `npm run plan` tell the person editing fleet.yaml beyond the capacity plan, and
 * never refuse: a cluster paying for EKS extended support, and one Argo CD cannot reach.
 */
import { extendedSupportWarning } from './eks-versions';
import { allClusters, ClusterSpec, Fleet, isCluster } from './fleet';

/**
 * Whether Argo CD's pods may reach the cluster's API server, as far as fleet.yaml can tell: its
 * own cluster always (from inside the VPC); another through its public endpoint, or privately
 * when both are in one VPC or fleet.yaml says the networks are routed. A created cluster's
 * endpoint is public when endpointPublicAccessCidrs lists CIDRs; an existing one's as
 * import-clusters read it (endpointAccess; not read: taken as reachable). Whether a public
 * endpoint's CIDRs admit Argo CD's egress addresses cannot be told from here (they are the NAT
 * gateways' and the VPC's, which fleet.yaml does not hold), so only a private-only endpoint is
 * found unreachable.
 */
function argocdReaches(home: ClusterSpec, cluster: ClusterSpec): boolean {
  if (cluster.name === home.name || cluster.argocdReachesPrivateEndpoint) return true;
  const publicEndpoint = cluster.provisioning === 'create' ? cluster.endpointPublicAccessCidrs !== undefined : cluster.endpointAccess?.public ?? true;
  if (publicEndpoint) return true;
  return isCluster(cluster) && isCluster(home) && cluster.vpcId === home.vpcId;
}

/**
 * What lets Argo CD through a public endpoint: its NAT gateways' IPv4 addresses, and where the
 * endpoint is dual-stack (an IPv6 cluster created after October 2024; EKS user guide, "Cluster
 * API server endpoint") and Argo CD's own cluster is IPv6, its VPC's IPv6 /56 too, which Argo CD's
 * IPv6 pods call from (through the egress-only internet gateway, unchanged).
 */
function publicFix(home: ClusterSpec, cluster: ClusterSpec): string {
  const egress = cluster.ipFamily === 'ipv6' && home.ipFamily === 'ipv6'
    ? 'Argo CD\'s egress addresses (its NAT gateways\' public IPv4 addresses, and its VPC\'s IPv6 /56: the endpoint of an IPv6 cluster is dual-stack, and Argo CD\'s IPv6 pods call it over IPv6)'
    : 'Argo CD\'s egress addresses (its NAT gateways\' public IPv4 addresses: the endpoint of an IPv4 cluster is IPv4 only)';
  return cluster.provisioning === 'create'
    ? `add ${egress} to endpointPublicAccessCidrs`
    : `open its public endpoint to ${egress} (aws eks update-cluster-config --resources-vpc-config endpointPublicAccess=true,publicAccessCidrs=...), then npm run import-clusters of its describe-cluster`;
}

/** The warnings for a fleet on `today` (YYYY-MM-DD). */
export function fleetWarnings(fleet: Fleet, today: string): string[] {
  const clusters = allClusters(fleet);
  const home = clusters.find((cluster) => cluster.name === fleet.argocd.cluster)!;
  const warnings: string[] = [];
  for (const cluster of clusters) {
    const version = extendedSupportWarning(cluster, today);
    if (version) warnings.push(version);
    if (cluster.register && !argocdReaches(home, cluster)) {
      const why = cluster.provisioning === 'create' ? 'no endpointPublicAccessCidrs' : 'endpointAccess.public: false, as import-clusters read it';
      warnings.push(`${cluster.name}: Argo CD (on ${home.name}) cannot reach the API server: the cluster's endpoint is private (${why}) and in another VPC than ${home.name}'s, `
        + `so every sync to it fails. Fix: ${publicFix(home, cluster)}, or route the VPCs together (peering, transit gateway) and set argocdReachesPrivateEndpoint: true.`);
    }
  }
  return warnings;
}
