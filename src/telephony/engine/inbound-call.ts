/**
 * A call from the carrier to one of the platform's numbers (spec 3.9, 4):
 * the first step finds the routing plan; the plan's route becomes steps on
 * the call — ring the targets (parallel / linear / cyclic) with their busy,
 * timeout and unavailable fallbacks, voice box, IVR, unlock — and the leg
 * that answers is bridged with the caller.
 */
import type { Fallback, RingRoute, Route, Target } from '../../domain/routing/types.js';
import type { CallParty, InboundLeg, OutboundLeg, PlayHandle, PromptSource } from '../adapter.js';
import type { Call } from '../call/call.js';
import { step, type Step } from '../call/steps.js';
import { CAUSE, causeOfRingFailure, type EndCause } from '../causes.js';
import { TONES } from '../tones.js';
import { openCallreverse } from './callreverse.js';
import { runConferenceDialIn, type ConferenceHost } from './conference-dial-in.js';
import { connect } from './connect.js';
import { receiveFax } from './fax-line.js';
import type { EngineContext } from './context.js';
import type { InboundPlan, OutboundPolicy } from './directory.js';
import { reportPresence } from './presence.js';
import { ringAll, Ringer, type RingOutcome } from './ringer.js';
import { shownNumber, targetRequest, toE164 } from './targets.js';
import { gateTrunkCall, type TrunkGate } from './trunk-gate.js';
import { runIvr } from './voice/ivr-runner.js';
import { DEFAULT_HOLD_MUSIC } from './voice/prompts.js';
import { runUnlock } from './voice/unlock.js';
import { runVoicebox } from './voice/voicebox.js';

/** The first step of a carrier call: find the number's routing plan and queue its route. */
export function inboundCallStep(call: Call, leg: InboundLeg, d: EngineContext): Step {
  return step('route', async () => {
    const number = toE164(leg.info.called);
    const caller = leg.info.caller;
    const plan = number
      ? await d.directory.inboundPlan(number, { caller: caller.number, clir: caller.clir }, Date.now())
      : null;
    if (!plan) {
      leg.reject(CAUSE.notFound);
      return;
    }
    call.assign(plan.owner, plan.number, { to: plan.number });
    if (d.dialplan && (await d.dialplan.interceptInbound(call, leg, plan, d))) return;
    const rootId = d.cdrs.track(leg, {
      phone: plan.number,
      userId: plan.owner,
      service: 'call',
      a_number: shownNumber(caller),
    });
    const callerName =
      caller.number && !caller.clir ? await d.directory.callingName(plan.owner, caller.number) : null;
    const shown: CallParty = { ...caller, display: callerName ?? caller.display };
    reportPresence(d.presence, plan.number, leg, 'recipient', caller.clir ? null : caller.number);
    return new InboundFlow(call, leg, plan, rootId, shown, d).steps(plan.plan.route);
  });
}

/** The steps of one inbound call's route, and what they share. */
class InboundFlow {
  /** The call filter service of carrier targets rung now: dialplan forwarding, or an IVR's redirect. */
  private service: 'dialplan' | 'ivr' = 'dialplan';
  /** The trunk gate of each carrier target rung, by the number dialled. */
  private readonly gates = new Map<string, Extract<TrunkGate, { ok: true }>>();
  private policy: Promise<OutboundPolicy> | null = null;
  private readonly ringer: Ringer;

  constructor(
    private readonly call: Call,
    private readonly leg: InboundLeg,
    private readonly plan: InboundPlan,
    private readonly rootId: string,
    private readonly shown: CallParty,
    private readonly d: EngineContext,
  ) {
    this.ringer = new Ringer({ open: (t) => this.open(t), onProgress: () => leg.ring() });
  }

  steps(route: Route): Step[] {
    switch (route.kind) {
      case 'reject':
        return [
          this.end('reject', () =>
            this.leg.reject(route.reason === 'dialplan-reject' ? CAUSE.rejected : CAUSE.unavailable),
          ),
        ];
      case 'ring':
        return [step('ring', () => this.ring(route))];
      case 'voicebox':
        return [this.voicebox(route.announcement, route.record)];
      case 'unlock':
        return [
          step('unlock', async () => {
            await runUnlock(
              this.leg,
              { owner: this.plan.owner, number: this.plan.number, code: route.code },
              this.d,
            );
          }),
        ];
      case 'ivr':
        return [step('ivr', () => this.ivr(route.ivr))];
      case 'answer':
        if (route.conference && this.d.conferences) return [this.conferenceDialIn(route, this.d.conferences)];
        if (route.fax && !route.conference && this.d.fax) {
          const who = {
            owner: this.plan.owner,
            number: this.plan.number,
            from: shownNumber(this.leg.info.caller),
          };
          return [receiveFax(this.leg, route, who, this.d, (a, record) => this.voicebox(a, record))];
        }
        if (route.voicebox) return [this.voicebox(route.announcement, route.voicebox.record)];
        return [this.unserved(route.kind)];
      case 'call-api': {
        const api = this.d.callApi;
        if (!api) return [this.unserved(route.kind)];
        return [step('call-api', () => api.serveInbound(this.call, this.leg, this.plan.owner))];
      }
    }
  }

