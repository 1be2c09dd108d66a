/**
 * The call engine: every call the adapter delivers becomes a Call with a
 * first step — a carrier call to one of the platform's numbers is routed
 * (inbound-call.ts), a call a SIP account places goes to another account,
 * an extension or the carrier (account-call.ts). The calls live in the
 * node's registry; all configuration comes through the directories, all
 * signalling and media through the adapter's ports.
 */
import { withFields } from './logger.js';
import { newId } from '../../lib/ids.js';
import type { CallLimiter } from '../../store/redis/call-limit.js';
import type { CreditStore } from '../../store/redis/credit.js';
import type { InboundLeg, Logger, TelephonyAdapter } from '../adapter.js';
import { Call, type CallParties } from '../call/call.js';
import type { CallRegistry } from '../call/registry.js';
import { CAUSE } from '../causes.js';
import { accountCallStep } from './account-call.js';
import { callreverseNodeStep } from './callreverse.js';
import { CdrWriter, type CdrRecovery, type CdrSink } from './cdr-writer.js';
import { nodeJoinStep, type ConferenceHost } from './conference-dial-in.js';
import { CallApiEngine, type CallApiSink } from './call-api.js';
import type { DialplanHooks, EngineContext } from './context.js';
import type { CallDirectory } from './directory.js';
import type { FaxReceiveDeps } from './fax-types.js';
import { inboundCallStep } from './inbound-call.js';
import { PickupRegistry } from './presence.js';
import type { VoiceDirectory } from './voice/voice-directory.js';

export interface CallEngineDeps {
  adapter: Pick<TelephonyAdapter, 'signaling' | 'media' | 'presence'>;
  registry: CallRegistry;
  directory: CallDirectory;
  cdrSink: CdrSink;
  credit: CreditStore;
  limiter: CallLimiter;
  voice: VoiceDirectory;
  /** Call-through and call-reverse of the users' dialplans (spec 4.2); absent: not served. */
  dialplan?: DialplanHooks;
  /** Conference dial-in (spec 3.17); absent: not served. */
  conferences?: ConferenceHost;
  /** The call API (spec 3.24): where its events and finished calls go, and how long a call waits for control. */
  callApi?: { sink: CallApiSink; idleMs: number; process?: string };
  /** Fax reception on fax_enable numbers; absent: not served. */
  fax?: FaxReceiveDeps;
  log: Logger;
  /** Answered legs journalled for crash recovery; absent: none (a crash loses them). */
  recovery?: CdrRecovery;
}

export class CallEngine {
  readonly ctx: EngineContext;
  /** The call API of this node; null when not configured. */
  readonly callApi: CallApiEngine | null;

  constructor(private readonly d: CallEngineDeps) {
    this.ctx = {
      media: d.adapter.media,
      presence: d.adapter.presence,
      directory: d.directory,
      cdrs: new CdrWriter(d.cdrSink, d.log, d.recovery ?? null),
      pickups: new PickupRegistry(),
      voice: d.voice,
      limiter: d.limiter,
      credit: d.credit,
      ...(d.dialplan ? { dialplan: d.dialplan } : {}),
      ...(d.conferences ? { conferences: d.conferences } : {}),
      ...(d.fax ? { fax: d.fax } : {}),
      log: d.log,
      newCall: (parties, uuid) => this.newCall(parties, uuid),
    };
    this.callApi = d.callApi
      ? new CallApiEngine(this.ctx, d.callApi.sink, {
          node: d.registry.node,
          idleMs: d.callApi.idleMs,
          ...(d.callApi.process !== undefined ? { process: d.callApi.process } : {}),
        })
      : null;
    if (this.callApi) this.ctx.callApi = this.callApi;
  }

  get activeCalls(): number {
    return this.d.registry.size;
  }

  start(): void {
    this.d.adapter.signaling.onInbound((leg) => this.accept(leg));
  }

  /** A new call on this node, in the registry until it ends. */
  newCall(parties: CallParties, uuid: string = newId()): Call {
    const call = new Call({
      uuid,
      node: this.d.registry.node,
      parties,
      signaling: this.d.adapter.signaling,
      onStepError: (err, step) => this.d.log.error({ err, call: uuid, step }, 'call step failed'),
    });
    this.d.registry.add(call);
    return call;
  }

  private accept(leg: InboundLeg): void {
    const caller = leg.info.caller;
    const call = this.newCall(
      {
        incoming: leg.info.origin === 'trunk',
        from: caller.clir || !caller.number ? 'anonymous' : caller.number,
        to: leg.info.called,
        clip: null,
        clir: caller.clir,
      },
      leg.call,
    );
    call.adopt(leg);
    // Every line the call's flow logs carries its uuid and the caller's SIP Call-ID.
    const log = withFields(this.ctx.log, { call: call.uuid, callId: leg.wireId });
    const ctx = log === this.ctx.log ? this.ctx : { ...this.ctx, log };
    call.steps.append([
      leg.info.origin === 'trunk'
        ? inboundCallStep(call, leg, ctx)
        : leg.info.origin === 'node'
          ? leg.info.join && 'callreverse' in leg.info.join
            ? callreverseNodeStep(call, leg, ctx)
            : nodeJoinStep(leg, ctx)
          : accountCallStep(call, leg, ctx),
    ]);
  }

  /** Ends every live call (shutdown). */
  hangupAll(): void {
    this.d.registry.hangupAll(CAUSE.normal);
  }
}
