import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadKey } from '../../src/api/plugins/session-auth.js';
import { newId } from '../../src/lib/ids.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '10000' });
});
afterAll(async () => {
  await h?.close();
});

type Rgb = { r: number; g: number; b: number };
const RED: Rgb = { r: 255, g: 0, b: 0 };
const GREEN: Rgb = { r: 0, g: 255, b: 0 };
const BLUE: Rgb = { r: 0, g: 0, b: 255 };

function solid(width: number, height: number, background: Rgb) {
  return sharp({ create: { width, height, channels: 3, background } });
}

/** 600x200: red | green | blue thirds. A centred cover crop to a square keeps only green. */
async function stripes(format: 'png' | 'jpeg'): Promise<Buffer> {
  const third = (c: Rgb, left: number) => ({
    input: { create: { width: 200, height: 200, channels: 3 as const, background: c } },
    left,
    top: 0,
  });
  const img = solid(600, 200, RED).composite([third(RED, 0), third(GREEN, 200), third(BLUE, 400)]);
  return format === 'png' ? img.png().toBuffer() : img.jpeg({ quality: 95 }).toBuffer();
}

async function upload(sid: string | undefined, data: Buffer, type = 'image/png') {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/user/picture',
    headers: { ...(sid ? { authorization: `Bearer ${sid}` } : {}), 'content-type': type },
    payload: data,
  });
  expect(res.statusCode).toBe(200);
  return res.json();
}

function download(url: string, sid?: string) {
  return h.app.inject({ method: 'GET', url, headers: sid ? { authorization: `Bearer ${sid}` } : {} });
}

async function centre(jpeg: Buffer): Promise<Rgb> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const i = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * info.channels;
  return { r: data[i]!, g: data[i + 1]!, b: data[i + 2]! };
}

function near(actual: Rgb, expected: Rgb): void {
  for (const k of ['r', 'g', 'b'] as const) expect(Math.abs(actual[k] - expected[k])).toBeLessThan(40);
}

async function eventCount(sid: string): Promise<number> {
  return (await h.services.eventLog.read(sid, 0)).filter((e) => e.event === 'user_modify').length;
}

const SIZES: Array<[string, number]> = [
  ['small', 48],
  ['medium', 96],
  ['large', 192],
  ['huge', 384],
  ['48', 48],
  ['96', 96],
  ['192', 192],
  ['384', 384],
];

