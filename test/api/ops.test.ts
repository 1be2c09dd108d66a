/**
 * Operator endpoints: /health, /ready and /metrics on the API port, as a
 * load balancer and Prometheus see them (the text parsed with a Prometheus
 * text-format parser), and who /metrics answers.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config/index.js';
import { Metrics } from '../../src/metrics/index.js';
import { HealthService } from '../../src/services/health.js';
import { installPlatformProbes } from '../../src/services/metric-probes.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { Scrape } from '../helpers/prometheus.js';

async function scrape(h: Harness, headers: Record<string, string> = {}): Promise<Scrape> {
  const res = await h.app.inject({ method: 'GET', url: '/metrics', headers });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return new Scrape(res.body);
}

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('health and readiness', () => {
  it('GET /health answers 200 while the process runs', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /ready checks Redis and the database', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ok',
      checks: { redis: { ok: true }, database: { ok: true } },
    });
  });

  it('a role readiness hook that fails turns /ready 503 with its reason, and back when removed', async () => {
    const remove = h.services.health.register('sip', () => {
      throw new Error('SIP UDP socket closed');
    });
    const down = await h.app.inject({ method: 'GET', url: '/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({
      status: 'fail',
      checks: { redis: { ok: true }, sip: { ok: false, error: 'SIP UDP socket closed' } },
    });
    remove();
    expect((await h.app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
  });

  it('a check that never answers fails after the timeout instead of hanging /ready', async () => {
    const remove = h.services.health.register('stuck', () => new Promise<void>(() => undefined));
    const res = await h.app.inject({ method: 'GET', url: '/ready' });
    remove();
    expect(res.statusCode).toBe(503);
    expect(res.json().checks.stuck).toMatchObject({ ok: false, error: expect.stringMatching(/no answer/) });
  });

  it('none of the operator routes is in the OpenAPI description', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const p of ['/health', '/ready', '/metrics']) expect(doc.paths[p]).toBeUndefined();
  });
});

describe('/metrics', () => {
  it('counts requests by route pattern and HTTP status, and JSON answers by spec status', async () => {
    const before = await scrape(h);
    for (let i = 0; i < 3; i++) await h.app.inject({ method: 'GET', url: '/api/language' });
    await h.app.inject({ method: 'GET', url: '/api/user' }); // no session
    await h.app.inject({ method: 'GET', url: '/api/fax/0b4b1a10-e7be-11f1-960f-1fec816a18e1' });
    await h.app.inject({ method: 'GET', url: '/no/such/thing/4711' });
    const after = await scrape(h);

    const d = (s: Scrape, name: string, labels: Record<string, string>, hist = false): number =>
      hist ? s.count(name, labels) : s.value(name, labels);
    const delta = (name: string, labels: Record<string, string>, hist = false): number =>
      d(after, name, labels, hist) - d(before, name, labels, hist);

    const duration = 'callplane_http_request_duration_seconds';
    expect(delta(duration, { route: '/api/language', method: 'GET', status_code: '200' }, true)).toBe(3);
    expect(delta('callplane_api_answers_total', { route: '/api/language', status: 'ok' })).toBe(3);
    expect(delta('callplane_api_answers_total', { route: '/api/user', status: 'no-session' })).toBe(1);
    // Route patterns, never raw URLs: the UUID and the unknown path are not label values.
    expect(delta(duration, { route: '/api/fax/:uuid' }, true)).toBe(1);
    expect(delta(duration, { route: 'unmatched' }, true)).toBe(1);
    expect(after.text).not.toContain('0b4b1a10-e7be-11f1-960f-1fec816a18e1');
    // No label carries the unknown path (a metric's value may contain the digits by chance).
    expect(after.text).not.toMatch(/\{[^}\n]*4711[^}\n]*\}/);
    // The histogram itself is well formed: its count is its +Inf bucket.
    expect(after.family(duration).type).toBe('HISTOGRAM');
    const lang = { route: '/api/language', status_code: '200' };
    expect(after.value(`${duration}_bucket`, { ...lang, le: '+Inf' })).toBe(after.count(duration, lang));
  });

  it('samples Redis and database round trips and process metrics at scrape time', async () => {
    const s = await scrape(h);
    expect(s.value('callplane_redis_round_trip_seconds')).toBeGreaterThan(0);
    expect(s.value('callplane_database_round_trip_seconds')).toBeGreaterThan(0);
    expect(s.value('callplane_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(s.value('callplane_probe_failures_total')).toBe(0);
  });

  it('shows long-poll waiters while a request waits, and each appended event', async () => {
    const u = await h.user();
    const before = await scrape(h);
    const poll = h.app.inject({ method: 'GET', url: `/api/event?timeout=20&sid=${u.sid}` });
    await vi.waitFor(() => expect(h.services.eventSystem.waiter.waiting).toBe(1), { timeout: 5000 });
    const waiting = await scrape(h);
    expect(waiting.value('callplane_event_longpoll_waiters')).toBe(1);
    await h.services.events.publish({ users: [u.uuid] }, 'user_modify', {});
    const answer = (await poll).json();
    expect(answer).toMatchObject({ status: 'ok', event: [{ event: 'user_modify' }] });
    const after = await scrape(h);
    expect(after.value('callplane_event_longpoll_waiters')).toBe(0);
    expect(
      after.value('callplane_events_appended_total') - before.value('callplane_events_appended_total'),
    ).toBe(1);
  });

  it('samples how many session streams and events the event log holds', async () => {
    /** A fresh registry each time: the event log scan is reused for 15 s within one. */
    const sample = async (): Promise<Scrape> => {
      const m = new Metrics();
      installPlatformProbes(m, new HealthService(), h.services);
      return new Scrape(await m.scrape());
    };
    const before = await sample();
    const u = await h.user();
    for (let i = 0; i < 3; i++) await h.services.events.publish({ users: [u.uuid] }, 'user_modify', {});
    const after = await sample();
    expect(after.value('callplane_event_streams') - before.value('callplane_event_streams')).toBe(1);
    expect(after.value('callplane_event_log_depth') - before.value('callplane_event_log_depth')).toBe(3);
  });

  it('carries the telephony metrics the call engine updates, and live registrations from Redis', async () => {
    const t = h.services.metrics.telephony;
    const inbound = { direction: 'inbound', service: 'call' } as const;
    const before = await scrape(h);
    t.callStarted(inbound);
    t.callStarted(inbound);
    t.callStarted({ direction: 'outbound', service: 'call_through' });
    t.callAnswered(inbound);
    t.callEnded(inbound, { q850: 16, answeredSeconds: 42 });
    t.callEnded({ direction: 'outbound', service: 'call_through' }, { q850: 17 });
    t.rtp({ received: 500, sent: 498, lost: 3, late: 1 });
    t.authFailure('source_account');
    t.authBlocked('account');
    t.registerAnswered('ok');
    const u = await h.user();
    const account = { name: `reg${u.username}`, owner: u.uuid, domain: 'sip.callplane.local' };
    for (const port of [5062, 5064]) {
      await h.services.registrations.bind(account, {
        contact: `sip:a@192.0.2.1:${port}`,
        source: `192.0.2.1:${port}`,
        transport: 'udp',
        expires: 120,
        callId: `c${port}`,
        cseq: 1,
      });
    }
    const s = await scrape(h);
    const delta = (name: string, labels: Record<string, string> = {}): number =>
      s.value(name, labels) - before.value(name, labels);
    expect(delta('callplane_call_attempts_total', { direction: 'inbound', service: 'call' })).toBe(2);
    expect(s.value('callplane_calls_active', { direction: 'inbound', service: 'call' })).toBe(1);
    expect(s.value('callplane_calls_active', { direction: 'outbound' })).toBe(0);
    expect(delta('callplane_calls_answered_total', { direction: 'inbound' })).toBe(1);
    expect(delta('callplane_call_failures_total', { service: 'call_through', cause: '17' })).toBe(1);
    expect(s.count('callplane_call_duration_seconds', { direction: 'inbound' })).toBe(1);
    expect(s.sum('callplane_call_duration_seconds', { direction: 'inbound' })).toBe(42);
    expect(s.value('callplane_calls_per_second')).toBeCloseTo(0.3, 5);
    expect(delta('callplane_rtp_packets_total', { direction: 'received' })).toBe(500);
    expect(delta('callplane_rtp_packets_lost_total')).toBe(3);
    expect(delta('callplane_rtp_packets_late_total')).toBe(1);
    expect(delta('callplane_sip_auth_failures_total', { scope: 'source_account' })).toBe(1);
    expect(delta('callplane_sip_auth_blocks_total', { scope: 'account' })).toBe(1);
    expect(delta('callplane_sip_register_requests_total', { result: 'ok' })).toBe(1);
    expect(s.value('callplane_sip_registrations')).toBe(2);
  });
});

