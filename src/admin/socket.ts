import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ServiceError } from '../errors/index.js';
import type { Services } from '../services/index.js';
import { runAdminCommand, type AdminCommand } from './commands.js';

/** What these routes use of the services. */
type Deps = Pick<
  Services,
  'addresses' | 'adminQueries' | 'authGuard' | 'config' | 'liveCalls' | 'partners' | 'phones' | 'users'
>;

/**
 * The running engine answers admin commands on a Unix socket in DATA_DIR, so
 * the CLI works while the engine holds the embedded (single-process) database.
 * File permissions (0600) are the authentication: only the engine's user gets in.
 */
export function adminSocketPath(dataDir: string): string {
  return path.join(dataDir, 'admin.sock');
}

export async function startAdminSocket(services: Deps): Promise<() => Promise<void>> {
  const socketPath = adminSocketPath(services.config.dataDir);
  fs.mkdirSync(services.config.dataDir, { recursive: true });
  fs.rmSync(socketPath, { force: true });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        let out: Record<string, unknown>;
        try {
          const cmd = JSON.parse(Buffer.concat(chunks).toString('utf8')) as AdminCommand;
          out = { status: 'ok', ...(await runAdminCommand(services, cmd)) };
        } catch (err) {
          out =
            err instanceof ServiceError
              ? { status: err.status, message: err.message }
              : { status: 'fail', message: (err as Error).message };
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  fs.chmodSync(socketPath, 0o600);
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      fs.rmSync(socketPath, { force: true });
    });
}

/** Sends a command to a running engine; null when no engine answers on the socket. */
export async function sendAdminCommand(
  dataDir: string,
  cmd: AdminCommand,
): Promise<Record<string, unknown> | null> {
  const socketPath = adminSocketPath(dataDir);
  if (!fs.existsSync(socketPath)) return null;
  return new Promise((resolve) => {
    const req = http.request({ socketPath, path: '/', method: 'POST' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>),
      );
    });
    req.on('error', () => resolve(null));
    req.end(JSON.stringify(cmd));
  });
}
