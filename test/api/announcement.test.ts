import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadKey } from '../../src/api/plugins/session-auth.js';
import { newId } from '../../src/lib/ids.js';
import { AUDIO_FILES } from '../../src/media/processors/audio-convert.js';
import { isSilent, measureWav } from '../../src/media/processors/audio-silence.js';
import { startMediaWorker, type RunningMediaWorker } from '../../src/media/worker.js';
import { download, EventReader, postRaw, probeBytes, waitIdle } from '../helpers/audio-api.js';
import { silence, tempDir, tone } from '../helpers/audio-fixtures.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

const MAX_BYTES = 400_000;

let h: Harness;
let worker: RunningMediaWorker;
const dir = tempDir('announcement-api');
const fixture = {} as Record<'wav' | 'ogg' | 'silence' | 'big', Buffer>;

beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '10000', AUDIO_MAX_BYTES: String(MAX_BYTES) });
  worker = startMediaWorker(h.services, { concurrency: 1 });
  fixture.wav = fs.readFileSync(tone(path.join(dir, 'in.wav'), { rate: 44100, channels: 2, seconds: 1.5 }));
  fixture.ogg = fs.readFileSync(
    tone(path.join(dir, 'in.ogg'), { rate: 48000, channels: 2, seconds: 1, codec: 'libvorbis' }),
  );
  fixture.silence = fs.readFileSync(silence(path.join(dir, 'silence.wav'), { seconds: 1 }));
  fixture.big = fs.readFileSync(tone(path.join(dir, 'big.wav'), { rate: 44100, channels: 2, seconds: 3 }));
});
afterAll(async () => {
  await worker?.close();
  await h?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function create(u: TestUser, description?: string): Promise<string> {
  const res = await h.call('POST', '/api/announcement', {
    sid: u.sid,
    body: description === undefined ? {} : { description },
  });
  expect(res.status).toBe('ok');
  return res['uuid'] as string;
}

const get = (u: TestUser, uuid: string) => h.call('GET', `/api/announcement/${uuid}`, { sid: u.sid });
const upload = (u: TestUser, uuid: string, body: Buffer, name = 'greeting.wav') =>
  postRaw(h, `/api/announcement/${uuid}/${name}`, body, u.sid);

/** Waits for the announcement_convert of `uuid` after the events already seen. */
async function converted(reader: EventReader, uuid: string) {
  const mine = () => reader.named('announcement_convert').filter((e) => e['announcement'] === uuid);
  const before = mine().length;
  await reader.waitFor('announcement_convert', () => mine().length > before);
  return mine()[before]!;
}

function folder(uuid: string): string {
  return path.join(h.config.objectDir, 'announcement', uuid);
}

describe('POST /api/announcement (extension) and GET /api/announcement/(uuid)', () => {
  it('creates an empty announcement and shows it in the shape of spec 3.15', async () => {
    const u = await h.user();
    const events = new EventReader(h, u.sid);
    const uuid = await create(u, 'Meine Standardansage');
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-/);
    const res = await get(u, uuid);
    expect(res).toEqual({
      status: 'ok',
      announcement: {
        owner: u.uuid,
        time: expect.any(Number),
        description: 'Meine Standardansage',
        status: 'empty',
        tag: [expect.any(String)],
      },
    });
    expect(Math.abs(res['announcement'].time - Date.now() / 1000)).toBeLessThan(60);
    const created = await events.waitFor('object_new', (e) => e['object'] === uuid);
    expect(created).toMatchObject({ type: 'announcement', owner: u.uuid, tag: res['announcement'].tag });
  });

  it('documents the create call as an extension in the OpenAPI document', async () => {
    const doc = await h.call('GET', '/api/openapi.json');
    expect(doc['paths']['/api/announcement']['post']['summary']).toMatch(/extension/i);
  });

  it('accepts no description, and rejects one over 200 characters', async () => {
    const u = await h.user();
    const uuid = await create(u);
    expect((await get(u, uuid))['announcement']).not.toHaveProperty('description');
    const long = await h.call('POST', '/api/announcement', {
      sid: u.sid,
      body: { description: 'x'.repeat(201) },
    });
    expect(long.status).toBe('wrong-syntax');
    const num = await h.call('POST', '/api/announcement', { sid: u.sid, body: { description: 5 } });
    expect(num.status).toBe('wrong-syntax');
  });
});

describe('upload (spec 3.15 xxx.wav / xxx.ogg) and conversion', () => {
  it('converts a 44.1 kHz stereo WAV to 8 kHz mono 16-bit and Ogg Vorbis, with events', async () => {
    const u = await h.user();
    const uuid = await create(u, 'greeting');
    const events = new EventReader(h, u.sid);
    expect(await upload(u, uuid, fixture.wav)).toEqual({ status: 'ok' });
    expect((await get(u, uuid))['announcement'].status).toMatch(/^(convert|ok)$/);

    const done = await converted(events, uuid);
    expect(done).toEqual({
      id: expect.any(Number),
      event: 'announcement_convert',
      time: expect.any(Number),
      announcement: uuid,
      success: true,
    });
    expect((await get(u, uuid))['announcement'].status).toBe('ok');
    // object_modify for convert (by the user), then for ok, before announcement_convert.
    const modifies = events.named('object_modify').filter((e) => e['object'] === uuid);
    expect(modifies.length).toBeGreaterThanOrEqual(2);
    expect(modifies[0]).toMatchObject({ type: 'announcement', owner: u.uuid, user: u.uuid });
    expect(modifies.at(-1)!.id).toBeLessThan(done.id);

    const wav = await download(h, `/api/announcement/${uuid}/anything.wav`, u.sid);
    expect(wav.statusCode).toBe(200);
    expect(wav.headers['content-type']).toBe('audio/wav');
    expect(wav.headers['content-disposition']).toBe('attachment');
    expect(Number(wav.headers['content-length'])).toBe(wav.body.length);
    expect(probeBytes(dir, `${uuid}.wav`, wav.body)).toMatchObject({
      codec: 'pcm_s16le',
      sampleFmt: 's16',
      sampleRate: 8000,
      channels: 1,
      duration: expect.closeTo(1.5, 1),
    });
    // The WAV download is the file the telephony engine plays.
    expect(wav.body.equals(fs.readFileSync(path.join(folder(uuid), AUDIO_FILES.wav)))).toBe(true);
    expect(h.services.announcements.telephonyWav(uuid)).toBe(path.join(folder(uuid), AUDIO_FILES.wav));

    const ogg = await download(h, `/api/announcement/${uuid}/x.ogg?inline`, u.sid);
    expect(ogg.statusCode).toBe(200);
    expect(ogg.headers['content-type']).toBe('audio/ogg');
    expect(ogg.headers['content-disposition']).toBe('inline');
    expect(probeBytes(dir, `${uuid}.ogg`, ogg.body)).toMatchObject({ format: 'ogg', codec: 'vorbis' });

    // Only the results are left in the folder: no upload, no work files.
    await waitIdle(h);
    expect(fs.readdirSync(folder(uuid)).sort()).toEqual([AUDIO_FILES.wav, AUDIO_FILES.ogg].sort());
  });

  it('converts an Ogg Vorbis upload', async () => {
    const u = await h.user();
    const uuid = await create(u);
    const events = new EventReader(h, u.sid);
    await upload(u, uuid, fixture.ogg, 'hello.ogg');
    expect((await converted(events, uuid))['success']).toBe(true);
    const wav = await download(h, `/api/announcement/${uuid}/x.wav`, u.sid);
    expect(probeBytes(dir, `${uuid}-ogg.wav`, wav.body)).toMatchObject({ sampleRate: 8000, channels: 1 });
  });

  it('ends empty, without success and without contents, when only silence was uploaded', async () => {
    const u = await h.user();
    const uuid = await create(u);
    const events = new EventReader(h, u.sid);
    await upload(u, uuid, fixture.wav);
    await converted(events, uuid);
    await upload(u, uuid, fixture.silence);
    const done = await converted(events, uuid);
    expect(done).not.toHaveProperty('success');
    expect((await get(u, uuid))['announcement'].status).toBe('empty');
    for (const f of ['x.wav', 'x.ogg']) {
      const res = await download(h, `/api/announcement/${uuid}/${f}`, u.sid);
      expect(res.statusCode).toBe(404);
      expect(res.body.length).toBe(0);
    }
    await waitIdle(h);
    expect(fs.readdirSync(folder(uuid))).toEqual([]);
  });

  it('answers malformed-file for an empty body and for garbage, and keeps the announcement as it was', async () => {
    const u = await h.user();
    const uuid = await create(u);
    const events = new EventReader(h, u.sid);
    await upload(u, uuid, fixture.wav);
    await converted(events, uuid);
    const garbage = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 256));
    for (const [name, body] of [
      ['empty.wav', Buffer.alloc(0)],
      ['garbage.wav', garbage],
      ['text.ogg', Buffer.from('just some text, not Ogg Vorbis')],
    ] as const) {
      const res = await upload(u, uuid, body, name);
      expect(res['status'], name).toBe('malformed-file');
    }
    expect((await get(u, uuid))['announcement'].status).toBe('ok');
    await waitIdle(h);
    expect(fs.readdirSync(folder(uuid)).sort()).toEqual([AUDIO_FILES.wav, AUDIO_FILES.ogg].sort());
    expect((await download(h, `/api/announcement/${uuid}/x.wav`, u.sid)).statusCode).toBe(200);
  });

  it(`answers too-large above AUDIO_MAX_BYTES (${MAX_BYTES} here)`, async () => {
    const u = await h.user();
    const uuid = await create(u);
    expect(fixture.big.length).toBeGreaterThan(MAX_BYTES);
    expect((await upload(u, uuid, fixture.big))['status']).toBe('too-large');
    expect((await get(u, uuid))['announcement'].status).toBe('empty');
  });

  it('lets the last of two quick uploads win', async () => {
    const u = await h.user();
    const uuid = await create(u);
    const events = new EventReader(h, u.sid);
    await upload(u, uuid, fixture.wav);
    await upload(u, uuid, fixture.silence);
    await events.waitFor('announcement_convert', (e) => e['announcement'] === uuid && !('success' in e));
    // Wait for the queue to drain: the first job must not overwrite the second's outcome.
    await waitIdle(h);
    expect((await get(u, uuid))['announcement'].status).toBe('empty');
  });

  it('only accepts xxx.wav and xxx.ogg names', async () => {
    const u = await h.user();
    const uuid = await create(u);
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/announcement/${uuid}/x.mp3`,
      headers: { authorization: `Bearer ${u.sid}` },
      payload: fixture.wav,
    });
    expect(res.json().status).toBe('wrong-syntax');
  });
});

describe('POST /api/announcement/(uuid)/text2speech', () => {
  it('speaks the spec example (en-GB) into non-silent 8 kHz audio', async () => {
    const u = await h.user();
    const uuid = await create(u);
    const events = new EventReader(h, u.sid);
    const res = await h.call('POST', `/api/announcement/${uuid}/text2speech`, {
      sid: u.sid,
      body: { text: 'Hello to Johns mailbox.', locale: 'en-GB' },
    });
    expect(res).toEqual({ status: 'ok' });
    expect((await converted(events, uuid))['success']).toBe(true);
    const wav = await download(h, `/api/announcement/${uuid}/x.wav`, u.sid);
    expect(probeBytes(dir, `${uuid}-tts.wav`, wav.body)).toMatchObject({ sampleRate: 8000, channels: 1 });
    expect(isSilent(await measureWav(path.join(dir, `${uuid}-tts.wav`)))).toBe(false);
  });

  it('defaults to de-DE', async () => {
    const u = await h.user();
    const [a, b] = [await create(u), await create(u)];
    const events = new EventReader(h, u.sid);
    const text = 'Guten Tag und herzlich willkommen.';
    await h.call('POST', `/api/announcement/${a}/text2speech`, { sid: u.sid, body: { text } });
    await h.call('POST', `/api/announcement/${b}/text2speech`, {
      sid: u.sid,
      body: { text, locale: 'de-DE' },
    });
    await converted(events, a);
    await converted(events, b);
    const wa = await download(h, `/api/announcement/${a}/x.wav`, u.sid);
    const wb = await download(h, `/api/announcement/${b}/x.wav`, u.sid);
    expect(wa.body.equals(wb.body)).toBe(true);
  });

  it('speaks the same text again after an upload replaced it', async () => {
    const u = await h.user();
    const uuid = await create(u);
    const events = new EventReader(h, u.sid);
    const body = { text: 'Bitte warten.', locale: 'de-DE' };
    await h.call('POST', `/api/announcement/${uuid}/text2speech`, { sid: u.sid, body });
    await converted(events, uuid);
    const first = (await download(h, `/api/announcement/${uuid}/x.wav`, u.sid)).body;
    await upload(u, uuid, fixture.wav);
    await converted(events, uuid);
    await h.call('POST', `/api/announcement/${uuid}/text2speech`, { sid: u.sid, body });
    expect((await converted(events, uuid))['success']).toBe(true);
    expect((await download(h, `/api/announcement/${uuid}/x.wav`, u.sid)).body.equals(first)).toBe(true);
  });

  it.each([
    ['no body fields', 'missing-element', {}],
    ['no text', 'missing-element', { locale: 'en-GB' }],
    ['an empty text', 'wrong-syntax', { text: '' }],
    ['5001 characters', 'wrong-syntax', { text: 'x'.repeat(5001) }],
    ['a line break', 'wrong-syntax', { text: 'two\nlines' }],
    ['a number as text', 'wrong-syntax', { text: 42 }],
    ['locale de', 'wrong-syntax', { text: 'Hallo', locale: 'de' }],
    ['locale pt-PT', 'wrong-syntax', { text: 'Hallo', locale: 'pt-PT' }],
  ])('rejects %s with %s', async (_label, status, body) => {
    const u = await h.user();
    const uuid = await create(u);
    const res = await h.call('POST', `/api/announcement/${uuid}/text2speech`, { sid: u.sid, body });
    expect(res.status).toBe(status);
    expect((await get(u, uuid))['announcement'].status).toBe('empty');
  });

  it('accepts 5000 characters', async () => {
    const u = await h.user();
    const uuid = await create(u);
    const res = await h.call('POST', `/api/announcement/${uuid}/text2speech`, {
      sid: u.sid,
      body: { text: 'a'.repeat(5000), locale: 'it-IT' },
    });
    expect(res.status).toBe('ok');
    expect((await get(u, uuid))['announcement'].status).toBe('convert');
    // Purged at once: the job finds no object and does nothing (it would take the queue a while).
    await h.call('DELETE', `/api/announcement/${uuid}?purge`, { sid: u.sid });
  });
});

describe('POST and DELETE /api/announcement/(uuid)', () => {
  it('changes the description (spec example) and sends object_modify', async () => {
    const u = await h.user();
    const uuid = await create(u, 'old');
    const events = new EventReader(h, u.sid);
    const res = await h.call('POST', `/api/announcement/${uuid}`, {
      sid: u.sid,
      body: { description: 'A description text' },
    });
    expect(res).toEqual({ status: 'ok' });
    expect((await get(u, uuid))['announcement'].description).toBe('A description text');
    expect(await events.waitFor('object_modify', (e) => e['object'] === uuid)).toMatchObject({
      description: 'A description text',
      user: u.uuid,
    });
    expect((await h.call('POST', `/api/announcement/${uuid}`, { sid: u.sid, body: {} })).status).toBe('ok');
    const long = { description: 'y'.repeat(201) };
    expect((await h.call('POST', `/api/announcement/${uuid}`, { sid: u.sid, body: long })).status).toBe(
      'wrong-syntax',
    );
  });

  it('moves to the trash, and purges with its files', async () => {
    const u = await h.user();
    const uuid = await create(u);
    const events = new EventReader(h, u.sid);
    await upload(u, uuid, fixture.wav);
    await converted(events, uuid);
    expect((await h.call('DELETE', `/api/announcement/${uuid}`, { sid: u.sid })).status).toBe('ok');
    const trashed = await get(u, uuid);
    expect(trashed['announcement'].tag).toHaveLength(2);
    expect(fs.existsSync(folder(uuid))).toBe(true);
    expect((await h.call('DELETE', `/api/announcement/${uuid}?purge`, { sid: u.sid })).status).toBe('ok');
    expect((await get(u, uuid)).status).toBe('wrong-announcement');
    expect(fs.existsSync(folder(uuid))).toBe(false);
    expect(await events.waitFor('object_delete', (e) => e['purge'] === true)).toMatchObject({ object: uuid });
  });
});

describe('failures after retries', () => {
  it('sets status fail and sends announcement_convert without success on the final attempt', async () => {
    const u = await h.user();
    const uuid = await create(u);
    const events = new EventReader(h, u.sid);
    const svc = h.services.announcements;
    fs.mkdirSync(svc.dir(uuid), { recursive: true });
    const pending = path.join(svc.dir(uuid), 'upload-0123abcd');
    fs.writeFileSync(pending, fixture.wav);
    const broken = async () => {
      throw new Error('ffmpeg exploded');
    };
    const ctx = (final: boolean) => ({ final, progress: async () => undefined });
    await expect(svc.runConversion(uuid, u.uuid, pending, ctx(false), broken)).rejects.toThrow(/exploded/);
    expect((await get(u, uuid))['announcement'].status).toBe('empty');
    await expect(svc.runConversion(uuid, u.uuid, pending, ctx(true), broken)).rejects.toThrow(/exploded/);
    expect((await get(u, uuid))['announcement'].status).toBe('fail');
    expect(await converted(events, uuid)).not.toHaveProperty('success');
    expect(fs.existsSync(pending)).toBe(false);
  });
});

describe('authorization', () => {
  let owner: TestUser;
  let other: TestUser;
  let uuid: string;
  beforeAll(async () => {
    owner = await h.user();
    other = await h.user();
    uuid = await create(owner, 'private');
    const events = new EventReader(h, owner.sid);
    await upload(owner, uuid, fixture.wav);
    await converted(events, uuid);
  });

  const calls = (id: string): Array<[string, string, unknown]> => [
    ['GET', `/api/announcement/${id}`, undefined],
    ['POST', `/api/announcement/${id}`, { description: 'mine now' }],
    ['DELETE', `/api/announcement/${id}?purge`, undefined],
    ['POST', `/api/announcement/${id}/text2speech`, { text: 'hello' }],
  ];

  it('answers no-session without a session and no-auth for unauthenticated and partner sessions', async () => {
    const anon = (await h.call('GET', '/api/session'))['sid'] as string;
    const partner = await h.partner();
    for (const [method, url, body] of [...calls(uuid), ['POST', '/api/announcement', {}] as const]) {
      const m = method as 'GET';
      expect((await h.call(m, url, { body })).status, `${method} ${url}`).toBe('no-session');
      expect((await h.call(m, url, { sid: anon, body })).status, `${method} ${url}`).toBe('no-auth');
      expect((await h.call(m, url, { sid: partner.sid, body })).status, `${method} ${url}`).toBe('no-auth');
    }
    expect((await postRaw(h, `/api/announcement/${uuid}/x.wav`, fixture.wav))['status']).toBe('no-session');
    expect((await postRaw(h, `/api/announcement/${uuid}/x.wav`, fixture.wav, anon))['status']).toBe(
      'no-auth',
    );
    expect((await download(h, `/api/announcement/${uuid}/x.wav`)).statusCode).toBe(404);
    expect((await download(h, `/api/announcement/${uuid}/x.wav`, anon)).statusCode).toBe(404);
  });

  it("answers another user's announcement exactly like an unknown one", async () => {
    const unknown = newId();
    for (const id of [uuid, unknown]) {
      for (const [method, url, body] of calls(id)) {
        const res = await h.call(method, url, { sid: other.sid, body });
        expect(res.status, `${method} ${url}`).toBe('wrong-announcement');
      }
      expect((await upload(other, id, fixture.wav))['status']).toBe('wrong-announcement');
      expect((await upload(other, id, Buffer.alloc(0)))['status']).toBe('wrong-announcement');
      for (const f of ['x.wav', 'x.ogg']) {
        const res = await download(h, `/api/announcement/${id}/${f}`, other.sid);
        expect(res.statusCode).toBe(404);
        expect(res.body.length).toBe(0);
      }
    }
    const still = await get(owner, uuid);
    expect(still['announcement']).toMatchObject({ description: 'private', status: 'ok' });
  });

  it('answers wrong-syntax for a malformed UUID and wrong-announcement for a recording', async () => {
    expect((await h.call('GET', '/api/announcement/not-a-uuid', { sid: owner.sid })).status).toBe(
      'wrong-syntax',
    );
    const rec = await h.services.recordings.createFromCall({
      owner: owner.uuid,
      from: '+492216689712',
      to: '+492216689711',
      wavPath: tone(path.join(dir, 'rec.wav'), { seconds: 0.5 }),
    });
    expect((await get(owner, rec.uuid)).status).toBe('wrong-announcement');
  });

  it('accepts did + dkey for downloads (spec 2.3), bound to the object and the session', async () => {
    const { did } = await h.call('GET', '/api/session', { sid: owner.sid });
    const ok = await download(
      h,
      `/api/announcement/${uuid}/x.ogg?did=${did}&dkey=${downloadKey(uuid, owner.sid)}`,
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('audio/ogg');
    const wrongKey = downloadKey(newId(), owner.sid);
    expect(
      (await download(h, `/api/announcement/${uuid}/x.ogg?did=${did}&dkey=${wrongKey}`)).statusCode,
    ).toBe(404);
    const { did: otherDid } = await h.call('GET', '/api/session', { sid: other.sid });
    const otherKey = downloadKey(uuid, other.sid);
    expect(
      (await download(h, `/api/announcement/${uuid}/x.ogg?did=${otherDid}&dkey=${otherKey}`)).statusCode,
    ).toBe(404);
  });
});
