/**
 * Presence across telephony nodes (store/redis/presence-bus.ts,
 * telephony/platform/shared-presence.ts) on the real Redis: a call of a
 * watched number on one node reaches the phones watching on another, in
 * order; calls of numbers nobody watches stay on their node; mailbox
 * changes reach every node; the channel drops what it cannot read.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import {
  parsePresenceMessage,
  presenceChannel,
  publishPresence,
} from '../../src/store/redis/presence-bus.js';
import type { DialogInfo, MailboxState, PresencePort } from '../../src/telephony/adapter.js';
import { silentLogger } from '../../src/telephony/engine/logger.js';
import { SharedPresence } from '../../src/telephony/platform/shared-presence.js';
import { eventually } from '../helpers/telephony.js';

class Recorder implements PresencePort {
  readonly dialogs: Array<{ number: string; state: string; callId: string }> = [];
  readonly mailboxes: Array<{ owner: string } & MailboxState> = [];
  update(number: string, info: DialogInfo): void {
    this.dialogs.push({ number, state: info.state, callId: info.callId });
  }
  mailbox(owner: string, state: MailboxState): void {
    this.mailboxes.push({ owner, ...state });
  }
}

let redis: Redis;
const prefix = `cpt:${randomToken(8)}:`;
const watched = new Set(['+4930100']);
const watchers = { watchersOf: async (n: string) => (watched.has(n) ? ['watcher'] : []) };
const a = new Recorder();
const b = new Recorder();
let nodeA: SharedPresence;
let nodeB: SharedPresence;

beforeAll(async () => {
  redis = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  nodeA = new SharedPresence(a, redis, prefix, watchers, silentLogger);
  nodeB = new SharedPresence(b, redis, prefix, watchers, silentLogger);
  await nodeA.start();
  await nodeB.start();
});
afterAll(async () => {
  await nodeA?.stop();
  await nodeB?.stop();
  redis?.disconnect();
});

const info = (callId: string, state: DialogInfo['state']): DialogInfo => ({
  callId,
  localTag: 'l',
  remoteTag: 'r',
  state,
  direction: 'recipient',
  remote: '+4940111',
});

describe('presence shared by the telephony nodes', () => {
  it("tells the other node of a watched number's call, in order, and its own node once", async () => {
    for (const s of ['early', 'confirmed', 'terminated'] as const) nodeA.update('+4930100', info('c1', s));
    await eventually(async () => (b.dialogs.length === 3 ? true : undefined), 'the three updates on B');
    expect(b.dialogs.map((d) => d.state)).toEqual(['early', 'confirmed', 'terminated']);
    // A applied its own at once and does not take its echo a second time.
    await new Promise((r) => setTimeout(r, 100));
    expect(a.dialogs.map((d) => d.state)).toEqual(['early', 'confirmed', 'terminated']);
  });

  it('keeps the calls of numbers nobody watches on their node', async () => {
    nodeB.update('+4930999', info('c2', 'early'));
    nodeB.update('+4930100', info('c3', 'early'));
    await eventually(async () => (a.dialogs.some((d) => d.callId === 'c3') ? true : undefined), 'c3 on A');
    expect(a.dialogs.some((d) => d.callId === 'c2')).toBe(false);
    expect(b.dialogs.some((d) => d.callId === 'c2')).toBe(true);
  });

  it('passes mailbox changes to every node, whoever published them', async () => {
    await publishPresence(redis, prefix, { t: 'mailbox', owner: 'u1', newMessages: 2, oldMessages: 5 });
    await eventually(async () => (a.mailboxes.length && b.mailboxes.length ? true : undefined), 'both');
    expect(a.mailboxes).toEqual([{ owner: 'u1', newMessages: 2, oldMessages: 5 }]);
    expect(b.mailboxes).toEqual([{ owner: 'u1', newMessages: 2, oldMessages: 5 }]);
  });

  it('drops messages of another shape', async () => {
    for (const bad of [
      'not json',
      '[]',
      '{"t":"mailbox","owner":"u2","newMessages":-1,"oldMessages":0}',
      '{"t":"mailbox","owner":"u2","newMessages":1.5,"oldMessages":0}',
      '{"t":"dialog","origin":"x","number":"+1","info":{"callId":"c","localTag":"l","remoteTag":"r","state":"gone","direction":"recipient","remote":null}}',
      '{"t":"dialog","origin":"x","number":"+1","info":null}',
    ]) {
      expect(parsePresenceMessage(bad)).toBeNull();
      await redis.publish(presenceChannel(prefix), bad);
    }
    await publishPresence(redis, prefix, { t: 'mailbox', owner: 'u3', newMessages: 0, oldMessages: 0 });
    await eventually(async () => (b.mailboxes.some((m) => m.owner === 'u3') ? true : undefined), 'u3');
    expect(b.mailboxes.some((m) => m.owner === 'u2')).toBe(false);
    expect(b.dialogs.some((d) => d.number === '+1')).toBe(false);
  });
});
