/**
 * Connecting the caller with the leg that answered: answer the caller in the
 * answering leg's media format, relay media, and end each side when the
 * other does (with the same cause). While one side holds the call, the other
 * hears the number's music on hold instead of the relay.
 */
import type { Target } from '../../domain/routing/types.js';
import {
  CAUSE,
  type EndCause,
  type InboundLeg,
  type Leg,
  type MediaPort,
  type OriginateRequest,
  type OutboundLeg,
  type PlayHandle,
  type PromptSource,
  type SignalingPort,
} from '../ports.js';
import { ringAll, Ringer } from './ringer.js';

export interface ConnectOptions {
  /** What a held party's peer hears (spec 3.9 on_hold_music); read when the hold starts. */
  holdMusic?: () => Promise<readonly PromptSource[]>;
}

/** `b` is an answered outbound leg, or an inbound leg (a phone picking the call up) to answer first. */
export async function connect(
  media: MediaPort,
  a: InboundLeg,
  b: Leg,
  opts: ConnectOptions = {},
): Promise<EndCause | null> {
  if ('answer' in b && b.state !== 'answered') await (b as InboundLeg).answer({ like: a });
  await a.answer({ like: b });
  if (a.state !== 'answered' || b.state !== 'answered') {
    a.hangup();
    b.hangup();
    return a.endCause ?? b.endCause;
  }
  return bridgeUntilEnd(media, a, b, opts);
}

/** Relays two answered legs until one ends, then ends the other with its cause. */
export function bridgeUntilEnd(
  media: MediaPort,
  a: Leg,
  b: Leg,
  opts: ConnectOptions = {},
): Promise<EndCause> {
  let unbridge: (() => void) | null = media.bridge(a, b);
  let music: PlayHandle | null = null;
  let heldA = false;
  let heldB = false;
  let generation = 0;
  const update = () => {
    generation += 1;
    const mine = generation;
    music?.stop();
    music = null;
    if (!heldA && !heldB) {
      unbridge ??= media.bridge(a, b);
      return;
    }
    unbridge?.();
    unbridge = null;
    // Both on hold: nobody listens; one on hold: the other hears the music.
    if ((heldA && heldB) || !opts.holdMusic) return;
    const listener = heldA ? b : a;
    void opts.holdMusic().then(
      (sources) => {
        if (mine === generation && listener.state === 'answered' && sources.length > 0) {
          music = media.play(listener, sources, { loop: true });
        }
      },
      () => undefined,
    );
  };
  const holdA = (held: boolean) => {
    heldA = held;
    update();
  };
  const holdB = (held: boolean) => {
    heldB = held;
    update();
  };
  a.on('hold', holdA);
  b.on('hold', holdB);
  return new Promise((resolve) => {
    const end = (other: Leg) => (cause: EndCause) => {
      generation += 1;
      music?.stop();
      unbridge?.();
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
  d: { signaling: SignalingPort; media: MediaPort },
  targets: readonly Target[],
  resolve: (t: Target) => Promise<OriginateRequest[]>,
  onLeg: (out: OutboundLeg) => void,
  opts: ConnectOptions & { onConnected?: (a: InboundLeg, b: OutboundLeg) => void } = {},
): Promise<void> {
  const ringer = new Ringer({ signaling: d.signaling, resolve, onLeg: (out) => onLeg(out) });
  const outcome = await ringer.ring(ringAll(targets), leg);
  if (outcome.kind === 'answered') {
    opts.onConnected?.(leg, outcome.leg);
    await connect(d.media, leg, outcome.leg, opts);
    return;
  }
  if (outcome.kind !== 'caller-gone')
    leg.hangup(
      outcome.kind === 'busy'
        ? CAUSE.busy
        : outcome.kind === 'unavailable'
          ? CAUSE.unavailable
          : CAUSE.noAnswer,
    );
}
