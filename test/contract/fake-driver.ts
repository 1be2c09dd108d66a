/**
 * The contract driver of the in-memory fake adapter: far ends are the fake
 * legs seen from the network side; time is the fake clock.
 */
import { vi } from 'vitest';
import type { InboundLeg, Leg } from '../../src/telephony/adapter.js';
import type { EndCause } from '../../src/telephony/causes.js';
import { FakeAdapter, FakeInboundLeg, type FakeOutboundLeg } from '../fakes/fake-adapter.js';
import type { Account, ContractDriver, Device, FarEnd, FarEnding, FarEvent } from './driver.js';
import { contractPlatform } from './platform.js';
import { until } from './wait.js';

function ending(
  cause: EndCause | null,
  by: 'local' | 'remote' | null,
  answered: boolean,
  isCaller: boolean,
): FarEnding {
  if (!cause) return 'other';
  // The far end hung up itself, or the adapter ended an answered call: a hang-up either way.
  if (answered) return 'hangup';
  if (by === 'local' && !isCaller) return 'cancel';
  switch (cause.name) {
    case 'busy':
    case 'unavailable':
    case 'not-found':
    case 'rejected':
    case 'no-answer':
      return cause.name;
    default:
      return 'other';
  }
}

class FakeFarEnd implements FarEnd {
  private readonly events: FarEvent[] = [];
  private wasAnswered = false;

  constructor(
    private readonly adapter: FakeAdapter,
    private readonly leg: FakeInboundLeg | FakeOutboundLeg,
    private readonly pass: (ms: number) => Promise<void>,
  ) {
    leg.on('progress', (k) => this.events.push(k));
    leg.on('answered', () => {
      this.wasAnswered = true;
      this.events.push('answered');
    });
    leg.on('ended', () => this.events.push('ended'));
  }

  private get isCaller(): boolean {
    return this.leg instanceof FakeInboundLeg;
  }

  async waitFor(event: FarEvent): Promise<void> {
    await until(() => this.events.includes(event), `far end ${event}`);
  }

  saw(event: FarEvent): boolean {
    return this.events.includes(event);
  }

  ending(): FarEnding | null {
    if (this.leg.state !== 'ended') return null;
    return ending(this.leg.endCause, this.leg.endedBy, this.wasAnswered, this.isCaller);
  }

  offered() {
    const req = (this.leg as FakeOutboundLeg).request;
    return {
      from: req.from.clir ? null : req.from.number,
      display: req.from.clir ? null : req.from.display,
      clir: req.from.clir,
      assertedIdentity: req.assertedIdentity ?? null,
      uui: req.uui ?? null,
    };
  }

  ring(): void {
    (this.leg as FakeOutboundLeg).ring();
  }

  early(): void {
    (this.leg as FakeOutboundLeg).early();
  }

  answer(): void {
    (this.leg as FakeOutboundLeg).answer();
  }

  fail(kind: 'busy' | 'unavailable' | 'not-found'): void {
    (this.leg as FakeOutboundLeg).fail(kind);
  }

  hangup(): void {
    this.leg.remoteHangup();
  }

  async hold(held: boolean): Promise<void> {
    this.leg.hold(held);
  }

  async sendDigits(digits: string): Promise<void> {
    this.adapter.media.digits(this.leg, digits);
  }

  digits(): string {
    return this.leg.digitsSent.join('');
  }

  async speak(hz: number, ms: number): Promise<void> {
    this.leg.saying = hz;
    await this.pass(ms);
    this.leg.saying = null;
  }

  async hears(hz: number): Promise<boolean> {
    const heard = (l: Leg) => {
      const playing = this.adapter.media.nowPlaying(l);
      if (playing?.some((s) => s.kind === 'tone' && s.frequencies.includes(hz))) return true;
      const peer = this.adapter.media.bridgedWith(l);
      if ((peer as { saying?: unknown } | null)?.saying === hz) return true;
      // In a conference room: everybody else who is not muted, unless deaf.
      const member = this.adapter.conference.memberOf(l);
      if (!member || member.mix.deaf) return false;
      return [...member.room.members].some(
        (m) => m !== member && !m.mix.mute && (m.leg as { saying?: unknown }).saying === hz,
      );
    };
    return until(() => heard(this.leg), 'tone').then(
      () => true,
      () => false,
    );
  }
}

export async function fakeDriver(): Promise<ContractDriver> {
  const platform = await contractPlatform();
  const adapter = new FakeAdapter({
    location: platform.location,
    accounts: platform.env.accounts,
    media: platform.env.media,
  });
  const inbound: InboundLeg[] = [];
  adapter.signaling.onInbound((leg) => void inbound.push(leg));
  await adapter.start();
  const pass = (ms: number) => vi.advanceTimersByTimeAsync(ms).then(() => undefined);
  let trunkSeen = 0;
  let devices = 0;
  return {
    adapter,
    location: platform.location,
    nextInbound: async () => {
      await until(() => inbound.length > 0, 'an inbound leg');
      return inbound.shift()!;
    },
    carrierCall: async (number, opts = {}) => {
      const leg = adapter.dialIn({
        called: number,
        caller: {
          number: opts.clir ? null : (opts.from ?? '+4940999000'),
          display: opts.display ?? null,
          clir: opts.clir ?? false,
        },
      });
      return new FakeFarEnd(adapter, leg, pass);
    },
    nextAtTrunk: async () => {
      for (;;) {
        const leg = await adapter.nextOutbound(trunkSeen);
        trunkSeen = adapter.outbound.indexOf(leg) + 1;
        if (leg.target.kind === 'trunk') return new FakeFarEnd(adapter, leg, pass);
      }
    },
    nodeUri: () => adapter.nodeUri,
    device: async (account: Account): Promise<Device> => {
      const contact = `sip:${account.name}@192.0.2.${30 + ++devices}:5060`;
      let seen = 0;
      return {
        register: (password) => adapter.register(account.name, password, contact),
        nextCall: async () => {
          await until(
            () => adapter.outbound.slice(seen).some((l) => adapter.contactOf.get(l) === contact),
            'a call to the device',
          );
          const leg = adapter.outbound.slice(seen).find((l) => adapter.contactOf.get(l) === contact)!;
          seen = adapter.outbound.indexOf(leg) + 1;
          return new FakeFarEnd(adapter, leg, pass);
        },
        watch: async (number) => () =>
          adapter.presenceUpdates.filter((u) => u.number === number).map((u) => u.info.state),
        watchMailbox: async () => {
          const first = await platform.env.mailboxes.summary(account.owner);
          const text = (s: { newMessages: number; oldMessages: number }) =>
            `${s.newMessages}/${s.oldMessages}`;
          return () => [
            text(first),
            ...adapter.mailboxUpdates.filter((u) => u.owner === account.owner).map((u) => text(u.state)),
          ];
        },
        notified: () => adapter.notifies.filter((x) => x.account === account.name).map((x) => x.req.event),
        close: async () => undefined,
      };
    },
    account: (name, password, watches) => platform.account(name, password, watches),
    setMailbox: (owner, state) => void platform.mailboxes.set(owner, state),
    pass,
    close: async () => {
      await adapter.stop();
      await platform.close();
    },
  };
}
