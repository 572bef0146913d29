/**
 * VPCs of one account and region whose IPv4 blocks overlap: valid one by one, but VPC peering and
 * transit gateways route between VPCs only when their blocks do not overlap, so two such VPCs can
 * never be connected over IPv4. The project creates a cluster's VPC from `vpc.cidr`; a cluster
 * that exists shows its VPC's blocks through its subnets.
 */
import { PathSegment } from '../output/field-path';
import { Cidr, ipv4Subnet, overlaps, parseCidr } from './cidr';
import { allClusters, ClusterSpec, Fleet, isCluster } from './fleet';

/** An IPv4 block of a VPC, and where fleet.yaml says it. */
export interface VpcBlock {
  readonly cluster: string;
  readonly path: readonly PathSegment[];
  readonly cidr: string;
  /** `vpc.cidr` of a VPC the project creates, rather than a subnet of a cluster that exists. */
  readonly created: boolean;
}

/** A VPC the project creates whose block overlaps another VPC's of the same account and region. */
export interface VpcOverlap {
  readonly accountId: string;
  readonly region: string;
  /** The created VPC's block: the later of two created ones in fleet.yaml, or the one beside a cluster that exists. */
  readonly block: VpcBlock;
  /** Whether that cluster is still pending, so its VPC can change without replacing anything. */
  readonly pending: boolean;
  readonly overlapped: VpcBlock;
  /** A block of the same size that no VPC of the account and region overlaps; absent when none is free. */
  readonly free?: string;
}

function ipv4(text: string): Cidr | undefined {
  const parsed = parseCidr(text);
  return typeof parsed === 'object' && parsed.family === 'ipv4' ? parsed : undefined;
}

/** The IPv4 blocks a cluster's VPC is known by: a created one's vpc.cidr, else the subnets fleet.yaml lists. */
function vpcBlocks(cluster: ClusterSpec): VpcBlock[] {
  const at = (...rest: PathSegment[]) => ['clusters', cluster.index, ...rest];
  if (cluster.vpc) return [{ cluster: cluster.name, path: at('vpc', 'cidr'), cidr: cluster.vpc.cidr, created: true }];
  const listed: Array<[string, readonly string[] | undefined]> = [
    ['subnets', cluster.ipFamily === 'ipv4' && isCluster(cluster) ? cluster.subnets : undefined],
    ['ipv4Subnets', cluster.ipFamily === 'ipv6' ? cluster.ipv4Subnets : undefined],
    ['publicSubnets', cluster.publicSubnets],
  ];
  return listed.flatMap(([field, blocks]) => (blocks ?? []).map((cidr, index) => ({ cluster: cluster.name, path: at(field, index), cidr, created: false })));
}

/** The RFC 1918 range a block lies in, where a free block of its size is looked for. */
const privateRanges = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

function freeBlock(size: Cidr, taken: readonly Cidr[]): string | undefined {
  const range = privateRanges.find((text) => ipv4(text)!.prefixLength <= size.prefixLength && overlaps(ipv4(text)!, size));
  if (!range) return undefined;
  const newBits = size.prefixLength - ipv4(range)!.prefixLength;
  for (let index = 0; index < 2 ** newBits; index++) {
    const candidate = ipv4Subnet(range, newBits, index);
    if (!taken.some((block) => overlaps(block, ipv4(candidate)!))) return candidate;
  }
  return undefined;
}

/** Every VPC the project creates whose block overlaps another VPC's in its account and region, the first overlap of each. */
export function overlappingVpcs(fleet: Fleet): VpcOverlap[] {
  const byRegion = new Map<string, ClusterSpec[]>();
  for (const cluster of allClusters(fleet)) {
    const key = `${cluster.accountId}/${cluster.region}`;
    byRegion.set(key, [...byRegion.get(key) ?? [], cluster]);
  }
  const found: VpcOverlap[] = [];
  for (const clusters of byRegion.values()) {
    const blocks = clusters.flatMap(vpcBlocks).filter((block) => ipv4(block.cidr));
    const taken = blocks.map((block) => ipv4(block.cidr)!);
    blocks.forEach((block, index) => {
      if (!block.created) return;
      // An earlier created VPC, or any subnet of a cluster that exists: the created one is the one still to choose.
      const overlapped = blocks.find((other, otherIndex) => other.cluster !== block.cluster
        && (other.created ? otherIndex < index : true) && overlaps(ipv4(other.cidr)!, ipv4(block.cidr)!));
      if (!overlapped) return;
      const cluster = clusters.find((candidate) => candidate.name === block.cluster)!;
      const free = freeBlock(ipv4(block.cidr)!, taken);
      found.push({ accountId: cluster.accountId, region: cluster.region, block, pending: !isCluster(cluster), overlapped, ...(free ? { free } : {}) });
    });
  }
  return found.sort((a, b) => (a.block.path[1] as number) - (b.block.path[1] as number));
}
