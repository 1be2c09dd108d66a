/**
 * SDP (RFC 4566) for the offer/answer of anchored audio (RFC 3264): one audio
 * stream, G.711 PCMU/PCMA and RFC 4733 telephone-event. Parsing is total and
 * returns null for anything unusable; unknown lines are ignored.
 */

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface SdpCodec {
  payloadType: number;
  /** Upper-case encoding name, e.g. PCMU, PCMA, TELEPHONE-EVENT. */
  name: string;
  clockRate: number;
  fmtp?: string;
}

export interface AudioDescription {
  address: string;
  port: number;
  codecs: SdpCodec[];
  direction: Direction;
  ptime: number | null;
}

export interface Sdp {
  origin: { user: string; sessionId: string; version: string; address: string };
  audio: AudioDescription | null;
  /** Whether a media stream other than audio was offered (rejected with port 0 in the answer). */
  otherMedia: string[];
}

/** Static payload types of RFC 3551 the engine understands. */
const STATIC: Record<number, { name: string; clockRate: number }> = {
  0: { name: 'PCMU', clockRate: 8000 },
  8: { name: 'PCMA', clockRate: 8000 },
};

const MAX_SDP = 16_384;

export function parseSdp(text: string): Sdp | null {
  if (text.length === 0 || text.length > MAX_SDP) return null;
  const lines = text.split(/\r?\n/);
  let sessionAddress: string | null = null;
  let sessionDirection: Direction = 'sendrecv';
  let origin: Sdp['origin'] | null = null;
  let audio: AudioDescription | null = null;
  let audioAddress: string | null = null;
  let inAudio = false;
  let sawVersion = false;
  const otherMedia: string[] = [];
  const rtpmap = new Map<number, { name: string; clockRate: number }>();
  const fmtp = new Map<number, string>();
  let payloads: number[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.length < 2 || line[1] !== '=') return null;
    const type = line[0];
    const value = line.slice(2);
    switch (type) {
      case 'v':
        if (value !== '0') return null;
        sawVersion = true;
        break;
      case 'o': {
        const p = value.split(/\s+/);
        if (p.length !== 6) return null;
        origin = { user: p[0]!, sessionId: p[1]!, version: p[2]!, address: p[5]! };
        break;
      }
      case 'c': {
        const m = /^IN\s+IP[46]\s+([^\s/]+)/.exec(value);
        if (!m) return null;
        if (inAudio) audioAddress = m[1]!;
        else if (audio === null) sessionAddress = m[1]!;
        break;
      }
      case 'm': {
        const m = /^([a-z]+)\s+([0-9]{1,5})(?:\/[0-9]+)?\s+([A-Z/]+)\s*(.*)$/i.exec(value);
        if (!m) return null;
        inAudio = false;
        if (m[1] === 'audio' && audio === null && /^RTP\/(S?AVP|AVPF)$/i.test(m[3]!)) {
          const port = Number(m[2]);
          if (port > 65535) return null;
          payloads = (m[4] ?? '')
            .split(/\s+/)
            .filter((x) => x !== '')
            .map(Number);
          if (payloads.some((pt) => !Number.isInteger(pt) || pt < 0 || pt > 127)) return null;
          audio = { address: '', port, codecs: [], direction: sessionDirection, ptime: null };
          inAudio = true;
        } else otherMedia.push(m[1]!);
        break;
      }
      case 'a': {
        const colon = value.indexOf(':');
        const name = colon < 0 ? value : value.slice(0, colon);
        const arg = colon < 0 ? '' : value.slice(colon + 1);
        if (name === 'sendrecv' || name === 'sendonly' || name === 'recvonly' || name === 'inactive') {
          if (inAudio && audio) audio.direction = name;
          else if (audio === null) sessionDirection = name;
        } else if (inAudio && name === 'rtpmap') {
          const r = /^([0-9]{1,3})\s+([A-Za-z0-9\-_.]+)\/([0-9]+)/.exec(arg);
          if (r) rtpmap.set(Number(r[1]), { name: r[2]!.toUpperCase(), clockRate: Number(r[3]) });
        } else if (inAudio && name === 'fmtp') {
          const r = /^([0-9]{1,3})\s+(.*)$/.exec(arg);
          if (r) fmtp.set(Number(r[1]), r[2]!);
        } else if (inAudio && name === 'ptime' && audio) {
          const n = Number(arg);
          if (Number.isInteger(n) && n > 0 && n <= 200) audio.ptime = n;
        }
        break;
      }
      default:
        break;
    }
  }
  if (!sawVersion || !origin) return null;
  if (audio) {
    const address = audioAddress ?? sessionAddress;
    if (address === null) return null;
    audio.address = address;
    for (const pt of payloads) {
      const info = rtpmap.get(pt) ?? STATIC[pt];
      if (!info) continue;
      const f = fmtp.get(pt);
      audio.codecs.push({
        payloadType: pt,
        name: info.name,
        clockRate: info.clockRate,
        ...(f !== undefined ? { fmtp: f } : {}),
      });
    }
  }
  return { origin, audio, otherMedia };
}

