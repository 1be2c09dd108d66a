/**
 * A harness with the embedded telephony role running: SIP on a free port of
 * 127.0.0.1, a private RTP port range, and the carrier trunk pointed at a
 * port the test's sipp "carrier" uses.
 */
import type { TelephonyAdapter } from '../../src/telephony/adapter.js';
import { adapterEnvironment, embeddedOptions, freeswitchOptions } from '../../src/telephony/adapters.js';
import { EmbeddedAdapter } from '../../src/telephony/embedded/adapter.js';
import { FreeswitchAdapter } from '../../src/telephony/freeswitch/adapter.js';
import { silentLogger, type Logger } from '../../src/telephony/engine/logger.js';
import { startTelephonyNode, type TelephonyNode } from '../../src/telephony/node.js';
import { createHarness, type Harness, type HarnessOptions } from './harness.js';
import { freePort } from './ports.js';
import { runSipp, type SippOptions, type SippResult } from './sipp.js';

export interface TelephonyHarness extends Harness {
  telephony: TelephonyNode & { adapter: EmbeddedAdapter };
  sipPort: number;
  /** Where outbound carrier calls go (a sipp UAS plays the carrier there). */
  trunkPort: number;
  /** The source port of carrier INVITEs (a sipp UAC binds it). */
  carrierPort: number;
}

// Above the fixed ranges other tests use (41xxx RTP relay, 43xxx media, 46xxx baresip).
// Below the system's ephemeral range (32768-60999 here), where freePort() and every outgoing
// connection take their ports: a sipp bound to a picked port never meets a test's RTP leg.
// 10000-18999 for harnesses (600 per test file, by pid), 19000-19999 for the test files' own nodes.
let rtpBase = 10000 + (process.pid % 15) * 600;

export { freePort } from './ports.js';

export async function createTelephonyHarness(
  env: Record<string, string> = {},
  options: HarnessOptions & { log?: Logger; telephony?: 'embedded' | 'freeswitch' } = {},
): Promise<TelephonyHarness> {
  const { log: given, telephony: which, ...opts } = options;
  const sipPort = await freePort();
  const trunkPort = await freePort();
  const carrierPort = await freePort();
  const min = rtpBase;
  rtpBase += 200;
  const h = await createHarness(
    {
      SIP_PORT: String(sipPort),
      SIP_HOST: '127.0.0.1',
      RTP_PORTS: `${min}-${min + 199}`,
      SIP_TRUNK: `127.0.0.1:${trunkPort},127.0.0.1:${carrierPort}`,
      SIP_MIN_EXPIRES: '1',
      SIP_DOMAIN: 'sip.callplane.test',
      ...env,
    },
    opts,
  );
  const log: Logger =
    given ??
    (process.env['SIP_DEBUG']
      ? { debug: console.debug, info: console.info, warn: console.warn, error: console.error }
      : silentLogger);
  // TEST_TELEPHONY=freeswitch: the same harness on drachtio + FreeSWITCH (their addresses as
  // TELEPHONY=freeswitch takes them, DRACHTIO_SIP where phones reach drachtio); one test file at a time.
  const onFreeswitch = (which ?? process.env['TEST_TELEPHONY']) === 'freeswitch';
  const adapter: TelephonyAdapter = onFreeswitch
    ? await FreeswitchAdapter.create(freeswitchOptions(h.config), adapterEnvironment(h.services, log))
    : await EmbeddedAdapter.create(embeddedOptions(h.config), adapterEnvironment(h.services, log));
  const node = await startTelephonyNode(h.services, h.config, adapter, { log, sweepMs: 250 });
  // Tests reach into the embedded stack's internals; on FreeSWITCH those tests fail, the rest runs.
  const telephony = Object.assign(node, { adapter: adapter as EmbeddedAdapter });
  return {
    ...h,
    telephony,
    sipPort: onFreeswitch ? Number((process.env['DRACHTIO_SIP'] ?? '127.0.0.1:5070').split(':')[1]) : sipPort,
    trunkPort,
    carrierPort,
    close: async () => {
      await telephony.stop();
      await h.close();
    },
  };
}

