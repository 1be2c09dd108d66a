/** Turning routing targets into legs to originate: the carrier, or an account's registered devices. */
import type { Target } from '../../domain/routing/types.js';
import type { CallParty, OriginateRequest } from '../adapter.js';

/** E.164 with `+` from what carriers and phones dial: `+49…`, `0049…` or `49…`. */
export function toE164(dialled: string): string | null {
  const d = dialled.replace(/[\s\-().]/g, '');
  if (/^\+[1-9][0-9]{1,14}$/.test(d)) return d;
  if (/^00[1-9][0-9]{1,14}$/.test(d)) return `+${d.slice(2)}`;
  if (/^[1-9][0-9]{6,14}$/.test(d)) return `+${d}`;
  return null;
}

/** The caller as CDRs and recordings show them: the number, or `anonymous` when unknown or hidden (CLIR). */
export function shownNumber(party: CallParty): string {
  return party.clir || !party.number ? 'anonymous' : party.number;
}

/** What the trunk gate adds to a carrier leg: the asserted identity, an emergency call's UUI. */
export type OriginateExtra = Pick<OriginateRequest, 'assertedIdentity' | 'uui'>;

/** The leg request of a target, or null for a target no network leg serves (call-reverse). */
export function targetRequest(
  target: Target,
  from: CallParty,
  extra: OriginateExtra = {},
): Omit<OriginateRequest, 'call'> | null {
  if (target.type === 'phone') return { ...extra, target: { kind: 'trunk', number: target.number }, from };
  if (target.type === 'sip') return { target: { kind: 'account', account: target.account }, from };
  return null;
}
