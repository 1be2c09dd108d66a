import type { Redis } from 'ioredis';
import { RedisCallApi } from '../store/redis/call-api.js';
import { RedisLiveCalls } from '../store/redis/live-calls.js';
import { IdempotencyStore } from '../store/redis/idempotency.js';
import { CallApiService } from './call-api-service.js';
import type { Config } from '../config/index.js';
import type { Db } from '../store/db.js';
import { ConfigCache, TableWriteWatcher } from '../store/config-cache.js';
import type { EventLog } from '../events/event-log.js';
import { createEventSystem, type EventSystem } from '../events/index.js';
import { EventOutbox } from '../events/outbox.js';
import type { EventPublisher } from '../events/types.js';
import { invalidatingPublisher, ProfileCache } from './profile-cache.js';
import type { UserProfile } from './user-profile-service.js';
import { BullMediaQueue } from '../media/queue.js';
import { FaxService } from './fax-service.js';
import { RecordingService } from './recording-service.js';
import { AnnouncementService } from './announcement-service.js';
import { PartnerService } from './partner-service.js';
import { SessionStore } from './session-store.js';
import { UserService } from './user-service.js';
import { PictureService } from './picture-service.js';
import { UserProfileService } from './user-profile-service.js';
import { PartnerUserService } from './partner-user-service.js';
import { SignupService } from './signup-service.js';
import { UserLifecycle } from './user-lifecycle.js';
import { TagService } from './tag-service.js';
import { ObjectService } from './object-service.js';
import { MetadataService } from './metadata-service.js';
import { PhoneService } from './phone-service.js';
import { PartnerPhoneService } from './partner-phone-service.js';
import { DialplanV1Service } from './dialplan-v1-service.js';
import { createPolicyServices, type PolicyServices } from './policy/index.js';
import { FaxSendService } from './fax-send.js';
import { FaxInbox } from './fax-inbox.js';
import { BullFaxSendQueue } from '../media/fax-send-queue.js';
import { SipAccountService } from './sip-account-service.js';
import { DialplanV2Service } from './dialplan-v2-service.js';
import { IvrService } from './ivr-service.js';
import { SipBlfService } from './sip-blf-service.js';
import { SipNotifyService } from './sip-notify-service.js';
import { RegistrationStore } from '../store/redis/registrations.js';
import { AuthFailureGuard } from '../store/redis/auth-guard.js';
import { pino } from 'pino';
import { RedisSipNotifyRelay, type SipNotifier } from '../store/redis/sip-notify-relay.js';
import { CdrService } from './cdr-service.js';
import { userPatterns } from '../lib/patterns.js';
import { createVoicemailNotifier } from './voicemail-notifier.js';
import { PushQueue } from '../push/queue.js';
import { PushService } from './push-service.js';
import { UsageService } from './usage-service.js';
import { AddressService } from './address-service.js';
import { MessageWaiting } from './message-waiting.js';
import { MwiService } from './mwi-service.js';
import { publishPresence } from '../store/redis/presence-bus.js';
import { PushBindings } from '../store/redis/push-bindings.js';
import { VoipPusher } from '../push/voip.js';
import { LiveCounters } from '../store/redis/live-counters.js';
import { RedisConferenceRooms } from '../store/redis/conference-rooms.js';
import { ConferenceService } from './conference-service.js';
import { ConferenceLiveService } from './conference-live-service.js';
import { Metrics } from '../metrics/index.js';
import { HealthService } from './health.js';
import { installPlatformProbes } from './metric-probes.js';
import { AdminQueries } from './admin-queries.js';

export interface ServiceDeps {
  config: Config;
  db: Db;
  redis: Redis;
  /** The process's metrics registry; a new one (with process metrics) when omitted. */
  metrics?: Metrics;
}

