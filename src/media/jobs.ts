import { createHash } from 'node:crypto';

/**
 * The typed payloads of the media queue (issue 4). One BullMQ queue carries
 * every kind; the worker dispatches on `kind`. Payloads hold file paths and
 * ids only, never file contents, so Redis stays small.
 */
export type MediaJob =
  | {
      kind: 'fax.convert';
      objectId: string;
      owner: string;
      /** Absolute path of the uploaded PDF (`upload-<random>` in the object's folder). */
      input: string;
      orientation?: 'landscape';
      mode?: 'photo';
    }
  | {
      kind: 'audio.convert';
      objectId: string;
      owner: string;
      objectType: 'announcement' | 'recording';
      input: string;
    }
  | {
      kind: 'tts';
      objectId: string;
      owner: string;
      text: string;
      locale: string;
      /**
       * The request's marker file name in the object's folder (`tts-<random>`). It makes
       * the job id unique per request: the same text asked for again after an upload must
       * run again, not be swallowed as a duplicate of the completed first job.
       */
      request?: string;
    };

export type MediaJobKind = MediaJob['kind'];

export interface JobContext {
  /** Reports progress (0-100) to BullMQ; bull-board shows it, and it renews nothing by itself. */
  progress(percent: number): Promise<void>;
  /** 1 on the first try, 2 on the first retry ... */
  attempt: number;
  /** True on the last attempt: a handler that fails now must set status `fail` and emit its event. */
  final: boolean;
}

export type JobHandler<J extends MediaJob = MediaJob> = (job: J, ctx: JobContext) => Promise<void>;

export interface MediaQueue {
  /** Adds the job unless a job with the same id (kind + object + input) is already known. */
  enqueue(job: MediaJob): Promise<void>;
}

/** Attempts per job before the handler sees `final` (exponential backoff in between). */
export const MEDIA_ATTEMPTS = 3;

/**
 * The deterministic BullMQ job id: the same kind, object and input always give
 * the same id, so enqueueing twice (a retried HTTP request, a restarted API)
 * adds one job. BullMQ ids must not contain ':'; the input part is hashed.
 */
export function mediaJobId(job: MediaJob): string {
  const input = job.kind === 'tts' ? `${job.locale}\n${job.text}\n${job.request ?? ''}` : job.input;
  const options = job.kind === 'fax.convert' ? `${job.orientation ?? ''}/${job.mode ?? ''}` : '';
  const digest = createHash('sha256').update(`${input}\n${options}`).digest('hex').slice(0, 24);
  return `${job.kind}-${job.objectId}-${digest}`;
}