describe('/metrics access', () => {
  const TOKEN = 'metrics-token-0123456789';
  /** Another API node on the same services with some configuration changed. */
  const node = (config: Partial<Config>): Promise<FastifyInstance> =>
    h.newApp({ ...h.services, config: { ...h.services.config, ...config } });

  it('without a token answers loopback and private networks only', async () => {
    const app = await node({});
    const at = (remoteAddress: string) => app.inject({ method: 'GET', url: '/metrics', remoteAddress });
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.20.0.5', '192.168.1.9', '::1', '::ffff:10.0.0.7'])
      expect((await at(ip)).statusCode, ip).toBe(200);
    for (const ip of ['203.0.113.9', '8.8.8.8', '2001:db8::1']) {
      const res = await at(ip);
      expect(res.statusCode, ip).toBe(403);
      expect(res.body).toMatch(/METRICS_TOKEN/);
    }
  });

  it('with METRICS_TOKEN wants the bearer token from every address', async () => {
    const app = await node({ metricsToken: TOKEN });
    const get = (headers: Record<string, string>, remoteAddress = '127.0.0.1') =>
      app.inject({ method: 'GET', url: '/metrics', headers, remoteAddress });
    const none = await get({});
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await get({ authorization: 'Bearer wrong-token-0000000000' })).statusCode).toBe(401);
    expect((await get({ authorization: `Bearer ${TOKEN}` }, '203.0.113.9')).statusCode).toBe(200);
  });

  it('with METRICS_PORT is not served on the API port; /health and /ready still are', async () => {
    const app = await node({ metricsPort: 9464 });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(404);
    expect(res.body).toMatch(/9464/);
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
  });

  it('refuses a METRICS_TOKEN shorter than 16 characters at start-up', () => {
    const env = { SECRET_KEY: '0'.repeat(64) };
    expect(() => loadConfig({ ...env, METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(loadConfig({ ...env, METRICS_TOKEN: TOKEN }).metricsToken).toBe(TOKEN);
  });
});
