/**
 * Conference rooms and fax tone detection of the embedded engine: a room is
 * a ConferenceMixer on the process's media clock; a leg joins it through a
 * tap on its media channel (each received G.711 payload goes to the
 * member's input) and the member's 20 ms output goes out of the leg's RTP
 * session on one continuous timeline (the one prompts use, so a prompt
 * before the join and the mix after it are one stream for the far end).
 */
import { MediaError, type ConferencePort, type Leg } from '../adapter.js';
import type { MemberMix, RoomMediaMember } from '../conference/room-media.js';
import { FaxToneDetector } from './fax/fax-detect.js';
import { ALAW_TO_ULAW, ULAW_TO_ALAW, type MediaChannel } from './media-channel.js';
import { ConferenceMixer } from './media/mixer.js';
import { mediaPacer, RtpTimeline, SAMPLES_PER_FRAME } from './media/pacer.js';
import { alawToLinear, G711_PAYLOAD_TYPE, ulawToLinear } from './rtp/g711.js';

export interface ChannelSource {
  channel(leg: Leg): MediaChannel | null;
}

export class EmbeddedConference implements ConferencePort<ConferenceMixer> {
  constructor(
    private readonly media: ChannelSource,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  readonly createRoom = (onActivity: (changed: readonly RoomMediaMember[]) => void): ConferenceMixer =>
    new ConferenceMixer({ pacer: mediaPacer, onActivity, onError: this.onError });

  attach(room: ConferenceMixer, leg: Leg, mix: MemberMix): RoomMediaMember {
    if (!(room instanceof ConferenceMixer)) throw new MediaError('not a room of this adapter');
    const channel = this.media.channel(leg);
    if (!channel || leg.state === 'ended') throw new MediaError(`leg ${leg.id} has no media to conference`);
    channel.stopPlayback();
    const f = channel.format;
    const session = channel.session;
    const timeline = RtpTimeline.of(session, () => mediaPacer.now());
    let lastFrame = -1;
    let ts = 0;
    const member = room.join({
      codec: f.codec,
      ...mix,
      send: (payload, frame) => {
        const gap = frame - lastFrame;
        // After a pause (no frames for a while) the stream starts again from the clock.
        if (lastFrame < 0 || gap <= 0 || gap > 3) ts = timeline.start();
        else ts = (ts + gap * SAMPLES_PER_FRAME) >>> 0;
        session.sendRtp(f.payloadType, ts, payload, gap !== 1);
        lastFrame = frame;
        timeline.end = ts + SAMPLES_PER_FRAME;
      },
    });
    // The other G.711 law (a peer that sends what it did not agree) is converted by table.
    const other = f.codec === 'PCMU' ? G711_PAYLOAD_TYPE.PCMA : G711_PAYLOAD_TYPE.PCMU;
    const table = f.codec === 'PCMU' ? ALAW_TO_ULAW : ULAW_TO_ALAW;
    const stopTap = channel.listen((packet, header) => {
      const payload = packet.subarray(header.payloadOffset, header.payloadOffset + header.payloadLength);
      if (header.payloadType === f.payloadType) member.receive(payload);
      else if (header.payloadType === other) member.receive(payload.map((c) => table[c]!));
    });
    const leave = member.leave.bind(member);
    return Object.assign(member, {
      leave: () => {
        stopTap();
        leave();
      },
    });
  }
}

/** Calls `listener` once when the leg's audio carries the fax calling tone (CNG); answers the stop. */
export function detectFaxCng(channel: MediaChannel, listener: () => void): () => void {
  let detector: FaxToneDetector | null = new FaxToneDetector('calling');
  const stop = (): void => {
    stopTap();
    detector?.close();
    detector = null;
  };
  const stopTap = channel.listen((packet, header) => {
    if (detector === null) return;
    const pt = header.payloadType;
    if (pt !== G711_PAYLOAD_TYPE.PCMU && pt !== G711_PAYLOAD_TYPE.PCMA) return;
    const dec = pt === G711_PAYLOAD_TYPE.PCMU ? ulawToLinear : alawToLinear;
    const frame = new Int16Array(header.payloadLength);
    for (let i = 0; i < frame.length; i += 1) frame[i] = dec(packet[header.payloadOffset + i]!);
    if (detector.audioIn(frame) === 'cng') {
      stop();
      listener();
    }
  });
  return stop;
}
