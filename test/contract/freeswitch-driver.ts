/**
 * The contract driver of the drachtio + FreeSWITCH adapter, against
 * servers that run beside the tests (never in `npm test`: neither server
 * is packaged here). Set, as the adapter's own configuration names them:
 *   DRACHTIO_URL=127.0.0.1:9022 DRACHTIO_SECRET=cymru
 *   DRACHTIO_SIP=127.0.0.1:5070   (where phones reach drachtio-server)
 *   FREESWITCH_ESL=127.0.0.1:8021 FREESWITCH_ESL_PASSWORD=ClueCon
 * For the node-target test, a second drachtio-server (drachtio-server will
 * not send a request to its own host):
 *   CONTRACT_NODE_DRACHTIO=127.0.0.1:9023 CONTRACT_NODE_SIP=127.0.0.2:5072
 * The far ends are the same SIP phones as the embedded driver's; their RTP
 * talks to FreeSWITCH.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { FreeswitchAdapter } from '../../src/telephony/freeswitch/adapter.js';
import { freePort } from '../helpers/telephony.js';
import type { ContractDriver } from './driver.js';
import { phoneDriver } from './embedded-driver.js';
import { contractPlatform, DOMAIN } from './platform.js';
import { SipPhone } from './sip-phone.js';

const env = (name: string): string | undefined => process.env[name];

/** Whether the servers are configured (freeswitch.contract.fs.ts refuses to run otherwise). */
export const freeswitchConfigured = (): boolean =>
  env('DRACHTIO_URL') !== undefined && env('FREESWITCH_ESL') !== undefined;

function hostPort(v: string): { host: string; port: number } {
  const [host, port] = v.split(':') as [string, string];
  return { host, port: Number(port) };
}

export async function freeswitchDriver(): Promise<ContractDriver> {
  const platform = await contractPlatform();
  const carrier = await SipPhone.open(0, await freePort());
  const sip = hostPort(env('DRACHTIO_SIP') ?? '127.0.0.1:5070');
  const make = (drachtio: string) =>
    FreeswitchAdapter.create(
      {
        drachtio: { ...hostPort(drachtio), secret: env('DRACHTIO_SECRET') ?? 'cymru' },
        esl: { ...hostPort(env('FREESWITCH_ESL')!), password: env('FREESWITCH_ESL_PASSWORD') ?? 'ClueCon' },
        listen: { address: '127.0.0.1', port: 0 },
        profile: env('FREESWITCH_PROFILE') ?? 'drachtio_mrf',
        trunks: [{ host: '127.0.0.1', port: carrier.port }],
        domains: [DOMAIN],
        nonceSecret: createHash('sha256').update('contract').digest(),
        nodeTokenKey: createHash('sha256').update('contract-node').digest(),
        digestAlgorithms: ['MD5'],
        minExpires: 1,
        recordingDir: path.join(os.tmpdir(), `callplane-fs-contract-${process.pid}`),
      },
      platform.env,
    );
  const adapter = await make(env('DRACHTIO_URL')!);
  // drachtio-server sends no request to its own host: "another node" is a second drachtio-server
  // (CONTRACT_NODE_DRACHTIO, its SIP address CONTRACT_NODE_SIP) with an adapter of its own.
  const nodeDrachtio = env('CONTRACT_NODE_DRACHTIO');
  const nodeSip = env('CONTRACT_NODE_SIP');
  const node = nodeDrachtio && nodeSip ? await make(nodeDrachtio) : null;
  return phoneDriver({
    adapter,
    platform,
    carrier,
    sipPort: sip.port,
    nodeUri: node && nodeSip ? `sip:${nodeSip}` : `sip:${sip.host}:${sip.port}`,
    ...(node ? { nodes: [node] } : {}),
  });
}
