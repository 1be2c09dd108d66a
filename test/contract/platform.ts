/**
 * The platform side every adapter is built with, for the contract suite:
 * accounts with digest credentials, BLF rights and voice message counts in memory, the real Redis
 * location store and auth guard under a random key prefix, prompts from
 * sounds/.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import { AuthFailureGuard } from '../../src/store/redis/auth-guard.js';
import { RegistrationStore } from '../../src/store/redis/registrations.js';
import type { MailboxState, MediaLocation, MediaRef } from '../../src/telephony/adapter.js';
import type { AdapterEnvironment } from '../../src/telephony/environment.js';
import { silentLogger } from '../../src/telephony/engine/logger.js';
import { SOUNDS_DIR } from '../../src/telephony/platform/voice-directory.js';
import path from 'node:path';
import { deleteKeys } from '../helpers/redis-keys.js';
import type { Account } from './driver.js';

export const DOMAIN = 'contract.test';

export interface ContractPlatform {
  env: AdapterEnvironment;
  location: RegistrationStore;
  account(name: string, password: string, watches?: string[]): Account;
  /** The voice messages of each owner, as the platform's mailbox directory answers them. */
  mailboxes: Map<string, MailboxState>;
  close(): Promise<void>;
}

export async function contractPlatform(): Promise<ContractPlatform> {
  const redis: Redis = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  const prefix = `cpt:${randomToken(8)}:`;
  const location = new RegistrationStore(redis, prefix, { publish: async () => undefined });
  const accounts = new Map<string, Account>();
  const watchers = new Map<string, string[]>();
  const mailboxes = new Map<string, MailboxState>();
  const ha1 = (alg: 'md5' | 'sha256', a: Account) =>
    createHash(alg).update(`${a.name}:${a.domain}:${a.password}`).digest('hex');
  const env: AdapterEnvironment = {
    accounts: {
      credentials: async (name) => {
        const a = accounts.get(name);
        return a
          ? {
              name: a.name,
              owner: a.owner,
              domain: a.domain,
              ha1: { md5: ha1('md5', a), sha256: ha1('sha256', a) },
            }
          : null;
      },
    },
    location,
    authGuard: new AuthFailureGuard(redis, prefix),
    watchers: { watchersOf: async (number) => watchers.get(number) ?? [] },
    mailboxes: { summary: async (owner) => mailboxes.get(owner) ?? { newMessages: 0, oldMessages: 0 } },
    media: {
      locate: async (ref: MediaRef): Promise<MediaLocation | null> =>
        ref.kind === 'prompt'
          ? { kind: 'file', path: path.join(SOUNDS_DIR, ref.language, `${ref.name}.wav`) }
          : null,
    },
    log: silentLogger,
  };
  return {
    env,
    location,
    mailboxes,
    account: (name, password, watches = []) => {
      const a = { name, owner: `owner-${name}`, domain: DOMAIN, password };
      accounts.set(name, a);
      for (const n of watches) watchers.set(n, [...(watchers.get(n) ?? []), name]);
      return a;
    },
    close: async () => {
      await deleteKeys(redis, prefix);
      redis.disconnect();
    },
  };
}
