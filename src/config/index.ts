import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { loadOrCreateKeyFile, parseSecretKey } from '../lib/secret-box.js';
import { hostPort, hostPorts, isNetwork, rangeOf } from './values.js';

/**
 * Configuration from the environment, parsed and validated once at start-up.
 * Every consumer receives the typed `Config`; nothing else reads process.env.
 */
const boolFromEnv = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL (unset = embedded PGlite)')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// URL')
    .default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z.string().default('cp:'),
  SESSION_IDLE_SECONDS: z.coerce.number().int().min(60).default(86400),
  SESSION_CREATE_LIMIT: z.coerce.number().int().min(1).default(120),
  SESSION_CREATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  EVENT_MAX_COUNT: z.coerce.number().int().min(10).default(1000),
  EVENT_MAX_AGE_SECONDS: z.coerce.number().int().min(60).default(86400),
  PROFILE_CACHE_MS: z.coerce.number().int().min(0).default(2000),
  CDR_BACKLOG: z.coerce.number().int().min(1).default(10000),
  PICTURE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(5 * 1024 * 1024),
  // Announcement uploads (spec 3.15): WAV/OGG bodies above this answer too-large.
  AUDIO_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1024 * 1024),
  MEDIA_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  FAX_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1024 * 1024),
  // Fax sends (spec 3.13 send): retries after busy, no answer or a T.30 line failure.
  FAX_RETRIES: z.coerce.number().int().min(0).max(20).default(3),
  FAX_RETRY_DELAYS: z
    .string()
    .regex(
      /^\s*[0-9]{1,6}(\s*,\s*[0-9]{1,6})*\s*$/,
      'FAX_RETRY_DELAYS: seconds, comma-separated (e.g. 60,300,900)',
    )
    .default('60,300,900'),
  // Fax over the line (spec 3.13): T.38 offered and accepted (else G.711 audio fax only), sends per node.
  FAX_T38: boolFromEnv.default(true),
  FAX_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(8),
  ADMIN_KEY: z.string().min(8, 'ADMIN_KEY must have at least 8 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: boolFromEnv.default(false),
  // spec 3.21: the SIP domains a user may choose (comma list, the first is the default).
  // Domain names are case-insensitive (RFC 3261 §19.1.4) and a list may be written with spaces.
  SIP_DOMAIN: z
    .string()
    .transform((v) => v.toLowerCase().replace(/\s+/g, ''))
    .pipe(z.string().regex(/^[a-z0-9.-]+(,[a-z0-9.-]+)*$/, 'SIP_DOMAIN must be a comma list of domain names'))
    .default('sip.callplane.local'),
  SIP_ACCOUNT_LIMIT: z.coerce.number().int().min(1).max(99).default(10),
  // spec 3.21 .../notify: how long the API waits for a device to answer the NOTIFY.
  SIP_NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(4000),
  CALL_API_IDLE_S: z.coerce.number().int().min(1).max(3600).default(30),
  // Embedded SIP/RTP engine (the telephony role).
  SIP_PORT: z.coerce.number().int().min(0).max(65535).default(5060),
  SIP_HOST: z.string().default('0.0.0.0'),
  SIP_ADVERTISED_ADDRESS: z.string().optional(),
  NODE_SIP_URI: z
    .string()
    .regex(/^sips?:[^\s@<>;]+$/, 'NODE_SIP_URI must be a SIP URI without user part, like sip:10.0.0.5:5060')
    .optional(),
  RTP_PORTS: z
    .string()
    .regex(/^[0-9]{1,5}-[0-9]{1,5}$/, 'RTP_PORTS must be a range like 20000-29999')
    .refine((v) => {
      const [a, b] = v.split('-').map(Number) as [number, number];
      return a >= 1024 && b <= 65535 && b - a >= 3;
    }, 'RTP_PORTS must lie within 1024-65535 and hold at least two port pairs')
    .default('20000-29999'),
  SIP_TRUNK: z
    .string()
    .regex(
      /^[A-Za-z0-9.\-]+(:[0-9]{1,5})?(,[A-Za-z0-9.\-]+(:[0-9]{1,5})?)*$/,
      'SIP_TRUNK must be a comma list of host[:port]',
    )
    .optional(),
  SIP_PROXY: z
    .string()
    .regex(
      /^[A-Za-z0-9.\-]+(:[0-9]{1,5})?(,[A-Za-z0-9.\-]+(:[0-9]{1,5})?)*$/,
      'SIP_PROXY must be a comma list of host[:port]',
    )
    .optional(),
  RTP_TIMEOUT_SECONDS: z.coerce.number().int().min(0).default(60),
  SIP_TRACE: boolFromEnv.default(false),
  // The telephony adapter of the telephony role (src/telephony/adapters.ts).
  TELEPHONY: z.enum(['embedded', 'freeswitch']).default('embedded'),
  // TELEPHONY=freeswitch: drachtio-server's admin socket (SIP) and FreeSWITCH's event socket (media).
  DRACHTIO_URL: z
    .string()
    .regex(/^[A-Za-z0-9.\-]+:[0-9]{1,5}$/, 'DRACHTIO_URL must be host:port (the admin socket, 9022)')
    .default('127.0.0.1:9022'),
  DRACHTIO_SECRET: z.string().default('cymru'),
  FREESWITCH_ESL: z
    .string()
    .regex(/^[A-Za-z0-9.\-]+:[0-9]{1,5}$/, 'FREESWITCH_ESL must be host:port (the event socket, 8021)')
    .default('127.0.0.1:8021'),
  FREESWITCH_ESL_PASSWORD: z.string().default('ClueCon'),
  // Where FreeSWITCH's outbound event socket connections reach this node (address[:port]; port 0: any).
  FREESWITCH_ESL_LISTEN: z
    .string()
    .regex(/^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$/, 'FREESWITCH_ESL_LISTEN must be address[:port]')
    .default('127.0.0.1:0'),
  // The address[:port] FreeSWITCH is told to connect to (X-esl-outbound), when it is not the listening
  // one: listening on 0.0.0.0 in a container, advertising the container's name. Port: the listening one.
  FREESWITCH_ESL_ADVERTISE: z
    .string()
    .regex(/^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$/, 'FREESWITCH_ESL_ADVERTISE must be address[:port]')
    .optional(),
  // The FreeSWITCH SIP profile that takes drachtio's media legs (freeswitch-conf/sip_profiles/mrf.xml).
  FREESWITCH_PROFILE: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/)
    .default('drachtio_mrf'),
  // This telephony node's name in the shared call registry; nodes sharing Redis need distinct ones.
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'NODE_ID must be 1-64 letters, digits, _ . -')
    .optional(),
  SIP_MIN_EXPIRES: z.coerce.number().int().min(1).default(60),
  // Push wake-up (RFC 8599): how long a call waits for a woken phone's REGISTER,
  // and how long a phone's push contact is kept after its last REGISTER.
  SIP_PUSH_WAIT_SECONDS: z.coerce.number().int().min(1).max(60).default(15),
  SIP_PUSH_KEEP_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  // Digest challenges offered, in order (RFC 8760). MD5 alone by default: libre-based
  // phones (baresip) and others fail on a challenge whose algorithm they lack.
  SIP_DIGEST_ALGORITHMS: z
    .string()
    .regex(
      /^(MD5|SHA-256)(,(MD5|SHA-256))?$/,
      'SIP_DIGEST_ALGORITHMS must be MD5, SHA-256 or both, comma-separated',
    )
    .default('MD5'),
  // Key of the stored reversible secrets (SIP passwords, spec 3.21). Nodes
  // sharing one database must share it; unset = DATA_DIR/secret.key.
  SECRET_KEY: z
    .string()
    .refine(
      (v) => parseSecretKey(v) !== undefined,
      'SECRET_KEY must be 32 bytes as 64 hex characters or base64',
    )
    .optional(),
  // Voicemail e-mail notifications (spec 3.9 notification_email): unset = no mail is sent.
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/]/, 'SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtp://127.0.0.1:25')
    .optional(),
  SMTP_FROM: z.string().min(3).default('callplane@localhost'),
  // spec 3.5 POST /api/user: countries whose addresses are accepted (others: unsupported-country).
  ADDRESS_COUNTRIES: z
    .string()
    .transform((v) => v.toLowerCase().replace(/\s+/g, ''))
    .pipe(
      z
        .string()
        .regex(/^[a-z]{2}(,[a-z]{2})*$/, 'ADDRESS_COUNTRIES must be a comma list of ISO country codes'),
    )
    .default('de'),
  // Push (spec 8): APNs token-based auth (.p8 key) and FCM HTTP v1 (service account).
  PUSH_APNS_APP_IDS: z
    .string()
    .regex(
      /^\s*([a-zA-Z0-9]{10}\.[a-zA-Z0-9.-]{5,100}\s*(,\s*[a-zA-Z0-9]{10}\.[a-zA-Z0-9.-]{5,100}\s*)*)?$/,
      'PUSH_APNS_APP_IDS must be a comma list of application ids (TEAMID1234.bundle.id)',
    )
    .optional(),
  PUSH_APNS_TEAM_ID: z
    .string()
    .regex(/^[A-Z0-9]{10}$/, 'PUSH_APNS_TEAM_ID is the 10-character team id')
    .optional(),
  PUSH_APNS_KEY_ID: z
    .string()
    .regex(/^[A-Z0-9]{10}$/, 'PUSH_APNS_KEY_ID is the 10-character key id')
    .optional(),
  PUSH_APNS_KEY: z.string().optional(),
  PUSH_APNS_URL: z.url().default('https://api.push.apple.com'),
  PUSH_APNS_SANDBOX_URL: z.url().default('https://api.sandbox.push.apple.com'),
  PUSH_GCM_SENDER_ID: z
    .string()
    .regex(/^[0-9]{1,30}$/, 'PUSH_GCM_SENDER_ID is the numeric sender id')
    .optional(),
  PUSH_FCM_SERVICE_ACCOUNT: z.string().optional(),
  PUSH_FCM_URL: z.url().default('https://fcm.googleapis.com'),
  PUSH_FCM_TOKEN_URL: z.url().optional(),
  PUSH_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  PUSH_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(2000),
  PUSH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  PUSH_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  // GET /metrics (Prometheus): a bearer token, and/or a listener of its own.
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must have at least 16 characters').optional(),
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  METRICS_HOST: z.string().default('127.0.0.1'),
  // Issue 14: bound of each cache of compiled user patterns (patterns, event filters, call filters).
  PATTERN_CACHE_MB: z.coerce.number().int().min(1).max(4096).default(64),
  // Issue 14: the SIP password guessing guard (store/redis/auth-guard.ts).
  SIP_AUTH_ALLOW: z
    .string()
    .refine(
      (v) => v.split(',').every((e) => isNetwork(e.trim())),
      'SIP_AUTH_ALLOW must be a comma list of IP addresses or networks (10.0.0.0/8)',
    )
    .optional(),
  SIP_AUTH_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  SIP_AUTH_SOURCE_MAX_FAILURES: z.coerce.number().int().min(1).default(30),
  SIP_AUTH_ACCOUNT_MAX_FAILURES: z.coerce.number().int().min(1).default(20),
  SIP_AUTH_WINDOW_SECONDS: z.coerce.number().int().min(1).default(300),
  SIP_AUTH_BLOCK_SECONDS: z.coerce.number().int().min(1).default(60),
  SIP_AUTH_MAX_BLOCK_SECONDS: z.coerce.number().int().min(1).default(3600),
  // Issue 14: SIP over TCP limits (telephony/embedded/sip/transport.ts).
  SIP_TCP_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(4096),
  SIP_TCP_MAX_PER_SOURCE: z.coerce.number().int().min(1).default(100),
  SIP_TCP_MESSAGE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(10),
  SIP_TCP_IDLE_SECONDS: z.coerce.number().int().min(1).default(600),
});

