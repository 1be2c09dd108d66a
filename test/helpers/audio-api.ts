import fs from 'node:fs';
import path from 'node:path';
import type { Harness } from './harness.js';
import { ffprobe, type ProbedStream } from './audio-fixtures.js';

export interface SeenEvent {
  id: number;
  event: string;
  time: number;
  [field: string]: unknown;
}

/**
 * Reads a session's event stream (spec 3.27 long-poll) from a cursor, so a
 * test can wait for one event and then look at everything that came before.
 */
export class EventReader {
  readonly seen: SeenEvent[] = [];
  private next = 0;

  constructor(
    private readonly h: Harness,
    private readonly sid: string,
  ) {}

  /** Waits until an event named `name` that satisfies `match` arrives (or was already seen). */
  async waitFor(
    name: string,
    match: (e: SeenEvent) => boolean = () => true,
    timeoutMs = 60_000,
  ): Promise<SeenEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.seen.find((e) => e.event === name && match(e));
      if (hit) return hit;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`no ${name} event within ${timeoutMs} ms; saw ${JSON.stringify(this.seen)}`);
      }
      await this.poll(Math.max(1, Math.min(5, Math.floor(left / 1000))));
    }
  }

  /** Fetches whatever arrived (waiting up to `timeout` seconds for the first new event). */
  async poll(timeout = 0): Promise<SeenEvent[]> {
    const res = await this.h.call('GET', `/api/event?next=${this.next}&timeout=${timeout}`, {
      sid: this.sid,
    });
    if (res['status'] === 'timeout') return [];
    if (res['status'] !== 'ok') throw new Error(`event poll failed: ${JSON.stringify(res)}`);
    const events = res['event'] as SeenEvent[];
    this.seen.push(...events);
    this.next = res['next'] as number;
    return events;
  }

  /** The events seen so far with this name. */
  named(name: string): SeenEvent[] {
    return this.seen.filter((e) => e.event === name);
  }
}

export interface Download {
  statusCode: number;
  headers: Record<string, unknown>;
  body: Buffer;
}

export async function download(h: Harness, url: string, sid?: string): Promise<Download> {
  const res = await h.app.inject({
    method: 'GET',
    url,
    headers: sid ? { authorization: `Bearer ${sid}` } : {},
  });
  return { statusCode: res.statusCode, headers: res.headers, body: res.rawPayload };
}

/** ffprobe of downloaded bytes (written to `dir` first). */
export function probeBytes(dir: string, name: string, bytes: Buffer): ProbedStream {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return ffprobe(file);
}

/** POST of a raw body (an upload). */
export async function postRaw(
  h: Harness,
  url: string,
  body: Buffer,
  sid?: string,
): Promise<Record<string, unknown>> {
  const res = await h.app.inject({
    method: 'POST',
    url,
    headers: {
      ...(sid ? { authorization: `Bearer ${sid}` } : {}),
      'content-type': 'application/octet-stream',
    },
    payload: body,
  });
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode} for POST ${url}: ${res.body}`);
  return res.json();
}

/**
 * Waits until the media queue has no waiting, delayed or active job: a job
 * counts as active until its handler has returned, i.e. after the status,
 * the events and the removal of its pending file.
 */
export async function waitIdle(h: Harness, timeoutMs = 60_000): Promise<void> {
  const queue = h.services.media.bull();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (Object.values(counts).every((n) => n === 0)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the media queue did not drain');
}
