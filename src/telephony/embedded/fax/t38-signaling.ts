/**
 * The SIP side of a fax on an embedded leg: the re-INVITE from audio to
 * `image/t38` (T.38 Annex D) either way. A leg running a fax sets its
 * `faxOffer` hook; an image offer that arrives in the dialog then gets the
 * hook's answer, or 488 when no fax runs. Our own offer goes out in a
 * re-INVITE within the leg's dialog; a 2xx is ACKed (RFC 3261 §13.2.2.4),
 * anything else (488, 415, a timeout) leaves the call on audio.
 */
import type { Dialog } from '../sip/dialog.js';
import type { SipResponse } from '../sip/message.js';
import type { SipStack } from '../sip/stack.js';
import type { ServerTransaction } from '../sip/transaction.js';
import { parseT38Sdp, type T38Description } from '../sip/sdp-t38.js';

/** Answers an image offer with our SDP, or null to refuse it (488). */
export type FaxOfferHook = (offer: T38Description) => string | null;

/** What the embedded fax needs from the leg it runs on. */
export interface FaxSignaling {
  /** The address our SDP names. */
  readonly mediaAddress: string;
  /** The o= line values of our next SDP (the version grows with each). */
  nextOrigin(): { sessionId: string; version: number };
  /** Sends a re-INVITE with this SDP offer; resolves with the final answer (null: timeout or no dialog). */
  reinvite(sdp: string): Promise<{ status: number; body: string } | null>;
  /** Set while a fax runs on the leg (null: image offers are refused). */
  setFaxOffer(hook: FaxOfferHook | null): void;
}

/**
 * An in-dialog INVITE carrying an image stream: answered here (true) with
 * the running fax's answer, or 488 Not Acceptable Here; false when it is
 * no fax offer (the leg handles it as before).
 */
export function answerFaxOffer(
  tx: ServerTransaction,
  hook: FaxOfferHook | null,
  init: { toTag?: string; contact: string },
): boolean {
  const body = tx.request.body.length > 0 ? tx.request.body.toString() : '';
  const offer = body ? parseT38Sdp(body) : null;
  if (!offer || offer.port === 0) return false;
  const answer = hook?.(offer) ?? null;
  const base = { ...(init.toTag ? { toTag: init.toTag } : {}), headers: { contact: init.contact } };
  if (answer === null) tx.respond(488, 'Not Acceptable Here', base);
  else tx.respond(200, 'OK', { ...base, body: answer });
  return true;
}

/** A re-INVITE within `dialog` with an SDP offer; the 2xx is ACKed. */
export function sendReinvite(
  stack: SipStack,
  dialog: Dialog,
  contact: string,
  sdp: string,
): Promise<{ status: number; body: string } | null> {
  return new Promise((resolve) => {
    const invite = dialog.request('INVITE');
    const seq = dialog.localSeq;
    invite.set('contact', contact);
    invite.set('allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO');
    invite.setBody('application/sdp', sdp);
    let settled = false;
    stack.request(invite, dialog.peer, {
      onResponse: (res: SipResponse) => {
        if (res.status < 200) return;
        if (res.status < 300) {
          // Every 2xx (retransmissions too) gets its ACK.
          const ack = dialog.request('ACK', seq);
          ack.set('via', stack.via(dialog.peer));
          ack.set('max-forwards', '70');
          stack.sendRaw(ack, dialog.peer);
        }
        if (settled) return;
        settled = true;
        resolve({ status: res.status, body: res.body.toString() });
      },
      onTimeout: () => {
        if (settled) return;
        settled = true;
        resolve(null);
      },
    });
  });
}
