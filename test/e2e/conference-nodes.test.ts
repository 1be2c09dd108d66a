/**
 * A conference across two telephony nodes (issue 17, cluster-safe): two
 * embedded nodes in this process share the Redis and the database, with
 * their own NODE_ID, SIP port and RTP ports. A sipp caller on the first
 * node opens the room there; a caller whose call lands on the second node
 * keys the same PIN and is sent over a SIP leg to the first (its pass signed
 * with SECRET_KEY), which mixes both: each hears the other's tone and not
 * its own. The remote caller is a member like any other (conference_join
 * with its number); kicking it ends the leg between the nodes and, with a
 * BYE, its call. Only the callers' nodes write CDRs (service conference).
 * A call to a node with a bad, tampered or expired pass is refused (403).
 */
import dgram from 'node:dgram';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/index.js';
import { makeNodeToken, nodeTokenKey } from '../../src/lib/node-token.js';
import { connectRedis } from '../../src/lib/redis.js';
import { createServices, type Services } from '../../src/services/index.js';
import { adapterEnvironment, embeddedOptions } from '../../src/telephony/adapters.js';
import { EmbeddedAdapter } from '../../src/telephony/embedded/adapter.js';
import { silentLogger } from '../../src/telephony/engine/logger.js';
import { startTelephonyNode, type TelephonyNode } from '../../src/telephony/node.js';
import { updatePhone, userWithNumbers } from '../helpers/provision.js';
import { RtpPeer, toneShare } from '../helpers/rtp-peer.js';
import { freeUdpPort, SIPP_AVAILABLE, startSipp, type SippHandle } from '../helpers/sipp.js';
import { createTelephonyHarness, eventually, freePort, type TelephonyHarness } from '../helpers/telephony.js';

let h: TelephonyHarness;
// The second telephony node: its own services on its own Redis connection, the same database.
let redisB: Redis;
let servicesB: Services;
let nodeB: TelephonyNode;
let configB: Config;
const peers: RtpPeer[] = [];
const sipps: SippHandle[] = [];

beforeAll(async () => {
  // Every port of 127.0.0.1 is the carrier (the sipp callers), on both nodes.
  h = await createTelephonyHarness({ SIP_TRUNK: '127.0.0.1', NODE_ID: 'conf-node-a' });
  const sipPort = await freePort();
  const rtpMin = h.config.rtpPorts.max + 1;
  configB = {
    ...h.config,
    nodeId: 'conf-node-b',
    sipPort,
    nodeSipUri: `sip:127.0.0.1:${sipPort}`,
    rtpPorts: { min: rtpMin, max: rtpMin + 99 },
  };
  redisB = await connectRedis(configB.redisUrl);
  servicesB = createServices({ config: configB, db: h.services.db, redis: redisB });
  const adapter = await EmbeddedAdapter.create(
    embeddedOptions(configB),
    adapterEnvironment(servicesB, silentLogger),
  );
  nodeB = await startTelephonyNode(servicesB, configB, adapter, { log: silentLogger, sweepMs: 250 });
});
afterAll(async () => {
  for (const s of sipps) s.kill();
  for (const p of peers) p.close();
  await nodeB?.stop();
  await servicesB?.close();
  redisB?.disconnect();
  await h?.close();
});

async function caller(
  sipPort: number,
  number: string,
  from: string,
  holdMs = 35_000,
): Promise<{ peer: RtpPeer; sipp: SippHandle }> {
  const peer = await RtpPeer.open();
  peers.push(peer);
  const sipp = startSipp({
    scenario: 'uac-call',
    remote: `127.0.0.1:${sipPort}`,
    localPort: await freeUdpPort(),
    service: number.slice(1),
    timeoutSeconds: 40,
    // Stays until kicked (the scenario answers the engine's BYE), or hangs up after holdMs.
    vars: { from_user: from, rtp_port: String(peer.port), hold_ms: String(holdMs) },
  });
  sipps.push(sipp);
  return { peer, sipp };
}

