import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RouteCounter, RouteHistogram } from '../../src/metrics/request-metrics.js';

/** The exposition text with each line's labels in name order (prom-client keeps the caller's order). */
function normalised(text: string): string[] {
  return text
    .split('\n')
    .map((line) =>
      line.replace(
        /\{([^}]*)\}/,
        (_m, inner: string) =>
          `{${inner
            .split(/,(?=[a-z_]+=")/)
            .sort()
            .join(',')}}`,
      ),
    )
    .sort();
}

const BUCKETS = [0.005, 0.01, 0.1, 1, 10];
const OBSERVED: Array<[string, string, number, number]> = [
  ['/api/event', 'GET', 200, 0.0004],
  ['/api/event', 'GET', 200, 0.005], // on a bound: in that bucket
  ['/api/event', 'GET', 200, 12], // above the last bound: +Inf only
  ['/api/event', 'POST', 404, 0.02],
  ['/api/fax/:uuid', 'GET', 200, 0.5],
  ['unmatched', 'other', 404, 0.0001],
];

describe('request metrics print what prom-client would', () => {
  it('a histogram by route, method and status', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const h = new RouteHistogram({
      name: 'x_seconds',
      help: 'help text',
      buckets: BUCKETS,
      registers: [ours],
    });
    const p = new Histogram({
      name: 'x_seconds',
      help: 'help text',
      labelNames: ['method', 'route', 'status_code'],
      buckets: BUCKETS,
      registers: [theirs],
    });
    for (const [route, method, code, v] of OBSERVED) {
      h.observe(route, method, code, v);
      p.observe({ method, route, status_code: String(code) }, v);
    }
    h.observe('/api/event', 'GET', 200, Number.NaN); // not a duration: not counted
    expect(normalised(await ours.metrics())).toEqual(normalised(await theirs.metrics()));
    expect((await ours.metrics()).split('\n')).toContain(
      'x_seconds_bucket{route="/api/event",method="GET",status_code="200",le="0.005"} 2',
    );
    ours.resetMetrics();
    expect(await ours.metrics()).toBe('# HELP x_seconds help text\n# TYPE x_seconds histogram\n');
  });

  it('a counter by route and status', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const c = new RouteCounter({ name: 'answers_total', help: 'answers', registers: [ours] });
    const p = new Counter({
      name: 'answers_total',
      help: 'answers',
      labelNames: ['route', 'status'],
      registers: [theirs],
    });
    for (const [route, status] of [
      ['/api/event', 'ok'],
      ['/api/event', 'ok'],
      ['/api/event', 'timeout'],
      ['/api/user', 'no-session'],
    ] as const) {
      c.inc(route, status);
      p.inc({ route, status });
    }
    expect(normalised(await ours.metrics())).toEqual(normalised(await theirs.metrics()));
  });
});
