/**
 * The production telephony adapter: drachtio-server speaks SIP (through
 * drachtio-srf), FreeSWITCH anchors and processes the media (through
 * drachtio-fsmrf endpoints and the event socket). Registration, digest
 * authentication, the auth guard, trunks, edge proxies and node passes are
 * served exactly as by the embedded engine, from the same platform stores.
 *
 * start() fails with a clear error when either server does not answer;
 * when one goes away later, the calls in progress end (the engine writes
 * their CDRs) and the adapter reconnects with back-off.
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import Srf from 'drachtio-srf';
import Mrf from 'drachtio-fsmrf';
import type { LegSnapshot, RecoveryPort, TelephonyAdapter } from '../adapter.js';
import type { AdapterEnvironment } from '../environment.js';
import { CAUSE, type EndCause } from '../causes.js';
import { deviceLeg } from '../embedded/account-leg.js';
import { Authenticator } from '../embedded/authenticator.js';
import { Registrar } from '../embedded/registrar.js';
import type { TrunkEntry } from '../embedded/signaling.js';
import type { DigestAlgorithm } from '../embedded/sip/digest.js';
import { FsConference } from './conference.js';
import { FsLeg, type FsLegContext } from './legs.js';
import { FsMedia } from './media.js';
import { FsSignaling, type FsLegSnapshot } from './signaling.js';

export interface FreeswitchOptions {
  /** drachtio-server's admin socket (DRACHTIO_URL, DRACHTIO_SECRET). */
  drachtio: { host: string; port: number; secret: string };
  /** FreeSWITCH's event socket (FREESWITCH_ESL, FREESWITCH_ESL_PASSWORD). */
  esl: { host: string; port: number; password: string };
  /** Where FreeSWITCH's outbound socket connections for each channel reach this process. */
  listen: { address: string; port: number };
  /** What FreeSWITCH is told to connect to when `listen` is not reachable as such (port 0: the listening one). */
  advertise?: { address: string; port: number };
  /** FreeSWITCH's SIP profile for drachtio's media legs. */
  profile: string;
  trunks: ReadonlyArray<{ host: string; port: number | null }>;
  proxies?: ReadonlyArray<{ host: string; port: number | null }>;
  domains: readonly string[];
  nonceSecret: Buffer;
  nodeTokenKey?: Buffer;
  digestAlgorithms: readonly DigestAlgorithm[];
  minExpires: number;
  /** Recordings, fax documents and conference sounds: FreeSWITCH must read and write here too. */
  recordingDir: string;
  /** A leg without RTP for this long is ended (RTP_TIMEOUT_SECONDS; 0 or absent: never). */
  rtpTimeoutMs?: number;
  /** How long start() waits for each server (default 10 s). */
  connectTimeoutMs?: number;
}

/** drachtio-srf's wire protocol state (lib/wire-protocol.js) closeDrachtio() needs. */
interface WireState {
  closing: boolean;
  reconnectVars?: { retryTimer?: NodeJS.Timeout | null };
}

/** Q.850 38: network out of order (a server of the call went away). */
const SERVER_LOST: EndCause = { q850: 38 };

async function resolveHosts(
  list: ReadonlyArray<{ host: string; port: number | null }>,
): Promise<TrunkEntry[]> {
  const out: TrunkEntry[] = [];
  for (const t of list) {
    const host = net.isIP(t.host) ? t.host : (await dns.lookup(t.host, { family: 4 })).address;
    out.push({ host, port: t.port });
  }
  return out;
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(
          err instanceof Error ? new Error(`${what}: ${err.message}`) : new Error(`${what}: ${String(err)}`),
        );
      },
    );
  });
}

export class FreeswitchAdapter implements TelephonyAdapter {
  readonly kind = 'freeswitch';
  readonly srf = new Srf();
  private readonly mrf = new Mrf(this.srf);
  private ms: Mrf.MediaServer | null = null;
  private readonly legs = new Set<FsLeg>();
  private stopping = false;
  private retry: NodeJS.Timeout | null = null;
  readonly signaling: FsSignaling;
  readonly media: FsMedia;
  readonly conference: FsConference;
  readonly presence: FsSignaling;
  readonly notifier: FsSignaling;
  readonly recovery: RecoveryPort;

  private constructor(
    private readonly o: FreeswitchOptions,
    private readonly env: AdapterEnvironment,
    trunks: TrunkEntry[],
    proxies: TrunkEntry[],
  ) {
    const ctx: FsLegContext = {
      srf: this.srf,
      mediaServer: () => this.ms,
      log: env.log,
      rtpTimeoutMs: o.rtpTimeoutMs ?? 0,
      track: (leg) => {
        this.legs.add(leg);
        leg.once('ended', () => this.legs.delete(leg));
      },
    };
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
    this.signaling = new FsSignaling({
      ctx,
      registrar,
      auth,
      location: env.location,
      wake: env.wake ?? null,
      watchers: env.watchers,
      mailboxes: env.mailboxes,
      trunks,
      proxies,
      domain: o.domains[0] ?? 'callplane',
      nodeTokenKey: o.nodeTokenKey ?? null,
      log: env.log,
    });
    this.presence = this.signaling;
    this.notifier = this.signaling;
    this.media = new FsMedia(env.media, o.recordingDir);
    this.conference = new FsConference(() => this.ms, o.recordingDir, env.log);
    this.recovery = {
      snapshot: (leg): LegSnapshot | null => {
        const l = deviceLeg(leg);
        return l instanceof FsLeg ? this.signaling.snapshot(l) : null;
      },
      terminate: (snapshot, cause) => this.signaling.terminate(snapshot as unknown as FsLegSnapshot, cause),
    };
  }

