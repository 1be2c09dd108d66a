/**
 * Conference rooms on FreeSWITCH's mod_conference: a room is a conference
 * named after it, a member is a leg's channel running the conference
 * application, and mute, deaf and volume are conference API commands on the
 * member id. Talk and floor come from the member's conference::maintenance
 * events; system sounds are written as WAV files FreeSWITCH plays.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Mrf from 'drachtio-fsmrf';
import { MediaError, type ConferencePort, type Leg, type Logger } from '../adapter.js';
import type {
  MemberMix,
  RoomMedia,
  RoomMediaFactory,
  RoomMediaMember,
  RoomPlayback,
} from '../conference/room-media.js';
import { encodeWav } from '../embedded/media/wav.js';
import { endpointOf } from './media.js';

interface EslConn {
  on(event: string, fn: (evt: Mrf.EslEvent) => void): void;
  removeListener(event: string, fn: (evt: Mrf.EslEvent) => void): void;
}

/** A sound FreeSWITCH can play: the PCM written once as a WAV in the shared scratch folder. */
class SoundFiles {
  private readonly made = new WeakMap<Int16Array, Promise<string>>();

  constructor(private readonly dir: string) {}

  file(pcm: Int16Array): Promise<string> {
    let f = this.made.get(pcm);
    if (!f) {
      const file = path.join(this.dir, `conf-${randomUUID()}.wav`);
      f = mkdir(this.dir, { recursive: true }).then(() => writeFile(file, encodeWav(pcm)).then(() => file));
      this.made.set(pcm, f);
    }
    return f;
  }
}

class FsRoom implements RoomMedia {
  readonly name = `callplane-${randomUUID()}`;
  readonly members = new Set<FsMember>();

  constructor(
    readonly port: FsConference,
    readonly onActivity: (changed: readonly RoomMediaMember[]) => void,
  ) {}

  /** A conference API command on this room. */
  api(args: string): Promise<string> {
    return this.port.api(`conference ${this.name} ${args}`);
  }

  playAll(pcm: Int16Array): RoomPlayback {
    return this.port.playback(this, pcm, null, false);
  }

  close(): void {
    for (const m of this.members) m.leave();
  }
}

class FsMember implements RoomMediaMember {
  talk = false;
  floor = false;
  memberId: number | null = null;
  private mix: MemberMix;
  private left = false;
  private readonly onEvent: (evt: Mrf.EslEvent) => void;

  constructor(
    private readonly room: FsRoom,
    private readonly ep: Mrf.Endpoint,
    mix: MemberMix,
    log: Logger,
  ) {
    this.mix = { ...mix };
    this.onEvent = (evt) => this.event(evt);
    const conn = (ep as unknown as { conn: EslConn | null }).conn;
    conn?.on('esl::event::CUSTOM::*', this.onEvent);
    ep.once('destroy', () => this.leave());
    const join = ep.execute('conference', `${room.name}@default+flags{}`);
    void join.catch((err: unknown) => log.warn({ err, room: room.name }, 'conference join failed'));
  }

  private event(evt: Mrf.EslEvent): void {
    if (evt.getHeader('Event-Subclass') !== 'conference::maintenance') return;
    if (evt.getHeader('Conference-Name') !== this.room.name) return;
    const action = evt.getHeader('Action');
    if (action === 'add-member' && evt.getHeader('Unique-ID') === this.ep.uuid) {
      this.memberId = Number(evt.getHeader('Member-ID'));
      if (this.left) void this.room.api(`kick ${this.memberId}`);
      else {
        // A member joins unmuted, hearing, at level 0: only what differs is sent.
        const { mute, deaf, volumeIn, volumeOut } = this.mix;
        this.apply({
          ...(mute ? { mute } : {}),
          ...(deaf ? { deaf } : {}),
          ...(volumeIn !== 0 ? { volumeIn } : {}),
          ...(volumeOut !== 0 ? { volumeOut } : {}),
        });
      }
      return;
    }
    if (evt.getHeader('Member-ID') !== String(this.memberId)) return;
    if (action === 'start-talking' || action === 'stop-talking') {
      this.talk = action === 'start-talking' && !this.mix.mute;
      this.room.onActivity([this]);
    } else if (action === 'floor-change') {
      for (const m of this.room.members) m.floor = m === this;
      this.room.onActivity([...this.room.members]);
    }
  }

