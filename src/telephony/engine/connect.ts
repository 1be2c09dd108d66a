/**
 * Connecting the caller with the leg that answered: answer the caller,
 * bridge the media, and end each side when the other does (with the same
 * cause). While one side holds the call, the other hears the number's
 * music on hold instead of the bridge.
 */
import type { Target } from '../../domain/routing/types.js';
import type {
  Bridge,
  InboundLeg,
  Leg,
  Logger,
  MediaPort,
  OutboundLeg,
  PlayHandle,
  PromptSource,
} from '../adapter.js';
import { CAUSE, causeOfRingFailure, type EndCause } from '../causes.js';
import { ringAll, Ringer } from './ringer.js';

export interface ConnectOptions {
  /** What a held party's peer hears (spec 3.9 on_hold_music); read when the hold starts. */
  holdMusic?: () => Promise<readonly PromptSource[]>;
  log?: Logger;
}

const isInbound = (leg: Leg): leg is InboundLeg => 'answer' in leg;

/** `b` is an answered outbound leg, or an inbound leg (a phone picking the call up) to answer first. */
export async function connect(
  media: MediaPort,
  a: InboundLeg,
  b: Leg,
  opts: ConnectOptions = {},
): Promise<EndCause | null> {
  if (isInbound(b) && b.state !== 'answered') await b.answer();
  await a.answer();
  if (a.state !== 'answered' || b.state !== 'answered') {
    a.hangup();
    b.hangup();
    return a.endCause ?? b.endCause;
  }
  return bridgeUntilEnd(media, a, b, opts);
}

/** Bridges two answered legs until one ends, then ends the other with its cause. */
export function bridgeUntilEnd(
  media: MediaPort,
  a: Leg,
  b: Leg,
  opts: ConnectOptions = {},
): Promise<EndCause> {
  let bridge: Bridge | null = null;
  let music: PlayHandle | null = null;
  let heldA = false;
  let heldB = false;
  let over = false;
  // Bridge changes run one after the other (a hold and its release can come back to back).
  let chain: Promise<void> = Promise.resolve();
  const apply = (): void => {
    chain = chain.then(async () => {
      if (over) return;
      music?.stop();
      music = null;
      if (!heldA && !heldB) {
        if (!bridge) bridge = await media.bridge(a, b);
        return;
      }
      await bridge?.unbridge();
      bridge = null;
      // Both on hold: nobody listens; one on hold: the other hears the music.
      if ((heldA && heldB) || !opts.holdMusic) return;
      const listener = heldA ? b : a;
      const sources = await opts.holdMusic();
      if (!over && heldA !== heldB && listener.state === 'answered' && sources.length > 0)
        music = media.play(listener, sources, { loop: true });
    });
    chain = chain.catch((err: unknown) => {
      // No media between the legs: a call nobody can hear is ended, not left up.
      opts.log?.warn({ err, a: a.id, b: b.id }, 'bridge failed');
      a.hangup(CAUSE.failure);
      b.hangup(CAUSE.failure);
    });
  };
  const holdA = (held: boolean) => {
    heldA = held;
    apply();
  };
  const holdB = (held: boolean) => {
    heldB = held;
    apply();
  };
  a.on('hold', holdA);
  b.on('hold', holdB);
  apply();
  return new Promise((resolve) => {
    const end = (other: Leg) => (cause: EndCause) => {
      if (over) return;
      over = true;
      music?.stop();
      void bridge?.unbridge();
      a.off('hold', holdA);
      b.off('hold', holdB);
      other.hangup(cause);
      resolve(cause);
    };
    a.once('ended', end(b));
    b.once('ended', end(a));
    if (a.state === 'ended') end(b)(a.endCause ?? CAUSE.normal);
    else if (b.state === 'ended') end(a)(b.endCause ?? CAUSE.normal);
  });
}

/**
 * Rings `targets` at once for `leg` and connects the first that answers
 * (`onConnected` first, e.g. to start billing); otherwise ends `leg` with
 * the cause of the failure (busy, unavailable, no answer).
 */
export async function ringAndConnect(
  leg: InboundLeg,
  media: MediaPort,
  targets: readonly Target[],
  open: (t: Target) => Promise<OutboundLeg[]>,
  opts: ConnectOptions & { onConnected?: (a: InboundLeg, b: OutboundLeg) => void } = {},
): Promise<void> {
  const ringer = new Ringer({ open, onProgress: () => leg.ring() });
  const outcome = await ringer.ring(ringAll(targets), leg);
  if (outcome.kind === 'answered') {
    opts.onConnected?.(leg, outcome.leg);
    await connect(media, leg, outcome.leg, opts);
    return;
  }
  if (outcome.kind !== 'caller-gone') leg.hangup(causeOfRingFailure(outcome.kind));
}
