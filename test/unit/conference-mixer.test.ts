import { describe, expect, it } from 'vitest';
import { goertzelPower } from '../../src/telephony/embedded/media/dtmf.js';
import { ConferenceMixer, volumeGain, type MixerMember } from '../../src/telephony/embedded/media/mixer.js';
import { MediaPacer, SAMPLES_PER_FRAME } from '../../src/telephony/embedded/media/pacer.js';
import { decode, encode, type G711Codec } from '../../src/telephony/embedded/rtp/g711.js';
import { FakeClock, sines } from './media-fixtures.js';

/** A member of a test room: what it sends (looped PCM), what it heard (decoded). */
interface Peer {
  codec: G711Codec;
  input: Int16Array | null;
  heard: number[];
  member: MixerMember;
  frames: Buffer[];
}

function room(
  mixer: ConferenceMixer,
  specs: Array<{ codec: G711Codec; hz: number | null; amp?: number }>,
): Peer[] {
  return specs.map((s) => {
    const peer: Peer = {
      codec: s.codec,
      input: s.hz === null ? null : sines([s.hz], 2000, s.amp ?? 6000),
      heard: [],
      frames: [],
      member: undefined as unknown as MixerMember,
    };
    peer.member = mixer.join({
      codec: s.codec,
      send: (payload) => {
        peer.frames.push(payload);
        for (const v of decode(s.codec, payload)) peer.heard.push(v);
      },
    });
    return peer;
  });
}

/** Runs `frames` frames, every peer sending the next 20 ms of its input first (as RTP would). */
function run(mixer: ConferenceMixer, peers: Peer[], frames: number, at = { frame: 0 }): void {
  for (let f = 0; f < frames; f += 1) {
    for (const p of peers) {
      if (p.input === null) continue;
      const start = (at.frame * SAMPLES_PER_FRAME) % (p.input.length - SAMPLES_PER_FRAME);
      p.member.receive(encode(p.codec, p.input.subarray(start, start + SAMPLES_PER_FRAME)));
    }
    mixer.mix();
    at.frame += 1;
  }
}

/**
 * Amplitude of `hz` in the last `n` samples heard (Goertzel). 440, 880 and
 * 1320 Hz fall on exact bins of 400 samples (20 Hz), so tones do not leak
 * into each other's measure.
 */
function amplitude(samples: number[], hz: number, n = 4000): number {
  const block = samples.slice(-n);
  let sum = 0;
  for (let i = 0; i + 400 <= block.length; i += 400) {
    sum += (2 * Math.sqrt(goertzelPower(block.slice(i, i + 400), hz))) / 400;
  }
  return sum / Math.floor(block.length / 400);
}

const db = (ratio: number): number => 20 * Math.log10(ratio);

