/**
 * drachtio's requests as the embedded SIP library reads them: the raw
 * message parsed by the embedded parser, and answers sent back through
 * drachtio. Digest authentication and the registrar (embedded/) serve the
 * drachtio adapter through this shim unchanged.
 */
import type Srf from 'drachtio-srf';
import { parseMessage, SipRequest } from '../embedded/sip/message.js';
import type { ResponseInit, SipExchange } from '../embedded/sip/transaction.js';
import type { Peer } from '../embedded/sip/transport.js';

/** The embedded library's reading of a drachtio request; null when it cannot read it. */
export function readRequest(req: Srf.SrfRequest): SipRequest | null {
  const parsed = parseMessage(Buffer.from(req.raw ?? '', 'utf8'));
  return parsed instanceof SipRequest ? parsed : null;
}

/** Where a drachtio request came from. */
export function peerOf(req: Srf.SrfRequest): Peer {
  return {
    transport: /tcp/i.test(req.protocol ?? '') ? 'tcp' : 'udp',
    address: req.source_address,
    port: Number(req.source_port),
  };
}

/**
 * drachtio takes one value per header: repeated ones go comma-joined (Contact
 * lists, challenges), and a list without values is no header (an empty
 * Contact makes drachtio-server answer 500 instead).
 */
function headersOf(init: ResponseInit): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(init.headers ?? {})) {
    if (Array.isArray(value) && value.length === 0) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  if (init.contentType) out['content-type'] = init.contentType;
  return out;
}

export class DrachtioExchange implements SipExchange {
  constructor(
    readonly request: SipRequest,
    readonly peer: Peer,
    private readonly res: Srf.SrfResponse,
  ) {}

  static of(req: Srf.SrfRequest, res: Srf.SrfResponse): DrachtioExchange | null {
    const parsed = readRequest(req);
    return parsed ? new DrachtioExchange(parsed, peerOf(req), res) : null;
  }

  respond(status: number, reason: string, init: ResponseInit = {}): null {
    if (this.res.finalResponseSent) return null;
    const opts: { headers: Record<string, string>; body?: string } = { headers: headersOf(init) };
    if (init.body !== undefined) opts.body = init.body.toString();
    this.res.send(status, reason, opts);
    return null;
  }
}