  private end(kind: string, action: () => void): Step {
    return step(kind, async () => action());
  }

  /** Fax-only and conference-only numbers and the call API are served by their own features. */
  private unserved(kind: string): Step {
    return this.end('unserved', () => {
      this.d.log.info({ number: this.plan.number, route: kind }, 'route not served');
      this.leg.reject(CAUSE.unavailable);
    });
  }

  /**
   * The legs of a target, on the call. A carrier number is an outgoing call
   * of the owner's: it passes their call filter (service `dialplan`, or `ivr`
   * for an IVR's redirect), call limit and credit, and is billed once
   * answered; refused, it counts as unavailable.
   */
  private async open(t: Target): Promise<OutboundLeg[]> {
    if (t.type === 'callreverse') {
      const leg = openCallreverse(this.d.dialplan, this.call, this.leg, this.plan);
      if (leg) this.track(leg, 'callreverse');
      return leg ? [leg] : [];
    }
    let extra = {};
    let target = t;
    if (t.type === 'phone') {
      this.policy ??= this.d.directory.outboundPolicy(this.plan.owner, '');
      const gate = await gateTrunkCall(await this.policy, t.number, this.service, this.leg, this.d, {
        clir: this.shown.clir,
      });
      if (!gate.ok) {
        this.d.log.info(
          { number: this.plan.number, target: t.number, reason: gate.cause.reason },
          'target refused',
        );
        return [];
      }
      this.gates.set(t.number, gate);
      target = { type: 'phone', number: gate.number };
      extra = gate.extra;
    }
    const req = targetRequest(target, this.shown, extra);
    if (!req || this.leg.state === 'ended') return [];
    const leg = this.call.originate(req);
    this.track(leg, t.type === 'phone' ? t.number : t.type === 'sip' ? t.account : 'callreverse');
    return [leg];
  }

  private track(leg: OutboundLeg, b_number: string): void {
    this.d.cdrs.track(leg, {
      phone: this.plan.number,
      userId: this.plan.owner,
      service: 'call',
      b_number,
      parent: this.rootId,
      root: this.rootId,
    });
  }

  /** Starts the zone billing of an answered carrier target. */
  private bill(target: Target, answered: OutboundLeg): void {
    if (target.type === 'phone') this.gates.get(target.number)?.bill(this.leg, answered);
  }

  private connect(other: InboundLeg | OutboundLeg): ReturnType<typeof connect> {
    return connect(this.d.media, this.leg, other, { holdMusic: () => this.holdMusic(), log: this.d.log });
  }

  /** The number's on_hold_music announcement, or the default music. */
  private async holdMusic(): Promise<readonly PromptSource[]> {
    const id = this.plan.plan.onHoldMusic;
    const ref = id ? await this.d.voice.announcement(this.plan.owner, id) : null;
    return ref ? [{ kind: 'media', ref }] : DEFAULT_HOLD_MUSIC;
  }

  private voicebox(announcement: string | null, record: boolean): Step {
    return step('voicebox', async () => {
      await runVoicebox(
        this.leg,
        {
          owner: this.plan.owner,
          number: this.plan.number,
          from: shownNumber(this.leg.info.caller),
          cdrId: this.rootId,
          announcement,
          record,
        },
        this.d,
      );
    });
  }

  /** spec 3.17: fax tone to fax, a digit to the PIN entry, nothing to the voice box (conference-dial-in.ts). */
  private conferenceDialIn(route: Extract<Route, { kind: 'answer' }>, host: ConferenceHost): Step {
    const { owner, number } = this.plan;
    const caller = this.leg.info.caller;
    const c = {
      owner,
      number,
      route,
      cdrId: this.rootId,
      from: shownNumber(caller),
      originate: (req: Parameters<Call['originate']>[0]) => this.call.originate(req),
    };
    return step('conference', () => runConferenceDialIn(this.leg, c, { ...this.d, conferences: host }));
  }

