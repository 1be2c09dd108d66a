/**
 * Conference dial-in (spec 3.17, 3.9 conference_enable; issue 17): a call
 * to a number whose answered route has `conference` on is answered, hears
 * its first prompt, and what the caller sends first decides where it goes
 * (domain/conference/dial-in.ts): the fax calling tone to fax receive, a
 * digit to the PIN entry (the digit being the PIN's first), nothing by the
 * end of the voice box announcement to the voice box. The PIN entry gives
 * three tries; an inactive conference is announced and the call ends; the
 * right PIN puts the caller's media into the conference's room (the
 * mixer), where it stays until the caller hangs up or is kicked (the room
 * ends the call, a BYE).
 */
import { dialInTarget, firstPrompt, type AnsweredRoute } from '../../domain/conference/dial-in.js';
import { PinDialog, type PinStep } from '../../domain/conference/pin.js';
import type { ConferenceSettings } from '../../services/conference-service.js';
import type {
  CallParty,
  InboundLeg,
  Logger,
  MediaPort,
  MediaRef,
  OriginateRequest,
  OutboundLeg,
  PromptSource,
} from '../adapter.js';
import { step, type Step } from '../call/steps.js';
import { CAUSE } from '../causes.js';
import { bridgeUntilEnd } from './connect.js';
import type { CdrWriter } from './cdr-writer.js';
import type { EngineContext } from './context.js';
import type { ConferenceHost } from './conference-types.js';
import type { FaxReceiveDeps } from './fax-types.js';
import { receiveFax } from './receive-fax.js';
import { playAndWait } from './voice/prompts.js';

export type { ConferenceHost } from './conference-types.js';
import { runVoicebox } from './voice/voicebox.js';
import type { SystemPrompt, VoiceDirectory } from './voice/voice-directory.js';

/** Time for the first digit of a PIN after the prompt ended, and between its digits (ms). */
export const PIN_FIRST_DIGIT_MS = 10_000;
export const PIN_INTER_DIGIT_MS = 5_000;

export interface DialInDeps {
  media: MediaPort;
  voice: VoiceDirectory;
  cdrs: CdrWriter;
  conferences: ConferenceHost;
  /** Fax reception (a fax tone during the first prompt); absent: the call ends as unavailable. */
  fax?: FaxReceiveDeps;
  log: Logger;
}

export interface DialInCall {
  owner: string;
  number: string;
  route: AnsweredRoute;
  /** The CDR of the caller's leg: it becomes the participant's (service `conference`). */
  cdrId: string;
  /** The caller as a recording's `from` ('anonymous' with CLIR, spec 7.11 `phone` left out then). */
  from: string;
  /**
   * A leg of the caller's call (to the node that mixes the conference when
   * it is another); absent: such callers are refused.
   */
  originate?: (req: Omit<OriginateRequest, 'call'>) => OutboundLeg;
}

type Input = 'digit' | 'fax' | 'ended' | 'timeout';

/** The caller's digits and fax tone, queued from the answer on; `next` waits for one of them. */
class CallerInput {
  readonly digits: string[] = [];
  #fax = false;
  #ended = false;
  #wake: (() => void) | null = null;
  readonly #stopDtmf: () => void;
  #stopTone: () => void;

  constructor(
    media: MediaPort,
    private readonly leg: InboundLeg,
    listenForFax: boolean,
  ) {
    this.#stopDtmf = media.onDtmf(leg, (d) => {
      this.digits.push(d.digit);
      this.#wake?.();
    });
    this.#stopTone = listenForFax
      ? media.onTone(leg, 'fax-cng', () => {
          this.#fax = true;
          this.#wake?.();
        })
      : () => undefined;
    this.#ended = leg.state === 'ended';
    leg.once('ended', this.#onEnded);
  }

  readonly #onEnded = (): void => {
    this.#ended = true;
    this.#wake?.();
  };

  #ready(): Input | null {
    if (this.#ended) return 'ended';
    if (this.#fax) return 'fax';
    return this.digits.length > 0 ? 'digit' : null;
  }

  /** The next input, or 'timeout' once `until` settled first. */
  next(until: Promise<unknown>): Promise<Input> {
    const now = this.#ready();
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => {
      let done = false;
      const finish = (r: Input): void => {
        if (done) return;
        done = true;
        this.#wake = null;
        resolve(r);
      };
      this.#wake = () => {
        const r = this.#ready();
        if (r) finish(r);
      };
      void until.then(() => finish('timeout'));
    });
  }

  /** A fax is no longer expected (the caller keys a PIN). */
  stopFax(): void {
    this.#stopTone();
    this.#stopTone = () => undefined;
    this.#fax = false;
  }

  close(): void {
    this.#stopDtmf();
    this.#stopTone();
    this.leg.off('ended', this.#onEnded);
  }
}

/** A timer as a promise, cancelled with the returned function. */
function timer(ms: number): [Promise<void>, () => void] {
  let t: NodeJS.Timeout | undefined;
  const p = new Promise<void>((r) => (t = setTimeout(r, ms)));
  return [p, () => clearTimeout(t)];
}

