import fs from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { parseAddressAreas, type AddressArea } from './services/address-service.js';
import { ServiceError } from './errors/index.js';
import { runAdminCommand, type AdminCommand, type NumberState } from './admin/commands.js';
import { sendAdminCommand } from './admin/socket.js';
import { ConfigError, loadConfig, type Config } from './config/index.js';
import { raiseOpenFileLimit } from './lib/open-files.js';
import { RedisUnavailableError } from './lib/redis.js';
import { Teardown } from './lib/teardown.js';
import { openAdminServices, startEngine, type Role } from './main.js';
import { startOpsServer } from './api/ops-server.js';
import { DatabaseBusyError } from './store/db.js';
import { DatabaseBridgeError } from './store/pglite-bridge.js';
import { forkRoles, processPlan, Supervisor } from './supervisor.js';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function config(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(`callplane: ${err.message}`);
    throw err;
  }
}

/** Open files wanted for SIP over TCP, RTP and the API at full load (issue 14, item 5). */
const OPEN_FILES_WANTED = 65536;

/** The open-file limit line, once the engine runs. */
function openFilesLine({ after, note }: ReturnType<typeof raiseOpenFileLimit>): string {
  if (after === null) return '';
  const why = note ? `; below ${OPEN_FILES_WANTED}: ${note}` : '';
  return `callplane: open files limit ${after.soft} (hard ${after.hard}${why})\n`;
}

