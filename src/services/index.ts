import type { Redis } from 'ioredis';
import type { Config } from '../config/index.js';
import type { Db } from '../store/db.js';
import { EventLog, SessionEventPublisher } from '../events/event-log.js';
import type { EventPublisher } from '../events/types.js';
import { PartnerService } from './partner-service.js';
import { SessionStore } from './session-store.js';
import { UserService } from './user-service.js';

export interface ServiceDeps {
  config: Config;
  db: Db;
  redis: Redis;
}

/** The use cases the API (and the admin CLI) call; built once per process. */
export interface Services {
  config: Config;
  db: Db;
  redis: Redis;
  sessions: SessionStore;
  users: UserService;
  partners: PartnerService;
  eventLog: EventLog;
  /** Producers publish here: `events.publish({ users: [uuid] }, 'user_modify', {})`. */
  events: EventPublisher;
  /** The id of the next event of a session's event stream (`next_event`, spec 3.1). */
  nextEventId(sid: string): Promise<number>;
}

export function createServices(deps: ServiceDeps): Services {
  const { config, db, redis } = deps;
  const sessions = new SessionStore(redis, config.redisPrefix, config.sessionIdleSeconds);
  const eventLog = new EventLog(redis, {
    prefix: config.redisPrefix,
    maxEvents: config.eventMaxCount,
    maxAgeSeconds: config.eventMaxAgeSeconds,
    idleSeconds: config.sessionIdleSeconds,
  });
  const audiences = {
    sessionsOf: async (audience: { users: readonly string[] } | { channel: string }): Promise<string[]> => {
      if (!('users' in audience)) return [];
      const lists = await Promise.all(audience.users.map((u) => sessions.sessionsOfUser(u)));
      return [...new Set(lists.flat())];
    },
  };
  return {
    config,
    db,
    redis,
    sessions,
    users: new UserService(db),
    partners: new PartnerService(db),
    eventLog,
    events: new SessionEventPublisher(eventLog, audiences, async (_sid, event) => event),
    nextEventId: (sid) => eventLog.nextId(sid),
  };
}
