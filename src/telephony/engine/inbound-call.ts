/**
 * A call from the carrier to one of the platform's numbers (spec 3.9, 4):
 * the routing plan decides; ringing follows the plan's strategy and its
 * busy / timeout / unavailable fallbacks, and the answering leg is bridged.
 */
import type { Fallback, RingRoute, Route, Target } from '../../domain/routing/types.js';
import {
  CAUSE,
  type CallParty,
  type InboundLeg,
  type Leg,
  type MediaPort,
  type OriginateRequest,
  type PlayHandle,
  type PromptSource,
  type SignalingPort,
} from '../ports.js';
import type { CdrWriter } from './cdr-writer.js';
import { connect } from './connect.js';
import { callreverseRequests, callreverseSignaling } from './callreverse.js';
import type { DialplanCalls } from './dialplan-calls.js';
import type { CallDirectory, InboundPlan, OutboundPolicy } from './directory.js';
import { TONES } from '../tones.js';
import type { Logger } from './logger.js';
import { ringAll, Ringer, type RingOutcome } from './ringer.js';
import { reportPresence, type CallPresence, type PickupRegistry } from './presence.js';
import { originateRequests, shownNumber, toE164 } from './targets.js';
import { gateTrunkCall, type TrunkGate, type TrunkGateDeps } from './trunk-gate.js';
import { runIvr } from './voice/ivr-runner.js';
import { DEFAULT_HOLD_MUSIC } from './voice/prompts.js';
import { runUnlock } from './voice/unlock.js';
import type { VoiceDirectory } from './voice/voice-directory.js';
import { runVoicebox } from './voice/voicebox.js';

export interface InboundDeps extends TrunkGateDeps {
  signaling: SignalingPort;
  media: MediaPort;
  directory: CallDirectory;
  cdrs: CdrWriter;
  presence: CallPresence | null;
  pickups: PickupRegistry;
  voice: VoiceDirectory;
  /** Call-through and call-reverse (spec 4.2); absent: not served. */
  dialplan?: DialplanCalls;
  log: Logger;
}

export async function handleInboundCall(leg: InboundLeg, d: InboundDeps): Promise<void> {
  const number = toE164(leg.info.called);
  const caller = leg.info.caller;
  const plan = number
    ? await d.directory.inboundPlan(number, { caller: caller.number, clir: caller.clir }, Date.now())
    : null;
  if (!plan) {
    leg.reject(CAUSE.notFound);
    return;
  }
  if (d.dialplan && (await d.dialplan.interceptInbound(leg, plan, d))) return;
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
  await new InboundCall(leg, plan, rootId, shown, d).run(plan.plan.route);
}

class InboundCall {
  private readonly ringer: Ringer;
  /** The call filter service of carrier targets rung now: dialplan forwarding, or an IVR's redirect. */
  private service: 'dialplan' | 'ivr' = 'dialplan';
  /** The trunk gate of each carrier target rung, by the number dialled. */
  private readonly gates = new Map<string, Extract<TrunkGate, { ok: true }>>();
  private policy: Promise<OutboundPolicy> | null = null;

  constructor(
    private readonly leg: InboundLeg,
    private readonly plan: InboundPlan,
    private readonly rootId: string,
    private readonly shown: CallParty,
    private readonly d: InboundDeps,
  ) {
    this.ringer = new Ringer({
      signaling: callreverseSignaling(d.dialplan, d.signaling, leg, plan),
      resolve: (t) => callreverseRequests(d.dialplan, t) ?? this.requests(t),
      onLeg: (out, target) =>
        d.cdrs.track(out, {
          phone: plan.number,
          userId: plan.owner,
          service: 'call',
          b_number:
            target.type === 'phone' ? target.number : target.type === 'sip' ? target.account : 'callreverse',
          parent: rootId,
          root: rootId,
        }),
    });
  }

  /**
   * The legs of a target. A carrier number is an outgoing call of the
   * owner's: it passes their call filter (service `dialplan`, or `ivr` for
   * an IVR's redirect), call limit and credit, and is billed once answered;
   * refused, it counts as unavailable.
   */
  private async requests(t: Target): Promise<OriginateRequest[]> {
    if (t.type !== 'phone') return originateRequests(this.d.directory, t, this.shown);
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
    return originateRequests(
      this.d.directory,
      { type: 'phone', number: gate.number },
      this.shown,
      gate.extra,
    );
  }

  /** Starts the zone billing of an answered carrier target. */
  private bill(target: Target, answered: Leg): void {
    if (target.type === 'phone') this.gates.get(target.number)?.bill(this.leg, answered);
  }

  async run(route: Route): Promise<void> {
    switch (route.kind) {
      case 'reject':
        this.leg.reject(route.reason === 'dialplan-reject' ? CAUSE.rejected : CAUSE.unavailable);
        return;
      case 'ring':
        await this.ring(route);
        return;
      case 'voicebox':
        await this.voicebox(route.announcement, route.record);
        return;
      case 'unlock':
        await runUnlock(
          this.leg,
          { owner: this.plan.owner, number: this.plan.number, code: route.code },
          this.d,
        );
        return;
      case 'ivr':
        return this.ivr(route.ivr);
      case 'answer':
        if (route.voicebox) {
          await this.voicebox(route.announcement, route.voicebox.record);
          return;
        }
        this.unserved(route.kind);
        return;
      case 'call-api':
        this.unserved(route.kind);
    }
  }

