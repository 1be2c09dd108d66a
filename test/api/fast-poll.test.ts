import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { parseHead } from '../../src/api/fast-poll.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

/**
 * GET /api/event answered on the connection (src/api/fast-poll.ts) against
 * the same app without it: the same bytes for every request, and whatever
 * the fast path does not answer itself reaches Fastify intact.
 */

let h: Harness;
let plain: FastifyInstance;
let fastPort: number;
let plainPort: number;
let u: TestUser;
/** Requests that reached Node's HTTP server of the app with the fast path (its parser's refusals included). */
let viaNode = 0;

beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '1000' });
  plain = await buildApp(h.services, { fastPoll: false });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  await plain.listen({ port: 0, host: '127.0.0.1' });
  fastPort = (h.app.server.address() as AddressInfo).port;
  plainPort = (plain.server.address() as AddressInfo).port;
  h.app.server.on('request', () => viaNode++);
  // Fastify's handler answers refusals; this one only counts them.
  h.app.server.on('clientError', () => viaNode++);
  u = await h.user();
  await h.services.events.publish({ users: [u.uuid] }, 'user_modify', { name: 'Jürgen ✓' });
  await h.services.events.publish({ users: [u.uuid] }, 'user_modify', { name: 'two' });
});

afterAll(async () => {
  await plain?.close();
  await h?.close();
});

/** Bytes to a fresh connection; what came back once `answers` answers are complete, the socket closed, or `waitMs` passed. */
function exchange(port: number, bytes: string | Buffer, answers = 1, waitMs = 3000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let got = Buffer.alloc(0);
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(normalise(got.toString('utf8')));
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (d) => {
      got = Buffer.concat([got, d]);
      if (completeAnswers(got) >= answers) done();
    });
    socket.on('close', done);
    socket.on('error', () => undefined);
    socket.write(bytes);
  });
}

/** Complete HTTP answers (with Content-Length bodies) at the start of `buf`. */
function completeAnswers(buf: Buffer): number {
  let n = 0;
  let at = 0;
  for (;;) {
    const end = buf.indexOf('\r\n\r\n', at);
    if (end < 0) return n;
    const head = buf.toString('latin1', at, end);
    const len = /content-length: *([0-9]+)/i.exec(head);
    const next = end + 4 + (len ? Number(len[1]) : 0);
    if (next > buf.length) return n;
    n++;
    at = next;
  }
}

const normalise = (text: string): string => text.replace(/Date: [^\r]+/g, 'Date: -');

/** The same bytes to both apps: the answers must be equal. */
async function same(bytes: string | Buffer, answers = 1, waitMs = 3000): Promise<string> {
  const [fast, slow] = await Promise.all([
    exchange(fastPort, bytes, answers, waitMs),
    exchange(plainPort, bytes, answers, waitMs),
  ]);
  expect(fast).toBe(slow);
  return fast;
}

const get = (target: string, headers: string[] = []): string =>
  `GET ${target} HTTP/1.1\r\nHost: x\r\n${headers.map((l) => `${l}\r\n`).join('')}\r\n`;

