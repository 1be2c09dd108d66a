import type { Redis } from 'ioredis';
import type { Config } from '../config/index.js';
import type { Db } from '../store/db.js';
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
  /** The id of the next event of a session's event stream (`next_event`, spec 3.1). */
  nextEventId(sid: string): Promise<number>;
}

export function createServices(deps: ServiceDeps): Services {
  const { config, db, redis } = deps;
  return {
    config,
    db,
    redis,
    sessions: new SessionStore(redis, config.redisPrefix, config.sessionIdleSeconds),
    users: new UserService(db),
    partners: new PartnerService(db),
    nextEventId: async (sid) => Number((await redis.get(`${config.redisPrefix}ev:next:${sid}`)) ?? 0),
  };
}
