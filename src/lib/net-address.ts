import net from 'node:net';

/** Loopback, private (RFC 1918, RFC 4193) and link-local networks. */
const PRIVATE = new net.BlockList();
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('169.254.0.0', 16, 'ipv4');
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');
PRIVATE.addSubnet('fe80::', 10, 'ipv6');

/** Whether `ip` is a loopback, private-network or link-local address (IPv4-mapped IPv6 included). */
export function isPrivateAddress(ip: string): boolean {
  const mapped = /^::ffff:([0-9.]+)$/i.exec(ip);
  const addr = mapped?.[1] ?? ip;
  const family = net.isIP(addr);
  if (family === 0) return false;
  return PRIVATE.check(addr, family === 4 ? 'ipv4' : 'ipv6');
}
