/**
 * The dialplan v1 call functions the engine serves (spec 4.2): call-through
 * (a call from the process's filter number, or `*98` from one of the user's
 * SIP accounts, goes to the stored destination) and call-reverse (a call
 * from the filter number set during the ringing takes the ringing call).
 * Callback requests are placed by the CallbackWorker (callback.ts).
 *
 * The process state lives in Redis (services/dialplan-v1-service.ts); the
 * ringing calls a call-reverse can complete live in the process they ring
 * in, which a call-reverse call landing on another node reaches by a call
 * between the nodes (callreverse.ts).
 */
import type { AccountRef, InboundLeg, Logger } from '../adapter.js';
import type { Call } from '../call/call.js';
import { tryAccountCallthrough, tryInboundCallthrough } from './callthrough.js';
import { CallreverseProcesses, tryCallreverse } from './callreverse.js';
import type { DialplanHooks, EngineContext } from './context.js';
import type { InboundPlan } from './directory.js';
import type { DialplanCallStore } from './dialplan-store.js';
import { toE164 } from './targets.js';

export type { DialplanCallStore } from './dialplan-store.js';

export class DialplanCalls implements DialplanHooks {
  readonly callreverse: CallreverseProcesses;

  /** `contact`: this node's SIP URI (NODE_SIP_URI), where a call-reverse call landing on another node takes a call ringing here. */
  constructor(
    readonly store: DialplanCallStore,
    readonly log: Logger,
    contact?: string,
  ) {
    this.callreverse = new CallreverseProcesses(store, log, contact);
  }

  /**
   * A carrier call to one of the user's dialplan numbers (the plan is the
   * dialplan v1): a call-reverse or call-through it completes. True when the
   * call was taken over here (nothing else may route it).
   */
  async interceptInbound(call: Call, leg: InboundLeg, plan: InboundPlan, d: EngineContext): Promise<boolean> {
    if (plan.plan.source !== 'dialplan-v1') return false;
    const c = leg.info.caller;
    const caller = c.clir || !c.number ? null : toE164(c.number);
    if (caller && (await tryCallreverse(call, leg, plan.owner, caller, this, d))) return true;
    return tryInboundCallthrough(call, leg, plan, caller, this, d);
  }

  /** A call placed by a SIP account: `*98` starts the user's call-through. */
  interceptAccount(call: Call, leg: InboundLeg, account: AccountRef, d: EngineContext): Promise<boolean> {
    if (leg.info.called !== '*98') return Promise.resolve(false);
    return tryAccountCallthrough(call, leg, account, this, d);
  }
}