/** Runs the dial-in on the caller's leg (answered here). */
export async function runConferenceDialIn(leg: InboundLeg, c: DialInCall, d: DialInDeps): Promise<void> {
  await leg.answer();
  if (leg.state !== 'answered') return;
  const prompt = await d.voice.prompts(c.owner);
  const say = (...names: SystemPrompt[]): PromptSource[] =>
    names.map((name) => ({ kind: 'media', ref: prompt(name) }));
  const input = new CallerInput(d.media, leg, c.route.fax);
  let next: 'voicebox' | 'fax' | ConferenceSettings | null;
  try {
    next = await firstInput(leg, c, d, input, prompt, say);
  } finally {
    input.close();
  }
  if (next === 'voicebox') {
    const record = c.route.voicebox?.record ?? false;
    await runVoicebox(leg, { ...c, announcement: c.route.announcement, record, greeted: true }, d);
  } else if (next === 'fax') await receiveFax(leg, c, d);
  else if (next !== null) {
    const ref = prompt('enter-pin');
    await join(leg, c, d, next, ref.kind === 'prompt' ? ref.language : 'en');
  }
}

/** The first prompt and what the caller sends during it, then the PIN entry when that is where it goes. */
async function firstInput(
  leg: InboundLeg,
  c: DialInCall,
  d: DialInDeps,
  input: CallerInput,
  prompt: (name: SystemPrompt) => MediaRef,
  say: (...names: SystemPrompt[]) => PromptSource[],
): Promise<'voicebox' | 'fax' | ConferenceSettings | null> {
  let sources: PromptSource[] | null = say('enter-pin');
  if (firstPrompt(c.route) === 'announcement') {
    const greeting = c.route.announcement ? await d.voice.announcement(c.owner, c.route.announcement) : null;
    const h = d.media.play(leg, [
      {
        kind: 'media',
        ref: greeting ?? prompt(c.route.voicebox?.record ? 'leave-message' : 'not-available'),
      },
    ]);
    const got = await input.next(h.done);
    if (got === 'ended') return null;
    const target =
      got === 'fax'
        ? dialInTarget(c.route, { kind: 'fax-tone' })
        : got === 'digit'
          ? dialInTarget(c.route, { kind: 'digit', digit: input.digits[0]! })
          : dialInTarget(c.route, { kind: 'nothing' });
    if (target === 'voicebox' || target === 'fax') return target;
    // A digit: the PIN entry, with the digit as its first (the announcement stops).
    h.stop();
    sources = null;
  }
  return pinEntry(leg, c, d, input, sources, say);
}

/**
 * The PIN dialog (domain/conference/pin.ts) on the call: prompts with
 * barge-in, first-digit and inter-digit timeouts, the lookup. Answers the
 * conference to join, 'fax' when a fax tone came before any digit, or null
 * when the call ended (hung up here, or by the caller).
 */
async function pinEntry(
  leg: InboundLeg,
  c: DialInCall,
  d: DialInDeps,
  input: CallerInput,
  first: PromptSource[] | null,
  say: (...names: SystemPrompt[]) => PromptSource[],
): Promise<ConferenceSettings | 'fax' | null> {
  const dialog = new PinDialog();
  let sources = first;
  let waitMs = PIN_FIRST_DIGIT_MS;
  for (;;) {
    let got: Input;
    const [wait, cancel] = timer(waitMs);
    if (sources) {
      cancel();
      const h = d.media.play(leg, sources);
      sources = null;
      got = await input.next(h.done);
      if (got === 'digit') h.stop();
      if (got === 'timeout') {
        const [again, cancelAgain] = timer(waitMs);
        got = await input.next(again);
        cancelAgain();
      }
    } else {
      got = await input.next(wait);
      cancel();
    }
    if (got === 'ended') return null;
    if (got === 'fax') return 'fax';
    let step: PinStep;
    if (got === 'digit') {
      input.stopFax();
      step = dialog.digit(input.digits.shift()!);
      waitMs = PIN_INTER_DIGIT_MS;
    } else step = dialog.timeout();
    let conference: ConferenceSettings | null = null;
    if (step.kind === 'check') {
      conference = await d.conferences.byPin(c.owner, step.pin);
      if (leg.state !== 'answered') return null;
      step = conference ? dialog.found(conference.active) : dialog.notFound();
    }
    switch (step.kind) {
      case 'collect':
      case 'check':
        continue;
      case 'join':
        return conference;
      case 'inactive':
        d.log.info({ number: c.number, conference: conference?.uuid }, 'conference inactive');
        await playAndWait(d.media, leg, say('conference-inactive'));
        leg.hangup(CAUSE.normal);
        return null;
      case 'retry':
        // What was keyed during the wrong-PIN prompt counts for the next try.
        input.digits.length = 0;
        sources = say('wrong-pin', 'enter-pin');
        waitMs = PIN_FIRST_DIGIT_MS;
        continue;
      case 'give-up':
        d.log.info({ number: c.number }, 'conference PIN wrong three times');
        await playAndWait(d.media, leg, say('wrong-pin'));
        leg.hangup(CAUSE.normal);
        return null;
    }
  }
}

