/**
 * Voicemail e-mails (spec 3.9 `notification_email`, `notification_attachment`)
 * against a real SMTP server: a child process running the `smtp-server`
 * package on a free loopback port, writing each message it accepts (raw
 * RFC 5322 text and the SMTP envelope) into a folder, parsed here with
 * `mailparser`. Recordings are converted by the real media worker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { startMediaWorker, type RunningMediaWorker } from '../../src/media/worker.js';
import { createVoicemailNotifier } from '../../src/services/voicemail-notifier.js';
import { renderTone } from '../../src/telephony/embedded/media/player.js';
import { parseWav, writeWav } from '../../src/telephony/embedded/media/wav.js';
import { waitIdle } from '../helpers/audio-api.js';
import { tempDir } from '../helpers/audio-fixtures.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';
import { updatePhone, userWithNumbers } from '../helpers/provision.js';

const SENDER = 'voicemail@callplane.test';
const CALLER = '+4930123456789';

/** The SMTP sink: one `<n>.json` ({envelope, raw}) per accepted message, renamed into place when complete. */
const SINK = `
const fs = require('node:fs');
const path = require('node:path');
const { SMTPServer } = require('smtp-server');
const dir = process.argv[1];
let n = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      n += 1;
      const file = path.join(dir, n + '.json');
      const envelope = {
        from: session.envelope.mailFrom && session.envelope.mailFrom.address,
        to: session.envelope.rcptTo.map((r) => r.address),
      };
      fs.writeFileSync(file + '.tmp', JSON.stringify({ envelope, raw: Buffer.concat(chunks).toString('base64') }));
      fs.renameSync(file + '.tmp', file);
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.server.address().port }) + '\\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

interface Received {
  envelope: { from: string; to: string[] };
  mail: ParsedMail;
}

let smtp: ChildProcess;
let smtpPort = 0;
const mailDir = tempDir('voicemail-mail');
const wavDir = tempDir('voicemail-wav');
let h: Harness;
let worker: RunningMediaWorker;
let counter = 0;

async function startSink(): Promise<void> {
  smtp = spawn(process.execPath, ['-e', SINK, mailDir], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  smtpPort = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`SMTP sink did not start: ${out}`)), 10_000);
    smtp.once('exit', (code) => reject(new Error(`SMTP sink exited with ${code}`)));
    smtp.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
  });
}

/** Every message the sink accepted so far. */
async function received(): Promise<Received[]> {
  const files = fs.readdirSync(mailDir).filter((f) => f.endsWith('.json'));
  return Promise.all(
    files.map(async (f) => {
      const { envelope, raw } = JSON.parse(fs.readFileSync(path.join(mailDir, f), 'utf8'));
      return { envelope, mail: await simpleParser(Buffer.from(raw, 'base64')) };
    }),
  );
}

const mailsTo = async (address: string): Promise<Received[]> =>
  (await received()).filter((r) => r.envelope.to.includes(address));

/** Waits for the one mail to `address` (the conversion awaits the send, so it is normally there already). */
async function mailTo(address: string, timeoutMs = 5000): Promise<Received> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await mailsTo(address);
    if (got.length > 0) {
      expect(got).toHaveLength(1);
      return got[0]!;
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${address} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A user owning one number with the given flags, and a confirmed e-mail address. */
async function owner(
  harness: Harness,
  flags: { notification_email: boolean; notification_attachment: boolean },
): Promise<{ user: TestUser; number: string; email: string }> {
  const { user, numbers } = await userWithNumbers(harness);
  const number = numbers[0]!;
  await updatePhone(harness, user.sid, number, flags);
  counter += 1;
  const email = `owner${counter}-${user.uuid.slice(0, 8)}@example.test`;
  // Spec 3.5's two-step change: the pending address, then its code confirmed through the API.
  await harness.services.userProfile.setPendingEmail(user.uuid, email, 'abcdef123456');
  const r = await harness.call('POST', '/api/user', { sid: user.sid, body: { code: 'abcdef123456' } });
  expect(r['status']).toBe('ok');
  expect((await harness.services.users.byId(user.uuid))!.email).toBe(email);
  return { user, number, email };
}

/** A call's recorded file, 8 kHz mono as the telephony engine writes it: 1 s of 440 Hz, or silence. */
async function recordedWav(kind: 'tone' | 'silence'): Promise<string> {
  counter += 1;
  const file = path.join(wavDir, `call-${counter}.wav`);
  const samples =
    kind === 'tone'
      ? renderTone({ kind: 'tone', frequencies: [440], durationMs: 1000 })
      : new Int16Array(8000);
  await writeWav(file, samples);
  return file;
}

/** createFromCall, then the worker converts it; answers the final status. */
async function voiceMessage(
  harness: Harness,
  o: { user: TestUser; number: string },
  kind: 'tone' | 'silence' = 'tone',
): Promise<{ uuid: string; status: string }> {
  const rec = await harness.services.recordings.createFromCall({
    owner: o.user.uuid,
    from: CALLER,
    to: o.number,
    wavPath: await recordedWav(kind),
  });
  await waitIdle(harness, 15_000);
  const res = await harness.call('GET', `/api/recording/${rec.uuid}`, { sid: o.user.sid });
  return { uuid: rec.uuid, status: res['recording'].status as string };
}

beforeAll(async () => {
  await startSink();
  h = await createHarness({
    SESSION_CREATE_LIMIT: '10000',
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    SMTP_FROM: SENDER,
  });
  worker = startMediaWorker(h.services, { concurrency: 1 });
});

afterAll(async () => {
  await worker?.close();
  await h?.close();
  if (smtp && smtp.exitCode === null) {
    const exited = new Promise((r) => smtp.once('exit', r));
    smtp.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(mailDir, { recursive: true, force: true });
  fs.rmSync(wavDir, { recursive: true, force: true });
});

describe('voicemail e-mail notification', () => {
  it('mails the owner about a new voice message, with the WAV attached (notification_attachment)', async () => {
    const o = await owner(h, { notification_email: true, notification_attachment: true });
    const { uuid, status } = await voiceMessage(h, o);
    expect(status).toBe('ok');

    const { envelope, mail } = await mailTo(o.email);
    expect(envelope.to).toEqual([o.email]);
    expect(envelope.from).toBe(SENDER);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : []).toEqual([o.email]);
    expect(mail.from?.value[0]?.address).toBe(SENDER);
    expect(mail.subject).toBe(`New voice message from ${CALLER} to ${o.number}`);
    expect(mail.text).toContain(`From:     ${CALLER}`);
    expect(mail.text).toContain(`To:       ${o.number}`);
    expect(mail.text).toContain('Duration: 0:01 (1 second)');
    expect(mail.text).toMatch(/Time: +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(mail.text).toContain('attached as a WAV file');

    expect(mail.attachments).toHaveLength(1);
    const att = mail.attachments[0]!;
    expect(att.contentType).toBe('audio/wav');
    expect(att.filename).toMatch(/^voice-message-\d{8}-\d{6}\.wav$/);
    expect(att.content.toString('latin1', 0, 4)).toBe('RIFF');
    expect(att.content.toString('latin1', 8, 12)).toBe('WAVE');
    // The object's telephony WAV, byte for byte: 8 kHz mono 16-bit, about 1 s.
    const samples = parseWav(att.content);
    expect(samples.length).toBeGreaterThan(7600);
    expect(samples.length).toBeLessThan(8400);
    expect(att.content.equals(fs.readFileSync(h.services.recordings.telephonyWav(uuid)))).toBe(true);
  });

  it('sends the same mail without an attachment when notification_attachment is false', async () => {
    const o = await owner(h, { notification_email: true, notification_attachment: false });
    const { uuid, status } = await voiceMessage(h, o);
    expect(status).toBe('ok');
    const { mail } = await mailTo(o.email);
    expect(mail.subject).toBe(`New voice message from ${CALLER} to ${o.number}`);
    expect(mail.text).toContain(CALLER);
    expect(mail.text).toContain(o.number);
    expect(mail.attachments).toEqual([]);
    expect(mail.text).not.toContain('attached');
    // The recording itself is untouched and downloadable.
    expect(fs.existsSync(h.services.recordings.telephonyWav(uuid))).toBe(true);
  });

  it('sends nothing when notification_email is false', async () => {
    const o = await owner(h, { notification_email: false, notification_attachment: true });
    const { status } = await voiceMessage(h, o);
    expect(status).toBe('ok');
    // The job awaits any send before it completes; allow a little more all the same.
    await new Promise((r) => setTimeout(r, 300));
    expect(await mailsTo(o.email)).toEqual([]);
  });

  it('sends nothing for a recording that ends empty (silence only)', async () => {
    const o = await owner(h, { notification_email: true, notification_attachment: true });
    const { status } = await voiceMessage(h, o, 'silence');
    expect(status).toBe('empty');
    await new Promise((r) => setTimeout(r, 300));
    expect(await mailsTo(o.email)).toEqual([]);
    // The same number does notify for a real message: the silence was the reason.
    expect((await voiceMessage(h, o)).status).toBe('ok');
    expect((await mailTo(o.email)).mail.attachments).toHaveLength(1);
  });
});

describe('voicemail e-mail notification without a mail server', () => {
  let dead: Harness;
  let deadWorker: RunningMediaWorker;

  beforeAll(async () => {
    // A loopback port nothing listens on: connections are refused at once.
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    dead = await createHarness({ SESSION_CREATE_LIMIT: '10000', SMTP_URL: `smtp://127.0.0.1:${port}` });
    deadWorker = startMediaWorker(dead.services, { concurrency: 1 });
  });
  afterAll(async () => {
    await deadWorker?.close();
    await dead?.close();
  });

  it('keeps the recording ok and its files when the mail cannot be sent, and logs why', async () => {
    const stderr = vi.spyOn(process.stderr, 'write');
    try {
      const o = await owner(dead, { notification_email: true, notification_attachment: true });
      const { uuid, status } = await voiceMessage(dead, o);
      expect(status).toBe('ok');
      expect(fs.existsSync(dead.services.recordings.telephonyWav(uuid))).toBe(true);
      const res = await dead.app.inject({
        method: 'GET',
        url: `/api/recording/${uuid}/x.wav`,
        headers: { authorization: `Bearer ${o.user.sid}` },
      });
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.toString('latin1', 0, 4)).toBe('RIFF');
      const lines = stderr.mock.calls.map((c) => String(c[0]));
      expect(lines.some((l) => l.includes(`recording ${uuid}: the notification e-mail was not sent`))).toBe(
        true,
      );
      // The conversion job itself did not fail (the worker would log `audio.convert <uuid>: ...`).
      expect(lines.some((l) => l.includes(`audio.convert ${uuid}`))).toBe(false);
    } finally {
      stderr.mockRestore();
    }
  });

  it('is off without SMTP_URL', () => {
    const config = loadConfig({ DATA_DIR: wavDir, SECRET_KEY: 'a'.repeat(64) });
    expect(config.smtpUrl).toBeUndefined();
    expect(config.smtpFrom).toBe('callplane@localhost');
    expect(createVoicemailNotifier(config, dead.services.db, () => '')).toBeNull();
  });
});
