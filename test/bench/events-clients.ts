/**
 * Client side of the event delivery benchmark (events.bench.ts): runs in its
 * own process, so clients and server do not share an event loop. Keeps one
 * long-poll (`GET /api/event?next=N&timeout=30`, spec 3.27) open per session
 * and records, for every received event, the publish wall time carried in the
 * event (`t`) and the wall time its response was complete. Talks to the parent
 * over IPC; the parent computes the figures.
 */
import http from 'node:http';

type Command =
  | { type: 'start'; url: string; sids: string[] }
  | { type: 'clock'; t0: number }
  | { type: 'collect' }
  | { type: 'bare'; url: string; samples: number; rate: number | null }
  | { type: 'stop' };

const now = (): number => performance.timeOrigin + performance.now();

// One agent for the long-polls and the baseline: same sockets, same code path.
const agent = new http.Agent({ keepAlive: true, maxSockets: 4096, maxFreeSockets: 4096 });

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

/** A GET with the shared agent; resolves with the body and the wall time it was complete. */
function get(url: string, headers: Record<string, string> = {}): Promise<{ body: string; at: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const at = now();
        if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
        else resolve({ body: Buffer.concat(chunks).toString('utf8'), at });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function pollLoop(base: string, sid: string): Promise<void> {
  let next = 0;
  const headers = { authorization: `Bearer ${sid}` };
  while (running) {
    try {
      const { body, at } = await get(`${base}/api/event?next=${next}&timeout=30`, headers);
      const res = JSON.parse(body) as {
        status: string;
        next?: number;
        event?: Array<Record<string, unknown>>;
      };
      if (res.status === 'ok' && res.event) {
        for (const e of res.event) {
          if (e['id'] !== next) gaps++;
          next = Number(e['id']) + 1;
          if (e['event'] !== 'bench') continue;
          sent.push(Number(e['t']));
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
  const out: number[] = [];
  const start = now();
  for (let i = 0; i < samples; i++) {
    const wait = rate ? start + (i * 1000) / rate - now() : 0;
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const t0 = now();
    const { at } = await get(url);
    out.push(at - t0);
  }
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
      agent.destroy();
      process.disconnect();
      break;
  }
});
process.on('disconnect', () => {
  running = false;
  agent.destroy();
});
