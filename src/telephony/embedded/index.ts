/**
 * Composition of the embedded telephony stack for the `telephony` role: SIP
 * stack, registrar, RTP port pool, the signalling/media adapter and the call
 * engine on top, wired to the services.
 */
import { createHash } from 'node:crypto';
import dns from 'node:dns/promises';
import net from 'node:net';
import type { Config } from '../../config/index.js';
import path from 'node:path';
import { DbCallDirectory } from '../platform/call-directory.js';
import { ServicesVoiceDirectory } from '../platform/voice-directory.js';
import { newCdrId } from '../../services/cdr-service.js';
import type { Services } from '../../services/index.js';
import { AuthFailureGuard } from '../../store/redis/auth-guard.js';
import { CallEngine } from '../engine/call-engine.js';
import type { CallbackWorker } from '../engine/callback.js';
import type { CdrSink } from '../engine/cdr-writer.js';
import { dialplanFunctions } from '../engine/dialplan-calls.js';
import type { Logger } from '../engine/logger.js';
import { CallLimiter } from '../../store/redis/call-limit.js';
import { CreditStore } from '../../store/redis/credit.js';
import { CyclicCounter } from '../../store/redis/cyclic-counter.js';
import { Authenticator } from './authenticator.js';
import { Registrar } from './registrar.js';
import { RtpPortPool } from './rtp/port-pool.js';
import { EmbeddedSignaling, type TrunkEntry } from './signaling.js';
import { SipStack } from './sip/stack.js';
import { listenSipNotify } from '../../store/redis/sip-notify-relay.js';
import type { SipTimers } from './sip/transaction.js';

export interface EmbeddedTelephony {
  stack: SipStack;
  signaling: EmbeddedSignaling;
  engine: CallEngine;
  pool: RtpPortPool;
  /** Places the callbacks requested through the API (spec 4.2). */
  callback: CallbackWorker;
  stop(): Promise<void>;
}

export interface EmbeddedTelephonyOptions {
  log: Logger;
  timers?: Partial<SipTimers>;
  /** How often expired registrations are swept (ms). */
  sweepMs?: number;
}

async function resolveTrunks(trunks: Config['sipTrunks']): Promise<TrunkEntry[]> {
  const out: TrunkEntry[] = [];
  for (const t of trunks) {
    const host = net.isIP(t.host) ? t.host : (await dns.lookup(t.host, { family: 4 })).address;
    out.push({ host, port: t.port });
  }
  return out;
}

export async function startEmbeddedTelephony(
  services: Services,
  config: Config,
  opts: EmbeddedTelephonyOptions,
): Promise<EmbeddedTelephony> {
  const { log } = opts;
  const stack = new SipStack({
    host: config.sipHost,
    port: config.sipPort,
    advertisedHost: config.sipAdvertisedAddress,
    ...(opts.timers ? { timers: opts.timers } : {}),
  });
  const pool = new RtpPortPool({ host: config.sipHost, min: config.rtpPorts.min, max: config.rtpPorts.max });
  const guard = new AuthFailureGuard(services.redis, config.redisPrefix);
  // Nonces are verified by any node sharing SECRET_KEY (stateless, digest.ts).
  const nonceSecret = createHash('sha256').update(config.secretKey).update('sip-nonce').digest();
  const auth = new Authenticator(services.sipAccounts, guard, {
    domains: config.sipDomains,
    nonceSecret,
    nonceTtlMs: 300_000,
    algorithms: config.sipDigestAlgorithms,
  });
  const registrar = new Registrar(auth, services.registrations, {
    minExpires: config.sipMinExpires,
    maxExpires: 3600,
    defaultExpires: 3600,
  });
  const signaling = new EmbeddedSignaling({
    stack,
    pool,
    registrar,
    auth,
    trunks: await resolveTrunks(config.sipTrunks),
    domain: config.sipDomains[0] ?? 'callplane',
    mediaAddress: config.sipAdvertisedAddress,
    rtpTimeoutMs: config.rtpTimeoutSeconds * 1000,
    watchers: services.sipBlf,
    log,
  });
  const directory = new DbCallDirectory(
    services.db,
    services.registrations,
    services.dialplanV1,
    services.policy,
    new CyclicCounter(services.redis, config.redisPrefix),
    services.sipBlf,
    config.routingCacheMs,
  );
  const cdrSink: CdrSink = { newId: newCdrId, record: (input) => services.cdrs.record(input) };
  const credit = new CreditStore(services.redis, config.redisPrefix);
  const limiter = new CallLimiter(services.redis, config.redisPrefix);
  const domain = config.sipDomains[0] ?? 'callplane';
  const dialplan = dialplanFunctions(services.dialplanV1, services.redis, {
    signaling,
    media: signaling,
    directory,
    cdrSink,
    credit,
    limiter,
    domain,
    log,
  });
  const engine = new CallEngine({
    signaling,
    media: signaling,
    directory,
    dialplan: dialplan.calls,
    cdrSink,
    credit,
    limiter,
    domain,
    presence: signaling.presence,
    voice: new ServicesVoiceDirectory(services, path.join(config.objectDir, 'tmp', 'recordings')),
    log,
  });
  engine.start();
  await stack.start();
  dialplan.callback.start();
  // NOTIFY requests of this process's API go straight out; API-only nodes relay them over Redis.
  services.sipNotifier = signaling;
  const stopRelay = await listenSipNotify(services.redis, config.redisPrefix, signaling, {
    onError: (err) => log.warn({ err }, 'relayed NOTIFY failed'),
  });
  const sweeper = setInterval(() => {
    services.registrations.sweep().catch((err: unknown) => log.warn({ err }, 'registration sweep failed'));
  }, opts.sweepMs ?? 5000);
  sweeper.unref();
  return {
    stack,
    signaling,
    engine,
    pool,
    callback: dialplan.callback,
    stop: async () => {
      clearInterval(sweeper);
      services.sipNotifier = null;
      await stopRelay();
      await dialplan.callback.stop();
      engine.hangupAll();
      // The legs just ended write their CDRs; wait for them before the database goes.
      await new Promise((r) => setImmediate(r));
      await services.cdrs.drain();
      signaling.presence?.close();
      await stack.stop();
    },
  };
}
