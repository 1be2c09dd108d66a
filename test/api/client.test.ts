/**
 * The typed client (`callplane/client`) against buildApp() listening on a
 * real port: typed calls, spec statuses as errors, the event iterator over
 * long-poll and SSE, and its types generated from the served description.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_TYPES_DIR, CLIENT_TYPES_FILE, renderClientTypes } from '../../scripts/client-types.js';
import { CallplaneError, createCallplaneClient, ok, type ApiEvent } from '../../src/client/index.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

let h: Harness;
let baseUrl: string;
let alice: TestUser;

beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '10000' });
  baseUrl = await h.app.listen({ host: '127.0.0.1', port: 0 });
  alice = await h.user();
});
afterAll(async () => {
  await h?.close();
});

/** Takes `n` events from an iterator, then stops it. */
async function take(it: AsyncGenerator<ApiEvent>, n: number): Promise<ApiEvent[]> {
  const out: ApiEvent[] = [];
  for await (const e of it) {
    out.push(e);
    if (out.length === n) break;
  }
  return out;
}

describe('callplane/client', () => {
  it('logs in and makes typed calls with the session', async () => {
    const cp = createCallplaneClient({ baseUrl });
    await cp.login(alice.username, alice.password);
    expect(cp.sid).toMatch(/^\S{20,}$/);
    const me = await ok(cp.api.GET('/api/user'));
    expect(me.user).toMatchObject({ uuid: alice.uuid, username: alice.username });
    const lang = await ok(cp.api.GET('/api/language'));
    expect(lang.language).toEqual(['en', 'de']);
    const tag = await ok(cp.api.POST('/api/tag', { body: { label: 'from the client' } }));
    expect(tag.uuid).toMatch(/^[0-9a-f-]{36}$/);
    await cp.logout();
    expect(cp.sid).toBeUndefined();
  });

  it('turns a spec status other than ok into a CallplaneError', async () => {
    const cp = createCallplaneClient({ baseUrl });
    const err = await ok(cp.api.GET('/api/user')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallplaneError);
    expect(err).toMatchObject({ status: 'no-session' });
    await expect(cp.login(alice.username, 'not-the-password')).rejects.toMatchObject({
      status: 'wrong-credentials',
    });
  });

  it('iterates the session events over long-poll, in order, from a cursor', async () => {
    const cp = createCallplaneClient({ baseUrl });
    await cp.login(alice.username, alice.password);
    const first = take(cp.events({ timeout: 5 }), 2);
    await h.services.events.publish({ users: [alice.uuid] }, 'user_modify', { n: 1 });
    await h.services.events.publish({ users: [alice.uuid] }, 'user_modify', { n: 2 });
    const got = await first;
    expect(got.map((e) => [e.id, e['n']])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    // From a cursor: only what came after.
    expect((await take(cp.events({ next: 1, timeout: 5 }), 1))[0]).toMatchObject({ id: 1, n: 2 });
  });

  it('iterates the same stream over Server-Sent Events, and stops on abort', async () => {
    const cp = createCallplaneClient({ baseUrl });
    await cp.login(alice.username, alice.password);
    const ctl = new AbortController();
    const seen: ApiEvent[] = [];
    const reading = (async () => {
      for await (const e of cp.events({ transport: 'sse', signal: ctl.signal })) {
        seen.push(e);
        if (seen.length === 2) ctl.abort();
      }
    })();
    await h.services.events.publish({ users: [alice.uuid] }, 'user_modify', { n: 'a' });
    await h.services.events.publish({ users: [alice.uuid] }, 'user_modify', { n: 'b' });
    await reading;
    expect(seen.map((e) => [e.id, e.event, e['n']])).toEqual([
      [0, 'user_modify', 'a'],
      [1, 'user_modify', 'b'],
    ]);
  });

  it('reports a refused stream as a CallplaneError on both transports', async () => {
    const cp = createCallplaneClient({ baseUrl, sid: 'no-such-session-000000000000' });
    for (const transport of ['long-poll', 'sse'] as const) {
      await expect(take(cp.events({ transport }), 1)).rejects.toMatchObject({ status: 'no-session' });
    }
  });
});

describe('the OpenAPI description behind the client', () => {
  it('src/client/openapi.ts is what `npm run client:generate` makes of GET /api/openapi.json', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const fresh = await renderClientTypes(doc);
    const root = path.resolve(import.meta.dirname, '../..');
    const committed = fs
      .readdirSync(path.join(root, CLIENT_TYPES_DIR))
      .map((f) => `${CLIENT_TYPES_DIR}/${f}`)
      .concat(CLIENT_TYPES_FILE);
    expect(committed.sort(), 'run `npm run client:generate` and commit src/client/openapi*').toEqual(
      [...fresh.keys()].sort(),
    );
    for (const [file, text] of fresh) {
      const same = fs.readFileSync(path.join(root, file), 'utf8') === text;
      expect(same, `run \`npm run client:generate\` and commit ${file}`).toBe(true);
    }
  });

  it('describes /api/event/ws (101 with the upgrade); a plain GET answers wrong-syntax in the envelope', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const ws = doc.paths['/api/event/ws'].get;
    expect(Object.keys(ws.responses).sort()).toEqual(['101', '200']);
    expect(ws.description).toMatch(/WebSocket|websocket/);
    const res = await h.app.inject({
      method: 'GET',
      url: '/api/event/ws',
      headers: { authorization: `Bearer ${alice.sid}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'wrong-syntax' });
  });
});
