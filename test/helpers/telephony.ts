/**
 * A harness with the embedded telephony role running: SIP on a free port of
 * 127.0.0.1, a private RTP port range, and the carrier trunk pointed at a
 * port the test's sipp "carrier" uses.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { startEmbeddedTelephony, type EmbeddedTelephony } from '../../src/telephony/embedded/index.js';
import { silentLogger, type Logger } from '../../src/telephony/engine/logger.js';
import { createHarness, type Harness } from './harness.js';

export interface TelephonyHarness extends Harness {
  telephony: EmbeddedTelephony;
  sipPort: number;
  /** Where outbound carrier calls go (a sipp UAS plays the carrier there). */
  trunkPort: number;
  /** The source port of carrier INVITEs (a sipp UAC binds it). */
  carrierPort: number;
}

let rtpBase = 30000 + (process.pid % 20) * 1000;

/** A port free for both UDP and TCP on 127.0.0.1. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const ok = await new Promise<boolean>((resolve) => {
      const u = dgram.createSocket('udp4');
      u.once('error', () => resolve(false));
      u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)));
    });
    if (ok) return port;
  }
}

export async function createTelephonyHarness(env: Record<string, string> = {}): Promise<TelephonyHarness> {
  const sipPort = await freePort();
  const trunkPort = await freePort();
  const carrierPort = await freePort();
  const min = rtpBase;
  rtpBase += 200;
  const h = await createHarness({
    SIP_PORT: String(sipPort),
    SIP_HOST: '127.0.0.1',
    RTP_PORTS: `${min}-${min + 199}`,
    SIP_TRUNK: `127.0.0.1:${trunkPort},127.0.0.1:${carrierPort}`,
    SIP_MIN_EXPIRES: '1',
    SIP_DOMAIN: 'sip.callplane.test',
    ...env,
  });
  const log: Logger = process.env['SIP_DEBUG']
    ? { debug: console.debug, info: console.info, warn: console.warn, error: console.error }
    : silentLogger;
  const telephony = await startEmbeddedTelephony(h.services, h.config, { log, sweepMs: 250 });
  return {
    ...h,
    telephony,
    sipPort,
    trunkPort,
    carrierPort,
    close: async () => {
      await telephony.stop();
      await h.close();
    },
  };
}
