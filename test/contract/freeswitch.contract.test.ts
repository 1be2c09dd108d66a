/**
 * The adapter contract on drachtio-server + FreeSWITCH (`npm run
 * test:contract:freeswitch` with the servers' addresses set; skipped
 * otherwise, as in `npm test`).
 */
import { describe, it } from 'vitest';
import { adapterContract } from './adapter-contract.js';
import { freeswitchConfigured, freeswitchDriver } from './freeswitch-driver.js';

if (freeswitchConfigured()) adapterContract('drachtio + FreeSWITCH', freeswitchDriver);
else
  describe('telephony adapter contract: drachtio + FreeSWITCH', () => {
    it.skip('needs DRACHTIO_URL and FREESWITCH_ESL (npm run test:contract:freeswitch)', () => undefined);
  });