describe('conference mixer: each member hears the others, not itself', () => {
  it('mixes A-law and µ-law members in one room', () => {
    const mixer = new ConferenceMixer();
    const peers = room(mixer, [
      { codec: 'PCMU', hz: 440 },
      { codec: 'PCMA', hz: 880 },
      { codec: 'PCMU', hz: 1320 },
    ]);
    run(mixer, peers, 60);
    const hz = [440, 880, 1320];
    peers.forEach((p, i) => {
      for (const [j, f] of hz.entries()) {
        const a = amplitude(p.heard, f);
        // G.711 keeps about 38 dB SNR: others at their level within 0.5 dB, itself absent.
        if (i === j) expect(a).toBeLessThan(6000 * 0.01);
        else expect(Math.abs(db(a / 6000))).toBeLessThan(0.5);
      }
      expect(p.frames.every((f) => f.length === SAMPLES_PER_FRAME)).toBe(true);
    });
  });

  it('mute: the others no longer hear the member; it still hears them', () => {
    const mixer = new ConferenceMixer();
    const [a, b, c] = room(mixer, [
      { codec: 'PCMU', hz: 440 },
      { codec: 'PCMA', hz: 880 },
      { codec: 'PCMA', hz: 1320 },
    ]) as [Peer, Peer, Peer];
    run(mixer, [a, b, c], 20);
    b.member.update({ mute: true });
    run(mixer, [a, b, c], 40);
    expect(amplitude(a.heard, 880)).toBeLessThan(60);
    expect(amplitude(c.heard, 880)).toBeLessThan(60);
    expect(Math.abs(db(amplitude(b.heard, 440) / 6000))).toBeLessThan(0.5);
    expect(Math.abs(db(amplitude(b.heard, 1320) / 6000))).toBeLessThan(0.5);
    expect(b.member.talk).toBe(false);
  });

  it('deaf: the member hears nothing; the others still hear it', () => {
    const mixer = new ConferenceMixer();
    const [a, b, c] = room(mixer, [
      { codec: 'PCMU', hz: 440 },
      { codec: 'PCMA', hz: 880 },
      { codec: 'PCMU', hz: 1320 },
    ]) as [Peer, Peer, Peer];
    c.member.update({ deaf: true });
    run(mixer, [a, b, c], 40);
    const last = c.heard.slice(-4000);
    expect(Math.max(...last.map(Math.abs))).toBe(0);
    expect(Math.abs(db(amplitude(a.heard, 1320) / 6000))).toBeLessThan(0.5);
    expect(Math.abs(db(amplitude(b.heard, 1320) / 6000))).toBeLessThan(0.5);
  });

  it("volume_in and volume_out scale the level as FreeSWITCH's mod_conference does", () => {
    expect([-4, -3, -2, -1, 0, 1, 2, 3, 4].map(volumeGain)).toEqual([
      0.2, 0.4, 0.6, 0.8, 1, 1.3, 2.3, 3.3, 4.3,
    ]);
    // Out of range: the nearest end, as FreeSWITCH's switch_normalize_volume.
    expect(volumeGain(9)).toBe(4.3);
    expect(volumeGain(-9)).toBe(0.2);
    const mixer = new ConferenceMixer();
    const [a, b, c] = room(mixer, [
      { codec: 'PCMU', hz: 440, amp: 2000 },
      { codec: 'PCMA', hz: 880, amp: 2000 },
      { codec: 'PCMU', hz: 1320, amp: 2000 },
    ]) as [Peer, Peer, Peer];
    b.member.update({ volumeIn: 2 });
    a.member.update({ volumeOut: -4 });
    c.member.update({ volumeOut: 3 });
    run(mixer, [a, b, c], 60);
    // Everyone hears b ×2.3 (+7.2 dB); a hears all ×0.2 (-14 dB); c hears all ×3.3 (+10.4 dB).
    expect(db(amplitude(c.heard, 880) / amplitude(c.heard, 440))).toBeCloseTo(db(2.3), 0);
    expect(db(amplitude(a.heard, 1320) / 2000)).toBeCloseTo(db(0.2), 0);
    expect(db(amplitude(a.heard, 880) / 2000)).toBeCloseTo(db(0.2 * 2.3), 0);
    expect(db(amplitude(c.heard, 440) / 2000)).toBeCloseTo(db(3.3), 0);
    expect(db(amplitude(b.heard, 440) / 2000)).toBeCloseTo(0, 0);
  });

  it('limits a mix louder than 16 bits as a whole frame instead of clipping samples', () => {
    const mixer = new ConferenceMixer();
    const [a, b, c] = room(mixer, [
      { codec: 'PCMU', hz: 440, amp: 30000 },
      { codec: 'PCMU', hz: 880, amp: 30000 },
      { codec: 'PCMU', hz: null },
    ]) as [Peer, Peer, Peer];
    run(mixer, [a, b, c], 40);
    const a440 = amplitude(c.heard, 440);
    const a880 = amplitude(c.heard, 880);
    // Both voices keep their balance; clipping would put energy on the harmonics (1320, 1760 Hz).
    expect(Math.abs(db(a440 / a880))).toBeLessThan(0.5);
    expect(a440).toBeGreaterThan(12000);
    expect(db(amplitude(c.heard, 1320) / a440)).toBeLessThan(-30);
    expect(db(amplitude(c.heard, 1760) / a440)).toBeLessThan(-30);
  });

  it('gives silent listeners of one codec the same encoded frame', () => {
    const mixer = new ConferenceMixer();
    const peers = room(mixer, [
      { codec: 'PCMU', hz: 440 },
      { codec: 'PCMA', hz: null },
      { codec: 'PCMA', hz: null },
      { codec: 'PCMU', hz: null },
    ]);
    run(mixer, peers, 5);
    expect(peers[1]!.frames.at(-1)).toBe(peers[2]!.frames.at(-1));
    expect(peers[3]!.frames.at(-1)).not.toBe(peers[1]!.frames.at(-1));
    expect(Math.abs(db(amplitude(peers[3]!.heard, 440, 800) / 6000))).toBeLessThan(0.5);
  });

  it('takes packets of any length (10 and 30 ms) through its input queue', () => {
    const mixer = new ConferenceMixer();
    const [a, b] = room(mixer, [
      { codec: 'PCMU', hz: null },
      { codec: 'PCMA', hz: null },
    ]) as [Peer, Peer];
    const toneA = sines([440], 3000, 5000);
    const toneB = sines([880], 3000, 5000);
    let at = 0;
    for (let f = 0; f < 60; f += 1) {
      // b sends 30 ms packets every 30 ms: two per three frames; a two 10 ms packets per frame.
      while (at < (f + 1) * 160) {
        b.member.receive(encode('PCMA', toneB.subarray(at, at + 240)));
        at += 240;
      }
      a.member.receive(encode('PCMU', toneA.subarray(f * 160, f * 160 + 80)));
      a.member.receive(encode('PCMU', toneA.subarray(f * 160 + 80, f * 160 + 160)));
      mixer.mix();
    }
    expect(Math.abs(db(amplitude(a.heard, 880, 4000) / 5000))).toBeLessThan(0.5);
    expect(Math.abs(db(amplitude(b.heard, 440, 4000) / 5000))).toBeLessThan(0.5);
  });

  it('plays to one member, or to everyone but the deaf', async () => {
    const mixer = new ConferenceMixer();
    const [a, b, c] = room(mixer, [
      { codec: 'PCMU', hz: null },
      { codec: 'PCMA', hz: null },
      { codec: 'PCMA', hz: null },
    ]) as [Peer, Peer, Peer];
    c.member.update({ deaf: true });
    const prompt = a.member.play(sines([600], 200, 5000));
    run(mixer, [a, b, c], 10);
    await prompt.done;
    expect(amplitude(a.heard, 600, 1600)).toBeGreaterThan(4000);
    expect(amplitude(b.heard, 600, 1600)).toBeLessThan(10); // A-law silence decodes to ±8
    const beep = mixer.playAll(sines([1000], 100, 5000));
    run(mixer, [a, b, c], 5);
    await beep.done;
    expect(amplitude(a.heard, 1000, 800)).toBeGreaterThan(2000);
    expect(amplitude(b.heard, 1000, 800)).toBeGreaterThan(2000);
    expect(Math.max(...c.heard.map(Math.abs))).toBeLessThanOrEqual(8);
  });
});