describe('GET /api/event on the connection', () => {
  it('answers events and timeouts with the bytes Fastify sends, without Node HTTP', async () => {
    const before = viaNode;
    const events = await same(get('/api/event?timeout=0', [`Authorization: Bearer ${u.sid}`]));
    expect(events).toContain('"status":"ok"');
    expect(events).toContain('Jürgen ✓');
    expect(events).toMatch(/"next":2\}$/);
    const timeout = await same(get('/api/event?next=2&timeout=0', [`Authorization: bearer  ${u.sid}`]));
    expect(timeout).toContain(
      '{"status":"timeout","message":"no event arrived within the timeout","next":2}',
    );
    await same(get(`/api/event/?sid=${u.sid}&timeout=0&next=1`));
    await same(get('/api/event?timeout=0', [`Cookie: lang=de; sid=${u.sid}`]));
    await same(get('/api/event?timeout=0', ['Authorization: Basic eDp5', `Cookie: sid=${u.sid}`]));
    expect(viaNode).toBe(before);
  });

  it('hands whatever it does not answer to Fastify, with the same answer as without it', async () => {
    const withOrigin = await h.services.sessions.create({ language: 'de', origin: 'https://a.example' });
    const before = viaNode;
    const sid = `Authorization: Bearer ${u.sid}`;
    const cases = [
      get('/api/event?timeout=0', ['Authorization: Bearer nosuchsession']),
      get('/api/event?timeout=0'),
      get('/api/event?timeout=301', [sid]),
      get('/api/event?timeout=0&timeout=1', [sid]),
      get('/api/event?timeout=0&next=x', [sid]),
      get('/api/event?timeout=0&other=1', [sid]),
      get(`/api/event?timeout=0&sid=${u.sid}%00`),
      get('/api/event?timeout=0', [
        `Authorization: Bearer ${withOrigin.sid}`,
        'Origin: https://elsewhere.example',
      ]),
      get('/api/event?timeout=0', [sid, 'Content-Length: 0']),
      get('/api/event/filter', [sid]),
      get('/api/user', [sid]),
      `HEAD /api/event?timeout=0 HTTP/1.1\r\nHost: x\r\n${sid}\r\n\r\n`,
      `POST /api/event?timeout=0 HTTP/1.1\r\nHost: x\r\n${sid}\r\nContent-Length: 2\r\n\r\n{}`,
      `GET /api/event?timeout=0 HTTP/1.1\nHost: x\n${sid}\n\n`,
      `GET /api/event?timeout=0 HTTP/1.1\r\nHost: x\r\n${sid}\r\nX: a\u0001b\r\n\r\n`,
    ];
    for (const c of cases) await same(c, 1, 2000);
    // Without Host, Node answers 400 itself (no request, no client error event), with or without this path.
    expect(await same(`GET /api/event?timeout=0 HTTP/1.1\r\n${sid}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    // A poll that asks the connection to close goes to Node too.
    await same(get('/api/event?timeout=0', [sid, 'Connection: close']));
    expect(viaNode).toBe(before + cases.length + 1);
    // Its own Origin is answered on the connection.
    await same(
      get('/api/event?timeout=0', [`Authorization: Bearer ${withOrigin.sid}`, 'Origin: https://a.example']),
    );
    expect(viaNode).toBe(before + cases.length + 1);
  });

  it('keeps the REST surface on a connection handed over in the middle', async () => {
    const sid = `Authorization: Bearer ${u.sid}`;
    const three =
      get('/api/event?timeout=0&next=2', [sid]) +
      get('/api/user', [sid]) +
      get('/api/event?timeout=0&next=1', [sid]);
    const text = await same(three, 3);
    expect(text.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(3);
    expect(text).toContain('"status":"timeout"');
    expect(text).toContain(`"uuid":"${u.uuid}"`);
    expect(text).toMatch(/"next":2\}$/);
  });

  it('reads a head that arrives a byte at a time, and pipelined polls in order', async () => {
    const bytes = Buffer.from(get('/api/event?timeout=0&next=1', [`Authorization: Bearer ${u.sid}`]));
    const answer = new Promise<string>((resolve) => {
      const socket = net.connect(fastPort, '127.0.0.1');
      let got = '';
      socket.on('data', (d) => {
        got += d.toString('utf8');
        if (completeAnswers(Buffer.from(got)) === 1) {
          socket.destroy();
          resolve(got);
        }
      });
      let i = 0;
      const drip = setInterval(() => {
        if (i < bytes.length) socket.write(bytes.subarray(i, ++i));
        else clearInterval(drip);
      }, 1);
    });
    expect(await answer).toMatch(/"next":2\}$/);
    const two = get('/api/event?timeout=0&next=1', [`Authorization: Bearer ${u.sid}`]);
    const text = await same(two + get('/api/event?timeout=0&next=2', [`Authorization: Bearer ${u.sid}`]), 2);
    expect(text.indexOf('"status":"ok"')).toBeLessThan(text.indexOf('"status":"timeout"'));
  });

  it('answers a parked poll when its event comes, and lets go of one whose client went away', async () => {
    const v = await h.user();
    const waiting = h.services.eventSystem.waiter.waiting;
    const gone = net.connect(fastPort, '127.0.0.1');
    gone.write(get('/api/event?timeout=30', [`Authorization: Bearer ${v.sid}`]));
    await until(() => h.services.eventSystem.waiter.waiting === waiting + 1);
    gone.destroy();
    await until(() => h.services.eventSystem.waiter.waiting === waiting);

    const parked = exchange(fastPort, get('/api/event?timeout=30', [`Authorization: Bearer ${v.sid}`]));
    await until(() => h.services.eventSystem.waiter.waiting === waiting + 1);
    await h.services.events.publish({ users: [v.uuid] }, 'user_modify', { late: true });
    const text = await parked;
    expect(text).toContain('"late":true');
    expect(text).toMatch(/"next":1\}$/);
  });

  it('stops reading from a client that does not read its answers, and goes on when it does', async () => {
    const one = get('/api/event?next=99&timeout=0', [`Authorization: Bearer ${u.sid}`]);
    const total = 30_000;
    const before = await timeouts();
    const socket = net.connect(fastPort, '127.0.0.1');
    socket.pause();
    socket.write(one.repeat(total));
    // The answers fill the socket buffers; then the server waits, well short of all of them.
    let last = -1;
    for (let now = await timeouts(); now !== last; now = await timeouts()) {
      last = now;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(last - before).toBeLessThan(total);
    let got = 0;
    let tail = '';
    await new Promise<void>((resolve) => {
      socket.on('data', (d: Buffer) => {
        // The status line is 15 characters: 14 kept from a chunk hold no whole one.
        const text = tail + d.toString('latin1');
        got += text.split('HTTP/1.1 200 OK').length - 1;
        tail = text.slice(-14);
        if (got === total) resolve();
      });
      socket.resume();
    });
    socket.destroy();
    expect((await timeouts()) - before).toBe(total);
  });

  it('counts its answers in GET /metrics under the route', async () => {
    const before = await timeouts();
    await exchange(fastPort, get('/api/event?next=99&timeout=0', [`Authorization: Bearer ${u.sid}`]));
    expect(await timeouts()).toBe(before + 1);
  });

  it('answers parked polls and closes their connections when the app closes, on both paths', async () => {
    const app = await buildApp(h.services);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const waiting = h.services.eventSystem.waiter.waiting;
    const poll = get('/api/event?timeout=60&next=2', [`Authorization: Bearer ${u.sid}`]);
    const idle = net.connect(port, '127.0.0.1');
    const idleClosed = new Promise((resolve) => idle.on('close', resolve));
    idle.resume();
    idle.write(get('/api/event?timeout=0&next=2', [`Authorization: Bearer ${u.sid}`]));
    const onConnection = exchange(port, poll, 1, 10_000);
    // Handed over to Fastify by its first request; the poll then parks in the route.
    const throughFastify = exchange(
      port,
      get('/api/user', [`Authorization: Bearer ${u.sid}`]) + poll,
      2,
      10_000,
    );
    await until(() => h.services.eventSystem.waiter.waiting === waiting + 2);
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await idleClosed;
    expect(await onConnection).toMatch(/"status":"timeout".*"next":2\}$/);
    expect(await onConnection).toContain('Connection: close');
    expect(await throughFastify).toMatch(/"status":"timeout".*"next":2\}$/);
    expect(await throughFastify).toContain('connection: close');
  });

  it('gives the same answers to mutated requests (differential fuzz)', async () => {
    const base = get('/api/event?timeout=0&next=1', [`Authorization: Bearer ${u.sid}`, 'Accept: */*']);
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = ' \r\n:?&=/%;0123456789aAzZ\t\u0000\u007f\u00ff';
    for (let round = 0; round < 60; round++) {
      let s = base;
      for (let k = 0, edits = 1 + rand(3); k < edits; k++) {
        const at = rand(s.length);
        const ch = alphabet[rand(alphabet.length)]!;
        const op = rand(3);
        s =
          op === 0
            ? s.slice(0, at) + ch + s.slice(at)
            : op === 1
              ? s.slice(0, at) + s.slice(at + 1)
              : s.slice(0, at) + ch + s.slice(at + 1);
      }
      // An unfinished head waits on both sides: 300 ms tell the same (no answer).
      await same(Buffer.from(s, 'latin1'), 1, 300);
    }
  });
});

describe('parseHead', () => {
  it('takes only plain polls', () => {
    const head = (target: string, ...lines: string[]): string =>
      [`GET ${target} HTTP/1.1`, 'Host: x', ...lines].join('\r\n');
    expect(parseHead(head('/api/event?timeout=5&next=3', 'Authorization: Bearer abc'))).toEqual({
      sid: 'abc',
      origin: undefined,
      timeout: 5,
      next: 3,
    });
    expect(parseHead(head('/api/event', 'Cookie: sid=abc', 'Origin: https://a.example'))).toEqual({
      sid: 'abc',
      origin: 'https://a.example',
      timeout: 55,
      next: 0,
    });
    expect(parseHead(head('/api/event?sid=q'))?.sid).toBe('q');
    expect(parseHead(head('/api/event', 'Cookie: sid=a; sid=b'))).toBeNull();
    expect(parseHead(head('/api/event', 'Cookie: sid="a"'))).toBeNull();
    expect(parseHead(head('/api/event?sid=a%20b'))).toBeNull();
    expect(parseHead(head('/api/event?sid=a', 'Host: y'))).toBeNull();
    expect(parseHead(head('/api/event?sid=a', ' folded'))).toBeNull();
    expect(parseHead(head('/api/event?sid=a', 'Transfer-Encoding: chunked'))).toBeNull();
    expect(parseHead(head('/api/event?sid=a', 'Connection: Upgrade', 'Upgrade: websocket'))).toBeNull();
    expect(parseHead(head('/api/event?sid=a&next=1234567890123456'))).toBeNull();
    expect(parseHead(head('/api/eventx?sid=a'))).toBeNull();
    expect(parseHead(`GET /api/event?sid=a HTTP/1.0\r\nHost: x`)).toBeNull();
  });
});

/** `timeout` answers of GET /api/event in GET /metrics. */
async function timeouts(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${fastPort}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('callplane_api_answers_total{') &&
        l.includes('route="/api/event"') &&
        l.includes('status="timeout"'),
    );
  return line ? Number(line.split(' ').pop()) : 0;
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}
