/**
 * A redis-server of a test's own on a free port, for tests that stop Redis
 * and start it again (on the same port): without persistence, so a restart
 * starts empty.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './ports.js';

export class OwnRedis {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  /** A server on a free port, started. */
  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts redis-server; resolves once it accepts connections. */
  start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    let out = '';
    return new Promise((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('Ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
    });
  }

  /** Stops it (SIGTERM) and resolves once it has exited. */
  stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}
