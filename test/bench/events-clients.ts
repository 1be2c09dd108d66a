/**
 * Client side of the event delivery benchmark (events.bench.ts): runs in its
 * own process, so clients and server do not share an event loop. Keeps one
 * long-poll (`GET /api/event?next=N&timeout=30`, spec 3.27) open per session
 * and records, for every received event, the publish wall time carried in the
 * event (`t`) and the wall time its response was complete. Talks to the parent
 * over IPC; the parent computes the figures.
 */
import { RawHttp } from './raw-http.js';

type Command =
  | { type: 'start'; url: string; sids: string[] }
  | { type: 'clock'; t0: number }
  | { type: 'collect' }
  | { type: 'bare'; url: string; samples: number; rate: number | null }
  | { type: 'stop' };

const now = (): number => performance.timeOrigin + performance.now();

// One connection per long-poll, and one for the baseline: same client code on both sides.
const connections = new Set<RawHttp>();

let running = true;
let sent: number[] = [];
let recv: number[] = [];
let received = 0;
let errors = 0;
let gaps = 0;

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function send(msg: unknown): void {
  process.send?.(msg);
}

/** A GET on `conn`; resolves with the body and the wall time it was complete. */
async function get(
  conn: RawHttp,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ body: string; at: number }> {
  const a = await conn.get(path, headers);
  if (a.status !== 200) throw new Error(`HTTP ${a.status}`);
  return a;
}

/** The publish time a bench event carries: `t` of the bench events, `bench.sent` of a metadata change. */
function sentAt(e: Record<string, unknown>): number | undefined {
  if (e['event'] === 'bench' || e['event'] === 'bench_user') return Number(e['t']);
  if (e['event'] === 'user_metadata') {
    const t = (e['update'] as Record<string, unknown> | undefined)?.['bench.sent'];
    return typeof t === 'number' ? t : undefined;
  }
  return undefined;
}

async function pollLoop(base: string, sid: string): Promise<void> {
  let next = 0;
  const headers = { authorization: `Bearer ${sid}` };
  const conn = RawHttp.fromUrl(base);
  connections.add(conn);
  while (running) {
    try {
      // The next poll goes out after this turn of the event loop has read every
      // answer that arrived in it: 1,000 devices would not queue their reads
      // behind each other's requests, and one process serving them all should not either.
      await new Promise((r) => setImmediate(r));
      const { body, at } = await get(conn, `/api/event?next=${next}&timeout=30`, headers);
      const res = JSON.parse(body) as {
        status: string;
        next?: number;
        event?: Array<Record<string, unknown>>;
      };
      if (res.status === 'ok' && res.event) {
        for (const e of res.event) {
          if (e['id'] !== next) gaps++;
          next = Number(e['id']) + 1;
          const t = sentAt(e);
          if (t === undefined) continue;
          sent.push(t);
          recv.push(at);
          received++;
        }
        next = res.next ?? next;
      } else if (res.status !== 'timeout') {
        errors++;
      }
    } catch {
      if (!running) return;
      errors++;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Sequential round trips to a bare route (the baseline); returns their
 * durations in ms. Paced at `rate`/s like the events (idle processes wake up
 * slower than busy ones), or back to back when rate is null.
 */
async function bare(url: string, samples: number, rate: number | null): Promise<number[]> {
  const conn = RawHttp.fromUrl(url);
  connections.add(conn);
  const path = new URL(url).pathname;
  const out: number[] = [];
  const start = now();
  for (let i = 0; i < samples; i++) {
    const wait = rate ? start + (i * 1000) / rate - now() : 0;
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const t0 = now();
    const { at } = await get(conn, path);
    out.push(at - t0);
  }
  conn.close();
  connections.delete(conn);
  return out;
}

process.on('message', (cmd: Command) => {
  switch (cmd.type) {
    case 'start':
      for (const sid of cmd.sids) void pollLoop(cmd.url, sid);
      send({ type: 'started' });
      break;
    case 'clock':
      send({ type: 'clock', t0: cmd.t0, t1: now() });
      break;
    case 'collect':
      // Hands over what was received since the last collect and starts afresh.
      send({ type: 'collected', sent, recv, received, errors, gaps, cpu: cpuMs() });
      sent = [];
      recv = [];
      break;
    case 'bare':
      void bare(cmd.url, cmd.samples, cmd.rate).then(
        (rtt) => send({ type: 'bare', rtt }),
        (err: unknown) => send({ type: 'bare', error: String(err) }),
      );
      break;
    case 'stop':
      running = false;
      for (const c of connections) c.close();
      process.disconnect();
      break;
  }
});
process.on('disconnect', () => {
  running = false;
  for (const c of connections) c.close();
});
