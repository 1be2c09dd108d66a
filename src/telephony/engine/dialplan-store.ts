/** What the engine needs of DialplanV1Service. */
export interface DialplanCallStore {
  /** Uses the call-through process up when `caller` passes its filter; null = the user's own SIP account. */
  takeCallthrough(userId: string, caller: string | null): Promise<{ phone: string } | null>;
  /** `node`: the SIP URI of the node the call rings on (NODE_SIP_URI), for a call-reverse call landing elsewhere. */
  startCallreverse(
    userId: string,
    phoneFrom: string,
    phoneTo: string,
    ttlMs: number,
    node?: string,
  ): Promise<void>;
  stopCallreverse(userId: string): Promise<void>;
  callreverseState(
    userId: string,
  ): Promise<{ phone_from: string; phone_to: string; filter?: string; node?: string } | null>;
}
