/**
 * Several telephony nodes behind Kamailio (deploy/kamailio): two embedded
 * nodes with their own NODE_ID and SIP port on one Redis and one database,
 * Kamailio from Debian in front of them started by deploy/kamailio/run.
 * sipp phones register through the proxy (Path, RFC 3327) and a sipp
 * carrier calls through it; each node's SIP trace tells which node took
 * which request.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/telephony/adapter.js';
import { TEST_DATABASE } from '../helpers/harness.js';
import { KAMAILIO_AVAILABLE, startKamailio, type Kamailio } from '../helpers/kamailio.js';
import { dialplanV2, sipAccount, updatePhone, userWithNumbers } from '../helpers/provision.js';
import { runSipp, startSipp, SIPP_AVAILABLE, type SippHandle } from '../helpers/sipp.js';
import {
  addTelephonyNode,
  cdrsOf,
  createTelephonyHarness,
  eventually,
  freePort,
  type TelephonyHarness,
} from '../helpers/telephony.js';

/** A node's SIP trace: every message it received. */
function recorder(): { log: Logger; received: string[] } {
  const received: string[] = [];
  const nothing = (): void => undefined;
  return {
    received,
    log: {
      debug: nothing,
      warn: nothing,
      error: nothing,
      info: (obj) => {
        const o = obj as { sip?: string; message?: string };
        if (o.sip === 'in' && o.message) received.push(o.message);
      },
    },
  };
}

const DOMAIN = 'sip.callplane.test';
const FAILOVER_CALLER = '4930999001';
const A = recorder();
const B = recorder();
let h: TelephonyHarness;
let nodeB: Awaited<ReturnType<typeof addTelephonyNode>> | undefined;
let kamailio: Kamailio | undefined;
/** The failover test's own Kamailio (node A and a child process node). */
let edge2: Kamailio | undefined;
let edge2Port = 0;
let child: ChildProcess | undefined;
const phones: SippHandle[] = [];

const RUN = KAMAILIO_AVAILABLE && SIPP_AVAILABLE;

beforeAll(async () => {
  if (!RUN) return;
  const proxyPort = await freePort();
  edge2Port = await freePort();
  h = await createTelephonyHarness(
    {
      SIP_PROXY: `127.0.0.1:${proxyPort},127.0.0.1:${edge2Port}`,
      SIP_TRACE: '1',
      NODE_ID: 'node-a',
    },
    { log: A.log },
  );
  nodeB = await addTelephonyNode(h, { nodeId: 'node-b', log: B.log });
  kamailio = await startKamailio({
    port: proxyPort,
    nodes: [`127.0.0.1:${h.sipPort}`, `127.0.0.1:${nodeB.sipPort}`],
  });
}, 120_000);
afterAll(async () => {
  child?.kill('SIGKILL');
  await edge2?.stop();
  for (const p of phones) p.kill();
  await kamailio?.stop();
  await nodeB?.stop();
  await h?.close();
});

/** Which node ("A" or "B") received a message matching `re`, if one did. */
function nodeOf(re: RegExp): 'A' | 'B' | null {
  if (A.received.some((m) => re.test(m))) return 'A';
  if (B.received.some((m) => re.test(m))) return 'B';
  return null;
}

/** A sipp phone registering `account` through Kamailio and answering one call. */
async function phone(account: { name: string; password: string }): Promise<SippHandle> {
  const p = startSipp({
    scenario: 'uas-registered',
    oocScenario: 'uas-answer',
    remote: `127.0.0.1:${kamailio!.port}`,
    localPort: await freePort(),
    mediaPort: await freePort(),
    auth: { username: account.name, password: account.password, uri: `sip:${DOMAIN}` },
    vars: { user: account.name, domain: DOMAIN, expires: '120' },
    timeoutSeconds: 40,
  });
  phones.push(p);
  await p.waitForMessage(/SIP\/2\.0 200 OK[^]*?CSeq: \d+ REGISTER/);
  return p;
}

/** The carrier: sipp from the trunk's source port, through Kamailio. */
function carrier(number: string, scenario = 'uac-call', vars: Record<string, string> = {}) {
  return runSipp({
    scenario,
    remote: `127.0.0.1:${kamailio!.port}`,
    localPort: h.carrierPort,
    service: number,
    vars,
    timeoutSeconds: 20,
  });
}

