import type { RtpPacketListener, RtpSession } from './session.js';

/**
 * Anchors media between two legs: every packet accepted on one session goes
 * out of the other byte for byte (payload type, SSRC, sequence, timestamps
 * and RFC 4733 events unchanged), so the B2BUA stays transparent to the
 * codecs both phones agreed on. Nothing is allocated per packet: the received
 * Buffer itself is sent on.
 *
 * Takes the packet listener of both sessions; the answer undoes the bridge
 * (and leaves alone a listener set since).
 */
export function bridge(a: RtpSession, b: RtpSession): () => void {
  if (a === b) throw new Error('cannot bridge an RTP session to itself');
  const toB: RtpPacketListener = (packet) => b.send(packet);
  const toA: RtpPacketListener = (packet) => a.send(packet);
  a.onPacket(toB);
  b.onPacket(toA);
  let bridged = true;
  return () => {
    if (!bridged) return;
    bridged = false;
    if (a.packetListener === toB) a.onPacket(null);
    if (b.packetListener === toA) b.onPacket(null);
  };
}
