import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let base: string;
beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '1000' });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await h?.close();
});

interface SseEvent {
  id: number;
  event: string;
  data: Record<string, unknown>;
}

/** Opens an SSE stream and collects `count` events. */
function readSse(url: string, headers: Record<string, string>, count: number): Promise<SseEvent[]> {
  return new Promise((resolve, reject) => {
    const out: SseEvent[] = [];
    const req = http.get(url, { headers }, (res) => {
      expect(res.headers['content-type']).toMatch(/text\/event-stream/);
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let idx;
        while ((idx = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, idx);
          buf = buf.slice(idx + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((l) => !l.startsWith(':'))
              .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
          );
          if (fields['data'] === undefined) continue;
          out.push({
            id: Number(fields['id']),
            event: fields['event'] ?? '',
            data: JSON.parse(fields['data']),
          });
          if (out.length === count) {
            req.destroy();
            resolve(out);
          }
        }
      });
    });
    req.on('error', (err) => (out.length === count ? undefined : reject(err)));
  });
}

describe('SSE stream (extension)', () => {
  it('streams the session events with the same ids as the long-poll, and resumes with Last-Event-ID', async () => {
    const u = await h.user();
    for (let i = 0; i < 3; i++) await h.services.events.publish({ users: [u.uuid] }, 'user_modify', { i });
    const first = await readSse(`${base}/api/event/stream`, { authorization: `Bearer ${u.sid}` }, 3);
    expect(first.map((e) => [e.id, e.event, e.data['i']])).toEqual([
      [0, 'user_modify', 0],
      [1, 'user_modify', 1],
      [2, 'user_modify', 2],
    ]);
    const longPoll = await h.call('GET', '/api/event?timeout=0', { sid: u.sid });
    expect(longPoll.event.map((e: { id: number }) => e.id)).toEqual(first.map((e) => e.id));

    const resumed = readSse(`${base}/api/event/stream?sid=${u.sid}`, { 'last-event-id': '1' }, 2);
    setTimeout(() => void h.services.events.publish({ users: [u.uuid] }, 'user_modify', { i: 3 }), 200);
    expect((await resumed).map((e) => e.id)).toEqual([2, 3]);
  });

  it('refuses a request without a session', async () => {
    const res = await fetch(`${base}/api/event/stream`);
    expect(((await res.json()) as { status: string }).status).toBe('no-session');
  });
});

describe('WebSocket stream (extension)', () => {
  it('pushes each event as a JSON message from next on', async () => {
    const u = await h.user();
    await h.services.events.publish({ users: [u.uuid] }, 'user_modify', { i: 0 });
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/event/ws?sid=${u.sid}&next=0`);
    const got: Array<Record<string, unknown>> = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (m) => {
        got.push(JSON.parse((m as Buffer).toString('utf8')));
        if (got.length === 1) void h.services.events.publish({ users: [u.uuid] }, 'tag_new', { tag: 't' });
        if (got.length === 2) resolve();
      });
      ws.on('error', reject);
    });
    ws.close();
    expect(got).toEqual([
      { id: 0, event: 'user_modify', time: expect.any(Number), i: 0 },
      { id: 1, event: 'tag_new', time: expect.any(Number), tag: 't' },
    ]);
  });
});
