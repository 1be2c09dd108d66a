/**
 * Calls that cross telephony nodes behind Kamailio (deploy/kamailio): two
 * embedded nodes on one Redis and one database, Kamailio from Debian in
 * front of them. What is shared through Redis must hold whichever node a
 * request is dispatched to: the location store (a phone registered through
 * one node is called from the other, with audio both ways, over UDP and
 * TCP), the usergroup's call limit and the cyclic dialplan's rotation; a
 * phone watching a number (BLF) on one node is told of its calls on the
 * other; and a call-reverse call takes the call ringing on the other node.
 *
 * Kamailio dispatches round robin, so the node of the next dialog-creating
 * request is steered with probe calls (an unknown number, 404) until it is
 * the wanted one; each node's SIP trace tells which node took which request.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/telephony/adapter.js';
import { KAMAILIO_AVAILABLE, startKamailio, type Kamailio } from '../helpers/kamailio.js';
import { blfColleagues, dialplanV2, sipAccount, updatePhone, userWithNumbers } from '../helpers/provision.js';
import { RtpPeer, toneShare } from '../helpers/rtp-peer.js';
import { digestAnswer, isRequest, isResponse, sipClient } from '../helpers/sip-client.js';
import { runSipp, startSipp, SIPP_AVAILABLE, type SippHandle, type SippOptions } from '../helpers/sipp.js';
import {
  addTelephonyNode,
  bindContact,
  cdrsOf,
  createTelephonyHarness,
  eventually,
  freePort,
  holdAllRtpPorts,
  type TelephonyHarness,
} from '../helpers/telephony.js';

type Node = 'A' | 'B';
const other = (n: Node): Node => (n === 'A' ? 'B' : 'A');

/** Every SIP message the nodes received, in arrival order, with the node that received it. */
const trace: Array<{ node: Node; message: string }> = [];

function recorder(node: Node): Logger {
  const nothing = (): void => undefined;
  return {
    debug: nothing,
    warn: nothing,
    error: nothing,
    info: (obj) => {
      const o = obj as { sip?: string; message?: string };
      if (o.sip === 'in' && o.message) trace.push({ node, message: o.message });
    },
  };
}

const DOMAIN = 'sip.callplane.test';
let h: TelephonyHarness;
let nodeB: Awaited<ReturnType<typeof addTelephonyNode>> | undefined;
let kamailio: Kamailio | undefined;
const sipps: SippHandle[] = [];
const peers: RtpPeer[] = [];

const RUN = KAMAILIO_AVAILABLE && SIPP_AVAILABLE;

beforeAll(async () => {
  if (!RUN) return;
  const proxyPort = await freePort();
  h = await createTelephonyHarness(
    { SIP_PROXY: `127.0.0.1:${proxyPort}`, SIP_TRACE: '1', NODE_ID: 'node-a' },
    { log: recorder('A') },
  );
  nodeB = await addTelephonyNode(h, { nodeId: 'node-b', log: recorder('B') });
  kamailio = await startKamailio({
    port: proxyPort,
    nodes: [`127.0.0.1:${h.sipPort}`, `127.0.0.1:${nodeB.sipPort}`],
  });
}, 120_000);
/** A test's sipps and RTP peers end with it (a failed one must not hold the trunk ports for the next). */
async function endPeers(): Promise<void> {
  const all = sipps.splice(0);
  for (const s of all) s.kill();
  await Promise.allSettled(all.map((s) => s.done));
  for (const p of peers.splice(0)) p.close();
}
afterEach(endPeers);
afterAll(async () => {
  await endPeers();
  await kamailio?.stop();
  await nodeB?.stop();
  await h?.close();
});

/** The node that first received a message matching `re` (after trace index `from`), or null. */
function nodeOf(re: RegExp, from = 0): Node | null {
  return trace.slice(from).find((t) => re.test(t.message))?.node ?? null;
}

/** The dialog states a BLF NOTIFY carries (RFC 4235 <state>). */
const dialogStates = (n: { body: Buffer }): string[] =>
  [...n.body.toString().matchAll(/<state>([a-z]+)<\/state>/g)].map((m) => m[1]!);

const sipPortOf = (n: Node): number => (n === 'A' ? h.sipPort : nodeB!.sipPort);

function sipp(opts: SippOptions): SippHandle {
  const s = startSipp(opts);
  sipps.push(s);
  return s;
}

