/**
 * A telephony process for crash-recovery.test.ts: the telephony role of
 * `callplane start` on the configuration of its environment (the test's
 * PostgreSQL database, Redis prefix, SIP and RTP ports). It prints "ready"
 * once calls are taken; the test kills it with SIGKILL mid-call and starts
 * it again.
 */
import { loadConfig } from '../../src/config/index.js';
import { startEngine } from '../../src/main.js';

const engine = await startEngine(loadConfig(process.env), ['telephony']);
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void engine.stop().then(() => process.exit(0));
});
