/**
 * The Replaces header (RFC 3891 §6.1): `callid;to-tag=x;from-tag=y` names
 * the dialog an INVITE takes over (a BLF phone picking up a ringing call).
 * The Call-ID alone identifies a call the engine holds; the tags are kept.
 */
import type { DialogRef } from '../../adapter.js';

export function parseReplaces(value: string): DialogRef | null {
  const [id, ...params] = value.split(';');
  const callId = id?.trim() ?? '';
  if (callId === '' || /\s/.test(callId)) return null;
  const param = (name: string): string =>
    params
      .map((p) => p.trim().split('='))
      .find(([k]) => k?.trim().toLowerCase() === name)?.[1]
      ?.trim() ?? '';
  return { callId, localTag: param('to-tag'), remoteTag: param('from-tag') };
}
