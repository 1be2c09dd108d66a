import type { Services } from '../services/index.js';
import type { JobContext, MediaJob, MediaJobKind } from './jobs.js';

/**
 * What the worker hands a handler: the job context of the media contract
 * plus the worker process's services (objects, events, config ...). Kept
 * apart from jobs.ts so the services, which enqueue jobs, never depend on
 * the handlers' view of them (no import cycle).
 */
/** What the handlers use of the worker process's services. */
export type MediaServices = Pick<Services, 'announcements' | 'config' | 'faxes' | 'recordings'>;

export interface MediaJobContext extends JobContext {
  services: MediaServices;
  /**
   * The job was started so often (each crash of a worker restarts it) that it
   * must not run its work again: the handler only sets status `fail` and
   * publishes its event. Implies `final`.
   */
  giveUp?: boolean;
}

export type MediaHandler<J extends MediaJob = MediaJob> = (job: J, ctx: MediaJobContext) => Promise<void>;

/** One handler per job kind; `startMediaWorker` merges the fax and audio maps. */
export type MediaHandlers = { [K in MediaJobKind]: MediaHandler<Extract<MediaJob, { kind: K }>> };
