/**
 * The dialog event package body (RFC 4235 application/dialog-info+xml) the
 * busy lamp field of phones reads: one <dialog> per call of the watched
 * number, with the ids a phone needs to pick a ringing call up (RFC 3891).
 */

import type { DialogInfo } from '../../adapter.js';

export type { DialogInfo };

const escape = (s: string): string =>
  s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );

export function dialogInfoXml(entity: string, version: number, dialogs: readonly DialogInfo[]): string {
  const lines = [
    '<?xml version="1.0"?>',
    `<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="${version}" state="full" entity="${escape(entity)}">`,
  ];
  for (const d of dialogs) {
    lines.push(
      `  <dialog id="${escape(d.callId)}" call-id="${escape(d.callId)}" local-tag="${escape(d.localTag)}" remote-tag="${escape(d.remoteTag)}" direction="${d.direction}">`,
      `    <state>${d.state}</state>`,
    );
    if (d.remote) lines.push(`    <remote><identity>${escape(d.remote)}</identity></remote>`);
    lines.push('  </dialog>');
  }
  lines.push('</dialog-info>');
  return lines.join('\r\n') + '\r\n';
}