  /** Fax-only and conference-only numbers and the call API are served by their own features. */
  private unserved(kind: string): void {
    this.d.log.info({ number: this.plan.number, route: kind }, 'route not served by the embedded engine');
    this.leg.reject(CAUSE.unavailable);
  }

  private async voicebox(announcement: string | null, record: boolean): Promise<void> {
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
  }

  private async ivr(ivr: string): Promise<void> {
    const outcome = await runIvr(this.leg, { owner: this.plan.owner, ivr }, this.d);
    if (outcome.kind !== 'redirect' || this.leg.state !== 'answered') return;
    const ringing = this.d.media.play(this.leg, [TONES.ringback]);
    this.service = 'ivr';
    const r = await this.ringer.ring(ringAll([{ type: 'phone', number: outcome.phone }]), this.leg);
    ringing.stop();
    if (r.kind === 'answered') {
      this.bill(r.target, r.leg);
      await this.connect(r.leg);
    } else if (r.kind !== 'caller-gone') this.leg.hangup(r.kind === 'busy' ? CAUSE.busy : CAUSE.noAnswer);
  }

  private connect(other: Parameters<typeof connect>[2]): ReturnType<typeof connect> {
    return connect(this.d.media, this.leg, other, { holdMusic: () => this.holdMusic() });
  }

  /** The number's on_hold_music announcement, or the default music. */
  private async holdMusic(): Promise<readonly PromptSource[]> {
    const id = this.plan.plan.onHoldMusic;
    const file = id ? await this.d.voice.announcement(this.plan.owner, id) : null;
    return file ? [{ kind: 'file', path: file }] : DEFAULT_HOLD_MUSIC;
  }

  /**
   * Early media while the targets ring (spec 4.1 ringtone, 4.2 announcement
   * with mix_ringtone): a 183 and the announcement in a loop, with the ring
   * tone under it when asked. Null when there is nothing to play.
   */
  private async ringback(route: RingRoute): Promise<PlayHandle | null> {
    const rb = route.ringback;
    if (!rb) return null;
    const file = await this.d.voice.announcement(this.plan.owner, rb.announcement);
    if (!file && !rb.mix) return null;
    if (!(await this.leg.earlyMedia())) return null;
    const main: PromptSource[] = file ? [{ kind: 'file', path: file }] : [TONES.ringback];
    return this.d.media.play(this.leg, main, {
      loop: true,
      ...(file && rb.mix ? { mix: [TONES.ringback] } : {}),
    });
  }

  private async ring(route: RingRoute): Promise<void> {
    const ringback = await this.ringback(route);
    if (!ringback) this.leg.ring();
    // While it rings, a phone watching the number may take the call (BLF pickup).
    let picker: InboundLeg | null = null;
    let picked: () => void = () => undefined;
    const stop = new Promise<void>((r) => (picked = r));
    const unregister = this.d.pickups.add({
      number: this.plan.number,
      callId: this.leg.callRef.callId,
      pickup: (p) => {
        if (picker || this.leg.state === 'ended' || this.leg.state === 'answered') return false;
        picker = p;
        picked();
        return true;
      },
    });
    const outcome = await this.ringer.ring(route, this.leg, stop);
    ringback?.stop();
    unregister();
    if (picker) return this.pickedUp(picker);
    await this.after(outcome, route);
  }

  private async pickedUp(picker: InboundLeg): Promise<void> {
    this.d.cdrs.track(picker, {
      phone: this.plan.number,
      userId: this.plan.owner,
      service: picker.info.origin === 'trunk' ? 'call_reverse' : 'blf_pickup',
      b_number: picker.info.account?.name ?? picker.info.caller.number ?? 'unknown',
      parent: this.rootId,
      root: this.rootId,
    });
    if (this.leg.state === 'ended') {
      picker.reject(CAUSE.cancelled);
      return;
    }
    await this.connect(picker);
  }

  private async after(outcome: RingOutcome, route: RingRoute): Promise<void> {
    switch (outcome.kind) {
      case 'answered':
        this.bill(outcome.target, outcome.leg);
        await this.connect(outcome.leg);
        return;
      case 'caller-gone':
        return;
      case 'busy':
        return this.fallback(route.onBusy, CAUSE.busy);
      case 'no-answer':
        return this.fallback(route.onTimeout, CAUSE.noAnswer);
      case 'unavailable':
        return this.fallback(route.onUnavailable, CAUSE.unavailable);
    }
  }

  private async fallback(f: Fallback, cause: (typeof CAUSE)[keyof typeof CAUSE]): Promise<void> {
    if (this.leg.state === 'ended') return;
    switch (f.kind) {
      case 'hangup':
        this.leg.hangup(cause);
        return;
      case 'reject':
        this.leg.reject(CAUSE.rejected);
        return;
      case 'forward':
        return this.forward(f.target, cause);
      case 'voicebox':
        return this.voicebox(f.announcement, true);
    }
  }

  private async forward(target: Target, cause: (typeof CAUSE)[keyof typeof CAUSE]): Promise<void> {
    const outcome = await this.ringer.ring(ringAll([target]), this.leg);
    if (outcome.kind === 'answered') {
      this.bill(outcome.target, outcome.leg);
      await this.connect(outcome.leg);
    } else if (outcome.kind !== 'caller-gone') this.leg.hangup(outcome.kind === 'busy' ? CAUSE.busy : cause);
  }
}
