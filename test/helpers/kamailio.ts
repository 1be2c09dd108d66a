/**
 * Kamailio (Debian package kamailio, 5.6) as the SIP edge in front of
 * telephony nodes, started with the repository's own command
 * (deploy/kamailio/run) as an unprivileged-style foreground child: its
 * dispatcher list, pid file and runtime files in a temporary directory that
 * is removed on stop.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const KAMAILIO_BIN = process.env['KAMAILIO_BIN'] ?? '/usr/sbin/kamailio';
export const KAMAILIO_AVAILABLE = fs.existsSync(KAMAILIO_BIN);
const RUN = fileURLToPath(new URL('../../deploy/kamailio/run', import.meta.url));

export interface Kamailio {
  port: number;
  proc: ChildProcess;
  /** What it wrote to stderr so far (its log). */
  log(): string;
  /** The dispatcher's nodes and their flags (kamcmd dispatcher.list): "AP" active, "IP" inactive... */
  nodes(): Promise<Map<string, string>>;
  stop(): Promise<void>;
}

/** Starts Kamailio on 127.0.0.1:`port` over `nodes` ("host:port"); resolves once it answers OPTIONS. */
export async function startKamailio(opts: {
  port: number;
  nodes: string[];
  probeSeconds?: number;
}): Promise<Kamailio> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-kamailio-'));
  const args = [
    '--listen',
    `127.0.0.1:${opts.port}`,
    '--dir',
    dir,
    '--probe',
    String(opts.probeSeconds ?? 1),
  ];
  for (const n of opts.nodes) args.push('--node', n);
  if (process.env['KAMAILIO_DEBUG']) args.push('--', '-A', 'LOG_LEVEL=3');
  const proc = spawn('bash', [RUN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PATH: `${path.dirname(KAMAILIO_BIN)}:${process.env['PATH'] ?? ''}` },
  });
  let text = '';
  const keep = (b: Buffer): void => {
    text += b.toString();
    if (text.length > 200_000) text = text.slice(-100_000);
    if (process.env['KAMAILIO_DEBUG']) process.stderr.write(b);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await answersOptions(opts.port, proc, () => text);
  } catch (err) {
    await stop();
    throw err;
  }
  const nodes = (): Promise<Map<string, string>> =>
    new Promise((resolve, reject) => {
      execFile(
        path.join(path.dirname(KAMAILIO_BIN), 'kamcmd'),
        ['-s', `unix:${dir}/kamailio_ctl`, 'dispatcher.list'],
        (err, stdout) => {
          if (err) return reject(new Error(`kamcmd dispatcher.list: ${err.message}`));
          const out = new Map<string, string>();
          for (const m of stdout.matchAll(/URI: sip:(\S+)\s+FLAGS: (\S+)/g)) out.set(m[1]!, m[2]!);
          resolve(out);
        },
      );
    });
  return { port: opts.port, proc, log: () => text, nodes, stop };
}

/** Polls with OPTIONS (to the proxy itself) until a 200 comes back, for up to 20 s. */
async function answersOptions(port: number, proc: ChildProcess, log: () => string): Promise<void> {
  const sock = dgram.createSocket('udp4');
  let answered = false;
  sock.on('message', (b) => {
    if (/^SIP\/2\.0 200/.test(b.toString())) answered = true;
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const local = sock.address().port;
  try {
    for (let i = 0; i < 200 && !answered; i++) {
      if (proc.exitCode !== null)
        throw new Error(`kamailio exited (${proc.exitCode}):\n${log().slice(-3000)}`);
      const msg = [
        `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bKready${i};rport`,
        `From: <sip:ready@127.0.0.1>;tag=r${i}`,
        `To: <sip:127.0.0.1:${port}>`,
        `Call-ID: ready-${i}-${local}`,
        `CSeq: ${i + 1} OPTIONS`,
        'Max-Forwards: 70',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      sock.send(Buffer.from(msg), port, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!answered) throw new Error(`kamailio did not answer OPTIONS:\n${log().slice(-3000)}`);
  } finally {
    sock.close();
  }
}
