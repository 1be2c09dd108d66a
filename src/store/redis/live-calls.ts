/**
 * Live calls in Redis, for every node and the API (telephony/call/registry.ts):
 *
 * - `<prefix>call:<uuid>`: the call's summary (JSON), kept 4 h at most so a
 *   node that dies leaves nothing behind for longer;
 * - `<prefix>calls:owner:<user>` and `<prefix>calls:node:<node>`: sets of
 *   uuids (members whose summary is gone are dropped when read);
 * - channel `<prefix>calls:cmd:<node>`: commands for the calls of a node.
 */
import type { Redis } from 'ioredis';
import type { CallCommand, CallSummary, LiveCallStore } from '../../domain/call/live-call.js';

const SUMMARY_TTL_S = 4 * 3600;

export class RedisLiveCalls implements LiveCallStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(uuid: string): string {
    return `${this.prefix}call:${uuid}`;
  }

  private ownerKey(owner: string): string {
    return `${this.prefix}calls:owner:${owner}`;
  }

  private nodeKey(node: string): string {
    return `${this.prefix}calls:node:${node}`;
  }

  private channel(node: string): string {
    return `${this.prefix}calls:cmd:${node}`;
  }

  async put(s: CallSummary): Promise<void> {
    const m = this.redis.multi().set(this.key(s.uuid), JSON.stringify(s), 'EX', SUMMARY_TTL_S);
    m.sadd(this.nodeKey(s.node), s.uuid);
    if (s.owner) m.sadd(this.ownerKey(s.owner), s.uuid);
    await m.exec();
  }

  async remove(s: CallSummary): Promise<void> {
    const m = this.redis.multi().del(this.key(s.uuid)).srem(this.nodeKey(s.node), s.uuid);
    if (s.owner) m.srem(this.ownerKey(s.owner), s.uuid);
    await m.exec();
  }

  async get(uuid: string): Promise<CallSummary | null> {
    const text = await this.redis.get(this.key(uuid));
    return text ? parse(text) : null;
  }

  ofOwner(owner: string): Promise<CallSummary[]> {
    return this.members(this.ownerKey(owner));
  }

  ofNode(node: string): Promise<CallSummary[]> {
    return this.members(this.nodeKey(node));
  }

  private async members(set: string): Promise<CallSummary[]> {
    const uuids = await this.redis.smembers(set);
    if (uuids.length === 0) return [];
    const texts = await this.redis.mget(uuids.map((u) => this.key(u)));
    const out: CallSummary[] = [];
    const gone: string[] = [];
    texts.forEach((t, i) => {
      const s = t ? parse(t) : null;
      if (s) out.push(s);
      else gone.push(uuids[i]!);
    });
    if (gone.length > 0) await this.redis.srem(set, ...gone);
    return out.sort((a, b) => a.createdAt - b.createdAt);
  }

  async send(node: string, uuid: string, command: CallCommand): Promise<boolean> {
    return (await this.redis.publish(this.channel(node), JSON.stringify({ uuid, command }))) > 0;
  }

  async listen(
    node: string,
    handler: (uuid: string, command: CallCommand) => void,
  ): Promise<() => Promise<void>> {
    const sub = this.redis.duplicate();
    sub.on('error', () => undefined);
    const channel = this.channel(node);
    sub.on('message', (ch: string, text: string) => {
      if (ch !== channel) return;
      const msg = parseCommand(text);
      if (msg) handler(msg.uuid, msg.command);
    });
    await sub.subscribe(channel);
    return async () => {
      sub.disconnect();
    };
  }
}

function parse(text: string): CallSummary | null {
  try {
    const s = JSON.parse(text) as CallSummary;
    return typeof s.uuid === 'string' && typeof s.node === 'string' ? s : null;
  } catch {
    return null;
  }
}

function parseCommand(text: string): { uuid: string; command: CallCommand } | null {
  try {
    const m = JSON.parse(text) as { uuid?: unknown; command?: { kind?: unknown; cause?: unknown } };
    if (typeof m.uuid !== 'string' || m.command?.kind !== 'hangup') return null;
    const cause = m.command.cause;
    return {
      uuid: m.uuid,
      command:
        typeof cause === 'number' && Number.isInteger(cause) && cause >= 0 && cause <= 127
          ? { kind: 'hangup', cause }
          : { kind: 'hangup' },
    };
  } catch {
    return null;
  }
}
