/**
 * The transaction layer over real UDP sockets on 127.0.0.1 with a short T1,
 * against a plain socket that plays the peer (RFC 3261 §17 timers).
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMessage, SipRequest, SipResponse } from '../../src/telephony/embedded/sip/message.js';
import { SipStack, type TransactionUser } from '../../src/telephony/embedded/sip/stack.js';
import type { ServerTransaction } from '../../src/telephony/embedded/sip/transaction.js';

const T1 = 20;
const stacks: SipStack[] = [];
const sockets: dgram.Socket[] = [];

afterEach(async () => {
  for (const s of stacks.splice(0)) await s.stop();
  for (const s of sockets.splice(0)) s.close();
});

async function stack(tu: Partial<TransactionUser> = {}): Promise<SipStack> {
  const s = new SipStack({ host: '127.0.0.1', port: 0, timers: { T1, T2: 160, T4: 200 } });
  s.setUser({ onRequest: () => undefined, onAck: () => undefined, onCancel: () => undefined, ...tu });
  await s.start();
  stacks.push(s);
  return s;
}

interface Peer {
  port: number;
  received: Array<SipRequest | SipResponse>;
  send(text: string, port: number): void;
  next(
    pred?: (m: SipRequest | SipResponse) => boolean,
    timeoutMs?: number,
  ): Promise<SipRequest | SipResponse>;
}

async function peer(): Promise<Peer> {
  const sock = dgram.createSocket('udp4');
  sockets.push(sock);
  const received: Array<SipRequest | SipResponse> = [];
  const waiters: Array<() => void> = [];
  sock.on('message', (b) => {
    const m = parseMessage(b);
    if (m instanceof SipRequest || m instanceof SipResponse) received.push(m);
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  let cursor = 0;
  return {
    port: sock.address().port,
    received,
    send: (text, port) => sock.send(Buffer.from(text), port, '127.0.0.1'),
    next: (pred = () => true, timeoutMs = 2000) =>
      new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no message')), timeoutMs);
        const check = () => {
          while (cursor < received.length) {
            const m = received[cursor++]!;
            if (pred(m)) {
              clearTimeout(t);
              resolve(m);
              return;
            }
          }
          waiters.push(check);
        };
        check();
      }),
  };
}

const invite = (port: number, branch = 'z9hG4bKtest1', method = 'INVITE') =>
  [
    `${method} sip:+4930123@127.0.0.1 SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=${branch};rport`,
    'From: <sip:alice@example.com>;tag=a1',
    'To: <sip:+4930123@example.com>',
    'Call-ID: call-1@test',
    `CSeq: 1 ${method}`,
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

describe('client transactions (RFC 3261 §17.1)', () => {
  it('retransmits an INVITE with doubling intervals and times out after 64*T1 (Timers A, B)', async () => {
    const s = await stack();
    const p = await peer();
    const req = new SipRequest('INVITE', 'sip:x@127.0.0.1');
    req.set('from', '<sip:a@b>;tag=1').set('to', '<sip:x@b>').set('call-id', 'c1').set('cseq', '1 INVITE');
    const started = Date.now();
    const timedOut = new Promise<number>((resolve) =>
      s.request(
        req,
        { transport: 'udp', address: '127.0.0.1', port: p.port },
        {
          onResponse: () => undefined,
          onTimeout: () => resolve(Date.now() - started),
        },
      ),
    );
    const elapsed = await timedOut;
    expect(elapsed).toBeGreaterThanOrEqual(64 * T1 - 5);
    // Sent at 0, T1, 3T1, 7T1, 15T1, 31T1, 63T1: 7 copies.
    expect(p.received.length).toBeGreaterThanOrEqual(6);
    expect(p.received.length).toBeLessThanOrEqual(7);
  });

  it('stops retransmitting on a provisional, ACKs a final error with the INVITE branch', async () => {
    const s = await stack();
    const p = await peer();
    const req = new SipRequest('INVITE', 'sip:x@127.0.0.1');
    req.set('from', '<sip:a@b>;tag=1').set('to', '<sip:x@b>').set('call-id', 'c2').set('cseq', '7 INVITE');
    const finals: number[] = [];
    s.request(
      req,
      { transport: 'udp', address: '127.0.0.1', port: p.port },
      {
        onResponse: (r) => finals.push(r.status),
        onTimeout: () => undefined,
      },
    );
    const got = (await p.next()) as SipRequest;
    const reply = (status: number, reason: string) =>
      [
        `SIP/2.0 ${status} ${reason}`,
        `Via: ${got.get('via')}`,
        `From: ${got.get('from')}`,
        `To: ${got.get('to')};tag=b1`,
        `Call-ID: ${got.callId}`,
        'CSeq: 7 INVITE',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
    p.send(reply(180, 'Ringing'), s.port);
    await new Promise((r) => setTimeout(r, 10 * T1));
    const before = p.received.length;
    await new Promise((r) => setTimeout(r, 10 * T1));
    expect(p.received.length).toBe(before);
    p.send(reply(486, 'Busy Here'), s.port);
    const ack = (await p.next((m) => m instanceof SipRequest && m.method === 'ACK')) as SipRequest;
    expect(ack.get('via')).toBe(got.get('via'));
    expect(ack.cseq).toEqual({ seq: 7, method: 'ACK' });
    // A retransmitted 486 is answered with the ACK again, and reaches the TU only once.
    p.send(reply(486, 'Busy Here'), s.port);
    await p.next((m) => m instanceof SipRequest && m.method === 'ACK');
    expect(finals).toEqual([180, 486]);
  });
});

describe('server transactions (RFC 3261 §17.2)', () => {
  it('answers a retransmitted request with the last response and retransmits a final error until the ACK', async () => {
    let calls = 0;
    let tx: ServerTransaction | null = null;
    const s = await stack({
      onRequest: (t) => {
        calls++;
        tx = t;
        t.respond(486, 'Busy Here', { toTag: 'x1' });
      },
    });
    const p = await peer();
    p.send(invite(p.port), s.port);
    await p.next((m) => m instanceof SipResponse && m.status === 486);
    p.send(invite(p.port), s.port);
    await p.next((m) => m instanceof SipResponse && m.status === 486);
    expect(calls).toBe(1);
    // Timer G: the 486 comes again without the ACK.
    await p.next((m) => m instanceof SipResponse && m.status === 486, 10 * T1);
    p.send(
      invite(p.port, 'z9hG4bKtest1', 'ACK').replace(
        'To: <sip:+4930123@example.com>',
        'To: <sip:+4930123@example.com>;tag=x1',
      ),
      s.port,
    );
    await new Promise((r) => setTimeout(r, 3 * T1));
    expect(tx!.state === 'confirmed' || tx!.state === 'terminated').toBe(true);
    const count = p.received.length;
    await new Promise((r) => setTimeout(r, 10 * T1));
    expect(p.received.length).toBe(count);
  });

  it('answers CANCEL with 200 and tells the TU; an unknown CANCEL gets 481', async () => {
    const cancelled: string[] = [];
    const s = await stack({
      onRequest: (t) => t.respond(180, 'Ringing', { toTag: 'r1' }),
      onCancel: (t) => {
        cancelled.push(t.request.callId);
        t.respond(487, 'Request Terminated', { toTag: 'r1' });
      },
    });
    const p = await peer();
    p.send(invite(p.port), s.port);
    await p.next((m) => m instanceof SipResponse && m.status === 180);
    p.send(invite(p.port, 'z9hG4bKtest1', 'CANCEL'), s.port);
    await p.next((m) => m instanceof SipResponse && m.status === 200 && m.cseq.method === 'CANCEL');
    await p.next((m) => m instanceof SipResponse && m.status === 487);
    expect(cancelled).toEqual(['call-1@test']);
    p.send(invite(p.port, 'z9hG4bKother', 'CANCEL'), s.port);
    await p.next((m) => m instanceof SipResponse && m.status === 481);
  });

  it('answers a malformed request with 400 and drops garbage', async () => {
    const s = await stack({ onRequest: (t) => t.respond(200, 'OK') });
    const p = await peer();
    p.send('\x00\x01garbage', s.port);
    p.send(invite(p.port).replace('Content-Length: 0', 'Content-Length: 99'), s.port);
    const r = (await p.next()) as SipResponse;
    expect(r.status).toBe(400);
    expect(r.reason).toMatch(/Content-Length/);
    expect(s.stats.malformed).toBe(2);
  });
});
