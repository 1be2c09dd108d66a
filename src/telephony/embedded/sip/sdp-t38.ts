/**
 * SDP for T.38 fax over UDPTL (ITU-T T.38 Annex D, RFC 4612 names the
 * `image/t38` media type): the `m=image <port> udptl t38` stream with its
 * T38Fax* attributes, parsed from an offer or answer, built for ours, and
 * negotiated the way T.38 Annex D §D.2.3 asks:
 * - T38FaxVersion, T38MaxBitRate: the answer gives at most what was offered;
 * - T38FaxRateManagement: the answer repeats the offered method;
 * - T38FaxMaxBuffer, T38FaxMaxDatagram: each side declares what it can take
 *   in; a sender keeps its datagrams within the other side's value;
 * - T38FaxUdpEC: the answer gives the offered method or a lesser one
 *   (FEC -> redundancy -> none); this engine answers FEC with redundancy;
 * - T38FaxFillBitRemoval, T38FaxTranscodingMMR/JBIG: only when both set them
 *   (this engine never does).
 * Attribute names compare case-insensitively: `T38maxBitRate` is common.
 * Parsing is total: null for anything unusable.
 */

export type T38RateManagement = 'localTCF' | 'transferredTCF';
export type T38UdpEc = 't38UDPRedundancy' | 't38UDPFEC' | 't38UDPNoEC';

export interface T38Params {
  version: number;
  maxBitRate: number;
  rateManagement: T38RateManagement;
  maxBuffer: number | null;
  maxDatagram: number | null;
  udpEc: T38UdpEc | null;
  fillBitRemoval: boolean;
  transcodingMmr: boolean;
  transcodingJbig: boolean;
}

export interface T38Description {
  address: string;
  /** 0 when the stream is refused. */
  port: number;
  params: T38Params;
}

/** What this engine offers and can take in (spandsp's T.38 terminal). */
export const LOCAL_T38: T38Params = {
  version: 0,
  maxBitRate: 14400,
  rateManagement: 'transferredTCF',
  maxBuffer: 2000,
  maxDatagram: 400,
  udpEc: 't38UDPRedundancy',
  fillBitRemoval: false,
  transcodingMmr: false,
  transcodingJbig: false,
};

/** The datagram size assumed when the far end names none (spandsp's and FreeSWITCH's default). */
export const DEFAULT_MAX_DATAGRAM = 400;

const BIT_RATES = [2400, 4800, 7200, 9600, 12000, 14400, 33600] as const;
const MAX_SDP = 16_384;

function flag(arg: string): boolean {
  // "a=T38FaxFillBitRemoval" alone means on (T.38 Annex D); ":0" / ":1" as some send it.
  return arg === '' || arg === '1';
}

function nonNegative(arg: string): number | null {
  if (!/^[0-9]{1,9}$/.test(arg)) return null;
  return Number(arg);
}

export function parseT38Sdp(text: string): T38Description | null {
  if (text.length === 0 || text.length > MAX_SDP) return null;
  let sessionAddress: string | null = null;
  let mediaAddress: string | null = null;
  let inImage = false;
  let found: { port: number } | null = null;
  let params: T38Params | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.length < 2 || line[1] !== '=') continue;
    const type = line[0];
    const value = line.slice(2);
    if (type === 'm') {
      inImage = false;
      if (found) break; // the first image stream is the fax stream
      const m = /^image\s+([0-9]{1,5})\s+udptl\s+t38\s*$/i.exec(value);
      if (m) {
        const port = Number(m[1]);
        if (port > 65535) return null;
        found = { port };
        inImage = true;
        params = {
          ...LOCAL_T38,
          version: 0,
          maxBitRate: 14400,
          maxBuffer: null,
          maxDatagram: null,
          udpEc: null,
        };
      }
    } else if (type === 'c') {
      const m = /^IN\s+IP[46]\s+([^\s/]+)/.exec(value);
      if (!m) continue;
      if (inImage) mediaAddress = m[1]!;
      else if (!found) sessionAddress = m[1]!;
    } else if (type === 'a' && inImage && params) {
      const colon = value.indexOf(':');
      const name = (colon < 0 ? value : value.slice(0, colon)).toLowerCase();
      const arg = colon < 0 ? '' : value.slice(colon + 1).trim();
      switch (name) {
        case 't38faxversion': {
          const n = nonNegative(arg);
          if (n !== null && n <= 3) params.version = n;
          break;
        }
        case 't38maxbitrate': {
          const n = nonNegative(arg);
          if (n !== null && n > 0) params.maxBitRate = n;
          break;
        }
        case 't38faxratemanagement':
          if (arg.toLowerCase() === 'localtcf') params.rateManagement = 'localTCF';
          else if (arg.toLowerCase() === 'transferredtcf') params.rateManagement = 'transferredTCF';
          break;
        case 't38faxmaxbuffer':
          params.maxBuffer = nonNegative(arg);
          break;
        case 't38faxmaxdatagram':
          params.maxDatagram = nonNegative(arg);
          break;
        case 't38faxudpec': {
          const ec = (['t38UDPRedundancy', 't38UDPFEC', 't38UDPNoEC'] as const).find(
            (e) => e.toLowerCase() === arg.toLowerCase(),
          );
          if (ec) params.udpEc = ec;
          break;
        }
        case 't38faxfillbitremoval':
          params.fillBitRemoval = flag(arg);
          break;
        case 't38faxtranscodingmmr':
          params.transcodingMmr = flag(arg);
          break;
        case 't38faxtranscodingjbig':
          params.transcodingJbig = flag(arg);
          break;
        default:
          break;
      }
    }
  }
  if (!found || !params) return null;
  const address = mediaAddress ?? sessionAddress;
  if (address === null) return null;
  return { address, port: found.port, params };
}

