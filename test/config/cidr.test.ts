import { awsReservedAddressesPerSubnet, Cidr, cidrContains, cidrsOverlap, ipv4Subnet, overlaps, parseCidr, usableIpv4Addresses } from '../../config/cidr';
import { FleetConfigError, parseFleet } from '../../config/load';
import { demoFleetText } from '../support/fixtures';

/** parseCidr's block as text (family, first address in hex, prefix, size), or its problem. */
function parsed(text: string): string {
  const result = parseCidr(text);
  return typeof result === 'object' ? `${result.family} 0x${result.network.toString(16)}/${result.prefixLength} size ${result.size}` : `${result}`;
}

const block = (text: string): Cidr => parseCidr(text) as Cidr;

describe('IPv4 addresses', () => {
  test('four decimal octets are an address: the network is their 32-bit value and the size 2^(32-prefix)', () => {
    expect(parsed('10.1.2.0/24')).toBe('ipv4 0xa010200/24 size 256');
    expect(parsed('0.0.0.0/0')).toBe('ipv4 0x0/0 size 4294967296');
    expect(parsed('192.168.1.7/32')).toBe('ipv4 0xc0a80107/32 size 1');
  });

  test('255 is the largest octet, 256 is refused', () => {
    expect(parsed('255.255.255.255/32')).toBe('ipv4 0xffffffff/32 size 1');
    expect(parsed('10.0.255.0/24')).toBe('ipv4 0xa00ff00/24 size 256');
    for (const address of ['256.0.0.0', '10.256.0.0', '10.0.0.256', '10.0.300.0']) {
      expect(parsed(`${address}/32`)).toBe(`has an invalid IPv4 address "${address}"`);
    }
  });

  test('three or five octets are refused, as are empty ones', () => {
    for (const address of ['10.0.0', '10.0.0.0.0', '10..0.0', '10.0.0.', '10']) {
      expect(parsed(`${address}/24`)).toBe(`has an invalid IPv4 address "${address}"`);
    }
  });

  test('an octet with a leading zero is refused (octal to some readers), a lone 0 is not', () => {
    expect(parsed('10.0.0.0/8')).toBe('ipv4 0xa000000/8 size 16777216');
    for (const address of ['010.0.0.0', '10.00.0.0', '10.0.01.0', '10.0.0.00']) {
      expect(parsed(`${address}/32`)).toBe(`has an invalid IPv4 address "${address}"`);
    }
  });

  test('octets of four digits, signs and hex are refused', () => {
    for (const address of ['1000.0.0.0', '+1.0.0.0', '0x1.0.0.0', '1e2.0.0.0', '10.0.0.a']) {
      expect(parsed(`${address}/32`)).toBe(`has an invalid IPv4 address "${address}"`);
    }
  });

  test('a prefix length above 32 is refused; 32 and 0 are accepted', () => {
    expect(parsed('10.0.0.0/33')).toBe('has a prefix length above 32');
    expect(parsed('10.0.0.1/32')).toBe('ipv4 0xa000001/32 size 1');
  });

  test('host bits set: the message suggests the block in dotted decimal', () => {
    expect(parsed('10.1.2.3/16')).toBe('has host bits set: did you mean 10.1.0.0/16?');
    expect(parsed('10.0.0.1/31')).toBe('has host bits set: did you mean 10.0.0.0/31?');
    expect(parsed('255.255.255.255/1')).toBe('has host bits set: did you mean 128.0.0.0/1?');
  });
});

