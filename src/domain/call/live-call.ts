/**
 * A call as the platform lists it (spec 3.24 GET /api/call fields) while it
 * lives on some telephony node, and the commands a node takes for its calls.
 */

/** spec 3.24 `status`: init (outgoing only), calling, progress, ringing, answered, hangup. */
export type CallState = 'init' | 'calling' | 'progress' | 'ringing' | 'answered' | 'hangup';

export interface CallSummary {
  uuid: string;
  /** The telephony node that holds the call's legs and media. */
  node: string;
  owner: string | null;
  /** The platform number the call is for. */
  number: string | null;
  incoming: boolean;
  from: string | null;
  to: string | null;
  clip: string | null;
  clir: boolean;
  state: CallState;
  /** ms since epoch. */
  createdAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  /** Q.850 cause, once ended. */
  hangupCause: number | null;
}

export type CallCommand = { kind: 'hangup'; cause?: number };

/** Where live call summaries are kept for every node (store/redis/live-calls.ts). */
export interface LiveCallStore {
  put(summary: CallSummary): Promise<void>;
  remove(summary: CallSummary): Promise<void>;
  /** Writes what put()/remove() left pending (a store that coalesces writes); resolves when done. */
  flush?(): Promise<void>;
  get(uuid: string): Promise<CallSummary | null>;
  /** Live calls of a user, on any node, oldest first. */
  ofOwner(owner: string): Promise<CallSummary[]>;
  /** Live calls held by a node, oldest first. */
  ofNode(node: string): Promise<CallSummary[]>;
  /** Live calls of every node, oldest first. */
  all(): Promise<CallSummary[]>;
  /** Delivers a command to the node `node` (false: no node listened). */
  send(node: string, uuid: string, command: CallCommand): Promise<boolean>;
  /** Takes the commands sent to `node`; answers the unsubscribe. */
  listen(node: string, handler: (uuid: string, command: CallCommand) => void): Promise<() => Promise<void>>;
}