  private async ivr(ivr: string): Promise<Step[] | void> {
    const outcome = await runIvr(this.leg, { owner: this.plan.owner, ivr }, this.d);
    if (outcome.kind !== 'redirect' || this.leg.state !== 'answered') return;
    const phone = outcome.phone;
    return [
      step('redirect', async () => {
        const ringing = this.d.media.play(this.leg, [TONES.ringback]);
        this.service = 'ivr';
        const r = await this.ringer.ring(ringAll([{ type: 'phone', number: phone }]), this.leg);
        ringing.stop();
        if (r.kind === 'answered') {
          this.bill(r.target, r.leg);
          await this.connect(r.leg);
        } else if (r.kind !== 'caller-gone') this.leg.hangup(r.kind === 'busy' ? CAUSE.busy : CAUSE.noAnswer);
      }),
    ];
  }

  /**
   * Early media while the targets ring (spec 4.1 ringtone, 4.2 announcement
   * with mix_ringtone): the announcement in a loop, with the ring tone under
   * it when asked. Null when there is nothing to play.
   */
  private async ringback(route: RingRoute): Promise<PlayHandle | null> {
    const rb = route.ringback;
    if (!rb) return null;
    const ref = await this.d.voice.announcement(this.plan.owner, rb.announcement);
    if (!ref && !rb.mix) return null;
    if (!(await this.leg.earlyMedia())) return null;
    const main: PromptSource[] = ref ? [{ kind: 'media', ref }] : [TONES.ringback];
    return this.d.media.play(this.leg, main, {
      loop: true,
      ...(ref && rb.mix ? { mix: [TONES.ringback] } : {}),
    });
  }

  private async ring(route: RingRoute): Promise<Step[]> {
    const ringback = await this.ringback(route);
    if (!ringback) this.leg.ring();
    // While it rings, a phone watching the number may take the call (BLF pickup, call-reverse).
    let picker: { leg: InboundLeg; call: Call } | null = null;
    let picked: () => void = () => undefined;
    const stop = new Promise<void>((r) => (picked = r));
    const unregister = this.d.pickups.add({
      number: this.plan.number,
      callId: this.leg.dialog.callId,
      pickup: (leg, call) => {
        if (picker || this.leg.state === 'ended' || this.leg.state === 'answered') return false;
        picker = { leg, call };
        // The picker's leg belongs to this call from now on; its own call ends without it.
        call.handOver(this.call);
        picked();
        return true;
      },
    });
    const outcome = await this.ringer.ring(route, this.leg, stop);
    ringback?.stop();
    unregister();
    if (picker) return [this.pickedUp(picker)];
    return this.after(outcome, route);
  }

  private pickedUp(p: { leg: InboundLeg; call: Call }): Step {
    return step('pickup', async () => {
      this.d.cdrs.track(p.leg, {
        phone: this.plan.number,
        userId: this.plan.owner,
        // A call-reverse call: from the carrier, or through the node it landed on.
        service: p.leg.info.origin === 'account' ? 'blf_pickup' : 'call_reverse',
        b_number: p.leg.info.account?.name ?? p.leg.info.caller.number ?? 'unknown',
        parent: this.rootId,
        root: this.rootId,
      });
      if (this.leg.state === 'ended') {
        p.leg.reject(CAUSE.cancelled);
        return;
      }
      await this.connect(p.leg);
    });
  }

  private after(outcome: RingOutcome, route: RingRoute): Step[] {
    switch (outcome.kind) {
      case 'answered':
        return [
          step('connect', async () => {
            this.bill(outcome.target, outcome.leg);
            await this.connect(outcome.leg);
          }),
        ];
      case 'caller-gone':
        return [];
      case 'busy':
        return this.fallback(route.onBusy, CAUSE.busy);
      case 'no-answer':
        return this.fallback(route.onTimeout, CAUSE.noAnswer);
      case 'unavailable':
      case 'congestion':
        // Congestion (this node could not ring: no RTP port, no trunk) takes the unavailable fallback, else 503.
        return this.fallback(route.onUnavailable, causeOfRingFailure(outcome.kind));
    }
  }

  private fallback(f: Fallback, cause: EndCause): Step[] {
    switch (f.kind) {
      case 'hangup':
        return [this.end('hangup', () => this.leg.hangup(cause))];
      case 'reject':
        return [this.end('reject', () => this.leg.reject(CAUSE.rejected))];
      case 'forward':
        return [
          step('forward', async () => {
            const outcome = await this.ringer.ring(ringAll([f.target]), this.leg);
            if (outcome.kind === 'answered') {
              this.bill(outcome.target, outcome.leg);
              await this.connect(outcome.leg);
            } else if (outcome.kind !== 'caller-gone')
              this.leg.hangup(outcome.kind === 'busy' ? CAUSE.busy : cause);
          }),
        ];
      case 'voicebox':
        return [this.voicebox(f.announcement, true)];
    }
  }
}
