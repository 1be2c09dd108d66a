/**
 * Every request-body example of the in-scope spec sections, sent to its
 * endpoint with a valid session and fixture objects for the path: no
 * example of the spec may be answered `wrong-syntax` or `missing-element`,
 * because real cospace clients send exactly these bodies. Other statuses
 * (`wrong-phone` for the spec's numbers, `wrong-credentials` for johndoe47 ...)
 * are fine: they are answers about the data, not the request's form.
 *
 * The examples come from test/fixtures/spec-request-examples.json, extracted
 * from the spec by scripts/extract-spec-examples.ts. An endpoint this server
 * does not serve yet (another issue builds it) is skipped, by name, and
 * checked from the day its route exists.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

interface SpecExample {
  line: number;
  method: string;
  path: string;
  variant: number;
  text: string;
  body: unknown;
  repaired: boolean;
}

const { examples } = JSON.parse(
  fs.readFileSync(new URL('../fixtures/spec-request-examples.json', import.meta.url), 'utf8'),
) as { examples: SpecExample[] };

/**
 * Where the spec shortens a value with "..." in a field of fixed form, the
 * example stands for a full value: the shortened part is filled in, keeping
 * what the spec shows (spec 8.1 device tokens are 64 hex digits).
 */
function expandElisions(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(expandElisions);
  if (body === null || typeof body !== 'object') return body;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === 'device_token' && typeof v === 'string' && v.includes('...')) {
      const [head, tail] = v.split('...') as [string, string];
      out[k] = head + '0'.repeat(64 - head.length - tail.length) + tail;
    } else out[k] = expandElisions(v);
  }
  return out;
}

let h: Harness;
let joe: TestUser;
let partner: { name: string; sid: string };
const ids: Record<string, string> = {};
let served: Array<{ method: string; shape: string }> = [];

/** A path with its parameters (`(name)` in the spec, `:name` in routes) as `:`, to compare shapes. */
const shape = (p: string): string => p.replace(/\([^)]+\)|:[^/]+/g, ':');

beforeAll(async () => {
  h = await createHarness({
    SESSION_CREATE_LIMIT: '100000',
    SIP_DOMAIN: 'sip.solucon.com,sip.cospace.de',
    PUSH_APNS_APP_IDS: '39JSDKGJ38.de.cospace.app',
  });
  const p = await h.partner('mypartner');
  partner = { name: p.name, sid: p.sid };
  joe = await h.user({ username: 'joe', partner: p.name });
  const call = async (method: 'POST', url: string, body: unknown, sid: string) => {
    const r = await h.call(method, url, { sid, body });
    if (r['status'] !== 'ok') throw new Error(`${url}: ${JSON.stringify(r)}`);
    return r;
  };
  ids['tag'] = (await call('POST', '/api/tag', { label: 'spec examples' }, joe.sid))['uuid'] as string;
  ids['fax'] = (await h.services.faxes.create(joe.uuid, 'spec example fax')).uuid;
  ids['announcement'] = (await call('POST', '/api/announcement', {}, joe.sid))['uuid'] as string;
  ids['recording'] = (
    await h.services.objects.create({
      uuid: newId(),
      type: 'recording',
      owner: joe.uuid,
      description: null,
      data: { status: 'ok', from: '+492216689712', to: '+492216689711' },
      searchText: '',
      tags: ['tag_inbox'],
    })
  ).uuid;
  ids['sip'] = (await call('POST', '/api/sip', { password: 'sEcReT53a' }, joe.sid))['user'] as string;
  ids['dialplan'] = (
    await call(
      'POST',
      '/api/dialplan/v2',
      { dialplan: { profiles: [{ parallel: { targets: ['+492216698001'] } }] } },
      joe.sid,
    )
  )['uuid'] as string;
  ids['usergroup'] = (await call('POST', '/api/partner/usergroup', {}, partner.sid))['group_uuid'] as string;
  ids['enterprise'] = (await call('POST', '/api/partner/enterprise', {}, partner.sid))[
    'enterprise_uuid'
  ] as string;
  ids['phone'] = '+492216698712';
  await h.services.db
    .insertInto('phones')
    .values({ number: ids['phone'], user_uuid: joe.uuid, partner_id: p.id, created_us: Date.now() * 1000 })
    .execute();
  // printRoutes draws a tree whose children extend their parent's path.
  const stack: string[] = [];
  served = h.app
    .printRoutes({ commonPrefix: false })
    .split('\n')
    .flatMap((line) => {
      const m = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([^)]+)\))?$/.exec(line);
      if (!m) return [];
      const depth = m[1]!.length / 4;
      stack.length = depth;
      const full = (stack[depth - 1] ?? '') + m[2]!;
      stack.push(full);
      return (m[3] ?? '').split(',').map((method) => ({ method: method.trim(), shape: shape(full) }));
    });
});
afterAll(async () => {
  await h?.close();
});

