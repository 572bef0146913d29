/**
 * The subnets of a VPC the project creates (provisioning: create), as the vpc module
 * (terraform-aws-modules/vpc 6.6.0) takes them: three availability zones (two where fleet.yaml's
 * vpc.availabilityZones says the region offers the account only two), each with a public
 * subnet (the ALBs and NAT gateways), a private one (nodes and pods) and a database one, all
 * dual-stack. IPv6: the module cuts /64s out of the Amazon-provided /56 by index
 * (cidrsubnet(ipv6_cidr_block, 8, prefix), its main.tf); IPv4: the blocks computed here, so that
 * synth, the capacity plan and Terraform all see the same addresses.
 */
import { ipv4Subnet } from './cidr';

/**
 * Availability zones a created VPC spans by default: the first three the region offers the
 * account. Some regions offer an account two (us-west-1 does to new accounts); which, AWS says
 * only to the account (ec2 describe-availability-zones), so fleet.yaml declares it
 * (vpc.availabilityZones) and the stack's plan stops where the region offers fewer.
 */
export const vpcZones = 3;

/** The fewest zones a created VPC spans: EKS needs subnets in two zones. */
export const minimumVpcZones = 2;

/** The first `count` of a tier's per-zone blocks: a zone's subnets keep their blocks whatever the count. */
function zoneBlocks(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, zone) => first + zone);
}

/**
 * The /64 indexes in the VPC's /56 of each tier, as the upstream ipv6-dualstack example uses them
 * (0-2 public, 3-5 private, 6-8 database), the first `zones` of each.
 */
export function ipv6SubnetPrefixes(zones: number = vpcZones): { public: number[]; private: number[]; database: number[] } {
  return { public: zoneBlocks(0, zones), private: zoneBlocks(3, zones), database: zoneBlocks(6, zones) };
}

/**
 * The VPC's IPv4 block is cut in sixteen: the first sixteenth holds the public and database
 * subnets (a sixteenth of it each), the next three are the private subnets, one per zone.
 */
const tierBits = 4;

/** The narrowest VPC block: its public subnets are then /27s, the smallest an ALB accepts (eight free addresses, Elastic Load Balancing's "Subnets for your load balancer"). */
export const narrowestVpcPrefix = 19;
export const widestVpcPrefix = 16;

/** The private IPv4 subnets of a created VPC, unless fleet.yaml lists its own. */
export function privateIpv4Subnets(vpcCidr: string, zones: number = vpcZones): string[] {
  return zoneBlocks(1, zones).map((block) => ipv4Subnet(vpcCidr, tierBits, block));
}

/** The public IPv4 subnets of a created VPC. */
export function publicIpv4Subnets(vpcCidr: string, zones: number = vpcZones): string[] {
  return zoneBlocks(0, zones).map((index) => ipv4Subnet(vpcCidr, 2 * tierBits, index));
}

/** The database IPv4 subnets of a created VPC. */
export function databaseIpv4Subnets(vpcCidr: string, zones: number = vpcZones): string[] {
  return zoneBlocks(8, zones).map((index) => ipv4Subnet(vpcCidr, 2 * tierBits, index));
}
