/**
 * The embedded telephony adapter (the default for one machine and the
 * tests): a SIP stack on UDP and TCP, a registrar and digest authentication
 * against the platform's account and location stores, anchored RTP from a
 * port pool, and the busy lamp field — the whole TelephonyAdapter in this
 * process, with no server of its own to run.
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import type { LegSnapshot, Logger, PresencePort, RecoveryPort, TelephonyAdapter } from '../adapter.js';
import type { AdapterEnvironment } from '../environment.js';
import { deviceLeg } from './account-leg.js';
import { LegBase } from './leg-base.js';
import type { DialogSnapshot } from './sip/dialog.js';
import { Authenticator } from './authenticator.js';
import { DialogEventServer } from './dialog-events.js';
import { EmbeddedConference } from './media-conference.js';
import { EmbeddedMedia } from './media-port.js';
import { Registrar } from './registrar.js';
import { RtpPortPool } from './rtp/port-pool.js';
import { EmbeddedSignaling, type TrunkEntry } from './signaling.js';
import type { DigestAlgorithm } from './sip/digest.js';
import { SipStack, type SipTracer } from './sip/stack.js';
import type { SipTimers } from './sip/transaction.js';
import { peerKey, type TcpLimits } from './sip/transport.js';

export interface EmbeddedOptions {
  sipHost: string;
  sipPort: number;
  /** The address in Via/Contact/SDP. */
  advertisedAddress: string;
  rtpPorts: { min: number; max: number };
  /** Carrier trunks (`host[:port]`, names resolved at start); the first takes outbound calls. */
  trunks: ReadonlyArray<{ host: string; port: number | null }>;
  /** Edge proxies in front of this node (SIP_PROXY, `host[:port]`, names resolved at start). */
  proxies?: ReadonlyArray<{ host: string; port: number | null }>;
  /** SIP domains served; the first is the one of URIs the engine makes. */
  domains: readonly string[];
  /** Secret of the stateless digest nonces (nodes sharing it verify each other's). */
  nonceSecret: Buffer;
  /** Key of the passes of calls between telephony nodes (conference legs); absent: none made or taken. */
  nodeTokenKey?: Buffer;
  digestAlgorithms: readonly DigestAlgorithm[];
  minExpires: number;
  /** A leg without RTP for this long is ended (0: never). */
  rtpTimeoutMs: number;
  /** Log every SIP message in and out (SIP_TRACE). */
  sipTrace?: boolean;
  /** Where recordings are written until the platform takes them over. */
  recordingDir: string;
  timers?: Partial<SipTimers>;
  /** SIP over TCP caps and timeouts (SIP_TCP_*). */
  tcpLimits?: Partial<TcpLimits>;
}

async function resolveTrunks(trunks: EmbeddedOptions['trunks']): Promise<TrunkEntry[]> {
  const out: TrunkEntry[] = [];
  for (const t of trunks) {
    const host = net.isIP(t.host) ? t.host : (await dns.lookup(t.host, { family: 4 })).address;
    out.push({ host, port: t.port });
  }
  return out;
}

/** SIP_TRACE: every message in and out as one info line, with its Call-ID to find a call's messages. */
function sipTracer(log: Logger): SipTracer {
  return (direction, raw, peer) => {
    const text = raw.toString('utf8');
    const callId = /^(?:call-id|i)[ \t]*:[ \t]*(\S+)/im.exec(text)?.[1] ?? null;
    log.info(
      { sip: direction, peer: peerKey(peer), callId, message: text },
      direction === 'in' ? 'SIP in' : 'SIP out',
    );
  };
}

export class EmbeddedAdapter implements TelephonyAdapter {
  readonly kind = 'embedded';
  readonly stack: SipStack;
  readonly pool: RtpPortPool;
  readonly signaling: EmbeddedSignaling;
  readonly media: EmbeddedMedia;
  readonly conference: EmbeddedConference;
  readonly presence: PresencePort;
  readonly notifier: EmbeddedSignaling;
  /** A leg's SIP dialog is its snapshot; a BYE from any node ends it. */
  readonly recovery: RecoveryPort = {
    snapshot: (leg) => {
      const l = deviceLeg(leg);
      return l instanceof LegBase ? ((l.snapshot() as LegSnapshot | null) ?? null) : null;
    },
    terminate: (snapshot, cause) => this.signaling.terminate(snapshot as unknown as DialogSnapshot, cause),
  };
  private readonly blf: DialogEventServer;

  private constructor(
    o: EmbeddedOptions,
    env: AdapterEnvironment,
    trunks: TrunkEntry[],
    proxies: TrunkEntry[],
  ) {
    this.stack = new SipStack({
      host: o.sipHost,
      port: o.sipPort,
      advertisedHost: o.advertisedAddress,
      ...(o.timers ? { timers: o.timers } : {}),
      ...(o.tcpLimits ? { tcp: o.tcpLimits } : {}),
      ...(o.sipTrace ? { trace: sipTracer(env.log) } : {}),
      onError: (err, peer) =>
        env.log.error(
          { err, peer: `${peer.address}:${peer.port}` },
          'SIP message dropped: its handling failed',
        ),
    });
    this.pool = new RtpPortPool({ host: o.sipHost, min: o.rtpPorts.min, max: o.rtpPorts.max });
    const auth = new Authenticator(env.accounts, env.authGuard, {
      domains: o.domains,
      nonceSecret: o.nonceSecret,
      nonceTtlMs: 300_000,
      algorithms: o.digestAlgorithms,
      proxies,
    });
    const registrar = new Registrar(
      auth,
      env.location,
      { minExpires: o.minExpires, maxExpires: 3600, defaultExpires: 3600, proxies, wake: env.wake ?? null },
      env.log,
    );
    this.signaling = new EmbeddedSignaling({
      stack: this.stack,
      pool: this.pool,
      registrar,
      auth,
      location: env.location,
      wake: env.wake ?? null,
      trunks,
      proxies,
      domain: o.domains[0] ?? 'callplane',
      mediaAddress: o.advertisedAddress,
      rtpTimeoutMs: o.rtpTimeoutMs,
      nodeTokenKey: o.nodeTokenKey ?? null,
      log: env.log,
    });
    this.blf = new DialogEventServer(this.signaling.ctx, auth, env.watchers, env.mailboxes);
    this.signaling.presence = this.blf;
    this.presence = this.blf;
    this.notifier = this.signaling;
    this.media = new EmbeddedMedia(env.media, o.recordingDir);
    this.conference = new EmbeddedConference(this.media, (err) =>
      env.log.warn({ err }, 'conference media failed'),
    );
  }

  /** Builds the adapter (trunk names resolved); start() opens the sockets. */
  static async create(o: EmbeddedOptions, env: AdapterEnvironment): Promise<EmbeddedAdapter> {
    return new EmbeddedAdapter(o, env, await resolveTrunks(o.trunks), await resolveTrunks(o.proxies ?? []));
  }

  /** The port SIP listens on (after start). */
  get sipPort(): number {
    return this.stack.port;
  }

  async start(): Promise<void> {
    await this.stack.start();
  }

  async stop(): Promise<void> {
    this.blf.close();
    await this.stack.stop();
  }
}