/** Sends one INVITE to `port` and answers the status of the first final response. */
async function inviteStatus(port: number, headers: Record<string, string>): Promise<number> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const local = sock.address().port;
  const branch = `z9hG4bK${Math.random().toString(36).slice(2)}`;
  const sdp = [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${local + 1} RTP/AVP 8`,
    'a=rtpmap:8 PCMA/8000',
    '',
  ].join('\r\n');
  const lines = [
    `INVITE sip:conference@127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=${branch}`,
    'Max-Forwards: 70',
    `From: <sip:+492215550299@127.0.0.1>;tag=t${branch}`,
    `To: <sip:conference@127.0.0.1:${port}>`,
    `Call-ID: ${branch}@127.0.0.1`,
    'CSeq: 1 INVITE',
    `Contact: <sip:+492215550299@127.0.0.1:${local}>`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(sdp)}`,
    '',
    sdp,
  ];
  try {
    return await new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no final response')), 10_000);
      sock.on('message', (msg) => {
        const status = Number(/^SIP\/2\.0 (\d{3})/.exec(msg.toString())?.[1]);
        if (status >= 200) {
          clearTimeout(t);
          resolve(status);
        }
      });
      sock.send(lines.join('\r\n'), port, '127.0.0.1');
    });
  } finally {
    sock.close();
  }
}

