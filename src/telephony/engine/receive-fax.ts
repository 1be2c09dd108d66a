/**
 * Fax reception on an answered call (spec 3.9 fax_enable, 3.13): where a
 * conference dial-in sends a call whose caller sent the fax calling tone.
 * The fax goes into the owner's inbox as on a fax-only number
 * (fax-line.ts); a node without fax reception ends the call as unavailable.
 */
import type { InboundLeg } from '../adapter.js';
import { CAUSE } from '../causes.js';
import type { EngineContext } from './context.js';
import { receiveInto } from './fax-line.js';

export interface FaxCall {
  owner: string;
  /** The called number (the fax's `to`). */
  number: string;
  /** The caller as the fax's `from`. */
  from: string;
}

export async function receiveFax(
  leg: InboundLeg,
  call: FaxCall,
  d: Pick<EngineContext, 'log' | 'media' | 'fax'>,
): Promise<void> {
  if (!d.fax) {
    leg.hangup(CAUSE.unavailable);
    return;
  }
  await receiveInto(leg, { owner: call.owner, number: call.number, from: call.from }, d, d.fax);
}
