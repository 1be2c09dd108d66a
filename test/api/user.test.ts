import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.js';
import { verifyPassword } from '../../src/lib/passwords.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '10000' });
});
afterAll(async () => {
  await h?.close();
});

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The spec 3.5 POST /api/user request example (without the e-mail change, which needs a mail server). */
const SPEC_EXAMPLE = {
  firstname: 'John',
  lastname: 'Doe',
  display_name: 'Johnny Doe',
  birthday: '1970-12-24',
  zip_code: '10557',
  town: 'Berlin',
  street: 'Willy-Brandt-Straße',
  house_number: '15',
  country: 'de',
  country_code: '+49',
  password: 'newpass',
  old_password: 'secret12345',
  pin: '1234',
  language: 'de',
  newsletter: false,
  fax_ident: '+49 221 9999999',
  fax_header: 'John Doe, Inc.',
};

const ADDRESS = {
  birthday: '1970-12-24',
  zip_code: '10557',
  town: 'Berlin',
  street: 'Willy-Brandt-Straße',
  house_number: '15',
  country: 'de',
};

async function me(u: TestUser): Promise<Record<string, any>> {
  const res = await h.call('GET', '/api/user', { sid: u.sid });
  expect(res.status).toBe('ok');
  return res.user;
}

async function eventsOf(sid: string, name: string): Promise<unknown[]> {
  const all = await h.services.eventLog.read(sid, 0);
  return all.filter((e) => e.event === name);
}

/** One user for the syntax checks: refused requests change nothing, so they can share it. */
let syntaxUserP: Promise<TestUser> | undefined;
function syntaxUser(): Promise<TestUser> {
  syntaxUserP ??= h.user();
  return syntaxUserP;
}

async function anonymousSid(): Promise<string> {
  return (await h.call('GET', '/api/session')).sid as string;
}

describe('GET /api/user (spec 3.5)', () => {
  it('answers the spec shape for a fresh user: system tags, features, no unset fields', async () => {
    const u = await h.user({ email: `fresh${newId().slice(0, 8)}@example.com` });
    const user = await me(u);
    expect(user).toMatchObject({
      uuid: u.uuid,
      username: u.username,
      firstname: u.username,
      lastname: '',
      language: 'de',
      newsletter: true,
      country_code: '+49',
      validation: 'incomplete',
      picture: false,
      feature: {
        pack: [],
        quota: { volume: 1000, fax: 50 },
        used: { volume: 0, fax: 0 },
        feature: {
          fax_noad: false,
          call_unrestricted: false,
          box_enable: false,
          dialplan_enable: true,
          control_phone: true,
        },
      },
    });
    expect(user.email).toMatch(/^fresh.*@example\.com$/);
    const tagNames = [
      'tag_all',
      'tag_unread',
      'tag_inbox',
      'tag_outbox',
      'tag_trash',
      'tag_shared',
      'share_read',
      'share_write',
      'share_propagate',
    ];
    for (const t of tagNames) expect(user[t]).toMatch(UUID_RE);
    expect(new Set(tagNames.map((t) => user[t])).size).toBe(9);
    const stored = await h.services.users.byId(u.uuid);
    expect(user.tag_inbox).toBe(stored!.system_tags.tag_inbox);
    for (const absent of [
      'partner',
      'area_code',
      'birthday',
      'zip_code',
      'town',
      'street',
      'house_number',
      'country',
      'fax_ident',
      'fax_header',
      'usergroup',
      'contact',
      'pin',
      'password_hash',
    ]) {
      expect(user).not.toHaveProperty(absent);
    }
  });

  it('shows the partner name only for users of a partner', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    const user = await me(u);
    expect(user.partner).toBe(p.name);
    // Partner-made users may have no e-mail address: the field is left out then.
    expect(user).not.toHaveProperty('email');
  });

  it('shows usergroup when set, feature packs and the storage used in MB (rounded up)', async () => {
    const u = await h.user();
    await h.services.db
      .updateTable('users')
      .set({ feature_packs: JSON.stringify(['20GB+', 'COSPACE-BOX', 'UNKNOWN']), usergroup: 'Controlling' })
      .where('uuid', '=', u.uuid)
      .execute();
    const other = await h.user();
    const obj = (owner: string, size: number) => ({
      uuid: newId(),
      type: 'file',
      owner,
      created_us: Date.now() * 1000,
      description: null,
      data: '{}',
      search_text: '',
      size_bytes: size,
    });
    await h.services.db
      .insertInto('objects')
      .values([obj(u.uuid, 300 * 1024 * 1024), obj(u.uuid, 151 * 1024 * 1024 + 5), obj(other.uuid, 1 << 30)])
      .execute();
    const user = await me(u);
    expect(user.usergroup).toBe('Controlling');
    expect(user.feature).toEqual({
      pack: ['20GB+', 'COSPACE-BOX', 'UNKNOWN'],
      quota: { volume: 21000, fax: 50 },
      used: { volume: 452, fax: 0 },
      feature: {
        fax_noad: false,
        call_unrestricted: false,
        box_enable: true,
        dialplan_enable: true,
        control_phone: true,
      },
    });
  });

  it('needs a session authenticated with a user', async () => {
    expect((await h.call('GET', '/api/user')).status).toBe('no-session');
    expect((await h.call('GET', '/api/user', { sid: 'nosuchsession' })).status).toBe('no-session');
    expect((await h.call('GET', '/api/user', { sid: await anonymousSid() })).status).toBe('no-auth');
    const p = await h.partner();
    expect((await h.call('GET', '/api/user', { sid: p.sid })).status).toBe('no-auth');
  });
});

