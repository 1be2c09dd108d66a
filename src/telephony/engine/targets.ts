/** Turning routing targets into legs to originate (registered contacts, or the carrier). */
import type { Target } from '../../domain/routing/types.js';
import type { CallParty, OriginateRequest } from '../ports.js';
import type { CallDirectory } from './directory.js';

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

export async function originateRequests(
  directory: CallDirectory,
  target: Target,
  from: CallParty,
  extra: Partial<OriginateRequest> = {},
): Promise<OriginateRequest[]> {
  if (target.type === 'phone') return [{ ...extra, target: { kind: 'trunk', number: target.number }, from }];
  if (target.type === 'sip') {
    const bindings = await directory.bindings(target.account);
    return bindings.map((b) => ({
      ...extra,
      target: {
        kind: 'contact',
        account: target.account,
        contact: b.contact,
        source: b.source,
        transport: b.transport,
      },
      from,
    }));
  }
  // Call-reverse legs wait for a matching caller (spec 4.2); nothing to originate here.
  return [];
}
