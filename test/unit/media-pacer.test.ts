import { describe, expect, it } from 'vitest';
import { MAX_CATCH_UP_FRAMES, MediaPacer, RtpTimeline } from '../../src/telephony/embedded/media/pacer.js';
import { FakeClock } from './media-fixtures.js';

function setup(): { clock: FakeClock; pacer: MediaPacer; ticks: { frame: number; at: number }[] } {
  const clock = new FakeClock();
  const pacer = new MediaPacer({ clock });
  return { clock, pacer, ticks: [] };
}

describe('the shared 20 ms media clock', () => {
  it('ticks on epoch + n * 20 ms even when every timer fires late', () => {
    const { clock, pacer, ticks } = setup();
    const t0 = clock.t;
    clock.lateness = 7; // each timer 7 ms late, as from a busy event loop
    pacer.subscribe((frame) => ticks.push({ frame, at: clock.now() }));
    clock.advance(1000);
    // Lateness does not pile up: tick n still comes 7 ms after its deadline.
    expect(ticks.length).toBeGreaterThanOrEqual(49);
    for (const { frame, at } of ticks) expect(at - (t0 + frame * 20)).toBe(7);
    expect(ticks.map((t) => t.frame)).toEqual(ticks.map((_, i) => i + 1));
  });

  it('sends the frames missed by a short stall at once, and skips those too late to play', () => {
    const { clock, pacer, ticks } = setup();
    pacer.subscribe((frame) => ticks.push({ frame, at: clock.now() }));
    clock.advance(19);
    clock.stall = 50; // the timer of frame 2 fires 50 ms late: frames 2-4 are due together
    clock.advance(1);
    expect(ticks.map((t) => t.frame)).toEqual([1]);
    clock.advance(70);
    const burst = ticks.filter((t) => t.frame >= 2 && t.frame <= 4);
    expect(burst.map((t) => t.frame)).toEqual([2, 3, 4]);
    expect(new Set(burst.map((t) => t.at)).size).toBe(1);

    // A 200 ms stall: only the last MAX_CATCH_UP_FRAMES frames go out; the index jumps.
    clock.advance(5);
    clock.stall = 200;
    clock.advance(15); // the tick of frame 5 sets the next timer 200 ms late
    ticks.length = 0;
    clock.advance(220);
    const frames = ticks.map((t) => t.frame);
    expect(frames).toHaveLength(MAX_CATCH_UP_FRAMES);
    expect(frames[1]! - frames[0]!).toBe(1);
    expect(pacer.stats.skipped).toBeGreaterThan(0);
    clock.advance(100);
    const after = ticks.map((t) => t.frame).slice(MAX_CATCH_UP_FRAMES);
    expect(after).toEqual(after.map((_, i) => frames.at(-1)! + 1 + i));
  });

  it('runs no timer while nobody subscribes, and starts a fresh epoch for the next subscriber', () => {
    const { clock, pacer } = setup();
    expect(clock.pending).toBe(0);
    const seen: number[] = [];
    const off = pacer.subscribe((f) => seen.push(f));
    expect(clock.pending).toBe(1);
    clock.advance(45);
    off();
    expect(clock.pending).toBe(0);
    expect(pacer.frame).toBe(-1);
    clock.advance(13);
    const start = clock.t;
    const at: number[] = [];
    const off2 = pacer.subscribe(() => at.push(clock.t - start));
    clock.advance(60);
    expect(at).toEqual([20, 40, 60]);
    off2();
    off2(); // idempotent
    expect(clock.pending).toBe(0);
  });

  it('keeps ticking for the others when a subscriber throws or unsubscribes inside a tick', () => {
    const errors: unknown[] = [];
    const clock = new FakeClock();
    const pacer = new MediaPacer({ clock, onError: (e) => errors.push(e) });
    const seen: string[] = [];
    const offA = pacer.subscribe((f) => {
      seen.push(`a${f}`);
      if (f === 2) offA();
    });
    pacer.subscribe(() => {
      throw new Error('boom');
    });
    pacer.subscribe((f) => seen.push(`c${f}`));
    clock.advance(80);
    expect(seen).toEqual(['a1', 'c1', 'a2', 'c2', 'c3', 'c4']);
    expect(errors).toHaveLength(4);
  });

  it('restarts cleanly when the last subscriber leaves and a new one joins within a tick', () => {
    const { clock, pacer } = setup();
    const seen: string[] = [];
    const off = pacer.subscribe((f) => {
      seen.push(`old${f}`);
      off();
      pacer.subscribe((g) => seen.push(`new${g}`));
    });
    clock.advance(60);
    expect(seen).toEqual(['old1', 'new1', 'new2']);
  });

  it('streams start at once and back-to-back streams do not drift ahead of the clock', async () => {
    const { clock, pacer } = setup();
    const session = {};
    const timeline = RtpTimeline.of(session, () => clock.now());
    const sent: { k: number; ts: number; at: number }[] = [];
    let prompts = 0;
    const play = (): void => {
      prompts += 1;
      pacer.stream(timeline, (k, ts) => {
        sent.push({ k, ts, at: clock.now() });
        timeline.end = ts + 160;
        if (k < 4) return true;
        if (prompts < 5) queueMicrotask(play); // the next prompt right after this one
        return false;
      });
    };
    const t0 = clock.t;
    play();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.at).toBe(t0);
    for (let i = 0; i < 30; i += 1) {
      clock.advance(20);
      await Promise.resolve(); // the queued prompt starts, as between two timers
    }
    expect(prompts).toBe(5);
    expect(sent).toHaveLength(25);
    // Timestamps go up 160 per frame across the prompts, and no packet leaves
    // before the time its timestamp stands for.
    const ts0 = sent[0]!.ts;
    for (let i = 1; i < sent.length; i += 1) expect(sent[i]!.ts - sent[i - 1]!.ts).toBe(160);
    for (const p of sent) expect((p.ts - ts0) / 8).toBeLessThanOrEqual(p.at - t0 + 10);
  });
});
