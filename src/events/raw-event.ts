import type { ApiEvent } from './types.js';

/**
 * An event of a session's stream as stored: its id and the JSON text of the
 * rest (`{"event":…,"time":…,…}`, what the publisher wrote). The long-poll
 * answer is put together from these texts, so a delivery parses and
 * serialises nothing.
 */
export interface RawEvent {
  id: number;
  body: string;
}

/** The event as the client sees it: the id first, then the stored members. */
export function parseEvent(raw: RawEvent): ApiEvent {
  return { id: raw.id, ...(JSON.parse(raw.body) as { event: string; time: number }) };
}

/** The JSON text of parseEvent(raw), without the round trip through an object. */
export function eventJson(raw: RawEvent): string {
  const { body } = raw;
  // A stored body is a JSON object with at least `event` and `time`; `{}` is the only empty one.
  return body.length > 2 ? `{"id":${raw.id},${body.slice(1)}` : `{"id":${raw.id}}`;
}

/**
 * The answer of GET /api/event (spec 3.27) to events from a poll:
 * `{"status":"ok","event":[…],"next":N}`, N the id after the last event.
 */
export function pollAnswer(events: readonly RawEvent[]): string {
  let text = '{"status":"ok","event":[';
  for (let i = 0; i < events.length; i++) text += (i === 0 ? '' : ',') + eventJson(events[i]!);
  return `${text}],"next":${events[events.length - 1]!.id + 1}}`;
}

/** The answer of GET /api/event when the timeout passed without an event (spec 3.27 `timeout`). */
export function timeoutAnswer(next: number): string {
  return `{"status":"timeout","message":"no event arrived within the timeout","next":${next}}`;
}