/** Every environment variable the configuration reads (the README's table lists each). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/** The defaults of the variables that have one, as the parsed configuration sees them. */
export function configDefaults(): Record<string, string> {
  const parsed = envSchema.parse({}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(parsed)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
}

export type Env = z.input<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  /** Value of the `server` field; derived from the request when unset. */
  publicUrl: string | undefined;
  dataDir: string;
  /** Object storage root (files under DATA_DIR/objects). */
  objectDir: string;
  databaseUrl: string | undefined;
  redisUrl: string;
  redisPrefix: string;
  sessionIdleSeconds: number;
  sessionCreateLimit: number;
  sessionCreateWindowSeconds: number;
  pictureMaxBytes: number;
  /** Largest accepted announcement upload in bytes (spec 3.15 too-large). */
  audioMaxBytes: number;
  /** Events kept per session stream (older ones dropped, visible as an id gap). */
  eventMaxCount: number;
  eventMaxAgeSeconds: number;
  /** How long a rendered GET /api/user profile may be served from memory (0 = off). */
  profileCacheMs: number;
  /** Partner CDRs kept while no partner session collects them. */
  cdrBacklog: number;
  logLevel: string;
  trustProxy: boolean;
  /** Media jobs one worker process runs at once (spec 3.13-3.15 conversions). */
  mediaConcurrency: number;
  /** Largest fax upload (PDF) accepted; larger ones answer too-large. */
  faxMaxBytes: number;
  /** Retries of a fax send after busy, no answer or a T.30 line failure. */
  faxRetries: number;
  /** Seconds before each retry; the last repeats. */
  faxRetryDelays: number[];
  /** Fax calls offer and accept T.38 (re-INVITE to image/t38), else G.711 audio fax only. */
  faxT38: boolean;
  /** Fax send calls one telephony node places at once. */
  faxSendConcurrency: number;
  /** Key for the queue dashboard under /admin/queues; unset = dashboard off (404). */
  adminKey: string | undefined;
  /** SIP domains users may choose (spec 3.21); the first is the default. */
  sipDomains: string[];
  /** SIP accounts per user before quota-exceeded (names end in _01.._99). */
  sipAccountLimit: number;
  /** POST /api/sip/(sip-user)/notify answers `not-registered` when no device answered within this. */
  sipNotifyTimeoutMs: number;
  /** How long an incoming call-API call waits for its first control before it is rejected (seconds). */
  callApiIdleSeconds: number;
  /** The embedded SIP engine: UDP and TCP port, bind address, address put into Via/Contact/SDP. */
  sipPort: number;
  sipHost: string;
  sipAdvertisedAddress: string;
  /**
   * Where other telephony nodes reach this one (a conference participant's
   * leg to the node mixing the room): NODE_SIP_URI, else
   * sip:SIP_ADVERTISED_ADDRESS:SIP_PORT.
   */
  nodeSipUri: string;
  /** Even RTP ports are taken from this range (each leg one port, the next odd one left for RTCP). */
  rtpPorts: { min: number; max: number };
  /** Carrier trunks (`host[:port]`): their INVITEs are inbound calls; the first takes outbound calls. */
  sipTrunks: Array<{ host: string; port: number | null }>;
  /** Edge proxies (Kamailio) in front of this node: requests they relay count as from the sender below them. */
  sipProxies: Array<{ host: string; port: number | null }>;
  /** A call without RTP for this long is ended (0 = never). */
  rtpTimeoutSeconds: number;
  /** Log every SIP message in and out (SIP_TRACE=1). */
  sipTrace: boolean;
  /** The telephony adapter: `embedded` (SIP/RTP in this process) or `freeswitch` (drachtio + FreeSWITCH). */
  telephony: 'embedded' | 'freeswitch';
  /** TELEPHONY=freeswitch: the servers the adapter drives. */
  freeswitch: {
    drachtio: { host: string; port: number; secret: string };
    esl: { host: string; port: number; password: string };
    listen: { address: string; port: number };
    /** FREESWITCH_ESL_ADVERTISE: what FreeSWITCH connects to instead of `listen` (port 0: the listening one). */
    advertise?: { address: string; port: number };
    profile: string;
  };
  /** This node's name in the shared call registry (default: the host name). */
  nodeId: string;
  /** Shortest REGISTER interval accepted (423 below). */
  sipMinExpires: number;
  /** RFC 8599: how long a call waits for a phone woken by a push to register (SIP_PUSH_WAIT_SECONDS). */
  sipPushWaitSeconds: number;
  /** RFC 8599: days a push contact is kept after its phone's last REGISTER (SIP_PUSH_KEEP_DAYS). */
  sipPushKeepDays: number;
  /** Digest algorithms challenged with, in order; responses with either are verified. */
  sipDigestAlgorithms: Array<'MD5' | 'SHA-256'>;
  /**
   * AES-256 key of the stored reversible secrets (SIP passwords, spec 3.21):
   * SECRET_KEY, else DATA_DIR/secret.key (created once, mode 0600). Every
   * node sharing a database must use the same key.
   */
  secretKey: Buffer;
  /** Mail server of voicemail notifications (`smtp://[user:pass@]host[:port]`, `smtps://`); unset = none sent. */
  smtpUrl: string | undefined;
  /** Sender address of those e-mails. */
  smtpFrom: string;
  /** Push registrations and delivery (spec 8). */
  push: PushConfig;
  /** ISO codes of the countries POST /api/user accepts addresses of (spec 3.5 unsupported-country). */
  addressCountries: string[];
  /**
   * GET /metrics: with a token, only `Authorization: Bearer <token>` gets in;
   * with a port, it is served there (on metricsHost) and not on the API port;
   * with neither, only loopback and private-network clients get in.
   */
  metricsToken: string | undefined;
  metricsPort: number | undefined;
  metricsHost: string;
  /** Bytes each cache of compiled user patterns may hold (lib/patterns.ts). */
  patternCacheBytes: number;
  /** SIP over TCP caps and timeouts (sip/transport.ts TcpLimits), for SipStack's `tcp` option. */
  sipTcpLimits: { maxConnections: number; maxPerSource: number; messageTimeoutMs: number; idleMs: number };
  /** SIP password guessing guard (store/redis/auth-guard.ts AuthGuardOptions). */
  sipAuthGuard: {
    allow: string[];
    maxFailures: number;
    sourceMaxFailures: number;
    accountMaxFailures: number;
    windowSeconds: number;
    blockSeconds: number;
    maxBlockSeconds: number;
  };
}