async function rtpPeer(): Promise<RtpPeer> {
  const p = await RtpPeer.open();
  peers.push(p);
  return p;
}

let probes = 0;
/** One carrier call to an unknown number through Kamailio (404) from `localPort`: the node it was dispatched to. */
async function probe(localPort = h.carrierPort): Promise<Node> {
  const n = `4900000009${String(100 + probes++)}`;
  const r = await runSipp({
    scenario: 'uac-call-expect-fail',
    remote: `127.0.0.1:${kamailio!.port}`,
    localPort,
    service: n,
    vars: { expected: '404' },
    timeoutSeconds: 20,
  });
  expect(r.successful, r.errors).toBe(1);
  const on = nodeOf(new RegExp(`^INVITE sip:${n}@`));
  expect(on).not.toBeNull();
  return on!;
}

/** Probes until Kamailio dispatches its next dialog-creating request to `node`. */
async function nextTo(node: Node, localPort = h.carrierPort): Promise<void> {
  for (let i = 0; i < 3; i++) if (other(await probe(localPort)) === node) return;
  throw new Error(`round robin never came to node ${node}`);
}

/** A carrier call to `number` through Kamailio, held `holdMs` after the answer. */
const carrierViaProxy = (number: string, holdMs: string) =>
  runSipp({
    scenario: 'uac-call',
    remote: `127.0.0.1:${kamailio!.port}`,
    localPort: h.carrierPort,
    service: number,
    vars: { hold_ms: holdMs },
    timeoutSeconds: 20,
  });

/**
 * A sipp phone registered through Kamailio that answers one call, its RTP
 * on `peer`; resolves with the node that stored its binding.
 */
async function registeredPhone(
  account: { name: string; password: string },
  peer: RtpPeer,
  transport: 'u1' | 't1' = 'u1',
): Promise<{ sipp: SippHandle; node: Node }> {
  const p = sipp({
    scenario: 'uas-registered',
    oocScenario: 'uas-answer',
    remote: `127.0.0.1:${kamailio!.port}`,
    localPort: await freePort(),
    mediaPort: await freePort(),
    transport,
    auth: { username: account.name, password: account.password, uri: `sip:${DOMAIN}` },
    vars: { user: account.name, domain: DOMAIN, expires: '120', rtp_port: String(peer.port) },
    timeoutSeconds: 40,
  });
  await p.waitForMessage(/SIP\/2\.0 200 OK[^]*?CSeq: \d+ REGISTER/);
  const node = nodeOf(new RegExp(`^REGISTER [^]*To: <sip:${account.name}@[^]*Authorization: `, 'm'));
  expect(node, `the REGISTER of ${account.name} on a node`).not.toBeNull();
  return { sipp: p, node: node! };
}

/** The engine's RTP address in the first SDP after `start` in a sipp message log. */
async function engineMedia(s: SippHandle, start: RegExp): Promise<{ address: string; port: number }> {
  const m = await s.waitForMessage(
    new RegExp(`${start.source}[^]*?c=IN IP4 (\\S+)[^]*?m=audio (\\d+)`),
    15_000,
  );
  return { address: m[1]!, port: Number(m[2]) };
}

/** Audio from both ends: each peer sends its tone to the engine, each must hear the other's. */
function expectHeard(peer: RtpPeer, freq: number, what: string): void {
  const audio = peer.audio();
  expect(audio.length, `${what}: audio received`).toBeGreaterThan(8000); // over 1 s
  expect(toneShare(audio, freq), `${what}: the far end's tone`).toBeGreaterThan(0.8);
}

