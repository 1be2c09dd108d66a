/**
 * Fax reception on an answered call (spec 3.9 fax_enable, 3.13): where a
 * conference dial-in sends a call whose caller sent the fax calling tone.
 * Not served on this engine path yet: the call ends with the cause a
 * fax-only number is refused with today (unavailable).
 */
import type { InboundLeg } from '../adapter.js';
import { CAUSE } from '../causes.js';

export interface FaxCall {
  owner: string;
  /** The called number (the fax's `to`). */
  number: string;
  /** The CDR of the caller's leg. */
  cdrId: string;
}

export async function receiveFax(leg: InboundLeg, _fax: FaxCall): Promise<void> {
  leg.hangup(CAUSE.unavailable);
}