/** The use cases the API (and the admin CLI) call; built once per process. */
export interface Services {
  config: Config;
  db: Db;
  redis: Redis;
  sessions: SessionStore;
  users: UserService;
  partners: PartnerService;
  /** The session user's own profile (spec 3.5) and profile pictures (spec 3.6). */
  userProfile: UserProfileService;
  /** The address directory behind POST /api/user's address checks (spec 3.5). */
  addresses: AddressService;
  pictures: PictureService;
  /** Disable, enable, delete, password recovery, sign-in after sign-up (spec 3.3, 3.5, 9.1.1). */
  lifecycle: UserLifecycle;
  partnerUsers: PartnerUserService;
  signup: SignupService;
  /** User tags (spec 3.10). */
  tags: TagService;
  /** The generic object model every object type builds on (spec 3.10-3.12). */
  objects: ObjectService;
  /** User and object metadata (spec 3.5, 3.12). */
  metadata: MetadataService;
  /** The media job queue (BullMQ): uploads enqueue fax/audio conversions and TTS here. */
  media: BullMediaQueue;
  /** Fax objects, uploads and reports (spec 3.13). */
  faxes: FaxService;
  /** Fax sends (spec 3.13 send): checks, the report, the queued attempts, cancel. */
  faxSend: FaxSendService;
  /** The queue of fax send attempts a telephony node's FaxSender runs. */
  faxSendQueue: BullFaxSendQueue;
  /** Faxes received on fax_enable numbers: inbox object, incoming report, contents (spec 3.13). */
  faxInbox: FaxInbox;
  /** Recordings (spec 3.14) and announcements (spec 3.15): audio objects converted by the media worker. */
  recordings: RecordingService;
  announcements: AnnouncementService;
  /** Conference objects (spec 3.17): PIN, active, mute_default, the numbers that reach them. */
  conferences: ConferenceService;
  /** Live conferences on any node: subscriptions, member control, the mixing node's state and events (spec 7.11). */
  conferenceLive: ConferenceLiveService;
  /** The call API (spec 3.24): dial, control, listing, Idempotency-Key; the telephony side serves callApiBus. */
  callApi: CallApiService;
  callApiBus: RedisCallApi;
  /** Partner policy: call filters, usergroups, enterprises, credit, emergency, calling names (spec 9.1.3-9.1.7, 10). */
  policy: PolicyServices;
  /** Phone numbers of users (spec 3.9) and their partner control (spec 9.1.2). */
  phones: PhoneService;
  partnerPhones: PartnerPhoneService;
  /** The per-user dialplan v1 with call-through, callback and call-reverse (spec 4.2). */
  dialplanV1: DialplanV1Service;
  /** SIP accounts (spec 3.21), dialplans v2 (spec 4.1) and IVRs (spec 5.1). */
  sipAccounts: SipAccountService;
  dialplansV2: DialplanV2Service;
  ivrs: IvrService;
  /** The location service shared by all telephony nodes (Redis): SIP registrations (RFC 3261 §10.3). */
  registrations: RegistrationStore;
  /** SIP password guessing guard (SIP_AUTH_*), shared by every telephony node; `admin auth` commands. */
  authGuard: AuthFailureGuard;
  /**
   * The SIP stack's NOTIFY sender, set by the telephony role at start-up; null
   * in a process without one, where notify requests go to the telephony nodes
   * over Redis pub/sub (`<prefix>sip:notify`, telephony/sip-notifier.ts).
   */
  sipNotifier: SipNotifier | null;
  /** Custom NOTIFYs (spec 3.21 .../notify) and busy lamp field subscriptions (spec 3.21 .../blf). */
  sipNotify: SipNotifyService;
  sipBlf: SipBlfService;
  /** Call detail records: stored per leg, listed per phone, pushed to partners (spec 9.1.4, 9.2.1). */
  cdrs: CdrService;
  /** Push registrations (spec 8.1) and the push events of spec 8.2, queued for the push worker. */
  push: PushService;
  pushQueue: PushQueue;
  /** Push contacts of SIP accounts (RFC 8599), kept beyond their registration for wake-up pushes. */
  pushBindings: PushBindings;
  /** Sends the wake-up pushes of incoming calls straight to APNs / FCM. */
  voipPusher: VoipPusher;
  /** Usage and statistics (spec 13.1.3-13.1.4): totals per user and period, peaks from live counters. */
  usage: UsageService;
  /** The voice-message counts MWI NOTIFYs carry (spec 13.1.2, RFC 3842). */
  messageWaiting: MessageWaiting;
  /** MWI URI mappings of phone numbers (spec 13.1.2 /api/mwi), for users with the `mwi` permission. */
  mwi: MwiService;
  eventLog: EventLog;
  eventSystem: EventSystem;
  /** Every metric of the process (GET /metrics); the call engine updates `metrics.telephony`. */
  metrics: Metrics;
  /** Readiness checks (GET /ready): Redis and the database; roles register their own. */
  health: HealthService;
  /** Operator listings (users, numbers, registrations) of `callplane admin` and the admin API. */
  adminQueries: AdminQueries;
  /** Live calls of every telephony node (Redis summaries, per-node hang-up commands). */
  liveCalls: RedisLiveCalls;
  /** Producers publish here: `events.publish({ users: [uuid] }, 'user_modify', {})`. */
  events: EventPublisher;
  /**
   * What calls read of the configuration, cached per process and dropped on
   * every node when a table it reads is written (store/config-cache.ts).
   */
  configCache: ConfigCache;
  /** Events of database changes: recorded in the change's transaction, published after commit, relayed after a crash. */
  outbox: EventOutbox;
  /** The id of the next event of a session's event stream (`next_event`, spec 3.1). */
  nextEventId(sid: string): Promise<number>;
  /** Closes the connections the services opened besides `redis` (subscribers, queues). */
  close(): Promise<void>;
}