/** Push registrations and delivery (spec 8). */
export interface PushConfig {
  /** APNs application ids POST /api/push accepts (others: `unknown-appid`). */
  apnsAppIds: string[];
  /** Token-based APNs authentication; null = APNs pushes are not sent (registrations are kept). */
  apns: { teamId: string; keyId: string; keyPem: string } | null;
  apnsUrl: string;
  apnsSandboxUrl: string;
  /** The `gcm.sender_id` of GET /api/push; omitted when unset. */
  gcmSenderId: string | undefined;
  /** FCM HTTP v1 service account; null = FCM pushes are not sent. */
  fcm: { projectId: string; clientEmail: string; privateKeyPem: string; tokenUrl: string } | null;
  fcmUrl: string;
  /** Delivery attempts per device and the first retry's delay (doubling each time). */
  attempts: number;
  backoffMs: number;
  timeoutMs: number;
  concurrency: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const secretKey = e.SECRET_KEY !== undefined ? parseSecretKey(e.SECRET_KEY) : keyFromFile(dataDir);
  if (!secretKey) throw new ConfigError('invalid configuration: SECRET_KEY: not a 32-byte key');
  const advertised = e.SIP_ADVERTISED_ADDRESS ?? (e.SIP_HOST === '0.0.0.0' ? '127.0.0.1' : e.SIP_HOST);
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    dataDir,
    objectDir: path.join(dataDir, 'objects'),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    sessionIdleSeconds: e.SESSION_IDLE_SECONDS,
    sessionCreateLimit: e.SESSION_CREATE_LIMIT,
    sessionCreateWindowSeconds: e.SESSION_CREATE_WINDOW_SECONDS,
    pictureMaxBytes: e.PICTURE_MAX_BYTES,
    audioMaxBytes: e.AUDIO_MAX_BYTES,
    eventMaxCount: e.EVENT_MAX_COUNT,
    eventMaxAgeSeconds: e.EVENT_MAX_AGE_SECONDS,
    cdrBacklog: e.CDR_BACKLOG,
    profileCacheMs: e.PROFILE_CACHE_MS,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    mediaConcurrency: e.MEDIA_CONCURRENCY,
    faxMaxBytes: e.FAX_MAX_BYTES,
    faxRetries: e.FAX_RETRIES,
    faxRetryDelays: e.FAX_RETRY_DELAYS.split(',').map((x) => Number(x.trim())),
    faxT38: e.FAX_T38,
    faxSendConcurrency: e.FAX_SEND_CONCURRENCY,
    adminKey: e.ADMIN_KEY,
    sipDomains: [...new Set(e.SIP_DOMAIN.split(','))],
    sipAccountLimit: e.SIP_ACCOUNT_LIMIT,
    sipNotifyTimeoutMs: e.SIP_NOTIFY_TIMEOUT_MS,
    callApiIdleSeconds: e.CALL_API_IDLE_S,
    sipPort: e.SIP_PORT,
    sipHost: e.SIP_HOST,
    sipAdvertisedAddress: advertised,
    nodeSipUri:
      e.NODE_SIP_URI ?? `sip:${advertised.includes(':') ? `[${advertised}]` : advertised}:${e.SIP_PORT}`,
    rtpPorts: rangeOf(e.RTP_PORTS),
    sipTrunks: hostPorts(e.SIP_TRUNK),
    sipProxies: hostPorts(e.SIP_PROXY),
    rtpTimeoutSeconds: e.RTP_TIMEOUT_SECONDS,
    sipTrace: e.SIP_TRACE,
    telephony: e.TELEPHONY,
    freeswitch: {
      drachtio: { ...hostPort(e.DRACHTIO_URL), secret: e.DRACHTIO_SECRET },
      esl: { ...hostPort(e.FREESWITCH_ESL), password: e.FREESWITCH_ESL_PASSWORD },
      listen: (({ host, port }) => ({ address: host, port }))(hostPort(e.FREESWITCH_ESL_LISTEN)),
      ...(e.FREESWITCH_ESL_ADVERTISE
        ? { advertise: (({ host, port }) => ({ address: host, port }))(hostPort(e.FREESWITCH_ESL_ADVERTISE)) }
        : {}),
      profile: e.FREESWITCH_PROFILE,
    },
    nodeId:
      e.NODE_ID ??
      (os
        .hostname()
        .replace(/[^A-Za-z0-9_.-]/g, '-')
        .slice(0, 64) ||
        'node'),
    sipMinExpires: e.SIP_MIN_EXPIRES,
    sipPushWaitSeconds: e.SIP_PUSH_WAIT_SECONDS,
    sipPushKeepDays: e.SIP_PUSH_KEEP_DAYS,
    sipDigestAlgorithms: [...new Set(e.SIP_DIGEST_ALGORITHMS.split(','))] as Array<'MD5' | 'SHA-256'>,
    secretKey,
    smtpUrl: e.SMTP_URL,
    smtpFrom: e.SMTP_FROM,
    push: pushConfig(e),
    addressCountries: e.ADDRESS_COUNTRIES.split(','),
    metricsToken: e.METRICS_TOKEN,
    metricsPort: e.METRICS_PORT,
    metricsHost: e.METRICS_HOST,
    patternCacheBytes: e.PATTERN_CACHE_MB * 1024 * 1024,
    sipTcpLimits: {
      maxConnections: e.SIP_TCP_MAX_CONNECTIONS,
      maxPerSource: e.SIP_TCP_MAX_PER_SOURCE,
      messageTimeoutMs: e.SIP_TCP_MESSAGE_TIMEOUT_SECONDS * 1000,
      idleMs: e.SIP_TCP_IDLE_SECONDS * 1000,
    },
    sipAuthGuard: {
      allow: (e.SIP_AUTH_ALLOW ?? '')
        .split(',')
        .map((a) => a.trim())
        .filter((a) => a !== ''),
      maxFailures: e.SIP_AUTH_MAX_FAILURES,
      sourceMaxFailures: e.SIP_AUTH_SOURCE_MAX_FAILURES,
      accountMaxFailures: e.SIP_AUTH_ACCOUNT_MAX_FAILURES,
      windowSeconds: e.SIP_AUTH_WINDOW_SECONDS,
      blockSeconds: e.SIP_AUTH_BLOCK_SECONDS,
      maxBlockSeconds: e.SIP_AUTH_MAX_BLOCK_SECONDS,
    },
  };
}

