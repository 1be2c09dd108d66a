/**
 * /api/mwi (spec 13.1.2): the MWI URI mappings of phone numbers, for users
 * with the special `mwi` permission; the spec's own request example.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../src/admin/commands.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

let h: Harness;
let admin: TestUser;
let owner: TestUser;

/** The spec's example numbers: the first exists, the second does not. */
const KNOWN = '+4940382738473';
const UNKNOWN = '+4940123212328';
const SPEC_EXAMPLE = {
  [KNOWN]: 'sip:04066889977@bmcag.com',
  [UNKNOWN]: 'sip:04066889988@bmcag.com',
};

beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '1000' });
  admin = await h.user();
  owner = await h.user();
  await runAdminCommand(h.services, {
    op: 'user.set-permission',
    user: admin.username,
    permission: 'mwi',
    granted: true,
  });
  await h.services.db
    .insertInto('phones')
    .values({ number: KNOWN, user_uuid: owner.uuid, created_us: Date.now() * 1000 })
    .execute();
});
afterAll(async () => {
  await h?.close();
});

const get = (phone: string, u = admin) =>
  h.call('GET', `/api/mwi/${encodeURIComponent(phone)}`, { sid: u.sid });
const del = (phone: string, u = admin) =>
  h.call('DELETE', `/api/mwi/${encodeURIComponent(phone)}`, { sid: u.sid });
const post = (body: unknown, u = admin) => h.call('POST', '/api/mwi', { sid: u.sid, body });

describe('/api/mwi', () => {
  it('answers access-denied without the mwi permission, on every call', async () => {
    for (const u of [owner, await h.user()]) {
      expect((await get(KNOWN, u))['status']).toBe('access-denied');
      expect((await post(SPEC_EXAMPLE, u))['status']).toBe('access-denied');
      expect((await del(KNOWN, u))['status']).toBe('access-denied');
    }
    // Granting it (the CLI's set-permission) opens the calls; revoking closes them again.
    const u = await h.user();
    await runAdminCommand(h.services, {
      op: 'user.set-permission',
      user: u.uuid,
      permission: 'mwi',
      granted: true,
    });
    expect(await get(KNOWN, u)).toEqual({ status: 'ok' });
    await runAdminCommand(h.services, {
      op: 'user.set-permission',
      user: u.uuid,
      permission: 'mwi',
      granted: false,
    });
    expect((await get(KNOWN, u))['status']).toBe('access-denied');
  });

  it('maps the spec example: phone-ok for the known number, phone-fail for the unknown one', async () => {
    expect(await get(KNOWN)).toEqual({ status: 'ok' });
    expect(await post(SPEC_EXAMPLE)).toEqual({ status: 'ok', 'phone-ok': [KNOWN], 'phone-fail': [UNKNOWN] });
    expect(await get(KNOWN)).toEqual({ status: 'ok', mwi_uri: 'sip:04066889977@bmcag.com' });
    // The number as the path shows it, unencoded, works alike.
    expect(await h.call('GET', `/api/mwi/${KNOWN}`, { sid: admin.sid })).toEqual({
      status: 'ok',
      mwi_uri: 'sip:04066889977@bmcag.com',
    });
    // A new mapping replaces the old one; a port after the host is kept.
    expect(await post({ [KNOWN]: 'sip:mwi@127.0.0.1:5099' })).toEqual({
      status: 'ok',
      'phone-ok': [KNOWN],
      'phone-fail': [],
    });
    expect((await get(KNOWN))['mwi_uri']).toBe('sip:mwi@127.0.0.1:5099');
    expect(await del(KNOWN)).toEqual({ status: 'ok' });
    expect(await get(KNOWN)).toEqual({ status: 'ok' });
    // Deleting what is not mapped is fine; the number still exists.
    expect(await del(KNOWN)).toEqual({ status: 'ok' });
  });

  it('answers wrong-phone for numbers the system does not know', async () => {
    for (const phone of [UNKNOWN, 'nonsense']) {
      expect((await get(phone))['status'], phone).toBe('wrong-phone');
      expect((await del(phone))['status'], phone).toBe('wrong-phone');
    }
  });

  it('checks the form of numbers and URIs', async () => {
    for (const body of [
      { [KNOWN]: 'tel:+4940382738473' },
      { [KNOWN]: 'sip:bmcag.com' },
      { [KNOWN]: 'sip:04066889977@' },
      { [KNOWN]: 42 },
      { '4940382738473': 'sip:04066889977@bmcag.com' },
      { '+49': 'sip:04066889977@bmcag.com' },
    ]) {
      expect((await post(body))['status'], JSON.stringify(body)).toBe('wrong-syntax');
    }
    expect((await get(KNOWN))['mwi_uri']).toBeUndefined();
  });

  it('drops the mapping with its number', async () => {
    const number = '+4940382738499';
    await h.services.db
      .insertInto('phones')
      .values({ number, user_uuid: owner.uuid, created_us: Date.now() * 1000 })
      .execute();
    expect((await post({ [number]: 'sip:lamp@bmcag.com' }))['phone-ok']).toEqual([number]);
    await h.services.db.deleteFrom('phones').where('number', '=', number).execute();
    expect((await get(number))['status']).toBe('wrong-phone');
    await h.services.db
      .insertInto('phones')
      .values({ number, user_uuid: owner.uuid, created_us: Date.now() * 1000 })
      .execute();
    expect(await get(number)).toEqual({ status: 'ok' });
  });
});
