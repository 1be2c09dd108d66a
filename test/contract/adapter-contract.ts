/**
 * The adapter contract: every operation the call engine uses, as the engine
 * relies on it, driven from the network side. Each adapter runs it through
 * its driver: the in-memory fake (fake clock) and the embedded SIP/RTP
 * stack (real sockets, a SIP phone on UDP); drachtio + FreeSWITCH later.
 */
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaError, type InboundLeg, type OutboundLeg } from '../../src/telephony/adapter.js';
import { CAUSE } from '../../src/telephony/causes.js';
import type { ContractDriver, FarEnd } from './driver.js';
import { until } from './wait.js';

const FROM = { number: '+4930123456', display: 'Alice', clir: false };

export function adapterContract(name: string, make: () => Promise<ContractDriver>): void {
  /** Where a received fax would go (nothing arrives in these tests). */
  const faxOutput = () => path.join(os.tmpdir(), `contract-fax-${process.pid}-${Date.now()}.tif`);

  describe(`telephony adapter contract: ${name}`, () => {
    let d: ContractDriver;
    let n = 0;
    beforeAll(async () => {
      d = await make();
    });
    afterAll(async () => {
      await d?.close();
    });

    /** Lets time pass (up to `ms`) until `p` settles; its value. */
    async function within<T>(p: Promise<T>, ms: number): Promise<T> {
      let out: { value: T } | null = null;
      void p.then((value) => (out = { value }));
      for (let t = 0; t < ms && !out; t += 100) await d.pass(100);
      await until(() => out !== null, 'settled in time');
      return out!.value;
    }

    /** A carrier call delivered and answered on both sides. */
    async function answeredInbound(): Promise<{ leg: InboundLeg; far: FarEnd }> {
      const far = await d.carrierCall(`4930900${String(++n).padStart(4, '0')}`);
      const leg = await d.nextInbound();
      await leg.answer();
      await far.waitFor('answered');
      return { leg, far };
    }

    /** A trunk leg answered on both sides. */
    async function answeredOutbound(): Promise<{ leg: OutboundLeg; far: FarEnd }> {
      const leg = d.adapter.signaling.originate({
        call: `contract-${++n}`,
        target: { kind: 'trunk', number: '+4930700001' },
        from: FROM,
      });
      const far = await d.nextAtTrunk();
      far.answer();
      await until(() => leg.state === 'answered', 'outbound answered');
      return { leg, far };
    }

    describe('calls in', () => {
      it('delivers the caller and the dialled number; ring, answer, and the far end hanging up', async () => {
        const far = await d.carrierCall('49309001111', { from: '+4940111222', display: 'Bob' });
        const leg = await d.nextInbound();
        expect(leg.info).toMatchObject({ origin: 'trunk', account: null, called: '49309001111' });
        expect(leg.info.caller).toEqual({ number: '+4940111222', display: 'Bob', clir: false });
        expect(leg.call).toMatch(/^[0-9a-f-]{36}$/);
        const progress: string[] = [];
        leg.on('progress', (k) => progress.push(k));
        leg.ring();
        await far.waitFor('ringing');
        expect(progress).toEqual(['ringing']);
        await leg.answer();
        expect(leg.state).toBe('answered');
        await far.waitFor('answered');
        far.hangup();
        await until(() => leg.state === 'ended', 'ended by the far end');
        expect(leg.endCause?.q850).toBe(16);
      });

      it('a caller who hides the number (CLIR) has none', async () => {
        await d.carrierCall('49309001112', { from: '+4940111222', clir: true });
        const leg = await d.nextInbound();
        expect(leg.info.caller.clir).toBe(true);
        expect(leg.info.caller.number).toBeNull();
        leg.reject(CAUSE.rejected);
      });

      it('refusals reach the caller as what they are: busy, not found', async () => {
        const busy = await d.carrierCall('49309001113');
        (await d.nextInbound()).reject(CAUSE.busy);
        await busy.waitFor('ended');
        expect(busy.ending()).toBe('busy');
        const missing = await d.carrierCall('49309001114');
        (await d.nextInbound()).reject(CAUSE.notFound);
        await missing.waitFor('ended');
        expect(missing.ending()).toBe('not-found');
      });

      it('a caller who gives up before the answer ends the leg as cancelled, by the far end', async () => {
        const far = await d.carrierCall('49309001115');
        const leg = await d.nextInbound();
        leg.ring();
        await far.waitFor('ringing');
        const ended = new Promise<[string | undefined, string]>((r) =>
          leg.once('ended', (c, by) => r([c.name, by])),
        );
        far.hangup();
        expect(await ended).toEqual(['cancelled', 'remote']);
      });

      it('early media: the caller hears what is played before the answer', async () => {
        const far = await d.carrierCall('49309001116');
        const leg = await d.nextInbound();
        expect(await leg.earlyMedia()).toBe(true);
        await far.waitFor('early');
        expect(leg.state).not.toBe('answered');
        d.adapter.media.play(leg, [{ kind: 'tone', frequencies: [1000], durationMs: 2000 }]);
        expect(await far.hears(1000)).toBe(true);
        leg.hangup();
        await far.waitFor('ended');
      });

      it('hanging up an answered leg ends the far end', async () => {
        const { leg, far } = await answeredInbound();
        leg.hangup(CAUSE.normal);
        await far.waitFor('ended');
        expect(far.ending()).toBe('hangup');
        expect(leg.endCause?.q850).toBe(16);
      });
    });

    describe('calls out', () => {
      it('a node target reaches that node as a node leg with the join and the caller; answer and hang-up cross', async () => {
        const join = { conference: '0f8e2b6a-1c3d-4e5f-9a7b-112233445566', language: 'de' };
        for (const endedBy of ['caller', 'node'] as const) {
          const out = d.adapter.signaling.originate({
            call: `contract-node-${endedBy}`,
            target: { kind: 'node', uri: d.nodeUri(), join },
            from: FROM,
          });
          const inb = await d.nextInbound();
          expect(inb.info).toMatchObject({ origin: 'node', account: null, join });
          expect(inb.info.caller).toMatchObject({ number: FROM.number, clir: false });
          await inb.answer();
          await until(() => out.state === 'answered', 'the node leg answered');
          if (endedBy === 'caller') out.hangup();
          else inb.hangup();
          const other = endedBy === 'caller' ? inb : out;
          await until(() => other.state === 'ended', 'the other side ended');
          expect(other.endCause?.q850).toBe(16);
        }
      });

      it('offers the caller, the asserted identity and user-to-user data; ringing, early media, answer', async () => {
        const leg = d.adapter.signaling.originate({
          call: 'contract-out-1',
          target: { kind: 'trunk', number: '+4930700002' },
          from: FROM,
          assertedIdentity: '+4930123000',
          uui: '04A1B2C3',
        });
        expect(leg.call).toBe('contract-out-1');
        const far = await d.nextAtTrunk();
        expect(far.offered()).toEqual({
          from: '+4930123456',
          display: 'Alice',
          clir: false,
          assertedIdentity: '+4930123000',
          uui: '04A1B2C3',
        });
        const progress: string[] = [];
        leg.on('progress', (k) => progress.push(k));
        far.ring();
        await until(() => progress.length === 1, 'ringing');
        far.early();
        await until(() => progress.length === 2, 'early media');
        expect(progress).toEqual(['ringing', 'early']);
        far.answer();
        await until(() => leg.state === 'answered', 'answered');
        leg.hangup();
        await far.waitFor('ended');
        expect(far.ending()).toBe('hangup');
      });

      it('a hidden caller is offered as anonymous', async () => {
        const leg = d.adapter.signaling.originate({
          call: 'contract-out-2',
          target: { kind: 'trunk', number: '+4930700003' },
          from: { number: '+4930123456', display: null, clir: true },
        });
        const far = await d.nextAtTrunk();
        expect(far.offered()).toMatchObject({ from: null, clir: true });
        leg.hangup();
      });

      it.each([
        ['busy', 'busy'],
        ['unavailable', 'unavailable'],
        ['not-found', 'not-found'],
      ] as const)('a far end that answers %s ends the leg with that cause', async (kind, cause) => {
        const leg = d.adapter.signaling.originate({
          call: `contract-fail-${kind}`,
          target: { kind: 'trunk', number: '+4930700004' },
          from: FROM,
        });
        const far = await d.nextAtTrunk();
        far.fail(kind);
        await until(() => leg.state === 'ended', 'ended');
        expect(leg.endCause?.name).toBe(cause);
      });

      it('hanging up while it rings cancels the far end', async () => {
        const leg = d.adapter.signaling.originate({
          call: 'contract-cancel',
          target: { kind: 'trunk', number: '+4930700005' },
          from: FROM,
        });
        const far = await d.nextAtTrunk();
        far.ring();
        await until(() => leg.state === 'ringing', 'ringing');
        leg.hangup(CAUSE.cancelled);
        expect(leg.state).toBe('ended');
        await far.waitFor('ended');
        expect(far.ending()).toBe('cancel');
      });

      it('an account rings every registered device, the first to answer wins; none registered: unavailable', async () => {
        const acc = d.account('contract_01', 'secret-01');
        const nobody = d.adapter.signaling.originate({
          call: 'contract-acc-0',
          target: { kind: 'account', account: acc.name },
          from: FROM,
        });
        await until(() => nobody.state === 'ended', 'no device');
        expect(nobody.endCause?.name).toBe('unavailable');
        const one = await d.device(acc);
        const two = await d.device(acc);
        expect(await one.register('secret-01')).toBe('ok');
        expect(await two.register('secret-01')).toBe('ok');
        const leg = d.adapter.signaling.originate({
          call: 'contract-acc-1',
          target: { kind: 'account', account: acc.name },
          from: FROM,
        });
        const [a, b] = await Promise.all([one.nextCall(), two.nextCall()]);
        a.ring();
        b.ring();
        await until(() => leg.state === 'ringing', 'ringing');
        b.answer();
        await until(() => leg.state === 'answered', 'answered');
        await a.waitFor('ended');
        expect(a.ending()).toBe('cancel');
        leg.hangup();
        await b.waitFor('ended');
        await one.close();
        await two.close();
      });
    });

    describe('registration', () => {
      it('a device with the right password is bound in the location store, a wrong one is refused', async () => {
        const acc = d.account('contract_02', 'secret-02');
        const dev = await d.device(acc);
        expect(await dev.register('not-the-password')).toBe('refused');
        expect(await d.location.bindings(acc.name)).toEqual([]);
        expect(await dev.register('secret-02')).toBe('ok');
        expect(await d.location.bindings(acc.name)).toHaveLength(1);
        await dev.close();
      });
    });

    describe('media', () => {
      it('bridges two answered legs: each far end hears the other', async () => {
        const a = await answeredInbound();
        const b = await answeredOutbound();
        const bridge = await d.adapter.media.bridge(a.leg, b.leg);
        void a.far.speak(440, 1500);
        expect(await b.far.hears(440)).toBe(true);
        void b.far.speak(880, 1500);
        expect(await a.far.hears(880)).toBe(true);
        await bridge.unbridge();
        a.leg.hangup();
        b.leg.hangup();
      });

      it('refuses to bridge a leg without media', async () => {
        const a = await answeredInbound();
        const far = await d.carrierCall('49309002222');
        const waiting = await d.nextInbound();
        await expect(d.adapter.media.bridge(a.leg, waiting)).rejects.toBeInstanceOf(MediaError);
        waiting.reject(CAUSE.busy);
        await far.waitFor('ended');
        a.leg.hangup();
      });

      it('a fax needs an answered leg; one whose far end hangs up ends fail with the T.30 call-dropped code', async () => {
        const far = await d.carrierCall('49309003333');
        const waiting = await d.nextInbound();
        expect(() =>
          d.adapter.media.fax(waiting, { direction: 'receive', ident: '+49309003333', output: faxOutput() }),
        ).toThrow(MediaError);
        waiting.reject(CAUSE.busy);
        await far.waitFor('ended');
        const a = await answeredInbound();
        const fax = d.adapter.media.fax(a.leg, {
          direction: 'receive',
          ident: '+49309003333',
          output: faxOutput(),
          t38: false,
        });
        await d.pass(200);
        a.far.hangup();
        const outcome = await within(fax.done, 5000);
        expect(outcome).toMatchObject({ status: 'fail', faxErrorCode: 49, pagesDone: 0 });
        expect(a.leg.state).toBe('ended');
      });

      it('plays a tone, then a stored prompt to the end; a missing medium ends the playback as failed', async () => {
        const { leg, far } = await answeredInbound();
        const tone = d.adapter.media.play(leg, [{ kind: 'tone', frequencies: [1200], durationMs: 600 }]);
        expect(await far.hears(1200)).toBe(true);
        expect(await within(tone.done, 2000)).toBe('finished');
        const prompt = d.adapter.media.play(leg, [
          { kind: 'media', ref: { kind: 'prompt', name: 'enter-pin', language: 'en' } },
        ]);
        expect(await within(prompt.done, 10_000)).toBe('finished');
        const missing = d.adapter.media.play(leg, [
          { kind: 'media', ref: { kind: 'announcement', uuid: '00000000-0000-1000-8000-000000000000' } },
        ]);
        expect(await within(missing.done, 2000)).toBe('failed');
        leg.hangup();
      });

      it('records what the far end says', async () => {
        const { leg, far } = await answeredInbound();
        const rec = d.adapter.media.record(leg, { maxSeconds: 10 });
        await far.speak(700, 1200);
        rec.stop();
        const r = await rec.done;
        expect(r.reason).toBe('stopped');
        expect(r.silenceOnly).toBe(false);
        expect(r.durationMs).toBeGreaterThanOrEqual(1000);
        expect(r.media).not.toBeNull();
        await r.media?.discard();
        leg.hangup();
      });

      it('takes the far end’s digits and sends digits to it', async () => {
        const { leg, far } = await answeredInbound();
        const got: string[] = [];
        const off = d.adapter.media.onDtmf(leg, (e) => got.push(e.digit));
        await far.sendDigits('1#');
        await until(() => got.length === 2, 'two digits');
        expect(got).toEqual(['1', '#']);
        off();
        await within(d.adapter.media.sendDtmf(leg, '25', { durationMs: 100, pauseMs: 60 }), 2000);
        await until(() => far.digits() === '25', 'digits at the far end');
        leg.hangup();
      });

      it('recognises the fax calling tone (CNG, 1100 Hz) the far end sends, once', async () => {
        const { leg, far } = await answeredInbound();
        let heard = 0;
        const off = d.adapter.media.onTone(leg, 'fax-cng', () => (heard += 1));
        await far.speak(1100, 800);
        await d.pass(200);
        await until(() => heard > 0, 'CNG recognised');
        await far.speak(1100, 800);
        expect(heard).toBe(1);
        off();
        leg.hangup();
      });

      it('mixes answered legs in a conference room: each hears the others; a leg without media is refused', async () => {
        const conference = d.adapter.conference;
        expect(conference).toBeDefined();
        const a = await answeredInbound();
        const b = await answeredInbound();
        const c = await answeredOutbound();
        const room = conference!.createRoom(() => undefined);
        const mix = { mute: false, deaf: false, volumeIn: 0, volumeOut: 0 };
        const ma = conference!.attach(room, a.leg, mix);
        const mb = conference!.attach(room, b.leg, mix);
        const mc = conference!.attach(room, c.leg, mix);
        void a.far.speak(440, 1500);
        expect(await b.far.hears(440)).toBe(true);
        expect(await c.far.hears(440)).toBe(true);
        void c.far.speak(880, 1500);
        expect(await a.far.hears(880)).toBe(true);
        for (const m of [ma, mb, mc]) m.leave();
        room.close();
        const far = await d.carrierCall('49309003333');
        const waiting = await d.nextInbound();
        expect(() =>
          conference!.attach(
            conference!.createRoom(() => undefined),
            waiting,
            mix,
          ),
        ).toThrow(MediaError);
        waiting.reject(CAUSE.busy);
        await far.waitFor('ended');
        for (const l of [a.leg, b.leg, c.leg]) l.hangup();
      });

      it('tells when the far end holds the call and takes it back', async () => {
        const { leg, far } = await answeredInbound();
        const holds: boolean[] = [];
        leg.on('hold', (h) => holds.push(h));
        await far.hold(true);
        await until(() => holds.length === 1, 'hold');
        await far.hold(false);
        await until(() => holds.length === 2, 'unhold');
        expect(holds).toEqual([true, false]);
        leg.hangup();
      });
    });

    describe('crash recovery', () => {
      it('an answered leg’s snapshot lets another process end its far end; none before the answer', async () => {
        const far = await d.carrierCall('49309003333');
        const leg = await d.nextInbound();
        expect(d.adapter.recovery.snapshot(leg)).toBeNull();
        await leg.answer();
        await far.waitFor('answered');
        const snapshot = d.adapter.recovery.snapshot(leg);
        expect(snapshot).not.toBeNull();
        // A JSON round trip: the snapshot lives in Redis between the processes.
        await d.adapter.recovery.terminate(JSON.parse(JSON.stringify(snapshot)) as typeof snapshot & object, {
          q850: 41,
        });
        await far.waitFor('ended');
        expect(far.ending()).toBe('hangup');
        leg.hangup();
      });
    });

    describe('presence and notify', () => {
      it('tells the phones watching a number of its calls (BLF)', async () => {
        const acc = d.account('contract_03', 'secret-03', ['+4930555000']);
        const dev = await d.device(acc);
        expect(await dev.register('secret-03')).toBe('ok');
        const states = await dev.watch('+4930555000');
        const dialog = {
          callId: 'blf-1',
          localTag: 'l1',
          remoteTag: 'r1',
          direction: 'recipient' as const,
          remote: '+4940111',
        };
        d.adapter.presence.update('+4930555000', { ...dialog, state: 'early' });
        d.adapter.presence.update('+4930555000', { ...dialog, state: 'confirmed' });
        d.adapter.presence.update('+4930555000', { ...dialog, state: 'terminated' });
        await until(() => states().includes('terminated'), 'terminated');
        expect(states().filter((s) => s !== 'none')).toEqual(['early', 'confirmed', 'terminated']);
        await dev.close();
      });

      it("tells a phone subscribed to its mailbox of its owner's voice messages (MWI)", async () => {
        const acc = d.account('contract_05', 'secret-05');
        d.setMailbox(acc.owner, { newMessages: 2, oldMessages: 1 });
        const dev = await d.device(acc);
        expect(await dev.register('secret-05')).toBe('ok');
        const lamps = await dev.watchMailbox();
        await until(() => lamps().includes('2/1'), 'the state at once');
        d.adapter.presence.mailbox('owner-of-somebody-else', { newMessages: 9, oldMessages: 9 });
        d.adapter.presence.mailbox(acc.owner, { newMessages: 3, oldMessages: 1 });
        d.adapter.presence.mailbox(acc.owner, { newMessages: 0, oldMessages: 4 });
        await until(() => lamps().includes('0/4'), 'the changes');
        expect(lamps()).toEqual(['2/1', '3/1', '0/4']);
        await dev.close();
      });

      it('sends a NOTIFY to a registered device', async () => {
        const acc = d.account('contract_04', 'secret-04');
        const dev = await d.device(acc);
        expect(await dev.register('secret-04')).toBe('ok');
        const [binding] = await d.location.bindings(acc.name);
        await d.adapter.notifier.notify(binding!, acc, { event: 'check-sync', contentType: '', content: '' });
        await until(() => dev.notified().includes('check-sync'), 'NOTIFY');
        await dev.close();
      });
    });
  });
}