describe('conference mixer: talk detection and floor', () => {
  it('reports talk with attack and hangover, and gives the floor to the loudest talker', () => {
    const changes: Array<Array<{ who: number; talk: boolean; floor: boolean }>> = [];
    let members: MixerMember[] = [];
    const mixer = new ConferenceMixer({
      onActivity: (changed) =>
        changes.push(changed.map((m) => ({ who: members.indexOf(m), talk: m.talk, floor: m.floor }))),
    });
    const peers = room(mixer, [
      { codec: 'PCMU', hz: 440, amp: 3000 },
      { codec: 'PCMA', hz: 880, amp: 9000 },
      { codec: 'PCMU', hz: null },
    ]);
    members = peers.map((p) => p.member);
    const [a, b, c] = peers as [Peer, Peer, Peer];
    const input = { a: a.input, b: b.input };
    b.input = null;
    run(mixer, peers, 1);
    expect(changes).toEqual([]); // one loud frame is not talk yet (attack)
    run(mixer, peers, 1);
    expect(changes).toEqual([[{ who: 0, talk: true, floor: true }]]);
    b.input = input.b;
    run(mixer, peers, 2);
    // b is 9.5 dB louder: it takes the floor once its smoothed level passes a's by 3 dB.
    run(mixer, peers, 10);
    expect(b.member.talk).toBe(true);
    expect(b.member.floor).toBe(true);
    expect(a.member.floor).toBe(false);
    expect(c.member.talk).toBe(false);
    changes.length = 0;
    b.input = null;
    run(mixer, peers, 19);
    // b still talks (hangover: 400 ms), but silent it is no longer the loudest: a has the floor.
    expect(b.member.talk).toBe(true);
    expect(a.member.floor).toBe(true);
    expect(changes.flat()).toContainEqual({ who: 0, talk: true, floor: true });
    run(mixer, peers, 1);
    expect(b.member.talk).toBe(false);
    expect(changes.at(-1)).toEqual([{ who: 1, talk: false, floor: false }]);
    a.member.update({ mute: true });
    run(mixer, peers, 1);
    expect(a.member.talk).toBe(false);
    expect(a.member.floor).toBe(false);
    expect(input.a).not.toBeNull();
  });

  it('runs on the pacer while it has members', () => {
    const clock = new FakeClock();
    const pacer = new MediaPacer({ clock });
    const mixer = new ConferenceMixer({ pacer });
    const got: number[] = [];
    const m = mixer.join({ codec: 'PCMA', send: (_p, frame) => got.push(frame) });
    expect(pacer.subscribers).toBe(1);
    clock.advance(100);
    expect(got).toEqual([1, 2, 3, 4, 5]);
    m.leave();
    expect(pacer.subscribers).toBe(0);
    expect(mixer.size).toBe(0);
  });
});