  static async create(o: FreeswitchOptions, env: AdapterEnvironment): Promise<FreeswitchAdapter> {
    return new FreeswitchAdapter(o, env, await resolveHosts(o.trunks), await resolveHosts(o.proxies ?? []));
  }

  /** Calls with a leg on this adapter now. */
  get activeLegs(): number {
    return this.legs.size;
  }

  async start(): Promise<void> {
    const timeout = this.o.connectTimeoutMs ?? 10_000;
    const d = this.o.drachtio;
    const connected = new Promise<void>((resolve, reject) => {
      this.srf.once('connect', (err: Error | null) => (err ? reject(err) : resolve()));
    });
    // Until connected, a refused attempt is the start's failure to report (once), not a warning each retry.
    let up = false;
    this.srf.on('error', (err: Error) =>
      up
        ? this.env.log.warn({ err }, 'drachtio connection error')
        : this.env.log.debug({ err }, 'drachtio not yet'),
    );
    // The methods served are routed to this application when it connects.
    this.signaling.listen();
    void this.srf.connect({ host: d.host, port: d.port, secret: d.secret });
    try {
      await within(connected, timeout, `drachtio-server at ${d.host}:${d.port}`);
      up = true;
      this.ms = await this.connectMedia(timeout);
    } catch (err) {
      this.closeDrachtio();
      throw err;
    }
    // drachtio-srf reconnects by itself; what was up meanwhile cannot be signalled any more.
    this.srf.on('close' as 'disconnect', () => {
      if (this.stopping) return;
      this.env.log.error({ drachtio: `${d.host}:${d.port}` }, 'drachtio-server went away: ending its calls');
      this.endAll(SERVER_LOST);
    });
    this.env.log.info(
      { drachtio: `${d.host}:${d.port}`, freeswitch: `${this.o.esl.host}:${this.o.esl.port}` },
      'telephony on drachtio + FreeSWITCH',
    );
  }

  private async connectMedia(timeout: number): Promise<Mrf.MediaServer> {
    const e = this.o.esl;
    const ms = await within(
      this.mrf.connect({
        address: e.host,
        port: e.port,
        secret: e.password,
        listenAddress: this.o.listen.address,
        listenPort: this.o.listen.port,
        ...(this.o.advertise
          ? {
              advertisedAddress: this.o.advertise.address,
              ...(this.o.advertise.port ? { advertisedPort: this.o.advertise.port } : {}),
            }
          : {}),
        profile: this.o.profile,
      }),
      timeout,
      `FreeSWITCH event socket at ${e.host}:${e.port}`,
    );
    ms.on('error', (err: Error) => this.env.log.warn({ err }, 'FreeSWITCH connection error'));
    ms.once('end', () => this.mediaLost(ms));
    return ms;
  }

  /** FreeSWITCH went away: its channels are gone, so are the calls on them; reconnect with back-off. */
  private mediaLost(ms: Mrf.MediaServer): void {
    if (this.stopping || this.ms !== ms) return;
    this.ms = null;
    ms.disconnect();
    this.env.log.error(
      { freeswitch: `${this.o.esl.host}:${this.o.esl.port}` },
      'FreeSWITCH went away: ending its calls',
    );
    this.endAll(SERVER_LOST);
    let delay = 1000;
    const attempt = () => {
      this.retry = null;
      if (this.stopping) return;
      this.connectMedia(5000).then(
        (next) => {
          if (this.stopping) next.disconnect();
          else {
            this.ms = next;
            this.env.log.info({}, 'FreeSWITCH is back');
          }
        },
        (err: unknown) => {
          this.env.log.warn({ err, retryInMs: delay }, 'FreeSWITCH still away');
          this.retry = setTimeout(attempt, delay);
          delay = Math.min(delay * 2, 30_000);
        },
      );
    };
    this.retry = setTimeout(attempt, delay);
  }

  /**
   * Closes the drachtio connection, or stops drachtio-srf's reconnecting
   * when there is none (its disconnect() throws without a socket, and its
   * retry timer would keep the process alive).
   */
  private closeDrachtio(): void {
    try {
      this.srf.disconnect();
    } catch {
      const wp = (this.srf as unknown as { _app?: { wp?: WireState } })._app?.wp;
      if (wp) {
        wp.closing = true;
        if (wp.reconnectVars?.retryTimer) clearTimeout(wp.reconnectVars.retryTimer);
      }
    }
  }

  private endAll(cause: EndCause): void {
    for (const leg of [...this.legs]) leg.hangup(cause);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.retry) clearTimeout(this.retry);
    this.endAll(CAUSE.normal);
    this.signaling.close();
    // Let the BYEs and channel hangups go out before the sockets close.
    await new Promise((r) => setTimeout(r, 200));
    this.ms?.disconnect();
    this.ms = null;
    this.closeDrachtio();
    await this.conference.close(this.o.recordingDir).catch(() => undefined);
  }
}
