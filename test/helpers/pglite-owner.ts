/**
 * A PGlite owner process for tests and benches, as `callplane start` runs
 * the embedded database: one process owns PGlite (in memory here) and
 * serves it on the bridge socket (store/pglite-bridge.ts); the others use
 * it through that socket. Started by harness.ts (database 'pglite-bridge')
 * with the socket path as its argument; says `ready` over IPC, ends when
 * its parent goes away or says `stop`.
 */
import { openDatabase } from '../../src/store/db.js';
import { serveDatabaseBridge } from '../../src/store/pglite-bridge.js';

const socketPath = process.argv[2];
if (!socketPath) throw new Error('usage: pglite-owner.ts <socket path>');

const opened = await openDatabase({ pgliteDir: 'memory://' });
if (!opened.pglitePool) throw new Error('expected an embedded database');
const stopBridge = await serveDatabaseBridge(opened.pglitePool, socketPath);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await stopBridge();
  await opened.close();
  process.exit(0);
};
process.on('message', (m) => {
  if (m === 'stop') void stop();
});
process.on('disconnect', () => void stop());
process.send?.('ready');
