/**
 * The dialplan v1 call functions the engine serves (spec 4.2): call-through
 * (a call from the process's filter number, or `*98` from one of the user's
 * SIP accounts, goes to the stored destination) and call-reverse (a call
 * from the filter number set during the ringing takes the ringing call).
 * Callback requests are placed by the CallbackWorker (callback.ts).
 *
 * The process state lives in Redis (services/dialplan-v1-service.ts); the
 * ringing calls a call-reverse can complete live in this process.
 */
import type { Redis } from 'ioredis';
import type { InboundLeg, SipAccountRef } from '../ports.js';
import { CallbackWorker } from './callback.js';
import { tryAccountCallthrough, tryInboundCallthrough, type DialplanDeps } from './callthrough.js';
import { CallreverseProcesses, tryCallreverse } from './callreverse.js';
import { CdrWriter, type CdrSink } from './cdr-writer.js';
import type { InboundPlan } from './directory.js';
import type { Logger } from './logger.js';
import type { PickupRegistry } from './presence.js';
import type { DialplanCallStore } from './dialplan-store.js';
import { toE164 } from './targets.js';

export type { DialplanCallStore } from './dialplan-store.js';

export class DialplanCalls {
  readonly callreverse: CallreverseProcesses;

  constructor(
    readonly store: DialplanCallStore,
    readonly log: Logger,
  ) {
    this.callreverse = new CallreverseProcesses(store, log);
  }

  /**
   * A carrier call to one of the user's dialplan numbers (the plan is the
   * dialplan v1): a call-reverse or call-through it completes. True when the
   * call was taken over here (nothing else may route it).
   */
  async interceptInbound(
    leg: InboundLeg,
    plan: InboundPlan,
    d: DialplanDeps & { pickups: PickupRegistry },
  ): Promise<boolean> {
    if (plan.plan.source !== 'dialplan-v1') return false;
    const c = leg.info.caller;
    const caller = c.clir || !c.number ? null : toE164(c.number);
    if (caller && (await tryCallreverse(leg, plan.owner, caller, this, d))) return true;
    return tryInboundCallthrough(leg, plan, caller, this, d);
  }

  /** A call placed by a SIP account: `*98` starts the user's call-through. */
  interceptAccount(leg: InboundLeg, account: SipAccountRef, d: DialplanDeps): Promise<boolean> {
    if (leg.info.called !== '*98') return Promise.resolve(false);
    return tryAccountCallthrough(leg, account, this, d);
  }
}

/**
 * The dialplan call functions of a telephony node: the engine's hooks
 * (`dialplan` of CallEngineDeps) and the callback worker, not started yet.
 */
export function dialplanFunctions(
  store: DialplanCallStore & { readonly callbackQueueKey: string },
  redis: Redis,
  deps: Omit<DialplanDeps, 'cdrs'> & { cdrSink: CdrSink },
): { calls: DialplanCalls; callback: CallbackWorker } {
  const { cdrSink, ...rest } = deps;
  const callback = new CallbackWorker(redis, store.callbackQueueKey, {
    ...rest,
    cdrs: new CdrWriter(cdrSink, deps.log),
  });
  return { calls: new DialplanCalls(store, deps.log), callback };
}
