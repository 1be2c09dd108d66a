import type { Redis } from 'ioredis';
import { jsonObject } from '../../lib/json-object.js';
import { endSubscriber } from '../../lib/redis.js';

/**
 * What phones watch, told to every telephony node over Redis pub/sub
 * (channel `<prefix>presence`), since a phone's subscription lives on the
 * node that accepted it while the call it watches, or the voice message that
 * lights its lamp, may be anywhere:
 *
 * - `{"t": "dialog", "origin", "number", "info"}`: a call of a watched number
 *   rang, was answered or ended on node `origin` (spec 3.21 blf, RFC 4235);
 * - `{"t": "mailbox", "owner", "newMessages", "oldMessages"}`: the voice
 *   messages of a user changed (spec 13.1.2, RFC 3842 message-summary).
 *
 * One JSON message each; a message of another shape is dropped (the channel
 * is not trusted blindly).
 */
export const presenceChannel = (prefix: string): string => `${prefix}presence`;

export interface DialogUpdate {
  t: 'dialog';
  /** The node the call is on: it applied the update itself already. */
  origin: string;
  number: string;
  info: {
    callId: string;
    localTag: string;
    remoteTag: string;
    state: 'early' | 'confirmed' | 'terminated';
    direction: 'initiator' | 'recipient';
    remote: string | null;
  };
}

export interface MailboxUpdate {
  t: 'mailbox';
  owner: string;
  newMessages: number;
  oldMessages: number;
}

export type PresenceMessage = DialogUpdate | MailboxUpdate;

const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function parsePresenceMessage(text: string): PresenceMessage | null {
  const r = jsonObject(text);
  if (!r) return null;
  if (r['t'] === 'mailbox') {
    return isString(r['owner']) && isCount(r['newMessages']) && isCount(r['oldMessages'])
      ? { t: 'mailbox', owner: r['owner'], newMessages: r['newMessages'], oldMessages: r['oldMessages'] }
      : null;
  }
  if (r['t'] !== 'dialog' || !isString(r['origin']) || !isString(r['number'])) return null;
  const i = r['info'] as Record<string, unknown> | null | undefined;
  if (typeof i !== 'object' || i === null) return null;
  const ok =
    isString(i['callId']) &&
    isString(i['localTag']) &&
    isString(i['remoteTag']) &&
    (i['state'] === 'early' || i['state'] === 'confirmed' || i['state'] === 'terminated') &&
    (i['direction'] === 'initiator' || i['direction'] === 'recipient') &&
    (i['remote'] === null || isString(i['remote']));
  if (!ok) return null;
  return {
    t: 'dialog',
    origin: r['origin'],
    number: r['number'],
    info: {
      callId: i['callId'] as string,
      localTag: i['localTag'] as string,
      remoteTag: i['remoteTag'] as string,
      state: i['state'] as DialogUpdate['info']['state'],
      direction: i['direction'] as DialogUpdate['info']['direction'],
      remote: i['remote'] as string | null,
    },
  };
}

/** Publishes one update (commands on one connection keep their order). */
export async function publishPresence(redis: Redis, prefix: string, m: PresenceMessage): Promise<void> {
  await redis.publish(presenceChannel(prefix), JSON.stringify(m));
}

/**
 * Takes the updates of every node on a connection of its own; the returned
 * function unsubscribes and closes it. `onReady` runs on every (re)subscribe:
 * what was published while the subscription was down is lost.
 */
export async function listenPresence(
  redis: Redis,
  prefix: string,
  onMessage: (m: PresenceMessage) => void,
  opts: { onError?: (err: unknown) => void } = {},
): Promise<() => Promise<void>> {
  const sub = redis.duplicate();
  const channel = presenceChannel(prefix);
  sub.on('error', (err) => opts.onError?.(err));
  sub.on('message', (ch: string, text: string) => {
    if (ch !== channel) return;
    const m = parsePresenceMessage(text);
    if (!m) return;
    try {
      onMessage(m);
    } catch (err) {
      opts.onError?.(err);
    }
  });
  await sub.subscribe(channel);
  return async () => {
    endSubscriber(sub);
  };
}
