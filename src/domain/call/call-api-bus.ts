/**
 * What travels between the API and the telephony node that holds a call-API
 * call (store/redis/call-api.ts carries it): dial requests (any node takes
 * one), control requests (to the node holding the call), their answers, and
 * the live calls every API node lists.
 */
import type { CallApiView, ControlRequest } from './call-api.js';

/** POST /api/call/dial, checked by the API: the owner's number, the destination. */
export interface DialRequest {
  uuid: string;
  owner: string;
  from: string;
  to: string;
  clip: string | null;
  clir: boolean;
}

/** What a `play` object is (the API looked it up for the owner). */
export type PlayKind = 'announcement' | 'recording';

export interface ControlCommand {
  uuid: string;
  owner: string;
  request: ControlRequest;
  /** The kinds of the objects the request's play controls name. */
  objects: Record<string, PlayKind>;
}

export type CallApiReply =
  { ok: true } | { ok: false; status: 'illegal-state' | 'wrong-call'; message: string };

/** A live call-API call: its owner, the node that holds it, what GET /api/call shows. */
export interface LiveApiCall {
  uuid: string;
  owner: string;
  node: string;
  /**
   * The telephony process (node id and incarnation, the recovery journal's)
   * that holds it: the crash reaper ends the calls of a process that died.
   */
  process?: string;
  view: CallApiView;
}

/** Live call-API calls for every node (Redis). */
export interface LiveApiCalls {
  put(call: LiveApiCall): Promise<void>;
  remove(call: LiveApiCall): Promise<void>;
  get(uuid: string): Promise<LiveApiCall | null>;
  ofOwner(owner: string): Promise<LiveApiCall[]>;
  /** The live calls a telephony process holds (LiveApiCall.process). */
  ofProcess(process: string): Promise<LiveApiCall[]>;
}
