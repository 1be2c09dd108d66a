/**
 * POST /api/user address checks (spec 3.5): address-wrong, address-forbidden,
 * unsupported-country, and the area code (and so the number pool) that
 * follows from the address, with the admin's set-area as an override.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../src/admin/commands.js';
import { parseAddressAreas } from '../../src/services/address-service.js';
import { addressProblem, townKey } from '../../src/domain/address.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '10000', ADDRESS_COUNTRIES: 'de, at' });
  const file = path.join(os.tmpdir(), `areas-${process.pid}.csv`);
  fs.writeFileSync(
    file,
    [
      '# country;zip;town;area_code',
      'de;10557;Berlin;030',
      'de;50667;Köln;0221',
      'de;61118;Bad Vilbel;06101',
      'de;60311;Frankfurt am Main;069',
    ].join('\n'),
  );
  const rows = parseAddressAreas(fs.readFileSync(file, 'utf8'));
  fs.rmSync(file);
  expect(await runAdminCommand(h.services, { op: 'address.add', rows })).toEqual({ added: 4 });
});
afterAll(async () => {
  await h?.close();
});

/** The spec 3.5 request example's address. */
const BERLIN = {
  birthday: '1970-12-24',
  zip_code: '10557',
  town: 'Berlin',
  street: 'Willy-Brandt-Straße',
  house_number: '15',
  country: 'de',
};
const KOELN = { ...BERLIN, zip_code: '50667', town: 'KOELN', street: 'Domkloster', house_number: '4' };

const post = (u: TestUser, body: unknown) => h.call('POST', '/api/user', { sid: u.sid, body });
const me = async (u: TestUser) => (await h.call('GET', '/api/user', { sid: u.sid }))['user'];

describe('address verification (spec 3.5)', () => {
  it('accepts the spec example address and sets its area code', async () => {
    const u = await h.user();
    expect(await post(u, BERLIN)).toEqual({ status: 'ok' });
    expect(await me(u)).toMatchObject({
      zip_code: '10557',
      town: 'Berlin',
      area_code: '30',
      validation: 'ok',
    });
  });

  it.each([
    [{ zip_code: '1055' }, 'zip code'],
    [{ zip_code: '99999' }, 'unknown'],
    [{ town: 'Hamburg' }, 'does not lie'],
    [{ town: '12345' }, 'town'],
    [{ street: '42' }, 'street'],
    [{ house_number: 'fifteen' }, 'house number'],
  ])('answers address-wrong for %j and changes nothing', async (change, why) => {
    const u = await h.user();
    const res = await post(u, { ...BERLIN, ...change });
    expect(res['status']).toBe('address-wrong');
    expect(res['message']).toContain(why);
    expect(await me(u)).not.toHaveProperty('zip_code');
  });

  it('answers unsupported-country for a country not served', async () => {
    const u = await h.user();
    expect((await post(u, { ...BERLIN, country: 'fr' }))['status']).toBe('unsupported-country');
    // A served country without directory data: only the shape is checked, no area code follows.
    expect(await post(u, { ...BERLIN, zip_code: '1010', town: 'Wien', country: 'at' })).toEqual({
      status: 'ok',
    });
    expect(await me(u)).not.toHaveProperty('area_code');
  });

  it('moves to another area while no numbers are held there; address-forbidden once they are', async () => {
    const u = await h.user();
    expect(await post(u, BERLIN)).toEqual({ status: 'ok' });
    expect(await post(u, KOELN)).toEqual({ status: 'ok' });
    expect((await me(u))['area_code']).toBe('221');
    // The number pool follows the address.
    await runAdminCommand(h.services, { op: 'numbers.add', area: '221', numbers: ['+492216698001'] });
    const created = await h.call('POST', '/api/phone', { sid: u.sid, body: { create: true } });
    expect(created['status']).toBe('ok');
    expect(Object.keys(created).filter((k) => k !== 'status')).toEqual(['+492216698001']);
    const res = await post(u, BERLIN);
    expect(res['status']).toBe('address-forbidden');
    expect((await me(u))['zip_code']).toBe('50667');
    // Another address in the same area is fine.
    expect(await post(u, { ...KOELN, street: 'Hohe Straße', house_number: '1a' })).toEqual({ status: 'ok' });
  });

  it('keeps the admin set-area as an override of the address area code', async () => {
    const u = await h.user();
    await runAdminCommand(h.services, { op: 'user.set-area', user: u.username, area: '69' });
    expect(await post(u, BERLIN)).toEqual({ status: 'ok' });
    expect((await me(u))['area_code']).toBe('69');
    await runAdminCommand(h.services, { op: 'numbers.add', area: '69', numbers: ['+496912345001'] });
    const created = await h.call('POST', '/api/phone', { sid: u.sid, body: { create: true } });
    expect(Object.keys(created)).toContain('+496912345001');
    // With the override, holding numbers does not pin the address.
    expect(await post(u, KOELN)).toEqual({ status: 'ok' });
  });

  it('lists the statuses in the OpenAPI description', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const desc = doc.paths['/api/user'].post.responses['200'].description as string;
    for (const s of ['address-wrong', 'address-forbidden', 'unsupported-country']) expect(desc).toContain(s);
  });
});

describe('address shapes', () => {
  it('compares towns as people write them and checks the shape per country', () => {
    expect(townKey('Köln')).toBe(townKey('KOELN'));
    expect(townKey('Frankfurt a.M.')).toBe(townKey('Frankfurt a. M.'));
    expect(townKey('Sankt Augustin')).toBe(townKey('St. Augustin'));
    const ok = {
      zip_code: '10557',
      town: 'Berlin',
      street: 'Willy-Brandt-Sträße',
      house_number: '15',
      country: 'de',
    };
    expect(addressProblem(ok)).toBeNull();
    for (const n of ['15a', '15 a', '15-17', '15/2', '3b-3c']) {
      expect(addressProblem({ ...ok, house_number: n }), n).toBeNull();
    }
    expect(addressProblem({ ...ok, zip_code: 'ABCDE' })).toContain('zip code');
    expect(addressProblem({ ...ok, country: 'at' })).toContain('zip code');
  });
});
