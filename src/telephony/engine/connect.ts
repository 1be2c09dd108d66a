/**
 * Connecting the caller with the leg that answered: answer the caller in the
 * answering leg's media format, relay media, and end each side when the
 * other does (with the same cause).
 */
import type { EndCause, InboundLeg, Leg, MediaPort } from '../ports.js';

/** `b` is an answered outbound leg, or an inbound leg (a phone picking the call up) to answer first. */
export async function connect(media: MediaPort, a: InboundLeg, b: Leg): Promise<EndCause | null> {
  if ('answer' in b && b.state !== 'answered') await (b as InboundLeg).answer({ like: a });
  await a.answer({ like: b });
  if (a.state !== 'answered' || b.state !== 'answered') {
    a.hangup();
    b.hangup();
    return a.endCause ?? b.endCause;
  }
  const unbridge = media.bridge(a, b);
  return new Promise((resolve) => {
    const end = (other: Leg) => (cause: EndCause) => {
      unbridge();
      other.hangup(cause);
      resolve(cause);
    };
    a.once('ended', end(b));
    b.once('ended', end(a));
  });
}
