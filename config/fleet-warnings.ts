/**
 * What synth and `npm run plan` tell the person editing fleet.yaml beyond the capacity plan, and
 * never refuse: a cluster paying for EKS extended support, and one Argo CD cannot reach.
 */
import { extendedSupportWarning } from './eks-versions';
import { allClusters, ClusterSpec, Fleet, isCluster } from './fleet';

/**
 * Whether Argo CD's pods can reach the cluster's API server: its own cluster always (from inside
 * the VPC), any other through a public endpoint (fleet.yaml's CIDRs must admit Argo CD's egress
 * addresses), or privately when both are in one VPC or fleet.yaml says the networks are routed.
 */
function argocdReaches(home: ClusterSpec, cluster: ClusterSpec): boolean {
  if (cluster.name === home.name || cluster.provisioning !== 'create' || cluster.endpointPublicAccessCidrs || cluster.argocdReachesPrivateEndpoint) return true;
  return isCluster(cluster) && isCluster(home) && cluster.vpcId === home.vpcId;
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
      warnings.push(`${cluster.name}: Argo CD (on ${home.name}) cannot reach the API server: the cluster's endpoint is private (no endpointPublicAccessCidrs) and in another VPC than ${home.name}'s, `
        + `so every sync to it fails. Fix: add Argo CD's egress addresses (its NAT gateways' public IPs) to endpointPublicAccessCidrs, or route the VPCs together (peering, transit gateway) and set argocdReachesPrivateEndpoint: true.`);
    }
  }
  return warnings;
}
