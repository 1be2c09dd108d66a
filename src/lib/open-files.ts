import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * The open-file limit (RLIMIT_NOFILE). Node itself raises the soft limit to
 * the hard one when it starts (node.cc PlatformInit), so what a process can
 * still do is raise the hard limit, which needs CAP_SYS_RESOURCE (root, or a
 * systemd LimitNOFILE=). Node has no setrlimit, so that goes through
 * util-linux `prlimit` on our own pid; anything else is logged as it is.
 */
export interface OpenFileLimit {
  soft: number;
  hard: number;
}

/** The limit in force, from /proc/self/limits; null where that file does not exist. */
export function openFileLimit(): OpenFileLimit | null {
  let text: string;
  try {
    text = fs.readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return null;
  }
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
  if (!m) return null;
  const num = (v: string | undefined): number => (v === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(v));
  return { soft: num(m[1]), hard: num(m[2]) };
}

/**
 * Raises the limit to `target` where allowed; returns the limit before and
 * after and why it could not be raised. Never throws.
 */
export function raiseOpenFileLimit(target: number): {
  before: OpenFileLimit | null;
  after: OpenFileLimit | null;
  note: string | null;
} {
  const before = openFileLimit();
  if (before === null) return { before, after: null, note: 'no /proc/self/limits' };
  if (before.soft >= target) return { before, after: before, note: null };
  try {
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${target}:${target}`], {
      stdio: 'ignore',
      timeout: 5000,
    });
  } catch {
    return { before, after: openFileLimit(), note: 'not allowed to raise it (needs CAP_SYS_RESOURCE)' };
  }
  return { before, after: openFileLimit(), note: null };
}