describe.skipIf(!RUN)('several telephony nodes behind Kamailio', () => {
  it('probes both nodes with OPTIONS', async () => {
    await eventually(async () => nodeOf(/^OPTIONS /) !== null || null, 'a probe', 10_000);
    await eventually(
      async () =>
        (A.received.some((m) => m.startsWith('OPTIONS ')) &&
          B.received.some((m) => m.startsWith('OPTIONS '))) ||
        null,
      'probes on both nodes',
      10_000,
    );
  });

  it('a carrier call dispatched to one node rings a phone whose REGISTER went through the other', async () => {
    const { user, numbers } = await userWithNumbers(h, 2);
    const accounts = [await sipAccount(h, user.sid), await sipAccount(h, user.sid)];
    // Each number of the user rings one of the two accounts.
    const numberOf = new Map<string, string>();
    for (const [i, acc] of accounts.entries()) {
      const number = numbers[i]!;
      const dialplan = await dialplanV2(h, user.sid, {
        description: `cluster ${i}`,
        profiles: [{ linear: { targets: [{ target: acc.name }] } }],
      });
      await updatePhone(h, user.sid, number, { dialplan });
      numberOf.set(acc.name, number);
    }

    const handles = new Map<string, SippHandle>();
    for (const acc of accounts) handles.set(acc.name, await phone(acc));
    // The node that stored each binding (the authenticated REGISTER), with the phone's Path.
    const registeredOn = new Map<string, 'A' | 'B'>();
    for (const acc of accounts) {
      const on = nodeOf(new RegExp(`^REGISTER [^]*To: <sip:${acc.name}@[^]*Authorization: `, 'm'));
      expect(on, `the REGISTER of ${acc.name} on a node`).not.toBeNull();
      registeredOn.set(acc.name, on!);
      const [b] = await h.services.registrations.bindings(acc.name);
      expect(b?.path?.[0]).toMatch(new RegExp(`^<sip:127\\.0\\.0\\.1:${kamailio!.port};.*lr`));
    }

    // Round robin: the INVITE after a probe call goes to the other node. Probe
    // (an unknown number, 404) until some phone is registered on the node the
    // next INVITE does not go to.
    let next: 'A' | 'B' | null = null;
    for (let i = 0; i < 3; i++) {
      const probe = `4900000000${100 + i}`;
      const r = await carrier(probe, 'uac-call-expect-fail', { expected: '404' });
      expect(r.successful, r.errors).toBe(1);
      const on = nodeOf(new RegExp(`^INVITE sip:${probe}@`));
      expect(on).not.toBeNull();
      next = on === 'A' ? 'B' : 'A';
      if ([...registeredOn.values()].some((n) => n !== next)) break;
    }
    const callee = accounts.find((a) => registeredOn.get(a.name) !== next)!;
    const number = numberOf.get(callee.name)!.slice(1);
    const call = await carrier(number, 'uac-call', { hold_ms: '500' });
    expect(call.successful, call.errors).toBe(1);
    const tookCall = nodeOf(new RegExp(`^INVITE sip:${number}@`));
    expect(tookCall).toBe(next);
    expect(tookCall).not.toBe(registeredOn.get(callee.name));
    const answered = await handles.get(callee.name)!.done;
    expect(answered.successful, answered.errors).toBe(1);

    // The other phone, from the node the next INVITE goes to.
    const other = accounts.find((a) => a !== callee)!;
    const otherNumber = numberOf.get(other.name)!.slice(1);
    const call2 = await carrier(otherNumber, 'uac-call', { hold_ms: '500' });
    expect(call2.successful, call2.errors).toBe(1);
    expect(nodeOf(new RegExp(`^INVITE sip:${otherNumber}@`))).not.toBe(tookCall);
    expect((await handles.get(other.name)!.done).successful).toBe(1);
  }, 120_000);
});

const CLI = fileURLToPath(new URL('../../bin/callplane.js', import.meta.url));