describe('POST /api/user (spec 3.5)', () => {
  it('applies the spec example and GET /api/user shows it (pin never returned)', async () => {
    const u = await h.user();
    expect(await h.call('POST', '/api/user', { sid: u.sid, body: SPEC_EXAMPLE })).toEqual({ status: 'ok' });
    const user = await me(u);
    expect(user).toMatchObject({
      firstname: 'John',
      lastname: 'Doe',
      display_name: 'Johnny Doe',
      birthday: '1970-12-24',
      zip_code: '10557',
      town: 'Berlin',
      street: 'Willy-Brandt-Straße',
      house_number: '15',
      country: 'de',
      country_code: '+49',
      language: 'de',
      newsletter: false,
      fax_ident: '+49 221 9999999',
      fax_header: 'John Doe, Inc.',
      validation: 'ok',
    });
    expect(user).not.toHaveProperty('pin');
    expect(JSON.stringify(user)).not.toContain('1234"');
    const row = await h.services.users.byId(u.uuid);
    expect(row!.pin).toBe('1234');
    expect(await verifyPassword('newpass', row!.password_hash)).toBe(true);
    // The new password works for logging in, the old one no longer does.
    const login = await h.call('POST', '/api/session', {
      body: { username: u.username, password: 'newpass' },
    });
    expect(login.status).toBe('ok');
    const old = await h.call('POST', '/api/session', {
      body: { username: u.username, password: u.password },
    });
    expect(old.status).toBe('wrong-credentials');
  });

  it('publishes user_modify with an empty payload to all sessions of the user', async () => {
    const u = await h.user();
    const second = await h.call('POST', '/api/session', {
      body: { username: u.username, password: u.password },
    });
    const other = await h.user();
    expect((await h.call('POST', '/api/user', { sid: u.sid, body: { firstname: 'Jane' } })).status).toBe(
      'ok',
    );
    for (const sid of [u.sid, second.sid as string]) {
      const evs = await eventsOf(sid, 'user_modify');
      expect(evs).toHaveLength(1);
      expect(evs[0]).toEqual({ id: expect.any(Number), event: 'user_modify', time: expect.any(Number) });
    }
    expect(await eventsOf(other.sid, 'user_modify')).toHaveLength(0);
  });

  it('changes nothing and publishes nothing for an empty body', async () => {
    const u = await h.user();
    expect((await h.call('POST', '/api/user', { sid: u.sid, body: {} })).status).toBe('ok');
    expect(await eventsOf(u.sid, 'user_modify')).toHaveLength(0);
  });

  it('stores a country code given without + with its +', async () => {
    const u = await h.user();
    expect((await h.call('POST', '/api/user', { sid: u.sid, body: { country_code: '41' } })).status).toBe(
      'ok',
    );
    expect((await me(u)).country_code).toBe('+41');
  });

  it('removes fax_ident and fax_header when set empty', async () => {
    const u = await h.user();
    await h.call('POST', '/api/user', { sid: u.sid, body: { fax_ident: '+49 221', fax_header: 'Head' } });
    expect(await me(u)).toMatchObject({ fax_ident: '+49 221', fax_header: 'Head' });
    await h.call('POST', '/api/user', { sid: u.sid, body: { fax_ident: '', fax_header: '' } });
    const user = await me(u);
    expect(user).not.toHaveProperty('fax_ident');
    expect(user).not.toHaveProperty('fax_header');
  });

  it.each([
    ['firstname', ''],
    ['firstname', 'x'.repeat(51)],
    ['firstname', 42],
    ['lastname', ''],
    ['lastname', 'x'.repeat(51)],
    ['display_name', ''],
    ['display_name', 'x'.repeat(101)],
    ['country_code', '+1234'],
    ['country_code', 'de'],
    ['country_code', ''],
    ['password', 'abcd'],
    ['password', 'x'.repeat(51)],
    ['pin', '123'],
    ['pin', '12345'],
    ['pin', 'abcd'],
    ['pin', 1234],
    ['language', 'fr'],
    ['language', ''],
    ['newsletter', 'yes'],
    ['newsletter', 1],
    ['email', 'nodomain'],
    ['email', 'a@b@c'],
    ['code', 'has space'],
    ['code', ''],
    ['code', 'x'.repeat(51)],
    ['fax_ident', 'abc'],
    ['fax_ident', '1'.repeat(21)],
    ['fax_header', 'x'.repeat(41)],
  ])('refuses %s = %j with wrong-syntax', async (field, value) => {
    const u = await syntaxUser();
    const res = await h.call('POST', '/api/user', { sid: u.sid, body: { [field]: value } });
    expect(res.status).toBe('wrong-syntax');
    expect(res.message).toContain(field);
  });

  it.each([
    ['birthday', '24.12.1970'],
    ['birthday', '1970-2-1'],
    ['birthday', '1970-02-30'],
    ['birthday', '1970-13-01'],
    ['birthday', '2999-01-01'],
    ['birthday', '1850-01-01'],
    ['zip_code', ''],
    ['zip_code', 'x'.repeat(51)],
    ['town', ''],
    ['street', 'x'.repeat(51)],
    ['house_number', ''],
    ['country', 'DE'],
    ['country', 'deu'],
  ])('refuses the address field %s = %j with wrong-syntax', async (field, value) => {
    const u = await syntaxUser();
    const res = await h.call('POST', '/api/user', { sid: u.sid, body: { ...ADDRESS, [field]: value } });
    expect(res.status).toBe('wrong-syntax');
    expect(res.message).toContain(field);
    expect(await h.services.users.byId(u.uuid)).toMatchObject({ birthday: null, zip_code: null });
  });

  it('refuses a body that is not JSON with wrong-syntax', async () => {
    const u = await h.user();
    expect((await h.call('POST', '/api/user', { sid: u.sid, body: '{firstname' })).status).toBe(
      'wrong-syntax',
    );
  });

  it.each(Object.keys(ADDRESS))(
    'answers address-incomplete without %s, and changes nothing',
    async (drop) => {
      const u = await h.user();
      const body: Record<string, string> = { ...ADDRESS, firstname: 'Changed' };
      delete body[drop];
      expect((await h.call('POST', '/api/user', { sid: u.sid, body })).status).toBe('address-incomplete');
      expect((await me(u)).firstname).toBe(u.username);
    },
  );

  it('answers address-incomplete for a single address field', async () => {
    const u = await h.user();
    expect((await h.call('POST', '/api/user', { sid: u.sid, body: { town: 'Köln' } })).status).toBe(
      'address-incomplete',
    );
  });

  it('answers too-young for users under 16, accepts the 16th birthday', async () => {
    const u = await h.user();
    const now = new Date();
    const iso = (y: number, m: number, d: number) =>
      `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    const y = now.getUTCFullYear() - 16;
    const [m, d] = [now.getUTCMonth() + 1, now.getUTCDate()];
    const tomorrow = new Date(Date.UTC(y, m - 1, d + 1));
    const young = iso(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth() + 1, tomorrow.getUTCDate());
    let res = await h.call('POST', '/api/user', { sid: u.sid, body: { ...ADDRESS, birthday: young } });
    expect(res.status).toBe('too-young');
    res = await h.call('POST', '/api/user', {
      sid: u.sid,
      body: { ...ADDRESS, birthday: iso(now.getUTCFullYear() - 3, 1, 1) },
    });
    expect(res.status).toBe('too-young');
    // 29 February has no 16th anniversary in most years: fall back on a plain date then.
    const sixteen = m === 2 && d === 29 ? iso(y, 2, 28) : iso(y, m, d);
    res = await h.call('POST', '/api/user', { sid: u.sid, body: { ...ADDRESS, birthday: sixteen } });
    expect(res.status).toBe('ok');
    expect((await me(u)).birthday).toBe(sixteen);
  });

  it('checks the old password: wrong-password, missing-element without it', async () => {
    const u = await h.user();
    let res = await h.call('POST', '/api/user', {
      sid: u.sid,
      body: { password: 'another1', old_password: 'wrongpass', firstname: 'X' },
    });
    expect(res.status).toBe('wrong-password');
    res = await h.call('POST', '/api/user', { sid: u.sid, body: { password: 'another1' } });
    expect(res.status).toBe('missing-element');
    const row = await h.services.users.byId(u.uuid);
    expect(await verifyPassword(u.password, row!.password_hash)).toBe(true);
    expect(row!.firstname).toBe(u.username);
  });

  it('refuses email and code in one request with wrong-syntax', async () => {
    const u = await h.user();
    const res = await h.call('POST', '/api/user', {
      sid: u.sid,
      body: { email: 'a@b.example', code: 'abc' },
    });
    expect(res.status).toBe('wrong-syntax');
  });

  it('answers already-exist for an address of another user (any case), before trying to mail', async () => {
    await h.user({ email: 'taken@example.com' });
    const u = await h.user();
    const res = await h.call('POST', '/api/user', { sid: u.sid, body: { email: 'TAKEN@example.com' } });
    expect(res.status).toBe('already-exist');
  });

  it('answers email-failure while no mail server is configured, and changes nothing', async () => {
    const u = await h.user({ email: `old${newId().slice(0, 8)}@example.com` });
    const res = await h.call('POST', '/api/user', {
      sid: u.sid,
      body: { ...SPEC_EXAMPLE, old_password: u.password, email: 'johnsnewmail@foobar.de' },
    });
    expect(res.status).toBe('email-failure');
    expect(res.message).toMatch(/mail server/);
    const row = await h.services.users.byId(u.uuid);
    expect(row!.pending_email).toBeNull();
    expect(row!.firstname).toBe(u.username);
    expect(await eventsOf(u.sid, 'user_modify')).toHaveLength(0);
  });

  it('confirms a pending e-mail address with its code (second step)', async () => {
    const u = await h.user({ email: `before${newId().slice(0, 8)}@example.com` });
    await h.services.userProfile.setPendingEmail(u.uuid, 'After@Example.com', 'Code123');
    expect((await h.call('POST', '/api/user', { sid: u.sid, body: { code: 'code123' } })).status).toBe(
      'wrong-syntax',
    );
    expect((await me(u)).email).not.toBe('After@Example.com');
    expect((await h.call('POST', '/api/user', { sid: u.sid, body: { code: 'Code123' } })).status).toBe('ok');
    expect((await me(u)).email).toBe('After@Example.com');
    expect(await eventsOf(u.sid, 'user_modify')).toHaveLength(1);
    const row = await h.services.users.byId(u.uuid);
    expect(row!.pending_email).toBeNull();
    expect(row!.pending_email_code).toBeNull();
    // The code is used up.
    expect((await h.call('POST', '/api/user', { sid: u.sid, body: { code: 'Code123' } })).status).toBe(
      'wrong-syntax',
    );
  });

  it('answers wrong-syntax for a code without a pending change', async () => {
    const u = await h.user();
    expect((await h.call('POST', '/api/user', { sid: u.sid, body: { code: 'abc' } })).status).toBe(
      'wrong-syntax',
    );
  });

  it('answers already-exist when the pending address was taken meanwhile', async () => {
    const u = await h.user();
    await h.services.userProfile.setPendingEmail(u.uuid, 'raced@example.com', 'Code1');
    await h.user({ email: 'Raced@example.com' });
    expect((await h.call('POST', '/api/user', { sid: u.sid, body: { code: 'Code1' } })).status).toBe(
      'already-exist',
    );
  });

  it('needs a session authenticated with a user', async () => {
    const body = { firstname: 'X' };
    expect((await h.call('POST', '/api/user', { body })).status).toBe('no-session');
    expect((await h.call('POST', '/api/user', { sid: await anonymousSid(), body })).status).toBe('no-auth');
    const p = await h.partner();
    expect((await h.call('POST', '/api/user', { sid: p.sid, body })).status).toBe('no-auth');
  });
});

describe('GET /api/user/(user-uuid) (spec 3.5)', () => {
  it('answers basic information in the spec shape', async () => {
    const a = await h.user();
    const b = await h.user();
    await h.call('POST', '/api/user', {
      sid: b.sid,
      body: { firstname: 'John', lastname: 'Doe', display_name: 'Johnny Doe' },
    });
    const res = await h.call('GET', `/api/user/${b.uuid}`, { sid: a.sid });
    expect(res).toEqual({
      status: 'ok',
      user: {
        username: b.username,
        firstname: 'John',
        lastname: 'Doe',
        display_name: 'Johnny Doe',
        picture: false,
      },
    });
    // Upper-case UUIDs name the same user.
    expect((await h.call('GET', `/api/user/${b.uuid.toUpperCase()}`, { sid: a.sid })).user.username).toBe(
      b.username,
    );
  });

  it('marks deleted users with deleted: true', async () => {
    const a = await h.user();
    const b = await h.user();
    await h.services.db.updateTable('users').set({ deleted: true }).where('uuid', '=', b.uuid).execute();
    const res = await h.call('GET', `/api/user/${b.uuid}`, { sid: a.sid });
    expect(res.user.deleted).toBe(true);
    expect(res.user.username).toBe(b.username);
  });

  it('answers wrong-user for unknown users and users outside the partner scope alike', async () => {
    const p1 = await h.partner();
    const p2 = await h.partner();
    const free = await h.user();
    const freeToo = await h.user();
    const a1 = await h.user({ partner: p1.name });
    const b1 = await h.user({ partner: p1.name });
    const a2 = await h.user({ partner: p2.name });
    const status = async (caller: TestUser, target: string) =>
      (await h.call('GET', `/api/user/${target}`, { sid: caller.sid })).status as string;
    expect(await status(free, freeToo.uuid)).toBe('ok');
    expect(await status(a1, b1.uuid)).toBe('ok');
    expect(await status(a1, a1.uuid)).toBe('ok');
    const unknown = await h.call('GET', `/api/user/${newId()}`, { sid: free.sid });
    const foreign = await h.call('GET', `/api/user/${a1.uuid}`, { sid: free.sid });
    expect(unknown.status).toBe('wrong-user');
    expect(foreign).toEqual(unknown);
    expect(await status(a1, free.uuid)).toBe('wrong-user');
    expect(await status(a1, a2.uuid)).toBe('wrong-user');
    expect(await status(a2, b1.uuid)).toBe('wrong-user');
  });

  it('refuses a malformed UUID with wrong-syntax', async () => {
    const a = await h.user();
    expect((await h.call('GET', '/api/user/not-a-uuid', { sid: a.sid })).status).toBe('wrong-syntax');
  });

  it('needs a session authenticated with a user', async () => {
    const b = await h.user();
    expect((await h.call('GET', `/api/user/${b.uuid}`)).status).toBe('no-session');
    expect((await h.call('GET', `/api/user/${b.uuid}`, { sid: await anonymousSid() })).status).toBe(
      'no-auth',
    );
  });
});
