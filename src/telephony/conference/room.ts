import {
  applyMemberChanges,
  newMember,
  type ConferenceMember,
  type ConferenceMembers,
} from '../../domain/conference/member.js';
import type { ConferenceLiveService } from '../../services/conference-live-service.js';
import type { ConferenceSettings } from '../../services/conference-service.js';
import type { ConferenceCommand } from '../../store/redis/conference-rooms.js';
import type {
  ConferenceSounds,
  MemberMix,
  RoomMedia,
  RoomMediaFactory,
  RoomMediaMember,
  RoomPlayback,
} from './room-media.js';

export type RoomLive = Pick<ConferenceLiveService, 'changed' | 'release'>;

export interface JoinRequest<M extends RoomMedia> {
  /** The caller's number when the call transmitted it (spec 7.11 `phone`). */
  phone?: string | null;
  /** Prompt language of the caller's side (de, en). */
  language?: string;
  /** Adds the participant's media to the room's mixer, with the settings it starts with. */
  attach: (media: M, mix: MemberMix) => RoomMediaMember;
  /** The member was kicked (POST .../member `delete`) or the conference closed: end the call (BYE). */
  onKick: () => void;
}

/** A participant as the call side holds it. */
export interface RoomMember {
  readonly id: string;
  /** Leaves the room (the call ended); idempotent. */
  leave(): Promise<void>;
}

interface Entry {
  id: string;
  state: ConferenceMember;
  media: RoomMediaMember;
  language: string;
  onKick: () => void;
  waiting: RoomPlayback | null;
}

const toMix = (m: ConferenceMember): MemberMix => ({
  mute: m.mute,
  deaf: m.deaf,
  volumeIn: m.volume_in,
  volumeOut: m.volume_out,
});

/**
 * One conference room on its mixing node: the members and their spec 7.11
 * state, the media that mixes them, and the events that tell subscribers
 * about every change (through ConferenceLiveService, which writes Redis
 * first). Membership changes and commands run one at a time; talk/floor
 * changes from the mixer (up to one per 20 ms frame) are coalesced, so
 * a burst of activity becomes one conference_update.
 *
 * Sounds: everyone hears a tone when someone joins or leaves; a
 * participant alone in the room hears the "alone" prompt, then hold music
 * until someone else joins.
 */
export class ConferenceRoom<M extends RoomMedia> {
  readonly #members = new Map<string, Entry>();
  readonly #media: M;
  /** The members as subscribers were last told. */
  #published: ConferenceMembers = {};
  #queue: Promise<void> = Promise.resolve();
  #flushPending = false;
  #closed = false;
  #lost = false;

  constructor(
    readonly conference: ConferenceSettings,
    private readonly node: string,
    private readonly live: RoomLive,
    createMedia: RoomMediaFactory<M>,
    private readonly sounds: ConferenceSounds,
    private readonly newId: () => string,
    private readonly onEnd: (room: ConferenceRoom<M>) => void,
    private readonly onError: (err: unknown) => void,
  ) {
    this.#media = createMedia((changed) => this.#activity(changed));
  }