describe.skipIf(!RUN)('calls across telephony nodes behind Kamailio', () => {
  it('a phone calls a phone registered through the other node: audio both ways', async () => {
    const { user } = await userWithNumbers(h, 1);
    const alice = await sipAccount(h, user.sid);
    const bob = await sipAccount(h, user.sid);
    const peerA = await rtpPeer();
    const peerB = await rtpPeer();
    const callee = await registeredPhone(bob, peerB);
    // The INVITE is challenged (on the next node), the authenticated one goes to the node after it.
    await nextTo(callee.node);
    const from = trace.length;
    const caller = sipp({
      scenario: 'uac-call',
      remote: `127.0.0.1:${kamailio!.port}`,
      localPort: await freePort(),
      mediaPort: await freePort(),
      service: bob.name,
      auth: { username: alice.name, password: alice.password },
      vars: { from_user: alice.name, domain: DOMAIN, hold_ms: '2500', rtp_port: String(peerA.port) },
      timeoutSeconds: 30,
    });
    const toB = await engineMedia(callee.sipp, /INVITE sip:/);
    peerB.send(880, toB);
    const toA = await engineMedia(caller, /SIP\/2\.0 200 OK/);
    peerA.send(440, toA);
    const done = await caller.done;
    peerA.stopSending();
    peerB.stopSending();
    expect(done.successful, done.errors).toBe(1);
    const answered = await callee.sipp.done;
    expect(answered.successful, answered.errors).toBe(1);

    const carried = nodeOf(new RegExp(`^INVITE sip:${bob.name}@[^]*Authorization: `), from);
    expect(carried).toBe(other(callee.node));
    // The INVITE Bob received came from that node, through the proxy.
    expect(answered.messages).toMatch(
      new RegExp(`INVITE sip:${bob.name}@[^]*Via: SIP/2\\.0/UDP 127\\.0\\.0\\.1:${sipPortOf(carried!)}`),
    );
    expectHeard(peerB, 440, 'Bob');
    expectHeard(peerA, 880, 'Alice');
  }, 90_000);

  it('a phone registered over TCP is called through the other node', async () => {
    const { user, numbers } = await userWithNumbers(h, 1);
    const acc = await sipAccount(h, user.sid);
    const dialplan = await dialplanV2(h, user.sid, {
      description: 'tcp',
      profiles: [{ linear: { targets: [{ target: acc.name }] } }],
    });
    await updatePhone(h, user.sid, numbers[0]!, { dialplan });
    const peer = await rtpPeer();
    const phone = await registeredPhone(acc, peer, 't1');
    const [binding] = await h.services.registrations.bindings(acc.name);
    expect(binding?.contact).toMatch(/transport=tcp/i);
    // The carrier's INVITE goes to the node the phone did not register through.
    await nextTo(other(phone.node));
    const from = trace.length;
    const number = numbers[0]!.slice(1);
    const carrierPeer = await rtpPeer();
    const carrier = sipp({
      scenario: 'uac-call',
      remote: `127.0.0.1:${kamailio!.port}`,
      localPort: h.carrierPort,
      mediaPort: await freePort(),
      service: number,
      vars: { hold_ms: '2500', rtp_port: String(carrierPeer.port) },
      timeoutSeconds: 30,
    });
    const toPhone = await engineMedia(phone.sipp, /INVITE sip:/);
    peer.send(660, toPhone);
    const toCarrier = await engineMedia(carrier, /SIP\/2\.0 200 OK/);
    carrierPeer.send(330, toCarrier);
    const call = await carrier.done;
    peer.stopSending();
    carrierPeer.stopSending();
    expect(call.successful, call.errors).toBe(1);
    const answered = await phone.sipp.done;
    expect(answered.successful, answered.errors).toBe(1);
    expect(nodeOf(new RegExp(`^INVITE sip:${number}@`), from)).toBe(other(phone.node));
    // Over TCP: the INVITE reached the phone on its connection to the proxy.
    expect(answered.messages).toMatch(/INVITE sip:[^]*?Via: SIP\/2\.0\/TCP 127\.0\.0\.1:/);
    expectHeard(peer, 330, 'the TCP phone');
    expectHeard(carrierPeer, 660, 'the carrier');
  }, 90_000);

  it('a phone watching a number (BLF) is told of its call whatever node carries it', async () => {
    const { aliceAcc, bobAcc, number } = await blfColleagues(h);

    // Bob's phone subscribes through the proxy (digest on SUBSCRIBE); its NOTIFYs come back through it.
    const phone = await sipClient();
    try {
      const uri = `sip:${number.slice(1)}@${DOMAIN}`;
      const from = trace.length;
      const subscribe = (cseq: number, auth?: string) =>
        phone.send(
          [
            `SUBSCRIBE ${uri} SIP/2.0`,
            `Via: SIP/2.0/UDP 127.0.0.1:${phone.port};branch=z9hG4bKcsub${cseq};rport`,
            'Max-Forwards: 70',
            `From: <sip:${bobAcc.name}@${DOMAIN}>;tag=bob1`,
            `To: <${uri}>`,
            'Call-ID: cluster-blf-1@test',
            `CSeq: ${cseq} SUBSCRIBE`,
            `Contact: <sip:${bobAcc.name}@127.0.0.1:${phone.port}>`,
            'Event: dialog',
            'Accept: application/dialog-info+xml',
            'Expires: 120',
            ...(auth ? [`Authorization: ${auth}`] : []),
          ],
          kamailio!.port,
        );
      subscribe(1);
      const challenge = await phone.next(isResponse);
      expect(challenge.status).toBe(401);
      subscribe(2, digestAnswer(challenge.get('www-authenticate')!, bobAcc, 'SUBSCRIBE', uri));
      expect((await phone.next(isResponse)).status).toBe(200);
      const initial = await phone.next(isRequest('NOTIFY'));
      expect(dialogStates(initial)).toEqual([]);
      const watching = nodeOf(/^SUBSCRIBE sip:[^]*Authorization: /, from);
      expect(watching).not.toBeNull();

      // Alice's phone answers; the carrier's call is dispatched to the other node.
      const alicePort = await freePort();
      await bindContact(h, aliceAcc, alicePort);
      sipp({ scenario: 'uas-answer', localPort: alicePort, timeoutSeconds: 30 });
      await nextTo(other(watching!));
      const callFrom = trace.length;
      const caller = sipp({
        scenario: 'uac-call',
        remote: `127.0.0.1:${kamailio!.port}`,
        localPort: h.carrierPort,
        service: number.slice(1),
        vars: { hold_ms: '1000' },
        timeoutSeconds: 30,
      });
      const states: string[] = [];
      while (!states.includes('terminated')) {
        const n = await phone.next(isRequest('NOTIFY'));
        states.push(...dialogStates(n));
      }
      expect((await caller.done).successful).toBe(1);
      expect(nodeOf(new RegExp(`^INVITE sip:${number.slice(1)}@`), callFrom)).toBe(other(watching!));
      expect(states).toEqual(['early', 'confirmed', 'terminated']);
    } finally {
      phone.close();
    }
  }, 90_000);

  it('a usergroup limit of 1 holds across nodes: a second call dispatched to the other node is refused', async () => {
    const partner = await h.partner();
    const { user } = await userWithNumbers(h, 1, { partner });
    const G = '/api/partner/usergroup';
    const sid = partner.sid;
    const group = (await h.call('POST', G, { sid, body: {} }))['group_uuid'] as string;
    expect(
      await h.call('POST', `${G}/${group}/user`, { sid, body: { users: { add: [user.uuid] } } }),
    ).toMatchObject({ status: 'ok' });
    expect(await h.call('POST', `${G}/${group}/limit`, { sid, body: { limit: 1 } })).toMatchObject({
      status: 'ok',
    });
    const acc = await sipAccount(h, user.sid);
    const trunk = sipp({ scenario: 'uas-answer', localPort: h.trunkPort, calls: 2, timeoutSeconds: 40 });
    await trunk.ready;
    const dial = (service: string, scenario: string, vars: Record<string, string>): SippOptions => ({
      scenario,
      remote: `127.0.0.1:${kamailio!.port}`,
      localPort: 0,
      service,
      auth: { username: acc.name, password: acc.password },
      vars: { from_user: acc.name, domain: DOMAIN, ...vars },
      timeoutSeconds: 25,
    });

    const from = trace.length;
    const first = sipp(dial('+4930555000101', 'uac-call', { hold_ms: '4000' }));
    await first.waitForMessage(/SIP\/2\.0 200 OK[^]*?CSeq: \d+ INVITE/, 15_000);
    const authed = (n: string) => new RegExp(`^INVITE sip:\\${n}@[^]*Authorization: `);
    const firstOn = nodeOf(authed('+4930555000101'), from);
    expect(firstOn).not.toBeNull();
    // The second INVITE is challenged on the node of the first call; its authenticated one goes to the other node.
    await nextTo(firstOn!);
    const at = trace.length;
    const second = await runSipp(dial('+4930555000102', 'uac-call-expect-fail', { expected: '503' }));
    expect(second.successful, second.errors).toBe(1);
    expect(second.messages).toMatch(/SIP\/2\.0 503 [^]*?Reason: Q\.850;cause=34/);
    const refusedOn = trace.slice(at).filter((t) => authed('+4930555000102').test(t.message));
    // Refused by the other node, and not tried again on the first call's node.
    expect(refusedOn.map((t) => t.node)).toEqual([other(firstOn!)]);

    expect((await first.done).successful).toBe(1);
    // The first call's slot is free again for that node too.
    const third = trace.length;
    const again = await runSipp(dial('+4930555000103', 'uac-call', { hold_ms: '200' }));
    expect(again.successful, again.errors).toBe(1);
    expect(nodeOf(authed('+4930555000103'), third)).toBe(other(firstOn!));
    const far = await trunk.done;
    expect(far.successful, far.errors).toBe(2);
    // The refused call never reached the carrier.
    expect([...far.messages.matchAll(/^INVITE sip:(\+\d+)@/gm)].map((m) => m[1])).toEqual([
      '+4930555000101',
      '+4930555000103',
    ]);
  }, 90_000);

  it('a node out of RTP ports refuses 503 congestion and Kamailio carries the call on the other node', async () => {
    const { user, numbers } = await userWithNumbers(h, 1);
    await updatePhone(h, user.sid, numbers[0]!, { recording_enable: true });
    const number = numbers[0]!.slice(1);
    const release = await holdAllRtpPorts(h);
    try {
      await nextTo('A');
      const from = trace.length;
      const r = await carrierViaProxy(number, '300');
      expect(r.successful, r.errors).toBe(1);
      // Node A could not answer (no port for the voice box's media); node B took the same INVITE.
      const invites = trace.slice(from).filter((t) => new RegExp(`^INVITE sip:${number}@`).test(t.message));
      expect(invites.map((t) => t.node)).toEqual(['A', 'B']);
    } finally {
      await release();
    }
  }, 60_000);

  it('a cyclic dialplan rotates through its targets while consecutive calls land on alternating nodes', async () => {
    const { user, numbers } = await userWithNumbers(h, 1);
    const targets = ['+4930555000201', '+4930555000202'];
    const dialplan = await dialplanV2(h, user.sid, {
      description: 'cyclic',
      profiles: [{ cyclic: { targets: targets.map((target) => ({ target, timeout: 10 })) } }],
    });
    await updatePhone(h, user.sid, numbers[0]!, { dialplan });
    const number = numbers[0]!.slice(1);
    const calls = 4;
    const trunk = sipp({ scenario: 'uas-answer', localPort: h.trunkPort, calls, timeoutSeconds: 40 });
    await trunk.ready;
    const nodes: Array<Node | null> = [];
    for (let i = 0; i < calls; i++) {
      const from = trace.length;
      const r = await carrierViaProxy(number, '200');
      expect(r.successful, r.errors).toBe(1);
      nodes.push(nodeOf(new RegExp(`^INVITE sip:${number}@`), from));
    }
    const far = await trunk.done;
    expect(far.successful, far.errors).toBe(calls);
    const rung = [...far.messages.matchAll(/^INVITE sip:(\+?\d+)@/gm)].map((m) => m[1]);
    expect(rung).toHaveLength(calls);
    for (let i = 1; i < calls; i++) {
      // Each call on the other node than the call before it, ringing the other target first.
      expect(nodes[i], `call ${i + 1}'s node`).toBe(other(nodes[i - 1]!));
      expect(rung[i], `call ${i + 1}'s target`).not.toBe(rung[i - 1]);
    }
    expect(new Set(rung)).toEqual(new Set(targets));
  }, 90_000);
  it('a call-reverse call landing on another node than the ringing call takes it there: audio both ways', async () => {
    const { user, numbers } = await userWithNumbers(h, 1);
    const number = numbers[0]!;
    await updatePhone(h, user.sid, number, { dialplan_enable: true });
    expect(
      await h.call('POST', '/api/dialplan', { sid: user.sid, body: { callreverse_enable: true } }),
    ).toMatchObject({ status: 'ok' });
    const carrierCall = (from: string, localPort: number, peer: RtpPeer, holdMs: number) =>
      sipp({
        scenario: 'uac-call',
        remote: `127.0.0.1:${kamailio!.port}`,
        localPort,
        service: number.slice(1),
        vars: { from_user: from, hold_ms: String(holdMs), rtp_port: String(peer.port) },
        timeoutSeconds: 30,
      });

    const peer1 = await rtpPeer();
    const peer2 = await rtpPeer();
    let at = trace.length;
    // The first caller rings (the call-reverse target only) and talks 2.5 s once connected.
    const first = carrierCall('+4989000333', h.carrierPort, peer1, 2500);
    const state = await eventually(
      async () => h.services.dialplanV1.callreverseState(user.uuid),
      'the call-reverse process',
    );
    const ringsOn = nodeOf(new RegExp(`^INVITE sip:${number.slice(1)}@[^]*From: <sip:\\+4989000333@`), at);
    expect(ringsOn).not.toBeNull();
    expect(state.node).toBe(`sip:127.0.0.1:${sipPortOf(ringsOn!)}`);
    expect(
      await h.call('POST', '/api/dialplan/callreverse', { sid: user.sid, body: { filter: '+4989000444' } }),
    ).toMatchObject({ status: 'ok' });

    // The call-reverse call lands on the other node (from the trunk port: the carrier port is taken).
    await nextTo(other(ringsOn!), h.trunkPort);
    at = trace.length;
    const second = carrierCall('+4989000444', h.trunkPort, peer2, 6000);
    const to1 = await engineMedia(first, /SIP\/2\.0 200 OK/);
    peer1.send(440, to1);
    const to2 = await engineMedia(second, /SIP\/2\.0 200 OK/);
    peer2.send(880, to2);
    const r1 = await first.done;
    const r2 = await second.done;
    peer1.stopSending();
    peer2.stopSending();
    expect(r1.successful, r1.errors).toBe(1);
    expect(r2.successful, r2.errors).toBe(1);
    // The first caller hung up after its hold: the call-reverse call was ended through both nodes.
    expect(r2.stats['remote_bye(C)']).toBe('1');
    expect(nodeOf(new RegExp(`^INVITE sip:${number.slice(1)}@[^]*From: <sip:\\+4989000444@`), at)).toBe(
      other(ringsOn!),
    );
    // The node it landed on called the ringing node with the user's pass.
    expect(nodeOf(/^INVITE sip:callreverse@[^]*x-callplane-join: callreverse\./im, at)).toBe(ringsOn);
    expectHeard(peer1, 880, 'the first caller');
    expectHeard(peer2, 440, 'the call-reverse caller');

    const rows = await eventually(async () => {
      const c = await cdrsOf(h, number);
      return c.some((x) => x['service'] === 'call_reverse') ? c : null;
    }, 'the call_reverse CDR');
    const root = rows.find((c) => c['service'] === 'call' && c['a_number'] === '+4989000333')!;
    expect(rows.find((c) => c['service'] === 'call_reverse')).toMatchObject({
      b_number: '+4989000444',
      parent: root['id'],
    });
    await eventually(
      async () => (await h.services.dialplanV1.callreverseState(user.uuid)) === null,
      'the process ended',
    );
  }, 90_000);
  it('a call-reverse call for a call no longer ringing on the other node is routed as usual', async () => {
    const { user, numbers } = await userWithNumbers(h, 1);
    const number = numbers[0]!;
    await updatePhone(h, user.sid, number, { dialplan_enable: true });
    const acc = await sipAccount(h, user.sid);
    expect(
      await h.call('POST', '/api/dialplan', { sid: user.sid, body: { sip_pool: { add: [acc.name] } } }),
    ).toMatchObject({ status: 'ok' });
    const port = await freePort();
    await bindContact(h, acc, port);
    const phone = sipp({ scenario: 'uas-answer', localPort: port, timeoutSeconds: 20 });
    await phone.ready;
    // A process left behind by node A (its call is gone there), with the filter set.
    await h.services.dialplanV1.startCallreverse(
      user.uuid,
      '+4989000333',
      number,
      30_000,
      `sip:127.0.0.1:${h.sipPort}`,
    );
    await h.services.dialplanV1.callreverse(user.uuid, '+4989000555');

    await nextTo('B');
    const at = trace.length;
    const call = await runSipp({
      scenario: 'uac-call',
      remote: `127.0.0.1:${kamailio!.port}`,
      localPort: h.carrierPort,
      service: number.slice(1),
      vars: { from_user: '+4989000555', hold_ms: '300' },
      timeoutSeconds: 20,
    });
    expect(call.successful, call.errors).toBe(1);
    expect(nodeOf(new RegExp(`^INVITE sip:${number.slice(1)}@`), at)).toBe('B');
    // Node B asked node A, which had nothing ringing; then B rang the phone.
    expect(nodeOf(/^INVITE sip:callreverse@/, at)).toBe('A');
    const answered = await phone.done;
    expect(answered.successful, answered.errors).toBe(1);
  }, 60_000);
});
