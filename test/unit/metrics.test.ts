import { Gauge } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { Metrics, RateWindow } from '../../src/metrics/index.js';
import { HealthService } from '../../src/services/health.js';
import { Scrape } from '../helpers/prometheus.js';

describe('RateWindow (calls per second)', () => {
  it('averages the last window of whole seconds and forgets older ones', () => {
    let now = 1_000_000;
    const w = new RateWindow(10, () => now);
    w.add(5);
    now += 3000;
    w.add(15);
    expect(w.perSecond()).toBe(2);
    now += 7000; // the first second has left the window
    expect(w.perSecond()).toBe(1.5);
    now += 60_000;
    expect(w.perSecond()).toBe(0);
    w.add();
    expect(w.perSecond()).toBe(0.1);
  });

  it('refuses a window that is not a positive whole number', () => {
    expect(() => new RateWindow(0)).toThrow(RangeError);
    expect(() => new RateWindow(1.5)).toThrow(RangeError);
  });
});

describe('Metrics probes', () => {
  it('a failing or stuck probe is counted, its gauges say NaN, the scrape still answers', async () => {
    const m = new Metrics({ probeTimeoutMs: 50 });
    const ok = new Gauge({ name: 'test_ok', help: 'x', registers: [m.registry] });
    const broken = new Gauge({ name: 'test_broken', help: 'x', registers: [m.registry] });
    const stuck = new Gauge({ name: 'test_stuck', help: 'x', registers: [m.registry] });
    broken.set(7); // a stale value from an earlier scrape
    m.addProbe('ok', () => ok.set(3), [ok]);
    m.addProbe('broken', () => Promise.reject(new Error('redis down')), [broken]);
    m.addProbe('stuck', () => new Promise<void>(() => undefined), [stuck]);
    const s = new Scrape(await m.scrape());
    expect(s.value('test_ok')).toBe(3);
    // Unknown, not a stale 7 nor a made-up 0.
    expect(s.value('test_broken')).toBeNaN();
    expect(s.value('test_stuck')).toBeNaN();
    expect(s.value('callplane_probe_failures_total', { probe: 'broken' })).toBe(1);
    expect(s.value('callplane_probe_failures_total', { probe: 'stuck' })).toBe(1);
  });

  it('a removed probe no longer runs', async () => {
    const m = new Metrics();
    let runs = 0;
    const remove = m.addProbe('p', () => void runs++, []);
    await m.scrape();
    remove();
    await m.scrape();
    expect(runs).toBe(1);
  });

  it('unanswered calls count as failures by their Q.850 cause; out-of-range causes as 127', async () => {
    const m = new Metrics();
    const call = { direction: 'internal', service: 'call' } as const;
    m.telephony.callStarted(call);
    m.telephony.callEnded(call, { q850: 200 });
    const s = new Scrape(await m.scrape());
    expect(s.value('callplane_call_failures_total', { cause: '127' })).toBe(1);
    expect(s.value('callplane_calls_active', { direction: 'internal' })).toBe(0);
  });
});

describe('HealthService', () => {
  it('is ready only when every check passes, and names the failing one', async () => {
    const health = new HealthService(100);
    health.register('a', () => undefined);
    expect(await health.ready()).toMatchObject({ ready: true, checks: { a: { ok: true } } });
    const remove = health.register('b', async () => {
      throw new Error('gone');
    });
    expect(await health.ready()).toMatchObject({
      ready: false,
      checks: { a: { ok: true }, b: { ok: false, error: 'gone' } },
    });
    remove();
    expect((await health.ready()).ready).toBe(true);
    expect(health.names).toEqual(['a']);
  });
});
