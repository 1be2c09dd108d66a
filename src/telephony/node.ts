/**
 * A telephony node (the `telephony` role): the call engine on an adapter,
 * wired to the platform — the call registry in Redis, the directories over
 * the services, CDRs, credit and call limits, the callback worker, NOTIFYs
 * relayed from API-only processes, and the sweep of expired registrations.
 */
import type { Worker } from 'bullmq';
import type { Config } from '../config/index.js';
import { callApiChannel } from '../domain/call/call-api.js';
import type { LiveApiCalls } from '../domain/call/call-api-bus.js';
import { CRASH_Q850 } from '../domain/call/recovery.js';
import { startFaxSendWorker } from '../media/fax-send-queue.js';
import { FaxSender } from '../services/fax-sender.js';
import { CdrError } from '../domain/cdr/cdr.js';
import { newCdrId } from '../services/cdr-service.js';
import type { Services } from '../services/index.js';
import { CallLimiter } from '../store/redis/call-limit.js';
import { CreditStore } from '../store/redis/credit.js';
import { CyclicCounter } from '../store/redis/cyclic-counter.js';
import { RedisRecoveryJournal } from '../store/redis/recovery-journal.js';
import { listenSipNotify } from '../store/redis/sip-notify-relay.js';
import { repairWav } from '../media/wav-repair.js';
import type { Logger, TelephonyAdapter } from './adapter.js';
import { CallRegistry } from './call/registry.js';
import type { RoomMedia } from './conference/room-media.js';
import { ConferenceRooms } from './conference/rooms.js';
import { CallEngine } from './engine/call-engine.js';
import { endCrashedApiCalls, type CallApiSink } from './engine/call-api.js';
import { CallbackWorker } from './engine/callback.js';
import type { CdrSink } from './engine/cdr-writer.js';
import { DialplanCalls } from './engine/dialplan-calls.js';
import { EngineFaxDialer } from './engine/fax-line.js';
import { DbCallDirectory } from './platform/call-directory.js';
import { loadConferenceSounds } from './platform/conference-sounds.js';
import { ServicesVoiceDirectory } from './platform/voice-directory.js';
import { SharedPresence } from './platform/shared-presence.js';
import { cachedWatchers } from './adapters.js';
import { CrashReaper } from './recovery.js';

export interface TelephonyNode {
  adapter: TelephonyAdapter;
  engine: CallEngine;
  registry: CallRegistry;
  /** This process's journal of answered legs (crash recovery). */
  journal: RedisRecoveryJournal;
  /** Settles the calls of telephony processes that died. */
  reaper: CrashReaper;
  /** Places the callbacks requested through the API (spec 4.2). */
  callback: CallbackWorker;
  /** The conference rooms this node mixes (null: the adapter cannot mix). */
  conferences: ConferenceRooms<RoomMedia> | null;
  /** Places the queued fax sends (spec 3.13 send), each attempt a fax call of this node. */
  faxSender: FaxSender;
  /** The FaxDialer behind it. */
  faxDialer: EngineFaxDialer;
  stop(): Promise<void>;
}

export interface TelephonyNodeOptions {
  log: Logger;
  /** How often expired registrations are swept (ms). */
  sweepMs?: number;
  /** Take fax send jobs off the queue (default true). */
  faxSendWorker?: boolean;
  /** Crash recovery timing (heartbeat, when a process counts as dead, how often to look). */
  recovery?: { heartbeatMs?: number; deadAfterMs?: number; sweepMs?: number };
}

/** Where a node's call API events, live calls and finished calls go (the engine's and the crash reaper's). */
export function callApiSink(services: Services): CallApiSink & { live: LiveApiCalls } {
  return {
    live: services.callApiBus,
    publish: (owner, event, payload) =>
      services.eventSystem.publisher.publish({ channel: callApiChannel(owner) }, event, payload),
    store: (uuid, owner, view) => services.callApi.store(uuid, owner, view),
  };
}

