import net from 'node:net';
import type { Redis } from 'ioredis';

export interface AuthGuardOptions {
  /** Failures of one account from one address within the window that block that pair. */
  maxFailures: number;
  /** Failures from one address over accounts it never logged in to that block the address. */
  sourceMaxFailures: number;
  /** Failures of one account over all addresses that block it for addresses it never logged in from. */
  accountMaxFailures: number;
  windowSeconds: number;
  /** The first block; each further one of the same pair, address or account doubles, up to maxBlockSeconds. */
  blockSeconds: number;
  maxBlockSeconds: number;
  /** How long a successful login makes its (address, account) pair trusted. */
  trustSeconds: number;
  /** Addresses and networks (`203.0.113.7`, `10.0.0.0/8`, `2001:db8::/32`) never blocked. */
  allow: readonly string[];
  log?: AuthGuardLog;
}

export interface AuthGuardLog {
  warn(obj: Record<string, unknown>, msg: string): void;
}

export const DEFAULT_AUTH_GUARD: AuthGuardOptions = {
  maxFailures: 5,
  sourceMaxFailures: 30,
  accountMaxFailures: 20,
  windowSeconds: 300,
  blockSeconds: 60,
  maxBlockSeconds: 3600,
  trustSeconds: 7 * 86400,
  allow: [],
};

export type BlockKind = 'pair' | 'source' | 'account';

export interface BlockedEntry {
  kind: BlockKind;
  source?: string;
  account?: string;
  /** Seconds until the block ends. */
  seconds: number;
}

/**
 * Every question to the guard, as one script. KEYS: the pair's trust key,
 * then the counter, block and strike keys of the pair, the address and the
 * account ('' for a scope that does not apply). ARGV: mode, the three limits,
 * window, blockSeconds, maxBlockSeconds, trustSeconds.
 *
 * - A trusted pair (it logged in before) escapes the address and account
 *   blocks, not its own; its failures count for the pair only, so a phone's
 *   typo never blocks its neighbours.
 * - Modes `check`, `ok` and `fail` answer {-1} when blocked, counting
 *   nothing; `check` then answers {0}; `ok` clears the pair's failures and
 *   back-off and trusts it; `fail` (and `count`, which skips the block test)
 *   counts one failure per scope and blocks each scope that reached its
 *   limit, for blockSeconds doubled per earlier block (strikes, remembered
 *   for a day); they answer the three block durations (0: none).
 */
const GUARD_LUA = `
local mode = ARGV[1]
local trusted = KEYS[1] ~= '' and redis.call('EXISTS', KEYS[1]) == 1
local function on(k) return k ~= '' and redis.call('EXISTS', k) == 1 end
if mode ~= 'count' then
  if on(KEYS[3]) or (not trusted and (on(KEYS[6]) or on(KEYS[9]))) then return {-1} end
  if mode == 'check' then return {0} end
end
if mode == 'ok' then
  redis.call('DEL', KEYS[2], KEYS[4])
  redis.call('SET', KEYS[1], '1', 'EX', tonumber(ARGV[8]))
  return {0}
end
local out = {}
for s = 0, 2 do
  local counter, block, strikes = KEYS[s*3+2], KEYS[s*3+3], KEYS[s*3+4]
  local blocked = 0
  if counter ~= '' and (s == 0 or not trusted) then
    local n = redis.call('INCR', counter)
    if n == 1 then redis.call('EXPIRE', counter, tonumber(ARGV[5])) end
    if n >= tonumber(ARGV[s+2]) then
      local k = redis.call('INCR', strikes)
      redis.call('EXPIRE', strikes, 86400)
      blocked = math.min(tonumber(ARGV[6]) * 2 ^ (k - 1), tonumber(ARGV[7]))
      redis.call('SET', block, '1', 'EX', blocked)
      redis.call('DEL', counter)
    end
  end
  out[s+1] = blocked
end
return out
`;

type GuardMode = 'check' | 'ok' | 'fail' | 'count';

interface GuardCommands {
  cpSipAuthGuard(...args: Array<string | number>): Promise<number[]>;
}