/**
 * Another telephony node on the harness's services (one Redis, one
 * database): its own NODE_ID, SIP port and RTP range, the rest of the
 * harness's configuration. Stopped by the returned stop() (not by h.close()).
 */
export async function addTelephonyNode(
  h: TelephonyHarness,
  opts: { nodeId: string; log?: Logger; rtpPorts?: { min: number; max: number } },
): Promise<{
  telephony: TelephonyNode & { adapter: EmbeddedAdapter };
  sipPort: number;
  stop: () => Promise<void>;
}> {
  const sipPort = await freePort();
  const min = rtpBase;
  rtpBase += 200;
  const config = {
    ...h.config,
    sipPort,
    rtpPorts: opts.rtpPorts ?? { min, max: min + 199 },
    nodeId: opts.nodeId,
    nodeSipUri: `sip:127.0.0.1:${sipPort}`,
  };
  const log = opts.log ?? silentLogger;
  const adapter = await EmbeddedAdapter.create(embeddedOptions(config), adapterEnvironment(h.services, log));
  const node = await startTelephonyNode(h.services, config, adapter, { log, sweepMs: 250 });
  const telephony = Object.assign(node, { adapter });
  return { telephony, sipPort, stop: () => telephony.stop() };
}

/**
 * A registration of `account` pointing at a sipp UAS on `port`, written to the
 * location store directly: for call tests, whose subject is routing, not
 * REGISTER (test/e2e/sip-register.test.ts covers that with sipp).
 */
export async function bindContact(
  h: Harness,
  account: { name: string; domain: string },
  port: number,
): Promise<void> {
  const owner = await h.services.db
    .selectFrom('sip_accounts')
    .select('owner')
    .where('name', '=', account.name)
    .executeTakeFirstOrThrow();
  await h.services.registrations.bind(
    { name: account.name, owner: owner.owner, domain: account.domain },
    {
      contact: `sip:${account.name}@127.0.0.1:${port}`,
      source: `127.0.0.1:${port}`,
      transport: 'udp',
      expires: 300,
      callId: `test-${account.name}-${port}`,
      cseq: 1,
    },
  );
}

/** Waits until `check` holds (polling), or fails with `what`. */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The CDRs of a phone (or account) as the partner API returns them, oldest first. */
export async function cdrsOf(h: Harness, phone: string): Promise<Array<Record<string, unknown>>> {
  const rows = await h.services.db
    .selectFrom('cdrs')
    .select('id')
    .where('phone', '=', phone)
    .orderBy('date_ms')
    .orderBy('id')
    .execute();
  const out: Array<Record<string, unknown>> = [];
  for (const r of rows) {
    const c = await h.services.cdrs.byId(r.id);
    if (c) out.push(c as unknown as Record<string, unknown>);
  }
  return out;
}

/**
 * The carrier calling `number` through the trunk (sipp `uac-call` from the
 * trunk's source port): `from` is the caller's number, the rest as runSipp.
 */
export function carrierCall(
  h: TelephonyHarness,
  number: string,
  opts: Partial<SippOptions> & { from?: string } = {},
): Promise<SippResult> {
  const { from, vars, ...rest } = opts;
  return runSipp({
    scenario: 'uac-call',
    remote: `127.0.0.1:${h.sipPort}`,
    localPort: h.carrierPort,
    service: number.replace(/^\+/, ''),
    timeoutSeconds: 30,
    ...rest,
    vars: { from_user: from ?? '+492215550101', ...(vars ?? {}) },
  });
}

/**
 * Takes every free RTP port of the harness's node (a node out of media
 * ports); the answer gives them back.
 */
export async function holdAllRtpPorts(h: TelephonyHarness): Promise<() => Promise<void>> {
  const held: Array<{ close(): Promise<void> }> = [];
  for (;;) {
    try {
      held.push(await h.telephony.adapter.pool.open());
    } catch {
      break;
    }
  }
  return async () => {
    await Promise.all(held.map((s) => s.close()));
  };
}
