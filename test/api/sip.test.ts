import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({
    SESSION_CREATE_LIMIT: '1000',
    SIP_DOMAIN: 'sip.solucon.com,sip.cospace.de',
    SIP_ACCOUNT_LIMIT: '3',
  });
});
afterAll(async () => {
  await h?.close();
});

const eventsOf = async (sid: string, name: string) =>
  (await h.services.eventLog.read(sid, 0))
    .filter((e) => e.event === name)
    .map(({ id: _id, event: _e, time: _t, ...payload }) => payload);
const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('POST /api/sip (spec 3.21)', () => {
  let joe: TestUser;
  beforeAll(async () => {
    joe = await h.user({ username: 'Joe' });
  });

  it('creates the spec example: name from the user, chosen domain, sip_new event', async () => {
    const res = await h.call('POST', '/api/sip', {
      sid: joe.sid,
      body: { password: 'sEcReT53a', description: 'office phone', domain: 'sip.cospace.de' },
    });
    expect(res).toEqual({ status: 'ok', user: 'joe_01', domain: 'sip.cospace.de' });
    expect(await eventsOf(joe.sid, 'sip_new')).toEqual([
      { user: 'joe_01', domain: 'sip.cospace.de', description: 'office phone' },
    ]);
  });

  it('uses the first configured domain by default and the next free number', async () => {
    const res = await h.call('POST', '/api/sip', { sid: joe.sid, body: { password: 'sEcReT55a' } });
    expect(res).toEqual({ status: 'ok', user: 'joe_02', domain: 'sip.solucon.com' });
    const ev = await eventsOf(joe.sid, 'sip_new');
    expect(ev.at(-1)).toEqual({ user: 'joe_02', domain: 'sip.solucon.com' });
  });

  it('compares domains case-insensitively and answers with the configured spelling', async () => {
    const u = await h.user();
    const res = await h.call('POST', '/api/sip', {
      sid: u.sid,
      body: { password: 'sEcReT53a', domain: 'SIP.Cospace.DE' },
    });
    expect(res).toMatchObject({ status: 'ok', domain: 'sip.cospace.de' });
  });

  it('stores no plain password: a hash and HA1 (MD5, SHA-256) over realm = domain', async () => {
    const row = await h.services.db
      .selectFrom('sip_accounts')
      .selectAll()
      .where('name', '=', 'joe_01')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('sEcReT53a');
    expect(row.password_enc).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    const ha1 = row.ha1 as Record<string, { md5: string; sha256: string }>;
    expect(ha1['sip.cospace.de']).toEqual({
      md5: md5('joe_01:sip.cospace.de:sEcReT53a'),
      sha256: sha256('joe_01:sip.cospace.de:sEcReT53a'),
    });
    expect(ha1['sip.solucon.com']?.md5).toBe(md5('joe_01:sip.solucon.com:sEcReT53a'));
    expect(row.owner).toBe(joe.uuid);
  });

  it('refuses bad fields', async () => {
    const bad: [unknown, string][] = [
      [{}, 'missing-element'],
      [{ description: 'x' }, 'missing-element'],
      [{ password: 'abcd' }, 'wrong-syntax'],
      [{ password: 'x'.repeat(51) }, 'wrong-syntax'],
      [{ password: 12345 }, 'wrong-syntax'],
      [{ password: 'secret', description: 'd'.repeat(101) }, 'wrong-syntax'],
      [{ password: 'secret', domain: 'sip.example.org' }, 'wrong-domain'],
      [{ password: 'secret', domain: 7 }, 'wrong-syntax'],
    ];
    for (const [body, status] of bad) {
      expect((await h.call('POST', '/api/sip', { sid: joe.sid, body })).status, JSON.stringify(body)).toBe(
        status,
      );
    }
  });

  it('answers quota-exceeded at the configured limit, also for parallel creates', async () => {
    const ann = await h.user();
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        h.call('POST', '/api/sip', { sid: ann.sid, body: { password: 'secret' } }),
      ),
    );
    expect(results.filter((r) => r.status === 'ok')).toHaveLength(3);
    expect(results.filter((r) => r.status === 'quota-exceeded')).toHaveLength(2);
    const names = results.filter((r) => r.status === 'ok').map((r) => r.user as string);
    const prefix = ann.username.toLowerCase();
    expect(names.sort()).toEqual([`${prefix}_01`, `${prefix}_02`, `${prefix}_03`]);
    for (const n of names) expect(n).toMatch(/^[a-z0-9]{2,20}_[0-9]{2}$/);
  });

  it('derives the longest prefix from a 20-character mixed-case username', async () => {
    const long = await h.user({ username: 'ABCdefGHIjklMNOpqr12' });
    const res = await h.call('POST', '/api/sip', { sid: long.sid, body: { password: 'secret' } });
    expect(res.user).toBe('abcdefghijklmnopqr12_01');
    expect(res.user).toMatch(/^[a-z0-9]{2,20}_[0-9]{2}$/);
  });
});