  get size(): number {
    return this.#members.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The members' current state (spec 7.11 shape). */
  get members(): ConferenceMembers {
    const out: ConferenceMembers = {};
    for (const [id, e] of this.#members) out[id] = { ...e.state };
    return out;
  }

  /** Adds a participant (muted when the conference has mute_default); resolves once announced. */
  join(req: JoinRequest<M>): Promise<RoomMember> {
    return this.#serial(async () => {
      if (this.#closed) throw new Error(`conference room ${this.conference.uuid} has ended`);
      const id = this.newId();
      const state = newMember({ phone: req.phone ?? null, muteDefault: this.conference.muteDefault });
      let media: RoomMediaMember;
      try {
        media = req.attach(this.#media, toMix(state));
      } catch (err) {
        // The call went before its media joined (it hung up during the claim): an empty room ends.
        if (this.#members.size === 0) await this.#end();
        throw err;
      }
      const entry: Entry = {
        id,
        state,
        media,
        language: req.language ?? 'en',
        onKick: req.onKick,
        waiting: null,
      };
      this.#members.set(id, entry);
      if (this.sounds.join && this.#members.size > 1) this.#media.playAll(this.sounds.join);
      this.#waitingMusic();
      await this.#commit();
      return { id, leave: () => this.#serial(() => this.#remove(id, false)) };
    });
  }

  /** A command from the API (any node): member changes and kicks, or the conference's end. */
  apply(command: ConferenceCommand): Promise<void> {
    return this.#serial(async () => {
      if (command.kind === 'close') {
        for (const id of [...this.#members.keys()]) await this.#remove(id, true);
        return;
      }
      for (const [id, changes] of Object.entries(command.update)) {
        const e = this.#members.get(id);
        if (!e) continue;
        const next = applyMemberChanges(e.state, changes);
        // Muted members do not talk (spec 7.11.4 example: mute true, talk false).
        if (next.mute) next.talk = false;
        e.state = next;
        e.media.update(toMix(next));
      }
      for (const id of command.delete) await this.#remove(id, true);
      await this.#commit();
    });
  }

  /** Ends the room at once (node shutdown, or the room was lost): every call is ended. */
  close(): Promise<void> {
    return this.#serial(async () => {
      for (const id of [...this.#members.keys()]) await this.#remove(id, true);
    });
  }

  async #remove(id: string, kick: boolean): Promise<void> {
    const e = this.#members.get(id);
    if (!e) return;
    this.#members.delete(id);
    e.waiting?.stop();
    e.media.leave();
    if (kick) {
      try {
        e.onKick();
      } catch (err) {
        this.onError(err);
      }
    }
    if (this.#members.size > 0) {
      if (this.sounds.leave) this.#media.playAll(this.sounds.leave);
      this.#waitingMusic();
      await this.#commit();
      return;
    }
    await this.#commit();
    await this.#end();
  }

  async #end(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#media.close();
    // release() sends its Redis command before onEnd lets a new participant
    // claim the conference again: on the one connection the claim then
    // finds the record gone and starts a fresh room.
    const released = this.live.release(this.conference, this.node);
    this.onEnd(this);
    await released;
  }

  /** The one member left alone hears the prompt then hold music; with company, nobody does. */
  #waitingMusic(): void {
    const alone = this.#members.size === 1 ? [...this.#members.values()][0]! : null;
    for (const e of this.#members.values()) {
      if (e !== alone && e.waiting) {
        e.waiting.stop();
        e.waiting = null;
      }
    }
    if (alone === null || alone.waiting !== null) return;
    const prompt = this.sounds.alone?.(alone.language) ?? null;
    const hold = (): void => {
      if (this.sounds.hold && alone.waiting !== null && this.#members.get(alone.id) === alone) {
        alone.waiting = alone.media.play(this.sounds.hold, { loop: true });
      }
    };
    if (prompt) {
      const p = alone.media.play(prompt);
      alone.waiting = p;
      void p.done.then(() => {
        if (alone.waiting === p) hold();
      });
    } else if (this.sounds.hold) {
      alone.waiting = alone.media.play(this.sounds.hold, { loop: true });
    }
  }

  /** talk/floor changes from the mixer: recorded at once, published by one flush. */
  #activity(changed: readonly RoomMediaMember[]): void {
    let any = false;
    for (const e of this.#members.values()) {
      if (!changed.includes(e.media)) continue;
      const talk = e.media.talk && !e.state.mute;
      const floor = e.media.floor;
      if (talk === e.state.talk && floor === e.state.floor) continue;
      e.state = { ...e.state, talk, floor };
      any = true;
    }
    if (!any || this.#flushPending) return;
    this.#flushPending = true;
    this.#serial(async () => {
      this.#flushPending = false;
      await this.#commit();
    }).catch(this.onError);
  }

  /** Publishes the difference between what subscribers know and the members now. */
  async #commit(): Promise<void> {
    const after = this.members;
    const ok = await this.live.changed(this.conference.uuid, this.node, this.#published, after);
    this.#published = after;
    if (ok || this.#lost) return;
    // Another node holds the room now (this node's lease ran out): the
    // members here cannot be mixed with the others, so their calls end.
    this.#lost = true;
    this.onError(new Error(`conference room ${this.conference.uuid} was lost by node ${this.node}`));
    for (const id of [...this.#members.keys()]) await this.#remove(id, true);
  }

  /** The heartbeat found the room held by no one or another node: see #commit. */
  lost(): Promise<void> {
    return this.#serial(async () => {
      if (this.#lost) return;
      this.#lost = true;
      for (const id of [...this.#members.keys()]) await this.#remove(id, true);
    });
  }

  #serial(fn: () => Promise<void>): Promise<void>;
  #serial<T>(fn: () => Promise<T>): Promise<T>;
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn);
    // The caller gets the failure; the next operation runs regardless.
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
