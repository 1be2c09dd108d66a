/**
 * A SIP dialog (RFC 3261 §12): the state both ends keep to send requests
 * within a call. The B2BUA never sits behind proxies it must route through
 * by DNS, so in-dialog requests go back over the flow the dialog was made
 * on (the peer the INVITE came from or went to), with the route set kept
 * for peers that Record-Route.
 */
import { SipRequest, tagOf } from './message.js';
import type { Peer } from './transport.js';
import { parseNameAddr } from './uri.js';

export class Dialog {
  localSeq: number;
  remoteSeq: number | null = null;

  constructor(
    readonly callId: string,
    readonly localTag: string,
    public remoteTag: string,
    /** Our From value in requests we send (name-addr without tag). */
    readonly local: string,
    /** Their address (name-addr without tag). */
    readonly remote: string,
    public remoteTarget: string,
    public routeSet: string[],
    public peer: Peer,
    initialSeq: number,
  ) {
    this.localSeq = initialSeq;
  }

  get key(): string {
    return dialogKey(this.callId, this.localTag);
  }

  /** A request within the dialog (§12.2.1.1). */
  request(method: string, seq?: number): SipRequest {
    const req = new SipRequest(method, this.remoteTarget);
    req.set('from', `${this.local};tag=${this.localTag}`);
    req.set('to', this.remoteTag ? `${this.remote};tag=${this.remoteTag}` : this.remote);
    req.set('call-id', this.callId);
    if (seq === undefined) {
      this.localSeq++;
      seq = this.localSeq;
    }
    req.set('cseq', `${seq} ${method}`);
    for (const r of this.routeSet) req.add('route', r);
    return req;
  }
}

/** A dialog as another process can rebuild it to end the call (crash recovery): JSON-safe. */
export interface DialogSnapshot {
  callId: string;
  localTag: string;
  remoteTag: string;
  local: string;
  remote: string;
  remoteTarget: string;
  routeSet: string[];
  peer: Peer;
  localSeq: number;
}

export function dialogSnapshot(d: Dialog): DialogSnapshot {
  return {
    callId: d.callId,
    localTag: d.localTag,
    remoteTag: d.remoteTag,
    local: d.local,
    remote: d.remote,
    remoteTarget: d.remoteTarget,
    routeSet: [...d.routeSet],
    peer: { ...d.peer },
    localSeq: d.localSeq,
  };
}

/**
 * The dialog of a snapshot, its CSeq moved well past anything the dead
 * process may have sent after the snapshot (§12.2.1.1: it must grow).
 */
export function dialogFromSnapshot(s: DialogSnapshot): Dialog {
  return new Dialog(
    s.callId,
    s.localTag,
    s.remoteTag,
    s.local,
    s.remote,
    s.remoteTarget,
    s.routeSet,
    s.peer,
    s.localSeq + 100,
  );
}

export const dialogKey = (callId: string, localTag: string): string => `${callId}|${localTag}`;

/** Strips the tag from a From/To value. */
export function withoutTag(value: string): string {
  return value.replace(/;\s*tag=[^;>\s]*/i, '');
}

/** The URI in a Contact header value, or null. */
export function contactUri(value: string | undefined): string | null {
  if (!value) return null;
  const n = parseNameAddr(value);
  return n && n.uri !== '*' ? n.uri : null;
}

export { tagOf };
