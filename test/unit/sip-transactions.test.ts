/**
 * The SIP transaction layer (RFC 3261 §17, RFC 6026) with the RFC's own
 * timer values (T1 500 ms, T2 4 s, T4 5 s) on a fake clock: the stack sends
 * through an in-memory transport to a test peer, so 32 s of Timer B take
 * no time at all.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseMessage, SipRequest, SipResponse } from '../../src/telephony/embedded/sip/message.js';
import { SipStack, type SipTransport, type TransactionUser } from '../../src/telephony/embedded/sip/stack.js';
import type { ServerTransaction } from '../../src/telephony/embedded/sip/transaction.js';
import type { Peer } from '../../src/telephony/embedded/sip/transport.js';

const PEER: Peer = { transport: 'udp', address: '192.0.2.7', port: 5070 };

/** The stack's wire: what it sends is kept with the fake time; the test injects what the peer sends. */
class MemoryTransport implements SipTransport {
  readonly port = 5060;
  readonly sent: Array<{ at: number; msg: SipRequest | SipResponse }> = [];
  private handler: (raw: Buffer, peer: Peer) => void = () => undefined;
  onMessage(h: (raw: Buffer, peer: Peer) => void): void {
    this.handler = h;
  }
  async listen(): Promise<void> {}
  async close(): Promise<void> {}
  send(raw: Buffer): void {
    const m = parseMessage(raw);
    if (m instanceof SipRequest || m instanceof SipResponse) this.sent.push({ at: Date.now(), msg: m });
  }
  /** The peer sends `text`. */
  inject(text: string): void {
    this.handler(Buffer.from(text), PEER);
  }
  requests(method: string): Array<{ at: number; msg: SipRequest }> {
    return this.sent.filter(
      (s): s is { at: number; msg: SipRequest } => s.msg instanceof SipRequest && s.msg.method === method,
    );
  }
  responses(status: number): SipResponse[] {
    return this.sent.flatMap((s) => (s.msg instanceof SipResponse && s.msg.status === status ? [s.msg] : []));
  }
}

let wire: MemoryTransport;
let stack: SipStack;
let t0: number;

