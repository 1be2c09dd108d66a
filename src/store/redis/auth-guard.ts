import type { Redis } from 'ioredis';

export interface AuthGuardOptions {
  /** Failed authentications from one address within the window that block it. */
  maxFailures: number;
  windowSeconds: number;
  /** How long a blocked address is refused. */
  blockSeconds: number;
}

export const DEFAULT_AUTH_GUARD: AuthGuardOptions = { maxFailures: 10, windowSeconds: 60, blockSeconds: 300 };

/**
 * Counts a failure; at the limit the address is blocked and its count starts
 * over. KEYS: counter, block. ARGV: maxFailures, windowSeconds, blockSeconds.
 * The window starts at the first failure (fixed window), so a steady trickle
 * below the limit per window never blocks.
 */
const FAILURE_LUA = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2])) end
if n >= tonumber(ARGV[1]) then
  redis.call('SET', KEYS[2], '1', 'EX', tonumber(ARGV[3]))
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`;

interface GuardCommands {
  cpAuthFailure(counter: string, block: string, max: number, window: number, block2: number): Promise<number>;
}

/**
 * Refuses an address for a while after repeated failed digest authentication
 * (password guessing against SIP accounts), shared by every telephony node.
 * The stack asks blocked() before challenging and answers 403 without a
 * challenge while it is true; it reports failure() for a wrong response or an
 * unknown account (not for a first request without credentials or a stale
 * nonce, which are part of the normal exchange) and success() after a good
 * one. Keys: `<prefix>sipauth:fail:<ip>` and `<prefix>sipauth:block:<ip>`.
 */
export class AuthFailureGuard {
  private readonly opts: AuthGuardOptions;
  private readonly cmd: GuardCommands;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    opts: Partial<AuthGuardOptions> = {},
  ) {
    this.opts = { ...DEFAULT_AUTH_GUARD, ...opts };
    for (const [k, v] of Object.entries(this.opts))
      if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`${k} must be a positive integer`);
    redis.defineCommand('cpAuthFailure', { numberOfKeys: 2, lua: FAILURE_LUA });
    this.cmd = redis as unknown as GuardCommands;
  }

  /** The address without the port (`203.0.113.7`, `2001:db8::1`). */
  private key(kind: 'fail' | 'block', ip: string): string {
    return `${this.prefix}sipauth:${kind}:${ip.toLowerCase()}`;
  }

  async blocked(ip: string): Promise<boolean> {
    return (await this.redis.exists(this.key('block', ip))) === 1;
  }

  async failure(ip: string): Promise<void> {
    await this.cmd.cpAuthFailure(
      this.key('fail', ip),
      this.key('block', ip),
      this.opts.maxFailures,
      this.opts.windowSeconds,
      this.opts.blockSeconds,
    );
  }

  /** A good authentication clears the address's failures (not an active block). */
  async success(ip: string): Promise<void> {
    await this.redis.del(this.key('fail', ip));
  }
}
