import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { installRouteOf, routeOf } from '../../src/api/plugins/route-of.js';

describe('routeOf', () => {
  it('gives each request its route options once, the same object to every hook', async () => {
    const app = Fastify();
    installRouteOf(app);
    const seen: unknown[] = [];
    app.addHook('onRequest', (request, _reply, done) => {
      seen.push(routeOf(request));
      done();
    });
    app.get('/a/:id', { config: { auth: 'none' } }, (request) => {
      seen.push(routeOf(request));
      // Fastify's getter builds a new object on every read.
      expect(request.routeOptions).not.toBe(request.routeOptions);
      return { url: routeOf(request).url, auth: (routeOf(request).config as { auth?: string }).auth };
    });
    expect((await app.inject('/a/1')).json()).toEqual({ url: '/a/:id', auth: 'none' });
    expect(seen[0]).toBe(seen[1]);
    // A second request has its own.
    await app.inject('/a/2');
    expect(seen[2]).toBe(seen[3]);
    expect(seen[2]).not.toBe(seen[0]);
    await app.close();
  });
});
