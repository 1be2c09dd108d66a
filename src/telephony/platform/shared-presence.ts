/**
 * Presence across telephony nodes: a phone's SUBSCRIBE lives on the node
 * that accepted it, the call it watches may ring on any other (spec 3.21
 * blf behind an edge proxy), and voice messages change in any process
 * (spec 13.1.2). The engine's updates go to this node's adapter at once and,
 * for numbers somebody may watch at all, to the other nodes over Redis
 * (store/redis/presence-bus.ts); the other nodes' updates and mailbox
 * changes come back from there to the adapter.
 */
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { listenPresence, publishPresence } from '../../store/redis/presence-bus.js';
import type { DialogInfo, Logger, MailboxState, PresencePort } from '../adapter.js';
import type { WatcherDirectory } from '../environment.js';

export class SharedPresence implements PresencePort {
  /** This process run: its own updates come back on the channel and are skipped. */
  readonly origin = randomUUID();
  /** Updates go out in the order the engine made them (the watcher look-up may take a round trip). */
  private chain: Promise<void> = Promise.resolve();
  private stopListening: (() => Promise<void>) | null = null;

  constructor(
    private readonly local: PresencePort,
    private readonly redis: Redis,
    private readonly prefix: string,
    /** Numbers without BLF watchers are never told to the other nodes. */
    private readonly watchers: WatcherDirectory,
    private readonly log: Logger,
  ) {}

  update(number: string, info: DialogInfo): void {
    this.local.update(number, info);
    this.chain = this.chain
      .then(async () => {
        if ((await this.watchers.watchersOf(number)).length === 0) return;
        void publishPresence(this.redis, this.prefix, {
          t: 'dialog',
          origin: this.origin,
          number,
          info,
        }).catch((err: unknown) =>
          this.log.warn({ err, number }, 'BLF update not passed to the other nodes'),
        );
      })
      .catch((err: unknown) => this.log.warn({ err, number }, 'BLF watchers not read'));
  }

  mailbox(owner: string, state: MailboxState): void {
    this.local.mailbox(owner, state);
  }

  /** Takes the other nodes' calls and every mailbox change. */
  async start(): Promise<void> {
    this.stopListening = await listenPresence(
      this.redis,
      this.prefix,
      (m) => {
        if (m.t === 'mailbox')
          this.local.mailbox(m.owner, { newMessages: m.newMessages, oldMessages: m.oldMessages });
        else if (m.origin !== this.origin) this.local.update(m.number, m.info);
      },
      { onError: (err) => this.log.warn({ err }, 'presence channel') },
    );
  }

  async stop(): Promise<void> {
    await this.stopListening?.();
    this.stopListening = null;
  }
}
