/**
 * The contract driver of the embedded adapter: real UDP sockets on
 * loopback; the carrier and every device are SIP phones (sip-phone.ts)
 * with their own RTP sockets; time is real.
 */
import { createHash } from 'node:crypto';
import type { InboundLeg, TelephonyAdapter } from '../../src/telephony/adapter.js';
import { EmbeddedAdapter } from '../../src/telephony/embedded/adapter.js';
import { causeOfSipStatus } from '../../src/errors/sip.js';
import type { SipRequest } from '../../src/telephony/embedded/sip/message.js';
import { parseNameAddr, parseUri } from '../../src/telephony/embedded/sip/uri.js';
import { freePort } from '../helpers/telephony.js';
import type { Account, ContractDriver, Device, FarEnd, FarEnding, FarEvent } from './driver.js';
import { contractPlatform, DOMAIN, type ContractPlatform } from './platform.js';
import { SipPhone, type PhoneCall } from './sip-phone.js';
import { until } from './wait.js';

const FAIL_STATUS = { busy: 486, unavailable: 480, 'not-found': 404 } as const;

function ending(call: PhoneCall): FarEnding | null {
  const e = call.endedWith;
  if (e === null) return null;
  if (e === 'bye') return 'hangup';
  if (e === 'cancel') return 'cancel';
  const name = causeOfSipStatus(e).name;
  return name === 'busy' ||
    name === 'unavailable' ||
    name === 'not-found' ||
    name === 'rejected' ||
    name === 'no-answer'
    ? name
    : 'other';
}

class PhoneFarEnd implements FarEnd {
  constructor(private readonly call: PhoneCall) {}

  waitFor(event: FarEvent): Promise<void> {
    return this.call.waitFor(event);
  }

  saw(event: FarEvent): boolean {
    return this.call.seen.includes(event);
  }

  ending(): FarEnding | null {
    return ending(this.call);
  }

  offered() {
    const req = this.call.request as SipRequest;
    const from = parseNameAddr(req.get('from') ?? '');
    const user = from ? parseUri(from.uri)?.user : null;
    const clir = (req.get('privacy') ?? '').includes('id');
    const pai = parseNameAddr(req.get('p-asserted-identity') ?? '');
    return {
      from: clir || user === 'anonymous' ? null : (user ?? null),
      display: clir ? null : (from?.display ?? null),
      clir,
      assertedIdentity: pai ? (parseUri(pai.uri)?.user ?? null) : null,
      uui: req.get('user-to-user') ?? null,
    };
  }

  ring(): void {
    this.call.ring();
  }

  early(): void {
    this.call.early();
  }

  answer(): void {
    this.call.answer();
  }

  fail(kind: 'busy' | 'unavailable' | 'not-found'): void {
    this.call.fail(FAIL_STATUS[kind]);
  }

  hangup(): void {
    this.call.hangup();
  }

  hold(held: boolean): Promise<void> {
    return this.call.hold(held);
  }

  sendDigits(digits: string): Promise<void> {
    return this.call.sendDigits(digits);
  }

  digits(): string {
    return this.call.digits.join('');
  }

  speak(hz: number, ms: number): Promise<void> {
    return this.call.speak(hz, ms);
  }

  hears(hz: number): Promise<boolean> {
    return this.call.hears(hz);
  }
}

/**
 * A driver whose far ends are SIP phones on loopback talking to the
 * adapter's SIP port (the embedded stack's, or drachtio-server's): the
 * carrier is a phone the adapter trusts as its trunk.
 */