/** `callplane telephony` as a child process (its own NODE_ID and ports) on the harness's Redis and PostgreSQL. */
async function childNode(sipPort: number): Promise<ChildProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-node-c-'));
  const rtp = 19600 + (process.pid % 8) * 50; // below the ephemeral range (helpers/telephony.ts)
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(METRICS_|SIP_|RTP_|NODE_ID|PORT$)/.test(k)) env[k] = v;
  const proc = spawn(process.execPath, [CLI, 'telephony'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...env,
      DATABASE_URL: h.config.databaseUrl!,
      REDIS_URL: h.config.redisUrl,
      REDIS_PREFIX: h.config.redisPrefix,
      SECRET_KEY: h.config.secretKey.toString('hex'),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      NODE_ID: 'node-c',
      SIP_HOST: '127.0.0.1',
      SIP_PORT: String(sipPort),
      RTP_PORTS: `${rtp}-${rtp + 49}`,
      SIP_PROXY: `127.0.0.1:${edge2Port}`,
      SIP_TRUNK: `127.0.0.1:${h.trunkPort},127.0.0.1:${h.carrierPort}`,
      SIP_DOMAIN: DOMAIN,
    },
  });
  proc.once('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node-c did not start:\n${out}`)), 120_000);
    const seen = (b: Buffer): void => {
      out += b.toString();
      if (/callplane: telephony/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout?.on('data', seen);
    proc.stderr?.on('data', seen);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`node-c exited (${code}):\n${out}`));
    });
  });
  return proc;
}

/** How many INVITEs for `numbers` node A received. */
const onA = (numbers: string[]): number =>
  numbers.filter((n) => A.received.some((m) => m.startsWith(`INVITE sip:${n}@`))).length;

/** Carrier calls to unknown numbers (each answered 404 by whichever node takes it) through edge2. */
async function probeCalls(prefix: string, count: number): Promise<string[]> {
  const numbers: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = `${prefix}${String(i).padStart(2, '0')}`;
    const r = await runSipp({
      scenario: 'uac-call-expect-fail',
      remote: `127.0.0.1:${edge2Port}`,
      localPort: h.carrierPort,
      service: n,
      vars: { expected: '404' },
      timeoutSeconds: 20,
    });
    expect(r.successful, r.errors).toBe(1);
    numbers.push(n);
  }
  return numbers;
}

describe.skipIf(!RUN || TEST_DATABASE !== 'postgres')('failover: a node killed with SIGKILL', () => {
  it('leaves the dispatcher set within seconds; every call after it goes to the other node', async () => {
    const cPort = await freePort();
    child = await childNode(cPort);
    const a = `127.0.0.1:${h.sipPort}`;
    const c = `127.0.0.1:${cPort}`;
    edge2 = await startKamailio({ port: edge2Port, nodes: [a, c] });
    await eventually(
      async () => {
        const n = await edge2!.nodes();
        return (n.get(a)?.startsWith('A') && n.get(c)?.startsWith('A')) || null;
      },
      'both nodes active',
      15_000,
    );
    // Both nodes take calls.
    const before = await probeCalls('49000001', 4);
    expect(onA(before)).toBeGreaterThan(0);
    expect(onA(before)).toBeLessThan(4);

    // A call anchored on node-c (sent to its own port) when it dies: node A's crash
    // reaper ends it (BYE to the caller) and writes its CDR once node-c's heartbeat is gone.
    const { numbers } = await userWithNumbers(h, 1);
    const inCall = startSipp({
      scenario: 'uac-call',
      remote: c,
      localPort: h.carrierPort,
      service: numbers[0]!.slice(1),
      timeoutSeconds: 90,
      vars: { from_user: FAILOVER_CALLER, hold_ms: '60000' },
    });
    await eventually(
      async () => (await h.redis.keys(`${h.config.redisPrefix}recovery:legs:*`)).length > 0 || null,
      "the call in node-c's recovery journal",
      20_000,
    );

    const killedAt = Date.now();
    child.kill('SIGKILL');
    await eventually(
      async () => (await edge2!.nodes()).get(c)?.startsWith('I') || null,
      'node-c inactive',
      15_000,
    );
    const outAfterMs = Date.now() - killedAt;
    expect(outAfterMs).toBeLessThan(10_000);
    expect((await edge2.nodes()).get(a)).toMatch(/^A/);

    const ended = await inCall.done;
    const endedAfterMs = Date.now() - killedAt;
    expect(ended.successful, ended.errors).toBe(1);
    const cdr = await eventually(
      async () => (await cdrsOf(h, numbers[0]!))[0],
      "the CDR of node-c's call",
      30_000,
    );
    expect(cdr).toMatchObject({ service: 'call' });
    expect(String(cdr['a_number'])).toContain(FAILOVER_CALLER);

    // 0 failed calls after it, all on node A.
    const after = await probeCalls('49000002', 6);
    expect(onA(after)).toBe(6);
    console.log(
      `failover: node-c out of the dispatcher set ${outAfterMs} ms after SIGKILL; its call ended by node A ${endedAfterMs} ms after it`,
    );
  }, 180_000); // a child node starts through tsx: slow on a loaded machine
});