/** T.38 Annex D §D.2.3: our answer to an offer, within what we can do. */
export function answerT38(offer: T38Params, local: T38Params = LOCAL_T38): T38Params {
  const rate = Math.min(offer.maxBitRate, local.maxBitRate);
  let udpEc: T38UdpEc | null = offer.udpEc;
  if (udpEc === 't38UDPFEC') udpEc = local.udpEc === 't38UDPNoEC' ? 't38UDPNoEC' : 't38UDPRedundancy';
  if (udpEc === 't38UDPRedundancy' && local.udpEc === 't38UDPNoEC') udpEc = 't38UDPNoEC';
  return {
    version: Math.min(offer.version, local.version),
    maxBitRate: BIT_RATES.filter((r) => r <= rate).pop() ?? 2400,
    rateManagement: offer.rateManagement,
    maxBuffer: local.maxBuffer,
    maxDatagram: local.maxDatagram,
    udpEc,
    fillBitRemoval: offer.fillBitRemoval && local.fillBitRemoval,
    transcodingMmr: offer.transcodingMmr && local.transcodingMmr,
    transcodingJbig: offer.transcodingJbig && local.transcodingJbig,
  };
}

/** What a T.38 session runs with once offer and answer are known. */
export interface T38Session {
  version: number;
  maxBitRate: number;
  rateManagement: T38RateManagement;
  /** The far end's T38FaxMaxDatagram: our datagrams stay within it. */
  remoteMaxDatagram: number;
  /** Our T38FaxMaxDatagram, which spandsp keeps its IFP packets within. */
  localMaxDatagram: number;
  /** Redundancy error recovery (T.38 §9.1.4.2) on our datagrams. */
  redundancy: boolean;
}

/**
 * The session from what we sent and what the far end sent (either may be
 * the offer): the lower version and rate, the answer's rate management and
 * error correction, each side's datagram limit.
 */
export function t38Session(local: T38Params, remote: T38Params, answer: T38Params): T38Session {
  return {
    version: Math.min(local.version, remote.version),
    maxBitRate: Math.min(local.maxBitRate, remote.maxBitRate),
    rateManagement: answer.rateManagement,
    remoteMaxDatagram: remote.maxDatagram ?? DEFAULT_MAX_DATAGRAM,
    localMaxDatagram: local.maxDatagram ?? DEFAULT_MAX_DATAGRAM,
    redundancy: answer.udpEc === 't38UDPRedundancy' || answer.udpEc === 't38UDPFEC',
  };
}

export interface BuildT38Sdp {
  address: string;
  /** 0 refuses the stream. */
  port: number;
  sessionId: string;
  version: number;
  params: T38Params;
}

export function buildT38Sdp(b: BuildT38Sdp): string {
  const p = b.params;
  const lines = [
    'v=0',
    `o=callplane ${b.sessionId} ${b.version} IN IP4 ${b.address}`,
    's=callplane',
    `c=IN IP4 ${b.address}`,
    't=0 0',
    `m=image ${b.port} udptl t38`,
    `a=T38FaxVersion:${p.version}`,
    `a=T38MaxBitRate:${p.maxBitRate}`,
  ];
  if (p.fillBitRemoval) lines.push('a=T38FaxFillBitRemoval');
  if (p.transcodingMmr) lines.push('a=T38FaxTranscodingMMR');
  if (p.transcodingJbig) lines.push('a=T38FaxTranscodingJBIG');
  lines.push(`a=T38FaxRateManagement:${p.rateManagement}`);
  if (p.maxBuffer !== null) lines.push(`a=T38FaxMaxBuffer:${p.maxBuffer}`);
  if (p.maxDatagram !== null) lines.push(`a=T38FaxMaxDatagram:${p.maxDatagram}`);
  if (p.udpEc !== null) lines.push(`a=T38FaxUdpEC:${p.udpEc}`);
  return lines.join('\r\n') + '\r\n';
}
