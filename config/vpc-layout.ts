/**
 * The subnets of a VPC the project creates (provisioning: create), as the vpc module
 * (terraform-aws-modules/vpc 6.6.0) takes them: three availability zones, each with a public
 * subnet (the ALBs and NAT gateways), a private one (nodes and pods) and a database one, all
 * dual-stack. IPv6: the module cuts /64s out of the Amazon-provided /56 by index
 * (cidrsubnet(ipv6_cidr_block, 8, prefix), its main.tf); IPv4: the blocks computed here, so that
 * synth, the capacity plan and Terraform all see the same addresses.
 */
import { ipv4Subnet } from './cidr';

/** Availability zones a created VPC spans: the first three the region offers the account. */
export const vpcZones = 3;

/** The /64 indexes in the VPC's /56 of each tier, as the upstream ipv6-dualstack example uses them. */
export const ipv6SubnetPrefixes = {
  public: [0, 1, 2],
  private: [3, 4, 5],
  database: [6, 7, 8],
} as const;

/**
 * The VPC's IPv4 block is cut in sixteen: the first sixteenth holds the public and database
 * subnets (a sixteenth of it each), the next three are the private subnets, one per zone.
 */
const tierBits = 4;

/** The narrowest VPC block: its public subnets are then /27s, the smallest an ALB accepts (eight free addresses, Elastic Load Balancing's "Subnets for your load balancer"). */
export const narrowestVpcPrefix = 19;
export const widestVpcPrefix = 16;

/** The private IPv4 subnets of a created VPC, unless fleet.yaml lists its own. */
export function privateIpv4Subnets(vpcCidr: string): string[] {
  return [1, 2, 3].map((block) => ipv4Subnet(vpcCidr, tierBits, block));
}

/** The public IPv4 subnets of a created VPC. */
export function publicIpv4Subnets(vpcCidr: string): string[] {
  return [0, 1, 2].map((index) => ipv4Subnet(vpcCidr, 2 * tierBits, index));
}

/** The database IPv4 subnets of a created VPC. */
export function databaseIpv4Subnets(vpcCidr: string): string[] {
  return [8, 9, 10].map((index) => ipv4Subnet(vpcCidr, 2 * tierBits, index));
}