export async function phoneDriver(o: {
  adapter: TelephonyAdapter;
  platform: ContractPlatform;
  carrier: SipPhone;
  sipPort: number;
  nodeUri: string;
  /** Other nodes' adapters (started and stopped with it): their calls in count as the adapter's. */
  nodes?: TelephonyAdapter[];
}): Promise<ContractDriver> {
  const { adapter, platform, carrier } = o;
  const nodes = o.nodes ?? [];
  const inbound: InboundLeg[] = [];
  for (const a of [adapter, ...nodes]) {
    a.signaling.onInbound((leg) => void inbound.push(leg));
    await a.start();
  }
  // The carrier phone was opened before the adapter had its port: point it there now.
  carrier.aim(o.sipPort);
  const phones: SipPhone[] = [carrier];
  return {
    adapter,
    location: platform.location,
    nextInbound: async () => {
      await until(() => inbound.length > 0, 'an inbound leg');
      return inbound.shift()!;
    },
    carrierCall: async (number, opts = {}) =>
      new PhoneFarEnd(
        await carrier.call(number, {
          from: opts.from ?? '+4940999000',
          ...(opts.display !== undefined ? { display: opts.display } : {}),
          ...(opts.clir !== undefined ? { clir: opts.clir } : {}),
        }),
      ),
    nextAtTrunk: async () => new PhoneFarEnd(await carrier.nextCall()),
    nodeUri: () => o.nodeUri,
    device: async (account: Account): Promise<Device> => {
      const phone = await SipPhone.open(o.sipPort);
      phones.push(phone);
      const creds = (password: string) => ({ name: account.name, domain: account.domain, password });
      return {
        register: async (password) => ((await phone.register(creds(password))) === 200 ? 'ok' : 'refused'),
        nextCall: async () => new PhoneFarEnd(await phone.nextCall()),
        watch: async (number) => {
          const status = await phone.subscribe(number, creds(account.password));
          if (status !== 200 && status !== 202) throw new Error(`SUBSCRIBE answered ${status}`);
          return () =>
            phone.notifies
              .filter((n) => n.get('event') === 'dialog')
              .flatMap((n) => [...n.body.toString().matchAll(/<state>(\w+)<\/state>/g)].map((m) => m[1]!));
        },
        watchMailbox: async () => {
          const status = await phone.subscribe(account.name, creds(account.password), 'message-summary');
          if (status !== 200 && status !== 202) throw new Error(`SUBSCRIBE answered ${status}`);
          return () =>
            phone.notifies
              .filter((n) => n.get('event') === 'message-summary')
              .flatMap((n) =>
                [...n.body.toString().matchAll(/Voice-Message: (\d+\/\d+)/g)].map((m) => m[1]!),
              );
        },
        notified: () => phone.notifies.map((n) => n.get('event') ?? ''),
        close: () => phone.close(),
      };
    },
    account: (name, password, watches) => platform.account(name, password, watches),
    setMailbox: (owner, state) => void platform.mailboxes.set(owner, state),
    pass: (ms) => new Promise((r) => setTimeout(r, ms)),
    close: async () => {
      for (const p of phones) await p.close();
      for (const a of [adapter, ...nodes]) await a.stop();
      await platform.close();
    },
  };
}

export async function embeddedDriver(): Promise<ContractDriver> {
  const platform = await contractPlatform();
  const carrier = await SipPhone.open(0, await freePort());
  const rtpMin = 30000 + Math.floor(Math.random() * 50) * 200;
  const adapter = await EmbeddedAdapter.create(
    {
      sipHost: '127.0.0.1',
      sipPort: 0,
      advertisedAddress: '127.0.0.1',
      rtpPorts: { min: rtpMin, max: rtpMin + 199 },
      trunks: [{ host: '127.0.0.1', port: carrier.port }],
      domains: [DOMAIN],
      nonceSecret: createHash('sha256').update('contract').digest(),
      nodeTokenKey: createHash('sha256').update('contract-node').digest(),
      digestAlgorithms: ['MD5'],
      minExpires: 1,
      rtpTimeoutMs: 0,
      recordingDir: `/tmp/callplane-contract-${process.pid}`,
      timers: { T1: 100, T2: 400, T4: 500 },
    },
    platform.env,
  );
  return phoneDriver({
    adapter,
    platform,
    carrier,
    get sipPort() {
      return adapter.sipPort;
    },
    get nodeUri() {
      return `sip:127.0.0.1:${adapter.sipPort}`;
    },
  });
}