/** A PEM given inline, or the path of a file holding it. */
function pemOrFile(name: string, v: string): string {
  if (v.includes('-----BEGIN')) return v.replace(/\\n/g, '\n');
  try {
    return fs.readFileSync(v, 'utf8');
  } catch (err) {
    throw new ConfigError(`invalid configuration: ${name}: ${(err as Error).message}`);
  }
}

function pushConfig(e: z.output<typeof envSchema>): PushConfig {
  const apnsParts = [e.PUSH_APNS_TEAM_ID, e.PUSH_APNS_KEY_ID, e.PUSH_APNS_KEY];
  if (apnsParts.some((p) => p !== undefined) && apnsParts.some((p) => p === undefined)) {
    throw new ConfigError(
      'invalid configuration: PUSH_APNS_TEAM_ID, PUSH_APNS_KEY_ID and PUSH_APNS_KEY go together',
    );
  }
  let fcm: PushConfig['fcm'] = null;
  if (e.PUSH_FCM_SERVICE_ACCOUNT !== undefined) {
    const text = e.PUSH_FCM_SERVICE_ACCOUNT.trim().startsWith('{')
      ? e.PUSH_FCM_SERVICE_ACCOUNT
      : pemOrFile('PUSH_FCM_SERVICE_ACCOUNT', e.PUSH_FCM_SERVICE_ACCOUNT);
    let sa: Record<string, unknown>;
    try {
      sa = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new ConfigError('invalid configuration: PUSH_FCM_SERVICE_ACCOUNT is not service-account JSON');
    }
    const str = (k: string): string | undefined => {
      const v = sa[k];
      return typeof v === 'string' ? v : undefined;
    };
    const projectId = str('project_id');
    const clientEmail = str('client_email');
    const privateKeyPem = str('private_key');
    if (!projectId || !clientEmail || !privateKeyPem) {
      throw new ConfigError(
        'invalid configuration: PUSH_FCM_SERVICE_ACCOUNT needs project_id, client_email and private_key',
      );
    }
    const tokenUrl = e.PUSH_FCM_TOKEN_URL ?? str('token_uri') ?? 'https://oauth2.googleapis.com/token';
    fcm = { projectId, clientEmail, privateKeyPem, tokenUrl };
  }
  return {
    apnsAppIds: (e.PUSH_APNS_APP_IDS ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== ''),
    apns:
      e.PUSH_APNS_TEAM_ID && e.PUSH_APNS_KEY_ID && e.PUSH_APNS_KEY
        ? {
            teamId: e.PUSH_APNS_TEAM_ID,
            keyId: e.PUSH_APNS_KEY_ID,
            keyPem: pemOrFile('PUSH_APNS_KEY', e.PUSH_APNS_KEY),
          }
        : null,
    apnsUrl: e.PUSH_APNS_URL.replace(/\/+$/, ''),
    apnsSandboxUrl: e.PUSH_APNS_SANDBOX_URL.replace(/\/+$/, ''),
    gcmSenderId: e.PUSH_GCM_SENDER_ID,
    fcm,
    fcmUrl: e.PUSH_FCM_URL.replace(/\/+$/, ''),
    attempts: e.PUSH_ATTEMPTS,
    backoffMs: e.PUSH_BACKOFF_MS,
    timeoutMs: e.PUSH_TIMEOUT_MS,
    concurrency: e.PUSH_CONCURRENCY,
  };
}

/** The embedded single-machine default: a key file next to the data it protects. */
function keyFromFile(dataDir: string): Buffer {
  const file = path.join(dataDir, 'secret.key');
  try {
    return loadOrCreateKeyFile(file);
  } catch (err) {
    throw new ConfigError(`invalid configuration: SECRET_KEY unset and ${file}: ${(err as Error).message}`);
  }
}