export const SUPPORTED_CODECS = ['PCMU', 'PCMA'] as const;
export const TELEPHONE_EVENT = 'TELEPHONE-EVENT';

/** The offered codecs the engine can relay or play, in the offerer's order, plus telephone-event. */
export function usableCodecs(offer: readonly SdpCodec[]): SdpCodec[] {
  return offer.filter(
    (c) =>
      ((SUPPORTED_CODECS as readonly string[]).includes(c.name) && c.clockRate === 8000) ||
      (c.name === TELEPHONE_EVENT && c.clockRate === 8000),
  );
}

/** RFC 3264 §6.1: the answer takes the first offered voice codec we support (and telephone-event). */
export function answerCodecs(offer: readonly SdpCodec[], preferred?: readonly SdpCodec[]): SdpCodec[] | null {
  const usable = usableCodecs(offer);
  const voices = usable.filter((c) => c.name !== TELEPHONE_EVENT);
  const voice = preferred?.find((p) => p.name !== TELEPHONE_EVENT && voices.some((v) => v.name === p.name));
  const chosen = voice ? voices.find((v) => v.name === voice.name) : voices[0];
  if (!chosen) return null;
  const te = usable.find((c) => c.name === TELEPHONE_EVENT);
  return te ? [chosen, te] : [chosen];
}

export const DEFAULT_OFFER: SdpCodec[] = [
  { payloadType: 8, name: 'PCMA', clockRate: 8000 },
  { payloadType: 0, name: 'PCMU', clockRate: 8000 },
  { payloadType: 101, name: TELEPHONE_EVENT, clockRate: 8000, fmtp: '0-16' },
];

export interface BuildSdp {
  address: string;
  port: number;
  codecs: readonly SdpCodec[];
  direction?: Direction;
  sessionId: string;
  version: number;
  /** Other offered media to reject with port 0 (RFC 3264 §6). */
  rejected?: readonly string[];
}

export function buildSdp(b: BuildSdp): string {
  const lines = [
    'v=0',
    `o=callplane ${b.sessionId} ${b.version} IN IP4 ${b.address}`,
    's=callplane',
    `c=IN IP4 ${b.address}`,
    't=0 0',
    `m=audio ${b.port} RTP/AVP ${b.codecs.map((c) => c.payloadType).join(' ')}`,
  ];
  for (const c of b.codecs) {
    lines.push(
      `a=rtpmap:${c.payloadType} ${c.name === TELEPHONE_EVENT ? 'telephone-event' : c.name}/${c.clockRate}`,
    );
    if (c.fmtp) lines.push(`a=fmtp:${c.payloadType} ${c.fmtp}`);
  }
  lines.push('a=ptime:20', `a=${b.direction ?? 'sendrecv'}`);
  // A refused fax stream keeps its transport (T.38 Annex D): m=image 0 udptl t38.
  for (const m of b.rejected ?? []) lines.push(m === 'image' ? 'm=image 0 udptl t38' : `m=${m} 0 RTP/AVP 0`);
  return lines.join('\r\n') + '\r\n';
}

/** RFC 3264 §8.4 hold: sendonly/inactive offers, or the old c=0.0.0.0 form. */
export function isHold(audio: AudioDescription): boolean {
  return audio.direction === 'sendonly' || audio.direction === 'inactive' || audio.address === '0.0.0.0';
}