describe('IPv6 addresses', () => {
  test('the full form, eight groups and no ::, is an address', () => {
    expect(parsed('2600:1f16:5de:8b00:0:0:0:0/56')).toBe('ipv6 0x26001f1605de8b000000000000000000/56 size 4722366482869645213696');
    expect(parsed('fd00:0:0:0:0:0:0:1/128')).toBe('ipv6 0xfd000000000000000000000000000001/128 size 1');
    expect(parsed('FD00:ABCD:0:0:0:0:0:0/32')).toBe('ipv6 0xfd00abcd000000000000000000000000/32 size 79228162514264337593543950336');
  });

  test('seven or nine groups without :: are refused', () => {
    for (const address of ['fd00:0:0:0:0:0:0', 'fd00:0:0:0:0:0:0:0:0']) {
      expect(parsed(`${address}/64`)).toBe(`has an invalid IPv6 address "${address}"`);
    }
  });

  test(':: stands for the zero groups between the written ones, before and after it', () => {
    expect(parsed('::/0')).toBe('ipv6 0x0/0 size 340282366920938463463374607431768211456');
    expect(parsed('::1/128')).toBe('ipv6 0x1/128 size 1');
    expect(parsed('fd00::/8')).toBe('ipv6 0xfd000000000000000000000000000000/8 size 1329227995784915872903807060280344576');
    expect(parsed('fd00:1::2:3/128')).toBe('ipv6 0xfd000001000000000000000000020003/128 size 1');
    // seven written groups and :: (one zero group): at the end, in the middle, at the start
    expect(parsed('1:2:3:4:5:6:7::/128')).toBe('ipv6 0x10002000300040005000600070000/128 size 1');
    expect(parsed('1:2:3::4:5:6:7/128')).toBe('ipv6 0x10002000300000004000500060007/128 size 1');
    expect(parsed('::1:2:3:4:5:6:7/128')).toBe('ipv6 0x1000200030004000500060007/128 size 1');
  });

  test('two ::, or eight groups and ::, are refused', () => {
    for (const address of ['fd00::1::', '1::2::3', '1:2:3:4:5:6:7:8::', '::1:2:3:4:5:6:7:8', ':::']) {
      expect(parsed(`${address}/64`)).toBe(`has an invalid IPv6 address "${address}"`);
    }
  });

  test('a group of five digits, or of a non-hex digit, is refused with a message, not a crash', () => {
    for (const address of ['fd00::12345', 'fd00:12345::', 'fd00::g', 'fd00:zz::', '0x1::', 'fd00:-1::', 'fd00: 1::', 'fd00::1.2.3.4']) {
      expect(parsed(`${address}/64`)).toBe(`has an invalid IPv6 address "${address}"`);
    }
  });

  test('an empty group (a lone : at either end, or ::: ) is refused', () => {
    for (const address of [':fd00::', 'fd00::1:', 'fd00:::1', 'fd00:1:2:3:4:5:6:']) {
      expect(parsed(`${address}/64`)).toBe(`has an invalid IPv6 address "${address}"`);
    }
  });

  test('a prefix length above 128 is refused; 128 is accepted', () => {
    expect(parsed('fd00::/129')).toBe('has a prefix length above 128');
    expect(parsed('fd00::/128')).toBe('ipv6 0xfd000000000000000000000000000000/128 size 1');
  });

  test('host bits set: the message suggests the block in IPv6 notation, compressed as RFC 5952 writes it', () => {
    expect(parsed('2600:1f16:5de:8b03::/56')).toBe('has host bits set: did you mean 2600:1f16:5de:8b00::/56?');
    expect(parsed('fd00::1/64')).toBe('has host bits set: did you mean fd00::/64?');
    expect(parsed('::1/127')).toBe('has host bits set: did you mean ::/127?');
    // a single zero group is written 0, not :: (RFC 5952 4.2.2)
    expect(parsed('1:0:2:3:4:5:6:7/112')).toBe('has host bits set: did you mean 1:0:2:3:4:5:6:0/112?');
    expect(parsed('1:2:3:4:5:6:7:8/128')).toBe('ipv6 0x10002000300040005000600070008/128 size 1');
    // two zero groups are a run: they are written ::
    expect(parsed('1:2:3:4:5:6:0:1/112')).toBe('has host bits set: did you mean 1:2:3:4:5:6::/112?');
    // the longest run of zero groups is the one shortened (RFC 5952 4.2.3), the first one of equal runs
    expect(parsed('1:0:0:2:0:0:0:1/64')).toBe('has host bits set: did you mean 1:0:0:2::/64?');
    expect(parsed('1:0:0:2:0:0:3:5/112')).toBe('has host bits set: did you mean 1::2:0:0:3:0/112?');
    expect(parsed('0:0:1:0:0:0:2:1/112')).toBe('has host bits set: did you mean 0:0:1::2:0/112?');
    expect(parsed('1:2:3:4:5:6:7:8/1')).toBe('has host bits set: did you mean ::/1?');
    expect(parsed('ffff:2:3:4:5:6:7:8/16')).toBe('has host bits set: did you mean ffff::/16?');
  });
});

describe('the CIDR notation', () => {
  test('an address without a prefix, with an empty one, or with text around it is not a CIDR block', () => {
    for (const text of ['10.0.0.0', '10.0.0.0/', '/24', '10.0.0.0/24/1', '10.0.0.0/2a', '10.0.0.0/24 ', '10.0.0.0/1000']) {
      expect([text, parsed(text)]).toEqual([text, 'is not a CIDR block (address/prefix-length)']);
    }
    expect(parsed(' 10.0.0.0/24')).toBe('has an invalid IPv4 address " 10.0.0.0"');
  });
});