/** Into the room until the caller hangs up or is kicked; the caller's CDR is the participant's. */
async function join(
  leg: InboundLeg,
  c: DialInCall,
  d: DialInDeps,
  conference: ConferenceSettings,
  language: string,
): Promise<void> {
  if (leg.state !== 'answered') return;
  const release = d.cdrs.hold(c.cdrId);
  try {
    const res = await d.conferences.rooms.join(conference, {
      phone: leg.info.caller.clir ? null : leg.info.caller.number,
      language,
      attach: (room, mix) => d.conferences.port.attach(room, leg, mix),
      onKick: () => leg.hangup(CAUSE.normal),
    });
    if (res.kind === 'remote') {
      await joinRemote(leg, c, d, conference, language, res);
      return;
    }
    // A participant from now on: a crash of this node writes the CDR as the conference's too.
    d.cdrs.note(c.cdrId, { service: 'conference', conference_id: conference.uuid });
    if ((leg.state as string) !== 'ended') await new Promise((r) => leg.once('ended', r));
    await res.member.leave();
  } catch (err) {
    d.log.error({ err, conference: conference.uuid }, 'conference join failed');
    leg.hangup(CAUSE.unavailable);
  } finally {
    release({ service: 'conference', conference_id: conference.uuid });
  }
}

/**
 * The conference is mixed on another node: the caller's call gets a leg to
 * that node (its NODE_SIP_URI, with a pass for the conference), which puts
 * it into the room there; the two legs are bridged until either ends. A
 * kick there ends the leg between the nodes, and with it the caller's
 * call (BYE); the caller hanging up ends the leg. The caller's CDR is the
 * participant's (service `conference`); the leg between the nodes writes none.
 */
async function joinRemote(
  leg: InboundLeg,
  c: DialInCall,
  d: DialInDeps,
  conference: ConferenceSettings,
  language: string,
  where: { node: string; contact: string | null },
): Promise<void> {
  if (!where.contact || !c.originate) {
    d.log.warn({ conference: conference.uuid, node: where.node }, 'conference mixed on a node out of reach');
    leg.hangup(CAUSE.unavailable);
    return;
  }
  const caller: CallParty = leg.info.caller;
  const other = c.originate({
    target: { kind: 'node', uri: where.contact, join: { conference: conference.uuid, language } },
    from: caller,
  });
  d.log.info(
    { conference: conference.uuid, node: where.node, contact: where.contact, leg: other.id },
    'conference participant sent to its mixing node',
  );
  if (!(await answered(other, leg))) {
    other.hangup(CAUSE.normal);
    if (leg.state !== 'ended') leg.hangup(CAUSE.unavailable);
    return;
  }
  d.cdrs.note(c.cdrId, { service: 'conference', conference_id: conference.uuid });
  await bridgeUntilEnd(d.media, leg, other, { log: d.log });
}

/** Resolves true once `out` answered; false when it or `caller` ended first. */
function answered(out: OutboundLeg, caller: InboundLeg): Promise<boolean> {
  if (out.state === 'answered') return Promise.resolve(true);
  if (out.state === 'ended' || caller.state === 'ended') return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      out.off('answered', yes);
      out.off('ended', no);
      caller.off('ended', no);
      resolve(ok);
    };
    const yes = done(true);
    const no = done(false);
    out.once('answered', yes);
    out.once('ended', no);
    caller.once('ended', no);
  });
}

/**
 * A call another node sent for a participant of a conference mixed here
 * (origin `node`, its pass checked by the adapter): no PIN, straight into
 * the room, with the caller's number and prompt language. The caller's
 * node writes the participant's CDR; this leg writes none. A conference
 * gone, inactive, or (by now) mixed on yet another node: refused.
 */
export function nodeJoinStep(leg: InboundLeg, d: Pick<EngineContext, 'conferences' | 'log'>): Step {
  return step('conference-node', async () => {
    const join = leg.info.join && 'conference' in leg.info.join ? leg.info.join : undefined;
    const host = d.conferences;
    const conference = join && host ? await host.settings(join.conference) : null;
    if (!join || !host || !conference || !conference.active) {
      d.log.info({ conference: join?.conference, source: leg.info.source }, 'node call for no conference');
      leg.reject(CAUSE.notFound);
      return;
    }
    await leg.answer();
    if (leg.state !== 'answered') return;
    try {
      const res = await host.rooms.join(conference, {
        phone: leg.info.caller.clir ? null : leg.info.caller.number,
        language: join.language,
        attach: (room, mix) => host.port.attach(room, leg, mix),
        onKick: () => leg.hangup(CAUSE.normal),
      });
      if (res.kind === 'remote') {
        // The room moved meanwhile: no second hop, the caller's node may try again.
        d.log.warn({ conference: conference.uuid, node: res.node }, 'node call for a room mixed elsewhere');
        leg.hangup(CAUSE.unavailable);
        return;
      }
      if ((leg.state as string) !== 'ended') await new Promise((r) => leg.once('ended', r));
      await res.member.leave();
    } catch (err) {
      d.log.error({ err, conference: conference.uuid }, 'conference join from a node failed');
      leg.hangup(CAUSE.unavailable);
    }
  });
}
