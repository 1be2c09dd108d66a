import type { Redis } from 'ioredis';
import type { Binding } from './registrations.js';

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
 * SipNotifyRequest}` per request. Every telephony node subscribed with
 * listenSipNotify() receives it; with several nodes, each passes an `accept`
 * filter so only the one that can reach the binding (e.g. holds its TCP
 * connection) sends. Pub/sub is fire-and-forget: a request published while no
 * telephony node listens is lost, like a NOTIFY the device does not answer.
 */
export const sipNotifyChannel = (prefix: string): string => `${prefix}sip:notify`;

export interface SipNotifyMessage {
  binding: Binding;
  account: { name: string; domain: string };
  request: SipNotifyRequest;
}

/** The SipNotifier of an API-only process: publishes to the channel. */
export class RedisSipNotifyRelay implements SipNotifier {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async notify(
    binding: Binding,
    account: { name: string; domain: string },
    req: SipNotifyRequest,
  ): Promise<void> {
    const message: SipNotifyMessage = {
      binding,
      account: { name: account.name, domain: account.domain },
      request: { event: req.event, contentType: req.contentType, content: req.content },
    };
    await this.redis.publish(sipNotifyChannel(this.prefix), JSON.stringify(message));
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';

/** The message when it has the documented shape, else null (the channel is not trusted blindly). */
export function parseSipNotifyMessage(text: string): SipNotifyMessage | null {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof m !== 'object' || m === null) return null;
  const { binding: b, account: a, request: r } = m as Record<string, Record<string, unknown> | undefined>;
  if (!b || !a || !r) return null;
  const bindingOk =
    isString(b['contact']) &&
    isString(b['source']) &&
    (b['transport'] === 'udp' || b['transport'] === 'tcp') &&
    typeof b['expiresAt'] === 'number' &&
    isString(b['callId']) &&
    typeof b['cseq'] === 'number' &&
    (b['userAgent'] === undefined || isString(b['userAgent']));
  if (!bindingOk || !isString(a['name']) || !isString(a['domain'])) return null;
  if (!isString(r['event']) || !isString(r['contentType']) || !isString(r['content'])) return null;
  return m as SipNotifyMessage;
}

/**
 * Telephony side of the channel: passes each valid message to the local
 * SipNotifier. Uses its own connection (a subscribed connection cannot send
 * commands); the returned function unsubscribes and closes it. A failing
 * notify is reported to `onError` and never stops the listener.
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
    notifier.notify(m.binding, m.account, m.request).catch((err: unknown) => opts.onError?.(err));
  });
  await sub.subscribe(channel);
  return async () => {
    await sub.unsubscribe(channel).catch(() => undefined);
    sub.disconnect();
  };
}
