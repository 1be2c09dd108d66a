/**
 * A telephony node (the `telephony` role): the call engine on an adapter,
 * wired to the platform — the call registry in Redis, the directories over
 * the services, CDRs, credit and call limits, the callback worker, NOTIFYs
 * relayed from API-only processes, and the sweep of expired registrations.
 */
import type { Config } from '../config/index.js';
import { callApiChannel } from '../domain/call/call-api.js';
import { newCdrId } from '../services/cdr-service.js';
import type { Services } from '../services/index.js';
import { CallLimiter } from '../store/redis/call-limit.js';
import { CreditStore } from '../store/redis/credit.js';
import { CyclicCounter } from '../store/redis/cyclic-counter.js';
import { RedisLiveCalls } from '../store/redis/live-calls.js';
import { listenSipNotify } from '../store/redis/sip-notify-relay.js';
import type { Logger, TelephonyAdapter } from './adapter.js';
import { CallRegistry } from './call/registry.js';
import { CallEngine } from './engine/call-engine.js';
import { CallbackWorker } from './engine/callback.js';
import type { CdrSink } from './engine/cdr-writer.js';
import { DialplanCalls } from './engine/dialplan-calls.js';
import { DbCallDirectory } from './platform/call-directory.js';
import { ServicesVoiceDirectory } from './platform/voice-directory.js';

export interface TelephonyNode {
  adapter: TelephonyAdapter;
  engine: CallEngine;
  registry: CallRegistry;
  /** Places the callbacks requested through the API (spec 4.2). */
  callback: CallbackWorker;
  stop(): Promise<void>;
}

export interface TelephonyNodeOptions {
  log: Logger;
  /** How often expired registrations are swept (ms). */
  sweepMs?: number;
}

export async function startTelephonyNode(
  services: Services,
  config: Config,
  adapter: TelephonyAdapter,
  opts: TelephonyNodeOptions,
): Promise<TelephonyNode> {
  const { log } = opts;
  const registry = new CallRegistry(
    config.nodeId,
    new RedisLiveCalls(services.redis, config.redisPrefix),
    log,
  );
  const directory = new DbCallDirectory(
    services.db,
    services.dialplanV1,
    services.policy,
    new CyclicCounter(services.redis, config.redisPrefix),
    services.sipBlf,
    services.configCache,
  );
  const cdrSink: CdrSink = { newId: newCdrId, record: (input) => services.cdrs.record(input) };
  const engine = new CallEngine({
    adapter,
    registry,
    directory,
    cdrSink,
    credit: new CreditStore(services.redis, config.redisPrefix),
    limiter: new CallLimiter(services.redis, config.redisPrefix),
    voice: new ServicesVoiceDirectory(services, services.configCache),
    dialplan: new DialplanCalls(services.dialplanV1, log),
    callApi: {
      idleMs: config.callApiIdleSeconds * 1000,
      sink: {
        live: services.callApiBus,
        publish: (owner, event, payload) =>
          services.eventSystem.publisher.publish({ channel: callApiChannel(owner) }, event, payload),
        store: (uuid, owner, view) => services.callApi.store(uuid, owner, view),
      },
    },
    log,
  });
  const callback = new CallbackWorker(services.redis, services.dialplanV1.callbackQueueKey, engine.ctx);
  engine.start();
  await registry.start();
  await adapter.start();
  callback.start();
  const callApi = engine.callApi;
  const stopCallApi = callApi
    ? await services.callApiBus.serve(
        config.nodeId,
        { dial: (req) => callApi.dial(req), control: (cmd) => callApi.control(cmd) },
        (err) => log.warn({ err }, 'call API request failed'),
      )
    : async () => undefined;
  // NOTIFY requests of this process's API go straight out; API-only nodes relay them over Redis.
  services.sipNotifier = adapter.notifier;
  const stopRelay = await listenSipNotify(services.redis, config.redisPrefix, adapter.notifier, {
    onError: (err) => log.warn({ err }, 'relayed NOTIFY failed'),
  });
  const sweeper = setInterval(() => {
    services.registrations.sweep().catch((err: unknown) => log.warn({ err }, 'registration sweep failed'));
  }, opts.sweepMs ?? 5000);
  sweeper.unref();
  return {
    adapter,
    engine,
    registry,
    callback,
    stop: async () => {
      clearInterval(sweeper);
      services.sipNotifier = null;
      await stopRelay();
      await callback.stop();
      await stopCallApi();
      engine.hangupAll();
      // The legs just ended write their CDRs; wait for them before the database goes.
      await new Promise((r) => setImmediate(r));
      await services.cdrs.drain();
      await registry.stop();
      await adapter.stop();
    },
  };
}
