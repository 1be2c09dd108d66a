/**
 * Issue 14, item 5: SIP over TCP cannot take the engine's descriptors. A
 * client holds the maximum connections; the API, UDP SIP and the held
 * connections keep working, and what is over the caps is closed at once.
 * Slow and silent connections are closed by the message deadline.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SipStack } from '../../src/telephony/embedded/sip/stack.js';
import {
  DEFAULT_TCP_LIMITS,
  type SipTransports,
  type TcpLimits,
} from '../../src/telephony/embedded/sip/transport.js';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let apiUrl: string;
const stacks: SipStack[] = [];
const sockets: net.Socket[] = [];

beforeAll(async () => {
  h = await createHarness();
  apiUrl = await h.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  for (const s of stacks) await s.stop();
  await h?.close();
});

/** A SIP stack answering every request 200, with the given TCP limits. */
async function stack(tcp: Partial<TcpLimits>): Promise<SipStack> {
  const s = new SipStack({ host: '127.0.0.1', port: 0, tcp });
  s.setUser({
    onRequest: (tx) => tx.respond(200, 'OK'),
    onAck: () => undefined,
    onCancel: () => undefined,
  });
  await s.start();
  stacks.push(s);
  return s;
}

const options = (transport: 'UDP' | 'TCP', n: number): string =>
  [
    'OPTIONS sip:probe@127.0.0.1 SIP/2.0',
    `Via: SIP/2.0/${transport} 127.0.0.1:9;branch=z9hG4bKprobe${n}${Date.now()}`,
    'From: <sip:t@127.0.0.1>;tag=a',
    'To: <sip:probe@127.0.0.1>',
    `Call-ID: probe-${n}-${Date.now()}`,
    'CSeq: 1 OPTIONS',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

/** Opens a connection from `from`; resolves when connected. */
function connect(port: number, from = '127.0.0.1'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', localAddress: from }, () => resolve(s));
    s.on('error', reject);
    sockets.push(s);
  });
}

/** Resolves with ms until the server closes the socket. */
function closedAfter(s: net.Socket): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    if (s.destroyed) resolve(0);
    s.on('error', () => undefined);
    s.once('close', () => resolve(performance.now() - t0));
  });
}

/** Sends a request on a TCP connection; resolves with the status line of the answer. */
function ask(s: net.Socket, text: string): Promise<string> {
  return new Promise((resolve) => {
    let buf = '';
    const onData = (d: Buffer): void => {
      buf += d.toString('latin1');
      if (buf.includes('\r\n\r\n')) {
        s.off('data', onData);
        resolve(buf.split('\r\n')[0] ?? '');
      }
    };
    s.on('data', onData);
    s.write(text);
  });
}

describe('SIP over TCP limits', () => {
  it('defaults: 4096 connections (at most half the open files), 100 per address, 10 s per message', () => {
    expect(DEFAULT_TCP_LIMITS).toEqual({
      maxConnections: 4096,
      maxPerSource: 100,
      messageTimeoutMs: 10_000,
      idleMs: 600_000,
    });
  });

  it('serves the API, UDP SIP and the held connections while a client holds the maximum', async () => {
    const s = await stack({ maxConnections: 300, maxPerSource: 100 });
    const port = s.port;
    const held: net.Socket[] = [];
    for (const from of ['127.0.0.2', '127.0.0.3', '127.0.0.4']) {
      held.push(...(await Promise.all(Array.from({ length: 100 }, () => connect(port, from)))));
    }
    await expect.poll(() => (s.transports as SipTransports).tcpConnections).toBe(300);
    // Over the global cap, and over one address's cap: closed at once.
    expect(await closedAfter(await connect(port, '127.0.0.5'))).toBeLessThan(1000);
    expect((s.transports as SipTransports).tcpStats.refusedGlobal).toBe(1);
    // The API answers.
    const res = await fetch(`${apiUrl}/api/session`);
    expect(((await res.json()) as { status: string }).status).toBe('ok');
    // UDP SIP answers.
    const udp = dgram.createSocket('udp4');
    const answer = new Promise<string>((resolve) =>
      udp.once('message', (m) => resolve(m.toString('latin1').split('\r\n')[0] ?? '')),
    );
    udp.send(options('UDP', 1), port, '127.0.0.1');
    expect(await answer).toBe('SIP/2.0 200 OK');
    udp.close();
    // A held connection still carries SIP.
    expect(await ask(held[150]!, options('TCP', 2))).toBe('SIP/2.0 200 OK');
    // Freed places are taken again; one address stays capped.
    held[0]!.destroy();
    await expect.poll(() => (s.transports as SipTransports).tcpConnections).toBe(299);
    expect(await closedAfter(await connect(port, '127.0.0.3'))).toBeLessThan(1000);
    expect((s.transports as SipTransports).tcpStats.refusedSource).toBe(1);
    const again = await connect(port, '127.0.0.2');
    expect(await ask(again, options('TCP', 3))).toBe('SIP/2.0 200 OK');
  });

  it('closes connections that trickle a message or send nothing; complete messages keep them open', async () => {
    const s = await stack({ messageTimeoutMs: 300, idleMs: 1500 });
    const silent = await connect(s.port);
    const silentClosed = closedAfter(silent);
    const slow = await connect(s.port);
    const slowClosed = closedAfter(slow);
    const text = options('TCP', 4);
    let i = 0;
    const trickle = setInterval(() => {
      if (!slow.destroyed) slow.write(text.slice(i, i + 1));
      i += 1;
    }, 50);
    const good = await connect(s.port);
    expect(await ask(good, options('TCP', 5))).toBe('SIP/2.0 200 OK');
    const silentMs = await silentClosed;
    const slowMs = await slowClosed;
    clearInterval(trickle);
    expect(silentMs).toBeGreaterThanOrEqual(250);
    expect(slowMs).toBeGreaterThanOrEqual(250);
    expect((s.transports as SipTransports).tcpStats.messageTimeouts).toBe(2);
    // Keep-alive CRLFs (RFC 5626 §3.5.1) start no message; the idle timeout ends the connection.
    good.write('\r\n\r\n');
    expect(good.destroyed).toBe(false);
    expect(await closedAfter(good)).toBeGreaterThan(500);
    expect((s.transports as SipTransports).tcpStats.idleTimeouts).toBe(1);
  });
});
