/**
 * Call state for the busy lamp field (spec 3.21 blf) and call pickup: the
 * engine reports each call of a number as it rings, is answered and ends
 * (the adapter's PresencePort tells the watching phones); a ringing call
 * can be taken by a phone watching that number, or by a call-reverse call.
 */
import type { DialogInfo, InboundLeg, PresencePort } from '../adapter.js';
import type { Call } from '../call/call.js';

export interface Pickable {
  number: string;
  /** The ringing call's dialog id (what a Replaces header names). */
  callId: string;
  /** Hands the ringing call to the picker (its leg and its call); false when it no longer rings. */
  pickup(picker: InboundLeg, pickerCall: Call): boolean;
}

/** Ringing calls by number, for pickup (`**<number>` or INVITE with Replaces, RFC 3891). */
export class PickupRegistry {
  private readonly ringing = new Map<string, Map<string, Pickable>>();

  add(p: Pickable): () => void {
    let m = this.ringing.get(p.number);
    if (!m) this.ringing.set(p.number, (m = new Map<string, Pickable>()));
    m.set(p.callId, p);
    return () => {
      m.delete(p.callId);
      if (m.size === 0) this.ringing.delete(p.number);
    };
  }

  /** The oldest ringing call of a number. */
  byNumber(number: string): Pickable | null {
    const m = this.ringing.get(number);
    return m ? (m.values().next().value ?? null) : null;
  }

  byCallId(callId: string): Pickable | null {
    for (const m of this.ringing.values()) {
      const p = m.get(callId);
      if (p) return p;
    }
    return null;
  }
}

/** Reports a leg's life to the BLF watchers of `number`: early, confirmed, terminated. */
export function reportPresence(
  presence: PresencePort | null,
  number: string,
  leg: InboundLeg,
  direction: DialogInfo['direction'],
  remote: string | null,
): void {
  if (!presence) return;
  const ref = leg.dialog;
  const info = (state: DialogInfo['state']): DialogInfo => ({ ...ref, state, direction, remote });
  presence.update(number, info('early'));
  leg.once('answered', () => presence.update(number, info('confirmed')));
  leg.once('ended', () => presence.update(number, info('terminated')));
}
