/**
 * Choosing the telephony adapter from configuration (TELEPHONY) and giving
 * it what every adapter is built with: the platform's SIP accounts,
 * location service, auth guard, BLF watchers and media. The only module of
 * the telephony layer that knows the adapters; the engine never does.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../config/index.js';
import { nodeTokenKey } from '../lib/node-token.js';
import type { Services } from '../services/index.js';
import type { Logger, TelephonyAdapter } from './adapter.js';
import type { AdapterEnvironment, WatcherDirectory } from './environment.js';
import { EmbeddedAdapter, type EmbeddedOptions } from './embedded/adapter.js';
import type { FreeswitchOptions } from './freeswitch/adapter.js';
import type { SipTimers } from './embedded/sip/transaction.js';
import { ObjectStoreMediaLocator } from './platform/voice-directory.js';
import { PushWake } from './platform/push-wake.js';

type Deps = Pick<
  Services,
  | 'authGuard'
  | 'sipAccounts'
  | 'registrations'
  | 'sipBlf'
  | 'announcements'
  | 'recordings'
  | 'configCache'
  | 'messageWaiting'
  | 'pushBindings'
  | 'voipPusher'
>;

/** Who may watch which number (spec 3.21 blf), from the configuration cache. */
export function cachedWatchers(services: Pick<Services, 'sipBlf' | 'configCache'>): WatcherDirectory {
  return {
    watchersOf: (number) =>
      services.configCache.get('accounts', `watchers:${number}`, () => services.sipBlf.watchersOf(number)),
  };
}

export function adapterEnvironment(services: Deps, log: Logger): AdapterEnvironment {
  const cache = services.configCache;
  return {
    // Every REGISTER and call authenticates: the credentials come from the configuration cache.
    accounts: {
      credentials: (name) =>
        cache.get('accounts', `credentials:${name}`, () => services.sipAccounts.credentials(name)),
    },
    location: services.registrations,
    // One guard for every node and adapter, configured once (SIP_AUTH_*).
    authGuard: services.authGuard,
    watchers: cachedWatchers(services),
    mailboxes: services.messageWaiting,
    wake: new PushWake(services.pushBindings, services.voipPusher, log),
    media: new ObjectStoreMediaLocator(services),
    log,
  };
}

export function embeddedOptions(config: Config, timers?: Partial<SipTimers>): EmbeddedOptions {
  return {
    sipHost: config.sipHost,
    sipPort: config.sipPort,
    advertisedAddress: config.sipAdvertisedAddress,
    rtpPorts: config.rtpPorts,
    trunks: config.sipTrunks,
    proxies: config.sipProxies,
    domains: config.sipDomains,
    // Nonces are verified by any node sharing SECRET_KEY (stateless, digest.ts).
    nonceSecret: createHash('sha256').update(config.secretKey).update('sip-nonce').digest(),
    // Calls between telephony nodes (conference participants) carry a pass any node sharing SECRET_KEY checks.
    nodeTokenKey: nodeTokenKey(config.secretKey),
    digestAlgorithms: config.sipDigestAlgorithms,
    minExpires: config.sipMinExpires,
    rtpTimeoutMs: config.rtpTimeoutSeconds * 1000,
    sipTrace: config.sipTrace,
    recordingDir: path.join(config.objectDir, 'tmp', 'recordings'),
    tcpLimits: config.sipTcpLimits,
    ...(timers ? { timers } : {}),
  };
}

export function freeswitchOptions(config: Config): FreeswitchOptions {
  const e = embeddedOptions(config);
  return {
    ...config.freeswitch,
    trunks: e.trunks,
    proxies: e.proxies ?? [],
    domains: e.domains,
    nonceSecret: e.nonceSecret,
    ...(e.nodeTokenKey ? { nodeTokenKey: e.nodeTokenKey } : {}),
    digestAlgorithms: e.digestAlgorithms,
    minExpires: e.minExpires,
    recordingDir: e.recordingDir,
    rtpTimeoutMs: e.rtpTimeoutMs,
  };
}

/** The adapter TELEPHONY names, built but not started. */
export async function createAdapter(
  services: Deps,
  config: Config,
  log: Logger,
  opts: { timers?: Partial<SipTimers> } = {},
): Promise<TelephonyAdapter> {
  const env = adapterEnvironment(services, log);
  switch (config.telephony) {
    case 'embedded':
      return EmbeddedAdapter.create(embeddedOptions(config, opts.timers), env);
    case 'freeswitch': {
      // Loaded only when chosen: drachtio-srf and fsmrf cost every embedded node's start otherwise.
      const { FreeswitchAdapter } = await import('./freeswitch/adapter.js');
      return FreeswitchAdapter.create(freeswitchOptions(config), env);
    }
  }
}
