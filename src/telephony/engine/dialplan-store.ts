/** What the engine needs of DialplanV1Service. */
export interface DialplanCallStore {
  /** Uses the call-through process up when `caller` passes its filter; null = the user's own SIP account. */
  takeCallthrough(userId: string, caller: string | null): Promise<{ phone: string } | null>;
  startCallreverse(userId: string, phoneFrom: string, phoneTo: string, ttlMs: number): Promise<void>;
  stopCallreverse(userId: string): Promise<void>;
  callreverseState(userId: string): Promise<{ phone_from: string; phone_to: string; filter?: string } | null>;
}