const norm = (s: string): string => encodeURIComponent(s.toLowerCase());

/**
 * SIP digest password guessing guard (issue 14, item 4), shared by every
 * telephony node through Redis. Failures are counted three ways:
 *
 * - per (address, account): maxFailures block that pair with exponential
 *   back-off; a success of the same pair clears it, another account's
 *   success does not;
 * - per address, over accounts the address never logged in to: guesses
 *   across many accounts from one address block the address, but not the
 *   phones behind it that logged in before (trusted pairs);
 * - per account, over all addresses: guesses spread over many addresses
 *   block the account for every address it never logged in from.
 *
 * Allow-listed networks are never blocked. Keys under `<prefix>sipauth:`:
 * `fail|block|strike:(pair|src|acct):...` and `trust:<ip>|<account>`.
 * It is the telephony adapters' AuthGuard (telephony/environment.ts), plus what
 * operators read of it.
 */
export class AuthFailureGuard {
  private readonly opts: AuthGuardOptions;
  private readonly cmd: GuardCommands;
  private readonly allow = new net.BlockList();
  /** Counted in this process, for metrics. */
  readonly stats = { failures: 0, refused: 0, blocks: 0 };

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    opts: Partial<AuthGuardOptions> = {},
  ) {
    this.opts = { ...DEFAULT_AUTH_GUARD, ...opts };
    for (const [k, v] of Object.entries(this.opts)) {
      if (typeof v === 'number' && (!Number.isSafeInteger(v) || v < 1))
        throw new RangeError(`${k} must be a positive integer`);
    }
    for (const entry of this.opts.allow) addAllowed(this.allow, entry);
    redis.defineCommand('cpSipAuthGuard', { numberOfKeys: 10, lua: GUARD_LUA });
    this.cmd = redis as unknown as GuardCommands;
  }

  private key(kind: 'fail' | 'block' | 'strike', scope: 'pair' | 'src' | 'acct', id: string): string {
    return `${this.prefix}sipauth:${kind}:${scope}:${id}`;
  }

  private trustKey(source: string, account: string): string {
    return `${this.prefix}sipauth:trust:${norm(source)}|${norm(account)}`;
  }

  private allowed(source: string): boolean {
    if (this.opts.allow.length === 0) return false;
    const v = net.isIP(source);
    return v !== 0 && this.allow.check(source, v === 6 ? 'ipv6' : 'ipv4');
  }

  /** Whether a login of `account` (null: not known yet) from `source` (IP) is refused now. */
  async blocked(source: string, account: string | null): Promise<boolean> {
    return !(await this.ask('check', source, account));
  }

  /**
   * Settles a verified answer to a challenge in one round trip: false when
   * the pair, the address or the account is blocked now (nothing counted);
   * otherwise counts `ok` as a success (clears the pair, trusts it) or a
   * failure, and answers true.
   */
  async attempt(source: string, account: string, ok: boolean): Promise<boolean> {
    return this.ask(ok ? 'ok' : 'fail', source, account);
  }

  /** Counts a failure whatever is blocked (malformed credentials: `account` null). */
  async failure(source: string, account: string | null): Promise<void> {
    await this.ask('count', source, account);
  }

  /** One round trip of GUARD_LUA; false when refused. */
  private async ask(mode: GuardMode, source: string, account: string | null): Promise<boolean> {
    if (this.allowed(source)) return true;
    const src = norm(source);
    const scopes: Array<[BlockKind, 'pair' | 'src' | 'acct', string] | null> = [
      account === null ? null : ['pair', 'pair', `${src}|${norm(account)}`],
      ['source', 'src', src],
      account === null ? null : ['account', 'acct', norm(account)],
    ];
    const o = this.opts;
    const answer = await this.cmd.cpSipAuthGuard(
      account === null ? '' : this.trustKey(source, account),
      ...scopes.flatMap((s) =>
        s === null
          ? ['', '', '']
          : [this.key('fail', s[1], s[2]), this.key('block', s[1], s[2]), this.key('strike', s[1], s[2])],
      ),
      mode,
      o.maxFailures,
      o.sourceMaxFailures,
      o.accountMaxFailures,
      o.windowSeconds,
      o.blockSeconds,
      o.maxBlockSeconds,
      o.trustSeconds,
    );
    if (answer[0] === -1) {
      this.stats.refused += 1;
      return false;
    }
    if (mode === 'fail' || mode === 'count') {
      this.stats.failures += 1;
      answer.forEach((seconds, i) => {
        const scope = scopes[i];
        if (!scope || !seconds) return;
        this.stats.blocks += 1;
        this.opts.log?.warn(
          { source, account, scope: scope[0], seconds },
          `SIP authentication blocked (${scope[0]}) after repeated failures`,
        );
      });
    }
    return true;
  }

  /** Every block in force (admin `auth blocked`). */
  async listBlocked(): Promise<BlockedEntry[]> {
    const base = `${this.prefix}sipauth:block:`;
    const keys = await this.scan(`${escapeGlob(base)}*`);
    const ttls = keys.length === 0 ? [] : await Promise.all(keys.map((k) => this.redis.ttl(k)));
    const out: BlockedEntry[] = [];
    keys.forEach((k, i) => {
      const [scope, id = ''] = splitOnce(k.slice(base.length), ':');
      const seconds = Math.max(ttls[i] ?? 0, 0);
      if (scope === 'pair') {
        const [source, account] = splitOnce(id, '|').map(decodeURIComponent) as [string, string];
        out.push({ kind: 'pair', source, account, seconds });
      } else if (scope === 'src') out.push({ kind: 'source', source: decodeURIComponent(id), seconds });
      else if (scope === 'acct') out.push({ kind: 'account', account: decodeURIComponent(id), seconds });
    });
    return out.sort((a, b) => b.seconds - a.seconds);
  }

  /**
   * Lifts the blocks of an address (its own and its pairs) or of an account
   * (its own and its pairs), with their counters and back-off. Returns how
   * many blocks were lifted.
   */
  async unblock(ipOrAccount: string): Promise<number> {
    const id = norm(ipOrAccount);
    const isIp = net.isIP(ipOrAccount) !== 0;
    const scope = isIp ? 'src' : 'acct';
    const pairGlob = isIp ? `${escapeGlob(id)}|*` : `*|${escapeGlob(id)}`;
    const blocks = [
      this.key('block', scope, id),
      ...(await this.scan(`${escapeGlob(this.key('block', 'pair', ''))}${pairGlob}`)),
    ];
    const lifted = await this.redis.exists(...blocks);
    const state = [
      this.key('fail', scope, id),
      this.key('strike', scope, id),
      ...(await this.scan(`${escapeGlob(this.key('fail', 'pair', ''))}${pairGlob}`)),
      ...(await this.scan(`${escapeGlob(this.key('strike', 'pair', ''))}${pairGlob}`)),
    ];
    await this.redis.del(...blocks, ...state);
    return lifted;
  }

  private async scan(match: string): Promise<string[]> {
    const out: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      out.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    return out;
  }
}

function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + sep.length)];
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}

/** Adds `ip` or `ip/bits` to the allow-list; throws RangeError on anything else. */
function addAllowed(list: net.BlockList, entry: string): void {
  const [ip = '', bits] = entry.split('/');
  const v = net.isIP(ip);
  if (v === 0) throw new RangeError(`'${entry}' is no IP address or network`);
  const type = v === 6 ? 'ipv6' : 'ipv4';
  if (bits === undefined) list.addAddress(ip, type);
  else {
    const n = Number(bits);
    if (!/^[0-9]{1,3}$/.test(bits) || n > (v === 6 ? 128 : 32))
      throw new RangeError(`'${entry}' has no valid prefix length`);
    list.addSubnet(ip, n, type);
  }
}

/** Whether an allow-list entry is valid (config validation). */
export function isAllowEntry(entry: string): boolean {
  try {
    addAllowed(new net.BlockList(), entry);
    return true;
  } catch {
    return false;
  }
}