  /** Sends the given settings to FreeSWITCH (once the member has its id). */
  private apply(changes: Partial<MemberMix>): void {
    const id = this.memberId;
    if (id === null) return;
    const cmds: string[] = [];
    if (changes.mute !== undefined) cmds.push(`${changes.mute ? 'mute' : 'unmute'} ${id}`);
    if (changes.deaf !== undefined) cmds.push(`${changes.deaf ? 'deaf' : 'undeaf'} ${id}`);
    // FreeSWITCH's volume levels are -4 ... 4 like spec 3.17's.
    if (changes.volumeIn !== undefined) cmds.push(`volume_in ${id} ${changes.volumeIn}`);
    if (changes.volumeOut !== undefined) cmds.push(`volume_out ${id} ${changes.volumeOut}`);
    for (const c of cmds) void this.room.api(c);
  }

  update(changes: Partial<MemberMix>): void {
    this.mix = { ...this.mix, ...changes };
    if (changes.mute && this.talk) {
      this.talk = false;
      this.room.onActivity([this]);
    }
    this.apply(changes);
  }

  play(pcm: Int16Array, opts: { loop?: boolean } = {}): RoomPlayback {
    return this.room.port.playback(this.room, pcm, this, opts.loop === true);
  }

  leave(): void {
    if (this.left) return;
    this.left = true;
    this.room.members.delete(this);
    const conn = (this.ep as unknown as { conn: EslConn | null }).conn;
    conn?.removeListener('esl::event::CUSTOM::*', this.onEvent);
    if (this.memberId !== null) void this.room.api(`kick ${this.memberId}`);
  }
}

export class FsConference implements ConferencePort<FsRoom> {
  private readonly sounds: SoundFiles;

  constructor(
    private readonly server: () => Mrf.MediaServer | null,
    scratchDir: string,
    private readonly log: Logger,
  ) {
    this.sounds = new SoundFiles(path.join(scratchDir, 'conference'));
  }

  readonly createRoom: RoomMediaFactory<FsRoom> = (onActivity) => new FsRoom(this, onActivity);

  attach(room: FsRoom, leg: Leg, mix: MemberMix): RoomMediaMember {
    if (!(room instanceof FsRoom)) throw new MediaError('not a room of this adapter');
    const ep = endpointOf(leg);
    if (!ep) throw new MediaError(`leg ${leg.id} has no media for the conference`);
    const m = new FsMember(room, ep, mix, this.log);
    room.members.add(m);
    return m;
  }

  async api(command: string): Promise<string> {
    const ms = this.server();
    if (!ms) return '-ERR FreeSWITCH is not connected';
    return ms.api(command);
  }

  /** Plays a sound to the room or one member; a loop repeats it until stopped. */
  playback(room: FsRoom, pcm: Int16Array, member: FsMember | null, loop: boolean): RoomPlayback {
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;
    let end!: () => void;
    const done = new Promise<void>((r) => (end = r));
    const ms = Math.max(20, Math.round(pcm.length / 8));
    const once = async () => {
      const file = await this.sounds.file(pcm);
      if (stopped) return;
      const target = member ? member.memberId : null;
      if (member && target === null) return;
      await room.api(`play ${file}${target !== null ? ` ${target}` : ''}`);
      timer = setTimeout(() => {
        if (loop && !stopped) void once();
        else end();
      }, ms);
    };
    void once().catch((err: unknown) => {
      this.log.warn({ err }, 'conference playback failed');
      end();
    });
    return {
      done,
      stop: () => {
        if (stopped) return;
        stopped = true;
        if (timer) clearTimeout(timer);
        void room.api(member?.memberId != null ? `stop current ${member.memberId}` : 'stop current');
        end();
      },
    };
  }

  /** Removes the sound files (the adapter stops). */
  async close(dir: string): Promise<void> {
    await rm(path.join(dir, 'conference'), { recursive: true, force: true });
  }
}
