/**
 * Who calls, as an INVITE says it (RFC 3261 From, RFC 3325
 * P-Asserted-Identity and Privacy, RFC 3323 anonymous URIs): what both SIP
 * adapters hand the engine as the caller.
 */
import type { AccountRef, CallParty } from '../../adapter.js';
import type { SipRequest } from './message.js';
import { parseNameAddr, parseUri } from './uri.js';

/** The caller of an INVITE; an authenticated account's calls come from its name. */
export function callerOf(req: SipRequest, account: AccountRef | null): CallParty {
  const from = parseNameAddr(req.get('from') ?? '');
  const fromUri = from ? parseUri(from.uri) : null;
  const pai = parseNameAddr(req.get('p-asserted-identity') ?? '');
  const paiUser = pai ? parseUri(pai.uri)?.user : null;
  const privacy = (req.get('privacy') ?? '').toLowerCase();
  const anonymous = fromUri?.user === 'anonymous' || fromUri?.host === 'anonymous.invalid';
  return {
    number: account ? account.name : (paiUser ?? (anonymous ? null : (fromUri?.user ?? null))),
    display: from?.display ?? null,
    clir: privacy.includes('id') || privacy.includes('header') || anonymous,
  };
}
