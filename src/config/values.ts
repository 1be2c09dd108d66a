/**
 * The value formats of the configuration's variables, read off their
 * strings once the schema (index.ts) has validated them.
 */
import net from 'node:net';

/** `ip` or `ip/bits`. */
export function isNetwork(entry: string): boolean {
  const [ip = '', bits, extra] = entry.split('/');
  const v = net.isIP(ip);
  if (v === 0 || extra !== undefined) return false;
  return bits === undefined || (/^[0-9]{1,3}$/.test(bits) && Number(bits) <= (v === 6 ? 128 : 32));
}

/** A `host[:port]` comma list (SIP_TRUNK, SIP_PROXY). */
export function hostPorts(v: string | undefined): Array<{ host: string; port: number | null }> {
  return (v ?? '')
    .split(',')
    .filter((t) => t !== '')
    .map((t) => {
      const [host, port] = t.split(':') as [string, string | undefined];
      return { host, port: port === undefined ? null : Number(port) };
    });
}

/** "host:port" (validated by the schema); a missing port is 0. */
export function hostPort(v: string): { host: string; port: number } {
  const [host, port] = v.split(':') as [string, string | undefined];
  return { host, port: port === undefined ? 0 : Number(port) };
}

export function rangeOf(v: string): { min: number; max: number } {
  const [min, max] = v.split('-').map(Number) as [number, number];
  return { min, max };
}