describe.skipIf(!SIPP_AVAILABLE)('conference across two telephony nodes (sipp callers)', () => {
  it('a caller on the other node is bridged to the mixing node: both hear each other, it is a member, a kick ends its call', async () => {
    const { user, numbers } = await userWithNumbers(h);
    const number = numbers[0]!;
    await updatePhone(h, user.sid, number, {
      conference_enable: true,
      fax_enable: false,
      recording_enable: false,
    });
    const created = await h.call('POST', '/api/conference', {
      sid: user.sid,
      body: { description: 'two nodes', pin: '4711', active: true },
    });
    const uuid = (created['uuid'] as string).toLowerCase();
    const roomsA = h.telephony.conferences!;
    const roomsB = nodeB.conferences!;
    // The owner follows the conference (member events go to subscribers).
    expect(await h.call('GET', `/api/conference/${uuid}/event`, { sid: user.sid })).toEqual({
      status: 'ok',
      busy: false,
    });
    const first = (await h.call('GET', '/api/session', { sid: user.sid }))['next_event'] as number;

    // The first caller lands on node A and opens the room there.
    const a = await caller(h.sipPort, number, '+492215550301');
    await eventually(async () => a.peer.audioPackets().length > 5, 'caller A hears the PIN prompt', 15_000);
    a.peer.send(440);
    a.peer.digits('4711');
    await eventually(
      async () => (roomsA.rooms.get(uuid)?.size ?? 0) === 1,
      'caller A in the room on node A',
      15_000,
    );
    const live = await h.services.conferenceLive.room(uuid);
    expect(live).toMatchObject({ node: h.telephony.journal.process, contact: `sip:127.0.0.1:${h.sipPort}` });

    // The second lands on node B: same PIN, mixed on node A.
    const b = await caller(configB.sipPort, number, '+492215550302');
    await eventually(async () => b.peer.audioPackets().length > 5, 'caller B hears the PIN prompt', 15_000);
    b.peer.send(880);
    b.peer.digits('4711');
    const room = roomsA.rooms.get(uuid)!;
    await eventually(async () => room.size === 2, 'caller B in the room on node A', 15_000);
    expect(roomsB.rooms.size).toBe(0);
    const idOf = (phone: string): string | undefined =>
      Object.entries(room.members).find(([, m]) => m.phone === phone)?.[0];
    const idA = idOf('+492215550301');
    const idB = idOf('+492215550302');
    expect(idB, JSON.stringify(room.members)).toBeDefined();

    // Each hears the other's tone and not its own (after the join tone).
    await new Promise((r) => setTimeout(r, 500));
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 1500));
    const t1 = Date.now();
    const heardA = a.peer.audio(t0, t1);
    const heardB = b.peer.audio(t0, t1);
    expect(heardA.length).toBeGreaterThan(8000 * 0.8);
    expect(heardB.length).toBeGreaterThan(8000 * 0.8);
    const shares = {
      a440: toneShare(heardA, 440),
      a880: toneShare(heardA, 880),
      b440: toneShare(heardB, 440),
      b880: toneShare(heardB, 880),
    };
    expect(shares.a880, JSON.stringify(shares)).toBeGreaterThan(0.5);
    expect(shares.a440, JSON.stringify(shares)).toBeLessThan(0.02);
    expect(shares.b440, JSON.stringify(shares)).toBeGreaterThan(0.5);
    expect(shares.b880, JSON.stringify(shares)).toBeLessThan(0.02);

    // Kicking the remote caller (through node B's API: Redis reaches node A): its call gets a BYE.
    const appB = await h.newApp(servicesB);
    const kick = await h.call('POST', `/api/conference/${uuid}/member`, {
      sid: user.sid,
      app: appB,
      body: { delete: [idB] },
    });
    expect(kick).toEqual({ status: 'ok' });
    const kicked = await b.sipp.done;
    expect(kicked.stats['remote_bye(C)']).toBe('1');
    expect(kicked.successful, kicked.errors).toBe(1);
    await eventually(async () => room.size === 1, 'caller A alone');
    // Node B's legs are gone: the caller's and the one to node A.
    await eventually(async () => nodeB.engine.activeCalls === 0, 'no call left on node B');

    // A remote caller hanging up: the leg between the nodes ends, it leaves the room on node A.
    const c = await caller(configB.sipPort, number, '+492215550303', 10_000);
    await eventually(async () => c.peer.audioPackets().length > 5, 'caller C hears the PIN prompt', 15_000);
    c.peer.send(1320);
    c.peer.digits('4711');
    await eventually(async () => room.size === 2, 'caller C in the room on node A', 15_000);
    const idC = idOf('+492215550303');
    const hungUp = await c.sipp.done;
    expect(hungUp.successful, hungUp.errors).toBe(1);
    await eventually(async () => room.size === 1, 'caller C left the room on node A');
    await eventually(async () => nodeB.engine.activeCalls === 0, 'no call left on node B again');

    await h.call('POST', `/api/conference/${uuid}/member`, {
      sid: user.sid,
      body: { delete: [idA] },
    });
    const done = await a.sipp.done;
    expect(done.stats['remote_bye(C)']).toBe('1');
    await eventually(async () => room.closed, 'the room ends');

    // The owner's events: the remote caller joined and left like a local one.
    const seen: Array<Record<string, any>> = [];
    let at = first;
    await eventually(
      async () => {
        const r = await h.call('GET', `/api/event?next=${at}&timeout=1`, { sid: user.sid });
        seen.push(...(r.event as Array<Record<string, any>>));
        at = r.next as number;
        return seen.some((e) => e.event === 'conference_stop');
      },
      'conference_stop',
      15_000,
    );
    const joins = seen.filter((e) => e.event === 'conference_join' && e.conference === uuid);
    expect(joins.map((e) => Object.values(e.member as Record<string, { phone: string }>)[0]!.phone)).toEqual([
      '+492215550301',
      '+492215550302',
      '+492215550303',
    ]);
    expect(seen.filter((e) => e.event === 'conference_leave').map((e) => e.member[0])).toEqual([
      idB,
      idC,
      idA,
    ]);

    // Three CDRs, one per caller, each written by the caller's node; the legs between the nodes wrote none.
    const cdrs = await eventually(async () => {
      const rows = await h.services.db.selectFrom('cdrs').selectAll().where('phone', '=', number).execute();
      return rows.length >= 3 ? rows : null;
    }, 'three CDRs');
    await new Promise((r) => setTimeout(r, 500));
    const all = await h.services.db.selectFrom('cdrs').selectAll().where('user_id', '=', user.uuid).execute();
    expect(all.length, JSON.stringify(all)).toBe(3);
    for (const r of cdrs as Array<Record<string, unknown>>) {
      expect(r).toMatchObject({ service: 'conference', conference_id: uuid });
    }
  }, 90_000);

  it('a call to a node with a bad, tampered or expired pass is refused with 403', async () => {
    const { user } = await userWithNumbers(h);
    const created = await h.call('POST', '/api/conference', {
      sid: user.sid,
      body: { pin: '1357', active: true },
    });
    const uuid = (created['uuid'] as string).toLowerCase();
    const key = nodeTokenKey(h.config.secretKey);
    const expired = makeNodeToken(key, { conference: uuid, language: 'en' }, Date.now() - 120_000);
    const valid = makeNodeToken(key, { conference: uuid, language: 'en' }, Date.now());
    const tampered = valid.replace(/^[0-9a-f]/, (c) => (c === 'a' ? 'b' : 'a'));
    const foreign = makeNodeToken(
      nodeTokenKey(Buffer.alloc(32, 7)),
      { conference: uuid, language: 'en' },
      Date.now(),
    );
    for (const token of ['garbage', expired, tampered, foreign]) {
      expect(await inviteStatus(h.sipPort, { 'X-Callplane-Join': token }), token).toBe(403);
    }
    // The node still serves calls (no crash): a node call for a conference that is gone is refused as not found.
    const gone = makeNodeToken(
      key,
      { conference: '00000000-0000-4000-8000-000000000000', language: 'en' },
      Date.now(),
    );
    expect(await inviteStatus(h.sipPort, { 'X-Callplane-Join': gone })).toBe(404);
    expect(h.telephony.conferences!.rooms.has(uuid)).toBe(false);
  }, 30_000);
});
