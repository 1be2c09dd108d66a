/**
 * Who receives an event: the sessions of some users (e.g. everyone with read
 * access to an object), the sessions subscribed to a channel (a conference,
 * the call API, partner CDRs), or particular sessions (the conference_status
 * a new subscriber gets, spec 3.17).
 */
export type Audience = { users: readonly string[] } | { channel: string } | { sessions: readonly string[] };

/** An event as the client sees it (spec chapter 6): skeleton plus payload. */
export interface ApiEvent {
  id: number;
  event: string;
  time: number;
  [field: string]: unknown;
}

/** The one thing producers need: publish an event's name and payload (spec chapter 7) to an audience. */
export interface EventPublisher {
  publish(audience: Audience, event: string, payload?: Record<string, unknown>): Promise<void>;
}
