/**
 * Who calls, as an INVITE says it (RFC 3261 From, RFC 3325
 * P-Asserted-Identity and Privacy, RFC 3323 anonymous URIs): what both SIP
 * adapters hand the engine as the caller, and what they tell the called
 * party of it.
 */
import type { AccountRef, CallParty, OriginateRequest } from '../../adapter.js';
import type { SipRequest } from './message.js';
import { formatNameAddr, parseNameAddr, parseUri } from './uri.js';

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

/**
 * How an outgoing INVITE names its caller: From (without its tag; anonymous
 * under CLIR), and P-Asserted-Identity, Privacy and User-to-User when there
 * is something to say.
 */
export function callerHeaders(
  req: Pick<OriginateRequest, 'from' | 'assertedIdentity' | 'uui'>,
  domain: string,
): { from: string; more: Record<string, string> } {
  const { from } = req;
  const uri = from.clir || !from.number ? 'sip:anonymous@anonymous.invalid' : `sip:${from.number}@${domain}`;
  const more: Record<string, string> = {};
  if (req.assertedIdentity) more['p-asserted-identity'] = `<sip:${req.assertedIdentity}@${domain}>`;
  if (from.clir) more['privacy'] = 'id';
  // RFC 7433 User-to-User (emergency calls carry the partner's UUI, spec 9.1.5).
  if (req.uui !== undefined) more['user-to-user'] = req.uui;
  return { from: formatNameAddr({ display: from.clir ? 'Anonymous' : from.display, uri }), more };
}
