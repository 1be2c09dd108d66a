/**
 * Live conferences in Redis, shared by every node (issue 17): which
 * telephony node mixes a room, its members (spec 7.11 fields), and a
 * command channel to the mixing node.
 *
 * - `<prefix>conf:room:<uuid>`: hash `node`, `owner`, `description`,
 *   `contact` (where other nodes send a participant's leg), `started`,
 *   `until` (ms since epoch: the lease, renewed by the node's heartbeat);
 * - `<prefix>conf:members:<uuid>`: hash member UUID -> member JSON;
 * - `<prefix>conf:live`: sorted set uuid -> `until`, for the reaper;
 * - channel `<prefix>conf:cmd:<node>`: commands for the rooms of a node.
 *
 * A room counts as live while `until` lies ahead. A node that dies stops
 * renewing it: the room is offline once its lease ran out, and the keys
 * expire a grace period later (so nothing stays behind even if no reaper
 * runs). Within the grace period one reaper (or a node claiming the room
 * anew) takes the dead room's record atomically, to tell subscribers its
 * members left and the conference stopped. The crash reaper, which learns
 * of a dead process sooner, takes all of its rooms at once (reapNode).
 *
 * Times are the callers' clocks (ms since epoch), passed in: nodes are
 * expected to run NTP; a skew shortens or lengthens leases by as much.
 */
import type { Redis } from 'ioredis';
import { jsonObject } from '../../lib/json-object.js';
import { parseMember, type ConferenceMember, type MemberChanges } from '../../domain/conference/member.js';
import { parseMemberRequest } from '../../domain/conference/member-request.js';
import { endSubscriber } from '../../lib/redis.js';

export interface LiveRoom {
  conference: string;
  node: string;
  owner: string;
  description: string | null;
  contact: string | null;
  /** ms since epoch. */
  startedAt: number;
  /** The lease: the room is live until then (ms since epoch). */
  until: number;
}

export interface LiveConference extends LiveRoom {
  members: Record<string, ConferenceMember>;
}

/** What a node's rooms take from POST /api/conference/(uuid)/member and from deletes. */
export type ConferenceCommand =
  | { kind: 'member'; update: Record<string, MemberChanges>; delete: string[] }
  /** The conference was deleted: everyone leaves. */
  | { kind: 'close' };

export interface ClaimRequest {
  conference: string;
  node: string;
  owner: string;
  description: string | null;
  contact: string | null;
  now: number;
  leaseMs: number;
  graceMs: number;
}

export interface ClaimResult {
  room: LiveRoom;
  /** This call created the room (the caller's node mixes it and announces the start). */
  created: boolean;
  /** A dead room (its lease ran out) this claim replaced: its members left, it stopped. */
  replaced: LiveConference | null;
}

// KEYS: room, members, live. ARGV: node, owner, description, contact, now, until, ttl, uuid.
// Answers {created (0/1), room hash flat, replaced room hash flat, replaced members flat}.
const CLAIM_LUA = `
local current = redis.call('HGETALL', KEYS[1])
if #current > 0 then
  local until_ = tonumber(redis.call('HGET', KEYS[1], 'until'))
  if until_ and until_ > tonumber(ARGV[5]) then return {0, current, {}, {}} end
end
local members = {}
if #current > 0 then members = redis.call('HGETALL', KEYS[2]) end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[1], 'node', ARGV[1], 'owner', ARGV[2], 'description', ARGV[3], 'contact', ARGV[4],
  'started', ARGV[5], 'until', ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('ZADD', KEYS[3], ARGV[6], ARGV[8])
return {1, redis.call('HGETALL', KEYS[1]), current, members}
`;

// KEYS: live. ARGV: node, now, until, ttl, prefix, uuid...  Answers the uuids this node no longer holds.
const HEARTBEAT_LUA = `
local lost = {}
for i = 6, #ARGV do
  local room = ARGV[5] .. 'conf:room:' .. ARGV[i]
  local members = ARGV[5] .. 'conf:members:' .. ARGV[i]
  local until_ = tonumber(redis.call('HGET', room, 'until'))
  if redis.call('HGET', room, 'node') == ARGV[1] and until_ and until_ > tonumber(ARGV[2]) then
    redis.call('HSET', room, 'until', ARGV[3])
    redis.call('PEXPIRE', room, ARGV[4])
    redis.call('PEXPIRE', members, ARGV[4])
    redis.call('ZADD', KEYS[1], ARGV[3], ARGV[i])
  else
    table.insert(lost, ARGV[i])
  end
end
return lost
`;

// KEYS: room, members. ARGV: node, del-count, ids to delete..., then id/json pairs to set.
const MEMBERS_LUA = `
if redis.call('HGET', KEYS[1], 'node') ~= ARGV[1] then return 0 end
local n = tonumber(ARGV[2])
for i = 3, 2 + n do redis.call('HDEL', KEYS[2], ARGV[i]) end
if #ARGV > 2 + n then
  local args = {}
  for i = 3 + n, #ARGV do table.insert(args, ARGV[i]) end
  redis.call('HSET', KEYS[2], unpack(args))
end
redis.call('PEXPIRE', KEYS[2], redis.call('PTTL', KEYS[1]))
return 1
`;