describe('POST /api/user/picture (spec 3.6)', () => {
  it('stores a PNG as four square JPEGs, sets the picture flag and publishes user_modify', async () => {
    const u = await h.user();
    expect(await upload(u.sid, await stripes('png'))).toEqual({ status: 'ok' });
    expect((await h.call('GET', '/api/user', { sid: u.sid })).user.picture).toBe(true);
    expect(await eventCount(u.sid)).toBe(1);
    const dir = path.join(h.config.objectDir, 'pictures', u.uuid);
    expect(fs.readdirSync(dir).sort()).toEqual(['192.jpg', '384.jpg', '48.jpg', '96.jpg']);
    for (const px of [48, 96, 192, 384]) {
      const meta = await sharp(fs.readFileSync(path.join(dir, `${px}.jpg`))).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', px, px]);
    }
  });

  it('accepts a JPEG, also without a Content-Type, and replaces the previous picture', async () => {
    const u = await h.user();
    await upload(u.sid, await solid(300, 300, RED).jpeg().toBuffer(), 'image/jpeg');
    near(await centre((await download(`/api/user/self/picture/small/a.jpg`, u.sid)).rawPayload), RED);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/user/picture',
      headers: { authorization: `Bearer ${u.sid}` },
      payload: await stripes('jpeg'),
    });
    expect(res.json()).toEqual({ status: 'ok' });
    near(await centre((await download(`/api/user/self/picture/small/a.jpg`, u.sid)).rawPayload), GREEN);
  });

  it('crops to the centre square (cover) rather than squeezing', async () => {
    const u = await h.user();
    await upload(u.sid, await stripes('png'));
    const huge = (await download(`/api/user/self/picture/huge/x.jpg`, u.sid)).rawPayload;
    near(await centre(huge), GREEN);
    // The left and right edges of the crop are still green: red and blue were cut away.
    const { data, info } = await sharp(huge).raw().toBuffer({ resolveWithObject: true });
    const row = Math.floor(info.height / 2) * info.width * info.channels;
    near({ r: data[row + 3 * 3]!, g: data[row + 3 * 3 + 1]!, b: data[row + 3 * 3 + 2]! }, GREEN);
  });

  it('flattens transparency onto white', async () => {
    const u = await h.user();
    const transparent = await sharp({
      create: { width: 100, height: 100, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    await upload(u.sid, transparent);
    near(await centre((await download(`/api/user/self/picture/medium/x.jpg`, u.sid)).rawPayload), {
      r: 255,
      g: 255,
      b: 255,
    });
  });

  it('accepts exactly 1500x1500 but answers too-large above, leaving the old picture', async () => {
    const u = await h.user();
    expect((await upload(u.sid, await solid(1500, 1500, RED).png().toBuffer())).status).toBe('ok');
    const big = await solid(1600, 1600, BLUE).png().toBuffer();
    expect((await upload(u.sid, big)).status).toBe('too-large');
    expect((await upload(u.sid, await solid(1501, 10, BLUE).jpeg().toBuffer(), 'image/jpeg')).status).toBe(
      'too-large',
    );
    near(await centre((await download(`/api/user/self/picture/small/a.jpg`, u.sid)).rawPayload), RED);
  });

  it('answers too-large for a body over the byte limit', async () => {
    const u = await h.user();
    const res = await upload(u.sid, Buffer.alloc(h.config.pictureMaxBytes + 1, 7));
    expect(res.status).toBe('too-large');
    expect((await h.call('GET', '/api/user', { sid: u.sid })).user.picture).toBe(false);
  });

  it('answers malformed-file for garbage, a GIF, a truncated PNG and an empty body', async () => {
    const u = await h.user();
    const png = await stripes('png');
    const gif = await solid(20, 20, RED).gif().toBuffer();
    const cases: Array<[string, Buffer]> = [
      ['garbage', Buffer.from('this is not a picture at all, just some text')],
      ['gif', gif],
      ['truncated png', png.subarray(0, Math.floor(png.length / 2))],
      ['empty', Buffer.alloc(0)],
      ['json', Buffer.from('{"picture": true}')],
    ];
    for (const [what, data] of cases) {
      const res = await upload(u.sid, data);
      expect(res.status, what).toBe('malformed-file');
    }
    expect((await h.call('GET', '/api/user', { sid: u.sid })).user.picture).toBe(false);
    expect(fs.existsSync(path.join(h.config.objectDir, 'pictures', u.uuid))).toBe(false);
    expect(await eventCount(u.sid)).toBe(0);
  });

  it('needs a session authenticated with a user', async () => {
    const png = await stripes('png');
    expect((await upload(undefined, png)).status).toBe('no-session');
    const anon = (await h.call('GET', '/api/session')).sid as string;
    expect((await upload(anon, png)).status).toBe('no-auth');
    const p = await h.partner();
    expect((await upload(p.sid, png)).status).toBe('no-auth');
  });
});

describe('DELETE /api/user/picture (spec 3.6)', () => {
  it('removes the picture files and flag and publishes user_modify', async () => {
    const u = await h.user();
    await upload(u.sid, await stripes('png'));
    expect(await h.call('DELETE', '/api/user/picture', { sid: u.sid })).toEqual({ status: 'ok' });
    expect((await h.call('GET', '/api/user', { sid: u.sid })).user.picture).toBe(false);
    expect(fs.existsSync(path.join(h.config.objectDir, 'pictures', u.uuid))).toBe(false);
    expect(await eventCount(u.sid)).toBe(2);
    expect((await download(`/api/user/self/picture/small/a.jpg`, u.sid)).statusCode).toBe(302);
    // Deleting again is fine and changes nothing.
    expect((await h.call('DELETE', '/api/user/picture', { sid: u.sid })).status).toBe('ok');
    expect(await eventCount(u.sid)).toBe(2);
  });

  it('needs a session authenticated with a user', async () => {
    expect((await h.call('DELETE', '/api/user/picture')).status).toBe('no-session');
    const anon = (await h.call('GET', '/api/session')).sid as string;
    expect((await h.call('DELETE', '/api/user/picture', { sid: anon })).status).toBe('no-auth');
  });
});

describe('GET /api/user/(user-id)/picture/(size)/xxx.jpg (spec 3.6)', () => {
  let owner: TestUser;
  let viewer: TestUser;
  beforeAll(async () => {
    owner = await h.user();
    viewer = await h.user();
    await upload(owner.sid, await stripes('png'));
  });

  it.each(SIZES)('serves size %s as a %dpx square JPEG by UUID and as self', async (size, px) => {
    for (const [id, sid] of [
      [owner.uuid, viewer.sid],
      ['self', owner.sid],
    ] as const) {
      const res = await download(`/api/user/${id}/picture/${size}/johndoe.jpg`, sid);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(res.headers['content-disposition']).toBe('attachment');
      const meta = await sharp(res.rawPayload).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', px, px]);
    }
  });

  it('answers Content-Disposition inline with the inline parameter', async () => {
    const res = await download(`/api/user/${owner.uuid}/picture/large/x.jpg?inline`, viewer.sid);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('inline');
  });

  it('redirects (302) to the default picture for users without one', async () => {
    const res = await download(`/api/user/${viewer.uuid}/picture/medium/face.jpg`, owner.sid);
    expect(res.statusCode).toBe(302);
    expect(res.headers['location']).toBe('/api/user/default/picture/medium/face.jpg');
    expect(res.body).toBe('');
    const self = await download(`/api/user/self/picture/96/face.jpg?inline`, viewer.sid);
    expect(self.statusCode).toBe(302);
    expect(self.headers['location']).toBe('/api/user/default/picture/96/face.jpg?inline');
  });

  it.each(SIZES)('serves the default picture in size %s without a session', async (size, px) => {
    const res = await download(`/api/user/default/picture/${size}/default.jpg`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(res.rawPayload).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', px, px]);
  });

  it('renders the default picture once and keeps it on disk', async () => {
    const first = await download(`/api/user/default/picture/huge/a.jpg?inline`);
    expect(first.headers['content-disposition']).toBe('inline');
    const file = path.join(h.config.objectDir, 'pictures', 'default', '384.jpg');
    expect(fs.readFileSync(file).equals(first.rawPayload)).toBe(true);
    // A fresh app on the same storage serves the cached file as is.
    const second = await (
      await h.newApp()
    ).inject({ method: 'GET', url: '/api/user/default/picture/384/b.jpg' });
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
  });

  it('accepts did + dkey instead of a session (spec 2.3)', async () => {
    const { did } = await h.call('GET', '/api/session', { sid: viewer.sid });
    const ok = await download(
      `/api/user/${owner.uuid}/picture/small/x.jpg?did=${did}&dkey=${downloadKey(owner.uuid, viewer.sid)}`,
    );
    expect(ok.statusCode).toBe(200);
    expect((await sharp(ok.rawPayload).metadata()).width).toBe(48);
    const own = await h.call('GET', '/api/session', { sid: owner.sid });
    const self = await download(
      `/api/user/self/picture/small/x.jpg?did=${own.did}&dkey=${downloadKey('self', owner.sid)}`,
    );
    expect(self.statusCode).toBe(200);
    // A dkey for another id, or from another session, does not open the picture.
    const wrongId = await download(
      `/api/user/${owner.uuid}/picture/small/x.jpg?did=${did}&dkey=${downloadKey(viewer.uuid, viewer.sid)}`,
    );
    expect([wrongId.statusCode, wrongId.body]).toEqual([404, '']);
    const wrongSid = await download(
      `/api/user/${owner.uuid}/picture/small/x.jpg?did=${did}&dkey=${downloadKey(owner.uuid, owner.sid)}`,
    );
    expect([wrongSid.statusCode, wrongSid.body]).toEqual([404, '']);
  });

  it('answers 404 without a body for unknown users and users outside the partner scope', async () => {
    const p1 = await h.partner();
    const p2 = await h.partner();
    const a1 = await h.user({ partner: p1.name });
    const b1 = await h.user({ partner: p1.name });
    const a2 = await h.user({ partner: p2.name });
    await upload(a1.sid, await stripes('png'));
    await upload(a2.sid, await stripes('png'));
    const status = async (id: string, sid: string) => {
      const res = await download(`/api/user/${id}/picture/small/x.jpg`, sid);
      if (res.statusCode === 404) expect(res.body).toBe('');
      return res.statusCode;
    };
    expect(await status(a1.uuid, b1.sid)).toBe(200);
    expect(await status(newId(), viewer.sid)).toBe(404);
    expect(await status(a1.uuid, viewer.sid)).toBe(404);
    expect(await status(owner.uuid, a1.sid)).toBe(404);
    expect(await status(a2.uuid, b1.sid)).toBe(404);
    // Users without a picture outside the scope do not even reveal the redirect.
    expect(await status(b1.uuid, a2.sid)).toBe(404);
    // A partner session sees the pictures of its own users only, and has no `self`.
    expect(await status(a1.uuid, p1.sid)).toBe(200);
    expect(await status(b1.uuid, p1.sid)).toBe(302);
    expect(await status(a2.uuid, p1.sid)).toBe(404);
    expect(await status(owner.uuid, p1.sid)).toBe(404);
    expect(await status('self', p1.sid)).toBe(404);
  });

  it('answers 404 without a body for missing or unauthenticated sessions and malformed URLs', async () => {
    const anon = (await h.call('GET', '/api/session')).sid as string;
    const cases: Array<[string, string | undefined]> = [
      [`/api/user/${owner.uuid}/picture/small/x.jpg`, undefined],
      [`/api/user/self/picture/small/x.jpg`, undefined],
      [`/api/user/${owner.uuid}/picture/small/x.jpg`, anon],
      [`/api/user/${owner.uuid}/picture/tiny/x.jpg`, viewer.sid],
      [`/api/user/${owner.uuid}/picture/100/x.jpg`, viewer.sid],
      [`/api/user/${owner.uuid}/picture/small/x.png`, viewer.sid],
      [`/api/user/not-a-uuid/picture/small/x.jpg`, viewer.sid],
      [`/api/user/default/picture/gigantic/x.jpg`, undefined],
    ];
    for (const [url, sid] of cases) {
      const res = await download(url, sid);
      expect([res.statusCode, res.body], url).toEqual([404, '']);
    }
  });
});