describe('blocks and the VPC they are in', () => {
  const vpc = '10.231.0.0/16';

  test('a block inside the VPC, at its start or at its very end, is contained', () => {
    expect(cidrContains(vpc, '10.231.0.0/22')).toBe(true);
    expect(cidrContains(vpc, '10.231.252.0/22')).toBe(true);
    expect(cidrContains(vpc, '10.231.255.255/32')).toBe(true);
    expect(cidrContains(vpc, vpc)).toBe(true);
  });

  test('a block just below the VPC, just after it, or holding it, is not contained', () => {
    expect(cidrContains(vpc, '10.230.252.0/22')).toBe(false);
    expect(cidrContains(vpc, '10.230.255.255/32')).toBe(false);
    expect(cidrContains(vpc, '10.232.0.0/22')).toBe(false);
    expect(cidrContains(vpc, '10.232.0.0/32')).toBe(false);
    expect(cidrContains(vpc, '10.230.0.0/15')).toBe(false);
    expect(cidrContains(vpc, '0.0.0.0/0')).toBe(false);
  });

  test('a block of the other family is never contained, even at the same numbers', () => {
    expect(cidrContains('0.0.0.0/0', '::/96')).toBe(false);
    expect(cidrContains('::/0', '0.0.0.0/0')).toBe(false);
    expect(cidrContains('::/0', '2600:1f16:5de:8b00::/56')).toBe(true);
  });

  test('overlap: blocks sharing an address overlap, blocks that touch do not', () => {
    expect(cidrsOverlap(vpc, '10.231.255.0/24')).toBe(true);
    expect(cidrsOverlap('10.231.255.0/24', vpc)).toBe(true);
    expect(cidrsOverlap(vpc, '10.232.0.0/24')).toBe(false);
    expect(cidrsOverlap('10.232.0.0/24', vpc)).toBe(false);
    expect(cidrsOverlap(vpc, '10.230.255.0/24')).toBe(false);
    expect(cidrsOverlap('10.230.255.0/24', vpc)).toBe(false);
    expect(cidrsOverlap('10.230.0.0/15', vpc)).toBe(true);
    expect(overlaps(block('0.0.0.0/0'), block('::/0'))).toBe(false);
    expect(overlaps(block('10.0.0.0/32'), block('10.0.0.0/32'))).toBe(true);
  });

  test('ipv4Subnet: the first and the last block of a split, and the ones that do not exist', () => {
    expect(ipv4Subnet('10.1.0.0/16', 4, 0)).toBe('10.1.0.0/20');
    expect(ipv4Subnet('10.1.0.0/16', 4, 15)).toBe('10.1.240.0/20');
    expect(ipv4Subnet('10.1.0.0/16', 0, 0)).toBe('10.1.0.0/16');
    expect(ipv4Subnet('10.1.0.0/16', 16, 65535)).toBe('10.1.255.255/32');
    expect(() => ipv4Subnet('10.1.0.0/16', 4, 16)).toThrow('10.1.0.0/16 has no 16th /20');
    expect(() => ipv4Subnet('10.1.0.0/16', 4, -1)).toThrow('10.1.0.0/16 has no -1th /20');
    expect(() => ipv4Subnet('10.1.0.0/16', 17, 0)).toThrow('cannot take a /33 of 10.1.0.0/16');
    expect(() => ipv4Subnet('fd00::/56', 8, 0)).toThrow('cannot take a /64 of fd00::/56');
    expect(() => ipv4Subnet('10.1.0.1/16', 4, 0)).toThrow('"10.1.0.1/16" has host bits set: did you mean 10.1.0.0/16?');
  });

  test('AWS keeps 5 addresses of every IPv4 subnet: a /24 has 251 usable, a /28 11', () => {
    expect(awsReservedAddressesPerSubnet).toBe(5);
    expect(usableIpv4Addresses(block('10.0.0.0/24'))).toBe(251);
    expect(usableIpv4Addresses(block('10.0.0.0/28'))).toBe(11);
  });
});

describe('fleet.yaml: a created VPC\'s private blocks at the edges of vpc.cidr', () => {
  function problemsOf(text: string): string[] {
    try {
      parseFleet(text);
    } catch (error) {
      expect(error).toBeInstanceOf(FleetConfigError);
      return (error as FleetConfigError).problems.map((problem) => `${problem.path}: ${problem.message}`);
    }
    return [];
  }
  const withThirdBlock = (third: string) => demoFleetText.replace('      - 10.231.24.0/22', `      - ${third}`);

  test('a block at the very end of the VPC\'s range is accepted', () => {
    expect(problemsOf(withThirdBlock('10.231.252.0/22'))).toEqual([]);
  });

  test.each([
    ['just below the VPC', '10.230.252.0/22'],
    ['just after the VPC', '10.232.0.0/22'],
  ])('a block %s is refused, naming the VPC\'s block', (_where, third) => {
    expect(problemsOf(withThirdBlock(third))).toEqual([`clusters[1].ipv4Subnets[2]: "${third}" is not inside the VPC's block 10.231.0.0/16 (vpc.cidr)`]);
  });
});