export function createServices(deps: ServiceDeps): Services {
  const { config, redis } = deps;
  userPatterns.setCacheBytes(config.patternCacheBytes);
  const configCache = new ConfigCache(redis, `${config.redisPrefix}config:invalidate`);
  // Every write through the services tells the configuration cache which tables changed.
  const db = deps.db.withPlugin(new TableWriteWatcher((tables) => configCache.tablesWritten(tables)));
  const metrics = deps.metrics ?? new Metrics({ defaultMetrics: true });
  const health = new HealthService();
  const sessions = new SessionStore(redis, config.redisPrefix, config.sessionIdleSeconds, { cache: true });
  const eventSystem = createEventSystem(redis, config, sessions, metrics);
  const profiles = new ProfileCache<UserProfile>(
    redis,
    `${config.redisPrefix}profile:invalidate`,
    config.profileCacheMs,
  );
  const events = invalidatingPublisher(eventSystem.publisher, profiles);
  // Events of database changes commit with them and are relayed after a crash (issue 14).
  const outbox = new EventOutbox(db, events, {
    onError: (err) => process.emitWarning(`event outbox: ${String(err)}`),
  });
  outbox.start();
  const tags = new TagService(db, outbox);
  const objects = new ObjectService(db, outbox, tags);
  const pictures = new PictureService(db, config.objectDir);
  const media = new BullMediaQueue(redis, config.redisPrefix);
  const faxSendQueue = new BullFaxSendQueue(redis, config.redisPrefix);
  const users = new UserService(db);
  const addresses = new AddressService(db, config.addressCountries);
  const usage = new UsageService(db, new LiveCounters(redis, config.redisPrefix), users);
  const registrations = new RegistrationStore(redis, config.redisPrefix, eventSystem.publisher, {
    onAccount: (account, registered, expiresAt) => usage.registrationChanged(account, registered, expiresAt),
  });
  const sipAccounts = new SipAccountService(db, outbox, config, config.secretKey, registrations);
  const policy = createPolicyServices(db, redis, config.redisPrefix, config.patternCacheBytes);
  installPlatformProbes(metrics, health, { redis, db, media, eventSystem, registrations });
  // Voicemail e-mails (spec 3.9 notification_email) after a recording's conversion; null without SMTP_URL.
  const voicemail = createVoicemailNotifier(config, db, (uuid) => recordings.telephonyWav(uuid));
  const sipNotifyRelay = new RedisSipNotifyRelay(redis, config.redisPrefix, config.sipNotifyTimeoutMs);
  const pushQueue = new PushQueue(redis, config.redisPrefix, {
    attempts: config.push.attempts,
    backoffMs: config.push.backoffMs,
  });
  const push = new PushService(db, pushQueue, config.push);
  const pushBindings = new PushBindings(redis, config.redisPrefix, config.sipPushKeepDays * 86_400_000);
  const voipPusher = new VoipPusher(config.push, config.sipPushWaitSeconds);
  // Message lamps (spec 13.1.2, RFC 3842) follow the voice messages: new ones, read, unread, trashed, deleted.
  const messageWaiting = new MessageWaiting(db);
  const mwi = new MwiService(
    db,
    users,
    messageWaiting,
    () => services.sipNotifier ?? sipNotifyRelay,
    (owner, counts) => publishPresence(redis, config.redisPrefix, { t: 'mailbox', owner, ...counts }),
  );
  const lampChanged = (owner: string): void => {
    mwi.changed(owner).catch((err: unknown) => process.emitWarning(`mwi: ${String(err)}`));
  };
  objects.onChanged((obj) => {
    if (obj.type === 'recording') lampChanged(obj.owner);
  });
  const recordings = new RecordingService(objects, eventSystem.publisher, media, config.objectDir, {
    onFinished: async (obj, outcome) => {
      if (outcome === 'ok') lampChanged(obj.owner);
      await voicemail?.recordingFinished(obj, outcome);
      // spec 8.2.2: a recording is "received" once it can be played, like the voicemail e-mail.
      if (outcome === 'ok') {
        const from = typeof obj.data['from'] === 'string' ? obj.data['from'] : '';
        await push.recordingNew(obj.owner, obj.uuid, from);
      }
    },
  });
  const conferenceLive = new ConferenceLiveService(
    new RedisConferenceRooms(redis, config.redisPrefix),
    eventSystem.publisher,
    eventSystem.subscriptions,
  );
  const faxes = new FaxService(db, objects, eventSystem.publisher, media, config.objectDir);
  const callApiBus = new RedisCallApi(redis, config.redisPrefix);
  const services: Services = {
    config,
    db,
    redis,
    sessions,
    users,
    partners: new PartnerService(db),
    // No SMTP configuration exists yet, so e-mail changes answer email-failure.
    userProfile: new UserProfileService(db, {
      mailer: null,
      cache: profiles,
      addresses,
    }),
    addresses,
    pictures,
    lifecycle: new UserLifecycle(db, sessions, [
      (u) => objects.deleteAllOfUser(u),
      (u) => pictures.remove(u),
      (u) => sipAccounts.dropRegistrationsOfUser(u),
      (u) => push.removeAllOfUser(u),
    ]),
    partnerUsers: new PartnerUserService(db, sessions),
    signup: new SignupService(db, sessions),
    tags,
    objects,
    metadata: new MetadataService(db, outbox, objects),
    media,
    faxes,
    faxSend: new FaxSendService(db, redis, config.redisPrefix, faxes, policy.callFilters, faxSendQueue),
    faxSendQueue,
    faxInbox: new FaxInbox(faxes),
    recordings,
    announcements: new AnnouncementService(objects, eventSystem.publisher, media, config.objectDir),
    conferences: new ConferenceService(db, objects, conferenceLive),
    conferenceLive,
    callApi: new CallApiService(db, callApiBus, new IdempotencyStore(redis, config.redisPrefix), objects),
    callApiBus,
    policy,
    phones: new PhoneService(db, redis, config.redisPrefix, objects, outbox),
    partnerPhones: new PartnerPhoneService(db, outbox),
    dialplanV1: new DialplanV1Service(db, redis, config.redisPrefix, objects, eventSystem.publisher, outbox, {
      onCallreverse: (owner, state, from, to) => push.callreverse(owner, state, from, to),
    }),
    sipAccounts,
    dialplansV2: new DialplanV2Service(db, outbox, objects, sipAccounts),
    ivrs: new IvrService(db, objects),
    registrations,
    authGuard: new AuthFailureGuard(redis, config.redisPrefix, {
      ...config.sipAuthGuard,
      log: pino({ level: config.logLevel, base: { role: 'sip-auth' } }),
    }),
    sipNotifier: null,
    sipNotify: new SipNotifyService(
      sipAccounts,
      registrations,
      sipNotifyRelay,
      () => services.sipNotifier,
      config.sipNotifyTimeoutMs,
    ),
    sipBlf: new SipBlfService(db, sipAccounts, policy.usergroups),
    cdrs: new CdrService(db, eventSystem.partnerCdr),
    push,
    pushQueue,
    usage,
    messageWaiting,
    mwi,
    pushBindings,
    voipPusher,
    eventLog: eventSystem.log,
    eventSystem,
    metrics,
    health,
    adminQueries: new AdminQueries(db, registrations),
    liveCalls: new RedisLiveCalls(redis, config.redisPrefix),
    events,
    outbox,
    configCache,
    nextEventId: (sid) => eventSystem.log.nextId(sid),
    close: async () => {
      await configCache.close();
      await outbox.stop();
      await profiles.close();
      await eventSystem.close();
      await sessions.close();
      await media.close();
      await pushQueue.close();
      await pushBindings.close();
      voipPusher.close();
      await sipNotifyRelay.close();
      await callApiBus.close();
      await faxSendQueue.close();
      voicemail?.close();
    },
  };
  return services;
}
