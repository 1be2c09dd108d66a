/**
 * Runs the real SIP tester, sipp (Debian package sip-tester, 3.6.x), for
 * end-to-end tests: one child process per UA, no terminal, statistics and
 * traces in a temporary directory that is always removed.
 *
 * sipp flags that matter without a terminal: -nostdin (no keyboard), and not
 * -bg (it forks and loses the exit code). -timeout with -timeout_error makes a
 * stuck run exit with an error instead of waiting for its calls forever. Exit
 * codes: 0 all calls succeeded, 1 at least one failed, 97 stopped by an
 * internal command, 99 no call processed, 255 fatal error, 254 socket bind error.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { handedOut, tcpBindable, udpBindable } from './ports.js';

export const SIPP_BIN = process.env['SIPP_BIN'] ?? '/usr/bin/sipp';
export const SIPP_AVAILABLE = fs.existsSync(SIPP_BIN);
/** The pcaps shipped with sip-tester: g711a.pcap (7 s PCMA) and dtmf_2833_<digit>.pcap. */
export const SIPP_PCAP_DIR = '/usr/share/sip-tester';
/** 7 s of PCMA speech shipped with sip-tester, the media of most call scenarios. */
export const G711A_PCAP = path.join(SIPP_PCAP_DIR, 'g711a.pcap');
export const SCENARIO_DIR = fileURLToPath(new URL('../e2e/scenarios/', import.meta.url));

/** Path of a scenario in test/e2e/scenarios/ ("uac-call" or "uac-call.xml"). */
export function scenarioPath(name: string): string {
  return path.join(SCENARIO_DIR, name.endsWith('.xml') ? name : `${name}.xml`);
}

function resolveScenario(scenario: string): string {
  return scenario.includes('/') ? scenario : scenarioPath(scenario);
}

export interface SippOptions {
  /** Scenario file: a path, or a name in test/e2e/scenarios/ ("uac-call"). */
  scenario: string;
  /** "host:port" target (omit for a UAS). */
  remote?: string;
  /** -p */
  localPort: number;
  /** -i, default 127.0.0.1 */
  localIp?: string;
  /** -mp; default a free port (sipp binds it, and +2, for any scenario with media). */
  mediaPort?: number;
  /** -mi, default localIp */
  mediaIp?: string;
  /** -s (request-URI user part) */
  service?: string;
  /** -m, default 1 */
  calls?: number;
  /** -r calls per second */
  rate?: number;
  /** -l */
  concurrent?: number;
  /** Each as -set name value; the scenario must declare the name in <Global variables>. */
  vars?: Record<string, string>;
  /** Each as -key name value: [name] in messages and in play_pcap_audio="[name]". */
  keys?: Record<string, string>;
  /**
   * Plays this pcap in scenarios that support it: -key pcap <path> -set play_pcap 1.
   * Without it a scenario with play_pcap_audio="[pcap]" still gets -key pcap (sipp
   * loads the file when it parses the scenario) but plays nothing.
   */
  pcap?: string;
  /** -au / -ap, and -auth_uri (sipp's digest uri is otherwise sip:<remote ip>:<port>). */
  auth?: { username: string; password: string; uri?: string };
  /** -t */
  transport?: 'u1' | 'un' | 't1' | 'tn';
  /** -timeout (with -timeout_error), and a hard kill after it plus a margin. Default 30. */
  timeoutSeconds?: number;
  /** -oocsf: the scenario for requests that belong to no call (see uas-registered.xml). */
  oocScenario?: string;
  /** "{{name}}" in the scenario text replaced by the value, in a temporary copy. */
  template?: Record<string, string>;
  /** -trace_msg into SippResult.messages (default true; off for load runs). */
  traceMessages?: boolean;
  extraArgs?: string[];
}

export interface SippResult {
  /** Exit code, null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The hard kill after timeoutSeconds fired. */
  timedOut: boolean;
  successful: number;
  failed: number;
  stdout: string;
  stderr: string;
  /** -trace_err content: unexpected messages, warnings, fatal errors. */
  errors: string;
  /** -trace_msg content if enabled. */
  messages: string;
  /** Last row of the -trace_stat file, e.g. stats['SuccessfulCall(C)'], stats['remote_bye(C)']. */
  stats: Record<string, string>;
  /** Seconds between the first and the last statistics row, by sipp's own clock. */
  elapsedSeconds: number;
  args: string[];
}

