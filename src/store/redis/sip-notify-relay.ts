import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { jsonObject } from '../../lib/json-object.js';
import type { Binding } from './registrations.js';
import { endSubscriber } from '../../lib/redis.js';

export interface SipNotifyRequest {
  /** The `Event` header value (spec 3.21 `event-string`). */
  event: string;
  contentType: string;
  content: string;
}

/**
 * Port of `POST /api/sip/(sip-user)/notify` (spec 3.21): sends an
 * out-of-dialog NOTIFY to a registered device. The telephony role sets
 * `Services.sipNotifier` to its SIP stack's implementation at start-up.
 */
export interface SipNotifier {
  notify(binding: Binding, account: { name: string; domain: string }, req: SipNotifyRequest): Promise<void>;
}

/**
 * Where an API-only process (no SIP stack of its own) hands NOTIFY requests to
 * the telephony nodes: Redis pub/sub channel `<prefix>sip:notify`, one JSON
 * message `{"binding": Binding, "account": {"name", "domain"}, "request":
 * SipNotifyRequest, "reply": id}` per request. Every telephony node subscribed
 * with listenSipNotify() receives it; with several nodes, each passes an
 * `accept` filter so only the one that can reach the binding (e.g. holds its
 * TCP connection) sends. The node that sent it publishes the device's outcome
 * `{"reply": id, "answered": boolean}` on `<prefix>sip:notify:reply`, so the
 * API answers from what the device did rather than from having asked.
 */
export const sipNotifyChannel = (prefix: string): string => `${prefix}sip:notify`;
export const sipNotifyReplyChannel = (prefix: string): string => `${prefix}sip:notify:reply`;

export interface SipNotifyMessage {
  binding: Binding;
  account: { name: string; domain: string };
  request: SipNotifyRequest;
  /** Id of the outcome the sender waits for on the reply channel; absent: nobody waits. */
  reply?: string;
}

/** No telephony node listens, the device answered nothing in time, or it could not be reached. */
export class SipNotifyUnanswered extends Error {
  override name = 'SipNotifyUnanswered';
}

/**
 * The SipNotifier of an API-only process: publishes to the channel and waits
 * (at most `timeoutMs`) for the outcome from the telephony node that sent it.
 * The reply subscription is one connection per process, made on first use.
 */
export class RedisSipNotifyRelay implements SipNotifier {
  private sub: Redis | null = null;
  private subscribing: Promise<void> | null = null;
  private readonly waiting = new Map<string, (answered: boolean) => void>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly timeoutMs: number,
  ) {}

  private listen(): Promise<void> {
    if (this.subscribing) return this.subscribing;
    const sub = this.redis.duplicate();
    this.sub = sub;
    sub.on('error', () => undefined);
    sub.on('message', (_ch: string, text: string) => {
      let m: unknown;
      try {
        m = JSON.parse(text);
      } catch {
        return;
      }
      const { reply, answered } = (m ?? {}) as { reply?: unknown; answered?: unknown };
      if (typeof reply !== 'string') return;
      this.waiting.get(reply)?.(answered === true);
    });
    this.subscribing = sub.subscribe(sipNotifyReplyChannel(this.prefix)).then(() => undefined);
    return this.subscribing;
  }

  async notify(
    binding: Binding,
    account: { name: string; domain: string },
    req: SipNotifyRequest,
  ): Promise<void> {
    await this.listen();
    const reply = randomUUID();
    const message: SipNotifyMessage = {
      binding,
      account: { name: account.name, domain: account.domain },
      request: { event: req.event, contentType: req.contentType, content: req.content },
      reply,
    };
    const outcome = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => settle(false), this.timeoutMs);
      const settle = (answered: boolean): void => {
        clearTimeout(timer);
        this.waiting.delete(reply);
        resolve(answered);
      };
      this.waiting.set(reply, settle);
    });
    const receivers = await this.redis.publish(sipNotifyChannel(this.prefix), JSON.stringify(message));
    if (receivers === 0) {
      this.waiting.get(reply)?.(false);
      throw new SipNotifyUnanswered('no telephony node is listening');
    }
    if (!(await outcome)) throw new SipNotifyUnanswered(`NOTIFY to ${binding.contact} was not answered`);
  }

  async close(): Promise<void> {
    for (const settle of [...this.waiting.values()]) settle(false);
    const sub = this.sub;
    this.sub = null;
    this.subscribing = null;
    if (sub) {
      endSubscriber(sub);
    }
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';

/** The message when it has the documented shape, else null (the channel is not trusted blindly). */
export function parseSipNotifyMessage(text: string): SipNotifyMessage | null {
  const m = jsonObject(text);
  if (!m) return null;
  const { binding: b, account: a, request: r } = m as Record<string, Record<string, unknown> | undefined>;
  if (!b || !a || !r) return null;
  const bindingOk =
    isString(b['contact']) &&
    isString(b['source']) &&
    (b['transport'] === 'udp' || b['transport'] === 'tcp') &&
    typeof b['expiresAt'] === 'number' &&
    isString(b['callId']) &&
    typeof b['cseq'] === 'number' &&
    (b['userAgent'] === undefined || isString(b['userAgent'])) &&
    (b['path'] === undefined || (Array.isArray(b['path']) && b['path'].every(isString)));
  if (!bindingOk || !isString(a['name']) || !isString(a['domain'])) return null;
  if (!isString(r['event']) || !isString(r['contentType']) || !isString(r['content'])) return null;
  const reply = m['reply'];
  if (reply !== undefined && !isString(reply)) return null;
  return m as unknown as SipNotifyMessage;
}

/**
 * Telephony side of the channel: passes each valid message to the local
 * SipNotifier and publishes the device's outcome for the waiting sender.
 * Uses its own connection (a subscribed connection cannot send commands); the
 * returned function unsubscribes and closes it. A failing notify is reported
 * to `onError` and never stops the listener.
 */
export async function listenSipNotify(
  redis: Redis,
  prefix: string,
  notifier: SipNotifier,
  opts: { accept?: (m: SipNotifyMessage) => boolean; onError?: (err: unknown) => void } = {},
): Promise<() => Promise<void>> {
  const sub = redis.duplicate();
  sub.on('error', (err) => opts.onError?.(err));
  const channel = sipNotifyChannel(prefix);
  sub.on('message', (ch: string, text: string) => {
    if (ch !== channel) return;
    const m = parseSipNotifyMessage(text);
    if (!m || (opts.accept && !opts.accept(m))) return;
    const answer = (answered: boolean): void => {
      if (m.reply === undefined) return;
      redis
        .publish(sipNotifyReplyChannel(prefix), JSON.stringify({ reply: m.reply, answered }))
        .catch((err: unknown) => opts.onError?.(err));
    };
    notifier.notify(m.binding, m.account, m.request).then(
      () => answer(true),
      (err: unknown) => {
        answer(false);
        opts.onError?.(err);
      },
    );
  });
  await sub.subscribe(channel);
  return async () => {
    endSubscriber(sub);
  };
}
