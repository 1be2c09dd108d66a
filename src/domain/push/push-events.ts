/**
 * Push events (spec 8.2) and the payloads each push system gets. Pure: the
 * delivery code (src/push) sends what these functions build.
 *
 * GCM/FCM data messages carry strings only ("GCM suggests to only use strings
 * as values in the notification payload", spec 8.2.1), so numbers are turned
 * into strings there; APNs gets JSON values as they are, beside
 * `"aps": {"content-available": 1}` (a background notification that wakes
 * the app, Apple's "Pushing background updates to your App").
 */

/** The push events of spec 8.2 this engine sends (chat_message, 8.2.5, is out of scope). */
export const PUSH_MESSAGES = [
  'fax_new',
  'recording_new',
  'dialplan_callreverse_start',
  'dialplan_callreverse_stop',
] as const;
export type PushMessage = (typeof PUSH_MESSAGES)[number];

/** spec 8.2.1 */
export interface FaxNewPush {
  message: 'fax_new';
  fax: string;
  /** The sender's number. */
  phone: string;
  page_count: number;
}

/** spec 8.2.2 */
export interface RecordingNewPush {
  message: 'recording_new';
  recording: string;
  /** The caller's number. */
  phone: string;
}

/** spec 8.2.3, 8.2.4 */
export interface CallreversePush {
  message: 'dialplan_callreverse_start' | 'dialplan_callreverse_stop';
  phone_from: string;
  phone_to: string;
}

export type PushEvent = FaxNewPush | RecordingNewPush | CallreversePush;

export function isPushMessage(s: unknown): s is PushMessage {
  return typeof s === 'string' && (PUSH_MESSAGES as readonly string[]).includes(s);
}

/** The event's fields in spec order, `owner` and `message` first. */
function fields(owner: string, e: PushEvent): Array<[string, string | number]> {
  switch (e.message) {
    case 'fax_new':
      return [
        ['owner', owner],
        ['message', e.message],
        ['fax', e.fax],
        ['phone', e.phone],
        ['page_count', e.page_count],
      ];
    case 'recording_new':
      return [
        ['owner', owner],
        ['message', e.message],
        ['recording', e.recording],
        ['phone', e.phone],
      ];
    default:
      return [
        ['owner', owner],
        ['message', e.message],
        ['phone_from', e.phone_from],
        ['phone_to', e.phone_to],
      ];
  }
}

/** The GCM content of spec 8.2 (FCM v1 `message.data`): every value a string. */
export function gcmData(owner: string, e: PushEvent): Record<string, string> {
  return Object.fromEntries(fields(owner, e).map(([k, v]) => [k, String(v)]));
}

/** The APNs content of spec 8.2: `aps.content-available` plus the event's fields. */
export function apnsPayload(owner: string, e: PushEvent): Record<string, unknown> {
  return { aps: { 'content-available': 1 }, ...Object.fromEntries(fields(owner, e)) };
}

/** spec 8.1 `application_id`: the ten-character App ID prefix, a dot, the bundle ID. */
export const APPLICATION_ID = /^[a-zA-Z0-9]{10}\.[a-zA-Z0-9.-]{5,100}$/;
/** spec 8.1 `apns_topic` */
export const APNS_TOPIC = /^[a-zA-Z0-9.-]{5,100}$/;
/** spec 8.1 `device_token`: 32 bytes as 64 hex digits. */
export const DEVICE_TOKEN = /^[0-9a-fA-F]{64}$/;
/** spec 8.1 `registration_id` */
export const REGISTRATION_ID = /^.{10,250}$/;

/**
 * The `apns-topic` of a device: its `apns_topic`, else "the bundle-id part of
 * the application-id" (spec 8.1), i.e. everything after the prefix's dot.
 */
export function apnsTopicOf(applicationId: string, apnsTopic: string | null): string {
  if (apnsTopic) return apnsTopic;
  const dot = applicationId.indexOf('.');
  return dot < 0 ? applicationId : applicationId.slice(dot + 1);
}
