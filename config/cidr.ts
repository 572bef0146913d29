import { IpFamily } from './schema';

/** A parsed CIDR block. */
export interface Cidr {
  readonly family: IpFamily;
  readonly prefixLength: number;
  /** The first address of the block, as a number. */
  readonly network: bigint;
  /** The number of addresses in the block, as a bigint because an IPv6 /64 holds 2^64. */
  readonly size: bigint;
}

/** Why a CIDR is not valid, as a sentence fragment; undefined when it is valid. */
export type CidrProblem = string | undefined;

function parseIpv4(address: string): bigint | undefined {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^(0|[1-9]\d{0,2})$/.test(part) && Number(part) <= 255)) return undefined;
  return parts.reduce((value, part) => (value << 8n) + BigInt(part), 0n);
}

function parseIpv6(address: string): bigint | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  if (!groups.flat().every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  const written = groups.flat().length;
  if (halves.length === 1 ? written !== 8 : written > 7) return undefined;
  const zeros = Array<string>(8 - written).fill('0');
  const all = halves.length === 1 ? groups[0] : [...groups[0], ...zeros, ...groups[1]];
  return all.reduce((value, group) => (value << 16n) + BigInt(parseInt(group, 16)), 0n);
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 255n).toString()).join('.');
}

/** RFC 5952's text: groups without leading zeros, the longest run of zero groups (the first of equal runs) as `::`, a lone zero group as 0. */
function formatIpv6(value: bigint): string {
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((value >> shift) & 0xffffn).toString(16));
  let run = { start: 0, length: 0 };
  groups.forEach((_, start) => {
    let end = start;
    while (groups[end] === '0') end += 1;
    if (end - start > run.length) run = { start, length: end - start };
  });
  if (run.length < 2) return groups.join(':');
  return `${groups.slice(0, run.start).join(':')}::${groups.slice(run.start + run.length).join(':')}`;
}

/** Parses `address/prefix`; returns the block or a sentence fragment saying what is wrong. */
export function parseCidr(text: string): Cidr | CidrProblem {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!match) return 'is not a CIDR block (address/prefix-length)';
  const [, address, prefixText] = match;
  const prefixLength = Number(prefixText);
  const family: IpFamily = address.includes(':') ? 'ipv6' : 'ipv4';
  const bits = family === 'ipv6' ? 128 : 32;
  const value = family === 'ipv6' ? parseIpv6(address) : parseIpv4(address);
  if (value === undefined) return `has an invalid ${family === 'ipv6' ? 'IPv6' : 'IPv4'} address "${address}"`;
  if (prefixLength > bits) return `has a prefix length above ${bits}`;
  const hostBits = BigInt(bits - prefixLength);
  const network = (value >> hostBits) << hostBits;
  if (network !== value) {
    const format = family === 'ipv6' ? formatIpv6 : formatIpv4;
    return `has host bits set: did you mean ${format(network)}/${prefixLength}?`;
  }
  return { family, prefixLength, network, size: 1n << hostBits };
}

/** Parses a CIDR block the caller knows is valid (one from the schema and the rules, or built here). */
function validCidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (typeof parsed !== 'object') throw new Error(`"${text}" ${parsed}`);
  return parsed;
}

/** Terraform's cidrsubnet(prefix, newbits, netnum) for IPv4: the netnum-th block of prefix length +newbits. */
export function ipv4Subnet(prefix: string, newBits: number, netNumber: number): string {
  const parent = validCidr(prefix);
  if (parent.family !== 'ipv4' || parent.prefixLength + newBits > 32) throw new Error(`cannot take a /${parent.prefixLength + newBits} of ${prefix}`);
  if (netNumber < 0 || netNumber >= 2 ** newBits) throw new Error(`${prefix} has no ${netNumber}th /${parent.prefixLength + newBits}`);
  const length = parent.prefixLength + newBits;
  return `${formatIpv4(parent.network + (BigInt(netNumber) << BigInt(32 - length)))}/${length}`;
}

/** Whether two blocks of one family share an address. */
export function cidrsOverlap(a: string, b: string): boolean {
  return overlaps(validCidr(a), validCidr(b));
}

/** Whether `inner` lies inside `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const [parent, child] = [validCidr(outer), validCidr(inner)];
  return parent.family === child.family && child.prefixLength >= parent.prefixLength
    && child.network >= parent.network && child.network + child.size <= parent.network + parent.size;
}

/** Whether two blocks share an address: one holds the other, as CIDR blocks never merely cross. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.network < b.network + b.size && b.network < a.network + a.size;
}

/** AWS keeps five addresses of every IPv4 subnet (network, router, DNS, future use, broadcast). */
export const awsReservedAddressesPerSubnet = 5;

/** Addresses of an IPv4 subnet that pods and nodes can have. */
export function usableIpv4Addresses(cidr: Cidr): number {
  return Number(cidr.size) - awsReservedAddressesPerSubnet;
}