// KEYS: room, members, live. ARGV: node, uuid.
const RELEASE_LUA = `
if redis.call('HGET', KEYS[1], 'node') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[2])
return 1
`;

// KEYS: live. ARGV: now, prefix, limit. Takes rooms whose lease ran out; answers {uuid, room, members}...
const REAP_LUA = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  local room = ARGV[2] .. 'conf:room:' .. id
  local members = ARGV[2] .. 'conf:members:' .. id
  local until_ = tonumber(redis.call('HGET', room, 'until'))
  if until_ == nil or until_ <= tonumber(ARGV[1]) then
    table.insert(out, {id, redis.call('HGETALL', room), redis.call('HGETALL', members)})
    redis.call('DEL', room, members)
  end
end
return out
`;

// KEYS: live. ARGV: node, prefix. Takes every room `node` holds, lease or not; answers {uuid, room, members}...
const REAP_NODE_LUA = `
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
local out = {}
for _, id in ipairs(ids) do
  local room = ARGV[2] .. 'conf:room:' .. id
  local members = ARGV[2] .. 'conf:members:' .. id
  if redis.call('HGET', room, 'node') == ARGV[1] then
    redis.call('ZREM', KEYS[1], id)
    table.insert(out, {id, redis.call('HGETALL', room), redis.call('HGETALL', members)})
    redis.call('DEL', room, members)
  end
