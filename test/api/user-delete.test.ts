import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.js';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '10000' });
});
afterAll(async () => {
  await h?.close();
});

const login = (body: Record<string, string>) => h.call('POST', '/api/session', { body });
const sessionAlive = async (sid: string) => (await h.call('GET', '/api/session', { sid })).status === 'ok';
let seq = 0;
const email = (): string => `del${Date.now()}x${(seq += 1)}@doe.example`;

describe('POST /api/user/delete (spec 3.5)', () => {
  it('deletes the account by username and ends its sessions (spec example)', async () => {
    const u = await h.user({ email: email() });
    const other = await login({ username: u.username, password: u.password });
    const db = h.services.db;
    const objectId = newId();
    await db
      .insertInto('objects')
      .values({
        uuid: objectId,
        type: 'fax',
        owner: u.uuid,
        created_us: Date.now() * 1000,
        description: null,
        data: '{}',
        search_text: '',
      })
      .execute();
    await db.insertInto('user_metadata').values({ user_uuid: u.uuid, key: 'app.key', value: '1' }).execute();

    const res = await h.call('POST', '/api/user/delete', {
      sid: u.sid,
      body: { username: u.username, password: u.password },
    });
    expect(res).toEqual({ status: 'ok' });
    expect(await sessionAlive(u.sid)).toBe(false);
    expect(await sessionAlive(other.sid as string)).toBe(false);
    expect((await login({ username: u.username, password: u.password })).status).toBe('wrong-credentials');
    expect(await h.services.users.byId(u.uuid)).toMatchObject({
      deleted: true,
      username: u.username,
      password_hash: null,
      email: null,
    });
    expect(await db.selectFrom('objects').select('uuid').where('owner', '=', u.uuid).execute()).toEqual([]);
    expect(await db.selectFrom('tags').select('uuid').where('owner', '=', u.uuid).execute()).toEqual([]);
    expect(
      await db.selectFrom('user_metadata').select('key').where('user_uuid', '=', u.uuid).execute(),
    ).toEqual([]);
  });

  it('deletes by e-mail; the address can sign up again, the username stays taken', async () => {
    const address = email();
    const u = await h.user({ email: address });
    const res = await h.call('POST', '/api/user/delete', {
      sid: u.sid,
      body: { email: address.toUpperCase(), password: u.password },
    });
    expect(res.status).toBe('ok');
    expect((await login({ email: address, password: u.password })).status).toBe('wrong-credentials');
    await expect(
      h.services.users.create({ username: `n${Date.now()}`, password: 'secret1', email: address }),
    ).resolves.toMatchObject({ email: address });
    await expect(
      h.services.users.create({ username: u.username, password: 'secret1' }),
    ).rejects.toMatchObject({
      status: 'duplicate-username',
    });
  });

  it("answers wrong-user for another user's name and for partner-controlled users", async () => {
    const u = await h.user({ email: email() });
    const other = await h.user({ email: email() });
    const otherEmail = (await h.services.users.byId(other.uuid))!.email!;
    for (const body of [
      { username: other.username, password: other.password },
      { email: otherEmail, password: other.password },
      { username: 'nobody4711', password: u.password },
    ]) {
      const res = await h.call('POST', '/api/user/delete', { sid: u.sid, body });
      expect(res.status, JSON.stringify(body)).toBe('wrong-user');
    }
    const p = await h.partner();
    const pu = await h.user({ partner: p.name });
    const res = await h.call('POST', '/api/user/delete', {
      sid: pu.sid,
      body: { username: pu.username, password: pu.password },
    });
    expect(res.status).toBe('wrong-user');
    for (const id of [u.uuid, other.uuid, pu.uuid]) {
      expect((await h.services.users.byId(id))?.deleted).toBe(false);
    }
    expect(await sessionAlive(pu.sid)).toBe(true);
  });

  it('answers wrong-credentials for a wrong password', async () => {
    const u = await h.user();
    const res = await h.call('POST', '/api/user/delete', {
      sid: u.sid,
      body: { username: u.username, password: 'wrongpass' },
    });
    expect(res.status).toBe('wrong-credentials');
    expect(await sessionAlive(u.sid)).toBe(true);
    expect((await h.services.users.byId(u.uuid))?.deleted).toBe(false);
  });

  it('checks required fields and formats', async () => {
    const u = await h.user();
    for (const [body, status] of [
      [{ username: u.username }, 'missing-element'],
      [{ password: u.password }, 'missing-element'],
      [{ username: 'a b', password: u.password }, 'wrong-syntax'],
      [{ email: 'nope', password: u.password }, 'wrong-syntax'],
      [{ username: u.username, password: 'four' }, 'wrong-syntax'],
    ] as const) {
      const res = await h.call('POST', '/api/user/delete', { sid: u.sid, body });
      expect(res.status, JSON.stringify(body)).toBe(status);
    }
    expect((await h.services.users.byId(u.uuid))?.deleted).toBe(false);
  });

  it('needs a session authenticated with a user', async () => {
    const u = await h.user();
    const body = { username: u.username, password: u.password };
    expect((await h.call('POST', '/api/user/delete', { body })).status).toBe('no-session');
    const anon = (await h.call('GET', '/api/session')).sid as string;
    expect((await h.call('POST', '/api/user/delete', { sid: anon, body })).status).toBe('no-auth');
    const p = await h.partner();
    expect((await h.call('POST', '/api/user/delete', { sid: p.sid, body })).status).toBe('no-auth');
    expect((await h.services.users.byId(u.uuid))?.deleted).toBe(false);
  });
});

