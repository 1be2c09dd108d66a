import type { Redis } from 'ioredis';
import type { Config } from '../config/index.js';
import type { Metrics } from '../metrics/index.js';
import type { SessionStore } from '../services/session-store.js';
import { EventLog, notifyChannelOf, SessionEventPublisher } from './event-log.js';
import { FilterStore } from './filters.js';
import { PartnerCdrDelivery } from './partner-cdr.js';
import { SessionEvents } from './session-events.js';
import { ChannelSubscriptions } from './subscriptions.js';
import type { Audience, EventPublisher } from './types.js';
import { EventWaiter } from './waiter.js';

/** Everything of the event surface (spec 3.27, 6, 7, 9.2.1), wired on one Redis. */
export interface EventSystem {
  log: EventLog;
  filters: FilterStore;
  waiter: EventWaiter;
  subscriptions: ChannelSubscriptions;
  partnerCdr: PartnerCdrDelivery;
  reader: SessionEvents;
  publisher: EventPublisher;
  /** Starts periodic upkeep (expired CDR subscriptions); returns a stop function. */
  startSweeper(intervalMs?: number): () => void;
  close(): Promise<void>;
}

export function createEventSystem(
  redis: Redis,
  config: Config,
  sessions: SessionStore,
  metrics?: Pick<Metrics, 'events'>,
): EventSystem {
  const prefix = config.redisPrefix;
  const appended = metrics?.events.appended;
  const waiter = new EventWaiter(redis, notifyChannelOf(prefix));
  const log = new EventLog(redis, {
    prefix,
    maxEvents: config.eventMaxCount,
    maxAgeSeconds: config.eventMaxAgeSeconds,
    idleSeconds: config.sessionIdleSeconds,
    ...(appended ? { onAppend: (count: number) => appended.inc(count) } : {}),
    onAppended: (entries, ids) => waiter.appendedHere(entries, ids),
  });
  const filters = new FilterStore(redis, prefix, config.sessionIdleSeconds, config.patternCacheBytes);
  sessions.onTouch((p, sid) => {
    log.touch(p, sid);
    filters.touch(p, sid);
  });
  const exists = (sids: string[]): Promise<boolean[]> => sessions.exists(sids);
  const admit = filters.admit.bind(filters);
  const subscriptions = new ChannelSubscriptions(redis, prefix, exists);
  const partnerCdr = new PartnerCdrDelivery(redis, log, exists, filters.admitEach.bind(filters), {
    prefix,
    backlog: config.cdrBacklog,
  });
  const reader = new SessionEvents(log, waiter, async (sid, confirmed, handedOut) => {
    await partnerCdr.confirm(sid, confirmed, handedOut);
  });
  const audiences = {
    sessionsOf: async (audience: Audience): Promise<string[]> => {
      if ('channel' in audience) return subscriptions.sessionsOf(audience.channel);
      if ('sessions' in audience) {
        const sids = [...new Set(audience.sessions)];
        const alive = sids.length > 0 ? await sessions.exists(sids) : [];
        return sids.filter((_, i) => alive[i]);
      }
      const lists = await Promise.all(audience.users.map((u) => sessions.sessionsOfUser(u)));
      return [...new Set(lists.flat())];
    },
  };
  return {
    log,
    filters,
    waiter,
    subscriptions,
    partnerCdr,
    reader,
    publisher: new SessionEventPublisher(log, audiences, admit, {
      sets: (users) => [...new Set(users)].map((u) => sessions.userSetKey(u)),
      keys: { sessions: sessions.sessionKeyPrefix, filters: filters.keyPrefix },
      judge: filters.judge.bind(filters),
    }),
    startSweeper: (intervalMs = 5000) => {
      const timer = setInterval(() => void partnerCdr.sweep().catch(() => undefined), intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
    close: () => waiter.close(),
  };
}
