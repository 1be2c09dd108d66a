/** What the engine's fax calls (fax-line.ts) are given by the node. */
import type { IncomingFax, ReceiveResult } from '../../services/fax-inbox.js';

/** Where received faxes go (services/fax-inbox.ts's FaxInbox). */
export interface FaxReception {
  startReceive(input: { owner: string; from: string; to: string }): Promise<IncomingFax>;
  pageReceived(incoming: IncomingFax, pagesDone: number): Promise<void>;
  finishReceive(
    incoming: IncomingFax,
    result: ReceiveResult,
  ): Promise<{ push: { owner: string; fax: string; phone: string; page_count: string } | null }>;
}

/** What fax calls need beyond the engine's context. */
export interface FaxLineOptions {
  /** Offer and accept T.38 (else G.711 audio fax only). */
  t38: boolean;
  /** How long a fax call may ring (ms). */
  ringTimeoutMs?: number;
  /** The longest a fax may take once answered (ms). */
  maxFaxMs?: number;
}

export interface FaxReceiveDeps extends FaxLineOptions {
  inbox: FaxReception;
  /** spec 8.2.1 fax_new to the owner's devices; absent: no push. */
  pushFaxNew?: (owner: string, fax: string, phone: string, pageCount: number) => Promise<void>;
}