describe('account deletion removes stored data', () => {
  it('purges objects through their type hooks and removes the profile picture files', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const sharp = (await import('sharp')).default;
    const u = await h.user({ email: email() });
    const purged: string[] = [];
    h.services.objects.registerType('testfile', { purge: async (o) => void purged.push(o.uuid) });
    const obj = await h.services.objects.create({ type: 'testfile', owner: u.uuid, description: 'x' });
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#f00' } })
      .png()
      .toBuffer();
    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: '/api/user/picture',
          headers: { authorization: `Bearer ${u.sid}` },
          payload: png,
        })
      ).json().status,
    ).toBe('ok');
    const pictureDir = path.join(h.config.objectDir, 'pictures', u.uuid);
    expect(fs.existsSync(pictureDir)).toBe(true);

    expect(
      (
        await h.call('POST', '/api/user/delete', {
          sid: u.sid,
          body: { username: u.username, password: u.password },
        })
      ).status,
    ).toBe('ok');
    expect(purged).toEqual([obj.uuid]);
    expect(fs.existsSync(pictureDir)).toBe(false);
    expect(
      await h.services.db.selectFrom('objects').select('uuid').where('owner', '=', u.uuid).execute(),
    ).toEqual([]);
  });
});

describe('account deletion frees telephony configuration', () => {
  it('removes the numbers and SIP accounts of a deleted account', async () => {
    const { runAdminCommand } = await import('../../src/admin/commands.js');
    const u = await h.user({ email: email() });
    const area = String(700 + Math.floor(Math.random() * 200));
    const number = `+49${area}4242${Math.floor(Math.random() * 1000)}`;
    await runAdminCommand(h.services, { op: 'numbers.add', area, numbers: [number] });
    await runAdminCommand(h.services, { op: 'user.set-area', user: u.username, area });
    expect((await h.call('POST', '/api/phone', { sid: u.sid, body: { create: true } })).status).toBe('ok');
    expect((await h.call('POST', '/api/sip', { sid: u.sid, body: { password: 'secret12345' } })).status).toBe(
      'ok',
    );
    expect(
      (
        await h.call('POST', '/api/user/delete', {
          sid: u.sid,
          body: { username: u.username, password: u.password },
        })
      ).status,
    ).toBe('ok');
    const db = h.services.db;
    expect(await db.selectFrom('phones').select('number').where('user_uuid', '=', u.uuid).execute()).toEqual(
      [],
    );
    expect(await db.selectFrom('sip_accounts').select('name').where('owner', '=', u.uuid).execute()).toEqual(
      [],
    );
  });
});