export async function startTelephonyNode(
  services: Services,
  config: Config,
  adapter: TelephonyAdapter,
  opts: TelephonyNodeOptions,
): Promise<TelephonyNode> {
  const { log } = opts;
  const liveCalls = services.liveCalls;
  const registry = new CallRegistry(config.nodeId, liveCalls, log);
  const journal = new RedisRecoveryJournal(services.redis, config.redisPrefix, config.nodeId, {
    ...(opts.recovery?.heartbeatMs !== undefined ? { heartbeatMs: opts.recovery.heartbeatMs } : {}),
    ...(opts.recovery?.deadAfterMs !== undefined ? { deadAfterMs: opts.recovery.deadAfterMs } : {}),
    onError: (err) => log.warn({ err }, 'recovery journal not written'),
  });
  const directory = new DbCallDirectory(
    services.db,
    services.dialplanV1,
    services.policy,
    new CyclicCounter(services.redis, config.redisPrefix),
    services.sipBlf,
    services.configCache,
  );
  // One conference is mixed on one node: this process run's rooms, claimed in Redis.
  const port = adapter.conference;
  const rooms = port
    ? new ConferenceRooms<RoomMedia>({
        live: services.conferenceLive,
        // The journal's process id: the crash reaper that finds this process dead ends its rooms.
        node: journal.process,
        // Where the other nodes send the leg of a participant whose call landed there.
        contact: config.nodeSipUri,
        createMedia: port.createRoom,
        sounds: loadConferenceSounds(),
        onError: (err) => log.warn({ err }, 'conference room failed'),
      })
    : null;
  const apiSink = callApiSink(services);
  const cdrSink: CdrSink = { newId: newCdrId, record: (input) => recordWithRetry(services, input, log) };
  const voice = new ServicesVoiceDirectory(services, services.configCache);
  // BLF watchers and message lamps on other nodes hear of this node's calls; this node of theirs.
  const presence = new SharedPresence(
    adapter.presence,
    services.redis,
    config.redisPrefix,
    cachedWatchers(services),
    log,
  );
  const engine = new CallEngine({
    recovery: { journal, snapshot: (leg) => adapter.recovery.snapshot(leg) },
    adapter: { signaling: adapter.signaling, media: adapter.media, presence },
    registry,
    directory,
    cdrSink,
    credit: new CreditStore(services.redis, config.redisPrefix),
    limiter: new CallLimiter(services.redis, config.redisPrefix),
    voice,
    dialplan: new DialplanCalls(services.dialplanV1, log, config.nodeSipUri),
    ...(port && rooms
      ? {
          conferences: {
            byPin: (owner, pin) => services.conferences.byPin(owner, pin),
            settings: (uuid) => services.conferences.settings(uuid),
            rooms,
            port,
          },
        }
      : {}),
    callApi: { idleMs: config.callApiIdleSeconds * 1000, sink: apiSink, process: journal.process },
    fax: {
      inbox: services.faxInbox,
      t38: config.faxT38,
      pushFaxNew: (owner, fax, phone, pages) => services.push.faxNew(owner, fax, phone, pages),
    },
    log,
  });
  const faxDialer = new EngineFaxDialer(engine.ctx, { t38: config.faxT38 });
  const faxSender = new FaxSender(services.faxes, services.faxSend, services.faxSendQueue, faxDialer, {
    retries: config.faxRetries,
    retryDelays: config.faxRetryDelays,
  });
  const callback = new CallbackWorker(services.redis, services.dialplanV1.callbackQueueKey, engine.ctx);
  const reaper = new CrashReaper({
    claims: journal,
    port: adapter.recovery,
    cdrSink,
    saveRecording: async (r) => {
      // What the crash left: sizes fixed from the file's length; nothing heard, nothing kept.
      const bytes = await repairWav(r.path);
      if (!bytes) return null;
      const media = { location: { kind: 'file' as const, path: r.path }, discard: async () => undefined };
      return voice.saveRecording({ owner: r.owner, from: r.from, to: r.to, media });
    },
    liveCalls,
    conferences: services.conferenceLive,
    callApi: (process, endMs, recordings) =>
      endCrashedApiCalls(apiSink, process, endMs, CRASH_Q850, recordings),
    log,
  });
  engine.start();
  await registry.start();
  await journal.start();
  await rooms?.start();
  const stopReaper = services.conferenceLive.startReaper();
  await adapter.start();
  await presence.start();
  callback.start();
  let faxWorker: Worker | null = null;
  if (opts.faxSendWorker !== false) {
    faxWorker = startFaxSendWorker(faxSender, {
      redisUrl: config.redisUrl,
      redisPrefix: config.redisPrefix,
      concurrency: config.faxSendConcurrency,
      onError: (err) => log.warn({ err }, 'fax send job failed'),
    });
  }
  // The adapter is up (a BYE can go out): calls of processes that died, this node's before a restart among them.
  reaper.start(opts.recovery?.sweepMs ?? 2000);
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
    journal,
    reaper,
    callback,
    conferences: rooms,
    faxSender,
    faxDialer,
    stop: async () => {
      await reaper.stop();
      clearInterval(sweeper);
      stopReaper();
      await rooms?.stop();
      // No new fax sends; the running ones end with their calls below (a job cut short resumes as a new attempt).
      const faxClosing = faxWorker?.close();
      services.sipNotifier = null;
      await stopRelay();
      await presence.stop();
      await callback.stop();
      await stopCallApi();
      engine.hangupAll();
      await faxClosing;
      // The legs just ended write their CDRs, and the call API keeps its finished calls; wait for
      // them before the database and Redis go.
      await new Promise((r) => setImmediate(r));
      await Promise.all([services.cdrs.drain(), engine.callApi?.drain()]);
      await journal.stop();
      await registry.stop();
      await adapter.stop();
    },
  };
}

/** Back-off between tries of a CDR whose write failed for want of the database (ms). */
const CDR_RETRY_MS = [500, 1000, 2000, 5000, 10_000, 30_000, 30_000, 30_000];

/**
 * Writes a CDR, trying again while the database is away (a restart of the
 * process that owns the embedded database, a PostgreSQL failover): the CDR
 * id makes a repeated write harmless. A CDR the service refuses as invalid
 * is not tried again.
 */
export async function recordWithRetry(
  services: Pick<Services, 'cdrs'>,
  input: Parameters<CdrSink['record']>[0],
  log: Logger,
): ReturnType<CdrSink['record']> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await services.cdrs.record(input);
    } catch (err) {
      const delay = CDR_RETRY_MS[attempt];
      if (err instanceof CdrError || delay === undefined) throw err;
      if (attempt === 0) log.warn({ err, cdr: input.id }, 'CDR not written yet; trying again');
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
