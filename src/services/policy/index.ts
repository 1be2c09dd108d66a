import type { Redis } from 'ioredis';
import type { Db } from '../../store/db.js';
import { CreditStore } from '../../store/redis/credit.js';
import { CallFilterService } from './call-filter-service.js';
import { CallLimitService } from './call-limit-service.js';
import { CnamService } from './cnam-service.js';
import { CreditService } from './credit-service.js';
import { EmergencyService } from './emergency-service.js';
import { EnterpriseService } from './enterprise-service.js';
import { ExtensionService } from './extension-service.js';
import { UsergroupService } from './usergroup-service.js';
import { ZoneFilterService } from './zone-filter-service.js';

/** Partner policy (spec 9.1.3, 9.1.5-9.1.7) and calling names (spec 10), one small service per resource. */
export interface PolicyServices {
  callFilters: CallFilterService;
  emergency: EmergencyService;
  usergroups: UsergroupService;
  extensions: ExtensionService;
  callLimits: CallLimitService;
  credits: CreditService;
  zoneFilters: ZoneFilterService;
  enterprises: EnterpriseService;
  cnam: CnamService;
}

export function createPolicyServices(
  db: Db,
  redis: Redis,
  redisPrefix: string,
  patternCacheBytes?: number,
): PolicyServices {
  const creditStore = new CreditStore(redis, redisPrefix);
  return {
    callFilters: new CallFilterService(db, patternCacheBytes),
    emergency: new EmergencyService(db),
    // A deleted group's credit goes with it (credit.ts: Redis is its only copy).
    usergroups: new UsergroupService(db, [(g) => creditStore.delete(g)]),
    extensions: new ExtensionService(db),
    callLimits: new CallLimitService(db),
    credits: new CreditService(db, creditStore),
    zoneFilters: new ZoneFilterService(db),
    enterprises: new EnterpriseService(db),
    cnam: new CnamService(db),
  };
}