/** Runs `callplane start`: its roles in supervised child processes (src/supervisor.ts). */
function supervise(): void {
  const cfg = config();
  const bin = process.argv[1] ?? '';
  const supervisor = new Supervisor(processPlan(cfg.databaseUrl !== undefined), {
    start: (spec) => forkRoles(bin, spec),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  supervisor.start();
  const stop = (): void => supervisor.stop(0);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  void supervisor.done.then((code) => process.exit(code));
}

async function serve(roles: Role[], opts: { dbBridge?: boolean } = {}): Promise<void> {
  const cfg = config();
  // Under `callplane start` (an IPC channel to the supervisor): one process of several.
  const supervised = typeof process.send === 'function';
  // Raised before any socket opens; reported once the engine started.
  const files = raiseOpenFileLimit(OPEN_FILES_WANTED);
  try {
    const engine = await startEngine(cfg, roles, { databaseBridge: opts.dbBridge === true });
    const teardown = new Teardown();
    teardown.add('engine', () => engine.stop());
    // METRICS_PORT: /metrics, /health and /ready on a listener of their own, whatever the roles.
    // Under the supervisor, the API's process serves them (one listener for the port).
    const ops =
      cfg.metricsPort === undefined || (supervised && !roles.includes('api'))
        ? null
        : await startOpsServer(engine.services, { host: cfg.metricsHost, port: cfg.metricsPort }).catch(
            async (err: unknown) => {
              // The listener's failure is the reason given; a part that also fails to stop adds nothing to it.
              await teardown.run().catch(() => undefined);
              throw err;
            },
          );
    if (ops) teardown.add('metrics listener', () => ops.close());
    process.stdout.write(openFilesLine(files));
    const where = engine.url ? `listening on ${engine.url}` : `media concurrency ${cfg.mediaConcurrency}`;
    const metrics = ops ? `, metrics on ${ops.url}` : '';
    process.stdout.write(`callplane: ${roles.join('+')} ${where} (data in ${cfg.dataDir})${metrics}\n`);
    const shutdown = (): void => {
      void teardown.run().then(
        () => process.exit(0),
        // Every part was still told to stop; the ones that failed are named.
        (err: unknown) => {
          process.stderr.write(`callplane: ${(err as Error).message}\n`);
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    if (supervised) {
      // The supervisor is gone (killed): nobody would restart or stop this process.
      process.once('disconnect', shutdown);
      process.send?.({ ready: true });
    }
  } catch (err) {
    const why = startFailure(err, cfg);
    if (why === null) throw err;
    // Under the supervisor the line goes to it: it prints the first process's only, since
    // processes failing for one cause (no Redis, say) would otherwise each say it.
    if (supervised) process.send?.({ failed: why }, () => process.exit(1));
    else fail(why);
  }
}

/** The one line that explains why the engine could not start, null for an unexpected error. */
function startFailure(err: unknown, cfg: Config): string | null {
  if (err instanceof RedisUnavailableError) return err.message;
  if (err instanceof DatabaseBridgeError) return `callplane: ${err.message}`;
  if (err instanceof DatabaseBusyError) {
    return `callplane: ${err.message}; stop it first or use DATABASE_URL for a shared PostgreSQL`;
  }
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') {
    const port = e.message.includes(`:${cfg.port}`) ? cfg.port : (cfg.metricsPort ?? cfg.port);
    const name = port === cfg.port ? 'PORT' : 'METRICS_PORT';
    return `callplane: port ${port} is in use; set ${name} to another port`;
  }
  return null;
}

/** Runs an admin command through a running engine's socket, else directly on the database. */
async function admin(cmd: AdminCommand): Promise<void> {
  const cfg = config();
  let out: Record<string, unknown> | null = cfg.databaseUrl ? null : await sendAdminCommand(cfg.dataDir, cmd);
  if (!out) {
    try {
      const handle = await openAdminServices(cfg);
      try {
        out = { status: 'ok', ...(await runAdminCommand(handle.services, cmd)) };
      } catch (err) {
        if (!(err instanceof ServiceError)) throw err;
        out = { status: err.status, message: err.message };
      } finally {
        await handle.close();
      }
    } catch (err) {
      if (err instanceof DatabaseBusyError)
        fail(`callplane: ${err.message} and its admin socket does not answer`);
      throw err;
    }
  }
  const { status, ...rest } = out;
  if (status !== 'ok') fail(JSON.stringify({ status, message: rest['message'] }));
  process.stdout.write(`${JSON.stringify(rest)}\n`);
}

/** A whole number option. */
function count(value: string): number {
  if (!/^[0-9]{1,9}$/.test(value)) throw new InvalidArgumentError('a whole number is expected');
  return Number(value);
}

const program = new Command('callplane').description(
  'telephony and media engine for the Q-loud / cospace API',
);

program
  .command('start')
  .description(
    'run every role with embedded defaults, supervised: the telephony role in a process of its own, restarted when a process dies',
  )
  .action(() => supervise());
program
  .command('serve', { hidden: true })
  .description('run the given roles in this process (what start runs under its supervisor)')
  .argument('<roles>', 'comma-separated: api, worker, telephony')
  .option('--db-bridge', "use the embedded database through the API process's socket")
  .action((list: string, o: { dbBridge?: boolean }) => {
    const roles = list
      .split(',')
      .filter((r): r is Role => r === 'api' || r === 'worker' || r === 'telephony');
    if (roles.length === 0) fail('callplane: serve needs roles: api, worker, telephony');
    return serve(roles, o);
  });
program
  .command('telephony')
  .description('run the embedded SIP/RTP telephony role (SIP_PORT, RTP_PORTS, SIP_TRUNK)')
  .action(() => serve(['telephony']));

program
  .command('api')
  .description('run the REST API role')
  .action(() => serve(['api']));
program
  .command('worker')
  .description(
    'run the media worker role (fax/audio conversion, text to speech; MEDIA_CONCURRENCY jobs at once)',
  )
  .action(() => serve(['worker']));

const adminCmd = program.command('admin').description('administration; prints JSON');
adminCmd
  .command('partner')
  .description('partner accounts')
  .command('create <name>')
  .description('create a partner; prints {"partner","key"} (the key is shown only once)')
  .action((name: string) => admin({ op: 'partner.create', name }));
const numbersCmd = adminCmd.command('numbers').description('phone number pools (spec 3.9)');
numbersCmd
  .command('add <area> <numbers...>')
  .description('add free numbers to the pool of an area code; prints {"added"}')
  .action((area: string, numbers: string[]) => admin({ op: 'numbers.add', area, numbers }));
const addressCmd = adminCmd
  .command('address')
  .description('address directory: zip codes, towns and their area codes (spec 3.5 POST /api/user)');
addressCmd
  .command('add <country> <zip> <town> <area>')
  .description('add a town of a zip code with its area code, e.g. de 10557 Berlin 30; prints {"added"}')
  .action((country: string, zip_code: string, town: string, area_code: string) =>
    admin({ op: 'address.add', rows: [{ country, zip_code, town, area_code }] }),
  );
addressCmd
  .command('import <file>')
  .description('add the lines country;zip;town;area_code of a file (# comments); prints {"added"}')
  .action((file: string) => {
    let rows: AddressArea[];
    try {
      rows = parseAddressAreas(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      fail(
        JSON.stringify({
          status: err instanceof ServiceError ? err.status : 'fail',
          message: (err as Error).message,
        }),
      );
    }
    return admin({ op: 'address.add', rows });
  });
numbersCmd
  .command('list')
  .description(
    'the platform\'s numbers: free (pool), reserved (unlock code pending), active; prints {"numbers"}',
  )
  .option('--area <code>', 'only this area code')
  .option('--state <state>', 'only free, reserved or active numbers')
  .option('--limit <n>', 'at most this many (default 1000)', count)
  .option('--offset <n>', 'skip this many', count)
  .action((o: { area?: string; state?: NumberState; limit?: number; offset?: number }) =>
    admin({ op: 'numbers.list', ...o }),
  );
adminCmd
  .command('registrations')
  .description('live SIP registrations of every node, or of one user; prints {"registrations"}')
  .option('--user <user>', 'only the SIP accounts of this user (username, e-mail or UUID)')
  .action((o: { user?: string }) => admin({ op: 'registrations.list', ...o }));
const callsCmd = adminCmd
  .command('calls')
  .description('live calls of every telephony node, oldest first; prints {"calls"}')
  .option('--user <user>', 'only the calls of this user (username, e-mail or UUID)')
  .option('--node <node>', 'only the calls held by this node (NODE_ID)')
  .action((o: { user?: string; node?: string }) => admin({ op: 'calls.list', ...o }));
callsCmd
  .command('hangup <uuid>')
  .description('end a live call on whatever node holds it; prints {"uuid","node","hangup_cause"}')
  .option('--cause <q850>', 'Q.850 hang-up cause (default 16, normal clearing)', count)
  .action((uuid: string, o: { cause?: number }) => admin({ op: 'calls.hangup', uuid, ...o }));
const authCmd = adminCmd.command('auth').description('the SIP password guessing guard');
authCmd
  .command('blocked')
  .description('list the blocks in force; prints {"blocked":[{kind,source,account,seconds}]}')
  .action(() => admin({ op: 'auth.blocked' }));
authCmd
  .command('unblock <target>')
  .description('lift the blocks of an IP address or a SIP account; prints {"target","unblocked"}')
  .action((target: string) => admin({ op: 'auth.unblock', target }));
const userCmd = adminCmd.command('user').description('user accounts');
userCmd
  .command('list')
  .description('users (not deleted), by username; prints {"users"}')
  .option('--partner <name>', 'only the users of this partner')
  .option('--limit <n>', 'at most this many (default 1000)', count)
  .option('--offset <n>', 'skip this many', count)
  .action((o: { partner?: string; limit?: number; offset?: number }) => admin({ op: 'user.list', ...o }));
userCmd
  .command('set-area <user> <area>')
  .description(
    'override the area code whose number pool serves the user (username, e-mail or UUID); it wins over the address',
  )
  .action((user: string, area: string) => admin({ op: 'user.set-area', user, area }));
userCmd
  .command('set-permission <user> <permission>')
  .description(
    'grant a special permission (spec 13.1): statistics (GET /api/statistics, /api/usage) or mwi (/api/mwi); --revoke takes it back',
  )
  .option('--revoke')
  .action((user: string, permission: string, o: { revoke?: boolean }) =>
    admin({ op: 'user.set-permission', user, permission, granted: o.revoke !== true }),
  );
userCmd
  .command('create')
  .description('create a user; prints {"uuid"}')
  .requiredOption('--username <username>')
  .requiredOption('--password <password>')
  .option('--email <email>')
  .option('--partner <name>')
  .action((o: { username: string; password: string; email?: string; partner?: string }) =>
    admin({ op: 'user.create', ...o }),
  );

await program.parseAsync(process.argv);
