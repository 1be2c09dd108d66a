/**
 * Runs an IVR (spec 5.1.1) on an answered call: the pure state machine of
 * domain/routing/ivr.ts decides, this executes its actions on the media
 * port (announcements with barge-in, the wait for a digit) and hands a
 * redirect back to the caller of runIvr. Cascaded IVRs (a digit naming
 * another IVR) continue in the same loop.
 */
import { startIvr, stepIvr, type IvrAction, type IvrEvent } from '../../../domain/routing/ivr.js';
import type { IvrConfig } from '../../../domain/routing/types.js';
import type { InboundLeg, Logger, MediaPort, PlayHandle } from '../../adapter.js';
import { CAUSE } from '../../causes.js';
import type { VoiceDirectory } from './voice-directory.js';

/** Cascading deeper than this ends the call (an IVR pointing to itself through others). */
export const MAX_IVR_HOPS = 50;

export type IvrOutcome = { kind: 'redirect'; phone: string } | { kind: 'ended' };

export interface IvrDeps {
  media: MediaPort;
  voice: VoiceDirectory;
  log: Logger;
}

/** Events in arrival order, awaited one at a time. */
class EventQueue {
  private readonly queue: (IvrEvent | 'hangup')[] = [];
  private waiting: ((e: IvrEvent | 'hangup') => void) | null = null;

  push(e: IvrEvent | 'hangup'): void {
    const w = this.waiting;
    if (w) {
      this.waiting = null;
      w(e);
    } else this.queue.push(e);
  }

  next(): Promise<IvrEvent | 'hangup'> {
    const e = this.queue.shift();
    if (e !== undefined) return Promise.resolve(e);
    return new Promise((resolve) => (this.waiting = resolve));
  }
}

export async function runIvr(
  leg: InboundLeg,
  c: { owner: string; ivr: string },
  d: IvrDeps,
): Promise<IvrOutcome> {
  await leg.answer();
  if (leg.state !== 'answered') return { kind: 'ended' };
  let config: IvrConfig | null = await d.voice.ivr(c.owner, c.ivr);
  if (!config) {
    leg.hangup(CAUSE.unavailable);
    return { kind: 'ended' };
  }
  const events = new EventQueue();
  const onEnded = () => events.push('hangup');
  leg.once('ended', onEnded);
  let playing: PlayHandle | null = null;
  let timer: NodeJS.Timeout | null = null;
  const quiet = () => {
    playing?.stop();
    playing = null;
    if (timer) clearTimeout(timer);
    timer = null;
  };
  // Barge-in: a key that leads somewhere stops the announcement (every action below starts with quiet()).
  const unsubscribe = d.media.onDtmf(leg, (digit) => events.push({ type: 'digit', digit: digit.digit }));
  try {
    let step = startIvr(c.ivr, config);
    let hops = 0;
    for (;;) {
      const action: IvrAction = step.action;
      switch (action.kind) {
        case 'play':
        case 'repeat': {
          quiet();
          const ref = await d.voice.announcement(c.owner, action.announcement);
          const h = d.media.play(leg, ref ? [{ kind: 'media', ref }] : []);
          playing = h;
          void h.done.then((end) => {
            if (end !== 'stopped' && playing === h) {
              playing = null;
              events.push({ type: 'announcement-finished' });
            }
          });
          if (!ref) d.log.warn({ announcement: action.announcement }, 'IVR announcement not playable');
          break;
        }
        case 'wait':
          quiet();
          if (action.seconds !== null) {
            timer = setTimeout(() => events.push({ type: 'timeout' }), action.seconds * 1000);
          }
          break;
        case 'goto-ivr': {
          quiet();
          hops += 1;
          config = hops <= MAX_IVR_HOPS ? await d.voice.ivr(c.owner, action.ivr) : null;
          if (!config || leg.state !== 'answered') {
            leg.hangup(CAUSE.normal);
            return { kind: 'ended' };
          }
          step = startIvr(action.ivr, config);
          continue;
        }
        case 'redirect':
          quiet();
          return { kind: 'redirect', phone: action.phone };
        case 'hangup':
          quiet();
          leg.hangup(CAUSE.normal);
          return { kind: 'ended' };
        case 'none':
          break;
      }
      const e = await events.next();
      if (e === 'hangup' || leg.state !== 'answered') return { kind: 'ended' };
      step = stepIvr(step.state, config, e);
    }
  } finally {
    quiet();
    unsubscribe();
    leg.off('ended', onEnded);
  }
}
