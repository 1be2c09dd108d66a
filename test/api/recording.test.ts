import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadKey } from '../../src/api/plugins/session-auth.js';
import { newId } from '../../src/lib/ids.js';
import { AUDIO_FILES } from '../../src/media/processors/audio-convert.js';
import { startMediaWorker, type RunningMediaWorker } from '../../src/media/worker.js';
import type { RecordingFromCall } from '../../src/services/recording-service.js';
import { download, EventReader, probeBytes, waitIdle } from '../helpers/audio-api.js';
import { noise, silence, tempDir, tone } from '../helpers/audio-fixtures.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

let h: Harness;
let worker: RunningMediaWorker;
const dir = tempDir('recording-api');
let counter = 0;

beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '10000' });
  worker = startMediaWorker(h.services, { concurrency: 1 });
});
afterAll(async () => {
  await worker?.close();
  await h?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh file as the telephony engine would leave it (8 kHz mono unless told otherwise). */
function recorded(
  kind: 'tone' | 'silence' | 'noise',
  opts: { rate?: number; channels?: 1 | 2 } = {},
): string {
  counter += 1;
  const file = path.join(dir, `call-${counter}.wav`);
  const o = { rate: opts.rate ?? 8000, channels: opts.channels ?? 1, seconds: 1.2 };
  if (kind === 'tone') return tone(file, o);
  if (kind === 'silence') return silence(file, o);
  return noise(file, 0.002, o);
}

const get = (u: TestUser, uuid: string) => h.call('GET', `/api/recording/${uuid}`, { sid: u.sid });

/** createFromCall, then wait until the worker has set the final status. */
async function fromCall(
  u: TestUser,
  wavPath: string,
  extra: Partial<RecordingFromCall> = {},
): Promise<{ uuid: string; events: EventReader }> {
  const events = new EventReader(h, u.sid);
  const rec = await h.services.recordings.createFromCall({
    owner: u.uuid,
    from: '+492216689712',
    to: '+492216689711',
    wavPath,
    ...extra,
  });
  await waitIdle(h);
  expect((await get(u, rec.uuid))['recording'].status).not.toBe('convert');
  return { uuid: rec.uuid, events };
}

function folder(uuid: string): string {
  return path.join(h.config.objectDir, 'recording', uuid);
}

describe('RecordingService.createFromCall', () => {
  it('stores the call in the inbox, unread, converts it and shows it in the shape of spec 3.14', async () => {
    const u = await h.user();
    const source = recorded('tone', { rate: 44100, channels: 2 });
    const events = new EventReader(h, u.sid);
    const rec = await h.services.recordings.createFromCall({
      owner: u.uuid,
      from: '+492216689712',
      to: '+492216689711',
      wavPath: source,
      description: 'Anruf Herr Mueller',
    });
    expect(h.services.recordings.status(rec)).toBe('convert');
    expect(fs.existsSync(source)).toBe(false);

    const created = await events.waitFor('object_new', (e) => e['object'] === rec.uuid);
    expect(created).toMatchObject({ type: 'recording', owner: u.uuid });
    const user = await h.services.users.byId(u.uuid);
    const system = user!.system_tags;
    expect(new Set(created['tag'] as string[])).toEqual(
      new Set([system.tag_all, system.tag_inbox, system.tag_unread]),
    );

    await events.waitFor('object_modify', (e) => e['object'] === rec.uuid);
    await waitIdle(h);
    const res = await get(u, rec.uuid);
    expect(res).toEqual({
      status: 'ok',
      recording: {
        owner: u.uuid,
        time: expect.any(Number),
        description: 'Anruf Herr Mueller',
        from: '+492216689712',
        to: '+492216689711',
        status: 'ok',
        tag: expect.any(Array),
      },
    });
    expect(new Set(res['recording'].tag)).toEqual(new Set(created['tag'] as string[]));
    expect(fs.readdirSync(folder(rec.uuid)).sort()).toEqual([AUDIO_FILES.wav, AUDIO_FILES.ogg].sort());
  });

  it.each([
    ['digital silence', 'silence'],
    ['line noise', 'noise'],
  ] as const)('ends empty when only %s was recorded, with no contents', async (_label, kind) => {
    const u = await h.user();
    const { uuid } = await fromCall(u, recorded(kind));
    expect((await get(u, uuid))['recording'].status).toBe('empty');
    for (const f of ['x.wav', 'x.ogg'])
      expect((await download(h, `/api/recording/${uuid}/${f}`, u.sid)).statusCode).toBe(404);
    expect(fs.readdirSync(folder(uuid))).toEqual([]);
  });

  it('ends fail when the recorded file cannot be decoded (after the retries)', async () => {
    const u = await h.user();
    const broken = path.join(dir, 'broken.wav');
    fs.writeFileSync(broken, Buffer.from('RIFF....WAVEnot really'));
    // Three attempts with exponential backoff (1 s, 2 s) in between.
    const rec = await h.services.recordings.createFromCall({
      owner: u.uuid,
      from: '1',
      to: '2',
      wavPath: broken,
    });
    await waitIdle(h);
    expect((await get(u, rec.uuid))['recording'].status).toBe('fail');
    expect(fs.readdirSync(folder(rec.uuid))).toEqual([]);
  });

  it('finds recordings by number in the tag listing, with their fields', async () => {
    const u = await h.user();
    const { uuid } = await fromCall(u, recorded('tone'), { from: '+4930123456' });
    const user = await h.services.users.byId(u.uuid);
    const list = await h.call('GET', `/api/tag/${user!.system_tags.tag_inbox}/object`, {
      sid: u.sid,
      query: { search: '+4930123456' },
    });
    expect(list.status).toBe('ok');
    expect(JSON.stringify(list)).toContain(uuid);
    expect(JSON.stringify(list)).toContain('"from":"+4930123456"');
  });
});

describe('downloads (spec 3.14 xxx.wav, xxx.ogg)', () => {
  let u: TestUser;
  let uuid: string;
  beforeAll(async () => {
    u = await h.user();
    ({ uuid } = await fromCall(u, recorded('tone', { rate: 16000 })));
  });

  it('serves the 8 kHz mono 16-bit WAV as an attachment, or inline', async () => {
    const res = await download(h, `/api/recording/${uuid}/Anruf.wav`, u.sid);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('audio/wav');
    expect(res.headers['content-disposition']).toBe('attachment');
    expect(probeBytes(dir, 'dl.wav', res.body)).toMatchObject({
      codec: 'pcm_s16le',
      sampleRate: 8000,
      channels: 1,
      duration: expect.closeTo(1.2, 1),
    });
    const inline = await download(h, `/api/recording/${uuid}/Anruf.wav?inline`, u.sid);
    expect(inline.headers['content-disposition']).toBe('inline');
    expect(inline.body.equals(res.body)).toBe(true);
  });

  it('serves Ogg Vorbis', async () => {
    const res = await download(h, `/api/recording/${uuid}/x.ogg`, u.sid);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('audio/ogg');
    expect(probeBytes(dir, 'dl.ogg', res.body)).toMatchObject({
      format: 'ogg',
      codec: 'vorbis',
      sampleRate: 8000,
    });
  });

  it('answers 404 without a body for other names, other users, no session and bad did/dkey', async () => {
    const other = await h.user();
    const { did } = await h.call('GET', '/api/session', { sid: u.sid });
    for (const [url, sid] of [
      [`/api/recording/${uuid}/x.mp3`, u.sid],
      [`/api/recording/${uuid}/x.wav`, other.sid],
      [`/api/recording/${newId()}/x.wav`, u.sid],
      [`/api/recording/${uuid}/x.wav`, undefined],
      [`/api/recording/${uuid}/x.wav?did=${did}&dkey=${downloadKey(newId(), u.sid)}`, undefined],
    ] as const) {
      const res = await download(h, url, sid);
      expect(res.statusCode, url).toBe(404);
      expect(res.body.length, url).toBe(0);
    }
    const ok = await download(h, `/api/recording/${uuid}/x.wav?did=${did}&dkey=${downloadKey(uuid, u.sid)}`);
    expect(ok.statusCode).toBe(200);
  });

  it('has no contents while converting', async () => {
    const rec = await h.services.recordings.createFromCall({
      owner: u.uuid,
      from: '1',
      to: '2',
      wavPath: recorded('tone'),
    });
    const res = await download(h, `/api/recording/${rec.uuid}/x.wav`, u.sid);
    // Either still converting (404) or already done; never a partial file.
    if ((await get(u, rec.uuid))['recording'].status === 'convert') expect(res.statusCode).toBe(404);
    else expect([200, 404]).toContain(res.statusCode);
  });
});

describe('POST and DELETE /api/recording/(uuid)', () => {
  it('changes the description (spec example)', async () => {
    const u = await h.user();
    const { uuid, events } = await fromCall(u, recorded('tone'));
    const res = await h.call('POST', `/api/recording/${uuid}`, {
      sid: u.sid,
      body: { description: 'A description text' },
    });
    expect(res).toEqual({ status: 'ok' });
    expect((await get(u, uuid))['recording'].description).toBe('A description text');
    expect(
      await events.waitFor(
        'object_modify',
        (e) => e['object'] === uuid && e['description'] === 'A description text',
      ),
    ).toMatchObject({ user: u.uuid });
  });

  it.each([
    ['no description', 'missing-element', {}],
    ['201 characters', 'wrong-syntax', { description: 'z'.repeat(201) }],
    ['a line break', 'wrong-syntax', { description: 'a\nb' }],
    ['a number', 'wrong-syntax', { description: 7 }],
  ])('rejects %s with %s', async (_label, status, body) => {
    const u = await h.user();
    const { uuid } = await fromCall(u, recorded('silence'));
    expect((await h.call('POST', `/api/recording/${uuid}`, { sid: u.sid, body })).status).toBe(status);
  });

  it('accepts an empty description', async () => {
    const u = await h.user();
    const { uuid } = await fromCall(u, recorded('silence'), { description: 'x' });
    expect(
      (await h.call('POST', `/api/recording/${uuid}`, { sid: u.sid, body: { description: '' } })).status,
    ).toBe('ok');
    expect((await get(u, uuid))['recording'].description).toBe('');
  });

  it('moves to the trash, then purges with its files', async () => {
    const u = await h.user();
    const { uuid, events } = await fromCall(u, recorded('tone'));
    expect((await h.call('DELETE', `/api/recording/${uuid}`, { sid: u.sid })).status).toBe('ok');
    expect(await events.waitFor('object_delete', (e) => e['object'] === uuid)).not.toHaveProperty('purge');
    expect((await get(u, uuid))['recording'].tag).toHaveLength(4);
    expect((await download(h, `/api/recording/${uuid}/x.wav`, u.sid)).statusCode).toBe(200);
    expect(
      (await h.call('DELETE', `/api/recording/${uuid}`, { sid: u.sid, query: { purge: '' } })).status,
    ).toBe('ok');
    expect(
      await events.waitFor('object_delete', (e) => e['object'] === uuid && e['purge'] === true),
    ).toBeTruthy();
    expect((await get(u, uuid)).status).toBe('wrong-recording');
    expect(fs.existsSync(folder(uuid))).toBe(false);
  });
});

describe('authorization', () => {
  let owner: TestUser;
  let other: TestUser;
  let uuid: string;
  beforeAll(async () => {
    owner = await h.user();
    other = await h.user();
    ({ uuid } = await fromCall(owner, recorded('tone'), { description: 'private' }));
  });

  const calls = (id: string): Array<[string, string, unknown]> => [
    ['GET', `/api/recording/${id}`, undefined],
    ['POST', `/api/recording/${id}`, { description: 'mine now' }],
    ['DELETE', `/api/recording/${id}?purge`, undefined],
  ];

  it('answers no-session without a session and no-auth for unauthenticated and partner sessions', async () => {
    const anon = (await h.call('GET', '/api/session'))['sid'] as string;
    const partner = await h.partner();
    for (const [method, url, body] of calls(uuid)) {
      const m = method as 'GET';
      expect((await h.call(m, url, { body })).status, `${method} ${url}`).toBe('no-session');
      expect((await h.call(m, url, { sid: anon, body })).status, `${method} ${url}`).toBe('no-auth');
      expect((await h.call(m, url, { sid: partner.sid, body })).status, `${method} ${url}`).toBe('no-auth');
    }
  });

  it("answers another user's recording exactly like an unknown one", async () => {
    for (const id of [uuid, newId()]) {
      for (const [method, url, body] of calls(id)) {
        expect(
          (await h.call(method as 'GET', url, { sid: other.sid, body })).status,
          `${method} ${url}`,
        ).toBe('wrong-recording');
      }
    }
    expect((await get(owner, uuid))['recording']).toMatchObject({ description: 'private', status: 'ok' });
  });

  it('answers wrong-syntax for a malformed UUID and wrong-recording for an announcement', async () => {
    expect((await h.call('GET', '/api/recording/1234', { sid: owner.sid })).status).toBe('wrong-syntax');
    const ann = await h.call('POST', '/api/announcement', { sid: owner.sid, body: {} });
    expect((await get(owner, ann['uuid'])).status).toBe('wrong-recording');
  });
});
