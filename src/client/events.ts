/** One event of a session's stream (spec 3.27): the id, the event name, its time and its fields. */
export interface ApiEvent {
  id: number;
  event: string;
  time: number;
  [field: string]: unknown;
}

/** A failure answered by the API: the spec's status string and message (spec 2.1). */
export class CallplaneError extends Error {
  override name = 'CallplaneError';
  constructor(
    readonly status: string,
    message: string,
  ) {
    super(`${status}: ${message}`);
  }
}

export interface EventStreamOptions {
  /** First event id wanted (default 0, or where the session's stream stands). */
  next?: number;
  /**
   * `long-poll`: `GET /api/event` (spec 3.27), one request per batch.
   * `sse`: `GET /api/event/stream`, one open response, resumed with
   * Last-Event-ID after a dropped connection.
   */
  transport?: 'long-poll' | 'sse';
  /** Long-poll wait per request in seconds (0...300, default 55). */
  timeout?: number;
  /** Ends the iteration (the pending request is aborted). */
  signal?: AbortSignal;
}

/** What the iterators need from the client. */
export interface EventSource {
  baseUrl: string;
  headers(): Record<string, string>;
  fetch: typeof fetch;
}

function aborted(signal: AbortSignal | undefined, err: unknown): boolean {
  return signal?.aborted === true || (err as Error)?.name === 'AbortError';
}

/** GET /api/event in a loop: each batch's events in order, then the next cursor. */
export async function* longPoll(src: EventSource, opts: EventStreamOptions): AsyncGenerator<ApiEvent> {
  let next = opts.next ?? 0;
  const timeout = opts.timeout ?? 55;
  while (opts.signal?.aborted !== true) {
    const url = `${src.baseUrl}/api/event?next=${next}&timeout=${timeout}`;
    let body: { status: string; message?: string; event?: ApiEvent[]; next?: number };
    try {
      const res = await src.fetch(url, {
        headers: src.headers(),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      if (!res.ok) throw new CallplaneError('fail', `HTTP ${res.status} from GET /api/event`);
      body = (await res.json()) as typeof body;
    } catch (err) {
      if (aborted(opts.signal, err)) return;
      throw err;
    }
    if (body.status === 'timeout') continue;
    if (body.status !== 'ok') throw new CallplaneError(body.status, body.message ?? '');
    for (const e of body.event ?? []) yield e;
    next = body.next ?? next;
  }
}

/** Splits an SSE body into events (W3C Server-Sent Events: fields per line, a blank line ends one). */
async function* sseFrames(body: ReadableStream<Uint8Array>): AsyncGenerator<{ id?: string; data: string }> {
  const decoder = new TextDecoder();
  let buffer = '';
  let id: string | undefined;
  let data: string[] = [];
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      if (line === '') {
        if (data.length > 0) yield { ...(id !== undefined ? { id } : {}), data: data.join('\n') };
        id = undefined;
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''));
      } else if (line.startsWith('id:')) {
        id = line.slice(3).trim();
      }
    }
  }
}

/** GET /api/event/stream; reconnects after a dropped connection from the last id seen. */
export async function* serverSentEvents(
  src: EventSource,
  opts: EventStreamOptions,
): AsyncGenerator<ApiEvent> {
  let last: number | undefined = opts.next !== undefined ? opts.next - 1 : undefined;
  while (opts.signal?.aborted !== true) {
    const headers: Record<string, string> = { ...src.headers(), accept: 'text/event-stream' };
    if (last !== undefined && last >= 0) headers['last-event-id'] = String(last);
    try {
      const res = await src.fetch(`${src.baseUrl}/api/event/stream`, {
        headers,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      const type = res.headers.get('content-type') ?? '';
      if (!type.startsWith('text/event-stream')) {
        // Refused before the stream began: the envelope says why (no-session, ...).
        const body = (await res.json().catch(() => ({}))) as { status?: string; message?: string };
        throw new CallplaneError(body.status ?? 'fail', body.message ?? `HTTP ${res.status}`);
      }
      if (!res.body) throw new CallplaneError('fail', 'the event stream has no body');
      for await (const frame of sseFrames(res.body)) {
        const event = JSON.parse(frame.data) as ApiEvent;
        last = event.id;
        yield event;
      }
    } catch (err) {
      if (aborted(opts.signal, err)) return;
      if (err instanceof CallplaneError) throw err;
      // A dropped connection: resume after the last event seen.
    }
  }
}
