/**
 * Proxies in front of the engine: the Path extension (RFC 3327) that keeps a
 * phone reachable through the edge proxy it registered through, pre-loaded
 * Route sets built from it, and the sender of a request an edge proxy
 * relayed (the Via below the proxy's). Parsers return null on malformed
 * input and never throw.
 */
import { parseVia, type SipRequest } from './message.js';
import type { Peer } from './transport.js';
import { parseNameAddr, parseUri, splitOutside } from './uri.js';

/** More Path entries than any sane deployment has: refused. */
const MAX_PATH = 8;

/** Whether the request's Supported header fields list the option tag (case-insensitive). */
export function supports(req: SipRequest, tag: string): boolean {
  const want = tag.toLowerCase();
  return req
    .getAll('supported')
    .flatMap((v) => v.split(','))
    .some((t) => t.trim().toLowerCase() === want);
}

/**
 * The Path header field values of a REGISTER as `<uri>` entries in order
 * (first = the proxy next to the registrar), or null when one is malformed:
 * not a sip/sips URI with a host, not a loose router (`lr`), or too many.
 * An empty list when there is no Path.
 */
export function parsePath(values: readonly string[]): string[] | null {
  const out: string[] = [];
  for (const value of values) {
    for (const part of splitOutside(value, ',')) {
      const na = parseNameAddr(part);
      if (!na || na.uri === '*' || !part.includes('<')) return null;
      const uri = parseUri(na.uri);
      if (!uri || uri.scheme === 'tel' || uri.host === '' || !uri.params.has('lr')) return null;
      if (uri.port !== null && (uri.port < 1 || uri.port > 65535)) return null;
      out.push(`<${na.uri}>`);
      if (out.length > MAX_PATH) return null;
    }
  }
  return out;
}

/** Where a request with this route set goes first: the first entry's host and port. */
export function firstHop(routes: readonly string[]): Peer | null {
  const first = routes[0];
  if (first === undefined) return null;
  const na = parseNameAddr(first);
  const uri = na ? parseUri(na.uri) : null;
  if (!uri || uri.scheme === 'tel' || uri.host === '') return null;
  const transport = uri.params.get('transport')?.toLowerCase() === 'tcp' ? 'tcp' : 'udp';
  return { transport, address: uri.host.replace(/^\[|\]$/g, ''), port: uri.port ?? 5060 };
}

/**
 * The sender of a request: the transport peer, or, when that is one of the
 * edge proxies, the address in the Via the proxy found on top (its
 * received/rport when the proxy added them).
 */
export function originOf(req: SipRequest, peer: Peer, proxies: readonly ProxyEntry[]): Peer {
  if (!proxies.some((p) => p.host === peer.address && (p.port === null || p.port === peer.port))) return peer;
  const vias = req.getAll('via').flatMap((v) => splitOutside(v, ',').map((s) => s.trim()));
  const below = vias[1] !== undefined ? parseVia(vias[1]) : null;
  if (!below) return peer;
  const address = (below.params.get('received') || below.host).replace(/^\[|\]$/g, '');
  const rport = Number(below.params.get('rport'));
  const port = Number.isInteger(rport) && rport > 0 ? rport : (below.port ?? 5060);
  if (address === '' || port < 1 || port > 65535) return peer;
  const transport = below.transport.toLowerCase() === 'tcp' ? 'tcp' : 'udp';
  return { transport, address, port };
}

export interface ProxyEntry {
  host: string;
  port: number | null;
}
