/**
 * Call state for the busy lamp field (spec 3.21 blf) and call pickup: the
 * engine reports each call of a number as it rings, is answered and ends;
 * a ringing call can be taken by a phone watching that number.
 */
import type { InboundLeg } from '../ports.js';

export type DialogState = 'early' | 'confirmed' | 'terminated';

/** One call of a watched number as a BLF phone sees it (RFC 4235 <dialog>). */
export interface DialogInfo {
  /** Call-ID and tags of the caller's leg (what a Replaces header names). */
  callId: string;
  localTag: string;
  remoteTag: string;
  state: DialogState;
  /** recipient: the number is called; initiator: it calls. */
  direction: 'initiator' | 'recipient';
  /** The other party (number or account), shown on the phone. */
  remote: string | null;
}

export interface CallPresence {
  update(number: string, info: DialogInfo): void;
}

export interface Pickable {
  number: string;
  callId: string;
  /** Hands the ringing call to the picker's leg; false when it is no longer ringing. */
  pickup(picker: InboundLeg): boolean;
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
  presence: CallPresence | null,
  number: string,
  leg: InboundLeg,
  direction: DialogInfo['direction'],
  remote: string | null,
): void {
  if (!presence) return;
  const ref = leg.callRef;
  const info = (state: DialogInfo['state']): DialogInfo => ({ ...ref, state, direction, remote });
  presence.update(number, info('early'));
  leg.once('answered', () => presence.update(number, info('confirmed')));
  leg.once('ended', () => presence.update(number, info('terminated')));
}