end
return out
`;

type Flat = string[];

function hash(flat: Flat): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
}

function roomOf(conference: string, h: Record<string, string>): LiveRoom | null {
  const started = Number(h['started']);
  const until = Number(h['until']);
  if (!h['node'] || !h['owner'] || !Number.isFinite(started) || !Number.isFinite(until)) return null;
  return {
    conference,
    node: h['node'],
    owner: h['owner'],
    description: h['description'] ? h['description'] : null,
    contact: h['contact'] ? h['contact'] : null,
    startedAt: started,
    until,
  };
}

function membersOf(h: Record<string, string>): Record<string, ConferenceMember> {
  const out: Record<string, ConferenceMember> = {};
  for (const [id, text] of Object.entries(h)) {
    try {
      const m = parseMember(JSON.parse(text));
      if (m) out[id] = m;
    } catch {
      // A member that is not JSON is not shown; the node rewrites it on its next change.
    }
  }
  return out;
}

interface ConferenceRoomCommands {
  cpConfClaim(...args: Array<string | number>): Promise<[number, Flat, Flat, Flat]>;
  cpConfHeartbeat(...args: Array<string | number>): Promise<string[]>;
  cpConfMembers(...args: Array<string | number>): Promise<number>;
  cpConfRelease(...args: Array<string | number>): Promise<number>;
  cpConfReap(...args: Array<string | number>): Promise<Array<[string, Flat, Flat]>>;
  cpConfReapNode(...args: Array<string | number>): Promise<Array<[string, Flat, Flat]>>;
}

export class RedisConferenceRooms {
  readonly #cmd: ConferenceRoomCommands;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand('cpConfClaim', { numberOfKeys: 3, lua: CLAIM_LUA });
    redis.defineCommand('cpConfHeartbeat', { numberOfKeys: 1, lua: HEARTBEAT_LUA });
    redis.defineCommand('cpConfMembers', { numberOfKeys: 2, lua: MEMBERS_LUA });
    redis.defineCommand('cpConfRelease', { numberOfKeys: 3, lua: RELEASE_LUA });
    redis.defineCommand('cpConfReap', { numberOfKeys: 1, lua: REAP_LUA });
    redis.defineCommand('cpConfReapNode', { numberOfKeys: 1, lua: REAP_NODE_LUA });
    this.#cmd = redis as unknown as ConferenceRoomCommands;
  }

  private roomKey(uuid: string): string {
    return `${this.prefix}conf:room:${uuid}`;
  }

  private membersKey(uuid: string): string {
    return `${this.prefix}conf:members:${uuid}`;
  }

  private get liveKey(): string {
    return `${this.prefix}conf:live`;
  }

  private channel(node: string): string {
    return `${this.prefix}conf:cmd:${node}`;
  }

  /**
   * The room of a conference: the live one, or a new one on the caller's
   * node (replacing a dead one). Atomic, so two nodes taking the first
   * participants of one conference at once agree on one mixing node.
   */
  async claim(req: ClaimRequest): Promise<ClaimResult> {
    const until = req.now + req.leaseMs;
    const [created, room, old, oldMembers] = await this.#cmd.cpConfClaim(
      this.roomKey(req.conference),
      this.membersKey(req.conference),
      this.liveKey,
      req.node,
      req.owner,
      req.description ?? '',
      req.contact ?? '',
      req.now,
      until,
      req.leaseMs + req.graceMs,
      req.conference,
    );
    const live = roomOf(req.conference, hash(room));
    if (!live) throw new Error(`conference room ${req.conference} has a malformed record`);
    const dead = old.length > 0 ? roomOf(req.conference, hash(old)) : null;
    return {
      room: live,
      created: created === 1,
      replaced: dead ? { ...dead, members: membersOf(hash(oldMembers)) } : null,
    };
  }

  /** Renews the leases of a node's rooms; answers those it no longer holds (taken over or expired). */
  async heartbeat(
    node: string,
    conferences: readonly string[],
    now: number,
    leaseMs: number,
    graceMs: number,
  ): Promise<string[]> {
    if (conferences.length === 0) return [];
    return this.#cmd.cpConfHeartbeat(
      this.liveKey,
      node,
      now,
      now + leaseMs,
      leaseMs + graceMs,
      this.prefix,
      ...conferences,
    );
  }

  /** Writes members (whole) and removes others, only while `node` holds the room. */
  async writeMembers(
    conference: string,
    node: string,
    set: Readonly<Record<string, ConferenceMember>>,
    remove: readonly string[] = [],
  ): Promise<boolean> {
    const pairs = Object.entries(set).flatMap(([id, m]) => [id, JSON.stringify(m)]);
    const ok = await this.#cmd.cpConfMembers(
      this.roomKey(conference),
      this.membersKey(conference),
      node,
      remove.length,
      ...remove,
      ...pairs,
    );
    return ok === 1;
  }

  /** Ends a room (its last member left); false when `node` no longer held it. */
  async release(conference: string, node: string): Promise<boolean> {
    const ok = await this.#cmd.cpConfRelease(
      this.roomKey(conference),
      this.membersKey(conference),
      this.liveKey,
      node,
      conference,
    );
    return ok === 1;
  }

  /** The live room with its members; null when there is none or its lease ran out. */
  async get(conference: string, now: number): Promise<LiveConference | null> {
    const res = await this.redis
      .multi()
      .hgetall(this.roomKey(conference))
      .hgetall(this.membersKey(conference))
      .exec();
    const failed = res?.find(([err]) => err)?.[0];
    if (failed) throw failed;
    const room = roomOf(conference, (res?.[0]?.[1] ?? {}) as Record<string, string>);
    if (!room || room.until <= now) return null;
    return { ...room, members: membersOf((res?.[1]?.[1] ?? {}) as Record<string, string>) };
  }

  /** Takes up to `limit` rooms whose lease ran out before `now`; each is handed to one caller only. */
  async reap(now: number, limit = 100): Promise<LiveConference[]> {
    const rows = await this.#cmd.cpConfReap(this.liveKey, now, this.prefix, limit);
    const out: LiveConference[] = [];
    for (const [id, room, members] of rows) {
      const r = roomOf(id, hash(room));
      if (r) out.push({ ...r, members: membersOf(hash(members)) });
    }
    return out;
  }

  /**
   * Takes every room `node` holds, whether its lease ran out or not: the
   * node is known to be dead (its process's heartbeat stopped), so its rooms
   * end now instead of when their leases run out.
   */
  async reapNode(node: string): Promise<LiveConference[]> {
    const rows = await this.#cmd.cpConfReapNode(this.liveKey, node, this.prefix);
    const out: LiveConference[] = [];
    for (const [id, room, members] of rows) {
      const r = roomOf(id, hash(room));
      if (r) out.push({ ...r, members: membersOf(hash(members)) });
    }
    return out;
  }

  /** Delivers a command to the node mixing the room; false when no process of it listens. */
  async send(node: string, conference: string, command: ConferenceCommand): Promise<boolean> {
    return (await this.redis.publish(this.channel(node), JSON.stringify({ conference, command }))) > 0;
  }

  /** Takes the commands sent to `node`; answers the unsubscribe. */
  async listen(
    node: string,
    handler: (conference: string, command: ConferenceCommand) => void,
    onError: (err: unknown) => void = () => undefined,
  ): Promise<() => Promise<void>> {
    const sub = this.redis.duplicate();
    sub.on('error', onError);
    const channel = this.channel(node);
    sub.on('message', (ch: string, text: string) => {
      if (ch !== channel) return;
      const msg = parseCommand(text);
      if (msg) handler(msg.conference, msg.command);
    });
    await sub.subscribe(channel);
    return async () => {
      endSubscriber(sub);
    };
  }
}

/** A command message when it has the documented shape, else null (the channel is not trusted blindly). */
export function parseCommand(text: string): { conference: string; command: ConferenceCommand } | null {
  const m = jsonObject(text);
  if (!m) return null;
  const { conference, command } = m as { conference?: unknown; command?: Record<string, unknown> };
  if (typeof conference !== 'string' || typeof command !== 'object' || command === null) return null;
  if (command['kind'] === 'close') return { conference, command: { kind: 'close' } };
  if (command['kind'] !== 'member') return null;
  const parsed = parseMemberRequest({ update: command['update'], delete: command['delete'] });
  if ('problem' in parsed) return null;
  return { conference, command: { kind: 'member', ...parsed.request } };
}
