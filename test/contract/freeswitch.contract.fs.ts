/**
 * The adapter contract on drachtio-server + FreeSWITCH (`npm run
 * test:contract:freeswitch`, vitest.freeswitch.config.ts), with the
 * servers' addresses in the environment (freeswitch-driver.ts).
 */
import { adapterContract } from './adapter-contract.js';
import { freeswitchConfigured, freeswitchDriver } from './freeswitch-driver.js';

if (!freeswitchConfigured())
  throw new Error(
    'set DRACHTIO_URL, DRACHTIO_SIP and FREESWITCH_ESL to the running servers (freeswitch-driver.ts)',
  );
adapterContract('drachtio + FreeSWITCH', freeswitchDriver);