function start(tu: Partial<TransactionUser> = {}): void {
  wire = new MemoryTransport();
  stack = new SipStack({ host: '127.0.0.1', port: 5060, transport: wire });
  stack.setUser({ onRequest: () => undefined, onAck: () => undefined, onCancel: () => undefined, ...tu });
  t0 = Date.now();
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(async () => {
  await stack.stop();
  vi.useRealTimers();
});

const request = (branch = 'z9hG4bKtest1', method = 'INVITE', toTag = '') =>
  [
    `${method} sip:+4930123@127.0.0.1 SIP/2.0`,
    `Via: SIP/2.0/UDP 192.0.2.7:5070;branch=${branch};rport`,
    'From: <sip:alice@example.com>;tag=a1',
    `To: <sip:+4930123@example.com>${toTag ? `;tag=${toTag}` : ''}`,
    'Call-ID: call-1@test',
    `CSeq: 1 ${method}`,
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

function outgoingInvite(
  onResponse: (r: SipResponse) => void = () => undefined,
  onTimeout: () => void = () => undefined,
): SipRequest {
  const req = new SipRequest('INVITE', 'sip:x@192.0.2.7');
  req.set('from', '<sip:a@b>;tag=1').set('to', '<sip:x@b>').set('call-id', 'c1').set('cseq', '7 INVITE');
  stack.request(req, PEER, { onResponse, onTimeout });
  return req;
}

function reply(to: SipRequest, status: number, reason: string): string {
  return [
    `SIP/2.0 ${status} ${reason}`,
    `Via: ${to.get('via')}`,
    `From: ${to.get('from')}`,
    `To: ${to.get('to')};tag=b1`,
    `Call-ID: ${to.callId}`,
    `CSeq: ${to.get('cseq')}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

describe('client transactions (RFC 3261 §17.1)', () => {
  it('retransmits an INVITE at 0, T1, 3T1, 7T1 ... and times out at 64*T1 = 32 s (Timers A, B)', async () => {
    start();
    let timedOutAt = 0;
    outgoingInvite(undefined, () => {
      timedOutAt = Date.now() - t0;
    });
    await vi.advanceTimersByTimeAsync(40_000);
    expect(wire.requests('INVITE').map((s) => s.at - t0)).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(timedOutAt).toBe(32_000);
  });

  it('retransmits a non-INVITE request doubling up to T2 = 4 s, times out at 32 s (Timers E, F)', async () => {
    start();
    const req = new SipRequest('OPTIONS', 'sip:x@192.0.2.7');
    req.set('from', '<sip:a@b>;tag=1').set('to', '<sip:x@b>').set('call-id', 'o1').set('cseq', '1 OPTIONS');
    let timedOut = false;
    stack.request(req, PEER, { onResponse: () => undefined, onTimeout: () => (timedOut = true) });
    await vi.advanceTimersByTimeAsync(32_000);
    const at = wire.requests('OPTIONS').map((s) => s.at - t0);
    expect(at.slice(0, 6)).toEqual([0, 500, 1500, 3500, 7500, 11500]);
    expect(at.at(-1)).toBe(31500);
    expect(timedOut).toBe(true);
  });

  it('stops retransmitting on a provisional, ACKs a final error on the INVITE branch, once per retransmission', async () => {
    start();
    const finals: number[] = [];
    const inv = outgoingInvite((r) => finals.push(r.status));
    const sent = wire.requests('INVITE')[0]!.msg;
    wire.inject(reply(sent, 180, 'Ringing'));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(wire.requests('INVITE')).toHaveLength(1);
    wire.inject(reply(sent, 486, 'Busy Here'));
    const acks = wire.requests('ACK');
    expect(acks).toHaveLength(1);
    expect(acks[0]!.msg.get('via')).toBe(sent.get('via'));
    expect(acks[0]!.msg.cseq).toEqual({ seq: 7, method: 'ACK' });
    wire.inject(reply(sent, 486, 'Busy Here'));
    expect(wire.requests('ACK')).toHaveLength(2);
    expect(finals).toEqual([180, 486]);
    expect(inv.method).toBe('INVITE');
  });
});

describe('server transactions (RFC 3261 §17.2)', () => {
  it('sends 100 Trying after 200 ms when the TU has not answered an INVITE', async () => {
    start();
    wire.inject(request());
    await vi.advanceTimersByTimeAsync(199);
    expect(wire.responses(100)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(wire.responses(100)).toHaveLength(1);
  });

  it('retransmits a final error at T1, 2T1, 4T1 ... capped at T2 until the ACK, absorbing request retransmissions (Timer G)', async () => {
    let calls = 0;
    let tx: ServerTransaction | null = null;
    start({
      onRequest: (t) => {
        calls++;
        tx = t;
        t.respond(486, 'Busy Here', { toTag: 'x1' });
      },
    });
    wire.inject(request());
    wire.inject(request());
    expect(calls).toBe(1);
    expect(wire.responses(486)).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(7_600);
    // 0 and the retransmitted request's answer, then Timer G: 500, 1500, 3500, 7500.
    expect(wire.sent.filter((s) => s.msg instanceof SipResponse).map((s) => s.at - t0)).toEqual([
      0, 0, 500, 1500, 3500, 7500,
    ]);
    wire.inject(request('z9hG4bKtest1', 'ACK', 'x1'));
    expect(tx!.state).toBe('confirmed');
    const count = wire.sent.length;
    await vi.advanceTimersByTimeAsync(5_000); // Timer I = T4
    expect(wire.sent.length).toBe(count);
    expect(tx!.state).toBe('terminated');
  });

  it('retransmits a 2xx until the ACK and tells the TU when none comes in 64*T1 (RFC 6026, §13.3.1.4)', async () => {
    let noAck = false;
    start({
      onRequest: (t) => {
        t.onNoAck = () => (noAck = true);
        t.respond(200, 'OK', { toTag: 'ok1' });
      },
    });
    wire.inject(request());
    await vi.advanceTimersByTimeAsync(31_999);
    expect(noAck).toBe(false);
    expect(wire.responses(200).length).toBeGreaterThan(5);
    await vi.advanceTimersByTimeAsync(1);
    expect(noAck).toBe(true);
  });

  it('answers CANCEL with 200 and hands it to the TU; an unknown CANCEL gets 481', async () => {
    const cancelled: string[] = [];
    start({
      onRequest: (t) => t.respond(180, 'Ringing', { toTag: 'r1' }),
      onCancel: (t) => {
        cancelled.push(t.request.callId);
        t.respond(487, 'Request Terminated', { toTag: 'r1' });
      },
    });
    wire.inject(request());
    wire.inject(request('z9hG4bKtest1', 'CANCEL'));
    expect(
      wire.sent.some(
        (s) => s.msg instanceof SipResponse && s.msg.status === 200 && s.msg.cseq.method === 'CANCEL',
      ),
    ).toBe(true);
    expect(wire.responses(487)).toHaveLength(1);
    expect(cancelled).toEqual(['call-1@test']);
    wire.inject(request('z9hG4bKother', 'CANCEL'));
    expect(wire.responses(481)).toHaveLength(1);
  });

  it('answers a malformed request with 400 and drops garbage', async () => {
    start({ onRequest: (t) => t.respond(200, 'OK') });
    wire.inject('\x00\x01garbage');
    wire.inject(request().replace('Content-Length: 0', 'Content-Length: 99'));
    const [r] = wire.responses(400);
    expect(r?.reason).toMatch(/Content-Length/);
    expect(stack.stats.malformed).toBe(2);
  });

  it('drops a message whose handling throws, says so, and goes on with the next', async () => {
    const errors: unknown[] = [];
    let seen = 0;
    wire = new MemoryTransport();
    stack = new SipStack({
      host: '127.0.0.1',
      port: 5060,
      transport: wire,
      // Any code on the receive path that throws (here the tracer, standing in for a parser bug).
      trace: (direction) => {
        if (direction === 'in' && ++seen === 1) throw new Error('a bug');
      },
      onError: (err) => errors.push(err),
    });
    stack.setUser({
      onRequest: (t) => t.respond(200, 'OK'),
      onAck: () => undefined,
      onCancel: () => undefined,
    });
    wire.inject(request('z9hG4bKboom', 'OPTIONS'));
    wire.inject(request('z9hG4bKfine', 'OPTIONS'));
    expect(wire.responses(200)).toHaveLength(1);
    expect(stack.stats.failed).toBe(1);
    expect(errors).toEqual([new Error('a bug')]);
  });
});
