/**
 * The SIP transports' ports (embedded/sip/transport.ts): with port 0, a
 * UDP port the system picks may be held by another process for TCP (an
 * outgoing TCP connection's local port); the transports then pick again
 * instead of failing to start. A configured port that is taken fails at once.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SipTransports } from '../../src/telephony/embedded/sip/transport.js';

afterEach(() => vi.restoreAllMocks());

describe('SipTransports.listen', () => {
  it('with port 0, picks another port when TCP is taken on the first pick', async () => {
    const proto = net.Server.prototype as unknown as { listen: (...a: unknown[]) => net.Server };
    const listen = proto.listen;
    let refused = 0;
    vi.spyOn(net.Server.prototype, 'listen').mockImplementation(function (
      this: net.Server,
      ...args: unknown[]
    ) {
      if (refused === 0) {
        refused++;
        const err = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
        process.nextTick(() => this.emit('error', err));
        return this;
      }
      return listen.apply(this, args);
    });
    const t = new SipTransports({ host: '127.0.0.1', port: 0 });
    await t.listen();
    expect(refused).toBe(1);
    expect(t.port).toBeGreaterThan(0);
    // UDP and TCP both answer on the port it settled on.
    await new Promise<void>((resolve, reject) => {
      const c = net.connect(t.port, '127.0.0.1', () => {
        c.destroy();
        resolve();
      });
      c.once('error', reject);
    });
    await t.close();
  });

  it('a configured port that is taken fails with EADDRINUSE', async () => {
    const holder = dgram.createSocket('udp4');
    await new Promise<void>((r) => holder.bind(0, '127.0.0.1', () => r()));
    const t = new SipTransports({ host: '127.0.0.1', port: holder.address().port });
    await expect(t.listen()).rejects.toMatchObject({ code: 'EADDRINUSE' });
    holder.close();
  });
});
