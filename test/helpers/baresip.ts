/**
 * baresip (Debian package) as a real softphone in tests: a private config
 * directory, one account registering to callplane, a sine tone as the
 * microphone and the received audio written to a WAV file (sndfile module).
 * With `ctrlPort`, commands go to it during a call over its TCP control
 * interface (ctrl_tcp module: netstring-framed JSON), e.g. `sndcode 4711`
 * to key DTMF.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const BARESIP_AVAILABLE = fs.existsSync('/usr/bin/baresip');

export interface BaresipOptions {
  account: string;
  domain: string;
  password: string;
  /** callplane's SIP port on 127.0.0.1. */
  registrarPort: number;
  localPort: number;
  autoAnswer?: boolean;
  /** Commands run at start (`/dial sip:…`). */
  commands?: string[];
  /** Frequency of the sine tone baresip sends. */
  toneHz?: number;
  /** false: the account does not register (calls go to `registrarPort` as its outbound proxy). */
  register?: boolean;
  /** A TCP port on 127.0.0.1 for command() (the ctrl_tcp module). */
  ctrlPort?: number;
}

export interface Baresip {
  dir: string;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** WAV files of received audio (sndfile module, one per call direction). */
  recordings(): string[];
  /** Runs a command (e.g. `sndcode`, `hangup`) through the ctrl_tcp port; answers baresip's response. */
  command(command: string, params?: string): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** One ctrl_tcp request: a netstring of {command, params, token}; resolves with the response (not the events). */
function ctrlCommand(port: number, command: string, params: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const json = JSON.stringify({ command, params, token: 'test' });
    let buf = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`baresip: no response to ${command}`));
    }, 5000);
    socket.on('connect', () => socket.write(`${Buffer.byteLength(json)}:${json},`));
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('data', (d) => {
      buf += d.toString();
      for (;;) {
        const colon = buf.indexOf(':');
        if (colon < 0) return;
        const len = Number(buf.slice(0, colon));
        if (buf.length < colon + 1 + len + 1) return;
        const msg = JSON.parse(buf.slice(colon + 1, colon + 1 + len)) as Record<string, unknown>;
        buf = buf.slice(colon + 1 + len + 1);
        if (msg['response']) {
          clearTimeout(timer);
          socket.end();
          resolve(msg);
          return;
        }
      }
    });
  });
}

/** 20 s of a sine tone as an 8 kHz 16-bit mono WAV: baresip's "microphone" (ausine only runs at 48 kHz). */
function toneWav(dir: string, hz: number): string {
  const n = 8000 * 20;
  const b = Buffer.alloc(44 + n * 2);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + n * 2, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(16000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++)
    b.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / 8000)), 44 + i * 2);
  const file = path.join(dir, 'tone.wav');
  fs.writeFileSync(file, b);
  return file;
}

export function startBaresip(o: BaresipOptions): Baresip {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baresip-'));
  const modules = ['g711', 'account', 'menu', 'aufile', 'sndfile', ...(o.ctrlPort ? ['ctrl_tcp'] : [])];
  fs.writeFileSync(
    path.join(dir, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${o.localPort}`,
      'sip_transports udp',
      `audio_source aufile,${toneWav(dir, o.toneHz ?? 1000)}`,
      'audio_player aufile,/dev/null',
      'audio_alert aufile,/dev/null',
      'rtp_ports 46000-46999',
      'module_path /usr/lib/baresip/modules',
      ...modules.map((m) => `module ${m}.so`),
      `snd_path ${dir}`,
      'answermode auto',
      ...(o.ctrlPort ? [`ctrl_tcp_listen 127.0.0.1:${o.ctrlPort}`] : []),
    ].join('\n') + '\n',
  );
  const params = [
    `auth_pass=${o.password}`,
    `outbound="sip:127.0.0.1:${o.registrarPort};transport=udp"`,
    `regint=${o.register === false ? 0 : 60}`,
    'audio_codecs=PCMU,PCMA',
    `answermode=${o.autoAnswer === false ? 'manual' : 'auto'}`,
  ];
  fs.writeFileSync(path.join(dir, 'accounts'), `<sip:${o.account}@${o.domain}>;${params.join(';')}\n`);
  fs.writeFileSync(path.join(dir, 'contacts'), '');
  const args = [
    '-4',
    ...(process.env['BARESIP_TRACE'] ? ['-s'] : []),
    '-f',
    dir,
    ...(o.commands ?? []).flatMap((c) => ['-e', c]),
  ];
  const child: ChildProcess = spawn('baresip', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return {
    dir,
    output: () => out,
    waitFor: (pattern, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(out);
          if (m) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(m[0]);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`baresip: no ${pattern} within ${timeoutMs} ms; output:\n${out.slice(-3000)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
    recordings: () =>
      fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.wav'))
        .map((f) => path.join(dir, f)),
    command: (command, params = '') => {
      if (!o.ctrlPort) return Promise.reject(new Error('baresip was started without ctrlPort'));
      return ctrlCommand(o.ctrlPort, command, params);
    },
    stop: async () => {
      if (child.exitCode === null) {
        child.stdin?.write('q');
        const exited = new Promise((r) => child.once('exit', r));
        const t = setTimeout(() => child.kill('SIGKILL'), 2000);
        child.kill('SIGTERM');
        await exited;
        clearTimeout(t);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