export interface SippHandle {
  /** Resolves once sipp listens on localPort (a UAS can take calls). */
  ready: Promise<void>;
  done: Promise<SippResult>;
  /** Stops sipp: SIGUSR1 (its "q"), then SIGTERM after 0.5 s, SIGKILL after 3 s. */
  kill(): void;
  /** Resolves with the first match in the -trace_msg log, e.g. /SIP\/2.0 200[^]*CSeq: \d+ REGISTER/. */
  waitForMessage(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  pid: number | undefined;
  args: string[];
}

const KILL_MARGIN_MS = 5_000;
/** Send and receive buffer of every sipp socket (the kernel caps it at net.core.rmem_max / wmem_max). */
const SIPP_BUFFER_BYTES = 4 * 1024 * 1024;
const OUTPUT_LIMIT = 256 * 1024;
/** The pcap handed to sipp when a scenario refers to [pcap] but nothing is to be played. */
const PLACEHOLDER_PCAP = G711A_PCAP;

const live = new Map<number, { dir: string; kill: () => void }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A crashed test must not leave sipp holding its ports, nor its temp files behind.
  process.once('exit', () => {
    for (const { dir, kill } of live.values()) {
      kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** Names a scenario declares with <Global variables="a,b">: the only ones -set accepts. */
export function declaredGlobals(scenarioText: string): Set<string> {
  const names = new Set<string>();
  for (const m of scenarioText.matchAll(/<Global\s+variables="([^"]*)"/g)) {
    for (const name of (m[1] ?? '').split(',')) if (name.trim()) names.add(name.trim());
  }
  return names;
}

function applyTemplate(text: string, template: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const value = template[name];
    if (value === undefined) throw new Error(`sipp template: no value for {{${name}}}`);
    return value;
  });
}

function tail(s: string): string {
  return s.length > OUTPUT_LIMIT ? s.slice(-OUTPUT_LIMIT) : s;
}

function readIfExists(file: string): string {
  try {
    return fs.readFileSync(file, 'latin1');
  } catch {
    return '';
  }
}

/** Parses the -trace_stat CSV (";"-separated, a header row, one row per dump). */
export function parseStatCsv(text: string): Record<string, string> {
  const rows = text.split('\n').filter((l) => l.trim() !== '');
  const header = rows[0]?.split(';') ?? [];
  const last = rows.length > 1 ? (rows[rows.length - 1] ?? '').split(';') : [];
  const stats: Record<string, string> = {};
  header.forEach((name, i) => {
    if (name) stats[name] = last[i] ?? '';
  });
  return stats;
}

/** sipp writes a time as "date\ttime\tepoch.micros". */
function epochSeconds(value: string | undefined): number | undefined {
  const epoch = value?.split('\t')[2];
  const n = epoch === undefined ? NaN : Number(epoch);
  return Number.isFinite(n) ? n : undefined;
}

/** Cumulative counts from the final screen dump, when there is no statistics row. */
function countsFromScreen(screen: string): { successful: number; failed: number } {
  const last = (re: RegExp): number => {
    const all = [...screen.matchAll(re)];
    return Number(all[all.length - 1]?.[1] ?? 0);
  };
  return {
    successful: last(/Successful call\s*\|\s*\d+\s*\|\s*(\d+)/g),
    failed: last(/Failed call\s*\|\s*\d+\s*\|\s*(\d+)/g),
  };
}

/** Whether something is bound to the port, from /proc/net (no bind attempt that could race sipp). */
function portBound(port: number, tcp: boolean): boolean | undefined {
  const files = tcp ? ['/proc/net/tcp', '/proc/net/tcp6'] : ['/proc/net/udp', '/proc/net/udp6'];
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  let readable = false;
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
      readable = true;
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      if (!local?.endsWith(`:${hex}`)) continue;
      if (!tcp || cols[3] === '0A') return true; // 0A: LISTEN
    }
  }
  return readable ? false : undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function startSipp(opts: SippOptions): SippHandle {
  const localIp = opts.localIp ?? '127.0.0.1';
  const timeoutSeconds = opts.timeoutSeconds ?? 30;
  const traceMessages = opts.traceMessages ?? true;
  const scenarioFile = resolveScenario(opts.scenario);
  const oocScenario = opts.oocScenario === undefined ? undefined : resolveScenario(opts.oocScenario);
  const scenarioText = opts.template
    ? applyTemplate(fs.readFileSync(scenarioFile, 'latin1'), opts.template)
    : fs.readFileSync(scenarioFile, 'latin1');
  const oocText = oocScenario ? fs.readFileSync(oocScenario, 'latin1') : '';

  // sipp refuses a -set of a variable the scenario does not declare ("Can not
  // set the global variable"), with nothing to say which test asked for it.
  const vars: Record<string, string> = { ...opts.vars };
  const keys: Record<string, string> = { ...opts.keys };
  if (opts.pcap !== undefined) {
    keys['pcap'] = opts.pcap;
    vars['play_pcap'] = '1';
  }
  const globals = new Set([...declaredGlobals(scenarioText), ...declaredGlobals(oocText)]);
  for (const name of Object.keys(vars)) {
    if (!globals.has(name)) {
      throw new Error(
        `sipp: ${path.basename(scenarioFile)} declares no global "${name}" (declared: ${[...globals].join(', ') || 'none'})`,
      );
    }
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipp-'));
  const file = (name: string): string => path.join(dir, name);
  let scenario = scenarioFile;
  if (opts.template) {
    scenario = file(path.basename(scenarioFile));
    fs.writeFileSync(scenario, scenarioText, 'latin1');
  }
  if (keys['pcap'] === undefined && /\[pcap\]/.test(scenarioText + oocText)) keys['pcap'] = PLACEHOLDER_PCAP;

  const args: string[] = ['-sf', scenario];
  if (oocScenario) args.push('-oocsf', oocScenario);
  if (opts.remote) args.push(opts.remote);
  args.push('-i', localIp, '-p', String(opts.localPort));
  args.push('-mi', opts.mediaIp ?? localIp);
  args.push('-mp', String(opts.mediaPort ?? pickMediaPort()));
  args.push('-m', String(opts.calls ?? 1));
  if (opts.rate !== undefined) args.push('-r', String(opts.rate));
  if (opts.concurrent !== undefined) args.push('-l', String(opts.concurrent));
  if (opts.service !== undefined) args.push('-s', opts.service);
  if (opts.transport) args.push('-t', opts.transport);
  for (const [name, value] of Object.entries(vars)) args.push('-set', name, value);
  for (const [name, value] of Object.entries(keys)) args.push('-key', name, value);
  if (opts.auth) {
    args.push('-au', opts.auth.username, '-ap', opts.auth.password);
    if (opts.auth.uri) args.push('-auth_uri', opts.auth.uri);
  }
  // sipp's own socket buffers are 64 KB: at a few thousand answers a second, a sipp held off the CPU
  // for a few ms drops them in its receive queue, and the retransmissions that follow were counted as
  // the engine's (seen in bench:sip's REGISTER walk, the drops all in sipp's socket).
  args.push('-buff_size', String(SIPP_BUFFER_BYTES));
  args.push('-nostdin', '-timeout', `${timeoutSeconds}s`, '-timeout_error');
  args.push('-trace_err', '-error_file', file('errors.log'));
  args.push('-trace_stat', '-stf', file('stat.csv'));
  args.push('-trace_screen', '-screen_file', file('screen.log'));
  if (traceMessages) args.push('-trace_msg', '-message_file', file('messages.log'));
  args.push(...(opts.extraArgs ?? []));

  installExitHook();
  const child = spawn(SIPP_BIN, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('latin1').on('data', (d: string) => (stdout = tail(stdout + d)));
  child.stderr.setEncoding('latin1').on('data', (d: string) => (stderr = tail(stderr + d)));

  let exited = false;
  let timedOut = false;
  const signal = (sig: NodeJS.Signals): void => {
    if (!exited) child.kill(sig);
  };
  const hardKill = setTimeout(
    () => {
      timedOut = true;
      signal('SIGKILL');
    },
    timeoutSeconds * 1000 + KILL_MARGIN_MS,
  );
  hardKill.unref();
  if (child.pid !== undefined) live.set(child.pid, { dir, kill: () => signal('SIGKILL') });

  const done = new Promise<SippResult>((resolve, reject) => {
    child.once('error', (err) => {
      exited = true;
      clearTimeout(hardKill);
      if (child.pid !== undefined) live.delete(child.pid);
      fs.rmSync(dir, { recursive: true, force: true });
      reject(err);
    });
    child.once('close', (code, sig) => {
      exited = true;
      clearTimeout(hardKill);
      if (child.pid !== undefined) live.delete(child.pid);
      const stats = parseStatCsv(readIfExists(file('stat.csv')));
      const fromScreen = countsFromScreen(readIfExists(file('screen.log')));
      const count = (name: string, fallback: number): number => {
        const n = Number(stats[name]);
        return stats[name] !== undefined && Number.isFinite(n) ? n : fallback;
      };
      const start = epochSeconds(stats['StartTime']);
      const end = epochSeconds(stats['CurrentTime']);
      const result: SippResult = {
        code,
        signal: sig,
        timedOut,
        successful: count('SuccessfulCall(C)', fromScreen.successful),
        failed: count('FailedCall(C)', fromScreen.failed),
        stdout,
        stderr,
        errors: readIfExists(file('errors.log')),
        messages: readIfExists(file('messages.log')),
        stats,
        elapsedSeconds: start !== undefined && end !== undefined ? end - start : 0,
        args,
      };
      fs.rmSync(dir, { recursive: true, force: true });
      resolve(result);
    });
  });

  const isTcp = opts.transport === 't1' || opts.transport === 'tn';
  const ready = (async () => {
    const deadline = Date.now() + 10_000;
    while (!exited) {
      const bound = portBound(opts.localPort, isTcp);
      if (bound === undefined) {
        await sleep(300); // no /proc: a short delay instead
        return;
      }
      if (bound) return;
      if (Date.now() > deadline) throw new Error(`sipp did not bind port ${opts.localPort} within 10 s`);
      await sleep(20);
    }
    throw new Error(`sipp exited before it listened on port ${opts.localPort}: ${stderr.trim()}`);
  })();
  // A caller that only awaits `done` must not see an unhandled rejection from `ready`.
  ready.catch(() => undefined);

  const waitForMessage = async (pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> => {
    if (!traceMessages) throw new Error('waitForMessage needs traceMessages');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = readIfExists(file('messages.log')).match(pattern);
      if (match) return match;
      if (exited) throw new Error(`sipp exited before a message matched ${pattern}`);
      if (Date.now() > deadline) throw new Error(`no sipp message matched ${pattern} within ${timeoutMs} ms`);
      await sleep(25);
    }
  };

  // SIGUSR1 is sipp's "q": it exits at once, statistics written, unless calls are
  // still up, which it would wait for; SIGTERM ends it with calls up.
  const kill = (): void => {
    signal('SIGUSR1');
    setTimeout(() => signal('SIGTERM'), 500).unref();
    setTimeout(() => signal('SIGKILL'), 3_000).unref();
  };

  return { ready, done, kill, waitForMessage, pid: child.pid, args };
}

export function runSipp(opts: SippOptions): Promise<SippResult> {
  return startSipp(opts).done;
}

// ---------------------------------------------------------------- ports

/** A port free for both UDP and TCP on 127.0.0.1, not handed out before in this process. */
export async function freeUdpPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await udpBindable(0);
    if (port === undefined || handedOut.has(port)) continue;
    if (!(await tcpBindable(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error('no free UDP/TCP port found');
}

/** n distinct ports, each free for UDP and TCP. */
export async function freePorts(n: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < n; i++) ports.push(await freeUdpPort());
  return ports;
}

/** freeMediaPort without binding anything: free as far as /proc/net/udp tells. */
function pickMediaPort(): number {
  for (let attempt = 0; attempt < 200; attempt++) {
    const p = 20_000 + 2 * Math.floor(Math.random() * 5_000);
    if ([0, 1, 2, 3].some((i) => handedOut.has(p + i) || portBound(p + i, false) === true)) continue;
    for (let i = 0; i < 4; i++) handedOut.add(p + i);
    return p;
  }
  throw new Error('no free RTP port range found');
}

/**
 * An even RTP port p with p..p+3 free for UDP: sipp binds the -mp port and
 * the one two above it (audio and video), and RTCP would take the odd ones.
 * Drawn below the kernel's ephemeral range, so no kernel-chosen port collides.
 */
export async function freeMediaPort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const p = 20_000 + 2 * Math.floor(Math.random() * 5_000);
    if ([0, 1, 2, 3].some((i) => handedOut.has(p + i))) continue;
    let free = true;
    for (let i = 0; i < 4 && free; i++) free = (await udpBindable(p + i)) !== undefined;
    if (!free) continue;
    for (let i = 0; i < 4; i++) handedOut.add(p + i);
    return p;
  }
  throw new Error('no free RTP port range found');
}
