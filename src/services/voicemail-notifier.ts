import fs from 'node:fs/promises';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type { Config } from '../config/index.js';
import type { ObjectRecord } from '../domain/objects.js';
import { parseWavHeader } from '../media/processors/audio-silence.js';
import type { Db } from '../store/db.js';
import type { ConversionOutcome } from './audio-object-service.js';

/** A WAV larger than this is not attached (mail servers commonly refuse 10-25 MB); the mail says so. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** Where failures go; the default writes one line to stderr, like the media worker. */
export type NotifierLog = (message: string) => void;

export interface VoicemailNotifierOptions {
  /** Sender address (SMTP_FROM). */
  from: string;
  /** The telephony WAV of a recording (RecordingService.telephonyWav). */
  wavOf: (uuid: string) => string;
  log?: NotifierLog;
}

const defaultLog: NotifierLog = (message) => process.stderr.write(`callplane voicemail: ${message}\n`);

/**
 * The e-mail about a new voice message (spec 3.9 `notification_email`,
 * `notification_attachment`). Called by the recordings' onFinished hook once
 * a conversion's status is committed: only an `ok` recording (not `empty` or
 * `fail`) whose called number (`to`) belongs to the recording's owner and has
 * `notification_email` set sends a mail, to the owner's e-mail address, with
 * the telephony WAV attached when `notification_attachment` is set.
 *
 * It never throws: the recording and its status are already stored, and a
 * mail that cannot go out (no address, mail server down or refusing) is
 * logged and dropped, never retried with the conversion job.
 */
export class VoicemailNotifier {
  private readonly log: NotifierLog;

  constructor(
    private readonly db: Db,
    private readonly transport: Transporter,
    private readonly opts: VoicemailNotifierOptions,
  ) {
    this.log = opts.log ?? defaultLog;
  }

  /** The onFinished hook of RecordingService. */
  async recordingFinished(obj: ObjectRecord, outcome: ConversionOutcome): Promise<void> {
    if (outcome !== 'ok') return;
    try {
      await this.notify(obj);
    } catch (err) {
      this.log(`recording ${obj.uuid}: the notification e-mail was not sent: ${describe(err)}`);
    }
  }

  close(): void {
    this.transport.close();
  }

  private async notify(obj: ObjectRecord): Promise<void> {
    const from = typeof obj.data['from'] === 'string' ? obj.data['from'] : '';
    const to = typeof obj.data['to'] === 'string' ? obj.data['to'] : '';
    if (to === '') return;
    // The number's flags count only while it still belongs to the recording's owner.
    const row = await this.db
      .selectFrom('phones')
      .innerJoin('users', 'users.uuid', 'phones.user_uuid')
      .select(['phones.notification_email', 'phones.notification_attachment', 'users.email', 'users.deleted'])
      .where('phones.number', '=', to)
      .where('phones.user_uuid', '=', obj.owner)
      .executeTakeFirst();
    if (!row?.notification_email || row.deleted) return;
    if (!row.email) {
      this.log(`recording ${obj.uuid}: ${to} has notification_email but its user has no e-mail address`);
      return;
    }

    let wav: Buffer | null = null;
    try {
      wav = await fs.readFile(this.opts.wavOf(obj.uuid));
    } catch (err) {
      this.log(`recording ${obj.uuid}: its WAV could not be read, mailing without it: ${describe(err)}`);
    }
    const seconds = wav ? wavSeconds(wav) : null;
    const attach = row.notification_attachment && wav !== null;
    const tooLarge = attach && wav!.length > MAX_ATTACHMENT_BYTES;
    const when = new Date(obj.createdUs / 1000);

    const mail: SendMailOptions = {
      from: this.opts.from,
      to: row.email,
      subject: voicemailSubject(from, to),
      text: voicemailText({
        from,
        to,
        seconds,
        when,
        attachment: !row.notification_attachment
          ? 'none'
          : !attach
            ? 'missing'
            : tooLarge
              ? 'too-large'
              : 'attached',
      }),
      ...(attach && !tooLarge
        ? {
            attachments: [
              {
                filename: `voice-message-${stamp(when)}.wav`,
                content: wav!,
                contentType: 'audio/wav',
              },
            ],
          }
        : {}),
    };
    await this.transport.sendMail(mail);
  }
}

export function voicemailSubject(from: string, to: string): string {
  return `New voice message from ${from || 'an unknown caller'} to ${to}`;
}

export function voicemailText(m: {
  from: string;
  to: string;
  seconds: number | null;
  when: Date;
  attachment: 'none' | 'attached' | 'too-large' | 'missing';
}): string {
  const lines = [
    `You have a new voice message.`,
    ``,
    `From:     ${m.from || 'unknown caller'}`,
    `To:       ${m.to}`,
    `Duration: ${m.seconds === null ? 'unknown' : formatDuration(m.seconds)}`,
    `Time:     ${m.when.toISOString().slice(0, 19).replace('T', ' ')} UTC`,
    ``,
  ];
  if (m.attachment === 'attached') lines.push('The message is attached as a WAV file.');
  else if (m.attachment === 'too-large')
    lines.push('The message is too large to attach; you find it among your recordings.');
  else lines.push('You find the message among your recordings.');
  return `${lines.join('\n')}\n`;
}

/** `m:ss` with the seconds, e.g. `1:05 (65 seconds)`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')} (${s} second${s === 1 ? '' : 's'})`;
}

/** The playing time of a 16-bit PCM WAV file; null when it is not one. */
function wavSeconds(buf: Buffer): number | null {
  try {
    const w = parseWavHeader(buf, buf.length);
    return w.dataBytes / (w.sampleRate * w.channels * 2);
  } catch {
    return null;
  }
}

function stamp(d: Date): string {
  return d.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The notifier of a configuration: null without SMTP_URL (notifications off).
 * One connection per mail; the timeouts keep a dead mail server from holding
 * a media job for minutes (a `?connectionTimeout=...` in SMTP_URL overrides them).
 */
export function createVoicemailNotifier(
  config: Pick<Config, 'smtpUrl' | 'smtpFrom'>,
  db: Db,
  wavOf: (uuid: string) => string,
  log?: NotifierLog,
): VoicemailNotifier | null {
  if (!config.smtpUrl) return null;
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return new VoicemailNotifier(db, transport, { from: config.smtpFrom, wavOf, ...(log ? { log } : {}) });
}