/** The path with fixture objects for its parameters. */
function urlOf(e: SpecExample): string {
  const p = e.path;
  const id = (name: string): string => ids[name] ?? newId();
  return p.replace(/\(([^)]+)\)/g, (_m, param: string) => {
    if (param === 'sip-user') return id('sip');
    if (param === 'user-uuid') return joe.uuid;
    if (param === 'phone') return encodeURIComponent(id('phone'));
    if (param === 'usergroup') return id('usergroup');
    if (param === 'enterprise') return id('enterprise');
    const resource = /^\/api\/(?:partner\/)?([a-z]+)(?:\/v2)?\//.exec(p)?.[1] ?? '';
    const byResource: Record<string, string> = {
      tag: 'tag',
      object: 'fax',
      fax: 'fax',
      recording: 'recording',
      announcement: 'announcement',
      dialplan: 'dialplan',
      usergroup: 'usergroup',
      enterprise: 'enterprise',
    };
    return id(byResource[resource] ?? '');
  });
}

async function sessionFor(e: SpecExample): Promise<string | undefined> {
  if (e.path.startsWith('/api/partner/')) return partner.sid;
  // spec 3.2 example 2: a partner-controlled sign-up is started by the partner.
  if (e.path === '/api/signup/verification' && (e.body as Record<string, unknown>)['info'] !== undefined) {
    return partner.sid;
  }
  // Authentication, sign-up and password recovery run on a fresh, unauthenticated session.
  if (/^\/api\/(session|signup|password)/.test(e.path)) {
    return (await h.call('GET', '/api/session'))['sid'] as string;
  }
  return joe.sid;
}

describe('the spec request-body examples (in-scope sections)', () => {
  it('were extracted: every in-scope example parses (repaired where the text conversion broke it)', () => {
    expect(examples.length).toBeGreaterThanOrEqual(65);
    expect(examples.filter((e) => e.body === null).map((e) => `${e.line} ${e.path}`)).toEqual([]);
  });

  for (const e of examples) {
    it(`${e.method} ${e.path} (spec line ${e.line}${e.variant ? `, variant ${e.variant + 1}` : ''})`, async (ctx) => {
      // Served means a route of this very shape: /api/fax/(uuid)/send is not /api/fax/:uuid/:file.
      if (!served.some((r) => r.method === e.method && r.shape === shape(e.path))) {
        ctx.skip(`${e.method} ${e.path} is not served yet`);
      }
      const res = await h.app.inject({
        method: e.method as 'POST',
        url: urlOf(e),
        headers: await sessionFor(e).then((sid) => (sid ? { authorization: `Bearer ${sid}` } : {})),
        payload: JSON.stringify(expandElisions(e.body)),
      });
      expect(res.statusCode).toBe(200);
      const answer = res.json<{ status: string; message?: string }>();
      expect(['wrong-syntax', 'missing-element'], `${answer.status}: ${answer.message ?? ''}`).not.toContain(
        answer.status,
      );
    });
  }
});