describe('GET /api/sip, POST/DELETE /api/sip/(sip-user) (spec 3.21)', () => {
  let u: TestUser;
  let name: string;
  beforeAll(async () => {
    u = await h.user();
    name = (
      await h.call('POST', '/api/sip', {
        sid: u.sid,
        body: { password: 'sEcReT53a', description: 'office phone' },
      })
    ).user;
  });

  /** The row as stored, for checking that no plain password is in it. */
  const rowText = async (n: string) =>
    JSON.stringify(
      await h.services.db
        .selectFrom('sip_accounts')
        .selectAll()
        .where('name', '=', n)
        .executeTakeFirstOrThrow(),
    );

  it('lists the accounts with domain, password and description (no registration yet)', async () => {
    const res = await h.call('GET', '/api/sip', { sid: u.sid });
    expect(res).toEqual({
      status: 'ok',
      sip: { [name]: { domain: 'sip.solucon.com', password: 'sEcReT53a', description: 'office phone' } },
    });
  });

  it('answers the spec example: each password exactly as created, none in the DB row', async () => {
    const joe = await h.user();
    const first = await h.call('POST', '/api/sip', {
      sid: joe.sid,
      body: { password: 'sEcReT53a', description: 'office phone', domain: 'sip.solucon.com' },
    });
    const second = await h.call('POST', '/api/sip', {
      sid: joe.sid,
      body: { password: 'sEcReT55a', domain: 'sip.cospace.de' },
    });
    // Spec 3.21 example minus contact/expire, which need an active registration.
    expect(await h.call('GET', '/api/sip', { sid: joe.sid })).toEqual({
      status: 'ok',
      sip: {
        [first.user]: { domain: 'sip.solucon.com', password: 'sEcReT53a', description: 'office phone' },
        [second.user]: { domain: 'sip.cospace.de', password: 'sEcReT55a' },
      },
    });
    expect(await rowText(first.user)).not.toContain('sEcReT53a');
    expect(await rowText(second.user)).not.toContain('sEcReT55a');
  });

  it('returns passwords of any allowed characters unchanged', async () => {
    const v = await h.user();
    const password = ' pä:ss"w\\o:rd€ ';
    const created = await h.call('POST', '/api/sip', { sid: v.sid, body: { password } });
    expect((await h.call('GET', '/api/sip', { sid: v.sid })).sip).toEqual({
      [created.user]: { domain: 'sip.solucon.com', password },
    });
    expect(await rowText(created.user)).not.toContain('pä:ss');
  });

  it('modifies the spec example and sends sip_modify with the changed description', async () => {
    const res = await h.call('POST', `/api/sip/${name}`, {
      sid: u.sid,
      body: { password: 'sEcReT54a', description: 'PC softphone', domain: 'sip.cospace.de' },
    });
    expect(res).toEqual({ status: 'ok' });
    expect((await h.call('GET', '/api/sip', { sid: u.sid })).sip).toEqual({
      [name]: { domain: 'sip.cospace.de', password: 'sEcReT54a', description: 'PC softphone' },
    });
    const text = await rowText(name);
    expect(text).not.toContain('sEcReT54a');
    expect(text).not.toContain('sEcReT53a');
    expect((await eventsOf(u.sid, 'sip_modify')).at(-1)).toEqual({
      user: name,
      domain: 'sip.cospace.de',
      description: 'PC softphone',
    });
    const row = await h.services.db
      .selectFrom('sip_accounts')
      .select('ha1')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    expect((row.ha1 as Record<string, { md5: string }>)['sip.cospace.de']?.md5).toBe(
      md5(`${name}:sip.cospace.de:sEcReT54a`),
    );
  });

  it('leaves out an unchanged description from sip_modify; moves domain without a password', async () => {
    await h.call('POST', `/api/sip/${name}`, {
      sid: u.sid,
      body: { description: 'PC softphone', domain: 'sip.solucon.com' },
    });
    expect((await eventsOf(u.sid, 'sip_modify')).at(-1)).toEqual({ user: name, domain: 'sip.solucon.com' });
    // No new password: the changed one stays.
    expect((await h.call('GET', '/api/sip', { sid: u.sid })).sip).toEqual({
      [name]: { domain: 'sip.solucon.com', password: 'sEcReT54a', description: 'PC softphone' },
    });
  });

  it('refuses bad modifications', async () => {
    const cases: [string, unknown, string][] = [
      [name, { domain: 'sip.example.org' }, 'wrong-domain'],
      [name, { password: 'abc' }, 'wrong-syntax'],
      [name, { description: 'd'.repeat(101) }, 'wrong-syntax'],
      ['nosuch_01', {}, 'wrong-sip'],
      ['Not-A-Sip', {}, 'wrong-sip'],
    ];
    for (const [n, body, status] of cases) {
      expect(
        (await h.call('POST', `/api/sip/${n}`, { sid: u.sid, body })).status,
        `${n} ${JSON.stringify(body)}`,
      ).toBe(status);
    }
  });

  it("treats another user's account exactly like an unknown one", async () => {
    const eve = await h.user();
    expect(
      (await h.call('POST', `/api/sip/${name}`, { sid: eve.sid, body: { password: 'hijacked' } })).status,
    ).toBe('wrong-sip');
    expect((await h.call('DELETE', `/api/sip/${name}`, { sid: eve.sid })).status).toBe('wrong-sip');
    expect((await h.call('GET', '/api/sip', { sid: eve.sid })).sip).toEqual({});
    expect((await h.call('GET', '/api/sip', { sid: u.sid })).sip[name].password).toBe('sEcReT54a');
  });

  it('deletes an account with sip_delete, then answers wrong-sip', async () => {
    expect(await h.call('DELETE', `/api/sip/${name}`, { sid: u.sid })).toEqual({ status: 'ok' });
    expect(await eventsOf(u.sid, 'sip_delete')).toEqual([{ user: name, domain: 'sip.solucon.com' }]);
    expect((await h.call('DELETE', `/api/sip/${name}`, { sid: u.sid })).status).toBe('wrong-sip');
    expect((await h.call('GET', '/api/sip', { sid: u.sid })).sip).toEqual({});
    // The freed number is taken again by the next account.
    expect((await h.call('POST', '/api/sip', { sid: u.sid, body: { password: 'secret' } })).user).toBe(name);
  });

  it('authorization: no-session and no-auth', async () => {
    const calls: [string, string, unknown?][] = [
      ['GET', '/api/sip'],
      ['POST', '/api/sip', { password: 'secret' }],
      ['POST', `/api/sip/${name}`, {}],
      ['DELETE', `/api/sip/${name}`],
    ];
    const anon = (await h.call('GET', '/api/session')).sid as string;
    const partner = await h.partner();
    for (const [method, url, body] of calls) {
      expect((await h.call(method as 'GET', url, { body })).status, `${method} ${url}`).toBe('no-session');
      for (const sid of [anon, partner.sid]) {
        expect((await h.call(method as 'GET', url, { body, sid })).status, `${method} ${url}`).toBe(
          'no-auth',
        );
      }
    }
  });
});
