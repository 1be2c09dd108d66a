import path from 'node:path';
import { Redis } from 'ioredis';
import { startAdminSocket } from './admin/socket.js';
import { buildApp } from './api/app.js';
import type { Config } from './config/index.js';
import { connectRedis } from './lib/redis.js';
import { Teardown } from './lib/teardown.js';
import { startMediaWorker } from './media/worker.js';
import { createAdapter } from './telephony/adapters.js';
import { startTelephonyNode, type TelephonyNode } from './telephony/node.js';
import { createServices, type Services } from './services/index.js';
import { openDatabase, type OpenedDatabase } from './store/db.js';
import { BRIDGE_SOCKET, serveDatabaseBridge } from './store/pglite-bridge.js';

/** api: REST + events; worker: BullMQ media jobs; telephony: the call engine on the configured adapter. */
export type Role = 'api' | 'worker' | 'telephony';

export function pgliteDir(config: Config): string {
  return path.join(config.dataDir, 'pglite');
}

/** Opens the database the configuration names: PostgreSQL, or embedded PGlite under DATA_DIR. */
export function openConfiguredDatabase(config: Config): Promise<OpenedDatabase> {
  return openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: pgliteDir(config) });
}

export interface RunningEngine {
  services: Services;
  url: string;
  telephony: TelephonyNode | null;
  stop(): Promise<void>;
}

export interface EngineOptions {
  /**
   * Reach the embedded database through the socket of the process that owns
   * it (under `callplane start` on PGlite: the telephony process, whose SIP
   * and RTP thus run apart from the API).
   */
  databaseBridge?: boolean;
}

/** Where the process that owns the embedded database serves it to the others. */
export function bridgeSocketPath(config: Config): string {
  return path.join(config.dataDir, BRIDGE_SOCKET);
}

/** Composition root: connects Redis and the database, builds services, starts the roles. */
export async function startEngine(
  config: Config,
  roles: Role[],
  opts: EngineOptions = {},
): Promise<RunningEngine> {
  const redis = await connectRedis(config.redisUrl);
  // Undone last-first: the services' own connections close last, after the roles stopped.
  const teardown = new Teardown();
  teardown.add('redis', () => redis.disconnect());
  const bridged = opts.databaseBridge === true && !config.databaseUrl;
  try {
    const database = bridged
      ? await openDatabase({ bridgeSocket: bridgeSocketPath(config) })
      : await openConfiguredDatabase(config);
    teardown.add('database', () => database.close());
    const services = createServices({ config, db: database.db, redis });
    teardown.add('services', () => services.close());
    const telephony = await startRoles(config, roles, { database, bridged }, services, teardown);
    const stopSweeper = services.eventSystem.startSweeper();
    teardown.add('event sweeper', stopSweeper);
    return { services, url: telephony.url, telephony: telephony.node, stop: () => teardown.run() };
  } catch (err) {
    // A role that could not start (a port in use, say): what did start stops again.
    await teardown.run().catch(() => undefined);
    throw err;
  }
}

/** Starts the roles' parts, each adding the step that stops it. */
async function startRoles(
  config: Config,
  roles: Role[],
  { database, bridged }: { database: OpenedDatabase; bridged: boolean },
  services: Services,
  teardown: Teardown,
): Promise<{ url: string; node: TelephonyNode | null }> {
  // The API's process owns PGlite: other role processes of this DATA_DIR use it through this socket.
  if (database.pglitePool && roles.includes('api'))
    teardown.add('database bridge', await serveDatabaseBridge(database.pglitePool, bridgeSocketPath(config)));
  let url = '';
  if (roles.includes('api')) {
    const app = await buildApp(services, { logger: { level: config.logLevel } });
    teardown.add('api', () => app.close());
    url = await app.listen({ port: config.port, host: config.host });
  }
  if (roles.includes('worker')) {
    const worker = startMediaWorker(services, { concurrency: config.mediaConcurrency });
    teardown.add('media worker', () => worker.close());
  }
  let node: TelephonyNode | null = null;
  if (roles.includes('telephony')) {
    const { default: pino } = await import('pino');
    const log = pino({ level: config.logLevel, base: { role: 'telephony', node: config.nodeId } });
    // The adapter TELEPHONY names carries the calls; the engine on it is the same for every adapter.
    const adapter = await createAdapter(services, config, log);
    const started = await startTelephonyNode(services, config, adapter, { log });
    teardown.add('telephony', () => started.stop());
    node = started;
  }
  // Admin commands reach the process that holds PGlite through this socket; on PostgreSQL they
  // open the database themselves, and the API's process serves the socket (one per DATA_DIR).
  if (roles.includes('api') || (!config.databaseUrl && !bridged))
    teardown.add('admin socket', await startAdminSocket(services));
  return { url, node };
}

/** Services for one admin command run directly against the database (no engine running). */
export async function openAdminServices(
  config: Config,
): Promise<{ services: Services; close(): Promise<void> }> {
  const database = await openConfiguredDatabase(config);
  // Admin commands touch only the database; Redis connects only if a command needs it.
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  return {
    services: createServices({ config, db: database.db, redis }),
    close: async () => {
      await database.close();
      redis.disconnect();
    },
  };
}
